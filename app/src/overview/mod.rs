//! Public, aggregate figures: class counts per county of the latest year.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::overview::{CountyClasses, Overview};

#[server(prefix = "/api", endpoint = "public_overview")]
pub async fn public_overview() -> Result<Overview, AppError> {
    let svc = crate::context::services()?;
    Ok(service::overview::public_overview(&svc).await?)
}
