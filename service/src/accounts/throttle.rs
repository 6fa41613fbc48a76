//! Failed logins counted per user name and per client address in a sliding
//! window: guessing is slowed, nobody is locked out for longer than the
//! window, and the memory it takes is bounded whatever is sent. Keys are
//! kept as 64-bit keyed hashes (a user name of any length costs eight
//! bytes), each key keeps at most `limit` instants, and the table never
//! holds more than [`LoginLimiter::capacity`] keys: expired ones are swept
//! when it fills, and while it is full of live ones a new key is not
//! counted (the address limit still applies to it).

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a failure is counted against.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    User(&'a str),
    Address(IpAddr),
}

#[derive(Debug)]
pub struct LoginLimiter {
    window: Duration,
    capacity: usize,
    hasher: RandomState,
    failures: Mutex<HashMap<u64, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(window: Duration, capacity: usize) -> LoginLimiter {
        LoginLimiter {
            window,
            capacity,
            hasher: RandomState::new(),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn hash(&self, key: Key<'_>) -> u64 {
        match key {
            Key::User(name) => self.hasher.hash_one(("user", name)),
            Key::Address(ip) => self.hasher.hash_one(("addr", ip)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, VecDeque<Instant>>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Seconds to wait when `key` already has `limit` failures in the window.
    pub fn check(&self, key: Key<'_>, limit: usize) -> Result<(), u64> {
        let now = Instant::now();
        let h = self.hash(key);
        let mut map = self.lock();
        let Some(list) = map.get_mut(&h) else {
            return Ok(());
        };
        while list
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            list.pop_front();
        }
        if list.is_empty() {
            map.remove(&h);
            return Ok(());
        }
        if list.len() >= limit {
            let oldest = list.front().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        Ok(())
    }

    /// Counts one failure; keeps at most `limit` of them for the key.
    pub fn fail(&self, key: Key<'_>, limit: usize) {
        let now = Instant::now();
        let h = self.hash(key);
        let mut map = self.lock();
        if !map.contains_key(&h) && map.len() >= self.capacity {
            let window = self.window;
            map.retain(|_, l| l.back().is_some_and(|t| now.duration_since(*t) < window));
            if map.len() >= self.capacity {
                tracing::warn!(
                    "login limiter full ({} keys); a new key is not counted",
                    map.len()
                );
                return;
            }
        }
        let list = map.entry(h).or_default();
        list.push_back(now);
        while list.len() > limit.max(1) {
            list.pop_front();
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_then_forgets_after_the_window() {
        let l = LoginLimiter::new(Duration::from_millis(200), 100);
        for _ in 0..3 {
            assert!(l.check(Key::User("a"), 3).is_ok());
            l.fail(Key::User("a"), 3);
        }
        assert!(l.check(Key::User("a"), 3).is_err());
        assert!(l.check(Key::User("b"), 3).is_ok(), "other names unaffected");
        std::thread::sleep(Duration::from_millis(250));
        assert!(
            l.check(Key::User("a"), 3).is_ok(),
            "unlocked after the window"
        );
        assert!(l.is_empty(), "the expired key is gone");
    }

    #[test]
    fn memory_is_bounded_whatever_is_sent() {
        let l = LoginLimiter::new(Duration::from_secs(300), 1000);
        let long = "x".repeat(100_000);
        for i in 0..5000 {
            l.fail(Key::User(&format!("{long}{i}")), 5);
            l.fail(Key::User("same"), 5);
        }
        assert!(l.len() <= 1000);
        assert!(
            l.check(Key::User("same"), 5).is_err(),
            "a counted key stays counted"
        );
    }
}
