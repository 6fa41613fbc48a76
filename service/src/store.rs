//! Records, rulesets and grade results in the database, and the bridge
//! between stored text and the engine's `Enterprise`.

use crate::{Result, ServiceError};
use chrono::{DateTime, Utc};
use entity::{county, grade_result, grade_year, record, ruleset};
use grading::record::{column_by_key, set_field, COLUMNS};
use grading::{Enterprise, GradeResult, Grader, Ruleset, Uscc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, Statement, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Field → text exactly as typed (trimmed); empty fields are absent.
pub type Fields = BTreeMap<String, String>;

/// Who provided a field, and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub department: String,
    pub user: String,
    pub at: DateTime<Utc>,
}

impl Source {
    /// Provenance of `field`: the department that provides it, by whom, when.
    pub fn new(field: &str, user: &str, at: DateTime<Utc>) -> Source {
        Source {
            department: department_of(field).into(),
            user: user.into(),
            at,
        }
    }
}

/// The department that provides a field (the county for its own flags).
pub fn department_of(field: &str) -> &'static str {
    column_by_key(field).map_or("county", |c| c.department.code())
}

/// The key of a `sources` entry that stands for every field of the record
/// not named on its own: a record created in one go (an import, seeding)
/// stores its provenance once instead of once per field (40,000 imported
/// rows × 20 fields made this a third of what an import wrote).
pub const EVERY_FIELD: &str = "*";

/// The `sources` JSON of a record whose every field came from `user` at
/// `at` (a created record): `{"*": {"department": "*", "user": …, "at": …}}`,
/// each field from the department that provides it (see
/// [`sources_of_model`]). The same text for every record of one write.
pub fn shared_sources(user: &str, at: DateTime<Utc>) -> String {
    let shared = Source {
        department: EVERY_FIELD.into(),
        user: user.into(),
        at,
    };
    serde_json::to_string(&BTreeMap::from([(EVERY_FIELD, shared)])).unwrap_or_default()
}

