//! Every server fault (5xx) gets an id: logged with what is known, shown to
//! the client in place of any detail, so a report to the help desk finds
//! the log line and nothing internal leaks.

use app::error::{error_id, ERROR_ID_HEADER};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn page(status: StatusCode, id: &str) -> Response {
    let mut r = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("服务器内部错误（错误编号 {id}），请稍后再试。/ Server error (id {id}); please try again later."),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(id) {
        r.headers_mut().insert(ERROR_ID_HEADER, v);
    }
    r
}

/// A 5xx that no handler gave an id (a page that failed to render, a
/// layer's fault) gets one here, and its body is replaced by the notice.
pub async fn error_ids(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let res = next.run(req).await;
    if !res.status().is_server_error() {
        return res;
    }
    if let Some(id) = res.headers().get(ERROR_ID_HEADER) {
        tracing::warn!(error_id = ?id, %method, %path, status = %res.status(), "served a fault");
        return res;
    }
    let id = error_id();
    let status = res.status();
    let (_, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    tracing::error!(error_id = %id, %method, %path, %status, detail = %String::from_utf8_lossy(&detail), "fault");
    page(status, &id)
}

/// A handler that panicked: the process stays up, the client gets an id.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let what = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    let id = error_id();
    tracing::error!(error_id = %id, "handler panicked: {what}");
    page(StatusCode::INTERNAL_SERVER_ERROR, &id)
}
