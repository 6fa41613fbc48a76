//! Black-box harness: runs the real `server` binary on a random port with a
//! fresh database — SQLite in a temporary directory, or, when
//! `MUYI_TEST_PG` names a PostgreSQL server (`postgres://user@host:port`), a
//! new database created on it for this test.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_server");
pub const PASSWORD: &str = "muyi2020";
static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestServer {
    child: Child,
    pub base: String,
    pub database: String,
    _dir: tempfile::TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

pub fn run(database: &str, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--database")
        .arg(database)
        .args(args)
        .output()
        .expect("server binary runs")
}

impl TestServer {
    /// A server over a small demo city.
    pub fn demo() -> TestServer {
        TestServer::start(true)
    }

    pub fn start(demo: bool) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let database = fresh_database(dir.path());
        if demo {
            let out = run(
                &database,
                &["seed", "--demo", "--above", "150", "--below", "450"],
            );
            assert!(
                out.status.success(),
                "seed failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        TestServer::serve(dir, database)
    }

    /// A second server process on the same database as `other`.
    pub fn attach(other: &TestServer) -> TestServer {
        TestServer::serve(
            tempfile::tempdir().expect("tempdir"),
            other.database.clone(),
        )
    }

    fn serve(dir: tempfile::TempDir, database: String) -> TestServer {
        let mut child = Command::new(BIN)
            .arg("--database")
            .arg(&database)
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
            child,
            base,
            database,
            _dir: dir,
        }
    }

    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
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
}
