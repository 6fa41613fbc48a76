//! One enterprise on one year's remediation ledger (整治提升台账): why it is
//! on it (`d_class`, `low_tax`, comma-separated), its three-year average
//! tax per mu, the county's plan (`upgrade`, `merger`, `vacate`, `close`)
//! with its responsible person and milestones (JSON list), the later year
//! that lifted it out, and whether a correction of the same year took it
//! off (`active` false).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "remediation_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub uscc: String,
    pub name: String,
    pub county: String,
    pub scale: String,
    pub class: Option<String>,
    pub reasons: String,
    pub avg_tax_per_mu: Option<f64>,
    pub plan: Option<String>,
    pub person: String,
    #[sea_orm(column_type = "Text")]
    pub milestones: String,
    pub exited_in: Option<i32>,
    pub active: bool,
    pub updated_at: DateTimeUtc,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
