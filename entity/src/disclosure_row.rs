//! One enterprise as a version of a publication shows it: identity, status
//! and class (a score only when the publication shows scores), and the
//! version in which this row was first published as it stands. No figure,
//! rank or reason is ever stored here.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_rows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub version: i32,
    pub uscc: String,
    pub name: String,
    pub county: String,
    pub industry: String,
    pub scale: String,
    pub status: String,
    pub class: Option<String>,
    pub score: Option<f64>,
    pub since: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
