//! Special rules 2–5 (section 7): what they do to a base class, and why.

use crate::input::Enterprise;
use crate::reason::{Reason, Reasons};
use crate::ruleset::Ruleset;
use crate::score::Effective;
use crate::types::{Class, Scale};

/// What special rules 2–5 (section 7) will do to an enterprise, whatever
/// its base class: worked out once per row in the scoring pass, so ranking
/// a cohort needs only its sorted scores and these four small facts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Special {
    up: Option<Reason>,
    down: Option<Reason>,
    /// Never D (rule ② flags, or a new enterprise that opted in).
    floor: bool,
    forced: Option<Reason>,
}

impl Special {
    pub fn of(
        rs: &Ruleset,
        e: &Enterprise,
        eff: &Effective,
        tax_per_mu: Option<f64>,
        new_opt_in: bool,
    ) -> Special {
        let sp = &rs.special;
        let up = if e.key_enterprise() {
            Some(Reason::UpgradeKeyEnterprise)
        } else if tax_per_mu.is_some_and(|t| t > sp.upgrade_tax_per_mu) {
            Some(Reason::UpgradeTaxPerMu)
        } else {
            None
        };
        let land = e.land_mu;
        let below_unprotected = e.scale == Scale::Below && !e.protected();
        let down = if below_unprotected
            && land.is_some_and(|l| l >= sp.land_downgrade_mu && l < sp.land_forced_d_mu)
        {
            Some(Reason::DowngradeLand)
        } else if eff.general_accidents == sp.downgrade_general_accidents
            || eff.safety_penalties >= sp.downgrade_safety_penalties
        {
            Some(Reason::DowngradeSafety)
        } else {
            None
        };
        let forced = if e.zero_revenue_tax_years >= sp.zombie_years && land.is_some_and(|l| l > 0.0)
        {
            Some(Reason::ForcedDZombie)
        } else if below_unprotected && land.is_some_and(|l| l >= sp.land_forced_d_mu) {
            Some(Reason::ForcedDLand)
        } else if eff.larger_accidents >= sp.forced_d_larger_accidents
            || eff.general_accidents >= sp.forced_d_general_accidents
        {
            Some(Reason::ForcedDSafety)
        } else if eff.major_env_incident {
            Some(Reason::ForcedDEnvironment)
        } else if eff.severe_dishonesty {
            Some(Reason::ForcedDDishonesty)
        } else {
            None
        };
        Special {
            up,
            down,
            floor: e.not_d_flag() || new_opt_in,
            forced,
        }
    }

    /// The final class from a base class, with the reasons in the order applied.
    pub fn apply(&self, base: Class) -> (Class, Reasons) {
        let mut class = base;
        let mut reasons = Reasons::default();
        if let Some(r) = self.up {
            if class != Class::A {
                class = class.up();
                reasons.push(r);
            }
        }
        if let Some(r) = self.down {
            if class != Class::D {
                class = class.down();
                reasons.push(r);
            }
        }
        if class == Class::D && self.floor {
            class = Class::C;
            reasons.push(Reason::FloorNotD);
        }
        if let Some(r) = self.forced {
            class = Class::D;
            reasons.push(r);
        }
        (class, reasons)
    }
}

/// Applies special rules 2–5 (section 7) to a base class.
pub fn apply_special_rules(
    rs: &Ruleset,
    e: &Enterprise,
    eff: &Effective,
    tax_per_mu: Option<f64>,
    new_opt_in: bool,
    base: Class,
) -> (Class, Vec<Reason>) {
    let (class, reasons) = Special::of(rs, e, eff, tax_per_mu, new_opt_in).apply(base);
    (class, reasons.to_vec())
}
