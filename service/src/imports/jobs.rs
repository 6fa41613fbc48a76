//! Imports between preview and commit, owned by the user who uploaded
//! them, and their progress while the commit runs in the background.
//!
//! Kept in the database (`import_jobs`), not in the process that checked
//! the file: behind a load balancer the upload, the commit and each poll
//! of the progress bar may each reach another server process. The process
//! running a commit also keeps its progress in memory (read first when a
//! poll reaches it) and, on PostgreSQL, copies it to the row a few times a
//! second for the others. (On SQLite, one process serves, and the import's
//! transaction holds the database's only write lock until it ends.)

use super::pipeline::{self, Stored};
use super::{ErrorView, ImportPreview, ImportProgress, SHOWN};
use crate::actor::Actor;
use crate::records::{self, Origin, Progress, Written};
use crate::{authz, dataio, Result, ServiceError, Services};
use chrono::Utc;
use entity::import_job;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// This process's share of the imports: the commits it is running (their
/// live progress, by id) and its turns at checking a file.
#[derive(Debug)]
pub struct Jobs {
    running: std::sync::Mutex<HashMap<String, Arc<Progress>>>,
    /// Files checked at once (each parse and grade takes a core and, for a
    /// large file, hundreds of MB); the others wait their turn.
    checking: tokio::sync::Semaphore,
}

impl Default for Jobs {
    fn default() -> Jobs {
        Jobs {
            running: Default::default(),
            checking: tokio::sync::Semaphore::new(2),
        }
    }
}

/// Previews are kept this long (and a finished import's outcome).
const KEEP: Duration = Duration::from_secs(3600);
/// Previews one user may hold: a new one drops their oldest.
pub const PER_USER: usize = 3;
/// Rows one user's previews may hold together (a province's file fits);
/// older previews are dropped to make room.
pub const ROWS_PER_USER: usize = 300_000;
/// Rows all previews may hold together (kept in the database, compressed).
pub const ROWS_HELD: usize = 1_000_000;
/// How often a running commit's progress is copied to its row.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

const PREVIEWED: &str = "previewed";
const RUNNING: &str = "running";
const FINISHED: &str = "finished";

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Ok(Written),
    Error(grading::Words),
}

fn pack(stored: &Stored) -> Result<Vec<u8>> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    serde_json::to_writer(&mut z, stored).map_err(ServiceError::internal)?;
    z.flush().map_err(ServiceError::internal)?;
    z.finish().map_err(ServiceError::internal)
}

fn unpack(bytes: &[u8]) -> Result<Stored> {
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .read_to_end(&mut json)
        .map_err(ServiceError::internal)?;
    serde_json::from_slice(&json).map_err(ServiceError::internal)
}

fn owned_by(actor: &Actor) -> sea_orm::Condition {
    let c = sea_orm::Condition::all();
    match actor.user_id() {
        Some(id) => c.add(import_job::Column::OwnerId.eq(id)),
        None => c.add(import_job::Column::OwnerId.is_null()),
    }
}

/// Validates an uploaded file; writes nothing but the preview itself. A
/// valid file is kept for [`commit`] under the returned id. Reading and
/// grading run off the async workers, two files at a time.
pub async fn preview(
    svc: &Services,
    actor: &Actor,
    name: &str,
    bytes: Vec<u8>,
) -> Result<ImportPreview> {
    authz::workspace(actor)?;
    let _turn = svc
        .imports
        .checking
        .acquire()
        .await
        .map_err(ServiceError::internal)?;
    let xlsx = dataio::is_xlsx_name(name);
    let file = tokio::task::spawn_blocking(move || dataio::read_rows(&bytes, xlsx, true))
        .await
        .map_err(ServiceError::internal)??;
    let rows = file.data_rows;
    if rows > ROWS_PER_USER {
        return Err(ServiceError::invalid(
            format!("文件有 {rows} 行，超过一次导入的上限 {ROWS_PER_USER} 行；请拆分文件"),
            format!(
                "The file has {rows} rows, over the limit of {ROWS_PER_USER} per import; split it"
            ),
        ));
    }
    match pipeline::prepare(svc, actor, &file).await {
        Err(errs) => Ok(ImportPreview {
            id: None,
            file: name.to_string(),
            rows,
            error_count: errs.len(),
            errors: errs
                .into_iter()
                .take(SHOWN)
                .map(|e| ErrorView {
                    row: e.row,
                    column: e.column,
                    reason: e.reason,
                })
                .collect(),
            moves: vec![],
            move_count: 0,
        }),
        Ok(p) => {
            let moves = p.moves.iter().take(SHOWN).cloned().collect();
            let move_count = p.moves.len();
            let stored = p.stored();
            drop(p);
            let payload = tokio::task::spawn_blocking(move || pack(&stored))
                .await
                .map_err(ServiceError::internal)??;
            let id = format!("{:x}{:x}", rand::random::<u64>(), rand::random::<u64>());
            make_room(svc, actor, rows).await?;
            let now = Utc::now();
            import_job::ActiveModel {
                id: Set(id.clone()),
                owner_id: Set(actor.user_id()),
                file: Set(name.to_string()),
                rows: Set(rows as i64),
                created_at: Set(now),
                payload: Set(Some(payload)),
                state: Set(PREVIEWED.into()),
                phase: Set(String::new()),
                done: Set(0),
                total: Set(0),
                result: Set(None),
                updated_at: Set(now),
            }
            .insert(&svc.db)
            .await?;
            Ok(ImportPreview {
                id: Some(id),
                file: name.to_string(),
                rows,
                errors: vec![],
                error_count: 0,
                moves,
                move_count,
            })
        }
    }
}

