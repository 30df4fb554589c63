// Every screen: at 390×844 the page never scrolls sideways (with results on it too), the sticky
// header stays under 80 px, the timeline's lanes collapse to codes with a key and the plot keeps
// the width, compare's table becomes stacked cards, and no axis label touches the zone names.
// Screenshots at 390×844, 1440×900 and 1920×1080 are kept with the test's results.
import { test, expect, openApp } from "../support/app.js";

const noSideScroll = async (page, width) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

test.describe("on a phone, 390×844", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("no horizontal scroll, a short header, a timeline that uses the width", async ({ page }) => {
    test.setTimeout(120_000);
    await openApp(page, "./#with=uptime_check");
    await noSideScroll(page, 390);
    const header = await page.locator(".masthead").boundingBox();
    expect(header.height).toBeLessThan(80);
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
    const overlaps = await page.getByTestId("mc-result").locator("svg").evaluate((svg) => {
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

for (const [width, height] of [
  [390, 844],
  [1440, 900],
  [1920, 1080],
]) {
  test(`a screenshot at ${width}×${height}, without horizontal scroll`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    await openApp(page, "./#with=uptime_check&with=auto_page&at=16:00");
    await noSideScroll(page, width);
    await page.screenshot({ path: info.outputPath(`page-${width}x${height}.png`) });
    await info.attach(`page-${width}x${height}`, { path: info.outputPath(`page-${width}x${height}.png`), contentType: "image/png" });
  });
}
