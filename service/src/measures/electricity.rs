//! 差别化电价 for D-class enterprises (嘉政办发〔2021〕5号 §三(三)3): each
//! county sets its surcharge (0 to 0.50 元/kWh), reviews the list of its
//! D-class enterprises from the year's published version (leaving off, with
//! a reason, those the text or the county's rules exempt), has it approved,
//! publishes it for a window on the public pages before it applies, and
//! files it with the city (备案) within one month of the window's end. The
//! city sees every county's state and the overdue ones. Every step is
//! audited; what was published is what is filed, and a filed procedure
//! never changes.

use super::lists::versions;
use super::{ElectricityOverview, Procedure, ProcedureRow, ProcedureState, ProcedureSummary};
use crate::actor::Actor;
use crate::{authz, clock, Result, ServiceError, Services};
use chrono::{DateTime, Months, NaiveDate, Utc};
use entity::{audit_log, disclosure_row, electricity_procedure as proc};
use grading::County;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::BTreeMap;

/// The measure whose units read every county's procedure.
const MEASURE: &str = "electricity";
/// Longest approval document number or filing receipt kept.
const MAX_TEXT: usize = 100;

type Exemptions = BTreeMap<String, String>;

/// The last day for filing: one month after the window's last day.
fn due(end: NaiveDate) -> NaiveDate {
    end.checked_add_months(Months::new(1)).unwrap_or(end)
}

fn state_of(m: Option<&proc::Model>, today: NaiveDate) -> ProcedureState {
    let Some(m) = m else {
        return ProcedureState::NotStarted;
    };
    if m.filed_at.is_some() {
        return ProcedureState::Filed;
    }
    match (m.published_at, m.window_start, m.window_end) {
        (Some(_), Some(start), Some(end)) => {
            if today < start {
                ProcedureState::Scheduled
            } else if today <= end {
                ProcedureState::InWindow
            } else if today <= due(end) {
                ProcedureState::AwaitingFiling
            } else {
                ProcedureState::Overdue
            }
        }
        _ => ProcedureState::Draft,
    }
}

fn county_of(code: &str) -> Result<County> {
    County::parse(code).ok_or(ServiceError::NotFound)
}

async fn load(db: &impl ConnectionTrait, year: i32, county: &str) -> Result<Option<proc::Model>> {
    Ok(proc::Entity::find()
        .filter(proc::Column::Year.eq(year))
        .filter(proc::Column::County.eq(county))
        .one(db)
        .await?)
}

/// The year's latest published version (a procedure needs one).
async fn latest_version(db: &impl ConnectionTrait, year: i32) -> Result<Option<i32>> {
    Ok(versions(db, year).await?.first().map(|v| v.version))
}

/// The county's D-class enterprises in version `version` of `year`.
async fn d_class(
    db: &impl ConnectionTrait,
    year: i32,
    version: i32,
    county: &str,
) -> Result<Vec<(String, String)>> {
    Ok(disclosure_row::Entity::find()
        .filter(disclosure_row::Column::Year.eq(year))
        .filter(disclosure_row::Column::Version.eq(version))
        .filter(disclosure_row::Column::County.eq(county))
        .filter(disclosure_row::Column::Status.eq("graded"))
        .filter(disclosure_row::Column::Class.eq("D"))
        .order_by_asc(disclosure_row::Column::Uscc)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.uscc, r.name))
        .collect())
}

fn exemptions(m: Option<&proc::Model>) -> Exemptions {
    m.and_then(|m| serde_json::from_str(&m.exclusions).ok())
        .unwrap_or_default()
}

/// The version a procedure's list comes from: pinned once published,
/// else the year's latest.
async fn version_of(
    db: &impl ConnectionTrait,
    year: i32,
    m: Option<&proc::Model>,
) -> Result<Option<i32>> {
    match m.and_then(|m| m.version) {
        Some(v) => Ok(Some(v)),
        None => latest_version(db, year).await,
    }
}

