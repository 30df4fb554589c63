// Every screen. On phones (360×780 and 390×844), with ranges, compare and the ranking on the page:
// no horizontal scroll, no element clipping or spilling its text or cut off at its box's edge,
// every button, input, select and toggle at least 44×44 px, the header in one row at most 64 px
// high whose headline reads right on its own, every section reachable from a Menu with
// aria-expanded, the ranking's values whole. At 390×844 the timeline's lanes collapse to codes
// with a key, compare's table becomes cards, and no axis label touches the zone names.
// Screenshots of every section at 360×780, 390×844 and 1440×900 (with results) are kept with
// the test's results.
import { test, expect, openApp, readClock } from "../support/app.js";
import { screenProblems, headerHeight, MIN_TARGET } from "../support/screen.js";

const noSideScroll = async (page, width) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

/** The view every screen is checked with: two safeguards, four compare slots, quick runs. */
const VIEW = "./#with=uptime_check&with=auto_page&at=16:00&runs=2000";

/** Runs ranges, compare and the ranking, and waits for their results. */
async function withResults(page) {
  await page.getByTestId("mc-run").click();
  await expect(page.getByTestId("mc-result")).toBeVisible({ timeout: 60_000 });
  await page.getByTestId("compare-run").click();
  await expect(page.getByTestId("compare-result")).toBeVisible({ timeout: 60_000 });
  await page.getByTestId("rank-run").click();
  await expect(page.getByTestId("ranking")).toBeVisible({ timeout: 90_000 });
}

/** The sections, in the page's order, as the menu names them. */
const SECTIONS = [
  ["Replay", "replay"],
  ["What if", "what-if"],
  ["Safeguards", "safeguards"],
  ["Ranges", "ranges"],
  ["Compare", "compare"],
  ["Scenario", "scenario"],
  ["Record", "record"],
];

/**
 * Screenshots of the page from top to bottom, one viewport at a time (sections below the fold
 * are drawn only when near it), attached to the test's results.
 */
async function screenshotsOfEverySection(page, info, size) {
  const { width, height } = page.viewportSize();
  const head = await headerHeight(page);
  const ids = ["replay", "what-if", "safeguards", "ranges", "compare", "scenario", "record"];
  for (const id of ids) {
    const box = await page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return { top: r.top + scrollY, height: r.height };
    }, id);
    for (let k = 0, y = box.top; y < box.top + box.height - 40 && k < 14; k++, y += height - head - 20) {
      await page.evaluate((top) => window.scrollTo({ top, behavior: "instant" }), Math.max(0, y - head));
      await page.waitForTimeout(100);
      const name = `${size}-${id}-${k}.png`;
      await page.screenshot({ path: info.outputPath(name) });
      await info.attach(name, { path: info.outputPath(name), contentType: "image/png" });
    }
  }
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
  expect(width).toBeGreaterThan(0);
}

