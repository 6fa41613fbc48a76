//! The layers every request passes through: how it reached us, CSRF,
//! caching rules for signed-in users and hashed assets, the limit on
//! anonymous server functions, and the one place a failed server function
//! gets its HTTP status.

use super::*;

/// Works out once how the request reached us (client address, HTTPS;
/// believing forwarded headers only from a configured proxy) for the
/// login limit and the cookie's name and flags.
pub(super) async fn transport(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let t = {
        let h = |k: &str| req.headers().get(k).and_then(|v| v.to_str().ok());
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let cfg = &state.services.config;
        Transport::of(
            peer,
            h("x-forwarded-for"),
            h("x-forwarded-proto"),
            &cfg.trusted_proxies,
            cfg.cookie_secure,
        )
    };
    req.extensions_mut().insert(t);
    next.run(req).await
}

/// A rendered page's Content-Security-Policy (with the nonce of its
/// scripts, `app::shell`) on its response: the render records it in the
/// request's slot (`app::context::PagePolicy`, which says why not through
/// Leptos' response options); anything else keeps the site's default.
pub(super) async fn page_policy(mut req: Request, next: Next) -> Response {
    let slot = app::context::PagePolicy::default();
    req.extensions_mut().insert(slot.clone());
    let mut res = next.run(req).await;
    if let Some(v) = slot.take() {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

/// Whatever is served to a signed-in user (pages, fragments, files) stays
/// out of shared and back/forward caches: a shared computer, a proxy.
pub(super) async fn signed_in_not_stored(req: Request, next: Next) -> Response {
    // The site's own files (WASM, CSS, icons) are the same for everyone
    // and keep their own caching.
    let path = req.uri().path();
    let asset = path.starts_with("/pkg/") || path == "/favicon.svg";
    let signed_in = !asset && has_session_cookie(req.headers());
    let mut res = next.run(req).await;
    if signed_in {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("private, no-store"),
        );
    }
    res
}

/// Whether the request carries a session cookie of either name (whether
/// it is still valid does not matter to caching).
pub(super) fn has_session_cookie(headers: &HeaderMap) -> bool {
    token_from_headers(headers, false).is_some() || token_from_headers(headers, true).is_some()
}

/// What protects a document — no framing, no referrer to other sites, and
/// where a page set no policy of its own, a policy that runs nothing — on
/// every response but the site's built files: a script or WASM module is
/// no document, and a first visit fetches ~60 of them, ~120 bytes of
/// these headers each on a phone's HTTP/1.1 (`nosniff`, which does guard
/// scripts, stays on everything).
pub(super) async fn document_headers(req: Request, next: Next) -> Response {
    let asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    if asset && res.status() == StatusCode::OK {
        return res;
    }
    let h = res.headers_mut();
    for (k, v) in [
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
    ] {
        if !h.contains_key(&k) {
            h.insert(k, http::HeaderValue::from_static(v));
        }
    }
    res
}

/// A response header set wherever a handler did not set it.
pub(super) fn header_default(
    name: header::HeaderName,
    value: &'static str,
) -> tower_http::set_header::SetResponseHeaderLayer<http::HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::if_not_present(
        name,
        http::HeaderValue::from_static(value),
    )
}

/// CSRF defence beside SameSite cookies: a state-changing request must come
/// from our own pages (same Origin, or at least not a cross-site fetch).
pub(super) async fn same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let h = req.headers();
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let cross = match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => origin.split_once("://").map(|(_, rest)| rest) != host,
            None => h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site"),
        };
        if cross {
            return (
                StatusCode::FORBIDDEN,
                "跨站请求被拒绝 (cross-site request refused)",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// The server functions behind the public pages (the disclosure, the
/// overview): anonymous, so limited like the open API.
pub(super) const PUBLIC_FNS: &[&str] = &[
    "/api/publications",
    "/api/publication_page",
    "/api/public_corrections",
    "/api/public_card",
    "/api/public_lookup",
    "/api/public_overview",
    "/api/public_leaders",
    "/api/public_electricity",
];

pub(super) async fn public_fn_limit(
    State(svc): State<service::Services>,
    req: Request,
    next: Next,
) -> Response {
    if PUBLIC_FNS.contains(&req.uri().path()) {
        return crate::api::rate_limit(State(svc), req, next).await;
    }
    next.run(req).await
}

/// `pkg/name.HASH.ext` never changes under its name: kept a year. Every
/// file under pkg/ is sent brotli, gzip or plain as the browser accepts
/// (precompressed), which caches must know.
pub(super) async fn hashed_assets(req: Request, next: Next) -> Response {
    let file = req.uri().path().strip_prefix("/pkg/").map(str::to_owned);
    let mut res = next.run(req).await;
    let Some(file) = file.filter(|_| res.status() == StatusCode::OK) else {
        return res;
    };
    let headers = res.headers_mut();
    headers.insert(
        header::VARY,
        http::HeaderValue::from_static("accept-encoding"),
    );
    if file.split('.').count() >= 3 {
        headers.insert(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        // Never revalidated: its name changes with its content.
        headers.remove(header::LAST_MODIFIED);
    }
    res
}
