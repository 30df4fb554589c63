// Offline once opened: after one visit, the service worker holds the whole build (the Monte
// Carlo worker included), so the page reloads and runs Monte Carlo with no network; a new
// deployment installs beside the running one, the page says a new version is ready, and
// reloads into it when asked: old and new files never mix. Served from a sub-path, so the
// service worker's scope is the site's folder.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test, expect, openApp } from "../support/app.js";

const dist = process.env.E2E_DIST || fileURLToPath(new URL("../../dist", import.meta.url));

/** Waits until the service worker is active and its cache holds the whole build. */
async function waitForOfflineCopy(page) {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          if (!registration || !registration.active || registration.active.state !== "activated") return "not active";
          const keys = (await caches.keys()).filter((k) => k.startsWith("outage-drill-"));
          if (keys.length !== 1) return `caches: ${keys.join(", ")}`;
          const cached = await (await caches.open(keys[0])).keys();
          const has = (re) => cached.some((r) => re.test(r.url));
          return has(/mc-worker-[0-9a-f]{16}_bg\.wasm$/) && has(/outage-drill-[0-9a-f]+_bg\.wasm$/) ? "ready" : "incomplete";
        }),
      { timeout: 40_000, intervals: [500] },
    )
    .toBe("ready");
}

test("after one visit the page reloads and runs Monte Carlo with no network", async ({ page, context }) => {
  test.setTimeout(90_000);
  await openApp(page);
  // The offline copy is made in the background after the start.
  await waitForOfflineCopy(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
  expect(scope).toBe(new URL("./", page.url()).href);

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.getByTestId("safeguard-uptime_check").check();
  await page.getByTestId("mc-run").click();
  const result = page.getByTestId("mc-result");
  await expect(result.locator(".result-meta")).toContainText(/on \d+ workers?/);
  await expect(result.getByRole("img")).toBeVisible();
  await context.setOffline(false);
});

test.describe("a new deployment", () => {
  let server;
  let site;
  let base;

  test.beforeAll(async () => {
    site = mkdtempSync(path.join(tmpdir(), "outage-drill-deploy-"));
    cpSync(dist, path.join(site, "drills", "outage"), { recursive: true });
    const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml" };
    server = createServer((req, res) => {
      const url = new URL(req.url, "http://localhost");
      let file = path.join(site, decodeURIComponent(url.pathname));
      if (file.endsWith("/")) file = path.join(file, "index.html");
      if (!file.startsWith(site)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = readFileSync(file);
        res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" });
        res.end(body);
      } catch {
        res.writeHead(404).end("not found");
      }
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}/drills/outage/`;
  });

  test.afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(site, { recursive: true, force: true });
  });

  test("is announced as a new version to reload into, never mixed with the old one", async ({ page }) => {
    test.setTimeout(90_000);
    await openApp(page, base);
    await waitForOfflineCopy(page);
    const build = () =>
      page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("outage-drill-")).sort());
    const before = await build();

    // Deploy: a new build id in the service worker (what a new build writes).
    const swFile = path.join(site, "drills", "outage", "sw.js");
    writeFileSync(swFile, readFileSync(swFile, "utf8").replace(/"build": "[0-9a-f]+"/, '"build": "0000000000000001"'));

    await page.reload();
    await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
    const notice = page.getByTestId("notice").filter({ hasText: "A new version of Outage Drill is ready" });
    await expect(notice).toBeVisible({ timeout: 30_000 });
    // Until asked, the page keeps running the old version, from its own cache.
    expect(await build()).toEqual([...before, "outage-drill-0000000000000001"].sort());

    const reloaded = page.waitForEvent("load");
    await notice.getByTestId("notice-action").click();
    await reloaded;
    await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
    await expect.poll(build).toEqual(["outage-drill-0000000000000001"]);
    await expect(page.getByTestId("notice").filter({ hasText: "A new version" })).toHaveCount(0);
  });
});