for (const [width, height] of [
  [360, 780],
  [390, 844],
]) {
  test.describe(`on a phone, ${width}×${height}`, () => {
    test.use({ viewport: { width, height } });

    test("every section with results fits, clips nothing, and every control is big enough to tap", async ({ page }, info) => {
      test.setTimeout(240_000);
      await openApp(page, VIEW);
      await withResults(page);
      expect(await screenProblems(page)).toEqual([]);
      // The ranking's figures are whole: "343 %", not "3".
      const values = await page.getByTestId("ranking").locator("tbody td").evaluateAll((cells) =>
        cells
          .map((td) => ({ text: td.textContent.trim(), whole: td.scrollWidth <= td.clientWidth + 1 }))
          .filter((c) => /\d %$/.test(c.text)),
      );
      expect(values.length).toBeGreaterThan(10);
      for (const v of values) {
        expect(v.whole, v.text).toBe(true);
        // The figure first, whole; its interval and percentiles may follow.
        expect(v.text).toMatch(/^\d[\d,.]* %( \[|$)/);
      }
      // A value shown inside its card: its box is within the card's.
      const inside = await page.getByTestId("ranking").locator("tbody tr").first().evaluate((tr) => {
        const card = tr.getBoundingClientRect();
        return [...tr.querySelectorAll("td")].every((td) => {
          const r = td.getBoundingClientRect();
          return r.left >= card.left - 0.5 && r.right <= card.right + 0.5;
        });
      });
      expect(inside).toBe(true);
      await screenshotsOfEverySection(page, info, `${width}x${height}`);
    });

    test("the header is one row under 64 px; its menu reaches every section", async ({ page }) => {
      test.setTimeout(120_000);
      await openApp(page, VIEW);
      expect(await headerHeight(page)).toBeLessThanOrEqual(64);
      // One row: the product, the headline and the menu button share a line.
      const tops = await page.locator(".masthead > *:not([hidden])").evaluateAll((els) =>
        els.filter((e) => getComputedStyle(e).position !== "absolute").map((e) => e.getBoundingClientRect()),
      );
      const first = tops[0];
      for (const r of tops) expect(r.top).toBeLessThan(first.bottom);
      // The headline says what it measures, for which run, and the record's figure.
      const headline = page.getByTestId("headline");
      await expect(headline).toContainText("Time to detect with safeguards");
      await expect(headline).toContainText("as it happened");
      const menu = page.getByTestId("menu");
      await expect(menu).toHaveAttribute("aria-expanded", "false");
      const box = await menu.boundingBox();
      expect(box.width).toBeGreaterThanOrEqual(MIN_TARGET);
      expect(box.height).toBeGreaterThanOrEqual(MIN_TARGET);
      for (const [label, id] of SECTIONS) {
        await menu.click();
        await expect(menu).toHaveAttribute("aria-expanded", "true");
        const link = page.locator("#header-menu nav").getByRole("link", { name: label, exact: true });
        await expect(link).toBeVisible();
        expect(await screenProblems(page)).toEqual([]);
        await link.click();
        await expect(menu).toHaveAttribute("aria-expanded", "false");
        await expect(page.locator("#header-menu")).toBeHidden();
        // The section comes into view, under the sticky header.
        await expect
          .poll(async () => {
            const r = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, id);
            const under = await headerHeight(page);
            return r >= -2 && r <= under + 80;
          }, { message: `section #${id} in view` })
          .toBe(true);
      }
      // Escape closes the menu and gives the focus back to its button.
      await menu.click();
      await page.keyboard.press("Escape");
      await expect(menu).toHaveAttribute("aria-expanded", "false");
      await expect(menu).toBeFocused();
      // The view's actions and the headline's metric are in the menu.
      await menu.click();
      await page.getByTestId("headline-metric").selectOption("time_to_mitigate_s");
      await expect(headline).toContainText("Time to mitigate with safeguards");
      await expect(page.getByTestId("copy-link")).toBeVisible();
      await expect(page.getByTestId("reset")).toBeVisible();
    });

    test("the header stays one row with a variant's mark and the longest headline", async ({ page }) => {
      await openApp(page, "./#assume=sites=400&with=uptime_check&headline=first_customer_message_s");
      await expect(page.getByTestId("variant-badge")).toBeVisible();
      await expect(page.getByTestId("headline")).toContainText("with safeguards");
      expect(await headerHeight(page)).toBeLessThanOrEqual(64);
      expect(await screenProblems(page)).toEqual([]);
    });

    test("a prevented outage reads right out of context", async ({ page }) => {
      await openApp(page, "./#with=prune_protection&seed=1");
      const headline = page.getByTestId("headline");
      await expect(headline).toContainText("Time to detect with safeguards");
      await expect(headline).toContainText("Outage prevented");
      await expect(headline).toContainText("as it happened");
      expect(await headerHeight(page)).toBeLessThanOrEqual(64);
    });
  });
}

