//! Server-side state shared by routes and server functions.

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Config {
    /// Mark cookies `Secure` (behind HTTPS in production).
    pub cookie_secure: bool,
    /// Session lifetime.
    pub session_hours: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cookie_secure: false,
            session_hours: 12,
        }
    }
}

/// The one state struct: database, Leptos options, config, login limiter.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub limiter: Arc<LoginLimiter>,
    pub live: Arc<crate::live::Live>,
    /// Previewed and running imports, by id.
    pub imports: Arc<tokio::sync::Mutex<HashMap<String, crate::imports::Job>>>,
}

/// Counts failed logins per key (user name, client address) in a sliding
/// window, so password guessing is slowed without locking anyone out for long.
#[derive(Debug)]
pub struct LoginLimiter {
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    pub fn new(window: Duration) -> LoginLimiter {
        LoginLimiter {
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds to wait when `key` already has `limit` failures in the window.
    pub fn check(&self, key: &str, limit: usize) -> Result<(), u64> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let list = map.entry(key.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        if list.len() >= limit {
            let oldest = list.first().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        Ok(())
    }

    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.to_string()).or_default().push(Instant::now());
    }

    pub fn clear(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }
}
