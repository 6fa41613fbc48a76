//! The import pipeline, shared by `server import` and the upload page:
//! `prepare` validates everything and works out what would change (nothing
//! is written); `commit` hands the result to the one write path, which
//! writes it in one transaction, audits every changed field and regrades
//! the years touched.
//!
//! For an enterprise-year already stored, only the columns present in the
//! file change, so a department's own sheet updates just its fields.

use super::MoveView;
use crate::actor::Actor;
use crate::dataio::{FileRows, Row, RowError};
use crate::records::{self, Batch, Draft, Origin, Progress, Regrading, Written};
use crate::store::{self, Fields};
use crate::{authz, Result, ServiceError, Services};
use entity::{grade_result, record};
use grading::Enterprise;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeSet, HashMap};

/// A validated import, ready to commit: one batch per year, each graded
/// as the year will be, made against the year at a version.
#[derive(Debug)]
pub struct Prepared {
    batches: Vec<Batch>,
    pub rows: usize,
    /// Class changes the actor may see.
    pub moves: Vec<MoveView>,
}

/// The stored fields of a row: the columns the file has, numbers exactly
/// as typed, the rest normalised; empty and default values left out.
fn fields_from_row(file: &FileRows, row: &Row) -> Fields {
    let mut f = Fields::new();
    for (k, col) in file.columns.iter().enumerate() {
        if grading::record::is_unset(&row.enterprise, col) {
            continue;
        }
        let v = file.stored_text(row, k);
        if !v.is_empty() && !store::is_default(col.key, &v) {
            f.insert(col.key.to_string(), v);
        }
    }
    f
}

/// Rows of another county, read from the county cells (for a file whose
/// other cells did not all parse, so every problem is reported at once).
fn county_errors(file: &FileRows, actor: &Actor) -> Vec<RowError> {
    let Some(county) = authz::county_scope(actor) else {
        return vec![];
    };
    file.counties()
        .filter(|(_, c)| c.code() != county)
        .map(|(line, _)| RowError {
            row: line,
            column: "county".into(),
            reason: authz::other_county(),
        })
        .collect()
}

