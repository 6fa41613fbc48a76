//! `muyi-split INPUT.wasm OUT_DIR NAME DIGEST`: splits the front end's
//! module at its `#[lazy]` functions (one per area, `app::areas`) with
//! wasm-split's library, as `cargo leptos build --split` does, and names
//! every file after DIGEST so that browsers may keep them for a year:
//!
//! * `OUT_DIR/NAME.wasm`: the main module, for wasm-bindgen next; it
//!   imports the loader as `./__wasm_split.DIGEST.js`;
//! * `OUT_DIR/__wasm_split.DIGEST.js`: the loader, importing the glue as
//!   `./NAME.DIGEST.js`;
//! * `OUT_DIR/<chunk>.DIGEST.wasm`: the chunks;
//! * `OUT_DIR/__wasm_split_manifest.DIGEST.json`: which chunks each area
//!   needs, from which the server writes preload links for the page it
//!   renders (Leptos' `HydrationScripts`).
//!
//! wasm-split's own command line names the loader and chunks without a
//! digest and writes no manifest, hence this driver.
//!
//! `muyi-split --bindgen INPUT.wasm OUT_DIR NAME`: wasm-bindgen's JS glue
//! for the main module, as `wasm-bindgen --target web --no-typescript
//! --keep-lld-exports --no-demangle --out-name NAME` (through its library,
//! `wasm-bindgen-cli-support`, so that a set-up need not build the CLI).

use std::collections::HashMap;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args == ["--version"] {
        // scripts/front.sh checks the tool is installed; the files' digest
        // takes this package's lock and sources (the libraries' versions).
        println!("muyi-split {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    if let [flag, input, out_dir, name] = args.as_slice() {
        if flag == "--bindgen" {
            if let Err(e) = bindgen(Path::new(input), Path::new(out_dir), name) {
                eprintln!("muyi-split --bindgen: {e:#}");
                std::process::exit(1);
            }
            return;
        }
    }
    let [input, out_dir, name, digest] = args.as_slice() else {
        eprintln!(
            "usage: muyi-split INPUT.wasm OUT_DIR NAME DIGEST\n       muyi-split --bindgen INPUT.wasm OUT_DIR NAME"
        );
        std::process::exit(2);
    };
    if let Err(e) = run(Path::new(input), Path::new(out_dir), name, digest) {
        eprintln!("muyi-split: {e:#}");
        std::process::exit(1);
    }
}

fn bindgen(input: &Path, out_dir: &Path, name: &str) -> Result<(), Box<dyn std::error::Error>> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(input)
        .web(true)?
        .typescript(false)
        .keep_lld_exports(true)
        .demangle(false)
        .omit_default_module_path(false)
        .out_name(name)
        .generate(out_dir)
        .map_err(|e| format!("{e:#}"))?;
    Ok(())
}

fn run(
    input: &Path,
    out_dir: &Path,
    name: &str,
    digest: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let wasm = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    std::fs::create_dir_all(out_dir)?;
    let main_out = out_dir.join(format!("{name}.wasm"));
    let link_name = format!("./__wasm_split.{digest}.js");
    let main_module = format!("./{name}.{digest}.js");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = out_dir;
    opts.main_out_path = &main_out;
    opts.link_name = &link_name;
    opts.main_module = &main_module;
    opts.target.web();
    let split = wasm_split_cli_support::transform(opts).map_err(|e| format!("{e:#}"))?;

    // Each chunk takes the digest into its name; the loader names them
    // in string literals ("./chunk_3.wasm").
    let loader_path = out_dir.join(&link_name[2..]);
    let mut loader = std::fs::read_to_string(&loader_path)?;
    let mut renamed: HashMap<String, String> = HashMap::new();
    for path in &split.split_modules {
        let stem = stem(path)?;
        let new_stem = format!("{stem}.{digest}");
        let old_ref = format!("\"./{stem}.wasm\"");
        if !loader.contains(&old_ref) {
            return Err(format!("the loader does not name {stem}.wasm").into());
        }
        loader = loader.replace(&old_ref, &format!("\"./{new_stem}.wasm\""));
        std::fs::rename(path, out_dir.join(format!("{new_stem}.wasm")))?;
        renamed.insert(stem, new_stem);
    }
    std::fs::write(&loader_path, loader)?;

    let manifest: HashMap<String, Vec<String>> = split
        .prefetch_map
        .into_iter()
        .map(|(split_point, files)| {
            let files = files
                .into_iter()
                .map(|f| renamed.get(&f).cloned().ok_or(f))
                .collect::<Result<Vec<_>, _>>();
            files.map(|f| (split_point, f))
        })
        .collect::<Result<_, _>>()
        .map_err(|f| format!("the manifest names {f}, which is not a chunk"))?;
    std::fs::write(
        out_dir.join(format!("__wasm_split_manifest.{digest}.json")),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    println!(
        "{} chunks for {} split points",
        renamed.len(),
        manifest.len()
    );
    Ok(())
}

fn stem(path: &Path) -> Result<String, String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_string)
        .ok_or_else(|| format!("odd chunk path {}", path.display()))
}
