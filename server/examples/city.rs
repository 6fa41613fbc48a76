//! A city ten times the demo (#23 item 4), measured in-process on a
//! database `scripts/city.sh` seeded: a full regrade of a year, the
//! workspace list (the first one loads the year), publishing a version,
//! the public search, the annual counts, and a 40,000-row file of changed
//! tax figures written for `server import` to time.
//!
//! Usage: city DATABASE_URL DIR workspace   (writes DIR/tax40k.csv)
//!        city DATABASE_URL DIR public      (after the import: a correction
//!                                           to publish)

use grading::record::{field_text, COLUMNS};
use service::disclosure::PublicQuery;
use service::reports::Edition;
use service::workspace::ListQuery;
use service::{Actor, Config, Services};
use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

const YEAR: i32 = 2020;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, database, dir, part] = &args[..] else {
        eprintln!("usage: city DATABASE_URL DIR workspace|public");
        std::process::exit(2);
    };
    let db = server::application::prepare_database(database)
        .await
        .expect("database");
    let svc = Services::new(db, Config::default());
    let admin = service::accounts::users::acting_as(&svc.db, "admin")
        .await
        .expect("the demo's city administrator");
    let official = service::accounts::users::acting_as(&svc.db, "nanhu")
        .await
        .expect("a demo county official");

    if part == "workspace" {
        workspace(&svc, &admin, &official).await;
        let rows = tax_file(&svc, Path::new(dir).join("tax40k.csv").as_path(), 40_000).await;
        println!("{rows} rows of changed tax figures written for `server import`");
    } else {
        public(&svc, &admin).await;
    }
    println!("peak memory of this process: {}", peak_memory());
}

/// The year graded in full, and the workspace list.
async fn workspace(svc: &Services, admin: &Actor, official: &Actor) {
    let n = once("full regrade of a year (from the database)", async {
        service::store::regrade_year(&svc.db, YEAR).await.unwrap()
    })
    .await;
    println!("  ({n} enterprises graded)");

    let list = |actor: Actor, q: ListQuery| {
        let svc = svc.clone();
        async move {
            service::workspace::views::list(&svc, &actor, q)
                .await
                .unwrap()
        }
    };
    let page = |p: u64| ListQuery {
        year: Some(YEAR),
        page: Some(p),
        ..Default::default()
    };
    let first = once(
        "workspace list, first (loads the year)",
        list(admin.clone(), page(1)),
    )
    .await;
    println!("  ({} enterprises in {YEAR})", first.total);
    repeated("workspace list, a page, whole city", 20, |i| {
        list(admin.clone(), page(1 + i as u64 * 37))
    })
    .await;
    repeated("workspace list, a page, one county", 20, |i| {
        list(official.clone(), page(1 + i as u64 * 7))
    })
    .await;
    repeated("workspace list, a name search, whole city", 20, |_| {
        list(
            admin.clone(),
            ListQuery {
                q: Some("纺织".into()),
                ..page(1)
            },
        )
    })
    .await;
    repeated("workspace list, sorted by name", 5, |_| {
        list(
            admin.clone(),
            ListQuery {
                sort: Some("name".into()),
                ..page(1)
            },
        )
    })
    .await;
}

/// A version published, the public search and the annual counts.
async fn public(svc: &Services, admin: &Actor) {
    // The demo's 2020 is published already: a correction publishes the
    // next version (the year's whole list, and its changes).
    let version = once("publishing a version (a correction)", async {
        service::disclosure::publish::correct(svc, admin, YEAR, "基准测试：十倍规模")
            .await
            .unwrap()
    })
    .await;
    println!("  (version {version})");
    let public = |q: PublicQuery| {
        let svc = svc.clone();
        async move {
            service::disclosure::read::page(&svc, YEAR, &q)
                .await
                .unwrap()
        }
    };
    let search = || PublicQuery {
        q: Some("纺织".into()),
        ..Default::default()
    };
    once("public search, first (reads the version)", public(search())).await;
    repeated("public search by name", 20, |_| public(search())).await;
    repeated("public list, a page of one county", 20, |i| {
        public(PublicQuery {
            county: Some("haining".into()),
            page: Some(1 + i as u64),
            ..Default::default()
        })
    })
    .await;
    once("annual counts (the public report), first", async {
        service::reports::annual(svc, &Actor::Public, YEAR, Edition::Public)
            .await
            .unwrap()
    })
    .await;
    repeated("annual counts (the internal report)", 3, |_| async {
        service::reports::annual(svc, admin, YEAR, Edition::Internal)
            .await
            .unwrap()
    })
    .await;
}

/// Runs `f` once and prints how long it took.
async fn once<T>(label: &str, f: impl Future<Output = T>) -> T {
    let t = Instant::now();
    let out = f.await;
    println!("{label:<48} {:>9.1} ms", ms(t.elapsed()));
    out
}

/// Runs `f(i)` `n` times one after another; prints the median and the
/// slowest.
async fn repeated<T, F: Future<Output = T>>(label: &str, n: usize, f: impl Fn(usize) -> F) {
    let mut times: Vec<f64> = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i).await;
        times.push(ms(t.elapsed()));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{label:<48} {:>9.1} ms median, {:.1} ms slowest of {n}",
        times[n / 2],
        times[n - 1]
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `n` enterprises of the year with their tax 5 % higher, in the
/// interchange format (every column, as an export writes it).
async fn tax_file(svc: &Services, path: &Path, n: usize) -> usize {
    let year = service::store::load_year(&svc.db, YEAR).await.unwrap();
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
    let table: Vec<Vec<String>> = year
        .into_iter()
        .take(n)
        .map(|(_, mut e)| {
            e.tax_wan = e.tax_wan.map(|t| (t * 105.0).round() / 100.0);
            COLUMNS.iter().map(|c| field_text(&e, c)).collect()
        })
        .collect();
    service::dataio::write_table(path, &headers, &table).unwrap();
    table.len()
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or("unknown".into(), |kb| format!("{:.0} MB", kb / 1024.0))
}
