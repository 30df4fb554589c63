#!/usr/bin/env python3
"""What each part of the page's wasm costs, measured with twiggy: the ten largest parts of what
the page downloads to start (its wasm after the split), by crate and module, the same for the
app's chunk (what a link into the app needs as well), and the chunks the lazy views load later.

    scripts/wasm-parts.py [--top N]

Reads the intermediate files of the last build (scripts/build.sh; scripts/post_build.py keeps
them in target/post-build/): the page's part as wasm-split-cli wrote it, which still has its
function names. It optimises a copy the way the build does (wasm-opt -Oz) but keeps the names
(-g), so the sizes are those of the shipped code, then sums twiggy's shallow sizes of every
function and data segment by its part: the crate and module a function's name starts with
(`outage_sim::scenario`, `yew::html`, …); data segments are one part, because the linker merges
the text of every module into them. Sizes are raw bytes (the start budget is gzip: about a third).
Yew's component lifecycle is generic: every component's drawing code is instantiated inside
`yew::html::component` under Yew's name, so that part is the components' code.

twiggy comes from crates.io; if it is missing, this installs it (cargo install twiggy
--version 0.8.0 --locked, about 4 minutes on 2 cores).
"""

import argparse
import collections
import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPLIT = ROOT / "target" / "post-build" / "split"
TWIGGY_VERSION = "0.8.0"
# The features the build tells wasm-opt, from the build's own script.
sys.path.insert(0, str(ROOT / "scripts"))
from post_build import WASM_FEATURES as FEATURES  # noqa: E402
# Not shipped: wasm-bindgen removes its descriptors and custom sections, wasm-opt the names.
NOT_SHIPPED = re.compile(r'^(__wbindgen_describe|"function names"|custom section|export "__wbindgen_describe)')


def part_of(name: str) -> str:
    if name.startswith("data segment"):
        return "data (the text and tables of every module)"
    m = re.match(r"^<?(?:&mut |&)?([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)?)", name)
    return m.group(1) if m else "other (imports, tables, types)"


def parts(wasm: Path) -> collections.Counter:
    named = ROOT / "target" / "post-build" / "named.wasm"
    subprocess.run(["wasm-opt", "-Oz", "-g", *FEATURES, str(wasm), "-o", str(named)], check=True)
    out = subprocess.run(
        ["twiggy", "top", "-n", "1000000", "--format", "csv", str(named)],
        check=True, capture_output=True, text=True,
    ).stdout
    sizes = collections.Counter()
    for row in csv.DictReader(io.StringIO(out)):
        name = row["Name"]
        if NOT_SHIPPED.match(name):
            continue
        sizes[part_of(name)] += int(row["ShallowSize"])
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    main_wasm = SPLIT / "outage-drill.wasm"
    if not main_wasm.is_file():
        print(f"wasm-parts: {main_wasm} is missing: build first (scripts/build.sh)", file=sys.stderr)
        return 2
    # binaryen's wasm-opt from e2e/node_modules (scripts/setup.sh installs it), as the build uses.
    os.environ["PATH"] = f"{ROOT / 'e2e' / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}"
    if shutil.which("twiggy") is None:
        print(f"wasm-parts: installing twiggy {TWIGGY_VERSION} (cargo install)")
        subprocess.run(["cargo", "install", "twiggy", "--version", TWIGGY_VERSION, "--locked"], check=True)
    sizes = parts(main_wasm)
    total = sum(sizes.values())
    print(f"wasm-parts: the page's wasm at start, {total / 1000:.1f} kB (raw, optimised, names kept); the {args.top} largest parts:")
    for name, size in sizes.most_common(args.top):
        print(f"  {size / 1000:7.1f} kB  {100 * size / total:4.1f} %  {name}")
    # The app behind the start screen, as post_build.py merged it (names kept).
    app = SPLIT.parent / "split_workspace.named.wasm"
    if app.is_file():
        sizes = parts(app)
        total = sum(sizes.values())
        print(f"wasm-parts: the app's chunk (workspace), {total / 1000:.1f} kB (raw, optimised, names kept); the {args.top} largest parts:")
        for name, size in sizes.most_common(args.top):
            print(f"  {size / 1000:7.1f} kB  {100 * size / total:4.1f} %  {name}")
    print("wasm-parts: the chunks, loaded on first use or once the page is interactive (raw, as split):")
    for chunk in sorted(SPLIT.glob("*.wasm")):
        if chunk.name != main_wasm.name:
            print(f"  {chunk.stat().st_size / 1000:7.1f} kB  {chunk.stem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
