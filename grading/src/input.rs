//! One enterprise's data for one year, as the engine sees it.

use crate::types::{County, Industry, Scale, Talent, Tier};
use serde::{Deserialize, Serialize};

/// Every field of the interchange format (`data-format.md`), already
/// validated. Numbers are `f64` parsed from the typed decimal text (Rust's
/// parser is correctly rounded on every target, so native and WASM agree);
/// `None` means missing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Enterprise {
    pub uscc: String,
    pub name: String,
    pub county: County,
    pub industry: Industry,
    pub scale: Scale,
    pub year: i32,
    pub land_mu: Option<f64>,
    pub tax_wan: Option<f64>,
    pub revenue_wan: Option<f64>,
    pub value_added_wan: Option<f64>,
    pub rnd_wan: Option<f64>,
    pub energy_tce: Option<f64>,
    pub emission_t: Option<f64>,
    pub no_emission: bool,
    pub employees: Option<f64>,
    pub years_in_production: Option<f64>,
    pub years_since_upgrade: Option<f64>,
    pub re_upgraded: bool,
    pub opt_in: bool,
    pub lessor_uscc: Option<String>,
    pub zero_revenue_tax_years: u32,
    pub chain_head: bool,
    pub national_rnd_center: bool,
    pub listed: bool,
    pub high_tech_valid: bool,
    pub tech_sme: bool,
    pub key_supporting: bool,
    pub single_champion: bool,
    pub hidden_champion: bool,
    pub livelihood_key: bool,
    pub emergency_key: bool,
    pub military: bool,
    pub time_honored: bool,
    pub general_accidents: u32,
    pub larger_accidents: u32,
    pub safety_penalties: u32,
    pub major_env_incident: bool,
    pub severe_dishonesty: bool,
    pub talent: Talent,
    pub postdoc: Tier,
    pub rnd_institution: Tier,
    pub high_tech_recent: bool,
    pub quality_exposure: bool,
    pub industry_leader: bool,
}

impl Enterprise {
    /// Rule ② upgrade flags (重点产业链头部、国家级研发中心、上市公司).
    pub fn key_enterprise(&self) -> bool {
        self.chain_head || self.national_rnd_center || self.listed
    }

    /// Rule ② not-D flags.
    pub fn not_d_flag(&self) -> bool {
        self.high_tech_valid
            || self.tech_sme
            || self.key_supporting
            || self.single_champion
            || self.hidden_champion
            || self.livelihood_key
            || self.emergency_key
            || self.military
            || self.time_honored
    }

    /// "Protected" in rules ⑥: any enterprise named by rule ②.
    pub fn protected(&self) -> bool {
        self.key_enterprise() || self.not_d_flag()
    }

    /// New enterprise (①): under two years in production, or newly above-size
    /// and not re-upgraded. Missing years count as established.
    pub fn is_new(&self, years: f64) -> bool {
        let young = self.years_in_production.is_some_and(|y| y < years);
        let newly_above = self.scale == Scale::Above
            && !self.re_upgraded
            && self.years_since_upgrade.is_some_and(|y| y < years);
        young || newly_above
    }
}
