//! 分类施策: what a class entitles an enterprise to (spec §9), as data of
//! the year's ruleset. Each measure has its key, the units that apply it,
//! a value per class — a number where the policy gives one (a percentage,
//! a coefficient, an amount), words where it gives words — and its
//! overrides: an industry leader's subsidy coefficient whatever its class,
//! the 2024 subsidy's uplift for strategic emerging industries with its
//! cap. The texts shown beside a grade are computed from these values, so
//! a ruleset edited for a year shows what it applies.

use crate::types::Class;
use serde::{Deserialize, Serialize};

/// One measure of 分类施策.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Stable key (`land_use_tax`, `subsidy_coefficient` …): lists, the API
    /// and implementing-unit accounts name a measure by it.
    pub key: String,
    pub topic_zh: String,
    pub topic_en: String,
    /// The units that apply it, as the policy names them.
    pub units: Vec<String>,
    /// A number per class (A first), when the policy gives numbers.
    #[serde(default)]
    pub values: Option<[f64; 4]>,
    /// The numbers' unit (`%`, `万元`; empty for a coefficient).
    #[serde(default)]
    pub unit_zh: String,
    #[serde(default)]
    pub unit_en: String,
    /// Words per class where the policy gives words (empty: nothing said).
    #[serde(default)]
    pub zh: [String; 4],
    #[serde(default)]
    pub en: [String; 4],
    /// An industry leader's (行业领跑者) value, whatever its class.
    #[serde(default)]
    pub leader: Option<f64>,
    /// Percent added for a strategic emerging industry, whatever the class…
    #[serde(default)]
    pub emerging_uplift_pct: Option<f64>,
    /// …up to this value.
    #[serde(default)]
    pub cap: Option<f64>,
    /// The record fields the implementing unit needs beside the value
    /// (record column keys: land, energy, emission).
    #[serde(default)]
    pub figures: Vec<String>,
}

/// What a measure gives one enterprise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entitlement {
    /// The number, where the measure has numbers.
    pub value: Option<f64>,
    /// In people's words (Chinese), with the unit and why an override applies.
    pub zh: String,
    pub en: String,
}

/// A unit of `Measure::units` in English (the policy names them in Chinese);
/// a name this table does not know stays as written.
pub fn unit_en(unit: &str) -> &str {
    match unit {
        "税务" => "Tax bureau",
        "财政" => "Finance bureau",
        "经信" => "Economy & IT bureau",
        "生态环境" => "Ecology & environment bureau",
        "电力" => "Power company",
        "发改" => "Development & reform commission",
        "自然资源" => "Natural resources bureau",
        "人行" => "People's Bank of China",
        "金融办" => "Financial affairs office",
        other => other,
    }
}

