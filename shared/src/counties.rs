//! 县（市、区）概览: per cohort how the county's enterprises are classed,
//! the cohorts' cut-off scores, who is exempt, merged or excluded, the data
//! to chase, and the county (主体) evaluation of section 8.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortView {
    pub name: String,
    pub label_zh: String,
    pub label_en: String,
    /// The county's enterprises of this cohort per final class A–D.
    pub classes: [u32; 4],
    /// Cohort size city-wide (or in the county, when ranked per county).
    pub n: u32,
    /// Lowest score still in A, B, C.
    pub cutoffs: [Option<f64>; 3],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WarningRow {
    pub uscc: String,
    pub name: String,
    pub warnings: Vec<String>,
    pub warnings_en: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyRank {
    pub county: String,
    pub level: f64,
    pub growth: Option<f64>,
    pub composite: f64,
    pub rank: u32,
}

/// A graded year of the county's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountyYear {
    pub year: i32,
    /// The shown scope's (the county's, or the whole city's) graded
    /// enterprises per final class A–D.
    pub classes: [u32; 4],
    /// Each county's rank in the county evaluation, `County::ALL` order.
    pub ranks: Vec<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountyReport {
    pub year: Option<i32>,
    pub years: Vec<i32>,
    pub county: Option<String>,
    pub county_locked: Option<String>,
    pub cohorts: Vec<CohortView>,
    pub graded: u32,
    pub exempt: u32,
    pub merged: u32,
    pub excluded: u32,
    pub warnings: Vec<WarningRow>,
    pub warnings_total: u32,
    pub counties: Vec<CountyRank>,
    /// Every graded year, oldest first.
    pub history: Vec<CountyYear>,
}

pub const WARNINGS_SHOWN: usize = 200;
