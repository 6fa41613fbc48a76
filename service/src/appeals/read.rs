//! Reading appeals: the enterprise's own, each reviewer's queue, one
//! appeal with its items, evidence, timeline and the engine's projection;
//! evidence files; the enterprise's notices. Every read asks
//! [`authz::may_read_appeal`]; an appeal out of reach is "not found".

use super::{
    AppealDetail, AppealStatus, AppealSummary, EvidenceFile, ItemStatus, ItemView, NoticeView,
    Projection, TimelineEvent,
};
use crate::actor::{Actor, Role};
use crate::disclosure::publish::today;
use crate::{authz, store, Result, ServiceError, Services};
use entity::{appeal, appeal_event, appeal_file, appeal_item, notice, record};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

use crate::clock::minute as local;

/// An appeal and its items, if the actor may read it.
pub(crate) async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
) -> Result<(appeal::Model, Vec<appeal_item::Model>)> {
    let a = appeal::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let items = appeal_item::Entity::find()
        .filter(appeal_item::Column::AppealId.eq(id))
        .order_by_asc(appeal_item::Column::Id)
        .all(db)
        .await?;
    let reviewers: Vec<&str> = items.iter().map(|i| i.reviewer.as_str()).collect();
    if !authz::may_read_appeal(actor, &a.uscc, &a.county, &reviewers) {
        return Err(ServiceError::NotFound);
    }
    Ok((a, items))
}

async fn names(
    db: &impl ConnectionTrait,
    keys: &[(String, i32)],
) -> Result<HashMap<(String, i32), String>> {
    let usccs: Vec<String> = keys.iter().map(|(u, _)| u.clone()).collect();
    let rows: Vec<(String, i32, String)> = record::Entity::find()
        .select_only()
        .column(record::Column::Uscc)
        .column(record::Column::Year)
        .column(record::Column::Name)
        .filter(record::Column::Uscc.is_in(usccs))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(u, y, n)| ((u, y), n)).collect())
}

fn summary(
    actor: &Actor,
    a: &appeal::Model,
    items: &[appeal_item::Model],
    name: String,
) -> Result<AppealSummary> {
    let status = AppealStatus::stored(&a.status);
    Ok(AppealSummary {
        id: a.id,
        receipt: a.receipt.clone(),
        uscc: a.uscc.clone(),
        name,
        county: crate::store::stored_county(&a.county)?,
        year: a.year,
        status,
        filed_at: local(a.filed_at),
        deadline: a.deadline.to_string(),
        overdue: status.is_open() && today() > a.deadline,
        items: items.len() as u32,
        waiting_for_me: items
            .iter()
            .filter(|i| ItemStatus::parse(&i.status) == ItemStatus::Pending && status.is_open())
            .filter(|i| authz::may_decide_item(actor, &a.county, &i.reviewer))
            .count() as u32,
    })
}

async fn summaries(
    svc: &Services,
    actor: &Actor,
    appeals: Vec<appeal::Model>,
) -> Result<Vec<AppealSummary>> {
    let ids: Vec<i32> = appeals.iter().map(|a| a.id).collect();
    let mut by_appeal: HashMap<i32, Vec<appeal_item::Model>> = HashMap::new();
    for i in appeal_item::Entity::find()
        .filter(appeal_item::Column::AppealId.is_in(ids))
        .all(&svc.db)
        .await?
    {
        by_appeal.entry(i.appeal_id).or_default().push(i);
    }
    let keys: Vec<(String, i32)> = appeals.iter().map(|a| (a.uscc.clone(), a.year)).collect();
    let names = names(&svc.db, &keys).await?;
    let mut out: Vec<AppealSummary> = appeals
        .iter()
        .filter_map(|a| {
            let items = by_appeal.remove(&a.id).unwrap_or_default();
            let reviewers: Vec<&str> = items.iter().map(|i| i.reviewer.as_str()).collect();
            authz::may_read_appeal(actor, &a.uscc, &a.county, &reviewers).then(|| {
                let name = names
                    .get(&(a.uscc.clone(), a.year))
                    .cloned()
                    .unwrap_or_default();
                summary(actor, a, &items, name)
            })
        })
        .collect::<Result<_>>()?;
    // Open ones first, the most urgent at the top.
    out.sort_by(|x, y| {
        (!x.status.is_open(), &x.deadline, x.id).cmp(&(!y.status.is_open(), &y.deadline, y.id))
    });
    Ok(out)
}

