//! Importing a department's or county's spreadsheet: upload → preview
//! (every error by row and column, and the class changes the import would
//! cause) → commit all or nothing through the one write path, with
//! progress. The types are shared with the browser.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorView {
    pub row: usize,
    pub column: String,
    pub reason: grading::Words,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveView {
    pub uscc: String,
    pub name: String,
    pub year: i32,
    pub before: Option<grading::Class>,
    pub after: Option<grading::Class>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Set when the file is valid: the key to commit it.
    pub id: Option<String>,
    pub file: String,
    pub rows: usize,
    pub errors: Vec<ErrorView>,
    pub error_count: usize,
    pub moves: Vec<MoveView>,
    pub move_count: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub phase: String,
    pub done: usize,
    pub total: usize,
    pub finished: bool,
    pub error: Option<grading::Words>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub changed_fields: usize,
}

/// Errors and class changes shown in a preview (the counts are complete).
pub const SHOWN: usize = 500;
