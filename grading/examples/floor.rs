//! What the data movement of a full grade costs on this machine, beside the
//! sort the benchmark goal is measured against (docs/performance.md): one
//! pass reading the fields the rules read from 200,000 input rows, hashing
//! every USCC, and writing one fresh compact grade per row. None of it
//! applies a rule; a full grade cannot cost less than their sum.
use grading::{synth, Graded, Grader, Ruleset};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let big = synth::city(42, 2020, 46_000, 154_000);
    // The benchmark's baseline: the city's own 200,000 scores.
    let scores: Vec<f64> = {
        let g = Grader::new(Ruleset::builtin_2020(), big.clone()).expect("valid city");
        g.results().iter().map(|r| r.score.unwrap_or(0.0)).collect()
    };
    let mut best = [Duration::MAX; 4];
    for _ in 0..15 {
        // A fresh copy each round, as the benchmark's setup makes.
        let rows = big.clone();
        let mut s = scores.clone();
        let t = Instant::now();
        s.sort_unstable_by(|a, b| b.total_cmp(a));
        best[0] = best[0].min(t.elapsed());
        black_box(&s);

        let t = Instant::now();
        let (mut sum, mut flags) = (0.0, 0u32);
        for e in &rows {
            for v in [
                e.land_mu,
                e.tax_wan,
                e.revenue_wan,
                e.value_added_wan,
                e.rnd_wan,
                e.energy_tce,
                e.emission_t,
                e.employees,
                e.years_in_production,
                e.years_since_upgrade,
            ] {
                sum += v.unwrap_or(0.0);
            }
            flags += u32::from(e.protected()) + e.general_accidents + e.zero_revenue_tax_years;
            flags += u32::from(e.lessor_uscc.is_some()) + e.industry as u32 + e.county as u32;
        }
        best[1] = best[1].min(t.elapsed());
        black_box((sum, flags));

        let t = Instant::now();
        let hashes: Vec<u64> = rows
            .iter()
            .map(|e| {
                use std::hash::BuildHasher;
                rustc_hash::FxBuildHasher.hash_one(e.uscc.as_str())
            })
            .collect();
        best[2] = best[2].min(t.elapsed());
        black_box(&hashes);

        let t = Instant::now();
        let out: Vec<Graded> = rows
            .iter()
            .map(|e| Graded {
                score: e.tax_wan,
                ..Graded::default()
            })
            .collect();
        best[3] = best[3].min(t.elapsed());
        black_box(&out);
    }
    let sort = best[0].as_secs_f64();
    for (what, d) in [
        "sort 200,000 scores",
        "read the rules' fields of 200,000 rows",
        "hash 200,000 USCCs",
        "write 200,000 fresh grades",
    ]
    .iter()
    .zip(best)
    {
        let d = d.as_secs_f64();
        println!("{what:42} {:6.2} ms  {:4.2}× the sort", d * 1e3, d / sort);
    }
}
