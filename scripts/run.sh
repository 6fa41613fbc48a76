#!/usr/bin/env bash
# The README's first command: set up, build, and start 亩均 on SQLite
# (data/muyi.db) with the demo city, on 127.0.0.1:3000 (override: --addr).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
scripts/build.sh
exec target/release/server serve --demo-if-empty "$@"
