//! Native = WASM: both builds grade the same synthetic city and must reach
//! the same digest over every bit of every result. The golden digest was
//! produced natively; `wasm-bindgen-test` runs this file under Node for
//! wasm32 (see scripts/test.sh). Regenerate after a deliberate rule change
//! with `MUYI_PRINT_DIGEST=1 cargo test -p grading --test parity -- --nocapture`.

use grading::{evaluate_counties, synth, GradeResult, Ruleset};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const GOLDEN: &str = include_str!("golden_digest.txt");
const GOLDEN_PREVIEW: &str = include_str!("golden_preview_digest.txt");

/// FNV-1a.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn eat(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// FNV-1a over the results, folding in every float's bit pattern.
fn digest(results: &[GradeResult], counties: &[grading::CountyScore]) -> String {
    let mut fnv = Fnv::new();
    let mut eat = |bytes: &[u8]| fnv.eat(bytes);
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
    format!("{:016x}", fnv.0)
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

/// The browser's preview of drafts (a context that crossed JSON, as it
/// does to reach the browser), over every bit of what it shows.
fn compute_preview() -> String {
    let g = grading::Grader::new(Ruleset::builtin_2020(), synth::city(2024, 2020, 300, 900))
        .expect("valid city");
    let mut fnv = Fnv::new();
    let bits = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits).to_le_bytes();
    for i in (0..g.rows().len()).step_by(7) {
        let json = serde_json::to_string(&g.preview_context(i)).expect("context");
        let ctx: grading::preview::Context = serde_json::from_str(&json).expect("context");
        let mut draft = g.rows()[i].clone();
        draft.tax_wan = draft.tax_wan.map(|t| t * 1.37 + 0.01);
        draft.land_mu = draft.land_mu.map(|l| l * 0.9);
        match grading::preview::preview(&ctx, &draft) {
            Err(e) => fnv.eat(e.reason.zh.as_bytes()),
            Ok(p) => {
                fnv.eat(p.status.code().as_bytes());
                fnv.eat(&bits(p.scored.as_ref().map(|s| s.score)));
                for i in p.scored.iter().flat_map(|s| &s.indicators) {
                    fnv.eat(&i.points.to_bits().to_le_bytes());
                }
                fnv.eat(&bits(p.city_averages[0]));
                fnv.eat(&bits(p.city_averages[1]));
                fnv.eat(p.class.map_or("-", |c| c.code()).as_bytes());
                for r in &p.reasons {
                    fnv.eat(r.code().as_bytes());
                }
            }
        }
    }
    format!("{:016x}", fnv.0)
}

#[test]
fn preview_digest_matches_the_golden_one() {
    let d = compute_preview();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var("MUYI_PRINT_DIGEST").is_ok() {
        println!("preview digest {d}");
    }
    assert_eq!(
        d,
        GOLDEN_PREVIEW.trim(),
        "previews differ from the golden digest"
    );
}
