#!/usr/bin/env bash
# Serves a built site from a sub-path with a plain static server, as a static host would:
#   scripts/serve-subpath.sh [DIST] [SUB_PATH] [PORT]
# defaults: dist /drills/outage/ 8137. The site is then at http://127.0.0.1:PORT/SUB_PATH.
# DIST is linked at SUB_PATH into a directory under target/ and served by
# `python3 -m http.server` bound to 127.0.0.1. Used by the end-to-end tests; handy to check a build by hand.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$(cd "${1:-$root/dist}" && pwd)"
sub_path="${2:-/drills/outage/}"
port="${3:-8137}"

# Normalise "/drills/outage/" or "drills/outage" to "drills/outage".
sub_path="${sub_path#/}"
sub_path="${sub_path%/}"
if [[ -z "$sub_path" || "$sub_path" == *..* ]]; then
  echo "serve-subpath: the sub-path must be non-empty and without '..' (got '${2:-}')" >&2
  exit 2
fi
if [[ ! -f "$dist/index.html" ]]; then
  echo "serve-subpath: $dist/index.html not found; build the site first (scripts/build.sh)" >&2
  exit 2
fi

# A directory per port under target/ (ignored by git), rebuilt on each start, holding only a
# symbolic link: nothing to clean up, however the server is stopped.
site="$root/target/serve-subpath/$port"
rm -rf "$site"
mkdir -p "$site/$(dirname "$sub_path")"
ln -s "$dist" "$site/$sub_path"

echo "serve-subpath: serving $dist at http://127.0.0.1:$port/$sub_path/"
exec python3 -m http.server --bind 127.0.0.1 --directory "$site" "$port"
