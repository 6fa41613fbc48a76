//! What a server function needs from its request: the services handle and
//! the actor its session cookie names. Cookies live here and only here.

use crate::error::AppError;
use crate::state::AppState;
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use service::{Actor, Services};

pub const COOKIE_NAME: &str = "muyi_session";

pub fn services() -> Result<Services, AppError> {
    use_context::<AppState>()
        .map(|s| s.services)
        .ok_or(AppError::Internal)
}

/// The services and the actor of the request being served.
pub async fn request() -> Result<(Services, Actor), AppError> {
    let svc = services()?;
    let actor = actor_of(&svc, cookie_token().as_deref()).await?;
    Ok((svc, actor))
}

pub async fn actor_of(svc: &Services, token: Option<&str>) -> Result<Actor, AppError> {
    Ok(service::accounts::actor_for_token(&svc.db, token).await?)
}

/// The stored hash of this request's session token (to keep this session
/// when a password change ends the others).
pub fn current_token_hash() -> Option<String> {
    cookie_token().map(|t| service::accounts::token_hash(&t))
}

fn cookie_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    token_from_headers(&parts.headers)
}

/// The session token in a request's `Cookie` header.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == COOKIE_NAME && !v.is_empty()).then(|| v.to_string())
        })
}

pub fn set_cookie(value: &str, max_age: i64, secure: bool) {
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        let secure = if secure { "; Secure" } else { "" };
        let c = format!(
            "{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
        );
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.append_header(SET_COOKIE, v);
        }
    }
}

pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

pub async fn logout() -> Result<(), AppError> {
    let svc = services()?;
    if let Some(t) = cookie_token() {
        service::accounts::logout(&svc, &t).await?;
    }
    set_cookie("", 0, svc.config.cookie_secure);
    Ok(())
}
