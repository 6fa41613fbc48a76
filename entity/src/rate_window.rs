//! Requests of one client address in one minute to the open API and the
//! public pages' functions in its current window, summed over every
//! server process (`service::rate`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_windows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client: String,
    /// When the client's window started (ms since the Unix epoch).
    pub start_ms: i64,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
