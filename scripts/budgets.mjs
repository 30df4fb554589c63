// Measures Outage Drill against the performance budgets of the design (DESIGN.md, section 8)
// and prints each figure with its budget and a verdict. Run through scripts/budgets.sh, which
// builds dist/ if needed and serves a copy of it from a sub-path; by hand:
//
//   node scripts/budgets.mjs --url http://127.0.0.1:PORT/drills/outage/ --dist DIST [--json FILE]
//
// Drives Debian's headless Chromium with Playwright (from e2e/node_modules) and reads what it
// needs through the DevTools protocol (traces) and from the page (performance marks, a capture
// click listener, a MutationObserver and requestAnimationFrame). Budgets are reported, not
// asserted: the exit status is 0 whatever the verdicts, 1 if a measurement could not be made.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromiumLaunchOptions } from "../e2e/support/chromium.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "e2e", "package.json"));
const { chromium } = require("@playwright/test");

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const m = process.argv[i].match(/^--(url|dist|json)(?:=(.*))?$/);
  if (!m) {
    console.error(`budgets: unknown argument '${process.argv[i]}' (--url URL --dist DIR [--json FILE])`);
    process.exit(2);
  }
  args[m[1]] = m[2] ?? process.argv[++i];
}
const URL_ = args.url;
const DIST = args.dist || path.join(root, "dist");
if (!URL_) {
  console.error("budgets: --url is needed (scripts/budgets.sh passes it)");
  process.exit(2);
}

const LOADS = 7; // page loads for time to interactive (after one warm-up)
const CLICKS = 7; // Monte Carlo click → histogram repetitions (after one warm-up)
const PLAYBACK_MS = 3000; // traced playback, per configuration
const THROUGHPUT_RUNS = 3; // untraced 100 000 × 2 runs

const TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "toplevel",
  "blink.user_timing",
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const fmt = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? "—" : x.toFixed(digits));
const say = (...parts) => console.log("budgets:", ...parts);

// ---------------------------------------------------------------------------------------------
// The page's own instruments, installed before any of its scripts run (through the DevTools
// protocol, which the page's content security policy does not govern).

