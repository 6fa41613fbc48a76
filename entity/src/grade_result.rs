//! The engine's result per enterprise-year; `detail` holds the full breakdown.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "grade_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uscc: String,
    pub year: i32,
    pub name: String,
    pub county: String,
    pub industry: String,
    pub scale: String,
    pub status: String,
    pub cohort: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<i32>,
    pub cohort_size: Option<i32>,
    pub base_class: Option<String>,
    pub class: Option<String>,
    pub reasons: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub graded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
