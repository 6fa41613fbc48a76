//! A county's differentiated-electricity procedure of a year (差别化电价,
//! 嘉政办发〔2021〕5号 §三(三)3): the surcharge it set for its D-class
//! enterprises, the enterprises it exempted (JSON object USCC → reason),
//! the published version its list is pinned to once made public, the
//! public window, and the filing with the city (备案). Immutable once
//! filed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "electricity_procedures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub county: String,
    /// 元/kWh as typed and checked (`0.30`).
    pub surcharge: String,
    pub version: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub exclusions: String,
    pub window_start: Option<Date>,
    pub window_end: Option<Date>,
    /// The approving government's document number (审批文号).
    pub approval: String,
    pub published_at: Option<DateTimeUtc>,
    pub filed_at: Option<DateTimeUtc>,
    pub filing_no: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
