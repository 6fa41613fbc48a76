//! Grading one evaluation year: eligibility, lessee merging, city averages,
//! scores, cohorts, ranks, classes and special rules (sections 1–7), with an
//! incremental path for one changed record.

use crate::cohort::{class_of, sort_descending, CohortCutoffs, CohortKey, CohortLabel};
use crate::fsum::ExactSum;
use crate::index::{hash_uscc, UsccIndex};
use crate::input::Enterprise;
use crate::reason::{Reason, Reasons};
use crate::ruleset::{Ruleset, Scope};
use crate::score::{provisional, score, Bonus, Effective, IndicatorScore, Provisional};
use crate::special::Special;
use crate::types::{Class, Industry, Scale, Status};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A record the rules cannot grade, named by its position in the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("第 {} 条记录（{uscc}）字段 {field}：{reason}", .index + 1)]
pub struct InputError {
    /// 0-based position in the slice given to the engine.
    pub index: usize,
    pub uscc: String,
    pub field: &'static str,
    pub reason: crate::Words,
}

impl InputError {
    /// The whole refusal in Chinese and English.
    pub fn words(&self) -> crate::Words {
        let n = self.index + 1;
        let (uscc, field) = (&self.uscc, self.field);
        crate::Words::new(
            self.to_string(),
            format!("Record {n} ({uscc}), field {field}: {}", self.reason.en),
        )
    }
}

/// Everything a screen needs to explain one enterprise's grade.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GradeResult {
    pub status: Status,
    /// For `merged`: the lessor's USCC.
    pub merged_into: Option<String>,
    /// For a lessor: how many lessees were merged into it.
    pub lessees: u32,
    pub cohort: Option<CohortKey>,
    pub indicators: Vec<IndicatorScore>,
    pub base: Option<f64>,
    pub bonus: Bonus,
    /// Canonical score (4 decimals); graded only.
    pub score: Option<f64>,
    pub tax_per_mu: Option<f64>,
    pub rank: Option<u32>,
    pub cohort_size: Option<u32>,
    pub base_class: Option<Class>,
    pub class: Option<Class>,
    pub reasons: Vec<Reason>,
}

#[allow(clippy::derivable_impls)]
impl Default for Status {
    fn default() -> Self {
        Status::Graded
    }
}

/// One enterprise's class before and after a change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassChange {
    pub index: usize,
    pub uscc: String,
    pub before: Option<Class>,
    pub after: Option<Class>,
}

/// What an incremental regrade touched.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Regrade {
    /// Rows whose status, cohort, score, rank, cohort size or class changed,
    /// and the rows whose own or merged inputs changed.
    pub changed: Vec<usize>,
    /// The part of `changed` where only the rank or cohort size moved (the
    /// rows below or beside a changed one): stores can update just those.
    pub ranks_only: Vec<usize>,
    pub class_changes: Vec<ClassChange>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Eligibility {
    status: Status,
    lessor: Option<usize>,
    /// A new enterprise graded because it opted in (never ends in D by rule ④).
    new_opt_in: bool,
    /// A lessor with merged lessees (its inputs are in `Grader::merged`).
    lessees: bool,
}

/// Grades every record; each year on its own. Results are in input order.
pub fn grade(rs: &Ruleset, rows: &[Enterprise]) -> Result<Vec<GradeResult>, InputError> {
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        years.entry(r.year).or_default().push(i);
    }
    if years.len() == 1 {
        return Ok(Grader::new(rs.clone(), rows.to_vec())?.into_results());
    }
    let mut out = vec![GradeResult::default(); rows.len()];
    for positions in years.values() {
        let subset = positions.iter().map(|&i| rows[i].clone()).collect();
        let grader = Grader::new(rs.clone(), subset).map_err(|mut e| {
            e.index = positions[e.index];
            e
        })?;
        for (k, r) in grader.into_results().into_iter().enumerate() {
            out[positions[k]] = r;
        }
    }
    Ok(out)
}

/// The grade of one row as lists, pushes and stores use it: everything
/// that decides the class. The breakdown that explains it (indicators,
/// bonus parts, the lessor) comes from [`Grader::result`], computed from the
/// same numbers when a screen or a file asks for it, so a full grade of the
/// city allocates nothing per row.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Graded {
    pub status: Status,
    pub cohort: Option<CohortKey>,
    /// Canonical score (4 decimals); graded only.
    pub score: Option<f64>,
    pub tax_per_mu: Option<f64>,
    pub rank: Option<u32>,
    pub cohort_size: Option<u32>,
    pub base_class: Option<Class>,
    pub class: Option<Class>,
    pub reasons: Reasons,
}

