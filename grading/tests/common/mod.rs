#![allow(dead_code)]
use grading::{synth, Enterprise, Industry, Scale};

/// A plain, established enterprise with every input present.
pub fn above(n: u64, industry: Industry) -> Enterprise {
    Enterprise {
        uscc: synth::uscc_for(grading::County::Nanhu, n),
        name: format!("测试企业{n}"),
        industry,
        scale: Scale::Above,
        year: 2020,
        land_mu: Some(50.0),
        tax_wan: Some(500.0),
        revenue_wan: Some(10000.0),
        value_added_wan: Some(2000.0),
        rnd_wan: Some(200.0),
        energy_tce: Some(1000.0),
        emission_t: Some(5.0),
        employees: Some(100.0),
        years_in_production: Some(10.0),
        years_since_upgrade: Some(5.0),
        ..Enterprise::default()
    }
}

pub fn below(n: u64, land: f64, tax: f64) -> Enterprise {
    Enterprise {
        uscc: synth::uscc_for(grading::County::Xiuzhou, n),
        name: format!("规下企业{n}"),
        county: grading::County::Xiuzhou,
        scale: Scale::Below,
        year: 2020,
        land_mu: Some(land),
        tax_wan: Some(tax),
        revenue_wan: Some(tax * 10.0),
        years_in_production: Some(10.0),
        ..Enterprise::default()
    }
}
