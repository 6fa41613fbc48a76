//! 核实上报: each county's and each providing department's confirmation
//! of a year's data before its publicity window opens; a later change to
//! what a party confirmed reopens it (recorded on the row).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DataSignoffs {
    Table,
    Id,
    Year,
    Party,
    SignedAt,
    SignedBy,
    Records,
    Filled,
    ReopenedAt,
    ReopenedBy,
    ReopenedBecause,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DataSignoffs::Table)
                .if_not_exists()
                .col(pk_auto(DataSignoffs::Id))
                .col(integer(DataSignoffs::Year))
                .col(string(DataSignoffs::Party))
                .col(timestamp_with_time_zone(DataSignoffs::SignedAt))
                .col(string(DataSignoffs::SignedBy))
                .col(big_integer(DataSignoffs::Records))
                .col(big_integer(DataSignoffs::Filled))
                .col(timestamp_with_time_zone_null(DataSignoffs::ReopenedAt))
                .col(string_null(DataSignoffs::ReopenedBy))
                .col(text_null(DataSignoffs::ReopenedBecause))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_data_signoffs_year_party")
                .table(DataSignoffs::Table)
                .col(DataSignoffs::Year)
                .col(DataSignoffs::Party)
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DataSignoffs::Table).to_owned())
            .await
    }
}
