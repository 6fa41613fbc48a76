//! Grading a draft of one record before it is saved: the browser runs this
//! (compiled to WASM) on every keystroke, and the result is what the server
//! stores once the draft is saved, whenever the cohort's cut-off scores do
//! not move with it (the property test in `tests/preview.rs`).
//!
//! The server packs what the draft's grade depends on besides the draft
//! itself into a [`Context`] ([`Grader::preview_context`]): the ruleset, the
//! city's tax and land sums without this record's part (exact, so the
//! browser finishes the same sums the server would), the lessor it names
//! and the lessees that name it (rule ③), and every cohort's cut-offs.

use crate::cohort::{CohortCutoffs, CohortKey};
use crate::grade::{eligibility_rule, merge_lessees, scale_index, CitySums, Grader, LessorView};
use crate::input::Enterprise;
use crate::reason::Reason;
use crate::ruleset::Ruleset;
use crate::score::{score, Effective, Scored};
use crate::special::apply_special_rules;
use crate::types::{Class, Industry, Scale, Status};
use serde::{Deserialize, Serialize};

/// What a draft's grade depends on besides the draft.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Context {
    pub ruleset: Ruleset,
    /// The record previewed.
    pub uscc: String,
    /// Tax and land sums of every graded row other than this record, its
    /// lessees and its lessor.
    others: CitySums,
    /// The record its stored `lessor_uscc` names, if the year has it.
    pub lessor: Option<Lessor>,
    /// The rows naming this record as their lessor (excluded industries
    /// left out: they never merge).
    pub lessees: Vec<Lessee>,
    /// Every cohort's cut-off scores, to project a score on.
    pub cutoffs: Vec<(CohortKey, CohortCutoffs)>,
}

impl PartialEq for CitySums {
    fn eq(&self, other: &Self) -> bool {
        let bits = |s: &CitySums| s.averages().map(|a| a.map(f64::to_bits));
        bits(self) == bits(other)
    }
}

/// The lessor a record names, as far as the draft's grade needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lessor {
    pub uscc: String,
    pub scale: Scale,
    pub industry: Industry,
    pub names_lessor: bool,
    /// Set when the lessor is graded: what it adds to the city sums, which
    /// depends on whether this record is merged into it.
    pub term: Option<LessorTerm>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessorTerm {
    pub scale: Scale,
    pub land_mu: Option<f64>,
    pub own: Effective,
    /// Its lessees other than this record.
    pub other_lessees: Vec<Effective>,
}

/// A row naming the previewed record as its lessor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lessee {
    pub inputs: Effective,
    pub scale: Scale,
    pub land_mu: Option<f64>,
    /// Graded on its own should it not merge (not a new enterprise, or
    /// one that opted in).
    pub graded_alone: bool,
}

/// The draft's grade as the server would store it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub status: Status,
    pub cohort: Option<CohortKey>,
    /// Score with its breakdown (graded only).
    pub scored: Option<Scored>,
    /// Against the cohort's current cut-offs; None for a cohort that has
    /// none yet.
    pub base_class: Option<Class>,
    pub class: Option<Class>,
    pub reasons: Vec<Reason>,
    /// The city's tax per mu of above- and below-size enterprises with the
    /// draft saved (the tax bonus compares against its scale's).
    pub city_averages: [Option<f64>; 2],
    /// The draft names a lessor other than the stored one: whether they
    /// merge is known only once it is saved (graded here as if alone).
    pub lessor_unverified: bool,
}

/// A draft the rules cannot grade: the field and why (the server refuses
/// to save it with the same words).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftError {
    pub field: String,
    pub reason: crate::Words,
}

