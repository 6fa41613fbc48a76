//! Building and running the web app: connect and migrate, repair what a
//! stopped server left, optionally load the demo city, bind, serve.

use crate::error::{Result, ServerError};
use crate::{db, routes};
use app::state::AppState;
use leptos::config::{get_configuration, Env, LeptosOptions};
use service::{store, Config, Services};
use std::net::SocketAddr;
use std::time::Duration;

/// What to start.
#[derive(Clone, Debug)]
pub struct Settings {
    pub database: String,
    /// Port 0: any free port (tests).
    pub addr: SocketAddr,
    /// Where the built site (pkg/, CSS, WASM) lives.
    pub site_root: String,
    /// Cookies, sessions, proxies, appeal deadlines.
    pub config: Config,
    /// Load the demo city (`above`, `below` enterprises) into an empty database.
    pub demo_if_empty: Option<(usize, usize)>,
    /// With the demo city, its year in data collection (2021: records, a
    /// draft ruleset, sign-off under way; `service::seed::collecting`).
    pub demo_collecting: bool,
}

impl Settings {
    pub fn new(database: &str) -> Settings {
        Settings {
            database: database.to_string(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: "target/site".into(),
            config: Config::default(),
            demo_if_empty: None,
            demo_collecting: false,
        }
    }
}

pub struct Application {
    listener: tokio::net::TcpListener,
    state: AppState,
    database: String,
}

fn leptos_options(addr: SocketAddr, site_root: &str) -> Result<LeptosOptions> {
    // Under `cargo leptos serve` the LEPTOS_* variables describe the build.
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        let mut o = get_configuration(None)
            .map_err(|e| ServerError::Other(e.to_string()))?
            .leptos_options;
        o.site_addr = addr;
        return Ok(o);
    }
    Ok(LeptosOptions::builder()
        .output_name("muyi")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .env(Env::PROD)
        .site_addr(addr)
        .hash_files(hash_file_present())
        .build())
}

/// Whether `scripts/front.sh` (or `cargo leptos build` with `hash-files`)
/// left the names of the hashed pkg/ files beside this binary: Leptos reads
/// them from there, and cannot do without them once hashing is on (the test
/// binaries have none).
fn hash_file_present() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("hash.txt")))
        .is_some_and(|p| p.exists())
}

/// Connects, migrates and makes sure the reference data is there.
pub async fn prepare_database(url: &str) -> Result<sea_orm::DatabaseConnection> {
    let db = db::connect(url).await?;
    db::migrate(&db).await?;
    store::ensure_counties(&db).await?;
    store::ensure_builtin_ruleset(&db).await?;
    service::targets::catalogue::sync(&db).await?;
    Ok(db)
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application> {
        let db = prepare_database(&settings.database).await?;
        for y in store::repair_stale_ranks(&db).await? {
            println!("{y} 年度的排名曾未写完，已按完整评价重写。/ Rewrote the stored results of {y} (ranks were left stale).");
        }
        let services = Services::new(db, settings.config.clone());
        if let Some((above, below)) = settings.demo_if_empty {
            if service::seed::has_data(&services.db).await? {
                println!("演示账户：admin、nanhu 等（密码 {}），完整列表见 README。/ Demo logins: see README (password {}).", service::seed::DEMO_PASSWORD, service::seed::DEMO_PASSWORD);
            } else {
                println!("首次启动：正在生成演示城市……");
                let accounts = service::seed::demo(&services, 2020, above, below).await?;
                if settings.demo_collecting {
                    service::seed::collecting(&services).await?;
                }
                print_accounts(&accounts);
            }
        }
        let listener = tokio::net::TcpListener::bind(settings.addr).await?;
        let addr = listener.local_addr()?;
        let state = AppState {
            leptos_options: leptos_options(addr, &settings.site_root)?,
            services,
        };
        Ok(Application {
            listener,
            state,
            database: settings.database,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| ([127, 0, 0, 1], 0).into())
    }

    pub fn services(&self) -> &Services {
        &self.state.services
    }

    /// Serves until `stop` resolves.
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        purge_sessions(self.state.services.clone());
        flush_rate_counts(self.state.services.clone());
        checkpoint_log(self.state.services.clone());
        if self.database.starts_with("postgres") {
            listen_for_other_processes(self.database.clone(), self.state.services.clone());
        }
        let app = routes::router(self.state);
        // Without TCP_NODELAY a response or pushed event written in two
        // small segments waits for the peer's delayed ACK (~40 ms).
        let listener = axum::serve::ListenerExt::tap_io(self.listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await?;
        Ok(())
    }
}

pub fn print_accounts(accounts: &[service::seed::DemoAccount]) {
    println!(
        "演示账户（密码均为 {}）/ demo accounts (password {}):",
        service::seed::DEMO_PASSWORD,
        service::seed::DEMO_PASSWORD
    );
    for a in accounts {
        println!("  {:<18} {:<16} {}", a.username, a.role, a.binding);
    }
}

/// Sessions that ran out are deleted every few minutes (they are refused
/// the moment they run out in any case), and so are password failures and
/// request counts old enough to be forgotten.
fn purge_sessions(svc: Services) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            match service::accounts::purge(&svc).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("purged {n} ended sessions"),
                Err(e) => tracing::warn!("purging sessions: {e}"),
            }
            if let Err(e) = svc.limiter.purge(&svc.db).await {
                tracing::warn!("purging password failures: {e}");
            }
            if let Err(e) = service::rate::RateLimiter::purge(&svc.db).await {
                tracing::warn!("purging request counts: {e}");
            }
        }
    });
}

/// How often this process's request counts are added to the shared ones.
const RATE_FLUSH: Duration = Duration::from_millis(250);

/// The open API's request counts, shared with the other processes
/// (`service::rate`).
fn flush_rate_counts(svc: Services) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RATE_FLUSH);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = svc.rate.flush(&svc.db).await {
                tracing::warn!("sharing request counts: {e}");
            }
        }
    });
}

/// SQLite's log is copied into the database file every few seconds, off
/// every writer's path (see `db::connect`).
fn checkpoint_log(svc: Services) {
    if svc.db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(crate::db::CHECKPOINT_EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = crate::db::checkpoint(&svc.db).await {
                tracing::warn!("checkpointing the SQLite log: {e}");
            }
        }
    });
}

/// With PostgreSQL, other server processes NOTIFY their writes, their
/// publications and ended sessions; apply them here, so that every open
/// screen hears of every change and no cached public page outlives a
/// correction published elsewhere.
fn listen_for_other_processes(url: String, svc: Services) {
    use sea_orm::sqlx::postgres::PgListener;
    tokio::spawn(async move {
        loop {
            match PgListener::connect(&url).await {
                Ok(mut listener) => {
                    let mut channels = vec![service::live::CHANNEL];
                    channels.extend(service::signals::CHANNELS);
                    if listener.listen_all(channels).await.is_ok() {
                        // Whatever was published while not listening
                        // (read again by the next reader, not at start-up).
                        svc.disclosures.forget_index();
                        while let Ok(n) = listener.recv().await {
                            if n.channel() != service::live::CHANNEL {
                                service::signals::apply(&svc, n.channel(), n.payload());
                            } else if let Err(e) = svc.live.apply_notice(&svc.db, n.payload()).await
                            {
                                tracing::warn!("applying a change from another process: {e}");
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!("LISTEN connection failed: {e}"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}
