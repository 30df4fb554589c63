// Running an exercise: the facilitator's console (injects at the record's moments, the replay
// stopping at each, timers), the room's projector following it in a second window without a
// server and never showing what has not been revealed, the decision log kept as it is typed,
// the room's decisions and curveballs changing the day, and the after-action report (Markdown,
// JSON, print).
import { readFileSync } from "node:fs";
import { test, expect, openApp, readClock } from "../support/app.js";

const at = (h, m) => h * 3600 + m * 60;

/** Enters the console and waits for the exercise bar. */
async function facilitate(page, path = "./") {
  await openApp(page, path);
  await page.getByTestId("mode-facilitate").click();
  await expect(page.locator(".exercise-bar")).toBeVisible();
}

/** A what-if metrics row's cells: the record, the room's day. */
async function whatIfRow(page, metric) {
  const row = page.locator("#what-if tbody tr").filter({ has: page.locator(".metric-name", { hasText: new RegExp(`^${metric}$`) }) });
  return row.locator("td").allTextContents();
}

test("the console runs the exercise: injects at the record's moments, playback stops at each, timers", async ({ page }) => {
  await facilitate(page);
  const current = page.getByTestId("inject-current");
  await expect(current).toContainText("Objectives");
  await page.getByTestId("inject-next").click();
  expect(await readClock(page)).toBe(at(15, 34));
  await expect(current).toContainText("Calendars are not syncing");
  await expect(current).toContainText("Read to the room");
  await expect(current).toContainText("Ask the room");
  await expect(current).toContainText("Listen for");
  await expect(page.locator(".exercise-position")).toHaveText("Inject 1 of 7");
  // Play runs until the next inject and stops there for the room.
  await page.getByTestId("speed").selectOption("600");
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 10_000 });
  expect(await readClock(page)).toBe(at(15, 38));
  await expect(page.locator(".exercise-position")).toHaveText("Inject 2 of 7");
  // The inject's timer: set to its own minutes, started, given a minute more, paused.
  const timer = page.getByTestId("timer-inject");
  await expect(timer.locator(".timer-value")).toHaveText("6:00");
  await timer.getByRole("button", { name: "One more minute on the inject timer" }).click();
  await expect(timer.locator(".timer-value")).toHaveText("7:00");
  await timer.getByRole("button", { name: "Start the inject timer" }).click();
  await expect.poll(() => timer.locator(".timer-value").textContent(), { timeout: 5_000 }).not.toBe("7:00");
  await timer.getByRole("button", { name: "Pause the inject timer" }).click();
  const paused = await timer.locator(".timer-value").textContent();
  await page.waitForTimeout(1_200);
  await expect(timer.locator(".timer-value")).toHaveText(paused);
  await timer.locator("input").fill("1");
  await timer.locator("input").press("Tab");
  await expect(timer.locator(".timer-value")).toHaveText("1:00");
});

test("console and projector stay in step, and the projector never shows what is not revealed", async ({ page, context }) => {
  await facilitate(page);
  const projector = await context.newPage();
  await projector.goto("./#mode=projector");
  await expect(projector.getByTestId("projector")).toBeVisible();
  const clock = () => projector.getByTestId("clock").textContent();

  await page.getByTestId("inject-next").click();
  await expect.poll(clock, { timeout: 1_000 }).toContain("15:34");
  await expect(projector.getByTestId("projector-inject")).toContainText("Calendars are not syncing");
  for (let i = 0; i < 2; i++) await page.getByTestId("inject-next").click();
  await expect.poll(clock, { timeout: 1_000 }).toContain("15:46");
  const text = await projector.locator("body").innerText();
  const labels = await projector.locator("[aria-label], title").evaluateAll((els) =>
    els.map((e) => e.getAttribute("aria-label") || e.textContent).join(" | "),
  );
  for (const spoiler of ["18:05", "Resolved", "Time to detect", "pull request", "Pull request", "looper"]) {
    expect(text, `the projector shows '${spoiler}'`).not.toContain(spoiler);
    expect(labels, `the projector's labels say '${spoiler}'`).not.toContain(spoiler);
  }
  await expect(projector.getByTestId("projector-outcome")).toHaveCount(0);
  // Revealed by the facilitator: the outcome appears.
  await page.getByTestId("reveal-outcome").click();
  await expect(projector.getByTestId("projector-outcome")).toContainText("Time to detect", { timeout: 1_000 });
});

