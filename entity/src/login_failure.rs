//! Failed password checks of one key (`service::accounts::throttle`),
//! shared by every server process so that the throttle locks after the same
//! number of failures whichever process gets them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    /// A hash of what is counted (a user name at an address, an address…).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub count: i32,
    pub last_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
