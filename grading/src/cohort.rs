//! Cohorts (排序范围) and the percentile classes within them.

use crate::input::Enterprise;
use crate::ruleset::{CohortBy, Ruleset, Scope};
use crate::types::{Class, County, Industry, Scale};
use serde::{Deserialize, Serialize};

/// Which cohort an enterprise is ranked in. `Copy`, so results carry it for free.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CohortKey {
    /// Set when the ruleset ranks per county.
    pub county: Option<County>,
    pub scale: Scale,
    pub label: CohortLabel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortLabel {
    /// All below-size enterprises.
    Below,
    /// A main industry, or `Other` for the rest.
    Industry(Industry),
    /// A weight group, by its index in the ruleset.
    Group(u8),
}

impl CohortKey {
    pub fn of(rs: &Ruleset, e: &Enterprise) -> CohortKey {
        let label = match (e.scale, rs.cohort.by) {
            (Scale::Below, _) => CohortLabel::Below,
            (Scale::Above, CohortBy::Industry)
                if rs.cohort.main_industries.contains(&e.industry) =>
            {
                CohortLabel::Industry(e.industry)
            }
            (Scale::Above, CohortBy::Industry) => CohortLabel::Industry(Industry::Other),
            (Scale::Above, CohortBy::WeightGroup) => {
                let g = rs.group_of(e.industry);
                let i = rs
                    .weight_groups
                    .iter()
                    .position(|x| x.id == g.id)
                    .unwrap_or(0);
                CohortLabel::Group(i as u8)
            }
        };
        let county = (rs.cohort.scope == Scope::County).then_some(e.county);
        CohortKey {
            county,
            scale: e.scale,
            label,
        }
    }

    /// The spec's cohort name: `above:<industry>`, `above:other`, `below`,
    /// prefixed `<county>/` when ranked per county.
    pub fn name(&self, rs: &Ruleset) -> String {
        let body = match self.label {
            CohortLabel::Below => "below".to_string(),
            CohortLabel::Industry(i) => format!("above:{}", i.code()),
            CohortLabel::Group(g) => format!("above:{}", group_id(rs, g)),
        };
        match self.county {
            Some(c) => format!("{}/{body}", c.code()),
            None => body,
        }
    }

    /// Chinese label for screens.
    pub fn zh(&self, rs: &Ruleset) -> String {
        self.label(rs, true)
    }

    /// English label for screens.
    pub fn en(&self, rs: &Ruleset) -> String {
        self.label(rs, false)
    }

    fn label(&self, rs: &Ruleset, zh: bool) -> String {
        let body = match (self.label, zh) {
            (CohortLabel::Below, true) => "规下企业".to_string(),
            (CohortLabel::Below, false) => "Below-size".to_string(),
            (CohortLabel::Industry(Industry::Other), true) => "规上·其他行业".to_string(),
            (CohortLabel::Industry(i), true) => format!("规上·{}", i.zh()),
            (CohortLabel::Industry(i), false) => format!("Above-size · {}", i.en()),
            (CohortLabel::Group(g), true) => format!("规上·{} 组", group_id(rs, g)),
            (CohortLabel::Group(g), false) => format!("Above-size · group {}", group_id(rs, g)),
        };
        match self.county {
            Some(c) if zh => format!("{}·{body}", c.zh()),
            Some(c) => format!("{} · {body}", c.en()),
            None => body,
        }
    }
}

/// A weight group's id as the ruleset names it.
fn group_id(rs: &Ruleset, g: u8) -> &str {
    rs.weight_groups
        .get(g as usize)
        .map_or("?", |g| g.id.as_str())
}

/// Class from rank and cohort size in integer arithmetic ("含本数").
pub fn class_of(rank: u32, n: u32, percents: [u32; 3]) -> Class {
    let (r, n) = (u64::from(rank) * 100, u64::from(n));
    if r <= u64::from(percents[0]) * n {
        Class::A
    } else if r <= u64::from(percents[1]) * n {
        Class::B
    } else if r <= u64::from(percents[2]) * n {
        Class::C
    } else {
        Class::D
    }
}

/// The lowest score still inside A, B and C of a cohort, so a screen can
/// project a class for a score being typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortCutoffs {
    pub n: u32,
    /// Lowest canonical score of class A, B, C by percentile (None when the class is empty).
    pub min_score: [Option<f64>; 3],
}

impl CohortCutoffs {
    /// The percentile class a score would get against these cut-offs.
    pub fn project(&self, score: f64) -> Class {
        for (i, class) in [Class::A, Class::B, Class::C].into_iter().enumerate() {
            if self.min_score[i].is_some_and(|m| score >= m) {
                return class;
            }
        }
        Class::D
    }
}

