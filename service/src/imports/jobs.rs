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
    progress: Arc<Progress>,
    result: Option<std::result::Result<Written, String>>,
    created: Instant,
}

/// Previews are kept this long.
const KEEP: Duration = Duration::from_secs(3600);

/// Validates an uploaded file; writes nothing. A valid file is kept for
/// [`commit`] under the returned id.
pub async fn preview(
    svc: &Services,
    actor: &Actor,
    name: &str,
    bytes: &[u8],
) -> Result<ImportPreview> {
    authz::workspace(actor)?;
    let table = dataio::read_bytes(bytes, dataio::is_xlsx_name(name))?;
    let rows = table.rows.len();
    match pipeline::prepare(svc, actor, &table).await {
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
            jobs.retain(|_, j| j.created.elapsed() < KEEP);
            jobs.insert(
                id.clone(),
                Job {
                    owner: actor.user_id(),
                    prepared: Some(p),
                    file: name.to_string(),
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
        let result = result.map_err(|e| match e {
            ServiceError::Internal(detail) => {
                tracing::error!("import {id} failed: {detail}");
                "服务器内部错误，导入未写入".to_string()
            }
            other => other.to_string(),
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
