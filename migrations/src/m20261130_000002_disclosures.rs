//! Public disclosure (公示): a year's publication, its numbered versions and
//! their frozen lists. Published data is written once and never updated: a
//! correction is a new version with its own complete list and the list of
//! class changes it publishes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Disclosures {
    Table,
    Year,
    Status,
    WindowStart,
    WindowEnd,
    ContactPhone,
    ContactAddress,
    Notice,
    Objection,
    ShowScores,
    OpenedAt,
    OpenedBy,
    FinalizedAt,
    FinalizedBy,
}

#[derive(DeriveIden)]
enum DisclosureVersions {
    Table,
    Id,
    Year,
    Version,
    Kind,
    Note,
    PublishedAt,
    PublishedBy,
    Rows,
    Changes,
}

#[derive(DeriveIden)]
enum DisclosureRows {
    Table,
    Id,
    Year,
    Version,
    Uscc,
    Name,
    County,
    Industry,
    Scale,
    Status,
    Class,
    Score,
    Since,
}

#[derive(DeriveIden)]
enum DisclosureChanges {
    Table,
    Id,
    Year,
    Version,
    Uscc,
    Name,
    County,
    BeforeStatus,
    BeforeClass,
    AfterStatus,
    AfterClass,
    Cause,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Disclosures::Table)
                .if_not_exists()
                .col(integer(Disclosures::Year).primary_key())
                .col(string(Disclosures::Status))
                .col(date(Disclosures::WindowStart))
                .col(date(Disclosures::WindowEnd))
                .col(string(Disclosures::ContactPhone))
                .col(string(Disclosures::ContactAddress))
                .col(text(Disclosures::Notice))
                .col(text(Disclosures::Objection))
                .col(boolean(Disclosures::ShowScores).default(false))
                .col(timestamp_with_time_zone(Disclosures::OpenedAt))
                .col(string(Disclosures::OpenedBy))
                .col(timestamp_with_time_zone_null(Disclosures::FinalizedAt))
                .col(string_null(Disclosures::FinalizedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DisclosureVersions::Table)
                .if_not_exists()
                .col(pk_auto(DisclosureVersions::Id))
                .col(integer(DisclosureVersions::Year))
                .col(integer(DisclosureVersions::Version))
                .col(string(DisclosureVersions::Kind))
                .col(text(DisclosureVersions::Note))
                .col(timestamp_with_time_zone(DisclosureVersions::PublishedAt))
                .col(string(DisclosureVersions::PublishedBy))
                .col(integer(DisclosureVersions::Rows))
                .col(integer(DisclosureVersions::Changes))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_disclosure_versions_year_version")
                .table(DisclosureVersions::Table)
                .col(DisclosureVersions::Year)
                .col(DisclosureVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DisclosureRows::Table)
                .if_not_exists()
                .col(pk_auto(DisclosureRows::Id))
                .col(integer(DisclosureRows::Year))
                .col(integer(DisclosureRows::Version))
                .col(string(DisclosureRows::Uscc))
                .col(string(DisclosureRows::Name))
                .col(string(DisclosureRows::County))
                .col(string(DisclosureRows::Industry))
                .col(string(DisclosureRows::Scale))
                .col(string(DisclosureRows::Status))
                .col(string_null(DisclosureRows::Class))
                .col(double_null(DisclosureRows::Score))
                .col(integer(DisclosureRows::Since))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_disclosure_rows_year_version")
                .table(DisclosureRows::Table)
                .col(DisclosureRows::Year)
                .col(DisclosureRows::Version)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_disclosure_rows_uscc")
                .table(DisclosureRows::Table)
                .col(DisclosureRows::Uscc)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DisclosureChanges::Table)
                .if_not_exists()
                .col(pk_auto(DisclosureChanges::Id))
                .col(integer(DisclosureChanges::Year))
                .col(integer(DisclosureChanges::Version))
                .col(string(DisclosureChanges::Uscc))
                .col(string(DisclosureChanges::Name))
                .col(string(DisclosureChanges::County))
                .col(string_null(DisclosureChanges::BeforeStatus))
                .col(string_null(DisclosureChanges::BeforeClass))
                .col(string_null(DisclosureChanges::AfterStatus))
                .col(string_null(DisclosureChanges::AfterClass))
                .col(string(DisclosureChanges::Cause))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DisclosureChanges::Table.into_iden(),
            DisclosureRows::Table.into_iden(),
            DisclosureVersions::Table.into_iden(),
            Disclosures::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
