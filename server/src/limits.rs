//! Request bodies are bounded on every route while they stream: a declared
//! length over the route's limit is refused before a byte is read, and a
//! body that runs past it (chunked, or lying about its length) fails as it
//! crosses the limit, so no handler ever holds more than the limit.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Forms, server functions, the API: small.
pub const DEFAULT: usize = 2 << 20;

/// Slack for the multipart framing and the other fields of an upload.
const FRAMING: usize = 1 << 20;

/// The limit of a path: uploads get their own documented size and a little.
pub fn limit_for(path: &str) -> usize {
    match path {
        "/api/preview_import" => app::imports::MAX_BYTES + FRAMING,
        "/api/file_appeal" => {
            service::appeals::MAX_FILES * service::appeals::MAX_FILE_BYTES + FRAMING
        }
        "/api/import_actuals" => app::targets::MAX_BYTES + FRAMING,
        _ => DEFAULT,
    }
}

pub async fn body_limit(req: Request, next: Next) -> Response {
    let limit = limit_for(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(limit);
    }
    if declared.is_none() && limit == DEFAULT {
        // A small body of unknown length is read here, so that running
        // past the limit is a 413 whoever reads it later.
        let (parts, body) = req.into_parts();
        return match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => {
                next.run(Request::from_parts(parts, Body::from(bytes)))
                    .await
            }
            Err(_) => too_large(limit),
        };
    }
    let req = req.map(|b| Body::new(http_body_util::Limited::new(b, limit)));
    next.run(req).await
}

pub fn too_large(limit: usize) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "请求过大（上限 {} MB）/ request too large (limit {} MB)",
            limit >> 20,
            limit >> 20
        ),
    )
        .into_response()
}
