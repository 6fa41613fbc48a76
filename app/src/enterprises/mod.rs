//! The officials' workspace: thin server functions over
//! `service::workspace` and `service::records`.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::workspace::{
    AuditEntry, Detail, GradeEvent, ListPage, ListQuery, RankMove, Row, RowChange, SaveOutcome,
    Saved, SourceInfo, StaleRecord, PER_PAGE,
};
use std::collections::BTreeMap;

#[server(prefix = "/api", endpoint = "list_enterprises")]
pub async fn list_enterprises(#[server(default)] query: ListQuery) -> Result<ListPage, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::workspace::views::list(&svc, &actor, query).await?)
}

#[server(prefix = "/api", endpoint = "get_enterprise")]
pub async fn get_enterprise(uscc: String, year: i32) -> Result<Detail, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::workspace::views::detail(&svc, &actor, &service::parse_uscc(&uscc)?, year).await?)
}

/// Saves changed fields (`fields[key]=text`) of the record read at
/// `version`; works as a plain form post too.
#[server(prefix = "/api", endpoint = "save_record")]
pub async fn save_record(
    uscc: String,
    year: i32,
    version: i32,
    fields: BTreeMap<String, String>,
) -> Result<SaveOutcome, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::records::save(
        &svc,
        &actor,
        &service::parse_uscc(&uscc)?,
        year,
        version,
        &fields,
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "audit_trail")]
pub async fn audit_trail(uscc: String, year: i32) -> Result<Vec<AuditEntry>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::workspace::views::audit(&svc, &actor, &service::parse_uscc(&uscc)?, year).await?)
}
