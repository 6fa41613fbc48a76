//! 年度分析报告: "工业企业绩效综合评价每年实施一次，定期发布年度分析报告"
//! (嘉政办发〔2021〕5号 §四). Made for a published year from its latest
//! published version (the classes the public saw, and the year before's
//! for the transitions) and from the year's data behind it (city and county
//! averages of the six indicators, the county evaluation, the enterprises
//! below the improvement lines of 嘉政办发〔2021〕3号). Two editions: the
//! public one holds aggregates only; the city's internal one adds the
//! enterprises that fell, with their figures.

use crate::disclosure::Distribution;
use grading::Words;
use serde::{Deserialize, Serialize};

/// 亩均税收 below which an above-size enterprise is to be improved (万元/亩),
/// and a below-size one: "近三年亩均税收 10 万元以下规上工业企业和亩均税收
/// 3 万元以下规下企业改造提升" (嘉政办发〔2021〕3号 §一).
pub const LOW_ABOVE: f64 = 10.0;
pub const LOW_BELOW: f64 = 3.0;
/// "规上工业企业亩均税收和亩均工业增加值年均增长 7%以上".
pub const GROWTH_GOAL: f64 = 7.0;
/// Industries with fewer graded enterprises are not ranked as leading or
/// lagging (a share of a handful says little).
pub const COHORT_MIN: u32 = 20;
/// The internal edition's list of enterprises that fell, at most.
pub const FALLEN_SHOWN: usize = 300;

/// Which edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edition {
    Public,
    Internal,
}

/// One of the six indicators, city-wide (Σ numerator / Σ denominator over
/// graded above-size enterprises), this year and the year before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorLine {
    /// `grading::Indicator` code.
    pub key: String,
    pub name: Words,
    pub unit: Words,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    /// Percent change on the year before.
    pub growth: Option<f64>,
    /// The growth the scheme asks for, where it names one (percent).
    pub goal: Option<f64>,
}

/// A county's evaluation (评价主体, spec §8) and why it ranks there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyLine {
    pub county: String,
    pub rank: u32,
    pub composite: f64,
    pub level: f64,
    pub growth: Option<f64>,
    /// The county's six indicators (`Indicator::ALL` order).
    pub values: [Option<f64>; 6],
    /// Points each indicator earned for the level.
    pub level_points: [f64; 6],
    /// Above-size enterprises below 10 万元/亩 and below-size below 3.
    pub low_above: u32,
    pub low_below: u32,
}

/// An industry's share of A or D among its graded above-size enterprises.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortShare {
    pub industry: String,
    pub name: Words,
    pub graded: u32,
    /// Percent.
    pub share: f64,
}

/// Class transitions from the year before's published classes to this
/// year's: rows and columns are A, B, C, D, and "not graded" (exempt,
/// merged, excluded, or not in that year's list).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transitions {
    pub from_year: i32,
    pub cells: [[u32; 5]; 5],
    pub up: u32,
    pub down: u32,
    pub same: u32,
}

/// An enterprise whose class fell (internal edition only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fallen {
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub industry: grading::Industry,
    pub before: grading::Class,
    pub after: grading::Class,
    pub score: Option<f64>,
    pub tax_per_mu: Option<f64>,
    pub value_added_per_mu: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnnualReport {
    pub year: i32,
    /// Every year with a report, newest first.
    pub years: Vec<i32>,
    pub edition: Edition,
    /// The published version the classes come from, and its state.
    pub version: i32,
    pub status: crate::disclosure::PublicationStatus,
    pub published_at: String,
    pub city: Distribution,
    pub by_county: Vec<Distribution>,
    /// Above-size enterprises per industry.
    pub by_industry: Vec<Distribution>,
    /// `above`, `below`.
    pub by_scale: Vec<Distribution>,
    pub transitions: Option<Transitions>,
    pub indicators: Vec<IndicatorLine>,
    pub counties: Vec<CountyLine>,
    pub low_above: u32,
    pub low_below: u32,
    pub leading: Vec<CohortShare>,
    pub lagging: Vec<CohortShare>,
    /// The report's text, generated from the figures above.
    pub summary: Vec<Words>,
    /// Internal edition: enterprises whose class fell since the year
    /// before (D first), at most [`FALLEN_SHOWN`], and how many in all.
    pub fallen: Vec<Fallen>,
    pub fallen_total: u32,
}
