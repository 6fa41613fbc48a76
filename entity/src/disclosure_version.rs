//! One numbered version of a year's publication: the first (`publicity`),
//! the final one (`final`) and corrections (`correction`). Written once.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub version: i32,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    /// The English beside the Chinese (none on rows written before it existed).
    pub note_en: Option<String>,
    pub published_at: DateTimeUtc,
    pub published_by: String,
    pub rows: i32,
    pub changes: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