pub async fn ensure_counties(db: &impl ConnectionTrait) -> Result<()> {
    if county::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let rows = grading::County::ALL.iter().map(|c| county::ActiveModel {
        code: Set(c.code().into()),
        name_zh: Set(c.zh().into()),
        name_en: Set(c.en().into()),
    });
    county::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Stores the built-in 2020 ruleset when the database has none.
pub async fn ensure_builtin_ruleset(db: &impl ConnectionTrait) -> Result<()> {
    if ruleset::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    save_ruleset(db, &Ruleset::builtin_2020()).await
}

pub async fn save_ruleset(db: &impl ConnectionTrait, rs: &Ruleset) -> Result<()> {
    let body = serde_json::to_string(rs).map_err(ServiceError::internal)?;
    ruleset::Entity::delete_by_id(rs.year).exec(db).await?;
    ruleset::ActiveModel {
        year: Set(rs.year),
        name: Set(rs.name.clone()),
        body: Set(body),
        updated_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The ruleset for `year`: its own, else the latest earlier one, else the built-in.
pub async fn ruleset_for(db: &impl ConnectionTrait, year: i32) -> Result<Ruleset> {
    let found = ruleset::Entity::find()
        .filter(ruleset::Column::Year.lte(year))
        .order_by_desc(ruleset::Column::Year)
        .one(db)
        .await?;
    match found {
        Some(m) => Ok(Ruleset::from_json(&m.body)?),
        None => Ok(Ruleset::builtin_2020()),
    }
}

/// The stored text of every non-empty field of an enterprise.
pub fn fields_of(e: &Enterprise) -> Fields {
    COLUMNS
        .iter()
        .map(|c| (c.key.to_string(), grading::record::field_text(e, c)))
        .filter(|(k, v)| !v.is_empty() && !is_default(k, v))
        .collect()
}

/// Defaults (false, 0, none) are not stored, so records stay small.
pub fn is_default(key: &str, value: &str) -> bool {
    let col = column_by_key(key);
    match col.map(|c| c.kind) {
        Some(grading::record::Kind::Bool) => value == "false",
        Some(grading::record::Kind::Count) => value == "0" && key != "employees",
        Some(grading::record::Kind::Talent) | Some(grading::record::Kind::Tier) => value == "none",
        _ => false,
    }
}

/// A stored record's fields. Stored JSON that does not decode is an error,
/// never an empty record (which a write would then store over the real one).
pub fn fields_of_model(m: &record::Model) -> Result<Fields> {
    serde_json::from_str(&m.fields).map_err(|e| {
        ServiceError::Internal(format!(
            "存储的数据无效：记录 {} {} 的字段无法解析：{e}",
            m.uscc, m.year
        ))
    })
}

/// A stored record's provenance by field, likewise never silently
/// emptied; an [`EVERY_FIELD`] entry is spread over the record's fields
/// that have no entry of their own.
pub fn sources_of_model(m: &record::Model) -> Result<BTreeMap<String, Source>> {
    let mut sources: BTreeMap<String, Source> = serde_json::from_str(&m.sources).map_err(|e| {
        ServiceError::Internal(format!(
            "存储的数据无效：记录 {} {} 的来源无法解析：{e}",
            m.uscc, m.year
        ))
    })?;
    if let Some(shared) = sources.remove(EVERY_FIELD) {
        for key in fields_of_model(m)?.into_keys() {
            sources
                .entry(key)
                .or_insert_with_key(|k| Source::new(k, &shared.user, shared.at));
        }
    }
    Ok(sources)
}

/// Rebuilds the engine's view of a stored record.
pub fn enterprise_of(m: &record::Model) -> Result<Enterprise> {
    enterprise_from(&fields_of_model(m)?).map_err(|r| {
        ServiceError::Internal(format!("存储的数据无效：记录 {} {} {r}", m.uscc, m.year))
    })
}

/// The engine's view of a record's fields, or which field is invalid and why.
pub fn enterprise_from(fields: &Fields) -> std::result::Result<Enterprise, grading::Words> {
    let mut e = Enterprise::default();
    for c in COLUMNS {
        let text = fields.get(c.key).map(String::as_str).unwrap_or("");
        set_field(&mut e, c, text).map_err(|r| {
            grading::Words::new(
                format!("字段 {} 无效：{}", c.key, r.zh),
                format!("Field {} is invalid: {}", c.key, r.en),
            )
        })?;
    }
    Ok(e)
}

/// A USCC read back from a row: it was parsed on the way in, so one that
/// does not parse is a fault of ours, not the reader's.
pub fn stored_uscc(text: &str) -> Result<Uscc> {
    Uscc::parse(text).map_err(|e| ServiceError::internal(format!("stored USCC {text}: {e}")))
}

/// A word of the vocabulary read back from a row (its code): only parsed
/// codes are ever written, so one that does not parse is a fault of ours.
fn stored_word<T>(what: &str, code: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(code).ok_or_else(|| ServiceError::internal(format!("stored {what} {code:?}")))
}

/// A county read back from a row.
pub fn stored_county(code: &str) -> Result<grading::County> {
    stored_word("county", code, grading::County::parse)
}

/// An industry read back from a row.
pub fn stored_industry(code: &str) -> Result<grading::Industry> {
    stored_word("industry", code, grading::Industry::parse)
}

/// A scale read back from a row.
pub fn stored_scale(code: &str) -> Result<grading::Scale> {
    stored_word("scale", code, grading::Scale::parse)
}

/// A class read back from a row (its code): only the engine's codes are
/// ever written, so anything else (a damaged row) reads as no class.
pub fn stored_class(code: Option<&str>) -> Option<grading::Class> {
    code.and_then(grading::Class::parse)
}

/// A grade status read back from a row: only the engine's codes are ever
/// written, so anything else (a damaged row) reads as not evaluated.
pub fn stored_status(text: &str) -> grading::Status {
    grading::Status::parse(text).unwrap_or(grading::Status::Excluded)
}

pub async fn load_record(
    db: &impl ConnectionTrait,
    uscc: &str,
    year: i32,
) -> Result<Option<record::Model>> {
    Ok(record::Entity::find()
        .filter(record::Column::Uscc.eq(uscc))
        .filter(record::Column::Year.eq(year))
        .one(db)
        .await?)
}

/// The records of `usccs` in `year` (those that exist).
pub async fn load_records(
    db: &impl ConnectionTrait,
    usccs: &[String],
    year: i32,
) -> Result<Vec<record::Model>> {
    Ok(record::Entity::find()
        .filter(record::Column::Uscc.is_in(usccs.iter().cloned()))
        .filter(record::Column::Year.eq(year))
        .all(db)
        .await?)
}

/// The version of a year's records (0 before the first write): bumped by
/// every write, so a cache or a preview knows whether it is still current.
pub async fn year_version(db: &impl ConnectionTrait, year: i32) -> Result<i64> {
    Ok(grade_year::Entity::find_by_id(year)
        .one(db)
        .await?
        .map_or(0, |m| m.version))
}

/// Takes the year for a write: bumps its version and returns the new one.
/// The upsert locks the year's row until the transaction ends (PostgreSQL),
/// or takes SQLite's write lock, so writers of one year are serialised
/// across server processes. The first statement of every write transaction.
pub async fn lock_year(db: &impl ConnectionTrait, year: i32) -> Result<i64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO grade_years (year, ranks_stale, version) VALUES ($1, FALSE, 1) \
             ON CONFLICT (year) DO UPDATE SET version = grade_years.version + 1 RETURNING version"
        }
        _ => {
            "INSERT INTO grade_years (year, ranks_stale, version) VALUES (?, FALSE, 1) \
             ON CONFLICT (year) DO UPDATE SET version = grade_years.version + 1 RETURNING version"
        }
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [year.into()]))
        .await?
        .ok_or_else(|| ServiceError::internal(format!("{year} 年度无法加锁")))?;
    Ok(row.try_get::<i64>("", "version")?)
}

