//! The publication lifecycle (city administrator): open a year's publicity
//! window, finalize it, publish corrections. Each step writes a new
//! numbered version — the complete public list as the year's grades stand,
//! and the class changes against the version before — and never touches an
//! earlier one; each is audited.

use super::{PublicationStatus, WindowForm};
use crate::actor::Actor;
use crate::{authz, store, Result, ServiceError, Services};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    audit_log, disclosure, disclosure_change, disclosure_row, disclosure_version, grade_result,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};

pub use crate::clock::today;

fn date(text: &str, (what, what_en): (&str, &str)) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ServiceError::invalid(
            format!("{what}应为日期（年-月-日），而不是“{text}”"),
            format!("The {what_en} should be a date (year-month-day), not “{text}”"),
        )
    })
}

/// Opens `form.year`'s publicity window: freezes version 1.
pub async fn open(svc: &Services, actor: &Actor, form: &WindowForm) -> Result<i32> {
    authz::city_admin(actor)?;
    let (start, end) = (
        date(&form.start, ("公示开始日期", "first day of the window"))?,
        date(&form.end, ("公示结束日期", "last day of the window"))?,
    );
    if end < start {
        return Err(ServiceError::invalid(
            "公示结束日期不能早于开始日期",
            "The publicity window cannot end before it starts",
        ));
    }
    for (value, what, what_en) in [
        (&form.phone, "联系电话", "contact telephone"),
        (&form.address, "联系地址", "contact address"),
        (&form.notice, "公示说明", "notice"),
        (&form.objection, "异议方式", "way to object"),
    ] {
        if value.trim().is_empty() {
            return Err(ServiceError::invalid(
                format!("请填写{what}"),
                format!("Please fill in the {what_en}"),
            ));
        }
    }
    let txn = crate::writes::begin(&svc.db).await?;
    // Held like a write of the year: the frozen grades are one state.
    store::hold_year(&txn, form.year).await?;
    if disclosure::Entity::find_by_id(form.year)
        .one(&txn)
        .await?
        .is_some()
    {
        let year = form.year;
        return Err(ServiceError::invalid(
            format!("{year} 年度已经公示；请发布更正或定档"),
            format!("{year} is already published; publish a correction or make it final"),
        ));
    }
    let now = Utc::now();
    // 核实上报: every county and providing department has confirmed the
    // year's data as it stands, or the administrator says why not.
    let missing = crate::signoff::complete(&txn, form.year).await?;
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|p| p.words().zh).collect();
        let reason = form.override_reason.trim();
        if reason.is_empty() {
            let names_en: Vec<String> = missing.iter().map(|p| p.words().en).collect();
            return Err(ServiceError::invalid(
                format!("核实上报尚未完成：{} 尚未确认本年度数据（或确认后又有修改）。请待其确认，或填写理由后开启公示。", names.join("、")),
                format!("Data sign-off is not complete: {} have not confirmed this year's data (or it changed since). Wait for them, or give a reason to open the window anyway.", names_en.join(", ")),
            ));
        }
        entity::audit_log::ActiveModel {
            at: Set(now),
            user_id: Set(actor.user_id()),
            username: Set(actor.name().into()),
            action: Set("signoff_override".into()),
            year: Set(Some(form.year)),
            field: Set(Some(names.join("、"))),
            new_value: Set(Some(reason.to_string())),
            source: Set("web".into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    disclosure::ActiveModel {
        year: Set(form.year),
        status: Set(PublicationStatus::Window.code().into()),
        window_start: Set(start),
        window_end: Set(end),
        contact_phone: Set(form.phone.trim().into()),
        contact_address: Set(form.address.trim().into()),
        notice: Set(form.notice.trim().into()),
        objection: Set(form.objection.trim().into()),
        show_scores: Set(form.show_scores),
        opened_at: Set(now),
        opened_by: Set(actor.name().into()),
        finalized_at: Set(None),
        finalized_by: Set(None),
    }
    .insert(&txn)
    .await?;
    let v = publish_version(
        &txn,
        actor,
        form.year,
        "publicity",
        ("公示", Some("Publicity")),
        form.show_scores,
        now,
    )
    .await?;
    txn.commit().await?;
    crate::signals::published(svc).await?;
    Ok(v)
}

/// Finalizes a year whose window has closed: the final version.
pub async fn finalize(svc: &Services, actor: &Actor, year: i32) -> Result<i32> {
    authz::city_admin(actor)?;
    let txn = crate::writes::begin(&svc.db).await?;
    store::hold_year(&txn, year).await?;
    let d = disclosure::Entity::find_by_id(year)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if PublicationStatus::stored(&d.status) != PublicationStatus::Window {
        return Err(ServiceError::invalid(
            format!("{year} 年度已定档"),
            format!("{year} is already final"),
        ));
    }
    if today() <= d.window_end {
        let end = d.window_end;
        return Err(ServiceError::invalid(
            format!("公示期至 {end} 结束，结束后方可定档"),
            format!("The window runs to {end}; the year can be made final after it ends"),
        ));
    }
    let now = Utc::now();
    let show = d.show_scores;
    let mut am: disclosure::ActiveModel = d.into();
    am.status = Set(PublicationStatus::Final.code().into());
    am.finalized_at = Set(Some(now));
    am.finalized_by = Set(Some(actor.name().into()));
    am.update(&txn).await?;
    let v = publish_version(
        &txn,
        actor,
        year,
        "final",
        ("定档", Some("Final")),
        show,
        now,
    )
    .await?;
    txn.commit().await?;
    crate::signals::published(svc).await?;
    Ok(v)
}

/// Publishes the year's grades as they now stand as a correction, with
/// `note` (what was corrected and why). Refused when nothing changed.
pub async fn correct(svc: &Services, actor: &Actor, year: i32, note: &str) -> Result<i32> {
    authz::city_admin(actor)?;
    correct_as(svc, actor, year, (note, None)).await
}

/// [`correct`] on behalf of a workflow that has its own authority (an
/// accepted appeal publishes its correction as its reviewer); a note the
/// platform writes comes with its English.
pub(crate) async fn correct_as(
    svc: &Services,
    actor: &Actor,
    year: i32,
    (note, note_en): (&str, Option<&str>),
) -> Result<i32> {
    if note.trim().is_empty() {
        return Err(ServiceError::invalid(
            "请填写更正说明",
            "Please write what the correction is for",
        ));
    }
    let txn = crate::writes::begin(&svc.db).await?;
    store::hold_year(&txn, year).await?;
    let d = disclosure::Entity::find_by_id(year)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = Utc::now();
    let v = publish_version(
        &txn,
        actor,
        year,
        "correction",
        (note.trim(), note_en),
        d.show_scores,
        now,
    )
    .await?;
    txn.commit().await?;
    crate::signals::published(svc).await?;
    Ok(v)
}

/// How many enterprises' class or status in the working state differ from
/// the latest published version (what a correction would publish).
pub async fn pending_changes(db: &impl ConnectionTrait, year: i32) -> Result<u32> {
    let Some(prev) = latest_version(db, year).await? else {
        return Ok(0);
    };
    let before = published_rows(db, year, prev.version).await?;
    let now = current_rows(db, year, false).await?;
    Ok(changed(&before, &now).len() as u32)
}

async fn latest_version(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Option<disclosure_version::Model>> {
    Ok(disclosure_version::Entity::find()
        .filter(disclosure_version::Column::Year.eq(year))
        .order_by_desc(disclosure_version::Column::Version)
        .one(db)
        .await?)
}

async fn published_rows(
    db: &impl ConnectionTrait,
    year: i32,
    version: i32,
) -> Result<HashMap<String, disclosure_row::Model>> {
    Ok(disclosure_row::Entity::find()
        .filter(disclosure_row::Column::Year.eq(year))
        .filter(disclosure_row::Column::Version.eq(version))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.uscc.clone(), r))
        .collect())
}

