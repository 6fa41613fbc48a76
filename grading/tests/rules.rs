//! One test per rule and per reason code of section 7, with the arithmetic.

mod common;
use common::*;
use grading::{
    apply_special_rules, cohort::CohortLabel, grade, ruleset::Scope, Class, Effective, Enterprise,
    Grader, Industry, Reason, Ruleset, Scale, Status, Tier,
};

fn rules(e: &Enterprise, base: Class) -> (Class, Vec<Reason>) {
    let rs = Ruleset::builtin_2020();
    let tpm = e.tax_wan.zip(e.land_mu).map(|(t, l)| t / l);
    apply_special_rules(&rs, e, &Effective::own(e), tpm, false, base)
}

#[test]
fn upgrade_key_enterprise() {
    let mut e = above(1, Industry::Other); // tax per mu 500/50 = 10 ≤ 50
    e.listed = true;
    assert_eq!(
        rules(&e, Class::C),
        (Class::B, vec![Reason::UpgradeKeyEnterprise])
    );
    assert_eq!(rules(&e, Class::A), (Class::A, vec![]), "A stays A");
}

#[test]
fn upgrade_tax_per_mu_and_at_most_one_step() {
    let mut e = above(2, Industry::Other);
    e.tax_wan = Some(2550.0); // 2550 / 50 = 51 > 50
    assert_eq!(
        rules(&e, Class::D),
        (Class::C, vec![Reason::UpgradeTaxPerMu])
    );
    e.chain_head = true; // both ② and ④: still one step, reason ②
    assert_eq!(
        rules(&e, Class::D),
        (Class::C, vec![Reason::UpgradeKeyEnterprise])
    );
    e.chain_head = false;
    e.tax_wan = Some(2500.0); // exactly 50: not above
    assert_eq!(rules(&e, Class::D).1, vec![]);
}

#[test]
fn downgrade_land_applies_to_unprotected_below_size_only() {
    let mut e = below(3, 10.0, 20.0); // 10 ≤ 10 < 20
    assert_eq!(rules(&e, Class::B), (Class::C, vec![Reason::DowngradeLand]));
    e.land_mu = Some(9.99);
    assert_eq!(rules(&e, Class::B), (Class::B, vec![]));
    e.land_mu = Some(19.0);
    e.tech_sme = true; // protected by ②
    assert_eq!(rules(&e, Class::B), (Class::B, vec![]));
}

#[test]
fn downgrade_safety() {
    let mut e = above(4, Industry::Other);
    e.general_accidents = 1;
    assert_eq!(
        rules(&e, Class::A),
        (Class::B, vec![Reason::DowngradeSafety])
    );
    e.general_accidents = 0;
    e.safety_penalties = 2;
    assert_eq!(
        rules(&e, Class::B),
        (Class::C, vec![Reason::DowngradeSafety])
    );
    e.safety_penalties = 1;
    assert_eq!(rules(&e, Class::B), (Class::B, vec![]));
    e.safety_penalties = 3;
    assert_eq!(rules(&e, Class::D), (Class::D, vec![]), "D stays D");
}

#[test]
fn up_and_down_both_apply_in_order() {
    let mut e = below(5, 12.0, 840.0); // 840/12 = 70 > 50 → up; 10 ≤ 12 < 20 → down
    e.years_in_production = Some(5.0);
    assert_eq!(
        rules(&e, Class::C),
        (
            Class::C,
            vec![Reason::UpgradeTaxPerMu, Reason::DowngradeLand]
        )
    );
}

#[test]
fn floor_not_d() {
    let mut e = above(6, Industry::Other);
    e.high_tech_valid = true;
    assert_eq!(rules(&e, Class::D), (Class::C, vec![Reason::FloorNotD]));
    assert_eq!(rules(&e, Class::C), (Class::C, vec![]));
    let plain = above(7, Industry::Other);
    let rs = Ruleset::builtin_2020();
    // A new enterprise that opted in is floored too.
    let (c, r) = apply_special_rules(
        &rs,
        &plain,
        &Effective::own(&plain),
        Some(10.0),
        true,
        Class::D,
    );
    assert_eq!((c, r), (Class::C, vec![Reason::FloorNotD]));
}

