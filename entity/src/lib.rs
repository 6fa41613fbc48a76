//! sea-orm entities. Server side only: the WASM build never sees them.

pub mod appeal;
pub mod appeal_event;
pub mod appeal_file;
pub mod appeal_item;
pub mod appeal_reopening;
pub mod audit_log;
pub mod confirmation;
pub mod county;
pub mod disclosure;
pub mod disclosure_change;
pub mod disclosure_fact;
pub mod disclosure_row;
pub mod disclosure_version;
pub mod electricity_procedure;
pub mod grade_result;
pub mod grade_year;
pub mod notice;
pub mod record;
pub mod remediation_entry;
pub mod ruleset;
pub mod session;
pub mod target;
pub mod target_actual;
pub mod target_audit;
pub mod target_doc;
pub mod user;
