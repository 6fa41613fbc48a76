#!/usr/bin/env bash
# Three server processes on one PostgreSQL database behind nginx (Debian's,
# round robin, no sticky sessions), all on loopback: the cross-process
# checks of server/examples/scaleout.rs against the processes directly,
# then the crowd of scripts/load.sh through the proxy, then `server check`.
# Usage: bash scripts/scaleout.sh [USERS] [SECONDS]   (after `bash
# scripts/build.sh`). BUILD=DIR takes the server and the two client
# programs from DIR and DIR/examples (scripts/test.sh: the debug ones its
# test run built) instead of building them in release, which rebuilds half
# the tree with the test features.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
. scripts/slow_writes.sh
. scripts/pg.sh
USERS=${1:-200}
SECS=${2:-60}
W=$(mktemp -d /tmp/muyi-scale.XXXXXX)
chmod 755 "$W"
PIDS=()
cleanup() {
  [ ! -f "$W/nginx.pid" ] || kill "$(cat "$W/nginx.pid")" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pg_stop
  rm -rf "$W"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

BIN=${BUILD:-}
if [ -z "$BIN" ]; then
  cargo build -q --release -p server --bin server --example load --example scaleout
  BIN=target/release
fi
LOADGEN=$BIN/examples
B=$BIN/server
pg_database muyi_scale
# DEMO="" seeds the full demo city (26,000 enterprises); the default is
# the small one the browser tests use.
DEMO=${DEMO---above 600 --below 2000}
# shellcheck disable=SC2086
$B --database "$DB" seed --demo $DEMO >/dev/null

BASES=()
UPSTREAM=""
for n in 1 2 3; do
  PORT=$(free_port)
  # Loopback is the trusted proxy (nginx, and the checks' own clients).
  MUYI_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn \
    $B --database "$DB" serve --addr "127.0.0.1:$PORT" --site-root target/site >"$W/server$n.log" 2>&1 &
  PIDS+=($!)
  BASES+=("http://127.0.0.1:$PORT")
  UPSTREAM="$UPSTREAM    server 127.0.0.1:$PORT;
"
done
for n in 1 2 3; do
  for _ in $(seq 1 300); do grep -q '^listening on' "$W/server$n.log" && break; sleep 0.1; done
  grep -q '^listening on' "$W/server$n.log" || { cat "$W/server$n.log"; exit 1; }
done

PROXY_PORT=$(free_port)
USER_LINE=""
[ "$(id -u)" -ne 0 ] || USER_LINE="user root;"
cat >"$W/nginx.conf" <<CONF
$USER_LINE
worker_processes 2;
pid $W/nginx.pid;
error_log $W/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $W/body;
  proxy_temp_path $W/proxy;
  fastcgi_temp_path $W/fastcgi;
  uwsgi_temp_path $W/uwsgi;
  scgi_temp_path $W/scgi;
  client_max_body_size 64m;
  upstream muyi {
$UPSTREAM    keepalive 64;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://muyi;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_read_timeout 300s;
    }
  }
}
CONF
/usr/sbin/nginx -p "$W" -c "$W/nginx.conf"
PROXY="http://127.0.0.1:$PROXY_PORT"
for _ in $(seq 1 50); do curl -fsS "$PROXY/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "three processes at ${BASES[*]} behind nginx at $PROXY, PostgreSQL"

STATUS=0
"$LOADGEN/scaleout" "${BASES[@]}" "$DB" || STATUS=$?
if [ $STATUS -eq 0 ]; then
  "$LOADGEN/load" "$PROXY" "$DB" "$USERS" "$SECS" || STATUS=$?
fi
slow_writes "$W"/server?.log
for n in 1 2 3; do
  if grep -qE "ERROR|panicked" "$W/server$n.log"; then
    echo "server $n log:"; grep -E "ERROR|panicked" "$W/server$n.log" | head -20
  fi
done
$B --database "$DB" check || STATUS=$?
exit $STATUS
