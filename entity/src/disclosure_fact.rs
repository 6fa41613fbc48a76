//! What a published version froze of an enterprise's figures for the
//! entitlement lists of 分类施策 (land, tax, energy, emission, the industry
//! leader flag): a JSON object of field → text as the record held it.
//! Internal: the public never reads this table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_facts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub version: i32,
    pub uscc: String,
    #[sea_orm(column_type = "Text")]
    pub figures: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
