//! Server side of authentication: argon2id hashes, random session tokens
//! (only their SHA-256 is stored), HttpOnly SameSite cookies, rate limits.

use super::{Role, UserInfo};
use crate::error::AppError;
use crate::state::AppState;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{Duration, Utc};
use entity::{session, user};
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

pub const COOKIE_NAME: &str = "muyi_session";
/// Failed logins allowed per user name, and per client address, in 5 minutes.
pub const USER_LIMIT: usize = 5;
pub const ADDRESS_LIMIT: usize = 50;

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AppError::Internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
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

fn set_cookie(value: &str, max_age: i64, secure: bool) {
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

fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

pub fn user_info(u: &user::Model) -> Option<UserInfo> {
    Some(UserInfo {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: Role::parse(&u.role)?,
        county: u.county.as_deref().and_then(grading::County::parse),
        department: u.department.as_deref().and_then(grading::Department::parse),
        uscc: u.uscc.clone(),
    })
}

pub async fn login(username: &str, password: &str) -> Result<UserInfo, AppError> {
    let st = state()?;
    let name = username.trim().to_lowercase();
    let user_key = format!("user:{name}");
    let addr_key = format!("addr:{}", client_address());
    st.limiter
        .check(&user_key, USER_LIMIT)
        .map_err(AppError::RateLimited)?;
    st.limiter
        .check(&addr_key, ADDRESS_LIMIT)
        .map_err(AppError::RateLimited)?;
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(name.clone()))
        .one(&st.db)
        .await?;
    // Verify against a dummy hash when the user does not exist, so timing
    // does not reveal which names exist.
    let ok = match &found {
        Some(u) => verify_password(password, &u.password_hash),
        None => {
            let _ = verify_password(password, DUMMY_HASH);
            false
        }
    };
    let Some(u) = found.filter(|_| ok) else {
        st.limiter.fail(&user_key);
        st.limiter.fail(&addr_key);
        return Err(AppError::BadCredentials);
    };
    st.limiter.clear(&user_key);
    let info = user_info(&u).ok_or(AppError::Internal)?;
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(u.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(st.config.session_hours)),
    }
    .insert(&st.db)
    .await?;
    set_cookie(
        &token,
        st.config.session_hours * 3600,
        st.config.cookie_secure,
    );
    Ok(info)
}

pub async fn logout() -> Result<(), AppError> {
    let st = state()?;
    if let Some(t) = cookie_token() {
        session::Entity::delete_by_id(token_hash(&t))
            .exec(&st.db)
            .await?;
    }
    set_cookie("", 0, st.config.cookie_secure);
    Ok(())
}

/// Looks a session token up; expired sessions count as none.
pub async fn user_for_token(
    db: &sea_orm::DatabaseConnection,
    token: &str,
) -> Result<Option<UserInfo>, AppError> {
    let Some(s) = session::Entity::find_by_id(token_hash(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if s.expires_at < Utc::now() {
        session::Entity::delete_by_id(s.token_hash).exec(db).await?;
        return Ok(None);
    }
    Ok(user::Entity::find_by_id(s.user_id)
        .one(db)
        .await?
        .as_ref()
        .and_then(user_info))
}

pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    let st = state()?;
    match cookie_token() {
        Some(t) => user_for_token(&st.db, &t).await,
        None => Ok(None),
    }
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user() -> Result<UserInfo, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user if their role is one of `roles`, else `Forbidden`.
pub async fn require_role(roles: &[Role]) -> Result<UserInfo, AppError> {
    let u = require_user().await?;
    if roles.contains(&u.role) {
        Ok(u)
    } else {
        Err(AppError::Forbidden)
    }
}

/// An argon2id hash of a random password, for constant-time misses.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Hq0n6sPzx1s+F0WQ9KQ6U3cTn0bJ2yqJvX7mVd8+8A";
