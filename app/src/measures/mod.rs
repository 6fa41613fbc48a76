//! 分类施策: thin server functions over `service::measures`.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::measures::{
    Leader, Leaders, ListChange, ListRow, MeasureInfo, MeasureList, MeasuresIndex, VersionRef,
};

/// How many rows and changes a list page shows; the downloads hold all.
pub const SHOWN: usize = 200;

/// The published years and the measures the signed-in unit may open.
#[server(prefix = "/api", endpoint = "measures_index")]
pub async fn get_measures_index() -> Result<MeasuresIndex, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::lists::index(&svc, &actor).await?)
}

/// One measure's entitlement list of a year, from a published version
/// (the latest year, the first measure the reader applies, and the
/// reader's own county when not named; None before any publication). One
/// call, so that a page's resource never chains two.
#[server(prefix = "/api", endpoint = "measure_list")]
pub async fn get_measure_list(
    #[server(default)] year: Option<i32>,
    #[server(default)] key: Option<String>,
    #[server(default)] version: Option<i32>,
    #[server(default)] county: Option<String>,
) -> Result<Option<MeasureList>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    let idx = service::measures::lists::index(&svc, &actor).await?;
    let year = year.or(idx.years.first().copied());
    let key = key.or_else(|| idx.measures.first().map(|m| m.key.clone()));
    let county = county.filter(|c| !c.is_empty()).or(idx.county);
    let (Some(year), Some(key)) = (year, key) else {
        return Ok(None);
    };
    Ok(Some(
        service::measures::lists::list(&svc, &actor, year, &key, version, county.as_deref(), SHOWN)
            .await?,
    ))
}

/// The published industry leaders of a year (public).
#[server(prefix = "/api", endpoint = "public_leaders")]
pub async fn public_leaders(year: i32) -> Result<Leaders, AppError> {
    let svc = crate::context::services()?;
    Ok(service::measures::lists::leaders(&svc, year).await?)
}

pub use shared::measures::{
    ElectricityOverview, Ledger, LedgerCount, LedgerEntry, LedgerStatus, Milestone, PlanKind,
    Procedure, ProcedureRow, ProcedureState, ProcedureSummary,
};

/// Every county's differentiated-electricity procedure of a year that the
/// reader may see (the latest published year when None).
#[server(prefix = "/api", endpoint = "electricity_overview")]
pub async fn get_electricity_overview(
    #[server(default)] year: Option<i32>,
) -> Result<ElectricityOverview, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::electricity::overview(&svc, &actor, year).await?)
}

/// The year's overview and the procedure of `county` (or of the reader's
/// own county), in one call for the page's one resource.
#[server(prefix = "/api", endpoint = "electricity_page")]
pub async fn get_electricity_page(
    #[server(default)] year: Option<i32>,
    #[server(default)] county: Option<String>,
) -> Result<(ElectricityOverview, Option<Procedure>), AppError> {
    let (svc, actor) = crate::context::request().await?;
    let o = service::measures::electricity::overview(&svc, &actor, year).await?;
    let p = match county.filter(|c| !c.is_empty()).or(o.county.clone()) {
        Some(c) => Some(service::measures::electricity::procedure(&svc, &actor, o.year, &c).await?),
        None => None,
    };
    Ok((o, p))
}

/// One county's procedure, with its D-class list.
#[server(prefix = "/api", endpoint = "electricity_procedure")]
pub async fn get_procedure(year: i32, county: String) -> Result<Procedure, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::electricity::procedure(&svc, &actor, year, &county).await?)
}

#[server(prefix = "/api", endpoint = "electricity_surcharge")]
pub async fn set_surcharge(year: i32, county: String, surcharge: String) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(
        service::measures::electricity::set_surcharge(&svc, &actor, year, &county, &surcharge)
            .await?,
    )
}

/// Leaves a D-class enterprise off the list with a reason (an empty reason
/// puts it back).
#[server(prefix = "/api", endpoint = "electricity_exempt")]
pub async fn exempt_enterprise(
    year: i32,
    county: String,
    uscc: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::electricity::exempt(
        &svc,
        &actor,
        year,
        &county,
        &service::parse_uscc(&uscc)?,
        &reason,
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "electricity_publish")]
pub async fn publish_procedure(
    year: i32,
    county: String,
    start: String,
    end: String,
    approval: String,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    let form = service::measures::electricity::PublishForm {
        year,
        county,
        start,
        end,
        approval,
    };
    Ok(service::measures::electricity::publish(&svc, &actor, &form).await?)
}

#[server(prefix = "/api", endpoint = "electricity_file")]
pub async fn file_procedure(year: i32, county: String, filing_no: String) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::electricity::file(&svc, &actor, year, &county, &filing_no).await?)
}

/// The published procedures of a year (public).
#[server(prefix = "/api", endpoint = "public_electricity")]
pub async fn public_electricity(year: i32) -> Result<Vec<Procedure>, AppError> {
    let svc = crate::context::services()?;
    Ok(service::measures::electricity::public(&svc, year).await?)
}

/// A year's remediation ledger for the counties the reader covers.
#[server(prefix = "/api", endpoint = "ledger")]
pub async fn get_ledger(
    #[server(default)] year: Option<i32>,
    #[server(default)] county: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] q: Option<String>,
) -> Result<Ledger, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::ledger::list(
        &svc,
        &actor,
        year,
        county.as_deref(),
        status.as_deref(),
        q.as_deref(),
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "ledger_plan")]
pub async fn save_plan(
    year: i32,
    uscc: String,
    plan: String,
    person: String,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::ledger::save_plan(
        &svc,
        &actor,
        year,
        &service::parse_uscc(&uscc)?,
        &plan,
        &person,
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "ledger_milestone")]
pub async fn add_milestone(
    year: i32,
    uscc: String,
    title: String,
    due: String,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::ledger::add_milestone(
        &svc,
        &actor,
        year,
        &service::parse_uscc(&uscc)?,
        &title,
        &due,
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "ledger_milestone_done")]
pub async fn complete_milestone(
    year: i32,
    uscc: String,
    index: usize,
    done_on: String,
    evidence: String,
) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::ledger::complete_milestone(
        &svc,
        &actor,
        year,
        &service::parse_uscc(&uscc)?,
        index,
        &done_on,
        &evidence,
    )
    .await?)
}

/// The signed-in enterprise's own ledger entries (its portal).
#[server(prefix = "/api", endpoint = "my_ledger")]
pub async fn my_ledger() -> Result<Vec<LedgerEntry>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::ledger::of_enterprise(&svc, &actor).await?)
}
