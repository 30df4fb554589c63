// Scenario variants: a scenario file imports (file input or dropped on the page) through the same
// validation as `outage-sim validate`; a broken file lists every problem with its path and the
// scenario in use stays; a file over the size limit is refused before it is read; text from a
// file shows as text; the export validates with the command line; the form's numbers make a
// variant marked in the header, compare and the link, which reopens it; Monte Carlo runs it.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect, openApp } from "../support/app.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const builtin = () =>
  JSON.parse(readFileSync(`${repo}/crates/outage-sim/scenarios/eptura-2024-07-10.json`, "utf8"));
const corpus = `${repo}/crates/outage-sim/tests/corpus`;

/** The view part of the address (after `#`). */
const fragment = (page) => page.evaluate(() => decodeURIComponent(location.hash.slice(1)));

/** Missed events as it happened, from the what-if metrics table. */
async function missedEvents(page) {
  const row = page.locator("#what-if tbody tr").filter({ has: page.locator(".metric-name", { hasText: /^Missed events$/ }) });
  return Number((await row.locator("td").first().textContent()).replace(/[^0-9]/g, ""));
}

/** Chooses a scenario file (its text or its bytes) in the import field. */
async function importFile(page, name, content) {
  const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content);
  await page.getByTestId("scenario-import").setInputFiles({ name, mimeType: "application/json", buffer });
}

/** Runs `outage-sim validate` on a file; its output and whether it passed. */
function validate(file) {
  try {
    return { ok: true, out: execFileSync("cargo", ["run", "--quiet", "-p", "outage-sim", "--", "validate", file], { cwd: repo, encoding: "utf8", timeout: 280_000 }) };
  } catch (e) {
    return { ok: false, out: `${e.stdout}${e.stderr}` };
  }
}

test("a scenario file with another site count imports and changes the missed events", async ({ page }) => {
  await openApp(page);
  const before = await missedEvents(page);
  const file = builtin();
  file.id = "our-sites";
  file.title = "Our calendar service, 400 sites";
  file.assumptions.sites.value = 400;
  await importFile(page, "our-sites.json", JSON.stringify(file));
  await expect(page.getByTestId("scenario-title")).toHaveText("Our calendar service, 400 sites");
  await expect(page.getByTestId("variant-badge")).toHaveText("From a file");
  await expect(page.getByTestId("scenario-problems")).toHaveCount(0);
  const after = await missedEvents(page);
  expect(after, `missed events ${before} → ${after}`).toBeGreaterThan(before * 3);
  // A link names the file's scenario and says that only the file can carry it.
  expect(await fragment(page)).toContain("scenario=file:our-sites");
  await expect(page.getByTestId("share-as-file")).toContainText("cannot carry it");
  // This browser keeps the file: a reload opens it again.
  await page.reload();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(page.getByTestId("scenario-title")).toHaveText("Our calendar service, 400 sites");
  expect(await missedEvents(page)).toBe(after);
});

