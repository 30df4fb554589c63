// The replay: the clock starts at 14:15 CDT with nothing revealed; Play advances it at the chosen
// speed and reveals each event as the playhead passes it, in time order, and stops at the end;
// Play at the end starts over; Next and Prev step one moment at a time; Pause stops the clock;
// the assumed impact start is a slider.
import {
  test,
  expect,
  openApp,
  readClock,
  sampleReplay,
  hhmmss,
  headlineTtd,
} from "../support/app.js";

const START = 14 * 3600 + 15 * 60; // 14:15:00 CDT

test("starts at 14:15:00 CDT (19:15:00 UTC) with nothing revealed", async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId("clock")).toContainText("14:15:00");
  await expect(page.getByTestId("clock")).toContainText("19:15:00");
  const s = await sampleReplay(page);
  expect(s.now).toBe(START);
  expect(s.markers).toEqual([]);
  await expect(page.getByTestId("event-log").locator("li")).toHaveCount(0);
  await expect(page.getByTestId("play")).toBeEnabled();
  await expect(page.getByTestId("pause")).toBeDisabled();
  const speed = page.getByTestId("speed");
  await expect(speed).toHaveValue("60");
  expect(await speed.locator("option").evaluateAll((o) => o.map((x) => x.value))).toEqual([
    "1",
    "10",
    "60",
    "600",
    "3600",
  ]);
});

test("Play advances the clock and reveals the events in time order, then stops at the end; Play again starts over", async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId("speed").selectOption("3600");
  const samples = [await sampleReplay(page)];
  await page.getByTestId("play").click();
  // Sample the replay as it plays (about 4 s at one simulated hour per second).
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await page.waitForTimeout(200);
    const s = await sampleReplay(page);
    samples.push(s);
    if (!s.playing) break;
  }
  const last = samples.at(-1);
  expect(last.playing, "playback stopped by itself at the end").toBe(false);
  expect(last.pauseEnabled).toBe(false);
  expect(samples.some((s) => s.playing && s.pauseEnabled), "Pause is offered while playing").toBe(true);

  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1], samples[i]];
    const where = `sample ${i} (${hhmmss(a.now)} → ${hhmmss(b.now)})`;
    expect(b.now, `the clock never goes back: ${where}`).toBeGreaterThanOrEqual(a.now);
    expect(b.markers.length, `markers never disappear: ${where}`).toBeGreaterThanOrEqual(a.markers.length);
    // What was revealed stays revealed, in the same order: the new sample extends the old.
    expect(b.markers.slice(0, a.markers.length).map((m) => m.label), where).toEqual(a.markers.map((m) => m.label));
    for (const m of b.markers) {
      expect(m.at, `revealed only once the playhead passed it: ${m.label} at ${where}`).toBeLessThanOrEqual(b.now);
    }
    // Markers are in time order.
    const times = b.markers.map((m) => m.at);
    expect(times, where).toEqual([...times].sort((x, y) => x - y));
  }
  // It really moved: several distinct clock readings, and markers appearing over time.
  expect(new Set(samples.map((s) => s.now)).size).toBeGreaterThanOrEqual(4);
  expect(new Set(samples.map((s) => s.markers.length)).size).toBeGreaterThanOrEqual(4);
  expect(samples[0].markers).toHaveLength(0);
  expect(last.now).toBeGreaterThan(18 * 3600 + 5 * 60);
  // The last recorded event is the resolution, 18:05 CDT · 23:05 UTC.
  expect(last.markers.at(-1).label).toMatch(/18:05 CDT · 23:05 UTC.*Resolved/);
  // The event log lists what happened so far.
  await expect(page.getByTestId("event-log").locator("li")).toHaveCount(
    last.markers.filter((m) => !m.ghost).length,
  );

  // Playback ended where "Show everything" goes, with everything revealed.
  await page.getByRole("button", { name: /Show everything/ }).click();
  const all = await sampleReplay(page);
  expect(all.now).toBe(last.now);
  expect(all.markers.map((m) => m.label)).toEqual(last.markers.map((m) => m.label));

  // Play at the end starts over from the beginning.
  const play = page.getByTestId("play");
  await expect(play).toHaveAccessibleName("Play again from the start");
  await play.click();
  await expect.poll(() => readClock(page)).toBeLessThan(15 * 3600);
  await page.getByTestId("pause").click();
  const restarted = await sampleReplay(page);
  expect(restarted.markers.length).toBeLessThan(all.markers.length);
  for (const m of restarted.markers) expect(m.at).toBeLessThanOrEqual(restarted.now);
});