/// Grades `draft` (the record as typed, its USCC and year unchanged).
pub fn preview(ctx: &Context, draft: &Enterprise) -> Result<Preview, DraftError> {
    let rs = &ctx.ruleset;
    let err = |(field, reason): (&'static str, crate::Words)| DraftError {
        field: field.into(),
        reason,
    };
    let named = draft.lessor_uscc.as_deref();
    let lessor = ctx
        .lessor
        .as_ref()
        .filter(|l| Some(l.uscc.as_str()) == named);
    let view = lessor.map(|l| LessorView {
        uscc: &l.uscc,
        scale: l.scale,
        excluded: rs.is_excluded(l.industry),
        names_lessor: l.names_lessor,
    });
    let (status, new_opt_in) =
        eligibility_rule(rs, draft, rs.is_excluded(draft.industry), view).map_err(err)?;
    // Its lessees' view of it: they merge into a below-size lessor of a
    // graded industry, and none may name a lessor that is itself a lessee.
    if !ctx.lessees.is_empty() && draft.lessor_uscc.is_some() {
        return Err(err((
            "lessor_uscc",
            crate::Words::new(
                format!("出租方 {} 本身也是承租企业", draft.uscc),
                format!("the lessor {} is itself a lessee", draft.uscc),
            ),
        )));
    }
    let takes_lessees =
        !ctx.lessees.is_empty() && draft.scale == Scale::Below && !rs.is_excluded(draft.industry);
    let merged: Vec<Effective> = if takes_lessees {
        ctx.lessees.iter().map(|l| l.inputs).collect()
    } else {
        vec![]
    };
    let eff = merge_lessees(draft, &merged);

    // The city sums as the server will have them.
    let mut sums = ctx.others.clone();
    if status == Status::Graded {
        sums.add(draft.scale, eff.tax_wan, draft.land_mu, 1.0);
    }
    for l in ctx
        .lessees
        .iter()
        .filter(|l| !takes_lessees && l.graded_alone)
    {
        sums.add(l.scale, l.inputs.tax_wan, l.land_mu, 1.0);
    }
    if let Some(t) = ctx.lessor.as_ref().and_then(|l| l.term.as_ref()) {
        let mut lessees = t.other_lessees.clone();
        if status == Status::Merged {
            lessees.push(Effective::own(draft));
        }
        let lessor_eff = merge_lessees_of(t, &lessees);
        sums.add(t.scale, lessor_eff.tax_wan, t.land_mu, 1.0);
    }

    let mut out = Preview {
        status,
        cohort: None,
        scored: None,
        base_class: None,
        class: None,
        reasons: vec![],
        city_averages: sums.averages(),
        lessor_unverified: named.is_some() && lessor.is_none(),
    };
    if status != Status::Graded {
        return Ok(out);
    }
    let s = score(rs, draft, &eff, out.city_averages[scale_index(draft.scale)]);
    let cohort = CohortKey::of(rs, draft);
    let base = ctx
        .cutoffs
        .iter()
        .find(|(k, _)| *k == cohort)
        .map(|(_, c)| c.project(s.score));
    if let Some(b) = base {
        let (class, reasons) = apply_special_rules(rs, draft, &eff, s.tax_per_mu, new_opt_in, b);
        out.class = Some(class);
        out.reasons = reasons;
    }
    out.cohort = Some(cohort);
    out.base_class = base;
    out.scored = Some(s);
    Ok(out)
}

/// A lessor's inputs from its term (its own record is not at hand).
fn merge_lessees_of(t: &LessorTerm, lessees: &[Effective]) -> Effective {
    let e = Enterprise {
        tax_wan: t.own.tax_wan,
        revenue_wan: t.own.revenue_wan,
        general_accidents: t.own.general_accidents,
        larger_accidents: t.own.larger_accidents,
        safety_penalties: t.own.safety_penalties,
        major_env_incident: t.own.major_env_incident,
        severe_dishonesty: t.own.severe_dishonesty,
        ..Enterprise::default()
    };
    merge_lessees(&e, lessees)
}

impl Grader {
    /// What the browser needs to preview drafts of row `i`.
    pub fn preview_context(&self, i: usize) -> Context {
        let rs = self.ruleset();
        let rows = self.rows();
        let e = &rows[i];
        let lessor = e.lessor_uscc.as_ref().and_then(|l| self.position(l));
        let naming = self.rows_naming(&e.uscc);
        let mut others = CitySums::default();
        for (k, r) in rows.iter().enumerate() {
            if k == i || Some(k) == lessor || naming.contains(&k) {
                continue;
            }
            if self.results()[k].status == Status::Graded {
                others.add(r.scale, self.effective(k).tax_wan, r.land_mu, 1.0);
            }
        }
        let lessor = lessor.map(|j| {
            let l = &rows[j];
            let term = (self.results()[j].status == Status::Graded).then(|| LessorTerm {
                scale: l.scale,
                land_mu: l.land_mu,
                own: Effective::own(l),
                other_lessees: self
                    .lessees_of(j)
                    .iter()
                    .filter(|&&k| k != i)
                    .map(|&k| Effective::own(&rows[k]))
                    .collect(),
            });
            Lessor {
                uscc: l.uscc.clone(),
                scale: l.scale,
                industry: l.industry,
                names_lessor: l.lessor_uscc.is_some(),
                term,
            }
        });
        let lessees = naming
            .iter()
            .map(|&k| &rows[k])
            .filter(|r| !rs.is_excluded(r.industry))
            .map(|r| Lessee {
                inputs: Effective::own(r),
                scale: r.scale,
                land_mu: r.land_mu,
                graded_alone: !r.is_new(rs.special.new_enterprise_years) || r.opt_in,
            })
            .collect();
        let mut cutoffs: Vec<(CohortKey, CohortCutoffs)> = self
            .cutoffs()
            .iter()
            .map(|(k, c)| (*k, c.clone()))
            .collect();
        cutoffs.sort_by_key(|(k, _)| *k);
        Context {
            ruleset: rs.clone(),
            uscc: e.uscc.clone(),
            others,
            lessor,
            lessees,
            cutoffs,
        }
    }
}
