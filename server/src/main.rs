//! `server`: the 亩均 web server and its command line.

mod db;
mod error;
mod export;
mod grade_cmd;
mod routes;
mod seed;

use app::state::{AppState, Config, LoginLimiter};
use app::store;
use clap::{Parser, Subcommand, ValueEnum};
use error::{Result, ServerError};
use leptos::config::{get_configuration, Env, LeptosOptions};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "server", about = "亩均：嘉兴市工业企业绩效综合评价平台")]
struct Cli {
    /// Database URL (SQLite or PostgreSQL).
    #[arg(long, global = true, env = "DATABASE_URL", default_value = db::DEFAULT_URL)]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScopeArg {
    City,
    County,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations and serve the web app.
    Serve {
        #[arg(long, env = "MUYI_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Where the built site (pkg/, CSS, WASM) lives.
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
        /// Load the demo city first when the database holds no data.
        #[arg(long)]
        demo_if_empty: bool,
        /// Mark cookies Secure (behind HTTPS).
        #[arg(long, env = "MUYI_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Apply pending migrations.
    Migrate,
    /// Load data: `--demo` generates the demo city and demo accounts.
    Seed {
        #[arg(long)]
        demo: bool,
        #[arg(long, default_value_t = 2020)]
        seed: u64,
        /// Above-size enterprises.
        #[arg(long, default_value_t = 6000)]
        above: usize,
        /// Below-size enterprises.
        #[arg(long, default_value_t = 20000)]
        below: usize,
        /// Do nothing when the database already holds data.
        #[arg(long)]
        if_empty: bool,
    },
    /// Import an interchange file (CSV or .xlsx) into the database, all or nothing.
    Import {
        file: PathBuf,
        /// Recorded in the audit log as the importing user.
        #[arg(long = "as", default_value = "cli")]
        actor: String,
    },
    /// Grade a file without a database and write the result file.
    Grade {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        output: PathBuf,
        #[arg(long, value_enum)]
        scope: Option<ScopeArg>,
        /// A ruleset file (TOML or JSON); the built-in 2020 ruleset otherwise.
        #[arg(long)]
        ruleset: Option<PathBuf>,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Create an account (the password is read from standard input when not given).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, value_parser = ["city_admin", "county_official", "department", "enterprise"])]
        role: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        county: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        uscc: Option<String>,
        #[arg(long, env = "MUYI_PASSWORD")]
        password: Option<String>,
    },
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
        .build())
}

fn print_accounts(accounts: &[seed::DemoAccount]) {
    println!(
        "演示账户（密码均为 {}）/ demo accounts (password {}):",
        seed::DEMO_PASSWORD,
        seed::DEMO_PASSWORD
    );
    for a in accounts {
        println!("  {:<18} {:<16} {}", a.username, a.role, a.binding);
    }
}

