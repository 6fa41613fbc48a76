//! Reading targets: the dashboard (cards by document and goal group, with
//! filters), one target's monthly series against the expected line, the
//! per-county 赛马 tables, the monthly bulletin (and its .xlsx), and the
//! open API's list. Statuses are computed here from the stored actuals by
//! [`super::status`]; nothing of them is stored.

use super::status::{self, Comparator, Kind, Reading, Rule, Status};
use super::{
    Actual, Bulletin, Dashboard, DocView, Filter, HistoryEntry, Month, Race, RaceRow, SeriesPoint,
    TargetDetail, TargetSpec, TargetView,
};
use crate::actor::Actor;
use crate::{authz, Result, ServiceError, Services};
use entity::{target, target_actual, target_audit, target_doc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

use crate::clock::minute as local;

pub(crate) fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(crate) fn rule_of(t: &target::Model) -> Rule {
    Rule {
        kind: Kind::parse(&t.kind).unwrap_or(Kind::Level),
        comparator: Comparator::parse(&t.comparator).unwrap_or(Comparator::Ge),
        value: t.value,
        start: Month::of(t.start),
        deadline: Month::of(t.deadline),
    }
}

fn actual_of(a: &target_actual::Model) -> Actual {
    Actual {
        month: a.month.clone(),
        value: a.value,
        versus: a.versus,
        milestone: a.milestone.clone(),
        evidence: a.evidence.clone(),
        source: a.source.clone(),
        note: a.note.clone(),
        by: a.entered_by.clone(),
        at: local(a.entered_at),
    }
}

/// The latest actual in or before `month`.
fn latest(actuals: &[target_actual::Model], month: Month) -> Option<&target_actual::Model> {
    actuals
        .iter()
        .filter(|a| Month::parse(&a.month).is_some_and(|m| m <= month))
        .max_by(|a, b| a.month.cmp(&b.month))
}

pub(crate) fn status_in(
    t: &target::Model,
    actuals: &[target_actual::Model],
    month: Month,
) -> Status {
    let r = latest(actuals, month).map(|a| Reading {
        value: a.value,
        versus: a.versus,
        milestone: a.milestone.as_deref(),
    });
    status::evaluate(&rule_of(t), month, r.as_ref())
}

fn view(
    actor: &Actor,
    t: &target::Model,
    doc_number: &str,
    actuals: &[target_actual::Model],
    month: Month,
) -> TargetView {
    let rule = rule_of(t);
    let lead = list(&t.lead);
    let shipped = super::catalogue::shipped(&t.id);
    TargetView {
        spec: TargetSpec {
            id: t.id.clone(),
            doc: t.doc_id.clone(),
            section: t.section.clone(),
            group: t.group_name.clone(),
            action: t.action.clone(),
            indicator: t.indicator.clone(),
            kind: rule.kind,
            comparator: rule.comparator,
            value: t.value,
            unit: t.unit.clone(),
            words: t.words.clone(),
            versus: t.versus.clone(),
            start: t.start,
            deadline: t.deadline,
            lead: lead.clone(),
            support: list(&t.support),
            lead_note: t.lead_note.clone(),
            scope: t.scope.clone(),
            aspirational: t.aspirational,
            quote: t.quote.clone(),
            also: shipped.map(|s| s.also.clone()).unwrap_or_default(),
            computed: shipped.and_then(|s| s.computed),
        },
        doc_number: doc_number.to_string(),
        mine: authz::may_report(actor, &lead, &t.scope),
        latest: latest(actuals, month).map(actual_of),
        recent: {
            let mut m = rule.start;
            let mut out = Vec::new();
            while m <= month && m <= rule.deadline {
                let key = m.to_string();
                out.push(
                    actuals
                        .iter()
                        .find(|a| a.month == key)
                        .and_then(|a| a.value),
                );
                m = m.next();
            }
            let skip = out.len().saturating_sub(12);
            out.split_off(skip)
        },
        expected: status::expected(&rule, month),
        status: status_in(t, actuals, month),
    }
}

/// What the actor may read: the documents (by id) and their targets, with
/// each target's actuals sorted by month.
struct Loaded {
    docs: Vec<target_doc::Model>,
    targets: Vec<target::Model>,
    actuals: HashMap<String, Vec<target_actual::Model>>,
}

async fn load(svc: &Services, actor: &Actor, doc: Option<&str>) -> Result<Loaded> {
    let docs: Vec<target_doc::Model> = target_doc::Entity::find()
        .order_by_desc(target_doc::Column::Date)
        .all(&svc.db)
        .await?
        .into_iter()
        .filter(|d| authz::may_read_targets(actor, d.public))
        .collect();
    if docs.is_empty() {
        return Err(match actor {
            Actor::Public => ServiceError::Unauthorized,
            _ => ServiceError::Forbidden,
        });
    }
    let ids: Vec<String> = docs
        .iter()
        .filter(|d| doc.is_none_or(|x| x == d.id))
        .map(|d| d.id.clone())
        .collect();
    if doc.is_some() && ids.is_empty() {
        return Err(ServiceError::NotFound);
    }
    let targets = target::Entity::find()
        .filter(target::Column::DocId.is_in(ids))
        .order_by_asc(target::Column::Position)
        .all(&svc.db)
        .await?;
    let tids: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
    let mut actuals: HashMap<String, Vec<target_actual::Model>> = HashMap::new();
    for chunk in tids.chunks(500) {
        for a in target_actual::Entity::find()
            .filter(target_actual::Column::TargetId.is_in(chunk.to_vec()))
            .order_by_asc(target_actual::Column::Month)
            .all(&svc.db)
            .await?
        {
            actuals.entry(a.target_id.clone()).or_default().push(a);
        }
    }
    // What the platform measures replaces whatever the table may hold.
    for t in &targets {
        if let Some(c) = super::catalogue::shipped(&t.id).and_then(|s| s.computed) {
            actuals.insert(t.id.clone(), super::measured::actuals(svc, &t.id, c).await?);
        }
    }
    Ok(Loaded {
        docs,
        targets,
        actuals,
    })
}

/// The month statuses are computed for: the one asked, else the latest
/// month with any actual, else this month.
fn month_of(asked: Option<&str>, l: &Loaded) -> Result<Month> {
    if let Some(m) = asked.filter(|m| !m.trim().is_empty()) {
        return Month::parse(m).ok_or_else(|| {
            ServiceError::invalid(
                format!("月份应为“年-月”，而不是“{m}”"),
                format!("The month should be year-month, not “{m}”"),
            )
        });
    }
    Ok(l.actuals
        .values()
        .flatten()
        .filter_map(|a| Month::parse(&a.month))
        .max()
        .unwrap_or_else(|| Month::of(crate::disclosure::publish::today())))
}

fn counts(views: &[&TargetView]) -> Vec<u32> {
    Status::ALL
        .iter()
        .map(|s| views.iter().filter(|v| v.status == *s).count() as u32)
        .collect()
}

fn races(l: &Loaded, month: Month) -> Vec<Race> {
    let mut by: BTreeMap<(String, String), Vec<&target::Model>> = BTreeMap::new();
    for t in l.targets.iter().filter(|t| t.scope != "city") {
        let key =
            t.id.rsplit_once('.')
                .map_or(t.id.clone(), |(k, _)| k.to_string());
        by.entry((t.doc_id.clone(), key)).or_default().push(t);
    }
    let mut out: Vec<(i32, Race)> = by
        .into_iter()
        .map(|((doc, key), ts)| {
            let empty = Vec::new();
            let mut rows: Vec<RaceRow> = ts
                .iter()
                .map(|t| {
                    let acts = l.actuals.get(&t.id).unwrap_or(&empty);
                    let actual = latest(acts, month).and_then(|a| a.value);
                    let completion = match (actual, t.value) {
                        (Some(a), Some(v)) if v != 0.0 => Some(a / v * 100.0),
                        _ => None,
                    };
                    RaceRow {
                        rank: 0,
                        county: t.scope.clone(),
                        target_id: t.id.clone(),
                        value: t.value,
                        actual,
                        completion,
                        status: status_in(t, acts, month),
                    }
                })
                .collect();
            rows.sort_by(|a, b| {
                b.completion
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.completion.unwrap_or(f64::NEG_INFINITY))
            });
            let mut rank = 0;
            let mut prev = None;
            for (i, r) in rows.iter_mut().enumerate() {
                if r.completion != prev {
                    rank = i as u32 + 1;
                    prev = r.completion;
                }
                r.rank = rank;
            }
            let first = ts[0];
            (
                first.position,
                Race {
                    doc,
                    key,
                    indicator: first.indicator.clone(),
                    unit: first.unit.clone(),
                    rows,
                },
            )
        })
        .collect();
    out.sort_by_key(|(p, _)| *p);
    out.into_iter().map(|(_, r)| r).collect()
}

