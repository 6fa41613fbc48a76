//! A target's status against time progress (时间进度). The rules (also in
//! docs/targets.md, tested at their boundaries):
//!
//! * No actual reported by the month → 无数据.
//! * Time progress of month m: the months of the period up to the end of m
//!   over all its months (Jan of a calendar-year target: 1/12; the
//!   deadline's month and after: 1).
//! * **Cumulative** targets (新增、累计: the lead unit reports the total
//!   since the period start): reached in full → 已完成; else at or after
//!   the deadline's month → 未达成; else against the expected amount
//!   (target × time progress): at least 105% of it → 超进度, at least 95%
//!   → 正常, below → 滞后.
//! * **Level**, **relative** and **rank** targets (余额、占比、增速、名次:
//!   compared as they stand; a relative one against its other series): at
//!   or after the deadline's month, met → 已完成, not met → 未达成; before
//!   it, met → 正常, not met → 滞后.
//! * **Zero-event** targets (不发生、清零): any event → 未达成 at once; none
//!   → 正常, and 已完成 from the deadline's month.
//! * **Milestones**: reported `done` → 已完成; `delayed` → 滞后 (未达成 from
//!   the deadline's month); `on_track` → 正常 (未达成 from the deadline's
//!   month).
//!
//! "Met" follows the comparator: gt `>`, ge `≥`, lt `<`, le `≤`, eq `=`,
//! approx (左右) within 5 % either side (a cumulative one: from 95 % of the
//! value on), rank `≤` (a rank no worse than the target's), zero: no event.

use super::Month;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Cumulative,
    Level,
    Relative,
    Rank,
    Zero,
    Milestone,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Cumulative,
        Kind::Level,
        Kind::Relative,
        Kind::Rank,
        Kind::Zero,
        Kind::Milestone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Cumulative => "cumulative",
            Kind::Level => "level",
            Kind::Relative => "relative",
            Kind::Rank => "rank",
            Kind::Zero => "zero",
            Kind::Milestone => "milestone",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Cumulative => "累计",
            Kind::Level => "时点/比率",
            Kind::Relative => "相对比较",
            Kind::Rank => "排名",
            Kind::Zero => "零事件",
            Kind::Milestone => "节点",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    /// 左右: within [`APPROX_TOLERANCE`] of the value (a cumulative one is
    /// reached at the band's lower edge).
    Approx,
    Rank,
    Zero,
    Milestone,
}

/// How far "左右" reaches either side of its value: 5 %.
pub const APPROX_TOLERANCE: f64 = 0.05;

impl Comparator {
    pub const ALL: [Comparator; 9] = [
        Comparator::Gt,
        Comparator::Ge,
        Comparator::Lt,
        Comparator::Le,
        Comparator::Eq,
        Comparator::Approx,
        Comparator::Rank,
        Comparator::Zero,
        Comparator::Milestone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Comparator::Gt => "gt",
            Comparator::Ge => "ge",
            Comparator::Lt => "lt",
            Comparator::Le => "le",
            Comparator::Eq => "eq",
            Comparator::Approx => "approx",
            Comparator::Rank => "rank",
            Comparator::Zero => "zero",
            Comparator::Milestone => "milestone",
        }
    }

    pub fn parse(s: &str) -> Option<Comparator> {
        Comparator::ALL.into_iter().find(|k| k.code() == s)
    }

    /// How the comparator reads before the value ("超过 2000 亿元").
    pub fn zh(self) -> &'static str {
        match self {
            Comparator::Gt => "超过",
            Comparator::Ge => "不低于",
            Comparator::Lt => "低于",
            Comparator::Le => "不超过",
            Comparator::Eq => "等于",
            Comparator::Approx => "约",
            Comparator::Rank => "排名前",
            Comparator::Zero => "不发生",
            Comparator::Milestone => "完成",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Comparator::Gt => "over",
            Comparator::Ge => "at least",
            Comparator::Lt => "under",
            Comparator::Le => "at most",
            Comparator::Eq => "exactly",
            Comparator::Approx => "about",
            Comparator::Rank => "top",
            Comparator::Zero => "none",
            Comparator::Milestone => "complete",
        }
    }
}

