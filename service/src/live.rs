//! The graded state of each year, kept in memory so a save regrades only
//! what it can move, and the stream of grade changes pushed to open screens.
//!
//! Each cached year knows the version of the year's records it reflects
//! (`grade_years.version`); a reader whose database is ahead reloads. With
//! several server processes on one PostgreSQL database, each keeps its own
//! state; a write NOTIFYs the others, which apply the same change the same
//! way (the engine is deterministic) when they are exactly one version
//! behind, and otherwise reload, then push to their screens.

use crate::store;
use crate::workspace::{GradeEvent, RankMove, Row, RowChange, Saved};
use crate::{Result, ServiceError};
use grading::{Grader, Regrade};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use std::collections::HashMap;
use tokio::sync::{broadcast, Mutex, MutexGuard};

pub const CHANNEL: &str = "muyi_grades";

/// A year's graded state and the version of the records it reflects.
struct Cached {
    grader: Grader,
    version: i64,
}

type Years = HashMap<i32, Cached>;

pub struct Live {
    years: Mutex<Years>,
    /// Taken by every write of records before its transaction.
    writer: Mutex<()>,
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
    /// The year's version the write produced.
    version: i64,
    /// The one record written; None when a whole batch was (an import).
    uscc: Option<String>,
    /// Who saved it, for the pages open on it.
    #[serde(default)]
    saved: Option<Saved>,
    /// The records a small batch wrote (an import of a few rows), which
    /// another process applies one by one instead of reloading the year.
    #[serde(default)]
    batch: Option<Vec<String>>,
}

/// How far behind a cached year may be for a writer to wait for the
/// notices ([`Live::catch_up`]), and for how long at most.
const CATCH_UP_VERSIONS: i64 = 8;
const CATCH_UP_WAIT: std::time::Duration = std::time::Duration::from_millis(300);

/// Records a notice names at most (NOTIFY payloads are under 8,000 bytes);
/// a larger batch makes the other processes reload the year.
pub const NOTICE_BATCH: usize = 200;

/// Rank and cohort size by USCC.
pub type Ranks = HashMap<String, (Option<u32>, Option<u32>)>;

/// Every row's rank and cohort size in `g`.
pub fn ranks_of(g: &Grader) -> Ranks {
    g.rows()
        .iter()
        .zip(g.results())
        .map(|(e, r)| (e.uscc.clone(), (r.rank, r.cohort_size)))
        .collect()
}

