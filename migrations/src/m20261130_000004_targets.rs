//! Policy targets (政策目标): the documents, each quantified target, the
//! monthly actuals the lead units report and the audit of every change to
//! either; and the units a lead-unit account speaks for.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TargetDocs {
    Table,
    Id,
    Number,
    Title,
    Date,
    Seed,
    Rhythm,
    Public,
}

#[derive(DeriveIden)]
enum Targets {
    Table,
    Id,
    DocId,
    Section,
    GroupName,
    Action,
    Indicator,
    Kind,
    Comparator,
    Value,
    Unit,
    Words,
    Versus,
    Start,
    Deadline,
    Lead,
    Support,
    LeadNote,
    Scope,
    Aspirational,
    Quote,
    Position,
}

#[derive(DeriveIden)]
enum TargetActuals {
    Table,
    Id,
    TargetId,
    Month,
    Value,
    Versus,
    Milestone,
    Evidence,
    Source,
    Note,
    EnteredBy,
    EnteredAt,
}

#[derive(DeriveIden)]
enum TargetAudit {
    Table,
    Id,
    TargetId,
    At,
    By,
    Field,
    OldValue,
    NewValue,
    Source,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Units,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TargetDocs::Table)
                .if_not_exists()
                .col(string(TargetDocs::Id).primary_key())
                .col(string(TargetDocs::Number))
                .col(string(TargetDocs::Title))
                .col(date(TargetDocs::Date))
                .col(string(TargetDocs::Seed))
                .col(string_null(TargetDocs::Rhythm))
                .col(boolean(TargetDocs::Public).default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Targets::Table)
                .if_not_exists()
                .col(string(Targets::Id).primary_key())
                .col(string(Targets::DocId))
                .col(string(Targets::Section))
                .col(string(Targets::GroupName))
                .col(string_null(Targets::Action))
                .col(string(Targets::Indicator))
                .col(string(Targets::Kind))
                .col(string(Targets::Comparator))
                .col(double_null(Targets::Value))
                .col(string(Targets::Unit))
                .col(string_null(Targets::Words))
                .col(string_null(Targets::Versus))
                .col(date(Targets::Start))
                .col(date(Targets::Deadline))
                .col(text(Targets::Lead))
                .col(text(Targets::Support))
                .col(string_null(Targets::LeadNote))
                .col(string(Targets::Scope))
                .col(boolean(Targets::Aspirational).default(false))
                .col(text(Targets::Quote))
                .col(integer(Targets::Position))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TargetActuals::Table)
                .if_not_exists()
                .col(pk_auto(TargetActuals::Id))
                .col(string(TargetActuals::TargetId))
                .col(string(TargetActuals::Month))
                .col(double_null(TargetActuals::Value))
                .col(double_null(TargetActuals::Versus))
                .col(string_null(TargetActuals::Milestone))
                .col(text(TargetActuals::Evidence))
                .col(string(TargetActuals::Source))
                .col(text(TargetActuals::Note))
                .col(string(TargetActuals::EnteredBy))
                .col(timestamp_with_time_zone(TargetActuals::EnteredAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_target_actuals_target_month")
                .table(TargetActuals::Table)
                .col(TargetActuals::TargetId)
                .col(TargetActuals::Month)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TargetAudit::Table)
                .if_not_exists()
                .col(pk_auto(TargetAudit::Id))
                .col(string(TargetAudit::TargetId))
                .col(timestamp_with_time_zone(TargetAudit::At))
                .col(string(TargetAudit::By))
                .col(string(TargetAudit::Field))
                .col(text_null(TargetAudit::OldValue))
                .col(text_null(TargetAudit::NewValue))
                .col(string(TargetAudit::Source))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(text_null(Users::Units))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::Units)
                .to_owned(),
        )
        .await?;
        for t in [
            TargetAudit::Table.into_iden(),
            TargetActuals::Table.into_iden(),
            Targets::Table.into_iden(),
            TargetDocs::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
