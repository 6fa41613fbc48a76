//! `server import FILE`: the interchange file into the database, all or
//! nothing. For an enterprise-year already stored, only the columns present
//! in the file change, so a department's own sheet (tax only, say) updates
//! its fields and leaves the others alone. Every change is audited.

use crate::dataio::{parse_table, read_table, RowError, Table};
use crate::error::{Result, ServerError};
use crate::grade_cmd::report;
use app::store::{self, Fields, Source};
use chrono::Utc;
use entity::{audit_log, record};
use grading::record::{field_text, Column, Kind};
use grading::Enterprise;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub changed_fields: usize,
}

/// The text stored for a cell: numbers exactly as typed, the rest normalised.
fn stored_text(col: &Column, raw: &str, e: &Enterprise) -> String {
    match col.kind {
        Kind::Number(_) => raw.trim().to_string(),
        _ => field_text(e, col),
    }
}

fn fields_from_row(columns: &[&'static Column], cells: &[String], e: &Enterprise) -> Fields {
    let mut f = Fields::new();
    for (k, col) in columns.iter().enumerate() {
        let raw = cells.get(k).map(String::as_str).unwrap_or("").trim();
        if raw.is_empty() {
            continue;
        }
        let v = stored_text(col, raw, e);
        if store::is_default(col.key, &v) {
            continue;
        }
        f.insert(col.key.to_string(), v);
    }
    f
}

pub async fn run(
    db: &DatabaseConnection,
    path: &std::path::Path,
    actor: &str,
) -> Result<ImportReport> {
    let table = read_table(path)?;
    let source = format!(
        "import:{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file")
    );
    import_table(db, &table, actor, None, &source).await
}

