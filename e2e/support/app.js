// Shared by the end-to-end specs: a `test` whose page fails the test on any uncaught page error
// or console error/warning (a Yew panic logs one, then shows its panel), helpers that read the
// page the way a user does (clock, headline, timeline markers), an accessible-name probe through
// the DevTools protocol, and axe-core.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test as base, expect } from "@playwright/test";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export { expect };

/**
 * The app's wasm (hashed by Trunk), and the Monte Carlo worker's entry and wasm (hashed by
 * scripts/post_build.py): every file a run loads has its content's hash in its name.
 */
export const MAIN_WASM = /\/outage-drill-[0-9a-f]+_bg\.wasm$/;
export const WORKER_SCRIPT = /\/mc-worker-boot-[0-9a-f]{16}\.js$/;
export const WORKER_JS = /\/mc-worker-[0-9a-f]{16}\.js$/;
export const WORKER_WASM = /\/mc-worker-[0-9a-f]{16}_bg\.wasm$/;

/** Every safeguard id, in the panel's order of the engine. */
export const SAFEGUARDS = [
  "review",
  "deletion_guard",
  "prune_protection",
  "canary",
  "uptime_check",
  "slo_burn_alert",
  "absent_alert",
  "deploy_notice",
  "auto_page",
  "rollback_runbook",
  "auto_rollback",
  "auto_replay",
  "status_automation",
];

/** Records everything that would mean a page is not clean. */
export function watch(page) {
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

/**
 * `test` with a guard on every page: an uncaught error, or a console error or warning, fails the
 * test after it ran. A test that provokes one on purpose says `test.use({ consoleErrors: true })`.
 */
export const test = base.extend({
  consoleErrors: [false, { option: true }],
  seen: async ({ page }, use) => {
    await use(watch(page));
  },
  page: async ({ page, consoleErrors }, use) => {
    const seen = watch(page);
    await use(page);
    expect(seen.pageErrors, "uncaught errors in the page").toEqual([]);
    if (!consoleErrors) expect(seen.console, "console errors and warnings").toEqual([]);
  },
});

/** CSP violations, as the page itself sees them (they also show up as console errors). */
export async function recordCspViolations(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
    });
  });
}

/**
 * Opens the app (at `path`, relative to the site) and waits until it is ready. A first visit
 * to the bare address shows the start screen: this goes on to Explore from it, as the specs
 * about the analyst's view expect (`openStart` stays on it).
 */
export async function openApp(page, path = "./") {
  await openStart(page, path);
  const start = page.getByTestId("start-here");
  if (await start.isVisible()) {
    await page.getByTestId("start-explore").click();
    await expect(start).toHaveCount(0);
  }
}

/** Opens the app at `path` and waits until it is ready, wherever it lands. */
export async function openStart(page, path = "./") {
  await page.goto(path);
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
}

/**
 * Engine runs simulated on each thread, as the threads themselves publish them (the
 * `mc-simulated-runs` performance mark, whose detail is the thread's running count): the page's
 * own main thread, and each of its workers.
 */
export async function simulatedRuns(page) {
  const read = () => performance.getEntriesByName("mc-simulated-runs").at(-1)?.detail ?? 0;
  const workers = [];
  for (const worker of page.workers()) workers.push(await worker.evaluate(read));
  return { page: await page.evaluate(read), workers };
}

/** Makes the page see `n` logical processors, so the worker pool starts `n` workers. */
export async function useCores(page, n) {
  await page.addInitScript((n) => {
    Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => n });
  }, n);
}

