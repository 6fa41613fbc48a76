//! What one server process tells the others, through the database: with
//! PostgreSQL, NOTIFY on a channel that every process LISTENs to (the
//! server's listener hands each notice to [`apply`]); with SQLite one
//! process serves, and telling itself is enough.
//!
//! Grade changes have their own channel and payload (`live`); these are
//! the rest: a publication (cached public pages and the disclosure index
//! are dropped everywhere at once) and sessions that ended (open event
//! streams of that user check their session now, not at their next tick).

use crate::{Result, Services};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// A new version was published (a first publication, a correction, a
/// withdrawal): no payload.
pub const PUBLISHED: &str = "muyi_published";
/// Some sessions of a user ended: the user's id.
pub const SESSIONS_ENDED: &str = "muyi_sessions_ended";

/// The channels [`apply`] understands (the listener subscribes to these).
pub const CHANNELS: [&str; 2] = [PUBLISHED, SESSIONS_ENDED];

/// NOTIFYs `channel` (PostgreSQL only; with SQLite there is no other
/// process to tell).
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    channel: &str,
    payload: String,
) -> Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [channel.into(), payload.into()],
    ))
    .await?;
    Ok(())
}

/// This process published: its own caches now, the others' by notice.
pub async fn published(svc: &Services) -> Result<()> {
    fresh_publications(svc);
    notify(&svc.db, PUBLISHED, String::new()).await
}

/// Drops the disclosure index (and with it the cached public pages), and
/// reads the new versions in the background, ahead of the first reader.
fn fresh_publications(svc: &Services) {
    svc.disclosures.forget_index();
    let svc = svc.clone();
    tokio::spawn(async move {
        if let Err(e) = crate::disclosure::read::warm(&svc).await {
            tracing::warn!("reading the new publication ahead: {e}");
        }
    });
}

/// Sessions of `user` ended (signed out, password changed, reset).
pub async fn sessions_ended(svc: &Services, user: i32) -> Result<()> {
    let _ = svc.sessions_ended.send(user);
    notify(&svc.db, SESSIONS_ENDED, user.to_string()).await
}

/// A notice from another process (or this one: applying it twice is
/// harmless).
pub fn apply(svc: &Services, channel: &str, payload: &str) {
    match channel {
        PUBLISHED => fresh_publications(svc),
        SESSIONS_ENDED => {
            if let Ok(user) = payload.parse() {
                let _ = svc.sessions_ended.send(user);
            }
        }
        _ => {}
    }
}