/// A catalogue unit in English (the policies write them in Chinese); a unit
/// this table does not know stays as written, and a test lists the
/// catalogue's units against it.
pub fn unit_en(unit: &str) -> &str {
    match unit {
        "家" => "enterprises",
        "亿元" => "100M yuan",
        "个" => "",
        "万平方米" => "10k sq m",
        "亩" => "mu",
        "名" => "",
        "万美元" => "10k USD",
        "项" => "items",
        "亿美元" => "100M USD",
        "场" => "events",
        "人" => "people",
        "起" => "cases",
        "条" => "items",
        "公里" => "km",
        "兆瓦" => "MW",
        "亿千瓦时" => "100M kWh",
        "人次" => "person-times",
        "个工作日" => "working days",
        "万吨标准煤" => "10k tce",
        "万元" => "10k yuan",
        "根" => "",
        "支" => "",
        "户" => "households",
        "平方米/万元" => "sq m per 10k yuan",
        "平方公里" => "sq km",
        "家次" => "enterprise-times",
        "天" => "days",
        "台" => "units",
        "元/亩" => "yuan/mu",
        "份" => "copies",
        "万标箱" => "10k TEU",
        "万名" => "10k people",
        "万元/人" => "10k yuan/person",
        "万元/亩" => "10k yuan/mu",
        "万人" => "10k people",
        other => other,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Ahead,
    OnTrack,
    Behind,
    Missed,
    NoData,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Done,
        Status::Ahead,
        Status::OnTrack,
        Status::Behind,
        Status::Missed,
        Status::NoData,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Ahead => "ahead",
            Status::OnTrack => "on_track",
            Status::Behind => "behind",
            Status::Missed => "missed",
            Status::NoData => "no_data",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Status::Done => "已完成",
            Status::Ahead => "超进度",
            Status::OnTrack => "正常",
            Status::Behind => "滞后",
            Status::Missed => "未达成",
            Status::NoData => "无数据",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Status::Done => "Done",
            Status::Ahead => "Ahead",
            Status::OnTrack => "On track",
            Status::Behind => "Behind",
            Status::Missed => "Missed",
            Status::NoData => "No data",
        }
    }

    /// Needs attention (laggards first sorts by this, worst first).
    pub fn urgency(self) -> u8 {
        match self {
            Status::Missed => 0,
            Status::Behind => 1,
            Status::NoData => 2,
            Status::OnTrack => 3,
            Status::Ahead => 4,
            Status::Done => 5,
        }
    }
}

/// What the rules need of a target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub kind: Kind,
    pub comparator: Comparator,
    pub value: Option<f64>,
    pub start: Month,
    pub deadline: Month,
}

/// What the rules need of the latest actual.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reading<'a> {
    pub value: Option<f64>,
    pub versus: Option<f64>,
    pub milestone: Option<&'a str>,
}

/// Time progress of `month` over the period, in [0, 1].
pub fn progress(rule: &Rule, month: Month) -> f64 {
    let total = rule.start.span(rule.deadline).max(1);
    let done = rule.start.span(month).clamp(0, total);
    done as f64 / total as f64
}

/// The amount time progress expects by `month` (cumulative targets only).
pub fn expected(rule: &Rule, month: Month) -> Option<f64> {
    (rule.kind == Kind::Cumulative)
        .then_some(rule.value)
        .flatten()
        .map(|v| v * progress(rule, month))
}

/// Whether the reading meets the target in full.
pub fn met(rule: &Rule, r: &Reading) -> Option<bool> {
    let against = if rule.kind == Kind::Relative {
        r.versus
    } else {
        rule.value
    };
    Some(match rule.comparator {
        Comparator::Gt => r.value? > against?,
        Comparator::Ge => r.value? >= against?,
        Comparator::Lt => r.value? < against?,
        Comparator::Le => r.value? <= against?,
        Comparator::Eq => r.value? == against?,
        Comparator::Approx if rule.kind == Kind::Cumulative => {
            r.value? >= against? * (1.0 - APPROX_TOLERANCE)
        }
        Comparator::Approx => (r.value? - against?).abs() <= against?.abs() * APPROX_TOLERANCE,
        Comparator::Rank => r.value? <= against?,
        Comparator::Zero => r.value? <= 0.0,
        Comparator::Milestone => r.milestone? == "done",
    })
}

