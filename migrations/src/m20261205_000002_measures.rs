//! 分类施策: the measures an implementing-unit account applies, and what
//! each published version froze of the figures its lists need (internal,
//! never public: a list is made from a version, never the working state).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Measures,
}

#[derive(DeriveIden)]
enum DisclosureFacts {
    Table,
    Id,
    Year,
    Version,
    Uscc,
    Figures,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(text_null(Users::Measures))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DisclosureFacts::Table)
                .if_not_exists()
                .col(pk_auto(DisclosureFacts::Id))
                .col(integer(DisclosureFacts::Year))
                .col(integer(DisclosureFacts::Version))
                .col(string(DisclosureFacts::Uscc))
                .col(text(DisclosureFacts::Figures))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_disclosure_facts_version")
                .table(DisclosureFacts::Table)
                .col(DisclosureFacts::Year)
                .col(DisclosureFacts::Version)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DisclosureFacts::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::Measures)
                .to_owned(),
        )
        .await
    }
}
