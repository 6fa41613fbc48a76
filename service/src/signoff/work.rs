//! The matrix, confirming, and reopening on change.

use super::{Party, SignMatrix, SignRow, SignState, DEPARTMENTS};
use crate::actor::{Actor, Role};
use crate::error::ServiceError;
use crate::{authz, clock, store, Result, Services};
use chrono::{DateTime, Utc};
use entity::{audit_log, data_signoff, disclosure, record};
use grading::record::column_by_key;
use grading::Department;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::BTreeMap;

/// What a write changed, per (year, party): the first change, in words
/// (the enterprise and the field), for the reopened row.
#[derive(Default)]
pub struct Touched(BTreeMap<(i32, Party), grading::Words>);

impl Touched {
    /// A created record: its county, and every department whose values it holds.
    pub fn created(&mut self, e: &grading::Enterprise, fields: &store::Fields) {
        let why = grading::Words::new(
            format!("新增 {} {}", e.uscc, e.name),
            format!("added {} {}", e.uscc, e.name),
        );
        self.add(e.year, Party::County(e.county), &why);
        for k in fields.keys() {
            if let Some(p) = provider(e.county, k) {
                self.add(e.year, p, &why);
            }
        }
    }

    /// A changed field of a record: its county, and the field's department.
    pub fn changed(&mut self, e: &grading::Enterprise, field: &str) {
        let (zh, en) = column_by_key(field).map_or((field, field), |c| (c.zh, c.en));
        let why = grading::Words::new(
            format!("{} {} · {zh}", e.uscc, e.name),
            format!("{} {} · {en}", e.uscc, e.name),
        );
        self.add(e.year, Party::County(e.county), &why);
        if let Some(p) = provider(e.county, field) {
            self.add(e.year, p, &why);
        }
    }

    fn add(&mut self, year: i32, p: Party, why: &grading::Words) {
        self.0.entry((year, p)).or_insert_with(|| why.clone());
    }
}

/// Who provides a field: its department, or the county for its own.
fn provider(county: grading::County, field: &str) -> Option<Party> {
    let d = column_by_key(field)?.department;
    Some(if d == Department::County {
        Party::County(county)
    } else {
        Party::Department(d)
    })
}

/// Marks reopened every confirmed party a write changed (inside the
/// write's transaction).
pub async fn reopen(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
    touched: &Touched,
) -> Result<()> {
    let mut published_years = BTreeMap::new();
    for ((year, party), why) in &touched.0 {
        // After the window opens a change is a correction, published as
        // such; the sign-off stays as it was when the window opened.
        if !published_years.contains_key(year) {
            published_years.insert(*year, published(txn, *year).await?);
        }
        if published_years[year] {
            continue;
        }
        data_signoff::Entity::update_many()
            .col_expr(data_signoff::Column::ReopenedAt, Expr::value(now))
            .col_expr(
                data_signoff::Column::ReopenedBy,
                Expr::value(actor.name().to_string()),
            )
            .col_expr(
                data_signoff::Column::ReopenedBecause,
                Expr::value(serde_json::to_string(why).map_err(ServiceError::internal)?),
            )
            .filter(data_signoff::Column::Year.eq(*year))
            .filter(data_signoff::Column::Party.eq(party.code()))
            .filter(data_signoff::Column::ReopenedAt.is_null())
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Each party's records and provided values in `year` now.
async fn counts(db: &impl ConnectionTrait, year: i32) -> Result<BTreeMap<Party, (u64, u64)>> {
    let mut out: BTreeMap<Party, (u64, u64)> =
        Party::all().into_iter().map(|p| (p, (0, 0))).collect();
    let models = record::Entity::find()
        .filter(record::Column::Year.eq(year))
        .all(db)
        .await?;
    for m in models {
        let Some(county) = grading::County::parse(&m.county) else {
            continue;
        };
        let fields = store::fields_of_model(&m)?;
        let mut holds: BTreeMap<Party, u64> = BTreeMap::new();
        holds.insert(Party::County(county), 0);
        for (k, v) in &fields {
            if v.trim().is_empty() {
                continue;
            }
            if let Some(p) = provider(county, k) {
                *holds.entry(p).or_default() += 1;
            }
        }
        for (p, n) in holds {
            let c = out.entry(p).or_default();
            c.0 += 1;
            c.1 += n;
        }
    }
    Ok(out)
}

async fn published(db: &impl ConnectionTrait, year: i32) -> Result<bool> {
    Ok(disclosure::Entity::find_by_id(year)
        .one(db)
        .await?
        .is_some())
}

/// The party an account confirms for: a county official its county, a
/// department clerk its department.
fn own_party(actor: &Actor) -> Option<Party> {
    let u = actor.user()?;
    match u.role {
        Role::CountyOfficial => u.county.map(Party::County),
        Role::Department => u
            .department
            .filter(|d| DEPARTMENTS.contains(d))
            .map(Party::Department),
        _ => None,
    }
}

fn state(m: Option<&data_signoff::Model>) -> SignState {
    match m {
        None => SignState::Open,
        Some(m) if m.reopened_at.is_some() => SignState::Reopened,
        Some(_) => SignState::Signed,
    }
}

/// The parties whose confirmation of `year` is missing or reopened.
pub async fn complete(db: &impl ConnectionTrait, year: i32) -> Result<Vec<Party>> {
    let rows = data_signoff::Entity::find()
        .filter(data_signoff::Column::Year.eq(year))
        .all(db)
        .await?;
    Ok(Party::all()
        .into_iter()
        .filter(|p| state(rows.iter().find(|r| r.party == p.code())) != SignState::Signed)
        .collect())
}

/// The year's matrix (default: the newest graded year not yet published).
pub async fn matrix(svc: &Services, actor: &Actor, year: Option<i32>) -> Result<SignMatrix> {
    authz::workspace(actor)?;
    let db = &svc.db;
    let years = crate::workspace::views::graded_years(db).await?;
    let mut open_year = None;
    for &y in &years {
        if !published(db, y).await? {
            open_year = Some(y);
            break;
        }
    }
    let Some(year) = year
        .filter(|y| years.contains(y))
        .or(open_year)
        .or(years.first().copied())
    else {
        return Ok(SignMatrix::default());
    };
    let stored = data_signoff::Entity::find()
        .filter(data_signoff::Column::Year.eq(year))
        .all(db)
        .await?;
    let now = counts(db, year).await?;
    let mine = own_party(actor);
    let names: BTreeMap<String, String> = entity::user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.username, u.display_name))
        .collect();
    let name = |u: &str| {
        names
            .get(u)
            .cloned()
            .unwrap_or_else(|| crate::seed::who(u).zh)
    };
    let rows: Vec<SignRow> = Party::all()
        .into_iter()
        .map(|p| {
            let m = stored.iter().find(|r| r.party == p.code());
            let (records, filled) = now.get(&p).copied().unwrap_or_default();
            SignRow {
                party: p,
                state: state(m),
                records,
                filled,
                signed_by: m.map(|m| name(&m.signed_by)),
                signed_at: m.map(|m| clock::minute(m.signed_at)),
                signed_counts: m.map(|m| (m.records as u64, m.filled as u64)),
                reopened: m.and_then(|m| {
                    let because = m.reopened_because.clone().unwrap_or_default();
                    Some((
                        clock::minute(m.reopened_at?),
                        name(m.reopened_by.as_deref().unwrap_or_default()),
                        serde_json::from_str(&because)
                            .unwrap_or_else(|_| grading::Words::new(&because, &because)),
                    ))
                }),
                mine: mine == Some(p),
            }
        })
        .collect();
    Ok(SignMatrix {
        year,
        years,
        complete: rows.iter().all(|r| r.state == SignState::Signed),
        published: published(db, year).await?,
        rows,
    })
}