/// Sorts a cohort's (score, row) pairs by descending score.
///
/// Canonical scores are multiples of 10⁻⁴, so score × 10⁴ rounds to an
/// integer that orders them: a radix sort on it costs two or three linear
/// passes where a comparison sort costs log₂ n ≈ 17 for the 150,000-member
/// below-size cohort. The result is checked, and a comparison sort takes
/// over should any score not order like its key, so the outcome is always
/// the `total_cmp` order.
pub(crate) fn sort_descending<T: Copy + Default>(items: &mut Vec<T>, score: impl Fn(&T) -> f64) {
    const DIGIT: u32 = 11;
    let by_cmp = |v: &mut Vec<T>| v.sort_unstable_by(|a, b| score(b).total_cmp(&score(a)));
    if items.len() < 1024 {
        return by_cmp(items);
    }
    // Nearest integer by truncation (one instruction; `round` is a library
    // call on baseline x86-64). Monotone in the score, which is all the
    // sort needs; the check below catches anything else.
    let key = |s: f64| {
        let x = s * 10000.0;
        (if x < 0.0 { x - 0.5 } else { x + 0.5 }) as i64
    };
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for t in items.iter() {
        let k = key(score(t));
        lo = lo.min(k);
        hi = hi.max(k);
    }
    // Keys as distances from the top, so ascending keys = descending scores.
    let Some(span) = hi.checked_sub(lo).filter(|&s| s < 1 << 32) else {
        return by_cmp(items);
    };
    let dist = |t: &T| (hi - key(score(t))) as u64;
    let span = span as u64;
    let passes = (64 - span.leading_zeros()).div_ceil(DIGIT).max(1);
    let mut from = std::mem::take(items);
    let mut to = vec![T::default(); from.len()];
    let mask = (1u64 << DIGIT) - 1;
    for pass in 0..passes {
        let shift = pass * DIGIT;
        let mut count = [0u32; 1 << DIGIT];
        for t in &from {
            count[((dist(t) >> shift) & mask) as usize] += 1;
        }
        let mut at = 0u32;
        for c in count.iter_mut() {
            let k = *c;
            *c = at;
            at += k;
        }
        for t in &from {
            let d = ((dist(t) >> shift) & mask) as usize;
            to[count[d] as usize] = *t;
            count[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *items = from;
    if items
        .windows(2)
        .any(|w| score(&w[0]).total_cmp(&score(&w[1])) == std::cmp::Ordering::Less)
    {
        by_cmp(items);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_boundaries_belong_to_the_better_class() {
        // n = 20: rank 3 → 300 <= 15*20 = 300 → A; rank 4 → 400 > 300 → B.
        assert_eq!(class_of(3, 20, [15, 60, 95]), Class::A);
        assert_eq!(class_of(4, 20, [15, 60, 95]), Class::B);
        // rank 12 → 1200 <= 1200 → B; 13 → C; 19 → 1900 <= 1900 → C; 20 → D.
        assert_eq!(class_of(12, 20, [15, 60, 95]), Class::B);
        assert_eq!(class_of(13, 20, [15, 60, 95]), Class::C);
        assert_eq!(class_of(19, 20, [15, 60, 95]), Class::C);
        assert_eq!(class_of(20, 20, [15, 60, 95]), Class::D);
        // Below-size, n = 20: rank 1 → 100 <= 5*20 → A; rank 2 → B; 8 → 800 <= 800 B; 16 → C; 17 → D.
        assert_eq!(class_of(1, 20, [5, 40, 80]), Class::A);
        assert_eq!(class_of(2, 20, [5, 40, 80]), Class::B);
        assert_eq!(class_of(8, 20, [5, 40, 80]), Class::B);
        assert_eq!(class_of(16, 20, [5, 40, 80]), Class::C);
        assert_eq!(class_of(17, 20, [5, 40, 80]), Class::D);
        // A single enterprise: 100 > 15 → not A; 100 > 60 → not B; 100 > 95 → D.
        assert_eq!(class_of(1, 1, [15, 60, 95]), Class::D);
    }

    #[derive(Clone, Copy, Debug, Default, PartialEq)]
    struct Item(f64, u32);

    fn scores(v: &[Item]) -> Vec<u64> {
        v.iter().map(|i| i.0.to_bits()).collect()
    }

    #[test]
    fn the_radix_order_is_the_comparison_order() {
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        // Canonical scores (many ties), the radix path.
        let canonical: Vec<Item> = (0..20_000)
            .map(|i| {
                Item(
                    crate::score::canonical((next() % 1_500_000) as f64 / 9_999.0 - 5.0),
                    i,
                )
            })
            .collect();
        // Not canonical (keys collide): the check hands over to the comparison sort.
        let raw: Vec<Item> = (0..5_000)
            .map(|i| Item((next() % 1_000_000) as f64 / 7e8, i))
            .collect();
        for items in [canonical, raw] {
            let mut by_radix = items.clone();
            sort_descending(&mut by_radix, |i| i.0);
            let mut by_cmp = items.clone();
            by_cmp.sort_by(|a, b| b.0.total_cmp(&a.0));
            assert_eq!(scores(&by_radix), scores(&by_cmp));
            let mut rows: Vec<u32> = by_radix.iter().map(|i| i.1).collect();
            rows.sort_unstable();
            assert!(
                rows.iter().enumerate().all(|(k, &r)| r == k as u32),
                "a permutation"
            );
        }
    }
}
