// Answers for decision-makers: compare shows each configuration's difference from the first and a
// summary line; slots can be named; the compare table and the ranking download as CSV that
// parses and matches what the page shows, after the facts that reproduce it, which the command
// line turns back into the same figures; the summary lines copy to the clipboard with their
// ranges and run counts; charts download as SVG and PNG (and a 16:9 PNG for slides) with a
// title, a caption naming scenario, seed and runs, and <title>/<desc>; the header's headline can
// be any metric, and says when a figure looks worse because of how it is counted.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect, openApp } from "../support/app.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** `outage-sim` with `args`, its JSON output parsed. */
function outageSim(args) {
  return JSON.parse(
    execFileSync("cargo", ["run", "--quiet", "-p", "outage-sim", "--", ...args, "--json"], {
      cwd: repo,
      encoding: "utf8",
      timeout: 280_000,
      maxBuffer: 1 << 26,
    }),
  );
}

/** A CSV's rows from the one whose first field is `first` up to the next empty row. */
function block(rows, first) {
  const at = rows.findIndex((r) => r[0] === first);
  expect(at, `a '${first}' row`).toBeGreaterThanOrEqual(0);
  const end = rows.findIndex((r, i) => i > at && r.length === 1 && r[0] === "");
  return rows.slice(at, end < 0 ? rows.length : end);
}

/** The value(s) of a fact row (`label`, value, …) of a CSV. */
function fact(rows, label) {
  const row = rows.find((r) => r[0] === label);
  expect(row, `a '${label}' row`).toBeTruthy();
  return row.slice(1);
}

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
  const rows = block(parseCsv(readFileSync(path, "utf8")), "Metric");
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
  const r = block(parseCsv(readFileSync(ranking.path, "utf8")), "Safeguard");
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

