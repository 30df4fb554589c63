#!/usr/bin/env python3
"""The build's last steps, in order (a Trunk post-build hook; see Trunk.toml): Trunk runs the
hooks of one stage at the same time, so everything that must happen in order is here.

1. The Monte Carlo worker gets content-hashed names (Trunk hashes the page's files but not a
   worker's): its wasm `mc-worker-<hash>_bg.wasm`, its wasm-bindgen module `mc-worker-<hash>.js`,
   and its entry `mc-worker-boot-<hash>.js`, which is rewritten to load the first two by their
   new names (so its own hash covers them). The entry's name is written into the page's
   `#app-entry` block as `"worker"`, where src/monte_carlo.rs reads it: a page only ever starts
   the worker of its own build.
2. The service worker's manifest (scripts/sw-manifest.py) lists every file, as they are now.
3. Every text and wasm file gets precompressed copies next to it, `.gz` and `.br`, for hosts
   that serve them (scripts/precompress.mjs).

Trunk runs it with TRUNK_STAGING_DIR (the site being built) and TRUNK_PROFILE set. By hand:

    TRUNK_STAGING_DIR=dist TRUNK_PROFILE=release scripts/post_build.py
"""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER_BOOT = "mc-worker-boot.js"
WORKER_JS = "mc-worker.js"
WORKER_WASM = "mc-worker_bg.wasm"
ENTRY = re.compile(r'(<script type="application/json" id="app-entry">)(.*?)(</script>)', re.S)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def hash_worker(site: Path) -> str:
    """Renames the worker's three files by their content; returns the entry's new name."""
    boot, js, wasm = (site / WORKER_BOOT, site / WORKER_JS, site / WORKER_WASM)
    for f in (boot, js, wasm):
        if not f.is_file():
            raise SystemExit(f"post_build: {f} is missing (index.html must build crates/mc-worker and copy src/{WORKER_BOOT})")
    wasm_bytes = wasm.read_bytes()
    js_bytes = js.read_bytes()
    wasm_name = f"mc-worker-{content_hash(wasm_bytes)}_bg.wasm"
    js_name = f"mc-worker-{content_hash(js_bytes)}.js"
    text = boot.read_text(encoding="utf-8")
    for old, new in ((f'"./{WORKER_JS}"', f'"./{js_name}"'), (f'"./{WORKER_WASM}"', f'"./{wasm_name}"')):
        if text.count(old) != 1:
            raise SystemExit(f"post_build: {WORKER_BOOT} must name {old} exactly once")
        text = text.replace(old, new)
    boot_bytes = text.encode("utf-8")
    boot_name = f"mc-worker-boot-{content_hash(boot_bytes)}.js"
    (site / wasm_name).write_bytes(wasm_bytes)
    (site / js_name).write_bytes(js_bytes)
    (site / boot_name).write_bytes(boot_bytes)
    for f in (boot, js, wasm):
        f.unlink()
    return boot_name


def write_entry(site: Path, extra: dict) -> None:
    """Adds `extra` to the page's #app-entry JSON block."""
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    match = ENTRY.search(html)
    if not match:
        raise SystemExit("post_build: index.html has no #app-entry block (Trunk.toml's pattern_script)")
    entry = json.loads(match.group(2))
    entry.update(extra)
    block = match.group(1) + json.dumps(entry) + match.group(3)
    index.write_text(html[: match.start()] + block + html[match.end() :], encoding="utf-8")


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("post_build: TRUNK_STAGING_DIR is not set (run by Trunk's post_build hook)", file=sys.stderr)
        return 2
    site = Path(staging)
    worker = hash_worker(site)
    write_entry(site, {"worker": f"./{worker}"})
    print(f"post_build: worker entry {worker}")
    subprocess.run([sys.executable, str(HERE / "sw-manifest.py")], check=True)
    subprocess.run(["node", str(HERE / "precompress.mjs"), str(site)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
