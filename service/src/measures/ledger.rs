//! 整治提升台账, the remediation ledger (嘉政办发〔2021〕3号 一: “基本完成全市
//! 近三年亩均税收 10万元以下规上工业企业和亩均税收 3万元以下规下企业改造提升
//! 任务”; 嘉政办发〔2021〕5号 §三(二)4: 倒逼整治 D 类企业). Every year's
//! publication puts on the county's ledger each graded enterprise that is
//! of class D, or whose average tax per mu over the three years ending with
//! that year is below 10万元 (above-size) or 3万元 (below-size), from the
//! published version and the figures it froze — [`sync`], in the
//! publishing transaction. The county gives each a plan (提升, 兼并重组,
//! 腾退, 关停) with a responsible person and milestones, and records their
//! progress with evidence; a plan carries over while the enterprise stays
//! on. An enterprise leaves the ledger when a later year's publication no
//! longer puts it on (or no longer grades it: closed or merged away); the
//! count of those is the scheme's 改造提升 figure on the targets dashboard.
//! A correction of the same year takes off (`active` false) whoever it
//! lifts out, and puts back whoever it brings in.

use super::{Ledger, LedgerCount, LedgerEntry, LedgerStatus, Milestone, PlanKind};
use crate::actor::Actor;
use crate::{authz, clock, store, Result, ServiceError, Services};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{audit_log, disclosure_fact, disclosure_row, record, remediation_entry as entry};
use grading::{County, Scale, Uscc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap};

/// The thresholds of 嘉政办发〔2021〕3号, in 万元 per mu.
pub const ABOVE_LIMIT: f64 = 10.0;
pub const BELOW_LIMIT: f64 = 3.0;
/// How many years the average spans.
const YEARS: i32 = 3;
/// Entries a page lists at most (the counts cover all).
const SHOWN: usize = 300;
const MAX_TEXT: usize = 200;

fn limit(scale: &str) -> f64 {
    if scale == Scale::Below.code() {
        BELOW_LIMIT
    } else {
        ABOVE_LIMIT
    }
}

fn number(v: Option<&String>) -> Option<f64> {
    v.and_then(|v| grading::record::parse_decimal(v).ok())
}

/// Tax per mu of one year's figures; missing tax counts as none paid, and
/// no land means no figure.
fn per_mu(fields: &BTreeMap<String, String>) -> Option<f64> {
    let land = number(fields.get("land_mu")).filter(|l| *l > 0.0)?;
    Some(number(fields.get("tax_wan")).unwrap_or(0.0) / land)
}

/// Each enterprise's tax per mu in `year`: as the year's latest published
/// version froze it, or from the records of a year never published.
async fn tax_per_mu(db: &impl ConnectionTrait, year: i32) -> Result<HashMap<String, f64>> {
    let latest = super::lists::versions(db, year)
        .await?
        .first()
        .map(|v| v.version);
    let pairs: Vec<(String, String)> = match latest {
        Some(v) => {
            disclosure_fact::Entity::find()
                .select_only()
                .column(disclosure_fact::Column::Uscc)
                .column(disclosure_fact::Column::Figures)
                .filter(disclosure_fact::Column::Year.eq(year))
                .filter(disclosure_fact::Column::Version.eq(v))
                .into_tuple()
                .all(db)
                .await?
        }
        None => {
            record::Entity::find()
                .select_only()
                .column(record::Column::Uscc)
                .column(record::Column::Fields)
                .filter(record::Column::Year.eq(year))
                .into_tuple()
                .all(db)
                .await?
        }
    };
    Ok(pairs
        .into_iter()
        .filter_map(|(uscc, json)| {
            let f: BTreeMap<String, String> = serde_json::from_str(&json).ok()?;
            per_mu(&f).map(|v| (uscc, v))
        })
        .collect())
}

/// Why an enterprise is on a year's ledger.
#[derive(Clone, Debug, PartialEq)]
struct Qualifies {
    name: String,
    county: String,
    scale: String,
    class: Option<String>,
    d_class: bool,
    low_tax: bool,
    avg: Option<f64>,
}

