//! Generates the `i18n` module from `locales/*.json` (leptos_i18n's build-time codegen).
use leptos_i18n_build::{Config, TranslationsInfos};
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n");
    // Chinese first; English available.
    let cfg = Config::new("zh")
        .and_then(|c| c.add_locale("en"))
        .expect("locale names are valid");
    let infos = TranslationsInfos::parse(cfg).expect("locales parse");
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos
        .generate_i18n_module(out)
        .expect("i18n module generated");
}
