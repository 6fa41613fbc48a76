//! Each year's ruleset: drafts, simulation, adoption. The types, shared
//! with the browser, are [`shared::rulesets`]'s, re-exported here.

pub use shared::rulesets::*;

mod edit;
pub use edit::{adopt, api, discard, page, save_draft, simulation, simulation_download};
