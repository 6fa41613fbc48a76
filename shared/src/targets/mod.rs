//! Policy targets (政策目标): every quantified target of the city's
//! policies (shipped as data, `service/targets/*.toml`), the monthly
//! actuals their lead units report, and each target's status against time
//! progress (时间进度) — the rules in [`status`], written out in
//! docs/targets.md. The types and the status rules are shared with the
//! browser; loading, reading and writing run on the server.

pub mod status;

use serde::{Deserialize, Serialize};
pub use status::{Comparator, Kind, Status};

/// Who reports the figures the platform measures itself (the history and
/// the latest actual name it; pages put it in English).
pub const MEASURED_BY: &str = "亩均平台（按评价数据计算）";

/// A month, `YYYY-MM`, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        ((1990..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    pub fn of(d: chrono::NaiveDate) -> Month {
        use chrono::Datelike;
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// Months from `self` to `other`, both counted (Jan..Dec = 12).
    pub fn span(self, other: Month) -> i32 {
        (other.year - self.year) * 12 + other.month as i32 - self.month as i32 + 1
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A target the platform measures from the graded years itself, so that no
/// lead unit reports (or overwrites) it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Computed {
    /// Growth of the city's 亩均税收 (Σ tax / Σ land of graded above-size
    /// enterprises) over the year before, in percent.
    TaxPerMuGrowth,
    /// The same for 亩均工业增加值.
    ValueAddedPerMuGrowth,
    /// Enterprises a year's evaluation lifted out of the remediation
    /// ledger (整治提升台账, `measures::ledger`), counted over the years.
    LedgerExits,
}

impl Computed {
    pub fn parse(s: &str) -> Option<Computed> {
        [
            Computed::TaxPerMuGrowth,
            Computed::ValueAddedPerMuGrowth,
            Computed::LedgerExits,
        ]
        .into_iter()
        .find(|c| c.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            Computed::TaxPerMuGrowth => "tax_per_mu_growth",
            Computed::ValueAddedPerMuGrowth => "value_added_per_mu_growth",
            Computed::LedgerExits => "ledger_exits",
        }
    }

    /// The indicator of `grading::Aggregates` it grows (Indicator::ALL
    /// order), for the growth targets.
    pub fn indicator(self) -> Option<usize> {
        match self {
            Computed::TaxPerMuGrowth => Some(0),
            Computed::ValueAddedPerMuGrowth => Some(1),
            Computed::LedgerExits => None,
        }
    }
}

/// What an import of actuals did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    pub rows: usize,
    pub changed: usize,
}

/// A reported actual.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    pub month: String,
    /// The figure (a cumulative target: the total since the period start;
    /// a rank target: the rank; a zero-event target: events since the
    /// period start).
    pub value: Option<f64>,
    /// The compared series of a relative target (e.g. GDP growth).
    pub versus: Option<f64>,
    /// A milestone's state: `done`, `on_track`, `delayed`.
    pub milestone: Option<String>,
    pub evidence: String,
    pub source: String,
    pub note: String,
    pub by: String,
    pub at: String,
}

/// A target as its document states it: what the shipped catalogue holds,
/// what the database keeps of it, and what every view of it starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetSpec {
    pub id: String,
    pub doc: String,
    pub section: String,
    pub group: String,
    pub action: Option<String>,
    pub indicator: String,
    pub kind: Kind,
    pub comparator: Comparator,
    pub value: Option<f64>,
    pub unit: String,
    pub words: Option<String>,
    pub versus: Option<String>,
    pub start: chrono::NaiveDate,
    pub deadline: chrono::NaiveDate,
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub lead_note: Option<String>,
    pub scope: String,
    pub aspirational: bool,
    pub quote: String,
    /// Further sentences of the document that state the same target.
    pub also: Vec<String>,
    /// Measured by the platform from the graded years, not reported.
    pub computed: Option<Computed>,
}

