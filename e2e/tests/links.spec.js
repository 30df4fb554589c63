// Links and saved sessions: the whole view lives in the address's fragment, in the command
// line's vocabulary; a link reproduces the command line's run for its seed; a link with bad parts
// opens with the good ones and names the rest; the address follows the view (a preset is a
// history entry Back returns from); the last session comes back on the bare address; stored data
// that cannot be used is set aside with a message; Reset returns to the record; Copy link copies.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test, expect, openApp, readClock, headlineTtd, parseDuration, enabledSafeguards } from "../support/app.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** The view part of the address (after `#`). */
const fragment = (page) => page.evaluate(() => decodeURIComponent(location.hash.slice(1)));

/** A what-if metrics row's cells: as it happened, with safeguards, change. */
async function whatIfRow(page, metric) {
  const row = page.locator("#what-if tbody tr").filter({ has: page.locator(".metric-name", { hasText: new RegExp(`^${metric}$`) }) });
  return row.locator("td").allTextContents();
}

test("a link with safeguards, parameters and seed gives the command line's run for that seed", async ({ page }) => {
  test.setTimeout(300_000);
  const cli = JSON.parse(
    execFileSync(
      "cargo",
      ["run", "--quiet", "-p", "outage-sim", "--", "run", "--with", "uptime_check:interval_s=300", "--seed", "7", "--runs", "100", "--trace", "--json"],
      { cwd: repo, encoding: "utf8", timeout: 280_000 },
    ),
  );
  const events = cli.counterfactual.events;
  const at = (kind) => Date.parse(events.find((e) => e.kind.kind === kind).at) / 1000;
  const gone = at("service_gone");
  const ttd = at("uptime_down") - gone;
  const ttm = Date.parse(events.find((e) => e.kind.kind === "restored").at) / 1000 - gone;

  await openApp(page, "./#with=uptime_check:interval_s=300&seed=7");
  await expect(page.getByTestId("notice")).toHaveCount(0);
  expect(await enabledSafeguards(page)).toEqual(["uptime_check"]);
  await expect(page.locator("#p-uptime_check-interval_s")).toHaveValue("300");
  await expect(page.getByTestId("seed")).toHaveValue("7");
  const headline = await headlineTtd(page);
  expect(headline.seconds).toBeGreaterThanOrEqual(0);
  expect(headline.seconds).toBeLessThanOrEqual(300);
  // The trace gives whole seconds; the headline rounds the run's milliseconds.
  expect(Math.abs(headline.seconds - ttd), `headline ${headline.text}, CLI ${ttd} s`).toBeLessThanOrEqual(1);
  const [, withSafeguards] = await whatIfRow(page, "Time to mitigate");
  expect(parseDuration(withSafeguards)).toBe(Math.round(ttm / 60) * 60);
  // The address keeps the view, in the same words.
  expect(await fragment(page)).toBe("with=uptime_check:interval_s=300&seed=7");
});

test("a link with junk opens with the good parts and a notice naming each part ignored", async ({ page }) => {
  await openApp(page, "./#with=nonsense&seed=7");
  await expect(page.getByTestId("seed")).toHaveValue("7");
  const notice = page.getByTestId("notice");
  await expect(notice).toHaveAttribute("role", "status");
  await expect(notice).toContainText("with=nonsense");
  await expect(notice).toContainText("unknown safeguard 'nonsense'");
  expect(await enabledSafeguards(page)).toEqual([]);

  // Another link in the same page (a fragment edited by hand) opens too.
  await openApp(page, "./#%%zz&&==&colour=red&seed=abc&with=uptime_check:interval_s=1&runs=20000&at=03:00");
  const text = await page.getByTestId("notice").filter({ hasText: "colour=red" }).textContent();
  for (const part of ["colour=red", "seed=abc", "with=uptime_check:interval_s=1", "at=03:00", "%%zz"]) {
    expect(text, part).toContain(part);
  }
  await expect(page.getByTestId("mc-run")).toHaveText("Run 20,000 × as it happened");
  // The page works: stepping moves the clock.
  const before = await readClock(page);
  await page.getByTestId("step-next").click();
  await expect.poll(() => readClock(page)).toBeGreaterThan(before);
});

test("a repeated part opens with a notice naming it and the value used", async ({ page }) => {
  await openApp(page, "./#assume=sites=40&assume=sites=50&with=uptime_check:interval_s=60,interval_s=30&seed=3");
  const notice = page.getByTestId("notice").filter({ hasText: "assume=sites=50" });
  await expect(notice).toContainText("'assume=sites' is given more than once; the first (assume=sites=40) is used");
  await expect(notice).toContainText("uptime_check.interval_s is given more than once: the first value (60) is used, not 30");
  await expect(page.getByTestId("seed")).toHaveValue("3");
  // The link is written back once, with the values used.
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toContain("assume=sites=40");
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).not.toContain("sites=50");
});

