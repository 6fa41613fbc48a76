//! The services handle: what every workflow needs besides its arguments.
//! Built once by the server (or a test, or the command line) and cloned
//! into every request.

use crate::accounts::LoginLimiter;
use crate::imports::jobs::Jobs;
use crate::live::Live;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// Mark cookies `Secure` (behind HTTPS in production).
    pub cookie_secure: bool,
    /// Session lifetime.
    pub session_hours: i64,
    /// Working days a reviewer has to decide an appeal.
    pub appeal_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cookie_secure: false,
            session_hours: 12,
            appeal_days: 10,
        }
    }
}

#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    /// Failed logins per user name and per client address.
    pub limiter: Arc<LoginLimiter>,
    /// Each year's graded state and the stream of changes to open screens.
    pub live: Arc<Live>,
    /// Previewed and running imports.
    pub imports: Arc<Jobs>,
    /// Published versions, served from memory.
    pub disclosures: Arc<crate::disclosure::read::Cache>,
}

impl Services {
    pub fn new(db: DatabaseConnection, config: Config) -> Services {
        Services {
            db,
            config: Arc::new(config),
            limiter: Arc::new(LoginLimiter::new(Duration::from_secs(300))),
            live: Arc::new(Live::new()),
            imports: Arc::default(),
            disclosures: Arc::default(),
        }
    }
}