async fn view(
    db: &impl ConnectionTrait,
    year: i32,
    county: &str,
    m: Option<&proc::Model>,
    today: NaiveDate,
    editable: bool,
) -> Result<Procedure> {
    let version = version_of(db, year, m).await?;
    let ex = exemptions(m);
    let rows = match version {
        Some(v) => d_class(db, year, v, county)
            .await?
            .into_iter()
            .map(|(uscc, name)| ProcedureRow {
                exempt: ex.get(&uscc).cloned(),
                uscc,
                name,
            })
            .collect(),
        None => vec![],
    };
    let state = state_of(m, today);
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let end = m.and_then(|m| m.window_end);
    Ok(Procedure {
        year,
        county: crate::store::stored_county(county)?,
        state,
        surcharge: m.map(|m| m.surcharge.clone()).unwrap_or_default(),
        version,
        window_start: date(m.and_then(|m| m.window_start)),
        window_end: date(end),
        due: date(end.map(due)),
        approval: m.map(|m| m.approval.clone()).unwrap_or_default(),
        published_at: m.and_then(|m| m.published_at).map(clock::minute),
        filed_at: m.and_then(|m| m.filed_at).map(clock::minute),
        filed_late: match (m.and_then(|m| m.filed_at), end) {
            (Some(at), Some(end)) => clock::date(at) > due(end),
            _ => false,
        },
        filing_no: m.map(|m| m.filing_no.clone()).unwrap_or_default(),
        updated_at: m.map(|m| clock::minute(m.updated_at)),
        updated_by: m.map(|m| m.updated_by.clone()).unwrap_or_default(),
        rows,
        editable: editable
            && matches!(
                state,
                ProcedureState::NotStarted
                    | ProcedureState::Draft
                    | ProcedureState::AwaitingFiling
                    | ProcedureState::Overdue
            ),
        today: today.to_string(),
    })
}

/// The counties whose procedures the actor may read (officials: theirs;
/// the administrator and the units applying the measure: all).
fn readable(actor: &Actor) -> Vec<County> {
    County::ALL
        .iter()
        .copied()
        .filter(|c| authz::may_read_measure(actor, MEASURE, c.code()))
        .collect()
}

/// The year's procedures of every county the actor may read (the latest
/// published year when `year` is None).
pub async fn overview(
    svc: &Services,
    actor: &Actor,
    year: Option<i32>,
) -> Result<ElectricityOverview> {
    let counties = readable(actor);
    if counties.is_empty() {
        return Err(match actor {
            Actor::Public => ServiceError::Unauthorized,
            _ => ServiceError::Forbidden,
        });
    }
    let years = super::lists::published_years(&svc.db).await?;
    let year = year
        .or(years.first().copied())
        .ok_or(ServiceError::NotFound)?;
    let today = clock::today();
    let mut out = Vec::new();
    for c in &counties {
        let m = load(&svc.db, year, c.code()).await?;
        let p = view(&svc.db, year, c.code(), m.as_ref(), today, false).await?;
        out.push(ProcedureSummary {
            county: *c,
            state: p.state,
            surcharge: p.surcharge,
            window_end: p.window_end,
            due: p.due,
            filed_late: p.filed_late,
            d_class: p.rows.len() as u32,
            listed: p.rows.iter().filter(|r| r.exempt.is_none()).count() as u32,
        });
    }
    Ok(ElectricityOverview {
        year,
        years,
        counties: out,
        county: (counties.len() == 1).then(|| counties[0].code().to_string()),
    })
}

/// One county's procedure of a year, with its list (not found outside the
/// actor's reach).
pub async fn procedure(
    svc: &Services,
    actor: &Actor,
    year: i32,
    county: &str,
) -> Result<Procedure> {
    let c = county_of(county)?;
    if !authz::may_read_measure(actor, MEASURE, c.code()) {
        return Err(ServiceError::NotFound);
    }
    let m = load(&svc.db, year, c.code()).await?;
    let editable = authz::county_officer(actor, c.code());
    view(
        &svc.db,
        year,
        c.code(),
        m.as_ref(),
        clock::today(),
        editable,
    )
    .await
}

/// The published procedures of a year, as the public pages show them:
/// the surcharge, the window, the approval and the enterprises it applies
/// to (never the exemptions' reasons, never who typed it).
pub async fn public(svc: &Services, year: i32) -> Result<Vec<Procedure>> {
    let published = proc::Entity::find()
        .filter(proc::Column::Year.eq(year))
        .filter(proc::Column::PublishedAt.is_not_null())
        .order_by_asc(proc::Column::County)
        .all(&svc.db)
        .await?;
    let today = clock::today();
    let mut out = Vec::new();
    for m in &published {
        let mut p = view(&svc.db, year, &m.county, Some(m), today, false).await?;
        p.rows.retain(|r| r.exempt.is_none());
        p.updated_by.clear();
        p.updated_at = None;
        out.push(p);
    }
    Ok(out)
}