/// A target as the dashboard shows it: its statement and how it stands
/// in the month asked about (its fields read through to the statement).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetView {
    #[serde(flatten)]
    pub spec: TargetSpec,
    pub doc_number: String,
    /// The latest actual up to the month asked about.
    pub latest: Option<Actual>,
    /// What time progress expects by then (cumulative targets).
    pub expected: Option<f64>,
    pub status: Status,
    /// The reader may report its actuals.
    pub mine: bool,
    /// The reported figures month by month, from the period start (or 12
    /// months back) through the month asked about: the sparkline.
    pub recent: Vec<Option<f64>>,
}

impl std::ops::Deref for TargetView {
    type Target = TargetSpec;

    fn deref(&self) -> &TargetSpec {
        &self.spec
    }
}

/// A document and how its targets stand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocView {
    pub id: String,
    pub number: String,
    pub title: String,
    pub date: String,
    pub public: bool,
    pub targets: u32,
    /// Count per status, in [`Status::ALL`]'s order.
    pub by_status: Vec<u32>,
}

/// The dashboard's filters (all optional; URL query parameters).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub doc: Option<String>,
    pub lead: Option<String>,
    pub status: Option<String>,
    /// Deadline no later than this date (`YYYY-MM-DD`) or year.
    pub due: Option<String>,
    /// The month the statuses are computed for (`YYYY-MM`; default: the
    /// latest month with any actual, or this month).
    pub month: Option<String>,
    /// `city` (default: the city's targets), `county` (per-county ones), `all`.
    pub scope: Option<String>,
    /// Laggards first.
    pub laggards: Option<bool>,
    /// Only what the reader reports.
    pub mine: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub month: String,
    pub docs: Vec<DocView>,
    pub leads: Vec<String>,
    pub targets: Vec<TargetView>,
    /// Per-county targets, as 赛马 tables (one per indicator).
    pub races: Vec<Race>,
}

/// One indicator's per-county targets, ranked: the 赛马 table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Race {
    pub doc: String,
    pub key: String,
    pub indicator: String,
    pub unit: String,
    pub rows: Vec<RaceRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceRow {
    pub rank: u32,
    pub county: String,
    pub target_id: String,
    pub value: Option<f64>,
    pub actual: Option<f64>,
    /// Actual over target, in percent (None without data).
    pub completion: Option<f64>,
    pub status: Status,
}

/// One target with its monthly series, expected line and history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetDetail {
    pub target: TargetView,
    pub doc_title: String,
    /// Month by month over the period: (month, actual, expected, status).
    pub series: Vec<SeriesPoint>,
    pub actuals: Vec<Actual>,
    pub history: Vec<HistoryEntry>,
    pub may_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    pub month: String,
    pub actual: Option<f64>,
    pub expected: Option<f64>,
    pub status: Status,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: String,
    pub by: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub source: String,
}

/// The monthly bulletin (按月通报).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bulletin {
    pub month: String,
    pub doc: Option<DocView>,
    pub targets: Vec<TargetView>,
    pub laggards: Vec<TargetView>,
    pub races: Vec<Race>,
    pub by_status: Vec<u32>,
}

/// One target in the open data API (`GET /api/v1/targets`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiTarget {
    /// Stable id: document id, target key, and the county for per-county ones.
    pub id: String,
    /// The document's number (文号).
    pub doc: String,
    pub indicator: String,
    pub value: Option<f64>,
    pub unit: String,
    /// `gt`, `ge`, `lt`, `le`, `eq`, `approx` (左右, within 5 %), `rank`,
    /// `zero`, `milestone`.
    pub comparator: String,
    /// `cumulative`, `level`, `relative`, `rank`, `zero`, `milestone`.
    pub kind: String,
    /// The words that state the target, when it is stated in words (翻番, 全覆盖 …).
    pub words: Option<String>,
    pub deadline: String,
    /// The unit the sentence names first (牵头).
    pub lead_unit: Vec<String>,
    /// The other units it names (配合).
    pub support_units: Vec<String>,
    /// Set only where the text names no unit and the lead was inferred
    /// (it starts “推定”).
    pub lead_note: Option<String>,
    /// `city`, or a county code.
    pub scope: String,
    /// Stated with 力争、争取、争创、争列、预期 or 努力 (docs/targets.md).
    pub aspirational: bool,
    /// The source sentence.
    pub quote: String,
    /// Further sentences of the document that state the same target.
    pub also_quotes: Vec<String>,
    /// `tax_per_mu_growth` or `value_added_per_mu_growth` (measured by the
    /// platform from the graded years), or `ledger_exits` (counted from the
    /// remediation ledger): no lead unit reports it.
    pub computed: Option<String>,
    /// The latest reported month and figure (None: nothing reported).
    pub latest_month: Option<String>,
    pub latest_value: Option<f64>,
    /// `done`, `ahead`, `on_track`, `behind`, `missed`, `no_data`.
    pub status: String,
}

