//! The what-if levers against the engine: the figure found reaches the
//! next class up, and one step short of it does not; a lever called
//! unreachable does not reach the class even at its extreme.

use grading::whatif::{ceiling, levers, one_step_short, reaches_with, Lever};
use grading::{synth, Class, Grader, Ruleset, Status};
use proptest::prelude::*;

fn city(seed: u64) -> Grader {
    Grader::new(Ruleset::builtin_2020(), synth::city(seed, 2020, 300, 500)).unwrap()
}

fn check(g: &Grader, i: usize) -> Result<usize, TestCaseError> {
    let ctx = g.preview_context(i);
    let e = &g.rows()[i];
    let Some(l) = levers(&ctx, e) else {
        let r = g.result(i);
        prop_assert!(r.status != Status::Graded || r.class == Some(Class::A));
        return Ok(0);
    };
    prop_assert_eq!(Some(l.from), g.result(i).class);
    let mut found = 0;
    for a in &l.answers {
        match a.needed {
            Some(v) => {
                found += 1;
                prop_assert!(
                    reaches_with(&ctx, e, a.lever, v, l.target),
                    "{:?} at {v} should reach {:?}",
                    a.lever,
                    l.target
                );
                let short = one_step_short(a.lever, v);
                prop_assert!(
                    !reaches_with(&ctx, e, a.lever, short, l.target),
                    "{:?} at {short} should not reach {:?}",
                    a.lever,
                    l.target
                );
                // The change goes the way the lever works.
                let cur = a.current.unwrap_or(0.0);
                if a.lever.raises() {
                    prop_assert!(v > cur);
                } else {
                    prop_assert!(v < cur);
                }
            }
            None => {
                // The search's own limit: raising further than a hundred
                // times the figure (at least 10 亿) counts as unreachable.
                let extreme = if a.lever.raises() {
                    ceiling(a.current.unwrap_or(0.0))
                } else {
                    a.lever.resolution()
                };
                if a.lever.raises() || a.current.is_some_and(|c| c > extreme) {
                    prop_assert!(
                        !reaches_with(&ctx, e, a.lever, extreme, l.target),
                        "{:?} said unreachable",
                        a.lever
                    );
                }
            }
        }
    }
    Ok(found)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn the_lever_found_reaches_the_class_and_one_step_short_does_not(seed in 0u64..1000, pick in 0usize..800) {
        let g = city(seed);
        let n = g.rows().len();
        for k in 0..8 {
            check(&g, (pick + k * 97) % n)?;
        }
    }
}

#[test]
fn a_tax_lever_is_found_for_most_graded_enterprises() {
    let g = city(7);
    let mut reached = 0;
    let mut asked = 0;
    for i in 0..g.rows().len() {
        let r = g.result(i);
        if r.status == Status::Graded
            && r.class.is_some_and(|c| c != Class::A)
            && r.reasons.is_empty()
        {
            asked += 1;
            let ctx = g.preview_context(i);
            let l = levers(&ctx, &g.rows()[i]).unwrap();
            if l.answers
                .iter()
                .any(|a| a.lever == Lever::Tax && a.needed.is_some())
            {
                reached += 1;
            }
            check(&g, i).unwrap();
            if asked >= 60 {
                break;
            }
        }
    }
    assert!(asked >= 30 && reached * 2 > asked, "{reached} of {asked}");
}
