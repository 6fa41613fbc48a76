//! `server`: the 亩均 web server and its command line.

use clap::{Parser, Subcommand, ValueEnum};
use server::application::{prepare_database, print_accounts};
use server::error::{Result, ServerError};
use server::{db, grade_cmd, Application, Settings};
use service::{Actor, Config, Role, Services};
use std::net::SocketAddr;
use std::path::PathBuf;

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
        /// Working days a reviewer has to decide an appeal.
        #[arg(long, env = "MUYI_APPEAL_DAYS", default_value_t = 10)]
        appeal_days: u32,
        /// Days a one-time password works before the county must reissue it.
        #[arg(long, env = "MUYI_ONE_TIME_PASSWORD_DAYS", default_value_t = 7)]
        one_time_password_days: i64,
        /// Minutes without a request after which a session ends.
        #[arg(long, env = "MUYI_SESSION_IDLE_MINUTES", default_value_t = 60)]
        session_idle_minutes: i64,
        /// Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are
        /// believed (addresses, comma-separated).
        #[arg(long, env = "MUYI_TRUSTED_PROXIES", default_value = "")]
        trusted_proxies: String,
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
        /// Add the year in data collection (2021: records, a draft ruleset
        /// to simulate, sign-off under way), as the app's first start does.
        #[arg(long)]
        collecting: bool,
    },
    /// Import an interchange file (CSV or .xlsx) into the database, all or nothing.
    /// Who acts is said explicitly: an account (held to its role and
    /// scope, as on the upload page) or the console operator for the whole
    /// city.
    #[command(group(clap::ArgGroup::new("who").required(true).args(["user", "system"])))]
    Import {
        file: PathBuf,
        /// Act as this existing account (a department: its own columns only;
        /// a county official: their county only).
        #[arg(long = "as", value_name = "USER")]
        user: Option<String>,
        /// Act as the console operator for the whole city, named NAME in the
        /// audit log.
        #[arg(long = "as-system", value_name = "NAME")]
        system: Option<String>,
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
    /// Check the stored data: each record agrees with its audit trail, and
    /// each year's stored results equal a full regrade. Exit status 1 when
    /// anything disagrees.
    Check,
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
        #[arg(long, value_parser = ["city_admin", "county_official", "department", "enterprise", "lead_unit", "implementer"])]
        role: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        county: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        uscc: Option<String>,
        /// For a lead unit: a unit it speaks for, as the policy text names
        /// it (repeat for several).
        #[arg(long = "unit")]
        units: Vec<String>,
        /// For an implementing unit: a measure it applies, by key (repeat
        /// for several; `docs/measures.md` lists them).
        #[arg(long = "measure")]
        measures: Vec<String>,
        #[arg(long, env = "MUYI_PASSWORD")]
        password: Option<String>,
    },
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            addr,
            site_root,
            demo_if_empty,
            secure_cookies,
            appeal_days,
            session_idle_minutes,
            one_time_password_days,
            trusted_proxies,
        } => {
            let config = Config {
                cookie_secure: secure_cookies,
                appeal_days,
                session_idle_minutes: session_idle_minutes.max(1),
                one_time_password_days: one_time_password_days.max(1),
                trusted_proxies: service::accounts::proxy::parse_list(&trusted_proxies)
                    .map_err(ServerError::Input)?,
                ..Config::default()
            };
            let app = Application::build(Settings {
                database: cli.database,
                addr,
                site_root,
                config,
                demo_if_empty: demo_if_empty.then_some((6000, 20000)),
                demo_collecting: demo_if_empty,
            })
            .await?;
            println!("listening on http://{}", app.address());
            app.run_until(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
        }
        Command::Migrate => {
            prepare_database(&cli.database).await?;
            println!("数据库已是最新结构。");
            Ok(())
        }
        Command::Seed {
            demo,
            seed,
            above,
            below,
            if_empty,
            collecting,
        } => {
            if !demo {
                return Err(ServerError::Input(
                    "只支持 --demo（演示数据）；真实数据请用 server import。".into(),
                ));
            }
            let svc = Services::new(prepare_database(&cli.database).await?, Config::default());
            if service::seed::has_data(&svc.db).await? {
                if if_empty {
                    println!("数据库已有数据，跳过演示数据。");
                    return Ok(());
                }
                return Err(ServerError::Input(
                    "数据库已有数据：演示数据只装入空数据库。".into(),
                ));
            }
            let accounts = service::seed::demo(&svc, seed, above, below).await?;
            if collecting {
                service::seed::collecting(&svc).await?;
                println!("已生成演示城市：{above} 家规上、{below} 家规下企业（2019、2020 年度，2021 年度数据采集中）。");
            } else {
                println!("已生成演示城市：{above} 家规上、{below} 家规下企业（2019、2020 年度）。");
            }
            print_accounts(&accounts);
            Ok(())
        }
        Command::Import { file, user, system } => {
            use service::imports::pipeline::{commit, prepare};
            use service::records::{Origin, Progress};
            let svc = Services::new(prepare_database(&cli.database).await?, Config::default());
            let console = match (user, system) {
                (Some(name), _) => service::accounts::users::acting_as(&svc.db, &name).await?,
                (None, Some(name)) => Actor::System(name),
                (None, None) => unreachable!("clap requires --as or --as-system"),
            };
            let rows = service::dataio::read_file_rows(&file, true)?;
            let prepared = prepare(&svc, &console, &rows).await.map_err(|errs| {
                ServerError::Input(
                    service::dataio::report(&errs, ("未导入任何数据。", "Nothing was imported."))
                        .zh,
                )
            })?;
            let origin = Origin::File(
                file.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("file")
                    .to_string(),
            );
            // The prepared import holds what it writes; the file's rows go.
            drop(rows);
            let r = commit(&svc, &console, &origin, prepared, &Progress::default()).await?;
            println!(
                "导入完成：新增 {} 条，更新 {} 条（{} 个字段），未变 {} 条。",
                r.created, r.updated, r.changed_fields, r.unchanged
            );
            Ok(())
        }
        Command::Check => {
            let db = prepare_database(&cli.database).await?;
            let problems = service::integrity::check(&db).await?;
            if problems.is_empty() {
                println!("数据一致：记录与审计日志相符，评价结果与完整重评一致。/ consistent");
                return Ok(());
            }
            for p in problems.iter().take(50) {
                println!("{p}");
            }
            Err(ServerError::Input(format!(
                "发现 {} 处不一致。/ {} problems.",
                problems.len(),
                problems.len()
            )))
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
                    units,
                    measures,
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
            let db = prepare_database(&cli.database).await?;
            let display = name.unwrap_or_else(|| username.clone());
            let account = service::accounts::NewUser {
                username: &username,
                display: &display,
                password: service::accounts::Password::parse(&password, &username)?,
                role: Role::parse(&role)
                    .ok_or_else(|| ServerError::Input(format!("未知角色 {role}")))?,
                county: county.as_deref(),
                department: department.as_deref(),
                uscc: uscc.as_deref(),
                units: &units.iter().map(String::as_str).collect::<Vec<_>>(),
                measures: &measures.iter().map(String::as_str).collect::<Vec<_>>(),
            };
            service::accounts::add_user(&db, &Actor::System("cli".into()), account).await?;
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
