// Ranges (Monte Carlo) and Compare: a run shows its progress, then the distribution with
// P50/P90/P99 and who detected first; it can be cancelled; a bad number of runs is refused and the
// old one kept; compare and ranking produce their tables; settings changed in one section are
// actions on the one state that every other section follows.
import { test, expect, openApp, parseDuration } from "../support/app.js";

/** The cells of a row of the ranges table, by its header ("P50 (median)", "P90", ...). */
async function rangesRow(page, header) {
  const row = page.getByTestId("mc-result").locator("table tbody tr").filter({ has: page.getByRole("rowheader", { name: header, exact: true }) });
  await expect(row).toHaveCount(1);
  return row.locator("td").allTextContents();
}

/**
 * Watches the texts the ranges' progress line shows, from now on (a 10 000-run job is over in a
 * few slices, faster than polling from outside could see).
 */
async function recordProgressTexts(page, section = "#ranges") {
  await page.evaluate((section) => {
    const line = document.querySelector(`${section} .progress-text`);
    window.__progressTexts = [line.textContent];
    new MutationObserver(() => window.__progressTexts.push(line.textContent)).observe(line, {
      characterData: true,
      childList: true,
      subtree: true,
    });
  }, section);
}

test("Monte Carlo shows its progress, then ranges; with the uptime check the median time to detect is under a minute", async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId("safeguard-uptime_check").check();
  const run = page.getByTestId("mc-run");
  await expect(run).toHaveText("Run 10,000 × 2 configurations");
  const progress = page.getByTestId("mc-progress");
  await expect(progress).toBeVisible();
  await expect(page.locator("#ranges .progress-text")).toHaveText("Not run yet.");
  await expect(page.getByTestId("mc-result")).toHaveCount(0);

  await recordProgressTexts(page);
  await run.click();
  const result = page.getByTestId("mc-result");
  await expect(result).toBeVisible();
  const texts = await page.evaluate(() => window.__progressTexts);
  expect(texts.some((t) => /^Running: [\d,]+ of 10,000 runs$/.test(t)), texts.join(" | ")).toBe(true);
  await expect(page.locator("#ranges .progress-text")).toHaveText("Done: 10,000 runs per configuration");
  // The progress bar stays, full.
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("max", "10000");
  await expect(progress).toHaveAttribute("value", "10000");
  await expect(page.getByTestId("mc-cancel")).toBeDisabled();

  await expect(result.locator(".result-meta")).toHaveText(
    /^10,000 runs × 2 in \d+ ms on \d+ workers?, seed 1\.\s*$/,
  );
  // The histogram, named for screen readers, with both configurations in its legend.
  const chart = result.getByRole("img", { name: "Distribution of Time to detect over 10000 runs per configuration" });
  await expect(chart).toBeVisible();
  expect(await chart.locator(".series-0 rect").count()).toBeGreaterThan(0);
  expect(await chart.locator(".series-1 rect").count()).toBeGreaterThan(0);
  await expect(result.locator("figcaption")).toContainText("As it happened");
  await expect(result.locator("figcaption")).toContainText("With safeguards");

  // P50 as it happened is close to the recorded hour; with a 60 s uptime check, under a minute.
  const [asItHappened, withSafeguards] = (await rangesRow(page, "P50 (median)")).map(parseDuration);
  expect(asItHappened).toBeGreaterThan(30 * 60);
  expect(withSafeguards).not.toBeNull();
  expect(withSafeguards).toBeLessThan(60);
  const p90 = (await rangesRow(page, "P90")).map(parseDuration);
  const p99 = (await rangesRow(page, "P99")).map(parseDuration);
  for (const k of [0, 1]) {
    expect(p90[k]).toBeGreaterThanOrEqual(k === 0 ? asItHappened : withSafeguards);
    expect(p99[k]).toBeGreaterThanOrEqual(p90[k]);
  }
  expect(p99[1]).toBeLessThanOrEqual(60);
  // Under the table: what the figures are taken over, and the day itself beside the runs. Time
  // to detect is the one duration whose median gives way to the calibration, and says so.
  const notes = result.getByTestId("mc-notes");
  await expect(notes).toContainText("taken over the runs in which this time could be measured (10,000 of 10,000 as it happened, 10,000 of 10,000 with safeguards)");
  await expect(notes).toContainText("On the day itself (the replay of the record): 1 h.");
  const [p50Text] = await rangesRow(page, "P50 (median)");
  await expect(notes).toContainText(`The median of the runs as it happened is ${p50Text}: the runs are calibrated`);
  await expect(result.locator(".detection")).toContainText("First detected by — With safeguards");
  await expect(result.locator(".detection > div").nth(1)).toContainText("Uptime check");

  // Another metric redraws the distribution and the table from the same runs.
  await page.locator("#mc-metric").selectOption({ label: "Time to mitigate" });
  await expect(result.getByRole("img", { name: /^Distribution of Time to mitigate over 10000 runs/ })).toBeVisible();
  await expect(result.locator(".result-meta")).toHaveText(/^10,000 runs × 2 in/);
  // Time to mitigate is calibrated to the record: the median run is the day (within 2 %).
  await expect(notes).toContainText("On the day itself (the replay of the record): 2 h 27 min.");
  await expect(notes).not.toContainText("The median of the runs");

  // Changing the seed on the main page marks the result as out of date.
  await page.getByTestId("seed").fill("2");
  await page.getByTestId("seed").press("Tab");
  await expect(result.locator(".result-meta")).toContainText("changed since: run again to update");
});

