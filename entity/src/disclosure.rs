//! A year's publication (公示): its window, notice and state (`window` while
//! the publicity window is open, `final` once finalized).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub status: String,
    pub window_start: Date,
    pub window_end: Date,
    pub contact_phone: String,
    pub contact_address: String,
    #[sea_orm(column_type = "Text")]
    pub notice: String,
    #[sea_orm(column_type = "Text")]
    pub objection: String,
    pub show_scores: bool,
    pub opened_at: DateTimeUtc,
    pub opened_by: String,
    pub finalized_at: Option<DateTimeUtc>,
    pub finalized_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
