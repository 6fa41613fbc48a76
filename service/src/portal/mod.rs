//! The enterprise portal: an enterprise's own evaluation of a year
//! ([`views`]). The types, shared with the browser, are
//! [`shared::portal`]'s, re-exported here.

pub use shared::portal::*;

pub mod views;
