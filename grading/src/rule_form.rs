//! A ruleset as the administrator edits it: every number a named form
//! field with its unit and its rule, and the rules between fields (a
//! group's weights sum to 100, cut-offs increase, the county shares make
//! one). The engine owns this list so the browser and the server check a
//! draft the same way, and so a number added to [`Ruleset`] is one line
//! here rather than a form to keep in step.

use crate::measures::number;
use crate::ruleset::{Indicator, Ruleset};
use crate::words::Words;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a field sits on the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Benchmarks,
    Weights,
    Scoring,
    Bonus,
    Innovation,
    Cutoffs,
    Special,
    County,
    Measures,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Benchmarks,
        Section::Weights,
        Section::Scoring,
        Section::Bonus,
        Section::Innovation,
        Section::Cutoffs,
        Section::Special,
        Section::County,
        Section::Measures,
    ];

    pub fn words(self) -> Words {
        let (zh, en) = match self {
            Section::Benchmarks => ("指标基准值", "Benchmarks"),
            Section::Weights => ("指标权数（按行业组）", "Weights by industry group"),
            Section::Scoring => ("计分", "Scoring"),
            Section::Bonus => ("税收加分", "Tax bonus"),
            Section::Innovation => ("创新加分", "Innovation bonus"),
            Section::Cutoffs => ("分类比例", "Class cut-offs"),
            Section::Special => ("特殊规则", "Special rules"),
            Section::County => ("县（市、区）评价", "County evaluation"),
            Section::Measures => ("分类施策", "Measures by class"),
        };
        Words::new(zh, en)
    }
}

/// What a field holds and where its limits are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Greater than zero.
    Positive,
    /// Zero or more.
    NonNegative,
    /// A whole number, zero or more.
    Count,
    /// A whole percentage, 0 to 100.
    Percent,
    /// A share between 0 and 1.
    Share,
}

/// One number of the ruleset on the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleField {
    /// Stable key (`benchmark.tax_per_mu`, `weight.G1.tax_per_mu`,
    /// `cutoff.above.a` …): the form's input name and the audit's field.
    pub key: String,
    pub section: Section,
    pub label: Words,
    pub unit: Words,
    pub kind: Kind,
    /// May be left empty (e.g. below-size enterprises ranked on their
    /// actual tax per mu when no benchmark is set).
    pub optional: bool,
    pub value: Option<f64>,
}

impl RuleField {
    /// The value as the form shows it.
    pub fn text(&self) -> String {
        self.value.map(fmt).unwrap_or_default()
    }
}

/// A number as the form shows it: the shortest text that reads back as
/// the same number (so saving an untouched form changes nothing).
pub fn fmt(v: f64) -> String {
    v.to_string()
}

/// A refusal, naming the field (or the first field of the rule it breaks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub key: String,
    pub label: Words,
    pub reason: Words,
}

struct Spec {
    key: String,
    section: Section,
    label: Words,
    unit: Words,
    kind: Kind,
    optional: bool,
}

type Visit<'a> = dyn FnMut(&Spec, &mut Option<f64>) + 'a;

fn w(zh: impl Into<String>, en: impl Into<String>) -> Words {
    Words::new(zh, en)
}

/// An indicator's unit in both languages.
pub fn indicator_unit(i: Indicator) -> Words {
    let en = match i {
        Indicator::TaxPerMu | Indicator::ValueAddedPerMu => "10k yuan/mu",
        Indicator::RndIntensity => "%",
        Indicator::ValueAddedPerEnergy => "10k yuan/tce",
        Indicator::ValueAddedPerEmission => "10k yuan/t",
        Indicator::LabourProductivity => "10k yuan/person·year",
    };
    w(i.unit(), en)
}

fn none() -> Words {
    Words::default()
}

