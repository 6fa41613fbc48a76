//! Rendered public pages kept a few seconds for anonymous visitors.

use super::*;

/// How long a rendered public page is reused: the time within which a
/// newly published version shows (the disclosure index is kept as long).
pub(super) const PUBLIC_TTL: std::time::Duration = std::time::Duration::from_secs(5);
pub(super) const PUBLIC_ENTRIES: usize = 2000;

type Rendered = (std::time::Instant, HeaderMap, axum::body::Bytes);

static PUBLIC: std::sync::Mutex<Option<std::collections::HashMap<String, Rendered>>> =
    std::sync::Mutex::new(None);

/// The public disclosure pages are the same for every anonymous visitor
/// (of a language): rendered once, then served from memory for a few
/// seconds, so a crowd of citizens costs little more than the bytes.
pub(super) async fn public_cache(req: Request, next: Next) -> Response {
    // Worked out in a block: no borrow of the request outlives it.
    let key = {
        let signed_in = has_session_cookie(req.headers());
        // Not the downloads: each filter is its own file, some of
        // several megabytes (the whole version is kept by its snapshot).
        let cacheable = req.method() == Method::GET
            && !signed_in
            && app::light::is_light_path(req.uri().path())
            && !req.uri().path().contains("/download/");
        let h = |k: header::HeaderName| {
            req.headers()
                .get(k)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        // The host too: several apps may share a process (the tests do).
        cacheable.then(|| {
            format!(
                "{}|{}|{}|{}",
                h(header::HOST),
                req.uri(),
                h(header::COOKIE),
                h(header::ACCEPT_LANGUAGE)
            )
        })
    };
    let Some(key) = key else {
        return next.run(req).await;
    };
    let hit = PUBLIC
        .lock()
        .ok()
        .and_then(|m| m.as_ref()?.get(&key).cloned())
        .filter(|(at, _, _)| at.elapsed() < PUBLIC_TTL);
    if let Some((_, headers, body)) = hit {
        let mut r = Response::new(Body::from(body));
        *r.headers_mut() = headers;
        return r;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(mut m) = PUBLIC.lock() {
        let m = m.get_or_insert_with(Default::default);
        if m.len() >= PUBLIC_ENTRIES {
            m.retain(|_, (at, _, _)| at.elapsed() < PUBLIC_TTL);
            if m.len() >= PUBLIC_ENTRIES {
                m.clear();
            }
        }
        m.insert(
            key,
            (
                std::time::Instant::now(),
                parts.headers.clone(),
                bytes.clone(),
            ),
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}
