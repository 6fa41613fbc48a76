//! The browser's preview of a draft is what the server stores once the
//! draft is saved (its status, score, base class, class and reasons), for
//! every draft whose cohort's cut-off scores do not move with it; and a
//! draft the preview refuses is one the server refuses.

use grading::preview::preview;
use grading::{synth, Enterprise, Grader, Industry, Ruleset, Scale, Status};
use proptest::prelude::*;

/// A change an official could type.
#[derive(Clone, Debug)]
enum Edit {
    Tax(f64),
    Revenue(f64),
    ValueAdded(f64),
    Land(f64),
    Energy(f64),
    Emission(f64),
    Employees(f64),
    Rnd(f64),
    Scale,
    Industry(usize),
    YearsInProduction(f64),
    OptIn,
    Accidents(u32),
    Dishonesty,
    Quality,
    HighTech,
    DropLessor,
    NameOtherLessor,
    ClearTax,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0f64..4.0).prop_map(Edit::Tax),
        (0.0f64..4.0).prop_map(Edit::Revenue),
        (0.0f64..4.0).prop_map(Edit::ValueAdded),
        (0.1f64..4.0).prop_map(Edit::Land),
        (0.0f64..4.0).prop_map(Edit::Energy),
        (0.0f64..4.0).prop_map(Edit::Emission),
        (0.1f64..4.0).prop_map(Edit::Employees),
        (0.0f64..4.0).prop_map(Edit::Rnd),
        Just(Edit::Scale),
        (0usize..Industry::ALL.len()).prop_map(Edit::Industry),
        (0.0f64..12.0).prop_map(Edit::YearsInProduction),
        Just(Edit::OptIn),
        (0u32..3).prop_map(Edit::Accidents),
        Just(Edit::Dishonesty),
        Just(Edit::Quality),
        Just(Edit::HighTech),
        Just(Edit::DropLessor),
        Just(Edit::NameOtherLessor),
        Just(Edit::ClearTax),
    ]
}

/// Amounts as an official types them (two decimals).
fn typed(v: Option<f64>, factor: f64) -> Option<f64> {
    let x = v.unwrap_or(10.0) * factor;
    Some((x * 100.0).round() / 100.0)
}

fn apply(e: &mut Enterprise, edit: &Edit, other: &str) {
    match *edit {
        Edit::Tax(f) => e.tax_wan = typed(e.tax_wan, f),
        Edit::Revenue(f) => e.revenue_wan = typed(e.revenue_wan, f),
        Edit::ValueAdded(f) => e.value_added_wan = typed(e.value_added_wan, f),
        Edit::Land(f) => e.land_mu = typed(e.land_mu, f),
        Edit::Energy(f) => e.energy_tce = typed(e.energy_tce, f),
        Edit::Emission(f) => e.emission_t = typed(e.emission_t, f),
        Edit::Employees(f) => e.employees = typed(e.employees, f).map(f64::ceil),
        Edit::Rnd(f) => e.rnd_wan = typed(e.rnd_wan, f),
        Edit::Scale => {
            e.scale = match e.scale {
                Scale::Above => Scale::Below,
                Scale::Below => Scale::Above,
            }
        }
        Edit::Industry(k) => e.industry = Industry::ALL[k],
        Edit::YearsInProduction(y) => e.years_in_production = Some(y),
        Edit::OptIn => e.opt_in = !e.opt_in,
        Edit::Accidents(n) => e.general_accidents = n,
        Edit::Dishonesty => e.severe_dishonesty = !e.severe_dishonesty,
        Edit::Quality => e.quality_exposure = !e.quality_exposure,
        Edit::HighTech => e.high_tech_valid = !e.high_tech_valid,
        Edit::DropLessor => e.lessor_uscc = None,
        Edit::NameOtherLessor => e.lessor_uscc = Some(other.to_string()),
        Edit::ClearTax => e.tax_wan = None,
    }
}

/// A synthetic city in which some lessees hold land of their own too, so
/// their part of the city sums shows when they stop being merged.
fn city(seed: u64, above: usize, below: usize) -> Grader {
    let mut rows = synth::city(seed, 2020, above, below);
    for (k, e) in rows.iter_mut().enumerate() {
        if e.lessor_uscc.is_some() && k % 2 == 0 {
            e.land_mu = Some(2.0 + (k % 7) as f64);
            e.tax_wan = Some(5.0 + (k % 11) as f64);
        }
    }
    Grader::new(Ruleset::builtin_2020(), rows).unwrap()
}

