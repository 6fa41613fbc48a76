//! Appeals (申诉) for their reviewers and the enterprise: thin server
//! functions over `service::appeals`. Filing (with evidence files) is a
//! multipart form post to a plain route (`/portal/appeal`, in the server).

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::appeals::{
    AppealDetail, AppealStatus, AppealSummary, EvidenceFile, ItemView, Projection, TimelineEvent,
};

#[server(prefix = "/api", endpoint = "appeal_queue")]
pub async fn appeal_queue(status: Option<String>) -> Result<Vec<AppealSummary>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::read::queue(&svc, &actor, status.as_deref()).await?)
}

#[server(prefix = "/api", endpoint = "get_appeal")]
pub async fn get_appeal(id: i32) -> Result<AppealDetail, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::read::detail(&svc, &actor, id).await?)
}

/// 受理: the county registers the appeal as under review.
#[server(prefix = "/api", endpoint = "take_appeal")]
pub async fn take_appeal(id: i32) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::review::take(&svc, &actor, id).await?)
}

/// A reviewer's decision on one item: `decision` is `accept` or `reject`.
#[server(prefix = "/api", endpoint = "decide_item")]
pub async fn decide_item(
    item: i32,
    decision: String,
    #[server(default)] value: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    let d = service::appeals::review::Decision {
        item,
        accept: decision == "accept",
        value,
        reason,
    };
    Ok(service::appeals::review::decide(&svc, &actor, d).await?)
}

/// The administrator reopens a year's appeal for one enterprise.
#[server(prefix = "/api", endpoint = "reopen_appeal")]
pub async fn reopen_appeal(uscc: String, year: i32) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::appeals::file::reopen(&svc, &actor, &service::parse_uscc(&uscc)?, year).await?)
}