pub async fn dashboard(svc: &Services, actor: &Actor, f: &Filter) -> Result<Dashboard> {
    let l = load(svc, actor, None).await?;
    let month = month_of(f.month.as_deref(), &l)?;
    let number: HashMap<&str, &str> = l
        .docs
        .iter()
        .map(|d| (d.id.as_str(), d.number.as_str()))
        .collect();
    let empty = Vec::new();
    let all: Vec<TargetView> = l
        .targets
        .iter()
        .map(|t| {
            view(
                actor,
                t,
                number.get(t.doc_id.as_str()).unwrap_or(&""),
                l.actuals.get(&t.id).unwrap_or(&empty),
                month,
            )
        })
        .collect();
    let docs = l
        .docs
        .iter()
        .map(|d| {
            let mine: Vec<&TargetView> = all.iter().filter(|t| t.doc == d.id).collect();
            DocView {
                id: d.id.clone(),
                number: d.number.clone(),
                title: d.title.clone(),
                date: d.date.to_string(),
                public: d.public,
                targets: mine.len() as u32,
                by_status: counts(&mine),
            }
        })
        .collect();
    let mut leads: Vec<String> = all
        .iter()
        .filter(|t| t.scope == "city")
        .flat_map(|t| t.lead.clone())
        .collect();
    leads.sort();
    leads.dedup();
    let due = match f.due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .or_else(|| {
                    d.parse::<i32>()
                        .ok()
                        .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 12, 31))
                })
                .ok_or_else(|| {
                    ServiceError::invalid(
                        format!("截止日期应为“年-月-日”或年份，而不是“{d}”"),
                        format!("The deadline should be year-month-day or a year, not “{d}”"),
                    )
                })?,
        ),
    };
    let scope = f.scope.as_deref().unwrap_or("city");
    let doc = f.doc.as_deref().filter(|d| !d.is_empty());
    let lead = f.lead.as_deref().filter(|d| !d.is_empty());
    let st = f.status.as_deref().and_then(Status::parse);
    let mut targets: Vec<TargetView> = all
        .into_iter()
        .filter(|t| doc.is_none_or(|d| t.doc == d))
        .filter(|t| lead.is_none_or(|u| t.lead.iter().any(|x| x == u)))
        .filter(|t| st.is_none_or(|s| t.status == s))
        .filter(|t| due.is_none_or(|d| t.deadline <= d))
        .filter(|t| match scope {
            "all" => true,
            "county" => t.scope != "city",
            _ => t.scope == "city",
        })
        .filter(|t| !f.mine.unwrap_or(false) || t.mine)
        .collect();
    if f.laggards.unwrap_or(false) {
        targets.sort_by_key(|t| t.status.urgency());
    }
    let races = races(&l, month)
        .into_iter()
        .filter(|r| doc.is_none_or(|d| r.doc == d))
        .collect();
    Ok(Dashboard {
        month: month.to_string(),
        docs,
        leads,
        targets,
        races,
    })
}

