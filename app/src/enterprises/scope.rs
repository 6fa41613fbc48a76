//! Server side of the workspace: scoping, queries, the save transaction.

use super::*;
use crate::auth::session::{require_role, state};
use crate::auth::{Role, UserInfo};
use crate::store::{self, Fields, Source};
use chrono::Utc;
use entity::{audit_log, grade_result, record};
use grading::record::{column_by_key, set_field, COLUMNS};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

const WORKSPACE: &[Role] = &[Role::CityAdmin, Role::CountyOfficial, Role::Department];
/// Identity of a record: never changed through the form.
const FIXED: &[&str] = &["uscc", "year"];

pub async fn workspace_user() -> Result<UserInfo, AppError> {
    require_role(WORKSPACE).await
}

/// The county a user is confined to, if any.
pub fn county_of(u: &UserInfo) -> Option<String> {
    (u.role == Role::CountyOfficial)
        .then(|| u.county.map(|c| c.code().to_string()).unwrap_or_default())
}

fn may_read(u: &UserInfo, county: &str) -> bool {
    county_of(u).is_none_or(|c| c == county)
}

/// Fields this user may change on a record.
pub fn editable(u: &UserInfo) -> Vec<String> {
    COLUMNS
        .iter()
        .filter(|c| !FIXED.contains(&c.key))
        .filter(|c| match u.role {
            Role::CityAdmin | Role::CountyOfficial => true,
            Role::Department => u.department == Some(c.department),
            Role::Enterprise => false,
        })
        .map(|c| c.key.to_string())
        .collect()
}

/// The year asked for when it is graded, else the latest graded year.
pub fn chosen_year(asked: Option<i32>, years: &[i32]) -> Option<i32> {
    asked
        .filter(|y| years.contains(y))
        .or(years.first().copied())
}

pub async fn graded_years(db: &sea_orm::DatabaseConnection) -> Result<Vec<i32>, AppError> {
    let mut ys: Vec<i32> = grade_result::Entity::find()
        .select_only()
        .column(grade_result::Column::Year)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    ys.sort_unstable_by(|a, b| b.cmp(a));
    Ok(ys)
}

/// The list is served from the year's graded state in memory (the same
/// state saves regrade and the stored results mirror), so a city-wide text
/// search or a sort costs a pass over the year's rows, not a table scan.
pub async fn list(query: ListQuery) -> Result<ListPage, AppError> {
    let u = workspace_user().await?;
    let st = state()?;
    let years = graded_years(&st.db).await?;
    let locked = county_of(&u);
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
    let (total, page, pages, rows) = st
        .live
        .with_year(&st.db, year, async |g| {
            let rs = g.ruleset();
            let (rows, results) = (g.rows(), g.results());
            let mut hits: Vec<usize> = (0..rows.len())
                .filter(|&i| filter.keeps(&rows[i], &results[i]))
                .collect();
            let by_uscc = |a: &usize, b: &usize| rows[*a].uscc.cmp(&rows[*b].uscc);
            // Missing scores last, whichever the direction (as in SQL with
            // `score IS NULL` first in the ORDER BY).
            let score = |i: usize| results[i].score;
            match query.sort.as_deref() {
                Some("name") => hits.sort_unstable_by(|a, b| {
                    rows[*a]
                        .name
                        .cmp(&rows[*b].name)
                        .then_with(|| by_uscc(a, b))
                }),
                Some("score_asc") => hits.sort_unstable_by(|a, b| {
                    cmp_scores(score(*a), score(*b), false).then_with(|| by_uscc(a, b))
                }),
                _ => hits.sort_unstable_by(|a, b| {
                    cmp_scores(score(*a), score(*b), true).then_with(|| by_uscc(a, b))
                }),
            }
            let total = hits.len() as u64;
            let pages = Ord::max(total.div_ceil(PER_PAGE), 1);
            let page = query.page.unwrap_or(1).clamp(1, pages);
            let rows: Vec<Row> = hits
                .iter()
                .skip(((page - 1) * PER_PAGE) as usize)
                .take(PER_PAGE as usize)
                .map(|&i| Row::of(rs, &rows[i], &results[i]))
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

async fn load_scoped(
    u: &UserInfo,
    db: &sea_orm::DatabaseConnection,
    uscc: &str,
    year: i32,
) -> Result<record::Model, AppError> {
    let m = store::load_record(db, uscc, year)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_read(u, &m.county) {
        return Err(AppError::Forbidden);
    }
    Ok(m)
}

pub async fn detail(uscc: &str, year: i32) -> Result<Detail, AppError> {
    let u = workspace_user().await?;
    let st = state()?;
    let m = load_scoped(&u, &st.db, uscc, year).await?;
    let fields: Fields = serde_json::from_str(&m.fields).map_err(|_| AppError::Internal)?;
    let sources: BTreeMap<String, Source> = serde_json::from_str(&m.sources).unwrap_or_default();
    let mut record_years: Vec<i32> = record::Entity::find()
        .select_only()
        .column(record::Column::Year)
        .filter(record::Column::Uscc.eq(uscc))
        .into_tuple()
        .all(&st.db)
        .await?;
    record_years.sort_unstable_by(|a, b| b.cmp(a));
    let graded = st
        .live
        .with_year(&st.db, year, async |g| {
            let i = g.position(uscc);
            let result = i.map(|i| g.result(i));
            let cohort = result.as_ref().and_then(|r| r.cohort);
            let scale = i
                .map(|i| g.rows()[i].scale)
                .unwrap_or(grading::Scale::Above);
            Ok((
                result,
                cohort.map(|c| c.name(g.ruleset())),
                cohort.and_then(|c| g.cutoffs().get(&c).cloned()),
                g.city_average_of(scale),
                i.map(|i| g.effective(i)),
                g.ruleset().clone(),
            ))
        })
        .await?;
    let (result, cohort_name, cutoffs, city_avg, effective, ruleset) = graded;
    Ok(Detail {
        uscc: m.uscc,
        year,
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
                        user: s.user,
                        at: s.at.format("%Y-%m-%d %H:%M").to_string(),
                    },
                )
            })
            .collect(),
        result,
        cohort_name,
        cutoffs,
        city_avg,
        effective,
        ruleset,
        editable: editable(&u),
    })
}

