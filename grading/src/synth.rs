//! A deterministic, plausible synthetic city: the demo data, the benchmark
//! input and the property tests' raw material. Pure (its own PRNG), so the
//! same seed gives the same city natively and in WASM.

use crate::input::Enterprise;
use crate::types::{County, Industry, Scale, Talent, Tier};
use crate::uscc::{Uscc, CHARSET};

/// SplitMix64: tiny, fast, and identical everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A skewed positive amount: a product of uniforms stretched around `median`.
    /// (No `ln`/`exp`: those are not guaranteed bit-identical across targets.)
    pub fn skewed(&mut self, median: f64) -> f64 {
        let u = self.unit() + 0.05;
        let v = self.unit() + 0.05;
        median * (u / v) * (u / v)
    }

    /// A milder skew: `median` times a ratio between about 0.23 and 4.3.
    pub fn moderate(&mut self, median: f64) -> f64 {
        let u = self.unit() + 0.3;
        let v = self.unit() + 0.3;
        median * (u / v)
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Rounds to `d` decimals through text, so the value is what an official
/// would have typed (and survives export/import unchanged).
fn typed(x: f64, d: usize) -> f64 {
    format!("{x:.d$}").parse().unwrap_or(0.0)
}

/// County administrative-division codes used in the USCC (positions 3–8).
fn division(c: County) -> &'static str {
    match c {
        County::Nanhu => "330402",
        County::Xiuzhou => "330411",
        County::Jiashan => "330421",
        County::Pinghu => "330482",
        County::Haiyan => "330424",
        County::Haining => "330481",
        County::Tongxiang => "330483",
        County::EconomicDevZone => "330401",
        County::PortZone => "330482",
    }
}

/// A valid USCC for the `n`-th synthetic enterprise of a county.
pub fn uscc_for(county: County, n: u64) -> String {
    let cs: Vec<char> = CHARSET.chars().collect();
    let mut body = String::from("91");
    body.push_str(division(county));
    let mut x = n.wrapping_mul(2_654_435_761) ^ (county as u64) << 40;
    for _ in 0..9 {
        body.push(cs[(x % 31) as usize]);
        x /= 31;
    }
    Uscc::complete(&body)
        .map(|u| u.as_str().to_string())
        .unwrap_or(body)
}

const NAMES_A: &[&str] = &[
    "嘉", "禾", "南", "秀", "善", "平", "海", "盐", "宁", "桐", "乡", "湖", "港", "欣", "华", "恒",
    "瑞", "鑫", "达", "通", "润", "博", "新", "昌", "东", "远", "宏", "盛",
];
const NAMES_B: &[&str] = &[
    "科技",
    "实业",
    "纺织",
    "化工",
    "机械",
    "电子",
    "新材料",
    "服饰",
    "皮革",
    "家具",
    "食品",
    "精密",
    "智能",
    "印染",
    "化纤",
    "光电",
];

fn name(rng: &mut Rng, industry: Industry) -> String {
    let a = rng.pick(NAMES_A);
    let b = rng.pick(NAMES_A);
    let c = rng.pick(NAMES_B);
    let suffix = if industry == Industry::Other {
        ""
    } else {
        industry.zh()
    };
    format!("嘉兴{a}{b}{c}{suffix}有限公司")
}

/// Industry mix of Jiaxing's manufacturing (textiles and chemicals weigh in).
fn industry(rng: &mut Rng) -> Industry {
    let r = rng.below(1000);
    match r {
        0..=59 => Industry::Dyeing,
        60..=119 => Industry::Chemical,
        120..=169 => Industry::ChemicalFiber,
        170..=329 => Industry::Textile,
        330..=419 => Industry::Apparel,
        420..=479 => Industry::Leather,
        480..=529 => Industry::Furniture,
        530..=569 => Industry::AgriFood,
        570..=579 => Industry::Power,
        580..=583 => Industry::Gas,
        584..=587 => Industry::Water,
        588..=589 => Industry::WasteIncineration,
        590..=593 => Industry::Sewage,
        _ => Industry::Other,
    }
}

/// One synthetic city for `year`: `above` above-size and `below` below-size
/// enterprises, deterministic in `seed`.
pub fn city(seed: u64, year: i32, above: usize, below: usize) -> Vec<Enterprise> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(above + below);
    let mut serial = 0u64;
    for k in 0..(above + below) {
        let scale = if k < above {
            Scale::Above
        } else {
            Scale::Below
        };
        let county = rng.pick(County::ALL);
        serial += 1;
        let mut e = enterprise(&mut rng, county, scale, year, serial);
        // Some below-size enterprises rent from another below-size one.
        if scale == Scale::Below && k > above + 10 && rng.chance(0.03) {
            let lessor_index = above + rng.below((k - above) as u64) as usize;
            let lessor = &out[lessor_index];
            let lessor: &Enterprise = lessor;
            if lessor.lessor_uscc.is_none() && lessor.scale == Scale::Below {
                e.lessor_uscc = Some(lessor.uscc.clone());
                e.land_mu = Some(0.0);
            }
        }
        out.push(e);
    }
    out
}

