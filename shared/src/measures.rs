//! 分类施策: the classes applied. Each measure of the year's ruleset
//! (`grading::measures`) gives every graded enterprise a value by its
//! class; the units that apply a measure read its **entitlement list**,
//! made from a published version of the year (公示, never the working
//! state: an edit changes no list until a correction is published), with
//! the figures the unit needs as that version froze them, and what changed
//! since the version before (名单变更). The types are shared with the
//! browser; the lists are made on the server.

use serde::{Deserialize, Serialize};

/// A measure as a list page names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureInfo {
    pub key: String,
    pub topic_zh: String,
    pub topic_en: String,
    pub units: Vec<String>,
    /// The value per class (A first), in words with its unit.
    pub by_class_zh: [String; 4],
    pub by_class_en: [String; 4],
    /// The figures the list carries (record column keys) and their names.
    pub figures: Vec<(String, String)>,
}

/// One enterprise on a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListRow {
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub industry: grading::Industry,
    pub scale: grading::Scale,
    pub class: grading::Class,
    pub leader: bool,
    /// The measure's number for it, where the measure has numbers.
    pub value: Option<f64>,
    pub text_zh: String,
    pub text_en: String,
    /// The figures, in the order of [`MeasureInfo::figures`], as typed.
    pub figures: Vec<String>,
}

/// An enterprise whose entry changed since the version before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListChange {
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    /// Class and entitlement before (None: not on the list then).
    pub before_class: Option<grading::Class>,
    pub before: Option<String>,
    pub after_class: Option<grading::Class>,
    pub after: Option<String>,
}

/// A publication version a list can be made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionRef {
    pub year: i32,
    pub version: i32,
    /// `publicity`, `correction` or `final`.
    pub kind: String,
    pub note: String,
    /// Beijing time.
    pub published_at: String,
}

/// One measure's list for one version, bounded to the reader's counties.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureList {
    pub measure: MeasureInfo,
    pub version: VersionRef,
    /// Every version of the year (for the version picker), newest first.
    pub versions: Vec<VersionRef>,
    /// The county the list is bounded to (None: every county the reader covers).
    pub county: Option<String>,
    /// The first rows of the list (county, then code), at most the number
    /// asked for: a page sends only what it shows, the downloads hold all.
    pub rows: Vec<ListRow>,
    /// How many enterprises the whole list holds.
    pub total: usize,
    /// Against the version before (empty for the first), at most the
    /// number asked for.
    pub changes: Vec<ListChange>,
    /// How many changes there are in all.
    pub total_changes: usize,
    /// Counts per class A–D on this list.
    pub by_class: [u32; 4],
}

/// The measures a reader may open, and the published years.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasuresIndex {
    pub years: Vec<i32>,
    pub measures: Vec<MeasureInfo>,
    /// The one county the reader covers, when bound to one.
    pub county: Option<String>,
}

/// One row of `GET /api/v1/measures/{year}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiMeasureRow {
    pub uscc: String,
    pub name: String,
    /// County code.
    pub county: String,
    /// A, B, C or D.
    pub class: String,
    /// The measure's key (`land_use_tax`, `subsidy_coefficient` …).
    pub measure: String,
    /// The number, where the measure has numbers (a percentage, a
    /// coefficient, 万元).
    pub value: Option<f64>,
    /// The entitlement in words (Chinese), with its unit and any override.
    pub text: String,
    /// The publication version the row comes from.
    pub version: i32,
}

/// An industry leader (行业领跑者) as the public page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leader {
    pub uscc: String,
    pub name: String,
    /// County and industry codes (the page shows their names).
    pub county: grading::County,
    pub industry: grading::Industry,
    pub class: Option<grading::Class>,
}

/// A year's published leaders and the version they come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leaders {
    pub version: VersionRef,
    pub rows: Vec<Leader>,
}

/// Where a county's differentiated-electricity procedure of a year stands
/// (嘉政办发〔2021〕5号 §三(三)3: set the surcharge, review the D-class
/// list, publish it before it applies, file it within a month of the
/// window's end).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureState {
    /// Nothing set yet.
    NotStarted,
    /// Surcharge and exemptions being prepared; not public.
    Draft,
    /// Published, its window not begun.
    Scheduled,
    /// In its public window.
    InWindow,
    /// Window over, within the month for filing.
    AwaitingFiling,
    /// Window over more than a month ago, not filed.
    Overdue,
    /// Filed with the city (备案); immutable.
    Filed,
}

