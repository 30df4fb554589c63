#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and builds the deployable static site into dist/: release profile,
# wasm-opt, hashed file names, relative URLs (Trunk.toml: public_url = "./"), so dist/ works from
# any sub-path of any static host. Then prints the gzip size of the main page's wasm + JS.
# Extra arguments go to `trunk build`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"
cd "$root"
trunk build --release --offline "$@"
python3 "$root/scripts/size.py" "$root/dist"
