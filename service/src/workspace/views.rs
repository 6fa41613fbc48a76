//! Server side of the workspace: the list, one record with what the
//! browser needs to preview drafts of it, and its audit trail. Every query
//! is scoped through [`crate::authz`].

use super::*;
use crate::actor::Actor;
use crate::store;
use crate::{authz, Result, ServiceError, Services};
use entity::{audit_log, record};
use grading::Uscc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The county a workspace actor is confined to, as the list shows it.
fn locked_county(actor: &Actor) -> Option<String> {
    authz::county_scope(actor).map(str::to_string)
}

/// The year asked for when it is graded, else the latest graded year.
pub fn chosen_year(asked: Option<i32>, years: &[i32]) -> Option<i32> {
    asked
        .filter(|y| years.contains(y))
        .or(years.first().copied())
}

/// The years that have stored results, newest first. Asked on every list
/// and page: one index probe per year (a recursive walk down the
/// `(year, …)` index) rather than a `DISTINCT` over every stored result,
/// which PostgreSQL answers by reading the whole table.
pub async fn graded_years(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<i32>> {
    const SQL: &str = "WITH RECURSIVE y(year) AS ( \
         SELECT (SELECT year FROM grade_results ORDER BY year DESC LIMIT 1) \
         UNION ALL \
         SELECT (SELECT g.year FROM grade_results g WHERE g.year < y.year ORDER BY g.year DESC LIMIT 1) \
         FROM y WHERE y.year IS NOT NULL) \
         SELECT year FROM y WHERE year IS NOT NULL";
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            SQL,
        ))
        .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<i32>("", "year")?))
        .collect()
}

/// The list is served from the year's graded state in memory (the same
/// state saves regrade and the stored results mirror), so a city-wide text
/// search or a sort costs a pass over the year's rows, not a table scan.
pub async fn list(svc: &Services, actor: &Actor, query: ListQuery) -> Result<ListPage> {
    authz::workspace(actor)?;
    let years = graded_years(&svc.db).await?;
    let locked = locked_county(actor);
    let Some(year) = chosen_year(query.year, &years) else {
        return Ok(ListPage {
            county_locked: locked,
            ..Default::default()
        });
    };
    let county = locked
        .clone()
        .or(query.county.clone().filter(|c| !c.is_empty()));
    let filter = RowFilter::new(&query, county);
    // Class movement compares with the year before, graded as it stands.
    let moved = query
        .moved
        .as_deref()
        .filter(|m| matches!(*m, "up" | "down" | "any"));
    let previous: Option<std::collections::HashMap<String, grading::Class>> = match moved {
        None => None,
        Some(_) if years.contains(&(year - 1)) => Some(
            svc.live
                .with_year(&svc.db, year - 1, async |g| {
                    Ok(g.rows()
                        .iter()
                        .zip(g.results())
                        .filter_map(|(e, r)| Some((e.uscc.clone(), r.class?)))
                        .collect())
                })
                .await?,
        ),
        Some(_) => Some(Default::default()),
    };
    let moved_ok = |e: &grading::Enterprise, r: &grading::Graded| match (&previous, moved) {
        (Some(prev), Some(how)) => match (r.class, prev.get(&e.uscc)) {
            (Some(now), Some(&before)) => match how {
                "up" => now < before,
                "down" => now > before,
                _ => now != before,
            },
            _ => false,
        },
        _ => true,
    };
    let (total, page, pages, rows) = svc
        .live
        .with_year(&svc.db, year, async |g| {
            let rs = g.ruleset();
            let (rows, results) = (g.rows(), g.results());
            let mut hits: Vec<usize> = (0..rows.len())
                .filter(|&i| filter.keeps(&rows[i], &results[i]) && moved_ok(&rows[i], &results[i]))
                .collect();
            let by_uscc = |a: &usize, b: &usize| rows[*a].uscc.cmp(&rows[*b].uscc);
            // Missing scores last, whichever the direction (as in SQL with
            // `score IS NULL` first in the ORDER BY).
            let score = |i: usize| results[i].score;
            let total = hits.len() as u64;
            let pages = Ord::max(total.div_ceil(PER_PAGE), 1);
            let page = query.page.unwrap_or(1).clamp(1, pages);
            let start = ((page - 1) * PER_PAGE) as usize;
            let shown = start..Ord::min(start + PER_PAGE as usize, hits.len());
            match query.sort.as_deref() {
                Some("name") => order_range(&mut hits, shown.clone(), |a, b| {
                    rows[*a]
                        .name
                        .cmp(&rows[*b].name)
                        .then_with(|| by_uscc(a, b))
                }),
                Some("score_asc") => order_range(&mut hits, shown.clone(), |a, b| {
                    cmp_scores(score(*a), score(*b), false).then_with(|| by_uscc(a, b))
                }),
                _ => order_range(&mut hits, shown.clone(), |a, b| {
                    cmp_scores(score(*a), score(*b), true).then_with(|| by_uscc(a, b))
                }),
            }
            let rows: Vec<Row> = hits[shown]
                .iter()
                .map(|&i| Row {
                    previous_class: previous
                        .as_ref()
                        .and_then(|p| p.get(&rows[i].uscc))
                        .copied(),
                    ..Row::of(rs, &rows[i], &results[i])
                })
                .collect();
            Ok((total, page, pages, rows))
        })
        .await?;
    Ok(ListPage {
        year: Some(year),
        years,
        total,
        page,
        pages,
        rows,
        county_locked: locked,
    })
}

