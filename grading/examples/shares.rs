//! Prints the class and reason shares of the synthetic city (a sanity look).
use grading::{synth, Grader, Ruleset};
use std::collections::BTreeMap;
fn main() {
    let rows = synth::city(1, 2020, 6000, 20000);
    let g = Grader::new(Ruleset::builtin_2020(), rows).expect("valid");
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    for (e, r) in g.rows().iter().zip(g.results()) {
        *m.entry(format!("{} status {}", e.scale, r.status))
            .or_default() += 1;
        if let Some(c) = r.class {
            *m.entry(format!("{} class {}", e.scale, c.code()))
                .or_default() += 1;
        }
        for x in r.reasons.iter() {
            *m.entry(format!("{} reason {}", e.scale, x)).or_default() += 1;
        }
    }
    for (k, v) in m {
        println!("{k:40} {v}");
    }
}
