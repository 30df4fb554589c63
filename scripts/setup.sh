#!/usr/bin/env bash
# Installs what building, serving and testing Outage Drill needs, and skips what is already
# there with the right version. Safe to run again and again.
#
#   scripts/setup.sh            run it
#   . scripts/setup.sh          the other scripts source it: it also exports PATH (with the
#                               project-local wasm-opt) and the browser-test settings
#
# Everything comes from the package registries this project may use: crates.io (Trunk,
# wasm-bindgen-cli, wasm-split-cli, crates), npm (binaryen's wasm-opt, Playwright, axe-core) and Debian
# (chromium, chromium-driver). Nothing is downloaded from anywhere else.
#
# Prerequisites: rustup with a stable toolchain (cargo, rustc), and apt-get (as root, or sudo)
# for whatever Debian package is missing (python3, nodejs, npm, chromium, chromium-driver).
# Node.js must be 20 or newer: Debian 13's is; Debian 12's (18) is not.

# Sourced: the caller's shell options stay as they were; executed: strict mode.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
fi

OUTAGE_DRILL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OUTAGE_DRILL_ROOT

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
NODE_MAJOR_MIN=20

_say() { printf 'setup: %s\n' "$*"; }
_die() {
  printf 'setup: error: %s\n' "$*" >&2
  return 1
}

# Runs a command as root: directly when root, else through sudo.
_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    _die "need root for: $* (run as root or install sudo)"
  fi
}

# The exact wasm-bindgen version Cargo.lock resolves (the CLI must equal it).
_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$OUTAGE_DRILL_ROOT/Cargo.lock"
}

_setup_rust() {
  command -v cargo >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1 ||
    _die "cargo and rustup are needed (a stable Rust toolchain through rustup)" || return 1
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    _say "skip: Rust target wasm32-unknown-unknown is installed"
  else
    _say "install: Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown || return 1
  fi
  local component
  for component in rustfmt clippy; do
    if rustup component list --installed | grep -q "^$component"; then
      _say "skip: rustup component $component is installed"
    else
      _say "install: rustup component $component"
      rustup component add "$component" || return 1
    fi
  done
}

_setup_trunk() {
  local have=""
  command -v trunk >/dev/null 2>&1 && have="$(trunk --version 2>/dev/null | awk '{print $2}')"
  if [[ "$have" == "$TRUNK_VERSION" ]]; then
    _say "skip: trunk $TRUNK_VERSION is installed"
  else
    _say "install: trunk $TRUNK_VERSION (found: ${have:-none}); builds from source, ~9 min on 2 cores"
    cargo install trunk --version "$TRUNK_VERSION" --locked || return 1
  fi
}

_setup_wasm_bindgen() {
  local want have=""
  want="$(_wasm_bindgen_version)"
  [[ -n "$want" ]] || _die "no wasm-bindgen in Cargo.lock" || return 1
  if command -v wasm-bindgen >/dev/null 2>&1 && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    have="$(wasm-bindgen --version | awk '{print $2}')"
  fi
  if [[ "$have" == "$want" ]]; then
    _say "skip: wasm-bindgen-cli $want is installed (matches Cargo.lock)"
  else
    _say "install: wasm-bindgen-cli $want to match Cargo.lock (found: ${have:-none}); ~5 min"
    # Without --locked: the crate's own lock file names a version the registry does not serve.
    cargo install wasm-bindgen-cli --version "$want" --force || return 1
  fi
}

# wasm-split-cli (crate wasm_split_cli_support): scripts/post_build.py splits the page's wasm
# into the page's part and its lazy views' chunks with it (see src/lazy.rs).
WASM_SPLIT_VERSION="0.2.4"
_setup_wasm_split() {
  local have=""
  if command -v wasm-split-cli >/dev/null 2>&1; then
    have="$(cargo install --list | awk '/^wasm_split_cli_support v/ { sub(/^v/, "", $2); sub(/:$/, "", $2); print $2 }')"
  fi
  if [[ "$have" == "$WASM_SPLIT_VERSION" ]]; then
    _say "skip: wasm-split-cli $WASM_SPLIT_VERSION is installed"
  else
    _say "install: wasm-split-cli $WASM_SPLIT_VERSION (crate wasm_split_cli_support, found: ${have:-none}); ~3 min on 2 idle cores"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked || return 1
  fi
}

