//! The one write path of enterprise records (see the module above).

use crate::actor::Actor;
use crate::live;
use crate::store::{self, Fields, Source, BATCH};
use crate::workspace::{AuditEntry, StaleRecord};
use crate::{authz, Result, ServiceError, Services};
use chrono::{DateTime, Utc};
use entity::{audit_log, grade_result, record};
use grading::record::column_by_key;
use grading::{Enterprise, Grader, Regrade};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Where a write comes from, as the audit log's `source` says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The workspace form.
    Web,
    /// A file uploaded in the browser.
    Upload(String),
    /// A file given to `server import`.
    File(String),
    /// `server seed --demo`.
    Seed,
    /// An accepted appeal, by its number.
    Appeal(i64),
}

impl Origin {
    pub fn source(&self) -> String {
        match self {
            Origin::Web => "web".into(),
            Origin::Upload(f) => format!("upload:{f}"),
            Origin::File(f) => format!("import:{f}"),
            Origin::Seed => "seed".into(),
            Origin::Appeal(n) => format!("appeal:{n}"),
        }
    }
}

/// One record as it is to be after the write.
#[derive(Clone, Debug)]
pub struct Draft {
    /// Every field, as stored (field → text).
    pub fields: Fields,
    /// The engine's view of `fields`.
    pub enterprise: Enterprise,
    /// The stored record the draft was made from (None: a new record). The
    /// write is refused if the record is no longer at that version.
    pub base: Option<record::Model>,
}

/// How the year is regraded after the write.
#[derive(Debug)]
pub enum Regrading {
    /// From the cached state, only what the one draft can move (a save).
    Incremental,
    /// The year as it will be, graded already (an import's preview); the
    /// write is refused unless the year is still at `version`.
    Prepared { grader: Box<Grader>, version: i64 },
    /// An import previewed at `version` (possibly by another process) and
    /// restored from the database: graded at the commit from this
    /// process's cache of the year as it stood just before (at `version`
    /// or later, when only other records moved since) and the drafts,
    /// else afresh from the database after the write.
    Previewed { version: i64 },
    /// The whole year afresh, from the database after the write.
    Full,
}

#[derive(Debug)]
pub struct Batch {
    pub year: i32,
    pub drafts: Vec<Draft>,
    pub regrading: Regrading,
}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Written {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub changed_fields: usize,
    /// Enterprises whose class moved (incremental writes only).
    pub classes_moved: usize,
}

/// Progress of a long write, for a progress bar.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
    pub phase: Mutex<String>,
}

