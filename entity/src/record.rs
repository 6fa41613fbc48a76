//! One enterprise's data for one year. Identity and the columns lists filter
//! on are real columns; every interchange field is kept in `fields` (a JSON
//! object of field → text exactly as the official typed it), so amounts
//! round-trip to the character. `sources` records which department
//! provided each field and when.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uscc: String,
    pub year: i32,
    pub name: String,
    pub county: String,
    pub industry: String,
    pub scale: String,
    #[sea_orm(column_type = "Text")]
    pub fields: String,
    /// JSON object field → {department, user, at}: who provided each value, and when.
    #[sea_orm(column_type = "Text")]
    pub sources: String,
    pub updated_at: DateTimeUtc,
    /// Bumped by every write; a save names the version it read.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
