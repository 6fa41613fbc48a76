//! Importing a spreadsheet through the browser: thin server functions over
//! `service::imports`.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
pub use shared::imports::{ErrorView, ImportPreview, ImportProgress, MoveView, SHOWN};

/// Uploads larger than this are refused (40,000 rows of CSV are ~10 MB).
pub const MAX_BYTES: usize = 64 << 20;

/// Validates an uploaded CSV or .xlsx (field `file`); writes nothing.
#[server(prefix = "/api", endpoint = "preview_import", input = MultipartFormData)]
pub async fn preview_import(data: MultipartData) -> Result<ImportPreview, AppError> {
    let (svc, actor) = crate::context::request().await?;
    service::authz::workspace(&actor)?;
    let mut multipart = data
        .into_inner()
        .ok_or_else(crate::upload::nothing_received)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("upload.csv").to_string();
        let bytes = crate::upload::read_file(&mut field, MAX_BYTES, &name).await?;
        file = Some((name, bytes));
    }
    let (name, bytes) = file.ok_or_else(crate::upload::no_sheet)?;
    Ok(service::imports::jobs::preview(&svc, &actor, &name, bytes).await?)
}

/// Commits a previewed import in the background; poll `import_status`.
#[server(prefix = "/api", endpoint = "commit_import")]
pub async fn commit_import(id: String) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::imports::jobs::commit(&svc, &actor, &id).await?)
}

#[server(prefix = "/api", endpoint = "import_status")]
pub async fn import_status(id: String) -> Result<ImportProgress, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::imports::jobs::status(&svc, &actor, &id).await?)
}
