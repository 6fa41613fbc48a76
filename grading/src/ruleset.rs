//! Rulesets: every number of sections 3–9 of the spec, as data, one per
//! evaluation year, so an administrator can change a benchmark or a cut-off
//! without a code change. The 2020 ruleset is built in.

use crate::types::{Class, Industry, Talent, Tier};
use serde::{Deserialize, Serialize};

/// The six indicators, in the order of the spec (and of the base-score sum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    TaxPerMu,
    ValueAddedPerMu,
    RndIntensity,
    ValueAddedPerEnergy,
    ValueAddedPerEmission,
    LabourProductivity,
}

impl Indicator {
    pub const ALL: [Indicator; 6] = [
        Indicator::TaxPerMu,
        Indicator::ValueAddedPerMu,
        Indicator::RndIntensity,
        Indicator::ValueAddedPerEnergy,
        Indicator::ValueAddedPerEmission,
        Indicator::LabourProductivity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Indicator::TaxPerMu => "tax_per_mu",
            Indicator::ValueAddedPerMu => "value_added_per_mu",
            Indicator::RndIntensity => "rnd_intensity",
            Indicator::ValueAddedPerEnergy => "value_added_per_energy",
            Indicator::ValueAddedPerEmission => "value_added_per_emission",
            Indicator::LabourProductivity => "labour_productivity",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Indicator::TaxPerMu => "亩均税收",
            Indicator::ValueAddedPerMu => "亩均工业增加值",
            Indicator::RndIntensity => "研发经费占主营业务收入比重",
            Indicator::ValueAddedPerEnergy => "单位能耗工业增加值",
            Indicator::ValueAddedPerEmission => "单位排污权工业增加值",
            Indicator::LabourProductivity => "全员劳动生产率",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Indicator::TaxPerMu => "Tax per mu",
            Indicator::ValueAddedPerMu => "Value added per mu",
            Indicator::RndIntensity => "R&D intensity",
            Indicator::ValueAddedPerEnergy => "Value added per tce",
            Indicator::ValueAddedPerEmission => "Value added per t of emission rights",
            Indicator::LabourProductivity => "Labour productivity",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Indicator::TaxPerMu | Indicator::ValueAddedPerMu => "万元/亩",
            Indicator::RndIntensity => "%",
            Indicator::ValueAddedPerEnergy => "万元/吨标准煤",
            Indicator::ValueAddedPerEmission => "万元/吨",
            Indicator::LabourProductivity => "万元/人·年",
        }
    }
}

/// A weight group (权数组) and the industries it covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightGroup {
    pub id: String,
    pub industries: Vec<Industry>,
    /// Points of the six indicators in `Indicator::ALL` order; they sum to 100.
    pub weights: [f64; 6],
}

/// A tax bonus: `min(max, floor((tax - min_tax) / step) * points_per_step)`
/// when `tax > min_tax` and the tax per mu beats the city average.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaxBonus {
    pub min_tax: f64,
    pub step: f64,
    pub points_per_step: f64,
    pub max: f64,
}

/// Innovation bonus points, awarded by the "就高" principle (the single highest).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Innovation {
    pub talent_academician: f64,
    pub talent_national: f64,
    pub talent_provincial: f64,
    pub talent_municipal: f64,
    pub postdoc_national: f64,
    pub postdoc_provincial: f64,
    pub rnd_institution_national: f64,
    pub rnd_institution_provincial: f64,
    pub high_tech_recent: f64,
}

impl Innovation {
    pub fn talent(&self, t: Talent) -> f64 {
        match t {
            Talent::None => 0.0,
            Talent::Academician => self.talent_academician,
            Talent::National => self.talent_national,
            Talent::Provincial => self.talent_provincial,
            Talent::Municipal => self.talent_municipal,
        }
    }

    pub fn postdoc(&self, t: Tier) -> f64 {
        match t {
            Tier::None => 0.0,
            Tier::National => self.postdoc_national,
            Tier::Provincial => self.postdoc_provincial,
        }
    }

    pub fn rnd_institution(&self, t: Tier) -> f64 {
        match t {
            Tier::None => 0.0,
            Tier::National => self.rnd_institution_national,
            Tier::Provincial => self.rnd_institution_provincial,
        }
    }
}

/// Below-size scoring: tax per mu only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BelowRule {
    pub weight: f64,
    /// None: the base score is the tax per mu itself (capped); Some(b): `weight * v / b`.
    pub benchmark: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortBy {
    /// Each of `main_industries` on its own, the rest together as `other`.
    Industry,
    /// One cohort per weight group.
    WeightGroup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    City,
    County,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortRule {
    pub by: CohortBy,
    pub main_industries: Vec<Industry>,
    pub scope: Scope,
}

/// Percent cut-offs for A, B and C ("含本数": the boundary is in the better class).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cutoffs {
    pub above: [u32; 3],
    pub below: [u32; 3],
}

