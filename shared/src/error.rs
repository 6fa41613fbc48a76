//! What a workflow can refuse or fail with. The app turns it into its
//! one HTTP-facing error type (`app::error::AppError`), whose `status` is
//! the single mapping to HTTP statuses. What only the server does with it
//! (a fault's id in the log) is in `service::error`.

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
    /// Bad input, with a message for the person who typed it, in both
    /// languages (the page shows the reader's).
    #[error("{0}")]
    Invalid(grading::Words),
    /// A request no form of ours sends (an unknown field name, say): a
    /// client's mistake, not a person's typing.
    #[error("请求有误：{0}")]
    Malformed(String),
    /// Missing, or out of the actor's reach: the two are never told apart,
    /// so nobody learns that an enterprise exists in another county.
    #[error("未找到")]
    NotFound,
    /// The record moved since the writer read it.
    #[error("该记录已被他人修改（第 {} 版），请查看变化后再保存", .0.version)]
    Conflict(Box<StaleRecord>),
    /// The server is at its limit for this kind of work; try again later.
    #[error("{0}")]
    Busy(grading::Words),
    /// A fault of ours. The text is for the log and the console, never
    /// for a web client.
    #[error("{0}")]
    Internal(String),
}

/// A USCC from a path, a form or a request, parsed once where it enters:
/// the workflows take a [`grading::Uscc`], never a string.
pub fn parse_uscc(text: &str) -> Result<grading::Uscc, ServiceError> {
    grading::Uscc::parse(text).map_err(|e| {
        let why = e.words();
        let text = text.trim();
        ServiceError::invalid(
            format!("统一社会信用代码“{text}”有误：{}", why.zh),
            format!(
                "The unified social credit code “{text}” is wrong: {}",
                why.en
            ),
        )
    })
}

impl ServiceError {
    /// Bad input, said in Chinese and English.
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> ServiceError {
        ServiceError::Invalid(grading::Words::new(zh, en))
    }

    /// At a limit for this kind of work, said in Chinese and English.
    pub fn busy(zh: impl Into<String>, en: impl Into<String>) -> ServiceError {
        ServiceError::Busy(grading::Words::new(zh, en))
    }

    pub fn internal(what: impl std::fmt::Display) -> ServiceError {
        ServiceError::Internal(what.to_string())
    }
}

/// The one gate of this crate: a database error becomes an internal fault
/// where the error type is defined (the orphan rule keeps the conversion
/// here); only the server's build enables it.
#[cfg(feature = "db")]
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
