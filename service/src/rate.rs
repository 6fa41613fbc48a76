//! The open API's request limit per client address (and the public pages'
//! functions'), summed over every server process.
//!
//! A request is counted in this process's memory at once, and refused when
//! the client's count (what the database said at the last flush, plus what
//! this process has counted since) is over the limit. A few times a second
//! [`RateLimiter::flush`] adds each client's new requests to its row in
//! `rate_windows` with one statement and reads the sums back: a process
//! learns of a client's requests elsewhere at its first flush after it
//! counts one of its own (a quarter of a second), and one process alone
//! counts exactly. A client's window
//! starts at its first request and lasts a minute; the row's window is
//! restarted by the first flush that comes after its end.

use crate::Result;
use sea_orm::{ConnectionTrait, Statement};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A client's window length.
pub const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
struct Window {
    /// When this process saw the window start (ms since the epoch).
    start_ms: i64,
    /// The client's count in the database at the last flush.
    known: u64,
    /// Counted here and being flushed now.
    flushing: u64,
    /// Counted here since.
    pending: u64,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<IpAddr, Window>>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

const WINDOW_MS: i64 = WINDOW.as_millis() as i64;

impl RateLimiter {
    /// Counts a request of `client`; whether it is over `limit`.
    pub fn over(&self, client: IpAddr, limit: u64) -> bool {
        let now = now_ms();
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let win = w.entry(client).or_insert(Window {
            start_ms: now,
            known: 0,
            flushing: 0,
            pending: 0,
        });
        if now - win.start_ms >= WINDOW_MS {
            *win = Window {
                start_ms: now,
                known: 0,
                flushing: 0,
                pending: 0,
            };
        }
        win.pending += 1;
        win.known + win.flushing + win.pending > limit
    }

    /// Adds the requests counted since the last flush to the database and
    /// reads back each client's sum; forgets windows that have ended.
    pub async fn flush(&self, db: &impl ConnectionTrait) -> Result<()> {
        let now = now_ms();
        let batch: Vec<(IpAddr, i64, u64)> = {
            let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
            w.retain(|_, x| now - x.start_ms < WINDOW_MS || x.pending > 0);
            w.iter_mut()
                .filter(|(_, x)| x.pending > 0 && x.flushing == 0)
                .map(|(ip, x)| {
                    x.flushing = x.pending;
                    x.pending = 0;
                    (*ip, x.start_ms, x.flushing)
                })
                .collect()
        };
        if batch.is_empty() {
            return Ok(());
        }
        let result = self.add(db, &batch).await;
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match result {
            Ok(sums) => {
                for (ip, start, n) in &batch {
                    if let Some(x) = w.get_mut(ip).filter(|x| x.start_ms == *start) {
                        x.flushing = 0;
                        x.known = sums.get(&ip.to_string()).copied().unwrap_or(x.known + n);
                    }
                }
                Ok(())
            }
            Err(e) => {
                // Kept for the next flush.
                for (ip, start, _) in &batch {
                    if let Some(x) = w.get_mut(ip).filter(|x| x.start_ms == *start) {
                        x.pending += x.flushing;
                        x.flushing = 0;
                    }
                }
                Err(e)
            }
        }
    }

