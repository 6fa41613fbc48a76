//! What would change an enterprise's class: for each lever it controls,
//! the smallest change of that one figure that reaches the next class up
//! against the cohort's current cut-offs, found by searching on the real
//! rules ([`crate::preview::preview`], special rules included) rather than
//! by inverting the scoring formula, so every special rule (tax per mu,
//! land, floors, forced D) is honoured as the grader applies it.
//!
//! The search keeps two values, one that does not reach the class and one
//! that does, and halves the gap down to the figure's resolution (0.01 for
//! amounts, 1 for head counts). The answer therefore always reaches the
//! class and the value one step short of it does not, even where a rule
//! makes the grade jump.

use crate::preview::{preview, Context};
use crate::{Class, Enterprise, Status};
use serde::{Deserialize, Serialize};

/// A figure the enterprise can move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lever {
    Tax,
    ValueAdded,
    Land,
    Energy,
    Emission,
    Rnd,
    Employees,
}

impl Lever {
    pub const ALL: [Lever; 7] = [
        Lever::Tax,
        Lever::ValueAdded,
        Lever::Land,
        Lever::Energy,
        Lever::Emission,
        Lever::Rnd,
        Lever::Employees,
    ];

    /// The record field it moves.
    pub fn field(self) -> &'static str {
        match self {
            Lever::Tax => "tax_wan",
            Lever::ValueAdded => "value_added_wan",
            Lever::Land => "land_mu",
            Lever::Energy => "energy_tce",
            Lever::Emission => "emission_t",
            Lever::Rnd => "rnd_wan",
            Lever::Employees => "employees",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Lever::Tax => "实缴税金",
            Lever::ValueAdded => "工业增加值",
            Lever::Land => "用地面积",
            Lever::Energy => "综合能耗",
            Lever::Emission => "排污权",
            Lever::Rnd => "研发经费",
            Lever::Employees => "职工人数",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Lever::Tax => "Tax paid",
            Lever::ValueAdded => "Value added",
            Lever::Land => "Land used",
            Lever::Energy => "Energy use",
            Lever::Emission => "Emission rights",
            Lever::Rnd => "R&D spending",
            Lever::Employees => "Employees",
        }
    }

    /// More is better (tax, value added, R&D) or less is (land, energy,
    /// emission, employees: the per-mu, per-energy and per-head ratios).
    pub fn raises(self) -> bool {
        matches!(self, Lever::Tax | Lever::ValueAdded | Lever::Rnd)
    }

    /// The figure's resolution (and, for a figure to lower, its floor).
    pub fn resolution(self) -> f64 {
        self.step() as f64 / 100.0
    }

    /// The figure's resolution, in hundredths.
    fn step(self) -> i64 {
        if self == Lever::Employees {
            100
        } else {
            1
        }
    }

    pub fn get(self, e: &Enterprise) -> Option<f64> {
        match self {
            Lever::Tax => e.tax_wan,
            Lever::ValueAdded => e.value_added_wan,
            Lever::Land => e.land_mu,
            Lever::Energy => e.energy_tce,
            Lever::Emission => e.emission_t,
            Lever::Rnd => e.rnd_wan,
            Lever::Employees => e.employees,
        }
    }

    pub fn set(self, e: &mut Enterprise, v: f64) {
        let slot = match self {
            Lever::Tax => &mut e.tax_wan,
            Lever::ValueAdded => &mut e.value_added_wan,
            Lever::Land => &mut e.land_mu,
            Lever::Energy => &mut e.energy_tce,
            Lever::Emission => &mut e.emission_t,
            Lever::Rnd => &mut e.rnd_wan,
            Lever::Employees => &mut e.employees,
        };
        *slot = Some(v);
    }
}

/// One lever's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeverAnswer {
    pub lever: Lever,
    pub current: Option<f64>,
    /// The figure that reaches the target class (None: not reachable by
    /// this lever alone).
    pub needed: Option<f64>,
}

/// The class the enterprise would reach next, and each lever's answer;
/// None when there is nothing to reach (class A, or not graded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Levers {
    pub from: Class,
    pub target: Class,
    pub answers: Vec<LeverAnswer>,
}