/// Puts into `range` of `v` the elements a full sort by `cmp` (a total
/// order) would put there, in that order; the rest are left unordered. A
/// page of a city-wide list costs a linear pass, not a sort of every row
/// (at 260,000 enterprises the sort was most of the list's time).
fn order_range<T>(
    v: &mut [T],
    range: std::ops::Range<usize>,
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    if range.is_empty() {
        return;
    }
    if range.start > 0 {
        v.select_nth_unstable_by(range.start, &cmp);
    }
    let rest = &mut v[range.start..];
    let k = range.len();
    if k < rest.len() {
        rest.select_nth_unstable_by(k - 1, &cmp);
    }
    rest[..k].sort_unstable_by(&cmp);
}

fn cmp_scores(a: Option<f64>, b: Option<f64>, descending: bool) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Some(x), Some(y)) if descending => y.total_cmp(&x),
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The list's filters, parsed once.
struct RowFilter {
    county: Option<String>,
    /// Name text (lower-cased) and USCC text (upper-cased).
    text: Option<(String, String)>,
    industry: Option<String>,
    scale: Option<String>,
    class: Option<String>,
    status: Option<String>,
}

impl RowFilter {
    fn new(q: &ListQuery, county: Option<String>) -> RowFilter {
        let nonempty = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        RowFilter {
            county,
            text: nonempty(&q.q).map(|t| (t.to_lowercase(), t.to_uppercase())),
            industry: nonempty(&q.industry),
            scale: nonempty(&q.scale),
            class: nonempty(&q.class),
            status: nonempty(&q.status),
        }
    }

    fn keeps(&self, e: &grading::Enterprise, r: &grading::Graded) -> bool {
        let is = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        is(&self.county, e.county.code())
            && is(&self.industry, e.industry.code())
            && is(&self.scale, e.scale.code())
            && is(&self.status, r.status.code())
            && self
                .class
                .as_deref()
                .is_none_or(|w| r.class.is_some_and(|c| c.code() == w))
            && self.text.as_ref().is_none_or(|(lower, upper)| {
                e.uscc.contains(upper.as_str())
                    || e.name.contains(lower.as_str())
                    || (lower.bytes().any(|b| b.is_ascii_alphabetic())
                        && e.name.to_lowercase().contains(lower.as_str()))
            })
    }
}

/// A record the actor may see; one out of its reach is "not found", like
/// one that does not exist, so nobody learns what other counties hold.
pub async fn load_scoped(
    svc: &Services,
    actor: &Actor,
    uscc: &Uscc,
    year: i32,
) -> Result<record::Model> {
    authz::workspace(actor)?;
    store::load_record(&svc.db, uscc.as_str(), year)
        .await?
        .filter(|m| authz::may_see(actor, &m.county))
        .ok_or(ServiceError::NotFound)
}

