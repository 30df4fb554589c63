// Keyboard: Tab alone reaches every interactive element of the page (links, buttons, inputs,
// selects, the timeline's markers, the analysis controls), each has an accessible name
// and shows where the focus is; and the replay can be driven without a mouse.
import { test, expect, openApp, readClock, focusedAccessibleName } from "../support/app.js";

/**
 * Opens the page with every kind of control present (results with their metric selectors, a
 * preset's parameters, every marker of the record and the ghost run), then presses Tab through
 * one full cycle. Returns what received focus, in order (element, :focus-visible, outline, the
 * accessible name and role the browser computes), and what interactive elements never did.
 */
async function tabThroughEverything(page) {
  await openApp(page);
  await page.getByTestId("mc-run").click();
  await expect(page.getByTestId("mc-result")).toBeVisible();
  await page.getByTestId("compare-run").click();
  await expect(page.getByTestId("compare-result")).toBeVisible();
  await page.getByTestId("preset-uptime-paging").click();
  await page.getByRole("button", { name: /Show everything/ }).click();
  await expect(page.locator("[data-testid=timeline] .marker.ghost").first()).toBeVisible();
  await expect(page.locator("#mc-metric")).toBeVisible();
  await expect(page.locator("#compare-metric")).toBeVisible();

  const cdp = await page.context().newCDPSession(page);
  // One full cycle of Tab from wherever the sequential focus starting point is (the last
  // click): past the end the focus leaves the page, then comes back to its first element; the
  // cycle ends at the first element reached twice.
  await page.evaluate(() => {
    window.__tabbed = new Map();
  });
  const visited = [];
  let outside = 0;
  for (let step = 0; step < 600 && outside < 3; step++) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { outside: true };
      if (window.__tabbed.has(el)) return { again: true };
      window.__tabbed.set(el, window.__tabbed.size);
      const style = getComputedStyle(el);
      // The focus indicator: an outline, or for the timeline's markers (which draw no outline)
      // the ring their `.hit` circle gets on :focus-visible.
      let indicator = "none";
      if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
        indicator = `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
      } else if (el.classList.contains("marker") && el.querySelector(".hit")) {
        const hit = getComputedStyle(el.querySelector(".hit"));
        if (hit.stroke !== "none" && parseFloat(hit.strokeWidth) >= 2) {
          indicator = `ring ${hit.stroke} ${hit.strokeWidth}`;
        }
      }
      return {
        what: el.outerHTML.replace(/>[\s\S]*$/, ">").slice(0, 140),
        // Apart: where `class` comes among the attributes depends on how the element was made.
        classes: el.getAttribute("class") || "",
        focusVisible: el.matches(":focus-visible"),
        indicator,
      };
    });
    if (info.outside) {
      outside += 1;
      continue;
    }
    if (info.again) break;
    const { name, role } = await focusedAccessibleName(cdp);
    visited.push({ ...info, name, role });
  }
  await cdp.detach();

  const missed = await page.evaluate(() => {
    const candidates = document.querySelectorAll(
      'a[href], button, input:not([type="hidden"]), select, textarea, [tabindex]:not([tabindex="-1"]), [role="button"]',
    );
    return [...candidates]
      .filter((el) => !el.disabled && el.getClientRects().length > 0)
      // The content of a closed <details> is not shown, so not in the Tab order.
      .filter((el) => !el.closest("details:not([open]) > :not(summary)"))
      .filter((el) => !window.__tabbed.has(el))
      .map((el) => el.outerHTML.replace(/>[\s\S]*$/, ">").slice(0, 140));
  });
  return { visited, missed };
}

test("Tab reaches every control of the page, the timeline's markers and the analysis controls included", async ({
  page,
}) => {
  const { visited, missed } = await tabThroughEverything(page);
  expect(missed, "interactive elements Tab never reached").toEqual([]);
  const count = (pattern) => visited.filter((v) => pattern.test(v.what)).length;
  expect(count(/^<a /)).toBeGreaterThanOrEqual(5); // the skip link and the section links
  const marked = (pattern) => visited.filter((v) => pattern.test(v.classes)).length;
  expect(marked(/^marker record/)).toBeGreaterThan(5);
  expect(marked(/^marker ghost/)).toBeGreaterThan(5);
  expect(count(/data-testid="safeguard-/)).toBe(13);
  expect(count(/data-testid="preset-/)).toBe(4);
  for (const id of ["play", "step-next", "step-prev", "speed", "impact-start", "seed", "mc-runs", "mc-run", "compare-run", "rank-run"]) {
    expect(count(new RegExp(`data-testid="${id}"`)), id).toBe(1);
  }
  expect(count(/id="mc-metric"/)).toBe(1);
  expect(count(/id="compare-metric"/)).toBe(1);
  expect(count(/id="p-uptime_check-interval_s"/)).toBe(1);
});

test("every element Tab stops at has an accessible name", async ({ page }) => {
  const { visited } = await tabThroughEverything(page);
  expect(visited.length).toBeGreaterThan(50);
  const unnamed = visited.filter((v) => !v.name.trim()).map((v) => `${v.what} (role ${v.role})`);
  expect(unnamed, "focusable elements without an accessible name").toEqual([]);
});

test("every element Tab stops at shows a visible focus indicator (an outline; the markers' ring)", async ({ page }) => {
  const { visited } = await tabThroughEverything(page);
  expect(visited.length).toBeGreaterThan(50);
  const invisible = visited
    .filter((v) => !v.focusVisible || v.indicator === "none")
    .map((v) => `${v.what}: :focus-visible ${v.focusVisible}, indicator ${v.indicator}`);
  expect(invisible, "focused elements without a visible focus indicator").toEqual([]);
});

test("the replay can be driven from the keyboard: step, select a marker, switch a safeguard", async ({ page }) => {
  await openApp(page);
  const start = await readClock(page);
  // Tab to "Next event" and press Enter, then Space.
  const next = page.getByTestId("step-next");
  for (let i = 0; i < 40 && !(await next.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(next).toBeFocused();
  await page.keyboard.press("Enter");
  await expect.poll(() => readClock(page)).toBeGreaterThan(start);
  const afterOne = await readClock(page);
  await page.keyboard.press("Space");
  await expect.poll(() => readClock(page)).toBeGreaterThan(afterOne);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  // 15:34, the discovery: its marker can be focused and read.
  const discovery = page.locator("[data-testid=timeline] .marker.record", { hasText: "" }).filter({
    has: page.locator("title", { hasText: "15:34 CDT" }),
  });
  await expect(discovery).toHaveCount(1);
  await discovery.focus();
  await page.keyboard.press("Enter");
  await expect(discovery).toHaveAttribute("aria-pressed", "true");
  const detail = page.getByRole("region", { name: "Selected event" });
  await expect(detail).toContainText("15:34 CDT · 20:34 UTC");
  await expect(detail.locator("blockquote")).toContainText("3:34pm");

  // A safeguard switch with Space.
  const uptime = page.getByTestId("safeguard-uptime_check");
  await uptime.focus();
  await page.keyboard.press("Space");
  await expect(uptime).toBeChecked();
  await expect(page.locator("[data-testid=timeline] .marker.ghost").first()).toBeVisible();
});

test("shortcuts work anywhere on the page, and are left alone while typing in a field", async ({ page }) => {
  await openApp(page);
  const start = await readClock(page);
  await page.locator("body").click({ position: { x: 5, y: 400 } });
  // → and ← step through the moments; End and Home jump.
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => readClock(page)).toBeGreaterThan(start);
  const one = await readClock(page);
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => readClock(page)).toBeGreaterThan(one);
  await page.keyboard.press("ArrowLeft");
  await expect.poll(() => readClock(page)).toBe(one);
  await page.keyboard.press("End");
  await expect.poll(() => readClock(page)).toBeGreaterThan(18 * 3600);
  await page.keyboard.press("Home");
  await expect.poll(() => readClock(page)).toBe(start);
  // Space plays, Space pauses.
  await page.keyboard.press(" ");
  await expect(page.getByTestId("pause")).toBeEnabled();
  await page.keyboard.press(" ");
  await expect(page.getByTestId("play")).toBeEnabled();
  // ? lists the shortcuts; Esc closes the list.
  await page.keyboard.press("?");
  const help = page.getByTestId("shortcut-help");
  await expect(help).toBeVisible();
  await expect(help).toContainText("Play or pause");
  await page.keyboard.press("Escape");
  await expect(help).toHaveCount(0);
  // In a field the keys are the field's.
  const at = await readClock(page);
  const seed = page.getByTestId("seed");
  await seed.focus();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Home");
  expect(await readClock(page)).toBe(at);
  await expect(page.getByTestId("play")).toBeEnabled();
});
