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
pub mod measures;
pub mod preview;
pub mod quality;
pub mod reason;
pub mod record;
pub mod rule_form;
pub mod ruleset;
pub mod score;
pub mod simulate;
pub mod special;
pub mod synth;
pub mod types;
pub mod uscc;
pub mod whatif;
pub mod words;

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
pub use words::Words;

/// Formats a canonical score with exactly 4 decimals, as the result file wants.
pub fn format_score(score: f64) -> String {
    // A canonical score (a whole number of ten-thousandths) is written from
    // that whole number: the same text as `{:.4}`, without its exact
    // decimal expansion (a result file writes 200,000 of them).
    let k = (score * 10_000.0).round();
    if k.abs() < 1e15 && k / 10_000.0 == score {
        let n = k.abs() as u64;
        let sign = if score.is_sign_negative() { "-" } else { "" };
        return format!("{sign}{}.{:04}", n / 10_000, n % 10_000);
    }
    format!("{score:.4}")
}

#[cfg(test)]
mod tests {
    use super::format_score;
    use proptest::prelude::*;

    proptest! {
        /// The whole-number path writes what `{:.4}` writes, for canonical
        /// scores and for any other double (which take the general path).
        #[test]
        fn scores_format_as_four_decimals(k in -2_000_000_000i64..2_000_000_000, x in any::<f64>()) {
            let canonical = k as f64 / 10_000.0;
            prop_assert_eq!(format_score(canonical), format!("{canonical:.4}"));
            prop_assert_eq!(format_score(-canonical), format!("{:.4}", -canonical));
            prop_assert_eq!(format_score(x), format!("{x:.4}"));
        }
    }

    #[test]
    fn edge_scores() {
        for x in [0.0, -0.0, 100.0, 0.00005, 0.00015, 1e15, -1e-9, f64::MAX] {
            assert_eq!(format_score(x), format!("{x:.4}"), "{x}");
        }
    }
}
