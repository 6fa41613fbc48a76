//! 分类施策: thin server functions over `service::measures`.

use crate::error::AppError;
use leptos::prelude::*;
pub use service::measures::{
    Leader, Leaders, ListChange, ListRow, MeasureInfo, MeasureList, MeasuresIndex, VersionRef,
};

/// The published years and the measures the signed-in unit may open.
#[server(prefix = "/api", endpoint = "measures_index")]
pub async fn get_measures_index() -> Result<MeasuresIndex, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::measures::lists::index(&svc, &actor).await?)
}

/// One measure's entitlement list of a year, from a published version.
#[server(prefix = "/api", endpoint = "measure_list")]
pub async fn get_measure_list(
    year: i32,
    key: String,
    #[server(default)] version: Option<i32>,
    #[server(default)] county: Option<String>,
) -> Result<MeasureList, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(
        service::measures::lists::list(&svc, &actor, year, &key, version, county.as_deref())
            .await?,
    )
}

/// The published industry leaders of a year (public).
#[server(prefix = "/api", endpoint = "public_leaders")]
pub async fn public_leaders(year: i32) -> Result<Leaders, AppError> {
    let svc = crate::context::services()?;
    Ok(service::measures::lists::leaders(&svc, year).await?)
}
