// Train mode and the start screen, as a learner and a trainer use them: the start screen at
// 1280×800 with three ways in; train mode showing nothing of the outcome before it is earned;
// a whole day through its stops to the debrief with a score, the record's 15:34 and 18:05 and a
// range; the result link reopening the same score in a fresh page; two learners' links pasted
// into the facilitator's console making two rows (and a tampered one listed with its reason);
// a returning learner landing where they left; a phone's one column with no horizontal scroll.
import { test, expect, openStart } from "../support/app.js";

/** What train mode must not show before the debrief (the list). */
const SPOILERS = ["18:05", "Resolved", "2 h 31", "merged", "reinstat"];

/** No spoiler and no time-to-detect figure in the page's text. */
async function expectNothingGivenAway(page) {
  const text = await page.locator(".app").innerText();
  for (const word of SPOILERS) expect(text, `'${word}' before the debrief`).not.toContain(word);
  expect(text).not.toMatch(/time to detect[^?\n]*\d/i);
  // The simulated record's time to detect is 60 min; "1 h 5 min earlier" is a consequence, not it.
  expect(text).not.toMatch(/\b60 min\b|\b1 h\b(?! \d)/);
}

async function startTraining(page, path = "./") {
  await openStart(page, path);
  await page.getByTestId("start-train").click();
  await expect(page.getByTestId("mode-learn")).toBeVisible();
}

async function predict(page, minutes = "20", detector = "uptime_check") {
  await page.getByTestId("learn-predict-minutes").fill(minutes);
  await page.getByTestId(`learn-predict-${detector}`).check();
  await page.getByTestId("learn-commit").click();
  await expect(page.getByTestId("learn-stop")).toBeVisible();
}

/** Plays every stop: `pick(k)` gives the choice at stop k (falls back to waiting). */
async function playDay(page, pick = () => "wait", check = async () => {}) {
  for (let k = 0; k < 12; k += 1) {
    const stop = page.getByTestId("learn-stop");
    await expect(stop).toBeVisible();
    await check(page);
    const wanted = page.getByTestId(`learn-choice-${pick(k)}`);
    await ((await wanted.count()) ? wanted : page.getByTestId("learn-choice-wait")).click();
    await page.getByTestId(k % 2 ? "learn-confidence-high" : "learn-confidence-medium").click();
    await page.getByTestId("learn-commit").click();
    await expect(page.getByTestId("learn-consequence")).toBeVisible();
    await check(page);
    const next = page.getByTestId("learn-next");
    const last = (await next.innerText()).includes("debrief");
    await next.click();
    if (last) break;
  }
  await expect(page.getByTestId("learn-debrief")).toBeVisible();
}

test("the start screen fits 1280×800 and offers three ways in", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openStart(page);
  const start = page.getByTestId("start-here");
  await expect(start).toBeVisible();
  for (const way of ["start-train", "start-explore", "start-facilitate"]) {
    const box = await page.getByTestId(way).boundingBox();
    expect(box.y + box.height, `${way} without scrolling`).toBeLessThanOrEqual(800);
  }
  await expect(start).toContainText("10 July 2024");
  // The glossary opens at a term where it first appears, and closes.
  await page.getByTestId("term-postmortem").click();
  await expect(page.getByTestId("glossary")).toBeVisible();
  await expect(page.getByTestId("glossary-postmortem")).toHaveClass(/current/);
  await page.getByTestId("glossary-close").click();
  await expect(page.getByTestId("glossary")).toHaveCount(0);
  await page.getByTestId("start-explore").click();
  await expect(page.locator("#replay")).toBeVisible();
});

test("train mode shows no outcome before it is earned", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await startTraining(page);
  await expect(page.getByTestId("learn-predict")).toBeVisible();
  await expectNothingGivenAway(page);
  // The glossary holds back what would give the day away.
  await page.getByTestId("learn-glossary").click();
  await expect(page.getByTestId("glossary-looper")).toHaveCount(0);
  await expectNothingGivenAway(page);
  await page.getByTestId("glossary-close").click();
  await predict(page);
  await playDay(page, (k) => (k === 2 ? "roll_back" : "wait"), expectNothingGivenAway);
});

test("a whole day through its stops reaches the debrief, and its result link reopens the same score", async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await startTraining(page);
  await predict(page, "45", "absent_alert");
  // The first choice shows what it changed, with its range over simulated days.
  await page.getByTestId("learn-choice-page_on_call").click();
  await page.getByTestId("learn-confidence-high").click();
  await page.getByTestId("learn-commit").click();
  await expect(page.getByTestId("learn-change").first()).toBeVisible();
  await expect(page.getByTestId("learn-range").first()).toContainText("P10–P90 over 1,000 simulated days", { timeout: 30_000 });
  await expect(page.getByTestId("learn-record-line")).toContainText("3:34pm");
  await page.getByTestId("learn-next").click();
  await playDay(page, (k) => (k === 1 ? "roll_back" : "wait"));
  const debrief = page.getByTestId("learn-debrief");
  const score = page.getByTestId("learn-score");
  await expect(score).toBeVisible();
  await expect(debrief).toContainText("15:34");
  await expect(debrief).toContainText("18:05");
  await expect(page.getByTestId("learn-debrief-range")).toContainText("P10–P90", { timeout: 30_000 });
  await expect(page.getByTestId("learn-takeaways").locator("li")).toHaveCount(3, { timeout: 30_000 });
  const value = await score.getAttribute("data-score");
  await page.getByTestId("learn-name").fill("Ana");
  const link = await page.getByTestId("learn-result-link").inputValue();
  expect(link).toContain("#mode=result&learner=Ana&");
  const code = await page.getByTestId("learn-result-code").innerText();
  // A fresh page (no stored progress) opens the same debrief, read-only.
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other.getByTestId("learn-result")).toBeVisible();
  await expect(other.getByTestId("learn-score")).toHaveAttribute("data-score", value);
  await expect(other.getByTestId("learn-result")).toContainText("Debrief: Ana");
  await expect(other.getByTestId("learn-restart")).toHaveCount(0);
  // And the short code, pasted as the address's fragment, too.
  await other.goto(`./#${code}`.replace("./", link.split("#")[0]));
  await expect(other.getByTestId("learn-score")).toHaveAttribute("data-score", value);
  // A take-away opens Explore with its safeguard on.
  const takeaway = page.getByTestId("learn-takeaways").getByRole("button").first();
  const id = (await takeaway.getAttribute("data-testid")).replace("learn-takeaway-", "");
  await takeaway.click();
  await expect(page.getByTestId(`safeguard-${id}`)).toBeChecked();
});