impl From<&TargetView> for ApiTarget {
    fn from(t: &TargetView) -> Self {
        ApiTarget {
            id: t.id.clone(),
            doc: t.doc_number.clone(),
            indicator: t.indicator.clone(),
            value: t.value,
            unit: t.unit.clone(),
            comparator: t.comparator.code().into(),
            kind: t.kind.code().into(),
            words: t.words.clone(),
            deadline: t.deadline.to_string(),
            lead_unit: t.lead.clone(),
            support_units: t.support.clone(),
            lead_note: t.lead_note.clone(),
            scope: t.scope.clone(),
            aspirational: t.aspirational,
            quote: t.quote.clone(),
            also_quotes: t.also.clone(),
            computed: t.computed.map(|c| c.code().to_string()),
            latest_month: t.latest.as_ref().map(|a| a.month.clone()),
            latest_value: t.latest.as_ref().and_then(|a| a.value),
            status: t.status.code().into(),
        }
    }
}

/// A number as the bulletin prints it: at most two decimals, no trailing
/// zeros.
pub fn fmt_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl TargetView {
    /// The target as the text states it ("超过 2000 亿元", "第 1 名以内（全省第一）").
    pub fn target_text(&self) -> String {
        let value = self.value.map(fmt_num).unwrap_or_default();
        let words = self
            .words
            .as_ref()
            .map(|w| format!("（{w}）"))
            .unwrap_or_default();
        match self.comparator {
            Comparator::Zero => format!("不发生{words}"),
            Comparator::Milestone if value.is_empty() => format!("完成{words}"),
            Comparator::Milestone => format!("完成 {value} {}{words}", self.unit),
            Comparator::Rank => format!("第 {value} 名以内{words}"),
            _ if self.kind == Kind::Relative => {
                format!(
                    "{}{}",
                    self.comparator.zh(),
                    self.versus.clone().unwrap_or_default()
                )
            }
            c => format!("{} {value} {}{words}", c.zh(), self.unit),
        }
    }

    /// [`TargetView::target_text`] in English ("over 2000 100M yuan"); the
    /// policy's own words stay on the target's page, quoted.
    pub fn target_text_en(&self) -> String {
        let value = self.value.map(fmt_num).unwrap_or_default();
        let unit = status::unit_en(&self.unit);
        let with_unit = |v: &str| format!("{v} {unit}").trim_end().to_string();
        match self.comparator {
            Comparator::Zero => "none".into(),
            Comparator::Milestone if value.is_empty() => "complete".into(),
            Comparator::Milestone => format!("complete {}", with_unit(&value)),
            Comparator::Rank => format!("top {value}"),
            _ if self.kind == Kind::Relative => {
                format!("{} the compared figure", self.comparator.en())
            }
            c => format!("{} {}", c.en(), with_unit(&value)),
        }
    }

    /// [`TargetView::actual_text`] in English.
    pub fn actual_text_en(&self) -> String {
        self.actual_words(false)
    }

    /// The latest actual as the dashboard shows it (— when none).
    pub fn actual_text(&self) -> String {
        self.actual_words(true)
    }

    fn actual_words(&self, zh: bool) -> String {
        let Some(a) = &self.latest else {
            return "—".into();
        };
        let num = |v: Option<f64>| v.map(fmt_num).unwrap_or_default();
        let unit = if zh {
            self.unit.as_str()
        } else {
            status::unit_en(&self.unit)
        };
        match (self.kind, a.milestone.as_deref()) {
            (Kind::Milestone, Some(m)) => {
                let word = match (m, zh) {
                    ("done", true) => "已完成",
                    ("delayed", true) => "延误",
                    (_, true) => "推进中",
                    ("done", false) => "done",
                    ("delayed", false) => "delayed",
                    (_, false) => "under way",
                };
                match (a.value, self.computed, zh) {
                    (Some(v), Some(Computed::LedgerExits), true) => {
                        format!("{word}（累计 {} 家退出整治提升台账）", num(Some(v)))
                    }
                    (Some(v), Some(Computed::LedgerExits), false) => {
                        format!("{word} ({} left the remediation ledger)", num(Some(v)))
                    }
                    _ => word.into(),
                }
            }
            (Kind::Relative, _) => format!("{} vs {}", num(a.value), num(a.versus)),
            (Kind::Rank, _) if zh => format!("{} 名", num(a.value)),
            (Kind::Rank, _) => format!("no. {}", num(a.value)),
            _ => format!("{} {unit}", num(a.value)).trim_end().to_string(),
        }
    }
}