impl Graded {
    /// Equal but for rank and cohort size (a row the rows above it moved).
    fn same_but_rank(&self, o: &Graded) -> bool {
        let unranked = |g: &Graded| Graded {
            rank: None,
            cohort_size: None,
            ..*g
        };
        unranked(self) == unranked(o)
    }
}

/// What the county evaluation needs of a row's grade, whether it comes with
/// its breakdown ([`GradeResult`]) or without ([`Graded`]).
pub trait Outcome {
    fn status(&self) -> Status;
}

impl Outcome for GradeResult {
    fn status(&self) -> Status {
        self.status
    }
}

impl Outcome for Graded {
    fn status(&self) -> Status {
        self.status
    }
}

/// What the ruleset says of each industry, looked up once per grade
/// instead of once per row.
#[derive(Clone, Debug)]
struct IndustryTable {
    excluded: Vec<bool>,
    weights: Vec<[f64; 6]>,
    /// The cohort of an above-size enterprise of the industry (county unset).
    above: Vec<CohortKey>,
    per_county: bool,
}

impl IndustryTable {
    fn of(rs: &Ruleset) -> IndustryTable {
        let probe = |industry| {
            let e = Enterprise {
                industry,
                scale: Scale::Above,
                ..Enterprise::default()
            };
            CohortKey {
                county: None,
                ..CohortKey::of(rs, &e)
            }
        };
        IndustryTable {
            excluded: Industry::ALL.iter().map(|&i| rs.is_excluded(i)).collect(),
            weights: Industry::ALL
                .iter()
                .map(|&i| rs.group_of(i).weights)
                .collect(),
            above: Industry::ALL.iter().map(|&i| probe(i)).collect(),
            per_county: rs.cohort.scope == Scope::County,
        }
    }

    fn cohort(&self, e: &Enterprise) -> CohortKey {
        let key = match e.scale {
            Scale::Above => self.above[e.industry as usize],
            Scale::Below => CohortKey {
                county: None,
                scale: Scale::Below,
                label: CohortLabel::Below,
            },
        };
        CohortKey {
            county: self.per_county.then_some(e.county),
            ..key
        }
    }
}

/// The graded state of one year, kept so one changed record regrades only
/// what it can move: its own cohort(s), its lessor's, and — when the city
/// average of its scale moves — the scores of that scale.
#[derive(Clone, Debug)]
pub struct Grader {
    rs: Ruleset,
    table: IndustryTable,
    year: Option<i32>,
    rows: Vec<Enterprise>,
    index: UsccIndex,
    /// `lessor_uscc` text → rows that name it.
    named_by: FxHashMap<String, Vec<usize>>,
    elig: Vec<Eligibility>,
    lessees: FxHashMap<usize, Vec<usize>>,
    /// Inputs of the lessors with merged lessees; every other row is graded
    /// on its own inputs.
    merged: FxHashMap<usize, Effective>,
    avg: [Option<f64>; 2],
    results: Vec<Graded>,
    special: Vec<Special>,
    members: FxHashMap<CohortKey, Vec<usize>>,
    cutoffs: FxHashMap<CohortKey, CohortCutoffs>,
}

/// What ranking needs of a cohort member.
#[derive(Clone, Copy, Debug, Default)]
struct Member {
    score: f64,
    /// Position in the cohort's member list (row order).
    pos: u32,
    special: Special,
}

/// Per scale, Σ tax and Σ land of the graded enterprises with land > 0
/// and tax present: the city averages the tax bonus compares against.
/// Exact sums, so the averages do not depend on row order, and a row can
/// be taken back out exactly.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct CitySums([(ExactSum, ExactSum); 2]);

impl CitySums {
    /// Counts one graded row (`sign` −1 takes it back out).
    pub(crate) fn add(&mut self, scale: Scale, tax: Option<f64>, land: Option<f64>, sign: f64) {
        if let (Some(t), Some(l)) = (tax, land) {
            if l > 0.0 {
                let s = &mut self.0[scale_index(scale)];
                s.0.add(sign * t);
                s.1.add(sign * l);
            }
        }
    }

