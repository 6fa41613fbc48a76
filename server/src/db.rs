//! Connecting: SQLite under `data/` by default (WAL, busy timeout), or
//! PostgreSQL through `DATABASE_URL`. Migrations run from here.

use crate::error::Result;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::time::Duration;

pub const DEFAULT_URL: &str = "sqlite://data/muyi.db?mode=rwc";

pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .map(|p| p.split('?').next().unwrap_or(p))
    {
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)?;
        }
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .max_connections(if url.starts_with("sqlite") { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Checkpoints (copying the log into the database file)
                // run in the background (`checkpoint`), not in the commit
                // of whichever writer crossed SQLite's usual 4 MB: an
                // import's commit spent 0.2 s of its 1.7 s there. The log
                // is checkpointed in a commit only past this backstop.
                .pragma("wal_autocheckpoint", WAL_BACKSTOP_PAGES.to_string())
        });
    Ok(Database::connect(opts).await?)
}

/// Log pages (4 KB) past which a commit checkpoints after all (256 MB).
const WAL_BACKSTOP_PAGES: u32 = 65_536;

/// How often the server checkpoints SQLite's log.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);

/// Copies SQLite's log into the database file without waiting on readers
/// or writers (PASSIVE); nothing on PostgreSQL.
pub async fn checkpoint(db: &DatabaseConnection) -> Result<()> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
            .await?;
    }
    Ok(())
}

pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}
