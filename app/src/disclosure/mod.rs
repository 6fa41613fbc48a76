//! Public disclosure (公示): thin server functions over
//! `service::disclosure`. Reading is for anyone; the lifecycle is the city
//! administrator's.

use crate::error::AppError;
use leptos::prelude::*;
pub use shared::disclosure::{
    AdminYear, ChangeRow, Correction, Distribution, EnterpriseCard, Notice, PublicPage,
    PublicQuery, PublicRow, PublicationStatus, PublicationSummary, VersionInfo, WindowForm,
    PUBLIC_PER_PAGE,
};

#[server(prefix = "/api", endpoint = "publications")]
pub async fn publications() -> Result<Vec<PublicationSummary>, AppError> {
    let svc = crate::context::services()?;
    Ok(service::disclosure::read::publications(&svc).await?)
}

#[server(prefix = "/api", endpoint = "publication_page")]
pub async fn publication_page(
    year: i32,
    #[server(default)] query: PublicQuery,
) -> Result<PublicPage, AppError> {
    let svc = crate::context::services()?;
    Ok(service::disclosure::read::page(&svc, year, &query).await?)
}

#[server(prefix = "/api", endpoint = "public_corrections")]
pub async fn public_corrections(year: i32) -> Result<Vec<Correction>, AppError> {
    let svc = crate::context::services()?;
    Ok(service::disclosure::read::corrections(&svc, year).await?)
}

#[server(prefix = "/api", endpoint = "public_card")]
pub async fn public_card(uscc: String) -> Result<EnterpriseCard, AppError> {
    let svc = crate::context::services()?;
    Ok(service::disclosure::read::card(&svc, &service::parse_uscc(&uscc)?).await?)
}

/// What the public card search found.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Found {
    Card(EnterpriseCard),
    /// The year searched, how many match, the first page of them.
    Matches(i32, u64, Vec<PublicRow>),
    Nothing,
}

/// The public card search: the card of a USCC on file, or else the
/// enterprises of the latest publication whose name (or code) holds the
/// text. One call, so the page's resource never chains two.
#[server(prefix = "/api", endpoint = "public_lookup")]
pub async fn public_lookup(text: String) -> Result<Found, AppError> {
    let svc = crate::context::services()?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(Found::Nothing);
    }
    if let Ok(u) = grading::Uscc::parse(text) {
        if let Ok(c) = service::disclosure::read::card(&svc, &u).await {
            return Ok(Found::Card(c));
        }
    }
    let latest = service::disclosure::read::publications(&svc)
        .await?
        .iter()
        .map(|p| p.year)
        .max();
    let Some(year) = latest else {
        return Ok(Found::Nothing);
    };
    let query = PublicQuery {
        q: Some(text.to_string()),
        ..Default::default()
    };
    let page = service::disclosure::read::page(&svc, year, &query).await?;
    Ok(if page.rows.is_empty() {
        Found::Nothing
    } else {
        Found::Matches(year, page.total, page.rows)
    })
}

#[server(prefix = "/api", endpoint = "admin_disclosures")]
pub async fn admin_disclosures() -> Result<Vec<AdminYear>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::disclosure::read::admin_years(&svc, &actor).await?)
}

/// Opens a year's publicity window (a plain form post works too).
#[server(prefix = "/api", endpoint = "open_disclosure")]
pub async fn open_disclosure(form: WindowForm) -> Result<i32, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::disclosure::publish::open(&svc, &actor, &form).await?)
}

#[server(prefix = "/api", endpoint = "finalize_disclosure")]
pub async fn finalize_disclosure(year: i32) -> Result<i32, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::disclosure::publish::finalize(&svc, &actor, year).await?)
}

#[server(prefix = "/api", endpoint = "publish_correction")]
pub async fn publish_correction(year: i32, note: String) -> Result<i32, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::disclosure::publish::correct(&svc, &actor, year, &note).await?)
}
