//! Sessions: argon2id password hashes, random session tokens of which only
//! the SHA-256 is stored, failed logins delayed per (user name, client
//! address) and per client address ([`super::throttle`]), so nobody can
//! lock another person out. A one-time password stops working after
//! `one_time_password_days`. A session ends at its absolute expiry or after
//! `session_idle_minutes` without a request, whichever comes first; on
//! sign-out, sign-out everywhere and a password change, the user's open
//! live streams are told ([`Services::sessions_ended`]). Cookies are the
//! web layer's business; this module deals in tokens.

use super::throttle::Key;
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
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use std::net::IpAddr;

/// Runs an argon2 computation off the async workers, two at a time
/// (the limiter's turns at hashing).
pub async fn hashing<R: Send + 'static>(
    svc: &Services,
    f: impl FnOnce() -> R + Send + 'static,
) -> Result<R> {
    let _turn = svc.limiter.hashing().await?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ServiceError::internal)
}

/// [`hashing`] in `owner`'s turn: one hash at a time per owner, so that a
/// flood from one address or one account waits behind itself and holds
/// at most one of the two slots while everyone else signs in. `keys` are
/// checked once the turn has come (the failures of the requests ahead in
/// the queue count), and a waiting key is refused without hashing.
pub async fn hashing_as<R: Send + 'static>(
    svc: &Services,
    owner: Key<'_>,
    keys: &[Key<'_>],
    f: impl FnOnce() -> R + Send + 'static,
) -> Result<R> {
    let _turn = svc.limiter.turn(owner).await;
    throttled(svc, keys).await?;
    hashing(svc, f).await
}