impl Progress {
    pub fn phase(&self, p: &str, total: usize) {
        if let Ok(mut g) = self.phase.lock() {
            *g = p.to_string();
        }
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    pub fn step(&self, n: usize) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

/// Writes batches of drafts (see the module documentation): one draft
/// regraded incrementally, or whole years, all in one transaction.
pub async fn write(
    svc: &Services,
    actor: &Actor,
    origin: &Origin,
    mut batches: Vec<Batch>,
    progress: &Progress,
) -> Result<Written> {
    authz::workspace(actor)?;
    for b in &batches {
        if b.drafts.iter().any(|d| d.enterprise.year != b.year) {
            return Err(ServiceError::internal("a draft of another year"));
        }
    }
    let single = batches.len() == 1
        && batches[0].drafts.len() == 1
        && matches!(batches[0].regrading, Regrading::Incremental);
    let written = if single {
        let b = batches
            .pop()
            .ok_or_else(|| ServiceError::internal("no batch"))?;
        write_one(svc, actor, origin, b).await?
    } else {
        // Years taken in ascending order: two writers never wait on each
        // other's years crosswise.
        batches.sort_by_key(|b| b.year);
        write_years(svc, actor, origin, batches, progress).await?
    };
    progress.phase("done", 1);
    progress.step(1);
    Ok(written)
}

/// One record, regraded incrementally from the cached state.
async fn write_one(svc: &Services, actor: &Actor, origin: &Origin, b: Batch) -> Result<Written> {
    let (db, year) = (&svc.db, b.year);
    // Writers of this process queue here, before any transaction: SQLite
    // takes one writer at a time anyway, and a save waiting behind an
    // import's commit must not hold the cache, which every reader needs.
    // The cache is taken only once the year's database lock is ours.
    let mut laps = Laps::start();
    let _writer = svc.live.writer().await;
    laps.lap("writer");
    let txn = crate::writes::begin(db).await?;
    let version = store::lock_year(&txn, year).await?;
    laps.lap("year");
    // Another process's write that committed just before may not have
    // reached this process's cache yet.
    svc.live.catch_up(year, version - 1).await;
    laps.lap("catch-up");
    // Until it commits, any way out of here forgets the cached year.
    let mut edit = svc.live.edit(year).await;
    laps.lap("cache");
    check_versions(&txn, year, &b.drafts).await?;
    check_rights(&txn, actor, year, &b.drafts).await?;
    // The year as it was before this write, reloaded inside the
    // transaction if this process is behind (it just started, or another
    // process wrote): before the record is written, so that the upsert
    // below sees the change and everything it moves.
    edit.grader_at(&txn, version - 1).await?;
    let now = Utc::now();
    let mut written =
        write_records(&txn, actor, origin, &b.drafts, now, &Progress::default()).await?;
    let draft = &b.drafts[0];
    let uscc = draft.enterprise.uscc.clone();
    let saved = crate::workspace::Saved {
        uscc: uscc.clone(),
        county: draft.enterprise.county,
        version: draft.base.as_ref().map_or(1, |m| m.version + 1),
        by: actor
            .user()
            .map_or_else(|| actor.name().to_string(), |u| u.display_name.clone()),
        at: crate::clock::minute(now),
    };
    let g = edit.grader_at(&txn, version - 1).await?;
    let regrade = g
        .upsert(draft.enterprise.clone())
        .map_err(|e| ServiceError::Invalid(e.words()))?;
    write_moved_results(&txn, year, g, &regrade, now).await?;
    if !regrade.ranks_only.is_empty() {
        store::set_ranks_stale(&txn, year, true).await?;
    }
    svc.live
        .notify(&txn, year, version, Some(&saved), None)
        .await?;
    laps.lap("write");
    txn.commit().await?;
    laps.lap("commit");
    let g = edit.commit(version)?;
    svc.live.publish(year, g, &regrade, Some(saved.clone()));
    written.classes_moved = regrade.class_changes.len();
    let ranks: Vec<(String, Option<u32>, Option<u32>)> = regrade
        .ranks_only
        .iter()
        .map(|&i| {
            let r = &g.results()[i];
            (g.rows()[i].uscc.clone(), r.rank, r.cohort_size)
        })
        .collect();
    drop(edit);
    if !ranks.is_empty() {
        // The save has landed: a failure here leaves the year marked, and
        // the next start rewrites its results.
        if let Err(err) = write_ranks(svc, year, version, &ranks).await {
            tracing::error!("ranks of {year} left stale: {err}");
        }
        laps.lap("ranks");
    }
    laps.report(&format!("save of {uscc} ({year}, {} ranks)", ranks.len()));
    Ok(written)
}

/// Where a slow write spent its time, for the log: a save that takes
/// longer than [`Laps::SLOW`] says which step it waited on.
struct Laps {
    started: std::time::Instant,
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Laps {
    const SLOW: std::time::Duration = std::time::Duration::from_millis(250);

    fn start() -> Laps {
        let now = std::time::Instant::now();
        Laps {
            started: now,
            last: now,
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, what: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((what, now - self.last));
        self.last = now;
    }

    fn report(&self, what: &str) {
        let total = self.started.elapsed();
        if total >= Self::SLOW {
            let laps: Vec<String> = self
                .laps
                .iter()
                .map(|(w, d)| format!("{w} {} ms", d.as_millis()))
                .collect();
            tracing::warn!(
                "slow {what}: {} ms ({})",
                total.as_millis(),
                laps.join(", ")
            );
        }
    }
}

/// Whole years (an import, seeding): records written, each year graded in
/// full and its results replaced, in one transaction.
async fn write_years(
    svc: &Services,
    actor: &Actor,
    origin: &Origin,
    batches: Vec<Batch>,
    progress: &Progress,
) -> Result<Written> {
    let db = &svc.db;
    // The cache is not held while the batch writes (seconds, for a large
    // import): readers keep the state the database has committed, and
    // the year's lock keeps other writers out.
    let mut laps = Laps::start();
    let drafts: usize = batches.iter().map(|b| b.drafts.len()).sum();
    let _writer = svc.live.writer().await;
    laps.lap("writer");
    let txn = crate::writes::begin(db).await?;
    let now = Utc::now();
    let mut total = Written::default();
    let mut graded = Vec::new();
    for b in batches {
        let version = store::lock_year(&txn, b.year).await?;
        // A preview made from the whole year at one version: if the year
        // has moved since (other saves, other imports), the import still
        // lands when none of its own records moved, and the year is then
        // graded afresh from the database instead of from the preview.
        let previewed = match &b.regrading {
            Regrading::Prepared { version, .. } | Regrading::Previewed { version } => {
                Some(*version)
            }
            _ => None,
        };
        let moved = previewed.is_some_and(|v| v + 1 != version);
        if moved || !matches!(b.regrading, Regrading::Prepared { .. }) {
            check_versions(&txn, b.year, &b.drafts)
                .await
                .map_err(|e| match e {
                    ServiceError::Conflict(stale) if previewed.is_some() => {
                        crate::imports::moved_since_preview(b.year, stale.version)
                    }
                    other => other,
                })?;
        }
        check_rights(&txn, actor, b.year, &b.drafts).await?;
        let w = write_records(&txn, actor, origin, &b.drafts, now, progress).await?;
        total.created += w.created;
        total.updated += w.updated;
        total.unchanged += w.unchanged;
        total.changed_fields += w.changed_fields;
        laps.lap("records");
        progress.phase("grade", 1);
        let batch: Vec<String> = b.drafts.iter().map(|d| d.enterprise.uscc.clone()).collect();
        // The year as it stood just before this write: this process's
        // cached state once it has heard of every earlier write (the
        // notices of another process's are on their way).
        let before = version - 1;
        let cached = match b.regrading {
            Regrading::Full => None,
            Regrading::Prepared { .. } if !moved => None,
            _ => {
                svc.live.catch_up(b.year, before).await;
                svc.live.rows_at(b.year, before).await
            }
        };
        laps.lap(if cached.is_some() {
            "cached year"
        } else {
            "no cached year"
        });
        let grader = match (b.regrading, cached) {
            (Regrading::Prepared { grader, .. }, _) if !moved => {
                // The ruleset may have been edited since the preview:
                // grade again (from memory) only then.
                let rs = store::ruleset_for(&txn, b.year).await?;
                if rs == *grader.ruleset() {
                    *grader
                } else {
                    Grader::new(rs, grader.rows().to_vec())
                        .map_err(|e| ServiceError::Invalid(e.words()))?
                }
            }
            // An import (previewed at this version or an earlier one; its
            // own records have not moved): the drafts put into the cached
            // year, graded from memory.
            (_, Some(rows)) => {
                let rs = store::ruleset_for(&txn, b.year).await?;
                crate::cpu::run(|| Grader::new(rs, with_drafts(rows, &b.drafts)))
                    .map_err(|e| ServiceError::Invalid(e.words()))?
            }
            _ => live::load(&txn, b.year).await?,
        };
        laps.lap("grade");
        progress.phase("grade", grader.rows().len());
        // Graded from the cached year, whose results are the stored ones
        // but for ranks a save has yet to rewrite: only the results that
        // moved are rewritten. Otherwise every stored result is read and
        // compared.
        let moved_rows = match previewed {
            Some(_) => svc.live.changed_since(b.year, before, &grader).await,
            None => None,
        };
        match moved_rows {
            Some(rows) => {
                store::rewrite_results(&txn, b.year, &grader, &rows, now).await?;
                // A save's rank rewrite still pending: every stored rank
                // brought to the year as graded now.
                if store::ranks_stale(&txn, b.year).await? {
                    sync_ranks(&txn, b.year, &live::ranks_of(&grader)).await?;
                }
                progress.step(grader.rows().len());
            }
            None => {
                store::replace_results_counted(&txn, b.year, &grader, &|n| progress.step(n)).await?
            }
        }
        laps.lap("results");
        svc.live
            .notify(&txn, b.year, version, None, Some(batch))
            .await?;
        graded.push((b.year, version, grader));
    }
    // The database makes it all durable at once (a second for 200,000
    // rows): its own step, so the bar does not sit at a finished "grade".
    progress.phase("commit", 1);
    txn.commit().await?;
    laps.lap("commit");
    let years: Vec<i32> = graded.iter().map(|(year, _, _)| *year).collect();
    // A save that landed right after this commit is newer: it is kept.
    svc.live.install(graded).await;
    for year in years {
        svc.live.publish_reload(year);
    }
    // A large file or seeding takes its time; a small import should not.
    if drafts <= live::NOTICE_BATCH {
        laps.report(&format!("write of {drafts} records"));
    }
    Ok(total)
}

/// A year's rows with the drafts put in (replacing the rows of the same
/// enterprise), in the order the database loads them (by USCC).
fn with_drafts(rows: Vec<Enterprise>, drafts: &[Draft]) -> Vec<Enterprise> {
    let mut by_uscc: std::collections::BTreeMap<String, Enterprise> =
        rows.into_iter().map(|e| (e.uscc.clone(), e)).collect();
    for d in drafts {
        by_uscc.insert(d.enterprise.uscc.clone(), d.enterprise.clone());
    }
    by_uscc.into_values().collect()
}

/// Each draft must start from the record as it is stored now (and a new
/// one must still be new).
async fn check_versions(db: &impl ConnectionTrait, year: i32, drafts: &[Draft]) -> Result<()> {
    if let [d] = drafts {
        return check_version(db, year, d).await;
    }
    // A batch: the year's versions in one query.
    let stored: std::collections::HashMap<String, i32> = record::Entity::find()
        .select_only()
        .column(record::Column::Uscc)
        .column(record::Column::Version)
        .filter(record::Column::Year.eq(year))
        .into_tuple::<(String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for d in drafts {
        let read = d.base.as_ref().map(|m| m.version);
        if read != stored.get(&d.enterprise.uscc).copied() {
            return check_version(db, year, d).await;
        }
    }
    Ok(())
}

async fn check_version(db: &impl ConnectionTrait, year: i32, d: &Draft) -> Result<()> {
    let stored = store::load_record(db, &d.enterprise.uscc, year).await?;
    let (read, now) = (
        d.base.as_ref().map(|m| m.version),
        stored.map(|m| m.version),
    );
    if read == now {
        return Ok(());
    }
    let changes = changes_since(db, &d.enterprise.uscc, year, read.unwrap_or(0)).await?;
    Err(ServiceError::Conflict(Box::new(StaleRecord {
        version: now.unwrap_or(0),
        changes,
    })))
}

/// The audit trail of a record after version `since`.
async fn changes_since(
    db: &impl ConnectionTrait,
    uscc: &str,
    year: i32,
    since: i32,
) -> Result<Vec<AuditEntry>> {
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Uscc.eq(uscc))
        .filter(audit_log::Column::Year.eq(year))
        .filter(audit_log::Column::Version.gt(since))
        .order_by_asc(audit_log::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(crate::workspace::views::audit_entry)
        .collect())
}

/// Every draft through [`authz::check_write`], with the county of the
/// lessor it names looked up when that matters.
async fn check_rights(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    drafts: &[Draft],
) -> Result<()> {
    let confined = authz::county_scope(actor).is_some();
    for d in drafts {
        let stored = d.base.as_ref().map(store::fields_of_model).transpose()?;
        let lessor_county = match (&d.enterprise.lessor_uscc, confined) {
            (Some(l), true) => store::load_record(db, l, year).await?.map(|m| m.county),
            _ => None,
        };
        authz::check_write(actor, stored.as_ref(), &d.fields, lessor_county.as_deref()).map_err(
            |r| {
                if r.forbidden {
                    ServiceError::Forbidden
                } else {
                    let (zh, en) =
                        column_by_key(r.column).map_or((r.column, r.column), |c| (c.zh, c.en));
                    ServiceError::invalid(
                        format!("{zh}（{}）：{}", r.column, r.reason.zh),
                        format!("{en} ({}): {}", r.column, r.reason.en),
                    )
                }
            },
        )?;
    }
    Ok(())
}

/// Writes the records and their audit entries.
async fn write_records(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    origin: &Origin,
    drafts: &[Draft],
    now: DateTime<Utc>,
    progress: &Progress,
) -> Result<Written> {
    let (who, who_id, source) = (actor.name(), actor.user_id(), origin.source());
    let mut rep = Written::default();
    let mut new_records = Vec::new();
    let mut audits = Vec::new();
    let audit = |action: &str,
                 e: &Enterprise,
                 field: Option<&str>,
                 old: Option<String>,
                 new: Option<String>,
                 version: i32| audit_log::ActiveModel {
        at: Set(now),
        user_id: Set(who_id),
        username: Set(who.to_string()),
        action: Set(action.to_string()),
        uscc: Set(Some(e.uscc.clone())),
        year: Set(Some(e.year)),
        field: Set(field.map(str::to_string)),
        old_value: Set(old),
        new_value: Set(new),
        department: Set(field
            .and_then(column_by_key)
            .map(|c| c.department.code().to_string())),
        source: Set(source.clone()),
        version: Set(Some(version)),
        ..Default::default()
    };
    let sources_json = store::shared_sources(who, now);
    // Every confirmed sign-off (核实上报) a change lands in is reopened.
    let mut touched = crate::signoff::Touched::default();
    // Written a thousand at a time as the drafts are compared: memory
    // stays at one batch, and the progress bar moves all along.
    progress.phase("insert", drafts.len());
    for d in drafts {
        if new_records.len() >= BATCH || audits.len() >= BATCH {
            flush(txn, &mut new_records, &mut audits).await?;
        }
        let e = &d.enterprise;
        match &d.base {
            None => {
                let json = serde_json::to_string(&d.fields).map_err(ServiceError::internal)?;
                new_records.push(record::ActiveModel {
                    uscc: Set(e.uscc.clone()),
                    year: Set(e.year),
                    name: Set(e.name.clone()),
                    county: Set(e.county.code().into()),
                    industry: Set(e.industry.code().into()),
                    scale: Set(e.scale.code().into()),
                    fields: Set(json.clone()),
                    sources: Set(sources_json.clone()),
                    updated_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                });
                audits.push(audit("create", e, None, None, Some(json), 1));
                touched.created(e, &d.fields);
                rep.created += 1;
            }
            Some(m) => {
                let old = store::fields_of_model(m)?;
                let keys: BTreeSet<&String> = old.keys().chain(d.fields.keys()).collect();
                let changed: Vec<&String> = keys
                    .into_iter()
                    .filter(|k| old.get(*k) != d.fields.get(*k))
                    .collect();
                if changed.is_empty() {
                    rep.unchanged += 1;
                    progress.step(1);
                    continue;
                }
                let version = m.version + 1;
                let mut sources = store::sources_of_model(m)?;
                for k in &changed {
                    touched.changed(e, k);
                    audits.push(audit(
                        "update",
                        e,
                        Some(k),
                        old.get(*k).cloned(),
                        d.fields.get(*k).cloned(),
                        version,
                    ));
                    sources.insert((*k).clone(), Source::new(k, who, now));
                }
                rep.changed_fields += changed.len();
                rep.updated += 1;
                let mut am: record::ActiveModel = m.clone().into();
                am.name = Set(e.name.clone());
                am.county = Set(e.county.code().into());
                am.industry = Set(e.industry.code().into());
                am.scale = Set(e.scale.code().into());
                am.fields = Set(serde_json::to_string(&d.fields).map_err(ServiceError::internal)?);
                am.sources = Set(serde_json::to_string(&sources).map_err(ServiceError::internal)?);
                am.updated_at = Set(now);
                am.version = Set(version);
                am.update(txn).await?;
            }
        }
        progress.step(1);
    }
    flush(txn, &mut new_records, &mut audits).await?;
    crate::signoff::reopen(txn, actor, now, &touched).await?;
    Ok(rep)
}

/// Inserts the new records and audit entries gathered so far, each kind in
/// one multi-row statement, and empties the lists.
async fn flush(
    txn: &impl ConnectionTrait,
    records: &mut Vec<record::ActiveModel>,
    audits: &mut Vec<audit_log::ActiveModel>,
) -> Result<()> {
    if !records.is_empty() {
        record::Entity::insert_many(std::mem::take(records))
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in store::batches(std::mem::take(audits)) {
        audit_log::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Replaces the stored results whose score, class or status moved; rows
/// that only moved in rank (an edit near the top of a cohort re-ranks every
/// member below it) are rewritten after the push, so the other screens
/// need not wait for them.
async fn write_moved_results(
    txn: &impl ConnectionTrait,
    year: i32,
    g: &Grader,
    regrade: &Regrade,
    now: DateTime<Utc>,
) -> Result<()> {
    let ranks_only: std::collections::HashSet<usize> = regrade.ranks_only.iter().copied().collect();
    let full: Vec<usize> = regrade
        .changed
        .iter()
        .copied()
        .filter(|i| !ranks_only.contains(i))
        .collect();
    store::rewrite_results(txn, year, g, &full, now).await
}

/// Rewrites the stored rank and cohort size of rows that moved only in
/// rank, holding the year: if the year is still at the save's version, one
/// batched `UPDATE … CASE` per 300 rows. If newer writes came in between
/// (other processes), an older rewrite must not land over newer ranks: the
/// year's stored ranks are brought to the year as it now stands (only the
/// rows that differ are written), from this process's cache once it has
/// caught up with those writes, or else from a full regrade. Either way
/// the year's stale mark is cleared under the same hold.
async fn write_ranks(
    svc: &Services,
    year: i32,
    version: i64,
    rows: &[(String, Option<u32>, Option<u32>)],
) -> Result<()> {
    let txn = crate::writes::begin(&svc.db).await?;
    let held = store::hold_year(&txn, year).await?;
    if held == version {
        update_ranks(&txn, year, rows).await?;
        store::set_ranks_stale(&txn, year, false).await?;
    } else {
        svc.live.catch_up(year, held).await;
        match svc.live.ranks_at(year, held).await {
            Some(ranks) => sync_ranks(&txn, year, &ranks).await?,
            None => {
                store::regrade_held_year(&txn, year).await?;
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Brings every stored rank and cohort size of the held year to `ranks`
/// (the year as it stands) and clears its stale mark. Only those three
/// columns are read: the rest of each stored result is current already,
/// since every writer stores the results that moved in more than rank in
/// its own transaction.
async fn sync_ranks(txn: &impl ConnectionTrait, year: i32, ranks: &live::Ranks) -> Result<()> {
    let stored: Vec<(String, Option<i32>, Option<i32>)> = grade_result::Entity::find()
        .select_only()
        .column(grade_result::Column::Uscc)
        .column(grade_result::Column::Rank)
        .column(grade_result::Column::CohortSize)
        .filter(grade_result::Column::Year.eq(year))
        .into_tuple()
        .all(txn)
        .await?;
    let as_stored = |x: Option<u32>| x.map(|v| v as i32);
    let differ: Vec<(String, Option<u32>, Option<u32>)> = stored
        .into_iter()
        .filter_map(|(u, r, n)| {
            let &(rank, size) = ranks.get(&u)?;
            ((r, n) != (as_stored(rank), as_stored(size))).then_some((u, rank, size))
        })
        .collect();
    update_ranks(txn, year, &differ).await?;
    store::set_ranks_stale(txn, year, false).await
}

async fn update_ranks(
    txn: &impl ConnectionTrait,
    year: i32,
    rows: &[(String, Option<u32>, Option<u32>)],
) -> Result<()> {
    for chunk in rows.chunks(300) {
        let mut rank = CaseStatement::new();
        let mut size = CaseStatement::new();
        let mut usccs = Vec::with_capacity(chunk.len());
        for (u, r, n) in chunk {
            rank = rank.case(
                Expr::col(grade_result::Column::Uscc).eq(u.clone()),
                Expr::val(r.map(|x| x as i32)),
            );
            size = size.case(
                Expr::col(grade_result::Column::Uscc).eq(u.clone()),
                Expr::val(n.map(|x| x as i32)),
            );
            usccs.push(u.clone());
        }
        grade_result::Entity::update_many()
            .col_expr(
                grade_result::Column::Rank,
                rank.finally(Expr::col(grade_result::Column::Rank)).into(),
            )
            .col_expr(
                grade_result::Column::CohortSize,
                size.finally(Expr::col(grade_result::Column::CohortSize))
                    .into(),
            )
            .filter(grade_result::Column::Year.eq(year))
            .filter(grade_result::Column::Uscc.is_in(usccs))
            .exec(txn)
            .await?;
    }
    Ok(())
}