/// Calls `f` on every number of `rs`, in form order, and writes back what
/// it leaves (a required field left `None` keeps its value).
fn visit(rs: &mut Ruleset, f: &mut Visit) {
    fn real(f: &mut Visit, s: Spec, x: &mut f64) {
        let mut o = Some(*x);
        f(&s, &mut o);
        if let Some(v) = o {
            *x = v;
        }
    }
    fn count(f: &mut Visit, s: Spec, x: &mut u32) {
        let mut o = Some(*x as f64);
        f(&s, &mut o);
        if let Some(v) = o {
            *x = v as u32;
        }
    }
    let spec = |key: String, section, label: Words, unit: Words, kind| Spec {
        key,
        section,
        label,
        unit,
        kind,
        optional: false,
    };
    use Kind::*;
    use Section as S;
    let wan = || w("万元", "10k yuan");
    let points = || w("分", "points");
    let mu = || w("亩", "mu");
    let years = || w("年", "years");
    let times = || w("次", "times");

    for (k, i) in Indicator::ALL.into_iter().enumerate() {
        real(
            f,
            spec(
                format!("benchmark.{}", i.code()),
                S::Benchmarks,
                w(i.zh(), i.en()),
                indicator_unit(i),
                Positive,
            ),
            &mut rs.benchmarks[k],
        );
    }
    for g in &mut rs.weight_groups {
        let members_zh: Vec<&str> = g.industries.iter().map(|x| x.zh()).collect();
        let members_en: Vec<&str> = g.industries.iter().map(|x| x.en()).collect();
        for (k, i) in Indicator::ALL.into_iter().enumerate() {
            real(
                f,
                spec(
                    format!("weight.{}.{}", g.id, i.code()),
                    S::Weights,
                    w(
                        format!("{}（{}）· {}", g.id, members_zh.join("、"), i.zh()),
                        format!("{} ({}) · {}", g.id, members_en.join(", "), i.en()),
                    ),
                    points(),
                    NonNegative,
                ),
                &mut g.weights[k],
            );
        }
    }
    real(
        f,
        spec(
            "cap_multiple".into(),
            S::Scoring,
            w(
                "单项得分上限（权数的倍数）",
                "Points cap (multiple of the weight)",
            ),
            w("倍", "×"),
            Positive,
        ),
        &mut rs.cap_multiple,
    );
    real(
        f,
        spec(
            "no_emission_multiple".into(),
            S::Scoring,
            w(
                "确无排放企业的排污权指标得分（权数的倍数）",
                "Emission points of an enterprise with no discharge (multiple of the weight)",
            ),
            w("倍", "×"),
            NonNegative,
        ),
        &mut rs.no_emission_multiple,
    );
    real(
        f,
        spec(
            "below.weight".into(),
            S::Scoring,
            w("规下企业亩均税收权数", "Below-size: weight of tax per mu"),
            points(),
            Positive,
        ),
        &mut rs.below.weight,
    );
    f(
        &Spec {
            optional: true,
            ..spec(
                "below.benchmark".into(),
                S::Scoring,
                w(
                    "规下企业亩均税收基准值（空：按实际排序）",
                    "Below-size: tax per mu benchmark (empty: ranked on the actual figure)",
                ),
                indicator_unit(Indicator::TaxPerMu),
                Positive,
            )
        },
        &mut rs.below.benchmark,
    );
    real(
        f,
        spec(
            "quality_penalty".into(),
            S::Scoring,
            w("质量曝光扣分", "Quality exposure penalty"),
            points(),
            NonNegative,
        ),
        &mut rs.quality_penalty,
    );
    for (scale, zh, en, t) in [
        ("above", "规上", "Above-size", &mut rs.tax_bonus_above),
        ("below", "规下", "Below-size", &mut rs.tax_bonus_below),
    ] {
        let key = |k: &str| format!("tax_bonus.{scale}.{k}");
        real(
            f,
            spec(
                key("min_tax"),
                S::Bonus,
                w(
                    format!("{zh}：实缴税金起点"),
                    format!("{en}: tax paid from"),
                ),
                wan(),
                NonNegative,
            ),
            &mut t.min_tax,
        );
        real(
            f,
            spec(
                key("step"),
                S::Bonus,
                w(format!("{zh}：每档税金"), format!("{en}: tax per step")),
                wan(),
                Positive,
            ),
            &mut t.step,
        );
        real(
            f,
            spec(
                key("points_per_step"),
                S::Bonus,
                w(format!("{zh}：每档加分"), format!("{en}: points per step")),
                points(),
                NonNegative,
            ),
            &mut t.points_per_step,
        );
        real(
            f,
            spec(
                key("max"),
                S::Bonus,
                w(format!("{zh}：最多加分"), format!("{en}: most points")),
                points(),
                NonNegative,
            ),
            &mut t.max,
        );
    }
    let inn = &mut rs.innovation;
    for (key, zh, en, x) in [
        (
            "academician",
            "两院院士",
            "Academician",
            &mut inn.talent_academician,
        ),
        (
            "talent_national",
            "国家级人才",
            "National talent programme",
            &mut inn.talent_national,
        ),
        (
            "talent_provincial",
            "省级人才",
            "Provincial talent programme",
            &mut inn.talent_provincial,
        ),
        (
            "talent_municipal",
            "市级人才",
            "Municipal talent programme",
            &mut inn.talent_municipal,
        ),
        (
            "postdoc_national",
            "国家级博士后工作站",
            "National postdoctoral station",
            &mut inn.postdoc_national,
        ),
        (
            "postdoc_provincial",
            "省级博士后工作站",
            "Provincial postdoctoral station",
            &mut inn.postdoc_provincial,
        ),
        (
            "rnd_national",
            "国家级研发机构",
            "National R&D institution",
            &mut inn.rnd_institution_national,
        ),
        (
            "rnd_provincial",
            "省级研发机构",
            "Provincial R&D institution",
            &mut inn.rnd_institution_provincial,
        ),
        (
            "high_tech",
            "近三年获评高新技术企业",
            "High-tech enterprise (last three years)",
            &mut inn.high_tech_recent,
        ),
    ] {
        real(
            f,
            spec(
                format!("innovation.{key}"),
                S::Innovation,
                w(zh, en),
                points(),
                NonNegative,
            ),
            x,
        );
    }
    for (scale, zh, en, c) in [
        ("above", "规上", "Above-size", &mut rs.cutoffs.above),
        ("below", "规下", "Below-size", &mut rs.cutoffs.below),
    ] {
        for (k, class) in ["a", "b", "c"].into_iter().enumerate() {
            let up = class.to_uppercase();
            count(
                f,
                spec(
                    format!("cutoff.{scale}.{class}"),
                    S::Cutoffs,
                    w(
                        format!("{zh}：{up} 类及以上占比（前 %）"),
                        format!("{en}: class {up} or better (top %)"),
                    ),
                    w("%", "%"),
                    Percent,
                ),
                &mut c[k],
            );
        }
    }
    let sp = &mut rs.special;
    real(
        f,
        spec(
            "special.new_enterprise_years".into(),
            S::Special,
            w(
                "投产（技改）不满几年为新企业",
                "New enterprise: in production (or since upgrade) under",
            ),
            years(),
            Positive,
        ),
        &mut sp.new_enterprise_years,
    );
    real(
        f,
        spec(
            "special.upgrade_tax_per_mu".into(),
            S::Special,
            w(
                "亩均税收高于此值上调一档",
                "Tax per mu above this raises one class",
            ),
            indicator_unit(Indicator::TaxPerMu),
            Positive,
        ),
        &mut sp.upgrade_tax_per_mu,
    );
    real(
        f,
        spec(
            "special.land_downgrade_mu".into(),
            S::Special,
            w(
                "规下企业用地自此下调一档",
                "Below-size land from this lowers one class",
            ),
            mu(),
            Positive,
        ),
        &mut sp.land_downgrade_mu,
    );
    real(
        f,
        spec(
            "special.land_forced_d_mu".into(),
            S::Special,
            w(
                "规下企业用地自此直接定为 D 类",
                "Below-size land from this is class D",
            ),
            mu(),
            Positive,
        ),
        &mut sp.land_forced_d_mu,
    );
    for (key, zh, en, unit, x) in [
        (
            "zombie_years",
            "连续几年无营收或税收且占地为“僵尸企业”",
            "Years without revenue or tax, holding land: a zombie enterprise",
            years(),
            &mut sp.zombie_years,
        ),
        (
            "downgrade_general_accidents",
            "发生一般事故几起下调一档",
            "General accidents that lower one class",
            times(),
            &mut sp.downgrade_general_accidents,
        ),
        (
            "downgrade_safety_penalties",
            "安全生产行政处罚自几次起下调一档",
            "Safety penalties from which one class is lowered",
            times(),
            &mut sp.downgrade_safety_penalties,
        ),
        (
            "forced_d_larger_accidents",
            "较大及以上事故自几起直接定为 D 类",
            "Larger accidents from which the class is D",
            times(),
            &mut sp.forced_d_larger_accidents,
        ),
        (
            "forced_d_general_accidents",
            "一般事故自几起直接定为 D 类",
            "General accidents from which the class is D",
            times(),
            &mut sp.forced_d_general_accidents,
        ),
    ] {
        count(
            f,
            spec(format!("special.{key}"), S::Special, w(zh, en), unit, Count),
            x,
        );
    }
    for (key, zh, en, x) in [
        (
            "level_share",
            "发展水平权重",
            "Share of the development level",
            &mut rs.county.level_share,
        ),
        (
            "growth_share",
            "同比增幅权重",
            "Share of year-on-year growth",
            &mut rs.county.growth_share,
        ),
    ] {
        real(
            f,
            spec(format!("county.{key}"), S::County, w(zh, en), none(), Share),
            x,
        );
    }
    for m in &mut rs.measures {
        let unit = w(m.unit_zh.clone(), m.unit_en.clone());
        if let Some(values) = &mut m.values {
            for (k, class) in ["A", "B", "C", "D"].into_iter().enumerate() {
                real(
                    f,
                    spec(
                        format!("measure.{}.{}", m.key, class.to_lowercase()),
                        S::Measures,
                        w(
                            format!("{}：{class} 类", m.topic_zh),
                            format!("{}: class {class}", m.topic_en),
                        ),
                        unit.clone(),
                        NonNegative,
                    ),
                    &mut values[k],
                );
            }
        }
        if m.leader.is_some() {
            f(
                &spec(
                    format!("measure.{}.leader", m.key),
                    S::Measures,
                    w(
                        format!("{}：行业领跑者", m.topic_zh),
                        format!("{}: industry leader", m.topic_en),
                    ),
                    unit.clone(),
                    NonNegative,
                ),
                &mut m.leader,
            );
        }
        if m.emerging_uplift_pct.is_some() {
            f(
                &spec(
                    format!("measure.{}.emerging_uplift", m.key),
                    S::Measures,
                    w(
                        format!("{}：战略性新兴产业上浮", m.topic_zh),
                        format!("{}: uplift for strategic emerging industries", m.topic_en),
                    ),
                    w("%", "%"),
                    NonNegative,
                ),
                &mut m.emerging_uplift_pct,
            );
        }
        if m.cap.is_some() {
            f(
                &spec(
                    format!("measure.{}.cap", m.key),
                    S::Measures,
                    w(
                        format!("{}：上限", m.topic_zh),
                        format!("{}: cap", m.topic_en),
                    ),
                    unit.clone(),
                    NonNegative,
                ),
                &mut m.cap,
            );
        }
    }
}

