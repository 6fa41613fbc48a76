//! What a workflow can refuse or fail with. The app turns it into its
//! one HTTP-facing error type (`app::error::AppError`), whose `status` is
//! the single mapping to HTTP statuses.

use crate::workspace::StaleRecord;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ServiceError {
    #[error("请先登录")]
    Unauthorized,
    #[error("无权访问此内容")]
    Forbidden,
    #[error("用户名或密码错误")]
    BadCredentials,
    #[error("尝试次数过多，请 {0} 秒后再试")]
    RateLimited(u64),
    /// Bad input, with a message for the person who typed it.
    #[error("{0}")]
    Invalid(String),
    /// Missing, or out of the actor's reach: the two are never told apart,
    /// so nobody learns that an enterprise exists in another county.
    #[error("未找到")]
    NotFound,
    /// The record moved since the writer read it.
    #[error("该记录已被他人修改（第 {} 版），请查看变化后再保存", .0.version)]
    Conflict(Box<StaleRecord>),
    /// A fault of ours. The text is for the log and the console, never
    /// for a web client.
    #[error("{0}")]
    Internal(String),
}

impl ServiceError {
    pub fn internal(what: impl std::fmt::Display) -> ServiceError {
        ServiceError::Internal(what.to_string())
    }
}

#[cfg(feature = "server")]
impl From<sea_orm::DbErr> for ServiceError {
    fn from(e: sea_orm::DbErr) -> Self {
        ServiceError::Internal(format!("数据库错误：{e}"))
    }
}

impl From<grading::ruleset::RulesetError> for ServiceError {
    fn from(e: grading::ruleset::RulesetError) -> Self {
        ServiceError::Internal(format!("评价规则错误：{e}"))
    }
}

impl From<std::io::Error> for ServiceError {
    fn from(e: std::io::Error) -> Self {
        ServiceError::Internal(format!("文件错误：{e}"))
    }
}
