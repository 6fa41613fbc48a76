//! An in-app notice to an enterprise (every account of its USCC).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uscc: String,
    pub appeal_id: Option<i32>,
    pub at: DateTimeUtc,
    pub text: String,
    /// The English beside the Chinese (none on rows written before it existed).
    pub text_en: Option<String>,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
