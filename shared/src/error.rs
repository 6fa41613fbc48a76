//! The one error, from a workflow to the browser: what a workflow can
//! refuse or fail with, its words in both languages and its HTTP status
//! ([`ServiceError::status`], the single mapping). A fault's detail never
//! leaves the server: on the way out it becomes [`ServiceError::Fault`],
//! its id (`service::error::for_client`, which logs the detail). The web
//! layer wraps it only for the server-function and axum plumbing
//! (`app::error::AppError`).

use crate::workspace::StaleRecord;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
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
    #[serde(rename = "BadRequest")]
    Malformed(String),
    /// Missing, or out of the actor's reach: the two are never told apart,
    /// so nobody learns that an enterprise exists in another county.
    #[error("未找到")]
    NotFound,
    /// The record moved since the writer read it: what changed in between.
    #[error("该记录在您打开之后已被他人修改（现为第 {} 版），请查看下方的变化后再保存", .0.version)]
    Conflict(Box<StaleRecord>),
    /// The server is at its limit for this kind of work; try again later.
    #[error("{0}")]
    Busy(grading::Words),
    /// A fault of ours. The text is for the log and the console, never
    /// for a web client (it leaves the server as [`ServiceError::Fault`];
    /// it cannot even be encoded).
    #[error("{0}")]
    #[serde(skip)]
    Internal(String),
    /// What a client is told of a fault: the id its detail was logged
    /// under, so a report to the help desk finds the log line.
    #[error("服务器内部错误（错误编号 {0}），请稍后再试")]
    #[serde(rename = "Internal")]
    Fault(String),
    /// A request that failed before any workflow answered, or whose answer
    /// could not be read (the network, an encoding): the browser's side of
    /// a server function.
    #[error("请求失败：{0}")]
    #[serde(rename = "ServerFn")]
    Unreachable(String),
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

    /// The message in English; [`Display`](std::fmt::Display) is the
    /// Chinese. What the server wrote in words (a refused value, a rule)
    /// comes as it was written.
    pub fn en(&self) -> String {
        match self {
            ServiceError::Unauthorized => "Please sign in".into(),
            ServiceError::Forbidden => "You may not see this".into(),
            ServiceError::BadCredentials => "Wrong user name or password".into(),
            ServiceError::RateLimited(s) => format!("Too many attempts; try again in {s} s"),
            ServiceError::Invalid(m) | ServiceError::Busy(m) => m.en.clone(),
            ServiceError::Malformed(m) => format!("Bad request: {m}"),
            ServiceError::NotFound => "Not found".into(),
            ServiceError::Conflict(s) => format!(
                "Someone else changed this record after you opened it (now version {}); see what changed below, then save",
                s.version
            ),
            ServiceError::Internal(detail) => detail.clone(),
            ServiceError::Fault(id) => {
                format!("Server error (reference {id}); please try again later")
            }
            ServiceError::Unreachable(m) => format!("Request failed: {m}"),
        }
    }

    /// The message in both languages.
    pub fn words(&self) -> grading::Words {
        match self {
            ServiceError::Invalid(w) | ServiceError::Busy(w) => w.clone(),
            other => grading::Words::new(other.to_string(), other.en()),
        }
    }

    /// The HTTP status of this error: the one mapping, used where a server
    /// function's error or a route's refusal becomes the response.
    pub fn status(&self) -> u16 {
        match self {
            ServiceError::Unauthorized | ServiceError::BadCredentials => 401,
            ServiceError::Forbidden => 403,
            ServiceError::RateLimited(_) | ServiceError::Busy(_) => 429,
            ServiceError::Invalid(_) => 422,
            ServiceError::NotFound => 404,
            ServiceError::Conflict(_) => 409,
            ServiceError::Internal(_) | ServiceError::Fault(_) => 500,
            ServiceError::Unreachable(_) | ServiceError::Malformed(_) => 400,
        }
    }

    /// The messages cut at [`MAX_MESSAGE_CHARS`]: a message listing every
    /// fault of a huge request would otherwise be as large as it.
    pub fn bounded(self) -> ServiceError {
        match self {
            ServiceError::Invalid(m) => ServiceError::Invalid(bounded_words(m)),
            ServiceError::Busy(m) => ServiceError::Busy(bounded_words(m)),
            ServiceError::Malformed(m) => ServiceError::Malformed(bounded(m)),
            other => other,
        }
    }
}

/// Characters of a message a client is sent at most.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// `m`, cut at [`MAX_MESSAGE_CHARS`] with a note of how much was left out.
pub fn bounded(m: String) -> String {
    cut(m, |n| format!("……（以下 {n} 字从略）"))
}

/// Both languages of a message, each cut at [`MAX_MESSAGE_CHARS`].
fn bounded_words(w: grading::Words) -> grading::Words {
    grading::Words {
        zh: bounded(w.zh),
        en: cut(w.en, |n| format!("… ({n} more characters left out)")),
    }
}

fn cut(m: String, note: impl Fn(usize) -> String) -> String {
    let n = m.chars().count();
    if n <= MAX_MESSAGE_CHARS {
        return m;
    }
    let head: String = m.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{head}{}", note(n - MAX_MESSAGE_CHARS))
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

#[cfg(test)]
mod tests {
    use super::ServiceError;

    /// A fault's detail cannot reach a client even by mistake: the variant
    /// that holds it does not encode; the id a client is told does.
    #[test]
    fn a_fault_detail_does_not_encode_and_its_id_does() {
        assert!(serde_json::to_string(&ServiceError::internal("SELECT secret")).is_err());
        let id = serde_json::to_string(&ServiceError::Fault("0a1b2c3d".into())).unwrap();
        assert_eq!(id, r#"{"Internal":"0a1b2c3d"}"#);
        let back: ServiceError = serde_json::from_str(&id).unwrap();
        assert_eq!(back, ServiceError::Fault("0a1b2c3d".into()));
    }

    /// Every refusal has its English, and a status of its kind.
    #[test]
    fn every_error_has_english_and_a_status() {
        for (e, status) in [
            (ServiceError::Unauthorized, 401),
            (ServiceError::Forbidden, 403),
            (ServiceError::NotFound, 404),
            (ServiceError::RateLimited(3), 429),
            (ServiceError::invalid("错", "wrong"), 422),
            (ServiceError::Malformed("x".into()), 400),
            (ServiceError::Fault("1".into()), 500),
        ] {
            assert_eq!(e.status(), status, "{e:?}");
            let w = e.words();
            assert!(!w.en.is_empty() && w.en.is_ascii(), "{e:?}: {}", w.en);
            assert!(!w.zh.is_ascii(), "{e:?}: {}", w.zh);
        }
    }
}
