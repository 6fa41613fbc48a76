//! Native = WASM: both builds grade the same synthetic city and must reach
//! the same digest over every bit of every result. The golden digest was
//! produced natively; `wasm-bindgen-test` runs this file under Node for
//! wasm32 (see scripts/test.sh). Regenerate after a deliberate rule change
//! with `MUYI_PRINT_DIGEST=1 cargo test -p grading --test parity -- --nocapture`.

use grading::{evaluate_counties, synth, GradeResult, Ruleset};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const GOLDEN: &str = include_str!("golden_digest.txt");

/// FNV-1a over the results, folding in every float's bit pattern.
fn digest(results: &[GradeResult], counties: &[grading::CountyScore]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for r in results {
        eat(r.status.code().as_bytes());
        eat(&r.score.map_or(u64::MAX, f64::to_bits).to_le_bytes());
        eat(&r.base.map_or(u64::MAX, f64::to_bits).to_le_bytes());
        eat(&r.bonus.tax.to_bits().to_le_bytes());
        for i in &r.indicators {
            eat(&i.points.to_bits().to_le_bytes());
            eat(&i.value.map_or(u64::MAX, f64::to_bits).to_le_bytes());
        }
        eat(&r.rank.unwrap_or(0).to_le_bytes());
        eat(r.class.map_or("-", |c| c.code()).as_bytes());
        for reason in &r.reasons {
            eat(reason.code().as_bytes());
        }
    }
    for c in counties {
        eat(&c.composite.to_bits().to_le_bytes());
        eat(&c.rank.to_le_bytes());
    }
    format!("{h:016x}")
}

fn compute() -> String {
    let rs = Ruleset::builtin_2020();
    let now = synth::city(2024, 2020, 1500, 4500);
    let before = synth::city(2023, 2019, 1500, 4500);
    let r_now = grading::grade(&rs, &now).expect("valid city");
    let r_before = grading::grade(&rs, &before).expect("valid city");
    let counties = evaluate_counties(&rs, (&now, &r_now), Some((&before, &r_before)));
    digest(&r_now, &counties)
}

#[test]
fn digest_matches_the_golden_one() {
    let d = compute();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var("MUYI_PRINT_DIGEST").is_ok() {
        println!("digest {d}");
    }
    assert_eq!(d, GOLDEN.trim(), "results differ from the golden digest");
}
