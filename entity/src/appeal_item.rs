//! One contested figure or flag of an appeal, reviewed by whoever provided it (`reviewer`: a department code, or `county`). `status`: `pending`, `accepted`, `rejected`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appeal_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub appeal_id: i32,
    pub field: String,
    pub current_value: Option<String>,
    pub claimed_value: String,
    pub reviewer: String,
    pub status: String,
    pub decided_value: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