/// A password check in `owner`'s turn (see [`hashing_as`]): a wrong
/// password is counted against every one of `keys` before the turn passes
/// on, so the owner's next request in the queue already waits for it.
pub async fn verifying_as(
    svc: &Services,
    owner: Key<'_>,
    keys: &[Key<'_>],
    f: impl FnOnce() -> bool + Send + 'static,
) -> Result<bool> {
    let _turn = svc.limiter.turn(owner).await;
    throttled(svc, keys).await?;
    let ok = hashing(svc, f).await?;
    if !ok {
        for key in keys {
            svc.limiter.fail(&svc.db, *key).await?;
        }
    }
    Ok(ok)
}

/// Refuses when any of `keys` has to wait.
pub(super) async fn throttled(svc: &Services, keys: &[Key<'_>]) -> Result<()> {
    for key in keys {
        if let Err(wait) = svc.limiter.check(&svc.db, *key).await? {
            tracing::warn!("password check refused: {key:?} waits {wait} s");
            return Err(ServiceError::RateLimited(wait));
        }
    }
    Ok(())
}

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

/// User names longer than this are no account's (nothing is looked up).
const MAX_NAME: usize = 64;

/// Checks the credentials and opens a session. `client` is the client's
/// address (behind a trusted proxy, the one it forwarded), for the limit.
pub async fn login(
    svc: &Services,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<Session> {
    let name = username.trim().to_lowercase();
    let shown_name = shown(&name);
    let (user_key, addr_key) = (Key::UserAt(&shown_name, client), Key::Address(client));
    throttled(svc, &[user_key, addr_key]).await?;
    let found = if name.chars().count() <= MAX_NAME {
        user::Entity::find()
            .filter(user::Column::Username.eq(name.clone()))
            .one(&svc.db)
            .await?
    } else {
        None
    };
    // Verify against a dummy hash when the user does not exist, so timing
    // does not reveal which names exist; off the async workers, as a hash
    // takes tens of milliseconds; in the client address's turn.
    let hash = found
        .as_ref()
        .map_or(DUMMY_HASH.to_string(), |u| u.password_hash.clone());
    let password = password.to_string();
    let ok = verifying_as(svc, addr_key, &[user_key, addr_key], move || {
        verify_password(&password, &hash)
    })
    .await?;
    let Some(u) = found.filter(|_| ok) else {
        tracing::warn!(user = %shown_name, %client, "login failed");
        return Err(ServiceError::BadCredentials);
    };
    svc.limiter.clear(&svc.db, user_key).await?;
    // Told only to whoever knows the password: a one-time password that
    // ran out is reissued by the county.
    if u.must_change_password && u.password_expires_at.is_some_and(|t| t < Utc::now()) {
        let at = u
            .password_expires_at
            .map(crate::clock::minute)
            .unwrap_or_default();
        return Err(ServiceError::invalid(
            format!("初始密码已于 {at} 过期，请联系所在县（市、区）经信部门重新发放"),
            format!("The one-time password expired on {at}; ask your county's Economy & IT bureau to reissue it"),
        ));
    }
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
        last_seen_at: Set(Some(now)),
    }
    .insert(&svc.db)
    .await?;
    tracing::info!(user = %name, %client, "login");
    Ok(Session {
        token,
        max_age_secs: hours * 3600,
        actor: Actor::User(info),
    })
}

/// A user name as the log shows it: bounded, whatever was typed.
fn shown(name: &str) -> String {
    name.chars().take(MAX_NAME).collect()
}

/// Ends the session of a token.
pub async fn logout(svc: &Services, token: &str) -> Result<()> {
    let h = token_hash(token);
    if let Some(s) = session::Entity::find_by_id(h.clone()).one(&svc.db).await? {
        session::Entity::delete_by_id(h).exec(&svc.db).await?;
        crate::signals::sessions_ended(svc, s.user_id).await?;
    }
    Ok(())
}

/// Signs the actor out everywhere: every session of theirs ends, this one
/// too, and their open live streams close.
pub async fn end_all(svc: &Services, actor: &Actor) -> Result<u64> {
    let id = actor.user_id().ok_or(ServiceError::Unauthorized)?;
    let n = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(id))
        .exec(&svc.db)
        .await?
        .rows_affected;
    crate::signals::sessions_ended(svc, id).await?;
    tracing::info!(user_id = id, sessions = n, "signed out everywhere");
    Ok(n)
}

/// Whether a session has run out: past its expiry, or idle too long.
fn ended(s: &session::Model, svc: &Services, now: chrono::DateTime<Utc>) -> bool {
    let seen = s.last_seen_at.unwrap_or(s.created_at);
    s.expires_at < now || seen + Duration::minutes(svc.config.session_idle_minutes) < now
}

/// Requests closer together than this do not write `last_seen_at` again.
const TOUCH_EVERY: i64 = 60;

/// Who holds a session token: the public when there is none, or it ended.
/// A request counts as activity for the idle timeout.
pub async fn actor_for_token(svc: &Services, token: Option<&str>) -> Result<Actor> {
    let Some(token) = token else {
        return Ok(Actor::Public);
    };
    let db = &svc.db;
    let Some(s) = session::Entity::find_by_id(token_hash(token))
        .one(db)
        .await?
    else {
        return Ok(Actor::Public);
    };
    let now = Utc::now();
    if ended(&s, svc, now) {
        session::Entity::delete_by_id(s.token_hash).exec(db).await?;
        return Ok(Actor::Public);
    }
    let user_id = s.user_id;
    if s.last_seen_at.unwrap_or(s.created_at) + Duration::seconds(TOUCH_EVERY) < now {
        let mut am: session::ActiveModel = s.into();
        am.last_seen_at = Set(Some(now));
        am.update(db).await?;
    }
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .as_ref()
        .and_then(user_info)
        .map_or(Actor::Public, Actor::User))
}

/// Whether a session token still holds (for an open live stream, which
/// is not activity: an unattended open tab still times out).
pub async fn session_alive(svc: &Services, token: &str) -> Result<bool> {
    Ok(session::Entity::find_by_id(token_hash(token))
        .one(&svc.db)
        .await?
        .is_some_and(|s| !ended(&s, svc, Utc::now())))
}

/// Deletes the sessions that have run out (the server does this every few
/// minutes); returns how many.
pub async fn purge(svc: &Services) -> Result<u64> {
    let now = Utc::now();
    let idle = now - Duration::minutes(svc.config.session_idle_minutes);
    Ok(session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lt(now))
                .add(session::Column::LastSeenAt.lt(idle))
                .add(
                    Condition::all()
                        .add(session::Column::LastSeenAt.is_null())
                        .add(session::Column::CreatedAt.lt(idle)),
                ),
        )
        .exec(&svc.db)
        .await?
        .rows_affected)
}

/// An argon2id hash of a random password, for constant-time misses.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Hq0n6sPzx1s+F0WQ9KQ6U3cTn0bJ2yqJvX7mVd8+8A";
