//! Policy targets: thin server functions over `service::targets`.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
pub use shared::targets::{
    Actual, Bulletin, Comparator, Dashboard, DocView, Filter, Kind, Race, RaceRow, SeriesPoint,
    Status, TargetDetail, TargetView,
};

#[server(prefix = "/api", endpoint = "targets_dashboard")]
pub async fn targets_dashboard(#[server(default)] filter: Filter) -> Result<Dashboard, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::targets::read::dashboard(&svc, &actor, &filter).await?)
}

#[server(prefix = "/api", endpoint = "get_target")]
pub async fn get_target(
    id: String,
    #[server(default)] month: Option<String>,
) -> Result<TargetDetail, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::targets::read::detail(&svc, &actor, &id, month.as_deref()).await?)
}

#[server(prefix = "/api", endpoint = "targets_bulletin")]
pub async fn targets_bulletin(
    #[server(default)] doc: Option<String>,
    #[server(default)] month: Option<String>,
) -> Result<Bulletin, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::targets::read::bulletin(&svc, &actor, doc.as_deref(), month.as_deref()).await?)
}

/// A lead unit reports a month's actual (a plain form post works too).
#[server(prefix = "/api", endpoint = "report_actual")]
pub async fn report_actual(
    target: String,
    month: String,
    #[server(default)] value: String,
    #[server(default)] versus: String,
    #[server(default)] milestone: String,
    #[server(default)] evidence: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    let r = service::targets::write::Report {
        target,
        month,
        value,
        versus,
        milestone,
        evidence,
        note,
    };
    service::targets::write::report(&svc, &actor, &r).await?;
    crate::context::back_with("saved", &r.month);
    Ok(())
}

/// The administrator edits a target (only the fields sent change).
#[server(prefix = "/api", endpoint = "edit_target")]
pub async fn edit_target(
    id: String,
    fields: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::targets::write::edit(&svc, &actor, &id, &fields).await?)
}

#[server(prefix = "/api", endpoint = "set_doc_public")]
pub async fn set_doc_public(doc: String, #[server(default)] public: bool) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::targets::write::set_public(&svc, &actor, &doc, public).await?)
}

/// A sheet of monthly actuals is small (a few hundred rows).
pub const MAX_BYTES: usize = 8 << 20;

/// Imports a sheet of actuals (field `file`, CSV or .xlsx).
#[server(prefix = "/api", endpoint = "import_actuals", input = MultipartFormData)]
pub async fn import_actuals(data: MultipartData) -> Result<shared::targets::Imported, AppError> {
    let (svc, actor) = crate::context::request().await?;
    let mut multipart = data
        .into_inner()
        .ok_or_else(crate::upload::nothing_received)?;
    let mut file = None;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("actuals.csv").to_string();
        let bytes = crate::upload::read_file(&mut field, MAX_BYTES, &name).await?;
        file = Some((name, bytes));
    }
    let (name, bytes) = file.ok_or_else(crate::upload::no_sheet)?;
    let imported = service::targets::write::import(&svc, &actor, &name, &bytes).await?;
    crate::context::back_with(
        "imported",
        &format!("{},{}", imported.rows, imported.changed),
    );
    Ok(imported)
}
