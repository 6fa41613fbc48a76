//! An evidence file of an appeal, stored in the database (every server process sees it); served by its random `token`, only to the enterprise and the appeal's reviewers.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appeal_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub appeal_id: i32,
    #[sea_orm(unique)]
    pub token: String,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub data: Vec<u8>,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