impl Qualifies {
    fn reasons(&self) -> String {
        [(self.d_class, "d_class"), (self.low_tax, "low_tax")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, k)| *k)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// An enterprise the rule looks at: graded in the year, with its class.
struct Candidate {
    uscc: String,
    name: String,
    county: String,
    scale: String,
    class: Option<String>,
}

/// The ledger's rule over version `version` of `year`: D class, or the
/// average of the (up to) three years' tax per mu under the limit of the
/// enterprise's scale. Only graded enterprises: the new and the merged are
/// not evaluated, so not put on.
async fn qualifying(
    db: &impl ConnectionTrait,
    year: i32,
    version: i32,
) -> Result<BTreeMap<String, Qualifies>> {
    let rows = disclosure_row::Entity::find()
        .filter(disclosure_row::Column::Year.eq(year))
        .filter(disclosure_row::Column::Version.eq(version))
        .filter(disclosure_row::Column::Status.eq("graded"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| Candidate {
            uscc: r.uscc,
            name: r.name,
            county: r.county,
            scale: r.scale,
            class: r.class,
        })
        .collect();
    rule(db, year, rows).await
}

async fn rule(
    db: &impl ConnectionTrait,
    year: i32,
    rows: Vec<Candidate>,
) -> Result<BTreeMap<String, Qualifies>> {
    let mut years = Vec::new();
    for y in year - YEARS + 1..=year {
        years.push(tax_per_mu(db, y).await?);
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let seen: Vec<f64> = years
                .iter()
                .filter_map(|m| m.get(&r.uscc).copied())
                .collect();
            let avg = (!seen.is_empty()).then(|| seen.iter().sum::<f64>() / seen.len() as f64);
            let d_class = r.class.as_deref() == Some("D");
            let low_tax = avg.is_some_and(|a| a < limit(&r.scale));
            (d_class || low_tax).then(|| {
                (
                    r.uscc.clone(),
                    Qualifies {
                        name: r.name,
                        county: r.county,
                        scale: r.scale,
                        class: r.class,
                        d_class,
                        low_tax,
                        avg: avg.map(|a| (a * 10_000.0).round() / 10_000.0),
                    },
                )
            })
        })
        .collect())
}

