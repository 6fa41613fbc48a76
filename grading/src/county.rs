//! County (评价主体) evaluation, section 8: aggregate indicators per county
//! against the city, development level and year-on-year growth.

use crate::fsum::ExactSum;
use crate::grade::Outcome;
use crate::input::Enterprise;
use crate::ruleset::Ruleset;
use crate::types::{County, Scale, Status};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyScore {
    pub county: County,
    /// Aggregate indicator values this year, `Indicator::ALL` order.
    pub values: [Option<f64>; 6],
    pub level_points: [f64; 6],
    pub level: f64,
    /// Growth points; None when the previous year is missing.
    pub growth_points: Option<[f64; 6]>,
    pub growth: Option<f64>,
    /// `level_share × level + growth_share × growth`, or the level alone.
    pub composite: f64,
    /// True when the composite is the level alone (no previous year).
    pub level_only: bool,
    pub rank: u32,
}

/// Σ numerator / Σ denominator per indicator, for the city and each county,
/// over graded above-size enterprises where both are present and the
/// denominator > 0. Gathered in one pass, so a screen can keep the figures of
/// a year without keeping its rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aggregates {
    pub city: [Option<f64>; 6],
    /// In `County::ALL` order.
    pub counties: Vec<[Option<f64>; 6]>,
}

type Sums = [(ExactSum, ExactSum); 6];

fn ratios(sums: &Sums) -> [Option<f64>; 6] {
    let mut out = [None; 6];
    for (k, (num, den)) in sums.iter().enumerate() {
        if den.count() == 0 {
            continue;
        }
        let v = num.value() / den.value();
        out[k] = Some(if k == 2 { 100.0 * v } else { v });
    }
    out
}

impl Aggregates {
    pub fn of<R: Outcome>(rows: &[Enterprise], results: &[R]) -> Aggregates {
        let mut city: Sums = Default::default();
        let mut counties: Vec<Sums> = vec![Default::default(); County::ALL.len()];
        for (e, r) in rows.iter().zip(results) {
            if r.status() != Status::Graded || e.scale != Scale::Above {
                continue;
            }
            let c = County::ALL.iter().position(|&c| c == e.county).unwrap_or(0);
            let pairs = [
                (e.tax_wan, e.land_mu),
                (e.value_added_wan, e.land_mu),
                (e.rnd_wan, e.revenue_wan),
                (e.value_added_wan, e.energy_tce),
                (e.value_added_wan, e.emission_t),
                (e.value_added_wan, e.employees),
            ];
            for (k, p) in pairs.into_iter().enumerate() {
                if let (Some(n), Some(d)) = p {
                    if d > 0.0 {
                        for sums in [&mut city[k], &mut counties[c][k]] {
                            sums.0.add(n);
                            sums.1.add(d);
                        }
                    }
                }
            }
        }
        Aggregates {
            city: ratios(&city),
            counties: counties.iter().map(ratios).collect(),
        }
    }

    fn county(&self, county: County) -> [Option<f64>; 6] {
        County::ALL
            .iter()
            .position(|&c| c == county)
            .and_then(|i| self.counties.get(i).copied())
            .unwrap_or([None; 6])
    }
}

fn relative_points(w: f64, cap: f64, county: Option<f64>, city: Option<f64>) -> f64 {
    match (county, city) {
        (Some(v), Some(c)) if v >= 0.0 && c > 0.0 => ((w * v) / c).min(cap),
        _ => 0.0,
    }
}

/// Evaluates the nine counties for `current`, using `previous` (the year
/// before, same ruleset) for growth when given.
pub fn evaluate_counties<R: Outcome>(
    rs: &Ruleset,
    current: (&[Enterprise], &[R]),
    previous: Option<(&[Enterprise], &[R])>,
) -> Vec<CountyScore> {
    let now = Aggregates::of(current.0, current.1);
    let before = previous.map(|p| Aggregates::of(p.0, p.1));
    evaluate_aggregates(rs, &now, before.as_ref())
}

/// `evaluate_counties` from the years' aggregates.
pub fn evaluate_aggregates(
    rs: &Ruleset,
    current: &Aggregates,
    previous: Option<&Aggregates>,
) -> Vec<CountyScore> {
    let weights = rs
        .group(&rs.county.weight_group)
        .map(|g| g.weights)
        .unwrap_or([0.0; 6]);
    let city = current.city;
    let mut scores: Vec<CountyScore> = County::ALL
        .iter()
        .map(|&county| {
            let values = current.county(county);
            let mut level_points = [0.0; 6];
            for k in 0..6 {
                level_points[k] =
                    relative_points(weights[k], rs.cap_multiple * weights[k], values[k], city[k]);
            }
            let level = level_points.iter().fold(0.0, |s, p| s + p);
            let growth_points = previous.map(|p| {
                let prev = p.county(county);
                let mut g = [0.0; 6];
                for k in 0..6 {
                    let gc = growth(values[k], prev[k]);
                    let gcity = growth(city[k], p.city[k]);
                    g[k] = relative_points(weights[k], rs.cap_multiple * weights[k], gc, gcity);
                }
                g
            });
            let growth_total = growth_points.map(|g| g.iter().fold(0.0, |s, p| s + p));
            let composite = match growth_total {
                Some(g) => rs.county.level_share * level + rs.county.growth_share * g,
                None => level,
            };
            CountyScore {
                county,
                values,
                level_points,
                level,
                growth_points,
                growth: growth_total,
                composite,
                level_only: growth_total.is_none(),
                rank: 0,
            }
        })
        .collect();
    let composites: Vec<f64> = scores.iter().map(|s| s.composite).collect();
    for s in &mut scores {
        s.rank = 1 + composites.iter().filter(|&&c| c > s.composite).count() as u32;
    }
    scores.sort_by_key(|s| s.rank);
    scores
}

fn growth(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    match (now, before) {
        (Some(n), Some(b)) if b > 0.0 => Some(n / b),
        _ => None,
    }
}
