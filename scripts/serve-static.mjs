// Serves a built site from a sub-path on 127.0.0.1 the way static hosts (GitHub Pages,
// Netlify…) do: gzip-compressed when the browser accepts it, with the right MIME types.
//
//   node scripts/serve-static.mjs DIR SUB_PATH [PORT]
//
// e.g. `node scripts/serve-static.mjs dist /drills/outage/ 8000` serves dist/index.html at
// http://127.0.0.1:8000/drills/outage/. PORT 0 (the default) takes a free port; either way the
// first line printed is `serve-static: serving DIR at URL`. Only node: built-ins.
//
// - Content-Encoding: gzip (zlib level 9, compressed once per file and kept while the file's
//   size and modification time stay the same) when the request's Accept-Encoding allows gzip;
//   the plain file otherwise. Vary: Accept-Encoding.
// - Cache-Control: no-cache, with an ETag (and 304 on If-None-Match): a browser revalidates.
// - GET and HEAD only; 404 for a missing file, 403 for a path that would leave DIR; a
//   directory serves its index.html, and the sub-path without its final slash redirects.
// Used by scripts/budgets.sh; handy to check a build by hand.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { gzipSync, constants as zlib } from "node:zlib";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".map": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};
// What static hosts compress (they leave images and fonts that are compressed already alone).
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".wasm", ".svg", ".json", ".webmanifest", ".map", ".txt"]);

const [dirArg, subArg, portArg = "0"] = process.argv.slice(2);
if (!dirArg || !subArg) {
  console.error("serve-static: usage: node scripts/serve-static.mjs DIR SUB_PATH [PORT]");
  process.exit(2);
}
const root = path.resolve(dirArg);
// "/drills/outage/" or "drills/outage" → "/drills/outage/".
const sub = `/${subArg.replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");
if (sub.split("/").includes("..")) {
  console.error(`serve-static: the sub-path must not contain '..' (got '${subArg}')`);
  process.exit(2);
}
try {
  statSync(path.join(root, "index.html"));
} catch {
  console.error(`serve-static: ${path.join(root, "index.html")} not found; build the site first (scripts/build.sh)`);
  process.exit(2);
}

/** Does this Accept-Encoding allow gzip? (`gzip`, `x-gzip` or `*`, with a q-value above 0.) */
function acceptsGzip(header) {
  if (!header) return false;
  let gzip = null;
  let star = null;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name === "gzip" || name === "x-gzip") gzip = weight;
    else if (name === "*") star = weight;
  }
  const w = gzip ?? star ?? 0;
  return Number.isFinite(w) && w > 0;
}

// Per file: its bytes, their gzip -9 and an ETag, while the file's size and mtime stay the same.
const cache = new Map();
function load(file, stat) {
  const key = `${stat.size}:${stat.mtimeMs}`;
  const hit = cache.get(file);
  if (hit && hit.key === key) return hit;
  const raw = readFileSync(file);
  const entry = {
    key,
    raw,
    gzip: COMPRESSIBLE.has(path.extname(file).toLowerCase()) ? gzipSync(raw, { level: zlib.Z_BEST_COMPRESSION }) : null,
    etag: `"${createHash("sha1").update(raw).digest("base64url").slice(0, 20)}"`,
  };
  cache.set(file, entry);
  return entry;
}

function send(res, status, text, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-cache", ...headers });
  res.end(text === null ? undefined : `${text}\n`);
}

const server = createServer((req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(res, 405, "method not allowed", { Allow: "GET, HEAD" });
    return;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  } catch {
    send(res, 400, "bad request");
    return;
  }
  if (pathname === sub.slice(0, -1) && sub !== "/") {
    send(res, 301, null, { Location: sub });
    return;
  }
  if (!pathname.startsWith(sub)) {
    send(res, 404, "not found");
    return;
  }
  if (pathname.includes("\0")) {
    send(res, 400, "bad request");
    return;
  }
  let file = path.resolve(root, `.${path.posix.sep}${pathname.slice(sub.length)}`);
  if (file !== root && !file.startsWith(root + path.sep)) {
    send(res, 403, "forbidden");
    return;
  }
  let stat;
  try {
    stat = statSync(file);
    if (stat.isDirectory()) {
      if (!pathname.endsWith("/")) {
        send(res, 301, null, { Location: `${pathname}/` });
        return;
      }
      file = path.join(file, "index.html");
      stat = statSync(file);
    }
    if (!stat.isFile()) throw new Error("not a file");
  } catch {
    send(res, 404, "not found");
    return;
  }
  const entry = load(file, stat);
  const headers = {
    "Content-Type": MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
    ETag: entry.etag,
    "X-Content-Type-Options": "nosniff",
  };
  if (entry.gzip) headers.Vary = "Accept-Encoding";
  if (req.headers["if-none-match"] === entry.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = entry.gzip && acceptsGzip(req.headers["accept-encoding"]);
  const body = gzip ? entry.gzip : entry.raw;
  if (gzip) headers["Content-Encoding"] = "gzip";
  headers["Content-Length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
});

server.listen(Number(portArg), "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`serve-static: serving ${root} at http://127.0.0.1:${port}${sub}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
