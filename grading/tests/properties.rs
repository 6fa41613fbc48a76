//! Property tests: monotonicity, permutation invariance, class proportions,
//! caps, and incremental regrade = full regrade.

use grading::{score, synth, Class, Effective, Enterprise, Grader, Ruleset, Scale, Status};
use proptest::prelude::*;
use std::collections::HashMap;

fn city(seed: u64, above: usize, below: usize) -> Vec<Enterprise> {
    synth::city(seed, 2020, above, below)
}

/// One edit of a row of `g` (or, kind 6, a new enterprise), as the
/// property tests below apply them.
fn edited(g: &Grader, seed: u64, extra: &mut u64, idx: usize, kind: usize, x: f64) -> Enterprise {
    let mut e = g.rows()[idx % g.rows().len()].clone();
    match kind {
        0 => e.tax_wan = Some((x * 3000.0).floor()),
        1 => e.land_mu = Some(1.0 + (x * 30.0).floor()),
        2 => e.years_in_production = Some(x),
        3 => {
            e.scale = if e.scale == Scale::Above {
                Scale::Below
            } else {
                Scale::Above
            }
        }
        4 => e.general_accidents = (x * 1.5) as u32,
        5 => {
            // Become (or stop being) a lessee of another below-size row.
            e.scale = Scale::Below;
            e.years_since_upgrade = None;
            let target = &g.rows()[(idx * 7 + 3) % g.rows().len()];
            e.lessor_uscc = if e.lessor_uscc.is_some() || target.uscc == e.uscc {
                None
            } else {
                Some(target.uscc.clone())
            };
        }
        6 => {
            *extra += 1;
            e = synth::city(seed + *extra, 2020, 1, 0).remove(0);
            e.uscc = synth::uscc_for(grading::County::PortZone, 900_000 + *extra);
            e.tax_wan = Some(x * 5000.0);
        }
        _ => e.industry = grading::Industry::ALL[(x * 4.0) as usize],
    }
    e
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Raising tax, value added or R&D, or lowering land, energy, emission
    /// rights or employees, never lowers the score.
    #[test]
    fn raising_a_favourable_input_never_lowers_the_score(seed in 0u64..10_000, which in 0usize..7, factor in 1.0f64..5.0, avg in 0.0f64..80.0) {
        let rs = Ruleset::builtin_2020();
        for e in city(seed, 20, 20) {
            let before = score(&rs, &e, &Effective::own(&e), Some(avg)).score;
            let mut better = e.clone();
            let up = |v: Option<f64>| v.map(|x| if x >= 0.0 { x * factor + 1.0 } else { x / factor });
            let down = |v: Option<f64>| v.map(|x| x / factor);
            match which {
                0 => better.tax_wan = up(e.tax_wan),
                1 => better.value_added_wan = up(e.value_added_wan),
                2 => better.rnd_wan = up(e.rnd_wan),
                3 => better.land_mu = down(e.land_mu),
                4 => better.energy_tce = down(e.energy_tce),
                5 => better.emission_t = down(e.emission_t),
                _ => better.employees = down(e.employees),
            }
            let after = score(&rs, &better, &Effective::own(&better), Some(avg)).score;
            prop_assert!(after >= before, "{which}: {before} → {after}");
        }
    }

    /// Shuffling the rows changes no enterprise's result.
    #[test]
    fn shuffling_changes_nothing(seed in 0u64..10_000, rot in 1usize..400) {
        let rs = Ruleset::builtin_2020();
        let rows = city(seed, 150, 250);
        let base = grading::grade(&rs, &rows).unwrap();
        let mut shuffled: Vec<(Enterprise, usize)> = rows.iter().cloned().zip(0..).collect();
        let mut rng = synth::Rng::new(seed ^ rot as u64);
        for i in (1..shuffled.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            shuffled.swap(i, j);
        }
        let again = grading::grade(&rs, &shuffled.iter().map(|(e, _)| e.clone()).collect::<Vec<_>>()).unwrap();
        for (k, (_, original)) in shuffled.iter().enumerate() {
            prop_assert_eq!(&again[k], &base[*original]);
        }
    }

    /// Before special rules, classes follow the cut-offs exactly: with
    /// distinct scores, ⌊15n/100⌋ are A, ⌊60n/100⌋ are A or B, ⌊95n/100⌋ A–C.
    #[test]
    fn class_shares_respect_the_cutoffs(seed in 0u64..10_000, n_above in 1usize..300, n_below in 1usize..300) {
        let rs = Ruleset::builtin_2020();
        let rows = city(seed, n_above, n_below);
        let g = Grader::new(rs.clone(), rows).unwrap();
        let mut cohorts: HashMap<_, Vec<&grading::Graded>> = HashMap::new();
        for r in g.results().iter().filter(|r| r.status == Status::Graded) {
            cohorts.entry(r.cohort.unwrap()).or_default().push(r);
        }
        for (key, members) in cohorts {
            let n = members.len() as u64;
            let p = if key.scale == Scale::Above { rs.cutoffs.above } else { rs.cutoffs.below };
            let mut scores: Vec<f64> = members.iter().map(|r| r.score.unwrap()).collect();
            scores.sort_by(f64::total_cmp);
            scores.dedup();
            let distinct = scores.len() as u64 == n;
            for (k, class) in [Class::A, Class::B, Class::C].into_iter().enumerate() {
                let count = members.iter().filter(|r| r.base_class.unwrap() <= class).count() as u64;
                // Ties share the better rank, so ties can only add to a class.
                for r in &members {
                    let in_class = u64::from(r.rank.unwrap()) * 100 <= u64::from(p[k]) * n;
                    prop_assert_eq!(in_class, r.base_class.unwrap() <= class);
                }
                if distinct {
                    prop_assert_eq!(count, u64::from(p[k]) * n / 100);
                }
            }
        }
    }

    /// No indicator exceeds its cap; the base never exceeds 1.5 × 100.
    #[test]
    fn no_score_exceeds_its_caps(seed in 0u64..10_000) {
        let rs = Ruleset::builtin_2020();
        let g = Grader::new(rs.clone(), city(seed, 100, 100)).unwrap();
        for r in g.into_results().iter().filter(|r| r.status == Status::Graded) {
            for i in &r.indicators {
                prop_assert!(i.points <= i.cap && i.points >= 0.0);
            }
            prop_assert!(r.base.unwrap() <= 150.0);
            prop_assert!(r.bonus.tax <= 10.0 && r.bonus.innovation <= 6.0);
        }
    }

    /// Any sequence of single-record changes leaves the incremental grader
    /// exactly where a full regrade of the same rows would be.
    #[test]
    fn incremental_equals_full(seed in 0u64..10_000, edits in proptest::collection::vec((0usize..400, 0usize..8, 0.0f64..3.0), 1..12)) {
        let rs = Ruleset::builtin_2020();
        let rows = city(seed, 120, 280);
        let mut g = Grader::new(rs.clone(), rows.clone()).unwrap();
        let mut extra = 0u64;
        for (idx, kind, x) in edits {
            let e = edited(&g, seed, &mut extra, idx, kind, x);
            let before = g.results().to_vec();
            match g.upsert(e.clone()) {
                Ok(change) => {
                    for c in &change.class_changes {
                        prop_assert_ne!(c.before, c.after);
                        prop_assert_eq!(before.get(c.index).and_then(|r| r.class), c.before);
                        prop_assert_eq!(g.results()[c.index].class, c.after);
                    }
                }
                Err(_) => prop_assert_eq!(g.results(), &before[..], "a refused change leaves everything as it was"),
            }
            let full = Grader::new(rs.clone(), g.rows().to_vec()).unwrap();
            prop_assert_eq!(full.results(), g.results());
            // The breakdowns too (they are derived from the kept inputs and averages).
            for i in 0..g.rows().len() {
                prop_assert_eq!(full.result(i), g.result(i));
            }
        }
    }

    /// A year graded afresh after a batch of edits (an import's commit)
    /// names exactly the rows whose stored result would change: every row
    /// that is new, was edited, or whose grade or breakdown moved.
    #[test]
    fn changed_from_names_exactly_the_moved_results(seed in 0u64..10_000, edits in proptest::collection::vec((0usize..400, 0usize..8, 0.0f64..3.0), 1..20)) {
        let rs = Ruleset::builtin_2020();
        let before = Grader::new(rs.clone(), city(seed, 120, 280)).unwrap();
        let mut rows: std::collections::BTreeMap<String, Enterprise> =
            before.rows().iter().map(|e| (e.uscc.clone(), e.clone())).collect();
        let mut extra = 0u64;
        for (idx, kind, x) in edits {
            let e = edited(&before, seed, &mut extra, idx, kind, x);
            rows.insert(e.uscc.clone(), e);
        }
        let Ok(after) = Grader::new(rs.clone(), rows.into_values().collect()) else {
            return Ok(());
        };
        let expected: Vec<usize> = (0..after.rows().len())
            .filter(|&i| match before.position(&after.rows()[i].uscc) {
                None => true,
                Some(j) => before.rows()[j] != after.rows()[i] || before.result(j) != after.result(i),
            })
            .collect();
        prop_assert_eq!(after.changed_from(&before), Some(expected));
        // A row gone, or another ruleset: the caller must compare everything.
        let gone = &before.rows()[0].uscc;
        let fewer: Vec<Enterprise> = after.rows().iter().filter(|e| &e.uscc != gone).cloned().collect();
        if let Ok(fewer) = Grader::new(rs.clone(), fewer) {
            prop_assert_eq!(fewer.changed_from(&before), None);
        }
        let mut other = rs.clone();
        other.name.push('*');
        prop_assert_eq!(Grader::new(other, before.rows().to_vec()).unwrap().changed_from(&before), None);
    }
}
