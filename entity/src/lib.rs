//! sea-orm entities. Server side only: the WASM build never sees them.

pub mod audit_log;
pub mod county;
pub mod disclosure;
pub mod disclosure_change;
pub mod disclosure_row;
pub mod disclosure_version;
pub mod grade_result;
pub mod grade_year;
pub mod record;
pub mod ruleset;
pub mod session;
pub mod user;