/// The working state's public columns, by USCC.
async fn current_rows(
    db: &impl ConnectionTrait,
    year: i32,
    show_scores: bool,
) -> Result<Vec<disclosure_row::Model>> {
    let rows = grade_result::Entity::find()
        .filter(grade_result::Column::Year.eq(year))
        .order_by_asc(grade_result::Column::Uscc)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Err(ServiceError::invalid(
            format!("{year} 年度尚无评价结果"),
            format!("{year} has no grades yet"),
        ));
    }
    Ok(rows
        .into_iter()
        .map(|r| disclosure_row::Model {
            id: 0,
            year,
            version: 0,
            uscc: r.uscc,
            name: r.name,
            county: r.county,
            industry: r.industry,
            scale: r.scale,
            status: r.status,
            class: r.class,
            score: r.score.filter(|_| show_scores),
            since: 0,
        })
        .collect())
}

/// Rows whose status or class differ (new and vanished rows included).
fn changed<'a>(
    before: &'a HashMap<String, disclosure_row::Model>,
    now: &'a [disclosure_row::Model],
) -> Vec<(
    Option<&'a disclosure_row::Model>,
    Option<&'a disclosure_row::Model>,
)> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for r in now {
        seen.insert(r.uscc.as_str());
        let b = before.get(&r.uscc);
        if b.is_none_or(|b| (&b.status, &b.class) != (&r.status, &r.class)) {
            out.push((b, Some(r)));
        }
    }
    let mut gone: Vec<&disclosure_row::Model> = before
        .values()
        .filter(|b| !seen.contains(b.uscc.as_str()))
        .collect();
    gone.sort_by(|a, b| a.uscc.cmp(&b.uscc));
    out.extend(gone.into_iter().map(|b| (Some(b), None)));
    out
}

