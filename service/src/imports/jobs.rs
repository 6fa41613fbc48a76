//! Imports between preview and commit, owned by the user who uploaded
//! them, and their progress while the commit runs in the background.

use super::pipeline::{self, Prepared};
use super::{ErrorView, ImportPreview, ImportProgress, SHOWN};
use crate::actor::Actor;
use crate::records::{Origin, Progress, Written};
use crate::{authz, dataio, Result, ServiceError, Services};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type Jobs = tokio::sync::Mutex<HashMap<String, Job>>;

/// An import between preview and commit.
pub struct Job {
    owner: Option<i32>,
    prepared: Option<Prepared>,
    file: String,
    rows: usize,
    progress: Arc<Progress>,
    result: Option<std::result::Result<Written, String>>,
    created: Instant,
}

/// Previews are kept this long.
const KEEP: Duration = Duration::from_secs(3600);
/// Previews one user may hold: a new one drops their oldest.
pub const PER_USER: usize = 3;
/// Rows one user's previews may hold together (a province's file fits);
/// older previews are dropped to make room.
pub const ROWS_PER_USER: usize = 300_000;
/// Rows all previews may hold together (~4 KB each in memory).
pub const ROWS_HELD: usize = 1_000_000;

/// Files checked at once (each parse and grade takes a core and, for a
/// large file, hundreds of MB); the others wait their turn.
pub static CHECKING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Validates an uploaded file; writes nothing. A valid file is kept for
/// [`commit`] under the returned id. Reading and grading run off the async
/// workers, two files at a time.
pub async fn preview(
    svc: &Services,
    actor: &Actor,
    name: &str,
    bytes: Vec<u8>,
) -> Result<ImportPreview> {
    authz::workspace(actor)?;
    let _turn = CHECKING.acquire().await.map_err(ServiceError::internal)?;
    let xlsx = dataio::is_xlsx_name(name);
    let file = tokio::task::spawn_blocking(move || dataio::read_rows(&bytes, xlsx, true))
        .await
        .map_err(ServiceError::internal)??;
    let rows = file.data_rows;
    if rows > ROWS_PER_USER {
        return Err(ServiceError::Invalid(format!(
            "文件有 {rows} 行，超过一次导入的上限 {ROWS_PER_USER} 行；请拆分文件"
        )));
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
            let id = format!("{:x}{:x}", rand::random::<u64>(), rand::random::<u64>());
            let mut jobs = svc.imports.lock().await;
            make_room(&mut jobs, actor.user_id(), rows)?;
            jobs.insert(
                id.clone(),
                Job {
                    owner: actor.user_id(),
                    prepared: Some(p),
                    file: name.to_string(),
                    rows,
                    progress: Arc::default(),
                    result: None,
                    created: Instant::now(),
                },
            );
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

/// Drops expired previews and the user's oldest until theirs fit the
/// limits; refuses when all users' previews together are at the limit.
/// Committed or running imports hold no rows and are never dropped early.
fn make_room(jobs: &mut HashMap<String, Job>, owner: Option<i32>, rows: usize) -> Result<()> {
    jobs.retain(|_, j| j.created.elapsed() < KEEP);
    loop {
        let mine: Vec<(&String, &Job)> = jobs
            .iter()
            .filter(|(_, j)| j.owner == owner && j.prepared.is_some())
            .collect();
        let held: usize = mine.iter().map(|(_, j)| j.rows).sum();
        if mine.len() < PER_USER && held + rows <= ROWS_PER_USER {
            break;
        }
        let Some(oldest) = mine
            .iter()
            .min_by_key(|(_, j)| j.created)
            .map(|(k, _)| (*k).clone())
        else {
            break;
        };
        jobs.remove(&oldest);
    }
    let all: usize = jobs
        .values()
        .filter(|j| j.prepared.is_some())
        .map(|j| j.rows)
        .sum();
    if all + rows > ROWS_HELD {
        return Err(ServiceError::Busy(
            "服务器上等待提交的导入过多，请稍后再试（或先提交、放弃已有的预览）".into(),
        ));
    }
    Ok(())
}

/// Commits a previewed import in the background; [`status`] follows it.
pub async fn commit(svc: &Services, actor: &Actor, id: &str) -> Result<()> {
    authz::workspace(actor)?;
    let (prepared, progress, file) = {
        let mut jobs = svc.imports.lock().await;
        let job = jobs
            .get_mut(id)
            .filter(|j| j.owner == actor.user_id())
            .ok_or(ServiceError::NotFound)?;
        let prepared = job
            .prepared
            .take()
            .ok_or(ServiceError::Invalid("该导入已提交".into()))?;
        (prepared, job.progress.clone(), job.file.clone())
    };
    let (svc, actor, id) = (svc.clone(), actor.clone(), id.to_string());
    tokio::spawn(async move {
        let origin = Origin::Upload(file);
        let result = pipeline::commit(&svc, &actor, &origin, prepared, &progress).await;
        let result = result.map_err(|e| {
            if let ServiceError::Internal(_) = e {
                tracing::error!("import {id} failed; nothing was written");
            }
            e.client_text()
        });
        if let Some(job) = svc.imports.lock().await.get_mut(&id) {
            job.result = Some(result);
        }
    });
    Ok(())
}

pub async fn status(svc: &Services, actor: &Actor, id: &str) -> Result<ImportProgress> {
    authz::workspace(actor)?;
    let jobs = svc.imports.lock().await;
    let job = jobs
        .get(id)
        .filter(|j| j.owner == actor.user_id())
        .ok_or(ServiceError::NotFound)?;
    let p = &job.progress;
    let mut s = ImportProgress {
        phase: p.phase.lock().map(|g| g.clone()).unwrap_or_default(),
        done: p.done.load(Ordering::Relaxed),
        total: p.total.load(Ordering::Relaxed),
        ..Default::default()
    };
    match &job.result {
        None => {}
        Some(Ok(r)) => {
            s.finished = true;
            (s.created, s.updated, s.unchanged, s.changed_fields) =
                (r.created, r.updated, r.unchanged, r.changed_fields);
        }
        Some(Err(e)) => {
            s.finished = true;
            s.error = Some(e.clone());
        }
    }
    Ok(s)
}
