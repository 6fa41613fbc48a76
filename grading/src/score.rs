//! Points of one enterprise: indicators, base score, bonus, canonical score
//! (sections 3–6 of the spec). Pure arithmetic on `f64`, in a fixed order,
//! using only operations IEEE-754 defines exactly (`+ - * /`, `floor`,
//! `min`), so WASM and native agree to the bit.

use crate::input::Enterprise;
use crate::ruleset::{Indicator, Ruleset, TaxBonus};
use crate::types::Scale;
use serde::{Deserialize, Serialize};

/// One indicator as the enterprise should see it: value, benchmark, points, cap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    pub indicator: Indicator,
    /// None when an input is missing or the denominator is not positive.
    pub value: Option<f64>,
    /// None for below-size scoring without a benchmark (the value itself counts).
    pub benchmark: Option<f64>,
    pub weight: f64,
    pub cap: f64,
    pub points: f64,
    /// Indicator 5 given its base points because the enterprise truly emits nothing.
    pub no_emission_base: bool,
}

/// Bonus parts; `total()` adds them in the spec's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bonus {
    pub tax: f64,
    pub innovation: f64,
    /// Zero or negative (the quality-exposure penalty).
    pub quality: f64,
}

impl Bonus {
    pub fn total(&self) -> f64 {
        let mut b = 0.0;
        b += self.tax;
        b += self.innovation;
        b += self.quality;
        b
    }
}

/// What one enterprise scored, before ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub indicators: Vec<IndicatorScore>,
    pub base: f64,
    pub bonus: Bonus,
    /// The canonical score (4 decimals, see `canonical`).
    pub score: f64,
    pub tax_per_mu: Option<f64>,
}

/// The inputs a lessor carries for its merged lessees (rule ③).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Effective {
    pub tax_wan: Option<f64>,
    pub revenue_wan: Option<f64>,
    pub general_accidents: u32,
    pub larger_accidents: u32,
    pub safety_penalties: u32,
    pub major_env_incident: bool,
    pub severe_dishonesty: bool,
}

impl Effective {
    pub fn own(e: &Enterprise) -> Effective {
        Effective {
            tax_wan: e.tax_wan,
            revenue_wan: e.revenue_wan,
            general_accidents: e.general_accidents,
            larger_accidents: e.larger_accidents,
            safety_penalties: e.safety_penalties,
            major_env_incident: e.major_env_incident,
            severe_dishonesty: e.severe_dishonesty,
        }
    }
}

/// `sign(x) * floor(abs(x) * 10000 + 0.5) / 10000`: half away from zero, 4 decimals.
pub fn canonical(x: f64) -> f64 {
    let r = (x.abs() * 10000.0 + 0.5).floor() / 10000.0;
    if x < 0.0 {
        -r
    } else {
        r
    }
}

/// `num / den`, missing when either is missing or the denominator is not positive.
pub fn ratio(num: Option<f64>, den: Option<f64>) -> Option<f64> {
    match (num, den) {
        (Some(n), Some(d)) if d > 0.0 => Some(n / d),
        _ => None,
    }
}

/// `min((w * v) / b, cap_multiple * w)`, 0 when missing or negative.
pub fn points(weight: f64, value: Option<f64>, benchmark: f64, cap_multiple: f64) -> f64 {
    match value {
        Some(v) if v >= 0.0 => ((weight * v) / benchmark).min(cap_multiple * weight),
        _ => 0.0,
    }
}

/// The six indicator values of an above-size enterprise, in `Indicator::ALL` order.
pub fn indicator_values(e: &Enterprise, eff: &Effective) -> [Option<f64>; 6] {
    [
        ratio(eff.tax_wan, e.land_mu),
        ratio(e.value_added_wan, e.land_mu),
        ratio(e.rnd_wan, eff.revenue_wan).map(|r| 100.0 * r),
        ratio(e.value_added_wan, e.energy_tce),
        ratio(e.value_added_wan, e.emission_t),
        ratio(e.value_added_wan, e.employees),
    ]
}

/// The tax bonus an enterprise earns if its tax per mu beats the city
/// average: the only part of a score the average decides.
fn tax_bonus_amount(rule: &TaxBonus, tax: Option<f64>, tax_per_mu: Option<f64>) -> Option<f64> {
    match (tax, tax_per_mu) {
        (Some(tax), Some(_)) if tax > rule.min_tax => Some(
            ((((tax - rule.min_tax) / rule.step).floor()) * rule.points_per_step).min(rule.max),
        ),
        _ => None,
    }
}

fn tax_bonus(
    rule: &TaxBonus,
    tax: Option<f64>,
    tax_per_mu: Option<f64>,
    city_avg: Option<f64>,
) -> f64 {
    match (
        tax_bonus_amount(rule, tax, tax_per_mu),
        tax_per_mu,
        city_avg,
    ) {
        (Some(amount), Some(tpm), Some(avg)) if tpm > avg => amount,
        _ => 0.0,
    }
}

/// The innovation bonus: the single highest flag ("就高", never added up).
pub fn innovation_bonus(rs: &Ruleset, e: &Enterprise) -> f64 {
    let i = &rs.innovation;
    let recent = if e.high_tech_recent {
        i.high_tech_recent
    } else {
        0.0
    };
    i.talent(e.talent)
        .max(i.postdoc(e.postdoc))
        .max(i.rnd_institution(e.rnd_institution))
        .max(recent)
}