#[test]
fn forced_d_each_reason_first_match_wins() {
    let mut e = above(8, Industry::Other);
    e.zero_revenue_tax_years = 2;
    e.tax_wan = Some(0.0);
    e.listed = true;
    assert_eq!(rules(&e, Class::A), (Class::D, vec![Reason::ForcedDZombie]));
    e.land_mu = Some(0.0); // a zombie must hold land
    assert_eq!(rules(&e, Class::A).1, vec![]);

    let mut b = below(9, 20.0, 100.0); // 20 mu: D; 100/20 = 5 per mu
    assert_eq!(rules(&b, Class::B), (Class::D, vec![Reason::ForcedDLand]));
    b.key_supporting = true; // protected: neither ⑥ applies
    assert_eq!(rules(&b, Class::B), (Class::B, vec![]));

    let mut s = above(10, Industry::Other);
    s.larger_accidents = 1;
    assert_eq!(rules(&s, Class::A), (Class::D, vec![Reason::ForcedDSafety]));
    s.larger_accidents = 0;
    s.general_accidents = 2;
    assert_eq!(rules(&s, Class::A), (Class::D, vec![Reason::ForcedDSafety]));
    s.general_accidents = 0;
    s.major_env_incident = true;
    s.severe_dishonesty = true;
    assert_eq!(
        rules(&s, Class::A),
        (Class::D, vec![Reason::ForcedDEnvironment])
    );
    s.major_env_incident = false;
    assert_eq!(
        rules(&s, Class::A),
        (Class::D, vec![Reason::ForcedDDishonesty])
    );
    // Forced D overrides the not-D floor.
    s.high_tech_valid = true;
    assert_eq!(
        rules(&s, Class::D),
        (Class::D, vec![Reason::FloorNotD, Reason::ForcedDDishonesty])
    );
}

#[test]
fn excluded_industries_are_not_graded() {
    let mut rows = vec![
        above(1, Industry::Other),
        above(2, Industry::Power),
        above(3, Industry::Sewage),
    ];
    rows[2].scale = Scale::Below;
    let r = grade(&Ruleset::builtin_2020(), &rows).unwrap();
    assert_eq!(
        r.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![Status::Graded, Status::Excluded, Status::Excluded]
    );
    assert_eq!(r[1].score, None);
    assert_eq!(r[1].class, None);
}

#[test]
fn lessee_merges_into_lessor_tax_and_safety() {
    let lessor = below(1, 8.0, 40.0);
    let mut lessee = below(2, 0.0, 20.0);
    lessee.lessor_uscc = Some(lessor.uscc.clone());
    lessee.general_accidents = 1;
    let others: Vec<_> = (10..20).map(|n| below(n, 5.0, 5.0)).collect();
    let mut rows = vec![lessor.clone(), lessee];
    rows.extend(others);
    let g = Grader::new(Ruleset::builtin_2020(), rows).unwrap();
    let r = g.into_results();
    assert_eq!(r[1].status, Status::Merged);
    assert_eq!(r[1].merged_into.as_deref(), Some(lessor.uscc.as_str()));
    assert_eq!(r[1].class, None);
    // Lessor: (40 + 20) / 8 = 7.5 per mu; the lessee's accident is the lessor's.
    assert_eq!(r[0].tax_per_mu, Some(7.5));
    assert_eq!(r[0].lessees, 1);
    assert!(r[0].reasons.contains(&Reason::DowngradeSafety) || r[0].base_class == Some(Class::D));
}

#[test]
fn lessor_not_in_data_or_above_size_merges_nothing() {
    let mut lessee = below(2, 3.0, 20.0);
    lessee.lessor_uscc = Some(grading::synth::uscc_for(grading::County::Haining, 999));
    let big = above(3, Industry::Other);
    let mut lessee2 = below(4, 3.0, 20.0);
    lessee2.lessor_uscc = Some(big.uscc.clone());
    let r = grade(&Ruleset::builtin_2020(), &[lessee, big, lessee2]).unwrap();
    assert_eq!(r[0].status, Status::Graded);
    assert_eq!(r[2].status, Status::Graded);
}

