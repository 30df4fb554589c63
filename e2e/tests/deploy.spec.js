// One deployment at a time: a new build lands on the host between the page's load and its first
// Monte Carlo run (a first visit: no service worker controls the page yet). The page must only
// ever start the worker of its own build, whose files have content-hashed names written into the
// page: it loads its own worker files when the host still has them, and when the new deployment
// replaced the folder (the old files are gone) it runs Monte Carlo on the page itself and says
// so; in neither case does it load a file of the new build.
//
// The test serves its own copy of the release build (scripts/serve-static.mjs, from the same
// sub-path), then "deploys" a new build into that folder: the worker's files under new
// content-hashed names (new content: a marker line), and an index.html naming them.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test, expect, openApp, simulatedRuns, WORKER_JS, WORKER_SCRIPT, WORKER_WASM } from "../support/app.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const DIST = path.resolve(repo, "e2e", process.env.E2E_DIST || "../dist");
const SUB_PATH = "/drills/outage/";

/** Serves `dir` from SUB_PATH on a free port; resolves to { url, stop }. */
function serve(dir) {
  const server = spawn(process.execPath, [path.join(repo, "scripts/serve-static.mjs"), dir, SUB_PATH, "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/serving .* at (\S+)/);
      if (m) resolve({ url: m[1], stop: () => server.kill() });
    });
    server.on("exit", (code) => reject(new Error(`serve-static exited with ${code}: ${out}`)));
  });
}

const hash16 = (data) => createHash("sha256").update(data).digest("hex").slice(0, 16);
const isWorkerFile = (name) => [WORKER_SCRIPT, WORKER_JS, WORKER_WASM].some((re) => re.test(`/${name}`));

/**
 * Deploys "build B" into `dir`: the worker's files rewritten with a marker and renamed by their new
 * content, the page naming the new entry. With `replace`, the old worker files are removed, as a
 * host that replaces the whole folder does. Returns B's worker file names.
 */
function deployNewBuild(dir, { replace }) {
  const files = readdirSync(dir).filter(isWorkerFile);
  const boot = files.find((n) => WORKER_SCRIPT.test(`/${n}`));
  const js = files.find((n) => WORKER_JS.test(`/${n}`));
  const wasm = files.find((n) => WORKER_WASM.test(`/${n}`));
  const jsB = readFileSync(path.join(dir, js), "utf8") + "\n// build B\n";
  const jsNameB = `mc-worker-${hash16(jsB)}.js`;
  const wasmB = Buffer.concat([readFileSync(path.join(dir, wasm)), Buffer.from([0, 0x08, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x2d, 0x62, 0x01, 0x42])]);
  const wasmNameB = `mc-worker-${hash16(wasmB)}_bg.wasm`;
  const bootB = readFileSync(path.join(dir, boot), "utf8").replace(js, jsNameB).replace(wasm, wasmNameB);
  const bootNameB = `mc-worker-boot-${hash16(bootB)}.js`;
  writeFileSync(path.join(dir, jsNameB), jsB);
  writeFileSync(path.join(dir, wasmNameB), wasmB);
  writeFileSync(path.join(dir, bootNameB), bootB);
  const index = path.join(dir, "index.html");
  writeFileSync(index, readFileSync(index, "utf8").replace(boot, bootNameB));
  if (replace) {
    for (const old of [boot, js, wasm]) {
      for (const ext of ["", ".gz", ".br"]) rmSync(path.join(dir, old + ext), { force: true });
    }
  }
  for (const ext of [".gz", ".br"]) rmSync(path.join(dir, "index.html" + ext), { force: true });
  return { old: [boot, js, wasm], new: [bootNameB, jsNameB, wasmNameB] };
}

for (const replace of [false, true]) {
  test(`a deployment between load and the first run: the page runs its own build's worker (old files ${replace ? "removed" : "kept"})`, async ({
    page,
  }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "outage-drill-deploy-"));
    cpSync(DIST, dir, { recursive: true, dereference: true });
    const { url, stop } = await serve(dir);
    try {
      const requested = [];
      page.context().on("request", (r) => requested.push(new URL(r.url()).pathname.split("/").pop()));
      // A first visit lands on the start screen: on to Explore, where the runs are.
      await openApp(page, url);
      const entry = JSON.parse(await page.locator("#app-entry").textContent());
      expect(entry.worker, "the page names its worker by a content-hashed name").toMatch(/^\.\/mc-worker-boot-[0-9a-f]{16}\.js$/);
      expect(requested.filter(isWorkerFile), "no worker file before the first run").toEqual([]);

      const files = deployNewBuild(dir, { replace });
      expect(files.old[0]).toBe(entry.worker.slice(2));

      await page.getByTestId("mc-run").click();
      await expect(page.locator("#ranges .progress-text")).toHaveText(/^Done/, { timeout: 60_000 });
      await expect(page.getByTestId("mc-result").locator("table tbody tr").first()).toBeVisible();

      const workerFiles = requested.filter(isWorkerFile);
      for (const name of files.new) expect(workerFiles, `the new build's ${name}`).not.toContain(name);
      const runs = await simulatedRuns(page);
      if (replace) {
        // Its own worker is gone: the page ran the job itself, and said so.
        expect([...new Set(workerFiles)], "only its own entry, which is gone").toEqual([files.old[0]]);
        expect(runs.page).toBeGreaterThan(0);
        await expect(page.getByTestId("mc-result").locator(".result-meta")).toContainText("on this page (no workers)");
        await expect(page.locator(".notice")).toContainText("background workers could not start");
      } else {
        // Its own worker, every file of it, and nothing else.
        expect([...new Set(workerFiles)].sort()).toEqual([...files.old].sort());
        expect(runs.page).toBe(0);
        expect(runs.workers.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      }
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
