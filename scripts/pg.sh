# Sourced by scripts/test.sh: a throw-away PostgreSQL server on loopback.
#   pg_start  → exports MUYI_TEST_PG=postgres://postgres@127.0.0.1:PORT
#   pg_stop
pg_start() {
  PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  PG_DIR=$(mktemp -d /tmp/muyi-pg.XXXXXX)
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local as=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  export MUYI_TEST_PG="postgres://postgres@127.0.0.1:$PG_PORT"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

# A fresh database on a new throw-away server, for the load and crash
# scripts: sets DB to its URL.
pg_database() {
  pg_start
  psql "$MUYI_TEST_PG/postgres" -qc "CREATE DATABASE $1"
  DB="$MUYI_TEST_PG/$1"
}
