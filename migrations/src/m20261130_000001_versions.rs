//! Versions, so that no write is lost or applied over a newer one:
//!
//! * `records.version`: bumped by every write of the record; a save names
//!   the version its form was read at and is refused if another came in
//!   between.
//! * `grade_years.version`: bumped by every write to a year's records, in
//!   the write's own transaction, by an upsert that locks the year's row
//!   until commit. Writers of one year are so serialised across server
//!   processes; each process's in-memory grade of the year knows the
//!   version it reflects and reloads when the database is ahead.
//! * `audit_log.version`: the record version a change produced, so a
//!   refused save can list what changed since the form was read.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Records {
    Table,
    Version,
}

#[derive(DeriveIden)]
enum GradeYears {
    Table,
    Version,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Records::Table)
                .add_column(integer(Records::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(GradeYears::Table)
                .add_column(big_integer(GradeYears::Version).default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AuditLog::Table)
                .add_column(integer_null(AuditLog::Version))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(AuditLog::Table)
                .drop_column(AuditLog::Version)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(GradeYears::Table)
                .drop_column(GradeYears::Version)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Records::Table)
                .drop_column(Records::Version)
                .to_owned(),
        )
        .await
    }
}