/// Whether `e` with the lever at `cents`/100 reaches `target` or better.
fn reaches(ctx: &Context, e: &Enterprise, lever: Lever, cents: i64, target: Class) -> bool {
    let mut d = e.clone();
    lever.set(&mut d, cents as f64 / 100.0);
    preview(ctx, &d)
        .is_ok_and(|p| p.status == Status::Graded && p.class.is_some_and(|c| c <= target))
}

/// The largest amount searched when raising a figure: a hundred times the
/// current one, and at least 10 亿 (in 万元) — beyond it the lever is
/// "not reachable" in any sense that matters.
const CEILING_CENTS: i64 = 100_000 * 100;

fn ceiling_cents(cur: i64) -> i64 {
    cur.saturating_mul(100).max(CEILING_CENTS)
}

/// The furthest a figure to raise is searched from `current`: a lever
/// that does not reach the class by then is answered "not reachable".
pub fn ceiling(current: f64) -> f64 {
    ceiling_cents(((current * 100.0).round() as i64).max(0)) as f64 / 100.0
}

/// The smallest change of `lever` (alone) that takes `e` to `target`.
pub fn search(ctx: &Context, e: &Enterprise, lever: Lever, target: Class) -> Option<f64> {
    let step = lever.step();
    let current = lever.get(e).unwrap_or(0.0);
    // A figure raised starts from where it is, below zero too (a year of
    // tax refunds): clamped to zero, the search would stop at 0 while the
    // class is already reached on the way up to it.
    let raw = (current * 100.0).round() as i64;
    let cur = if lever.raises() { raw } else { raw.max(0) };
    if reaches(ctx, e, lever, cur, target) {
        return Some(cur as f64 / 100.0);
    }
    if lever.raises() {
        // `lo` fails, `hi` reaches; hi is found by doubling.
        let (mut lo, mut hi) = (cur, (cur * 2).max(step * 100));
        let ceiling = ceiling_cents(cur);
        while !reaches(ctx, e, lever, hi, target) {
            if hi >= ceiling {
                return None;
            }
            lo = hi;
            hi = hi.saturating_mul(2).min(ceiling);
        }
        while hi - lo > step {
            let mid = lo + (hi - lo) / 2 / step * step;
            let mid = if mid == lo { lo + step } else { mid };
            if reaches(ctx, e, lever, mid, target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi as f64 / 100.0)
    } else {
        // `hi` fails, `lo` reaches; the floor is one step above zero (no
        // land, energy or staff at all is not a figure an enterprise has).
        let floor = step;
        if cur <= floor || !reaches(ctx, e, lever, floor, target) {
            return None;
        }
        let (mut lo, mut hi) = (floor, cur);
        while hi - lo > step {
            let mid = lo + (hi - lo) / 2 / step * step;
            let mid = if mid == lo { lo + step } else { mid };
            if reaches(ctx, e, lever, mid, target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(lo as f64 / 100.0)
    }
}

/// Every lever's answer for the next class up from the draft's own.
pub fn levers(ctx: &Context, e: &Enterprise) -> Option<Levers> {
    let p = preview(ctx, e).ok()?;
    let from = p.class.filter(|_| p.status == Status::Graded)?;
    if from == Class::A {
        return None;
    }
    let target = from.up();
    let answers = Lever::ALL
        .into_iter()
        .map(|lever| LeverAnswer {
            lever,
            current: lever.get(e),
            needed: search(ctx, e, lever, target),
        })
        .collect();
    Some(Levers {
        from,
        target,
        answers,
    })
}

/// The value one step short of `needed` (the property the tests check: it
/// does not reach the class).
pub fn one_step_short(lever: Lever, needed: f64) -> f64 {
    let cents = (needed * 100.0).round() as i64;
    let s = if lever.raises() {
        cents - lever.step()
    } else {
        cents + lever.step()
    };
    s as f64 / 100.0
}

/// Whether the draft with `lever` at `value` reaches `target` or better.
pub fn reaches_with(
    ctx: &Context,
    e: &Enterprise,
    lever: Lever,
    value: f64,
    target: Class,
) -> bool {
    reaches(ctx, e, lever, (value * 100.0).round() as i64, target)
}
