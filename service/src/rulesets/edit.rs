//! Reading, drafting and adopting a year's ruleset.

use super::{ApiRuleset, DraftInfo, DraftSaved, RulesPage, SimulationData, Suggestion, YearState};
use crate::actor::Actor;
use crate::error::ServiceError;
use crate::{authz, clock, store, Result, Services};
use chrono::Utc;
use entity::{audit_log, disclosure, record, ruleset, ruleset_draft};
use grading::rule_form::{self, Change};
use grading::{Aggregates, Indicator, Ruleset, Words};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet};

/// The ruleset in force for `year` and the year it is stored under.
async fn in_force(db: &impl ConnectionTrait, year: i32) -> Result<(Ruleset, Option<i32>)> {
    // The same choice as `store::ruleset_for`, keeping the year it found.
    let found = ruleset::Entity::find()
        .filter(ruleset::Column::Year.lte(year))
        .order_by_desc(ruleset::Column::Year)
        .one(db)
        .await?;
    Ok(match found {
        Some(m) => (
            Ruleset::from_json(&m.body)?,
            (m.year != year).then_some(m.year),
        ),
        // With none stored, the built-in one (under its own year).
        None => {
            let rs = Ruleset::builtin_2020();
            let y = rs.year;
            (rs, Some(y))
        }
    })
}

async fn draft_of(db: &impl ConnectionTrait, year: i32) -> Result<Option<ruleset_draft::Model>> {
    Ok(ruleset_draft::Entity::find_by_id(year).one(db).await?)
}

/// Why the year's ruleset can no longer change: its publicity window has
/// opened (the grades people read were made under it).
async fn frozen(db: &impl ConnectionTrait, year: i32) -> Result<Option<Words>> {
    Ok(disclosure::Entity::find_by_id(year)
        .one(db)
        .await?
        .map(|d| {
            Words::new(
                format!(
                    "{year} 年度公示已于 {} 开始，本年度评价规则已冻结，不能再修改。",
                    d.window_start
                ),
                format!(
                    "The {year} results went on public notice on {}; the year's ruleset is frozen and can no longer change.",
                    d.window_start
                ),
            )
        }))
}

fn refuse_frozen(why: Option<Words>) -> Result<()> {
    match why {
        Some(w) => Err(ServiceError::Invalid(w)),
        None => Ok(()),
    }
}

/// The years the page offers: every graded year, every year with a
/// ruleset or a draft, and the year after the latest (to start it).
async fn years(svc: &Services) -> Result<Vec<i32>> {
    let db = &svc.db;
    let mut ys: BTreeSet<i32> = crate::workspace::views::graded_years(db)
        .await?
        .into_iter()
        .collect();
    for y in ruleset::Entity::find()
        .select_only()
        .column(ruleset::Column::Year)
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .chain(
            ruleset_draft::Entity::find()
                .select_only()
                .column(ruleset_draft::Column::Year)
                .into_tuple::<i32>()
                .all(db)
                .await?,
        )
    {
        ys.insert(y);
    }
    if let Some(&last) = ys.iter().next_back() {
        ys.insert(last + 1);
    }
    Ok(ys.into_iter().collect())
}

/// Twice the city average of each indicator over the last three graded
/// years before `year` (嘉政办发〔2021〕5号: "按照全市规上工业企业该指标近三年
/// 平均值的 2 倍左右确定").
async fn suggestions(svc: &Services, year: i32) -> Result<Vec<Suggestion>> {
    let mut graded: Vec<i32> = crate::workspace::views::graded_years(&svc.db)
        .await?
        .into_iter()
        .filter(|&y| y < year)
        .collect();
    graded.sort_unstable_by(|a, b| b.cmp(a));
    graded.truncate(3);
    graded.reverse();
    let mut per_year = Vec::new();
    for y in graded {
        let city = svc
            .live
            .with_year(&svc.db, y, async |g| {
                Ok(Aggregates::of(g.rows(), g.results()).city)
            })
            .await?;
        per_year.push((y, city));
    }
    Ok(Indicator::ALL
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let inputs: Vec<(i32, Option<f64>)> =
                per_year.iter().map(|(y, c)| (*y, c[k])).collect();
            let known: Vec<f64> = inputs.iter().filter_map(|x| x.1).collect();
            let value = (!known.is_empty()).then(|| {
                let mean = grading::fsum::fsum(known.iter().copied()) / known.len() as f64;
                (2.0 * mean * 100.0).round() / 100.0
            });
            Suggestion {
                key: format!("benchmark.{}", i.code()),
                value,
                inputs,
            }
        })
        .collect())
}

