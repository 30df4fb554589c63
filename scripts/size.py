#!/usr/bin/env python3
"""Prints the gzip size of what the page of a built site loads to start the app: the wasm and
the JavaScript (wasm-bindgen's module and the loader), as named in dist/index.html; then,
apart, the Monte Carlo worker (its boot script, wasm-bindgen module and wasm), which the page
starts on the first Monte Carlo run and which the start-up budget does not cover.

    scripts/size.py [DIST]        (default: dist)

Sizes are gzip -9, in kB of 1000 bytes; the budget for all wasm + JS loaded before the page is
interactive is 300 kB gzip (docs/architecture.md). The lazy views' chunks (scripts/post_build.py)
are listed apart. This is the static count from the build; scripts/budgets.sh measures what a
browser actually fetches during a cold load. The verdict is reported, not enforced: the exit status is
non-zero only when the build cannot be read.
"""

import gzip
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BUDGET_KB = 300.0
# The worker's files, content-hashed by scripts/post_build.py: its entry, its wasm-bindgen module
# and its wasm.
# The lazy views' chunks (scripts/post_build.py): split_<name>-<hash>.wasm and chunk_<n>-<hash>.wasm.
CHUNK_FILES = re.compile(r"^(split_[a-z0-9_]+|chunk_[0-9]+)-[0-9a-f]{16}\.wasm$")
WORKER_FILES = re.compile(r"^mc-worker-(boot-)?[0-9a-f]{16}(_bg\.wasm|\.js)$")


class Assets(HTMLParser):
    """Collects the page's script, module-preload and wasm files, and the loader's JSON entry."""

    def __init__(self):
        super().__init__()
        self.files = []
        self._in_entry = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.files.append(a["src"])
        elif tag == "script" and a.get("id") == "app-entry":
            self._in_entry = True
        elif tag == "link" and a.get("rel") == "modulepreload" and a.get("href"):
            self.files.append(a["href"])
        elif tag == "link" and a.get("rel") == "preload" and (a.get("href") or "").endswith(".wasm"):
            self.files.append(a["href"])

    def handle_data(self, data):
        if self._in_entry:
            entry = json.loads(data)
            # "worker" (the Monte Carlo worker's entry) is started on first use, not at start.
            self.files.extend([entry["js"], entry["wasm"]])
            self._in_entry = False


def report(dist: Path, names: list) -> tuple:
    """Prints a line per file and returns the (raw, gzip) totals in bytes."""
    total_raw = total_gz = 0
    for name in names:
        data = (dist / name).read_bytes()
        gz = len(gzip.compress(data, compresslevel=9, mtime=0))
        total_raw += len(data)
        total_gz += gz
        print(f"  {name:<48} {len(data) / 1000:8.1f} kB  {gz / 1000:7.1f} kB gzip")
    return total_raw, total_gz


def main() -> int:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    index = dist / "index.html"
    if not index.is_file():
        print(f"size: {index} not found; build first (scripts/build.sh)", file=sys.stderr)
        return 2
    parser = Assets()
    parser.feed(index.read_text(encoding="utf-8"))
    names = []
    for ref in parser.files:
        name = re.sub(r"^(\./)+", "", ref.split("?")[0])
        if name not in names:
            names.append(name)
    if not any(n.endswith(".wasm") for n in names):
        print("size: the page loads no .wasm file?", file=sys.stderr)
        return 1

    print("size: what the page loads to start the app (gzip -9)")
    total_raw, total_gz = report(dist, names)
    verdict = "within" if total_gz / 1000 <= BUDGET_KB else "OVER"
    print(
        f"size: wasm + JS = {total_raw / 1000:.1f} kB, {total_gz / 1000:.1f} kB gzip "
        f"({verdict} the {BUDGET_KB:.0f} kB gzip budget)"
    )
    chunks = sorted(p.name for p in dist.iterdir() if CHUNK_FILES.match(p.name))
    if chunks:
        print("size: the lazy views' chunks, loaded on first use or once the page is interactive")
        raw, gz = report(dist, chunks)
        print(f"size: chunks = {raw / 1000:.1f} kB, {gz / 1000:.1f} kB gzip")
    lazy = sorted(p.name for p in dist.iterdir() if WORKER_FILES.match(p.name))
    if lazy:
        print("size: the Monte Carlo worker, loaded on the first run (not in the start budget)")
        raw, gz = report(dist, lazy)
        print(f"size: worker = {raw / 1000:.1f} kB, {gz / 1000:.1f} kB gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
