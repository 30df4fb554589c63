// Writes precompressed copies next to every text and wasm file of a built site: NAME.gz (gzip,
// level 9) and NAME.br (brotli, quality 11), for static hosts that serve them in place of the
// original when the browser accepts them. Run by scripts/post_build.py; by hand:
//
//   node scripts/precompress.mjs DIR
//
// Copies that would not be smaller are not written. Only node: built-ins.
import { readdirSync, readFileSync, statSync, writeFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";

const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".wasm", ".svg", ".json", ".webmanifest", ".txt"]);

const dir = process.argv[2];
if (!dir) {
  console.error("precompress: usage: node scripts/precompress.mjs DIR");
  process.exit(2);
}

function* files(d) {
  for (const name of readdirSync(d)) {
    const p = path.join(d, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

let count = 0;
for (const file of [...files(dir)]) {
  if (!COMPRESSIBLE.has(path.extname(file))) continue;
  const data = readFileSync(file);
  const copies = {
    ".gz": gzipSync(data, { level: 9 }),
    ".br": brotliCompressSync(data, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 11,
        [zlib.BROTLI_PARAM_SIZE_HINT]: data.length,
        [zlib.BROTLI_PARAM_MODE]: path.extname(file) === ".wasm" ? zlib.BROTLI_MODE_GENERIC : zlib.BROTLI_MODE_TEXT,
      },
    }),
  };
  for (const [ext, body] of Object.entries(copies)) {
    if (body.length < data.length) {
      writeFileSync(file + ext, body);
      count += 1;
    } else {
      try {
        unlinkSync(file + ext);
      } catch {}
    }
  }
}
console.log(`precompress: ${count} .gz and .br copies in ${dir}`);
