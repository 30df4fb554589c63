#!/usr/bin/env python3
"""The build's last steps, in order (a Trunk post-build hook; see Trunk.toml): Trunk runs the
hooks of one stage at the same time, so everything that must happen in order is here.

1. The page's wasm is finished here, not by Trunk (index.html turns Trunk's wasm-opt off for
   it). When the app was built with split points (the `split` feature; see src/lazy.rs), its
   wasm as the linker wrote it (with relocations) is split by `wasm-split-cli` (crate
   `wasm_split_cli_support`) into the page's part and one chunk per lazy view's chunk name, plus
   the JavaScript that loads a chunk when its code is first called; the page's part then goes
   through wasm-bindgen again. Every wasm is optimised with binaryen's wasm-opt (release
   builds). All these files share one content hash (of all of them), so a page only ever loads
   chunks of its own build; their names replace Trunk's in index.html.
   The page's own root draws only the start screen; the app behind it is the split point
   `workspace`, and every other split point is reached through the app's code. The split tool
   does not know that, so it puts what the app shares with each set of other split points in a
   chunk of its own (a few hundred of them, mostly under 2 kB). Every such chunk that the
   workspace needs is merged into the workspace's module with binaryen's wasm-merge
   (`hoist_into_root`): the app then arrives as one file, and a split point that needed one of
   those chunks waits for the app's module instead (loaded already, in practice).
2. The Monte Carlo worker gets content-hashed names (Trunk hashes the page's files but not a
   worker's): its wasm `mc-worker-<hash>_bg.wasm`, its wasm-bindgen module `mc-worker-<hash>.js`,
   and its entry `mc-worker-boot-<hash>.js`, which is rewritten to load the first two by their
   new names (so its own hash covers them). The entry's name is written into the page's
   `#app-entry` block as `"worker"`, where src/monte_carlo.rs reads it: a page only ever starts
   the worker of its own build.
3. The service worker's manifest (scripts/sw-manifest.py) lists every file, as they are now,
   chunks included.
4. Every text and wasm file of a release build gets precompressed copies next to it, `.gz` and
   `.br`, for hosts that serve them (scripts/precompress.mjs).

Trunk runs it with TRUNK_STAGING_DIR (the site being built) and TRUNK_PROFILE set. By hand:

    TRUNK_STAGING_DIR=dist TRUNK_PROFILE=release scripts/post_build.py
"""

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APP = "outage-drill"
# What rustc's wasm32 target emits, which binaryen 132 must be told (as index.html tells Trunk).
WASM_FEATURES = [
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
]
# The import module of a split point before wasm-split-cli links it (wasm_split_macros).
SPLIT_PLACEHOLDER = b"__wasm_split_placeholder__"
SPLIT_LINK = "./__wasm_split.js"
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


# The split point every other one is reached through (src/shell.rs, src/views.rs).
ROOT_SPLIT = "workspace"
# A chunk's loader in __wasm_split.js, after the comment naming the split points that need it.
CHUNK_LOADER = re.compile(
    r"/\* (?P<needed_by>[^*]*) \*/\nconst __chunk_(?P<n>\d+) = makeLoad\(\(\) => \{\n.*?\n\}\n, \[(?P<deps>[^\]]*)\]\);\n",
    re.S,
)
# The host module's name in the hub that wasm-merge resolves the merged modules' imports to.
HUB_HOST = "__wasm_split_hub"