/// A field of a target's history (`value`, `actual:2021-11:value`,
/// `catalogue:lead` …) in people's words, Chinese and English.
pub fn field_words(field: &str) -> (String, String) {
    let named = |f: &str| -> (&'static str, &'static str) {
        match f {
            "indicator" => ("指标", "indicator"),
            "value" => ("数值", "value"),
            "unit" => ("单位", "unit"),
            "words" => ("表述", "wording"),
            "deadline" => ("期限", "deadline"),
            "lead" => ("牵头单位", "lead unit"),
            "support" => ("配合单位", "supporting units"),
            "aspirational" => ("力争类", "aspirational"),
            "versus" => ("对比值", "compared figure"),
            "milestone" => ("节点状态", "milestone state"),
            "evidence" => ("佐证", "evidence"),
            "note" => ("说明", "note"),
            "quote" => ("原文", "source sentence"),
            "kind" => ("类型", "kind"),
            "comparator" => ("比较方式", "comparison"),
            "start" => ("起始", "start"),
            _ => ("", ""),
        }
    };
    let word = |f: &str| {
        let (zh, en) = named(f);
        if zh.is_empty() {
            (f.to_string(), f.to_string())
        } else {
            (zh.to_string(), en.to_string())
        }
    };
    let parts: Vec<&str> = field.split(':').collect();
    match parts.as_slice() {
        ["actual", month, f] => {
            let (zh, en) = word(f);
            let zh = if *f == "value" {
                "实际值".to_string()
            } else {
                zh
            };
            (format!("{month} 月{zh}"), format!("{month} actual: {en}"))
        }
        ["catalogue", f] => {
            let (zh, en) = word(f);
            (
                format!("{zh}（随文件目录更新）"),
                format!("{en} (from the shipped catalogue)"),
            )
        }
        _ => word(field),
    }
}

/// Where a change of a target came from, in people's words.
pub fn source_words(source: &str) -> (String, String) {
    match source {
        "web" => ("网页填报".into(), "web form".into()),
        "seed" => ("演示数据".into(), "demo data".into()),
        "catalogue" => ("政策文件目录".into(), "shipped catalogue".into()),
        "platform" => ("平台计算".into(), "computed by the platform".into()),
        s => match s.strip_prefix("upload:") {
            Some(file) => (format!("上传文件 {file}"), format!("uploaded file {file}")),
            None => (s.to_string(), s.to_string()),
        },
    }
}

#[cfg(test)]
mod words_tests {
    use super::{field_words, source_words};

    #[test]
    fn history_keys_read_as_words() {
        assert_eq!(field_words("actual:2021-11:value").0, "2021-11 月实际值");
        assert_eq!(
            field_words("catalogue:lead").0,
            "牵头单位（随文件目录更新）"
        );
        assert_eq!(field_words("deadline").1, "deadline");
        assert_eq!(source_words("upload:a.xlsx").0, "上传文件 a.xlsx");
    }
}
