#!/usr/bin/env bash
# A crowd on one server (docs/reliability.md): USERS simulated users for
# SECONDS on loopback against a release build over the full demo city —
# citizens, county officials saving, department clerks importing,
# enterprises — then every acknowledged write is looked for in the database
# and its audit log, and `server check` compares the stored results with a
# full regrade. Usage: bash scripts/load.sh [--pg] [USERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
. scripts/slow_writes.sh
PG=""
if [ "${1:-}" = "--pg" ]; then PG=1; shift; fi
USERS=${1:-200}
SECS=${2:-60}
W=$(mktemp -d /tmp/muyi-load.XXXXXX)
cleanup() { kill $(jobs -p) 2>/dev/null || true; [ -z "$PG" ] || pg_stop; rm -rf "$W"; }
trap cleanup EXIT
if [ -n "$PG" ]; then
  . scripts/pg.sh; pg_database muyi_load
else
  DB="sqlite://$W/muyi.db?mode=rwc"
fi
cargo build -q --release -p server --bin server --example load
B=target/release/server
$B --database "$DB" seed --demo >/dev/null
# Loopback stands in for a reverse proxy: each simulated user comes from an
# address of its own (X-Forwarded-For), as the public crowd does.
MUYI_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn \
  $B --database "$DB" serve --addr 127.0.0.1:0 --site-root target/site >"$W/log" 2>&1 &
for _ in $(seq 1 200); do grep -q '^listening on' "$W/log" && break; sleep 0.1; done
BASE=$(sed -n 's/^listening on //p' "$W/log")
echo "server at $BASE on $([ -n "$PG" ] && echo PostgreSQL || echo SQLite)"
STATUS=0
target/release/examples/load "$BASE" "$DB" "$USERS" "$SECS" || STATUS=$?
kill %1 2>/dev/null || true; wait 2>/dev/null || true
slow_writes "$W/log"
if grep -qE "ERROR|panicked" "$W/log"; then echo "server log:"; grep -E "ERROR|panicked" "$W/log" | head -20; fi
$B --database "$DB" check
exit $STATUS
