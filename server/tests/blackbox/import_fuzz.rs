//! The importer on bad input: arbitrary bytes, and valid CSV and .xlsx
//! files mutated (bytes flipped, cut, cells replaced, lines repeated or
//! dropped). Whatever comes in: no panic, nothing half-written, every
//! rejection names a row and a column (or the header row, or the file),
//! and whatever is accepted commits whole, leaving the records agreeing
//! with their audit trail and the results with a full regrade. Every CSV
//! is also read the plain way (a table of strings, row by row) and must
//! give the same rows and the same errors as the fast reader.
//!
//! Bounded for CI (`MUYI_FUZZ_CASES`, 40 per kind by default); by hand:
//! `MUYI_FUZZ_CASES=5000 cargo test -p server --test import_fuzz --release`.

use crate::support;
use grading::record::{map_headers, parse_row};
use grading::Enterprise;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sea_orm::{EntityTrait, PaginatorTrait};
use service::dataio::{FileRows, RowError};
use service::imports::pipeline;
use service::records::{Origin, Progress};
use service::{Actor, Services};

fn cases() -> u32 {
    std::env::var("MUYI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

/// A small demo city, and a valid sheet of 30 of its records.
async fn setup() -> (Services, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = support::fresh_database(dir.path());
    let db = server::application::prepare_database(&url).await.unwrap();
    let svc = Services::new(db, service::Config::default());
    service::seed::demo(&svc, 7, 40, 80).await.unwrap();
    let actor = Actor::System("fuzz".into());
    let d = service::exports::export(&svc, &actor, "2020-records.csv")
        .await
        .unwrap();
    let text = String::from_utf8(d.bytes).unwrap();
    let sheet: String = text.lines().take(31).map(|l| format!("{l}\n")).collect();
    (svc, dir, sheet)
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, String),
    Cell(usize, usize, String),
    RepeatLine(usize),
    DropLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let text = prop_oneof![
        Just(String::new()),
        Just("-1".to_string()),
        Just("1e309".to_string()),
        Just("NaN".to_string()),
        Just("=SUM(A1)".to_string()),
        Just("\"".to_string()),
        Just("9".repeat(40)),
        Just("，".to_string()),
        "\\PC{0,12}",
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), text.clone()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<usize>(), any::<usize>(), text).prop_map(|(r, c, s)| Mutation::Cell(r, c, s)),
        any::<usize>().prop_map(Mutation::RepeatLine),
        any::<usize>().prop_map(Mutation::DropLine),
    ]
}

fn apply(sheet: &str, ms: &[Mutation]) -> Vec<u8> {
    let mut bytes = sheet.as_bytes().to_vec();
    for m in ms {
        let n = bytes.len().max(1);
        match m {
            Mutation::Flip(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % n] ^= b | 1;
                }
            }
            Mutation::Cut(i) => bytes.truncate(i % n),
            Mutation::Insert(i, s) => {
                let at = i % n;
                bytes.splice(at..at, s.bytes());
            }
            Mutation::Cell(r, c, s) => {
                let text = String::from_utf8_lossy(&bytes).to_string();
                let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
                if lines.is_empty() {
                    continue;
                }
                let l = r % lines.len();
                let mut cells: Vec<String> = lines[l].split(',').map(str::to_string).collect();
                let k = c % cells.len();
                cells[k] = s.clone();
                lines[l] = cells.join(",");
                bytes = (lines.join("\n") + "\n").into_bytes();
            }
            Mutation::RepeatLine(i) | Mutation::DropLine(i) => {
                let text = String::from_utf8_lossy(&bytes).to_string();
                let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
                if lines.is_empty() {
                    continue;
                }
                let l = i % lines.len();
                if matches!(m, Mutation::RepeatLine(_)) {
                    let line = lines[l].clone();
                    lines.insert(l, line);
                } else {
                    lines.remove(l);
                }
                bytes = (lines.join("\n") + "\n").into_bytes();
            }
        }
    }
    bytes
}

/// The same table as a workbook (what a clerk saves from Excel).
fn as_xlsx(csv: &[u8]) -> Option<Vec<u8>> {
    let table = service::dataio::read_csv(csv).ok()?;
    let headers: Vec<&str> = table.headers.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = table.rows.into_iter().map(|(_, r)| r).collect();
    service::dataio::xlsx_bytes(&[service::dataio::Sheet {
        name: "data",
        headers: &headers,
        rows: &rows,
    }])
    .ok()
}

async fn counts(svc: &Services) -> (u64, u64) {
    (
        entity::record::Entity::find().count(&svc.db).await.unwrap(),
        entity::audit_log::Entity::find()
            .count(&svc.db)
            .await
            .unwrap(),
    )
}

