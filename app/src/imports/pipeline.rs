//! The import pipeline, shared by `server import` and the upload page:
//! `prepare` validates everything and works out what would change (nothing
//! is written); `commit` writes it in one transaction, audits every changed
//! field and regrades the years touched.
//!
//! For an enterprise-year already stored, only the columns present in the
//! file change, so a department's own sheet updates just its fields.

use crate::dataio::{parse_table, RowError, Table};
use crate::store::{self, Fields, Result, Source, StoreError};
use chrono::Utc;
use entity::{audit_log, grade_result, record};
use grading::record::{column_by_key, field_text, Column, Kind};
use grading::Enterprise;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Who imports, and so what they may import.
#[derive(Clone, Debug, Default)]
pub struct ImportScope {
    /// A county official: rows of this county only.
    pub county: Option<String>,
    /// A department clerk: this department's columns only (plus identity).
    pub department: Option<grading::Department>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClassMove {
    pub uscc: String,
    pub name: String,
    pub year: i32,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A validated import, ready to commit.
#[derive(Debug)]
pub struct Prepared {
    plan: Vec<(Option<record::Model>, Fields)>,
    graded: Vec<YearGrade>,
    pub rows: usize,
    pub moves: Vec<ClassMove>,
}

/// One year as it will be once the import is written: every record
/// (stored and imported) and its grade. The commit writes these results
/// instead of reading the year back, provided the year is still as the
/// preview saw it (`stamp`); otherwise the commit is refused, as the plan
/// itself (which fields change) would be stale.
#[derive(Debug)]
struct YearGrade {
    year: i32,
    stamp: (u64, Option<chrono::DateTime<Utc>>),
    graded: grading::Grader,
}

#[derive(Debug, Default, PartialEq, Eq, Clone, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub changed_fields: usize,
}

/// Progress of a commit, for a progress bar.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
    pub phase: Mutex<String>,
}

impl Progress {
    fn phase(&self, p: &str, total: usize) {
        if let Ok(mut g) = self.phase.lock() {
            *g = p.to_string();
        }
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    fn step(&self, n: usize) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

const IDENTITY: &[&str] = &["uscc", "name", "county", "industry", "scale", "year"];

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
        if !store::is_default(col.key, &v) {
            f.insert(col.key.to_string(), v);
        }
    }
    f
}

/// Rows of another county, read from the raw cells (for a table whose other
/// cells did not all parse, so every problem is reported at once).
fn county_errors(table: &Table, scope: &ImportScope) -> Vec<RowError> {
    let Some(county) = &scope.county else {
        return vec![];
    };
    let Some(k) = table.headers.iter().position(|h| {
        column_by_key("county").is_some_and(|c| grading::record::column(h) == Some(c))
    }) else {
        return vec![];
    };
    table
        .rows
        .iter()
        .filter_map(|(line, cells)| {
            let c = grading::County::parse(cells.get(k)?)?;
            (c.code() != county).then(|| RowError {
                row: *line,
                column: "county".into(),
                reason: "只能导入本县（市、区）的企业".into(),
            })
        })
        .collect()
}

