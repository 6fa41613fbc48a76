//! Data-quality warnings: values the rules accept (and score as missing or
//! zero) but an official should chase with the providing department.

use crate::input::Enterprise;
use crate::types::Scale;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "field", rename_all = "snake_case")]
pub enum Warning {
    /// An input of the enterprise's indicators is empty.
    Missing(String),
    /// Tax, revenue or value added below zero (refunds, losses).
    Negative(String),
    /// A below-size enterprise with no land of its own and no lessor.
    NoLand,
}

impl Warning {
    pub fn zh(&self) -> String {
        let name =
            |k: &str| crate::record::column_by_key(k).map_or(k.to_string(), |c| c.zh.to_string());
        match self {
            Warning::Missing(k) => format!("缺少{}", name(k)),
            Warning::Negative(k) => format!("{}为负数", name(k)),
            Warning::NoLand => "规下企业无用地且未填写出租方".into(),
        }
    }

    pub fn en(&self) -> String {
        let name =
            |k: &str| crate::record::column_by_key(k).map_or(k.to_string(), |c| c.en.to_string());
        match self {
            Warning::Missing(k) => format!("{} missing", name(k)),
            Warning::Negative(k) => format!("{} negative", name(k)),
            Warning::NoLand => "below-size, no land and no lessor".into(),
        }
    }
}

/// The warnings of one record, in column order.
pub fn warnings(e: &Enterprise) -> Vec<Warning> {
    let mut out = Vec::new();
    let needed: &[(&str, Option<f64>)] = match e.scale {
        Scale::Above => &[
            ("land_mu", e.land_mu),
            ("tax_wan", e.tax_wan),
            ("revenue_wan", e.revenue_wan),
            ("value_added_wan", e.value_added_wan),
            ("rnd_wan", e.rnd_wan),
            ("energy_tce", e.energy_tce),
            (
                "emission_t",
                if e.no_emission {
                    Some(0.0)
                } else {
                    e.emission_t
                },
            ),
            ("employees", e.employees),
        ],
        Scale::Below => &[("land_mu", e.land_mu), ("tax_wan", e.tax_wan)],
    };
    for (k, v) in needed {
        if v.is_none() && !(e.scale == Scale::Below && *k == "land_mu" && e.lessor_uscc.is_some()) {
            out.push(Warning::Missing(k.to_string()));
        }
    }
    for (k, v) in [
        ("tax_wan", e.tax_wan),
        ("revenue_wan", e.revenue_wan),
        ("value_added_wan", e.value_added_wan),
    ] {
        if v.is_some_and(|x| x < 0.0) {
            out.push(Warning::Negative(k.into()));
        }
    }
    if e.scale == Scale::Below && e.lessor_uscc.is_none() && e.land_mu.is_some_and(|l| l <= 0.0) {
        out.push(Warning::NoLand);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_negative_and_landless() {
        let mut e = Enterprise {
            scale: Scale::Above,
            land_mu: Some(10.0),
            tax_wan: Some(-3.0),
            no_emission: true,
            ..Default::default()
        };
        let w = warnings(&e);
        assert!(w.contains(&Warning::Missing("revenue_wan".into())));
        assert!(
            !w.contains(&Warning::Missing("emission_t".into())),
            "no_emission needs no emission rights"
        );
        assert!(w.contains(&Warning::Negative("tax_wan".into())));
        e.scale = Scale::Below;
        e.land_mu = Some(0.0);
        e.tax_wan = Some(1.0);
        assert_eq!(warnings(&e), vec![Warning::NoLand]);
        e.lessor_uscc = Some("x".into());
        e.land_mu = None;
        assert!(warnings(&e).is_empty(), "a lessee needs no land of its own");
    }
}