/// Grades a year from the database as `db` sees it.
pub async fn load(db: &impl ConnectionTrait, year: i32) -> Result<Grader> {
    let rs = store::ruleset_for(db, year).await?;
    let rows = store::load_year(db, year)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    crate::cpu::run(|| Grader::new(rs, rows)).map_err(ServiceError::internal)
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
            writer: Mutex::new(()),
            events,
            origin,
        }
    }

    /// Runs `f` on the year's grader as the database has it now (one
    /// primary-key read tells whether the cached state is current).
    pub async fn with_year<R>(
        &self,
        db: &DatabaseConnection,
        year: i32,
        f: impl AsyncFnOnce(&Grader) -> Result<R>,
    ) -> Result<R> {
        // Read before the lock: a reader does not hold every other reader
        // and writer up for a database round trip. A cache that is newer
        // than the version read (a write landed in between) serves as is.
        let version = store::year_version(db, year).await?;
        let mut years = self.years.lock().await;
        if let Some(c) = years.get(&year).filter(|c| c.version >= version) {
            return f(&c.grader).await;
        }
        let g = at_version(&mut years, db, year, version).await?;
        f(g).await
    }

    /// Waits a little for this process's cache of `year` to reach
    /// `version` when it is a few versions behind: the notices of the
    /// writes another process just committed are on their way, and
    /// applying them is far cheaper than reloading the year inside the
    /// caller's transaction (which holds the year for every process).
    pub async fn catch_up(&self, year: i32, version: i64) {
        let started = std::time::Instant::now();
        loop {
            {
                let years = self.years.lock().await;
                match years.get(&year) {
                    Some(c) if c.version < version && version - c.version <= CATCH_UP_VERSIONS => {}
                    _ => return,
                }
            }
            if started.elapsed() >= CATCH_UP_WAIT {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// The year before `year`'s aggregates (spec §8), when it is among
    /// `graded`: what the county evaluation's growth compares with.
    pub async fn previous_aggregates(
        &self,
        db: &DatabaseConnection,
        year: i32,
        graded: &[i32],
    ) -> Result<Option<grading::Aggregates>> {
        if !graded.contains(&(year - 1)) {
            return Ok(None);
        }
        self.with_year(db, year - 1, async |g| {
            Ok(Some(grading::Aggregates::of(g.rows(), g.results())))
        })
        .await
    }

    /// This process's turn to write (before its transaction begins; then
    /// the cache, if it needs it). One writer at a time per process.
    pub async fn writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().await
    }

    /// The year's cached state, for a writer: held across its transaction,
    /// so no reader sees the grade of a write that has not committed. An
    /// edit that is not [`YearEdit::commit`]ted (an error, a `?`) forgets
    /// the year, which the next reader rebuilds from the database: the
    /// cache never keeps a change the database did not take.
    pub async fn edit(&self, year: i32) -> YearEdit<'_> {
        YearEdit {
            years: self.years.lock().await,
            year,
            committed: false,
        }
    }

    /// Whole years graded after their transaction committed (an import):
    /// each replaces the cached one unless a newer save already landed.
    pub async fn install(&self, graded: Vec<(i32, i64, Grader)>) {
        let mut years = self.years.lock().await;
        for (year, version, grader) in graded {
            if years.get(&year).is_none_or(|c| c.version < version) {
                years.insert(year, Cached { grader, version });
            }
        }
    }

    /// One enterprise's current grade (None when it has no record).
    pub async fn result_of(
        &self,
        db: &DatabaseConnection,
        year: i32,
        uscc: &str,
    ) -> Result<Option<grading::GradeResult>> {
        self.with_year(db, year, async |g| {
            Ok(g.position(uscc).map(|i| g.result(i)))
        })
        .await
    }

    pub fn publish(&self, year: i32, g: &Grader, regrade: &Regrade, saved: Option<Saved>) {
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
            reload: false,
            saved,
        });
    }

    /// Tells open screens to fetch the year again (a batch was written).
    pub fn publish_reload(&self, year: i32) {
        let _ = self.events.send(GradeEvent {
            year,
            changes: vec![],
            ranks: vec![],
            reload: true,
            saved: None,
        });
    }

    /// Tells other server processes (PostgreSQL only) that a write landed.
    /// Sent inside the writer's transaction, the notice is delivered when
    /// it commits (never if it rolls back): the next writer of the year,
    /// which may be waiting on the year's row in another process, hears of
    /// this write as soon as it gets the year.
    pub async fn notify(
        &self,
        db: &impl ConnectionTrait,
        year: i32,
        version: i64,
        saved: Option<&Saved>,
        batch: Option<Vec<String>>,
    ) -> Result<()> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let payload = serde_json::to_string(&Notice {
            origin: self.origin.clone(),
            year,
            version,
            uscc: saved.map(|s| s.uscc.clone()),
            saved: saved.cloned(),
            batch: batch.filter(|b| b.len() <= NOTICE_BATCH),
        })
        .map_err(ServiceError::internal)?;
        crate::signals::notify(db, CHANNEL, payload).await
    }

    /// Applies another process's write: the same upsert when this process
    /// is exactly one version behind, else a reload; then a push.
    pub async fn apply_notice(&self, db: &DatabaseConnection, payload: &str) -> Result<()> {
        let Ok(n) = serde_json::from_str::<Notice>(payload) else {
            return Ok(());
        };
        if n.origin == self.origin {
            return Ok(());
        }
        let mut years = self.years.lock().await;
        let Some(cached) = years.get_mut(&n.year) else {
            return Ok(());
        };
        if cached.version >= n.version {
            return Ok(());
        }
        if let (None, Some(batch)) = (&n.uscc, &n.batch) {
            if cached.version + 1 == n.version && apply_batch(db, cached, n.year, batch).await {
                cached.version = n.version;
                self.publish_reload(n.year);
            } else {
                years.remove(&n.year);
                self.publish_reload(n.year);
            }
            return Ok(());
        }
        let record = match &n.uscc {
            Some(u) if cached.version + 1 == n.version => store::load_record(db, u, n.year).await?,
            _ => None,
        };
        let applied = match record {
            Some(m) => {
                let e = store::enterprise_of(&m)?;
                match cached.grader.upsert(e) {
                    Ok(r) => {
                        cached.version = n.version;
                        self.publish(n.year, &cached.grader, &r, n.saved.clone());
                        true
                    }
                    Err(_) => false,
                }
            }
            None => false,
        };
        if !applied {
            years.remove(&n.year);
            self.publish_reload(n.year);
        }
        Ok(())
    }
}

/// Upserts the records of another process's small batch into the cached
/// year; false when any is missing or refused (the caller then forgets the
/// year, so a half-applied batch is never kept).
async fn apply_batch(
    db: &DatabaseConnection,
    cached: &mut Cached,
    year: i32,
    batch: &[String],
) -> bool {
    let Ok(records) = store::load_records(db, batch, year).await else {
        return false;
    };
    if records.len() != batch.len() {
        return false;
    }
    for m in &records {
        let Ok(e) = store::enterprise_of(m) else {
            return false;
        };
        if cached.grader.upsert(e).is_err() {
            return false;
        }
    }
    true
}

