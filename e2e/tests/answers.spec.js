// Answers for decision-makers: compare shows each configuration's difference from the first and a
// summary line; slots can be named; the compare table and the ranking download as CSV that
// parses and matches what the page shows; charts download as SVG and PNG; the header's headline
// can be any metric, and says when a figure looks worse because of how it is counted.
import { readFileSync } from "node:fs";
import { test, expect, openApp } from "../support/app.js";

/** The view part of the address (after `#`). */
const fragment = (page) => page.evaluate(() => decodeURIComponent(location.hash.slice(1)));

/** RFC 4180 CSV into rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows;
}

async function downloaded(page, info, click) {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = info.outputPath(file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

async function runCompare(page) {
  await page.getByTestId("compare-run").click();
  await expect(page.getByTestId("compare-result")).toBeVisible({ timeout: 60_000 });
}

test("compare of as it happened and the postmortem fix: a difference column and a summary line", async ({ page }) => {
  await openApp(page, "./#slot=as-it-happened&slot=postmortem-fix");
  await runCompare(page);
  const diff = page.getByTestId("compare-diff");
  await expect(diff).toHaveCount(1);
  await expect(diff).toHaveText("vs As it happened");
  const summary = page.getByTestId("compare-summary").locator("li");
  await expect(summary).toHaveCount(2);
  await expect(summary.nth(0)).toContainText(/^As it happened: the baseline — median time to detect /);
  await expect(summary.nth(1)).toContainText(/^Postmortem fix: uptime alerts: median time to detect −\d+\u00a0min, time to mitigate −/);
  await expect(summary.nth(1)).toContainText("not prevented");
  // Worse by how it is counted, and said so.
  await expect(summary.nth(1)).toContainText("worse: time to acknowledge +");
  await expect(summary.nth(1)).toContainText("starts at the first detection");
  // Each difference has its sign, an arrow and a word, not only a colour.
  const ttd = page.getByTestId("compare-table").locator("tbody tr", { hasText: "Time to detect" }).locator("td.diff .change").first();
  await expect(ttd).toHaveText(/^▼ −\d+ min better$/);
  await expect(ttd).toHaveClass(/better/);
  const tta = page.getByTestId("compare-table").locator("tbody tr", { hasText: "Time to acknowledge" }).locator("td.diff .change").first();
  await expect(tta).toHaveText(/^▲ \+\d+ min worse$/);
});

test("the compare CSV parses and matches the table; the ranking CSV has a row per safeguard", async ({ page }, info) => {
  test.setTimeout(120_000);
  await openApp(page, "./#slot=as-it-happened&slot=postmortem-fix&slot=defence-in-depth&slot-name=3:Ours, \"all in\"");
  await runCompare(page);
  const { name, path } = await downloaded(page, info, () => page.getByTestId("compare-csv").click());
  expect(name).toBe("compare.csv");
  const rows = parseCsv(readFileSync(path, "utf8"));
  expect(rows[0].slice(0, 4)).toEqual(["Metric", "Unit", "As it happened median", "As it happened P90"]);
  expect(rows[0]).toContain('Ours, "all in" median vs As it happened');
  const table = await page.getByTestId("compare-table").evaluate((t) =>
    [...t.tBodies[0].rows].map((r) => ({
      metric: r.cells[0].textContent,
      values: [...r.querySelectorAll("td")].flatMap((td) =>
        td.classList.contains("diff") ? [td.dataset.d50, td.dataset.d90] : [td.dataset.p50, td.dataset.p90],
      ),
    })),
  );
  expect(rows.length).toBe(table.length + 1);
  table.forEach((row, i) => {
    const csv = rows[i + 1];
    expect(csv[0]).toBe(row.metric);
    expect(csv.slice(2)).toEqual(row.values);
  });
  // The figures are numbers in the row's unit, and agree with the text shown.
  const ttd = rows.find((r) => r[0] === "Time to detect");
  expect(ttd[1]).toBe("min");
  const shown = await page.getByTestId("compare-table").locator("tbody tr", { hasText: "Time to detect" }).locator("td").first().textContent();
  expect(Math.round(Number(ttd[2]))).toBe(Number(shown.match(/^(\d+) min/)[1]));

  await page.getByTestId("rank-run").click();
  await expect(page.getByTestId("ranking")).toBeVisible({ timeout: 90_000 });
  const ranking = await downloaded(page, info, () => page.getByTestId("ranking-csv").click());
  const r = parseCsv(readFileSync(ranking.path, "utf8"));
  expect(r[0][0]).toBe("Safeguard");
  expect(r.length).toBe(14);
  const first = await page.getByTestId("ranking").locator("tbody tr").first().locator("th").textContent();
  expect(r[1][0]).toBe(first);
});

test("a slot can be named: the name shows in the table, the summary and the link", async ({ page }) => {
  await openApp(page, "./#slot=as-it-happened&slot=postmortem-fix");
  await page.getByTestId("slot-name-1").fill("What the postmortem promised");
  await page.getByTestId("slot-name-1").press("Enter");
  await expect.poll(() => fragment(page)).toContain("slot-name=2:What the postmortem promised");
  await runCompare(page);
  await expect(page.getByTestId("compare-table").locator("thead th").nth(2)).toHaveText("What the postmortem promised");
  await expect(page.getByTestId("compare-summary").locator("li").nth(1)).toContainText(/^What the postmortem promised: median/);
  // The field takes what the rule allows, no more: 60 characters (limits::MAX_SLOT_NAME_CHARS).
  await expect(page.getByTestId("slot-name-1")).toHaveAttribute("maxlength", "60");
  await page.getByTestId("slot-name-1").fill("x".repeat(61));
  await page.getByTestId("slot-name-1").press("Enter");
  await expect.poll(() => fragment(page)).toMatch(/slot-name=2:x{60}(&|$)/);
  await expect(page.locator(".slot").nth(1).getByTestId("error")).toHaveCount(0);
});

test("charts download as SVG and PNG", async ({ page }, info) => {
  await openApp(page, "./#slot=as-it-happened&slot=postmortem-fix");
  await runCompare(page);
  const result = page.getByTestId("compare-result");
  const svg = await downloaded(page, info, () => result.getByTestId("chart-svg").click());
  expect(svg.name).toMatch(/\.svg$/);
  const markup = readFileSync(svg.path, "utf8");
  expect(markup.startsWith("<?xml")).toBe(true);
  expect(markup).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(markup).toContain("As it happened");
  expect(markup).toContain("Postmortem fix: uptime alerts");
  // The look travels as presentation attributes (the page's CSP refuses style attributes).
  expect(markup).toMatch(/stroke="rgb\(/);
  expect(markup).not.toContain("<script");
  const png = await downloaded(page, info, () => result.getByTestId("chart-png").click());
  expect(png.name).toMatch(/\.png$/);
  const bytes = readFileSync(png.path);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Twice the chart's width, for sharpness.
  const width = bytes.readUInt32BE(16);
  const shown = await result.locator("figure svg").evaluate((s) => s.getBoundingClientRect().width);
  expect(width).toBe(Math.ceil(shown * 2));
});

test("the headline can be any metric, and says when a figure looks worse as counted", async ({ page }) => {
  await openApp(page, "./#with=uptime_check");
  await expect(page.getByTestId("metric-ttd")).toBeVisible();
  await page.getByTestId("headline-metric").selectOption("time_to_mitigate_s");
  const value = page.getByTestId("headline-value");
  await expect(value).toHaveAttribute("data-metric", "time_to_mitigate_s");
  await expect(value).toHaveText(/^\d+ min$|^\d+ h( \d+ min)?$/);
  await expect(page.getByTestId("metric-ttd")).toHaveCount(0);
  await expect.poll(() => fragment(page)).toContain("headline=time_to_mitigate_s");
  await page.getByTestId("headline-metric").selectOption("time_to_acknowledge_s");
  await expect(page.getByTestId("headline-caveat")).toContainText("worse as counted");
  await page.getByTestId("headline-metric").selectOption("time_to_detect_s");
  await expect(page.getByTestId("metric-ttd")).toBeVisible();
});
