// Loading: the release build, served from a sub-path by a plain static server, starts cleanly
// (no failed request, no console error or warning, no CSP violation, every request under the
// sub-path), loads the analysis module after the main app, shows its static skeleton until the
// wasm has started, and a readable message, not a blank page, when a wasm cannot be loaded.
import {
  test,
  expect,
  openApp,
  recordCspViolations,
  readClock,
  MAIN_WASM,
  ANALYSIS_WASM,
} from "../support/app.js";

test("loads from the sub-path cleanly, main app first, then the analysis module", async ({ page, seen, baseURL }) => {
  await recordCspViolations(page);

  await openApp(page);
  await expect(page).toHaveTitle("Outage Drill");
  await expect(page.getByRole("heading", { level: 1, name: "Outage Drill" })).toBeVisible();
  // The main app is there (replay, what-if, safeguards), and the analysis module mounted into
  // the place the main app left for it.
  await expect(page.getByRole("heading", { level: 2, name: "Replay — as it happened" })).toBeVisible();
  await expect(page.locator("#analysis-root > .analysis")).toBeAttached();
  await expect(page.locator("#ranges")).toBeVisible();
  await expect(page.getByTestId("compare")).toBeVisible();
  await expect(page.locator("#record")).toBeAttached();
  // The app says when it became interactive (the budgets script reads this mark).
  const marks = await page.evaluate(() => performance.getEntriesByName("app-interactive").length);
  expect(marks).toBe(1);

  // Everything came from under the sub-path: the URLs in the build are relative.
  expect(seen.requests.filter((url) => !url.startsWith(baseURL))).toEqual([]);
  expect(seen.requests.filter((url) => MAIN_WASM.test(url))).toHaveLength(1);
  expect(seen.requests.filter((url) => ANALYSIS_WASM.test(url))).toHaveLength(1);
  // The analysis module is requested only after the main wasm.
  const main = seen.requests.findIndex((url) => MAIN_WASM.test(url));
  const analysis = seen.requests.findIndex((url) => /\/analysis\.js(\?|$)/.test(url));
  expect(analysis).toBeGreaterThan(main);
  expect(seen.failedRequests).toEqual([]);
  expect(seen.badResponses).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.console).toEqual([]);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
});

test("the content security policy forbids inline scripts and eval", async ({ page }) => {
  await openApp(page);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  const scriptSrc = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"));
  expect(scriptSrc).toContain("'wasm-unsafe-eval'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  const styleSrc = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("style-src"));
  expect(styleSrc).not.toContain("'unsafe-inline'");
  // Every executable script is a file; the only inline one is the loader's JSON data block.
  const inline = await page
    .locator("script:not([src])")
    .evaluateAll((scripts) => scripts.map((s) => s.type));
  expect(inline).toEqual(["application/json"]);
});

test("shows the static loading skeleton until the wasm has started", async ({ page }) => {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(MAIN_WASM, async (route) => {
    await held;
    await route.continue();
  });

  await page.goto("./");
  const skeleton = page.locator(".skeleton");
  await expect(skeleton).toBeVisible();
  await expect(skeleton.getByRole("heading", { level: 1 })).toHaveText("Outage Drill");
  await expect(skeleton.getByRole("status")).toContainText("Loading");
  await expect(page.locator('[data-ready="true"]')).toHaveCount(0);

  release();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(skeleton).toHaveCount(0);
});

test.describe("when a file cannot be loaded", () => {
  test.use({ consoleErrors: true });

  test("a main wasm that cannot be loaded gives a readable error, not a blank page", async ({ page }) => {
    await page.route(MAIN_WASM, (route) => route.fulfill({ status: 404, body: "not found" }));
    await page.goto("./");
    const panel = page.getByRole("alert");
    await expect(panel).toBeVisible();
    await expect(panel.getByRole("heading")).toHaveText("Outage Drill could not start");
    await expect(panel.getByRole("link", { name: "Reload the page" })).toBeVisible();
    await expect(page.locator(".skeleton")).toHaveCount(0);
  });

  test("an analysis module that cannot be loaded is reported where it would be, and the replay still works", async ({
    page,
  }) => {
    await page.route(ANALYSIS_WASM, (route) => route.fulfill({ status: 404, body: "not found" }));
    await openApp(page, { analysis: false });
    const problem = page.locator("#analysis-root").getByTestId("error");
    await expect(problem).toBeVisible();
    await expect(problem).toHaveAttribute("role", "alert");
    await expect(problem).toContainText("Ranges and comparison could not load");
    await expect(problem).toContainText("The replay above still works");
    await expect(page.locator(".analysis")).toHaveCount(0);
    // The main app is untouched: stepping still moves the clock.
    const before = await readClock(page);
    await page.getByTestId("step-next").click();
    await expect.poll(() => readClock(page)).toBeGreaterThan(before);
  });
});
