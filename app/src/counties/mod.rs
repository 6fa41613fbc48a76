//! 县（市、区）概览 (see `service::counties`).

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::counties::{CohortView, CountyRank, CountyReport, WarningRow, WARNINGS_SHOWN};

#[server(prefix = "/api", endpoint = "county_overview")]
pub async fn county_overview(
    #[server(default)] year: Option<i32>,
    #[server(default)] county: Option<String>,
) -> Result<CountyReport, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::counties::county_overview(&svc, &actor, year, county).await?)
}