    /// Σ tax / Σ land per scale, when there is land.
    pub(crate) fn averages(&self) -> [Option<f64>; 2] {
        self.0.each_ref().map(|(tax, land)| {
            let land = land.value();
            (land > 0.0).then(|| tax.value() / land)
        })
    }
}

pub(crate) fn scale_index(s: Scale) -> usize {
    match s {
        Scale::Above => 0,
        Scale::Below => 1,
    }
}

/// What eligibility needs to know of the lessor a row names.
pub(crate) struct LessorView<'a> {
    pub uscc: &'a str,
    pub scale: Scale,
    pub excluded: bool,
    pub names_lessor: bool,
}

/// Sections 1–2 and special rule ③ for one row: its status (`Merged`: into
/// the lessor it names) and whether it is a new enterprise graded because it
/// opted in; or the field that makes it ungradable, and why. `lessor` is the
/// record its `lessor_uscc` names, when the year has one. The grader and the
/// browser's preview both decide with this.
pub(crate) fn eligibility_rule(
    rs: &Ruleset,
    e: &Enterprise,
    excluded: bool,
    lessor: Option<LessorView>,
) -> Result<(Status, bool), (&'static str, crate::Words)> {
    use crate::Words;
    if let Some(l) = &e.lessor_uscc {
        if e.scale == Scale::Above {
            return Err((
                "lessor_uscc",
                Words::new(
                    "规上企业不并入出租方（特殊规定③仅适用于规下承租企业），应为空",
                    "an above-size enterprise does not merge into a lessor (special rule 3 is for below-size lessees only); leave it empty",
                ),
            ));
        }
        if *l == e.uscc {
            return Err((
                "lessor_uscc",
                Words::new(
                    "出租方不能是企业自身",
                    "the lessor cannot be the enterprise itself",
                ),
            ));
        }
    }
    if excluded {
        return Ok((Status::Excluded, false));
    }
    if let Some(lessor) = lessor {
        if lessor.names_lessor {
            return Err((
                "lessor_uscc",
                Words::new(
                    format!("出租方 {} 本身也是承租企业", lessor.uscc),
                    format!("the lessor {} is itself a lessee", lessor.uscc),
                ),
            ));
        }
        if lessor.scale == Scale::Below && !lessor.excluded {
            return Ok((Status::Merged, false));
        }
    }
    if e.is_new(rs.special.new_enterprise_years) {
        return Ok(if e.opt_in {
            (Status::Graded, true)
        } else {
            (Status::Exempt, false)
        });
    }
    Ok((Status::Graded, false))
}

/// A lessor's inputs with its merged lessees' (rule ③): tax and revenue
/// summed exactly, safety and environment records added up.
pub(crate) fn merge_lessees(e: &Enterprise, lessees: &[Effective]) -> Effective {
    let mut eff = Effective::own(e);
    if lessees.is_empty() {
        return eff;
    }
    let merged = |own: Option<f64>, get: fn(&Effective) -> Option<f64>| {
        let mut sum = ExactSum::default();
        for v in std::iter::once(own)
            .chain(lessees.iter().map(get))
            .flatten()
        {
            sum.add(v);
        }
        (sum.count() > 0).then(|| sum.value())
    };
    eff.tax_wan = merged(e.tax_wan, |r| r.tax_wan);
    eff.revenue_wan = merged(e.revenue_wan, |r| r.revenue_wan);
    for l in lessees {
        eff.general_accidents = eff.general_accidents.saturating_add(l.general_accidents);
        eff.larger_accidents = eff.larger_accidents.saturating_add(l.larger_accidents);
        eff.safety_penalties = eff.safety_penalties.saturating_add(l.safety_penalties);
        eff.major_env_incident |= l.major_env_incident;
        eff.severe_dishonesty |= l.severe_dishonesty;
    }
    eff
}

