//! The English of what the server writes for people (appeal notices, the
//! timeline, outcomes, correction notes): kept beside the Chinese so an
//! English page shows the same event in English. Rows written before have
//! none and show their Chinese.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notices {
    Table,
    TextEn,
}

#[derive(DeriveIden)]
enum AppealEvents {
    Table,
    NoteEn,
}

#[derive(DeriveIden)]
enum Appeals {
    Table,
    OutcomeEn,
}

#[derive(DeriveIden)]
enum DisclosureVersions {
    Table,
    NoteEn,
}

fn columns() -> Vec<(DynIden, DynIden)> {
    vec![
        (Notices::Table.into_iden(), Notices::TextEn.into_iden()),
        (
            AppealEvents::Table.into_iden(),
            AppealEvents::NoteEn.into_iden(),
        ),
        (Appeals::Table.into_iden(), Appeals::OutcomeEn.into_iden()),
        (
            DisclosureVersions::Table.into_iden(),
            DisclosureVersions::NoteEn.into_iden(),
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite adds one at a time.
        for (table, column) in columns() {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(text_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in columns() {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