function instruments() {
  window.__budget = { readyAt: null, analysisAt: null, longtasks: [], click: null };
  const b = window.__budget;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {
    b.longtasks = null;
  }
  new MutationObserver(() => {
    if (b.readyAt === null && document.querySelector('.app[data-ready="true"]')) b.readyAt = performance.now();
    if (b.analysisAt === null && document.querySelector('.analysis[data-ready="true"]')) {
      b.analysisAt = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
  // The moment of a click on a Monte Carlo button: the event's own time stamp (when the browser
  // took the input), and a mark for traces.
  document.addEventListener(
    "click",
    (e) => {
      const button = e.target instanceof Element && e.target.closest("[data-testid=mc-run]");
      if (!button) return;
      b.click = { timeStamp: e.timeStamp, handledAt: performance.now() };
      performance.mark("budget:mc-click");
    },
    true,
  );
}

/**
 * In the page: resolves once a new histogram (an SVG inside [data-testid=mc-result]) has been
 * painted. Inserted: a MutationObserver sees it; painted: the next animation frame's rendering
 * has run (a message posted from requestAnimationFrame is delivered after that frame's style,
 * layout and paint).
 */
function armHistogramWaiter() {
  const selector = "[data-testid=mc-result] svg";
  const old = document.querySelector(selector);
  window.__budget.painted = new Promise((resolve) => {
    const check = () => {
      const svg = document.querySelector(selector);
      if (!svg || svg === old) return false;
      observer.disconnect();
      const insertedAt = performance.now();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          const paintedAt = performance.now();
          performance.mark("budget:mc-painted");
          const meta = document.querySelector("[data-testid=mc-result] .result-meta")?.textContent ?? "";
          resolve({ insertedAt, paintedAt, meta, click: window.__budget.click });
        };
        channel.port2.postMessage(0);
      });
      return true;
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Traces through the DevTools protocol.

async function startTrace(cdp) {
  await cdp.send("Tracing.start", {
    transferMode: "ReturnAsStream",
    traceConfig: { includedCategories: TRACE_CATEGORIES },
  });
}

async function stopTrace(cdp) {
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  const { stream } = await complete;
  let text = "";
  for (;;) {
    const chunk = await cdp.send("IO.read", { handle: stream });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString("utf8") : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send("IO.close", { handle: stream });
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** The renderer main thread of the page (the thread its marks are on) and its top-level tasks. */
function mainThread(events, markName) {
  const mark = events.find((e) => e.name === markName && e.cat.includes("blink.user_timing"));
  if (!mark) throw new Error(`the trace has no '${markName}' mark`);
  const { pid, tid } = mark;
  const on = events.filter((e) => e.pid === pid && e.tid === tid);
  const name = on.some((e) => e.name === "RunTask" && e.ph === "X") ? "RunTask" : "ThreadControllerImpl::RunTask";
  const tasks = [];
  for (const e of on.filter((x) => x.name === name && x.ph === "X").sort((a, b) => a.ts - b.ts)) {
    const last = tasks.at(-1);
    if (last && e.ts + e.dur <= last.ts + last.dur) continue; // nested in the previous task
    tasks.push(e);
  }
  return { on, tasks };
}

function marks(events, name) {
  return events.filter((e) => e.name === name && e.cat.includes("blink.user_timing")).map((e) => e.ts);
}

/** What the longest task spent its time on: its biggest timeline events, by duration. */
function insideTask(on, task) {
  const end = task.ts + task.dur;
  return on
    .filter((e) => e.ph === "X" && e !== task && e.ts >= task.ts && e.ts + (e.dur || 0) <= end)
    .filter((e) => !/RunTask|PerformMicrotaskCheckpoint/.test(e.name))
    .sort((a, b) => b.dur - a.dur)
    .slice(0, 3)
    .map((e) => `${e.name} ${fmt(e.dur / 1000)} ms`)
    .join(", ");
}

// ---------------------------------------------------------------------------------------------

async function newPage(browser) {
  const context = await browser.newContext();
  await context.addInitScript(instruments);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  return { context, page, problems };
}

async function openReady(page) {
  await page.goto(URL_);
  await page.locator('.app[data-ready="true"]').waitFor();
  await page.locator('.analysis[data-ready="true"]').waitFor();
}

/** Clicks Run in the ranges section and waits for the new histogram to be painted. */
async function clickToHistogram(page) {
  await page.evaluate(armHistogramWaiter);
  await page.getByTestId("mc-run").click();
  const r = await page.evaluate(() => window.__budget.painted);
  if (!r.click) throw new Error("the capture click listener saw no click on mc-run");
  const m = r.meta.match(/^([\d,]+) runs × (\d+) in (\d+) ms \(longest slice ([\d.]+) ms\)/);
  return {
    clickToPainted: r.paintedAt - r.click.timeStamp,
    clickToInserted: r.insertedAt - r.click.timeStamp,
    clickAt: r.click.handledAt,
    paintedAt: r.paintedAt,
    runs: m ? Number(m[1].replace(/,/g, "")) : null,
    configs: m ? Number(m[2]) : null,
    elapsedMs: m ? Number(m[3]) : null,
    longestSliceMs: m ? Number(m[4]) : null,
    meta: r.meta.trim(),
  };
}

/**
 * Sets the number of runs, then the safeguards by preset, and checks the Run button agrees. Tried
 * up to three times: a change in the analysis module can reach the main page's handlers (an app
 * bug; see the "leave the main page alone" end-to-end test), which the preset click then undoes.
 */
async function setRuns(page, runs, preset) {
  const label = `Run ${runs.toLocaleString("en-US")} × ${preset === "as-it-happened" ? "as it happened" : "2 configurations"}`;
  const button = page.getByTestId("mc-run");
  for (let attempt = 1; ; attempt++) {
    const input = page.getByTestId("mc-runs");
    await input.fill(String(runs));
    await input.press("Tab");
    await page.getByTestId(`preset-${preset}`).click();
    try {
      await button.filter({ hasText: label }).waitFor({ timeout: 2000 });
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`the Run button says '${await button.textContent()}', not '${label}'`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

const results = [];
let problems = 0; // measurements that could not be made, or pages that reported errors

async function measure(name, fn) {
  try {
    const r = await fn();
    results.push({ name, ...r });
  } catch (error) {
    problems += 1;
    results.push({ name, error: String(error && error.stack ? error.stack.split("\n")[0] : error) });
    say(`could not measure ${name}: ${error && error.message ? error.message : error}`);
  }
}

function sizeFigures() {
  let out;
  try {
    out = execFileSync("python3", [path.join(root, "scripts", "size.py"), DIST], { encoding: "utf8" });
  } catch (error) {
    // size.py exits 1 when over budget: that is a verdict, not a failure.
    if (error.status === 1 && error.stdout) out = error.stdout;
    else throw new Error(`scripts/size.py failed: ${error.stderr || error.message}`);
  }
  console.log(out.trimEnd().replace(/^/gm, "  "));
  const m = out.match(/size: wasm \+ JS = ([\d.]+) kB, ([\d.]+) kB gzip/);
  if (!m) throw new Error("could not read the total from scripts/size.py");
  const lazy = out.match(/size: analysis module = ([\d.]+) kB, ([\d.]+) kB gzip/);
  return { raw: Number(m[1]), gzip: Number(m[2]), analysisGzip: lazy ? Number(lazy[2]) : null };
}

const browser = await chromium.launch({ ...chromiumLaunchOptions, headless: true });
const chromiumVersion = browser.version();
const cpus = os.cpus();
say(`${URL_} in headless Chromium ${chromiumVersion}; ${cpus.length} CPU(s) ${cpus[0]?.model?.trim() ?? ""}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
say("(figures depend on this machine and on what else it is doing: compare runs on the same machine)");
if (os.loadavg()[0] > cpus.length * 0.75) {
  say(`warning: the machine is busy (1-minute load average ${os.loadavg()[0].toFixed(2)} on ${cpus.length} CPUs): timings will be inflated`);
}

// 1. Size -------------------------------------------------------------------------------------
say("main page size (scripts/size.py)");
await measure("size", async () => {
  const s = sizeFigures();
  return { value: s.gzip, detail: `${fmt(s.raw)} kB raw; the analysis module, loaded later, ${fmt(s.analysisGzip)} kB gzip` };
});

// 2. Time to interactive ----------------------------------------------------------------------
say(`time to interactive: 1 warm-up + ${LOADS} cold loads, each in a fresh browser context (empty cache)`);
await measure("interactive", async () => {
  const samples = [];
  for (let i = 0; i <= LOADS; i++) {
    const { context, page, problems } = await newPage(browser);
    await openReady(page);
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const mark = performance.getEntriesByName("app-interactive")[0];
      const wasm = performance.getEntriesByType("resource").find((r) => /outage-drill-[0-9a-f]+_bg\.wasm/.test(r.name));
      return {
        mark: mark ? mark.startTime : null,
        ready: window.__budget.readyAt,
        analysis: window.__budget.analysisAt,
        html: nav.responseEnd,
        dcl: nav.domContentLoadedEventEnd,
        wasm: wasm ? wasm.responseEnd : null,
      };
    });
    if (t.mark === null) throw new Error("the page set no 'app-interactive' performance mark");
    // Interactive means a click works: Next moves the clock.
    const clock = await page.getByTestId("clock").textContent();
    await page.getByTestId("step-next").click();
    await page.waitForFunction((c) => document.querySelector("[data-testid=clock]").textContent !== c, clock);
    if (problems.length) throw new Error(problems.join("; "));
    if (i > 0) samples.push(t);
    await context.close();
  }
  const pick = (k) => median(samples.map((s) => s[k]));
  return {
    value: pick("mark"),
    detail:
      `median of ${LOADS}; range ${fmt(Math.min(...samples.map((s) => s.mark)), 0)}–${fmt(Math.max(...samples.map((s) => s.mark)), 0)} ms. ` +
      `Medians: HTML ${fmt(pick("html"), 0)} ms, main wasm fetched ${fmt(pick("wasm"), 0)} ms, ` +
      `DOMContentLoaded ${fmt(pick("dcl"), 0)} ms, app-interactive ${fmt(pick("mark"), 0)} ms, ` +
      `analysis module ready ${fmt(pick("analysis"), 0)} ms (not in the budget)`,
  };
});

// 3. Click → histogram ------------------------------------------------------------------------
say(`click → histogram: 10 000 runs, 1 warm-up + ${CLICKS} clicks`);
const { context: mcContext, page: mcPage, problems: mcProblems } = await newPage(browser);
await openReady(mcPage);
await measure("histogram", async () => {
  await mcPage.getByTestId("mc-run").filter({ hasText: "Run 10,000 × as it happened" }).waitFor();
  const samples = [];
  for (let i = 0; i <= CLICKS; i++) {
    const r = await clickToHistogram(mcPage);
    if (r.runs !== 10_000) throw new Error(`the result says '${r.meta}'`);
    if (i > 0) samples.push(r);
  }
  const c2p = samples.map((s) => s.clickToPainted);
  return {
    value: median(c2p),
    detail:
      `median of ${CLICKS}; range ${fmt(Math.min(...c2p), 0)}–${fmt(Math.max(...c2p), 0)} ms; ` +
      `click → histogram in the DOM ${fmt(median(samples.map((s) => s.clickToInserted)), 0)} ms; ` +
      `the app's own line: ${samples.at(-1).meta.replace(/\s*$/, "")}`,
  };
});

// 4. Longest main-thread task during Monte Carlo (traced) ------------------------------------
say("longest main-thread task: traced Monte Carlo runs, 10 000 × 1 and 100 000 × 2");
await measure("longtask", async () => {
  const cdp = await mcPage.context().newCDPSession(mcPage);
  const rows = [];
  for (const [runs, preset] of [
    [10_000, "as-it-happened"],
    [100_000, "postmortem-fix"],
  ]) {
    await setRuns(mcPage, runs, preset);
    await mcPage.evaluate(() => performance.clearMarks());
    await startTrace(cdp);
    const r = await clickToHistogram(mcPage);
    const longtasks = await mcPage.evaluate(
      ([from, to]) => window.__budget.longtasks && window.__budget.longtasks.filter((t) => t.start + t.duration >= from && t.start <= to),
      [r.clickAt, r.paintedAt],
    );
    const events = await stopTrace(cdp);
    const { on, tasks } = mainThread(events, "budget:mc-click");
    const [from] = marks(events, "budget:mc-click");
    const [to] = marks(events, "budget:mc-painted");
    if (from === undefined || to === undefined) throw new Error("the trace lacks the click or the paint mark");
    const during = tasks.filter((t) => t.ts + t.dur >= from && t.ts <= to);
    const longest = during.reduce((a, b) => (b.dur > a.dur ? b : a));
    rows.push({
      label: `${runs.toLocaleString("en-US")} × ${r.configs}`,
      longestMs: longest.dur / 1000,
      inside: insideTask(on, longest),
      tasks: during.length,
      windowMs: (to - from) / 1000,
      longtasks: longtasks === null ? null : longtasks.length,
      appLongestSlice: r.longestSliceMs,
    });
  }
  await cdp.detach();
  const worst = rows.reduce((a, b) => (b.longestMs > a.longestMs ? b : a));
  return {
    value: worst.longestMs,
    longtasks: rows.map((r) => r.longtasks),
    detail: rows
      .map(
        (r) =>
          `${r.label} runs: ${r.tasks} tasks in the ${fmt(r.windowMs, 0)} ms from click to paint, the longest ${fmt(r.longestMs)} ms (${r.inside}); ` +
          `'longtask' entries (> 50 ms): ${r.longtasks ?? "not supported"}; the app's longest slice ${fmt(r.appLongestSlice)} ms`,
      )
      .join("\n"),
  };
});

// 5. Monte Carlo throughput (untraced) --------------------------------------------------------
say(`throughput: ${THROUGHPUT_RUNS} untraced runs of 100 000 × 2 configurations`);
await measure("throughput", async () => {
  const rates = [];
  let meta = "";
  for (let i = 0; i < THROUGHPUT_RUNS; i++) {
    const r = await clickToHistogram(mcPage);
    if (r.runs !== 100_000 || r.configs !== 2) throw new Error(`the result says '${r.meta}'`);
    rates.push((r.runs * r.configs) / (r.elapsedMs / 1000));
    meta = r.meta;
  }
  return {
    value: median(rates),
    detail: `median of ${THROUGHPUT_RUNS}; wall time from the app's result line (includes the yields between slices and the progress renders); last: ${meta.replace(/\s*$/, "")}`,
  };
});
if (mcProblems.length) {
  problems += 1;
  say(`the Monte Carlo page reported problems: ${mcProblems.join("; ")}`);
}
await mcContext.close();

// 6. Playback frames (traced) -----------------------------------------------------------------
say(`playback: ${PLAYBACK_MS / 1000} s traced at 600×, as it happened and with defence in depth`);
await measure("frames", async () => {
  const rows = [];
  for (const preset of ["as-it-happened", "defence-in-depth"]) {
    const { context, page, problems } = await newPage(browser);
    await openReady(page);
    await page.getByTestId(`preset-${preset}`).click();
    await page.getByTestId("speed").selectOption("600");
    const cdp = await page.context().newCDPSession(page);
    await startTrace(cdp);
    await page.evaluate(() => performance.mark("budget:play"));
    await page.getByTestId("play").click();
    await page.waitForTimeout(PLAYBACK_MS);
    await page.evaluate(() => performance.mark("budget:play-end"));
    const events = await stopTrace(cdp);
    await page.getByTestId("pause").click();
    await cdp.detach();
    if (problems.length) throw new Error(problems.join("; "));
    const { on, tasks } = mainThread(events, "budget:play");
    const [from] = marks(events, "budget:play");
    const [to] = marks(events, "budget:play-end");
    // Frames: the main thread's BeginMainThreadFrame signals, from 200 ms after Play (the click
    // itself is not a playback frame) to the end mark.
    const starts = on
      .filter((e) => e.name === "BeginMainThreadFrame" && e.ts >= from + 200_000 && e.ts <= to)
      .map((e) => e.ts)
      .sort((a, b) => a - b);
    if (starts.length < 10) throw new Error(`only ${starts.length} frames in the trace`);
    const work = [];
    const renderTasks = [];
    for (let i = 0; i + 1 < starts.length; i++) {
      const inFrame = tasks.filter((t) => t.ts >= starts[i] && t.ts < starts[i + 1]);
      work.push(inFrame.reduce((sum, t) => sum + t.dur, 0) / 1000);
    }
    for (const t of tasks.filter((t) => t.ts >= starts[0] && t.ts <= to)) {
      if (on.some((e) => e.name === "FireAnimationFrame" && e.ts >= t.ts && e.ts <= t.ts + t.dur)) {
        renderTasks.push(t.dur / 1000);
      }
    }
    const seconds = (starts.at(-1) - starts[0]) / 1e6;
    rows.push({
      preset,
      p95: quantile(work, 0.95),
      p50: median(work),
      max: Math.max(...work),
      frames: work.length,
      fps: work.length / seconds,
      renderP95: renderTasks.length ? quantile(renderTasks, 0.95) : null,
    });
    await context.close();
  }
  const worst = rows.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  return {
    value: worst.p95,
    detail: rows
      .map(
        (r) =>
          `${r.preset}: ${r.frames} frames (${fmt(r.fps, 0)}/s), main-thread work per frame p50 ${fmt(r.p50, 2)} ms, ` +
          `p95 ${fmt(r.p95, 2)} ms, max ${fmt(r.max, 2)} ms; the frame's own rAF + render task p95 ${fmt(r.renderP95, 2)} ms`,
      )
      .join("\n"),
  };
});

await browser.close();

// ---------------------------------------------------------------------------------------------
// The table.

const BUDGETS = [
  {
    key: "size",
    figure: "main page wasm + JS, gzip -9",
    unit: "kB",
    budget: 150,
    digits: 1,
    how: "scripts/size.py: gzip -9 of the wasm and JS files index.html loads to start (the analysis module, loaded after, apart)",
  },
  {
    key: "interactive",
    figure: "navigation → interactive",
    unit: "ms",
    budget: 400,
    digits: 0,
    how: "navigation start → the app's 'app-interactive' performance mark (set in the app's first effect, after its first render is in the DOM); a click on Next then moves the clock; cold cache, localhost",
  },
  {
    key: "histogram",
    figure: "click → histogram painted, 10 000 runs",
    unit: "ms",
    budget: 150,
    digits: 0,
    how: "in the page: the click event's timeStamp (capture listener) → the new histogram SVG in mc-result seen by a MutationObserver, then painted (a message posted from the next requestAnimationFrame)",
  },
  {
    key: "longtask",
    figure: "longest main-thread task, Monte Carlo",
    unit: "ms",
    budget: 50,
    digits: 1,
    how: "CDP trace (Tracing.start, devtools.timeline + toplevel): the longest top-level RunTask on the page's renderer main thread between the click mark and the painted mark; also PerformanceObserver 'longtask' entries in that window",
  },
  {
    key: "frames",
    figure: "playback frame, main-thread work p95",
    unit: "ms",
    budget: 10,
    digits: 2,
    how: "CDP trace of 3 s of playback at 600×: per frame (between BeginMainThreadFrame signals), the summed top-level task time on the renderer main thread; p95 over frames, worse of the two configurations",
  },
  {
    key: "throughput",
    figure: "Monte Carlo throughput in the browser",
    unit: "runs/s",
    budget: 250_000,
    atLeast: true,
    digits: 0,
    how: "100 000 runs × 2 configurations, (runs × configurations) / the elapsed time of the app's result line",
  },
];

const rows = BUDGETS.map((b) => {
  const r = results.find((x) => x.name === b.key);
  const value = r && !r.error ? r.value : null;
  const within = value === null ? null : b.atLeast ? value >= b.budget : value <= b.budget;
  const shown = value === null ? "not measured" : `${b.unit === "runs/s" ? Math.round(value).toLocaleString("en-US") : fmt(value, b.digits)} ${b.unit}`;
  const budget = `${b.atLeast ? "≥" : "≤"} ${b.unit === "runs/s" ? b.budget.toLocaleString("en-US") : b.budget} ${b.unit}`;
  const verdict = within === null ? "FAILED TO MEASURE" : within ? "within" : "OVER";
  return { ...b, value, shown, budgetText: budget, verdict, detail: r?.detail, error: r?.error, longtasks: r?.longtasks };
});

const w = [
  Math.max(...rows.map((r) => r.figure.length)),
  Math.max(...rows.map((r) => r.shown.length)),
  Math.max(...rows.map((r) => r.budgetText.length)),
];
console.log("");
console.log(`${"budget".padEnd(w[0])}  ${"measured".padStart(w[1])}  ${"budget".padEnd(w[2])}  verdict`);
console.log(`${"-".repeat(w[0])}  ${"-".repeat(w[1])}  ${"-".repeat(w[2])}  -------`);
for (const r of rows) {
  console.log(`${r.figure.padEnd(w[0])}  ${r.shown.padStart(w[1])}  ${r.budgetText.padEnd(w[2])}  ${r.verdict}`);
}
const lt = rows.find((r) => r.key === "longtask")?.longtasks;
if (lt) console.log(`PerformanceObserver 'longtask' entries during the Monte Carlo runs: ${lt.join(", ")} (10 000 × 1, 100 000 × 2)`);
console.log("");
console.log("How each figure is measured, and what else was seen:");
for (const r of rows) {
  console.log(`- ${r.figure}: ${r.how}.`);
  if (r.detail) for (const line of r.detail.split("\n")) console.log(`    ${line}`);
  if (r.error) console.log(`    could not be measured: ${r.error}`);
}

if (args.json) {
  writeFileSync(
    args.json,
    JSON.stringify(
      {
        url: URL_,
        chromium: chromiumVersion,
        cpus: cpus.length,
        budgets: rows.map(({ key, figure, unit, budget, atLeast, value, verdict, detail }) => ({
          key,
          figure,
          unit,
          budget,
          atLeast: Boolean(atLeast),
          value,
          verdict,
          detail,
        })),
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`\nbudgets: figures written to ${args.json}`);
}

const count = (v) => rows.filter((r) => r.verdict === v).length;
const failed = problems > 0 || count("FAILED TO MEASURE") > 0;
console.log(
  `\nbudgets: ${count("within")} within, ${count("OVER")} over, ${count("FAILED TO MEASURE")} not measured` +
    (failed ? " (exit status 1: a measurement failed or a page reported an error)" : " (budgets are reported, not enforced: exit status 0)"),
);
process.exit(failed ? 1 : 0);
