//! Profiling aid: grades a 200,000-enterprise city repeatedly (run under
//! `perf record`); prints the time of each full grade and of the sort.
use grading::{synth, Grader, Ruleset};
fn main() {
    let rs = Ruleset::builtin_2020();
    let big = synth::city(42, 2020, 46_000, 154_000);
    let mut scores: Vec<f64> = Vec::new();
    for _ in 0..20 {
        let rows = big.clone();
        let t = std::time::Instant::now();
        let g = Grader::new(rs.clone(), rows).expect("valid city");
        let took = t.elapsed();
        scores = g.results().iter().map(|r| r.score.unwrap_or(0.0)).collect();
        drop(g);
        println!("grade {took:?}");
    }
    let t = std::time::Instant::now();
    scores.sort_unstable_by(|a, b| b.total_cmp(a));
    println!("sort {:?}", t.elapsed());
}