_setup_chromium() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    _say "skip: chromium and chromedriver are installed"
  else
    _say "install: chromium chromium-driver (Debian packages)"
    _as_root apt-get update -q || return 1
    DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -q chromium chromium-driver || return 1
  fi
}

# Debian packages the scripts run on (python3 serves dist/ for the end-to-end tests).
_setup_debian_tools() {
  local missing=()
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
  fi
  if ((${#missing[@]} == 0)); then
    _say "skip: python3, node and npm are installed"
    return 0
  fi
  _say "install: ${missing[*]} (Debian packages)"
  _as_root apt-get update -q || return 1
  DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -q "${missing[@]}" || return 1
}

_setup_node_packages() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= NODE_MAJOR_MIN)) ||
    _die "Node.js >= $NODE_MAJOR_MIN is needed by Playwright 1.65; found $(node --version) (Debian 12's nodejs is 18: install a newer Node.js first)" ||
    return 1

  local dir="$OUTAGE_DRILL_ROOT/e2e" stamp want
  stamp="$dir/node_modules/.outage-drill-setup"
  want="$(sha256sum "$dir/package-lock.json" | awk '{print $1}')"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    _say "skip: e2e npm packages are installed (package-lock.json unchanged)"
  else
    _say "install: e2e npm packages (npm ci from e2e/package-lock.json)"
    # Playwright drives Debian's chromium: never let it download a browser of its own.
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) || return 1
    printf '%s\n' "$want" >"$stamp"
  fi
}

_check_wasm_opt() {
  local have
  have="$(wasm-opt --version 2>/dev/null || true)"
  [[ "$have" == *"version $BINARYEN_VERSION"* ]] ||
    _die "wasm-opt on PATH is '${have:-missing}', expected binaryen $BINARYEN_VERSION from e2e/node_modules" ||
    return 1
  _say "ok: $(command -v wasm-opt) ($have)"
}

_setup_crates() {
  # Trunk builds with --offline (Trunk.toml), so crates must be in the local registry first.
  _say "fetch: crates in Cargo.lock (no-op when cached)"
  (cd "$OUTAGE_DRILL_ROOT" && cargo fetch --quiet) || return 1
}

# The environment every script runs with.
_export_env() {
  case ":$PATH:" in
    *":$OUTAGE_DRILL_ROOT/e2e/node_modules/.bin:"*) ;;
    *) PATH="$OUTAGE_DRILL_ROOT/e2e/node_modules/.bin:$PATH" ;;
  esac
  case ":$PATH:" in
    *":$HOME/.cargo/bin:"*) ;;
    *) PATH="$HOME/.cargo/bin:$PATH" ;;
  esac
  export PATH
  # Browser tests (wasm-bindgen-test-runner): Debian's chromedriver, patient with a cold
  # Chromium on a small machine. Capabilities (the chromium binary, flags) are in webdriver.json.
  export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
  export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-60}"
  export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
  # End-to-end tests: the same Debian chromium.
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  # Trunk would ask crates.io for a newer Trunk on every start.
  export TRUNK_SKIP_VERSION_CHECK=true
}

outage_drill_setup() {
  _export_env
  # A script called by another (test.sh runs build.sh) need not check everything again.
  if [[ "${OUTAGE_DRILL_SETUP_DONE:-}" == "$OUTAGE_DRILL_ROOT" ]]; then
    return 0
  fi
  _say "project: $OUTAGE_DRILL_ROOT"
  _setup_rust &&
    _setup_debian_tools &&
    _setup_node_packages &&
    _check_wasm_opt &&
    _setup_chromium &&
    _setup_wasm_bindgen &&
    _setup_trunk &&
    _setup_wasm_split &&
    _setup_crates &&
    _say "ready" &&
    export OUTAGE_DRILL_SETUP_DONE="$OUTAGE_DRILL_ROOT"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  outage_drill_setup
else
  outage_drill_setup || return 1
fi
