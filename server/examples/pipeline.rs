//! The file pipeline's yardsticks (docs/performance.md, `scripts/pipeline.sh`):
//!
//! * `gen FILE ROWS [SEED]` writes a synthetic city of ROWS enterprises in
//!   the interchange format (every column, as an export writes them; a
//!   quarter above-size), CSV or .xlsx by the file's extension;
//! * `reference FILE` is the reference the goals are measured against: one
//!   plain pass of the `csv` crate over the file that reads every field,
//!   parsing it as a number when it is one and keeping its bytes otherwise
//!   (one reused `ByteRecord`, no string per cell).
//!
//! * `progress BASE USER PASSWORD FILE` imports FILE through a running
//!   server as the browser does (upload and preview, commit, then the
//!   status the progress bar shows, every 250 ms) and prints how long each
//!   step took and the longest time the bar stood still.
//!
//! The first two are timed from outside (`/usr/bin/time`), like `server grade`.

use grading::record::{field_text, COLUMNS};
use grading::synth;
use service::dataio::write_table;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen", file, rows, rest @ ..] => {
            let rows: usize = rows.parse().expect("ROWS is a number");
            let seed: u64 = rest.first().map_or(42, |s| s.parse().expect("SEED"));
            generate(Path::new(file), rows, seed);
        }
        ["reference", file] => reference(Path::new(file)),
        ["progress", base, user, password, file] => tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(progress(base, user, password, Path::new(file))),
        _ => {
            eprintln!(
                "usage: pipeline gen FILE ROWS [SEED] | reference FILE | progress BASE USER PASSWORD FILE"
            );
            std::process::exit(2);
        }
    }
}

fn generate(path: &Path, rows: usize, seed: u64) {
    let above = rows / 4;
    let city = synth::city(seed, 2020, above, rows - above);
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
    let table: Vec<Vec<String>> = city
        .iter()
        .map(|e| COLUMNS.iter().map(|c| field_text(e, c)).collect())
        .collect();
    write_table(path, &headers, &table).expect("file written");
    eprintln!("{} rows → {}", table.len(), path.display());
}

fn reference(path: &Path) {
    let bytes = std::fs::read(path).expect("file read");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(&bytes[..]);
    let mut rec = csv::ByteRecord::new();
    let (mut rows, mut sum, mut kept) = (0usize, 0f64, Vec::<u8>::new());
    while rdr.read_byte_record(&mut rec).expect("csv") {
        rows += 1;
        kept.clear();
        for field in rec.iter() {
            match std::str::from_utf8(field)
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
            {
                Some(v) => sum += v,
                None => kept.extend_from_slice(field),
            }
        }
    }
    println!(
        "{rows} rows, sum {sum:.1}, {} bytes kept in the last",
        kept.len()
    );
}

async fn progress(base: &str, user: &str, password: &str, file: &Path) {
    use std::time::{Duration, Instant};
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(600))
        .build()
        .expect("client");
    let call = |name: &str, form: Vec<(&str, String)>| {
        http.post(format!("{base}/api/{name}"))
            .header("Accept", "application/json")
            .form(&form)
            .send()
    };
    let r = call(
        "login",
        vec![("username", user.into()), ("password", password.into())],
    )
    .await
    .expect("login");
    assert!(r.status().is_success(), "login: {}", r.status());
    let bytes = std::fs::read(file).expect("file");
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("f.csv");
    let t = Instant::now();
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let preview: serde_json::Value = http
        .post(format!("{base}/api/preview_import"))
        .header("Accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("preview")
        .json()
        .await
        .expect("preview json");
    let checked = t.elapsed();
    let id = preview["id"]
        .as_str()
        .unwrap_or_else(|| panic!("refused: {}", preview["errors"]))
        .to_string();
    println!(
        "upload and check of {} rows: {:.2} s",
        preview["rows"],
        checked.as_secs_f64()
    );
    let t = Instant::now();
    let r = call("commit_import", vec![("id", id.clone())])
        .await
        .expect("commit");
    assert!(r.status().is_success(), "commit: {}", r.status());
    let (mut shown, mut since, mut stall) = (String::new(), Instant::now(), Duration::ZERO);
    let mut samples = 0;
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let s: serde_json::Value = call("import_status", vec![("id", id.clone())])
            .await
            .expect("status")
            .json()
            .await
            .expect("status json");
        samples += 1;
        let now = format!("{} {}/{}", s["phase"], s["done"], s["total"]);
        if now != shown {
            stall = stall.max(since.elapsed());
            println!("{:6.2} s  {now}", t.elapsed().as_secs_f64());
            shown = now;
            since = Instant::now();
        }
        if s["finished"].as_bool() == Some(true) {
            assert!(s["error"].is_null(), "import failed: {}", s["error"]);
            break;
        }
    }
    println!(
        "commit: {:.2} s, {samples} polls; the bar stood still at most {:.2} s",
        t.elapsed().as_secs_f64(),
        stall.as_secs_f64()
    );
}