test("a link naming the kept file waits for it to be read, and never shows another scenario meanwhile", async ({ page }) => {
  // The reader is a chunk of its own, fetched when a view names the kept file: until it has read
  // the file the page says it is restoring it (it never draws the built-in in its place), and the
  // address keeps naming the file.
  await page.addInitScript(() => {
    window.__titles = [];
    new MutationObserver(() => {
      const title = document.querySelector("[data-testid=scenario-title]")?.textContent;
      if (title && window.__titles.at(-1) !== title) window.__titles.push(title);
      if (document.querySelector("[data-testid=restoring]")) window.__restoring = true;
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const file = builtin();
  file.id = "kept-sites";
  file.title = "Kept between visits";
  // As an earlier visit kept it (src/state/variant.rs, FILE_RECORD).
  await page.addInitScript((record) => {
    if (!localStorage.getItem("outage-drill:scenario-file")) localStorage.setItem("outage-drill:scenario-file", record);
  }, JSON.stringify({ schema: 2, data: { name: "kept.json", file } }));
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(/\/split_scenario_reader-[0-9a-f]{16}\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`./#scenario=file:kept-sites&seed=5`);
  await expect(page.getByTestId("restoring")).toContainText("Restoring your scenario file kept.json");
  expect(await fragment(page)).toBe("scenario=file:kept-sites&seed=5");
  release();
  await expect(page.getByTestId("scenario-title")).toHaveText("Kept between visits");
  await expect(page.getByTestId("restoring")).toHaveCount(0);
  expect(await page.evaluate(() => window.__restoring)).toBe(true);
  expect(await page.evaluate(() => window.__titles)).toEqual(["Kept between visits"]);
  await expect.poll(() => fragment(page)).toContain("seed=5");
  expect(await fragment(page)).toContain("scenario=file:kept-sites");
});

test("a file dropped on the page loads", async ({ page }) => {
  await openApp(page);
  const file = builtin();
  file.title = "Dropped in";
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "dropped.json", { type: "application/json" }));
    for (const type of ["dragover", "drop"]) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, JSON.stringify(file));
  await expect(page.getByTestId("scenario-title")).toHaveText("Dropped in");
});

test("a broken file lists its problems with their paths and the scenario in use stays", async ({ page }) => {
  await openApp(page);
  const title = await page.getByTestId("scenario-title").textContent();
  const before = await missedEvents(page);
  const file = builtin();
  file.steps = ["not", "an", "object"];
  file.assumptions.sites.value = -3;
  file.record[1].at = "half past three";
  await importFile(page, "broken.json", JSON.stringify(file));
  const problems = page.getByTestId("scenario-problems");
  await expect(problems).toContainText("Not loaded: broken.json");
  await expect(problems.locator("li").filter({ hasText: /^steps: invalid type: expected an object, found an array$/ })).toHaveCount(1);
  await expect(problems.locator("li", { hasText: "assumptions.sites.value" })).toContainText("must lie between");
  await expect(problems.locator("li", { hasText: "record[1].at" })).toContainText("RFC 3339");
  await expect(page.getByTestId("error")).toContainText("broken.json");
  await expect(page.getByTestId("scenario-title")).toHaveText(title);
  expect(await missedEvents(page)).toBe(before);
  // Not JSON at all: the line and column.
  await importFile(page, "junk.json", "{ not json");
  await expect(problems).toContainText("Not loaded: junk.json");
  await expect(problems).toContainText("line 1");
  await expect(page.getByTestId("scenario-title")).toHaveText(title);
});

test("a file over the size limit is refused before it is read", async ({ page }) => {
  await openApp(page);
  await importFile(page, "huge.json", " ".repeat(300 * 1024));
  const problems = page.getByTestId("scenario-problems");
  await expect(problems).toContainText("huge.json");
  await expect(problems).toContainText("(file): is 300 kB (307200 bytes); a scenario file may have at most 256 kB (262144 bytes), so it was not read");
});

test("a file at the import limit is kept, and after a reload is still the scenario in use", async ({ page }) => {
  // 255 kB (within 1.1 kB of the limit) of ordinary long text with quotes and line breaks in its notes, which the command
  // line's validate accepts (crates/outage-sim/tests/cli_input.rs checks the same file).
  const file = readFileSync(`${corpus}/long-notes-256k.json`);
  expect(file.length).toBeGreaterThan(254 * 1024);
  await openApp(page);
  await importFile(page, "long-notes.json", file);
  const title = "Eptura, 10 July 2024, with a facilitator's long notes";
  await expect(page.getByTestId("scenario-title")).toHaveText(title);
  await expect(page.getByTestId("error")).toHaveCount(0);
  const stored = await page.evaluate(() => localStorage.getItem("outage-drill:scenario-file"));
  expect(stored.length).toBeLessThan(file.length + 2048);
  await expect.poll(() => fragment(page)).toContain("scenario=file:eptura-long-notes");
  await page.reload();
  await expect(page.getByTestId("scenario-title")).toHaveText(title);
  await expect(page.getByTestId("error")).toHaveCount(0);
  await expect(page.getByTestId("scenario-name")).toHaveText(title);
});

test("the page gives every file of the tricky corpus the command line's verdict", async ({ page }) => {
  // crates/outage-sim/tests/corpus/verdicts.json is what `outage-sim validate --json` says of
  // each file (its test checks that); the page reads the same bytes through the same reader.
  const verdicts = JSON.parse(readFileSync(`${corpus}/verdicts.json`, "utf8"));
  await openApp(page);
  for (const [name, verdict] of Object.entries(verdicts)) {
    await openApp(page);
    await importFile(page, name, readFileSync(`${corpus}/${name}`));
    const problems = page.getByTestId("scenario-problems");
    if (verdict.valid) {
      await expect(page.getByTestId("notice").filter({ hasText: `from ${name}` })).toHaveCount(1);
      await expect(problems, name).toHaveCount(0);
    } else {
      await expect(problems, name).toContainText(name);
      const shown = await problems.locator("li").allTextContents();
      expect(shown, name).toEqual(verdict.problems.map((p) => `${p.path}: ${p.message}`));
    }
  }
});

test("a title that looks like markup shows as text and nothing runs", async ({ page }) => {
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await openApp(page);
  const file = builtin();
  file.title = "<img src=x onerror=alert(1)>";
  file.summary = "<script>alert(2)</script>";
  file.record[1].title = "<b onmouseover=alert(3)>discovered</b>";
  await importFile(page, "hostile.json", JSON.stringify(file));
  await expect(page.getByTestId("scenario-title")).toHaveText("<img src=x onerror=alert(1)>");
  await expect(page.getByTestId("scenario-name")).toHaveText("<img src=x onerror=alert(1)>");
  await expect(page.getByTestId("notice")).toContainText("“<img src=x onerror=alert(1)>”");
  await page.locator("#record").scrollIntoViewIfNeeded();
  await expect(page.locator("img[src='x'], script:not([src]):not([type='application/json']), b[onmouseover]")).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
});

test("the export validates with the command line, as built in and as a variant", async ({ page }, info) => {
  test.setTimeout(300_000);
  await openApp(page);
  const download = async () => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("scenario-export").click()]);
    const path = info.outputPath(file.suggestedFilename());
    await file.saveAs(path);
    return path;
  };
  const plain = await download();
  expect(plain).toMatch(/eptura-2024-07-10\.json$/);
  const v1 = validate(plain);
  expect(v1.ok, v1.out).toBe(true);
  expect(JSON.parse(readFileSync(plain, "utf8"))).toEqual(builtin());

  // A variant: its own sites and a step of its own.
  await page.locator("#scenario details summary").click();
  await page.getByTestId("variant-sites").fill("400");
  await page.getByTestId("variant-sites").press("Enter");
  await page.getByTestId("variant-mobilize-median").fill("3");
  await page.getByTestId("variant-mobilize-median").press("Enter");
  await expect(page.getByTestId("variant-badge")).toHaveText("Variant");
  const missed = await missedEvents(page);
  const variant = await download();
  expect(variant).toMatch(/eptura-2024-07-10-variant\.json$/);
  const v2 = validate(variant);
  expect(v2.ok, v2.out).toBe(true);
  expect(v2.out).toContain("valid scenario 'eptura-2024-07-10-variant'");
  const json = JSON.parse(readFileSync(variant, "utf8"));
  expect(json.title).toMatch(/\(variant\)$/);
  expect(json.assumptions.sites).toMatchObject({ value: 400, reference: 120 });
  expect(json.assumptions.sites.provenance.note).toMatch(/^Set for this variant/);
  expect(json.steps.mobilize.median_s).toBe(180);
  // The exported variant imports back into the same day.
  await importFile(page, "variant.json", readFileSync(variant, "utf8"));
  await expect(page.getByTestId("scenario-title")).toHaveText(json.title);
  expect(await missedEvents(page)).toBe(missed);
  // Its record is the built-in's, line for line, so the built-in's exercise runs on it.
  await page.getByTestId("mode-facilitate").click();
  await expect(page.getByTestId("inject-next")).toBeVisible();
  await page.getByTestId("mode-explore").click();
  // A file the command line refuses is refused here too, with the same paths.
  const broken = { ...builtin(), steps: 3 };
  const brokenPath = info.outputPath("broken.json");
  writeFileSync(brokenPath, JSON.stringify(broken));
  const v3 = validate(brokenPath);
  expect(v3.ok).toBe(false);
  expect(v3.out).toContain("steps: invalid type: expected an object, found a number");
  await importFile(page, "broken.json", JSON.stringify(broken));
  await expect(page.getByTestId("scenario-problems")).toContainText("steps: invalid type: expected an object, found a number");
});

