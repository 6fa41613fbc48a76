//! Accounts: listing them (the city administrator) and creating them (the
//! command line, seeding).

use super::password::Password;
use super::sessions::hash_password;
use crate::actor::{Actor, Role, UserInfo};
use crate::{authz, Result, ServiceError, Services};
use chrono::Utc;
use entity::user;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::{BTreeSet, HashMap};

pub fn user_info(u: &user::Model) -> Option<UserInfo> {
    Some(UserInfo {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: Role::parse(&u.role)?,
        county: u.county.as_deref().and_then(grading::County::parse),
        department: u.department.as_deref().and_then(grading::Department::parse),
        uscc: u.uscc.as_deref().and_then(|s| grading::Uscc::parse(s).ok()),
        must_change_password: u.must_change_password,
        units: u
            .units
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default(),
        measures: u
            .measures
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default(),
    })
}

/// The account named `username` as the actor of console work (`server
/// import --as USER`): held to its role and scope as if signed in. No such
/// account is refused: a typo must not act for the whole city.
pub async fn acting_as(db: &impl ConnectionTrait, username: &str) -> Result<Actor> {
    let refused = || {
        ServiceError::invalid(
            format!("没有名为“{username}”的可用账户；以全市控制台操作员身份导入请用 --as-system NAME"),
            format!("No usable account named “{username}”; to import as the city's console operator use --as-system NAME"),
        )
    };
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(username.trim()))
        .one(db)
        .await?
        .ok_or_else(refused)?;
    user_info(&u).map(Actor::User).ok_or_else(refused)
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
    /// Parsed against the rules ([`Password::parse`]), or the demo's.
    pub password: Password,
    pub role: Role,
    pub county: Option<&'a str>,
    pub department: Option<&'a str>,
    pub uscc: Option<&'a str>,
    /// For a lead unit: the units it speaks for.
    pub units: &'a [&'a str],
    /// For an implementing unit: the measures (keys) it applies.
    pub measures: &'a [&'a str],
}

/// Creates an account after checking that its binding fits its role.
pub async fn add_user(db: &impl ConnectionTrait, actor: &Actor, u: NewUser<'_>) -> Result<()> {
    authz::city_admin(actor)?;
    let need = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(ServiceError::invalid(
                format!("角色 {} 需要 {what}", u.role.code()),
                format!("Role {} needs {what}", u.role.code()),
            ))
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
        Role::Implementer => {
            let known = grading::measures::builtin();
            need(
                !u.measures.is_empty()
                    && u.measures.iter().all(|k| known.iter().any(|m| m.key == *k)),
                "--measure（措施代码，如 land_use_tax）",
            )?;
            if let Some(c) = u.county {
                need(grading::County::parse(c).is_some(), "有效的 --county")?;
            }
        }
        Role::CityAdmin => {}
    }
    user::Entity::insert(user::ActiveModel {
        username: Set(u.username.to_lowercase()),
        display_name: Set(u.display.into()),
        password_hash: Set(hash_password(u.password.as_str())?),
        role: Set(u.role.code().into()),
        county: Set(u.county.map(str::to_string)),
        department: Set(u.department.map(str::to_string)),
        uscc: Set(u.uscc.map(str::to_string)),
        created_at: Set(Utc::now()),
        must_change_password: Set(false),
        units: Set((!u.units.is_empty()).then(|| serde_json::json!(u.units).to_string())),
        measures: Set((!u.measures.is_empty()).then(|| serde_json::json!(u.measures).to_string())),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// What the public and enterprises are shown for an act of the platform
/// itself (the shipped catalogue, a computation, the console, seeding).
pub const PLATFORM: &str = "亩均平台";

/// The unit an account acts for, in people's words: a lead unit's unit, a
/// department, a county, the city's 经信局 for the administrator, an
/// enterprise's name.
fn acting_unit(u: &user::Model) -> String {
    let info = user_info(u);
    match info.as_ref().map(|i| i.role) {
        Some(Role::CityAdmin) => "市经信局".into(),
        Some(Role::CountyOfficial) => info
            .and_then(|i| i.county)
            .map_or(u.display_name.clone(), |c| c.zh().to_string()),
        Some(Role::Department) => info
            .and_then(|i| i.department)
            .map_or(u.display_name.clone(), |d| d.zh().to_string()),
        Some(Role::LeadUnit) => info
            .and_then(|i| i.units.into_iter().next())
            .unwrap_or_else(|| u.display_name.clone()),
        Some(Role::Implementer) | Some(Role::Enterprise) | None => u.display_name.clone(),
    }
}

/// For each of `names` (user names as histories record them), the unit it
/// is shown as to readers who may not see account names
/// ([`authz::sees_account_names`]); a name of no account is the platform's.
pub async fn acting_units<'a>(
    db: &impl ConnectionTrait,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<HashMap<String, String>> {
    let names: BTreeSet<String> = names.into_iter().map(str::to_string).collect();
    if names.is_empty() {
        return Ok(HashMap::new());
    }
    let found: HashMap<String, String> = user::Entity::find()
        .filter(user::Column::Username.is_in(names.iter().cloned()))
        .all(db)
        .await?
        .iter()
        .map(|u| (u.username.clone(), acting_unit(u)))
        .collect();
    Ok(names
        .into_iter()
        .map(|n| {
            let unit = match found.get(&n) {
                Some(unit) => unit.clone(),
                // Already in people's words (the platform's own notes).
                None if !n.is_ascii() => n.clone(),
                None => PLATFORM.into(),
            };
            (n, unit)
        })
        .collect())
}
