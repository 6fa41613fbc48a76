//! The ruleset of each year, as the city administrator keeps it: a year
//! grades on its own ruleset, or the latest earlier one until it has its
//! own; changes are made to a **draft** (every number a validated field,
//! `grading::rule_form`), audited, and **adopted** only when ready, which
//! regrades the year; a year's ruleset is frozen once its publicity window
//! has opened. Beside each benchmark the page shows the scheme's own
//! suggestion ("近三年平均值的 2 倍左右") from the stored data. The types
//! are shared with the browser; the work is on the server.

use grading::rule_form::{Change, Problem, RuleField};
use grading::Words;
use serde::{Deserialize, Serialize};

/// A year in the page's year picker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearState {
    pub year: i32,
    /// 已冻结 / 有草稿 / 沿用 2020 年度规则 / 本年度规则
    pub state: Words,
}

/// The scheme's suggestion for one benchmark: twice the city average
/// (Σ numerator / Σ denominator over graded above-size enterprises) of the
/// last three graded years before the year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The benchmark's field key.
    pub key: String,
    pub value: Option<f64>,
    /// Each year's city average it is made from.
    pub inputs: Vec<(i32, Option<f64>)>,
}

/// The draft being edited: who last saved it and how it differs from the
/// ruleset in force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftInfo {
    pub saved_at: String,
    pub saved_by: String,
    pub changes: Vec<Change>,
}

/// The administrator's page for one year.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RulesPage {
    pub year: i32,
    pub years: Vec<YearState>,
    pub name: String,
    /// The year whose ruleset is in force for this one, when not its own.
    pub inherited_from: Option<i32>,
    /// Why the year's ruleset can no longer change.
    pub frozen: Option<Words>,
    /// Enterprise records of the year (adoption regrades them).
    pub records: u64,
    /// The draft's numbers when there is one, else those in force.
    pub fields: Vec<RuleField>,
    pub draft: Option<DraftInfo>,
    pub suggestions: Vec<Suggestion>,
}

/// What saving a draft did: the problems that kept it from being saved,
/// or the number of figures it changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftSaved {
    pub problems: Vec<Problem>,
    pub changed: usize,
}

/// `GET /api/v1/rulesets/{year}`: the ruleset in force for a year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiRuleset {
    pub year: i32,
    /// The year whose ruleset this year uses, when it has none of its own.
    pub inherited_from: Option<i32>,
    /// True once the year's publicity window has opened.
    pub frozen: bool,
    /// The ruleset: benchmarks and weights in indicator order (tax per mu,
    /// value added per mu, R&D intensity, value added per tce, value added
    /// per t of emission rights, labour productivity), cut-offs, special
    /// rules, county evaluation and measures.
    #[schema(value_type = Object)]
    pub ruleset: grading::Ruleset,
}

/// What the browser needs to grade the whole city under the year's draft
/// (`grading::simulate`), for the city administrator only: it holds every
/// enterprise's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationData {
    pub year: i32,
    /// Whose records: the year's own, or — before it has any — the latest
    /// graded year's (what the draft would do to the city as it stands).
    pub data_year: i32,
    /// The draft (or, without one, the ruleset in force).
    pub draft: grading::Ruleset,
    pub has_draft: bool,
    pub table: grading::simulate::Table,
    /// The classes in force now, per row (`grading::simulate::class_code`).
    pub current: Vec<u8>,
    /// The county evaluation in force now.
    pub current_counties: Vec<grading::CountyScore>,
    /// The year before's aggregates, for the counties' growth.
    pub previous: Option<grading::Aggregates>,
}