impl Grader {
    /// Grades one year's records (all rows must share the year).
    pub fn new(rs: Ruleset, rows: Vec<Enterprise>) -> Result<Grader, InputError> {
        let n = rows.len();
        let mut g = Grader {
            table: IndustryTable::of(&rs),
            rs,
            year: rows.first().map(|r| r.year),
            index: UsccIndex::default(),
            rows,
            named_by: FxHashMap::default(),
            elig: Vec::with_capacity(n),
            lessees: FxHashMap::default(),
            merged: FxHashMap::default(),
            avg: [None, None],
            results: Vec::with_capacity(n),
            special: Vec::with_capacity(n),
            members: FxHashMap::default(),
            cutoffs: FxHashMap::default(),
        };
        // One pass over the rows for the index, eligibility, the city sums
        // and the scores (a city's rows do not fit in cache: every pass
        // costs). The score waits only for the city average, and only in
        // its tax bonus: each row keeps the score with the bonus aside.
        // Rows naming a lessor wait until the index is complete, lessors
        // until their lessees are known.
        let mut sums = CitySums::default();
        let mut naming = Vec::new();
        let mut hashes = Vec::with_capacity(n);
        let mut with_tax_bonus: Vec<Option<f64>> = Vec::with_capacity(n);
        let mut wrong_year = None;
        for i in 0..n {
            let r = &g.rows[i];
            if Some(r.year) != g.year {
                wrong_year = Some(i);
                break;
            }
            hashes.push(hash_uscc(&r.uscc));
            if let Some(l) = &r.lessor_uscc {
                g.named_by.entry(l.clone()).or_default().push(i);
                naming.push(i);
                g.elig.push(Eligibility::default());
                g.results.push(Graded::default());
                g.special.push(Special::default());
                with_tax_bonus.push(None);
                continue;
            }
            let el = g.eligibility(i)?;
            if el.status == Status::Graded {
                sums.add(r.scale, r.tax_wan, r.land_mu, 1.0);
            }
            g.elig.push(el);
            let (r, sp, p) = g.provisional_of(i);
            if let Some(k) = r.cohort {
                g.members.entry(k).or_default().push(i);
            }
            g.results.push(r);
            g.special.push(sp);
            with_tax_bonus.push(p.and_then(|p| p.with));
        }
        // The first bad row in row order, as a reader of the file would
        // find it (a duplicate before a wrong year wins).
        match UsccIndex::build(&g.rows, &hashes) {
            Err(i) => {
                return Err(g.error(
                    i,
                    "uscc",
                    crate::Words::new(
                        "统一社会信用代码在同一年度重复",
                        "the code appears twice in one year",
                    ),
                ))
            }
            Ok(index) => g.index = index,
        }
        if let Some(i) = wrong_year {
            return Err(g.error(
                i,
                "year",
                crate::Words::new(
                    "同一次评价只能包含一个年度",
                    "one evaluation grades one year",
                ),
            ));
        }
        for &i in &naming {
            let el = g.eligibility(i)?;
            g.elig[i] = el;
            match el.lessor {
                Some(l) => g.lessees.entry(l).or_default().push(i),
                None if el.status == Status::Graded => {
                    let r = &g.rows[i];
                    sums.add(r.scale, r.tax_wan, r.land_mu, 1.0);
                }
                None => {}
            }
        }
        // A lessor counts with its lessees' tax: take its own back out
        // (exactly: the sums are exact) and put the merged tax in.
        let lessors: Vec<usize> = g.lessees.keys().copied().collect();
        for l in lessors {
            let eff = g.merged_inputs(l);
            g.merged.insert(l, eff);
            g.elig[l].lessees = true;
            if g.elig[l].status == Status::Graded {
                let e = &g.rows[l];
                sums.add(e.scale, e.tax_wan, e.land_mu, -1.0);
                sums.add(e.scale, eff.tax_wan, e.land_mu, 1.0);
            }
        }
        g.avg = sums.averages();
        for (r, with) in g.results.iter_mut().zip(with_tax_bonus) {
            if let (Some(cohort), Some(without)) = (r.cohort, r.score) {
                let p = Provisional {
                    without,
                    with,
                    tax_per_mu: r.tax_per_mu,
                };
                r.score = Some(p.score(g.avg[scale_index(cohort.scale)]));
            }
        }
        // Lessors again with their lessees' inputs, then the rows that
        // named a lessor.
        let lessors: Vec<usize> = g.lessees.keys().copied().collect();
        for i in lessors.into_iter().chain(naming) {
            let (r, sp) = g.graded_of(i);
            if let Some(k) = r.cohort.filter(|_| g.results[i].cohort.is_none()) {
                g.members.entry(k).or_default().push(i);
            }
            g.results[i] = r;
            g.special[i] = sp;
        }
        let keys: Vec<CohortKey> = g.members.keys().copied().collect();
        for k in keys {
            g.rank_cohort(k);
        }
        Ok(g)
    }

