//! The officials' workspace: enterprise list, one enterprise's record and
//! grade, saving a record, its audit trail. Every function checks the
//! caller's role and scope on the server:
//! * city administrators: every county;
//! * county officials: their own county only;
//! * department clerks: every county, but they may change only the fields
//!   their department provides;
//! * enterprise users: not this workspace.

#[cfg(feature = "ssr")]
pub(crate) mod scope;

use crate::error::AppError;
use grading::{CohortCutoffs, Effective, GradeResult, Ruleset};
use leptos::prelude::*;
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub uscc: String,
    pub name: String,
    pub county: String,
    pub industry: String,
    pub scale: String,
    pub status: String,
    pub cohort: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub cohort_size: Option<u32>,
    pub class: Option<String>,
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
            county: e.county.code().into(),
            industry: e.industry.code().into(),
            scale: e.scale.code().into(),
            status: r.status.code().into(),
            cohort: r.cohort.map(|c| c.name(rs)),
            score: r.score,
            rank: r.rank,
            cohort_size: r.cohort_size,
            class: r.class.map(|c| c.code().into()),
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
}

/// `(uscc, county, rank, cohort size)` of a row whose grade is otherwise
/// unchanged; a JSON array on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankMove(pub String, pub String, pub u32, pub u32);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub department: String,
    pub user: String,
    pub at: String,
}

/// Everything the enterprise page needs, including what the browser needs to
/// grade a draft itself: the ruleset, the city average of its scale, its
/// cohort's cut-off scores and the lessees' merged inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub uscc: String,
    pub year: i32,
    pub years: Vec<i32>,
    pub name: String,
    pub fields: BTreeMap<String, String>,
    pub sources: BTreeMap<String, SourceInfo>,
    pub result: Option<GradeResult>,
    pub cohort_name: Option<String>,
    pub cutoffs: Option<CohortCutoffs>,
    pub city_avg: Option<f64>,
    /// The effective inputs the server graded with (lessees merged).
    pub effective: Option<Effective>,
    pub ruleset: Ruleset,
    /// Field keys this user may change.
    pub editable: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaveOutcome {
    pub changed_fields: Vec<String>,
    pub result: Option<GradeResult>,
    /// Enterprises whose class moved because of this save (this one included).
    pub classes_moved: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub username: String,
    pub action: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub department: Option<String>,
    pub source: String,
}

#[server(prefix = "/api", endpoint = "list_enterprises")]
pub async fn list_enterprises(#[server(default)] query: ListQuery) -> Result<ListPage, AppError> {
    scope::list(query).await
}

#[server(prefix = "/api", endpoint = "get_enterprise")]
pub async fn get_enterprise(uscc: String, year: i32) -> Result<Detail, AppError> {
    scope::detail(&uscc, year).await
}

/// Saves changed fields (`fields[key]=text`); works as a plain form post too.
#[server(prefix = "/api", endpoint = "save_record")]
pub async fn save_record(
    uscc: String,
    year: i32,
    fields: BTreeMap<String, String>,
) -> Result<SaveOutcome, AppError> {
    scope::save(&uscc, year, fields).await
}

#[server(prefix = "/api", endpoint = "audit_trail")]
pub async fn audit_trail(uscc: String, year: i32) -> Result<Vec<AuditEntry>, AppError> {
    scope::audit(&uscc, year).await
}
