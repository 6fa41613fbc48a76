//! Write transactions.
//!
//! On SQLite a transaction opened with a plain `BEGIN` (deferred) becomes a
//! writer at its first write; if it read before that and another connection
//! committed in between, SQLite refuses the write at once with
//! `SQLITE_BUSY_SNAPSHOT` — the busy timeout does not apply, because
//! waiting could not help a transaction whose snapshot is already stale.
//! The user saw a server fault. `BEGIN IMMEDIATE` takes the write lock at
//! the start, waiting its turn under the busy timeout, so a write
//! transaction never reads a snapshot it cannot write on. PostgreSQL
//! ignores the mode (its row locks and `lock_year` do this work).

use sea_orm::{DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait};

/// Begins a transaction that will write: `BEGIN IMMEDIATE` on SQLite.
pub async fn begin<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use sea_orm::sqlx::sqlite::SqliteJournalMode;
    use sea_orm::TransactionTrait;
    use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
    use std::time::Duration;

    /// A WAL database file with two connections and a busy timeout, as the
    /// server opens it (`server::db`).
    async fn two_connections() -> (DatabaseConnection, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!(
            "muyi-writes-{}-{}.db",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        let mut o = ConnectOptions::new(format!("sqlite://{}?mode=rwc", path.display()));
        o.max_connections(2)
            .min_connections(2)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(5))
            });
        let db = Database::connect(o).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (x INTEGER)")
            .await
            .unwrap();
        (db, path)
    }

    async fn count(db: &impl ConnectionTrait) -> i64 {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM t",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "n").unwrap()
    }

    fn remove(path: &std::path::Path) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    /// The race the module exists for: a transaction reads, another
    /// connection commits a write, the first then writes.
    #[tokio::test]
    async fn a_write_transaction_that_read_first_is_not_refused_by_a_commit_in_between() {
        let (db, path) = two_connections().await;

        // A plain BEGIN: SQLite refuses the late write (what users saw as
        // a server fault).
        let txn = db.begin().await.unwrap();
        count(&txn).await;
        db.execute_unprepared("INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        let late = txn.execute_unprepared("INSERT INTO t VALUES (2)").await;
        assert!(
            late.is_err(),
            "a deferred transaction wrote on a stale snapshot"
        );
        txn.rollback().await.unwrap();

        // `writes::begin`: the other connection's write waits its turn.
        let txn = super::begin(&db).await.unwrap();
        assert_eq!(count(&txn).await, 1);
        let other = tokio::spawn({
            let db = db.clone();
            async move { db.execute_unprepared("INSERT INTO t VALUES (3)").await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        txn.execute_unprepared("INSERT INTO t VALUES (2)")
            .await
            .unwrap();
        txn.commit().await.unwrap();
        other.await.unwrap().unwrap();
        assert_eq!(count(&db).await, 3);
        db.close().await.unwrap();
        remove(&path);
    }
}
