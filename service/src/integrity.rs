//! What must hold of the stored data whatever happened to the process
//! (a crash mid-save or mid-import, a killed machine): every record's
//! latest audited version and values are the record's own, and every
//! year's stored results equal a full regrade of its stored records. Run by
//! `server check`, by the crash script after each restart, and by tests.

use crate::store;
use crate::Result;
use entity::{audit_log, record};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeSet, HashMap};

/// The problems found (empty: all is well). Each names the record or
/// result and what disagrees.
pub async fn check(db: &impl ConnectionTrait) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let years: BTreeSet<i32> = record::Entity::find()
        .select_only()
        .column(record::Column::Year)
        .distinct()
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for year in years {
        problems.extend(check_audit(db, year).await?);
        problems.extend(check_results(db, year).await?);
    }
    Ok(problems)
}

/// Each record's version is the newest version its audit entries name, and
/// each audited field holds the value its newest entry wrote: a write is
/// either wholly there (record and audit) or wholly absent.
async fn check_audit(db: &impl ConnectionTrait, year: i32) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    // Per record, each audited field's newest value (looked up per record:
    // a scan of every audited field per record grew with the square of
    // the city).
    let mut latest: HashMap<String, HashMap<String, Option<String>>> = HashMap::new();
    let mut version: HashMap<String, i32> = HashMap::new();
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::Year.eq(year))
        .filter(audit_log::Column::Uscc.is_not_null())
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?;
    for a in entries {
        let (Some(uscc), Some(v)) = (a.uscc, a.version) else {
            continue;
        };
        let top = version.entry(uscc.clone()).or_insert(v);
        *top = (*top).max(v);
        if let Some(f) = a.field {
            latest.entry(uscc).or_default().insert(f, a.new_value);
        }
    }
    for (m, _) in store::load_year(db, year).await? {
        let fields = store::fields_of_model(&m)?;
        if let Some(&v) = version.get(&m.uscc) {
            if v != m.version {
                problems.push(format!(
                    "{} {year}: record at version {}, audit at {v}",
                    m.uscc, m.version
                ));
            }
        }
        let uscc = &m.uscc;
        for (f, new) in latest.get(uscc).into_iter().flatten() {
            let now = fields.get(f).filter(|v| !v.is_empty());
            let audited = new.as_ref().filter(|v| !v.is_empty());
            if now != audited
                && !(audited.is_some_and(|a| store::is_default(f, a)) && now.is_none())
            {
                problems.push(format!(
                    "{uscc} {year} {f}: record holds {now:?}, audit wrote {audited:?}"
                ));
            }
        }
    }
    Ok(problems)
}

/// The stored results equal a full regrade of the stored records.
pub async fn check_results(db: &impl ConnectionTrait, year: i32) -> Result<Vec<String>> {
    let records: Vec<grading::Enterprise> = store::load_year(db, year)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let rs = store::ruleset_for(db, year).await?;
    let expected = grading::grade(&rs, &records).map_err(crate::ServiceError::internal)?;
    let stored = store::stored_results(db, year).await?;
    let mut problems = Vec::new();
    if stored.len() != records.len() {
        problems.push(format!(
            "{year}: {} records, {} stored results",
            records.len(),
            stored.len()
        ));
    }
    for (e, r) in records.iter().zip(&expected) {
        let Some(m) = stored.get(&e.uscc) else {
            problems.push(format!("{} {year}: no stored result", e.uscc));
            continue;
        };
        let got = (
            m.status.as_str(),
            m.score,
            m.rank,
            m.cohort_size,
            m.class.as_deref(),
            m.cohort.clone(),
        );
        let want = (
            r.status.code(),
            r.score,
            r.rank.map(|x| x as i32),
            r.cohort_size.map(|x| x as i32),
            r.class.map(|c| c.code()),
            r.cohort.map(|c| c.name(&rs)),
        );
        if got != want {
            problems.push(format!(
                "{} {year}: stored {got:?}, full regrade {want:?}",
                e.uscc
            ));
            continue;
        }
        let detail: std::result::Result<grading::GradeResult, _> = serde_json::from_str(&m.detail);
        let want = grading::GradeResult {
            rank: None,
            cohort_size: None,
            ..r.clone()
        };
        if detail.as_ref().ok() != Some(&want) {
            problems.push(format!("{} {year}: stored breakdown differs", e.uscc));
        }
    }
    Ok(problems)
}