test("the address follows the view; a preset is a history entry that Back returns from", async ({ page }) => {
  await openApp(page);
  expect(await fragment(page)).toBe("seed=1");
  const entriesBefore = await page.evaluate(() => history.length);
  await page.getByTestId("preset-uptime-paging").click();
  await expect.poll(() => fragment(page)).toBe("with=uptime_check&with=auto_page&with=status_automation&seed=1");
  await page.getByTestId("seed").fill("42");
  await page.getByTestId("seed").press("Tab");
  await expect.poll(() => fragment(page)).toContain("seed=42");
  await page.getByTestId("step-next").click();
  await expect.poll(() => fragment(page)).toMatch(/&at=\d\d:\d\d/);
  // Typing and stepping replaced the entry; only the preset added one.
  expect(await page.evaluate(() => history.length)).toBe(entriesBefore + 1);
  await page.goBack();
  await expect.poll(() => enabledSafeguards(page)).toEqual([]);
  await expect(page.getByTestId("seed")).toHaveValue("1");
  await page.goForward();
  await expect.poll(() => enabledSafeguards(page)).toEqual(["uptime_check", "auto_page", "status_automation"]);
  await expect(page.getByTestId("seed")).toHaveValue("42");
});

test("leaving and reopening the bare address restores the configuration", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("preset-uptime-paging").click();
  await page.getByTestId("safeguard-deletion_guard").check();
  await page.getByTestId("seed").fill("7");
  await page.getByTestId("seed").press("Tab");
  for (let i = 0; i < 40 && (await readClock(page)) < 15 * 3600 + 46 * 60; i++) {
    await page.getByTestId("step-next").click();
  }
  const clock = await readClock(page);
  const mcRuns = page.getByTestId("mc-runs");
  await mcRuns.fill("20000");
  await mcRuns.press("Tab");
  await expect.poll(() => fragment(page)).toContain("runs=20000");

  await page.goto("about:blank");
  await openApp(page);
  expect(await enabledSafeguards(page)).toEqual(["deletion_guard", "uptime_check", "auto_page", "status_automation"]);
  await expect(page.getByTestId("seed")).toHaveValue("7");
  expect(await readClock(page)).toBe(clock);
  await expect(page.getByTestId("mc-run")).toHaveText("Run 20,000 × 2 configurations");
  await expect(page.getByTestId("notice")).toHaveCount(0);
  expect(await fragment(page)).toContain("with=deletion_guard");

  // A link says otherwise: it wins over the session.
  await openApp(page, "./#seed=3");
  expect(await enabledSafeguards(page)).toEqual([]);
  await expect(page.getByTestId("seed")).toHaveValue("3");

  // Reset returns to the record.
  await page.getByTestId("preset-defence-in-depth").click();
  await page.getByTestId("reset").click();
  expect(await enabledSafeguards(page)).toEqual([]);
  await expect(page.getByTestId("seed")).toHaveValue("1");
  await expect.poll(() => fragment(page)).toBe("seed=1");
});

test.describe("stored sessions that cannot be used", () => {
  test.use({ consoleErrors: true });

  for (const [name, stored, why] of [
    ["corrupt", "{not json", "not data this app can read"],
    ["from another version", JSON.stringify({ schema: 99, data: "seed=5" }), "another version of the app (schema 99"],
    ["too large", JSON.stringify({ schema: 1, data: "x".repeat(300_000) }), "kB, more than the 126 kB it can be"],
  ]) {
    test(`a ${name} session is set aside with a message, and the app starts from the record`, async ({ page }) => {
      await page.addInitScript(
        ([stored]) => {
          if (!sessionStorage.getItem("seeded")) {
            localStorage.setItem("outage-drill:session", stored);
            sessionStorage.setItem("seeded", "1");
          }
        },
        [stored],
      );
      await openApp(page);
      const error = page.getByTestId("error");
      await expect(error).toContainText("Your last session could not be restored");
      await expect(error).toContainText(why);
      await expect(error).toContainText("outage-drill:set-aside:");
      expect(await enabledSafeguards(page)).toEqual([]);
      // Nothing was dropped: the data is kept under the key the message names.
      const key = (await error.textContent()).match(/'(outage-drill:set-aside:[^']+)'/)[1];
      expect(await page.evaluate((key) => localStorage.getItem(key), key)).toBe(stored);
    });
  }
});

test("Copy link copies the address of this view and says so", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openApp(page, "./#with=uptime_check&seed=9");
  await page.getByTestId("copy-link").click();
  await expect(page.getByTestId("copy-link-done")).toHaveText("Link copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await page.evaluate(() => location.href));
  expect(copied).toContain("#with=uptime_check&seed=9");
});
