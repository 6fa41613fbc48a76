//! What a later request needs, kept where every server process reads it
//! (#23): imports between preview and commit and their progress, failed
//! password checks, and the open API's per-client request counts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
    OwnerId,
    File,
    Rows,
    CreatedAt,
    Payload,
    State,
    Phase,
    Done,
    Total,
    Result,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Key,
    Count,
    LastAt,
}

#[derive(DeriveIden)]
enum RateWindows {
    Table,
    Client,
    StartMs,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ImportJobs::Table)
                .if_not_exists()
                .col(string(ImportJobs::Id).primary_key())
                .col(integer_null(ImportJobs::OwnerId))
                .col(string(ImportJobs::File))
                .col(big_integer(ImportJobs::Rows))
                .col(timestamp_with_time_zone(ImportJobs::CreatedAt))
                .col(blob_null(ImportJobs::Payload))
                .col(string(ImportJobs::State))
                .col(string(ImportJobs::Phase))
                .col(big_integer(ImportJobs::Done))
                .col(big_integer(ImportJobs::Total))
                .col(text_null(ImportJobs::Result))
                .col(timestamp_with_time_zone(ImportJobs::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_import_jobs_owner")
                .table(ImportJobs::Table)
                .col(ImportJobs::OwnerId)
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .if_not_exists()
                .col(string(LoginFailures::Key).primary_key())
                .col(integer(LoginFailures::Count))
                .col(timestamp_with_time_zone(LoginFailures::LastAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RateWindows::Table)
                .if_not_exists()
                .col(string(RateWindows::Client).primary_key())
                .col(big_integer(RateWindows::StartMs))
                .col(big_integer(RateWindows::Count))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ImportJobs::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            RateWindows::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
