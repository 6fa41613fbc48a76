#!/usr/bin/env bash
# The release site: the WASM front end (target/site, target/release/hash.txt)
# and the server (target/release/server), built side by side.
#
# `cargo leptos build --release` builds them one after the other when the
# pkg/ files carry hashes (hash-files), so one of the two cores idles through
# the front end's single-codegen-unit LTO and its wasm-bindgen/wasm-opt
# stage. The server does not depend on the front end (it reads hash.txt when
# it starts), so the two builds run at once here (docs/performance.md,
# "Set-up").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
cargo leptos build --release --frontend-only &
front=$!
server=0
cargo leptos build --release --server-only || server=$?
front_rc=0
wait "$front" || front_rc=$?
if [ "$server" -ne 0 ] || [ "$front_rc" -ne 0 ]; then
  echo "build failed (server: $server, front end: $front_rc)" >&2
  exit 1
fi