#[test]
fn lessor_errors_name_the_row_and_field() {
    let rs = Ruleset::builtin_2020();
    let mut selfish = below(1, 3.0, 1.0);
    selfish.lessor_uscc = Some(selfish.uscc.clone());
    let e = grade(&rs, &[below(0, 1.0, 1.0), selfish]).unwrap_err();
    assert_eq!((e.index, e.field), (1, "lessor_uscc"));

    let mut a = above(2, Industry::Other);
    a.lessor_uscc = Some(below(3, 1.0, 1.0).uscc);
    let e = grade(&rs, &[a]).unwrap_err();
    assert_eq!((e.index, e.field), (0, "lessor_uscc"));

    let top = below(4, 5.0, 5.0);
    let mut mid = below(5, 5.0, 5.0);
    mid.lessor_uscc = Some(top.uscc.clone());
    let mut leaf = below(6, 5.0, 5.0);
    leaf.lessor_uscc = Some(mid.uscc.clone());
    let e = grade(&rs, &[top, mid, leaf]).unwrap_err();
    assert_eq!(e.index, 2);
    assert!(e.reason.zh.contains("本身也是承租企业"), "{}", e.reason);

    let dup = grade(&rs, &[below(7, 1.0, 1.0), below(7, 2.0, 2.0)]).unwrap_err();
    assert_eq!((dup.index, dup.field), (1, "uscc"));

    // Within one year's grader the first bad row, in row order, is named.
    let mut other_year = below(8, 1.0, 1.0);
    other_year.year += 1;
    let rows = vec![below(7, 1.0, 1.0), other_year.clone(), below(7, 2.0, 2.0)];
    let e = grading::Grader::new(rs.clone(), rows).unwrap_err();
    assert_eq!((e.index, e.field), (1, "year"));
    let rows = vec![below(7, 1.0, 1.0), below(7, 2.0, 2.0), other_year];
    let e = grading::Grader::new(rs.clone(), rows).unwrap_err();
    assert_eq!((e.index, e.field), (1, "uscc"));
}

#[test]
fn new_enterprises_exempt_unless_opt_in() {
    let rs = Ruleset::builtin_2020();
    let mut young = above(1, Industry::Other);
    young.years_in_production = Some(1.5);
    let mut upgraded = above(2, Industry::Other);
    upgraded.years_since_upgrade = Some(1.0);
    let mut re_up = upgraded.clone();
    re_up.uscc = above(3, Industry::Other).uscc;
    re_up.re_upgraded = true;
    let mut missing = above(4, Industry::Other);
    missing.years_in_production = None;
    missing.years_since_upgrade = None;
    let mut opted = young.clone();
    opted.uscc = above(5, Industry::Other).uscc;
    opted.opt_in = true;
    opted.tax_wan = Some(-100.0); // worst in cohort → base D, floored to C
    let mut rows = vec![young, upgraded, re_up, missing, opted];
    rows.extend((10..30).map(|n| above(n, Industry::Other)));
    let r = grade(&rs, &rows).unwrap();
    let s: Vec<_> = r[..5].iter().map(|r| r.status).collect();
    assert_eq!(
        s,
        vec![
            Status::Exempt,
            Status::Exempt,
            Status::Graded,
            Status::Graded,
            Status::Graded
        ]
    );
    assert_eq!(r[4].base_class, Some(Class::D));
    assert_eq!(r[4].class, Some(Class::C));
    assert_eq!(r[4].reasons, vec![Reason::FloorNotD]);
}

#[test]
fn tax_bonus_needs_beating_the_city_average() {
    // Two above-size: X 3000 tax on 100 mu (30/mu), Y 100 tax on 100 mu (1/mu).
    // City average (3000 + 100) / 200 = 15.5: X beats it, bonus floor(2000/10)·0.01 = 2.
    let mut x = above(1, Industry::Other);
    x.land_mu = Some(100.0);
    x.tax_wan = Some(3000.0);
    let mut y = above(2, Industry::Other);
    y.land_mu = Some(100.0);
    y.tax_wan = Some(100.0);
    let g = Grader::new(Ruleset::builtin_2020(), vec![x.clone(), y]).unwrap();
    assert_eq!(g.city_average_of(Scale::Above), Some(15.5));
    assert_eq!(g.result(0).bonus.tax, 2.0);
    // Alone, X equals the average: no bonus.
    let g = Grader::new(Ruleset::builtin_2020(), vec![x]).unwrap();
    assert_eq!(g.result(0).bonus.tax, 0.0);
}

#[test]
fn tax_bonus_is_capped_at_10() {
    // floor((12000 − 1000)/10)·0.01 = 11 → 10.
    let mut x = above(1, Industry::Other);
    x.tax_wan = Some(12000.0);
    let s = grading::score(&Ruleset::builtin_2020(), &x, &Effective::own(&x), Some(0.0));
    assert_eq!(s.bonus.tax, 10.0);
}