/// Validates the table in full (cells, scope, merges with stored records,
/// the engine's own checks) and works out the class changes. Errors come
/// back as a list, each naming row, column and reason.
pub async fn prepare(
    db: &DatabaseConnection,
    table: &Table,
    scope: &ImportScope,
) -> std::result::Result<Prepared, Vec<RowError>> {
    let internal = |e: StoreError| {
        vec![RowError {
            row: 0,
            column: String::new(),
            reason: e.to_string(),
        }]
    };
    let parsed = match parse_table(table) {
        Ok(p) => p,
        Err(mut errs) => {
            errs.extend(county_errors(table, scope));
            errs.sort_by_key(|e| e.row);
            return Err(errs);
        }
    };
    let mut errors = Vec::new();
    if let Some(d) = scope.department {
        for c in &parsed.columns {
            if !IDENTITY.contains(&c.key) && c.department != d {
                errors.push(RowError {
                    row: 1,
                    column: c.key.into(),
                    reason: format!("该列由{}提供，本部门不能导入", c.department.zh()),
                });
            }
        }
    }
    if let Some(county) = &scope.county {
        for (line, _, e) in &parsed.rows {
            if e.county.code() != county {
                errors.push(RowError {
                    row: *line,
                    column: "county".into(),
                    reason: "只能导入本县（市、区）的企业".into(),
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let present: BTreeSet<&str> = parsed.columns.iter().map(|c| c.key).collect();
    let years: BTreeSet<i32> = parsed.rows.iter().map(|(_, _, e)| e.year).collect();
    let mut plan = Vec::new();
    let mut moves = Vec::new();
    let mut graded = Vec::new();
    for &year in &years {
        // Read before the records: a change in between makes the commit
        // refuse (safe), never write over it.
        let stamp = store::year_stamp(db, year).await.map_err(internal)?;
        let existing: HashMap<String, (record::Model, Enterprise)> = store::load_year(db, year)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|(m, e)| (m.uscc.clone(), (m, e)))
            .collect();
        let mut combined: HashMap<&str, Enterprise> = existing
            .iter()
            .map(|(k, (_, e))| (k.as_str(), e.clone()))
            .collect();
        let mut origin: HashMap<&str, usize> = HashMap::new();
        for (line, cells, e) in parsed.rows.iter().filter(|r| r.2.year == year) {
            let new_fields = fields_from_row(&parsed.columns, cells, e);
            let (model, merged) = match existing.get(&e.uscc) {
                Some((m, _)) => {
                    if scope.county.as_ref().is_some_and(|c| *c != m.county) {
                        errors.push(RowError {
                            row: *line,
                            column: "county".into(),
                            reason: "该企业属于其他县（市、区）".into(),
                        });
                        continue;
                    }
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
            match store::enterprise_from(&merged) {
                Ok(me) => {
                    combined.insert(e.uscc.as_str(), me);
                    origin.insert(e.uscc.as_str(), *line);
                    plan.push((model, merged));
                }
                Err(err) => errors.push(RowError {
                    row: *line,
                    column: String::new(),
                    reason: format!("与已有记录合并后无效：{err}"),
                }),
            }
        }
        if !errors.is_empty() {
            continue;
        }
        let mut rows: Vec<Enterprise> = combined.into_values().collect();
        rows.sort_by(|a, b| a.uscc.cmp(&b.uscc));
        let rs = store::ruleset_for(db, year).await.map_err(internal)?;
        match grading::Grader::new(rs, rows) {
            Err(err) => {
                let uscc = err.uscc.as_str();
                match origin.get(uscc) {
                    Some(&row) => errors.push(RowError {
                        row,
                        column: err.field.into(),
                        reason: err.reason,
                    }),
                    None => errors.push(RowError {
                        row: 0,
                        column: err.field.into(),
                        reason: format!(
                            "已有记录 {uscc}（{year} 年度）与本次导入冲突：{}",
                            err.reason
                        ),
                    }),
                }
            }
            Ok(g) => {
                use sea_orm::QuerySelect;
                let before: HashMap<String, Option<String>> = grade_result::Entity::find()
                    .select_only()
                    .column(grade_result::Column::Uscc)
                    .column(grade_result::Column::Class)
                    .filter(grade_result::Column::Year.eq(year))
                    .into_tuple::<(String, Option<String>)>()
                    .all(db)
                    .await
                    .map_err(|e| internal(e.into()))?
                    .into_iter()
                    .collect();
                for (e, r) in g.rows().iter().zip(g.results()) {
                    let after = r.class.map(|c| c.code().to_string());
                    let was = before.get(&e.uscc).cloned().flatten();
                    if was != after
                        && (origin.contains_key(e.uscc.as_str()) || before.contains_key(&e.uscc))
                    {
                        moves.push(ClassMove {
                            uscc: e.uscc.clone(),
                            name: e.name.clone(),
                            year,
                            before: was,
                            after,
                        });
                    }
                }
                graded.push(YearGrade {
                    year,
                    stamp,
                    graded: g,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Prepared {
        plan,
        graded,
        rows: parsed.rows.len(),
        moves,
    })
}

/// Writes a prepared import in one transaction. Nothing is written on failure.
pub async fn commit(
    db: &DatabaseConnection,
    prepared: Prepared,
    actor: &str,
    actor_id: Option<i32>,
    source: &str,
    progress: &Progress,
) -> Result<ImportReport> {
    let now = Utc::now();
    let txn = db.begin().await?;
    for g in &prepared.graded {
        if store::year_stamp(&txn, g.year).await? != g.stamp {
            return Err(StoreError::Input(format!(
                "{} 年度的数据在预览之后已被修改，本次导入未写入；请重新上传预览后再提交。",
                g.year
            )));
        }
    }
    let mut rep = ImportReport::default();
    let mut new_records = Vec::new();
    let mut audits = Vec::new();
    let audit = |action: &str,
                 uscc: &str,
                 year: i32,
                 field: Option<&str>,
                 old: Option<String>,
                 new: Option<String>| audit_log::ActiveModel {
        at: Set(now),
        user_id: Set(actor_id),
        username: Set(actor.to_string()),
        action: Set(action.to_string()),
        uscc: Set(Some(uscc.to_string())),
        year: Set(Some(year)),
        field: Set(field.map(str::to_string)),
        old_value: Set(old),
        new_value: Set(new),
        department: Set(field
            .and_then(column_by_key)
            .map(|c| c.department.code().to_string())),
        source: Set(source.to_string()),
        ..Default::default()
    };
    let mut sources_json = store::SourcesWriter::new(actor, now);
    progress.phase("records", prepared.plan.len());
    for (model, fields) in &prepared.plan {
        let head = |k: &str| fields.get(k).cloned().unwrap_or_default();
        let (uscc, year) = (
            head("uscc"),
            head("year").parse::<i32>().unwrap_or_default(),
        );
        match model {
            None => {
                let json = serde_json::to_string(fields).unwrap_or_default();
                new_records.push(record::ActiveModel {
                    uscc: Set(uscc.clone()),
                    year: Set(year),
                    name: Set(head("name")),
                    county: Set(head("county")),
                    industry: Set(head("industry")),
                    scale: Set(head("scale")),
                    fields: Set(json.clone()),
                    sources: Set(sources_json.json(fields.keys())),
                    updated_at: Set(now),
                    ..Default::default()
                });
                audits.push(audit("create", &uscc, year, None, None, Some(json)));
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
                    progress.step(1);
                    continue;
                }
                let mut sources: HashMap<String, Source> =
                    serde_json::from_str(&m.sources).unwrap_or_default();
                for k in &changed {
                    audits.push(audit(
                        "update",
                        &uscc,
                        year,
                        Some(k),
                        old.get(*k).cloned(),
                        fields.get(*k).cloned(),
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
        progress.step(1);
    }
    progress.phase("insert", new_records.len() + audits.len());
    for chunk in new_records.chunks(1000) {
        record::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
        progress.step(chunk.len());
    }
    for chunk in audits.chunks(1000) {
        audit_log::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
        progress.step(chunk.len());
    }
    progress.phase("grade", prepared.graded.len());
    for g in &prepared.graded {
        // The ruleset may have been edited since the preview: grade again
        // (from memory) only then.
        let rs = store::ruleset_for(&txn, g.year).await?;
        if rs == *g.graded.ruleset() {
            store::replace_results(&txn, g.year, &g.graded).await?;
        } else {
            let rows = g.graded.rows().to_vec();
            let regraded =
                grading::Grader::new(rs, rows).map_err(|e| StoreError::Input(e.to_string()))?;
            store::replace_results(&txn, g.year, &regraded).await?;
        }
        progress.step(1);
    }
    txn.commit().await?;
    progress.phase("done", 1);
    progress.step(1);
    Ok(rep)
}