/// Takes the year without a new version (a rewrite of results only), and
/// returns the current one.
pub async fn hold_year(db: &impl ConnectionTrait, year: i32) -> Result<i64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO grade_years (year, ranks_stale, version) VALUES ($1, FALSE, 0) \
             ON CONFLICT (year) DO UPDATE SET ranks_stale = grade_years.ranks_stale RETURNING version"
        }
        _ => {
            "INSERT INTO grade_years (year, ranks_stale, version) VALUES (?, FALSE, 0) \
             ON CONFLICT (year) DO UPDATE SET ranks_stale = grade_years.ranks_stale RETURNING version"
        }
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [year.into()]))
        .await?
        .ok_or_else(|| ServiceError::internal(format!("{year} 年度无法加锁")))?;
    Ok(row.try_get::<i64>("", "version")?)
}

pub async fn load_year(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Vec<(record::Model, Enterprise)>> {
    let models = record::Entity::find()
        .filter(record::Column::Year.eq(year))
        .order_by_asc(record::Column::Uscc)
        .all(db)
        .await?;
    models
        .into_iter()
        .map(|m| {
            let e = enterprise_of(&m)?;
            Ok((m, e))
        })
        .collect()
}

pub fn result_model(
    rs: &Ruleset,
    e: &Enterprise,
    r: &GradeResult,
    at: DateTime<Utc>,
) -> grade_result::ActiveModel {
    grade_result::ActiveModel {
        uscc: Set(e.uscc.clone()),
        year: Set(e.year),
        name: Set(e.name.clone()),
        county: Set(e.county.code().into()),
        industry: Set(e.industry.code().into()),
        scale: Set(e.scale.code().into()),
        status: Set(r.status.code().into()),
        cohort: Set(r.cohort.map(|c| c.name(rs))),
        score: Set(r.score),
        rank: Set(r.rank.map(|x| x as i32)),
        cohort_size: Set(r.cohort_size.map(|x| x as i32)),
        base_class: Set(r.base_class.map(|c| c.code().into())),
        class: Set(r.class.map(|c| c.code().into())),
        reasons: Set(r
            .reasons
            .iter()
            .map(|x| x.code())
            .collect::<Vec<_>>()
            .join(";")),
        // The breakdown; rank and cohort size live in their own columns
        // only, so a re-rank can update just those.
        detail: Set(serde_json::to_string(&GradeResult {
            rank: None,
            cohort_size: None,
            ..r.clone()
        })
        .unwrap_or_default()),
        graded_at: Set(at),
        ..Default::default()
    }
}

/// Grades a whole year from its stored records and replaces its stored
/// results, holding the year, in one transaction.
pub async fn regrade_year<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    year: i32,
) -> Result<usize> {
    let txn = crate::writes::begin(db).await?;
    hold_year(&txn, year).await?;
    let n = regrade_held_year(&txn, year).await?;
    txn.commit().await?;
    Ok(n)
}

/// [`regrade_year`] inside a transaction that already holds the year.
pub async fn regrade_held_year<C: ConnectionTrait>(db: &C, year: i32) -> Result<usize> {
    let rs = ruleset_for(db, year).await?;
    let rows: Vec<Enterprise> = load_year(db, year)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let n = rows.len();
    let graded = Grader::new(rs, rows).map_err(ServiceError::internal)?;
    replace_results(db, year, &graded).await?;
    Ok(n)
}

/// Replaces a year's stored results by those of `graded` (the year's
/// complete records, graded) and clears its stale-rank mark. The caller
/// holds the transaction. Only the rows that differ are rewritten: an
/// import of a few rows into a year of 26,000 then holds the database's
/// write lock for the rows it moved, not for the whole year.
pub async fn replace_results<C: ConnectionTrait>(db: &C, year: i32, graded: &Grader) -> Result<()> {
    replace_results_counted(db, year, graded, &|_| {}).await
}

