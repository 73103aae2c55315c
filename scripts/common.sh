# Shared by scripts/run, scripts/test and scripts/size: toolchain set-up that installs only
# what is missing, and the environment every build uses. Source it; do not run it.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Builds outlive the clone: CI clones afresh each run, and a persistent target directory
# keeps repeat builds incremental. Override with CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/genius365/target}"
mkdir -p "$CARGO_TARGET_DIR"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

CARGO_LEPTOS_VERSION="0.3.10"
# The formatter of `view!` macros (leptosfmt.toml); scripts/test checks with it.
LEPTOSFMT_VERSION="0.1.33"

step() { printf '\n==> %s\n' "$*"; }

# The shared build directory keeps every clone's test binaries (each path hashes
# differently) and incremental caches; left alone it fills the disk. Forget what no
# build has touched for two days: at worst that costs one slower rebuild.
prune_build_cache() {
  local debug="$CARGO_TARGET_DIR/debug"
  [ -d "$debug" ] || return 0
  # Test binaries are rebuilt by every run anyway; incremental caches of other clones are
  # never read again. Both grow by gigabytes per clone.
  find "$debug/deps" -maxdepth 1 -type f -executable -size +20M -mmin +180 -delete 2>/dev/null || true
  find "$debug/incremental" -mindepth 1 -maxdepth 1 -type d -mmin +180 -exec rm -rf {} + 2>/dev/null || true
}

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes about 25 minutes once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  local wb
  wb="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb"; then
    step "installing wasm-bindgen-cli $wb (the version Cargo.lock pins)"
    cargo install wasm-bindgen-cli --version "$wb"
  fi
  if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] \
    || [ ! -x node_modules/.bin/playwright ] || [ ! -x node_modules/.bin/esbuild ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm packages (Tailwind, wasm-opt, esbuild, the call SDKs, Playwright)"
    # Not `npm ci`: npm 11 records other platforms' optional Tailwind binaries without
    # versions when the registry lacks them, and `npm ci` then refuses its own lock file.
    # `install --no-save` follows the lock and leaves it untouched.
    npm install --no-save --no-audit --no-fund
  fi
}

# Bundles the browser call module (frontend/js/web-calls.js with VAPI's web SDK and
# LiveKit's client), the agent page's script that drives it (test-call.js), the agent
# form's script (agent-form.js), the tabs' (tabs.js) and the campaign list upload's
# (campaign-list.js) into public/js, which cargo-leptos
# copies into the site.
# Only when a source or the locked packages are newer than the bundle.
build_web_calls() {
  local out=public/js/web-calls.js
  if [ ! -f "$out" ] || [ ! -f public/js/test-call.js ] || [ ! -f public/js/agent-form.js ] \
    || [ ! -f public/js/tabs.js ] || [ ! -f public/js/agent-sync.js ] \
    || [ ! -f public/js/campaign-list.js ] || [ ! -f public/js/brand-preview.js ] \
    || [ -n "$(find frontend/js -newer "$out")" ] \
    || [ package-lock.json -nt "$out" ]; then
    step "bundling the browser call module (esbuild)"
    rm -rf public/js
    npm run -s web-calls
  fi
}

ensure_test_tools() {
  if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    step "installing leptosfmt $LEPTOSFMT_VERSION (a few minutes, once)"
    cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
  fi
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Chromium for the end-to-end tests"
    apt_install chromium
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    step "installing PostgreSQL for the integration tests"
    apt_install postgresql
  fi
}

# A loopback port nothing listens on now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The newest installed PostgreSQL's bin directory.
pg_bin() {
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1
}

# Starts a throw-away PostgreSQL on a free loopback port (stopped and deleted on exit) and
# sets PG_URL to its address. Tests run it without durability (fsync off); `durable`
# keeps PostgreSQL's defaults, for measuring.
start_temp_pg() {
  local tuning="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${1:-}" = durable ] && tuning=""
  PG_BIN="$(pg_bin)"
  PG_DIR="$(mktemp -d /tmp/genius365-pg.XXXXXX)"
  PG_PORT="$(free_port)"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  trap stop_pg EXIT
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR $tuning -c max_connections=300" \
    start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_pg() {
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}

# Builds the release site (split, precompressed as it is served) and opens every page of
# the router cold in Chromium, printing what each fetched before it was interactive and
# failing when a page is over its goal or the largest over its cap
# (end2end/tests/weight.spec.ts). The site replaces the debug one in target/site.
weigh_pages() {
  step "building the release site"
  cargo leptos build --release --split --precompress --cargo-locked >/dev/null
  cargo build --locked -p simulators
  step "first load of every page (release, Chromium, empty cache)"
  E2E_WEIGH=1 E2E_SERVER="$CARGO_TARGET_DIR/release/server" \
    E2E_SIMULATORS="$CARGO_TARGET_DIR/debug/simulators" \
    npx playwright test --config end2end/playwright.config.ts
}
