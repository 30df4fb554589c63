// A smaller start (src/lazy.rs, src/views.rs, scripts/post_build.py): the page downloads what its
// first screen needs; the sections below it come once the page is interactive, and the views used
// later (the console, the projector, the printed report, the shortcut list, the page's own Monte
// Carlo runner, the scenario file reader) only when first used. Every file has a content-hashed name and precompressed
// copies next to it; a link that names a section still opens there; a chunk that cannot be
// fetched says so and loads on "Try again".
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test, expect, openApp } from "../support/app.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const DIST = path.resolve(repo, "e2e", process.env.E2E_DIST || "../dist");
const CHUNK = /\/(split_([a-z_]+)|chunk_\d+)-[0-9a-f]{16}\.wasm$/;
/** The chunks of views used later, which the start never fetches. */
const ON_USE = ["console", "projector", "report", "help", "page_runner", "scenario_reader"];
/** The chunks of the sections below the first screen, fetched once the page is interactive. */
const AFTER_START = ["metrics", "ranges", "compare", "scenario", "record"];

function chunksRequested(page) {
  const names = [];
  page.on("request", (r) => {
    const m = new URL(r.url()).pathname.match(CHUNK);
    if (m && m[2]) names.push(m[2]);
  });
  return names;
}

/** Every wasm the page asks for, by name (the page's own, a split point's, a shared chunk's). */
function wasmRequested(page) {
  const names = [];
  page.on("request", (r) => {
    const name = new URL(r.url()).pathname.split("/").pop();
    if (name.endsWith(".wasm")) names.push(name.replace(/-[0-9a-f]{16}(_bg)?\.wasm$/, ""));
  });
  return names;
}

test("a first visit is interactive on the page alone: the app behind the start screen follows, and a way in opens it", async ({ page }) => {
  const wasm = wasmRequested(page);
  const interactiveBefore = [];
  await page.goto("./");
  await expect(page.getByTestId("start-here")).toBeVisible();
  // When the start screen became interactive, the app's chunk had not been asked for.
  const asked = await page.evaluate(() => {
    const at = performance.getEntriesByName("app-interactive")[0].startTime;
    return performance
      .getEntriesByType("resource")
      .filter((r) => r.name.endsWith(".wasm"))
      .map((r) => ({ name: r.name.split("/").pop(), before: r.startTime < at }));
  });
  interactiveBefore.push(...asked.filter((r) => r.before).map((r) => r.name));
  expect(interactiveBefore.length, "the page's own wasm").toBe(1);
  expect(interactiveBefore[0]).toMatch(/^outage-drill-[0-9a-f]{16}_bg\.wasm$/);
  // Then it is fetched, once, without waiting for a click.
  await expect.poll(() => wasm.filter((n) => n === "split_workspace").length).toBe(1);
  await page.getByTestId("start-explore").click();
  await expect(page.getByTestId("clock")).toHaveText(/14:15:00/);
  expect(wasm.filter((n) => n === "split_workspace").length).toBe(1);
  // A first visit has nothing to preload: the app waited for the start screen.
  await expect(page.locator('link[rel="preload"][href*="split_workspace-"]')).toHaveCount(0);
});

test("a term on the first visit's start screen opens the glossary there, over the start screen", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByTestId("start-here")).toBeVisible();
  await page.getByTestId("term-postmortem").click();
  await expect(page.getByTestId("glossary")).toBeVisible();
  await expect(page.getByTestId("start-here")).toBeVisible();
  const entry = page.locator('[data-term="postmortem"]');
  await expect(entry).toBeVisible();
  // Scrolled to, and not under the glossary's sticky header.
  await expect
    .poll(async () => (await entry.boundingBox()).y - (await page.locator(".glossary header").boundingBox()).y)
    .toBeGreaterThanOrEqual((await page.locator(".glossary header").boundingBox()).height);
});

for (const [visit, prepare] of [
  ["a link", async (page) => page.goto("./#seed=1")],
  [
    "a visitor coming back",
    async (page) => {
      await page.goto("./");
      await page.getByTestId("start-explore").click();
      await expect(page.getByTestId("clock")).toBeVisible();
      // The session is written once the view settles.
      await expect.poll(() => page.evaluate(() => localStorage.getItem("outage-drill:session"))).not.toBeNull();
      await page.goto("about:blank");
      await page.goto("./");
    },
  ],
]) {
  test(`${visit} opens the app at once, its chunk fetched alongside the page (once)`, async ({ page }) => {
    const wasm = wasmRequested(page);
    await prepare(page);
    await expect(page.getByTestId("clock")).toBeVisible();
    await expect(page.getByTestId("start-here")).toHaveCount(0);
    const preload = page.locator('link[rel="preload"][as="fetch"][href*="split_workspace-"]');
    await expect(preload).toHaveCount(1);
    // Asked for by the preload and taken by the split loader: one request for this load.
    const loads = await page.evaluate(() =>
      performance.getEntriesByType("resource").filter((r) => /split_workspace-/.test(r.name)).length,
    );
    expect(loads).toBe(1);
  });
}

