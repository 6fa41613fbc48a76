//! The year's ruleset (city administrator): thin server functions over
//! `service::rulesets`.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::rulesets::{DraftSaved, RulesPage, SimulationData};
use std::collections::BTreeMap;

#[server(prefix = "/api", endpoint = "get_rules")]
pub async fn get_rules(year: Option<i32>) -> Result<RulesPage, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::rulesets::page(&svc, &actor, year).await?)
}

/// Saves the form's numbers (`edits[key]`) into the year's draft.
#[server(prefix = "/api", endpoint = "save_rules_draft")]
pub async fn save_rules_draft(
    year: i32,
    #[server(default)] edits: BTreeMap<String, String>,
) -> Result<DraftSaved, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::rulesets::save_draft(&svc, &actor, year, &edits).await?)
}

#[server(prefix = "/api", endpoint = "adopt_rules")]
pub async fn adopt_rules(year: i32) -> Result<u64, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::rulesets::adopt(&svc, &actor, year).await?)
}

#[server(prefix = "/api", endpoint = "discard_rules")]
pub async fn discard_rules(year: i32) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::rulesets::discard(&svc, &actor, year).await?)
}

/// The year's records, classes in force and draft, for the simulator the
/// browser runs (city administrator).
#[server(prefix = "/api", endpoint = "rules_simulation")]
pub async fn rules_simulation(year: i32) -> Result<SimulationData, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::rulesets::simulation(&svc, &actor, year).await?)
}