fn draft_ruleset(m: &ruleset_draft::Model) -> Result<Ruleset> {
    Ok(Ruleset::from_json(&m.body)?)
}

/// The page for `year` (default: the newest year with a draft, else the
/// newest graded year).
pub async fn page(svc: &Services, actor: &Actor, year: Option<i32>) -> Result<RulesPage> {
    authz::city_admin(actor)?;
    let db = &svc.db;
    let all = years(svc).await?;
    let drafts: Vec<i32> = ruleset_draft::Entity::find()
        .select_only()
        .column(ruleset_draft::Column::Year)
        .into_tuple()
        .all(db)
        .await?;
    let graded = crate::workspace::views::graded_years(db).await?;
    let year = year
        .filter(|y| all.contains(y))
        .or_else(|| drafts.iter().max().copied())
        .or_else(|| graded.first().copied())
        .or_else(|| all.last().copied())
        .ok_or(ServiceError::NotFound)?;
    let (force, inherited_from) = in_force(db, year).await?;
    let draft = draft_of(db, year).await?;
    let shown = match &draft {
        Some(d) => draft_ruleset(d)?,
        None => force.clone(),
    };
    let mut states = Vec::new();
    for &y in &all {
        let state = if frozen(db, y).await?.is_some() {
            Words::new("已冻结", "frozen")
        } else if drafts.contains(&y) {
            Words::new("有草稿", "draft")
        } else {
            match in_force(db, y).await?.1 {
                Some(from) => Words::new(
                    format!("沿用 {from} 年度规则"),
                    format!("uses the {from} ruleset"),
                ),
                None => Words::new("本年度规则", "own ruleset"),
            }
        };
        states.push(YearState { year: y, state });
    }
    Ok(RulesPage {
        year,
        years: states,
        name: shown.name.clone(),
        inherited_from,
        frozen: frozen(db, year).await?,
        records: record::Entity::find()
            .filter(record::Column::Year.eq(year))
            .count(db)
            .await?,
        fields: rule_form::fields(&shown),
        draft: draft.map(|d| DraftInfo {
            saved_at: clock::minute(d.updated_at),
            saved_by: crate::seed::who(&d.updated_by).zh,
            changes: rule_form::changes(&force, &shown),
        }),
        suggestions: suggestions(svc, year).await?,
    })
}

fn audit(actor: &Actor, year: i32, action: &str, c: Option<&Change>) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        user_id: Set(actor.user_id()),
        username: Set(actor.name().into()),
        action: Set(action.into()),
        uscc: Set(None),
        year: Set(Some(year)),
        field: Set(c.map(|c| c.key.clone())),
        old_value: Set(c.map(|c| c.old.clone())),
        new_value: Set(c.map(|c| c.new.clone())),
        department: Set(None),
        source: Set("web".into()),
        version: Set(None),
        ..Default::default()
    }
}