/// Thresholds of the special rules (section 7).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpecialRules {
    /// Under this many years in production (or since upgrade) is new (①).
    pub new_enterprise_years: f64,
    /// Tax per mu above this raises one class (④).
    pub upgrade_tax_per_mu: f64,
    /// Below-size land from this many mu (up to `land_forced_d_mu`) lowers one class (⑥).
    pub land_downgrade_mu: f64,
    /// Below-size land from this many mu is class D (⑥).
    pub land_forced_d_mu: f64,
    /// This many years without revenue or tax, holding land, is a zombie (⑤).
    pub zombie_years: u32,
    /// Exactly this many general accidents lowers one class (⑦).
    pub downgrade_general_accidents: u32,
    /// This many safety penalties or more lowers one class (⑦).
    pub downgrade_safety_penalties: u32,
    /// This many larger accidents or more is class D (⑦).
    pub forced_d_larger_accidents: u32,
    /// This many general accidents or more is class D (⑦).
    pub forced_d_general_accidents: u32,
}

/// County (主体) evaluation parameters (section 8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyRule {
    pub weight_group: String,
    pub level_share: f64,
    pub growth_share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ruleset {
    pub year: i32,
    pub name: String,
    /// Benchmarks of the six indicators in `Indicator::ALL` order.
    pub benchmarks: [f64; 6],
    pub weight_groups: Vec<WeightGroup>,
    /// The group for any industry no group names.
    pub default_group: String,
    /// Points never exceed `cap_multiple * weight`.
    pub cap_multiple: f64,
    /// Indicator 5 points for a `no_emission` enterprise, as a multiple of its weight.
    pub no_emission_multiple: f64,
    pub below: BelowRule,
    pub tax_bonus_above: TaxBonus,
    pub tax_bonus_below: TaxBonus,
    pub innovation: Innovation,
    pub quality_penalty: f64,
    pub cohort: CohortRule,
    pub cutoffs: Cutoffs,
    pub excluded_industries: Vec<Industry>,
    pub special: SpecialRules,
    pub county: CountyRule,
    /// 分类施策: what each class entitles an enterprise to (spec §9). A
    /// stored ruleset from before measures were data gets the built-in ones.
    #[serde(default = "crate::measures::builtin")]
    pub measures: Vec<crate::measures::Measure>,
}

