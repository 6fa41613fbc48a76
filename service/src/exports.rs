//! Downloads of a year's records (the interchange format, re-importable
//! unchanged) and results, as CSV or one .xlsx workbook whose first sheet is
//! the records and second the results. Scoped like the workspace.

use crate::actor::Actor;
use crate::dataio::{csv_bytes, xlsx_bytes, Sheet};
use crate::{authz, store, Result, ServiceError, Services};
use entity::grade_result;
use grading::record::COLUMNS;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub const RESULT_HEADERS: [&str; 10] = [
    "uscc",
    "name",
    "status",
    "cohort",
    "score",
    "rank",
    "cohort_size",
    "base_class",
    "class",
    "reasons",
];

enum Kind {
    Records,
    Results,
    Workbook,
}

fn parse(file: &str) -> Option<(i32, Kind)> {
    if let Some(y) = file.strip_suffix("-records.csv") {
        return Some((y.parse().ok()?, Kind::Records));
    }
    if let Some(y) = file.strip_suffix("-results.csv") {
        return Some((y.parse().ok()?, Kind::Results));
    }
    Some((file.strip_suffix(".xlsx")?.parse().ok()?, Kind::Workbook))
}

/// A file to download.
pub struct Download {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// `file` is `<year>-records.csv`, `<year>-results.csv` or `<year>.xlsx`.
pub async fn export(svc: &Services, actor: &Actor, file: &str) -> Result<Download> {
    authz::workspace(actor)?;
    let county = authz::county_scope(actor);
    let (year, kind) = parse(file).ok_or(ServiceError::NotFound)?;
    let records: Vec<Vec<String>> = store::load_year(&svc.db, year)
        .await?
        .into_iter()
        .filter(|(m, _)| county.is_none_or(|c| c == m.county))
        .map(|(m, _)| {
            let f = store::fields_of_model(&m)?;
            Ok(COLUMNS
                .iter()
                .map(|c| f.get(c.key).cloned().unwrap_or_default())
                .collect())
        })
        .collect::<Result<_>>()?;
    let mut q = grade_result::Entity::find().filter(grade_result::Column::Year.eq(year));
    if let Some(c) = county {
        q = q.filter(grade_result::Column::County.eq(c));
    }
    let results: Vec<Vec<String>> = q
        .order_by_asc(grade_result::Column::Uscc)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|r| {
            let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
            vec![
                r.uscc,
                r.name,
                r.status,
                r.cohort.unwrap_or_default(),
                r.score.map(grading::format_score).unwrap_or_default(),
                n(r.rank),
                n(r.cohort_size),
                r.base_class.unwrap_or_default(),
                r.class.unwrap_or_default(),
                r.reasons,
            ]
        })
        .collect();
    if records.is_empty() {
        return Err(ServiceError::NotFound);
    }
    let record_headers: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
    let (bytes, mime) = match kind {
        Kind::Records => (
            csv_bytes(&record_headers, &records)?,
            "text/csv; charset=utf-8",
        ),
        Kind::Results => (
            csv_bytes(&RESULT_HEADERS, &results)?,
            "text/csv; charset=utf-8",
        ),
        Kind::Workbook => (
            xlsx_bytes(&[
                Sheet {
                    name: "records",
                    headers: &record_headers,
                    rows: &records,
                },
                Sheet {
                    name: "results",
                    headers: &RESULT_HEADERS,
                    rows: &results,
                },
            ])?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    Ok(Download {
        name: format!("muyi-{}-{file}", county.unwrap_or("city")),
        mime,
        bytes,
    })
}
