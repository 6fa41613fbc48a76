//! Pulling the plug (docs/reliability.md): the real server binary is killed
//! with SIGKILL at a random moment in the middle of a save, and of an
//! import's commit, again and again. After every restart each change must be
//! wholly there or wholly absent — the record, its audit entries and the
//! stored results — and the stored results must equal a full regrade
//! (`service::integrity::check`, the same as `server check`).
//!
//! `cargo run --release -p server --example crash -- SERVER_BIN DATABASE_URL [ROUNDS]`
//! on a demo database (`scripts/crash.sh` does it all). Exits 1 on the first
//! inconsistency.

use rand::Rng;
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "muyi2020";

struct Server {
    child: Child,
    base: String,
}

fn start(bin: &str, database: &str) -> Server {
    let mut child = Command::new(bin)
        .args(["--database", database, "serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let base = loop {
        let line = lines.next().expect("server output").expect("utf-8");
        if let Some(a) = line.strip_prefix("listening on ") {
            break a.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

async fn client(s: &Server, user: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = c
        .post(format!("{}/api/login", s.base))
        .form(&[("username", user), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "login {user}: {}",
        r.status()
    );
    c
}

async fn call(
    c: &reqwest::Client,
    s: &Server,
    name: &str,
    form: &[(&str, &str)],
) -> Option<serde_json::Value> {
    let r = c
        .post(format!("{}/api/{name}", s.base))
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .ok()?;
    r.json().await.ok()
}

/// Everything `server check` checks; exits on the first problem.
async fn consistent(database: &str, round: &str) {
    let db = Database::connect(database).await.expect("database");
    let problems = service::integrity::check(&db).await.expect("check runs");
    if !problems.is_empty() {
        eprintln!("{round}: INCONSISTENT");
        for p in problems.iter().take(20) {
            eprintln!("  {p}");
        }
        std::process::exit(1);
    }
}

/// How many of `rows` hold their marker value now.
async fn landed(database: &str, rows: &[(String, String)]) -> usize {
    let db = Database::connect(database).await.expect("database");
    let mut n = 0;
    for (uscc, value) in rows {
        let r = entity::record::Entity::find()
            .filter(entity::record::Column::Uscc.eq(uscc.as_str()))
            .filter(entity::record::Column::Year.eq(2020))
            .one(&db)
            .await
            .expect("record")
            .expect("exists");
        let f: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&r.fields).expect("fields");
        n += usize::from(f.get("tax_wan") == Some(value));
    }
    n
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bin = args.first().expect("SERVER_BIN").clone();
    let database = args.get(1).expect("DATABASE_URL").clone();
    let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut rng = rand::thread_rng();
    let mut marker: u64 = rng.gen_range(0..1_000_000) * 1000;
    let (mut saves_landed, mut imports_landed) = (0, 0);
    let started = Instant::now();

    for round in 0..rounds {
        // A save, killed somewhere between sending it and well after its
        // answer (the rank rewrite runs after the answer).
        let s = start(&bin, &database);
        let c = client(&s, "haining").await;
        let list = call(&c, &s, "list_enterprises", &[("query[year]", "2020")])
            .await
            .expect("list");
        let uscc = list["rows"][rng.gen_range(0..20)]["uscc"]
            .as_str()
            .expect("a row")
            .to_string();
        let detail = call(
            &c,
            &s,
            "get_enterprise",
            &[("uscc", &uscc), ("year", "2020")],
        )
        .await
        .expect("detail");
        let version = detail["version"].to_string();
        marker += 1;
        let value = format!("{marker}.25");
        let kill_after = Duration::from_millis(rng.gen_range(0..250));
        let form = vec![
            ("uscc".to_string(), uscc.clone()),
            ("year".into(), "2020".into()),
            ("version".into(), version),
            ("fields[tax_wan]".into(), value.clone()),
        ];
        let req = c
            .post(format!("{}/api/save_record", s.base))
            .header("Accept", "application/json")
            .form(&form)
            .send();
        let mut child = s.child;
        let (answer, ()) = tokio::join!(req, async {
            tokio::time::sleep(kill_after).await;
            let _ = child.kill();
        });
        let _ = child.wait();
        let acked = answer.is_ok_and(|r| r.status().is_success());
        // Restart (repairs what the kill left) and look.
        let s = start(&bin, &database);
        let n = landed(&database, &[(uscc.clone(), value.clone())]).await;
        if acked && n == 0 {
            eprintln!("save round {round}: acknowledged but lost");
            std::process::exit(1);
        }
        saves_landed += n;
        let save_landed = n == 1;
        let mut s = s;
        let _ = s.child.kill();
        let _ = s.child.wait();
        consistent(
            &database,
            &format!("save round {round} (kill at {kill_after:?})"),
        )
        .await;

        // An import of many rows, killed at a random moment of its commit.
        let s = start(&bin, &database);
        let c = client(&s, "tax").await;
        let mut csv = String::from(
            "统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n",
        );
        let mut rows = Vec::new();
        for page in 1..=10 {
            let p = page.to_string();
            let list = call(
                &c,
                &s,
                "list_enterprises",
                &[("query[year]", "2020"), ("query[page]", &p)],
            )
            .await
            .expect("list");
            for r in list["rows"].as_array().expect("rows") {
                marker += 1;
                let v = format!("{marker}.75");
                let f = |k: &str| r[k].as_str().unwrap_or_default().to_string();
                csv.push_str(&format!(
                    "{},{},{},{},{},2020,{v}\n",
                    f("uscc"),
                    f("name"),
                    f("county"),
                    f("industry"),
                    f("scale")
                ));
                rows.push((f("uscc"), v));
            }
        }
        let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("tax.csv");
        let preview: serde_json::Value = c
            .post(format!("{}/api/preview_import", s.base))
            .header("Accept", "application/json")
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .expect("preview")
            .json()
            .await
            .expect("preview json");
        let id = preview["id"].as_str().expect("a valid import").to_string();
        let kill_after = Duration::from_millis(rng.gen_range(0..1500));
        let commit = c
            .post(format!("{}/api/commit_import", s.base))
            .header("Accept", "application/json")
            .form(&[("id", id.as_str())])
            .send();
        let mut child = s.child;
        let (committed, ()) = tokio::join!(commit, async {
            tokio::time::sleep(kill_after).await;
            let _ = child.kill();
        });
        let _ = child.wait();
        let _ = committed;
        let s = start(&bin, &database);
        let n = landed(&database, &rows).await;
        if n != 0 && n != rows.len() {
            eprintln!("import round {round}: {n} of {} rows landed", rows.len());
            std::process::exit(1);
        }
        imports_landed += usize::from(n == rows.len());
        let mut s = s;
        let _ = s.child.kill();
        let _ = s.child.wait();
        consistent(
            &database,
            &format!("import round {round} (kill at {kill_after:?})"),
        )
        .await;
        println!(
            "round {round}: save {}, import of {} rows {}",
            if save_landed { "landed" } else { "absent" },
            rows.len(),
            if n == rows.len() { "landed" } else { "absent" }
        );
    }
    println!(
        "\n{rounds} saves and {rounds} imports killed at random moments: saves landed {saves_landed}, imports landed {imports_landed}, \
         all others wholly absent; after every restart the records agree with the audit log and the stored results equal a full regrade ({:.0} s).",
        started.elapsed().as_secs_f64()
    );
}
