//! 年度分析报告: a thin server function over `service::reports`.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::reports::{AnnualReport, Edition};

/// The public edition for anyone; the internal one for the city
/// administrator (the service decides).
#[server(prefix = "/api", endpoint = "annual_report")]
pub async fn get_annual_report(year: i32, internal: bool) -> Result<AnnualReport, AppError> {
    let (svc, actor) = if internal {
        crate::context::request().await?
    } else {
        (crate::context::services()?, service::Actor::Public)
    };
    let edition = if internal {
        Edition::Internal
    } else {
        Edition::Public
    };
    Ok(service::reports::annual(&svc, &actor, year, edition).await?)
}