/// Validates the whole table, then writes it in one transaction and regrades
/// the years it touched. Nothing is written when anything is wrong.
pub async fn import_table(
    db: &DatabaseConnection,
    table: &Table,
    actor: &str,
    actor_id: Option<i32>,
    source: &str,
) -> Result<ImportReport> {
    let parsed = parse_table(table).map_err(|errs| ServerError::Input(report(&errs)))?;
    let present: BTreeSet<&str> = parsed.columns.iter().map(|c| c.key).collect();
    let years: BTreeSet<i32> = parsed.rows.iter().map(|(_, _, e)| e.year).collect();
    let now = Utc::now();
    let mut plan: Vec<(usize, Option<record::Model>, Fields)> = Vec::new();

    for &year in &years {
        let existing: HashMap<String, (record::Model, Enterprise)> = store::load_year(db, year)
            .await?
            .into_iter()
            .map(|(m, e)| (m.uscc.clone(), (m, e)))
            .collect();
        let mut combined: HashMap<String, Enterprise> = existing
            .iter()
            .map(|(k, (_, e))| (k.clone(), e.clone()))
            .collect();
        let mut origin: HashMap<String, usize> = HashMap::new();
        for (line, cells, e) in parsed.rows.iter().filter(|r| r.2.year == year) {
            let new_fields = fields_from_row(&parsed.columns, cells, e);
            let (model, merged) = match existing.get(&e.uscc) {
                Some((m, _)) => {
                    let mut f: Fields = serde_json::from_str(&m.fields).unwrap_or_default();
                    for key in &present {
                        match new_fields.get(*key) {
                            Some(v) => f.insert(key.to_string(), v.clone()),
                            None => f.remove(*key),
                        };
                    }
                    (Some(m.clone()), f)
                }
                None => (None, new_fields),
            };
            let as_model = record::Model {
                id: 0,
                uscc: e.uscc.clone(),
                year,
                name: String::new(),
                county: String::new(),
                industry: String::new(),
                scale: String::new(),
                fields: serde_json::to_string(&merged).unwrap_or_default(),
                sources: "{}".into(),
                updated_at: now,
            };
            let merged_e = store::enterprise_of(&as_model).map_err(|err| {
                ServerError::Input(format!("第 {line} 行与已有记录合并后无效：{err}"))
            })?;
            combined.insert(e.uscc.clone(), merged_e);
            origin.insert(e.uscc.clone(), *line);
            plan.push((*line, model, merged));
        }
        // The engine's own checks (lessors) over the year as it would be.
        let mut rows: Vec<Enterprise> = combined.into_values().collect();
        rows.sort_by(|a, b| a.uscc.cmp(&b.uscc));
        let rs = store::ruleset_for(db, year).await?;
        if let Err(err) = grading::grade(&rs, &rows) {
            let uscc = &rows[err.index].uscc;
            let row = origin.get(uscc).copied().unwrap_or(0);
            let msg = if row > 0 {
                report(&[RowError {
                    row,
                    column: err.field.into(),
                    reason: err.reason,
                }])
            } else {
                format!(
                    "已有记录 {uscc}（{year} 年度）与本次导入冲突：{}\n",
                    err.reason
                )
            };
            return Err(ServerError::Input(msg));
        }
    }

    let txn = db.begin().await?;
    let mut rep = ImportReport::default();
    let mut new_records = Vec::new();
    let mut audits = Vec::new();
    let audit = |action: &str,
                 uscc: &str,
                 year: i32,
                 field: Option<&str>,
                 old: Option<String>,
                 new: Option<String>,
                 dept: Option<String>| {
        audit_log::ActiveModel {
            at: Set(now),
            user_id: Set(actor_id),
            username: Set(actor.to_string()),
            action: Set(action.to_string()),
            uscc: Set(Some(uscc.to_string())),
            year: Set(Some(year)),
            field: Set(field.map(str::to_string)),
            old_value: Set(old),
            new_value: Set(new),
            department: Set(dept),
            source: Set(source.to_string()),
            ..Default::default()
        }
    };
    for (_line, model, fields) in &plan {
        let head = |k: &str| fields.get(k).cloned().unwrap_or_default();
        let (uscc, year) = (
            head("uscc"),
            head("year").parse::<i32>().unwrap_or_default(),
        );
        let dept_of =
            |k: &str| grading::record::column_by_key(k).map(|c| c.department.code().to_string());
        match model {
            None => {
                let sources: HashMap<&String, Source> = fields
                    .keys()
                    .map(|k| (k, Source::new(k, actor, now)))
                    .collect();
                new_records.push(record::ActiveModel {
                    uscc: Set(uscc.clone()),
                    year: Set(year),
                    name: Set(head("name")),
                    county: Set(head("county")),
                    industry: Set(head("industry")),
                    scale: Set(head("scale")),
                    fields: Set(serde_json::to_string(fields).unwrap_or_default()),
                    sources: Set(serde_json::to_string(&sources).unwrap_or_default()),
                    updated_at: Set(now),
                    ..Default::default()
                });
                audits.push(audit(
                    "create",
                    &uscc,
                    year,
                    None,
                    None,
                    serde_json::to_string(fields).ok(),
                    None,
                ));
                rep.created += 1;
            }
            Some(m) => {
                let old: Fields = serde_json::from_str(&m.fields).unwrap_or_default();
                let keys: BTreeSet<&String> = old.keys().chain(fields.keys()).collect();
                let changed: Vec<&String> = keys
                    .into_iter()
                    .filter(|k| old.get(*k) != fields.get(*k))
                    .collect();
                if changed.is_empty() {
                    rep.unchanged += 1;
                    continue;
                }
                let mut sources: HashMap<String, Source> =
                    serde_json::from_str(&m.sources).unwrap_or_default();
                for k in &changed {
                    let dept = dept_of(k);
                    audits.push(audit(
                        "update",
                        &uscc,
                        year,
                        Some(k),
                        old.get(*k).cloned(),
                        fields.get(*k).cloned(),
                        dept.clone(),
                    ));
                    sources.insert((*k).clone(), Source::new(k, actor, now));
                }
                rep.changed_fields += changed.len();
                rep.updated += 1;
                let mut am: record::ActiveModel = m.clone().into();
                am.name = Set(head("name"));
                am.county = Set(head("county"));
                am.industry = Set(head("industry"));
                am.scale = Set(head("scale"));
                am.fields = Set(serde_json::to_string(fields).unwrap_or_default());
                am.sources = Set(serde_json::to_string(&sources).unwrap_or_default());
                am.updated_at = Set(now);
                am.update(&txn).await?;
            }
        }
    }
    for chunk in new_records.chunks(1000) {
        record::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in audits.chunks(1000) {
        audit_log::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for &year in &years {
        store::regrade_year(&txn, year).await?;
    }
    txn.commit().await?;
    Ok(rep)
}