    pub fn ruleset(&self) -> &Ruleset {
        &self.rs
    }

    pub fn rows(&self) -> &[Enterprise] {
        &self.rows
    }

    /// Every row's grade, in row order.
    pub fn results(&self) -> &[Graded] {
        &self.results
    }

    /// Row `i`'s grade with its full breakdown.
    pub fn result(&self, i: usize) -> GradeResult {
        let g = &self.results[i];
        let mut r = GradeResult {
            status: g.status,
            merged_into: self.elig[i].lessor.map(|j| self.rows[j].uscc.clone()),
            lessees: self.lessees.get(&i).map_or(0, |l| l.len() as u32),
            cohort: g.cohort,
            score: g.score,
            tax_per_mu: g.tax_per_mu,
            rank: g.rank,
            cohort_size: g.cohort_size,
            base_class: g.base_class,
            class: g.class,
            reasons: g.reasons.to_vec(),
            ..GradeResult::default()
        };
        if g.status == Status::Graded {
            let e = &self.rows[i];
            let s = score(
                &self.rs,
                e,
                &self.effective(i),
                self.avg[scale_index(e.scale)],
            );
            r.indicators = s.indicators;
            r.base = Some(s.base);
            r.bonus = s.bonus;
        }
        r
    }

    /// Every row's grade with its breakdown, in row order.
    pub fn into_results(self) -> Vec<GradeResult> {
        (0..self.rows.len()).map(|i| self.result(i)).collect()
    }

    /// The inputs row `i` was graded with (its own, plus merged lessees').
    pub fn effective(&self, i: usize) -> Effective {
        match self.elig[i].lessees.then(|| self.merged.get(&i)).flatten() {
            Some(eff) => *eff,
            None => Effective::own(&self.rows[i]),
        }
    }

    pub fn position(&self, uscc: &str) -> Option<usize> {
        self.index.get(&self.rows, uscc)
    }

    /// City tax per mu of graded enterprises of a scale (feeds the tax bonus).
    pub fn city_average_of(&self, scale: Scale) -> Option<f64> {
        self.avg[scale_index(scale)]
    }

    /// Rows whose `lessor_uscc` names `uscc` (merged or not).
    pub fn rows_naming(&self, uscc: &str) -> Vec<usize> {
        self.named_by.get(uscc).cloned().unwrap_or_default()
    }

    /// Rows merged into row `i` (rule ③).
    pub fn lessees_of(&self, i: usize) -> &[usize] {
        self.lessees.get(&i).map_or(&[], Vec::as_slice)
    }

    /// The rows whose [`GradeResult`] (or row) differs from `before`'s for
    /// the same enterprise, in row order: what a writer that graded a year
    /// afresh must store, when the stored results are known to be
    /// `before`'s. A row's breakdown follows from its own inputs, its
    /// grade, its lessor or lessees and its scale's city average, so the
    /// breakdown is computed only where one of the last two is in play.
    /// None when a row of `before` is gone or the rulesets differ.
    pub fn changed_from(&self, before: &Grader) -> Option<Vec<usize>> {
        if self.rs != before.rs || before.rows.iter().any(|e| self.position(&e.uscc).is_none()) {
            return None;
        }
        let related = |g: &Grader, i: usize| g.elig[i].lessor.is_some() || g.elig[i].lessees;
        let changed = (0..self.rows.len())
            .filter(|&i| {
                let Some(j) = before.position(&self.rows[i].uscc) else {
                    return true;
                };
                let k = scale_index(self.rows[i].scale);
                let same = self.rows[i] == before.rows[j] && self.results[i] == before.results[j];
                let avg_moved = self.avg[k].map(f64::to_bits) != before.avg[k].map(f64::to_bits);
                !same
                    || ((avg_moved || related(self, i) || related(before, j))
                        && self.result(i) != before.result(j))
            })
            .collect();
        Some(changed)
    }

    /// Percentile cut-off scores of each cohort, for projecting a typed score.
    pub fn cutoffs(&self) -> &FxHashMap<CohortKey, CohortCutoffs> {
        &self.cutoffs
    }

    fn error(&self, i: usize, field: &'static str, reason: crate::Words) -> InputError {
        InputError {
            index: i,
            uscc: self.rows[i].uscc.clone(),
            field,
            reason,
        }
    }

