// What if — safeguards: a switch changes the headline time to detect and draws the ghost run
// beside the record; presets set exactly their safeguards; a value out of range is refused next
// to its field and the last good value stays in force.
import {
  test,
  expect,
  openApp,
  headlineTtd,
  sampleReplay,
  enabledSafeguards,
  SAFEGUARDS,
} from "../support/app.js";

test("the uptime check lowers the time to detect and adds the ghost run; switching it off restores the record", async ({
  page,
}) => {
  await openApp(page);
  await page.getByRole("button", { name: /Show everything/ }).click();
  const baseline = await headlineTtd(page);
  expect(baseline.text).toBe("1 h");
  expect(baseline.seconds).toBe(3600);
  const record = await sampleReplay(page);
  expect(record.markers.length).toBeGreaterThan(0);
  expect(record.markers.filter((m) => m.ghost)).toHaveLength(0);
  await expect(page.locator("#what-if thead")).not.toContainText("With safeguards");

  await page.getByTestId("safeguard-uptime_check").check();
  await expect(page.locator("[data-testid=timeline] .marker.ghost").first()).toBeVisible();
  const withCheck = await headlineTtd(page);
  // A 60 s check finds the missing service within a minute, where people took an hour.
  expect(withCheck.seconds, `headline '${withCheck.text}'`).not.toBeNull();
  expect(withCheck.seconds).toBeLessThan(60);
  expect(withCheck.seconds).toBeLessThan(baseline.seconds);
  await expect(page.locator(".headline-note")).toContainText("as it happened: 1 h");
  const ghost = (await sampleReplay(page)).markers.filter((m) => m.ghost);
  expect(ghost.length).toBeGreaterThan(0);
  expect(ghost.map((m) => m.label).join("\n")).toMatch(/With safeguards, 14:34 CDT · 19:34 UTC, Detection & alerting: Uptime check/);
  // The record's own markers are unchanged beside the ghost.
  expect((await sampleReplay(page)).markers.filter((m) => !m.ghost).map((m) => m.label)).toEqual(
    record.markers.map((m) => m.label),
  );
  // The what-if table gains the run with safeguards and the change.
  const ttdRow = page.locator("#what-if tbody tr").filter({ hasText: "Time to detect" });
  await expect(ttdRow.locator("td")).toHaveCount(3);
  await expect(ttdRow.locator("td").nth(0)).toHaveText("1 h");
  await expect(ttdRow.locator("td").nth(1)).toHaveText(withCheck.text);
  await expect(ttdRow.locator("td.delta")).toHaveClass(/better/);

  await page.getByTestId("safeguard-uptime_check").uncheck();
  await expect(page.getByTestId("metric-ttd")).toHaveText("1 h");
  await expect(page.locator("[data-testid=timeline] .marker.ghost")).toHaveCount(0);
  expect((await sampleReplay(page)).markers.map((m) => m.label)).toEqual(record.markers.map((m) => m.label));
});

const PRESETS = {
  "as-it-happened": [],
  "postmortem-fix": ["uptime_check"],
  "uptime-paging": ["uptime_check", "auto_page", "status_automation"],
  "defence-in-depth": [
    "deletion_guard",
    "uptime_check",
    "slo_burn_alert",
    "absent_alert",
    "auto_page",
    "rollback_runbook",
    "auto_replay",
    "status_automation",
  ],
};

test("each preset switches on exactly its safeguards and shows itself pressed", async ({ page }) => {
  await openApp(page);
  const pressed = async () => {
    const out = {};
    for (const slug of Object.keys(PRESETS)) {
      out[slug] = await page.getByTestId(`preset-${slug}`).getAttribute("aria-pressed");
    }
    return out;
  };
  // Nothing on at first: that is "as it happened".
  expect(await enabledSafeguards(page)).toEqual([]);
  expect((await pressed())["as-it-happened"]).toBe("true");

  for (const slug of ["postmortem-fix", "uptime-paging", "defence-in-depth", "as-it-happened"]) {
    await page.getByTestId(`preset-${slug}`).click();
    await expect(page.getByTestId(`preset-${slug}`)).toHaveAttribute("aria-pressed", "true");
    expect(await enabledSafeguards(page), slug).toEqual(PRESETS[slug]);
    const state = await pressed();
    for (const other of Object.keys(PRESETS)) {
      expect(state[other], `${other} after choosing ${slug}`).toBe(other === slug ? "true" : "false");
    }
    await expect(page.locator(".sidebar > .hint")).toContainText(`${PRESETS[slug].length} of 13 on.`);
    if (slug === "as-it-happened") await expect(page.getByTestId("metric-ttd")).toHaveText("1 h");
  }

  // Defence in depth prevents the outage in this run (deletion guard), and says so.
  await page.getByTestId("preset-defence-in-depth").click();
  await expect(page.getByTestId("metric-ttd")).toHaveText("Outage prevented");
  // Changing one switch by hand leaves the preset: none is pressed any more.
  await page.getByTestId("safeguard-auto_page").uncheck();
  expect(Object.values(await pressed())).toEqual(["false", "false", "false", "false"]);
  expect(await enabledSafeguards(page)).toEqual(PRESETS["defence-in-depth"].filter((id) => id !== "auto_page"));
  expect(SAFEGUARDS).toHaveLength(13);
});

test("a parameter out of range is refused next to its field and the last good value stays in force", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("safeguard-uptime_check").check();
  const interval = page.getByRole("spinbutton", { name: "Check interval" });
  await expect(interval).toHaveValue("60");
  const before = await headlineTtd(page);
  const ghostBefore = (await sampleReplay(page)).markers;

  await interval.fill("1");
  await interval.press("Tab");
  const error = page.locator(".param").filter({ has: interval }).getByTestId("error");
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute("role", "alert");
  await expect(error).toContainText("Not applied");
  await expect(error).toContainText("out of range (allowed 10 to 3600 s)");
  await expect(interval).toHaveAttribute("aria-invalid", "true");
  // Nothing changed: the headline and the run are those of the 60 s default.
  expect(await headlineTtd(page)).toEqual(before);
  expect((await sampleReplay(page)).markers).toEqual(ghostBefore);
  // The page is still alive and the old value is what the what-if table uses.
  await expect(page.locator("#what-if tbody tr").filter({ hasText: "Time to detect" }).locator("td").nth(1)).toHaveText(
    before.text,
  );

  // A good value is applied and clears the message: a 30 s check detects within 30 s.
  await interval.fill("30");
  await interval.press("Tab");
  await expect(error).toHaveCount(0);
  await expect(interval).toHaveAttribute("aria-invalid", "false");
  await expect.poll(async () => (await headlineTtd(page)).seconds).toBeLessThanOrEqual(30);
});

// The seed field refuses what it cannot use, says why, and the run keeps its seed.
test("a seed that is not a whole number ≥ 0 is refused with a message", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("safeguard-uptime_check").check();
  const seed = page.getByTestId("seed");
  await seed.fill("-1");
  await seed.press("Tab");
  await expect(page.locator("#what-if").getByTestId("error")).toBeVisible();
  await expect(page.locator(".legend")).toContainText("seed 1");
});
