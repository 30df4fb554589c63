#!/usr/bin/env bash
# Measures Outage Drill against its performance budgets and prints a table: each figure, its
# budget, within/OVER, and how it was measured. The figures: everything the page downloads at
# start (wasm + JS, gzip -9, measured in the browser; the static count of scripts/size.py; the
# Monte Carlo worker apart), navigation → interactive on localhost and on an emulated "fast 4G"
# link, click → histogram painted, the longest main-thread task while Monte Carlo runs, playback
# frame work, playback and scrubbing on a phone profile (4× CPU slowdown: frame p95 and the
# longest task), Monte Carlo throughput with one worker and with the worker pool (their ratio, and
# one worker against the native command line on one core), and cancel → every worker stopped.
#
#   scripts/budgets.sh              build dist/ if it is missing or older than the sources
#   scripts/budgets.sh --build      always build first
#   scripts/budgets.sh --no-build   measure dist/ as it is
#   scripts/budgets.sh --json FILE  also write the figures as JSON
#   scripts/budgets.sh --only GROUPS  measure only these groups (comma-separated): downloads,
#                                   interactive, histogram, longtask, frames, phone (playback
#                                   and scrubbing on a phone with 4× CPU slowdown), throughput,
#                                   cancel
#
# Sets up (scripts/setup.sh), builds with scripts/build.sh when needed, builds the native
# command line (cargo build --release -p outage-sim; a no-op when it is up to date), copies
# dist/ and that binary (so a build running meanwhile cannot change what is measured), serves
# the copy from /drills/outage/ on a free port with scripts/serve-static.mjs (gzip-compressed,
# as static hosts serve it), and runs scripts/budgets.mjs (Playwright driving Debian's headless
# Chromium, traces and network throttling through the DevTools protocol).
#
# Budgets are reported, not enforced: the exit status is 0 whatever the verdicts, and non-zero
# only if a measurement could not be made. Timings depend on the machine and its load, so this
# is not part of scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

build=auto
json=()
only=()
groups=all
while (($# > 0)); do
  case "$1" in
    --build) build=always ;;
    --no-build) build=never ;;
    --json)
      [[ $# -ge 2 ]] || { echo "budgets: --json needs a file name" >&2; exit 2; }
      json=(--json "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
      shift
      ;;
    --only)
      [[ $# -ge 2 ]] || { echo "budgets: --only needs a list of groups" >&2; exit 2; }
      only=(--only "$2")
      groups="$2"
      shift
      ;;
    -h | --help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *)
      echo "budgets: unknown argument '$1' (try --help)" >&2
      exit 2
      ;;
  esac
  shift
done

# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"
cd "$root"

# dist/ is out of date when any input of the build is newer than its index.html.
stale() {
  [[ -f dist/index.html ]] || return 0
  [[ -n "$(find src crates styles assets index.html Cargo.toml Cargo.lock Trunk.toml build.rs \
    -newer dist/index.html -type f -print -quit 2>/dev/null)" ]]
}
case "$build" in
  always) "$root/scripts/build.sh" ;;
  auto)
    if stale; then
      echo "budgets: dist/ is missing or older than the sources: building (scripts/build.sh)"
      "$root/scripts/build.sh"
    else
      echo "budgets: dist/ is up to date (scripts/budgets.sh --build to rebuild anyway)"
    fi
    ;;
  never) [[ -f dist/index.html ]] || { echo "budgets: no dist/index.html; build first" >&2; exit 2; } ;;
esac

work="$root/target/budgets"
rm -rf "$work/dist"
mkdir -p "$work"
cp -R dist "$work/dist"

# The native command line, for the Monte Carlo throughput of one core. If it does not build,
# that figure is not measured; the others still are.
native="$work/outage-sim"
rm -f "$native"
if [[ "$groups" != all && ",$groups," != *,throughput,* ]]; then
  native=none # not needed for these figures
elif cargo build --release --quiet -p outage-sim; then
  target_dir="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
  cp "$target_dir/release/outage-sim" "$native"
else
  echo "budgets: the native command line did not build (cargo build --release -p outage-sim): its figures will be missing" >&2
  native=none
fi

# The static server takes a free port and says where it serves on its first line.
node "$root/scripts/serve-static.mjs" "$work/dist" /drills/outage/ 0 >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  url="$(sed -n 's/^serve-static: serving .* at //p' "$work/server.log")"
  [[ -n "$url" ]] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$url" ]]; then
  echo "budgets: the static server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

node "$root/scripts/budgets.mjs" --url "$url" --dist "$work/dist" --native "$native" "${json[@]}" "${only[@]}"
