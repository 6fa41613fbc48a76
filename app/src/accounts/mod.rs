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

pub use shared::enrollment::{Candidate, Issued};

/// The county's enterprises and their accounts (county officials, the
/// city administrator).
#[server(prefix = "/api", endpoint = "enterprise_candidates")]
pub async fn enterprise_candidates(
    #[server(default)] q: String,
) -> Result<Vec<Candidate>, AppError> {
    let (svc, actor) = crate::context::request().await?;
    Ok(service::accounts::enterprises::candidates(&svc, &actor, &q).await?)
}

/// Creates one enterprise's account and shows its one-time password once.
/// (Many at a time: the form posting to `/accounts/enterprises.xlsx`
/// downloads the sheet instead.)
#[server(prefix = "/api", endpoint = "create_enterprise_account")]
pub async fn create_enterprise_account(uscc: String) -> Result<Issued, AppError> {
    let (svc, actor) = crate::context::request().await?;
    let mut issued = service::accounts::enterprises::create(&svc, &actor, &[uscc]).await?;
    issued
        .pop()
        .ok_or_else(|| AppError::from(shared::ServiceError::internal("no account issued")))
}

/// A new one-time password for an enterprise that has an account (it
/// forgot its password, or the one-time one ran out); shown once.
#[server(prefix = "/api", endpoint = "reissue_enterprise_password")]
pub async fn reissue_enterprise_password(uscc: String) -> Result<Issued, AppError> {
    let (svc, actor) = crate::context::request().await?;
    let mut issued = service::accounts::enterprises::reissue(&svc, &actor, &[uscc]).await?;
    issued
        .pop()
        .ok_or_else(|| AppError::from(shared::ServiceError::internal("no password issued")))
}

/// Changes the signed-in user's password; other sessions end.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(old: String, new: String, repeat: String) -> Result<(), AppError> {
    let (svc, actor) = crate::context::request().await?;
    if new != repeat {
        return Err(AppError::from(shared::ServiceError::invalid(
            "两次输入的新密码不一致",
            "The two new passwords differ",
        )));
    }
    let keep = crate::context::current_token_hash();
    service::accounts::enterprises::change_password(&svc, &actor, &old, &new, keep.as_deref())
        .await?;
    Ok(())
}