    async fn add(
        &self,
        db: &impl ConnectionTrait,
        batch: &[(IpAddr, i64, u64)],
    ) -> Result<HashMap<String, u64>> {
        let backend = db.get_database_backend();
        let mut sums = HashMap::with_capacity(batch.len());
        // One statement per few hundred clients (bounded parameters).
        for chunk in batch.chunks(300) {
            let mut sql =
                String::from("INSERT INTO rate_windows (client, start_ms, count) VALUES ");
            let mut values: Vec<sea_orm::Value> = Vec::with_capacity(chunk.len() * 3);
            for (i, (ip, start, n)) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                let k = values.len();
                match backend {
                    sea_orm::DbBackend::Postgres => {
                        sql.push_str(&format!("(${}, ${}, ${})", k + 1, k + 2, k + 3))
                    }
                    _ => sql.push_str("(?, ?, ?)"),
                }
                values.push(ip.to_string().into());
                values.push((*start).into());
                values.push((*n as i64).into());
            }
            // A window that ended restarts with the new requests; the
            // right-hand sides read the row as it was.
            sql.push_str(&format!(
                " ON CONFLICT (client) DO UPDATE SET \
                 count = CASE WHEN excluded.start_ms >= rate_windows.start_ms + {WINDOW_MS} \
                   THEN excluded.count ELSE rate_windows.count + excluded.count END, \
                 start_ms = CASE WHEN excluded.start_ms >= rate_windows.start_ms + {WINDOW_MS} \
                   THEN excluded.start_ms ELSE rate_windows.start_ms END \
                 RETURNING client, count"
            ));
            for row in db
                .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?
            {
                let client: String = row.try_get("", "client")?;
                let count: i64 = row.try_get("", "count")?;
                sums.insert(client, count.max(0) as u64);
            }
        }
        Ok(sums)
    }

    /// Deletes windows that ended a while ago.
    pub async fn purge(db: &impl ConnectionTrait) -> Result<u64> {
        let backend = db.get_database_backend();
        let sql = match backend {
            sea_orm::DbBackend::Postgres => "DELETE FROM rate_windows WHERE start_ms < $1",
            _ => "DELETE FROM rate_windows WHERE start_ms < ?",
        };
        let r = db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [(now_ms() - 2 * WINDOW_MS).into()],
            ))
            .await?;
        Ok(r.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::EntityTrait;

    const HERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const THERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    async fn db() -> sea_orm::DatabaseConnection {
        use migration::MigratorTrait;
        let mut o = sea_orm::ConnectOptions::new("sqlite::memory:");
        o.max_connections(1).sqlx_logging(false);
        let db = sea_orm::Database::connect(o).await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        db
    }

    #[tokio::test]
    async fn one_process_counts_exactly_without_waiting_for_a_flush() {
        let l = RateLimiter::default();
        assert!((0..10).all(|_| !l.over(HERE, 10)));
        assert!(l.over(HERE, 10), "the eleventh");
        assert!(!l.over(THERE, 10), "another client");
    }

    #[tokio::test]
    async fn processes_see_each_others_requests_after_a_flush() {
        let db = db().await;
        let (a, b) = (RateLimiter::default(), RateLimiter::default());
        assert!((0..6).all(|_| !a.over(HERE, 10)));
        a.flush(&db).await.unwrap();
        assert!((0..4).all(|_| !b.over(HERE, 10)), "b has not heard yet");
        b.flush(&db).await.unwrap();
        assert!(b.over(HERE, 10), "b knows of a's six");
        // A process learns the sum with its own next flush.
        assert!(!a.over(HERE, 10), "a has not heard yet: 6 + 1");
        a.flush(&db).await.unwrap();
        assert!(a.over(HERE, 10), "a knows of b's");
        assert!(!a.over(THERE, 10));
        // The shared row holds the sum.
        let row = entity::rate_window::Entity::find_by_id(HERE.to_string())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.count, 6 + 4 + 1, "the flushed requests of both");
    }

    #[tokio::test]
    async fn an_ended_window_starts_again_in_the_shared_row() {
        let db = db().await;
        let a = RateLimiter::default();
        for _ in 0..5 {
            a.over(HERE, 10);
        }
        a.flush(&db).await.unwrap();
        // The window as if it had begun two minutes ago, here and there.
        a.windows.lock().unwrap().get_mut(&HERE).unwrap().start_ms -= 2 * WINDOW_MS;
        entity::rate_window::Entity::update_many()
            .col_expr(
                entity::rate_window::Column::StartMs,
                sea_orm::sea_query::Expr::value(now_ms() - 2 * WINDOW_MS),
            )
            .exec(&db)
            .await
            .unwrap();
        assert!(!a.over(HERE, 10), "a new window here");
        a.flush(&db).await.unwrap();
        let row = entity::rate_window::Entity::find_by_id(HERE.to_string())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.count, 1, "and in the database");
    }
}
