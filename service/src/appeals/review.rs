//! The reviewers' side: the county registers an appeal as under review;
//! each item's reviewer accepts it (possibly at an adjusted value) or
//! rejects it with a written reason. An accepted item is written through
//! the one write path (its audit entries name the appeal) and regraded;
//! when the last item is decided the appeal closes and, if the year is
//! published and a class or status moved, a correction version is
//! published. The enterprise gets a notice of every step.

use super::file::{add_event, add_notice};
use super::read::load;
use super::{AppealStatus, ItemStatus};
use crate::actor::Actor;
use crate::disclosure::publish;
use crate::records::{save_from, Origin};
use crate::{authz, store, Result, ServiceError, Services};
use chrono::Utc;
use entity::{appeal, appeal_item, disclosure};
use grading::record::column_by_key;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::collections::BTreeMap;

/// 待受理 → 核实中, by the county (or the administrator).
pub async fn take(svc: &Services, actor: &Actor, id: i32) -> Result<()> {
    let txn = crate::writes::begin(&svc.db).await?;
    let (a, _) = load(&txn, actor, id).await?;
    if !authz::county_officer(actor, &a.county) {
        return Err(ServiceError::Forbidden);
    }
    if AppealStatus::stored(&a.status) != AppealStatus::Filed {
        return Err(ServiceError::invalid(
            "该申诉已受理或已办结",
            "This appeal was already accepted or closed",
        ));
    }
    let (uscc, receipt) = (store::stored_uscc(&a.uscc)?, a.receipt.clone());
    let mut am: appeal::ActiveModel = a.into();
    am.status = Set(AppealStatus::Reviewing.code().into());
    am.update(&txn).await?;
    add_event(
        &txn,
        id,
        actor,
        "taken",
        (
            "受理，转各数据提供部门核实".into(),
            "Registered; sent to the providing departments for review".into(),
        ),
    )
    .await?;
    add_notice(
        &txn,
        &uscc,
        Some(id),
        (
            format!("申诉 {receipt} 已受理，正在核实。"),
            format!("Appeal {receipt} registered and under review."),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A reviewer's decision on one item.
#[derive(Clone, Debug)]
pub struct Decision {
    pub item: i32,
    pub accept: bool,
    /// The value to write when accepting (empty: as claimed).
    pub value: String,
    /// Required when rejecting; recorded either way.
    pub reason: String,
}

/// Decides one item; closes the appeal when it was the last.
pub async fn decide(svc: &Services, actor: &Actor, d: Decision) -> Result<()> {
    let item = appeal_item::Entity::find_by_id(d.item)
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (a, _) = load(&svc.db, actor, item.appeal_id).await?;
    if !authz::may_decide_item(actor, &a.county, &item.reviewer) {
        return Err(ServiceError::Forbidden);
    }
    if !AppealStatus::stored(&a.status).is_open()
        || ItemStatus::parse(&item.status) != ItemStatus::Pending
    {
        return Err(ServiceError::invalid(
            "该项已处理，或申诉已办结",
            "This item was already decided, or the appeal is closed",
        ));
    }
    let uscc = store::stored_uscc(&a.uscc)?;
    let col = column_by_key(&item.field).ok_or_else(|| ServiceError::internal("unknown field"))?;
    let reason = d.reason.trim().to_string();
    if !d.accept && reason.is_empty() {
        return Err(ServiceError::invalid(
            format!("{}：不予更正须写明理由", col.zh),
            format!("{}: a refusal needs its reason", col.en),
        ));
    }
    let value = if d.value.trim().is_empty() {
        item.claimed_value.clone()
    } else {
        d.value.trim().to_string()
    };
    if d.accept {
        // The correction itself: the one write path, validated, audited
        // with the appeal as its source, regraded and pushed.
        let fields = BTreeMap::from([(item.field.clone(), value.clone())]);
        save_from(
            svc,
            actor,
            &Origin::Appeal(a.id as i64),
            &uscc,
            a.year,
            None,
            &fields,
        )
        .await?;
    }
    let txn = crate::writes::begin(&svc.db).await?;
    let mut im: appeal_item::ActiveModel = item.into();
    im.status = Set(if d.accept {
        ItemStatus::Accepted
    } else {
        ItemStatus::Rejected
    }
    .code()
    .into());
    im.decided_value = Set(d.accept.then(|| value.clone()));
    im.reason = Set((!reason.is_empty()).then(|| reason.clone()));
    im.decided_by = Set(Some(actor.name().into()));
    im.decided_at = Set(Some(Utc::now()));
    im.update(&txn).await?;
    let (note, note_en) = if d.accept {
        let (why, why_en) = if reason.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("（{reason}）"), format!(" ({reason})"))
        };
        (
            format!("{}：予以更正为 {value}{why}", col.zh),
            format!("{}: corrected to {value}{why_en}", col.en),
        )
    } else {
        (
            format!("{}：不予更正（{reason}）", col.zh),
            format!("{}: not corrected ({reason})", col.en),
        )
    };
    add_event(
        &txn,
        a.id,
        actor,
        if d.accept {
            "item_accepted"
        } else {
            "item_rejected"
        },
        (note.clone(), note_en.clone()),
    )
    .await?;
    add_notice(
        &txn,
        &uscc,
        Some(a.id),
        (
            format!("申诉 {} 的核实结果：{note}", a.receipt),
            format!("Review of appeal {}: {note_en}", a.receipt),
        ),
    )
    .await?;
    if AppealStatus::stored(&a.status) == AppealStatus::Filed {
        let mut am: appeal::ActiveModel = a.clone().into();
        am.status = Set(AppealStatus::Reviewing.code().into());
        am.update(&txn).await?;
    }
    txn.commit().await?;
    close_if_decided(svc, actor, a.id).await
}

/// Closes the appeal once every item is decided: its status from the
/// decisions, the class it ends with, and a correction version when the
/// year is published and something public moved.
async fn close_if_decided(svc: &Services, actor: &Actor, id: i32) -> Result<()> {
    let (a, items) = load(&svc.db, actor, id).await?;
    let state = |i: &appeal_item::Model| ItemStatus::parse(&i.status);
    if items.iter().any(|i| state(i) == ItemStatus::Pending)
        || !AppealStatus::stored(&a.status).is_open()
    {
        return Ok(());
    }
    let accepted = items
        .iter()
        .filter(|i| state(i) == ItemStatus::Accepted)
        .count();
    let status = match accepted {
        0 => AppealStatus::Rejected,
        n if n == items.len() => AppealStatus::Corrected,
        _ => AppealStatus::Partly,
    };
    let class_after = svc
        .live
        .result_of(&svc.db, a.year, &a.uscc)
        .await?
        .and_then(|r| r.class)
        .map(|c| c.code().to_string());
    let published = disclosure::Entity::find_by_id(a.year)
        .one(&svc.db)
        .await?
        .is_some();
    let mut version = None;
    if accepted > 0 && published && publish::pending_changes(&svc.db, a.year).await? > 0 {
        let fields: Vec<&grading::record::Column> = items
            .iter()
            .filter(|i| state(i) == ItemStatus::Accepted)
            .filter_map(|i| column_by_key(&i.field))
            .collect();
        let named = |zh: bool| {
            let names: Vec<&str> = fields.iter().map(|c| c.label(zh)).collect();
            names.join(if zh { "、" } else { ", " })
        };
        let note = format!(
            "企业申诉（回执号 {}）经核实，更正{}并重新评价；同组企业的等次随之调整。",
            a.receipt,
            named(true)
        );
        let note_en = format!(
            "Appeal {} upheld: {} corrected and the year regraded; classes in the same cohort moved with it.",
            a.receipt,
            named(false)
        );
        version = Some(publish::correct_as(svc, actor, a.year, (&note, Some(&note_en))).await?);
    }
    let label = |c: &Option<String>| c.clone().unwrap_or_else(|| "—".into());
    let (outcome, outcome_en) = match status {
        AppealStatus::Rejected => (
            "经核实，不予更正".to_string(),
            "Reviewed: not corrected".to_string(),
        ),
        _ => (
            format!(
                "经核实，{}；分类 {} → {}{}",
                if status == AppealStatus::Corrected {
                    "全部予以更正"
                } else {
                    "部分予以更正"
                },
                label(&a.class_before),
                label(&class_after),
                version.map_or(String::new(), |v| format!("；已发布更正公告（第 {v} 版）"))
            ),
            format!(
                "Reviewed: {}; class {} → {}{}",
                if status == AppealStatus::Corrected {
                    "all corrected"
                } else {
                    "partly corrected"
                },
                label(&a.class_before),
                label(&class_after),
                version.map_or(String::new(), |v| format!(
                    "; correction notice published (version {v})"
                ))
            ),
        ),
    };
    let txn = crate::writes::begin(&svc.db).await?;
    let (uscc, receipt) = (store::stored_uscc(&a.uscc)?, a.receipt.clone());
    let mut am: appeal::ActiveModel = a.into();
    am.status = Set(status.code().into());
    am.closed_at = Set(Some(Utc::now()));
    am.outcome = Set(Some(outcome.clone()));
    am.outcome_en = Set(Some(outcome_en.clone()));
    am.class_after = Set(class_after);
    am.correction_version = Set(version);
    am.update(&txn).await?;
    add_event(
        &txn,
        id,
        actor,
        "closed",
        (outcome.clone(), outcome_en.clone()),
    )
    .await?;
    add_notice(
        &txn,
        &uscc,
        Some(id),
        (
            format!("申诉 {receipt} 已办结：{outcome}"),
            format!("Appeal {receipt} closed: {outcome_en}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
