#!/usr/bin/env bash
# The file pipeline's figures (docs/performance.md), in one run beside the
# reference they are measured against:
#   1. a plain pass of the `csv` crate over a 200,000-row file (the
#      reference) and `server grade` on it: best of 3, wall time and peak
#      memory;
#   2. `server import` of 40,000 new rows into an empty database (records,
#      audit trail, grading, results): best of 3;
#   3. `server import` of the 200,000 rows, and the same file through a
#      running server as the browser does it (upload and check, commit, the
#      progress bar's status every 250 ms), with the server's peak memory.
# Usage: bash scripts/pipeline.sh [--pg]   (--pg: imports on PostgreSQL)
# Needs what `bash scripts/test.sh` installs (PostgreSQL, /usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
PG=""
if [ "${1:-}" = "--pg" ]; then PG=1; . scripts/pg.sh; pg_start >/dev/null; fi
W=$(mktemp -d /tmp/muyi-pipeline.XXXXXX)
cleanup() { kill $(jobs -p) 2>/dev/null || true; [ -z "$PG" ] || pg_stop; rm -rf "$W"; }
trap cleanup EXIT
cargo build -q --release -p server --bin server --example pipeline
B=target/release/server
P=target/release/examples/pipeline
$P gen "$W/city.csv" 200000 2>/dev/null
$P gen "$W/new40k.csv" 40000 7 2>/dev/null
echo "files: $(du -h "$W/city.csv" | cut -f1) (200,000 rows), $(du -h "$W/new40k.csv" | cut -f1) (40,000 rows)"

# A fresh, migrated database in $DB.
N=0
fresh() {
  N=$((N + 1))
  if [ -n "$PG" ]; then
    psql "$MUYI_TEST_PG/postgres" -qc "CREATE DATABASE bench$N"
    DB="$MUYI_TEST_PG/bench$N"
  else
    rm -f "$W"/i.db*
    DB="sqlite://$W/i.db?mode=rwc"
  fi
  $B --database "$DB" migrate >/dev/null 2>&1
}

# label, then a command: best of 3 (wall seconds, and the peak memory of
# that run); a fresh database before each run when the label says import.
best() {
  local label=$1; shift
  local out=""
  for _ in 1 2 3; do
    case "$label" in *import*) fresh ;; esac
    /usr/bin/time -f "%e %M" -o "$W/time" "${@//@DB@/${DB:-}}" >/dev/null 2>&1
    out+="$(cat "$W/time")"$'\n'
  done
  echo "$out" | grep . | sort -n | head -1 | awk -v l="$label" '{ printf "%-44s %6.2f s  %5.0f MB\n", l, $1, $2 / 1024 }'
}

echo "--- grading a file (no database)"
best "reference: csv crate, every field read" $P reference "$W/city.csv"
best "server grade, 200,000 rows" $B grade --input "$W/city.csv" --output "$W/out.csv"
echo "--- importing ($([ -n "$PG" ] && echo PostgreSQL || echo SQLite))"
best "server import, 40,000 new rows" $B --database @DB@ import "$W/new40k.csv" --as-system bench
fresh
/usr/bin/time -f "%e %M" -o "$W/time" $B --database "$DB" import "$W/city.csv" --as-system bench >/dev/null 2>&1
awk '{ printf "%-44s %6.2f s  %5.0f MB\n", "server import, 200,000 new rows", $1, $2 / 1024 }' "$W/time"

echo "--- 200,000 rows through the server, as the browser imports them"
fresh
MUYI_PASSWORD=bench-pass-2026 $B --database "$DB" user add --username bench --role city_admin >/dev/null
RUST_LOG=warn $B --database "$DB" serve --addr 127.0.0.1:0 --site-root target/site >"$W/log" 2>&1 &
SERVER=$!
for _ in $(seq 1 200); do grep -q '^listening on' "$W/log" && break; sleep 0.1; done
BASE=$(sed -n 's/^listening on //p' "$W/log")
$P progress "$BASE" bench bench-pass-2026 "$W/city.csv"
echo "server peak memory: $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' /proc/$SERVER/status)"
kill $SERVER
