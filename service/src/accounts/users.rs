//! Accounts: listing them (the city administrator) and creating them (the
//! command line, seeding).

use super::sessions::hash_password;
use crate::actor::{Actor, Role, UserInfo};
use crate::{authz, Result, ServiceError, Services};
use chrono::Utc;
use entity::user;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Set};

pub fn user_info(u: &user::Model) -> Option<UserInfo> {
    Some(UserInfo {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: Role::parse(&u.role)?,
        county: u.county.as_deref().and_then(grading::County::parse),
        department: u.department.as_deref().and_then(grading::Department::parse),
        uscc: u.uscc.clone(),
        must_change_password: u.must_change_password,
        units: u
            .units
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default(),
    })
}

/// Every account and its binding.
pub async fn list_users(svc: &Services, actor: &Actor) -> Result<Vec<UserInfo>> {
    authz::city_admin(actor)?;
    let users = user::Entity::find()
        .order_by_asc(user::Column::Role)
        .order_by_asc(user::Column::Username)
        .all(&svc.db)
        .await?;
    Ok(users.iter().filter_map(user_info).collect())
}

/// An account to create; the binding that goes with the role is set.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub county: Option<&'a str>,
    pub department: Option<&'a str>,
    pub uscc: Option<&'a str>,
    /// For a lead unit: the units it speaks for.
    pub units: &'a [&'a str],
}

/// Creates an account after checking that its binding fits its role.
pub async fn add_user(db: &impl ConnectionTrait, actor: &Actor, u: NewUser<'_>) -> Result<()> {
    authz::city_admin(actor)?;
    if u.password.chars().count() < 8 {
        return Err(ServiceError::Invalid("密码至少 8 个字符".into()));
    }
    let need = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(ServiceError::Invalid(format!(
                "角色 {} 需要 {what}",
                u.role.code()
            )))
        }
    };
    match u.role {
        Role::CountyOfficial => need(
            u.county.and_then(grading::County::parse).is_some(),
            "--county（有效县代码）",
        )?,
        Role::Department => need(
            u.department.and_then(grading::Department::parse).is_some(),
            "--department",
        )?,
        Role::Enterprise => need(
            u.uscc.is_some_and(|x| grading::Uscc::parse(x).is_ok()),
            "--uscc（有效代码）",
        )?,
        Role::LeadUnit => need(!u.units.is_empty(), "--unit（牵头单位名称）")?,
        Role::CityAdmin => {}
    }
    user::Entity::insert(user::ActiveModel {
        username: Set(u.username.to_lowercase()),
        display_name: Set(u.display.into()),
        password_hash: Set(hash_password(u.password)?),
        role: Set(u.role.code().into()),
        county: Set(u.county.map(str::to_string)),
        department: Set(u.department.map(str::to_string)),
        uscc: Set(u.uscc.map(str::to_string)),
        created_at: Set(Utc::now()),
        must_change_password: Set(false),
        units: Set((!u.units.is_empty()).then(|| serde_json::json!(u.units).to_string())),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}
