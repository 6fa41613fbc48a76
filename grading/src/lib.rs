//! 亩均 evaluation engine (工业企业绩效综合评价), after
//! `shared/spec/evaluation.md`.
//!
//! Pure Rust with no IO, so the server grades the whole city with it and the
//! browser (WASM) previews a grade while an official types, with results
//! identical to the bit. Every number of the rules lives in a [`Ruleset`].

pub mod cohort;
pub mod county;
pub mod fsum;
pub mod grade;
mod index;
pub mod input;
pub mod preview;
pub mod quality;
pub mod reason;
pub mod record;
pub mod ruleset;
pub mod score;
pub mod special;
pub mod synth;
pub mod types;
pub mod uscc;
pub mod whatif;

pub use cohort::{class_of, CohortCutoffs, CohortKey, CohortLabel};
pub use county::{evaluate_aggregates, evaluate_counties, Aggregates, CountyScore};
pub use grade::{grade, ClassChange, GradeResult, Graded, Grader, InputError, Outcome, Regrade};
pub use input::Enterprise;
pub use reason::{Reason, Reasons};
pub use ruleset::{Indicator, Ruleset};
pub use score::{canonical, score, Bonus, Effective, IndicatorScore, Scored};
pub use special::{apply_special_rules, Special};
pub use types::{Class, County, Department, Industry, Scale, Status, Talent, Tier};
pub use uscc::Uscc;

/// Formats a canonical score with exactly 4 decimals, as the result file wants.
pub fn format_score(score: f64) -> String {
    format!("{score:.4}")
}
