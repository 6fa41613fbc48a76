//! Account administration: the city administrator sees every account and
//! what it is bound to. (Accounts are created with `server user add`.)

use crate::auth::UserInfo;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserInfo>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::accounts::list_users(&svc, &actor).await?)
}