#[derive(Debug, thiserror::Error)]
pub enum RulesetError {
    #[error("规则文件（TOML）无法解析：{0}")]
    Toml(#[from] toml::de::Error),
    #[error("规则文件（JSON）无法解析：{0}")]
    Json(#[from] serde_json::Error),
    #[error("规则不一致：{0}")]
    Invalid(String),
}

impl Ruleset {
    pub fn from_toml(text: &str) -> Result<Ruleset, RulesetError> {
        let r: Ruleset = toml::from_str(text)?;
        r.validate()?;
        Ok(r)
    }

    pub fn from_json(text: &str) -> Result<Ruleset, RulesetError> {
        let r: Ruleset = serde_json::from_str(text)?;
        r.validate()?;
        Ok(r)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks what the arithmetic relies on: positive benchmarks, weights
    /// summing to 100, ordered cut-offs, a default group that exists.
    pub fn validate(&self) -> Result<(), RulesetError> {
        let bad = |m: String| Err(RulesetError::Invalid(m));
        if self
            .benchmarks
            .iter()
            .any(|b| b.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
        {
            return bad("基准值必须为正数".into());
        }
        for g in &self.weight_groups {
            let sum: f64 = g.weights.iter().sum();
            if (sum - 100.0).abs() > 1e-9 || g.weights.iter().any(|w| *w < 0.0) {
                return bad(format!("权数组 {} 的权数之和应为 100，实际为 {sum}", g.id));
            }
        }
        if self.group(&self.default_group).is_none() {
            return bad(format!("默认权数组 {} 不存在", self.default_group));
        }
        if self.group(&self.county.weight_group).is_none() {
            return bad(format!(
                "主体评价权数组 {} 不存在",
                self.county.weight_group
            ));
        }
        for c in [self.cutoffs.above, self.cutoffs.below] {
            if !(c[0] <= c[1] && c[1] <= c[2] && c[2] <= 100) {
                return bad(format!("分类比例 {c:?} 应递增且不超过 100"));
            }
        }
        if self.below.benchmark.is_some_and(|b| b <= 0.0) {
            return bad("规下企业基准值必须为正数".into());
        }
        let mut keys = std::collections::HashSet::new();
        for m in &self.measures {
            if !keys.insert(m.key.as_str()) {
                return bad(format!("措施 {} 重复", m.key));
            }
            let numbers = m.values.iter().flatten().chain(&m.leader).chain(&m.cap);
            if numbers.clone().any(|v| !v.is_finite() || *v < 0.0) {
                return bad(format!("措施“{}”的数值必须为非负数", m.topic_zh));
            }
        }
        for t in [&self.tax_bonus_above, &self.tax_bonus_below] {
            if t.step <= 0.0 {
                return bad("加分步长必须为正数".into());
            }
        }
        Ok(())
    }

    pub fn group(&self, id: &str) -> Option<&WeightGroup> {
        self.weight_groups.iter().find(|g| g.id == id)
    }

    /// The weight group of an industry (the default group when none names it).
    pub fn group_of(&self, industry: Industry) -> &WeightGroup {
        self.weight_groups
            .iter()
            .find(|g| g.industries.contains(&industry))
            .or_else(|| self.group(&self.default_group))
            .unwrap_or(&self.weight_groups[0])
    }

    pub fn is_excluded(&self, industry: Industry) -> bool {
        self.excluded_industries.contains(&industry)
    }

    /// What a class means, measure by measure, in Chinese (`zh`) or
    /// English: (topic, text), computed from the measures' values.
    pub fn consequences_for(&self, class: Class, zh: bool) -> Vec<(String, String)> {
        self.measures
            .iter()
            .map(|m| {
                let topic = if zh { &m.topic_zh } else { &m.topic_en };
                (topic.clone(), m.text(class, zh))
            })
            .collect()
    }

    pub fn measure(&self, key: &str) -> Option<&crate::measures::Measure> {
        self.measures.iter().find(|m| m.key == key)
    }

    /// The ruleset of 嘉政办发〔2021〕5号 as restated in the spec.
    pub fn builtin_2020() -> Ruleset {
        use Industry::*;
        let group = |id: &str, industries: Vec<Industry>, weights: [f64; 6]| WeightGroup {
            id: id.into(),
            industries,
            weights,
        };
        Ruleset {
            year: 2020,
            name: "嘉政办发〔2021〕5号 2020 年度工业企业绩效综合评价".into(),
            benchmarks: [46.0, 220.0, 4.0, 2.5, 700.0, 40.0],
            weight_groups: vec![
                group(
                    "G1",
                    vec![Dyeing, Chemical, ChemicalFiber],
                    [30.0, 25.0, 10.0, 15.0, 15.0, 5.0],
                ),
                group(
                    "G2",
                    vec![Textile, Apparel, Leather, Furniture],
                    [30.0, 30.0, 20.0, 5.0, 5.0, 10.0],
                ),
                group("G3", vec![AgriFood], [30.0, 25.0, 10.0, 10.0, 20.0, 5.0]),
                group("G4", vec![Other], [30.0, 25.0, 15.0, 10.0, 10.0, 10.0]),
            ],
            default_group: "G4".into(),
            cap_multiple: 1.5,
            no_emission_multiple: 1.0,
            below: BelowRule {
                weight: 100.0,
                benchmark: None,
            },
            tax_bonus_above: TaxBonus {
                min_tax: 1000.0,
                step: 10.0,
                points_per_step: 0.01,
                max: 10.0,
            },
            tax_bonus_below: TaxBonus {
                min_tax: 50.0,
                step: 1.0,
                points_per_step: 0.1,
                max: 10.0,
            },
            innovation: Innovation {
                talent_academician: 6.0,
                talent_national: 4.0,
                talent_provincial: 2.0,
                talent_municipal: 1.0,
                postdoc_national: 4.0,
                postdoc_provincial: 2.0,
                rnd_institution_national: 2.0,
                rnd_institution_provincial: 1.0,
                high_tech_recent: 2.0,
            },
            quality_penalty: 2.0,
            cohort: CohortRule {
                by: CohortBy::Industry,
                main_industries: vec![
                    Dyeing,
                    Chemical,
                    ChemicalFiber,
                    Textile,
                    Apparel,
                    Leather,
                    Furniture,
                    AgriFood,
                ],
                scope: Scope::City,
            },
            cutoffs: Cutoffs {
                above: [15, 60, 95],
                below: [5, 40, 80],
            },
            excluded_industries: vec![Power, Gas, Water, WasteIncineration, Sewage],
            special: SpecialRules {
                new_enterprise_years: 2.0,
                upgrade_tax_per_mu: 50.0,
                land_downgrade_mu: 10.0,
                land_forced_d_mu: 20.0,
                zombie_years: 2,
                downgrade_general_accidents: 1,
                downgrade_safety_penalties: 2,
                forced_d_larger_accidents: 1,
                forced_d_general_accidents: 2,
            },
            county: CountyRule {
                weight_group: "G4".into(),
                level_share: 0.6,
                growth_share: 0.4,
            },
            measures: crate::measures::builtin(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_valid_and_round_trips_through_toml_and_json() {
        let r = Ruleset::builtin_2020();
        r.validate().expect("built-in ruleset is valid");
        let back = Ruleset::from_toml(&r.to_toml()).expect("toml");
        assert_eq!(back, r);
        let json = serde_json::to_string(&r).expect("json");
        assert_eq!(Ruleset::from_json(&json).expect("json back"), r);
    }

    #[test]
    fn invalid_weights_are_refused() {
        let mut r = Ruleset::builtin_2020();
        r.weight_groups[0].weights[0] = 31.0;
        let err = r.validate().expect_err("weights sum to 101");
        assert!(err.to_string().contains("G1"), "{err}");
    }
}
