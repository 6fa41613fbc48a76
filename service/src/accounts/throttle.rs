//! Failed password checks, counted per key with growing delays: a key has a
//! few free failures, then waits `base` after the next, twice that after
//! the one after, up to [`MAX_FACTOR`]·`base`; a key without a failure for
//! [`FORGET_FACTOR`]·`base` is forgotten. Keys are chosen so that nobody
//! can lock out someone else: a user name is counted per client address
//! (the owner signing in from their own address is not held up by a
//! stranger guessing elsewhere), an address over all the names it tries,
//! and a signed-in user's own password checks per user and per session.
//!
//! The failures are kept in the database (`login_failures`), so that every
//! server process behind a load balancer counts the same failures and
//! locks after the same number, whichever gets them. Keys are stored as
//! SHA-256 hashes (a user name of any length costs one fixed-size row), and
//! a key without a failure for a while is deleted by the periodic purge.
//! A flood of distinct names from one address is itself held up by the
//! address's key, so the table grows with the number of client addresses,
//! not with what they send.
//!
//! The limiter also hands out **turns** for the password hashing itself:
//! one hash at a time per owner (a client address, a user), so that a
//! flood of parallel guesses from one owner queues behind itself and holds
//! at most one of the machine's hashing slots, while everyone else's login
//! goes on. Turns are per process, as the cores they share are.

use crate::Result;
use chrono::{DateTime, Utc};
use entity::login_failure;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a failure is counted against.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    /// One user name tried from one client address (the login).
    UserAt(&'a str, IpAddr),
    /// Every failed login from one client address, whatever the name.
    Address(IpAddr),
    /// A signed-in user's checks of their own password, over all sessions.
    Account(i32),
    /// The same, from one session (by its token's hash).
    Session(&'a str),
}

/// Failures a key may have before it waits.
pub const FREE_USER_AT: u32 = 5;
pub const FREE_ADDRESS: u32 = 50;
pub const FREE_ACCOUNT: u32 = 10;
pub const FREE_SESSION: u32 = 5;

/// The longest wait, as a multiple of the base delay (30 s → 15 min).
pub const MAX_FACTOR: u32 = 30;
/// A key with no failure for this many base delays is forgotten (30 s → 1 h).
pub const FORGET_FACTOR: u32 = 120;

impl Key<'_> {
    pub fn free(&self) -> u32 {
        match self {
            Key::UserAt(..) => FREE_USER_AT,
            Key::Address(_) => FREE_ADDRESS,
            Key::Account(_) => FREE_ACCOUNT,
            Key::Session(_) => FREE_SESSION,
        }
    }
}

#[derive(Debug)]
pub struct LoginLimiter {
    base: Duration,
    turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Password hashes computed at once: each takes ~20 MB and tens of
    /// milliseconds of a core, so a crowd signing in together queues here
    /// (first come, first served) instead of thrashing the machine.
    hashing: tokio::sync::Semaphore,
}

/// The wait after `count` failures of a key allowed `free` of them.
pub fn delay(base: Duration, free: u32, count: u32) -> Duration {
    if count < free {
        return Duration::ZERO;
    }
    let doublings = (count - free).min(16);
    (base * 2u32.pow(doublings)).min(base * MAX_FACTOR)
}

impl LoginLimiter {
    /// `base`: the wait after the first failure over the free ones.
    pub fn new(base: Duration) -> LoginLimiter {
        LoginLimiter {
            base,
            turns: Mutex::new(HashMap::new()),
            hashing: tokio::sync::Semaphore::new(2),
        }
    }

