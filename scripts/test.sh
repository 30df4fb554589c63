#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every test of Outage Drill, in order:
#   1. formatting      cargo fmt --check, both crates
#   2-3. clippy native outage-sim, then outage-drill and its worker: all targets, -D warnings
#   4. clippy wasm32   outage-drill and its worker, all targets, -D warnings
#   5. native tests    cargo test, whole workspace
#   6. browser tests   wasm-bindgen-test in headless Chromium (tests/*.rs)
#   7. release build   scripts/build.sh: dist/ and its gzip size
#   8. end-to-end      Playwright + headless Chromium against dist/ served from /drills/outage/
#                      by a plain static server; prints `N passed, N failed`
# Every step runs even when an earlier one failed (except end-to-end, which needs the build);
# the summary lists each with how long it took (setup included: on a fresh machine it installs
# the tools), and the exit status is non-zero if any failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started_at=$SECONDS
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"
setup_took=$((SECONDS - started_at))
cd "$root"

logs="$(mktemp -d "${TMPDIR:-/tmp}/outage-drill-test.XXXXXX")"
trap 'rm -rf "$logs"' EXIT
summary=()
failures=0

# "1m 05s" for 65 seconds.
duration() {
  printf '%dm %02ds' $(($1 / 60)) $(($1 % 60))
}
summary+=("PASS  0/8 setup (scripts/setup.sh: tools, npm packages, crates) [$(duration "$setup_took")]")

section() {
  printf '\n==================== %s ====================\n' "$1"
}

# step NAME LOG COMMAND...: runs COMMAND, its output shown and kept in $logs/LOG.
step() {
  local name="$1" log="$logs/$2"
  shift 2
  section "$name"
  local status=0 began=$SECONDS
  "$@" 2>&1 | tee "$log" || status=$?
  local took
  took="[$(duration $((SECONDS - began)))]"
  if [[ $status -eq 0 ]]; then
    summary+=("PASS  $name$(counts "$log") $took")
  else
    summary+=("FAIL  $name$(counts "$log") (exit status $status) $took")
    failures=$((failures + 1))
  fi
  return "$status"
}

# Test counts from a log: cargo's `test result:` lines, or Playwright's summary line.
counts() {
  local log="$1"
  if grep -q '^test result:' "$log"; then
    awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
         END { printf ": %d passed, %d failed", p, f }' "$log"
  elif grep -Eq '^[0-9]+ passed, [0-9]+ failed$' "$log"; then
    printf ': %s' "$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

end_to_end() {
  local port
  port="$(free_port)"
  cd "$root/e2e"
  E2E_PORT="$port" E2E_SUB_PATH="/drills/outage/" ./node_modules/.bin/playwright test
}

# Clippy runs per crate (--no-deps), so a finding in one crate does not hide the other's.
step "1/8 formatting (cargo fmt --check, both crates)" fmt cargo fmt --all -- --check || true
step "2/8 clippy, native: outage-sim (all targets, -D warnings)" clippy-sim \
  cargo clippy -p outage-sim --no-deps --all-targets -- -D warnings || true
step "3/8 clippy, native: outage-drill and its worker (all targets, -D warnings)" clippy-app \
  cargo clippy -p outage-drill -p outage-drill-worker --no-deps --all-targets -- -D warnings || true
step "4/8 clippy, wasm32: outage-drill and its worker (all targets, -D warnings)" clippy-wasm \
  cargo clippy -p outage-drill -p outage-drill-worker --no-deps --all-targets --target wasm32-unknown-unknown -- -D warnings || true
step "5/8 native tests (cargo test --workspace)" native cargo test --workspace || true
step "6/8 browser tests (wasm-bindgen-test, headless Chromium)" browser \
  cargo test -p outage-drill --target wasm32-unknown-unknown --tests || true
if step "7/8 release build (scripts/build.sh)" build "$root/scripts/build.sh"; then
  step "8/8 end-to-end tests (Playwright, release build from /drills/outage/)" e2e end_to_end || true
else
  summary+=("FAIL  8/8 end-to-end tests: not run, the release build failed")
  failures=$((failures + 1))
fi

section "summary"
printf '%s\n' "${summary[@]}"
echo "total: $(duration $((SECONDS - started_at)))"
grep -E '^size: wasm \+ JS' "$logs/build" 2>/dev/null || true
if ((failures > 0)); then
  echo "test: $failures step(s) failed"
  exit 1
fi
echo "test: all steps passed"
