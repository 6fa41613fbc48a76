//! Grading a 200,000-enterprise city from memory, beside sorting its 200,000
//! scores (the goal: a full regrade within 3× the sort), and the incremental
//! regrade of one change at city scale (26,000). The `floor` benchmarks time
//! the data movement a full grade cannot avoid, applying no rule: what is
//! left of the goal's budget for the rules. See docs/performance.md.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use grading::{synth, Enterprise, Graded, Grader, Ruleset};
use std::hint::black_box;

/// Every number and flag the rules read of a row, folded so none of the
/// reads can be skipped.
fn read_fields(rows: &[Enterprise]) -> (f64, u32) {
    let (mut sum, mut flags) = (0.0, 0u32);
    for e in rows {
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
        flags = flags
            .wrapping_add(u32::from(e.protected()))
            .wrapping_add(e.general_accidents)
            .wrapping_add(e.zero_revenue_tax_years)
            .wrapping_add(u32::from(e.lessor_uscc.is_some()))
            .wrapping_add(e.industry as u32 + e.county as u32);
    }
    (sum, flags)
}

/// Times `f` on a fresh copy of `rows`; the copy is returned with the
/// output, so its drop stays out of the timing as in `grade_200k` (the
/// grader keeps its rows).
fn on_fresh_rows<T>(
    b: &mut criterion::Bencher,
    rows: &[Enterprise],
    f: impl Fn(&[Enterprise]) -> T,
) {
    b.iter_batched(
        || rows.to_vec(),
        |rows| {
            let out = f(&rows);
            black_box((rows, out))
        },
        BatchSize::LargeInput,
    )
}

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
    // The floor: each from a fresh copy of the rows, as `grade_200k` is.
    group.bench_function("floor_read_fields_200k", |b| {
        on_fresh_rows(b, &big, read_fields)
    });
    group.bench_function("floor_hash_usccs_200k", |b| {
        on_fresh_rows(b, &big, |rows| {
            use std::hash::BuildHasher;
            rows.iter()
                .map(|e| rustc_hash::FxBuildHasher.hash_one(e.uscc.as_str()))
                .collect::<Vec<u64>>()
        })
    });
    group.bench_function("floor_write_grades_200k", |b| {
        on_fresh_rows(b, &big, |rows| {
            rows.iter()
                .map(|e| Graded {
                    score: e.tax_wan,
                    ..Graded::default()
                })
                .collect::<Vec<Graded>>()
        })
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

/// The policy simulator's work on the demo city (26,000 enterprises): the
/// records from the cell texts they travel as, graded under a ruleset (the
/// browser runs the same code as WASM; docs/performance.md has both).
fn simulator(c: &mut Criterion) {
    use grading::simulate::{run, Table};
    let table = Table::of(&synth::city(2020, 2020, 6_000, 20_000));
    let rs = Ruleset::builtin_2020();
    c.bench_function("simulator/parse_and_grade_26k", |b| {
        b.iter(|| {
            let rows = table.enterprises().expect("parses");
            black_box(run(rs.clone(), rows, None).expect("valid"))
        })
    });
}

criterion_group!(benches, bench, simulator);
criterion_main!(benches);
