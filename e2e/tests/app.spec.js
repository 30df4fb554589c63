// Loading: the release build, served from a sub-path by a plain static server, starts cleanly
// as one app (no failed request, no console error or warning, no CSP violation, every request
// under the sub-path, no global shared between parts of the page), starts the Monte Carlo
// worker only on first use, shows its static skeleton until the wasm has started, and a
// readable message, not a blank page, when the wasm cannot be loaded.
import {
  test,
  expect,
  openApp,
  recordCspViolations,
  readClock,
  simulatedRuns,
  MAIN_WASM,
  WORKER_SCRIPT,
  WORKER_WASM,
} from "../support/app.js";

test("loads from the sub-path cleanly, as one app, without the worker until it is needed", async ({ page, seen, baseURL }) => {
  await recordCspViolations(page);

  await openApp(page);
  await expect(page).toHaveTitle("Outage Drill");
  await expect(page.getByRole("heading", { level: 1, name: "Outage Drill" })).toBeVisible();
  // One Yew app holds every section.
  await expect(page.locator(".app")).toHaveCount(1);
  await expect(page.getByRole("heading", { level: 2, name: "Replay — as it happened" })).toBeVisible();
  for (const section of ["#replay", "#what-if", "#ranges", "[data-testid=compare]", "#record"]) {
    await expect(page.locator(`.app ${section}`), section).toHaveCount(1);
  }
  // One mounted app: the page's root holds exactly one app element, which is the only one that
  // says it is ready, and the analysis sections are inside it.
  await expect(page.locator("#app > *")).toHaveCount(1);
  await expect(page.locator("[data-ready]")).toHaveCount(1);
  await expect(page.locator('#app > .app[data-ready="true"] #ranges')).toHaveCount(1);
  // No state shared through window globals.
  const globals = await page.evaluate(() => Object.keys(window).filter((k) => /outage|drill/i.test(k)));
  expect(globals).toEqual([]);
  // The app says when it became interactive (the budgets script reads this mark).
  const marks = await page.evaluate(() => performance.getEntriesByName("app-interactive").length);
  expect(marks).toBe(1);

  // Everything came from under the sub-path: the URLs in the build are relative.
  expect(seen.requests.filter((url) => !url.startsWith(baseURL))).toEqual([]);
  expect(seen.requests.filter((url) => MAIN_WASM.test(url))).toHaveLength(1);
  // The worker is not part of the start.
  expect(seen.requests.filter((url) => WORKER_SCRIPT.test(url) || WORKER_WASM.test(url))).toEqual([]);
  expect(page.workers()).toHaveLength(0);
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

  test("a worker that cannot be loaded: Monte Carlo runs on the page, which says so once", async ({ page }) => {
    await page.route(WORKER_SCRIPT, (route) => route.fulfill({ status: 404, body: "not found" }));
    await openApp(page);
    await page.getByTestId("safeguard-uptime_check").check();
    await page.getByTestId("mc-run").click();
    const result = page.getByTestId("mc-result");
    await expect(result.locator(".result-meta")).toContainText("on this page (no workers)");
    // The page's own thread simulated the runs (the default 10 000 × 2 configurations): the
    // count the workers' test reads as 0 does count the page's work.
    expect((await simulatedRuns(page)).page).toBe(20_000);
    const notice = page.locator(".notice");
    await expect(notice).toHaveCount(1);
    await expect(notice).toHaveAttribute("role", "status");
    await expect(notice).toContainText("background workers could not start");
    await notice.getByRole("button", { name: "Dismiss this message" }).click();
    // Said once: a second run says nothing new, and still works.
    await page.getByTestId("compare-run").click();
    await expect(page.getByTestId("compare-result").locator(".result-meta")).toContainText("on this page (no workers)");
    await expect(page.locator(".notice")).toHaveCount(0);
    // The replay was never held up.
    const before = await readClock(page);
    await page.getByTestId("step-next").click();
    await expect.poll(() => readClock(page)).toBeGreaterThan(before);
  });
});