pub async fn detail(
    svc: &Services,
    actor: &Actor,
    id: &str,
    month: Option<&str>,
) -> Result<TargetDetail> {
    let t = target::Entity::find_by_id(id.to_string())
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let l = load(svc, actor, Some(&t.doc_id))
        .await
        .map_err(|e| match e {
            ServiceError::Forbidden => ServiceError::NotFound,
            e => e,
        })?;
    let d = l
        .docs
        .iter()
        .find(|d| d.id == t.doc_id)
        .ok_or(ServiceError::NotFound)?;
    let empty = Vec::new();
    let acts = l.actuals.get(&t.id).unwrap_or(&empty);
    let month = month_of(month, &l)?;
    let rule = rule_of(&t);
    let mut series = Vec::new();
    let mut m = rule.start;
    while m <= rule.deadline {
        series.push(SeriesPoint {
            month: m.to_string(),
            actual: acts
                .iter()
                .find(|a| a.month == m.to_string())
                .and_then(|a| a.value),
            expected: status::expected(&rule, m),
            status: status_in(&t, acts, m),
        });
        m = m.next();
    }
    let mut history: Vec<HistoryEntry> = target_audit::Entity::find()
        .filter(target_audit::Column::TargetId.eq(t.id.clone()))
        .order_by_desc(target_audit::Column::Id)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|h| HistoryEntry {
            at: local(h.at),
            by: h.by,
            field: h.field,
            old_value: h.old_value,
            new_value: h.new_value,
            source: h.source,
        })
        .collect();
    let mut actuals: Vec<Actual> = acts.iter().rev().map(actual_of).collect();
    if !authz::sees_account_names(actor) {
        // The public reads which unit acted, never a staff account.
        let names = history
            .iter()
            .map(|h| h.by.as_str())
            .chain(actuals.iter().map(|a| a.by.as_str()));
        let units = crate::accounts::users::acting_units(&svc.db, names).await?;
        let unit = |n: &str| units.get(n).cloned().unwrap_or_default();
        for h in &mut history {
            h.by = unit(&h.by);
        }
        for a in &mut actuals {
            a.by = unit(&a.by);
        }
    }
    Ok(TargetDetail {
        target: view(actor, &t, &d.number, acts, month),
        doc_title: d.title.clone(),
        series,
        actuals,
        history,
        may_edit: authz::city_admin(actor).is_ok(),
    })
}