/// A number as people write it: no trailing zeros, at most two decimals.
pub fn number(v: f64) -> String {
    let s = format!("{:.2}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Measure {
    fn with_unit(&self, v: f64, zh: bool) -> String {
        let unit = if zh { &self.unit_zh } else { &self.unit_en };
        match unit.as_str() {
            "" => number(v),
            "%" => format!("{}%", number(v)),
            u => format!("{} {u}", number(v)),
        }
    }

    /// What the measure gives an enterprise of `class`; `leader` and
    /// `emerging` are the enterprise's facts the overrides look at.
    pub fn entitlement(&self, class: Class, leader: bool, emerging: bool) -> Entitlement {
        let i = class as usize;
        let Some(values) = self.values else {
            return Entitlement {
                value: None,
                zh: self.zh[i].clone(),
                en: self.en[i].clone(),
            };
        };
        if let (true, Some(l)) = (leader, self.leader) {
            return Entitlement {
                value: Some(l),
                zh: format!("{}（行业领跑者）", self.with_unit(l, true)),
                en: format!("{} (industry leader)", self.with_unit(l, false)),
            };
        }
        let base = values[i];
        if let (true, Some(pct)) = (emerging, self.emerging_uplift_pct) {
            let raised = base * (1.0 + pct / 100.0);
            let v = self.cap.map_or(raised, |c| raised.min(c));
            return Entitlement {
                value: Some(v),
                zh: format!(
                    "{}（战略性新兴产业上浮 {}%）",
                    self.with_unit(v, true),
                    number(pct)
                ),
                en: format!(
                    "{} (strategic emerging, +{}%)",
                    self.with_unit(v, false),
                    number(pct)
                ),
            };
        }
        Entitlement {
            value: Some(base),
            zh: self.with_unit(base, true),
            en: self.with_unit(base, false),
        }
    }

    /// The text shown beside a grade of `class`: the class's value, and the
    /// overrides any enterprise of it may get.
    pub fn text(&self, class: Class, zh: bool) -> String {
        let i = class as usize;
        let Some(values) = self.values else {
            return if zh { &self.zh[i] } else { &self.en[i] }.clone();
        };
        let mut out = self.with_unit(values[i], zh);
        if let Some(l) = self.leader.filter(|l| *l != values[i]) {
            out += &if zh {
                format!("（行业领跑者 {}）", self.with_unit(l, true))
            } else {
                format!(" (industry leader: {})", self.with_unit(l, false))
            };
        }
        if let Some(pct) = self.emerging_uplift_pct {
            let cap = self.cap.map(|c| self.with_unit(c, zh));
            out += &match (zh, cap) {
                (true, Some(c)) => format!("（战略性新兴产业 +{}%，最高 {c}）", number(pct)),
                (true, None) => format!("（战略性新兴产业 +{}%）", number(pct)),
                (false, Some(c)) => format!(" (+{}% strategic emerging, cap {c})", number(pct)),
                (false, None) => format!(" (+{}% strategic emerging)", number(pct)),
            };
        }
        out
    }
}

fn words(a: [&str; 4]) -> [String; 4] {
    a.map(String::from)
}

#[allow(clippy::too_many_arguments)]
fn numeric(
    key: &str,
    topic: (&str, &str),
    units: &[&str],
    values: [f64; 4],
    unit: (&str, &str),
    figures: &[&str],
) -> Measure {
    Measure {
        key: key.into(),
        topic_zh: topic.0.into(),
        topic_en: topic.1.into(),
        units: units.iter().map(|u| u.to_string()).collect(),
        values: Some(values),
        unit_zh: unit.0.into(),
        unit_en: unit.1.into(),
        zh: Default::default(),
        en: Default::default(),
        leader: None,
        emerging_uplift_pct: None,
        cap: None,
        figures: figures.iter().map(|f| f.to_string()).collect(),
    }
}

fn worded(
    key: &str,
    topic: (&str, &str),
    units: &[&str],
    zh: [&str; 4],
    en: [&str; 4],
    figures: &[&str],
) -> Measure {
    Measure {
        key: key.into(),
        topic_zh: topic.0.into(),
        topic_en: topic.1.into(),
        units: units.iter().map(|u| u.to_string()).collect(),
        values: None,
        unit_zh: String::new(),
        unit_en: String::new(),
        zh: words(zh),
        en: words(en),
        leader: None,
        emerging_uplift_pct: None,
        cap: None,
        figures: figures.iter().map(|f| f.to_string()).collect(),
    }
}

/// The measures of 嘉政办发〔2021〕5号 §三 and 嘉政发〔2024〕10号 (十九), as
/// spec §9 restates them, with the units the texts name for each.
pub fn builtin() -> Vec<Measure> {
    vec![
        numeric(
            "land_use_tax",
            ("城镇土地使用税减免", "Urban land-use tax reduction"),
            &["税务"],
            [100.0, 80.0, 0.0, 0.0],
            ("%", "%"),
            &["land_mu", "tax_wan"],
        ),
        Measure {
            leader: Some(1.5),
            ..numeric(
                "subsidy_coefficient",
                (
                    "市工业发展资金投资补助系数",
                    "Municipal industrial fund subsidy coefficient",
                ),
                &["财政", "经信"],
                [1.2, 1.0, 0.8, 0.0],
                ("", ""),
                &["industry_leader"],
            )
        },
        numeric(
            "emission_task",
            (
                "年度减排任务（相对全市平均）",
                "Annual emission-reduction task vs city average",
            ),
            &["生态环境"],
            [80.0, 90.0, 100.0, 150.0],
            ("%", "%"),
            &["emission_t"],
        ),
        worded(
            "emission_rights",
            ("新增排污权", "New emission rights"),
            &["生态环境"],
            [
                "政府储备优先保障",
                "政府储备优先保障",
                "仅可二级市场交易取得",
                "不予新增",
            ],
            [
                "Government reserve, priority",
                "Government reserve, priority",
                "Secondary market only",
                "None",
            ],
            &["emission_t"],
        ),
        worded(
            "emission_leasing",
            ("排污权短期租赁", "Short-term emission-rights leasing"),
            &["生态环境"],
            ["允许", "允许", "不允许", "不允许"],
            ["Allowed", "Allowed", "No", "No"],
            &["emission_t"],
        ),
        worded(
            "electricity",
            ("用电", "Electricity"),
            &["电力", "发改"],
            [
                "有序用电优先保障；参与电力直接交易、一类用户",
                "",
                "",
                "不得参与电力直接交易；加价最高 0.50 元/千瓦时",
            ],
            [
                "Priority in orderly use; direct trading, class-1 user",
                "",
                "",
                "No direct trading; surcharge up to 0.50 yuan/kWh",
            ],
            &["energy_tce"],
        ),
        worded(
            "gas",
            ("用气价格", "Gas price"),
            &["发改"],
            ["优惠", "", "上浮", "上浮"],
            ["Discount", "", "Raised", "Raised"],
            &["energy_tce"],
        ),
        worded(
            "land",
            ("用地", "Land"),
            &["自然资源"],
            [
                "优先保障；弹性年期 20/30 年；A 类项目可按底价 70% 起始",
                "优先保障；弹性年期",
                "",
                "",
            ],
            [
                "Priority; flexible 20/30-year terms; A projects may start at 70% of floor price",
                "Priority; flexible terms",
                "",
                "",
            ],
            &["land_mu"],
        ),
        worded(
            "finance",
            ("金融", "Finance"),
            &["人行", "金融办"],
            ["优先支持", "", "", "限制扩大产能贷款"],
            [
                "Priority support",
                "",
                "",
                "Capacity-expansion loans restricted",
            ],
            &[],
        ),
        Measure {
            emerging_uplift_pct: Some(5.0),
            cap: Some(1500.0),
            ..numeric(
                "smart_upgrade_2024",
                (
                    "2024 年智能化改造补助（项目≥2000 万元，嘉政发〔2024〕10号）",
                    "2024 smart-upgrade subsidy, projects ≥ 20M yuan",
                ),
                &["经信", "财政"],
                [1500.0, 1000.0, 600.0, 300.0],
                ("万元", "10k yuan"),
                &[],
            )
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(key: &str) -> Measure {
        builtin().into_iter().find(|m| m.key == key).unwrap()
    }

    #[test]
    fn a_leader_gets_one_and_a_half_whatever_its_class() {
        let s = m("subsidy_coefficient");
        for &c in Class::ALL {
            assert_eq!(s.entitlement(c, true, false).value, Some(1.5), "{c:?}");
        }
        assert_eq!(s.entitlement(Class::A, false, false).value, Some(1.2));
        assert_eq!(s.entitlement(Class::D, false, false).value, Some(0.0));
        assert_eq!(s.text(Class::D, true), "0（行业领跑者 1.5）");
        assert_eq!(s.text(Class::B, false), "1 (industry leader: 1.5)");
    }

    #[test]
    fn the_2024_subsidy_rises_five_percent_up_to_the_cap() {
        let s = m("smart_upgrade_2024");
        assert_eq!(s.entitlement(Class::B, false, true).value, Some(1050.0));
        assert_eq!(s.entitlement(Class::D, false, true).value, Some(315.0));
        assert_eq!(
            s.entitlement(Class::A, false, true).value,
            Some(1500.0),
            "capped"
        );
        assert_eq!(s.entitlement(Class::C, false, false).zh, "600 万元");
        assert!(s.text(Class::D, true).contains("最高 1500 万元"));
    }

    #[test]
    fn every_measure_has_units_and_a_value_or_words_for_some_class() {
        let all = builtin();
        let mut keys: Vec<&str> = all.iter().map(|m| m.key.as_str()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all.len(), "keys are unique");
        for m in &all {
            assert!(!m.units.is_empty(), "{}", m.key);
            for u in &m.units {
                assert!(unit_en(u).is_ascii(), "{} has no English name", u);
            }
            assert!(
                m.values.is_some() || m.zh.iter().any(|t| !t.is_empty()),
                "{}",
                m.key
            );
            for f in &m.figures {
                assert!(crate::record::column_by_key(f).is_some(), "{f}");
            }
        }
    }
}
