//! Several server processes on one PostgreSQL database behave as one
//! (`scripts/scaleout.sh` starts three of them behind nginx and runs this
//! against each directly): a user's next request may reach any process.
//!
//! * The login throttle locks after the same number of failures, whichever
//!   processes got them.
//! * An import previewed through one process commits through another, and
//!   a third follows its progress to the end; a second commit is refused.
//! * A correction published through one process is seen by the others'
//!   API and public pages (both cached) within a second.
//!
//! `scaleout A_URL B_URL C_URL DATABASE_URL`; exits 1 on the first failure.

use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};
use serde_json::Value;
use std::time::{Duration, Instant};

const PASSWORD: &str = "muyi2020";
/// The longest a publication may take to reach the other processes.
const PROPAGATION: Duration = Duration::from_secs(1);

fn client(address: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        reqwest::header::HeaderValue::from_str(address).expect("address"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

async fn call(c: &reqwest::Client, base: &str, name: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = c
        .post(format!("{base}/api/{name}"))
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

fn ok(what: &str, (status, body): (u16, String)) -> Value {
    if status != 200 {
        fail(&format!(
            "{what}: {status} {}",
            &body[..body.len().min(300)]
        ));
    }
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

fn fail(what: &str) -> ! {
    eprintln!("FAILED: {what}");
    std::process::exit(1);
}

async fn get(c: &reqwest::Client, url: &str) -> (u16, String) {
    let r = c.get(url).send().await.expect("request");
    (r.status().as_u16(), r.text().await.unwrap_or_default())
}

/// Wrong passwords for one name from one address, spread over the
/// processes: the throttle's count is the same on all of them.
async fn throttle(bases: &[String]) {
    let c = client("203.0.113.9");
    let free = service::accounts::throttle::FREE_USER_AT as usize;
    for i in 0..free {
        let base = &bases[i % bases.len()];
        let (status, body) = call(
            &c,
            base,
            "login",
            &[("username", "tax"), ("password", "wrong")],
        )
        .await;
        if status == 429 {
            fail(&format!(
                "failure {} (at {base}) already refused: {body}",
                i + 1
            ));
        }
    }
    for base in bases {
        let (status, _) = call(
            &c,
            base,
            "login",
            &[("username", "tax"), ("password", "wrong")],
        )
        .await;
        if status != 429 {
            fail(&format!(
                "after {free} failures {base} answered {status}, not 429"
            ));
        }
    }
    println!(
        "throttle: {free} failures spread over {} processes lock the name on every one",
        bases.len()
    );
}

/// Preview at A, commit at B, progress at C.
async fn import(bases: &[String], db: &sea_orm::DatabaseConnection) {
    let (a, b, c) = (&bases[0], &bases[1], &bases[2]);
    let clerk = client("203.0.113.10");
    ok(
        "login tax",
        call(
            &clerk,
            a,
            "login",
            &[("username", "tax"), ("password", PASSWORD)],
        )
        .await,
    );
    let list = ok(
        "list",
        call(
            &clerk,
            b,
            "list_enterprises",
            &[("query[year]", "2020"), ("query[page]", "1")],
        )
        .await,
    );
    let rows = list["rows"].as_array().cloned().unwrap_or_default();
    if rows.len() < 10 {
        fail("fewer than 10 enterprises listed");
    }
    let mut csv =
        String::from("统一社会信用代码,企业名称,县（市、区）,行业,规模,年度,实缴税金（万元）\n");
    let mut wrote = Vec::new();
    let stamp = std::process::id() % 1000;
    for (i, r) in rows.iter().take(10).enumerate() {
        // Half to nothing, half to a great deal: classes move, so that a
        // correction has something to publish.
        let value = if i % 2 == 0 {
            format!("0.{stamp:03}")
        } else {
            format!("5{stamp:03}{i}.5")
        };
        let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
        csv.push_str(&format!(
            "{},{},{},{},{},2020,{value}\n",
            s("uscc"),
            s("name"),
            s("county"),
            s("industry"),
            s("scale")
        ));
        wrote.push((s("uscc"), value));
    }
    let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("tax.csv");
    let r = clerk
        .post(format!("{a}/api/preview_import"))
        .header("Accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("preview");
    let preview = ok(
        "preview at A",
        (r.status().as_u16(), r.text().await.unwrap_or_default()),
    );
    let Some(id) = preview["id"].as_str().map(str::to_string) else {
        fail(&format!("preview refused: {}", preview["errors"]));
    };
    ok(
        "commit at B",
        call(&clerk, b, "commit_import", &[("id", &id)]).await,
    );
    let started = Instant::now();
    let mut polls = 0;
    let status = loop {
        let s = ok(
            "status at C",
            call(&clerk, c, "import_status", &[("id", &id)]).await,
        );
        polls += 1;
        if s["finished"].as_bool() == Some(true) {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            fail("the import did not finish in 60 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // A refusal travels as `Words {zh, en}`, not as a string.
    if !status["error"].is_null() {
        fail(&format!("import failed: {}", status["error"]));
    }
    let (status, body) = call(&clerk, c, "commit_import", &[("id", &id)]).await;
    if status == 200 || !body.contains("已提交") {
        fail(&format!("a second commit at C answered {status}: {body}"));
    }
    for (uscc, value) in &wrote {
        let r = entity::record::Entity::find()
            .filter(entity::record::Column::Uscc.eq(uscc.as_str()))
            .filter(entity::record::Column::Year.eq(2020))
            .one(db)
            .await
            .expect("record")
            .unwrap_or_else(|| fail(&format!("{uscc} missing")));
        let fields: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&r.fields).unwrap_or_default();
        if fields.get("tax_wan") != Some(value) {
            fail(&format!("{uscc}: tax_wan is not {value} after the import"));
        }
    }
    println!(
        "import: previewed at A, committed at B, followed at C ({polls} polls, {:.1} s), written; a second commit refused",
        started.elapsed().as_secs_f64()
    );
}

/// A correction published at A reaches B's and C's caches within a second.
async fn publication(bases: &[String]) {
    let citizen = client("203.0.113.12");
    let version = |body: &str| -> i64 {
        serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| v["version"].as_i64())
            .unwrap_or(0)
    };
    // Warm the other processes' caches: the disclosure index and the page.
    let mut warm = Vec::new();
    for base in &bases[1..] {
        let (_, api) = get(&citizen, &format!("{base}/api/v1/disclosures/2020")).await;
        let (s1, page) = get(&citizen, &format!("{base}/disclosure/2020")).await;
        let (_, again) = get(&citizen, &format!("{base}/disclosure/2020")).await;
        if s1 != 200 || page != again {
            fail(&format!(
                "{base}: the public page is not served from its cache"
            ));
        }
        warm.push((version(&api), page));
    }
    let admin = client("203.0.113.11");
    ok(
        "login admin",
        call(
            &admin,
            &bases[0],
            "login",
            &[("username", "admin"), ("password", PASSWORD)],
        )
        .await,
    );
    let v = ok(
        "publish at A",
        call(
            &admin,
            &bases[0],
            "publish_correction",
            &[("year", "2020"), ("note", "多进程更正测试")],
        )
        .await,
    )
    .as_i64()
    .unwrap_or(0);
    let published = Instant::now();
    for (base, (was, page)) in bases[1..].iter().zip(&warm) {
        if *was >= v {
            fail(&format!("{base} already had version {v}"));
        }
        loop {
            let (_, api) = get(&citizen, &format!("{base}/api/v1/disclosures/2020")).await;
            let (_, now) = get(&citizen, &format!("{base}/disclosure/2020")).await;
            if version(&api) == v && now != *page {
                break;
            }
            if published.elapsed() > PROPAGATION {
                fail(&format!(
                    "{base} still serves version {} after {PROPAGATION:?}",
                    version(&api)
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    println!(
        "publication: version {v} published at A, served by the others' API and pages {:.0} ms later",
        published.elapsed().as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 4 {
        fail("usage: scaleout A_URL B_URL C_URL DATABASE_URL");
    }
    let bases: Vec<String> = args[..3]
        .iter()
        .map(|b| b.trim_end_matches('/').to_string())
        .collect();
    let db = Database::connect(&args[3]).await.expect("database");
    throttle(&bases).await;
    import(&bases, &db).await;
    publication(&bases).await;
}