/// A score before the city average is known. The average enters only
/// through the tax bonus's condition "tax per mu above the city average",
/// so a whole city can be scored in the same pass that sums its average:
/// each row keeps the score without and with its tax bonus, and
/// [`Provisional::score`] picks one once the average is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Provisional {
    /// Canonical score without the tax bonus.
    pub without: f64,
    /// Canonical score with it, when the tax exceeds the rule's minimum.
    pub with: Option<f64>,
    pub tax_per_mu: Option<f64>,
}

impl Provisional {
    /// The canonical score, equal to the bit to [`score`]'s.
    pub fn score(&self, city_avg: Option<f64>) -> f64 {
        match (self.with, self.tax_per_mu, city_avg) {
            (Some(with), Some(tpm), Some(avg)) if tpm > avg => with,
            _ => self.without,
        }
    }
}

/// Computes [`Provisional`].
pub fn provisional(
    rs: &Ruleset,
    weights: &[f64; 6],
    e: &Enterprise,
    eff: &Effective,
) -> Provisional {
    let (_, _, base, rule, tax_per_mu) = indicator_points(rs, weights, e, eff);
    let rest = other_bonus(rs, e);
    let with_tax = |tax: f64| canonical(base + Bonus { tax, ..rest }.total());
    Provisional {
        without: with_tax(0.0),
        with: tax_bonus_amount(rule, eff.tax_wan, tax_per_mu).map(with_tax),
        tax_per_mu,
    }
}

/// The bonus parts that do not depend on the city average.
fn other_bonus(rs: &Ruleset, e: &Enterprise) -> Bonus {
    Bonus {
        tax: 0.0,
        innovation: innovation_bonus(rs, e),
        quality: if e.quality_exposure {
            -rs.quality_penalty
        } else {
            0.0
        },
    }
}

type IndicatorPoints<'r> = ([Option<f64>; 6], [f64; 6], f64, &'r TaxBonus, Option<f64>);

/// Indicator values and points, the base, the scale's tax-bonus rule and
/// the tax per mu.
fn indicator_points<'r>(
    rs: &'r Ruleset,
    weights: &[f64; 6],
    e: &Enterprise,
    eff: &Effective,
) -> IndicatorPoints<'r> {
    let tax_per_mu = ratio(eff.tax_wan, e.land_mu);
    let mut pts = [0.0; 6];
    match e.scale {
        Scale::Above => {
            let values = indicator_values(e, eff);
            for (k, indicator) in Indicator::ALL.into_iter().enumerate() {
                let (w, b) = (weights[k], rs.benchmarks[k]);
                pts[k] = if indicator == Indicator::ValueAddedPerEmission && e.no_emission {
                    rs.no_emission_multiple * w
                } else {
                    points(w, values[k], b, rs.cap_multiple)
                };
            }
            let base = pts.iter().fold(0.0, |sum, p| sum + p);
            (values, pts, base, &rs.tax_bonus_above, tax_per_mu)
        }
        Scale::Below => {
            let w = rs.below.weight;
            let cap = rs.cap_multiple * w;
            pts[0] = match (tax_per_mu, rs.below.benchmark) {
                (Some(v), _) if v < 0.0 => 0.0,
                (Some(v), None) => v.min(cap),
                (v @ Some(_), Some(b)) => points(w, v, b, rs.cap_multiple),
                (None, _) => 0.0,
            };
            let mut values = [None; 6];
            values[0] = tax_per_mu;
            (values, pts, pts[0], &rs.tax_bonus_below, tax_per_mu)
        }
    }
}

/// Scores one enterprise, with the breakdown a screen explains.
/// `city_avg` is the city's tax per mu for its scale.
pub fn score(rs: &Ruleset, e: &Enterprise, eff: &Effective, city_avg: Option<f64>) -> Scored {
    let weights = &rs.group_of(e.industry).weights;
    let (values, points, base, rule, tax_per_mu) = indicator_points(rs, weights, e, eff);
    let bonus = Bonus {
        tax: tax_bonus(rule, eff.tax_wan, tax_per_mu, city_avg),
        ..other_bonus(rs, e)
    };
    let indicators = match e.scale {
        Scale::Above => Indicator::ALL
            .into_iter()
            .enumerate()
            .map(|(k, indicator)| IndicatorScore {
                indicator,
                value: values[k],
                benchmark: Some(rs.benchmarks[k]),
                weight: weights[k],
                cap: rs.cap_multiple * weights[k],
                points: points[k],
                no_emission_base: indicator == Indicator::ValueAddedPerEmission && e.no_emission,
            })
            .collect(),
        Scale::Below => vec![IndicatorScore {
            indicator: Indicator::TaxPerMu,
            value: tax_per_mu,
            benchmark: rs.below.benchmark,
            weight: rs.below.weight,
            cap: rs.cap_multiple * rs.below.weight,
            points: points[0],
            no_emission_base: false,
        }],
    };
    Scored {
        indicators,
        base,
        bonus,
        score: canonical(base + bonus.total()),
        tax_per_mu,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provisional_score_is_the_score_for_every_average() {
        let rs = Ruleset::builtin_2020();
        for e in crate::synth::city(11, 2020, 400, 600) {
            let eff = Effective::own(&e);
            let w = &rs.group_of(e.industry).weights;
            let p = provisional(&rs, w, &e, &eff);
            let tpm = ratio(e.tax_wan, e.land_mu);
            let avgs = [
                None,
                Some(0.0),
                Some(3.0),
                Some(25.0),
                tpm,
                tpm.map(|t| t * 0.999),
            ];
            for avg in avgs {
                let want = score(&rs, &e, &eff, avg).score;
                assert_eq!(
                    p.score(avg).to_bits(),
                    want.to_bits(),
                    "{} at {avg:?}",
                    e.uscc
                );
            }
        }
    }
}