/// The status in `month`, from the latest reading up to it (None: none).
pub fn evaluate(rule: &Rule, month: Month, latest: Option<&Reading>) -> Status {
    let Some(r) = latest else {
        return Status::NoData;
    };
    let due = month >= rule.deadline;
    if rule.kind == Kind::Milestone || rule.comparator == Comparator::Milestone {
        return match r.milestone {
            Some("done") => Status::Done,
            None => Status::NoData,
            Some(_) if due => Status::Missed,
            Some("delayed") => Status::Behind,
            Some(_) => Status::OnTrack,
        };
    }
    let Some(ok) = met(rule, r) else {
        return Status::NoData;
    };
    match rule.kind {
        Kind::Zero => match (ok, due) {
            (false, _) => Status::Missed,
            (true, true) => Status::Done,
            (true, false) => Status::OnTrack,
        },
        Kind::Cumulative => {
            if ok {
                return Status::Done;
            }
            if due {
                return Status::Missed;
            }
            match (expected(rule, month), r.value) {
                (Some(e), Some(v)) if e > 0.0 => {
                    if v * 100.0 >= e * 105.0 {
                        Status::Ahead
                    } else if v * 100.0 >= e * 95.0 {
                        Status::OnTrack
                    } else {
                        Status::Behind
                    }
                }
                _ => Status::OnTrack,
            }
        }
        _ => match (ok, due) {
            (true, true) => Status::Done,
            (false, true) => Status::Missed,
            (true, false) => Status::OnTrack,
            (false, false) => Status::Behind,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month { year: y, month: mo }
    }

    fn rule(kind: Kind, comparator: Comparator, value: f64) -> Rule {
        Rule {
            kind,
            comparator,
            value: Some(value),
            start: m(2021, 1),
            deadline: m(2021, 12),
        }
    }

    fn v(x: f64) -> Reading<'static> {
        Reading {
            value: Some(x),
            ..Default::default()
        }
    }

    #[test]
    fn time_progress_counts_months_through_the_one_asked() {
        let r = rule(Kind::Cumulative, Comparator::Gt, 1200.0);
        assert_eq!(progress(&r, m(2021, 1)), 1.0 / 12.0);
        assert_eq!(progress(&r, m(2021, 6)), 0.5);
        assert_eq!(progress(&r, m(2021, 12)), 1.0);
        assert_eq!(progress(&r, m(2022, 3)), 1.0);
        assert_eq!(progress(&r, m(2020, 12)), 0.0);
        assert_eq!(expected(&r, m(2021, 6)), Some(600.0));
        assert_eq!(
            expected(&rule(Kind::Level, Comparator::Ge, 120.0), m(2021, 6)),
            None
        );
    }

    #[test]
    fn cumulative_boundaries() {
        // 新增贷款超 2000 亿元: by June 1000 expected.
        let r = rule(Kind::Cumulative, Comparator::Gt, 2000.0);
        let june = m(2021, 6);
        assert_eq!(
            evaluate(&r, june, Some(&v(1050.0))),
            Status::Ahead,
            "exactly 105%"
        );
        assert_eq!(evaluate(&r, june, Some(&v(1049.99))), Status::OnTrack);
        assert_eq!(
            evaluate(&r, june, Some(&v(950.0))),
            Status::OnTrack,
            "exactly 95%"
        );
        assert_eq!(evaluate(&r, june, Some(&v(949.99))), Status::Behind);
        assert_eq!(
            evaluate(&r, june, Some(&v(2000.01))),
            Status::Done,
            "reached early"
        );
        assert_eq!(
            evaluate(&r, june, Some(&v(2000.0))),
            Status::Ahead,
            "超 means more than"
        );
        assert_eq!(evaluate(&r, m(2021, 12), Some(&v(2000.0))), Status::Missed);
        assert_eq!(evaluate(&r, m(2021, 11), Some(&v(1900.0))), Status::OnTrack);
        assert_eq!(evaluate(&r, june, None), Status::NoData);
        let ge = rule(Kind::Cumulative, Comparator::Ge, 12.0);
        assert_eq!(evaluate(&ge, m(2021, 12), Some(&v(12.0))), Status::Done);
    }

    #[test]
    fn level_relative_and_rank_boundaries() {
        let r = rule(Kind::Level, Comparator::Ge, 120.0);
        assert_eq!(evaluate(&r, m(2021, 3), Some(&v(120.0))), Status::OnTrack);
        assert_eq!(evaluate(&r, m(2021, 3), Some(&v(119.99))), Status::Behind);
        assert_eq!(evaluate(&r, m(2021, 12), Some(&v(120.0))), Status::Done);
        assert_eq!(evaluate(&r, m(2021, 12), Some(&v(119.99))), Status::Missed);
        let le = rule(Kind::Level, Comparator::Le, 1.0);
        assert_eq!(evaluate(&le, m(2021, 12), Some(&v(1.0))), Status::Done);
        assert_eq!(evaluate(&le, m(2021, 12), Some(&v(1.01))), Status::Missed);
        let lt = rule(Kind::Level, Comparator::Lt, 1.0);
        assert_eq!(evaluate(&lt, m(2021, 5), Some(&v(1.0))), Status::Behind);
        let rel = Rule {
            value: None,
            ..rule(Kind::Relative, Comparator::Gt, 0.0)
        };
        let read = |a: f64, b: f64| Reading {
            value: Some(a),
            versus: Some(b),
            milestone: None,
        };
        assert_eq!(
            evaluate(&rel, m(2021, 6), Some(&read(9.1, 9.0))),
            Status::OnTrack
        );
        assert_eq!(
            evaluate(&rel, m(2021, 6), Some(&read(9.0, 9.0))),
            Status::Behind
        );
        assert_eq!(
            evaluate(&rel, m(2021, 12), Some(&read(9.0, 9.0))),
            Status::Missed
        );
        assert_eq!(
            evaluate(&rel, m(2021, 6), Some(&v(9.0))),
            Status::NoData,
            "the other series is missing"
        );
        let rank = rule(Kind::Rank, Comparator::Rank, 3.0);
        assert_eq!(evaluate(&rank, m(2021, 6), Some(&v(3.0))), Status::OnTrack);
        assert_eq!(evaluate(&rank, m(2021, 6), Some(&v(4.0))), Status::Behind);
        assert_eq!(evaluate(&rank, m(2021, 12), Some(&v(1.0))), Status::Done);
    }

    #[test]
    fn approx_is_a_band_not_a_floor() {
        // 安排600个左右重大项目: 570..=630 meets it, 569 and 631 do not.
        let r = rule(Kind::Level, Comparator::Approx, 600.0);
        let dec = m(2021, 12);
        assert_eq!(evaluate(&r, dec, Some(&v(570.0))), Status::Done);
        assert_eq!(evaluate(&r, dec, Some(&v(630.0))), Status::Done);
        assert_eq!(evaluate(&r, dec, Some(&v(569.0))), Status::Missed);
        assert_eq!(evaluate(&r, dec, Some(&v(631.0))), Status::Missed);
        assert_eq!(evaluate(&r, m(2021, 6), Some(&v(640.0))), Status::Behind);
        // 培育25个左右特色小镇 (cumulative): reached at 95 %, more is fine.
        let c = rule(Kind::Cumulative, Comparator::Approx, 25.0);
        assert_eq!(evaluate(&c, m(2021, 6), Some(&v(23.75))), Status::Done);
        assert_eq!(evaluate(&c, m(2021, 6), Some(&v(30.0))), Status::Done);
        assert_eq!(evaluate(&c, dec, Some(&v(23.7))), Status::Missed);
        assert_eq!(evaluate(&c, m(2021, 6), Some(&v(12.5))), Status::OnTrack);
    }

    #[test]
    fn zero_events_and_milestones() {
        let z = rule(Kind::Zero, Comparator::Zero, 0.0);
        assert_eq!(evaluate(&z, m(2021, 4), Some(&v(0.0))), Status::OnTrack);
        assert_eq!(evaluate(&z, m(2021, 4), Some(&v(1.0))), Status::Missed);
        assert_eq!(evaluate(&z, m(2021, 12), Some(&v(0.0))), Status::Done);
        let ms = rule(Kind::Milestone, Comparator::Milestone, 1.0);
        let s = |x: &'static str| Reading {
            milestone: Some(x),
            ..Default::default()
        };
        assert_eq!(
            evaluate(&ms, m(2021, 4), Some(&s("on_track"))),
            Status::OnTrack
        );
        assert_eq!(
            evaluate(&ms, m(2021, 4), Some(&s("delayed"))),
            Status::Behind
        );
        assert_eq!(evaluate(&ms, m(2021, 4), Some(&s("done"))), Status::Done);
        assert_eq!(
            evaluate(&ms, m(2021, 12), Some(&s("on_track"))),
            Status::Missed
        );
        assert_eq!(evaluate(&ms, m(2021, 12), Some(&s("done"))), Status::Done);
    }

    #[test]
    fn months_parse_and_count() {
        assert_eq!(Month::parse("2021-03"), Some(m(2021, 3)));
        assert_eq!(Month::parse("2021-13"), None);
        assert_eq!(Month::parse("21-3"), None);
        assert_eq!(m(2021, 1).span(m(2021, 12)), 12);
        assert_eq!(m(2021, 1).span(m(2022, 12)), 24);
        assert_eq!(m(2021, 12).next(), m(2022, 1));
        assert_eq!(m(2021, 3).to_string(), "2021-03");
    }
}
