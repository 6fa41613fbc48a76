//! A crowd on one server (docs/reliability.md): simulated users for a fixed
//! time on loopback — citizens browsing the 公示, county officials listing
//! and saving, department clerks importing sheets, enterprises reading
//! their evaluation — then every acknowledged write is looked for in the
//! database and its audit log. Prints p50/p99 per kind of request; exits 1
//! on any error or lost write.
//!
//! `cargo run --release -p server --example load -- BASE_URL DATABASE_URL [USERS] [SECONDS]`
//! (a demo database: `server seed --demo`; `scripts/load.sh` does it all).

use rand::Rng;
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "muyi2020";
const COUNTIES: [&str; 9] = [
    "nanhu",
    "xiuzhou",
    "jiashan",
    "pinghu",
    "haiyan",
    "haining",
    "tongxiang",
    "economic_dev_zone",
    "port_zone",
];

/// What every user reports: latencies by kind, failures, acknowledged writes.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    errors: Vec<String>,
    conflicts: usize,
    /// (uscc, field, value) of every write the server acknowledged.
    acked: Vec<(String, &'static str, String)>,
    imports: usize,
}

#[derive(Clone)]
struct User {
    base: String,
    http: reqwest::Client,
    tally: Arc<Mutex<Tally>>,
    until: Instant,
    counter: Arc<AtomicU64>,
}

impl User {
    /// User `i`, from an address of its own (the server is started with
    /// loopback as its trusted proxy, as behind nginx).
    fn new(
        i: usize,
        base: &str,
        tally: &Arc<Mutex<Tally>>,
        until: Instant,
        counter: &Arc<AtomicU64>,
    ) -> User {
        let mut headers = reqwest::header::HeaderMap::new();
        let addr = format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255);
        headers.insert(
            "x-forwarded-for",
            reqwest::header::HeaderValue::from_str(&addr).expect("address"),
        );
        User {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .default_headers(headers)
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client"),
            tally: tally.clone(),
            until,
            counter: counter.clone(),
        }
    }

    fn record(&self, kind: &'static str, took: Duration) {
        let mut t = self.tally.lock().unwrap();
        t.latencies.entry(kind).or_default().push(took);
    }

    fn error(&self, what: String) {
        self.tally.lock().unwrap().errors.push(what);
    }

    /// A request timed under `kind`; a non-2xx status is an error (409 a
    /// conflict, which a real editor resolves and is counted apart).
    async fn send(
        &self,
        kind: &'static str,
        req: reqwest::RequestBuilder,
    ) -> Option<(u16, String)> {
        let t = Instant::now();
        match req.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                self.record(kind, t.elapsed());
                if status == 409 {
                    self.tally.lock().unwrap().conflicts += 1;
                } else if !(200..400).contains(&status) {
                    self.error(format!("{kind}: {status} {}", &body[..body.len().min(200)]));
                }
                Some((status, body))
            }
            Err(e) => {
                self.error(format!("{kind}: {e}"));
                None
            }
        }
    }

    async fn get(&self, kind: &'static str, path: &str) -> Option<(u16, String)> {
        self.send(kind, self.http.get(format!("{}{path}", self.base)))
            .await
    }

    async fn call(
        &self,
        kind: &'static str,
        name: &str,
        form: &[(&str, &str)],
    ) -> Option<serde_json::Value> {
        let req = self
            .http
            .post(format!("{}/api/{name}", self.base))
            .header("Accept", "application/json")
            .form(form);
        let (status, body) = self.send(kind, req).await?;
        if status == 200 {
            serde_json::from_str(&body).ok()
        } else {
            None
        }
    }

    async fn login(&self, user: &str) -> bool {
        self.call(
            "login",
            "login",
            &[("username", user), ("password", PASSWORD)],
        )
        .await;
        self.call("whoami", "whoami", &[])
            .await
            .is_some_and(|v| !v.is_null())
    }

    /// The rows of a random page of the workspace list (none on failure).
    async fn list_page(&self, pages: std::ops::Range<u32>) -> Vec<serde_json::Value> {
        let page = rand::thread_rng().gen_range(pages).to_string();
        self.call(
            "list",
            "list_enterprises",
            &[("query[year]", "2020"), ("query[page]", &page)],
        )
        .await
        .and_then(|l| l["rows"].as_array().cloned())
        .unwrap_or_default()
    }

    fn running(&self) -> bool {
        Instant::now() < self.until
    }

    async fn think(&self, ms: std::ops::Range<u64>) {
        let d = rand::thread_rng().gen_range(ms);
        tokio::time::sleep(Duration::from_millis(d)).await;
    }
}

