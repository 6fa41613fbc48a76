//! The server layer's error type; `IntoResponse` maps it to HTTP once.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("数据库错误：{0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("文件错误：{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Input(String),
    #[error("评价规则错误：{0}")]
    Ruleset(#[from] grading::ruleset::RulesetError),
    #[error("{0}")]
    Other(String),
}

impl From<app::store::StoreError> for ServerError {
    fn from(e: app::store::StoreError) -> Self {
        match e {
            app::store::StoreError::Db(d) => ServerError::Db(d),
            app::store::StoreError::Ruleset(r) => ServerError::Ruleset(r),
            app::store::StoreError::Input(m) => ServerError::Input(m),
            app::store::StoreError::Io(e) => ServerError::Io(e),
            other => ServerError::Other(other.to_string()),
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = match self {
            ServerError::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            tracing::error!("{self}");
            return (status, "服务器内部错误").into_response();
        }
        (status, self.to_string()).into_response()
    }
}

pub type Result<T> = std::result::Result<T, ServerError>;
