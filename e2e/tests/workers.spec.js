// Monte Carlo in Web Workers: a 100 000-run job runs in the worker pool and not on the page's
// own thread (each thread counts the engine runs it simulated); the result is the same, bit for bit, with 1, 2 or 3
// workers; and it equals the command line's `outage-sim run --json` for the same seed and
// configuration.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test, expect, openApp, simulatedRuns, useCores, WORKER_SCRIPT } from "../support/app.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** Sets the number of runs per configuration. */
async function setRuns(page, runs) {
  const field = page.getByTestId("mc-runs");
  await field.fill(String(runs));
  await field.press("Tab");
}

/** Runs the ranges job and waits for its result. */
async function runRanges(page) {
  await page.getByTestId("mc-run").click();
  await expect(page.locator("#ranges .progress-text")).toHaveText(/^Done/, { timeout: 60_000 });
  return page.getByTestId("mc-result");
}

/** The exact values behind the ranges table (seconds for durations), row by row. */
async function rangesValues(page) {
  return page
    .getByTestId("mc-result")
    .locator("table tbody tr")
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.dataset.value ?? td.textContent)),
    );
}

test("100 000 runs run in the workers, none on the page's own thread", async ({ page }) => {
  await useCores(page, 2);
  await openApp(page);
  await page.getByTestId("safeguard-uptime_check").check();
  await setRuns(page, 100_000);
  const result = await runRanges(page);
  await expect(result.locator(".result-meta")).toContainText("100,000 runs × 2");
  await expect(result.locator(".result-meta")).toContainText("on 2 workers");
  // The pool's workers are dedicated workers running the worker script.
  const workers = page.workers();
  expect(workers).toHaveLength(2);
  for (const w of workers) expect(w.url()).toMatch(WORKER_SCRIPT);
  // With the uptime check the median time to detect is under a minute.
  const [, p50] = (await rangesValues(page))[0];
  expect(Number(p50)).toBeLessThan(60);
  // Each thread counts the engine runs it simulated: every one of the 2 × 100 000 ran in a
  // worker, both workers took a share, and the page's thread simulated none.
  const runs = await simulatedRuns(page);
  expect(runs.page, "engine runs on the page's main thread").toBe(0);
  expect(runs.workers.reduce((a, b) => a + b, 0)).toBe(200_000);
  for (const n of runs.workers) expect(n).toBeGreaterThan(0);
});

test("the same result, bit for bit, with 1, 2 and 3 workers", async ({ browser }) => {
  const seen = [];
  for (const cores of [1, 2, 3]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await useCores(page, cores);
    await openApp(page);
    await page.getByTestId("preset-uptime-paging").click();
    await page.getByTestId("seed").fill("11");
    await page.getByTestId("seed").press("Tab");
    await setRuns(page, 20_000);
    const result = await runRanges(page);
    await expect(result.locator(".result-meta")).toContainText(`on ${cores} worker${cores > 1 ? "s" : ""}`);
    const tables = {};
    for (const metric of ["Time to detect", "Time to mitigate", "Time to recover data", "Lost events"]) {
      await page.locator("#mc-metric").selectOption({ label: metric });
      tables[metric] = await rangesValues(page);
    }
    await page.getByTestId("compare-run").click();
    const compare = page.getByTestId("compare-result");
    await expect(compare).toBeVisible({ timeout: 60_000 });
    tables.compare = await compare.locator("tbody").innerText();
    seen.push(tables);
    await context.close();
  }
  expect(seen[1]).toEqual(seen[0]);
  expect(seen[2]).toEqual(seen[0]);
});

test("the pool's figures equal the command line's `run --json` for the same seed", async ({ page }) => {
  test.setTimeout(300_000);
  const cli = (...args) =>
    JSON.parse(
      execFileSync("cargo", ["run", "--quiet", "-p", "outage-sim", "--", "run", "--runs", "10000", "--seed", "7", "--json", ...args], {
        cwd: repo,
        encoding: "utf8",
        timeout: 280_000,
      }),
    );
  const record = cli();
  const uptime = cli("--with", "uptime_check");

  await openApp(page);
  await page.getByTestId("safeguard-uptime_check").check();
  await page.getByTestId("seed").fill("7");
  await page.getByTestId("seed").press("Tab");
  await runRanges(page);
  for (const [metric, key] of [
    ["Time to detect", "time_to_detect_s"],
    ["Time to mitigate", "time_to_mitigate_s"],
    ["Lost events", "lost_events"],
  ]) {
    await page.locator("#mc-metric").selectOption({ label: metric });
    const [p50Record, p50Uptime] = (await page
      .getByTestId("mc-result")
      .locator("tbody tr", { has: page.getByRole("rowheader", { name: "P50 (median)", exact: true }) })
      .locator("td")
      .evaluateAll((tds) => tds.map((td) => Number(td.dataset.value))));
    const close = (app, cliValue) => Math.abs(app - cliValue) <= 0.002 * Math.abs(cliValue) + 0.001;
    expect(close(p50Record, record.metrics[key].p50), `${metric} P50 as it happened: app ${p50Record}, CLI ${record.metrics[key].p50}`).toBe(true);
    expect(close(p50Uptime, uptime.metrics[key].p50), `${metric} P50 with the uptime check: app ${p50Uptime}, CLI ${uptime.metrics[key].p50}`).toBe(true);
  }
});