test("a decision is logged as typed, survives a reload and is in the report with the improvement plan", async ({ page }) => {
  await facilitate(page);
  await page.getByTestId("inject-next").click();
  await page.getByTestId("decision-text").fill("Page the on-call engineer now");
  await page.getByTestId("decision-role").selectOption("Incident commander");
  await page.getByTestId("decision-action").selectOption("page_on_call");
  await page.getByTestId("decision-rationale").fill("Chat is not reaching the owners");
  await page.getByTestId("decision-add").click();
  const log = page.getByTestId("decision-log");
  await expect(log).toContainText("Page the on-call engineer now");
  await expect(log).toContainText("Incident commander");
  await expect(log).toContainText("Page on-call now");
  // Typed but not added yet: kept too.
  await page.getByTestId("decision-text").fill("Draft the status post");
  await page.getByTestId("aar-name").fill("Calendar outage drill");
  await page.getByTestId("aar-plan-add").click();
  await page.getByRole("textbox", { name: "Action 1", exact: true }).fill("Add an uptime check that pages");
  await page.getByRole("textbox", { name: "Owner of action 1" }).fill("Cloud Operations");

  await page.reload();
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(page.getByTestId("decision-log")).toContainText("Page the on-call engineer now");
  await expect(page.getByTestId("decision-text")).toHaveValue("Draft the status post");
  await expect(page.getByTestId("aar-name")).toHaveValue("Calendar outage drill");

  const [markdown] = await Promise.all([page.waitForEvent("download"), page.getByTestId("aar-markdown").click()]);
  expect(markdown.suggestedFilename()).toBe("calendar-outage-drill.md");
  const md = readFileSync(await markdown.path(), "utf8");
  expect(md).toContain("# After-action report: Calendar outage drill");
  expect(md).toContain("Page the on-call engineer now");
  expect(md).toContain("| Action | Owner | Due | Safeguard |");
  expect(md).toContain("| Add an uptime check that pages | Cloud Operations |");
  expect(md).toContain("--room 15:34=page_on_call");

  const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("aar-json").click()]);
  const report = JSON.parse(readFileSync(await json.path(), "utf8"));
  expect(report.schema).toBe(1);
  expect(report.decisions[0].decision).toBe("Page the on-call engineer now");
  expect(report.plan[0].owner).toBe("Cloud Operations");
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
});

test("the room's decisions and curveballs change the day: an early rollback, a failing looper", async ({ page }) => {
  await facilitate(page, "./#at=15:40");
  expect(await readClock(page)).toBe(at(15, 40));
  await page.getByTestId("decision-text").fill("Roll back to last week's release");
  await page.getByTestId("decision-action").selectOption("roll_back");
  await page.getByTestId("decision-add").click();
  const [record, room] = await whatIfRow(page, "Time to mitigate");
  await expect(page.locator("#what-if thead")).toContainText("The room's day");
  const minutes = (t) => {
    const m = t.match(/(?:(\d+) h)? ?(?:(\d+) min)?/);
    return Number(m[1] || 0) * 60 + Number(m[2] || 0);
  };
  expect(minutes(room)).toBeLessThan(minutes(record));

  await page.getByTestId("curveball-looper_fails").click();
  const [, lost] = await whatIfRow(page, "Lost events");
  expect(Number(lost.replace(/,/g, ""))).toBeGreaterThan(0);
  await expect(page.getByTestId("curveball-looper_fails")).toBeDisabled();
});

test("the print view shows the report and no controls", async ({ page }) => {
  await facilitate(page);
  await page.getByTestId("inject-next").click();
  await page.getByTestId("decision-text").fill("Escalate to leadership");
  await page.getByTestId("decision-add").click();
  await page.getByTestId("aar-print").click();
  await expect(page.getByTestId("print-report")).toBeAttached();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("print-report")).toBeVisible();
  await expect(page.getByTestId("print-report")).toContainText("Escalate to leadership");
  const visibleControls = await page.locator("button, input, select, textarea, .masthead").evaluateAll(
    (els) => els.filter((e) => e.offsetParent !== null || getComputedStyle(e).display !== "none" && e.getClientRects().length > 0).length,
  );
  expect(visibleControls).toBe(0);
  await page.screenshot({ path: test.info().outputPath("print.png"), fullPage: true });
  await page.emulateMedia({ media: null });
});