/// The reader of typed rows (pieces on both cores, no string per cell)
/// says what the plain reading did: a table of text cells, each row parsed
/// by `grading::record::parse_row`, duplicates named at their second row.
/// Same rows, same errors, word for word.
fn same_as_reference(bytes: &[u8], file: &FileRows) -> Result<(), TestCaseError> {
    let Ok(table) = service::dataio::read_csv(bytes) else {
        return Ok(());
    };
    let error = |row: usize, column: &str, reason: grading::Words| RowError {
        row,
        column: column.to_string(),
        reason,
    };
    let (mut errors, mut rows) = (Vec::new(), Vec::new());
    match map_headers(&table.headers) {
        Err(errs) => errors.extend(errs.into_iter().map(|r| error(1, "", r))),
        Ok(columns) => {
            let mut seen = std::collections::HashMap::new();
            for (line, cells) in &table.rows {
                match parse_row(&columns, cells) {
                    Ok(e) => {
                        if let Some(first) = seen.insert((e.uscc.clone(), e.year), *line) {
                            errors.push(error(
                                *line,
                                "uscc",
                                service::dataio::duplicate(&e.uscc, e.year, first),
                            ));
                        }
                        rows.push((*line, e));
                    }
                    Err(errs) => errors.extend(errs.into_iter().map(|fe| {
                        let column = if fe.column.is_empty() {
                            let k = (columns.len()..cells.len())
                                .find(|&k| !cells[k].trim().is_empty())
                                .unwrap_or(columns.len());
                            service::dataio::column_letters(k as u32)
                        } else {
                            fe.column.to_string()
                        };
                        error(*line, &column, fe.reason)
                    })),
                }
            }
        }
    }
    prop_assert_eq!(&file.errors, &errors);
    prop_assert_eq!(file.data_rows, table.rows.len());
    if errors.is_empty() {
        let typed: Vec<(usize, Enterprise)> = file
            .rows
            .iter()
            .map(|r| (r.line, r.enterprise.clone()))
            .collect();
        prop_assert_eq!(typed, rows);
    }
    Ok(())
}

/// One file through the importer, checked.
async fn try_file(svc: &Services, name: &str, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let actor = Actor::System("fuzz".into());
    let before = counts(svc).await;
    let xlsx = service::dataio::is_xlsx_name(name);
    let file = match service::dataio::read_rows(&bytes, xlsx, true) {
        // The file as a whole: its message says what is wrong with it.
        Err(service::ServiceError::Invalid(m)) => {
            prop_assert!(!m.zh.is_empty() && !m.en.is_empty());
            return Ok(());
        }
        Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        Ok(t) => t,
    };
    if !xlsx {
        same_as_reference(&bytes, &file)?;
    }
    match pipeline::prepare(svc, &actor, &file).await {
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert!(e.row >= 1, "no row: {e:?}");
                prop_assert!(
                    !e.column.is_empty() || e.row == 1,
                    "a data row's error names no column: {e:?}"
                );
                prop_assert!(!e.reason.zh.is_empty() && !e.reason.en.is_empty());
            }
            prop_assert_eq!(counts(svc).await, before, "a refused file wrote nothing");
        }
        Ok(prepared) => {
            let origin = Origin::File(name.to_string());
            pipeline::commit(svc, &actor, &origin, prepared, &Progress::default())
                .await
                .map_err(|e| TestCaseError::fail(format!("commit: {e:?}")))?;
            let problems = service::integrity::check(&svc.db).await.unwrap();
            prop_assert!(problems.is_empty(), "{:?}", problems);
        }
    }
    Ok(())
}

#[test]
fn the_importer_survives_arbitrary_and_mutated_files() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (svc, _dir, sheet) = rt.block_on(setup());
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };

    // Arbitrary bytes, as a CSV and as a workbook.
    let mut runner = TestRunner::new(config.clone());
    runner
        .run(
            &(
                proptest::collection::vec(any::<u8>(), 0..2000),
                any::<bool>(),
            ),
            |(bytes, xlsx)| {
                let name = if xlsx { "f.xlsx" } else { "f.csv" };
                rt.block_on(try_file(&svc, name, bytes))
            },
        )
        .unwrap();

    // A valid sheet, mutated, as CSV.
    let mut runner = TestRunner::new(config.clone());
    runner
        .run(&proptest::collection::vec(mutation(), 1..4), |ms| {
            rt.block_on(try_file(&svc, "m.csv", apply(&sheet, &ms)))
        })
        .unwrap();

    // The same as workbooks: the table mutated, and the zip's bytes.
    let mut runner = TestRunner::new(config);
    runner
        .run(
            &(
                proptest::collection::vec(mutation(), 0..3),
                proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
            ),
            |(ms, flips)| {
                let Some(mut x) = as_xlsx(&apply(&sheet, &ms)) else {
                    return Ok(());
                };
                let n = x.len();
                for (i, b) in flips {
                    x[i % n] ^= b | 1;
                }
                rt.block_on(try_file(&svc, "m.xlsx", x))
            },
        )
        .unwrap();
}
