#!/usr/bin/env bash
# The release front end, built with plain cargo and the tools from npm:
#   target/site/pkg/muyi.<hash>.{js,wasm,css}, target/site/favicon.svg,
#   target/release/hash.txt (the hashes, which the server reads beside its
#   binary when it starts).
#
# This is what `cargo leptos build --release --frontend-only` did, without
# cargo-leptos: its own build (about 18 minutes of a core, ~500 crates) was
# the largest piece of a fresh machine's set-up (docs/performance.md,
# "Set-up"). The steps and their options are cargo-leptos 0.3.10's:
# the `frontend` crate for wasm32 in the `wasm-release` profile (target/front,
# as before, so earlier builds are reused), wasm-bindgen `--target web`,
# wasm-opt -Oz (npm's binaryen 132), the JS glue minified (npm's terser
# where cargo-leptos used swc), Tailwind's CLI minified, then each file
# named after a digest of its content so browsers may keep it for a year.
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
mkdir -p "$STAGE"
wasm-bindgen --target web --no-typescript --out-name "$NAME" --out-dir "$STAGE" "$WASM"
# Leptos' hydration script asks for <name>.wasm, not wasm-bindgen's <name>_bg.wasm.
mv "$STAGE/${NAME}_bg.wasm" "$STAGE/$NAME.wasm"
step "wasm-bindgen done ($(elapsed))"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$STAGE/$NAME.wasm" -o "$STAGE/$NAME.wasm"
step "wasm-opt done ($(elapsed))"
# The glue module minified, as cargo-leptos' swc did (65 KB to 29 KB raw).
terser "$STAGE/$NAME.js" --module --compress --mangle --output "$STAGE/$NAME.min.js"
mv "$STAGE/$NAME.min.js" "$STAGE/$NAME.js"
tailwindcss --input style/tailwind.css --output "$STAGE/$NAME.css" --minify 2>"$STAGE/tailwind.log" \
  || { cat "$STAGE/tailwind.log" >&2; exit 1; }
[ -s "$STAGE/$NAME.css" ] || { echo "Tailwind wrote no CSS" >&2; exit 1; }

# Content digests in the names (the first 22 hex digits of a SHA-256), and
# hash.txt in the form Leptos' hydration scripts read.
hashes=""
# pkg/ holds this build's files only (nothing of an earlier build or tool).
rm -rf "$PKG"
mkdir -p "$PKG"
for ext in js wasm css; do
  digest=$(sha256sum "$STAGE/$NAME.$ext" | cut -c1-22)
  cp "$STAGE/$NAME.$ext" "$PKG/$NAME.$digest.$ext"
  hashes+="$ext: $digest"$'\n'
done
cp -r public/. "$SITE/"
mkdir -p target/release
printf '%s' "$hashes" > target/release/hash.txt
step "site written to $SITE ($(elapsed)):"
for ext in js wasm css; do
  f=$(ls "$PKG/$NAME".*."$ext")
  printf '     %s  %s B, %s B gzip\n' "$f" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