async fn citizen(u: User) {
    let pages = [
        "/disclosure",
        "/disclosure/2020",
        "/disclosure/2020?page=3",
        "/disclosure/2020/corrections",
        "/disclosure/enterprise?q=%E7%BA%BA%E7%BB%87",
        "/api/v1/disclosures",
    ];
    while u.running() {
        let p = pages[rand::thread_rng().gen_range(0..pages.len())];
        u.get("public page", p).await;
        u.think(1000..5000).await;
    }
}

async fn official(u: User, county: &'static str) {
    if !u.login(county).await {
        return u.error(format!("login {county} failed"));
    }
    while u.running() {
        let rows = u.list_page(1..20).await;
        if rows.is_empty() {
            u.think(500..1000).await;
            continue;
        }
        let uscc = rows[rand::thread_rng().gen_range(0..rows.len())]["uscc"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        u.think(1000..4000).await;
        let Some(detail) = u
            .call(
                "open",
                "get_enterprise",
                &[("uscc", &uscc), ("year", "2020")],
            )
            .await
        else {
            continue;
        };
        let version = detail["version"].to_string();
        let value = (100_000 + u.counter.fetch_add(1, Ordering::Relaxed)).to_string();
        // Typing the figures.
        u.think(4000..12000).await;
        let saved = u
            .call(
                "save",
                "save_record",
                &[
                    ("uscc", &uscc),
                    ("year", "2020"),
                    ("version", &version),
                    ("fields[employees]", &value),
                ],
            )
            .await;
        if saved.is_some() {
            u.tally
                .lock()
                .unwrap()
                .acked
                .push((uscc, "employees", value));
        }
        u.think(1000..4000).await;
    }
}

async fn department(u: User) {
    if !u.login("tax").await {
        return u.error("login tax failed".into());
    }
    while u.running() {
        let rows = u.list_page(1..100).await;
        if rows.is_empty() {
            u.think(1000..2000).await;
            continue;
        }
        let mut csv = String::from(
            "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n",
        );
        let mut wrote = Vec::new();
        for r in rows.iter().take(20) {
            let value = format!("{}.5", 1000 + u.counter.fetch_add(1, Ordering::Relaxed));
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            csv.push_str(&format!(
                "{},{},{},{},{},2020,{value}\n",
                s("uscc"),
                s("name"),
                s("county"),
                s("industry"),
                s("scale")
            ));
            wrote.push((s("uscc"), "tax_wan", value));
        }
        let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("tax.csv");
        let req = u
            .http
            .post(format!("{}/api/preview_import", u.base))
            .header("Accept", "application/json")
            .multipart(reqwest::multipart::Form::new().part("file", part));
        let Some((200, body)) = u.send("import preview", req).await else {
            continue;
        };
        let preview: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let Some(id) = preview["id"].as_str().map(str::to_string) else {
            u.error(format!("import preview refused: {}", preview["errors"]));
            continue;
        };
        u.call("import commit", "commit_import", &[("id", &id)])
            .await;
        // Followed as the page does, until it finishes.
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let Some(s) = u
                .call("import status", "import_status", &[("id", &id)])
                .await
            else {
                break;
            };
            if s["finished"].as_bool() == Some(true) {
                // The refusal travels in both languages (`grading::Words`).
                let error = &s["error"];
                match error["zh"].as_str() {
                    // Refused because one of its records was saved after the
                    // preview: nothing written, as the page says; not lost.
                    Some(e) if e.contains("预览之后已被修改") => {
                        u.tally.lock().unwrap().conflicts += 1
                    }
                    _ if !error.is_null() => u.error(format!("import: {error}")),
                    _ => {
                        let mut t = u.tally.lock().unwrap();
                        t.acked.extend(wrote);
                        t.imports += 1;
                    }
                }
                break;
            }
        }
        u.think(10000..20000).await;
    }
}

