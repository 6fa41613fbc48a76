//! Writing targets: a lead unit reports a month's actual (or imports a
//! sheet of them), the administrator edits a target or opens a document's
//! dashboard to the public. Every change is audited (who, when, old, new,
//! source); a report replaces the month's earlier one, and the replaced
//! figures stay in the audit.

use super::read::{list, rule_of};
use super::status::Kind;
use super::Month;
use crate::actor::Actor;
use crate::dataio::RowError;
use crate::{authz, Result, ServiceError, Services};
use chrono::Utc;
use entity::{target, target_actual, target_audit, target_doc};
use grading::Words;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::BTreeMap;

/// A month's actual as typed (a form, or a sheet's row).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub target: String,
    pub month: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub versus: String,
    /// `done`, `on_track`, `delayed` (or 已完成, 推进中, 延误).
    #[serde(default)]
    pub milestone: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub note: String,
}

/// The sheet's columns: (key, Chinese header, English name).
pub const COLUMNS: [(&str, &str, &str); 7] = [
    ("target", "目标编号", "target id"),
    ("month", "月份", "month"),
    ("value", "实际值", "actual"),
    ("versus", "比较值", "compared figure"),
    ("milestone", "节点状态", "milestone state"),
    ("evidence", "佐证", "evidence"),
    ("note", "备注", "note"),
];

/// A column's Chinese header and English name.
fn column_words(key: &str) -> (&str, &str) {
    COLUMNS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or((key, key), |(_, z, e)| (*z, *e))
}

fn number(
    text: &str,
    column: &'static str,
) -> std::result::Result<Option<f64>, (&'static str, Words)> {
    let t = text.trim().replace([',', '，'], "");
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && t.len() <= 24 => Ok(Some(v)),
        _ => {
            let text = text.trim();
            Err((
                column,
                Words::new(
                    format!("应为数字，而不是“{text}”"),
                    format!("should be a number, not “{text}”"),
                ),
            ))
        }
    }
}

fn milestone(text: &str) -> Option<&'static str> {
    match text.trim() {
        "done" | "已完成" => Some("done"),
        "on_track" | "推进中" | "正常" => Some("on_track"),
        "delayed" | "延误" | "滞后" => Some("delayed"),
        _ => None,
    }
}

/// A checked report: (value, versus, milestone), or the column at fault
/// and why.
type Checked = (Option<f64>, Option<f64>, Option<String>);

fn check(
    t: &target::Model,
    r: &Report,
) -> std::result::Result<(Month, Checked), (&'static str, Words)> {
    let rule = rule_of(t);
    let typed = r.month.trim();
    let month = Month::parse(&r.month).ok_or_else(|| {
        (
            "month",
            Words::new(
                format!("应为“年-月”（如 2021-03），而不是“{typed}”"),
                format!("should be year-month (like 2021-03), not “{typed}”"),
            ),
        )
    })?;
    if month < rule.start || month > rule.deadline {
        let (from, to) = (rule.start, rule.deadline);
        return Err((
            "month",
            Words::new(
                format!("应在目标期内（{from} 至 {to}）"),
                format!("should fall within the target's period ({from} to {to})"),
            ),
        ));
    }
    let value = number(&r.value, "value")?;
    let versus = number(&r.versus, "versus")?;
    let need = |v: Option<f64>, c: &'static str, (what, what_en): (&str, &str)| {
        v.map(Some).ok_or_else(|| {
            (
                c,
                Words::new(
                    format!("请填写{what}"),
                    format!("please fill in the {what_en}"),
                ),
            )
        })
    };
    Ok((
        month,
        match rule.kind {
            Kind::Milestone => {
                let m = milestone(&r.milestone).ok_or_else(|| {
                    (
                        "milestone",
                        Words::new(
                            "应为 已完成、推进中 或 延误",
                            "should be done, on_track or delayed (已完成, 推进中, 延误)",
                        ),
                    )
                })?;
                if r.evidence.trim().is_empty() {
                    return Err((
                        "evidence",
                        Words::new(
                            "节点目标须填写佐证说明",
                            "a milestone target needs its evidence",
                        ),
                    ));
                }
                (value, None, Some(m.to_string()))
            }
            Kind::Relative => (
                need(value, "value", ("实际值", "actual"))?,
                need(
                    versus,
                    "versus",
                    (
                        format!("比较值（{}）", t.versus.clone().unwrap_or_default()).as_str(),
                        "compared figure",
                    ),
                )?,
                None,
            ),
            Kind::Rank => {
                let v = need(value, "value", ("名次", "rank"))?;
                if v.is_some_and(|x| x < 1.0 || x.fract() != 0.0) {
                    return Err((
                        "value",
                        Words::new("名次应为正整数", "a rank is a whole number from 1"),
                    ));
                }
                (v, None, None)
            }
            Kind::Zero => {
                let v = need(
                    value,
                    "value",
                    (
                        "发生起数（自期初累计）",
                        "number of cases (since the start)",
                    ),
                )?;
                if v.is_some_and(|x| x < 0.0 || x.fract() != 0.0) {
                    return Err((
                        "value",
                        Words::new(
                            "起数应为非负整数",
                            "a number of cases is a whole number from 0",
                        ),
                    ));
                }
                (v, None, None)
            }
            Kind::Cumulative | Kind::Level => {
                (need(value, "value", ("实际值", "actual"))?, None, None)
            }
        },
    ))
}

