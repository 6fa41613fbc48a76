//! Every change to a target or to one of its actuals: who, when, which
//! field (`actual:YYYY-MM:value` for an actual), old and new, and the
//! source (web, an imported file, the seed).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "target_audit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub target_id: String,
    pub at: DateTimeUtc,
    pub by: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