test("the CSVs start with what reproduces them, and the command line gives their figures back", async ({ page }, info) => {
  test.setTimeout(600_000);
  await openApp(page, "./#slot=as-it-happened&slot=postmortem-fix&runs=2000&seed=3");
  await runCompare(page);
  const all = parseCsv(readFileSync((await downloaded(page, info, () => page.getByTestId("compare-csv").click())).path, "utf8"));
  expect(fact(all, "Outage Drill")).toEqual(["Compare configurations"]);
  expect(fact(all, "Scenario")[0]).toBe("eptura-2024-07-10");
  expect(fact(all, "Scenario version")).toEqual(["scenario file format 3", "built in"]);
  expect(fact(all, "Variant changes")).toEqual(["none"]);
  expect(fact(all, "Seed")).toEqual(["3"]);
  expect(fact(all, "Runs per configuration")).toEqual(["2000"]);
  expect(fact(all, "App version")[0]).toMatch(/^\d+\.\d+\.\d+ \(build [0-9a-z]+\)$/);
  const link = fact(all, "Link")[0];
  expect(link).toMatch(/\/drills\/outage\/#.*seed=3.*&section=compare$/);
  // The metrics' keys, as the command line names them, from the headline's choice of metric.
  const keys = Object.fromEntries(
    await page.getByTestId("headline-metric").locator("option").evaluateAll((os) => os.map((o) => [o.textContent, o.value])),
  );
  const configs = block(all, "Configuration").slice(1);
  expect(configs.map((c) => c[1])).toEqual(["As it happened", "Postmortem fix: uptime alerts"]);
  const table = block(all, "Metric");
  for (const [i, config] of configs.entries()) {
    // The facts, and only they, make the command: scenario, seed, runs, every safeguard with
    // every parameter.
    const withs = config[2] === "none" ? [] : config[2].split(" ").flatMap((w) => ["--with", w]);
    const args = ["run", "--scenario", fact(all, "Scenario")[0], "--seed", "3", "--runs", "2000", ...withs];
    expect(config[3].startsWith(`outage-sim run --scenario eptura-2024-07-10 --seed 3 --runs 2000`), config[3]).toBe(true);
    const cli = outageSim(args);
    const column = table[0].indexOf(`${config[1]} median`);
    for (const row of table.slice(1)) {
      const [label, unit] = row;
      const p50 = label === "Prevented" ? null : cli.metrics[keys[label]].p50;
      const want =
        label === "Prevented" ? (100 * cli.outcomes.prevented) / cli.runs : p50 === null ? null : unit === "min" ? p50 / 60 : p50;
      /** The CSV's figure against the command line's (none for none). */
      const same = (csv, cliValue, what) => {
        if (cliValue === null || cliValue === undefined) expect(csv, what).toBe("");
        else expect(Math.abs(Number(csv) - cliValue), `${what}: ${csv} vs ${cliValue}`).toBeLessThanOrEqual(0.006);
      };
      same(row[column], want, `${config[1]}: ${label} median`);
      if (label !== "Prevented") {
        const p90 = cli.metrics[keys[label]].p90;
        same(row[column + 1], p90 === null ? null : unit === "min" ? p90 / 60 : p90, `${config[1]}: ${label} P90`);
      }
    }
    expect(i).toBeLessThan(2);
  }

  // The ranking: the same facts, and its command line gives its figures.
  await page.getByTestId("rank-run").click();
  await expect(page.getByTestId("ranking")).toBeVisible({ timeout: 120_000 });
  const r = parseCsv(readFileSync((await downloaded(page, info, () => page.getByTestId("ranking-csv").click())).path, "utf8"));
  expect(fact(r, "Outage Drill")).toEqual(["What each safeguard buys"]);
  expect(fact(r, "Seed")).toEqual(["3"]);
  expect(fact(r, "Runs per configuration")).toEqual(["500"]);
  const full = fact(r, "Full set")[0].split(" ");
  expect(full).toHaveLength(13);
  const command = fact(r, "Command line")[0];
  expect(command).toMatch(/^outage-sim rank --scenario eptura-2024-07-10 --seed 3 --runs 500 --with review /);
  const ranked = outageSim(["rank", "--scenario", "eptura-2024-07-10", "--seed", "3", "--runs", "500", ...full.flatMap((w) => ["--with", w])]);
  const rows = block(r, "Safeguard").slice(1);
  const base = ranked.ranking.baseline.error_budget_used_pct;
  expect(rows).toHaveLength(ranked.ranking.values.length);
  rows.forEach((row, i) => {
    const v = ranked.ranking.values[i];
    expect(Math.abs(Number(row[1]) - (base - v.alone.error_budget_used_pct)), `${row[0]} saves`).toBeLessThanOrEqual(0.006);
  });
});

test("the summary lines copy to the clipboard, each with its range and run count", async ({ page, context }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openApp(page, "./#slot=as-it-happened&slot=postmortem-fix&runs=2000");
  await runCompare(page);
  await page.getByTestId("compare-copy-summary").click();
  await expect(page.getByTestId("compare-copy-summary-done")).toBeVisible();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const lines = text.trim().split("\n");
  expect(lines[0]).toBe("Outage Drill: 2 configurations compared on eptura-2024-07-10, seed 1, 2,000 runs each.");
  const shown = (await page.getByTestId("compare-summary").locator("li").allTextContents()).map((t) => t.replace(/\u00a0/g, " "));
  expect(lines).toHaveLength(shown.length + 2);
  shown.forEach((summary, i) => {
    expect(lines[i + 1]).toContain(`- ${summary} P50–P90: time to detect `);
    expect(lines[i + 1]).toMatch(/\(2,000 runs(, [\d,]+ of them with an outage)?\)\.$/);
  });
  expect(lines.at(-1)).toMatch(/^Reopen this view: http:\/\/127\.0\.0\.1:\d+\/drills\/outage\/#.*section=compare$/);

  await page.getByTestId("rank-run").click();
  await expect(page.getByTestId("ranking")).toBeVisible({ timeout: 120_000 });
  await page.getByTestId("ranking-copy-summary").click();
  await expect(page.getByTestId("ranking-copy-summary-done")).toBeVisible();
  const ranking = (await page.evaluate(() => navigator.clipboard.readText())).trim().split("\n");
  const names = await page.getByTestId("ranking").locator("tbody th").allTextContents();
  expect(ranking).toHaveLength(names.length + 2);
  expect(ranking[0]).toContain("what each safeguard buys on eptura-2024-07-10, seed 1, 500 runs per configuration");
  names.forEach((name, i) => {
    expect(ranking[i + 1]).toMatch(new RegExp(`^- ${name}: alone it saves [\\d,.]+ points of error budget per incident \\(mean of 500 runs`));
  });
  expect(ranking.at(-1)).toMatch(/^Reopen this view: .*section=compare$/);
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
  // It explains itself: a title, a description, axis titles with units, a caption line naming
  // the scenario, the seed, the runs and the date.
  expect(markup).toContain("<title>Time to detect: share of runs at most x, 2 configurations compared</title>");
  expect(markup).toMatch(/<desc>Share of runs with Time to detect at most x, per configuration\. Scenario eptura-2024-07-10/);
  expect(markup).toContain("Share of runs at most x (%)");
  expect(markup).toMatch(/Time to detect \((s, )?min, h; logarithmic scale\)/);
  expect(markup).toMatch(/class="caption">Scenario eptura-2024-07-10 · seed 1 · [\d,]+ runs per configuration · \d{4}-\d\d-\d\d/);
  const png = await downloaded(page, info, () => result.getByTestId("chart-png").click());
  expect(png.name).toMatch(/\.png$/);
  const bytes = readFileSync(png.path);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Twice the chart's width, for sharpness.
  const width = bytes.readUInt32BE(16);
  const shown = await result.locator("figure svg.chart").evaluate((s) => s.getBoundingClientRect().width);
  expect(width).toBe(Math.ceil(shown * 2));
  // For slides: 16:9 at 1920 × 1080.
  const slide = await downloaded(page, info, () => result.getByTestId("chart-png-slide").click());
  const slideBytes = readFileSync(slide.path);
  expect([slideBytes.readUInt32BE(16), slideBytes.readUInt32BE(20)]).toEqual([1920, 1080]);
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
