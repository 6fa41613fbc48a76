//! The one error type of the app layer. Server functions return it; its
//! `status_code` is the single place where an error becomes an HTTP status.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("请先登录")]
    Unauthorized,
    #[error("无权访问此内容")]
    Forbidden,
    #[error("用户名或密码错误")]
    BadCredentials,
    #[error("尝试次数过多，请 {0} 秒后再试")]
    RateLimited(u64),
    #[error("{0}")]
    Invalid(String),
    #[error("未找到")]
    NotFound,
    /// Details go to the server log, never to the client.
    #[error("服务器内部错误，请稍后再试")]
    Internal,
    #[error("请求失败：{0}")]
    ServerFn(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value.to_string())
    }
}

impl AppError {
    /// The HTTP status of this error; the server maps every failed server
    /// function response through it, in one place.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::RateLimited(_) => 429,
            AppError::Invalid(_) => 422,
            AppError::NotFound => 404,
            AppError::Internal => 500,
            AppError::ServerFn(_) => 400,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        tracing::error!("database error: {e}");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        match e {
            crate::store::StoreError::Input(m) => AppError::Invalid(m),
            other => {
                tracing::error!("{other}");
                AppError::Internal
            }
        }
    }
}
