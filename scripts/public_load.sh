#!/usr/bin/env bash
# Throughput of the public list page against a bare axum handler serving the
# same bytes (docs/performance.md), with wrk on loopback: 64 connections,
# 10 s each, one after the other. Needs a release build and `wrk`
# (apt-get install wrk). Usage: bash scripts/public_load.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
D=${1:-10s}
W=$(mktemp -d /tmp/muyi-load.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
B=target/release/server
$B --database "sqlite://$W/muyi.db?mode=rwc" seed --demo >/dev/null
$B --database "sqlite://$W/muyi.db?mode=rwc" serve --addr 127.0.0.1:3401 --site-root target/site >"$W/log" 2>&1 &
for _ in $(seq 1 100); do grep -q '^listening on' "$W/log" && break; sleep 0.1; done
PAGE=/disclosure/2020
curl -s -o "$W/page.html" "http://127.0.0.1:3401$PAGE"
echo "page: $PAGE, $(stat -c %s "$W/page.html") bytes"
cargo build -q --release -p server --example bare
target/release/examples/bare "$W/page.html" 127.0.0.1:3402 >/dev/null &
sleep 0.5
echo "== muyi $PAGE"
wrk -t2 -c64 -d"$D" --latency "http://127.0.0.1:3401$PAGE" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
echo "== bare axum, same bytes"
wrk -t2 -c64 -d"$D" --latency "http://127.0.0.1:3402$PAGE" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