#[test]
fn innovation_bonus_is_the_highest_not_the_sum() {
    let rs = Ruleset::builtin_2020();
    let mut e = above(1, Industry::Other);
    e.talent = grading::Talent::Municipal; // 1
    e.postdoc = Tier::Provincial; // 2
    e.rnd_institution = Tier::National; // 2
    e.high_tech_recent = true; // 2
    assert_eq!(grading::score::innovation_bonus(&rs, &e), 2.0);
    e.postdoc = Tier::National; // 4
    assert_eq!(grading::score::innovation_bonus(&rs, &e), 4.0);
    e.talent = grading::Talent::Academician; // 6
    assert_eq!(grading::score::innovation_bonus(&rs, &e), 6.0);
}

#[test]
fn missing_or_non_positive_denominators_score_zero() {
    let mut e = above(1, Industry::Other);
    e.energy_tce = Some(0.0);
    e.employees = None;
    e.value_added_wan = Some(-50.0);
    let s = grading::score(&Ruleset::builtin_2020(), &e, &Effective::own(&e), None);
    assert_eq!(s.indicators[3].value, None);
    assert_eq!(s.indicators[5].value, None);
    assert_eq!(s.indicators[1].value, Some(-1.0));
    assert_eq!(s.indicators[1].points, 0.0, "negative value → 0 points");
}

#[test]
fn below_size_base_is_tax_per_mu_capped_at_150_or_benchmarked() {
    let e = below(1, 1.0, 200.0);
    let mut rs = Ruleset::builtin_2020();
    assert_eq!(
        grading::score(&rs, &e, &Effective::own(&e), None).base,
        150.0
    );
    rs.below.benchmark = Some(20.0); // 100 · 200 / 20 = 1000 → capped 150
    assert_eq!(
        grading::score(&rs, &e, &Effective::own(&e), None).base,
        150.0
    );
    let e = below(2, 10.0, 50.0); // 5 per mu → 100 · 5 / 20 = 25
    assert_eq!(
        grading::score(&rs, &e, &Effective::own(&e), None).base,
        25.0
    );
}

#[test]
fn canonical_rounds_half_away_from_zero() {
    assert_eq!(grading::canonical(1.23456), 1.2346);
    assert_eq!(grading::canonical(-1.23455), -1.2346);
    assert_eq!(grading::canonical(2.00004), 2.0);
}

#[test]
fn cohorts_per_industry_other_and_county_scope() {
    let mut rs = Ruleset::builtin_2020();
    let rows = vec![
        above(1, Industry::Dyeing),
        above(2, Industry::Other),
        below(3, 5.0, 5.0),
    ];
    let r = grade(&rs, &rows).unwrap();
    let names: Vec<_> = r.iter().map(|r| r.cohort.unwrap().name(&rs)).collect();
    assert_eq!(names, vec!["above:dyeing", "above:other", "below"]);
    rs.cohort.scope = Scope::County;
    let r = grade(&rs, &rows).unwrap();
    assert_eq!(r[0].cohort.unwrap().name(&rs), "nanhu/above:dyeing");
    assert_eq!(r[2].cohort.unwrap().name(&rs), "xiuzhou/below");
    rs.cohort.by = grading::ruleset::CohortBy::WeightGroup;
    let r = grade(&rs, &rows).unwrap();
    assert_eq!(r[0].cohort.unwrap().label, CohortLabel::Group(0));
    assert_eq!(r[0].cohort.unwrap().name(&rs), "nanhu/above:G1");
}

#[test]
fn years_are_graded_separately() {
    let a = above(1, Industry::Other);
    let mut b = a.clone();
    b.year = 2021;
    b.tax_wan = Some(5.0);
    let r = grade(&Ruleset::builtin_2020(), &[a, b]).unwrap();
    // Same USCC twice, different years: no duplicate; each alone in its cohort.
    assert_eq!(r[0].cohort_size, Some(1));
    assert_eq!(r[1].cohort_size, Some(1));
    assert_eq!(r[0].rank, Some(1));
}