/// The rows worth previewing: lessors with lessees, lessees, and others.
fn interesting(g: &Grader) -> Vec<usize> {
    let rows = g.rows();
    let mut out: Vec<usize> = (0..rows.len())
        .filter(|&i| !g.lessees_of(i).is_empty())
        .take(12)
        .collect();
    out.extend(
        (0..rows.len())
            .filter(|&i| rows[i].lessor_uscc.is_some())
            .take(12),
    );
    out.extend((0..rows.len()).step_by(37).take(20));
    out
}

fn check(g: &Grader, i: usize, edits: &[Edit]) -> Result<bool, TestCaseError> {
    let ctx = g.preview_context(i);
    // Round-trip through JSON, as the context reaches the browser.
    let ctx: grading::preview::Context =
        serde_json::from_str(&serde_json::to_string(&ctx).unwrap()).unwrap();
    let mut draft = g.rows()[i].clone();
    let other = g.rows()[(i + 1) % g.rows().len()].uscc.clone();
    for e in edits {
        apply(&mut draft, e, &other);
    }
    let seen = preview(&ctx, &draft);
    let mut saved = g.clone();
    let stored = saved.upsert(draft.clone());
    // A lessor other than the stored one: the preview says it cannot know
    // how that one stands (the server decides on saving).
    if seen.as_ref().is_ok_and(|p| p.lessor_unverified) {
        return Ok(false);
    }
    match (&seen, &stored) {
        // Both refuse. (A draft can be wrong in two ways at once, e.g. an
        // above-size lessor that names a lessor itself: the preview names
        // the draft's own fault, the engine the first row it meets.)
        (Err(p), Err(s)) => {
            prop_assert!(
                !p.reason.zh.is_empty() && !p.reason.en.is_empty() && !s.reason.zh.is_empty()
            );
            return Ok(true);
        }
        (Ok(_), Ok(_)) => {}
        _ => prop_assert!(false, "preview {:?} but save {:?}", seen, stored),
    }
    let p = seen.unwrap();
    let r = saved.results()[i];
    for (k, scale) in [Scale::Above, Scale::Below].into_iter().enumerate() {
        prop_assert_eq!(
            p.city_averages[k].map(f64::to_bits),
            saved.city_average_of(scale).map(f64::to_bits),
            "city average ({:?}) after a draft of {}",
            scale,
            draft.uscc
        );
    }
    prop_assert_eq!(p.status, r.status);
    prop_assert_eq!(p.cohort, r.cohort);
    prop_assert_eq!(
        p.scored.as_ref().map(|s| s.score.to_bits()),
        r.score.map(f64::to_bits),
        "score of {}",
        draft.uscc
    );
    if r.status != Status::Graded {
        return Ok(true);
    }
    // Compared only where the cohort's cut-offs stayed put.
    let key = r.cohort.unwrap();
    if g.cutoffs().get(&key) != saved.cutoffs().get(&key) {
        return Ok(false);
    }
    prop_assert_eq!(p.base_class, r.base_class);
    prop_assert_eq!(p.class, r.class);
    prop_assert_eq!(p.reasons, r.reasons.to_vec());
    Ok(true)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn the_preview_is_what_the_server_stores(
        seed in 0u64..1_000,
        pick in 0usize..1_000,
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let g = city(seed, 120, 400);
        let rows = interesting(&g);
        let i = rows[pick % rows.len()];
        check(&g, i, &edits)?;
    }
}

/// The same over every interesting row of one city, so lessors with
/// lessees and lessees are certainly covered, and most comparisons count.
#[test]
fn every_kind_of_row_is_previewed_exactly() {
    let g = city(7, 150, 500);
    let rows = interesting(&g);
    assert!(rows.iter().any(|&i| !g.lessees_of(i).is_empty()));
    assert!(rows
        .iter()
        .any(|&i| g.results()[i].status == Status::Merged));
    let edits = [
        vec![Edit::Tax(1.7)],
        vec![Edit::Tax(0.2), Edit::Land(0.5)],
        vec![Edit::Scale],
        vec![Edit::DropLessor, Edit::Tax(2.0)],
        vec![Edit::Accidents(2)],
        vec![Edit::YearsInProduction(1.0), Edit::OptIn],
        vec![Edit::ClearTax],
        vec![Edit::Industry(3), Edit::Revenue(1.5)],
    ];
    let mut compared = 0;
    for &i in &rows {
        for e in &edits {
            if check(&g, i, e).unwrap() {
                compared += 1;
            }
        }
    }
    assert!(
        compared > rows.len() * edits.len() / 2,
        "{compared} compared"
    );
}