/// Saves `edits` (field key → text as typed) into the year's draft,
/// started from the ruleset in force when there is none. Problems are
/// returned, nothing saved; each changed number is audited.
pub async fn save_draft(
    svc: &Services,
    actor: &Actor,
    year: i32,
    edits: &BTreeMap<String, String>,
) -> Result<DraftSaved> {
    authz::city_admin(actor)?;
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::NotFound);
    }
    let txn = crate::writes::begin(&svc.db).await?;
    refuse_frozen(frozen(&txn, year).await?)?;
    let old = draft_of(&txn, year).await?;
    let base = match &old {
        Some(d) => draft_ruleset(d)?,
        None => {
            let (mut rs, from) = in_force(&txn, year).await?;
            if from.is_some() {
                rs.year = year;
                rs.name = format!("{year} 年度工业企业绩效综合评价");
            }
            rs
        }
    };
    let next = match rule_form::apply(&base, edits) {
        Ok(rs) => rs,
        Err(problems) => {
            return Ok(DraftSaved {
                problems,
                changed: 0,
            })
        }
    };
    let changes = rule_form::changes(&base, &next);
    if changes.is_empty() && old.is_some() {
        return Ok(DraftSaved::default());
    }
    let body = serde_json::to_string(&next).map_err(ServiceError::internal)?;
    let row = ruleset_draft::ActiveModel {
        year: Set(year),
        body: Set(body),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.name().into()),
    };
    if old.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
        audit(actor, year, "ruleset_draft_started", None)
            .insert(&txn)
            .await?;
    }
    for c in &changes {
        audit(actor, year, "ruleset_draft", Some(c))
            .insert(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(DraftSaved {
        problems: vec![],
        changed: changes.len(),
    })
}

/// Drops the year's draft (audited); the ruleset in force is untouched.
pub async fn discard(svc: &Services, actor: &Actor, year: i32) -> Result<()> {
    authz::city_admin(actor)?;
    let txn = crate::writes::begin(&svc.db).await?;
    if draft_of(&txn, year).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    ruleset_draft::Entity::delete_by_id(year).exec(&txn).await?;
    audit(actor, year, "ruleset_draft_discarded", None)
        .insert(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Makes the draft the year's ruleset and regrades the year with it, in
/// one transaction; open screens reload. Returns the records regraded.
pub async fn adopt(svc: &Services, actor: &Actor, year: i32) -> Result<u64> {
    authz::city_admin(actor)?;
    let db = &svc.db;
    let _writer = svc.live.writer().await;
    let txn = crate::writes::begin(db).await?;
    // Taken first: serialises with every write of the year (and with the
    // opening of its publicity window, which holds the same row).
    let version = store::lock_year(&txn, year).await?;
    refuse_frozen(frozen(&txn, year).await?)?;
    let Some(d) = draft_of(&txn, year).await? else {
        return Err(ServiceError::invalid(
            format!("{year} 年度没有待采用的规则草稿"),
            format!("{year} has no draft rules to adopt"),
        ));
    };
    let next = draft_ruleset(&d)?;
    let (force, _) = in_force(&txn, year).await?;
    let changes = rule_form::changes(&force, &next);
    // A later year that used this year's rules keeps them: it is pinned
    // to a copy of its own, so adopting here never regrades it unseen.
    for later in crate::workspace::views::graded_years(db).await? {
        if later > year
            && ruleset::Entity::find_by_id(later)
                .one(&txn)
                .await?
                .is_none()
        {
            let (mut kept, _) = in_force(&txn, later).await?;
            kept.year = later;
            store::save_ruleset(&txn, &kept).await?;
        }
    }
    store::save_ruleset(&txn, &next).await?;
    ruleset_draft::Entity::delete_by_id(year).exec(&txn).await?;
    audit(actor, year, "ruleset_adopted", None)
        .insert(&txn)
        .await?;
    for c in &changes {
        audit(actor, year, "ruleset", Some(c)).insert(&txn).await?;
    }
    let n = store::regrade_held_year(&txn, year).await? as u64;
    txn.commit().await?;
    svc.live.publish_reload(year);
    svc.live.notify(db, year, version, None, None).await?;
    Ok(n)
}

/// The ruleset in force for `year`, for anyone (the scheme is public); a
/// draft never shows. Years with neither records nor a ruleset of their
/// own are not found.
pub async fn api(svc: &Services, year: i32) -> Result<ApiRuleset> {
    let db = &svc.db;
    let has_own = ruleset::Entity::find_by_id(year).one(db).await?.is_some();
    let graded = crate::workspace::views::graded_years(db).await?;
    if !has_own && !graded.contains(&year) {
        return Err(ServiceError::NotFound);
    }
    let (ruleset, inherited_from) = in_force(db, year).await?;
    Ok(ApiRuleset {
        year,
        inherited_from,
        frozen: frozen(db, year).await?.is_some(),
        ruleset,
    })
}

/// The year's records and classes in force with its draft, for the policy
/// simulator (the city administrator's: it holds every figure).
pub async fn simulation(svc: &Services, actor: &Actor, year: i32) -> Result<SimulationData> {
    authz::city_admin(actor)?;
    let db = &svc.db;
    let graded = crate::workspace::views::graded_years(db).await?;
    let data_year = if graded.contains(&year) {
        year
    } else {
        graded
            .iter()
            .copied()
            .filter(|&y| y < year)
            .max()
            .ok_or(ServiceError::NotFound)?
    };
    let draft = draft_of(db, year).await?;
    let has_draft = draft.is_some();
    let draft = match draft {
        Some(d) => draft_ruleset(&d)?,
        None => in_force(db, year).await?.0,
    };
    let previous = svc.live.previous_aggregates(db, data_year, &graded).await?;
    svc.live
        .with_year(db, data_year, async |g| {
            let now = grading::Aggregates::of(g.rows(), g.results());
            Ok(SimulationData {
                year,
                data_year,
                draft,
                has_draft,
                table: grading::simulate::Table::of(g.rows()),
                current: g
                    .results()
                    .iter()
                    .map(|r| grading::simulate::class_code(r.status, r.class))
                    .collect(),
                current_counties: grading::evaluate_aggregates(
                    g.ruleset(),
                    &now,
                    previous.as_ref(),
                ),
                previous,
            })
        })
        .await
}

/// The enterprises the draft would move, as a workbook: the same engine
/// the browser runs, here on the server.
pub async fn simulation_download(
    svc: &Services,
    actor: &Actor,
    year: i32,
    scope: Option<grading::ruleset::Scope>,
) -> Result<crate::exports::Download> {
    use crate::dataio::{guard, xlsx_bytes, Sheet};
    use grading::simulate::{run, NOT_GRADED};
    let mut d = simulation(svc, actor, year).await?;
    if let Some(s) = scope {
        d.draft.cohort.scope = s;
    }
    let rows = d
        .table
        .enterprises()
        .map_err(|w| ServiceError::Internal(w.zh))?;
    let sim = run(d.draft, rows.clone(), d.previous.as_ref()).map_err(ServiceError::internal)?;
    const CLASS: [&str; 5] = ["A", "B", "C", "D", "未评定等次"];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| d.current[*i] != sim.classes[*i])
        .map(|(i, e)| {
            vec![
                e.uscc.clone(),
                guard(&e.name).into_owned(),
                e.county.zh().to_string(),
                e.industry.zh().to_string(),
                e.scale.zh().to_string(),
                CLASS[usize::from(d.current[i].min(NOT_GRADED))].to_string(),
                CLASS[usize::from(sim.classes[i].min(NOT_GRADED))].to_string(),
                sim.scores[i].map(grading::format_score).unwrap_or_default(),
            ]
        })
        .collect();
    let bytes = xlsx_bytes(&[Sheet {
        name: "变动企业",
        headers: &[
            "统一社会信用代码",
            "企业名称",
            "县（市、区）",
            "行业",
            "规模",
            "现行等次",
            "草稿等次",
            "草稿得分",
        ],
        rows: &cells,
    }])?;
    Ok(crate::exports::Download {
        name: format!(
            "{year}年度评价规则草稿模拟_变动企业（{}年数据）.xlsx",
            d.data_year
        ),
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    })
}