#[test]
fn every_reason_code_is_spelled_as_the_spec() {
    let codes: Vec<_> = Reason::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        vec![
            "upgrade_key_enterprise",
            "upgrade_tax_per_mu",
            "downgrade_land",
            "downgrade_safety",
            "floor_not_d",
            "forced_d_zombie",
            "forced_d_land",
            "forced_d_safety",
            "forced_d_environment",
            "forced_d_dishonesty"
        ]
    );
    for r in Reason::ALL {
        assert_eq!(Reason::parse(r.code()), Some(*r));
        assert!(!r.zh().is_empty());
    }
}

#[test]
fn county_evaluation_level_and_growth() {
    let rs = Ruleset::builtin_2020();
    let mut rows: Vec<Enterprise> = Vec::new();
    for (k, c) in grading::County::ALL.iter().enumerate() {
        let mut e = above(k as u64 + 1, Industry::Other);
        e.county = *c;
        e.uscc = grading::synth::uscc_for(*c, 77);
        e.tax_wan = Some(500.0 + 100.0 * k as f64);
        rows.push(e);
    }
    let res = grade(&rs, &rows).unwrap();
    let level_only = grading::evaluate_counties(&rs, (&rows, &res), None);
    assert!(level_only.iter().all(|c| c.level_only));
    // Highest tax ranks first: port_zone (k = 8).
    assert_eq!(level_only[0].county, grading::County::PortZone);
    // Tax per mu: county 1300/50 = 26, city Σ(500..1300)/450 = 8100/450 = 18 → 30·26/18 = 43.33.
    assert!((level_only[0].level_points[0] - 30.0 * 26.0 / 18.0).abs() < 1e-9);
    let mut prev = rows.clone();
    for e in &mut prev {
        e.year = 2019;
    }
    prev[0].tax_wan = Some(250.0); // nanhu doubled its tax
    let prev_res = grade(&rs, &prev).unwrap();
    let with_growth = grading::evaluate_counties(&rs, (&rows, &res), Some((&prev, &prev_res)));
    let nanhu = with_growth
        .iter()
        .find(|c| c.county == grading::County::Nanhu)
        .unwrap();
    assert!(!nanhu.level_only);
    // Nanhu tax growth 500/250 = 2; city growth 8100/7850.
    let g = nanhu.growth_points.unwrap()[0];
    assert!((g - (30.0_f64 * 2.0 / (8100.0 / 7850.0)).min(45.0)).abs() < 1e-9);
    assert!((nanhu.composite - (0.6 * nanhu.level + 0.4 * nanhu.growth.unwrap())).abs() < 1e-12);
}

#[test]
fn ties_share_the_better_rank() {
    // Below-size, tax per mu 5, 7, 5, 9 (no bonus: tax ≤ 50): rank = 1 + the
    // number scoring strictly higher → 3, 2, 3, 1.
    let rows: Vec<_> = [5.0, 7.0, 5.0, 9.0]
        .iter()
        .enumerate()
        .map(|(n, &tax)| below(n as u64 + 1, 1.0, tax))
        .collect();
    let g = Grader::new(Ruleset::builtin_2020(), rows).unwrap();
    let ranks: Vec<_> = g.results().iter().map(|r| r.rank).collect();
    assert_eq!(ranks, vec![Some(3), Some(2), Some(3), Some(1)]);
    assert!(g.results().iter().all(|r| r.cohort_size == Some(4)));
}

#[test]
fn cutoff_scores_project_like_the_percentiles() {
    // 20 below-size enterprises scoring 19 … 0; cut-offs 5 / 40 / 80 %:
    // A = rank 1 (100 ≤ 5·20) → 19; B down to rank 8 (800 ≤ 800) → 12;
    // C down to rank 16 (1600 ≤ 1600) → 4.
    let rows: Vec<_> = (0..20)
        .map(|n| below(n + 1, 1.0, (19 - n) as f64))
        .collect();
    let g = Grader::new(Ruleset::builtin_2020(), rows).unwrap();
    let cut = g.cutoffs().values().next().expect("one cohort");
    assert_eq!(cut.n, 20);
    assert_eq!(cut.min_score, [Some(19.0), Some(12.0), Some(4.0)]);
    assert_eq!(cut.project(12.0), Class::B);
    assert_eq!(cut.project(11.9), Class::C);
    assert_eq!(cut.project(3.9), Class::D);
    // The projection agrees with the classes the members received.
    for r in g.results() {
        assert_eq!(Some(cut.project(r.score.unwrap())), r.base_class);
    }
}