    /// A turn at hashing a password (see the field).
    pub async fn hashing(&self) -> crate::Result<tokio::sync::SemaphorePermit<'_>> {
        self.hashing
            .acquire()
            .await
            .map_err(crate::ServiceError::internal)
    }

    /// The key's row: the same in every process.
    fn hash(key: Key<'_>) -> String {
        use sha2::{Digest, Sha256};
        let text = match key {
            Key::UserAt(name, ip) => format!("user\u{0}{name}\u{0}{ip}"),
            Key::Address(ip) => format!("addr\u{0}{ip}"),
            Key::Account(id) => format!("account\u{0}{id}"),
            Key::Session(token) => format!("session\u{0}{token}"),
        };
        Sha256::digest(text.as_bytes())
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn forget_after(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.base * FORGET_FACTOR).unwrap_or(chrono::Duration::MAX)
    }

    /// Seconds still to wait when `key` has used its free failures.
    pub async fn check(
        &self,
        db: &impl ConnectionTrait,
        key: Key<'_>,
    ) -> Result<std::result::Result<(), u64>> {
        let now = Utc::now();
        let Some(f) = login_failure::Entity::find_by_id(Self::hash(key))
            .one(db)
            .await?
        else {
            return Ok(Ok(()));
        };
        if now - f.last_at >= self.forget_after() {
            return Ok(Ok(()));
        }
        let wait = delay(self.base, key.free(), f.count.max(0) as u32);
        let until = f.last_at + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
        if until > now {
            let ms = (until - now).num_milliseconds().max(1) as u64;
            return Ok(Err(ms.div_ceil(1000)));
        }
        Ok(Ok(()))
    }

    /// Counts one failure: one statement, so failures arriving at several
    /// processes at once are all counted. A key quiet for long enough
    /// starts again from one.
    pub async fn fail(&self, db: &impl ConnectionTrait, key: Key<'_>) -> Result<()> {
        let now: DateTime<Utc> = Utc::now();
        let h = Self::hash(key);
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Key.eq(h.clone()))
            .filter(login_failure::Column::LastAt.lt(now - self.forget_after()))
            .exec(db)
            .await?;
        login_failure::Entity::insert(login_failure::ActiveModel {
            key: Set(h),
            count: Set(1),
            last_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(login_failure::Column::Key)
                .value(
                    login_failure::Column::Count,
                    sea_orm::sea_query::ExprTrait::add(
                        Expr::col((login_failure::Entity, login_failure::Column::Count)),
                        1,
                    ),
                )
                .update_column(login_failure::Column::LastAt)
                .to_owned(),
        )
        .exec(db)
        .await?;
        Ok(())
    }

    pub async fn clear(&self, db: &impl ConnectionTrait, key: Key<'_>) -> Result<()> {
        login_failure::Entity::delete_by_id(Self::hash(key))
            .exec(db)
            .await?;
        Ok(())
    }

    /// Deletes the keys quiet long enough to be forgotten.
    pub async fn purge(&self, db: &impl ConnectionTrait) -> Result<u64> {
        let r = login_failure::Entity::delete_many()
            .filter(login_failure::Column::LastAt.lt(Utc::now() - self.forget_after()))
            .exec(db)
            .await?;
        Ok(r.rows_affected)
    }

    /// Waits for the owner's turn to hash: one at a time per owner, first
    /// come first served among the owner's own requests.
    pub async fn turn(&self, owner: Key<'_>) -> Turn<'_> {
        let h = Self::hash(owner);
        let lane = {
            let mut turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
            turns.entry(h.clone()).or_default().clone()
        };
        let guard = lane.clone().lock_owned().await;
        Turn {
            limiter: self,
            key: h,
            lane,
            guard: Some(guard),
        }
    }

    /// Owners with a hash running or queued (for tests).
    pub fn lanes(&self) -> usize {
        self.turns.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// An owner's turn at hashing; the next of the owner's requests goes on
/// when it is dropped.
pub struct Turn<'a> {
    limiter: &'a LoginLimiter,
    key: String,
    lane: Arc<tokio::sync::Mutex<()>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.guard.take();
        let mut turns = self.limiter.turns.lock().unwrap_or_else(|p| p.into_inner());
        // The map's handle and ours: nobody else waits in this lane.
        if Arc::strong_count(&self.lane) == 2 {
            turns.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const THERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn delays_grow_and_stop_at_the_cap() {
        let b = Duration::from_secs(30);
        assert_eq!(delay(b, 5, 4), Duration::ZERO);
        assert_eq!(delay(b, 5, 5), b);
        assert_eq!(delay(b, 5, 6), b * 2);
        assert_eq!(delay(b, 5, 7), b * 4);
        assert_eq!(delay(b, 5, 40), b * MAX_FACTOR);
        assert_eq!(delay(b, 5, u32::MAX), b * MAX_FACTOR);
    }

    /// A fresh database of one connection (an in-memory SQLite database
    /// is per connection).
    async fn db() -> sea_orm::DatabaseConnection {
        use migration::MigratorTrait;
        let mut o = sea_orm::ConnectOptions::new("sqlite::memory:");
        o.max_connections(1).sqlx_logging(false);
        let db = sea_orm::Database::connect(o).await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        db
    }

    async fn waits(l: &LoginLimiter, db: &sea_orm::DatabaseConnection, k: Key<'_>) -> bool {
        l.check(db, k).await.unwrap().is_err()
    }

    #[tokio::test]
    async fn a_name_waits_only_at_the_address_that_failed() {
        let db = db().await;
        let l = LoginLimiter::new(Duration::from_millis(300));
        for _ in 0..FREE_USER_AT {
            assert!(!waits(&l, &db, Key::UserAt("a", HERE)).await);
            l.fail(&db, Key::UserAt("a", HERE)).await.unwrap();
        }
        assert!(waits(&l, &db, Key::UserAt("a", HERE)).await);
        assert!(
            !waits(&l, &db, Key::UserAt("a", THERE)).await,
            "owner elsewhere"
        );
        assert!(!waits(&l, &db, Key::UserAt("b", HERE)).await, "other names");
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert!(
            !waits(&l, &db, Key::UserAt("a", HERE)).await,
            "after the delay"
        );
        // The next failure doubles the wait.
        l.fail(&db, Key::UserAt("a", HERE)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert!(
            waits(&l, &db, Key::UserAt("a", HERE)).await,
            "twice the delay"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waits(&l, &db, Key::UserAt("a", HERE)).await);
    }

    #[tokio::test]
    async fn two_limiters_on_one_database_count_the_same_failures() {
        // Two server processes: failures at either lock both.
        let db = db().await;
        let (a, b) = (
            LoginLimiter::new(Duration::from_secs(30)),
            LoginLimiter::new(Duration::from_secs(30)),
        );
        for i in 0..FREE_USER_AT {
            let l = if i % 2 == 0 { &a } else { &b };
            assert!(!waits(l, &db, Key::UserAt("a", HERE)).await);
            l.fail(&db, Key::UserAt("a", HERE)).await.unwrap();
        }
        assert!(waits(&a, &db, Key::UserAt("a", HERE)).await);
        assert!(waits(&b, &db, Key::UserAt("a", HERE)).await);
        b.clear(&db, Key::UserAt("a", HERE)).await.unwrap();
        assert!(
            !waits(&a, &db, Key::UserAt("a", HERE)).await,
            "cleared for both"
        );
    }

    #[tokio::test]
    async fn forgets_after_a_quiet_while() {
        let db = db().await;
        let l = LoginLimiter::new(Duration::from_millis(1));
        for _ in 0..12 {
            l.fail(&db, Key::Account(7)).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert!(!waits(&l, &db, Key::Account(7)).await);
        assert_eq!(l.purge(&db).await.unwrap(), 1, "the quiet key is deleted");
        // A key failing again after a quiet while starts from one.
        l.fail(&db, Key::Account(7)).await.unwrap();
        let row = login_failure::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.count, 1);
    }

    #[tokio::test]
    async fn a_key_of_any_length_is_one_fixed_size_row() {
        let db = db().await;
        let l = LoginLimiter::new(Duration::from_secs(300));
        let long = "x".repeat(100_000);
        for i in 0..50 {
            l.fail(&db, Key::UserAt(&format!("{long}{i}"), HERE))
                .await
                .unwrap();
            l.fail(&db, Key::UserAt("same", HERE)).await.unwrap();
        }
        let rows = login_failure::Entity::find().all(&db).await.unwrap();
        assert_eq!(rows.len(), 51);
        assert!(rows.iter().all(|r| r.key.len() == 32));
        assert!(
            waits(&l, &db, Key::UserAt("same", HERE)).await,
            "a counted key stays counted"
        );
    }

    #[tokio::test]
    async fn one_turn_per_owner_and_lanes_are_removed() {
        let l = Arc::new(LoginLimiter::new(Duration::from_secs(1)));
        let first = l.turn(Key::Account(1)).await;
        // Another owner is not held up.
        drop(l.turn(Key::Account(2)).await);
        let l2 = l.clone();
        let waiting = tokio::spawn(async move {
            let _t = l2.turn(Key::Account(1)).await;
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the owner's second hash waits");
        drop(first);
        waiting.await.unwrap();
        assert_eq!(l.lanes(), 0);
    }
}