test("the form's numbers make a variant marked everywhere, carried by the link, refused out of range", async ({ page }) => {
  await openApp(page);
  await page.locator("#scenario details summary").click();
  const sites = page.getByTestId("variant-sites");
  await sites.fill("12.5");
  await sites.press("Enter");
  await expect(page.locator(".variant-field", { has: sites }).getByTestId("error")).toContainText("not a whole number");
  await expect(page.getByTestId("variant-badge")).toHaveCount(0);
  await sites.fill("400");
  await sites.press("Enter");
  await page.getByTestId("variant-notify_owner-median").fill("1");
  await page.getByTestId("variant-notify_owner-median").press("Enter");
  await page.getByTestId("variant-notify_owner-sigma").fill("0");
  await page.getByTestId("variant-notify_owner-sigma").press("Enter");
  await expect(page.getByTestId("variant-badge")).toHaveText("Variant");
  await expect(page.getByTestId("variant-summary")).toContainText("Customer sites on the new calendar service 400 sites (was 120 sites)");
  await expect(page.getByTestId("compare-variant")).toContainText("Variant with your numbers");
  const link = await fragment(page);
  expect(link).toContain("assume=sites=400");
  expect(link).toContain("step=notify_owner:median_s=60,sigma=0");
  // Monte Carlo runs the variant (the workers get its steps): time to acknowledge as it
  // happened is that one step, now always one minute.
  await page.getByTestId("mc-run").click();
  await expect(page.getByTestId("mc-result")).toBeVisible({ timeout: 60_000 });
  await page.locator("#mc-metric").selectOption("time_to_acknowledge_s");
  const p50 = page.getByTestId("mc-result").locator("tr", { hasText: "P50" }).locator("td").first();
  await expect(p50).toHaveText("1 min");
  // The link reopens the variant.
  await page.goto("about:blank");
  await openApp(page, `./#${link}`);
  await expect(page.getByTestId("variant-badge")).toHaveText("Variant");
  await page.locator("#scenario details summary").click();
  await expect(page.getByTestId("variant-sites")).toHaveValue("400");
  await expect(page.getByTestId("variant-notify_owner-median")).toHaveValue("1");
  // Back to the loaded numbers.
  await page.getByTestId("variant-reset").click();
  await expect(page.getByTestId("variant-badge")).toHaveCount(0);
  expect(await fragment(page)).not.toContain("assume=");
});

test("a link naming a scenario from a file says the file is needed, and applies the rest", async ({ page }) => {
  await openApp(page, "./#scenario=file:our-sites&assume=sites=400&with=uptime_check&seed=3");
  const notice = page.getByTestId("notice");
  await expect(notice).toContainText("came from a file, which a link cannot carry");
  await expect(notice).toContainText("'assume=sites=400'");
  await expect(page.getByTestId("safeguard-uptime_check")).toBeChecked();
  await expect(page.getByTestId("variant-badge")).toHaveCount(0);
});

test("a duration typed as minutes is shown back the same way", async ({ page }) => {
  await openApp(page);
  await page.locator("#scenario details summary").click();
  const median = page.getByTestId("variant-chat_notice-median");
  await expect(median).toHaveValue("15");
  await median.fill("2.5");
  await median.press("Enter");
  await expect(page.locator(".variant-field", { has: median })).toContainText("Back to 15 min");
  await expect(median).toHaveValue("2.5");
});