/// Validates the submitted fields and the user's right to each change.
fn apply_fields(
    u: &UserInfo,
    old: &Fields,
    submitted: &BTreeMap<String, String>,
) -> Result<(Fields, Vec<String>), AppError> {
    let allowed = editable(u);
    let mut new = old.clone();
    let mut changed = Vec::new();
    let mut errors = Vec::new();
    let mut probe = grading::Enterprise::default();
    for (key, raw) in submitted {
        let Some(col) = column_by_key(key) else {
            errors.push(format!("未知字段 {key}"));
            continue;
        };
        let text = raw.trim().to_string();
        if let Err(reason) = set_field(&mut probe, col, &text) {
            errors.push(format!("{}（{}）：{reason}", col.zh, col.key));
            continue;
        }
        // Store numbers as typed, the rest normalised (as the importer does).
        let stored = match col.kind {
            grading::record::Kind::Number(_) => text.clone(),
            _ => grading::record::field_text(&probe, col),
        };
        let stored = if text.is_empty() || store::is_default(key, &stored) {
            String::new()
        } else {
            stored
        };
        let before = old.get(key).cloned().unwrap_or_default();
        if stored == before {
            continue;
        }
        if !allowed.iter().any(|k| k == key) {
            return Err(AppError::Forbidden);
        }
        if stored.is_empty() {
            new.remove(key);
        } else {
            new.insert(key.clone(), stored);
        }
        changed.push(key.clone());
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors.join("；")));
    }
    Ok((new, changed))
}