impl Live {
    /// The rows of `graded` whose stored result differs from the cached
    /// year's at `version` ([`Grader::changed_from`]): an import's commit
    /// rewrites only those when the stored results are the cached ones.
    /// None when the cache is not at `version` or cannot tell.
    pub async fn changed_since(
        &self,
        year: i32,
        version: i64,
        graded: &Grader,
    ) -> Option<Vec<usize>> {
        let years = self.years.lock().await;
        let cached = years.get(&year).filter(|c| c.version == version)?;
        crate::cpu::run(|| graded.changed_from(&cached.grader))
    }

    /// Every row's rank and cohort size in the cached year when it is at
    /// `version` (a save's rank rewrite overtaken by later writes).
    pub async fn ranks_at(&self, year: i32, version: i64) -> Option<Ranks> {
        let years = self.years.lock().await;
        let c = years.get(&year).filter(|c| c.version == version)?;
        Some(ranks_of(&c.grader))
    }

    /// The rows of the cached year when it is at `version` (an import's
    /// commit grades its year from them and its drafts, in memory, instead
    /// of reloading the year from the database).
    pub async fn rows_at(&self, year: i32, version: i64) -> Option<Vec<grading::Enterprise>> {
        let years = self.years.lock().await;
        years
            .get(&year)
            .filter(|c| c.version == version)
            .map(|c| c.grader.rows().to_vec())
    }
}

/// A writer's hold on one year of the cache (see [`Live::edit`]).
pub struct YearEdit<'a> {
    years: MutexGuard<'a, Years>,
    year: i32,
    committed: bool,
}

impl YearEdit<'_> {
    /// The year's grader as of `version`, reloaded through `db` (which may
    /// be the writer's transaction) when the cached one is not.
    pub async fn grader_at(
        &mut self,
        db: &impl ConnectionTrait,
        version: i64,
    ) -> Result<&mut Grader> {
        at_version(&mut self.years, db, self.year, version).await
    }

    /// The write committed at `version`: the cache keeps the edited state
    /// (still held until the edit is dropped, for the push).
    pub fn commit(&mut self, version: i64) -> Result<&Grader> {
        let cached = self
            .years
            .get_mut(&self.year)
            .ok_or_else(|| ServiceError::internal("grader missing"))?;
        cached.version = version;
        self.committed = true;
        Ok(&cached.grader)
    }
}

impl Drop for YearEdit<'_> {
    fn drop(&mut self) {
        if !self.committed {
            self.years.remove(&self.year);
        }
    }
}

/// The year's grader at `version`, reloading it through `db` when the
/// cached one is not (`db` may be a transaction holding the year).
async fn at_version<'y>(
    years: &'y mut Years,
    db: &impl ConnectionTrait,
    year: i32,
    version: i64,
) -> Result<&'y mut Grader> {
    if years.get(&year).is_none_or(|c| c.version != version) {
        let grader = load(db, year).await?;
        years.insert(year, Cached { grader, version });
    }
    years
        .get_mut(&year)
        .map(|c| &mut c.grader)
        .ok_or_else(|| ServiceError::internal("grader missing"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grader() -> Grader {
        Grader::new(grading::ruleset::Ruleset::builtin_2020(), vec![]).expect("grader")
    }

    async fn version(live: &Live, year: i32) -> Option<i64> {
        live.years.lock().await.get(&year).map(|c| c.version)
    }

    #[tokio::test]
    async fn an_edit_keeps_the_year_only_when_committed() {
        let live = Live::new();
        live.install(vec![(2020, 3, grader())]).await;
        assert_eq!(version(&live, 2020).await, Some(3));
        // A writer that leaves early (an error, a `?`): the year is forgotten.
        drop(live.edit(2020).await);
        assert_eq!(version(&live, 2020).await, None);
        live.install(vec![(2020, 3, grader())]).await;
        {
            let mut e = live.edit(2020).await;
            e.commit(4).expect("cached");
        }
        assert_eq!(version(&live, 2020).await, Some(4));
        // A whole-year install older than what a save left is ignored.
        live.install(vec![(2020, 2, grader())]).await;
        assert_eq!(version(&live, 2020).await, Some(4));
        // Another year is untouched by an edit of this one.
        live.install(vec![(2019, 1, grader())]).await;
        drop(live.edit(2020).await);
        assert_eq!(version(&live, 2019).await, Some(1));
    }
}
