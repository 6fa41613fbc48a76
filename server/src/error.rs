//! The command line's error type: what a person at the console reads.
//! (HTTP errors are `app::error::AppError`, mapped to statuses once.)

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

impl From<service::ServiceError> for ServerError {
    fn from(e: service::ServiceError) -> Self {
        match e {
            service::ServiceError::Invalid(m) => ServerError::Input(m.zh),
            other => ServerError::Other(other.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, ServerError>;
