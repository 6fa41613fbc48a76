#!/usr/bin/env bash
# The release site: the WASM front end (target/site, target/release/hash.txt)
# and the server (target/release/server), built side by side.
#
# The server needs nothing from the front end (it reads hash.txt when it
# starts; `server::application` names the site itself), so it builds beside
# the front end's single-codegen-unit LTO and its single-threaded
# wasm-bindgen/wasm-opt stage, which leave a core free; `scripts/run.sh`
# starts it before the tools are even installed (docs/performance.md,
# "Set-up"). The front end: scripts/front.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
mkdir -p target
cargo build --release -p server --bin server > target/server-build.log 2>&1 &
server=$!
front=0
bash scripts/front.sh || front=$?
server_rc=0
wait "$server" || server_rc=$?
if [ "$server_rc" -ne 0 ]; then
  cat target/server-build.log >&2
fi
if [ "$server_rc" -ne 0 ] || [ "$front" -ne 0 ]; then
  echo "build failed (server: $server_rc, front end: $front)" >&2
  exit 1
fi
grep -E '^\s+Finished' target/server-build.log || true
