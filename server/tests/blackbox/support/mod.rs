//! Black-box harness: the real application (`server::Application`, the
//! same the binary serves) built in-process on a random port with a fresh
//! database, seeded through the services — SQLite in a temporary
//! directory, or, when `MUYI_TEST_PG` names a PostgreSQL server
//! (`postgres://user@host:port`), a new database created on it for this
//! test. Tests that only read share one seeded server ([`shared`]); the
//! CLI and the two-process tests run the real binary.

use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter, QueryOrder};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

pub const BIN: &str = env!("CARGO_BIN_EXE_server");
pub const PASSWORD: &str = "muyi2020";
/// The demo city of the tests: above- and below-size enterprises.
pub const DEMO: (usize, usize) = (150, 450);
static COUNTER: AtomicUsize = AtomicUsize::new(0);

enum Running {
    InProcess(Option<tokio::sync::oneshot::Sender<()>>),
    Process(Child),
}

pub struct TestServer {
    running: Running,
    pub base: String,
    pub database: String,
    _dir: tempfile::TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        match &mut self.running {
            Running::InProcess(stop) => {
                if let Some(s) = stop.take() {
                    let _ = s.send(());
                }
            }
            Running::Process(child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// A fresh, empty database URL for one test.
pub fn fresh_database(dir: &std::path::Path) -> String {
    match std::env::var("MUYI_TEST_PG") {
        Ok(pg) if !pg.is_empty() => {
            let name = format!(
                "muyi_t{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let status = Command::new("psql")
                .arg(format!("{pg}/postgres"))
                .args(["-q", "-c", &format!("CREATE DATABASE {name}")])
                .status()
                .expect("psql runs");
            assert!(status.success(), "could not create database {name}");
            format!("{pg}/{name}")
        }
        _ => format!("sqlite://{}/muyi.db?mode=rwc", dir.display()),
    }
}

pub fn postgres() -> bool {
    std::env::var("MUYI_TEST_PG").is_ok_and(|v| !v.is_empty())
}

/// Runs the `server` binary's command line on a database.
pub fn run(database: &str, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--database")
        .arg(database)
        .args(args)
        .output()
        .expect("server binary runs")
}

/// A server fault's detail (logged with its id, which is all a client
/// sees) printed with the failing test's output, so a fault in CI can be
/// told from the log.
fn log_faults() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("error")
        .with_test_writer()
        .try_init();
}

/// One demo server per test binary for the tests that only read: started
/// once, on a runtime of its own that outlives every test's.
pub fn shared() -> &'static TestServer {
    static SHARED: OnceLock<TestServer> = OnceLock::new();
    SHARED.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                tx.send(TestServer::start(true).await).expect("sent");
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("the shared server started")
    })
}

impl TestServer {
    /// The directory the server serves its site's files from (`pkg/`).
    pub fn site_root(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// A server of its own over a small demo city (for tests that write).
    pub async fn demo() -> TestServer {
        TestServer::start(true).await
    }

    pub async fn start(demo: bool) -> TestServer {
        TestServer::start_with(demo, service::Config::default()).await
    }

    /// A server of its own with other settings (proxies, windows).
    pub async fn start_with(demo: bool, config: service::Config) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let database = fresh_database(dir.path());
        TestServer::build(dir, database, demo, config).await
    }

