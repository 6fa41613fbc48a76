//! The county overview (县（市、区）概览) and a county's history. The types, shared
//! with the browser, are [`shared::counties`]'s, re-exported here.

pub use shared::counties::*;

pub async fn county_overview(
    svc: &crate::Services,
    actor: &crate::Actor,
    year: Option<i32>,
    county: Option<String>,
) -> crate::Result<CountyReport> {
    use crate::workspace::views::{chosen_year, graded_years};
    use grading::{evaluate_aggregates, Aggregates, Status};
    crate::authz::workspace(actor)?;
    let years = graded_years(&svc.db).await?;
    let locked = crate::authz::county_scope(actor).map(str::to_string);
    let Some(year) = chosen_year(year, &years) else {
        return Ok(CountyReport {
            county_locked: locked,
            ..Default::default()
        });
    };
    let county = locked
        .clone()
        .or(county.filter(|c| grading::County::parse(c).is_some()));
    // Growth needs only the previous year's aggregates, not its rows.
    let previous = svc.live.previous_aggregates(&svc.db, year, &years).await?;
    let history = history(svc, &years, county.as_deref()).await?;
    let out = svc
        .live
        .with_year(&svc.db, year, async |g| {
            let rs = g.ruleset();
            let mut o = CountyReport {
                year: Some(year),
                years: years.clone(),
                county: county.clone(),
                county_locked: locked.clone(),
                history: history.clone(),
                ..Default::default()
            };
            let mut cohorts: std::collections::BTreeMap<grading::CohortKey, [u32; 4]> =
                Default::default();
            for (e, r) in g.rows().iter().zip(g.results()) {
                if county.as_ref().is_some_and(|c| c != e.county.code()) {
                    continue;
                }
                match r.status {
                    Status::Graded => o.graded += 1,
                    Status::Exempt => o.exempt += 1,
                    Status::Merged => o.merged += 1,
                    Status::Excluded => o.excluded += 1,
                }
                if let (Some(k), Some(c)) = (r.cohort, r.class) {
                    cohorts.entry(k).or_default()[c as usize] += 1;
                }
                if r.status != Status::Excluded {
                    let w = grading::quality::warnings(e);
                    if !w.is_empty() {
                        o.warnings_total += 1;
                        if o.warnings.len() < WARNINGS_SHOWN {
                            o.warnings.push(WarningRow {
                                uscc: e.uscc.clone(),
                                name: e.name.clone(),
                                warnings: w.iter().map(|x| x.zh()).collect(),
                                warnings_en: w.iter().map(|x| x.en()).collect(),
                            });
                        }
                    }
                }
            }
            o.cohorts = cohorts
                .into_iter()
                .map(|(k, classes)| {
                    let cut = g.cutoffs().get(&k);
                    CohortView {
                        name: k.name(rs),
                        label_zh: k.zh(rs),
                        label_en: k.en(rs),
                        classes,
                        n: cut.map_or(0, |c| c.n),
                        cutoffs: cut.map_or([None; 3], |c| c.min_score),
                    }
                })
                .collect();
            let now = Aggregates::of(g.rows(), g.results());
            o.counties = evaluate_aggregates(rs, &now, previous.as_ref())
                .into_iter()
                .map(|c| CountyRank {
                    county: c.county.code().into(),
                    level: c.level,
                    growth: c.growth,
                    composite: c.composite,
                    rank: c.rank,
                })
                .collect();
            Ok(o)
        })
        .await?;
    Ok(out)
}

/// Each graded year's classes of the scope and the counties' ranks, each
/// year evaluated on its own ruleset against the year before.
async fn history(
    svc: &crate::Services,
    years: &[i32],
    county: Option<&str>,
) -> crate::Result<Vec<CountyYear>> {
    use grading::{evaluate_aggregates, Aggregates};
    let mut sorted = years.to_vec();
    sorted.sort_unstable();
    let mut out = Vec::new();
    let mut previous: Option<(i32, Aggregates)> = None;
    for y in sorted {
        let before = previous
            .as_ref()
            .filter(|(py, _)| *py == y - 1)
            .map(|(_, a)| a.clone());
        let (row, now) = svc
            .live
            .with_year(&svc.db, y, async |g| {
                let mut classes = [0u32; 4];
                for (e, r) in g.rows().iter().zip(g.results()) {
                    if county.is_some_and(|c| c != e.county.code()) {
                        continue;
                    }
                    if let Some(c) = r.class {
                        classes[c as usize] += 1;
                    }
                }
                let now = Aggregates::of(g.rows(), g.results());
                let scores = evaluate_aggregates(g.ruleset(), &now, before.as_ref());
                let ranks = grading::County::ALL
                    .iter()
                    .map(|c| scores.iter().find(|s| s.county == *c).map_or(0, |s| s.rank))
                    .collect();
                Ok((
                    CountyYear {
                        year: y,
                        classes,
                        ranks,
                    },
                    now,
                ))
            })
            .await?;
        out.push(row);
        previous = Some((y, now));
    }
    Ok(out)
}
