// The release build, served from a sub-path by a plain static server, in headless Chromium:
// it loads with no failed request and no console error or CSP violation, shows the recorded
// timeline from the simulation crate, shows its static skeleton before the wasm starts, and a
// readable message (not a blank page) when the wasm cannot be loaded.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test, expect } from "@playwright/test";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const WASM = /_bg\.wasm$/;

/** Records everything that would mean the page is not clean. */
function watch(page) {
  const seen = { console: [], pageErrors: [], failedRequests: [], badResponses: [], requests: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      seen.console.push(`${msg.type()}: ${msg.text()}`);
    }
  });
  page.on("pageerror", (error) => seen.pageErrors.push(error.message));
  page.on("request", (request) => seen.requests.push(request.url()));
  page.on("requestfailed", (request) =>
    seen.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) seen.badResponses.push(`${response.status()} ${response.url()}`);
  });
  return seen;
}

/** CSP violations, as the page itself sees them (they also show up as console errors). */
async function recordCspViolations(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
}

test("loads from the sub-path and shows the recorded timeline, cleanly", async ({ page, baseURL }) => {
  const seen = watch(page);
  await recordCspViolations(page);

  await page.goto("./");
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(page).toHaveTitle("Outage Drill");
  await expect(page.getByRole("heading", { level: 1, name: "Outage Drill" })).toBeVisible();

  const incident = page.getByRole("table", { name: "The incident as recorded" });
  await expect(incident.getByRole("columnheader", { name: "Time (CDT)" })).toBeVisible();

  // Discovery: 15:34 CDT is 20:34 UTC, with its line from the postmortem's timeline.
  const discovery = incident.getByRole("row").filter({ hasText: "15:34" });
  await expect(discovery).toHaveCount(1);
  await expect(discovery.locator(".time.utc")).toHaveText("20:34");
  await expect(discovery).toContainText("discover");
  await expect(discovery.locator("blockquote")).toContainText("3:34pm: Our Support and Engineering team");
  await expect(discovery.locator("figcaption")).toHaveText("Timeline");

  // Resolution: 18:05 CDT is 23:05 UTC, with both of its sources.
  const resolution = incident.getByRole("row").filter({ hasText: "18:05" });
  await expect(resolution).toHaveCount(1);
  await expect(resolution.locator(".time.utc")).toHaveText("23:05");
  await expect(resolution).toContainText("Resolved");
  await expect(resolution.locator("blockquote")).toHaveCount(2);

  // The merge has no time in the record; the postmortem's publication comes apart, afterwards.
  await expect(incident.getByRole("row").filter({ hasText: "Pull request merged" })).toContainText("unknown");
  const afterwards = page.getByRole("table", { name: "Afterwards" });
  await expect(afterwards.getByRole("row").filter({ hasText: "Postmortem published" })).toContainText(
    "Jul 23 12:03",
  );

  // Everything came from under the sub-path: the URLs in the build are relative.
  expect(seen.requests.filter((url) => !url.startsWith(baseURL))).toEqual([]);
  expect(seen.requests.some((url) => WASM.test(url))).toBe(true);
  expect(seen.failedRequests).toEqual([]);
  expect(seen.badResponses).toEqual([]);
  expect(seen.pageErrors).toEqual([]);
  expect(seen.console).toEqual([]);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
});

test("the content security policy forbids inline scripts and eval", async ({ page }) => {
  await page.goto("./");
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  const scriptSrc = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"));
  expect(scriptSrc).toContain("'wasm-unsafe-eval'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  // Every executable script is a file; the only inline one is the loader's JSON data block.
  const inline = await page
    .locator("script:not([src])")
    .evaluateAll((scripts) => scripts.map((s) => s.type));
  expect(inline).toEqual(["application/json"]);
});

test("shows the static loading skeleton until the wasm has started", async ({ page }) => {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(WASM, async (route) => {
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

test("a wasm that cannot be loaded gives a readable error, not a blank page", async ({ page }) => {
  await page.route(WASM, (route) => route.fulfill({ status: 404, body: "not found" }));
  await page.goto("./");
  const panel = page.getByRole("alert");
  await expect(panel).toBeVisible();
  await expect(panel.getByRole("heading")).toHaveText("Outage Drill could not start");
  await expect(panel.getByRole("link", { name: "Reload the page" })).toBeVisible();
  await expect(page.locator(".skeleton")).toHaveCount(0);
});

test("has no serious or critical accessibility findings (axe-core)", async ({ page }) => {
  await page.goto("./");
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await page.evaluate(() => window.axe.run(document));
    const findings = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${scheme}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(findings).toEqual([]);
  }
});
