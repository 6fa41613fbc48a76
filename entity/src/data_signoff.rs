//! One party's confirmation (核实上报) of a year's data: a county for its
//! enterprises, a providing department for its columns.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "data_signoffs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    /// A county code or a department code.
    pub party: String,
    pub signed_at: DateTimeUtc,
    pub signed_by: String,
    /// What the party confirmed: its records, and the values it provides.
    pub records: i64,
    pub filled: i64,
    /// Set by the first change to the party's data after it signed.
    pub reopened_at: Option<DateTimeUtc>,
    pub reopened_by: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reopened_because: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