fn enterprise(rng: &mut Rng, county: County, scale: Scale, year: i32, serial: u64) -> Enterprise {
    let industry = industry(rng);
    let above = scale == Scale::Above;
    let land = if above {
        rng.skewed(40.0)
    } else {
        rng.moderate(5.0)
    };
    let land = typed(land.clamp(0.5, 2000.0), 2);
    let tax_per_mu = if above {
        rng.skewed(25.0)
    } else if rng.chance(0.04) {
        rng.moderate(30.0)
    } else {
        rng.moderate(4.0)
    };
    let mut tax = typed(land * tax_per_mu, 2);
    let revenue = typed(tax * (8.0 + 30.0 * rng.unit()), 2);
    let value_added = typed(revenue * (0.12 + 0.2 * rng.unit()), 2);
    if rng.chance(0.01) {
        tax = -typed(rng.skewed(20.0), 2); // refunds exceed payments
    }
    let mut e = Enterprise {
        uscc: uscc_for(county, serial),
        name: name(rng, industry),
        county,
        industry,
        scale,
        year,
        land_mu: Some(land),
        tax_wan: Some(tax),
        revenue_wan: Some(revenue),
        value_added_wan: Some(value_added),
        rnd_wan: Some(typed(revenue * 0.04 * rng.unit() * rng.unit() * 2.0, 2)),
        energy_tce: Some(typed(value_added / (0.5 + 4.0 * rng.unit()), 1)),
        emission_t: Some(typed(value_added / (200.0 + 1200.0 * rng.unit()), 3)),
        no_emission: false,
        employees: Some((value_added / (10.0 + 50.0 * rng.unit())).max(3.0).floor()),
        years_in_production: Some(typed(0.5 + 25.0 * rng.unit(), 1)),
        years_since_upgrade: if above {
            Some(typed(0.5 + 12.0 * rng.unit(), 1))
        } else {
            None
        },
        ..Enterprise::default()
    };
    if above && rng.chance(0.04) {
        e.no_emission = true;
        e.emission_t = None;
    }
    // Messy records: a missing value here and there.
    if rng.chance(0.02) {
        match rng.below(4) {
            0 => e.energy_tce = None,
            1 => e.employees = None,
            2 => e.value_added_wan = None,
            _ => e.rnd_wan = None,
        }
    }
    e.re_upgraded = above && rng.chance(0.02);
    e.opt_in = rng.chance(0.3);
    e.zero_revenue_tax_years = if rng.chance(0.01) {
        2 + rng.below(2) as u32
    } else {
        0
    };
    if e.zero_revenue_tax_years >= 2 {
        e.tax_wan = Some(0.0);
        e.revenue_wan = Some(0.0);
    }
    e.chain_head = above && rng.chance(0.01);
    e.national_rnd_center = above && rng.chance(0.01);
    e.listed = above && rng.chance(0.015);
    e.high_tech_valid = rng.chance(if above { 0.15 } else { 0.03 });
    e.tech_sme = rng.chance(0.05);
    e.key_supporting = rng.chance(0.01);
    e.single_champion = above && rng.chance(0.005);
    e.hidden_champion = rng.chance(0.005);
    e.livelihood_key = rng.chance(0.005);
    e.emergency_key = rng.chance(0.003);
    e.military = rng.chance(0.002);
    e.time_honored = rng.chance(0.002);
    e.general_accidents = if rng.chance(0.01) {
        1 + rng.below(2) as u32
    } else {
        0
    };
    e.larger_accidents = u32::from(rng.chance(0.001));
    e.safety_penalties = if rng.chance(0.02) {
        1 + rng.below(3) as u32
    } else {
        0
    };
    e.major_env_incident = rng.chance(0.002);
    e.severe_dishonesty = rng.chance(0.003);
    e.talent = if rng.chance(0.05) {
        rng.pick(&[
            Talent::Academician,
            Talent::National,
            Talent::Provincial,
            Talent::Municipal,
            Talent::Municipal,
        ])
    } else {
        Talent::None
    };
    e.postdoc = if above && rng.chance(0.02) {
        rng.pick(&[Tier::National, Tier::Provincial, Tier::Provincial])
    } else {
        Tier::None
    };
    e.rnd_institution = if rng.chance(0.05) {
        rng.pick(&[Tier::National, Tier::Provincial, Tier::Provincial])
    } else {
        Tier::None
    };
    e.high_tech_recent = rng.chance(0.04);
    e.quality_exposure = rng.chance(0.003);
    e.industry_leader = above && rng.chance(0.01);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_usccs_are_valid_and_unique() {
        let c = city(7, 2020, 300, 700);
        let mut seen = std::collections::HashSet::new();
        for e in &c {
            assert!(Uscc::parse(&e.uscc).is_ok(), "{}", e.uscc);
            assert!(seen.insert(e.uscc.clone()), "duplicate {}", e.uscc);
        }
        assert_eq!(city(7, 2020, 300, 700), c, "same seed, same city");
    }
}
