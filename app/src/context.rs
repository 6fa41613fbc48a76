//! What a server function needs from its request: the services handle and
//! the actor its session cookie names. Cookies live here and only here.

use crate::error::AppError;
use crate::state::AppState;
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use service::accounts::Transport;
use service::{Actor, Services};
use shared::ServiceError;

pub const COOKIE_NAME: &str = "muyi_session";
/// The cookie's name over HTTPS: the `__Host-` prefix makes the browser
/// refuse it unless it is Secure, host-only and for the whole site, so a
/// neighbouring subdomain cannot plant a session.
pub const HOST_COOKIE_NAME: &str = "__Host-muyi_session";

pub fn services() -> Result<Services, AppError> {
    use_context::<AppState>()
        .map(|s| s.services)
        .ok_or_else(|| AppError::from(ServiceError::internal("no services in context")))
}

/// The services and the actor of the request being served.
pub async fn request() -> Result<(Services, Actor), AppError> {
    let svc = services()?;
    let actor = actor_of(&svc, cookie_token().as_deref()).await?;
    Ok((svc, actor))
}

pub async fn actor_of(svc: &Services, token: Option<&str>) -> Result<Actor, AppError> {
    Ok(service::accounts::actor_for_token(svc, token).await?)
}

/// The stored hash of this request's session token (to keep this session
/// when a password change ends the others).
pub fn current_token_hash() -> Option<String> {
    cookie_token().map(|t| service::accounts::token_hash(&t))
}

fn cookie_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    token_from_headers(&parts.headers, transport_of(&parts.extensions).https)
}

/// How the request came (the server's first layer works it out; a request
/// it did not see, e.g. in a unit test, counts as plain HTTP from nowhere).
pub fn transport_of(ext: &http::Extensions) -> Transport {
    ext.get::<Transport>().copied().unwrap_or(Transport {
        client: std::net::IpAddr::from([0, 0, 0, 0]),
        https: false,
    })
}

fn transport() -> Transport {
    use_context::<http::request::Parts>()
        .map(|p| transport_of(&p.extensions))
        .unwrap_or_else(|| transport_of(&http::Extensions::new()))
}

/// The session token in a request's `Cookie` header (over HTTPS only the
/// `__Host-` cookie counts).
pub fn token_from_headers(headers: &http::HeaderMap, https: bool) -> Option<String> {
    let name = if https { HOST_COOKIE_NAME } else { COOKIE_NAME };
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_string())
        })
}

pub fn set_cookie(value: &str, max_age: i64) {
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        let c = if transport().https {
            format!("{HOST_COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}; Secure")
        } else {
            format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}")
        };
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.append_header(SET_COOKIE, v);
        }
    }
}

/// The client's address (behind a trusted proxy, the one it forwarded).
pub fn client_address() -> std::net::IpAddr {
    transport().client
}

pub async fn logout() -> Result<(), AppError> {
    let svc = services()?;
    if let Some(t) = cookie_token() {
        service::accounts::logout(&svc, &t).await?;
    }
    set_cookie("", 0);
    Ok(())
}

/// The Content-Security-Policy of the page being rendered, handed to the
/// server's `page_policy` layer, which puts it on the response.
///
/// Not through leptos_axum's `ResponseOptions`: a header inserted there
/// by the shell was missing, now and then, from the response of a public
/// page rendered with `SsrMode::Async` (one in five to one in two in a browser
/// loop going from `/` to `/disclosure/2020`; the insert was seen 100–300
/// ms before the response's head, which lacked it). The page then fell
/// back to the site's `default-src 'none'`, its stylesheet was refused
/// and it showed unstyled — and the public cache served it so for five
/// seconds. The cause inside Leptos was not found; a slot carried in the
/// request's extensions does not depend on it.
#[derive(Clone, Default)]
pub struct PagePolicy(std::sync::Arc<std::sync::Mutex<Option<HeaderValue>>>);

impl PagePolicy {
    /// Records the policy for the request being rendered (a no-op outside
    /// a request that carries the slot, as in tests rendering a view).
    pub fn set_for_request(value: HeaderValue) {
        let slot = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<PagePolicy>().cloned());
        if let Some(slot) = slot {
            *slot.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
        }
    }

    /// The policy a render recorded, if any.
    pub fn take(&self) -> Option<HeaderValue> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Whether this server function was called by a plain HTML form (a light
/// page, `crate::light`), not by the app's script: the browser then wants
/// a page, and server_fn answers with a redirect back to the form.
pub fn plain_form() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// After a plain form's success, back to the form's page with `key=value`
/// in its address, so the page can say what happened (the app's script
/// reads the function's answer instead). Nothing for a call by script.
pub fn back_with(key: &str, value: &str) {
    if let Some(to) = referer_with(&[(key, value)]) {
        leptos_axum::redirect(&to);
    }
}

/// After a plain form's failure, back to the form's page with the error
/// where server_fn puts it (`__path`, `__err`) and `keep` — fields the
/// page fills in again (never a password): server_fn's own redirect would
/// bring back the error alone, and the form empty.
pub fn back_with_error(path: &str, error: &AppError, keep: &[(&str, &str)]) {
    use leptos::server_fn::error::ServerFnUrlError;
    if let Some(to) = referer_with(keep) {
        let base = format!("http://x{to}");
        if let Ok(url) = ServerFnUrlError::new(path, error.clone()).to_url(&base) {
            let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
            leptos_axum::redirect(&format!("{}{query}", url.path()));
        }
    }
}

/// The path and query of the page a plain form was posted from, with
/// `pairs` set and server_fn's error parameters dropped; None for a call
/// by script or without a Referer.
fn referer_with(pairs: &[(&str, &str)]) -> Option<String> {
    if !plain_form() {
        return None;
    }
    let referer = use_context::<http::request::Parts>().and_then(|p| {
        p.headers
            .get(http::header::REFERER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    })?;
    let uri: http::Uri = referer.parse().ok()?;
    let mut kept: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default();
    kept.retain(|(k, _)| k != "__path" && k != "__err" && !pairs.iter().any(|(p, _)| p == k));
    kept.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
    Some(format!("{}?{query}", uri.path()))
}