test("a returning learner lands where they left", async ({ page }) => {
  await startTraining(page);
  await predict(page, "30", "slo_burn_alert");
  await page.getByTestId("learn-choice-post_status").click();
  await page.getByTestId("learn-confidence-low").click();
  await page.getByTestId("learn-commit").click();
  await page.getByTestId("learn-next").click();
  await expect(page.getByTestId("learn-stop")).toHaveAttribute("data-at", "15:38");
  await page.goto(page.url().split("#")[0]);
  await expect(page.getByTestId("learn-stop")).toHaveAttribute("data-at", "15:38");
  await expect(page.getByTestId("learn-so-far")).toContainText("Post to the status page");
});

test("two learners' result links pasted in the console make two rows; a tampered one is listed with its reason", async ({ page }) => {
  const links = [];
  await startTraining(page);
  for (const [minutes, first] of [["15", "roll_back"], ["90", "page_on_call"]]) {
    await predict(page, minutes);
    await playDay(page, (k) => (k === 0 ? first : "wait"));
    links.push(await page.getByTestId("learn-result-link").inputValue());
    page.once("dialog", (d) => d.accept());
    await page.getByTestId("learn-restart").click();
    await expect(page.getByTestId("learn-predict")).toBeVisible();
  }
  expect(links[0]).not.toEqual(links[1]);
  await page.getByTestId("learn-to-start").click();
  await page.getByTestId("start-facilitate").click();
  const tampered = links[1].replace("stop=15:34=page_on_call", "stop=15:34=roll_back");
  await page.getByTestId("team-results-input").fill(`${links[0]}\n\n${links[1]}\n${tampered}\nnot a link`);
  await page.getByTestId("team-results-add").click();
  const table = page.getByTestId("team-results-table");
  await expect(table.getByTestId("team-results-row")).toHaveCount(2);
  await expect(page.getByTestId("team-results-alignment")).toContainText("50 %");
  await expect(page.getByTestId("team-results-spread")).toContainText("15–90 min");
  const bad = page.getByTestId("team-results-bad");
  await expect(bad).toHaveCount(2);
  await expect(bad.first()).toContainText("check does not match");
});

test("on a phone: one column, big enough to tap, no sideways scroll", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openStart(page);
  const noSideways = async () =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await noSideways();
  await page.getByTestId("start-train").click();
  await predict(page);
  await noSideways();
  for (const id of ["learn-choice-wait", "learn-confidence-low", "learn-commit"]) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box.height, `${id} tap target`).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  await playDay(page);
  await noSideways();
  await expect(page.getByTestId("learn-score")).toBeVisible();
});

test("offline once opened: train mode reloads with no network and its ranges still run", async ({ page, context }) => {
  test.setTimeout(90_000);
  await startTraining(page);
  // The offline copy is made in the background after the start (see offline.spec).
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          if (!registration?.active || registration.active.state !== "activated") return "not active";
          const keys = (await caches.keys()).filter((k) => k.startsWith("outage-drill-"));
          const cached = keys.length === 1 ? await (await caches.open(keys[0])).keys() : [];
          return cached.some((r) => /mc-worker(-[0-9a-f]+)?_bg\.wasm$/.test(r.url)) ? "ready" : "incomplete";
        }),
      { timeout: 40_000, intervals: [500] },
    )
    .toBe("ready");
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("learn-predict")).toBeVisible();
  await predict(page, "25");
  await page.getByTestId("learn-choice-page_on_call").click();
  await page.getByTestId("learn-confidence-medium").click();
  await page.getByTestId("learn-commit").click();
  await expect(page.getByTestId("learn-range").first()).toContainText("P10–P90", { timeout: 30_000 });
  await context.setOffline(false);
});

test("a trainer's link opens train mode with a timer per moment", async ({ page }) => {
  await openStart(page, "./#mode=learn&pace=120");
  await expect(page.getByTestId("mode-learn")).toBeVisible();
  await expect(page.getByTestId("learn-pace")).toHaveValue("120");
  await predict(page);
  await expect(page.getByTestId("learn-timer")).toContainText(/[12]:\d\d left/);
  // The address keeps it, for a reload.
  expect(decodeURIComponent(page.url())).toContain("mode=learn&pace=120");
});
