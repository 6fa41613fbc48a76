//! Failed password checks, counted per key with growing delays: a key has a
//! few free failures, then waits `base` after the next, twice that after
//! the one after, up to [`MAX_FACTOR`]·`base`; a key without a failure for
//! [`FORGET_FACTOR`]·`base` is forgotten. Keys are chosen so that nobody
//! can lock out someone else: a user name is counted per client address
//! (the owner signing in from their own address is not held up by a
//! stranger guessing elsewhere), an address over all the names it tries,
//! and a signed-in user's own password checks per user and per session.
//!
//! The memory it takes is bounded whatever is sent: keys are 64-bit keyed
//! hashes (a user name of any length costs eight bytes) and the table
//! never holds more than its capacity: expired keys are swept when it
//! fills, and while it is full of live ones a new key is not counted (the
//! address limit still applies to it).
//!
//! The same table hands out **turns** for the password hashing itself: one
//! hash at a time per owner (a client address, a user), so that a flood of
//! parallel guesses from one owner queues behind itself and holds at most
//! one of the machine's hashing slots, while everyone else's login goes on.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Debug)]
pub struct LoginLimiter {
    base: Duration,
    capacity: usize,
    hasher: RandomState,
    failures: Mutex<HashMap<u64, Failures>>,
    turns: Mutex<HashMap<u64, Arc<tokio::sync::Mutex<()>>>>,
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
    pub fn new(base: Duration, capacity: usize) -> LoginLimiter {
        LoginLimiter {
            base,
            capacity,
            hasher: RandomState::new(),
            failures: Mutex::new(HashMap::new()),
            turns: Mutex::new(HashMap::new()),
        }
    }

    fn hash(&self, key: Key<'_>) -> u64 {
        match key {
            Key::UserAt(name, ip) => self.hasher.hash_one(("user", name, ip)),
            Key::Address(ip) => self.hasher.hash_one(("addr", ip)),
            Key::Account(id) => self.hasher.hash_one(("account", id)),
            Key::Session(token) => self.hasher.hash_one(("session", token)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Failures>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn forgotten(&self, f: &Failures, now: Instant) -> bool {
        now.duration_since(f.last) >= self.base * FORGET_FACTOR
    }

    /// Seconds still to wait when `key` has used its free failures.
    pub fn check(&self, key: Key<'_>) -> Result<(), u64> {
        let now = Instant::now();
        let h = self.hash(key);
        let mut map = self.lock();
        let Some(f) = map.get(&h).copied() else {
            return Ok(());
        };
        if self.forgotten(&f, now) {
            map.remove(&h);
            return Ok(());
        }
        let until = f.last + delay(self.base, key.free(), f.count);
        if until > now {
            let wait = until - now;
            return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        }
        Ok(())
    }

    /// Counts one failure.
    pub fn fail(&self, key: Key<'_>) {
        let now = Instant::now();
        let h = self.hash(key);
        let mut map = self.lock();
        if !map.contains_key(&h) && map.len() >= self.capacity {
            let forget = self.base * FORGET_FACTOR;
            map.retain(|_, f| now.duration_since(f.last) < forget);
            if map.len() >= self.capacity {
                tracing::warn!(
                    "login limiter full ({} keys); a new key is not counted",
                    map.len()
                );
                return;
            }
        }
        let f = map.entry(h).or_insert(Failures {
            count: 0,
            last: now,
        });
        if self.forgotten(f, now) {
            f.count = 0;
        }
        f.count = f.count.saturating_add(1);
        f.last = now;
    }

    pub fn clear(&self, key: Key<'_>) {
        let h = self.hash(key);
        self.lock().remove(&h);
    }

    /// Keys held now (for tests and the log).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits for the owner's turn to hash: one at a time per owner, first
    /// come first served among the owner's own requests.
    pub async fn turn(&self, owner: Key<'_>) -> Turn<'_> {
        let h = self.hash(owner);
        let lane = {
            let mut turns = self.turns.lock().unwrap_or_else(|p| p.into_inner());
            turns.entry(h).or_default().clone()
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
    key: u64,
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

    #[test]
    fn a_name_waits_only_at_the_address_that_failed() {
        let l = LoginLimiter::new(Duration::from_millis(200), 100);
        for _ in 0..FREE_USER_AT {
            assert!(l.check(Key::UserAt("a", HERE)).is_ok());
            l.fail(Key::UserAt("a", HERE));
        }
        assert!(l.check(Key::UserAt("a", HERE)).is_err());
        assert!(l.check(Key::UserAt("a", THERE)).is_ok(), "owner elsewhere");
        assert!(l.check(Key::UserAt("b", HERE)).is_ok(), "other names");
        std::thread::sleep(Duration::from_millis(250));
        assert!(l.check(Key::UserAt("a", HERE)).is_ok(), "after the delay");
        // The next failure doubles the wait.
        l.fail(Key::UserAt("a", HERE));
        std::thread::sleep(Duration::from_millis(250));
        assert!(l.check(Key::UserAt("a", HERE)).is_err(), "twice the delay");
        std::thread::sleep(Duration::from_millis(200));
        assert!(l.check(Key::UserAt("a", HERE)).is_ok());
    }

    #[test]
    fn forgets_after_a_quiet_while() {
        let l = LoginLimiter::new(Duration::from_millis(1), 100);
        for _ in 0..3 {
            l.fail(Key::Account(7));
        }
        std::thread::sleep(Duration::from_millis(150));
        assert!(l.check(Key::Account(7)).is_ok());
        assert!(l.is_empty(), "the quiet key is gone");
    }

    #[test]
    fn memory_is_bounded_whatever_is_sent() {
        let l = LoginLimiter::new(Duration::from_secs(300), 1000);
        let long = "x".repeat(100_000);
        for i in 0..5000 {
            l.fail(Key::UserAt(&format!("{long}{i}"), HERE));
            l.fail(Key::UserAt("same", HERE));
        }
        assert!(l.len() <= 1000);
        assert!(
            l.check(Key::UserAt("same", HERE)).is_err(),
            "a counted key stays counted"
        );
    }

    #[tokio::test]
    async fn one_turn_per_owner_and_lanes_are_removed() {
        let l = Arc::new(LoginLimiter::new(Duration::from_secs(1), 10));
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