    /// Another server on the same database as `other` (a restart, or a
    /// second process's state), in-process.
    pub async fn attach(other: &TestServer) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        TestServer::build(
            dir,
            other.database.clone(),
            false,
            service::Config::default(),
        )
        .await
    }

    async fn build(
        dir: tempfile::TempDir,
        database: String,
        demo: bool,
        config: service::Config,
    ) -> TestServer {
        log_faults();
        let mut settings = server::Settings::new(&database);
        settings.config = config;
        settings.site_root = dir.path().display().to_string();
        settings.demo_if_empty = demo.then_some(DEMO);
        let app = server::Application::build(settings)
            .await
            .expect("application builds");
        let base = format!("http://{}", app.address());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        TestServer {
            running: Running::InProcess(Some(tx)),
            base,
            database,
            _dir: dir,
        }
    }

    /// The real binary serving the same database as `other`: a second
    /// server process (LISTEN/NOTIFY, cross-process locking).
    pub fn process(other: &TestServer) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut child = Command::new(BIN)
            .arg("--database")
            .arg(&other.database)
            .args(["serve", "--addr", "127.0.0.1:0", "--site-root"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("server printed its address")
                .expect("utf-8");
            if let Some(addr) = line.strip_prefix("listening on ") {
                break addr.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        TestServer {
            running: Running::Process(child),
            base,
            database: other.database.clone(),
            _dir: dir,
        }
    }

    /// A handle on a server started elsewhere (to move into a task).
    pub fn remote(base: String, database: String) -> TestServer {
        TestServer {
            running: Running::InProcess(None),
            base,
            database,
            _dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            // A request that never answers fails, naming its address,
            // instead of holding the run until CI's limit.
            .timeout(std::time::Duration::from_secs(300))
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Calls a server function with form-encoded arguments.
    pub async fn call(
        &self,
        c: &reqwest::Client,
        name: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        c.post(self.url(&format!("/api/{name}")))
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn login(&self, c: &reqwest::Client, user: &str) -> reqwest::Response {
        self.call(c, "login", &[("username", user), ("password", PASSWORD)])
            .await
    }

    pub async fn db(&self) -> sea_orm::DatabaseConnection {
        sea_orm::Database::connect(&self.database)
            .await
            .expect("database")
    }
}

/// The audit entries of records written after seeding (the demo's own —
/// its records, publications and demo appeals, marked "（演示）" — left
/// out, and the steps of 分类施策, which `classes_applied.rs` checks).
pub async fn audit_entries(db: &sea_orm::DatabaseConnection) -> Vec<entity::audit_log::Model> {
    let demo_appeals: Vec<String> = entity::appeal::Entity::find()
        .filter(entity::appeal::Column::Explanation.contains("（演示）"))
        .all(db)
        .await
        .expect("appeals")
        .into_iter()
        .map(|a| format!("appeal:{}", a.id))
        .collect();
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Source.ne("seed"))
        .filter(entity::audit_log::Column::Source.ne("disclosure"))
        .filter(entity::audit_log::Column::Source.is_not_in(demo_appeals))
        .filter(entity::audit_log::Column::Action.is_not_in([
            "electricity_procedure",
            "remediation_plan",
            "signoff",
        ]))
        .order_by_asc(entity::audit_log::Column::Id)
        .all(db)
        .await
        .expect("audit log")
}

pub async fn json(r: reqwest::Response) -> serde_json::Value {
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// A page as `c` gets it: its Content-Security-Policy and its HTML
/// (answered 200, or the test fails naming the path).
pub async fn page_of(s: &TestServer, c: &reqwest::Client, path: &str) -> (String, String) {
    let r = c.get(s.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let csp = r
        .headers()
        .get(reqwest::header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (csp, r.text().await.unwrap())
}

/// An above-size enterprise of `county` that the demo graded.
pub async fn graded_in(s: &TestServer, county: &str) -> (String, String) {
    let db = Database::connect(&s.database).await.unwrap();
    let m = entity::grade_result::Entity::find()
        .filter(entity::grade_result::Column::County.eq(county))
        .filter(entity::grade_result::Column::Year.eq(2020))
        .filter(entity::grade_result::Column::Status.eq("graded"))
        .filter(entity::grade_result::Column::Scale.eq("above"))
        .one(&db)
        .await
        .unwrap()
        .expect("a graded enterprise in the county");
    (m.uscc, m.name)
}

pub async fn logged_in(s: &TestServer, user: &str) -> reqwest::Client {
    let c = s.client();
    assert_eq!(s.login(&c, user).await.status(), 200, "login {user}");
    c
}

/// Saves fields of a 2020 record as the workspace form posts them, at the
/// record's current version (as a form just opened would).
pub async fn save(
    s: &TestServer,
    c: &reqwest::Client,
    uscc: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let version = stored_version(s, uscc).await.to_string();
    save_at(s, c, uscc, &version, fields).await
}

/// The stored 2020 record of `uscc`, if any.
pub async fn record_2020(s: &TestServer, uscc: &str) -> Option<entity::record::Model> {
    entity::record::Entity::find()
        .filter(entity::record::Column::Uscc.eq(uscc))
        .filter(entity::record::Column::Year.eq(2020))
        .one(&s.db().await)
        .await
        .unwrap()
}

/// The stored version of a 2020 record (1 for one that does not exist).
pub async fn stored_version(s: &TestServer, uscc: &str) -> i32 {
    record_2020(s, uscc).await.map_or(1, |m| m.version)
}

/// Previews an upload as the import page sends it.
pub async fn upload(
    s: &TestServer,
    c: &reqwest::Client,
    name: &str,
    body: String,
) -> serde_json::Value {
    let part = reqwest::multipart::Part::bytes(body.into_bytes()).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    json(
        c.post(s.url("/api/preview_import"))
            .header("Accept", "application/json")
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Saves fields of a 2020 record read at `version`.
pub async fn save_at(
    s: &TestServer,
    c: &reqwest::Client,
    uscc: &str,
    version: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let keys: Vec<String> = fields.iter().map(|(k, _)| format!("fields[{k}]")).collect();
    let mut form = vec![("uscc", uscc), ("year", "2020"), ("version", version)];
    form.extend(
        keys.iter()
            .map(String::as_str)
            .zip(fields.iter().map(|(_, v)| *v)),
    );
    s.call(c, "save_record", &form).await
}

/// The first page of above-size enterprises, best first.
pub async fn best_above(s: &TestServer, c: &reqwest::Client) -> Vec<String> {
    let q = [("query[scale]", "above"), ("query[sort]", "score_desc")];
    json(s.call(c, "list_enterprises", &q).await).await["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uscc"].as_str().unwrap().to_string())
        .collect()
}

/// Every stored result of `year` equals a full regrade of its stored
/// records (status, score, rank, class, cohort and the whole breakdown).
pub async fn assert_stored_results_equal_a_full_regrade(
    db: &sea_orm::DatabaseConnection,
    year: i32,
) -> std::collections::HashMap<String, entity::grade_result::Model> {
    let problems = service::integrity::check_results(db, year).await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    let stored = service::store::stored_results(db, year).await.unwrap();
    stored
}

/// The demo's 2020 records written again as 2021 (data collection of the
/// next year), through the one write path.
pub async fn collect_2021(s: &TestServer) -> usize {
    let db = s.db().await;
    let svc = service::Services::new(db.clone(), service::Config::default());
    let drafts: Vec<service::records::Draft> = service::store::load_year(&db, 2020)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, mut e)| {
            e.year = 2021;
            service::records::Draft {
                fields: service::store::fields_of(&e),
                enterprise: e,
                base: None,
            }
        })
        .collect();
    let n = drafts.len();
    service::records::write(
        &svc,
        &service::Actor::System("test".into()),
        &service::records::Origin::Seed,
        vec![service::records::Batch {
            year: 2021,
            drafts,
            regrading: service::records::Regrading::Full,
        }],
        &service::records::Progress::default(),
    )
    .await
    .unwrap();
    n
}