def hoist_into_root(split_dir: Path, link: str, root: str = ROOT_SPLIT) -> str:
    """Merges every shared chunk the `root` split point needs into its module, and rewrites the
    loader to match (see the module's doc). Returns the loader; the merged chunks' files are
    removed. Does nothing if the build has no such split point."""
    root_wasm = split_dir / f"split_{root}.wasm"
    export = f"export const __wasm_split_load_{root} = wrapAsyncCb(makeLoad("
    if not root_wasm.is_file() or link.count(export) != 1:
        return link
    merged = []
    for m in CHUNK_LOADER.finditer(link):
        if root in [name.strip() for name in m.group("needed_by").split(",")]:
            if m.group("deps").strip():
                raise SystemExit(f"post_build: chunk_{m.group('n')} has dependencies of its own; the merge does not expect any")
            merged.append(m.group("n"))
    if not merged:
        return link
    modules = [root_wasm, *(split_dir / f"chunk_{n}.wasm" for n in merged)]
    # Each module imports the page's memory, function table and shared globals from
    # "__wasm_split"; merged as they are, each would keep its own copy of those imports. A hub
    # module named "__wasm_split" re-exports them from HUB_HOST, so wasm-merge resolves every
    # module's imports to the hub's, which are imported once (the loader passes the same
    # objects under HUB_HOST).
    imports = {}
    for module in modules:
        text = subprocess.run(["wasm-dis", str(module)], check=True, capture_output=True, text=True).stdout
        for kind_line in re.finditer(r'^\s*\(import "__wasm_split" "([^"]+)" \((memory|table|global|func) \$\S+ (.*)\)\)\s*$', text, re.M):
            name, kind, rest = kind_line.groups()
            imports.setdefault(name, (kind, rest))
    hub_lines = ["(module"]
    for i, (name, (kind, rest)) in enumerate(sorted(imports.items())):
        hub_lines.append(f'  (import "{HUB_HOST}" "{name}" ({kind} $i{i} {rest}))')
        hub_lines.append(f'  (export "{name}" ({kind} $i{i}))')
    hub_lines.append(")")
    hub = split_dir / "hub.wat"
    hub.write_text("\n".join(hub_lines) + "\n", encoding="utf-8")
    out = split_dir / f"split_{root}.merged.wasm"
    # -g keeps the functions' names for scripts/wasm-parts.py's copy; wasm-opt drops them from
    # what ships.
    command = ["wasm-merge", "-g", *WASM_FEATURES, str(hub), "__wasm_split"]
    for i, module in enumerate(modules):
        command += [str(module), f"m{i}"]
    done = subprocess.run([*command, "-o", str(out)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"post_build: wasm-merge failed:\n{done.stderr[-4000:]}")
    hub.unlink()
    # The hub's exports are not needed by anyone: wasm-merge keeps them; leaving them costs a few
    # bytes and nothing else.
    shutil.copy(out, split_dir.parent / f"split_{root}.named.wasm")
    out.replace(root_wasm)
    for n in merged:
        (split_dir / f"chunk_{n}.wasm").unlink()
    # The loader: the merged chunks' loaders wait for the root's module; the root no longer
    # waits for them; the imports object also answers to HUB_HOST.
    merged_set = set(merged)

    def redirect(m):
        if m.group("n") in merged_set:
            return f"/* {m.group('needed_by')}: merged into split_{root} */\nconst __chunk_{m.group('n')} = () => __split_{root}();\n"
        return m.group(0)

    link = CHUNK_LOADER.sub(redirect, link)
    start = link.index(export)
    deps_at = link.index(", [", start)
    deps_end = link.index("]", deps_at)
    kept = [d.strip() for d in link[deps_at + 3 : deps_end].split(",") if d.strip() and d.strip().removeprefix("__chunk_") not in merged_set]
    body = link[start + len(export) : deps_at]
    tail = link[deps_end:]
    if not tail.startswith("]));"):
        raise SystemExit(f"post_build: the split loader's {root} export has an unexpected shape")
    link = (
        link[:start]
        + f"const __split_{root} = makeLoad({body}, [{', '.join(kept)}]);\n"
        + f"export const __wasm_split_load_{root} = wrapAsyncCb(__split_{root});"
        + tail[len("]));"):]
    )
    shared = "Object.assign(sharedImports.__wasm_split, "
    if link.count(shared) != 1:
        raise SystemExit("post_build: the split loader's shared imports have an unexpected shape")
    link = link.replace("sharedImports = { __wasm_split: {  } };", f"sharedImports = {{ __wasm_split: {{  }} }};\n        sharedImports.{HUB_HOST} = sharedImports.__wasm_split;")
    if HUB_HOST not in link:
        raise SystemExit("post_build: could not give the split loader's imports the hub's name")
    print(f"post_build: {len(merged)} shared chunks merged into split_{root}")
    return link


def run(*command, **kwargs):
    subprocess.run([str(c) for c in command], check=True, **kwargs)


def cargo_wasm(profile: str) -> Path:
    """The page's wasm as the linker wrote it (with its relocations, in the split build)."""
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
        check=True, capture_output=True, cwd=ROOT,
    )
    target = Path(json.loads(meta.stdout)["target_directory"])
    return target / "wasm32-unknown-unknown" / ("release" if profile == "release" else "debug") / f"{APP}.wasm"


