//! The enterprise portal (企业端): an enterprise's own evaluation for each
//! year whose publicity has opened — its grade and why, what the class
//! means, where it stands against its cohort's cut-offs, its figures and
//! who provided them, its history, and what it can still do (confirm or
//! appeal). The types are shared with the browser.

use crate::appeals::AppealSummary;
use grading::preview::Context;
use grading::GradeResult;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One year in the enterprise's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub year: i32,
    pub status: grading::Status,
    pub class: Option<grading::Class>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub cohort_size: Option<u32>,
    /// `above` or `below` that year.
    #[serde(default)]
    pub scale: grading::Scale,
    /// The six indicator values (`Indicator::ALL` order; above-size).
    #[serde(default)]
    pub values: [Option<f64>; 6],
    #[serde(default)]
    pub tax_per_mu: Option<f64>,
}

/// A figure on file and who provided it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub key: String,
    pub label: String,
    pub label_en: String,
    pub value: String,
    pub value_en: String,
    /// Department code that provides the field.
    pub provider: String,
    /// Who last entered it (department and date), if recorded.
    pub entered: Option<String>,
    pub entered_en: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortalYear {
    /// The enterprise's newest entry on a remediation ledger (整治提升台账),
    /// with the county's plan, when it is on one.
    #[serde(default)]
    pub remediation: Option<crate::measures::LedgerEntry>,
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub year: i32,
    /// Years whose publicity has opened, newest first.
    pub years: Vec<i32>,
    pub window_start: String,
    pub window_end: String,
    /// Today is within the window.
    pub window_open: bool,
    pub result: Option<GradeResult>,
    /// The cohort in words (Chinese, English).
    pub cohort_name: Option<String>,
    pub cohort_name_en: Option<String>,
    /// The cohort's lowest scores of class A, B, C.
    pub cutoffs: [Option<f64>; 3],
    /// What the class means: topic → what it brings (spec section 9).
    pub consequences: Vec<(String, String)>,
    /// The same in English.
    pub consequences_en: Vec<(String, String)>,
    pub figures: Vec<Figure>,
    /// Every stored field (for the sandbox).
    pub fields: BTreeMap<String, String>,
    pub history: Vec<HistoryRow>,
    /// The engine's context for the sandbox (None when not graded).
    pub preview: Option<Context>,
    pub confirmed: Option<String>,
    pub appeals: Vec<AppealSummary>,
    /// Filing is allowed now (window open or reopened, no open appeal,
    /// not confirmed).
    pub may_appeal: bool,
    pub may_confirm: bool,
    /// Why filing is not allowed now, if it is not.
    pub appeal_blocked: Option<String>,
    pub appeal_blocked_en: Option<String>,
}
