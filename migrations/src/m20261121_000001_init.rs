//! The initial schema: counties, users, sessions, records (with field
//! provenance), rulesets, grade results and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Counties {
    Table,
    Code,
    NameZh,
    NameEn,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    County,
    Department,
    Uscc,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Records {
    Table,
    Id,
    Uscc,
    Year,
    Name,
    County,
    Industry,
    Scale,
    Fields,
    Sources,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Rulesets {
    Table,
    Year,
    Name,
    Body,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum GradeResults {
    Table,
    Id,
    Uscc,
    Year,
    County,
    Industry,
    Scale,
    Status,
    Cohort,
    Score,
    Rank,
    CohortSize,
    BaseClass,
    Class,
    Reasons,
    Detail,
    GradedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    UserId,
    Username,
    Action,
    Uscc,
    Year,
    Field,
    OldValue,
    NewValue,
    Department,
    Source,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Counties::Table)
                .if_not_exists()
                .col(string(Counties::Code).primary_key())
                .col(string(Counties::NameZh))
                .col(string(Counties::NameEn))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(pk_auto(Users::Id))
                .col(string_uniq(Users::Username))
                .col(string(Users::DisplayName))
                .col(string(Users::PasswordHash))
                .col(string(Users::Role))
                .col(string_null(Users::County))
                .col(string_null(Users::Department))
                .col(string_null(Users::Uscc))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .if_not_exists()
                .col(string(Sessions::TokenHash).primary_key())
                .col(integer(Sessions::UserId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Records::Table)
                .if_not_exists()
                .col(pk_auto(Records::Id))
                .col(string(Records::Uscc))
                .col(integer(Records::Year))
                .col(string(Records::Name))
                .col(string(Records::County))
                .col(string(Records::Industry))
                .col(string(Records::Scale))
                .col(text(Records::Fields))
                .col(text(Records::Sources))
                .col(timestamp_with_time_zone(Records::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_records_uscc_year")
                .table(Records::Table)
                .col(Records::Uscc)
                .col(Records::Year)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_records_year_county").table(Records::Table).col(Records::Year).col(Records::County).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Rulesets::Table)
                .if_not_exists()
                .col(integer(Rulesets::Year).primary_key())
                .col(string(Rulesets::Name))
                .col(text(Rulesets::Body))
                .col(timestamp_with_time_zone(Rulesets::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GradeResults::Table)
                .if_not_exists()
                .col(pk_auto(GradeResults::Id))
                .col(string(GradeResults::Uscc))
                .col(integer(GradeResults::Year))
                .col(string(GradeResults::County))
                .col(string(GradeResults::Industry))
                .col(string(GradeResults::Scale))
                .col(string(GradeResults::Status))
                .col(string_null(GradeResults::Cohort))
                .col(double_null(GradeResults::Score))
                .col(integer_null(GradeResults::Rank))
                .col(integer_null(GradeResults::CohortSize))
                .col(string_null(GradeResults::BaseClass))
                .col(string_null(GradeResults::Class))
                .col(string(GradeResults::Reasons))
                .col(text(GradeResults::Detail))
                .col(timestamp_with_time_zone(GradeResults::GradedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_grade_results_uscc_year")
                .table(GradeResults::Table)
                .col(GradeResults::Uscc)
                .col(GradeResults::Year)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_grade_results_year_county_score")
                .table(GradeResults::Table)
                .col(GradeResults::Year)
                .col(GradeResults::County)
                .col(GradeResults::Score)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .if_not_exists()
                .col(pk_auto(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(integer_null(AuditLog::UserId))
                .col(string(AuditLog::Username))
                .col(string(AuditLog::Action))
                .col(string_null(AuditLog::Uscc))
                .col(integer_null(AuditLog::Year))
                .col(string_null(AuditLog::Field))
                .col(text_null(AuditLog::OldValue))
                .col(text_null(AuditLog::NewValue))
                .col(string_null(AuditLog::Department))
                .col(string(AuditLog::Source))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_audit_uscc_year").table(AuditLog::Table).col(AuditLog::Uscc).col(AuditLog::Year).to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditLog::Table.into_iden(),
            GradeResults::Table.into_iden(),
            Rulesets::Table.into_iden(),
            Records::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
            Counties::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
