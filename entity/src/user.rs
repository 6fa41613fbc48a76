//! Accounts. `role` is one of `city_admin`, `county_official`, `department`,
//! `enterprise`; the binding column that goes with the role is set.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub county: Option<String>,
    pub department: Option<String>,
    pub uscc: Option<String>,
    pub created_at: DateTimeUtc,
    /// A one-time password (set by a county official): to be changed at
    /// the next login before anything else.
    pub must_change_password: bool,
    /// For a lead unit: the units it speaks for, a JSON list of names.
    pub units: Option<String>,
    /// When a one-time password stops working (None: the user's own).
    pub password_expires_at: Option<DateTimeUtc>,
    /// For an implementing unit: the measures (keys) it applies, a JSON list.
    pub measures: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
