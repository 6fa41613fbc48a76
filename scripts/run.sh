#!/usr/bin/env bash
# The README's first command: set up, build, and start 亩均 on SQLite
# (data/muyi.db) with the demo city, on 127.0.0.1:3000 (override: --addr).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p target
# The release server needs only cargo: its build (the longest step) starts
# now and runs beside the tools' installation; scripts/build.sh then waits
# for it while the front end builds.
if command -v cargo >/dev/null; then
  # In a session of its own, so that its process group (cargo and the
  # rustc processes it started) can be stopped as one.
  setsid cargo build --release -p server --bin server > target/server-build-early.log 2>&1 &
  early=$!
  # Should a later step fail, the build does not outlive this script.
  trap 'kill -- "-$early" 2>/dev/null || true' EXIT
fi
scripts/setup.sh
scripts/build.sh
exec target/release/server serve --demo-if-empty "$@"