/// The enterprise's own appeals (of `year`, or all).
pub async fn summaries_for(
    svc: &Services,
    actor: &Actor,
    uscc: &grading::Uscc,
    year: Option<i32>,
) -> Result<Vec<AppealSummary>> {
    let mut q = appeal::Entity::find().filter(appeal::Column::Uscc.eq(uscc.as_str()));
    if let Some(y) = year {
        q = q.filter(appeal::Column::Year.eq(y));
    }
    let list = q.order_by_desc(appeal::Column::Id).all(&svc.db).await?;
    summaries(svc, actor, list).await
}

/// The reader's queue: a county official the county's appeals, a
/// department those with an item for it, the administrator all, an
/// enterprise its own. `status`: a status code to keep, or all.
pub async fn queue(
    svc: &Services,
    actor: &Actor,
    status: Option<&str>,
) -> Result<Vec<AppealSummary>> {
    let mut q = appeal::Entity::find();
    match actor {
        Actor::Public => return Err(ServiceError::Unauthorized),
        Actor::System(_) => {}
        Actor::User(u) => match u.role {
            Role::Enterprise => {
                let uscc = authz::enterprise(actor)?;
                q = q.filter(appeal::Column::Uscc.eq(uscc.as_str()));
            }
            _ => {
                authz::workspace(actor)?;
                if let Some(c) = authz::county_scope(actor) {
                    q = q.filter(appeal::Column::County.eq(c));
                }
                if let Some(d) = authz::department(actor) {
                    let ids: Vec<i32> = appeal_item::Entity::find()
                        .select_only()
                        .column(appeal_item::Column::AppealId)
                        .filter(appeal_item::Column::Reviewer.eq(d.code()))
                        .into_tuple()
                        .all(&svc.db)
                        .await?;
                    q = q.filter(appeal::Column::Id.is_in(ids));
                }
            }
        },
    }
    if let Some(s) = status.and_then(AppealStatus::parse) {
        q = q.filter(appeal::Column::Status.eq(s.code()));
    }
    let list = q
        .order_by_desc(appeal::Column::Id)
        .limit(1000)
        .all(&svc.db)
        .await?;
    summaries(svc, actor, list).await
}

/// What the engine makes of the claimed values, against the year's
/// current grades.
async fn projection(
    svc: &Services,
    a: &appeal::Model,
    items: &[appeal_item::Model],
) -> Result<Option<Projection>> {
    let Some(m) = store::load_record(&svc.db, &a.uscc, a.year).await? else {
        return Ok(None);
    };
    let mut fields = store::fields_of_model(&m)?;
    for i in items
        .iter()
        .filter(|i| ItemStatus::parse(&i.status) == ItemStatus::Pending)
    {
        fields.insert(i.field.clone(), i.claimed_value.clone());
    }
    let draft = store::enterprise_from(&fields);
    svc.live
        .with_year(&svc.db, a.year, async |g| {
            let Some(i) = g.position(&a.uscc) else {
                return Ok(None);
            };
            let now = g.result(i);
            let ctx = g.preview_context(i);
            let mut p = Projection {
                current_class: now.class,
                current_score: now.score,
                claimed_class: None,
                claimed_score: None,
                claimed_status: String::new(),
                claimed_status_en: String::new(),
                error: None,
            };
            match draft.as_ref().map_err(|e| e.clone()).and_then(|d| {
                grading::preview::preview(&ctx, d).map_err(|e| {
                    grading::Words::new(
                        format!("{}：{}", e.field, e.reason.zh),
                        format!("{}: {}", e.field, e.reason.en),
                    )
                })
            }) {
                Ok(pv) => {
                    p.claimed_class = pv.class;
                    p.claimed_score = pv.scored.map(|s| s.score);
                    p.claimed_status = pv.status.zh().into();
                    p.claimed_status_en = pv.status.en().into();
                }
                Err(e) => p.error = Some(e),
            }
            Ok(Some(p))
        })
        .await
}

