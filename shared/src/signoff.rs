//! 核实上报 (data sign-off): before a year's publicity window opens, each
//! county confirms its enterprises' data and each providing department
//! its columns ("谁提供、谁核对、谁负责"), with who, when and what counts;
//! a later change to what a party confirmed reopens its sign-off (the one
//! write path marks it in the same transaction). The administrator opens
//! the window when the matrix is complete, or overrides with a recorded
//! reason. The types are shared with the browser.

use grading::{County, Department, Words};
use serde::{Deserialize, Serialize};

/// The departments that provide data and sign for their columns (the
/// county's own columns are signed by the county).
pub const DEPARTMENTS: [Department; 4] = [
    Department::Tax,
    Department::Statistics,
    Department::NaturalResources,
    Department::Ecology,
];

/// Who signs: a county or a providing department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Party {
    County(County),
    Department(Department),
}

impl Party {
    pub fn all() -> Vec<Party> {
        County::ALL
            .iter()
            .map(|&c| Party::County(c))
            .chain(DEPARTMENTS.iter().map(|&d| Party::Department(d)))
            .collect()
    }

    pub fn code(self) -> &'static str {
        match self {
            Party::County(c) => c.code(),
            Party::Department(d) => d.code(),
        }
    }

    pub fn parse(code: &str) -> Option<Party> {
        Party::all().into_iter().find(|p| p.code() == code)
    }

    pub fn words(self) -> Words {
        match self {
            Party::County(c) => Words::new(c.zh(), c.en()),
            Party::Department(d) => Words::new(d.zh(), d.en()),
        }
    }
}

/// Where a party stands for the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignState {
    /// Not confirmed yet.
    Open,
    /// Confirmed, nothing changed since.
    Signed,
    /// Confirmed, then changed: to confirm again.
    Reopened,
}

impl SignState {
    pub fn words(self) -> Words {
        match self {
            SignState::Open => Words::new("未确认", "not confirmed"),
            SignState::Signed => Words::new("已确认", "confirmed"),
            SignState::Reopened => Words::new(
                "确认后有修改，待重新确认",
                "changed since; to confirm again",
            ),
        }
    }
}

/// One row of the matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignRow {
    pub party: Party,
    pub state: SignState,
    /// Records and provided values now.
    pub records: u64,
    pub filled: u64,
    /// At the last confirmation: who (display name), when (Beijing time),
    /// and the counts confirmed.
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
    pub signed_counts: Option<(u64, u64)>,
    /// What reopened it: when, who, which enterprise and field.
    pub reopened: Option<(String, String, Words)>,
    /// Whether the reader may confirm this row.
    pub mine: bool,
}

/// A year's sign-off matrix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignMatrix {
    pub year: i32,
    pub years: Vec<i32>,
    pub rows: Vec<SignRow>,
    pub complete: bool,
    /// The year's publicity window has opened: sign-off is over.
    pub published: bool,
}