async fn serve(
    database: &str,
    addr: SocketAddr,
    site_root: &str,
    demo_if_empty: bool,
    secure: bool,
) -> Result<()> {
    let db = db::connect(database).await?;
    db::migrate(&db).await?;
    store::ensure_counties(&db).await?;
    store::ensure_builtin_ruleset(&db).await?;
    for y in store::repair_stale_ranks(&db).await? {
        println!("{y} 年度的排名曾未写完，已按完整评价重写。/ Rewrote the stored results of {y} (ranks were left stale).");
    }
    if demo_if_empty {
        if seed::has_data(&db).await? {
            println!("演示账户：admin、nanhu 等（密码 {}），完整列表见 README。/ Demo logins: see README (password {}).", seed::DEMO_PASSWORD, seed::DEMO_PASSWORD);
        } else {
            println!("首次启动：正在生成演示城市……");
            let accounts = seed::demo(&db, 2020, 6000, 20000).await?;
            print_accounts(&accounts);
        }
    }
    let state = AppState {
        leptos_options: leptos_options(addr, site_root)?,
        db,
        config: Arc::new(Config {
            cookie_secure: secure,
            ..Config::default()
        }),
        limiter: Arc::new(LoginLimiter::new(Duration::from_secs(300))),
        live: Arc::new(app::live::Live::new()),
        imports: Arc::default(),
    };
    if database.starts_with("postgres") {
        listen_for_other_processes(database.to_string(), state.clone());
    }
    let app = routes::router(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    // Without TCP_NODELAY a response or pushed event written in two small
    // segments waits for the peer's delayed ACK (~40 ms) before the second.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// With PostgreSQL, other server processes NOTIFY their saves; apply them
/// here so every open screen hears of every change.
fn listen_for_other_processes(url: String, state: AppState) {
    use sea_orm::sqlx::postgres::PgListener;
    tokio::spawn(async move {
        loop {
            match PgListener::connect(&url).await {
                Ok(mut listener) => {
                    if listener.listen(app::live::CHANNEL).await.is_ok() {
                        while let Ok(n) = listener.recv().await {
                            if let Err(e) = state.live.apply_notice(&state.db, n.payload()).await {
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

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            addr,
            site_root,
            demo_if_empty,
            secure_cookies,
        } => {
            serve(
                &cli.database,
                addr,
                &site_root,
                demo_if_empty,
                secure_cookies,
            )
            .await
        }
        Command::Migrate => {
            let db = db::connect(&cli.database).await?;
            db::migrate(&db).await?;
            store::ensure_counties(&db).await?;
            store::ensure_builtin_ruleset(&db).await?;
            println!("数据库已是最新结构。");
            Ok(())
        }
        Command::Seed {
            demo,
            seed,
            above,
            below,
            if_empty,
        } => {
            if !demo {
                return Err(ServerError::Input(
                    "只支持 --demo（演示数据）；真实数据请用 server import。".into(),
                ));
            }
            let db = db::connect(&cli.database).await?;
            db::migrate(&db).await?;
            if seed::has_data(&db).await? {
                if if_empty {
                    println!("数据库已有数据，跳过演示数据。");
                    return Ok(());
                }
                return Err(ServerError::Input(
                    "数据库已有数据：演示数据只装入空数据库。".into(),
                ));
            }
            let accounts = seed::demo(&db, seed, above, below).await?;
            println!("已生成演示城市：{above} 家规上、{below} 家规下企业（2019、2020 年度）。");
            print_accounts(&accounts);
            Ok(())
        }
        Command::Import { file, actor } => {
            let db = db::connect(&cli.database).await?;
            db::migrate(&db).await?;
            store::ensure_counties(&db).await?;
            store::ensure_builtin_ruleset(&db).await?;
            use app::imports::pipeline::{commit, prepare, ImportScope, Progress};
            let table = app::dataio::read_table(&file)?;
            let prepared = prepare(&db, &table, &ImportScope::default())
                .await
                .map_err(|errs| {
                    ServerError::Input(app::dataio::report(&errs, "未导入任何数据。"))
                })?;
            let source = format!(
                "import:{}",
                file.file_name().and_then(|n| n.to_str()).unwrap_or("file")
            );
            let r = commit(&db, prepared, &actor, None, &source, &Progress::default()).await?;
            println!(
                "导入完成：新增 {} 条，更新 {} 条（{} 个字段），未变 {} 条。",
                r.created, r.updated, r.changed_fields, r.unchanged
            );
            Ok(())
        }
        Command::Grade {
            input,
            output,
            scope,
            ruleset,
        } => {
            let scope = scope.map(|s| match s {
                ScopeArg::City => grading::ruleset::Scope::City,
                ScopeArg::County => grading::ruleset::Scope::County,
            });
            let n = grade_cmd::run(&input, &output, scope, ruleset.as_deref())?;
            println!("已评价 {n} 条记录，结果写入 {}", output.display());
            Ok(())
        }
        Command::User {
            action:
                UserAction::Add {
                    username,
                    role,
                    name,
                    county,
                    department,
                    uscc,
                    password,
                },
        } => {
            let password = match password {
                Some(p) => p,
                None => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            if password.chars().count() < 8 {
                return Err(ServerError::Input("密码至少 8 个字符".into()));
            }
            let need = |ok: bool, what: &str| {
                if ok {
                    Ok(())
                } else {
                    Err(ServerError::Input(format!("角色 {role} 需要 {what}")))
                }
            };
            match role.as_str() {
                "county_official" => need(
                    county.as_deref().and_then(grading::County::parse).is_some(),
                    "--county（有效县代码）",
                )?,
                "department" => need(
                    department
                        .as_deref()
                        .and_then(grading::Department::parse)
                        .is_some(),
                    "--department",
                )?,
                "enterprise" => need(
                    uscc.as_deref()
                        .is_some_and(|u| grading::Uscc::parse(u).is_ok()),
                    "--uscc（有效代码）",
                )?,
                _ => {}
            }
            let db = db::connect(&cli.database).await?;
            db::migrate(&db).await?;
            let display = name.unwrap_or_else(|| username.clone());
            let account = seed::NewUser {
                username: &username,
                display: &display,
                password: &password,
                role: &role,
                county: county.as_deref(),
                department: department.as_deref(),
                uscc: uscc.as_deref(),
            };
            seed::add_user(&db, account).await?;
            println!("已创建账户 {username}（{role}）。");
            Ok(())
        }
    }
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法启动运行时：{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = runtime.block_on(run(cli)) {
        eprintln!("错误：{e}");
        std::process::exit(1);
    }
}
