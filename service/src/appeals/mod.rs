//! Appeals (申诉): filing with evidence, confirmations and reopenings
//! ([`file`]), review by the providing department and the county
//! ([`review`]), the queues, details and notices ([`read`]). The types,
//! shared with the browser, are [`shared::appeals`]'s, re-exported here.

pub use shared::appeals::*;

pub mod file;
pub mod read;
pub mod review;
