//! `server grade`: grade a file without any database.

use crate::error::{Result, ServerError};
use grading::ruleset::Scope;
use grading::{format_score, Ruleset};
use service::dataio::{parse_table, read_table, report, write_table, RowError};
use std::path::Path;

pub const RESULT_HEADERS: [&str; 9] = [
    "uscc",
    "status",
    "cohort",
    "score",
    "rank",
    "cohort_size",
    "base_class",
    "class",
    "reasons",
];

pub fn load_ruleset(path: Option<&Path>) -> Result<Ruleset> {
    let Some(p) = path else {
        return Ok(Ruleset::builtin_2020());
    };
    let text = std::fs::read_to_string(p)?;
    let is_json = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    Ok(if is_json {
        Ruleset::from_json(&text)?
    } else {
        Ruleset::from_toml(&text)?
    })
}

pub fn run(
    input: &Path,
    output: &Path,
    scope: Option<Scope>,
    ruleset: Option<&Path>,
) -> Result<usize> {
    let mut rs = load_ruleset(ruleset)?;
    if let Some(s) = scope {
        rs.cohort.scope = s;
    }
    let table = read_table(input)?;
    let parsed =
        parse_table(&table).map_err(|errs| ServerError::Input(report(&errs, "未生成结果。")))?;
    let rows: Vec<grading::Enterprise> = parsed.rows.iter().map(|(_, _, e)| e.clone()).collect();
    let results = grading::grade(&rs, &rows).map_err(|e| {
        let (line, _, _) = &parsed.rows[e.index];
        ServerError::Input(report(
            &[RowError {
                row: *line,
                column: e.field.into(),
                reason: e.reason.clone(),
            }],
            "未生成结果。",
        ))
    })?;
    let out: Vec<Vec<String>> = rows
        .iter()
        .zip(&results)
        .map(|(e, r)| {
            let opt = |v: Option<String>| v.unwrap_or_default();
            vec![
                e.uscc.clone(),
                r.status.code().into(),
                opt(r.cohort.map(|c| c.name(&rs))),
                opt(r.score.map(format_score)),
                opt(r.rank.map(|x| x.to_string())),
                opt(r.cohort_size.map(|x| x.to_string())),
                opt(r.base_class.map(|c| c.code().into())),
                opt(r.class.map(|c| c.code().into())),
                r.reasons
                    .iter()
                    .map(|x| x.code())
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        })
        .collect();
    write_table(output, &RESULT_HEADERS, &out)?;
    Ok(out.len())
}
