#!/usr/bin/env python3
"""Writes the service worker's manifest into the built site (run by scripts/post_build.py, the
Trunk post-build hook): the build's id (a hash of every file the site serves), the list of those files,
and whether to cache them (release builds only; development builds pass requests through so a
rebuild is seen at once).

It runs with TRUNK_STAGING_DIR (the site being built) and TRUNK_PROFILE set. By hand:

    TRUNK_STAGING_DIR=dist TRUNK_PROFILE=release scripts/sw-manifest.py

The service worker (src/sw.js, copied into the site as sw.js) carries a placeholder object that
this replaces; a build whose sw.js has no placeholder fails here rather than ship a service
worker that caches nothing.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

PLACEHOLDER = '/*OUTAGE_DRILL_MANIFEST*/ { build: "unbuilt", files: [], cache: false }'
SERVICE_WORKER = "sw.js"


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("sw-manifest: TRUNK_STAGING_DIR is not set (run by Trunk's post_build hook)", file=sys.stderr)
        return 2
    site = Path(staging)
    sw = site / SERVICE_WORKER
    if not sw.is_file():
        print(f"sw-manifest: {sw} is missing (index.html must copy src/sw.js)", file=sys.stderr)
        return 2
    files = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        # Precompressed copies (.gz, .br) are for hosts that serve them; the cache keeps originals.
        if p.is_file() and p.name != SERVICE_WORKER and p.suffix not in (".gz", ".br")
    )
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode())
        digest.update((site / name).read_bytes())
    manifest = {
        "build": digest.hexdigest()[:16],
        "files": files,
        "cache": os.environ.get("TRUNK_PROFILE") == "release",
    }
    text = sw.read_text(encoding="utf-8")
    if text.count(PLACEHOLDER) != 1:
        print(f"sw-manifest: {sw} does not hold the manifest placeholder exactly once", file=sys.stderr)
        return 1
    sw.write_text(text.replace(PLACEHOLDER, json.dumps(manifest)), encoding="utf-8")
    print(f"sw-manifest: build {manifest['build']}, {len(files)} files, caching {'on' if manifest['cache'] else 'off'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