/// Validates the table in full (cells, the actor's rights row by row,
/// merges with stored records, the engine's own checks) and works out the
/// class changes. Errors come back as a list, each naming row, column and
/// reason; none tells whether an enterprise exists in another county.
pub async fn prepare(
    svc: &Services,
    actor: &Actor,
    file: &FileRows,
) -> std::result::Result<Prepared, Vec<RowError>> {
    let internal = |e: ServiceError| {
        vec![RowError {
            row: 0,
            column: String::new(),
            reason: crate::error::client_words(&e),
        }]
    };
    authz::workspace(actor).map_err(internal)?;
    let db = &svc.db;
    if !file.is_valid() {
        let mut errs = file.errors.clone();
        errs.extend(county_errors(file, actor));
        errs.sort_by_key(|e| e.row);
        return Err(errs);
    }
    let mut errors = Vec::new();
    for c in &file.columns {
        if !authz::may_import_column(actor, c) {
            errors.push(RowError {
                row: 1,
                column: c.key.into(),
                reason: grading::Words::new(
                    format!("该列由{}提供，本部门不能导入", c.department.zh()),
                    format!(
                        "This column comes from {}; this department cannot import it",
                        c.department.en()
                    ),
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let present: BTreeSet<&str> = file.columns.iter().map(|c| c.key).collect();
    let years: BTreeSet<i32> = file.rows.iter().map(|r| r.enterprise.year).collect();
    let mut batches = Vec::new();
    let mut moves = Vec::new();
    for &year in &years {
        // Read before the records: a write in between makes the commit
        // refuse (safe), never write over it.
        let version = store::year_version(db, year).await.map_err(internal)?;
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
        let mut drafts = Vec::new();
        // Each row's record as it will be stored, on every core.
        let rows: Vec<&Row> = file
            .rows
            .iter()
            .filter(|r| r.enterprise.year == year)
            .collect();
        let made = crate::cpu::run(|| {
            crate::cpu::par_map(&rows, |row| {
                let e = &row.enterprise;
                let new_fields = fields_from_row(file, row);
                Ok(match existing.get(&e.uscc) {
                    Some((m, _)) => {
                        let mut f = store::fields_of_model(m)?;
                        for key in &present {
                            match new_fields.get(*key) {
                                Some(v) => f.insert(key.to_string(), v.clone()),
                                None => f.remove(*key),
                            };
                        }
                        (Some(m.clone()), store::enterprise_from(&f), f)
                    }
                    // A new record's fields are the row's own, which read
                    // back to the row (`grading::record` tests the round trip).
                    None => (None, Ok(e.clone()), new_fields),
                })
            })
        });
        for (row, made) in rows.iter().zip(made) {
            let (line, e) = (&row.line, &row.enterprise);
            let (base, me, merged) = made.map_err(internal)?;
            match me {
                Ok(me) => {
                    combined.insert(e.uscc.as_str(), me.clone());
                    origin.insert(e.uscc.as_str(), *line);
                    drafts.push((
                        *line,
                        Draft {
                            fields: merged,
                            enterprise: me,
                            base,
                        },
                    ));
                }
                Err(err) => errors.push(RowError {
                    row: *line,
                    column: String::new(),
                    reason: grading::Words::new(
                        format!("与已有记录合并后无效：{}", err.zh),
                        format!("Invalid once merged with the stored record: {}", err.en),
                    ),
                }),
            }
        }
        // The actor's rights, row by row, with the lessors as the import
        // leaves them.
        for (line, d) in &drafts {
            let stored = match d.base.as_ref().map(store::fields_of_model).transpose() {
                Ok(s) => s,
                Err(e) => return Err(internal(e)),
            };
            let lessor_county = d
                .enterprise
                .lessor_uscc
                .as_deref()
                .and_then(|l| combined.get(l))
                .map(|l| l.county.code());
            if let Err(r) = authz::check_write(actor, stored.as_ref(), &d.fields, lessor_county) {
                errors.push(RowError {
                    row: *line,
                    column: r.column.into(),
                    reason: r.reason,
                });
            }
        }
        if !errors.is_empty() {
            continue;
        }
        let mut rows: Vec<Enterprise> = combined.into_values().collect();
        rows.sort_by(|a, b| a.uscc.cmp(&b.uscc));
        let rs = store::ruleset_for(db, year).await.map_err(internal)?;
        match crate::cpu::run(|| grading::Grader::new(rs, rows)) {
            Err(err) => {
                let uscc = err.uscc.as_str();
                match origin.get(uscc) {
                    Some(&row) => errors.push(RowError {
                        row,
                        column: err.field.into(),
                        reason: err.reason,
                    }),
                    None => {
                        errors.push(RowError {
                            row: 0,
                            column: err.field.into(),
                            reason: {
                                let county = authz::county_scope(actor).is_some();
                                grading::Words::new(
                                    format!(
                                        "本次导入与 {year} 年度已有记录冲突（{}）：{}",
                                        if county {
                                            "请与市级管理员核实"
                                        } else {
                                            uscc
                                        },
                                        err.reason.zh
                                    ),
                                    format!(
                                    "This import conflicts with a stored {year} record ({}): {}",
                                    if county { "check with the city administrator" } else { uscc },
                                    err.reason.en
                                ),
                                )
                            },
                        })
                    }
                }
            }
            Ok(g) => {
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
                    let after = r.class;
                    let was =
                        crate::store::stored_class(before.get(&e.uscc).and_then(|c| c.as_deref()));
                    if was != after
                        && authz::may_see(actor, e.county.code())
                        && (origin.contains_key(e.uscc.as_str()) || before.contains_key(&e.uscc))
                    {
                        moves.push(MoveView {
                            uscc: e.uscc.clone(),
                            name: e.name.clone(),
                            year,
                            before: was,
                            after,
                        });
                    }
                }
                batches.push(Batch {
                    year,
                    drafts: drafts.into_iter().map(|(_, d)| d).collect(),
                    regrading: Regrading::Prepared {
                        grader: Box::new(g),
                        version,
                    },
                });
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(errors);
    }
    Ok(Prepared {
        batches,
        rows: file.rows.len(),
        moves,
    })
}

/// Writes a prepared import through the one write path: all or nothing.
pub async fn commit(
    svc: &Services,
    actor: &Actor,
    origin: &Origin,
    prepared: Prepared,
    progress: &Progress,
) -> Result<Written> {
    records::write(svc, actor, origin, prepared.batches, progress).await
}

/// A preview as the database keeps it until its commit, which may run in
/// another server process: each draft's fields and the version of the
/// record it was made from. The year's graded state is not kept (it is
/// graded afresh after the write, from what the database then holds).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Stored {
    batches: Vec<StoredBatch>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct StoredBatch {
    year: i32,
    /// The year's version the preview was made against.
    version: i64,
    drafts: Vec<StoredDraft>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct StoredDraft {
    fields: Fields,
    /// The stored record's id and version the draft was made from.
    base: Option<(i32, i32)>,
}

impl Prepared {
    pub fn stored(&self) -> Stored {
        Stored {
            batches: self
                .batches
                .iter()
                .map(|b| StoredBatch {
                    year: b.year,
                    version: match &b.regrading {
                        Regrading::Prepared { version, .. } | Regrading::Previewed { version } => {
                            *version
                        }
                        _ => 0,
                    },
                    drafts: b
                        .drafts
                        .iter()
                        .map(|d| StoredDraft {
                            fields: d.fields.clone(),
                            base: d.base.as_ref().map(|m| (m.id, m.version)),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Records loaded per query when a stored preview is restored.
const RESTORE_CHUNK: usize = 5000;

/// The batches of a stored preview, against the records as stored now: a
/// record changed since the preview refuses the import, as the write path
/// would (nothing is written).
pub async fn restore(svc: &Services, stored: Stored) -> Result<Vec<Batch>> {
    let mut batches = Vec::with_capacity(stored.batches.len());
    for b in stored.batches {
        let ids: Vec<i32> = b
            .drafts
            .iter()
            .filter_map(|d| d.base.map(|x| x.0))
            .collect();
        let mut bases: HashMap<i32, record::Model> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(RESTORE_CHUNK) {
            for m in record::Entity::find()
                .filter(record::Column::Id.is_in(chunk.iter().copied()))
                .all(&svc.db)
                .await?
            {
                bases.insert(m.id, m);
            }
        }
        let mut drafts = Vec::with_capacity(b.drafts.len());
        for d in b.drafts {
            let base = match d.base {
                None => None,
                Some((id, version)) => match bases.remove(&id) {
                    Some(m) if m.version == version => Some(m),
                    now => {
                        return Err(super::moved_since_preview(
                            b.year,
                            now.map_or(0, |m| m.version),
                        ))
                    }
                },
            };
            let enterprise = store::enterprise_from(&d.fields).map_err(ServiceError::internal)?;
            drafts.push(Draft {
                fields: d.fields,
                enterprise,
                base,
            });
        }
        batches.push(Batch {
            year: b.year,
            drafts,
            regrading: Regrading::Previewed { version: b.version },
        });
    }
    Ok(batches)
}