pub async fn detail(svc: &Services, actor: &Actor, uscc: &Uscc, year: i32) -> Result<Detail> {
    let m = load_scoped(svc, actor, uscc, year).await?;
    let fields = store::fields_of_model(&m)?;
    let sources = store::sources_of_model(&m)?;
    let mut record_years: Vec<i32> = record::Entity::find()
        .select_only()
        .column(record::Column::Year)
        .filter(record::Column::Uscc.eq(uscc.as_str()))
        .into_tuple()
        .all(&svc.db)
        .await?;
    record_years.sort_unstable_by(|a, b| b.cmp(a));
    let (result, cohort_name, preview) = svc
        .live
        .with_year(&svc.db, year, async |g| {
            let i = g.position(uscc.as_str());
            let result = i.map(|i| g.result(i));
            let cohort = result.as_ref().and_then(|r| r.cohort);
            Ok((
                result,
                cohort.map(|c| c.zh(g.ruleset())),
                i.map(|i| g.preview_context(i)),
            ))
        })
        .await?;
    let history = crate::portal::views::history(&svc.db, uscc, None).await?;
    Ok(Detail {
        history,
        uscc: m.uscc,
        year,
        version: m.version,
        years: record_years,
        name: m.name,
        fields,
        sources: sources
            .into_iter()
            .map(|(k, s)| {
                (
                    k,
                    SourceInfo {
                        department: s.department,
                        by: crate::seed::who(&s.user),
                        at: crate::clock::minute(s.at),
                    },
                )
            })
            .collect(),
        result,
        cohort_name,
        preview,
        editable: authz::editable_fields(actor),
    })
}

pub async fn audit(
    svc: &Services,
    actor: &Actor,
    uscc: &Uscc,
    year: i32,
) -> Result<Vec<AuditEntry>> {
    load_scoped(svc, actor, uscc, year).await?;
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Uscc.eq(uscc.as_str()))
        .filter(audit_log::Column::Year.eq(year))
        .order_by_desc(audit_log::Column::Id)
        .limit(500)
        .all(&svc.db)
        .await?;
    Ok(rows.into_iter().map(audit_entry).collect())
}

/// An audit row as a page shows it: times in Beijing time, who by name.
pub fn audit_entry(a: audit_log::Model) -> AuditEntry {
    AuditEntry {
        at: crate::clock::second(a.at),
        by: crate::seed::who(&a.username),
        username: a.username,
        action: a.action,
        field: a.field,
        old_value: a.old_value,
        new_value: a.new_value,
        department: a.department,
        source: a.source,
        version: a.version,
    }
}

#[cfg(test)]
mod tests {
    use super::graded_years;
    use entity::grade_result;
    use sea_orm::{EntityTrait, Set};

    #[test]
    fn order_range_puts_in_each_range_what_a_full_sort_would() {
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 5, 50, 51, 137] {
            let v: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 40) as u32 % 1000
                })
                .collect();
            // Ties broken by position: a total order, as the list's is.
            let indexed: Vec<(u32, usize)> = v.iter().copied().zip(0..).collect();
            let mut sorted = indexed.clone();
            sorted.sort();
            for start in (0..=len).step_by(7) {
                for end in [start, start + 1, start + 20, len] {
                    let end = end.min(len).max(start);
                    let mut w = indexed.clone();
                    super::order_range(&mut w, start..end, |a, b| a.cmp(b));
                    assert_eq!(
                        w[start..end],
                        sorted[start..end],
                        "len {len}, {start}..{end}"
                    );
                }
            }
        }
    }

    #[tokio::test]
    async fn graded_years_lists_each_year_with_results_once_newest_first() {
        use migration::MigratorTrait;
        let mut o = sea_orm::ConnectOptions::new("sqlite::memory:");
        o.max_connections(1).sqlx_logging(false);
        let db = sea_orm::Database::connect(o).await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        assert_eq!(graded_years(&db).await.unwrap(), Vec::<i32>::new());
        let row = |uscc: &str, year: i32| grade_result::ActiveModel {
            uscc: Set(uscc.into()),
            year: Set(year),
            name: Set(String::new()),
            county: Set(String::new()),
            industry: Set(String::new()),
            scale: Set(String::new()),
            status: Set(String::new()),
            reasons: Set(String::new()),
            detail: Set(String::new()),
            graded_at: Set(chrono::Utc::now()),
            ..Default::default()
        };
        let rows = [
            ("a", 2021),
            ("b", 2023),
            ("a", 2023),
            ("c", 2019),
            ("b", 2021),
        ];
        grade_result::Entity::insert_many(rows.iter().map(|&(u, y)| row(u, y)))
            .exec_without_returning(&db)
            .await
            .unwrap();
        assert_eq!(graded_years(&db).await.unwrap(), vec![2023, 2021, 2019]);
    }
}