/// What a write may do to the procedure in its present state.
enum Step {
    Prepare,
    Publish,
    File,
}

/// Checks the actor and the state, in the write's transaction.
async fn writable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    county: &str,
    step: Step,
    today: NaiveDate,
) -> Result<(County, Option<proc::Model>)> {
    let c = county_of(county)?;
    if !authz::county_officer(actor, c.code()) {
        return Err(if authz::may_read_measure(actor, MEASURE, c.code()) {
            ServiceError::Forbidden
        } else {
            ServiceError::NotFound
        });
    }
    let m = load(db, year, c.code()).await?;
    let state = state_of(m.as_ref(), today);
    let refuse = |why: &str, why_en: &str| {
        Err(ServiceError::invalid(
            format!("{}{year} 年差别化电价：{why}", c.zh()),
            format!("{} {year} electricity surcharge: {why_en}", c.en()),
        ))
    };
    match (step, state) {
        (_, ProcedureState::Filed) => refuse(
            "已向市里备案，不可再修改",
            "filed with the city; it can no longer change",
        ),
        (Step::Prepare | Step::Publish, ProcedureState::NotStarted | ProcedureState::Draft) => {
            Ok((c, m))
        }
        (Step::Prepare | Step::Publish, _) => refuse(
            "名单已公示，公示的内容即为备案的内容，不可再修改",
            "the list is published, and what was published is what is filed; it can no longer change",
        ),
        (Step::File, ProcedureState::AwaitingFiling | ProcedureState::Overdue) => Ok((c, m)),
        (Step::File, ProcedureState::Scheduled | ProcedureState::InWindow) => {
            let end = m.as_ref().and_then(|m| m.window_end).unwrap_or(today);
            refuse(
                &format!("公示期至 {end} 结束，结束后方可备案"),
                &format!("the publicity window runs to {end}; file after it ends"),
            )
        }
        (Step::File, _) => refuse(
            "尚未公示，公示结束后方可备案",
            "not published yet; file after the publicity window ends",
        ),
    }
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    year: i32,
    county: County,
    field: &str,
    uscc: Option<&str>,
    old: Option<String>,
    new: Option<String>,
) -> Result<()> {
    let word = |v: Option<String>| v.map(|v| format!("{}：{v}", county.zh()));
    audit_log::ActiveModel {
        at: Set(at),
        user_id: Set(actor.user_id()),
        username: Set(actor.name().into()),
        action: Set("electricity_procedure".into()),
        uscc: Set(uscc.map(str::to_string)),
        year: Set(Some(year)),
        field: Set(Some(field.into())),
        old_value: Set(word(old)),
        new_value: Set(word(new)),
        department: Set(None),
        source: Set("web".into()),
        version: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Saves the procedure row (made on its first change).
async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    year: i32,
    county: County,
    m: Option<proc::Model>,
    change: impl FnOnce(&mut proc::ActiveModel),
) -> Result<()> {
    let mut am: proc::ActiveModel = match m {
        Some(m) => m.into(),
        None => proc::ActiveModel {
            year: Set(year),
            county: Set(county.code().into()),
            surcharge: Set(String::new()),
            version: Set(None),
            exclusions: Set("{}".into()),
            window_start: Set(None),
            window_end: Set(None),
            approval: Set(String::new()),
            published_at: Set(None),
            filed_at: Set(None),
            filing_no: Set(String::new()),
            ..Default::default()
        },
    };
    change(&mut am);
    am.updated_at = Set(at);
    am.updated_by = Set(actor.name().into());
    am.save(db).await?;
    Ok(())
}

/// Sets the county's surcharge (元/kWh, 0 to 0.50).
pub async fn set_surcharge(
    svc: &Services,
    actor: &Actor,
    year: i32,
    county: &str,
    surcharge: &str,
) -> Result<()> {
    let s = super::Surcharge::parse(surcharge).map_err(ServiceError::Invalid)?;
    let now = Utc::now();
    let txn = crate::writes::begin(&svc.db).await?;
    let (c, m) = writable(&txn, actor, year, county, Step::Prepare, clock::date(now)).await?;
    if latest_version(&txn, year).await?.is_none() {
        return Err(ServiceError::invalid(
            format!("{year} 年度评价结果尚未公示：D 类名单取自公示版本，公示后方可拟定差别化电价"),
            format!("The {year} results are not published yet: the class D list comes from a published version, so the surcharge is drafted after publication"),
        ));
    }
    let old = m
        .as_ref()
        .map(|m| m.surcharge.clone())
        .filter(|s| !s.is_empty());
    let new = s.to_string();
    save(&txn, actor, now, year, c, m, |am| {
        am.surcharge = Set(new.clone())
    })
    .await?;
    let unit = |v: String| format!("{v} 元/千瓦时");
    audit(
        &txn,
        actor,
        now,
        year,
        c,
        "surcharge",
        None,
        old.map(unit),
        Some(unit(new)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Leaves a D-class enterprise off the list with a reason, or (an empty
/// reason) puts it back.
pub async fn exempt(
    svc: &Services,
    actor: &Actor,
    year: i32,
    county: &str,
    uscc: &grading::Uscc,
    reason: &str,
) -> Result<()> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid(
            format!("不列入理由最多 {MAX_TEXT} 字"),
            format!("The reason for leaving out has at most {MAX_TEXT} characters"),
        ));
    }
    let now = Utc::now();
    let txn = crate::writes::begin(&svc.db).await?;
    let (c, m) = writable(&txn, actor, year, county, Step::Prepare, clock::date(now)).await?;
    let Some(version) = version_of(&txn, year, m.as_ref()).await? else {
        return Err(not_published(year));
    };
    let uscc = uscc.as_str();
    if !d_class(&txn, year, version, c.code())
        .await?
        .iter()
        .any(|(u, _)| u == uscc)
    {
        return Err(ServiceError::invalid(
            format!("统一社会信用代码 {uscc} 不是{}{year} 年公示（第 {version} 版）中的 D 类企业", c.zh()),
            format!("{uscc} is not a class D enterprise of {} in version {version} of the {year} publication", c.en()),
        ));
    }
    let mut ex = exemptions(m.as_ref());
    let old = ex.get(uscc).cloned();
    if reason.is_empty() {
        ex.remove(uscc);
    } else {
        ex.insert(uscc.to_string(), reason.to_string());
    }
    let json = serde_json::to_string(&ex).map_err(ServiceError::internal)?;
    save(&txn, actor, now, year, c, m, |am| am.exclusions = Set(json)).await?;
    let new = (!reason.is_empty()).then(|| format!("不列入：{reason}"));
    audit(
        &txn,
        actor,
        now,
        year,
        c,
        "exemption",
        Some(uscc),
        old.map(|o| format!("不列入：{o}")),
        new.or(Some("列入名单".into())),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the county publishes: its window and the approval.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PublishForm {
    pub year: i32,
    pub county: String,
    /// `YYYY-MM-DD`, Beijing dates.
    pub start: String,
    pub end: String,
    /// The approving government's document (各县（市、区）政府审批；经开区、
    /// 港区报市政府审批).
    pub approval: String,
}

/// Publishes the list for its window: the surcharge and list are pinned to
/// the year's latest published version from now on.
pub async fn publish(svc: &Services, actor: &Actor, form: &PublishForm) -> Result<()> {
    publish_at(svc, actor, form, Utc::now()).await
}

/// [`publish`] as of `at` (the demo's history, and tests of deadlines).
pub async fn publish_at(
    svc: &Services,
    actor: &Actor,
    form: &PublishForm,
    at: DateTime<Utc>,
) -> Result<()> {
    let today = clock::date(at);
    let start = clock::parse_date(("公示开始日期", "first day of the window"), &form.start)?;
    let end = clock::parse_date(("公示结束日期", "last day of the window"), &form.end)?;
    if end < start {
        return Err(ServiceError::invalid(
            format!("公示结束日期 {end} 早于开始日期 {start}"),
            format!("The window's last day {end} is before its first {start}"),
        ));
    }
    if start < today {
        return Err(ServiceError::invalid(
            format!("公示开始日期 {start} 已过：差别化电价须在执行前公示，请从今天（{today}）或以后开始"),
            format!("The first day {start} has passed: a surcharge is published before it applies, so start today ({today}) or later"),
        ));
    }
    let approval = form.approval.trim();
    if approval.is_empty() || approval.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid(
            "请填写审批文件（县（市、区）政府或市政府的批准文号），最多 100 字",
            "Please give the approval (the county's or the city's document number), at most 100 characters",
        ));
    }
    let txn = crate::writes::begin(&svc.db).await?;
    let (c, m) = writable(&txn, actor, form.year, &form.county, Step::Publish, today).await?;
    if m.as_ref().is_none_or(|m| m.surcharge.is_empty()) {
        return Err(ServiceError::invalid(
            format!("{}{} 年差别化电价：请先设定加价幅度", c.zh(), form.year),
            format!(
                "{} {} electricity surcharge: set the surcharge first",
                c.en(),
                form.year
            ),
        ));
    }
    let Some(version) = latest_version(&txn, form.year).await? else {
        return Err(not_published(form.year));
    };
    let approval = approval.to_string();
    save(&txn, actor, at, form.year, c, m, |am| {
        am.version = Set(Some(version));
        am.window_start = Set(Some(start));
        am.window_end = Set(Some(end));
        am.approval = Set(approval.clone());
        am.published_at = Set(Some(at));
    })
    .await?;
    let what = format!("公示 {start} 至 {end}，依据公示第 {version} 版，批准文件 {approval}");
    audit(
        &txn,
        actor,
        at,
        form.year,
        c,
        "publicity",
        None,
        None,
        Some(what),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Files the published procedure with the city (备案): after its window,
/// due within a month of its end (a late filing is recorded as late).
pub async fn file(
    svc: &Services,
    actor: &Actor,
    year: i32,
    county: &str,
    filing_no: &str,
) -> Result<()> {
    file_at(svc, actor, year, county, filing_no, Utc::now()).await
}

/// [`file`] as of `at`.
pub async fn file_at(
    svc: &Services,
    actor: &Actor,
    year: i32,
    county: &str,
    filing_no: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let filing_no = filing_no.trim().to_string();
    if filing_no.is_empty() || filing_no.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid(
            "请填写备案文号或回执编号（抄送市经信局、市发展改革委、市财政局、嘉兴电力局），最多 100 字",
            "Please give the filing number or receipt (copied to the city's Economy & IT Bureau, DRC, Finance Bureau and Jiaxing Power), at most 100 characters",
        ));
    }
    let txn = crate::writes::begin(&svc.db).await?;
    let (c, m) = writable(&txn, actor, year, county, Step::File, clock::date(at)).await?;
    let no = filing_no.clone();
    save(&txn, actor, at, year, c, m, |am| {
        am.filed_at = Set(Some(at));
        am.filing_no = Set(no);
    })
    .await?;
    audit(
        &txn,
        actor,
        at,
        year,
        c,
        "filing",
        None,
        None,
        Some(format!("备案 {filing_no}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn not_published(year: i32) -> ServiceError {
    ServiceError::Invalid(crate::disclosure::not_published(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, d).unwrap()
    }

    fn published(start: NaiveDate, end: NaiveDate) -> proc::Model {
        proc::Model {
            id: 1,
            year: 2020,
            county: "nanhu".into(),
            surcharge: "0.30".into(),
            version: Some(1),
            exclusions: "{}".into(),
            window_start: Some(start),
            window_end: Some(end),
            approval: "x".into(),
            published_at: Some(Utc::now()),
            filed_at: None,
            filing_no: String::new(),
            updated_at: Utc::now(),
            updated_by: "nanhu".into(),
        }
    }

    #[test]
    fn filing_is_due_a_month_after_the_window() {
        let m = published(day(3, 1), day(3, 10));
        let at = |d| state_of(Some(&m), d);
        assert_eq!(at(day(2, 28)), ProcedureState::Scheduled);
        assert_eq!(at(day(3, 1)), ProcedureState::InWindow);
        assert_eq!(at(day(3, 10)), ProcedureState::InWindow);
        assert_eq!(at(day(3, 11)), ProcedureState::AwaitingFiling);
        assert_eq!(at(day(4, 10)), ProcedureState::AwaitingFiling);
        assert_eq!(at(day(4, 11)), ProcedureState::Overdue);
        assert_eq!(due(day(1, 31)), day(2, 28), "a month, not 30 days");
        assert_eq!(state_of(None, day(1, 1)), ProcedureState::NotStarted);
    }
}
