//! Section 11 of the spec, plus a worked example for each weight group.

mod common;
use common::*;
use grading::{score::score, Effective, Grader, Industry, Ruleset, Scale, Talent};

fn scored(e: &grading::Enterprise) -> grading::Scored {
    // "Assume each enterprise's tax per mu is above the city average."
    score(&Ruleset::builtin_2020(), e, &Effective::own(e), Some(0.0))
}

fn e1() -> grading::Enterprise {
    let mut e = above(1, Industry::Other);
    e.land_mu = Some(50.0);
    e.tax_wan = Some(1500.0);
    e.revenue_wan = Some(30000.0);
    e.value_added_wan = Some(6000.0);
    e.rnd_wan = Some(900.0);
    e.energy_tce = Some(2000.0);
    e.emission_t = Some(10.0);
    e.employees = Some(150.0);
    e.talent = Talent::Provincial;
    e.high_tech_recent = true;
    e
}

#[test]
fn e1_above_size_other_g4() {
    let s = scored(&e1());
    // Values 30, 120, 3, 3, 600, 40.
    let values: Vec<f64> = s.indicators.iter().map(|i| i.value.unwrap()).collect();
    assert_eq!(values, vec![30.0, 120.0, 3.0, 3.0, 600.0, 40.0]);
    // 30·30/46, 25·120/220, 15·3/4, 10·3/2.5, 10·600/700, 10·40/40.
    let points: Vec<f64> = s.indicators.iter().map(|i| i.points).collect();
    assert_eq!(
        points,
        vec![
            30.0 * 30.0 / 46.0,
            25.0 * 120.0 / 220.0,
            11.25,
            12.0,
            10.0 * 600.0 / 700.0,
            10.0
        ]
    );
    assert!((s.base - 75.0230096).abs() < 1e-7, "base {}", s.base);
    // Tax bonus floor(500/10)·0.01 = 0.5; innovation max(2, 2) = 2.
    assert_eq!(s.bonus.tax, 0.5);
    assert_eq!(s.bonus.innovation, 2.0);
    assert_eq!(grading::format_score(s.score), "77.5230");
}

#[test]
fn e2_dyeing_caps_and_no_emission() {
    let mut e = above(2, Industry::Dyeing);
    e.land_mu = Some(20.0);
    e.tax_wan = Some(2000.0);
    e.revenue_wan = Some(20000.0);
    e.value_added_wan = Some(3000.0);
    e.rnd_wan = Some(0.0);
    e.energy_tce = Some(5000.0);
    e.emission_t = None;
    e.no_emission = true;
    e.employees = Some(60.0);
    e.quality_exposure = true;
    let s = scored(&e);
    // Tax per mu 100 → 30·100/46 = 65.2, capped at 1.5·30 = 45.
    assert_eq!(s.indicators[0].points, 45.0);
    assert_eq!(s.indicators[1].points, 25.0 * 150.0 / 220.0);
    assert_eq!(s.indicators[2].points, 0.0);
    assert_eq!(s.indicators[3].points, 15.0 * 0.6 / 2.5);
    // No emission: the base points are the full weight, 15.
    assert!(s.indicators[4].no_emission_base);
    assert_eq!(s.indicators[4].points, 15.0);
    assert_eq!(s.indicators[5].points, 6.25);
    assert!((s.base - 86.8954545).abs() < 1e-7);
    assert_eq!(s.bonus.tax, 1.0);
    assert_eq!(s.bonus.quality, -2.0);
    assert_eq!(grading::format_score(s.score), "85.8955");

    // Tax per mu 100 > 50: its class rises one step unless it is A.
    let mut cohort: Vec<_> = (10..30).map(|n| above(n, Industry::Dyeing)).collect();
    cohort.push(e.clone());
    let g = Grader::new(Ruleset::builtin_2020(), cohort).unwrap();
    let r = &g.result(g.rows().len() - 1);
    assert_eq!(r.class, Some(grading::Class::A));
    assert!(
        r.reasons.is_empty(),
        "A stays A, no reason: {:?}",
        r.reasons
    );
}

