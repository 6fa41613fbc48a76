//! A year's draft ruleset: edited by the city administrator and adopted
//! (copied into `rulesets`, the year regraded) only when it is ready, so a
//! half-edited draft never grades anyone.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RulesetDrafts {
    Table,
    Year,
    Body,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RulesetDrafts::Table)
                .if_not_exists()
                .col(integer(RulesetDrafts::Year).primary_key())
                .col(text(RulesetDrafts::Body))
                .col(timestamp_with_time_zone(RulesetDrafts::UpdatedAt))
                .col(string(RulesetDrafts::UpdatedBy))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RulesetDrafts::Table).to_owned())
            .await
    }
}