test.describe("a stored decision log that cannot be used", () => {
  test.use({ consoleErrors: true });

  test("is set aside with a message, and the exercise starts with an empty log", async ({ page }) => {
    await page.addInitScript(() => {
      if (!sessionStorage.getItem("seeded")) {
        localStorage.setItem("outage-drill:exercise", JSON.stringify({ schema: 0, data: {} }));
        sessionStorage.setItem("seeded", "1");
      }
    });
    await openApp(page);
    const error = page.getByTestId("error");
    await expect(error).toContainText("The exercise's decision log could not be restored");
    await expect(error).toContainText("another version of the app");
    const key = (await error.textContent()).match(/'(outage-drill:set-aside:[^']+)'/)[1];
    expect(await page.evaluate((key) => localStorage.getItem(key), key)).toBe(JSON.stringify({ schema: 0, data: {} }));
  });
});

test.describe("an unreadable decision log when storage is full", () => {
  test.use({ consoleErrors: true });

  test("is never deleted: it stays, is named, and can be downloaded before anything is saved over it", async ({ page }) => {
    const stored = JSON.stringify({ schema: 99, data: { decisions: ["from another version"] } });
    await page.addInitScript((stored) => {
      if (sessionStorage.getItem("seeded")) return;
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem("outage-drill:exercise", stored);
      // Fill the rest of local storage, down to the last character.
      let n = 0;
      for (let size = 1 << 20; size >= 1; size = Math.floor(size / 2)) {
        const chunk = "x".repeat(size);
        for (;;) {
          try {
            localStorage.setItem(`filler:${n}`, chunk);
            n += 1;
          } catch {
            break;
          }
        }
      }
    }, stored);
    await openApp(page);
    const error = page.getByTestId("error").filter({ hasText: "decision log could not be restored" });
    await expect(error).toContainText("another version of the app (schema 99");
    await expect(error).toContainText("Storage is full");
    await expect(error).toContainText("outage-drill:exercise");
    // Still there, untouched, after the app's first saves.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => localStorage.getItem("outage-drill:exercise"))).toBe(stored);
    // A reload does not lose it either.
    await page.reload();
    await expect(page.getByTestId("error").filter({ hasText: "decision log could not be restored" })).toBeVisible();
    expect(await page.evaluate(() => localStorage.getItem("outage-drill:exercise"))).toBe(stored);
    // Download it: the file is the record as it was stored.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("error").filter({ hasText: "decision log" }).getByTestId("notice-action").click(),
    ]);
    expect(download.suggestedFilename()).toBe("outage-drill-exercise.json");
    expect(readFileSync(await download.path(), "utf8")).toBe(stored);
  });
});

test("control characters typed into a decision are kept, and shown escaped in the log and every export", async ({ page }) => {
  await facilitate(page);
  await page.getByTestId("inject-next").click();
  const typed = "Roll back\u001b]0;pwned\u0007\u001b[2J now \u202eeman";
  await page.getByTestId("decision-text").fill(typed);
  await page.getByTestId("decision-add").click();
  const log = page.getByTestId("decision-log");
  await expect(log).toContainText("Roll back\\u{1B}]0;pwned\\u{7}\\u{1B}[2J now \\u{202E}eman");
  const shown = await log.textContent();
  expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);

  const [markdown] = await Promise.all([page.waitForEvent("download"), page.getByTestId("aar-markdown").click()]);
  const md = readFileSync(await markdown.path(), "utf8");
  expect(md).toContain("Roll back\\\\u{1B}\\]0;pwned\\\\u{7}\\\\u{1B}\\[2J now \\\\u{202E}eman");
  expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);

  const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("aar-json").click()]);
  const text = readFileSync(await json.path(), "utf8");
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  // The JSON keeps the decision as typed: its escapes read back as the characters.
  expect(JSON.parse(text).decisions[0].decision).toBe(typed);
});
