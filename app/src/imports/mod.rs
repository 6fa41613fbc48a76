//! Importing a department's or county's spreadsheet through the browser:
//! upload → preview (every error by row and column, and the class changes
//! the import would cause) → commit all or nothing, with progress.

#[cfg(feature = "ssr")]
pub mod pipeline;

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorView {
    pub row: usize,
    pub column: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoveView {
    pub uscc: String,
    pub name: String,
    pub year: i32,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Set when the file is valid: the key to commit it.
    pub id: Option<String>,
    pub file: String,
    pub rows: usize,
    pub errors: Vec<ErrorView>,
    pub error_count: usize,
    pub moves: Vec<MoveView>,
    pub move_count: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub phase: String,
    pub done: usize,
    pub total: usize,
    pub finished: bool,
    pub error: Option<String>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub changed_fields: usize,
}

pub const SHOWN: usize = 500;

/// Validates an uploaded CSV or .xlsx (field `file`); writes nothing.
#[server(prefix = "/api", endpoint = "preview_import", input = MultipartFormData)]
pub async fn preview_import(data: MultipartData) -> Result<ImportPreview, AppError> {
    jobs::preview(data).await
}

/// Commits a previewed import in the background; poll `import_status`.
#[server(prefix = "/api", endpoint = "commit_import")]
pub async fn commit_import(id: String) -> Result<(), AppError> {
    jobs::commit(id).await
}

#[server(prefix = "/api", endpoint = "import_status")]
pub async fn import_status(id: String) -> Result<ImportProgress, AppError> {
    jobs::status(id).await
}

#[cfg(feature = "ssr")]
pub use jobs::Job;

#[cfg(feature = "ssr")]
mod jobs {
    use super::*;
    use crate::auth::session::state;
    use crate::auth::Role;
    use crate::enterprises::scope::workspace_user;
    use pipeline::{ImportScope, Prepared, Progress};
    use std::sync::atomic::Ordering;
    use std::sync::Arc;

    /// An import between preview and commit, owned by one user.
    pub struct Job {
        owner: i32,
        prepared: Option<Prepared>,
        file: String,
        pub progress: Arc<Progress>,
        result: Option<Result<pipeline::ImportReport, String>>,
        created: std::time::Instant,
    }

    /// Uploads larger than this are refused (40,000 rows of CSV are ~10 MB).
    const MAX_BYTES: usize = 64 << 20;

    pub async fn preview(data: MultipartData) -> Result<ImportPreview, AppError> {
        let u = workspace_user().await?;
        let st = state()?;
        let mut multipart = data
            .into_inner()
            .ok_or(AppError::Invalid("没有收到文件".into()))?;
        let mut file: Option<(String, Vec<u8>)> = None;
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() != Some("file") {
                continue;
            }
            let name = field.file_name().unwrap_or("upload.csv").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::Invalid(format!("文件读取失败：{e}")))?;
            if bytes.len() > MAX_BYTES {
                return Err(AppError::Invalid("文件过大".into()));
            }
            file = Some((name, bytes.to_vec()));
        }
        let (name, bytes) =
            file.ok_or(AppError::Invalid("请选择 CSV 或 Excel（.xlsx）文件".into()))?;
        let table = crate::dataio::read_bytes(&bytes, crate::dataio::is_xlsx_name(&name))?;
        let scope = ImportScope {
            county: (u.role == Role::CountyOfficial)
                .then(|| u.county.map(|c| c.code().to_string()).unwrap_or_default()),
            department: if u.role == Role::Department {
                u.department
            } else {
                None
            },
        };
        let rows = table.rows.len();
        match pipeline::prepare(&st.db, &table, &scope).await {
            Err(errs) => Ok(ImportPreview {
                id: None,
                file: name,
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
                let moves = p
                    .moves
                    .iter()
                    .take(SHOWN)
                    .map(|m| MoveView {
                        uscc: m.uscc.clone(),
                        name: m.name.clone(),
                        year: m.year,
                        before: m.before.clone(),
                        after: m.after.clone(),
                    })
                    .collect();
                let move_count = p.moves.len();
                let id = format!("{:x}{:x}", rand::random::<u64>(), rand::random::<u64>());
                let mut jobs = st.imports.lock().await;
                jobs.retain(|_, j| j.created.elapsed() < std::time::Duration::from_secs(3600));
                jobs.insert(
                    id.clone(),
                    Job {
                        owner: u.id,
                        prepared: Some(p),
                        file: name.clone(),
                        progress: Arc::default(),
                        result: None,
                        created: std::time::Instant::now(),
                    },
                );
                Ok(ImportPreview {
                    id: Some(id),
                    file: name,
                    rows,
                    errors: vec![],
                    error_count: 0,
                    moves,
                    move_count,
                })
            }
        }
    }

    pub async fn commit(id: String) -> Result<(), AppError> {
        let u = workspace_user().await?;
        let st = state()?;
        let (prepared, progress, file) = {
            let mut jobs = st.imports.lock().await;
            let job = jobs
                .get_mut(&id)
                .filter(|j| j.owner == u.id)
                .ok_or(AppError::NotFound)?;
            let prepared = job
                .prepared
                .take()
                .ok_or(AppError::Invalid("该导入已提交".into()))?;
            (prepared, job.progress.clone(), job.file.clone())
        };
        let st2 = st.clone();
        tokio::spawn(async move {
            let source = format!("upload:{file}");
            let result = pipeline::commit(
                &st2.db,
                prepared,
                &u.username,
                Some(u.id),
                &source,
                &progress,
            )
            .await;
            if let Err(e) = &result {
                tracing::error!("import {id} failed: {e}");
            }
            let mut jobs = st2.imports.lock().await;
            if let Some(job) = jobs.get_mut(&id) {
                job.result = Some(result.map_err(|e| e.to_string()));
            }
        });
        Ok(())
    }

    pub async fn status(id: String) -> Result<ImportProgress, AppError> {
        let u = workspace_user().await?;
        let st = state()?;
        let jobs = st.imports.lock().await;
        let job = jobs
            .get(&id)
            .filter(|j| j.owner == u.id)
            .ok_or(AppError::NotFound)?;
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
}