/// Who the rule would put on `year`'s ledger from the working grades (not
/// yet published): the demo uses it to plan a story that a later year ends.
pub(crate) async fn from_working_state(
    svc: &Services,
    year: i32,
) -> Result<std::collections::HashSet<String>> {
    let rows = svc
        .live
        .with_year(&svc.db, year, async |g| {
            Ok(g.rows()
                .iter()
                .zip(g.results())
                .filter(|(_, r)| r.status == grading::Status::Graded)
                .map(|(e, r)| Candidate {
                    uscc: e.uscc.clone(),
                    name: e.name.clone(),
                    county: e.county.code().to_string(),
                    scale: e.scale.code().to_string(),
                    class: r.class.map(|c| c.code().to_string()),
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(rule(&svc.db, year, rows).await?.into_keys().collect())
}

async fn entries_of(db: &impl ConnectionTrait, year: i32) -> Result<HashMap<String, entry::Model>> {
    Ok(entry::Entity::find()
        .filter(entry::Column::Year.eq(year))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.uscc.clone(), e))
        .collect())
}

/// Brings `year`'s ledger in line with version `version` (called in the
/// publishing transaction) and marks who of the year before it lifted out.
pub(crate) async fn sync(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    version: i32,
    at: DateTime<Utc>,
) -> Result<()> {
    let q = qualifying(db, year, version).await?;
    let now = entries_of(db, year).await?;
    let before = entries_of(db, year - 1).await?;
    let (mut added, mut removed) = (0u32, 0u32);
    let mut new = Vec::new();
    for (uscc, w) in &q {
        match now.get(uscc) {
            Some(e) => {
                let same = e.active
                    && e.class == w.class
                    && e.reasons == w.reasons()
                    && e.avg_tax_per_mu == w.avg
                    && e.name == w.name;
                if !same {
                    added += u32::from(!e.active);
                    let mut am: entry::ActiveModel = e.clone().into();
                    am.class = Set(w.class.clone());
                    am.reasons = Set(w.reasons());
                    am.avg_tax_per_mu = Set(w.avg);
                    am.name = Set(w.name.clone());
                    am.active = Set(true);
                    am.update(db).await?;
                }
            }
            None => {
                added += 1;
                // A plan carries over while the enterprise stays on.
                let prior = before.get(uscc).filter(|p| p.active);
                new.push(entry::ActiveModel {
                    year: Set(year),
                    uscc: Set(uscc.clone()),
                    name: Set(w.name.clone()),
                    county: Set(w.county.clone()),
                    scale: Set(w.scale.clone()),
                    class: Set(w.class.clone()),
                    reasons: Set(w.reasons()),
                    avg_tax_per_mu: Set(w.avg),
                    plan: Set(prior.and_then(|p| p.plan.clone())),
                    person: Set(prior.map(|p| p.person.clone()).unwrap_or_default()),
                    milestones: Set(prior.map_or_else(|| "[]".into(), |p| p.milestones.clone())),
                    exited_in: Set(None),
                    active: Set(true),
                    updated_at: Set(at),
                    updated_by: Set(actor.name().into()),
                    ..Default::default()
                });
            }
        }
    }
    for chunk in store::batches(new) {
        entry::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for e in now
        .values()
        .filter(|e| e.active && !q.contains_key(&e.uscc))
    {
        removed += 1;
        let mut am: entry::ActiveModel = e.clone().into();
        am.active = Set(false);
        am.update(db).await?;
    }
    let mut exited = 0u32;
    for e in before.values().filter(|e| e.active) {
        let out = (!q.contains_key(&e.uscc)).then_some(year);
        exited += u32::from(out.is_some());
        if e.exited_in != out {
            let mut am: entry::ActiveModel = e.clone().into();
            am.exited_in = Set(out);
            am.update(db).await?;
        }
    }
    // A correction of a year whose next year is out already: who of this
    // year's ledger the next one lifted out.
    let after = entries_of(db, year + 1).await?;
    if !after.is_empty() {
        let on: std::collections::HashSet<&str> = after
            .values()
            .filter(|e| e.active)
            .map(|e| e.uscc.as_str())
            .collect();
        for e in entries_of(db, year)
            .await?
            .into_values()
            .filter(|e| e.active)
        {
            let out = (!on.contains(e.uscc.as_str())).then_some(year + 1);
            if e.exited_in != out {
                let mut am: entry::ActiveModel = e.into();
                am.exited_in = Set(out);
                am.update(db).await?;
            }
        }
    }
    audit_log::ActiveModel {
        at: Set(at),
        user_id: Set(actor.user_id()),
        username: Set(actor.name().into()),
        action: Set("remediation_ledger".into()),
        uscc: Set(None),
        year: Set(Some(year)),
        field: Set(None),
        old_value: Set(None),
        new_value: Set(Some(format!(
            "按公示第 {version} 版更新整治提升台账：在册 {} 家（新列入 {added}，移出 {removed}）；{} 年台账中 {exited} 家退出",
            q.len(),
            year - 1
        ))),
        department: Set(None),
        source: Set("disclosure".into()),
        version: Set(Some(version)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

fn milestones(e: &entry::Model) -> Vec<Milestone> {
    serde_json::from_str(&e.milestones).unwrap_or_default()
}

fn status(e: &entry::Model, ms: &[Milestone], today: NaiveDate) -> LedgerStatus {
    if e.exited_in.is_some() {
        return LedgerStatus::Exited;
    }
    if !e.active {
        return LedgerStatus::Removed;
    }
    if e.plan.is_none() {
        return LedgerStatus::Unplanned;
    }
    let open: Vec<&Milestone> = ms.iter().filter(|m| m.done_on.is_none()).collect();
    if !ms.is_empty() && open.is_empty() {
        return LedgerStatus::Completed;
    }
    let late = open
        .iter()
        .any(|m| NaiveDate::parse_from_str(&m.due, "%Y-%m-%d").is_ok_and(|d| d < today));
    if late {
        LedgerStatus::Overdue
    } else {
        LedgerStatus::InProgress
    }
}

fn to_view(
    e: &entry::Model,
    today: NaiveDate,
    by: &HashMap<String, String>,
) -> Result<LedgerEntry> {
    let ms = milestones(e);
    Ok(LedgerEntry {
        year: e.year,
        uscc: e.uscc.clone(),
        name: e.name.clone(),
        county: crate::store::stored_county(&e.county)?,
        scale: crate::store::stored_scale(&e.scale)?,
        class: crate::store::stored_class(e.class.as_deref()),
        d_class: e.reasons.split(',').any(|r| r == "d_class"),
        low_tax: e.reasons.split(',').any(|r| r == "low_tax"),
        avg_tax_per_mu: e.avg_tax_per_mu,
        plan: e.plan.as_deref().and_then(PlanKind::parse),
        person: e.person.clone(),
        status: status(e, &ms, today),
        milestones: ms,
        exited_in: e.exited_in,
        updated_at: clock::minute(e.updated_at),
        updated_by: by
            .get(&e.updated_by)
            .cloned()
            .unwrap_or_else(|| e.updated_by.clone()),
    })
}

/// A year's ledger (the latest published year when None) for the counties
/// the actor covers: counts by county and status, and the entries matching
/// `county`, `status` and a name or USCC fragment.
pub async fn list(
    svc: &Services,
    actor: &Actor,
    year: Option<i32>,
    county: Option<&str>,
    status_filter: Option<&str>,
    q: Option<&str>,
) -> Result<Ledger> {
    let covered: Vec<County> = County::ALL
        .iter()
        .copied()
        .filter(|c| authz::county_officer(actor, c.code()))
        .collect();
    if covered.is_empty() {
        return Err(match actor {
            Actor::Public => ServiceError::Unauthorized,
            _ => ServiceError::Forbidden,
        });
    }
    let county = county.filter(|c| !c.is_empty());
    if let Some(c) = county {
        if !covered.iter().any(|x| x.code() == c) {
            return Err(ServiceError::NotFound);
        }
    }
    let years = super::lists::published_years(&svc.db).await?;
    let year = year
        .or(years.first().copied())
        .ok_or(ServiceError::NotFound)?;
    let today = clock::today();
    let all = entry::Entity::find()
        .filter(entry::Column::Year.eq(year))
        .filter(entry::Column::County.is_in(covered.iter().map(|c| c.code())))
        .order_by_asc(entry::Column::County)
        .order_by_asc(entry::Column::Uscc)
        .all(&svc.db)
        .await?;
    // Officials read account names; anyone else the unit that acted.
    let by = if authz::sees_account_names(actor) {
        HashMap::new()
    } else {
        crate::accounts::users::acting_units(&svc.db, all.iter().map(|e| e.updated_by.as_str()))
            .await?
    };
    let mut counts: Vec<LedgerCount> = covered
        .iter()
        .map(|c| LedgerCount {
            county: c.code().into(),
            by_status: [0; 6],
            total: 0,
        })
        .collect();
    let wanted = status_filter.and_then(LedgerStatus::parse);
    let q = q.map(str::trim).filter(|q| !q.is_empty());
    let mut entries = Vec::new();
    let mut matching = 0u32;
    for e in &all {
        let v = to_view(e, today, &by)?;
        if let Some(c) = counts.iter_mut().find(|c| c.county == e.county) {
            let i = LedgerStatus::ALL
                .iter()
                .position(|s| *s == v.status)
                .unwrap_or(0);
            c.by_status[i] += 1;
            c.total += 1;
        }
        let hit = county.is_none_or(|c| c == e.county)
            && wanted.is_none_or(|s| s == v.status)
            && q.is_none_or(|q| e.name.contains(q) || e.uscc.contains(q));
        if hit {
            matching += 1;
            if entries.len() < SHOWN {
                entries.push(v);
            }
        }
    }
    Ok(Ledger {
        year,
        years,
        county: (covered.len() == 1).then(|| covered[0].code().to_string()),
        counts,
        entries,
        matching,
        editable: true,
    })
}

/// The enterprise's own entries (its portal), newest year first.
pub async fn of_enterprise(svc: &Services, actor: &Actor) -> Result<Vec<LedgerEntry>> {
    let uscc = authz::enterprise(actor)?;
    let rows = entry::Entity::find()
        .filter(entry::Column::Uscc.eq(uscc.as_str()))
        .filter(entry::Column::Active.eq(true))
        .order_by_desc(entry::Column::Year)
        .all(&svc.db)
        .await?;
    let names =
        crate::accounts::users::acting_units(&svc.db, rows.iter().map(|e| e.updated_by.as_str()))
            .await?;
    let today = clock::today();
    rows.iter().map(|e| to_view(e, today, &names)).collect()
}

/// The entry a plan change is for: on the year's ledger, in the actor's
/// county, not yet lifted out. Anything else reads as "not on the ledger".
async fn open_entry(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    uscc: &Uscc,
) -> Result<entry::Model> {
    let e = entry::Entity::find()
        .filter(entry::Column::Year.eq(year))
        .filter(entry::Column::Uscc.eq(uscc.as_str()))
        .one(db)
        .await?
        .filter(|e| e.active && authz::county_officer(actor, &e.county));
    let Some(e) = e else {
        return Err(ServiceError::invalid(
            format!("统一社会信用代码 {uscc} 的企业不在本县（市、区）{year} 年整治提升台账上"),
            format!("{uscc} is not on this county's {year} remediation ledger"),
        ));
    };
    if let Some(y) = e.exited_in {
        return Err(ServiceError::invalid(
            format!(
                "{} 已经 {y} 年评价退出整治提升台账，{year} 年台账不再修改",
                e.name
            ),
            format!(
                "{} left the ledger with the {y} evaluation; the {year} ledger no longer changes",
                e.name
            ),
        ));
    }
    Ok(e)
}

async fn change(
    svc: &Services,
    actor: &Actor,
    year: i32,
    uscc: &Uscc,
    edit: impl FnOnce(
        &entry::Model,
        &mut Vec<Milestone>,
    ) -> Result<(entry::ActiveModel, String, Option<String>, Option<String>)>,
) -> Result<()> {
    let now = Utc::now();
    let txn = crate::writes::begin(&svc.db).await?;
    let e = open_entry(&txn, actor, year, uscc).await?;
    let mut ms = milestones(&e);
    let (mut am, field, old, new) = edit(&e, &mut ms)?;
    am.milestones = Set(serde_json::to_string(&ms).map_err(ServiceError::internal)?);
    am.updated_at = Set(now);
    am.updated_by = Set(actor.name().into());
    am.update(&txn).await?;
    audit_log::ActiveModel {
        at: Set(now),
        user_id: Set(actor.user_id()),
        username: Set(actor.name().into()),
        action: Set("remediation_plan".into()),
        uscc: Set(Some(e.uscc.clone())),
        year: Set(Some(year)),
        field: Set(Some(field)),
        old_value: Set(old),
        new_value: Set(new),
        department: Set(None),
        source: Set("web".into()),
        version: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A text a person types, named in Chinese and English.
fn text((field, field_en): (&str, &str), v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        return Err(ServiceError::invalid(
            format!("请填写{field}"),
            format!("Please fill in the {field_en}"),
        ));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid(
            format!("{field}最多 {MAX_TEXT} 字"),
            format!("The {field_en} has at most {MAX_TEXT} characters"),
        ));
    }
    Ok(v.to_string())
}

/// Sets the plan and its responsible person.
pub async fn save_plan(
    svc: &Services,
    actor: &Actor,
    year: i32,
    uscc: &Uscc,
    plan: &str,
    person: &str,
) -> Result<()> {
    let kind = PlanKind::parse(plan).ok_or_else(|| {
        ServiceError::invalid(
            "请选择整治提升方式：提升、兼并重组、腾退或关停",
            "Please choose the remediation: improve, merge, vacate or close",
        )
    })?;
    let person = text(("责任人", "person responsible"), person)?;
    change(svc, actor, year, uscc, |e, _| {
        let old = e
            .plan
            .as_deref()
            .and_then(PlanKind::parse)
            .map(|k| format!("{}（{}）", k.zh(), e.person));
        let mut am: entry::ActiveModel = e.clone().into();
        am.plan = Set(Some(kind.code().into()));
        am.person = Set(person.clone());
        Ok((
            am,
            "plan".into(),
            old,
            Some(format!("{}（{person}）", kind.zh())),
        ))
    })
    .await
}

/// Adds a milestone to the plan.
pub async fn add_milestone(
    svc: &Services,
    actor: &Actor,
    year: i32,
    uscc: &Uscc,
    title: &str,
    due: &str,
) -> Result<()> {
    let title = text(("节点内容", "milestone"), title)?;
    let due = clock::parse_date(("计划完成日期", "planned date"), due)?;
    change(svc, actor, year, uscc, |e, ms| {
        if e.plan.is_none() {
            return Err(ServiceError::invalid(
                "请先确定整治提升方式和责任人，再添加节点",
                "Choose the remediation and the person responsible before adding milestones",
            ));
        }
        ms.push(Milestone {
            title: title.clone(),
            due: due.to_string(),
            done_on: None,
            evidence: String::new(),
        });
        Ok((
            e.clone().into(),
            format!("milestone:{}", ms.len()),
            None,
            Some(format!("{title}（计划 {due}）")),
        ))
    })
    .await
}

/// Records a milestone as done, with its evidence.
pub async fn complete_milestone(
    svc: &Services,
    actor: &Actor,
    year: i32,
    uscc: &Uscc,
    index: usize,
    done_on: &str,
    evidence: &str,
) -> Result<()> {
    let done = clock::parse_date(("完成日期", "completion date"), done_on)?;
    let evidence = text(
        (
            "完成佐证（文件、验收材料等）",
            "evidence (documents, acceptance records)",
        ),
        evidence,
    )?;
    if done > clock::today() {
        return Err(ServiceError::invalid(
            format!("完成日期 {done} 晚于今天"),
            format!("The completion date {done} is after today"),
        ));
    }
    change(svc, actor, year, uscc, |e, ms| {
        let n = ms.len();
        let m = ms.get_mut(index).ok_or_else(|| {
            ServiceError::invalid(
                format!("没有第 {} 个节点（共 {n} 个）", index + 1),
                format!("There is no milestone {} ({n} in all)", index + 1),
            )
        })?;
        if m.done_on.is_some() {
            return Err(ServiceError::invalid(
                format!("节点“{}”已完成", m.title),
                format!("Milestone “{}” is already done", m.title),
            ));
        }
        m.done_on = Some(done.to_string());
        m.evidence = evidence.clone();
        let what = format!("{}：{done} 完成，佐证 {evidence}", m.title);
        Ok((
            e.clone().into(),
            format!("milestone:{}", index + 1),
            None,
            Some(what),
        ))
    })
    .await
}

/// Per published year after the first: how many left the ledger that year
/// (lifted out by its evaluation) and how many are on its ledger; for the
/// targets dashboard's 改造提升 figure.
pub async fn exits(db: &impl ConnectionTrait) -> Result<Vec<(i32, u32, u32)>> {
    let rows: Vec<(i32, Option<i32>, bool)> = entry::Entity::find()
        .select_only()
        .column(entry::Column::Year)
        .column(entry::Column::ExitedIn)
        .column(entry::Column::Active)
        .into_tuple()
        .all(db)
        .await?;
    let mut by: BTreeMap<i32, (u32, u32)> = BTreeMap::new();
    for (year, exited, active) in rows {
        if active {
            by.entry(year).or_default().1 += 1;
        }
        if let Some(y) = exited.filter(|_| active) {
            by.entry(y).or_default().0 += 1;
        }
    }
    // A year counts exits only when the year before had a ledger.
    let years: Vec<i32> = by.keys().copied().collect();
    Ok(by
        .into_iter()
        .filter(|(y, _)| years.contains(&(y - 1)))
        .map(|(y, (out, on))| (y, out, on))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(land: &str, tax: &str) -> BTreeMap<String, String> {
        [("land_mu", land), ("tax_wan", tax)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn tax_per_mu_needs_land_and_counts_missing_tax_as_none() {
        assert_eq!(per_mu(&fields("10", "95")), Some(9.5));
        assert_eq!(per_mu(&fields("10", "")), Some(0.0));
        assert_eq!(per_mu(&fields("0", "95")), None);
        assert_eq!(per_mu(&fields("", "95")), None);
        assert_eq!(limit("below"), BELOW_LIMIT);
        assert_eq!(limit("above"), ABOVE_LIMIT);
    }

    #[test]
    fn status_follows_plan_milestones_and_exit() {
        let today = NaiveDate::from_ymd_opt(2021, 6, 1).unwrap();
        let mut e = entry::Model {
            id: 1,
            year: 2020,
            uscc: "x".into(),
            name: "x".into(),
            county: "nanhu".into(),
            scale: "above".into(),
            class: Some("D".into()),
            reasons: "d_class".into(),
            avg_tax_per_mu: Some(2.0),
            plan: None,
            person: String::new(),
            milestones: "[]".into(),
            exited_in: None,
            active: true,
            updated_at: Utc::now(),
            updated_by: "seed".into(),
        };
        let m = |due: &str, done: bool| Milestone {
            title: "t".into(),
            due: due.into(),
            done_on: done.then(|| "2021-05-01".into()),
            evidence: String::new(),
        };
        assert_eq!(status(&e, &[], today), LedgerStatus::Unplanned);
        e.plan = Some("upgrade".into());
        assert_eq!(status(&e, &[], today), LedgerStatus::InProgress);
        assert_eq!(
            status(&e, &[m("2021-07-01", false)], today),
            LedgerStatus::InProgress
        );
        assert_eq!(
            status(&e, &[m("2021-05-31", false)], today),
            LedgerStatus::Overdue
        );
        assert_eq!(
            status(&e, &[m("2021-05-31", true)], today),
            LedgerStatus::Completed
        );
        e.exited_in = Some(2021);
        assert_eq!(status(&e, &[], today), LedgerStatus::Exited);
        e.exited_in = None;
        e.active = false;
        assert_eq!(status(&e, &[], today), LedgerStatus::Removed);
    }
}