pub async fn bulletin(
    svc: &Services,
    actor: &Actor,
    doc: Option<&str>,
    month: Option<&str>,
) -> Result<Bulletin> {
    let mut f = Filter {
        doc: doc.map(str::to_string),
        month: month.map(str::to_string),
        scope: Some("city".into()),
        ..Default::default()
    };
    if f.doc.as_deref().is_none_or(str::is_empty) {
        // The financing action, whose rhythm is monthly bulletins.
        f.doc = Some("jzbf-2021-1".into());
    }
    let d = dashboard(svc, actor, &f).await?;
    let doc = d
        .docs
        .iter()
        .find(|x| Some(&x.id) == f.doc.as_ref())
        .cloned();
    let refs: Vec<&TargetView> = d.targets.iter().collect();
    let by_status = counts(&refs);
    let mut laggards: Vec<TargetView> = d
        .targets
        .iter()
        .filter(|t| matches!(t.status, Status::Behind | Status::Missed))
        .cloned()
        .collect();
    laggards.sort_by_key(|t| t.status.urgency());
    Ok(Bulletin {
        month: d.month,
        doc,
        targets: d.targets,
        laggards,
        races: d.races,
        by_status,
    })
}

/// The bulletin as a workbook: the targets, the laggards, the county races.
pub fn bulletin_xlsx(b: &Bulletin) -> Result<Vec<u8>> {
    use crate::dataio::{guard, xlsx_bytes, Sheet};
    let headers = [
        "目标编号",
        "文件",
        "目标组",
        "指标",
        "目标值",
        "截止",
        "牵头单位",
        "截至当月实际",
        "时间进度应达",
        "状态",
    ];
    let row = |t: &TargetView| {
        vec![
            t.id.clone(),
            t.doc_number.clone(),
            t.group.clone(),
            guard(&t.indicator).into_owned(),
            t.target_text(),
            t.deadline.to_string(),
            t.lead.join("、"),
            t.actual_text(),
            t.expected.map(super::fmt_num).unwrap_or_default(),
            t.status.zh().to_string(),
        ]
    };
    let all: Vec<Vec<String>> = b.targets.iter().map(row).collect();
    let lag: Vec<Vec<String>> = b.laggards.iter().map(row).collect();
    let race_headers = [
        "指标",
        "名次",
        "县（市、区）",
        "目标值",
        "实际",
        "完成率（%）",
        "状态",
    ];
    let races: Vec<Vec<String>> = b
        .races
        .iter()
        .flat_map(|r| {
            r.rows.iter().map(move |x| {
                vec![
                    format!("{}（{}）", r.indicator, r.unit),
                    x.rank.to_string(),
                    grading::County::parse(&x.county)
                        .map_or(x.county.clone(), |c| c.zh().to_string()),
                    x.value.map(super::fmt_num).unwrap_or_default(),
                    x.actual.map(super::fmt_num).unwrap_or_default(),
                    x.completion.map(|c| format!("{c:.1}")).unwrap_or_default(),
                    x.status.zh().to_string(),
                ]
            })
        })
        .collect();
    xlsx_bytes(&[
        Sheet {
            name: "全部目标",
            headers: &headers,
            rows: &all,
        },
        Sheet {
            name: "滞后与未达成",
            headers: &headers,
            rows: &lag,
        },
        Sheet {
            name: "县（市、区）赛马",
            headers: &race_headers,
            rows: &races,
        },
    ])
}

/// The open API's list: one object per target of the documents the reader
/// may see, with its latest actual and status.
pub async fn api_list(svc: &Services, actor: &Actor) -> Result<Vec<TargetView>> {
    Ok(dashboard(
        svc,
        actor,
        &Filter {
            scope: Some("all".into()),
            ..Default::default()
        },
    )
    .await?
    .targets)
}