/** `hh:mm[:ss]` → seconds since midnight. */
function seconds(h, m, s = "0") {
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** Clock text ("14:15:00 CDT 19:15:00 UTC") → seconds since local midnight, checked against UTC. */
export function parseClock(text) {
  const t = text.replace(/\s+/g, " ");
  const m = t.match(/(\d\d):(\d\d):(\d\d) CDT ?(\d\d):(\d\d):(\d\d) UTC/);
  expect(m, `clock text '${t}'`).not.toBeNull();
  const local = seconds(m[1], m[2], m[3]);
  const utc = seconds(m[4], m[5], m[6]);
  expect((utc - local + 86400) % 86400, `clock '${t}': UTC is local + 5 h (CDT)`).toBe(5 * 3600);
  return local;
}

/** The clock as seconds since local midnight. */
export async function readClock(page) {
  return parseClock(await page.getByTestId("clock").textContent());
}

/** `hh:mm:ss` of a number of seconds since midnight, for messages. */
export function hhmmss(s) {
  const p = (n) => String(Math.floor(n)).padStart(2, "0");
  return `${p(s / 3600)}:${p((s % 3600) / 60)}:${p(s % 60)}`;
}

/**
 * Reads "1 h", "1 h 4 min", "33 s", "2 d 3 h", "−2 min" as seconds; `null` for words such as
 * "Outage prevented" or "never".
 */
export function parseDuration(text) {
  const t = text.trim().replace("−", "-");
  const m = t.match(/^(-)?(?:(\d+) d)? ?(?:(\d+) h)? ?(?:(\d+) min)? ?(?:(\d+) s)?$/);
  if (!m || t === "" || t === "-") return null;
  const [, neg, d = 0, h = 0, min = 0, s = 0] = m;
  const value = Number(d) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(s);
  return neg ? -value : value;
}

/** The headline time to detect, in seconds (`null` for "Outage prevented"/"never"), and its text. */
export async function headlineTtd(page) {
  const text = (await page.getByTestId("metric-ttd").textContent()).trim();
  return { text, seconds: parseDuration(text) };
}

/** A marker's accessible label → its local time in seconds since midnight (CDT and UTC named). */
export function markerTime(label) {
  const m = label.match(/, (\d\d):(\d\d) CDT · (\d\d):(\d\d) UTC/);
  expect(m, `marker label '${label}' names its time in CDT and UTC`).not.toBeNull();
  const local = seconds(m[1], m[2]);
  expect((seconds(m[3], m[4]) - local + 86400) % 86400, label).toBe(5 * 3600);
  return local;
}

/**
 * One consistent reading of the replay, taken in a single step in the page (so a sample during
 * playback is not torn): the clock, whether it is playing, and the timeline's markers in
 * document order, each with its kind, its local time and its label.
 */
export async function sampleReplay(page) {
  const raw = await page.evaluate(() => ({
    clock: document.querySelector("[data-testid=clock]").textContent,
    playing: document.querySelector("[data-testid=play]").disabled,
    pauseEnabled: !document.querySelector("[data-testid=pause]").disabled,
    markers: [...document.querySelectorAll("[data-testid=timeline] .marker")].map((e) => ({
      ghost: e.classList.contains("ghost"),
      label: e.getAttribute("aria-label"),
    })),
  }));
  return {
    now: parseClock(raw.clock),
    playing: raw.playing,
    pauseEnabled: raw.pauseEnabled,
    markers: raw.markers.map((m) => ({ ...m, at: markerTime(m.label) })),
  };
}

/** The safeguard switches that are on, by id. */
export async function enabledSafeguards(page) {
  const on = [];
  for (const id of SAFEGUARDS) {
    if (await page.getByTestId(`safeguard-${id}`).isChecked()) on.push(id);
  }
  return on;
}

/** The accessible name the browser computes for the focused element (DevTools protocol). */
export async function focusedAccessibleName(cdp) {
  const { result } = await cdp.send("Runtime.evaluate", { expression: "document.activeElement" });
  try {
    const { nodes } = await cdp.send("Accessibility.getPartialAXTree", {
      objectId: result.objectId,
      fetchRelatives: false,
    });
    const node = nodes.find((n) => !n.ignored) || nodes[0];
    return { name: node?.name?.value ?? "", role: node?.role?.value ?? "" };
  } finally {
    await cdp.send("Runtime.releaseObject", { objectId: result.objectId });
  }
}

/**
 * Runs axe-core on the whole page in the light and the dark colour scheme and returns the serious
 * and critical findings, one line each (rule id, impact, elements, what to fix).
 */
export async function axeFindings(page, schemes = ["light", "dark"]) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const findings = [];
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await page.evaluate(() => window.axe.run(document));
    for (const v of results.violations) {
      if (v.impact !== "serious" && v.impact !== "critical") continue;
      const nodes = v.nodes
        .map((n) => `${n.target.join(" ")} (${(n.failureSummary || "").split("\n").slice(1).join(" ").trim()})`)
        .join("; ");
      findings.push(`${scheme}: ${v.id} (${v.impact}): ${v.help}: ${nodes}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  return findings;
}