pub async fn detail(svc: &Services, actor: &Actor, id: i32) -> Result<AppealDetail> {
    let (a, mut items) = load(&svc.db, actor, id).await?;
    let name = names(&svc.db, &[(a.uscc.clone(), a.year)])
        .await?
        .remove(&(a.uscc.clone(), a.year))
        .unwrap_or_default();
    let sum = summary(actor, &a, &items, name)?;
    let files = appeal_file::Entity::find()
        .select_only()
        .column(appeal_file::Column::Token)
        .column(appeal_file::Column::Name)
        .column(appeal_file::Column::Mime)
        .column(appeal_file::Column::Size)
        .filter(appeal_file::Column::AppealId.eq(id))
        .order_by_asc(appeal_file::Column::Id)
        .into_tuple::<(String, String, String, i64)>()
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|(token, name, mime, size)| EvidenceFile {
            token,
            name: super::file::name_for_content(&name, &mime),
            mime,
            size,
        })
        .collect();
    let mut timeline: Vec<TimelineEvent> = appeal_event::Entity::find()
        .filter(appeal_event::Column::AppealId.eq(id))
        .order_by_asc(appeal_event::Column::Id)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|e| TimelineEvent {
            at: local(e.at),
            by: e.by,
            kind: e.kind,
            note_en: e.note_en.unwrap_or_else(|| e.note.clone()),
            note: e.note,
        })
        .collect();
    if !authz::sees_account_names(actor) {
        // The enterprise reads which unit acted, never a staff account.
        let names = timeline
            .iter()
            .map(|e| e.by.as_str())
            .chain(items.iter().filter_map(|i| i.decided_by.as_deref()));
        let units = crate::accounts::users::acting_units(&svc.db, names).await?;
        let unit = |n: &str| units.get(n).cloned().unwrap_or_default();
        for e in &mut timeline {
            e.by = unit(&e.by);
        }
        for i in &mut items {
            i.decided_by = i.decided_by.as_deref().map(unit);
        }
    }
    let open = sum.status.is_open();
    let is_enterprise = actor.role() == Some(Role::Enterprise);
    let projection = if is_enterprise {
        None
    } else {
        projection(svc, &a, &items).await?
    };
    Ok(AppealDetail {
        may_withdraw: open && is_enterprise,
        may_take: sum.status == AppealStatus::Filed && authz::county_officer(actor, &a.county),
        // A department reads only the items sent to it.
        items: items
            .iter()
            .filter(|i| authz::department(actor).is_none_or(|d| d.code() == i.reviewer))
            .map(|i| ItemView {
                id: i.id,
                field: i.field.clone(),
                current: i.current_value.clone(),
                claimed: i.claimed_value.clone(),
                reviewer: i.reviewer.clone(),
                status: ItemStatus::parse(&i.status),
                decided_value: i.decided_value.clone(),
                reason: i.reason.clone(),
                decided_by: i.decided_by.clone(),
                decided_at: i.decided_at.map(local),
                mine: open
                    && ItemStatus::parse(&i.status) == ItemStatus::Pending
                    && authz::may_decide_item(actor, &a.county, &i.reviewer),
            })
            .collect(),
        summary: sum,
        explanation: a.explanation,
        files,
        timeline,
        outcome_en: a.outcome_en.or_else(|| a.outcome.clone()),
        outcome: a.outcome,
        class_before: crate::store::stored_class(a.class_before.as_deref()),
        class_after: crate::store::stored_class(a.class_after.as_deref()),
        correction_version: a.correction_version,
        projection,
    })
}

/// An evidence file, by its random token, for the enterprise and the
/// appeal's reviewers only: (name, type, bytes).
pub async fn evidence(
    svc: &Services,
    actor: &Actor,
    token: &str,
) -> Result<(String, String, Vec<u8>)> {
    if actor == &Actor::Public {
        return Err(ServiceError::Unauthorized);
    }
    let f = appeal_file::Entity::find()
        .filter(appeal_file::Column::Token.eq(token))
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    load(&svc.db, actor, f.appeal_id).await?;
    // Files kept before names followed their content are served right too.
    Ok((
        super::file::name_for_content(&f.name, &f.mime),
        f.mime,
        f.data,
    ))
}

/// The enterprise's notices, newest first.
pub async fn notices(svc: &Services, actor: &Actor) -> Result<Vec<NoticeView>> {
    let uscc = authz::enterprise(actor)?;
    Ok(notice::Entity::find()
        .filter(notice::Column::Uscc.eq(uscc.as_str()))
        .order_by_desc(notice::Column::Id)
        .limit(200)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|n| NoticeView {
            id: n.id,
            at: local(n.at),
            text_en: n.text_en.unwrap_or_else(|| n.text.clone()),
            text: n.text,
            read: n.read_at.is_some(),
            appeal_id: n.appeal_id,
        })
        .collect())
}

/// Marks every notice of the enterprise read.
pub async fn mark_read(svc: &Services, actor: &Actor) -> Result<()> {
    let uscc = authz::enterprise(actor)?;
    notice::Entity::update_many()
        .col_expr(
            notice::Column::ReadAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now()),
        )
        .filter(notice::Column::Uscc.eq(uscc.as_str()))
        .filter(notice::Column::ReadAt.is_null())
        .exec(&svc.db)
        .await?;
    Ok(())
}