/// Writes the next version of `year`: every row as the grades stand, and
/// the changes against the version before. The caller holds the year.
async fn publish_version(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    kind: &str,
    (note, note_en): (&str, Option<&str>),
    show_scores: bool,
    now: DateTime<Utc>,
) -> Result<i32> {
    let prev = latest_version(txn, year).await?;
    let version = prev.as_ref().map_or(1, |p| p.version + 1);
    let before = match &prev {
        Some(p) => published_rows(txn, year, p.version).await?,
        None => HashMap::new(),
    };
    let mut now_rows = current_rows(txn, year, show_scores).await?;
    let moved = if prev.is_some() {
        changed(&before, &now_rows)
    } else {
        vec![]
    };
    if kind == "correction" && moved.is_empty() {
        return Err(ServiceError::invalid(
            "与最新公布的版本相比，没有企业的等次或状态变化，无需发布更正",
            "No enterprise's class or status differs from the latest published version: there is nothing to correct",
        ));
    }
    // Whose own figures changed since the version before (the rest moved
    // because their cohort was re-ranked).
    let edited: HashSet<String> = match &prev {
        Some(p) => audit_log::Entity::find()
            .select_only()
            .column(audit_log::Column::Uscc)
            .filter(audit_log::Column::Year.eq(year))
            .filter(audit_log::Column::At.gt(p.published_at))
            .into_tuple::<Option<String>>()
            .all(txn)
            .await?
            .into_iter()
            .flatten()
            .collect(),
        None => HashSet::new(),
    };
    let changes: Vec<disclosure_change::ActiveModel> = moved
        .iter()
        .map(|(b, a)| {
            let any = a.or(*b).expect("a side");
            disclosure_change::ActiveModel {
                year: Set(year),
                version: Set(version),
                uscc: Set(any.uscc.clone()),
                name: Set(any.name.clone()),
                county: Set(any.county.clone()),
                before_status: Set(b.map(|r| r.status.clone())),
                before_class: Set(b.and_then(|r| r.class.clone())),
                after_status: Set(a.map(|r| r.status.clone())),
                after_class: Set(a.and_then(|r| r.class.clone())),
                cause: Set(if edited.contains(&any.uscc) {
                    "data".into()
                } else {
                    "rerank".into()
                }),
                ..Default::default()
            }
        })
        .collect();
    let n_changes = changes.len();
    for r in &mut now_rows {
        let same = before.get(&r.uscc).filter(|b| {
            (
                &b.name,
                &b.county,
                &b.industry,
                &b.scale,
                &b.status,
                &b.class,
                b.score,
            ) == (
                &r.name,
                &r.county,
                &r.industry,
                &r.scale,
                &r.status,
                &r.class,
                r.score,
            )
        });
        r.version = version;
        r.since = same.map_or(version, |b| b.since);
    }
    let n_rows = now_rows.len();
    let models: Vec<disclosure_row::ActiveModel> = now_rows
        .into_iter()
        .map(|r| disclosure_row::ActiveModel {
            year: Set(r.year),
            version: Set(r.version),
            uscc: Set(r.uscc),
            name: Set(r.name),
            county: Set(r.county),
            industry: Set(r.industry),
            scale: Set(r.scale),
            status: Set(r.status),
            class: Set(r.class),
            score: Set(r.score),
            since: Set(r.since),
            ..Default::default()
        })
        .collect();
    for chunk in crate::store::batches(models) {
        disclosure_row::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    for chunk in crate::store::batches(changes) {
        disclosure_change::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    // What the entitlement lists of this version will need (分类施策).
    crate::measures::lists::freeze_facts(txn, year, version).await?;
    disclosure_version::ActiveModel {
        year: Set(year),
        version: Set(version),
        kind: Set(kind.into()),
        note: Set(note.into()),
        note_en: Set(note_en.map(str::to_string)),
        published_at: Set(now),
        published_by: Set(actor.name().into()),
        rows: Set(n_rows as i32),
        changes: Set(n_changes as i32),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    crate::measures::ledger::sync(txn, actor, year, version, now).await?;
    audit_log::ActiveModel {
        at: Set(now),
        user_id: Set(actor.user_id()),
        username: Set(actor.name().into()),
        action: Set(format!("disclosure_{kind}")),
        uscc: Set(None),
        year: Set(Some(year)),
        field: Set(None),
        old_value: Set(None),
        new_value: Set(Some(format!(
            "第 {version} 版：{n_rows} 家企业，{n_changes} 项等次变化；{note}"
        ))),
        department: Set(None),
        source: Set("disclosure".into()),
        version: Set(Some(version)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(version)
}
