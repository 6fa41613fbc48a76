//! A step in an appeal's timeline: who did what, when.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appeal_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub appeal_id: i32,
    pub at: DateTimeUtc,
    pub by: String,
    pub kind: String,
    pub note: String,
    /// The English beside the Chinese (none on rows written before it existed).
    pub note_en: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