/// Confirms the actor's own party's data of `year` as it stands now.
pub async fn sign(svc: &Services, actor: &Actor, year: i32) -> Result<()> {
    authz::workspace(actor)?;
    let party = own_party(actor).ok_or(ServiceError::Forbidden)?;
    let txn = crate::writes::begin(&svc.db).await?;
    // Serialised with the year's writes: the counts are those confirmed.
    store::hold_year(&txn, year).await?;
    sign_as(&txn, actor, year, party).await?;
    txn.commit().await?;
    Ok(())
}

/// Records `party`'s confirmation of `year` by `actor`, audited.
pub async fn sign_as(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    party: Party,
) -> Result<()> {
    sign_each(txn, year, &[(actor, party)]).await
}

/// Records each party's confirmation of `year` by its actor (the seeding
/// signs for the demo's accounts through it), audited; the year's counts
/// are made once for all of them (a pass over every record of the year).
pub async fn sign_each(
    txn: &impl ConnectionTrait,
    year: i32,
    who: &[(&Actor, Party)],
) -> Result<()> {
    if published(txn, year).await? {
        return Err(ServiceError::invalid(
            format!("{year} 年度已开始公示，核实上报已结束"),
            format!("{year} is published: the sign-off is over"),
        ));
    }
    let graded = crate::workspace::views::graded_years(txn).await?;
    if !graded.contains(&year) {
        return Err(ServiceError::NotFound);
    }
    let counts = counts(txn, year).await?;
    let now = Utc::now();
    for &(actor, party) in who {
        let (records, filled) = counts.get(&party).copied().unwrap_or_default();
        confirm(txn, actor, year, party, (records, filled), now).await?;
    }
    Ok(())
}

/// One party's confirmation row and its audit entry.
async fn confirm(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    party: Party,
    (records, filled): (u64, u64),
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    data_signoff::Entity::delete_many()
        .filter(data_signoff::Column::Year.eq(year))
        .filter(data_signoff::Column::Party.eq(party.code()))
        .exec(txn)
        .await?;
    data_signoff::ActiveModel {
        year: Set(year),
        party: Set(party.code().into()),
        signed_at: Set(now),
        signed_by: Set(actor.name().into()),
        records: Set(records as i64),
        filled: Set(filled as i64),
        reopened_at: Set(None),
        reopened_by: Set(None),
        reopened_because: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit_log::ActiveModel {
        at: Set(now),
        user_id: Set(actor.user_id()),
        username: Set(actor.name().into()),
        action: Set("signoff".into()),
        uscc: Set(None),
        year: Set(Some(year)),
        field: Set(Some(party.code().into())),
        old_value: Set(None),
        new_value: Set(Some(format!("{records} 家企业 · {filled} 项数据"))),
        department: Set(match party {
            Party::Department(d) => Some(d.code().into()),
            Party::County(_) => None,
        }),
        source: Set("web".into()),
        version: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
