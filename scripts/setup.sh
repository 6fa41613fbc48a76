#!/usr/bin/env bash
# Installs what 亩均 needs to build and run — only what is missing, so it is
# cheap to run again. Everything comes from crates.io, npm or Debian.
#   scripts/setup.sh          build tools (wasm target, the front end's tool, npm packages)
#   scripts/setup.sh --test   also what the tests need (wasm-bindgen's test runner,
#                             Chromium, PostgreSQL, Playwright)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
APT_UPDATED=""
apt_install() {
  [ -n "$APT_UPDATED" ] || { $SUDO apt-get update -qq; APT_UPDATED=1; }
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { echo "Rust (rustup) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || apt_install nodejs npm

rustup target list --installed | grep -qx wasm32-unknown-unknown || { log "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }

# The front end is built without cargo-leptos (scripts/front.sh) by our
# own tool, tools/split: it cuts the module at the areas (wasm-split's
# library) and writes its JS glue (wasm-bindgen's library, of exactly the
# version in Cargo.lock). From its own lock; compiled without optimisation
# or debug information, which builds several times faster (it runs for
# seconds in a build). Reinstalled when its sources change.
WBG=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
grep -q "^wasm-bindgen-cli-support = \"=$WBG\"" tools/split/Cargo.toml || {
  echo "Cargo.lock has wasm-bindgen $WBG but tools/split/Cargo.toml pins another wasm-bindgen-cli-support:" >&2
  echo "set it to =$WBG." >&2
  exit 1
}
SPLIT_STAMP=$(cat tools/split/Cargo.toml tools/split/Cargo.lock tools/split/src/*.rs | sha256sum | cut -c1-16)
if [ "$(cat target/split-tool/stamp 2>/dev/null || true)" != "$SPLIT_STAMP" ] || ! command -v muyi-split >/dev/null; then
  log "cargo install --path tools/split"
  CARGO_PROFILE_DEV_DEBUG=0 cargo install --debug --locked --force --path tools/split --target-dir target/split-tool
  echo "$SPLIT_STAMP" > target/split-tool/stamp
fi

# Tailwind's CLI, wasm-opt (binaryen 132; Debian's 108 breaks hydration) and
# terser (the JS glue's minifier).
if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/terser ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install`, not `npm ci`: the lock holds only the Linux builds of
  # Tailwind's optional native package (the registry reached here serves no
  # others), which `npm ci` rejects as out of sync. With a lock present,
  # `npm install` installs exactly the locked versions.
  log "npm install (locked versions)"
  npm install --no-fund --no-audit --loglevel=error
fi

if [ "${1:-}" = "--test" ]; then
  # wasm-bindgen-cli for its test runner, under which the engine's parity
  # test runs in WASM (scripts/test.sh); not --locked: a dependency locked
  # upstream is missing from the registry.
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG" ]; then
    log "cargo install wasm-bindgen-cli $WBG"
    CARGO_PROFILE_DEV_DEBUG=0 cargo install --debug wasm-bindgen-cli --version "$WBG"
  fi
  command -v chromium >/dev/null || apt_install chromium chromium-driver
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  command -v psql >/dev/null || apt_install postgresql-client
  # The round-robin proxy in front of three server processes (scripts/scaleout.sh).
  [ -x /usr/sbin/nginx ] || apt_install nginx-light || apt_install nginx
  # Wall time and peak memory for scripts/pipeline.sh's figures.
  [ -x /usr/bin/time ] || apt_install time
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "npm ci (end2end, no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-fund --no-audit --loglevel=error)
  fi
fi
