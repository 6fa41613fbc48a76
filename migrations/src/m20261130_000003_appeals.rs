//! The enterprise portal: appeals (申诉) against a year's data and class,
//! their contested items (each reviewed by the department that provided
//! the figure), evidence files, the timeline, the enterprise's notices,
//! confirmations (一企一单确认) and the administrator's reopenings of the
//! appeal window for one enterprise; and the one-time password flag.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Appeals {
    Table,
    Id,
    Receipt,
    Uscc,
    Year,
    County,
    Status,
    Explanation,
    FiledBy,
    FiledAt,
    Deadline,
    ClosedAt,
    Outcome,
    ClassBefore,
    ClassAfter,
    CorrectionVersion,
}

#[derive(DeriveIden)]
enum AppealItems {
    Table,
    Id,
    AppealId,
    Field,
    CurrentValue,
    ClaimedValue,
    Reviewer,
    Status,
    DecidedValue,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum AppealFiles {
    Table,
    Id,
    AppealId,
    Token,
    Name,
    Mime,
    Size,
    Sha256,
    Data,
    UploadedAt,
}

#[derive(DeriveIden)]
enum AppealEvents {
    Table,
    Id,
    AppealId,
    At,
    By,
    Kind,
    Note,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    Uscc,
    AppealId,
    At,
    Text,
    ReadAt,
}

#[derive(DeriveIden)]
enum Confirmations {
    Table,
    Id,
    Uscc,
    Year,
    By,
    At,
}

#[derive(DeriveIden)]
enum AppealReopenings {
    Table,
    Id,
    Uscc,
    Year,
    By,
    At,
    Used,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    MustChangePassword,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Appeals::Table)
                .if_not_exists()
                .col(pk_auto(Appeals::Id))
                .col(string_uniq(Appeals::Receipt))
                .col(string(Appeals::Uscc))
                .col(integer(Appeals::Year))
                .col(string(Appeals::County))
                .col(string(Appeals::Status))
                .col(text(Appeals::Explanation))
                .col(string(Appeals::FiledBy))
                .col(timestamp_with_time_zone(Appeals::FiledAt))
                .col(date(Appeals::Deadline))
                .col(timestamp_with_time_zone_null(Appeals::ClosedAt))
                .col(text_null(Appeals::Outcome))
                .col(string_null(Appeals::ClassBefore))
                .col(string_null(Appeals::ClassAfter))
                .col(integer_null(Appeals::CorrectionVersion))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_appeals_uscc_year")
                .table(Appeals::Table)
                .col(Appeals::Uscc)
                .col(Appeals::Year)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AppealItems::Table)
                .if_not_exists()
                .col(pk_auto(AppealItems::Id))
                .col(integer(AppealItems::AppealId))
                .col(string(AppealItems::Field))
                .col(string_null(AppealItems::CurrentValue))
                .col(string(AppealItems::ClaimedValue))
                .col(string(AppealItems::Reviewer))
                .col(string(AppealItems::Status))
                .col(string_null(AppealItems::DecidedValue))
                .col(text_null(AppealItems::Reason))
                .col(string_null(AppealItems::DecidedBy))
                .col(timestamp_with_time_zone_null(AppealItems::DecidedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AppealFiles::Table)
                .if_not_exists()
                .col(pk_auto(AppealFiles::Id))
                .col(integer(AppealFiles::AppealId))
                .col(string_uniq(AppealFiles::Token))
                .col(string(AppealFiles::Name))
                .col(string(AppealFiles::Mime))
                .col(big_integer(AppealFiles::Size))
                .col(string(AppealFiles::Sha256))
                .col(blob(AppealFiles::Data))
                .col(timestamp_with_time_zone(AppealFiles::UploadedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AppealEvents::Table)
                .if_not_exists()
                .col(pk_auto(AppealEvents::Id))
                .col(integer(AppealEvents::AppealId))
                .col(timestamp_with_time_zone(AppealEvents::At))
                .col(string(AppealEvents::By))
                .col(string(AppealEvents::Kind))
                .col(text(AppealEvents::Note))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Notices::Table)
                .if_not_exists()
                .col(pk_auto(Notices::Id))
                .col(string(Notices::Uscc))
                .col(integer_null(Notices::AppealId))
                .col(timestamp_with_time_zone(Notices::At))
                .col(text(Notices::Text))
                .col(timestamp_with_time_zone_null(Notices::ReadAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Confirmations::Table)
                .if_not_exists()
                .col(pk_auto(Confirmations::Id))
                .col(string(Confirmations::Uscc))
                .col(integer(Confirmations::Year))
                .col(string(Confirmations::By))
                .col(timestamp_with_time_zone(Confirmations::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_confirmations_uscc_year")
                .table(Confirmations::Table)
                .col(Confirmations::Uscc)
                .col(Confirmations::Year)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AppealReopenings::Table)
                .if_not_exists()
                .col(pk_auto(AppealReopenings::Id))
                .col(string(AppealReopenings::Uscc))
                .col(integer(AppealReopenings::Year))
                .col(string(AppealReopenings::By))
                .col(timestamp_with_time_zone(AppealReopenings::At))
                .col(boolean(AppealReopenings::Used).default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(boolean(Users::MustChangePassword).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::MustChangePassword)
                .to_owned(),
        )
        .await?;
        for t in [
            AppealReopenings::Table.into_iden(),
            Confirmations::Table.into_iden(),
            Notices::Table.into_iden(),
            AppealEvents::Table.into_iden(),
            AppealFiles::Table.into_iden(),
            AppealItems::Table.into_iden(),
            Appeals::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