/// Every number of `rs` as a form field, in form order.
pub fn fields(rs: &Ruleset) -> Vec<RuleField> {
    let mut out = Vec::new();
    let mut copy = rs.clone();
    visit(&mut copy, &mut |s, v| {
        out.push(RuleField {
            key: s.key.clone(),
            section: s.section,
            label: s.label.clone(),
            unit: s.unit.clone(),
            kind: s.kind,
            optional: s.optional,
            value: *v,
        })
    });
    out
}

/// Reads one field's text under its kind.
fn parse(s: &Spec, text: &str) -> Result<Option<f64>, Words> {
    let t = text.trim().replace([',', '，'], "");
    if t.is_empty() {
        return if s.optional {
            Ok(None)
        } else {
            Err(w("必须填写", "is required"))
        };
    }
    let v: f64 = t
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| w(format!("“{t}”不是数字"), format!("“{t}” is not a number")))?;
    let whole = v.fract() == 0.0;
    match s.kind {
        Kind::Positive if v <= 0.0 => Err(w("必须大于 0", "must be greater than 0")),
        Kind::NonNegative if v < 0.0 => Err(w("不能为负数", "cannot be negative")),
        Kind::Count if v < 0.0 || !whole || v > 1e6 => {
            Err(w("必须为非负整数", "must be a whole number, 0 or more"))
        }
        Kind::Percent if v < 0.0 || !whole || v > 100.0 => Err(w(
            "必须为 0 到 100 之间的整数",
            "must be a whole number from 0 to 100",
        )),
        Kind::Share if !(0.0..=1.0).contains(&v) => {
            Err(w("必须在 0 到 1 之间", "must be between 0 and 1"))
        }
        _ => Ok(Some(v)),
    }
}

