//! The graded state of each year, kept in memory so a save regrades only
//! what it can move, and the stream of grade changes pushed to open screens.
//!
//! With several server processes on one PostgreSQL database, each keeps its
//! own state; a save NOTIFYs the others, which reload that record and regrade
//! it the same way (the engine is deterministic), then push to their screens.

use crate::enterprises::{GradeEvent, RankMove, Row, RowChange};
use crate::store::{self, StoreError};
use grading::{Grader, Regrade};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::collections::HashMap;
use tokio::sync::{broadcast, Mutex};

pub const CHANNEL: &str = "muyi_grades";

/// What the cached grader was built from: the year's record count and
/// latest update. Another writer (a CLI import, another process) changes it.
type Stamp = (u64, Option<chrono::DateTime<chrono::Utc>>);

pub struct Live {
    years: Mutex<HashMap<i32, (Grader, Stamp)>>,
    pub events: broadcast::Sender<GradeEvent>,
    /// Identifies this process in NOTIFY payloads.
    pub origin: String,
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Notice {
    origin: String,
    year: i32,
    uscc: String,
}

impl Live {
    pub fn new() -> Live {
        let (events, _) = broadcast::channel(256);
        let origin = format!(
            "{}-{}",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        );
        Live {
            years: Mutex::new(HashMap::new()),
            events,
            origin,
        }
    }

    /// Runs `f` on the year's grader without changing the database,
    /// building it first if needed (or if another writer changed the year).
    pub async fn with_year<R>(
        &self,
        db: &DatabaseConnection,
        year: i32,
        f: impl AsyncFnOnce(&mut Grader) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.run(db, year, true, false, f).await
    }

    /// Like `with_year`, for an `f` that writes the year's records: the
    /// cache's stamp is renewed afterwards. The lock is held throughout, so
    /// saves of one process are serial.
    pub async fn with_year_writing<R>(
        &self,
        db: &DatabaseConnection,
        year: i32,
        f: impl AsyncFnOnce(&mut Grader) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.run(db, year, true, true, f).await
    }

    async fn run<R>(
        &self,
        db: &DatabaseConnection,
        year: i32,
        check_stamp: bool,
        restamp: bool,
        f: impl AsyncFnOnce(&mut Grader) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let mut years = self.years.lock().await;
        let fresh = match years.get(&year) {
            None => None,
            Some((_, s)) if !check_stamp => Some(*s),
            Some((_, s)) => {
                let now = store::year_stamp(db, year).await?;
                (now == *s).then_some(now)
            }
        };
        if fresh.is_none() {
            let stamp = store::year_stamp(db, year).await?;
            let rs = store::ruleset_for(db, year).await?;
            let rows = store::load_year(db, year)
                .await?
                .into_iter()
                .map(|(_, e)| e)
                .collect();
            let g = Grader::new(rs, rows).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            years.insert(year, (g, stamp));
        }
        let Some((g, _)) = years.get_mut(&year) else {
            return Err(StoreError::Corrupt("grader missing".into()));
        };
        let out = f(g).await;
        match &out {
            // The database did not take the change: rebuild from it next time.
            Err(_) => {
                years.remove(&year);
            }
            Ok(_) if restamp => {
                let stamp = store::year_stamp(db, year).await?;
                if let Some(entry) = years.get_mut(&year) {
                    entry.1 = stamp;
                }
            }
            Ok(_) => {}
        }
        out
    }

    /// Forgets a year (after an import rewrote it).
    pub async fn invalidate(&self, year: i32) {
        self.years.lock().await.remove(&year);
    }

    pub fn publish(&self, year: i32, g: &Grader, regrade: &Regrade) {
        let rs = g.ruleset();
        let rank_only: std::collections::HashSet<usize> =
            regrade.ranks_only.iter().copied().collect();
        let changes = regrade
            .changed
            .iter()
            .filter(|i| !rank_only.contains(i))
            .map(|&i| RowChange {
                row: Row::of(rs, &g.rows()[i], &g.results()[i]),
                class_moved: regrade.class_changes.iter().any(|c| c.index == i),
            })
            .collect();
        let ranks = regrade
            .ranks_only
            .iter()
            .filter_map(|&i| {
                let (e, r) = (&g.rows()[i], &g.results()[i]);
                Some(RankMove(
                    e.uscc.clone(),
                    e.county.code().into(),
                    r.rank?,
                    r.cohort_size?,
                ))
            })
            .collect();
        let _ = self.events.send(GradeEvent {
            year,
            changes,
            ranks,
        });
    }

    /// Tells other server processes (PostgreSQL only) that a record changed.
    pub async fn notify(
        &self,
        db: &DatabaseConnection,
        year: i32,
        uscc: &str,
    ) -> Result<(), StoreError> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let payload = serde_json::to_string(&Notice {
            origin: self.origin.clone(),
            year,
            uscc: uscc.into(),
        })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), payload.into()],
        ))
        .await?;
        Ok(())
    }

    /// Applies another process's change: reload the record, regrade, push.
    pub async fn apply_notice(
        &self,
        db: &DatabaseConnection,
        payload: &str,
    ) -> Result<(), StoreError> {
        let Ok(n) = serde_json::from_str::<Notice>(payload) else {
            return Ok(());
        };
        if n.origin == self.origin || !self.years.lock().await.contains_key(&n.year) {
            return Ok(());
        }
        let Some(model) = store::load_record(db, &n.uscc, n.year).await? else {
            self.invalidate(n.year).await;
            return Ok(());
        };
        let e = store::enterprise_of(&model)?;
        // Apply the change to the state this process already has (reloading
        // first would fold the change in silently, and push nothing).
        self.run(db, n.year, false, true, async |g| {
            let r = g
                .upsert(e)
                .map_err(|err| StoreError::Input(err.to_string()))?;
            self.publish(n.year, g, &r);
            Ok(())
        })
        .await
    }
}