/// Drops expired previews and outcomes, then the user's oldest previews
/// until theirs fit the limits; refuses when all users' previews together
/// are at the limit. Running imports are never dropped.
async fn make_room(svc: &Services, actor: &Actor, rows: usize) -> Result<()> {
    let db = &svc.db;
    let expired = Utc::now() - chrono::Duration::from_std(KEEP).map_err(ServiceError::internal)?;
    import_job::Entity::delete_many()
        .filter(import_job::Column::State.ne(RUNNING))
        .filter(import_job::Column::UpdatedAt.lt(expired))
        .exec(db)
        .await?;
    let mine: Vec<(String, i64)> = import_job::Entity::find()
        .select_only()
        .column(import_job::Column::Id)
        .column(import_job::Column::Rows)
        .filter(owned_by(actor))
        .filter(import_job::Column::State.eq(PREVIEWED))
        .order_by_asc(import_job::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    let mut held: usize = mine.iter().map(|(_, r)| *r as usize).sum();
    let mut count = mine.len();
    let mut dropped = Vec::new();
    for (id, r) in &mine {
        if count < PER_USER && held + rows <= ROWS_PER_USER {
            break;
        }
        dropped.push(id.clone());
        held -= *r as usize;
        count -= 1;
    }
    if !dropped.is_empty() {
        import_job::Entity::delete_many()
            .filter(import_job::Column::Id.is_in(dropped))
            .filter(import_job::Column::State.eq(PREVIEWED))
            .exec(db)
            .await?;
    }
    // Summed here: SQL's SUM of a BIGINT is a NUMERIC on PostgreSQL.
    let all: i64 = import_job::Entity::find()
        .select_only()
        .column(import_job::Column::Rows)
        .filter(import_job::Column::State.eq(PREVIEWED))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .sum();
    if all as usize + rows > ROWS_HELD {
        return Err(ServiceError::busy(
            "服务器上等待提交的导入过多，请稍后再试（或先提交、放弃已有的预览）",
            "Too many imports await commit on the server; try later (or commit or drop your previews first)",
        ));
    }
    Ok(())
}

/// Commits a previewed import in the background; [`status`] follows it.
/// The preview is taken with one conditional update, so two commits of it
/// (a double click reaching two processes) write it once.
pub async fn commit(svc: &Services, actor: &Actor, id: &str) -> Result<()> {
    authz::workspace(actor)?;
    let db = &svc.db;
    let job = import_job::Entity::find_by_id(id.to_string())
        .filter(owned_by(actor))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let already = || ServiceError::invalid("该导入已提交", "This import was already committed");
    if job.state != PREVIEWED {
        return Err(already());
    }
    let taken = import_job::Entity::update_many()
        .col_expr(import_job::Column::State, Expr::value(RUNNING))
        .col_expr(import_job::Column::Phase, Expr::value("check"))
        .col_expr(import_job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(import_job::Column::Id.eq(id))
        .filter(import_job::Column::State.eq(PREVIEWED))
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Err(already());
    }
    let progress = Arc::new(Progress::default());
    progress.phase("check", 0);
    running(svc).insert(id.to_string(), progress.clone());
    let (svc, actor, id) = (svc.clone(), actor.clone(), id.to_string());
    tokio::spawn(async move {
        let copier = copy_progress(&svc, &id, &progress);
        let result = {
            let work = async {
                let payload = job
                    .payload
                    .ok_or_else(|| ServiceError::internal("a preview without its rows"))?;
                let stored = tokio::task::spawn_blocking(move || unpack(&payload))
                    .await
                    .map_err(ServiceError::internal)??;
                let batches = pipeline::restore(&svc, stored).await?;
                let origin = Origin::Upload(job.file);
                records::write(&svc, &actor, &origin, batches, &progress).await
            };
            tokio::pin!(work);
            tokio::pin!(copier);
            tokio::select! {
                r = &mut work => r,
                () = &mut copier => work.await,
            }
        };
        let outcome = match result {
            Ok(w) => Outcome::Ok(w),
            Err(e) => {
                if let ServiceError::Internal(_) = e {
                    tracing::error!("import {id} failed; nothing was written");
                }
                Outcome::Error(crate::error::client_words(&e))
            }
        };
        let p = progress.as_ref();
        let finished = with_progress(import_job::Entity::update_many(), p)
            .col_expr(import_job::Column::State, Expr::value(FINISHED))
            .col_expr(
                import_job::Column::Payload,
                Expr::value(Option::<Vec<u8>>::None),
            )
            .col_expr(
                import_job::Column::Result,
                Expr::value(serde_json::to_string(&outcome).ok()),
            )
            .filter(import_job::Column::Id.eq(&id))
            .exec(&svc.db)
            .await;
        if let Err(e) = finished {
            tracing::error!("import {id}: recording its outcome failed: {e}");
        }
        running(&svc).remove(&id);
    });
    Ok(())
}

/// An update of a job's row that sets its progress as `p` has it now.
fn with_progress(
    u: sea_orm::UpdateMany<import_job::Entity>,
    p: &Progress,
) -> sea_orm::UpdateMany<import_job::Entity> {
    u.col_expr(
        import_job::Column::Phase,
        Expr::value(p.phase.lock().map(|g| g.clone()).unwrap_or_default()),
    )
    .col_expr(
        import_job::Column::Done,
        Expr::value(p.done.load(Ordering::Relaxed) as i64),
    )
    .col_expr(
        import_job::Column::Total,
        Expr::value(p.total.load(Ordering::Relaxed) as i64),
    )
    .col_expr(import_job::Column::UpdatedAt, Expr::value(Utc::now()))
}

fn running(svc: &Services) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Progress>>> {
    svc.imports
        .running
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Copies a running commit's progress to its row for the other processes
/// (PostgreSQL only; see the module). Never finishes by itself.
async fn copy_progress(svc: &Services, id: &str, p: &Progress) {
    if svc.db.get_database_backend() != DbBackend::Postgres {
        return std::future::pending().await;
    }
    let mut tick = tokio::time::interval(PROGRESS_EVERY);
    loop {
        tick.tick().await;
        let r = with_progress(import_job::Entity::update_many(), p)
            .filter(import_job::Column::Id.eq(id))
            .filter(import_job::Column::State.eq(RUNNING))
            .exec(&svc.db)
            .await;
        if let Err(e) = r {
            tracing::warn!("import {id}: copying its progress: {e}");
        }
    }
}

pub async fn status(svc: &Services, actor: &Actor, id: &str) -> Result<ImportProgress> {
    authz::workspace(actor)?;
    let job = import_job::Entity::find_by_id(id.to_string())
        .filter(owned_by(actor))
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let local = running(svc).get(id).cloned();
    let mut s = match (&job.state[..], local) {
        (RUNNING, Some(p)) => ImportProgress {
            phase: p.phase.lock().map(|g| g.clone()).unwrap_or_default(),
            done: p.done.load(Ordering::Relaxed),
            total: p.total.load(Ordering::Relaxed),
            ..Default::default()
        },
        _ => ImportProgress {
            phase: job.phase.clone(),
            done: job.done as usize,
            total: job.total as usize,
            ..Default::default()
        },
    };
    if job.state == FINISHED {
        s.finished = true;
        match job.result.as_deref().map(serde_json::from_str::<Outcome>) {
            Some(Ok(Outcome::Ok(r))) => {
                (s.created, s.updated, s.unchanged, s.changed_fields) =
                    (r.created, r.updated, r.unchanged, r.changed_fields);
            }
            Some(Ok(Outcome::Error(e))) => s.error = Some(e),
            _ => {
                s.error = Some(crate::error::client_words(&ServiceError::internal(
                    "an import's outcome unreadable",
                )))
            }
        }
    }
    Ok(s)
}
