//! A class or status that a version of a publication changed, and why:
//! `data` (the enterprise's own figures were corrected) or `rerank` (its
//! cohort was re-ranked by others' corrections).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub version: i32,
    pub uscc: String,
    pub name: String,
    pub county: String,
    pub before_status: Option<String>,
    pub before_class: Option<String>,
    pub after_status: Option<String>,
    pub after_class: Option<String>,
    pub cause: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
