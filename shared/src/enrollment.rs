//! Enterprise accounts as pages see them (shared with the browser); the
//! workflow is `accounts::enterprises`.

use serde::{Deserialize, Serialize};

/// An enterprise of the county and its account, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub uscc: String,
    pub name: String,
    pub county: grading::County,
    pub username: Option<String>,
}

/// A created account with its one-time password (shown once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issued {
    pub uscc: String,
    pub name: String,
    pub username: String,
    pub password: String,
    /// When the one-time password stops working (Beijing time).
    pub expires: String,
}
