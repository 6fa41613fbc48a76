//! Grading a 200,000-enterprise city from memory, beside sorting its 200,000
//! scores (the goal: a full regrade within 3× the sort), and the incremental
//! regrade of one change at city scale (26,000). See docs/performance.md.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use grading::{synth, Grader, Ruleset};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let rs = Ruleset::builtin_2020();
    let big = synth::city(42, 2020, 46_000, 154_000);
    let scores: Vec<f64> = {
        let g = Grader::new(rs.clone(), big.clone()).expect("valid city");
        g.results().iter().map(|r| r.score.unwrap_or(0.0)).collect()
    };
    let mut group = c.benchmark_group("city_200k");
    group.sample_size(20);
    group.bench_function("sort_200k_scores", |b| {
        b.iter_batched(
            || scores.clone(),
            |mut s| {
                s.sort_unstable_by(|a, b| b.total_cmp(a));
                black_box(s)
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("grade_200k", |b| {
        b.iter_batched(
            || big.clone(),
            |rows| black_box(Grader::new(rs.clone(), rows).expect("valid")),
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let city = synth::city(42, 2020, 6_000, 20_000);
    let grader = Grader::new(rs.clone(), city.clone()).expect("valid city");
    let mut group = c.benchmark_group("city_26k");
    group.sample_size(30);
    for (label, idx) in [
        ("one_change_above", 10usize),
        ("one_change_below", 10_000usize),
    ] {
        group.bench_function(label, |b| {
            let mut g = grader.clone();
            let mut e = city[idx].clone();
            let base_tax = e.tax_wan.unwrap_or(0.0);
            let mut flip = false;
            b.iter(|| {
                flip = !flip;
                e.tax_wan = Some(if flip { base_tax * 3.0 + 1.0 } else { base_tax });
                black_box(g.upsert(e.clone()).expect("valid"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
