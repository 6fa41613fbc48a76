//! An appeal (申诉) of an enterprise against one year's data or class. `status`: `filed` (待受理), `reviewing` (核实中), `corrected` (已更正), `partly` (部分更正), `rejected` (不予更正), `withdrawn` (已撤回).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appeals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub receipt: String,
    pub uscc: String,
    pub year: i32,
    pub county: String,
    pub status: String,
    pub explanation: String,
    pub filed_by: String,
    pub filed_at: DateTimeUtc,
    pub deadline: Date,
    pub closed_at: Option<DateTimeUtc>,
    pub outcome: Option<String>,
    /// The English beside the Chinese (none on rows written before it existed).
    pub outcome_en: Option<String>,
    pub class_before: Option<String>,
    pub class_after: Option<String>,
    pub correction_version: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