def finish_app(site: Path, release: bool) -> list:
    """Splits (if the build has split points), binds and optimises the page's wasm; replaces
    Trunk's files and names in index.html with the new ones. Returns the chunks' names."""
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    entry = json.loads(ENTRY.search(html).group(2))
    trunk_js, trunk_wasm = (site / entry["js"], site / entry["wasm"])
    raw = cargo_wasm("release" if release else "debug")
    work = ROOT / "target" / "post-build"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    chunks = []
    if raw.is_file() and SPLIT_PLACEHOLDER in raw.read_bytes():
        split_dir = work / "split"
        run("wasm-split-cli", raw, split_dir, "--target", "web", "--out-name", APP)
        run("wasm-bindgen", "--target", "web", "--no-typescript", "--keep-lld-exports", "--out-dir", work / "bound",
            "--out-name", APP, split_dir / f"{APP}.wasm")
        js = (work / "bound" / f"{APP}.js").read_text(encoding="utf-8")
        wasm = work / "bound" / f"{APP}_bg.wasm"
        link = hoist_into_root(split_dir, (split_dir / "__wasm_split.js").read_text(encoding="utf-8"))
        chunks = sorted(p for p in split_dir.glob("*.wasm") if p.name != f"{APP}.wasm")
    else:
        # No split points: Trunk's wasm-bindgen output, optimised here.
        js = trunk_js.read_text(encoding="utf-8")
        wasm = work / f"{APP}_bg.wasm"
        shutil.copy(trunk_wasm, wasm)
        link = None
    if release:
        # Two at a time (CI has 2 cores); wasm-opt's warnings about the split tool's name
        # subsections are shown only if it fails.
        def optimise(w):
            done = subprocess.run(["wasm-opt", "-Oz", *WASM_FEATURES, str(w), "-o", str(w)], capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"post_build: wasm-opt failed on {w}:\n{done.stderr}")

        # The split tool leaves many tiny shared chunks (a few hundred bytes): starting wasm-opt
        # (binaryen's JavaScript build) costs more than it would save on them.
        worth = [w for w in [wasm, *chunks] if w.stat().st_size >= 4096]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(optimise, sorted(worth, key=lambda w: -w.stat().st_size)))
    # One hash over everything that must come from the same build.
    digest = hashlib.sha256(js.encode())
    for w in [wasm, *chunks]:
        digest.update(w.read_bytes())
    if link is not None:
        digest.update(link.encode())
    build = digest.hexdigest()[:16]
    js_name, wasm_name = f"{APP}-{build}.js", f"{APP}-{build}_bg.wasm"
    written = []
    if link is not None:
        link_name = f"split-{build}.js"
        # The module's `import … from "./__wasm_split.js"` lines load the loader by its new
        # name; the wasm's import module keeps its name (the key of the imports object).
        imports = re.compile(r"""(\bfrom\s*)(["'])""" + re.escape(SPLIT_LINK) + r"\2")
        js, count = imports.subn(lambda m: f"{m.group(1)}{m.group(2)}./{link_name}{m.group(2)}", js)
        if count < 1:
            raise SystemExit(f"post_build: the page's module does not import {SPLIT_LINK}")
        main_import = f'from "./{APP}.js"'
        if link.count(main_import) != 1:
            raise SystemExit(f"post_build: the split loader does not import ./{APP}.js once")
        link = link.replace(main_import, f'from "./{js_name}"')
        for chunk in chunks:
            name = f"{chunk.stem}-{build}.wasm"
            old = f'"./{chunk.name}"'
            if link.count(old) != 1:
                raise SystemExit(f"post_build: the split loader does not name {chunk.name} once")
            link = link.replace(old, f'"./{name}"')
            shutil.copy(chunk, site / name)
            written.append(name)
        (site / link_name).write_text(link, encoding="utf-8")
        written.append(link_name)
    (site / js_name).write_text(js, encoding="utf-8")
    shutil.copy(wasm, site / wasm_name)
    for old in (trunk_js, trunk_wasm):
        if old.name not in (js_name, wasm_name):
            old.unlink()
    # Trunk's names (in #app-entry and the preload links) become ours.
    html = index.read_text(encoding="utf-8")
    html = html.replace(trunk_js.name, js_name).replace(trunk_wasm.name, wasm_name)
    if link is not None:
        # The split loader is imported by the page's module: fetched with it, not after it.
        preload = f'<link rel="modulepreload" href="./{js_name}"'
        at = html.find(preload)
        if at >= 0:
            html = html[:at] + f'<link rel="modulepreload" href="./{link_name}" crossorigin="anonymous">\n' + html[at:]
    index.write_text(html, encoding="utf-8")
    return written


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("post_build: TRUNK_STAGING_DIR is not set (run by Trunk's post_build hook)", file=sys.stderr)
        return 2
    site = Path(staging)
    release = os.environ.get("TRUNK_PROFILE") == "release"
    chunks = finish_app(site, release)
    print(f"post_build: the page's wasm finished ({'split, ' + str(len(chunks)) + ' files apart' if chunks else 'not split'})")
    worker = hash_worker(site)
    entry = {"worker": f"./{worker}"}
    # The app behind the start screen: src/boot.js fetches it with the page when the visit
    # opens the app itself (a link, a session to resume).
    app = [name for name in chunks if name.startswith(f"split_{ROOT_SPLIT}-")]
    if app:
        entry["app"] = f"./{app[0]}"
    write_entry(site, entry)
    print(f"post_build: worker entry {worker}")
    subprocess.run([sys.executable, str(HERE / "sw-manifest.py")], check=True)
    if release:
        # Development builds (trunk serve) are served by Trunk, which compresses nothing anyway.
        subprocess.run(["node", str(HERE / "precompress.mjs"), str(site)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
