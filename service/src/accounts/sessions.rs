//! Sessions: argon2id password hashes, random session tokens of which only
//! the SHA-256 is stored, failed logins limited per user name and per
//! client address. Cookies are the web layer's business; this module deals
//! in tokens.

use super::users::user_info;
use crate::actor::Actor;
use crate::{Result, ServiceError, Services};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{Duration, Utc};
use entity::{session, user};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// Failed logins allowed per user name, and per client address, in 5 minutes.
pub const USER_LIMIT: usize = 5;
pub const ADDRESS_LIMIT: usize = 50;

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ServiceError::internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A session just opened: the token for the cookie, and how long it lives.
pub struct Session {
    pub token: String,
    pub max_age_secs: i64,
    pub actor: Actor,
}

/// Checks the credentials and opens a session. `client` is the client's
/// address, for the rate limit.
pub async fn login(
    svc: &Services,
    username: &str,
    password: &str,
    client: &str,
) -> Result<Session> {
    let name = username.trim().to_lowercase();
    let user_key = format!("user:{name}");
    let addr_key = format!("addr:{client}");
    svc.limiter
        .check(&user_key, USER_LIMIT)
        .map_err(ServiceError::RateLimited)?;
    svc.limiter
        .check(&addr_key, ADDRESS_LIMIT)
        .map_err(ServiceError::RateLimited)?;
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(name.clone()))
        .one(&svc.db)
        .await?;
    // Verify against a dummy hash when the user does not exist, so timing
    // does not reveal which names exist; off the async workers, as a hash
    // takes tens of milliseconds.
    let hash = found
        .as_ref()
        .map_or(DUMMY_HASH.to_string(), |u| u.password_hash.clone());
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(ServiceError::internal)?;
    let Some(u) = found.filter(|_| ok) else {
        svc.limiter.fail(&user_key);
        svc.limiter.fail(&addr_key);
        return Err(ServiceError::BadCredentials);
    };
    svc.limiter.clear(&user_key);
    let info = user_info(&u).ok_or_else(|| ServiceError::internal("账户角色无效"))?;
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let now = Utc::now();
    let hours = svc.config.session_hours;
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(u.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(hours)),
    }
    .insert(&svc.db)
    .await?;
    Ok(Session {
        token,
        max_age_secs: hours * 3600,
        actor: Actor::User(info),
    })
}

/// Ends the session of a token.
pub async fn logout(svc: &Services, token: &str) -> Result<()> {
    session::Entity::delete_by_id(token_hash(token))
        .exec(&svc.db)
        .await?;
    Ok(())
}

/// Who holds a session token: the public when there is none, or it expired.
pub async fn actor_for_token(db: &DatabaseConnection, token: Option<&str>) -> Result<Actor> {
    let Some(token) = token else {
        return Ok(Actor::Public);
    };
    let Some(s) = session::Entity::find_by_id(token_hash(token))
        .one(db)
        .await?
    else {
        return Ok(Actor::Public);
    };
    if s.expires_at < Utc::now() {
        session::Entity::delete_by_id(s.token_hash).exec(db).await?;
        return Ok(Actor::Public);
    }
    Ok(user::Entity::find_by_id(s.user_id)
        .one(db)
        .await?
        .as_ref()
        .and_then(user_info)
        .map_or(Actor::Public, Actor::User))
}

/// An argon2id hash of a random password, for constant-time misses.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Hq0n6sPzx1s+F0WQ9KQ6U3cTn0bJ2yqJvX7mVd8+8A";