    fn eligibility(&self, i: usize) -> Result<Eligibility, InputError> {
        let e = &self.rows[i];
        let j = e
            .lessor_uscc
            .as_ref()
            .and_then(|l| self.index.get(&self.rows, l));
        let lessor = j.map(|j| {
            let l = &self.rows[j];
            LessorView {
                uscc: &l.uscc,
                scale: l.scale,
                excluded: self.table.excluded[l.industry as usize],
                names_lessor: l.lessor_uscc.is_some(),
            }
        });
        let excluded = self.table.excluded[e.industry as usize];
        let (status, new_opt_in) = eligibility_rule(&self.rs, e, excluded, lessor)
            .map_err(|(field, reason)| self.error(i, field, reason))?;
        Ok(Eligibility {
            status,
            lessor: j.filter(|_| status == Status::Merged),
            new_opt_in,
            lessees: false,
        })
    }

    /// Own inputs, plus merged lessees' tax, revenue and safety records (rule ③).
    fn merged_inputs(&self, i: usize) -> Effective {
        let lessees: Vec<Effective> = self
            .lessees
            .get(&i)
            .map(|ls| ls.iter().map(|&k| Effective::own(&self.rows[k])).collect())
            .unwrap_or_default();
        merge_lessees(&self.rows[i], &lessees)
    }

    /// The city averages over every row, lessors with their lessees' tax.
    fn city_averages(&self) -> [Option<f64>; 2] {
        let mut sums = CitySums::default();
        for (i, r) in self.rows.iter().enumerate() {
            let el = &self.elig[i];
            if el.status != Status::Graded {
                continue;
            }
            let tax = match el.lessees.then(|| self.merged.get(&i)).flatten() {
                Some(eff) => eff.tax_wan,
                None => r.tax_wan,
            };
            sums.add(r.scale, tax, r.land_mu, 1.0);
        }
        sums.averages()
    }

    /// Row `i`'s status, cohort and score (not yet ranked), and what the
    /// special rules will do to its class.
    fn graded_of(&self, i: usize) -> (Graded, Special) {
        let (mut r, sp, p) = self.provisional_of(i);
        if let (Some(p), Some(cohort)) = (p, r.cohort) {
            r.score = Some(p.score(self.avg[scale_index(cohort.scale)]));
        }
        (r, sp)
    }

    /// [`Grader::graded_of`] before the city average is known: the score
    /// without the tax bonus, and the provisional score to finish it.
    fn provisional_of(&self, i: usize) -> (Graded, Special, Option<Provisional>) {
        let el = self.elig[i];
        let mut r = Graded {
            status: el.status,
            ..Graded::default()
        };
        if el.status != Status::Graded {
            return (r, Special::default(), None);
        }
        let e = &self.rows[i];
        let eff = self.effective(i);
        let p = provisional(&self.rs, &self.table.weights[e.industry as usize], e, &eff);
        r.cohort = Some(self.table.cohort(e));
        r.score = Some(p.without);
        r.tax_per_mu = p.tax_per_mu;
        let sp = Special::of(&self.rs, e, &eff, p.tax_per_mu, el.new_opt_in);
        (r, sp, Some(p))
    }

    /// Recomputes row `i`'s status and score (not its rank), moving it
    /// between cohorts as needed.
    fn score_row(&mut self, i: usize) {
        let old = self.results[i];
        let (mut r, sp) = self.graded_of(i);
        if r.cohort.is_some() && r.cohort == old.cohort {
            // Rank and class stay until the cohort is re-ranked (it is, when
            // anything that feeds them moved).
            r.rank = old.rank;
            r.cohort_size = old.cohort_size;
            r.base_class = old.base_class;
            r.class = old.class;
            r.reasons = old.reasons;
        }
        self.results[i] = r;
        self.special[i] = sp;
        if old.cohort != r.cohort {
            if let Some(k) = old.cohort {
                if let Some(m) = self.members.get_mut(&k) {
                    m.retain(|&x| x != i);
                }
            }
            if let Some(k) = r.cohort {
                self.members.entry(k).or_default().push(i);
            }
        }
    }

