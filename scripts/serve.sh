#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and serves the app with Trunk's dev server on
# http://127.0.0.1:8080/ , rebuilding on every change (reload the page yourself: the
# page's content security policy refuses Trunk's inline live-reload script).
# Extra arguments go to `trunk serve`, e.g. `scripts/serve.sh --port 8081`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup.sh
. "$root/scripts/setup.sh"
cd "$root"
echo "serve: http://127.0.0.1:8080/ (Ctrl-C to stop)"
exec trunk serve --offline "$@"
