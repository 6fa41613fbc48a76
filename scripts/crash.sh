#!/usr/bin/env bash
# Pulling the plug (docs/reliability.md): the release server killed with
# SIGKILL in the middle of a save and of an import's commit, ROUNDS times
# each at random moments; after every restart each change is wholly there
# or wholly absent and the stored results equal a full regrade.
# Usage: bash scripts/crash.sh [--pg] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
PG=""
if [ "${1:-}" = "--pg" ]; then PG=1; shift; fi
ROUNDS=${1:-20}
W=$(mktemp -d /tmp/muyi-crash.XXXXXX)
cleanup() { [ -z "$PG" ] || pg_stop; rm -rf "$W"; }
trap cleanup EXIT
if [ -n "$PG" ]; then
  . scripts/pg.sh; pg_database muyi_crash
else
  DB="sqlite://$W/muyi.db?mode=rwc"
fi
cargo build -q --release -p server --bin server --example crash
target/release/server --database "$DB" seed --demo >/dev/null
target/release/examples/crash target/release/server "$DB" "$ROUNDS"