test("Next reveals one moment at a time and Prev goes back one", async ({ page }) => {
  await openApp(page);
  const expected = [
    [/14:32 CDT · 19:32 UTC \(assumed time\), Change & deploy: Pull request merged/],
    [/14:34 CDT · 19:34 UTC \(assumed time\), Service health: Service gone/],
    [/15:34 CDT · 20:34 UTC, Detection & alerting: .*discover/],
    [/15:38 CDT · 20:38 UTC, People & escalation:/],
    [/15:46 CDT · 20:46 UTC, People & escalation: PagerDuty/],
    [/15:47 CDT · 20:47 UTC, Customers & status page: Status page: Investigating/],
  ];
  let before = await sampleReplay(page);
  const history = [before];
  for (const [pattern] of expected) {
    await page.getByTestId("step-next").click();
    await expect.poll(async () => (await sampleReplay(page)).markers.length).toBe(before.markers.length + 1);
    const after = await sampleReplay(page);
    const fresh = after.markers.filter((m) => !before.markers.some((b) => b.label === m.label));
    expect(fresh).toHaveLength(1);
    expect(fresh[0].label).toMatch(pattern);
    // The clock stands at that moment.
    expect(after.now - fresh[0].at).toBeGreaterThanOrEqual(0);
    expect(after.now - fresh[0].at).toBeLessThan(60);
    expect(after.playing).toBe(false);
    await expect(page.getByTestId("event-log").locator("li")).toHaveCount(after.markers.length);
    history.push(after);
    before = after;
  }

  // Prev: back to the previous moment, and its last event is hidden again.
  await page.getByTestId("step-prev").click();
  await expect.poll(() => readClock(page)).toBe(history.at(-2).now);
  expect((await sampleReplay(page)).markers.map((m) => m.label)).toEqual(history.at(-2).markers.map((m) => m.label));
});

test("with safeguards on, Next also stops at every moment of the ghost run", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("preset-uptime-paging").click();
  let before = await sampleReplay(page);
  let ghosts = 0;
  for (let i = 0; i < 8; i++) {
    await page.getByTestId("step-next").click();
    await expect.poll(async () => (await sampleReplay(page)).now).toBeGreaterThan(before.now);
    const after = await sampleReplay(page);
    const fresh = after.markers.filter((m) => !before.markers.some((b) => b.label === m.label));
    expect(fresh.length, `step ${i + 1} to ${hhmmss(after.now)} reveals something`).toBeGreaterThanOrEqual(1);
    // One moment: everything new happens at the clock's minute, nothing was skipped.
    for (const m of fresh) {
      expect(after.now - m.at, m.label).toBeGreaterThanOrEqual(0);
      expect(after.now - m.at, m.label).toBeLessThan(60);
    }
    ghosts += fresh.filter((m) => m.ghost).length;
    before = after;
  }
  expect(ghosts).toBeGreaterThan(0);
});

test("Pause stops the clock, and Play carries on from there", async ({ page }) => {
  await openApp(page);
  const start = await readClock(page);
  await page.getByTestId("play").click();
  await expect.poll(() => readClock(page)).toBeGreaterThan(start);
  await page.getByTestId("pause").click();
  await expect(page.getByTestId("pause")).toBeDisabled();
  await expect(page.getByTestId("play")).toBeEnabled();
  const paused = await readClock(page);
  // Measuring that time does not pass: wait a while, the clock must not have moved.
  await page.waitForTimeout(700);
  expect(await readClock(page)).toBe(paused);
  await page.getByTestId("play").click();
  await expect.poll(() => readClock(page)).toBeGreaterThan(paused);
  await page.getByTestId("pause").click();
  expect(await readClock(page)).toBeLessThan(paused + 15 * 60);
});

for (const speed of [60, 600]) {
  test(`the speed is simulated seconds per real second (${speed}×)`, async ({ page }) => {
    // The page's clocks (performance.now, animation frames) are Playwright's, paused: the test
    // decides how much time passes, so a busy machine cannot make the rate look wrong. (The
    // clock stays paused to the end: Playwright's frame ids do not fit the 32 bits the page
    // keeps them in, so a frame the page cancels would still fire once time ran freely.)
    await page.clock.install();
    await openApp(page);
    await page.getByTestId("speed").selectOption(String(speed));
    // Pause a while ahead of the page's "now": the margin only has to outlast the round trip to
    // the page, which a busy machine can stretch past a fraction of a second.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 5_000);
    await page.getByTestId("play").click();
    await page.clock.runFor(100); // the first frame starts the count
    const c0 = await readClock(page);
    await page.clock.runFor(1_500);
    const c1 = await readClock(page);
    // 1.5 s of page time at `speed`, give or take one frame (the clock shows whole seconds).
    const simulated = c1 - c0;
    const frame = speed / 60;
    expect(simulated, `${speed}×: ${simulated} s simulated in 1.5 s`).toBeGreaterThanOrEqual(1.5 * speed - frame - 1);
    expect(simulated, `${speed}×: ${simulated} s simulated in 1.5 s`).toBeLessThanOrEqual(1.5 * speed + frame + 1);
  });
}

test("the assumed impact start is a slider that moves the undetected window and the time to detect", async ({ page }) => {
  await openApp(page);
  const slider = page.getByTestId("impact-start");
  const label = page.locator('label[for="impact-start"]');
  await expect(label).toContainText("Service gone at 14:34 CDT · 19:34 UTC");
  await expect(slider).toHaveAccessibleName(/Service gone at 14:34 CDT/);
  const value = Number(await slider.inputValue());
  expect((await headlineTtd(page)).text).toBe("1 h");

  // Four minutes earlier, by keyboard (one minute per step).
  await slider.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowLeft");
  await expect(slider).toHaveValue(String(value - 4 * 60_000));
  await expect(label).toContainText("Service gone at 14:30 CDT · 19:30 UTC");
  await expect(page.getByTestId("metric-ttd")).toHaveText("1 h 4 min");
  await expect(slider).toHaveAttribute("aria-valuetext", /14:30 CDT, 1 h 4 min before discovery/);
});
