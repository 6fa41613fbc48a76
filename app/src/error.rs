//! The one error type of the web layer. Server functions and the plain
//! routes return it; its `status` is the single place where an error (the
//! services' included) becomes an HTTP status.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};
use shared::workspace::StaleRecord;
use shared::ServiceError;

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
    Invalid(grading::Words),
    /// A request no form of ours sends (an unknown field name, say).
    #[error("请求有误：{0}")]
    BadRequest(String),
    /// At a limit for this kind of work (previews held, say): later.
    #[error("{0}")]
    Busy(grading::Words),
    #[error("未找到")]
    NotFound,
    /// The record moved since the form was read: what changed in between.
    #[error("该记录在您打开之后已被他人修改（现为第 {} 版），请查看下方的变化后再保存", .0.version)]
    Conflict(StaleRecord),
    /// Details go to the server log under this id, never to the client;
    /// the page shows the id, so a report to the help desk finds the log.
    #[error("服务器内部错误（错误编号 {0}），请稍后再试")]
    Internal(String),
    #[error("请求失败：{0}")]
    ServerFn(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value.to_string())
    }

    /// A failed server function's body, and its HTTP status set here, where
    /// the error becomes the response (server functions answer 500
    /// otherwise): leptos_axum applies the request's `ResponseOptions`
    /// after the function has run.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        if let Some(r) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            r.set_status(
                http::StatusCode::from_u16(self.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let AppError::Internal(id) = self {
                if let Ok(v) = http::HeaderValue::from_str(id) {
                    r.insert_header(http::HeaderName::from_static(ERROR_ID_HEADER), v);
                }
            }
        }
        use leptos::server_fn::Encodes;
        JsonEncoding::encode(self).unwrap_or_else(|e| {
            let fallback =
                AppError::from_server_fn_error(ServerFnErrorErr::Serialization(e.to_string()));
            JsonEncoding::encode(&fallback).unwrap_or_default()
        })
    }
}

impl AppError {
    /// The message in English. What the server wrote in words (a refused
    /// value, a rule) comes as it was written.
    pub fn en(&self) -> String {
        match self {
            AppError::Unauthorized => "Please sign in".into(),
            AppError::Forbidden => "You may not see this".into(),
            AppError::BadCredentials => "Wrong user name or password".into(),
            AppError::RateLimited(s) => format!("Too many attempts; try again in {s} s"),
            AppError::Invalid(m) | AppError::Busy(m) => m.en.clone(),
            AppError::BadRequest(m) => format!("Bad request: {m}"),
            AppError::NotFound => "Not found".into(),
            AppError::Conflict(s) => format!(
                "Someone else changed this record after you opened it (now version {}); see what changed below, then save",
                s.version
            ),
            AppError::Internal(id) => {
                format!("Server error (reference {id}); please try again later")
            }
            AppError::ServerFn(m) => format!("Request failed: {m}"),
        }
    }

    /// The HTTP status of this error; the server maps every failed server
    /// function response and every refused route through it, in one place.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::RateLimited(_) | AppError::Busy(_) => 429,
            AppError::Invalid(_) => 422,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::Internal(_) => 500,
            AppError::ServerFn(_) | AppError::BadRequest(_) => 400,
        }
    }
}

/// A short random id for one fault, logged with its details.
pub fn error_id() -> String {
    #[cfg(feature = "ssr")]
    {
        service::error::fault_id()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::from("-")
    }
}

impl AppError {
    /// Bad input, said in Chinese and English.
    pub fn invalid(zh: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::Invalid(grading::Words::new(zh, en))
    }

    /// An internal fault: logged with its id; the client sees the id only.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        let id = error_id();
        #[cfg(feature = "ssr")]
        tracing::error!(error_id = %id, "{detail}");
        #[cfg(not(feature = "ssr"))]
        let _ = detail.to_string();
        AppError::Internal(id)
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Unauthorized => AppError::Unauthorized,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::BadCredentials => AppError::BadCredentials,
            ServiceError::RateLimited(s) => AppError::RateLimited(s),
            ServiceError::Invalid(m) => AppError::Invalid(bounded_words(m)),
            ServiceError::Malformed(m) => AppError::BadRequest(bounded(m)),
            ServiceError::Busy(m) => AppError::Busy(bounded_words(m)),
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Conflict(s) => AppError::Conflict(*s),
            ServiceError::Internal(detail) => AppError::internal(detail),
        }
    }
}

/// Characters of a message a client is sent at most: a message listing
/// every fault of a huge request would otherwise be as large as it.
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

/// The response header that carries a fault's id.
pub const ERROR_ID_HEADER: &str = "x-error-id";

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, self.to_string()).into_response();
        if let AppError::Internal(id) = &self {
            if let Ok(v) = http::HeaderValue::from_str(id) {
                res.headers_mut().insert(ERROR_ID_HEADER, v);
            }
        }
        res
    }
}
