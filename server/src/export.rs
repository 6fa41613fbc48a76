//! Downloads of a year's records (the interchange format, re-importable
//! unchanged) and results, as CSV or one .xlsx workbook whose first sheet is
//! the records and second the results. Scoped like the workspace.

use app::dataio::{csv_bytes, xlsx_bytes, Sheet};
use app::state::AppState;
use app::store::{self, Fields};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
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

pub async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    match run(&state, &file, &headers).await {
        Ok(r) => r,
        Err(status) => (status, status.canonical_reason().unwrap_or("")).into_response(),
    }
}

async fn run(state: &AppState, file: &str, headers: &HeaderMap) -> Result<Response, StatusCode> {
    let county = crate::routes::workspace_scope(state, headers).await?;
    let (year, kind) = parse(file).ok_or(StatusCode::NOT_FOUND)?;
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!("export: {e}");
        StatusCode::INTERNAL_SERVER_ERROR
    };

    let records: Vec<Vec<String>> = store::load_year(&state.db, year)
        .await
        .map_err(|e| internal(&e))?
        .into_iter()
        .filter(|(m, _)| county.as_ref().is_none_or(|c| *c == m.county))
        .map(|(m, _)| {
            let f: Fields = serde_json::from_str(&m.fields).unwrap_or_default();
            COLUMNS
                .iter()
                .map(|c| f.get(c.key).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    let mut q = grade_result::Entity::find().filter(grade_result::Column::Year.eq(year));
    if let Some(c) = &county {
        q = q.filter(grade_result::Column::County.eq(c.clone()));
    }
    let results: Vec<Vec<String>> = q
        .order_by_asc(grade_result::Column::Uscc)
        .all(&state.db)
        .await
        .map_err(|e| internal(&e))?
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
        return Err(StatusCode::NOT_FOUND);
    }
    let record_headers: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
    let (bytes, mime) = match kind {
        Kind::Records => (
            csv_bytes(&record_headers, &records).map_err(|e| internal(&e))?,
            "text/csv; charset=utf-8",
        ),
        Kind::Results => (
            csv_bytes(&RESULT_HEADERS, &results).map_err(|e| internal(&e))?,
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
            ])
            .map_err(|e| internal(&e))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    let name = format!("muyi-{}-{file}", county.unwrap_or_else(|| "city".into()));
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
