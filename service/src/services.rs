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
    /// A session ends after this long without a request.
    pub session_idle_minutes: i64,
    /// Reverse proxies believed about the client's address and scheme.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The wait after a key's free password failures; doubled at each
    /// further failure, up to 30 times it (`accounts::throttle`).
    pub login_delay: Duration,
    /// Days a one-time password works before it must be reissued.
    pub one_time_password_days: i64,
    /// Working days a reviewer has to decide an appeal.
    pub appeal_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cookie_secure: false,
            session_hours: 12,
            session_idle_minutes: 60,
            trusted_proxies: vec![],
            login_delay: Duration::from_secs(30),
            one_time_password_days: 7,
            appeal_days: 10,
        }
    }
}

#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    /// Failed password checks, and the turns at hashing (`accounts::throttle`).
    pub limiter: Arc<LoginLimiter>,
    /// Each year's graded state and the stream of changes to open screens.
    pub live: Arc<Live>,
    /// The imports this process is committing: their progress.
    pub imports: Arc<Jobs>,
    /// Published versions, served from memory.
    pub disclosures: Arc<crate::disclosure::read::Cache>,
    /// Requests per client address to the open API (`rate`).
    pub rate: Arc<crate::rate::RateLimiter>,
    /// Users some of whose sessions just ended: their live streams check.
    pub sessions_ended: tokio::sync::broadcast::Sender<i32>,
}

impl Services {
    pub fn new(db: DatabaseConnection, config: Config) -> Services {
        Services {
            db,
            limiter: Arc::new(LoginLimiter::new(config.login_delay)),
            config: Arc::new(config),
            live: Arc::new(Live::new()),
            imports: Arc::default(),
            disclosures: Arc::default(),
            rate: Arc::default(),
            sessions_ended: tokio::sync::broadcast::channel(256).0,
        }
    }
}
