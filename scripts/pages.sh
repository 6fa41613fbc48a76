#!/usr/bin/env bash
# The time a signed-in page takes to render on the server (SSR HTML with its
# data), with wrk on loopback: the full demo city on SQLite, one connection
# per page after a warming request, then four connections on the county
# list (docs/performance.md, "Pages"). Needs a release build and `wrk`
# (apt-get install wrk). Usage: bash scripts/pages.sh [DURATION] [SERVER]
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-5s}
B=${2:-target/release/server}
W=$(mktemp -d /tmp/muyi-pages.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
ADDR=127.0.0.1:3411
$B --database "sqlite://$W/muyi.db?mode=rwc" seed --demo >/dev/null
$B --database "sqlite://$W/muyi.db?mode=rwc" serve --addr $ADDR --site-root target/site >"$W/log" 2>&1 &
for _ in $(seq 1 100); do grep -q '^listening on' "$W/log" && break; sleep 0.1; done
cookie() {
  curl -s -c "$W/jar.$1" -H 'Accept: application/json' -d "username=$1&password=muyi2020" "http://$ADDR/api/login" >/dev/null
  echo "muyi_session=$(awk '/muyi_session/ {print $7}' "$W/jar.$1")"
}
page() { # USER PATH [CONNECTIONS]
  local c
  c=$(cookie "$1")
  curl -s -o /dev/null -H "Cookie: $c" "http://$ADDR$2"
  printf '%-8s %-40s ' "$1" "$2"
  wrk -t"${3:-1}" -c"${3:-1}" -d"$D" --latency -H "Cookie: $c" "http://$ADDR$2" |
    awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
         END {printf "%9s req/s  p50 %8s  p99 %8s%s\n", r, p50, p99, bad ? "  non-2xx " bad : ""}'
}
page nanhu /enterprises
page nanhu '/enterprises?page=40&sort=score_asc'
page admin /enterprises
page admin '/enterprises?q=%E7%A7%91%E6%8A%80'
page admin /overview
page admin /targets
page admin /measures
page qiye1 /portal
page nanhu /enterprises 4
