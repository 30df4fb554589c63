#!/usr/bin/env python3
"""Prints the gzip size of what the main page of a built site loads to start the app: the wasm
and the JavaScript (wasm-bindgen's module and the loader), as named in dist/index.html; then,
apart, the analysis module (ranges, compare, the record) that the loader imports once the main
app is interactive, which the main page's budget does not cover.

    scripts/size.py [DIST]        (default: dist)

Sizes are gzip -9, in kB of 1000 bytes; the design's budget for wasm + JS is 150 kB gzip.
"""

import gzip
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BUDGET_KB = 150.0


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

    print("size: what the main page loads to start the app (gzip -9)")
    total_raw, total_gz = report(dist, names)
    verdict = "within" if total_gz / 1000 <= BUDGET_KB else "OVER"
    print(
        f"size: wasm + JS = {total_raw / 1000:.1f} kB, {total_gz / 1000:.1f} kB gzip "
        f"({verdict} the {BUDGET_KB:.0f} kB gzip budget)"
    )
    lazy = [n for n in ("analysis.js", "analysis_bg.wasm") if (dist / n).is_file()]
    if lazy:
        print("size: loaded after the main app is interactive (not in the budget)")
        raw, gz = report(dist, lazy)
        print(f"size: analysis module = {raw / 1000:.1f} kB, {gz / 1000:.1f} kB gzip")
    return 0 if verdict == "within" else 1


if __name__ == "__main__":
    sys.exit(main())
