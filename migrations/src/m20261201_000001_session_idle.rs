//! When a session was last used, for the idle timeout beside the absolute
//! one; and an index to find (and end) a user's sessions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    UserId,
    LastSeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Null until first used again: the idle time counts from the
        // session's opening (SQLite cannot add a column defaulting to now).
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(timestamp_with_time_zone_null(Sessions::LastSeenAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_sessions_user").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .drop_column(Sessions::LastSeenAt)
                .to_owned(),
        )
        .await
    }
}
