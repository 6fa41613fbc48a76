//! Account administration: the city administrator sees every account and
//! what it is bound to. (Accounts are created with `server user add`.)

use crate::auth::UserInfo;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserInfo>, AppError> {
    use crate::auth::session::{require_role, state, user_info};
    use entity::user;
    use sea_orm::{EntityTrait, QueryOrder};
    require_role(&[crate::auth::Role::CityAdmin]).await?;
    let db = state()?.db;
    let users = user::Entity::find()
        .order_by_asc(user::Column::Role)
        .order_by_asc(user::Column::Username)
        .all(&db)
        .await?;
    Ok(users.iter().filter_map(user_info).collect())
}