    /// Ranks a cohort (rank = 1 + the number scoring strictly higher),
    /// classifies its members and records its cut-off scores.
    fn rank_cohort(&mut self, key: CohortKey) {
        let Some(members) = self.members.get(&key) else {
            return;
        };
        if members.is_empty() {
            self.members.remove(&key);
            self.cutoffs.remove(&key);
            return;
        }
        // Work in score order on a copy of what ranking needs (16 bytes a
        // member), then write the grades back in row order: scattering them
        // in score order would touch a random place of the results for
        // every member.
        let mut ranked: Vec<Member> = members
            .iter()
            .enumerate()
            .map(|(pos, &i)| Member {
                score: self.results[i].score.unwrap_or(0.0),
                pos: pos as u32,
                special: self.special[i],
            })
            .collect();
        sort_descending(&mut ranked, |m| m.score);
        let n = ranked.len() as u32;
        let percents = match key.scale {
            Scale::Above => self.rs.cutoffs.above,
            Scale::Below => self.rs.cutoffs.below,
        };
        let mut min_score = [None; 3];
        let mut out = vec![(0u32, Class::A, Class::A, Reasons::default()); ranked.len()];
        let mut rnk = 1u32;
        for (at, m) in ranked.iter().enumerate() {
            if at > 0 && ranked[at - 1].score != m.score {
                rnk = at as u32 + 1;
            }
            let base = class_of(rnk, n, percents);
            if (base as usize) < 3 {
                min_score[base as usize] = Some(m.score);
            }
            let (class, reasons) = m.special.apply(base);
            out[m.pos as usize] = (rnk, base, class, reasons);
        }
        for (&i, &(rnk, base, class, reasons)) in members.iter().zip(&out) {
            let res = &mut self.results[i];
            res.rank = Some(rnk);
            res.cohort_size = Some(n);
            res.base_class = Some(base);
            res.class = Some(class);
            res.reasons = reasons;
        }
        self.cutoffs.insert(key, CohortCutoffs { n, min_score });
    }

    /// Inserts or replaces one record (by USCC) and regrades what it can move.
    /// On an input error nothing changes.
    pub fn upsert(&mut self, e: Enterprise) -> Result<Regrade, InputError> {
        if self.year.is_some_and(|y| y != e.year) {
            return Err(InputError {
                index: self.rows.len(),
                uscc: e.uscc.clone(),
                field: "year",
                reason: crate::Words::new(
                    "记录年度与评价年度不一致",
                    "the record's year is not the year being graded",
                ),
            });
        }
        self.year = Some(e.year);
        self.apply_upsert(e)
    }

