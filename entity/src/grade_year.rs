//! Per evaluation year: whether the stored ranks lag the graded state, and
//! the year's version (see the `grade_years` and `versions` migrations).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grade_years")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub ranks_stale: bool,
    /// Bumped by every write to the year's records (which locks this row
    /// until the write commits).
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