impl ProcedureState {
    pub fn zh(self) -> &'static str {
        match self {
            ProcedureState::NotStarted => "未启动",
            ProcedureState::Draft => "拟定中",
            ProcedureState::Scheduled => "待公示",
            ProcedureState::InWindow => "公示中",
            ProcedureState::AwaitingFiling => "公示结束，待备案",
            ProcedureState::Overdue => "逾期未备案",
            ProcedureState::Filed => "已备案",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ProcedureState::NotStarted => "Not started",
            ProcedureState::Draft => "Being prepared",
            ProcedureState::Scheduled => "Window not yet open",
            ProcedureState::InWindow => "In its public window",
            ProcedureState::AwaitingFiling => "Window over, to be filed",
            ProcedureState::Overdue => "Overdue for filing",
            ProcedureState::Filed => "Filed",
        }
    }
}

/// A D-class enterprise of the county and whether the county exempted it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureRow {
    pub uscc: String,
    pub name: String,
    /// The reason the county gave for leaving it off (None: on the list).
    pub exempt: Option<String>,
}

/// One county's procedure of a year, with its list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub year: i32,
    pub county: grading::County,
    pub state: ProcedureState,
    /// 元/kWh (`0.30`); empty before it is set.
    pub surcharge: String,
    /// The published version the list is made from (pinned once public).
    pub version: Option<i32>,
    /// Beijing dates (`YYYY-MM-DD`).
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    /// The last day for filing (a month after the window's end).
    pub due: Option<String>,
    pub approval: String,
    /// Beijing time.
    pub published_at: Option<String>,
    pub filed_at: Option<String>,
    /// Whether it was filed after its due date.
    pub filed_late: bool,
    pub filing_no: String,
    pub updated_at: Option<String>,
    /// The unit that last changed it (an account name for officials).
    pub updated_by: String,
    pub rows: Vec<ProcedureRow>,
    /// Whether the reader may change it now.
    pub editable: bool,
    /// Today in Jiaxing (a window starts today at the earliest).
    pub today: String,
}

/// A county's line in the city's overview of a year's procedures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    pub county: grading::County,
    pub state: ProcedureState,
    pub surcharge: String,
    pub window_end: Option<String>,
    pub due: Option<String>,
    pub filed_late: bool,
    /// D-class enterprises of the county, and how many are on its list.
    pub d_class: u32,
    pub listed: u32,
}

/// The procedures of a year the reader may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElectricityOverview {
    pub year: i32,
    /// The published years (newest first).
    pub years: Vec<i32>,
    pub counties: Vec<ProcedureSummary>,
    /// The one county the reader acts for, when bound to one.
    pub county: Option<String>,
}

/// What a remediation plan does (嘉政办发〔2021〕5号 §三(二)4: 兼并重组、
/// 提升入园、关停腾退 …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    Upgrade,
    Merger,
    Vacate,
    Close,
}

impl PlanKind {
    pub const ALL: [PlanKind; 4] = [
        PlanKind::Upgrade,
        PlanKind::Merger,
        PlanKind::Vacate,
        PlanKind::Close,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanKind::Upgrade => "upgrade",
            PlanKind::Merger => "merger",
            PlanKind::Vacate => "vacate",
            PlanKind::Close => "close",
        }
    }

    pub fn parse(s: &str) -> Option<PlanKind> {
        PlanKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            PlanKind::Upgrade => "提升",
            PlanKind::Merger => "兼并重组",
            PlanKind::Vacate => "腾退",
            PlanKind::Close => "关停",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PlanKind::Upgrade => "Upgrade",
            PlanKind::Merger => "Merger or restructuring",
            PlanKind::Vacate => "Vacate the land",
            PlanKind::Close => "Close down",
        }
    }
}

/// Where a ledger entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerStatus {
    /// On the ledger, no plan yet.
    Unplanned,
    /// A plan, milestones open and none late.
    InProgress,
    /// A milestone past its date and not done.
    Overdue,
    /// Every milestone done; the next year's evaluation decides.
    Completed,
    /// A later year's evaluation lifted it out.
    Exited,
    /// A correction of the same year took it off.
    Removed,
}

impl LedgerStatus {
    pub const ALL: [LedgerStatus; 6] = [
        LedgerStatus::Unplanned,
        LedgerStatus::InProgress,
        LedgerStatus::Overdue,
        LedgerStatus::Completed,
        LedgerStatus::Exited,
        LedgerStatus::Removed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LedgerStatus::Unplanned => "unplanned",
            LedgerStatus::InProgress => "in_progress",
            LedgerStatus::Overdue => "overdue",
            LedgerStatus::Completed => "completed",
            LedgerStatus::Exited => "exited",
            LedgerStatus::Removed => "removed",
        }
    }

    pub fn parse(s: &str) -> Option<LedgerStatus> {
        LedgerStatus::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            LedgerStatus::Unplanned => "待制定方案",
            LedgerStatus::InProgress => "实施中",
            LedgerStatus::Overdue => "节点逾期",
            LedgerStatus::Completed => "措施已完成",
            LedgerStatus::Exited => "已退出台账",
            LedgerStatus::Removed => "更正后移出",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            LedgerStatus::Unplanned => "No plan yet",
            LedgerStatus::InProgress => "In progress",
            LedgerStatus::Overdue => "Milestone overdue",
            LedgerStatus::Completed => "Measures completed",
            LedgerStatus::Exited => "Left the ledger",
            LedgerStatus::Removed => "Removed by a correction",
        }
    }
}

