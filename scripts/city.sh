#!/usr/bin/env bash
# A city ten times larger (#23 item 4) on PostgreSQL: ABOVE above-size and
# BELOW below-size enterprises a year over three years (2019, 2020, and
# 2021 in data collection), then every figure docs/performance.md records
# for it: seeding, a full regrade, the workspace list, publishing a
# version, the public search, the annual counts (server/examples/city.rs),
# a 40,000-row import through `server import`, `server check`, and the
# size of the tables.
# Usage: bash scripts/city.sh [ABOVE BELOW]   (default 60000 200000)
# Needs what `bash scripts/test.sh` installs (PostgreSQL, /usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
. scripts/pg.sh
ABOVE=${1:-60000}
BELOW=${2:-200000}
W=$(mktemp -d /tmp/muyi-city.XXXXXX)
cleanup() { pg_stop; rm -rf "$W"; }
trap cleanup EXIT
cargo build -q --release -p server --bin server --example city
B=target/release/server
pg_database muyi_city

# label, then a command: wall time and peak memory.
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/out" 2>&1 || { cat "$W/out"; exit 1; }
  awk -v l="$label" '{ printf "%-48s %9.1f s   peak %5.0f MB\n", l, $1, $2 / 1024 }' "$W/time"
}

echo "PostgreSQL, $ABOVE above-size and $BELOW below-size enterprises a year"
timed "seeding 2019, 2020, 2021 (collecting), accounts" $B --database "$DB" seed --demo --above "$ABOVE" --below "$BELOW" --collecting
target/release/examples/city "$DB" "$W" workspace
ROWS=$(($(wc -l <"$W/tax40k.csv") - 1))
timed "server import, $ROWS changed rows of 2020" $B --database "$DB" import "$W/tax40k.csv" --as-system bench
target/release/examples/city "$DB" "$W" public
timed "server check (audit trail; each year regraded)" $B --database "$DB" check
psql "$DB" -qAt -c "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class WHERE relname IN ('records', 'grade_results', 'audit_log', 'disclosure_rows') ORDER BY pg_total_relation_size(oid) DESC" | sed 's/|/ /; s/^/table /'
psql "$DB" -qAt -c "SELECT 'records per year: ' || string_agg(year || ' ' || n, ', ' ORDER BY year) FROM (SELECT year, count(*) n FROM records GROUP BY year) t"
