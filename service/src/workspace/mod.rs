//! The officials' workspace: the list, a record and its audit trail
//! ([`views`]). The types, shared with the browser, are
//! [`shared::workspace`]'s, re-exported here.

pub use shared::workspace::*;

pub mod views;