/// A step of a plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub done_on: Option<String>,
    /// What shows it was done (a document, an acceptance report).
    pub evidence: String,
}

/// One enterprise on a year's remediation ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub year: i32,
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub scale: grading::Scale,
    pub class: Option<grading::Class>,
    /// Why it is on the ledger: D class, low tax per mu, or both.
    pub d_class: bool,
    pub low_tax: bool,
    /// 万元/亩 over the (up to) three years ending with `year`.
    pub avg_tax_per_mu: Option<f64>,
    pub plan: Option<PlanKind>,
    pub person: String,
    pub milestones: Vec<Milestone>,
    pub status: LedgerStatus,
    pub exited_in: Option<i32>,
    /// Beijing time, and the unit or account that last changed it.
    pub updated_at: String,
    pub updated_by: String,
}

impl LedgerEntry {
    /// What the enterprise's portal calls its plan, by its class
    /// (嘉政办发〔2021〕5号 §三(二): B 提质增效计划, C 提升发展方案, D 整治).
    pub fn plan_title(&self) -> (&'static str, &'static str) {
        use grading::Class;
        match self.class {
            Some(Class::A) | Some(Class::B) => ("提质增效计划", "Efficiency plan"),
            Some(Class::C) => ("提升发展方案", "Improvement plan"),
            _ => ("整治方案", "Remediation plan"),
        }
    }
}

/// A county's counts on a year's ledger, by status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerCount {
    pub county: String,
    /// In [`LedgerStatus::ALL`] order.
    pub by_status: [u32; 6],
    pub total: u32,
}

/// A year's ledger as the reader may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub year: i32,
    pub years: Vec<i32>,
    /// The one county the reader covers, when bound to one.
    pub county: Option<String>,
    pub counts: Vec<LedgerCount>,
    /// The entries that match the filters (the first few hundred), and
    /// how many match in all.
    pub entries: Vec<LedgerEntry>,
    pub matching: u32,
    /// Whether the reader may change plans (the county's officials).
    pub editable: bool,
}

/// A D-class electricity surcharge in 元/kWh: 0 to 0.50 (“每千瓦时加价幅度
/// 不得超过 0.50元”), at most three decimals (厘), kept in thousandths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Surcharge(u32);

impl Surcharge {
    /// The policy's ceiling, in thousandths of a yuan.
    pub const MAX_MILLI: u32 = 500;

    pub fn parse(text: &str) -> Result<Surcharge, grading::Words> {
        use grading::Words;
        let t = text.trim();
        let bad = || {
            Words::new(
                format!("加价幅度“{t}”不是 0 至 0.50 之间的数（元/千瓦时，最多三位小数）"),
                format!("The surcharge “{t}” is not a number from 0 to 0.50 (yuan per kWh, at most three decimals)"),
            )
        };
        if t.is_empty() {
            return Err(Words::new(
                "请填写加价幅度（元/千瓦时）",
                "Please enter the surcharge (yuan per kWh)",
            ));
        }
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 3
            || int.len() > 3
        {
            return Err(bad());
        }
        let whole: u32 = int.parse().map_err(|_| bad())?;
        let thousandths: u32 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
        let milli = whole * 1000 + thousandths;
        if milli > Self::MAX_MILLI {
            return Err(Words::new(
                format!("加价幅度 {t} 元/千瓦时超过上限：D 类企业每千瓦时加价不得超过 0.50 元"),
                format!("A surcharge of {t} yuan per kWh is over the ceiling: class D pays at most 0.50 more per kWh"),
            ));
        }
        Ok(Surcharge(milli))
    }

    pub fn milli(self) -> u32 {
        self.0
    }
}

impl std::fmt::Display for Surcharge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (w, m) = (self.0 / 1000, self.0 % 1000);
        if m % 10 == 0 {
            write!(f, "{w}.{:02}", m / 10)
        } else {
            write!(f, "{w}.{m:03}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Surcharge;

    #[test]
    fn a_surcharge_is_zero_to_half_a_yuan() {
        for (t, shown) in [
            ("0", "0.00"),
            ("0.3", "0.30"),
            (" 0.50 ", "0.50"),
            ("0.125", "0.125"),
        ] {
            assert_eq!(
                Surcharge::parse(t).map(|s| s.to_string()),
                Ok(shown.into()),
                "{t}"
            );
        }
        for t in [
            "0.51", "0.5001", "1", "-0.1", "abc", "", ".3", "0.3元", "1e-1",
        ] {
            assert!(Surcharge::parse(t).is_err(), "{t} accepted");
        }
        assert!(Surcharge::parse("0.6").unwrap_err().zh.contains("0.50"));
    }
}
