#!/usr/bin/env bash
# The release front end, built with plain cargo and the tools from npm:
#   target/site/pkg/muyi.<digest>.{js,wasm}, the areas' chunks
#   (<chunk>.<digest>.wasm), their loader (__wasm_split.<digest>.js) and
#   manifest, muyi.<hash>.css, target/site/favicon.svg, and
#   target/release/hash.txt (the names, which the server reads beside its
#   binary when it starts).
#
# This is what `cargo leptos build --release --frontend-only --split` did,
# without cargo-leptos: its own build (about 18 minutes of a core, ~500
# crates) was the largest piece of a fresh machine's set-up
# (docs/performance.md, "Set-up"). The steps and their options are
# cargo-leptos 0.3.10's: the `frontend` crate for wasm32 in the
# `wasm-release` profile (target/front, as before, so earlier builds are
# reused; .cargo/config.toml keeps its relocations), split at the areas'
# `#[lazy]` functions and wasm-bindgen `--target web` (tools/split, over
# wasm-split's and wasm-bindgen's libraries), binaryen 132 (npm) at -O1 over every module (scripts/wasm-opt.mjs), the
# JS minified (npm's terser where cargo-leptos used swc), Tailwind's CLI
# minified.
#
# Names: the main module, its glue and the loader import one another by
# name, so they and the chunks share one digest, of the module cargo built,
# our tool's lock and sources and npm's tools' versions (the same input
# gives the same files); the CSS
# has its own. Browsers may keep them all for a year.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

NAME=muyi
SITE=target/site
PKG=$SITE/pkg
STAGE=target/front/stage
WASM=target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm

step() { printf '   \033[1;32m%s\033[0m %s\n' "front end" "$*"; }
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started )) s"; }

cargo build --package frontend --lib --target wasm32-unknown-unknown \
  --profile wasm-release --target-dir target/front
step "WASM compiled ($(elapsed))"

rm -rf "$STAGE"
mkdir -p "$STAGE/split"
DIGEST=$({ cat "$WASM" scripts/front.sh scripts/wasm-opt.mjs tools/split/Cargo.lock tools/split/src/*.rs; wasm-opt --version; terser --version; } \
  | sha256sum | cut -c1-22)
muyi-split "$WASM" "$STAGE/split" "$NAME" "$DIGEST"
step "split at the areas ($(elapsed))"
# wasm-bindgen's glue, through its library in the same tool (`--target web
# --no-typescript --keep-lld-exports --no-demangle`).
muyi-split --bindgen "$STAGE/split/$NAME.wasm" "$STAGE" "$NAME"
rm "$STAGE/split/$NAME.wasm"
# Leptos' hydration script asks for <name>.<digest>.wasm, not wasm-bindgen's <name>_bg.wasm.
mv "$STAGE/${NAME}_bg.wasm" "$STAGE/split/$NAME.$DIGEST.wasm"
step "wasm-bindgen done ($(elapsed))"
# Every module optimised (npm's binaryen, in one process: scripts/wasm-opt.mjs).
node scripts/wasm-opt.mjs "$STAGE"/split/*.wasm
step "wasm-opt done ($(elapsed))"
# The glue and the loader minified, as cargo-leptos' swc did (65 KB to 29 KB raw).
terser "$STAGE/$NAME.js" --module --compress --mangle --output "$STAGE/split/$NAME.$DIGEST.js"
terser "$STAGE/split/__wasm_split.$DIGEST.js" --module --compress --mangle \
  --output "$STAGE/split/__wasm_split.$DIGEST.min.js"
mv "$STAGE/split/__wasm_split.$DIGEST.min.js" "$STAGE/split/__wasm_split.$DIGEST.js"
tailwindcss --input style/tailwind.css --output "$STAGE/$NAME.css" --minify 2>"$STAGE/tailwind.log" \
  || { cat "$STAGE/tailwind.log" >&2; exit 1; }
[ -s "$STAGE/$NAME.css" ] || { echo "Tailwind wrote no CSS" >&2; exit 1; }
CSS_DIGEST=$(sha256sum "$STAGE/$NAME.css" | cut -c1-22)

# pkg/ holds this build's files only (nothing of an earlier build or tool),
# and hash.txt names them in the form Leptos' hydration scripts read.
rm -rf "$PKG"
mkdir -p "$PKG"
cp "$STAGE"/split/* "$PKG/"
cp "$STAGE/$NAME.css" "$PKG/$NAME.$CSS_DIGEST.css"
cp -r public/. "$SITE/"
# Each file also brotli- and gzip-compressed, as hard as they go, for the
# server to send as it is (scripts/compress.mjs).
node scripts/compress.mjs "$PKG"/*.js "$PKG"/*.wasm "$PKG"/*.css "$PKG"/*.json
mkdir -p target/release
printf 'js: %s\nwasm: %s\ncss: %s\nsplit: %s\nmanifest: %s\n' \
  "$DIGEST" "$DIGEST" "$CSS_DIGEST" "$DIGEST" "$DIGEST" > target/release/hash.txt
step "site written to $SITE ($(elapsed)):"
for ext in js wasm css; do
  f=$(ls "$PKG/$NAME".*."$ext")
  printf '     %s  %s B, %s B brotli\n' "$f" "$(stat -c %s "$f")" "$(stat -c %s "$f.br")"
done
chunks=$(ls "$PKG"/*.wasm | grep -vc "/$NAME\.")
printf '     %s chunks of the areas, %s B brotli in all\n' "$chunks" \
  "$(ls "$PKG"/*.wasm.br | grep -v "/$NAME\." | xargs cat | wc -c)"