/// `rs` with `edits` (field key → text as typed) applied, or every
/// problem: each field's own rule, then the rules between fields. Keys
/// not in the form are refused, so a renamed field is never dropped
/// silently.
pub fn apply(rs: &Ruleset, edits: &BTreeMap<String, String>) -> Result<Ruleset, Vec<Problem>> {
    let mut out = rs.clone();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    visit(&mut out, &mut |s, v| {
        seen.insert(s.key.clone());
        if let Some(text) = edits.get(&s.key) {
            match parse(s, text) {
                Ok(x) => *v = x,
                Err(reason) => problems.push(Problem {
                    key: s.key.clone(),
                    label: s.label.clone(),
                    reason,
                }),
            }
        }
    });
    for k in edits.keys().filter(|k| !seen.contains(*k)) {
        problems.push(Problem {
            key: k.clone(),
            label: w(k.clone(), k.clone()),
            reason: w("不是规则中的字段", "is not a field of the ruleset"),
        });
    }
    if problems.is_empty() {
        problems = check(&out);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The rules between fields.
pub fn check(rs: &Ruleset) -> Vec<Problem> {
    let fields = fields(rs);
    let label = |key: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let mut say = |key: String, zh: String, en: String| {
        out.push(Problem {
            label: label(&key),
            key,
            reason: w(zh, en),
        })
    };
    for g in &rs.weight_groups {
        let sum = crate::fsum::fsum(g.weights.iter().copied());
        if (sum - 100.0).abs() > 1e-9 {
            say(
                format!("weight.{}.{}", g.id, Indicator::ALL[0].code()),
                format!("权数组 {} 的六项权数之和应为 100，现为 {}", g.id, fmt(sum)),
                format!(
                    "the six weights of group {} must sum to 100; they sum to {}",
                    g.id,
                    fmt(sum)
                ),
            );
        }
    }
    for (scale, zh, en, c) in [
        ("above", "规上", "above-size", rs.cutoffs.above),
        ("below", "规下", "below-size", rs.cutoffs.below),
    ] {
        if !(c[0] <= c[1] && c[1] <= c[2]) {
            say(
                format!("cutoff.{scale}.a"),
                format!(
                    "{zh}分类比例应逐档递增（A ≤ B ≤ C），现为 {}%、{}%、{}%",
                    c[0], c[1], c[2]
                ),
                format!(
                    "the {en} cut-offs must increase (A ≤ B ≤ C); they are {}%, {}%, {}%",
                    c[0], c[1], c[2]
                ),
            );
        }
    }
    if rs.no_emission_multiple > rs.cap_multiple {
        say(
            "no_emission_multiple".into(),
            format!("不能超过单项得分上限（{} 倍）", number(rs.cap_multiple)),
            format!(
                "cannot exceed the points cap ({}×)",
                number(rs.cap_multiple)
            ),
        );
    }
    let sp = &rs.special;
    if sp.land_forced_d_mu < sp.land_downgrade_mu {
        say(
            "special.land_forced_d_mu".into(),
            format!(
                "直接定为 D 类的用地面积应不小于下调一档的面积（{} 亩）",
                number(sp.land_downgrade_mu)
            ),
            format!(
                "the land that makes class D must be at least the land that lowers one class ({} mu)",
                number(sp.land_downgrade_mu)
            ),
        );
    }
    if sp.forced_d_general_accidents <= sp.downgrade_general_accidents {
        say(
            "special.forced_d_general_accidents".into(),
            format!(
                "应多于下调一档的一般事故数（{} 起）",
                sp.downgrade_general_accidents
            ),
            format!(
                "must be more than the general accidents that lower one class ({})",
                sp.downgrade_general_accidents
            ),
        );
    }
    for (key, v) in [
        ("forced_d_larger_accidents", sp.forced_d_larger_accidents),
        ("forced_d_general_accidents", sp.forced_d_general_accidents),
        (
            "downgrade_general_accidents",
            sp.downgrade_general_accidents,
        ),
        ("downgrade_safety_penalties", sp.downgrade_safety_penalties),
        ("zombie_years", sp.zombie_years),
    ] {
        if v == 0 {
            say(
                format!("special.{key}"),
                "应至少为 1（为 0 时所有企业都会受影响）".into(),
                "must be at least 1 (at 0 every enterprise would be caught)".into(),
            );
        }
    }
    let shares = rs.county.level_share + rs.county.growth_share;
    if (shares - 1.0).abs() > 1e-9 {
        say(
            "county.level_share".into(),
            format!("发展水平与同比增幅的权重之和应为 1，现为 {}", fmt(shares)),
            format!(
                "the shares of level and growth must sum to 1; they sum to {}",
                fmt(shares)
            ),
        );
    }
    if out.is_empty() {
        if let Err(e) = rs.validate() {
            let msg = e.to_string();
            out.push(Problem {
                key: String::new(),
                label: Words::default(),
                reason: w(msg.clone(), msg),
            });
        }
    }
    out
}

/// One number that differs between two rulesets (for the audit trail and
/// the page's list of edits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub key: String,
    pub label: Words,
    pub old: String,
    pub new: String,
}

/// The numbers that differ from `old` to `new`, in form order.
pub fn changes(old: &Ruleset, new: &Ruleset) -> Vec<Change> {
    let before: BTreeMap<String, Option<f64>> =
        fields(old).into_iter().map(|f| (f.key, f.value)).collect();
    fields(new)
        .into_iter()
        .filter_map(|f| {
            let was = before.get(&f.key).copied().flatten();
            (was != f.value).then(|| Change {
                old: was.map(fmt).unwrap_or_default(),
                new: f.text(),
                key: f.key,
                label: f.label,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_number_of_the_ruleset_is_a_field_and_round_trips() {
        let rs = Ruleset::builtin_2020();
        let fs = fields(&rs);
        // 6 benchmarks, 4 groups × 6 weights, 5 scoring, 8 bonus, 9
        // innovation, 6 cut-offs, 9 special, 2 county, and the measures.
        assert!(fs.len() > 69, "{}", fs.len());
        let keys: std::collections::BTreeSet<_> = fs.iter().map(|f| &f.key).collect();
        assert_eq!(keys.len(), fs.len(), "keys are unique");
        for s in Section::ALL {
            assert!(fs.iter().any(|f| f.section == s), "{s:?} has a field");
        }
        let same: BTreeMap<String, String> = fs.iter().map(|f| (f.key.clone(), f.text())).collect();
        assert_eq!(apply(&rs, &same).unwrap(), rs);
        assert!(fs
            .iter()
            .all(|f| !f.label.zh.is_empty() && !f.label.en.is_empty()));
    }

    /// A number added to `Ruleset` and forgotten here fails this test.
    #[test]
    fn the_form_holds_every_number_the_ruleset_serializes() {
        fn numbers(v: &serde_json::Value, key: &str) -> usize {
            match v {
                serde_json::Value::Number(_) if key != "year" => 1,
                serde_json::Value::Array(a) => a.iter().map(|x| numbers(x, key)).sum(),
                serde_json::Value::Object(o) => o.iter().map(|(k, x)| numbers(x, k)).sum(),
                _ => 0,
            }
        }
        let mut rs = Ruleset::builtin_2020();
        rs.below.benchmark = Some(30.0);
        let json = serde_json::to_value(&rs).unwrap();
        let filled = fields(&rs).iter().filter(|f| f.value.is_some()).count();
        assert_eq!(filled, numbers(&json, ""));
    }

    #[test]
    fn each_kind_of_field_changes_the_ruleset() {
        let rs = Ruleset::builtin_2020();
        let out = apply(
            &rs,
            &edit(&[
                ("benchmark.tax_per_mu", "50"),
                ("cutoff.above.a", "20"),
                ("special.zombie_years", "3"),
                ("below.benchmark", "30"),
                ("measure.land_use_tax.a", "90"),
            ]),
        )
        .unwrap();
        assert_eq!(out.benchmarks[0], 50.0);
        assert_eq!(out.cutoffs.above[0], 20);
        assert_eq!(out.special.zombie_years, 3);
        assert_eq!(out.below.benchmark, Some(30.0));
        let ch = changes(&rs, &out);
        assert_eq!(ch.len(), 5, "{ch:?}");
        assert_eq!(ch[0].old, "46");
        assert_eq!(ch[0].new, "50");
        let back = apply(&out, &edit(&[("below.benchmark", "")])).unwrap();
        assert_eq!(back.below.benchmark, None);
    }

    #[test]
    fn each_rule_names_its_field_and_reason_in_both_languages() {
        let rs = Ruleset::builtin_2020();
        let cases = [
            ("benchmark.tax_per_mu", "0", "必须大于 0"),
            ("benchmark.tax_per_mu", "abc", "不是数字"),
            ("benchmark.tax_per_mu", "", "必须填写"),
            ("weight.G1.tax_per_mu", "-1", "不能为负数"),
            ("cutoff.above.a", "15.5", "0 到 100 之间的整数"),
            ("cutoff.above.a", "101", "0 到 100 之间的整数"),
            ("county.level_share", "1.5", "0 到 1"),
            ("special.zombie_years", "1.5", "非负整数"),
        ];
        for (key, text, says) in cases {
            let p = apply(&rs, &edit(&[(key, text)])).unwrap_err();
            assert_eq!(p.len(), 1, "{key}={text}: {p:?}");
            assert_eq!(p[0].key, key);
            assert!(p[0].reason.zh.contains(says), "{key}={text}: {:?}", p[0]);
            assert!(!p[0].reason.en.is_empty() && !p[0].label.en.is_empty());
        }
        let between = [
            (
                vec![("weight.G2.tax_per_mu", "31")],
                "weight.G2.tax_per_mu",
                "之和应为 100",
            ),
            (vec![("cutoff.below.b", "90")], "cutoff.below.a", "递增"),
            (
                vec![("county.growth_share", "0.5")],
                "county.level_share",
                "之和应为 1",
            ),
            (
                vec![("special.land_forced_d_mu", "5")],
                "special.land_forced_d_mu",
                "不小于",
            ),
            (
                vec![("special.forced_d_general_accidents", "1")],
                "special.forced_d_general_accidents",
                "应多于",
            ),
            (
                vec![("no_emission_multiple", "2")],
                "no_emission_multiple",
                "上限",
            ),
        ];
        for (edits, key, says) in between {
            let p = apply(&rs, &edit(&edits)).unwrap_err();
            assert_eq!(p.len(), 1, "{edits:?}: {p:?}");
            assert_eq!(p[0].key, key);
            assert!(p[0].reason.zh.contains(says), "{:?}", p[0]);
        }
        let unknown = apply(&rs, &edit(&[("benchmark.nothing", "1")])).unwrap_err();
        assert_eq!(unknown[0].key, "benchmark.nothing");
    }
}
