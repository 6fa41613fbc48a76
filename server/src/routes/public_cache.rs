//! Rendered public pages kept a few seconds for anonymous visitors, and
//! dropped at once when any server process publishes a version (the
//! disclosure cache's generation moves: `service::signals`).

use super::*;

/// How long a rendered public page is reused: the time within which a
/// newly published version shows (the disclosure index is kept as long).
pub(super) const PUBLIC_TTL: std::time::Duration = std::time::Duration::from_secs(5);
pub(super) const PUBLIC_ENTRIES: usize = 2000;

type Rendered = (std::time::Instant, HeaderMap, axum::body::Bytes);

/// This router's rendered pages, and the publications they were made from.
#[derive(Clone)]
pub(super) struct Pages {
    svc: service::Services,
    /// The disclosure generation the pages belong to, and the pages.
    held: std::sync::Arc<std::sync::Mutex<(u64, std::collections::HashMap<String, Rendered>)>>,
}

impl Pages {
    pub(super) fn new(svc: &service::Services) -> Pages {
        Pages {
            svc: svc.clone(),
            held: Default::default(),
        }
    }

    /// The held pages, emptied first if a version was published since.
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, (u64, std::collections::HashMap<String, Rendered>)> {
        let now = self.svc.disclosures.generation();
        let mut g = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if g.0 != now {
            g.0 = now;
            g.1.clear();
        }
        g
    }
}

/// The public disclosure pages are the same for every anonymous visitor
/// (of a language): rendered once, then served from memory for a few
/// seconds, so a crowd of citizens costs little more than the bytes.
pub(super) async fn public_cache(State(pages): State<Pages>, req: Request, next: Next) -> Response {
    // Worked out in a block: no borrow of the request outlives it.
    let key = {
        let signed_in = has_session_cookie(req.headers());
        // Not the downloads: each filter is its own file, some of
        // several megabytes (the whole version is kept by its snapshot).
        let cacheable = req.method() == Method::GET
            && !signed_in
            && app::light::is_public_path(req.uri().path())
            && !req.uri().path().contains("/download/");
        let h = |k: header::HeaderName| {
            req.headers()
                .get(k)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        // The host too: a page names the address it was asked under.
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
    let hit = pages
        .lock()
        .1
        .get(&key)
        .cloned()
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
    {
        let mut held = pages.lock();
        let m = &mut held.1;
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
