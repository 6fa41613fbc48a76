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
# The tools and the front end take what the server's build leaves of the
# cores (`nice`): the server is the longest chain by far (19 min alone on
# 2 cores against the front end's 5), and its dependencies' builds, which
# the front end's used to share the cores with, are what its `app` crate
# waits for; the front end then fills the time the server's last crates
# leave a core idle (docs/performance.md, "Set-up").
nice -n 19 scripts/setup.sh
nice -n 19 scripts/build.sh
exec target/release/server serve --demo-if-empty "$@"