async fn enterprise(u: User, name: &'static str) {
    if !u.login(name).await {
        return u.error(format!("login {name} failed"));
    }
    while u.running() {
        u.call("portal", "get_portal", &[("year", "2020")]).await;
        u.think(2000..6000).await;
        u.get("portal page", "/portal/2020").await;
        u.think(2000..8000).await;
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args
        .first()
        .expect("BASE_URL")
        .trim_end_matches('/')
        .to_string();
    let database = args.get(1).expect("DATABASE_URL").clone();
    let users: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200);
    let secs: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(60);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let counter = Arc::new(AtomicU64::new(
        rand::thread_rng().gen_range(0..1_000_000) * 1000,
    ));
    let until = Instant::now() + Duration::from_secs(secs);
    // Of 200: 120 citizens, 50 officials, 10 clerks, 20 enterprises.
    let mut tasks = Vec::new();
    let mut kinds = BTreeMap::new();
    for i in 0..users {
        let u = User::new(i, &base, &tally, until, &counter);
        let slot = i % 20;
        let kind = match slot {
            0..=11 => "citizen",
            12..=16 => "official",
            17 => "department",
            _ => "enterprise",
        };
        *kinds.entry(kind).or_insert(0) += 1;
        // Arriving over the first ten seconds, not all in one instant.
        let arrive = Duration::from_millis((i as u64 * 10_000) / users as u64);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(arrive).await;
            match kind {
                "citizen" => citizen(u).await,
                "official" => official(u, COUNTIES[i % COUNTIES.len()]).await,
                "department" => department(u).await,
                _ => enterprise(u, ["qiye1", "qiye2", "qiye3"][i % 3]).await,
            }
        }));
    }
    println!("{users} users for {secs} s: {kinds:?}");
    for t in tasks {
        let _ = t.await;
    }
    let t = std::mem::take(&mut *tally.lock().unwrap());

    // Every acknowledged write is in the database and in the audit log.
    let db = Database::connect(&database).await.expect("database");
    let mut lost = Vec::new();
    for (uscc, field, value) in &t.acked {
        let audited = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Uscc.eq(uscc.as_str()))
            .filter(entity::audit_log::Column::Year.eq(2020))
            .filter(entity::audit_log::Column::Field.eq(*field))
            .filter(entity::audit_log::Column::NewValue.eq(value.as_str()))
            .one(&db)
            .await
            .expect("audit query");
        let record = entity::record::Entity::find()
            .filter(entity::record::Column::Uscc.eq(uscc.as_str()))
            .filter(entity::record::Column::Year.eq(2020))
            .one(&db)
            .await
            .expect("record query");
        // The record holds this value, or a later audited one replaced it.
        let holds = record.as_ref().is_some_and(|r| {
            let f: BTreeMap<String, String> = serde_json::from_str(&r.fields).unwrap_or_default();
            f.get(*field) == Some(value)
                || audited
                    .as_ref()
                    .is_some_and(|a| a.version.unwrap_or(0) <= r.version)
        });
        if audited.is_none() || !holds {
            lost.push(format!("{uscc} {field}={value}"));
        }
    }

    println!(
        "\n{:<16} {:>7} {:>9} {:>9}",
        "kind", "count", "p50 ms", "p99 ms"
    );
    let mut total = 0;
    for (kind, mut l) in t.latencies {
        l.sort();
        total += l.len();
        println!(
            "{kind:<16} {:>7} {:>9.1} {:>9.1}",
            l.len(),
            percentile(&l, 0.5),
            percentile(&l, 0.99)
        );
    }
    println!(
        "\nrequests {total} ({:.0}/s), errors {}, conflicts {} (a save or import refused because its record moved: nothing written), \
         writes acknowledged {} (imports {}), lost {}",
        total as f64 / secs as f64,
        t.errors.len(),
        t.conflicts,
        t.acked.len(),
        t.imports,
        lost.len()
    );
    for e in t.errors.iter().take(20) {
        println!("error: {e}");
    }
    for l in lost.iter().take(20) {
        println!("lost: {l}");
    }
    if !t.errors.is_empty() || !lost.is_empty() {
        std::process::exit(1);
    }
}