fn fmt(v: Option<f64>) -> Option<String> {
    v.map(super::fmt_num)
}

async fn audit(
    db: &impl ConnectionTrait,
    target: &str,
    actor: &Actor,
    field: String,
    old: Option<String>,
    new: Option<String>,
    source: &str,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    target_audit::ActiveModel {
        target_id: Set(target.into()),
        at: Set(Utc::now()),
        by: Set(actor.name().into()),
        field: Set(field),
        old_value: Set(old),
        new_value: Set(new),
        source: Set(source.into()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Writes one checked report (upsert of the month), audited.
async fn put(
    db: &impl ConnectionTrait,
    actor: &Actor,
    t: &target::Model,
    month: Month,
    c: Checked,
    r: &Report,
    source: &str,
) -> Result<bool> {
    let (value, versus, ms) = c;
    let m = month.to_string();
    let old = target_actual::Entity::find()
        .filter(target_actual::Column::TargetId.eq(t.id.clone()))
        .filter(target_actual::Column::Month.eq(m.clone()))
        .one(db)
        .await?;
    let field = |f: &str| format!("actual:{m}:{f}");
    let (ov, ovs, oms) = old.as_ref().map_or((None, None, None), |o| {
        (o.value, o.versus, o.milestone.clone())
    });
    let changed = old.is_none() || ov != value || ovs != versus || oms != ms;
    audit(
        db,
        &t.id,
        actor,
        field("value"),
        fmt(ov),
        fmt(value),
        source,
    )
    .await?;
    audit(
        db,
        &t.id,
        actor,
        field("versus"),
        fmt(ovs),
        fmt(versus),
        source,
    )
    .await?;
    audit(
        db,
        &t.id,
        actor,
        field("milestone"),
        oms,
        ms.clone(),
        source,
    )
    .await?;
    let now = Utc::now();
    match old {
        Some(o) => {
            let mut am: target_actual::ActiveModel = o.into();
            am.value = Set(value);
            am.versus = Set(versus);
            am.milestone = Set(ms);
            am.evidence = Set(r.evidence.trim().into());
            am.note = Set(r.note.trim().into());
            am.source = Set(source.into());
            am.entered_by = Set(actor.name().into());
            am.entered_at = Set(now);
            am.update(db).await?;
        }
        None => {
            target_actual::ActiveModel {
                target_id: Set(t.id.clone()),
                month: Set(m),
                value: Set(value),
                versus: Set(versus),
                milestone: Set(ms),
                evidence: Set(r.evidence.trim().into()),
                source: Set(source.into()),
                note: Set(r.note.trim().into()),
                entered_by: Set(actor.name().into()),
                entered_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(changed)
}

async fn target_for(db: &impl ConnectionTrait, actor: &Actor, id: &str) -> Result<target::Model> {
    let t = target::Entity::find_by_id(id.trim().to_string())
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !authz::may_report(actor, &list(&t.lead), &t.scope) {
        return Err(ServiceError::Forbidden);
    }
    if super::catalogue::shipped(&t.id).is_some_and(|s| s.computed.is_some()) {
        return Err(ServiceError::invalid(
            "该目标由平台根据已评价年度的数据计算，不接受填报",
            "The platform computes this target from the graded years; it takes no reports",
        ));
    }
    Ok(t)
}

/// Reports one month's actual of a target (a form).
pub async fn report(svc: &Services, actor: &Actor, r: &Report) -> Result<()> {
    if actor == &Actor::Public {
        return Err(ServiceError::Unauthorized);
    }
    let t = target_for(&svc.db, actor, &r.target).await?;
    let (month, c) = check(&t, r).map_err(|(col, why)| {
        let (zh, en) = column_words(col);
        ServiceError::invalid(format!("{zh}：{}", why.zh), format!("{en}: {}", why.en))
    })?;
    let txn = crate::writes::begin(&svc.db).await?;
    put(&txn, actor, &t, month, c, r, "web").await?;
    txn.commit().await?;
    Ok(())
}

pub use super::Imported;

/// Imports a sheet of actuals (CSV or .xlsx; the columns of [`COLUMNS`],
/// by key or Chinese header): every error by row and column, and nothing
/// written unless every row is good and the reader's to report.
pub async fn import(svc: &Services, actor: &Actor, name: &str, bytes: &[u8]) -> Result<Imported> {
    if actor == &Actor::Public {
        return Err(ServiceError::Unauthorized);
    }
    let table = crate::dataio::read_bytes(bytes, crate::dataio::is_xlsx_name(name))?;
    let mut col = BTreeMap::new();
    for (i, h) in table.headers.iter().enumerate() {
        let h = h.trim();
        if let Some((k, _, _)) = COLUMNS.iter().find(|(k, z, _)| *k == h || *z == h) {
            col.insert(*k, i);
        } else if !h.is_empty() {
            let zh: Vec<&str> = COLUMNS.iter().map(|(_, z, _)| *z).collect();
            let keys: Vec<&str> = COLUMNS.iter().map(|(k, _, _)| *k).collect();
            return Err(ServiceError::invalid(
                format!("第 1 行：未知列“{h}”（可用：{}）", zh.join("、")),
                format!("Row 1: unknown column “{h}” (known: {})", keys.join(", ")),
            ));
        }
    }
    for k in ["target", "month"] {
        if !col.contains_key(k) {
            let (z, e) = column_words(k);
            return Err(ServiceError::invalid(
                format!("第 1 行：缺少列“{z}”"),
                format!("Row 1: the column “{z}” ({e}) is missing"),
            ));
        }
    }
    let cell = |cells: &[String], k: &str| {
        col.get(k)
            .and_then(|i| cells.get(*i))
            .map(|s| crate::dataio::unguard(s).trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let mut good = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let txn = crate::writes::begin(&svc.db).await?;
    for (row, cells) in &table.rows {
        let r = Report {
            target: cell(cells, "target"),
            month: cell(cells, "month"),
            value: cell(cells, "value"),
            versus: cell(cells, "versus"),
            milestone: cell(cells, "milestone"),
            evidence: cell(cells, "evidence"),
            note: cell(cells, "note"),
        };
        if r.target.is_empty() && r.month.is_empty() && r.value.is_empty() {
            continue;
        }
        let zh = |c: &str| column_words(c).0.to_string();
        let t = match target_for(&txn, actor, &r.target).await {
            Ok(t) => t,
            Err(ServiceError::NotFound) => {
                errors.push(RowError {
                    row: *row,
                    column: zh("target"),
                    reason: Words::new(
                        format!("没有编号为“{}”的目标", r.target),
                        format!("There is no target “{}”", r.target),
                    ),
                });
                continue;
            }
            Err(ServiceError::Forbidden) => {
                errors.push(RowError {
                    row: *row,
                    column: zh("target"),
                    reason: Words::new("不是本单位牵头的目标", "Not a target this unit leads"),
                });
                continue;
            }
            Err(ServiceError::Invalid(why)) => {
                errors.push(RowError {
                    row: *row,
                    column: zh("target"),
                    reason: why,
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        match check(&t, &r) {
            Ok((month, c)) => {
                if !seen.insert((t.id.clone(), month)) {
                    errors.push(RowError {
                        row: *row,
                        column: zh("month"),
                        reason: Words::new(
                            "同一目标同一月份出现两次",
                            "The same target and month appear twice",
                        ),
                    });
                    continue;
                }
                good.push((t, month, c, r));
            }
            Err((c, why)) => errors.push(RowError {
                row: *row,
                column: zh(c),
                reason: why,
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(crate::dataio::report(
            &errors,
            (
                "未导入任何数据，请更正后重新上传。",
                "Nothing was imported; correct the file and upload it again.",
            ),
        )));
    }
    let source = format!("upload:{}", name.chars().take(80).collect::<String>());
    let mut changed = 0;
    for (t, month, c, r) in &good {
        if put(&txn, actor, t, *month, c.clone(), r, &source).await? {
            changed += 1;
        }
    }
    txn.commit().await?;
    Ok(Imported {
        rows: good.len(),
        changed,
    })
}

/// The fields of a target the administrator may edit, and their values.
pub const EDITABLE: &[&str] = &[
    "indicator",
    "value",
    "unit",
    "words",
    "deadline",
    "lead",
    "support",
    "aspirational",
];

/// Edits a target (the city administrator), audited field by field.
pub async fn edit(
    svc: &Services,
    actor: &Actor,
    id: &str,
    fields: &BTreeMap<String, String>,
) -> Result<()> {
    authz::city_admin(actor)?;
    let txn = crate::writes::begin(&svc.db).await?;
    let t = target::Entity::find_by_id(id.to_string())
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut am: target::ActiveModel = t.clone().into();
    let units = |s: &str| -> Vec<String> {
        s.split(['、', ',', '，'])
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    };
    for (k, v) in fields {
        let v = v.trim();
        let (old, new) = match k.as_str() {
            "indicator" if !v.is_empty() => {
                am.indicator = Set(v.into());
                (Some(t.indicator.clone()), Some(v.to_string()))
            }
            "value" => {
                let n = number(v, "value").map_err(|(_, why)| {
                    ServiceError::invalid(
                        format!("目标值：{}", why.zh),
                        format!("Target value: {}", why.en),
                    )
                })?;
                am.value = Set(n);
                (fmt(t.value), fmt(n))
            }
            "unit" => {
                am.unit = Set(v.into());
                (Some(t.unit.clone()), Some(v.to_string()))
            }
            "words" => {
                let w = (!v.is_empty()).then(|| v.to_string());
                am.words = Set(w.clone());
                (t.words.clone(), w)
            }
            "deadline" => {
                let d = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                    ServiceError::invalid(
                        format!("截止日期应为“年-月-日”，而不是“{v}”"),
                        format!("The deadline should be year-month-day, not “{v}”"),
                    )
                })?;
                if d < t.start {
                    return Err(ServiceError::invalid(
                        "截止日期不能早于期初",
                        "The deadline cannot be before the start",
                    ));
                }
                am.deadline = Set(d);
                (Some(t.deadline.to_string()), Some(d.to_string()))
            }
            "lead" => {
                let l = units(v);
                if l.is_empty() {
                    return Err(ServiceError::invalid(
                        "请填写牵头单位",
                        "Please name the lead unit",
                    ));
                }
                am.lead = Set(super::catalogue::json_list(&l));
                (Some(list(&t.lead).join("、")), Some(l.join("、")))
            }
            "support" => {
                let l = units(v);
                am.support = Set(super::catalogue::json_list(&l));
                (Some(list(&t.support).join("、")), Some(l.join("、")))
            }
            "aspirational" => {
                let b = matches!(v, "true" | "on" | "是" | "1");
                am.aspirational = Set(b);
                (Some(t.aspirational.to_string()), Some(b.to_string()))
            }
            _ => {
                return Err(ServiceError::invalid(
                    format!("不能修改的字段“{k}”"),
                    format!("“{k}” cannot be edited"),
                ))
            }
        };
        audit(&txn, &t.id, actor, k.clone(), old, new, "web").await?;
    }
    am.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Opens (or closes) a document's dashboard to the public.
pub async fn set_public(svc: &Services, actor: &Actor, doc: &str, public: bool) -> Result<()> {
    authz::city_admin(actor)?;
    let txn = crate::writes::begin(&svc.db).await?;
    let d = target_doc::Entity::find_by_id(doc.to_string())
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let old = d.public;
    let mut am: target_doc::ActiveModel = d.into();
    am.public = Set(public);
    am.update(&txn).await?;
    audit(
        &txn,
        &format!("doc:{doc}"),
        actor,
        "public".into(),
        Some(old.to_string()),
        Some(public.to_string()),
        "web",
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Writes reports as the console or the seed does (no per-row checks of
/// the reader: the caller is the system).
pub async fn report_all(
    db: &impl ConnectionTrait,
    actor: &Actor,
    reports: &[Report],
    source: &str,
) -> Result<usize> {
    let mut n = 0;
    for r in reports {
        let t = target::Entity::find_by_id(r.target.clone())
            .one(db)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let (month, c) = check(&t, r)
            .map_err(|(c, why)| ServiceError::internal(format!("{} {c}: {why}", r.target)))?;
        put(db, actor, &t, month, c, r, source).await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    /// Every field an edit may change reads as words in its history.
    #[test]
    fn editable_fields_read_as_words() {
        for k in super::EDITABLE {
            assert!(
                !super::super::field_words(k).0.is_ascii(),
                "{k} has no words"
            );
        }
    }
}
