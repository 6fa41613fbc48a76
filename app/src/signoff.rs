//! 核实上报: thin server functions over `service::signoff`.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::signoff::SignMatrix;

#[server(prefix = "/api", endpoint = "get_signoffs")]
pub async fn get_signoffs(year: Option<i32>) -> Result<SignMatrix, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::signoff::matrix(&svc, &actor, year).await?)
}

/// Confirms the caller's county's or department's data of the year.
#[server(prefix = "/api", endpoint = "sign_off")]
pub async fn sign_off(year: i32) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::signoff::sign(&svc, &actor, year).await?)
}
