//! A monthly actual of a target, as its lead unit reported it (`month`:
//! `YYYY-MM`; cumulative targets report the total since the period start).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "target_actuals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub target_id: String,
    pub month: String,
    pub value: Option<f64>,
    pub versus: Option<f64>,
    pub milestone: Option<String>,
    pub evidence: String,
    pub source: String,
    pub note: String,
    pub entered_by: String,
    pub entered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