test("a long run can be cancelled: progress says so, no result is shown, and a new run works", async ({ page }) => {
  await openApp(page);
  const runs = page.getByTestId("mc-runs");
  await runs.fill("100000");
  await runs.press("Tab");
  const run = page.getByTestId("mc-run");
  await expect(run).toHaveText("Run 100,000 × as it happened");

  // Click Run, then Cancel as soon as it is offered (in the page: a job of this size is over in a
  // fraction of a second). Each click is its own task, as a user's would be.
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const cancel = document.querySelector("[data-testid=mc-cancel]");
        const observer = new MutationObserver(() => {
          if (!cancel.disabled) {
            observer.disconnect();
            setTimeout(() => {
              cancel.click();
              resolve();
            }, 0);
          }
        });
        observer.observe(cancel, { attributes: true, attributeFilter: ["disabled"] });
        document.querySelector("[data-testid=mc-run]").click();
        setTimeout(() => reject(new Error("Cancel was never enabled")), 10_000);
      }),
  );
  const text = page.locator("#ranges .progress-text");
  await expect(text).toHaveText(/^Cancelled after [\d,]+ of 100,000 runs$/);
  const done = Number((await text.textContent()).match(/after ([\d,]+) of/)[1].replace(/,/g, ""));
  expect(done).toBeLessThan(100_000);
  await expect(page.getByTestId("mc-progress")).toHaveAttribute("value", String(done));
  await expect(page.getByTestId("mc-progress")).toHaveAttribute("max", "100000");
  await expect(page.getByTestId("mc-cancel")).toBeDisabled();
  await expect(page.getByTestId("mc-result")).toHaveCount(0);

  // Nothing is stuck: running again completes.
  await run.click();
  await expect(page.getByTestId("mc-result").locator(".result-meta")).toHaveText(/^100,000 runs × 1 in/, {
    timeout: 20_000,
  });
  await expect(text).toHaveText("Done: 100,000 runs per configuration");
});

test("a number of runs out of range is refused with a message and the old number is kept", async ({ page }) => {
  await openApp(page);
  const runs = page.getByTestId("mc-runs");
  for (const bad of ["5", "100001"]) {
    await runs.fill(bad);
    await runs.press("Tab");
    const error = page.getByTestId("error");
    await expect(error).toBeVisible();
    await expect(error).toContainText("Runs must be between 100 and 100000; kept 10000.");
    await expect(page.getByTestId("mc-run")).toHaveText("Run 10,000 × as it happened");
    await error.getByRole("button", { name: "Dismiss this message" }).click();
    await expect(error).toHaveCount(0);
  }
  // The kept value is the one used.
  await page.getByTestId("mc-run").click();
  await expect(page.getByTestId("mc-result").locator(".result-meta")).toHaveText(/^10,000 runs × 1 in/);
});

