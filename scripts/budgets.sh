#!/usr/bin/env bash
# Measures Outage Drill against the design's performance budgets (DESIGN.md, section 8) and
# prints a table: each figure, its budget, within/OVER, and how it was measured.
#
#   scripts/budgets.sh              build dist/ if it is missing or older than the sources
#   scripts/budgets.sh --build      always build first
#   scripts/budgets.sh --no-build   measure dist/ as it is
#   scripts/budgets.sh --json FILE  also write the figures as JSON
#
# Sets up (scripts/setup.sh), builds with scripts/build.sh when needed, copies dist/ (so a build
# running meanwhile cannot change what is measured), serves the copy from /drills/outage/ on a
# free port with scripts/serve-subpath.sh, and runs scripts/budgets.mjs (Playwright driving
# Debian's headless Chromium, traces through the DevTools protocol).
#
# Budgets are reported, not enforced: the exit status is 0 whatever the verdicts, and non-zero
# only if a measurement could not be made. Timings depend on the machine and its load, so this
# is not part of scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

build=auto
json=()
while (($# > 0)); do
  case "$1" in
    --build) build=always ;;
    --no-build) build=never ;;
    --json)
      [[ $# -ge 2 ]] || { echo "budgets: --json needs a file name" >&2; exit 2; }
      json=(--json "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
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

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port/drills/outage/"
"$root/scripts/serve-subpath.sh" "$work/dist" /drills/outage/ "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

python3 - "$url" <<'EOF'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1).read()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("budgets: the static server did not answer at " + sys.argv[1])
EOF

node "$root/scripts/budgets.mjs" --url "$url" --dist "$work/dist" "${json[@]}"
