#!/usr/bin/env bash
# The README's second command: every test — engine (native and WASM),
# black-box server tests on SQLite and on a real PostgreSQL, the browser
# tests against the release front end, three processes behind nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
# The set-up leaves the checkout as it was (npm keeps the committed locks).
if git rev-parse --git-dir >/dev/null 2>&1; then
  git diff --quiet -- package-lock.json end2end/package-lock.json \
    || { echo "set-up changed a package lock:"; git diff --stat; exit 1; }
fi
. scripts/env.sh
. scripts/pg.sh
# A one-shot build gains nothing from incremental caches (gigabytes of them).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

SERVER_PID=""
FRONT_PID=""
E2E_DIR=""
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  [ -z "$FRONT_PID" ] || kill "$FRONT_PID" 2>/dev/null || true
  [ -z "$E2E_DIR" ] || rm -rf "$E2E_DIR"
  pg_stop
}
trap cleanup EXIT

# Each step says when it starts (seconds since the script began), so a
# run's log shows where its time went.
STARTED=$(date +%s)
step() { printf '\n\033[1;34m### %s\033[0m (at %s s)\n' "$*" "$(( $(date +%s) - STARTED ))"; }

step "format"
cargo fmt --all --check
# The front end's splitter is a package of its own (tools/split).
cargo fmt --check --manifest-path tools/split/Cargo.toml

step "build: the tests (native, debug) beside the front end (release WASM)"
# Two builds in two target directories (scripts/front.sh builds the front
# end in target/front): the WASM one ends in long single-threaded stages (one
# codegen unit, LTO, wasm-bindgen), which leave a core to the other. The
# tests below then run on an otherwise idle machine. The front end is the
# one that ships (release WASM, hashed pkg/ files); the browser tests run
# it against the debug server built here: the same code, whose release
# build alone would take longer than every test in this script
# (`scripts/run.sh` and docs/performance.md use the release server).
mkdir -p target
bash scripts/front.sh > target/front-build.log 2>&1 &
FRONT_PID=$!
cargo test --workspace --exclude frontend --no-run
wait "$FRONT_PID" || { cat target/front-build.log; exit 1; }
FRONT_PID=""
grep -E 'Finished|warning|error|front end' target/front-build.log || true

step "engine and server, SQLite"
cargo test --workspace --exclude frontend

step "engine in WASM (Node) = native"
# The dev profile builds the engine itself at opt-level 3 (Cargo.toml) and
# its few dependencies quickly; float semantics do not depend on either.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p grading --target wasm32-unknown-unknown --test parity

step "server on PostgreSQL"
# The same command as on SQLite: another package selection would resolve
# other features and rebuild half the tree; the engine's tests are quick.
pg_start
cargo test --workspace --exclude frontend
pg_stop
unset MUYI_TEST_PG

step "browser (Playwright + Debian's Chromium)"
# Leptos finds the hashed pkg/ names beside the server's binary.
cp target/release/hash.txt target/debug/hash.txt
E2E_DIR=$(mktemp -d /tmp/muyi-e2e.XXXXXX)
E2E_DB="sqlite://$E2E_DIR/muyi.db?mode=rwc"
target/debug/server --database "$E2E_DB" seed --demo --above 600 --below 2000 >/dev/null
target/debug/server --database "$E2E_DB" serve --addr 127.0.0.1:0 > "$E2E_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q '^listening on' "$E2E_DIR/server.log" && break; sleep 0.1; done
BASE_URL=$(sed -n 's/^listening on //p' "$E2E_DIR/server.log")
[ -n "$BASE_URL" ] || { cat "$E2E_DIR/server.log"; exit 1; }
(cd end2end && BASE_URL="$BASE_URL" npx playwright test)

step "three server processes behind nginx (PostgreSQL)"
kill "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
# The cross-process checks, then 200 users for 20 s through the proxy.
BUILD=target/debug bash scripts/scaleout.sh 200 20
step "done"
