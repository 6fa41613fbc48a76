//! The enterprise's own evaluation, read on the server.

use super::{Figure, HistoryRow, PortalYear};
use crate::actor::Actor;
use crate::appeals::file::filing_allowed;
use crate::appeals::read::summaries_for;
use crate::disclosure::PublicationStatus;
use crate::{authz, store, Result, ServiceError, Services};
use entity::{confirmation, disclosure, grade_result, record};
use grading::record::{field_text, COLUMNS};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Years whose publicity has opened (the enterprise sees nothing of a year
/// before), newest first.
pub async fn visible_years(svc: &Services) -> Result<Vec<disclosure::Model>> {
    Ok(disclosure::Entity::find()
        .order_by_desc(disclosure::Column::Year)
        .all(&svc.db)
        .await?)
}

/// The enterprise's evaluation of `year` (None: the newest visible year).
pub async fn year(svc: &Services, actor: &Actor, year: Option<i32>) -> Result<PortalYear> {
    let uscc = authz::enterprise(actor)?.clone();
    let published = visible_years(svc).await?;
    // One query for the years on file; only those published count.
    let on_file: Vec<i32> = record::Entity::find()
        .select_only()
        .column(record::Column::Year)
        .filter(record::Column::Uscc.eq(uscc.as_str()))
        .into_tuple()
        .all(&svc.db)
        .await?;
    let years: Vec<i32> = published
        .iter()
        .map(|d| d.year)
        .filter(|y| on_file.contains(y))
        .collect();
    let year = match year {
        Some(y) if years.contains(&y) => y,
        Some(_) => return Err(ServiceError::NotFound),
        None => *years.first().ok_or(ServiceError::NotFound)?,
    };
    let d = published
        .iter()
        .find(|d| d.year == year)
        .ok_or(ServiceError::NotFound)?;
    let m = store::load_record(&svc.db, uscc.as_str(), year)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let fields = store::fields_of_model(&m)?;
    let sources = store::sources_of_model(&m)?;
    let e = store::enterprise_of(&m)?;
    let (result, (cohort_name, cohort_name_en), preview, rs) = svc
        .live
        .with_year(&svc.db, year, async |g| {
            let i = g.position(uscc.as_str());
            let result = i.map(|i| g.result(i));
            let cohort = result.as_ref().and_then(|r| r.cohort);
            let graded = result
                .as_ref()
                .is_some_and(|r| r.status == grading::Status::Graded);
            Ok((
                result,
                (
                    cohort.map(|c| c.zh(g.ruleset())),
                    cohort.map(|c| c.en(g.ruleset())),
                ),
                i.filter(|_| graded).map(|i| g.preview_context(i)),
                g.ruleset().clone(),
            ))
        })
        .await?;
    let cutoffs = match (&preview, result.as_ref().and_then(|r| r.cohort)) {
        (Some(ctx), Some(c)) => ctx
            .cutoffs
            .iter()
            .find(|(k, _)| *k == c)
            .map_or([None; 3], |(_, co)| co.min_score),
        _ => [None; 3],
    };
    let class = result.as_ref().and_then(|r| r.class);
    let consequences = class
        .map(|c| rs.consequences_for(c, true))
        .unwrap_or_default();
    let consequences_en = class
        .map(|c| rs.consequences_for(c, false))
        .unwrap_or_default();
    // Who entered a figure, as the unit (never a staff account's name).
    let units =
        crate::accounts::users::acting_units(&svc.db, sources.values().map(|s| s.user.as_str()))
            .await?;
    let figures = COLUMNS
        .iter()
        .filter(|c| !["uscc", "year"].contains(&c.key))
        .map(|c| {
            // A flag or count at its default ("no", 0) is left blank: the
            // page lists what is on file.
            let value = Some(field_text(&e, c)).filter(|v| !store::is_default(c.key, v));
            let entered = |zh: bool| {
                sources.get(c.key).map(|s| {
                    let unit = units.get(&s.user).unwrap_or(&s.user);
                    let unit = match unit.as_str() {
                        crate::accounts::users::PLATFORM if !zh => "Muyi platform",
                        u => u,
                    };
                    format!("{unit} {}", crate::clock::date(s.at))
                })
            };
            Figure {
                key: c.key.into(),
                label: c.zh.into(),
                label_en: c.en.into(),
                value: value.as_deref().map(|v| c.words(v)).unwrap_or_default(),
                value_en: value
                    .as_deref()
                    .map(|v| c.words_in(v, false))
                    .unwrap_or_default(),
                provider: c.department.code().into(),
                entered: entered(true),
                entered_en: entered(false),
            }
        })
        .collect();
    let history = history(&svc.db, &uscc, Some(&years)).await?;
    let confirmed = confirmation::Entity::find()
        .filter(confirmation::Column::Uscc.eq(uscc.as_str()))
        .filter(confirmation::Column::Year.eq(year))
        .one(&svc.db)
        .await?
        .map(|c| format!("{} {}", c.by, crate::clock::minute(c.at)));
    let appeals = summaries_for(svc, actor, &uscc, Some(year)).await?;
    let allowed = filing_allowed(&svc.db, &uscc, year).await?;
    let window_open = {
        let today = crate::disclosure::publish::today();
        PublicationStatus::stored(&d.status) == PublicationStatus::Window
            && today >= d.window_start
            && today <= d.window_end
    };
    let open_appeal = appeals.iter().any(|a| a.status.is_open());
    let remediation = crate::measures::ledger::of_enterprise(svc, actor)
        .await?
        .into_iter()
        .next();
    Ok(PortalYear {
        remediation,
        uscc: uscc.to_string(),
        name: m.name,
        county: crate::store::stored_county(&m.county)?,
        year,
        years,
        window_start: d.window_start.to_string(),
        window_end: d.window_end.to_string(),
        window_open,
        result,
        cohort_name,
        cohort_name_en,
        cutoffs,
        consequences,
        consequences_en,
        figures,
        fields,
        history,
        preview,
        may_confirm: window_open && confirmed.is_none() && !open_appeal,
        confirmed,
        appeals,
        may_appeal: allowed.is_ok(),
        appeal_blocked: allowed.clone().err().map(|w| w.words().zh),
        appeal_blocked_en: allowed.err().map(|w| w.words().en),
    })
}

/// An enterprise's grade of each year (of `years`, or all), oldest first,
/// with the six indicator values and its tax per mu from the stored
/// breakdown: the year-on-year view of the portal and the workspace.
pub async fn history(
    db: &impl sea_orm::ConnectionTrait,
    uscc: &grading::Uscc,
    years: Option<&[i32]>,
) -> Result<Vec<HistoryRow>> {
    let mut q = grade_result::Entity::find().filter(grade_result::Column::Uscc.eq(uscc.as_str()));
    if let Some(ys) = years {
        q = q.filter(grade_result::Column::Year.is_in(ys.to_vec()));
    }
    q.order_by_asc(grade_result::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let detail: Option<grading::GradeResult> = serde_json::from_str(&r.detail).ok();
            let mut values = [None; 6];
            for s in detail.iter().flat_map(|d| &d.indicators) {
                if let Some(k) = grading::Indicator::ALL
                    .iter()
                    .position(|i| *i == s.indicator)
                {
                    values[k] = s.value;
                }
            }
            Ok(HistoryRow {
                year: r.year,
                status: crate::store::stored_status(&r.status),
                class: crate::store::stored_class(r.class.as_deref()),
                score: r.score,
                rank: r.rank.map(|x| x as u32),
                cohort_size: r.cohort_size.map(|x| x as u32),
                scale: crate::store::stored_scale(&r.scale)?,
                values,
                tax_per_mu: detail.and_then(|d| d.tax_per_mu),
            })
        })
        .collect()
}