#[test]
fn e3_below_size() {
    let e = below(3, 8.0, 60.0);
    let s = scored(&e);
    // base = 60 / 8 = 7.5; bonus floor(60 − 50)·0.1 = 1.0.
    assert_eq!(s.base, 7.5);
    assert_eq!(s.bonus.tax, 1.0);
    assert_eq!(grading::format_score(s.score), "8.5000");
}

#[test]
fn e3_with_more_land_falls_one_class_or_to_d() {
    let mut rows: Vec<_> = (100..119).map(|n| below(n, 5.0, (n - 95) as f64)).collect();
    let mut e = below(3, 12.0, 60.0);
    rows.push(e.clone());
    let g = Grader::new(Ruleset::builtin_2020(), rows.clone()).unwrap();
    let r = &g.result(g.rows().len() - 1);
    assert_eq!(r.reasons, vec![grading::Reason::DowngradeLand]);
    assert_eq!(r.class, r.base_class.map(|c| c.down()));
    e.land_mu = Some(25.0);
    *rows.last_mut().unwrap() = e;
    let g = Grader::new(Ruleset::builtin_2020(), rows).unwrap();
    let r = &g.result(g.rows().len() - 1);
    assert_eq!(r.class, Some(grading::Class::D));
    assert_eq!(r.reasons, vec![grading::Reason::ForcedDLand]);
}

#[test]
fn g2_textile_weights() {
    // land 10, tax 300 → 30 per mu → 30·30/46; VA 2000 → 200 per mu → 30·200/220;
    // R&D 400/10000 = 4% → 20·4/4 = 20; VA/energy 2000/1000 = 2 → 5·2/2.5 = 4;
    // VA/emission 2000/5 = 400 → 5·400/700; VA/employees 2000/100 = 20 → 10·20/40 = 5.
    let mut e = above(4, Industry::Textile);
    e.land_mu = Some(10.0);
    e.tax_wan = Some(300.0);
    e.rnd_wan = Some(400.0);
    let s = scored(&e);
    let expected =
        30.0 * 30.0 / 46.0 + 30.0 * 200.0 / 220.0 + 20.0 + 4.0 + 5.0 * 400.0 / 700.0 + 5.0;
    assert!((s.base - expected).abs() < 1e-12);
    assert_eq!(s.bonus.tax, 0.0, "tax 300 ≤ 1000: no tax bonus");
}

#[test]
fn g3_agri_food_weights() {
    // common: land 50, tax 500 → 10/mu; VA 2000 → 40/mu; R&D 2%; VA/energy 2; VA/emission 400; VA/emp 20.
    // G3 = 30, 25, 10, 10, 20, 5 → 30·10/46 + 25·40/220 + 10·2/4 + 10·2/2.5 + 20·400/700 + 5·20/40.
    let s = scored(&above(5, Industry::AgriFood));
    let expected =
        30.0 * 10.0 / 46.0 + 25.0 * 40.0 / 220.0 + 5.0 + 8.0 + 20.0 * 400.0 / 700.0 + 2.5;
    assert!((s.base - expected).abs() < 1e-12);
}

#[test]
fn g1_chemical_fiber_uses_g1() {
    // G1 = 30, 25, 10, 15, 15, 5 → 30·10/46 + 25·40/220 + 10·2/4 + 15·2/2.5 + 15·400/700 + 5·20/40.
    let s = scored(&above(6, Industry::ChemicalFiber));
    let expected =
        30.0 * 10.0 / 46.0 + 25.0 * 40.0 / 220.0 + 5.0 + 12.0 + 15.0 * 400.0 / 700.0 + 2.5;
    assert!((s.base - expected).abs() < 1e-12);
    assert_eq!(s.indicators.len(), 6);
    assert_eq!(Scale::Above, above(6, Industry::ChemicalFiber).scale);
}