/// [`replace_results`], telling `step` how many rows of the grader it has
/// been through (for a progress bar: a 200,000-row year takes seconds).
/// The rewritten rows are made and inserted a thousand at a time.
pub async fn replace_results_counted<C: ConnectionTrait>(
    db: &C,
    year: i32,
    graded: &Grader,
    step: &(dyn Fn(usize) + Sync),
) -> Result<()> {
    let stored = stored_results(db, year).await?;
    let now = Utc::now();
    let rs = graded.ruleset();
    let mut kept = std::collections::HashSet::new();
    let mut fresh = Vec::new();
    for (i, e) in graded.rows().iter().enumerate() {
        if let Some(m) = stored.get(&e.uscc) {
            if same_result(m, &result_model(rs, e, &graded.result(i), now)) {
                kept.insert(e.uscc.as_str());
                continue;
            }
        }
        fresh.push(i);
    }
    // What is stored and not kept: rows that changed, and rows no longer
    // in the year; deleted before their new versions go in.
    let gone: Vec<i32> = stored
        .values()
        .filter(|m| !kept.contains(m.uscc.as_str()))
        .map(|m| m.id)
        .collect();
    drop(stored);
    for chunk in gone.chunks(500) {
        grade_result::Entity::delete_many()
            .filter(grade_result::Column::Id.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    step(graded.rows().len() - fresh.len());
    for chunk in fresh.chunks(BATCH) {
        let models: Vec<_> = chunk
            .iter()
            .map(|&i| result_model(rs, &graded.rows()[i], &graded.result(i), now))
            .collect();
        grade_result::Entity::insert_many(models)
            .exec_without_returning(db)
            .await?;
        step(chunk.len());
    }
    set_ranks_stale(db, year, false).await
}

/// Rewrites the stored results of rows `which` of `graded` (deleted and
/// inserted again, 500 at a time): a writer that knows which rows moved.
pub async fn rewrite_results<C: ConnectionTrait>(
    db: &C,
    year: i32,
    graded: &Grader,
    which: &[usize],
    at: DateTime<Utc>,
) -> Result<()> {
    let rs = graded.ruleset();
    for chunk in which.chunks(500) {
        let usccs: Vec<String> = chunk
            .iter()
            .map(|&i| graded.rows()[i].uscc.clone())
            .collect();
        grade_result::Entity::delete_many()
            .filter(grade_result::Column::Year.eq(year))
            .filter(grade_result::Column::Uscc.is_in(usccs))
            .exec(db)
            .await?;
        let models = chunk
            .iter()
            .map(|&i| result_model(rs, &graded.rows()[i], &graded.result(i), at));
        grade_result::Entity::insert_many(models)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Whether a year's stored ranks lag its graded state (a save's rank
/// rewrite has not landed yet).
pub async fn ranks_stale(db: &impl ConnectionTrait, year: i32) -> Result<bool> {
    Ok(grade_year::Entity::find_by_id(year)
        .one(db)
        .await?
        .is_some_and(|m| m.ranks_stale))
}

/// Rows per multi-row insert.
pub const BATCH: usize = 1000;

/// Rows to insert, taken [`BATCH`] at a time for multi-row inserts (moved,
/// not copied: an import's rows carry kilobytes of text each).
pub fn batches<T>(rows: Vec<T>) -> impl Iterator<Item = Vec<T>> {
    let mut rows = rows.into_iter();
    std::iter::from_fn(move || {
        let chunk: Vec<T> = rows.by_ref().take(BATCH).collect();
        (!chunk.is_empty()).then_some(chunk)
    })
}

/// A year's stored results by USCC.
pub async fn stored_results<C: ConnectionTrait>(
    db: &C,
    year: i32,
) -> Result<HashMap<String, grade_result::Model>> {
    Ok(grade_result::Entity::find()
        .filter(grade_result::Column::Year.eq(year))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.uscc.clone(), m))
        .collect())
}

/// Whether a stored result already says what `am` would (its id and
/// grading time aside).
fn same_result(m: &grade_result::Model, am: &grade_result::ActiveModel) -> bool {
    use sea_orm::TryIntoModel;
    let mut a = am.clone();
    a.id = Set(m.id);
    a.graded_at = Set(m.graded_at);
    a.try_into_model().is_ok_and(|x| x == *m)
}

/// Marks (or clears) a year whose stored ranks lag its graded state. The
/// caller holds the year ([`lock_year`] or [`hold_year`]), so its row exists.
pub async fn set_ranks_stale<C: ConnectionTrait>(db: &C, year: i32, stale: bool) -> Result<()> {
    use sea_orm::sea_query::Expr;
    grade_year::Entity::update_many()
        .col_expr(grade_year::Column::RanksStale, Expr::value(stale))
        .filter(grade_year::Column::Year.eq(year))
        .exec(db)
        .await?;
    Ok(())
}

/// Years a save left with stale stored ranks (it stopped between its two
/// transactions): their results are rewritten from a full regrade.
pub async fn repair_stale_ranks<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<Vec<i32>> {
    let years: Vec<i32> = grade_year::Entity::find()
        .filter(grade_year::Column::RanksStale.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.year)
        .collect();
    for &y in &years {
        regrade_year(db, y).await?;
    }
    Ok(years)
}
