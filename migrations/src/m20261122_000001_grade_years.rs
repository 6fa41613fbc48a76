//! Per evaluation year: whether the stored ranks lag the graded state.
//!
//! A save commits the record, its audit entries and the results whose score
//! or class moved, pushes the change to open screens, and only then rewrites
//! the ranks of the cohort members it shifted (thousands, for an edit at the
//! top of a large cohort). The flag is set in the first transaction and
//! cleared in the second; a server that starts and finds it set regrades the
//! year's stored results.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GradeYears {
    Table,
    Year,
    RanksStale,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GradeYears::Table)
                .if_not_exists()
                .col(integer(GradeYears::Year).primary_key())
                .col(boolean(GradeYears::RanksStale).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(GradeYears::Table)
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