pub async fn save(
    uscc: &str,
    year: i32,
    submitted: BTreeMap<String, String>,
) -> Result<SaveOutcome, AppError> {
    let u = workspace_user().await?;
    let st = state()?;
    let m = load_scoped(&u, &st.db, uscc, year).await?;
    let old: Fields = serde_json::from_str(&m.fields).map_err(|_| AppError::Internal)?;
    let (new, changed) = apply_fields(&u, &old, &submitted)?;
    if let Some(c) = new.get("county") {
        // An official cannot move an enterprise out of their county.
        if !may_read(&u, c) {
            return Err(AppError::Forbidden);
        }
    }
    let mut candidate = m.clone();
    candidate.fields = serde_json::to_string(&new).map_err(|_| AppError::Internal)?;
    let e = store::enterprise_of(&candidate).map_err(|err| AppError::Invalid(err.to_string()))?;
    if changed.is_empty() {
        let result = st
            .live
            .with_year(&st.db, year, async |g| {
                Ok(g.position(uscc).map(|i| g.result(i)))
            })
            .await?;
        return Ok(SaveOutcome {
            changed_fields: vec![],
            result,
            classes_moved: 0,
        });
    }
    let now = Utc::now();
    let live = st.live.clone();
    let db = st.db.clone();
    let outcome = live
        .with_year_writing(&db, year, async |g| {
            let regrade = g
                .upsert(e.clone())
                .map_err(|err| store::StoreError::Input(err.to_string()))?;
            let txn = db.begin().await?;
            let mut sources: BTreeMap<String, Source> =
                serde_json::from_str(&m.sources).unwrap_or_default();
            for k in &changed {
                let dept = column_by_key(k).map(|c| c.department.code().to_string());
                audit_log::ActiveModel {
                    at: Set(now),
                    user_id: Set(Some(u.id)),
                    username: Set(u.username.clone()),
                    action: Set("update".into()),
                    uscc: Set(Some(uscc.to_string())),
                    year: Set(Some(year)),
                    field: Set(Some(k.clone())),
                    old_value: Set(old.get(k).cloned()),
                    new_value: Set(new.get(k).cloned()),
                    department: Set(dept.clone()),
                    source: Set("web".into()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                sources.insert(k.clone(), Source::new(k, &u.username, now));
            }
            let mut am: record::ActiveModel = m.clone().into();
            am.name = Set(e.name.clone());
            am.county = Set(e.county.code().into());
            am.industry = Set(e.industry.code().into());
            am.scale = Set(e.scale.code().into());
            am.fields = Set(serde_json::to_string(&new).unwrap_or_default());
            am.sources = Set(serde_json::to_string(&sources).unwrap_or_default());
            am.updated_at = Set(now);
            am.update(&txn).await?;
            let rs = g.ruleset().clone();
            // Results whose score, class or status moved are replaced in this
            // transaction; rows that only moved in rank (an edit near the top
            // of a cohort re-ranks every member below it) are rewritten after
            // the push, so the other screens need not wait for them.
            let ranks_only: std::collections::HashSet<usize> =
                regrade.ranks_only.iter().copied().collect();
            let full: Vec<usize> = regrade
                .changed
                .iter()
                .copied()
                .filter(|i| !ranks_only.contains(i))
                .collect();
            for chunk in full.chunks(500) {
                let usccs: Vec<String> = chunk.iter().map(|&i| g.rows()[i].uscc.clone()).collect();
                grade_result::Entity::delete_many()
                    .filter(grade_result::Column::Year.eq(year))
                    .filter(grade_result::Column::Uscc.is_in(usccs))
                    .exec(&txn)
                    .await?;
                let models = chunk
                    .iter()
                    .map(|&i| store::result_model(&rs, &g.rows()[i], &g.result(i), now));
                grade_result::Entity::insert_many(models).exec(&txn).await?;
            }
            if !regrade.ranks_only.is_empty() {
                store::set_ranks_stale(&txn, year, true).await?;
            }
            sea_orm::TransactionSession::commit(txn).await?;
            live.publish(year, g, &regrade);
            if !regrade.ranks_only.is_empty() {
                // The save has landed: a failure here leaves the year marked,
                // and the next start rewrites its results.
                if let Err(err) = write_ranks(&db, year, g, &regrade.ranks_only).await {
                    tracing::error!("ranks of {year} left stale: {err}");
                }
            }
            let result = g.position(uscc).map(|i| g.result(i));
            Ok(SaveOutcome {
                changed_fields: changed.clone(),
                result,
                classes_moved: regrade.class_changes.len(),
            })
        })
        .await?;
    st.live.notify(&st.db, year, uscc).await?;
    Ok(outcome)
}

/// Rewrites the stored rank and cohort size of rows that moved only in rank,
/// one batched `UPDATE … CASE` per 300 rows, and clears the year's mark.
async fn write_ranks(
    db: &sea_orm::DatabaseConnection,
    year: i32,
    g: &grading::Grader,
    rows: &[usize],
) -> Result<(), store::StoreError> {
    use sea_orm::sea_query::CaseStatement;
    let txn = db.begin().await?;
    for chunk in rows.chunks(300) {
        let mut rank = CaseStatement::new();
        let mut size = CaseStatement::new();
        let mut usccs = Vec::with_capacity(chunk.len());
        for &i in chunk {
            let (u, r) = (g.rows()[i].uscc.clone(), &g.results()[i]);
            rank = rank.case(
                Expr::col(grade_result::Column::Uscc).eq(u.clone()),
                Expr::val(r.rank.map(|x| x as i32)),
            );
            size = size.case(
                Expr::col(grade_result::Column::Uscc).eq(u.clone()),
                Expr::val(r.cohort_size.map(|x| x as i32)),
            );
            usccs.push(u);
        }
        grade_result::Entity::update_many()
            .col_expr(
                grade_result::Column::Rank,
                rank.finally(Expr::col(grade_result::Column::Rank)).into(),
            )
            .col_expr(
                grade_result::Column::CohortSize,
                size.finally(Expr::col(grade_result::Column::CohortSize))
                    .into(),
            )
            .filter(grade_result::Column::Year.eq(year))
            .filter(grade_result::Column::Uscc.is_in(usccs))
            .exec(&txn)
            .await?;
    }
    store::set_ranks_stale(&txn, year, false).await?;
    sea_orm::TransactionSession::commit(txn).await?;
    Ok(())
}

pub async fn audit(uscc: &str, year: i32) -> Result<Vec<AuditEntry>, AppError> {
    let u = workspace_user().await?;
    let db = state()?.db;
    load_scoped(&u, &db, uscc, year).await?;
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Uscc.eq(uscc))
        .filter(audit_log::Column::Year.eq(year))
        .order_by_desc(audit_log::Column::Id)
        .limit(500)
        .all(&db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|a| AuditEntry {
            at: a.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            username: a.username,
            action: a.action,
            field: a.field,
            old_value: a.old_value,
            new_value: a.new_value,
            department: a.department,
            source: a.source,
        })
        .collect())
}