test.describe("on a phone, 390×844, the timeline and compare", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("a timeline that uses the width, compare as cards, labels that never overlap", async ({ page }) => {
    test.setTimeout(120_000);
    await openApp(page, "./#with=uptime_check&runs=2000");
    await noSideScroll(page, 390);
    // The lanes as codes, with their key; the plot takes most of the width.
    await expect(page.getByTestId("lane-key")).toContainText("Chg Change & deploy");
    const frame = await page.getByTestId("timeline").boundingBox();
    const svgWidth = await page.locator(".timeline-svg").evaluate((s) => s.getBoundingClientRect().width);
    expect(svgWidth).toBeLessThanOrEqual(frame.width + 0.5);
    await page.getByRole("button", { name: "Show everything (jump to the end)" }).click();
    await noSideScroll(page, 390);
    // The axis's zone names and the first tick's readings never touch.
    const gap = await page.locator(".timeline-svg").evaluate((svg) => {
      const zone = svg.querySelector(".axis-zones .tick-local").getBBox();
      const first = svg.querySelector(".tick .tick-local").getBBox();
      return first.x - (zone.x + zone.width);
    });
    expect(gap).toBeGreaterThan(2);

    await page.getByTestId("mc-run").click();
    await expect(page.getByTestId("mc-result")).toBeVisible({ timeout: 60_000 });
    await page.getByTestId("compare-run").click();
    await expect(page.getByTestId("compare-result")).toBeVisible({ timeout: 60_000 });
    await page.locator("#scenario details summary").click();
    await noSideScroll(page, 390);
    // Compare's rows as stacked cards, each figure labelled with its configuration.
    const row = page.getByTestId("compare-table").locator("tbody tr").first();
    expect(await row.evaluate((r) => getComputedStyle(r).display)).toBe("grid");
    const label = await row.locator("td").nth(1).evaluate((td) => getComputedStyle(td, "::before").content);
    expect(label).toBe('"Postmortem fix: uptime alerts"');
    // Quantile labels of the histogram never overlap.
    const overlaps = await page.getByTestId("mc-result").locator("svg.chart").evaluate((svg) => {
      const boxes = [...svg.querySelectorAll(".quantile-label")].map((t) => t.getBBox());
      let n = 0;
      boxes.forEach((a, i) =>
        boxes.slice(i + 1).forEach((b) => {
          if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) n++;
        }),
      );
      return { n, count: boxes.length };
    });
    expect(overlaps.count).toBe(6);
    expect(overlaps.n).toBe(0);
  });
});

test.describe("on a phone, 390×844, scrubbing", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test("dragging the scrub bar moves the clock, and the address is written once the drag ends", async ({ page }) => {
    await page.addInitScript(() => {
      window.__writes = 0;
      const replace = history.replaceState.bind(history);
      history.replaceState = (...args) => {
        window.__writes += 1;
        return replace(...args);
      };
    });
    await openApp(page, "./#with=uptime_check");
    const start = await readClock(page);
    const bar = await page.locator(".scrub input[type=range]").boundingBox();
    expect(bar.height).toBeGreaterThanOrEqual(44);
    const y = bar.y + bar.height / 2;
    await page.mouse.move(bar.x + 4, y);
    await page.mouse.down();
    const before = await page.evaluate(() => window.__writes);
    for (let i = 1; i <= 20; i++) await page.mouse.move(bar.x + 4 + ((bar.width - 8) * i) / 40, y);
    // Mid-drag: the clock follows the finger, the address waits.
    await expect.poll(() => readClock(page)).toBeGreaterThan(start);
    expect(await page.evaluate(() => window.__writes)).toBe(before);
    await page.mouse.up();
    await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toMatch(/at=\d\d:\d\d/);
    expect(await page.evaluate(() => window.__writes)).toBe(before + 1);
    // The app's clock took the drag's last position: the clock on screen and the address agree,
    // and the next step goes on from there.
    const dropped = await readClock(page);
    const at = (await page.evaluate(() => decodeURIComponent(location.hash))).match(/at=(\d\d):(\d\d)/);
    expect(Number(at[1]) * 3600 + Number(at[2]) * 60).toBe(dropped - (dropped % 60));
    await page.getByTestId("step-next").click();
    await expect.poll(() => readClock(page)).toBeGreaterThan(dropped);
  });
});

test.describe("on a laptop, 1440×900", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("the header on one row with every link, no horizontal scroll, and every section with results", async ({ page }, info) => {
    test.setTimeout(240_000);
    await openApp(page, VIEW);
    await expect(page.getByTestId("menu")).toHaveCount(0);
    for (const label of ["Replay", "What if", "Ranges", "Compare", "Scenario"]) {
      await expect(page.locator(".masthead nav").getByRole("link", { name: label, exact: true })).toBeVisible();
    }
    expect(await headerHeight(page)).toBeLessThanOrEqual(80);
    await withResults(page);
    await noSideScroll(page, 1440);
    await screenshotsOfEverySection(page, info, "1440x900");
  });
});

test("a screenshot at 1920×1080, without horizontal scroll", async ({ page }, info) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openApp(page, "./#with=uptime_check&with=auto_page&at=16:00");
  await noSideScroll(page, 1920);
  await page.screenshot({ path: info.outputPath("page-1920x1080.png") });
  await info.attach("page-1920x1080", { path: info.outputPath("page-1920x1080.png"), contentType: "image/png" });
});