test("the start fetches no view that is used later; the sections below come once it is interactive, the console when opened", async ({
  page,
}) => {
  const chunks = chunksRequested(page);
  await openApp(page);
  // The sections below the first screen are drawn from their chunks.
  for (const id of ["what-if", "ranges", "compare", "scenario", "record"]) {
    await expect(page.locator(`section#${id}`)).toBeVisible();
  }
  await expect(page.locator(".lazy-loading")).toHaveCount(0);
  for (const name of AFTER_START) expect(chunks, `${name} once the page is interactive`).toContain(name);
  for (const name of ON_USE) expect(chunks, `${name} is not fetched at start`).not.toContain(name);
  // The console's chunk comes when the console opens, and it works.
  await page.getByTestId("mode-facilitate").click();
  await expect(page.getByTestId("inject-current")).toContainText("Objectives");
  expect(chunks).toContain("console");
  expect(chunks).not.toContain("projector");
  // The shortcut list: its chunk on the first `?`.
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog")).toBeVisible();
  expect(chunks).toContain("help");
});

test("the scenario reader is fetched when a file is first imported, not at start", async ({ page }) => {
  const chunks = chunksRequested(page);
  await openApp(page);
  await expect(page.locator("section#scenario")).toBeVisible();
  expect(chunks).not.toContain("scenario_reader");
  const file = JSON.parse(readFileSync(path.join(repo, "crates/outage-sim/scenarios/eptura-2024-07-10.json"), "utf8"));
  file.id = "read-later";
  file.title = "Read by its own chunk";
  await page.getByTestId("scenario-import").setInputFiles({
    name: "later.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await expect(page.getByTestId("scenario-title")).toHaveText("Read by its own chunk");
  expect(chunks).toContain("scenario_reader");
});

test("every file but the page and the service worker is named by its content, with .gz and .br copies", async () => {
  const files = readdirSync(DIST).filter((n) => !/\.(gz|br)$/.test(n));
  for (const name of files) {
    if (["index.html", "sw.js"].includes(name)) continue;
    expect(name, "a content-hashed name").toMatch(/-[0-9a-f]{16}(_bg)?\.(wasm|js|css|svg)$/);
  }
  for (const name of files.filter((n) => /\.(wasm|js|html|css)$/.test(n))) {
    const size = readFileSync(path.join(DIST, name)).length;
    for (const ext of [".gz", ".br"]) {
      // A copy that would not be smaller is not written.
      if (existsSync(path.join(DIST, name + ext))) {
        expect(readFileSync(path.join(DIST, name + ext)).length).toBeLessThan(size);
      } else {
        expect(size, `${name}${ext} is missing`).toBeLessThan(200);
      }
    }
  }
  const big = files.filter((n) => /^outage-drill-[0-9a-f]{16}_bg\.wasm$/.test(n));
  expect(big).toHaveLength(1);
  expect(existsSync(path.join(DIST, `${big[0]}.br`))).toBe(true);
});

test("a link that names a section opens there, once the sections above it are drawn", async ({ page }) => {
  await openApp(page, "./#section=compare");
  await expect(page.locator("section#compare")).toBeVisible();
  await expect(page.locator(".lazy-loading")).toHaveCount(0);
  await expect
    .poll(() => page.locator("section#compare").evaluate((e) => Math.round(e.getBoundingClientRect().top)))
    .toBeLessThan(200);
});

test.describe("when a chunk cannot be fetched", () => {
  // The failed fetch is logged to the console, on purpose.
  test.use({ consoleErrors: true });

  test("a chunk that cannot be fetched says so, the rest works, and Try again loads it", async ({ page }) => {
    let offline = true;
    await page.route(/\/split_compare-[0-9a-f]{16}\.wasm$/, (route) => (offline ? route.abort() : route.continue()));
    await openApp(page);
    const failed = page.locator('.lazy-failed[data-chunk="compare"]');
    await expect(failed).toBeVisible();
    await expect(failed).toHaveAttribute("role", "alert");
    await expect(failed).toContainText("could not be loaded");
    // The rest of the page works.
    await expect(page.locator("section#ranges")).toBeVisible();
    const clock = await page.getByTestId("clock").textContent();
    await page.getByTestId("step-next").click();
    await expect(page.getByTestId("clock")).not.toHaveText(clock);
    offline = false;
    await failed.getByRole("button", { name: "Try again" }).click();
    await expect(page.locator("section#compare")).toBeVisible();
    await expect(page.locator(".lazy-failed")).toHaveCount(0);
  });
});
