//! One quantified target of a policy document (see `service::targets`).
//! `lead` and `support` are JSON lists of unit names; `scope` is `city` or
//! a county code.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub doc_id: String,
    pub section: String,
    pub group_name: String,
    pub action: Option<String>,
    pub indicator: String,
    pub kind: String,
    pub comparator: String,
    pub value: Option<f64>,
    pub unit: String,
    pub words: Option<String>,
    pub versus: Option<String>,
    pub start: Date,
    pub deadline: Date,
    pub lead: String,
    pub support: String,
    pub lead_note: Option<String>,
    pub scope: String,
    pub aspirational: bool,
    pub quote: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