    fn apply_upsert(&mut self, e: Enterprise) -> Result<Regrade, InputError> {
        let before: Vec<Graded> = self.results.clone();

        // Place the record, remembering how to undo it.
        let (i, old_row) = match self.index.get(&self.rows, &e.uscc) {
            Some(i) => (i, Some(std::mem::replace(&mut self.rows[i], e))),
            None => {
                let i = self.rows.len();
                self.rows.push(e);
                let _ = self.index.insert(&self.rows, i);
                self.elig.push(Eligibility {
                    status: Status::Excluded,
                    lessor: None,
                    new_opt_in: false,
                    lessees: false,
                });
                self.results.push(Graded {
                    status: Status::Excluded,
                    ..Graded::default()
                });
                self.special.push(Special::default());
                (i, None)
            }
        };
        let old_lessor_text = old_row.as_ref().and_then(|r| r.lessor_uscc.clone());
        let new_lessor_text = self.rows[i].lessor_uscc.clone();
        if old_lessor_text != new_lessor_text {
            if let Some(l) = &old_lessor_text {
                if let Some(v) = self.named_by.get_mut(l) {
                    v.retain(|&x| x != i);
                }
            }
            if let Some(l) = &new_lessor_text {
                self.named_by.entry(l.clone()).or_default().push(i);
            }
        }

        // Rows whose eligibility may change: this one, those naming it, its lessees.
        let mut touched: FxHashSet<usize> = FxHashSet::default();
        touched.insert(i);
        if let Some(v) = self.named_by.get(&self.rows[i].uscc) {
            touched.extend(v.iter().copied());
        }
        let mut new_elig = Vec::new();
        for &k in &touched {
            match self.eligibility(k) {
                Ok(el) => new_elig.push((k, el)),
                Err(err) => {
                    self.undo_upsert(i, old_row, old_lessor_text, new_lessor_text);
                    return Err(err);
                }
            }
        }
        let mut lessors: FxHashSet<usize> = FxHashSet::default();
        for &(k, el) in &new_elig {
            if let Some(l) = self.elig[k].lessor {
                lessors.insert(l);
            }
            if let Some(l) = el.lessor {
                lessors.insert(l);
            }
            self.elig[k] = el;
        }
        if self.lessees.contains_key(&i) || !lessors.is_empty() {
            lessors.insert(i);
        }
        for &l in &lessors {
            let list: Vec<usize> = self
                .named_by
                .get(&self.rows[l].uscc)
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&k| self.elig[k].lessor == Some(l))
                        .collect()
                })
                .unwrap_or_default();
            if list.is_empty() {
                self.lessees.remove(&l);
            } else {
                self.lessees.insert(l, list);
            }
        }
        let direct: FxHashSet<usize> = touched.union(&lessors).copied().collect();
        for &k in &direct {
            self.elig[k].lessees = self.lessees.contains_key(&k);
            if self.elig[k].lessees {
                let eff = self.merged_inputs(k);
                self.merged.insert(k, eff);
            } else {
                self.merged.remove(&k);
            }
        }

        // City averages: when one moves, every score of that scale may move.
        let new_avg = self.city_averages();
        // A score depends on its scale's average only through the tax
        // bonus's "tax per mu above the city average": rows on the same side
        // of the old and the new average keep their scores.
        let mut rescore: FxHashSet<usize> = direct.clone();
        for s in [Scale::Above, Scale::Below] {
            let k = scale_index(s);
            let (old, new) = (self.avg[k], new_avg[k]);
            if new.map(f64::to_bits) != old.map(f64::to_bits) {
                let above = |avg: Option<f64>, tpm: f64| avg.is_some_and(|a| tpm > a);
                rescore.extend((0..self.rows.len()).filter(|&x| {
                    let r = &self.results[x];
                    r.status == Status::Graded
                        && r.cohort.is_some_and(|c| c.scale == s)
                        && r.tax_per_mu.is_some_and(|t| above(old, t) != above(new, t))
                }));
            }
        }
        self.avg = new_avg;
        let mut dirty: FxHashSet<CohortKey> = FxHashSet::default();
        for &k in &rescore {
            let (old_cohort, old_score) = (self.results[k].cohort, self.results[k].score);
            self.score_row(k);
            let r = &self.results[k];
            if direct.contains(&k) || r.score != old_score || r.cohort != old_cohort {
                dirty.extend(old_cohort);
                dirty.extend(r.cohort);
            }
        }
        let mut seen: FxHashSet<usize> = rescore;
        for key in dirty {
            if let Some(m) = self.members.get(&key) {
                seen.extend(m.iter().copied());
            }
            self.rank_cohort(key);
        }

        let mut out = Regrade::default();
        let mut seen: Vec<usize> = seen.into_iter().collect();
        seen.sort_unstable();
        for k in seen {
            let r = &self.results[k];
            let was = before.get(k).copied();
            // A row whose own inputs changed is reported even when its
            // grade did not move: its breakdown may have (at a cap, the
            // indicator value moves and the points stay).
            if was.as_ref() != Some(r) || direct.contains(&k) {
                out.changed.push(k);
                if !direct.contains(&k) && was.is_some_and(|w| w.same_but_rank(r)) {
                    out.ranks_only.push(k);
                }
                let before_class = was.and_then(|w| w.class);
                if before_class != r.class {
                    out.class_changes.push(ClassChange {
                        index: k,
                        uscc: self.rows[k].uscc.clone(),
                        before: before_class,
                        after: r.class,
                    });
                }
            }
        }
        Ok(out)
    }

    fn undo_upsert(
        &mut self,
        i: usize,
        old_row: Option<Enterprise>,
        old_l: Option<String>,
        new_l: Option<String>,
    ) {
        if old_l != new_l {
            if let Some(l) = &new_l {
                if let Some(v) = self.named_by.get_mut(l) {
                    v.retain(|&x| x != i);
                }
            }
            if let Some(l) = &old_l {
                self.named_by.entry(l.clone()).or_default().push(i);
            }
        }
        match old_row {
            Some(r) => self.rows[i] = r,
            None => {
                if let Some(last) = self.rows.last().map(|r| r.uscc.clone()) {
                    self.index.remove(&self.rows, &last);
                }
                self.rows.pop();
                self.elig.pop();
                self.results.pop();
                self.special.pop();
            }
        }
    }
}
