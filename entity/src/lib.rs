//! sea-orm entities. Server side only: the WASM build never sees them.

pub mod audit_log;
pub mod county;
pub mod grade_result;
pub mod grade_year;
pub mod record;
pub mod ruleset;
pub mod session;
pub mod user;
