//! The officials' workspace: the enterprise list, one enterprise's record
//! and grade, its audit trail, and the grade changes pushed to open
//! screens. The types are shared with the browser; the queries
//! (`service::workspace::views`) run on the server.

use grading::{GradeResult, Ruleset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const PER_PAGE: u64 = 50;

/// Filters of the enterprise list (all optional; URL query parameters).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListQuery {
    pub year: Option<i32>,
    pub county: Option<String>,
    pub q: Option<String>,
    pub industry: Option<String>,
    pub scale: Option<String>,
    pub class: Option<String>,
    pub status: Option<String>,
    /// `score_desc` (default), `score_asc`, `name`.
    pub sort: Option<String>,
    pub page: Option<u64>,
    /// Only enterprises whose class moved since the year before: `up`,
    /// `down` or `any`.
    #[serde(default)]
    pub moved: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub industry: grading::Industry,
    pub scale: grading::Scale,
    pub status: grading::Status,
    pub cohort: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub cohort_size: Option<u32>,
    pub class: Option<grading::Class>,
    /// The class the year before (set when the list is filtered by class
    /// movement).
    #[serde(default)]
    pub previous_class: Option<grading::Class>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    pub year: Option<i32>,
    pub years: Vec<i32>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub rows: Vec<Row>,
    /// Set for a county official: the list is always this county.
    pub county_locked: Option<String>,
}

impl Row {
    /// A list row from the graded state.
    pub fn of(rs: &Ruleset, e: &grading::Enterprise, r: &grading::Graded) -> Row {
        Row {
            uscc: e.uscc.clone(),
            name: e.name.clone(),
            county: e.county,
            industry: e.industry,
            scale: e.scale,
            status: r.status,
            cohort: r.cohort.map(|c| c.name(rs)),
            score: r.score,
            rank: r.rank,
            cohort_size: r.cohort_size,
            class: r.class,
            previous_class: None,
        }
    }
}

/// One enterprise's moved grade, pushed to open screens: its list row, flat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowChange {
    #[serde(flatten)]
    pub row: Row,
    /// Its class changed (not only score or rank).
    pub class_moved: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeEvent {
    pub year: i32,
    /// Rows whose status, score or class moved (the edited one included).
    pub changes: Vec<RowChange>,
    /// Rows that only moved in rank (an edit near the top of a cohort
    /// re-ranks every member below it): sent compactly, as thousands of
    /// them can follow one save.
    #[serde(default)]
    pub ranks: Vec<RankMove>,
    /// The whole year was rewritten (an import): screens showing it fetch
    /// their rows again instead of patching them.
    #[serde(default)]
    pub reload: bool,
    /// The record a person saved (none for imports and other processes'
    /// reloads): an open page of that record tells its reader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<Saved>,
}

/// Who saved which record, when, and its version after the save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub uscc: String,
    pub county: grading::County,
    pub version: i32,
    /// The account's display name (or the console operator's name).
    pub by: String,
    /// Beijing time, to the minute.
    pub at: String,
}

/// `(uscc, county, rank, cohort size)` of a row whose grade is otherwise
/// unchanged; a JSON array on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankMove(pub String, pub String, pub u32, pub u32);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub department: String,
    /// Who entered it: an account's name, or the demo data in words.
    pub by: grading::Words,
    pub at: String,
}

/// Everything the enterprise page needs, including what the browser needs to
/// grade a draft itself ([`grading::preview::Context`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub uscc: String,
    pub year: i32,
    /// The record's version: a save names it, and is refused if another
    /// save came in between.
    pub version: i32,
    pub years: Vec<i32>,
    pub name: String,
    pub fields: BTreeMap<String, String>,
    pub sources: BTreeMap<String, SourceInfo>,
    pub result: Option<GradeResult>,
    /// The cohort in words.
    pub cohort_name: Option<String>,
    /// What the engine in the browser grades a draft against.
    pub preview: Option<grading::preview::Context>,
    /// Field keys this user may change.
    pub editable: Vec<String>,
    /// The enterprise's grade in every year on file (year-on-year).
    #[serde(default)]
    pub history: Vec<crate::portal::HistoryRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaveOutcome {
    pub changed_fields: Vec<String>,
    pub result: Option<GradeResult>,
    /// Enterprises whose class moved because of this save (this one included).
    pub classes_moved: usize,
    /// The record's version after the save.
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub username: String,
    /// Who, in words (the demo data is not an account).
    #[serde(default)]
    pub by: grading::Words,
    pub action: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub department: Option<String>,
    pub source: String,
    /// The record version this change produced (None before versions).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A save refused because the record moved since the form was read: the
/// version now stored and what changed in between, so the official can
/// see it and apply their edit again on top.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleRecord {
    pub version: i32,
    pub changes: Vec<AuditEntry>,
}