test("Compare runs four configurations side by side, and the ranking says what each safeguard buys", async ({ page }) => {
  await openApp(page);
  const compare = page.getByTestId("compare");
  await compare.scrollIntoViewIfNeeded();
  await expect(page.getByTestId("compare-run")).toHaveText("Compare 4 × 10,000 runs");
  await page.getByTestId("compare-run").click();
  const result = page.getByTestId("compare-result");
  await expect(result).toBeVisible();
  await expect(page.getByTestId("compare-progress")).toHaveAttribute("value", "10000");
  await expect(result.locator(".result-meta")).toHaveText(/^10,000 runs per configuration, seed 1, in \d+ ms on \d+ workers?\./);
  // Each configuration's column, then (after the first) its difference from the first.
  const headers = await result.locator("thead th").allTextContents();
  expect(headers.slice(1)).toEqual([
    "As it happened",
    "Postmortem fix: uptime alerts",
    "vs As it happened",
    "Uptime + paging",
    "vs As it happened",
    "Defence in depth",
    "vs As it happened",
  ]);
  const ttd = result.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: "Time to detect", exact: true }) });
  const cells = await ttd.locator("td:not(.diff)").allTextContents();
  expect(cells).toHaveLength(4);
  // "59 min [57 min–61 min] · P90 2 h 8 min": the median before its interval and the dot.
  const p50 = cells.map((c) => parseDuration(c.split("·")[0].replace(/\[.*\]/, "").trim()));
  expect(p50[0]).toBeGreaterThan(30 * 60);
  expect(p50[1]).toBeLessThan(60);
  expect(p50[2]).toBeLessThan(60);
  await expect(result.getByRole("img", { name: /^Share of runs with Time to detect at most x/ })).toBeVisible();
  const prevented = await result
    .locator("tbody tr")
    .filter({ has: page.getByRole("rowheader", { name: "Prevented", exact: true }) })
    .locator("td:not(.diff)")
    .allTextContents();
  // As it happened nothing is prevented; the interval (Wilson's) says how sure that is.
  expect(prevented[0]).toMatch(/^0\.0 % \[0\.0–0\.\d %\]$/);
  expect(Number.parseFloat(prevented[3])).toBeGreaterThan(0);

  await page.getByTestId("rank-run").click();
  const ranking = page.getByTestId("ranking");
  await expect(ranking).toBeVisible({ timeout: 20_000 });
  await expect(ranking.locator("caption")).toContainText("Error budget used per incident: as it happened");
  await expect(ranking.locator("tbody tr")).toHaveCount(13);
  await expect(page.getByTestId("rank-progress")).toHaveAttribute("value", /^\d+$/);
});

// One state: a setting changed in one section is an action every other section follows.
test("a ranking row switches its safeguard on, and compare adopts the current what-if", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("preset-postmortem-fix").click();
  await expect(page.getByTestId("mc-run")).toHaveText("Run 10,000 × 2 configurations");
  // The analysis's own settings leave the what-if alone.
  const runs = page.getByTestId("mc-runs");
  await runs.fill("20000");
  await runs.press("Tab");
  await expect(page.getByTestId("mc-run")).toHaveText("Run 20,000 × 2 configurations");
  await expect(page.getByTestId("preset-postmortem-fix")).toHaveAttribute("aria-pressed", "true");

  await page.getByTestId("rank-run").click();
  const ranking = page.getByTestId("ranking");
  await expect(ranking).toBeVisible({ timeout: 20_000 });
  // The uptime check is on already; automatic paging is not, and its row switches it on.
  await expect(ranking.locator("tr", { hasText: "Uptime check" })).toContainText("on");
  await ranking.getByTestId("rank-switch-on-auto_page").click();
  await expect(page.getByTestId("safeguard-auto_page")).toBeChecked();
  await expect(page.getByTestId("preset-postmortem-fix")).toHaveAttribute("aria-pressed", "false");
  await expect(page.locator("#what-if thead")).toContainText("With safeguards");
  // The ranking stays, marked as computed for the previous set.
  await expect(page.getByTestId("compare").locator(".stale")).toContainText("rank again");

  // Compare: one slot out, then the current what-if in.
  await page.getByRole("button", { name: "Remove configuration 4" }).click();
  await page.getByRole("button", { name: "+ Add the current what-if" }).click();
  await expect(page.getByTestId("compare").locator(".slot").nth(3)).toContainText("Custom: Uptime check, Automatic paging");
});
