// The record, line by line: every recorded moment in CDT and UTC with its source lines from the
// postmortem and the status page.
import { test, expect, openApp } from "../support/app.js";

test("the record shows discovery at 15:34/20:34 and resolution at 18:05/23:05, with their quotes", async ({ page }) => {
  await openApp(page);
  const record = page.locator("#record");
  await expect(record.getByRole("heading", { level: 2 })).toHaveText("The record, line by line");

  const incident = record.getByRole("table", { name: "The incident as recorded" });
  await expect(incident.getByRole("columnheader", { name: "Time (CDT)" })).toBeVisible();
  await expect(incident.getByRole("columnheader", { name: "Time (UTC)" })).toBeVisible();

  // Discovery: 15:34 CDT is 20:34 UTC, with its line from the postmortem's timeline.
  const discovery = incident.locator('tr[data-event="discovered"]');
  await expect(discovery.locator(".time.local")).toHaveText("15:34");
  await expect(discovery.locator(".time.utc")).toHaveText("20:34");
  await expect(discovery.locator(".time.local time")).toHaveAttribute("datetime", "2024-07-10T15:34:00-05:00");
  await expect(discovery).toContainText("discover");
  await expect(discovery.locator("blockquote")).toHaveCount(1);
  await expect(discovery.locator("blockquote")).toContainText("3:34pm: Our Support and Engineering team");
  await expect(discovery.locator("figcaption")).toHaveText("Timeline");
  expect(await incident.getByRole("row").filter({ hasText: "15:34" }).count()).toBe(1);

  // Resolution: 18:05 CDT is 23:05 UTC, with both of its sources (timeline and status post).
  const resolution = incident.locator('tr[data-event="resolved"]');
  await expect(resolution.locator(".time.local")).toHaveText("18:05");
  await expect(resolution.locator(".time.utc")).toHaveText("23:05");
  await expect(resolution).toContainText("Resolved");
  await expect(resolution.locator("blockquote")).toHaveCount(2);

  // Recorded times are in order; the merge has no time in the record and comes first.
  const locals = await incident.locator("tbody tr .time.local").allTextContents();
  expect(locals[0]).toBe("unknown");
  const timed = locals.filter((t) => /^\d\d:\d\d$/.test(t));
  expect(timed).toEqual([...timed].sort());
  expect(timed).toEqual(expect.arrayContaining(["15:34", "15:38", "15:46", "17:01", "17:40", "18:05"]));
  await expect(incident.locator('tr[data-event="merged"]')).toContainText("unknown");

  // The reported duration is explained as discovery → resolution; the window before is unknown.
  await expect(record).toContainText("The reported duration, 2 h 31 min, runs from discovery (15:34 CDT) to resolution (18:05 CDT).");

  // The postmortem's publication comes apart, afterwards, on its own date.
  const afterwards = record.getByRole("table", { name: "Afterwards" });
  const published = afterwards.getByRole("row").filter({ hasText: "Postmortem published" });
  await expect(published.locator(".time.local")).toHaveText("Jul 23 12:03");
  await expect(published.locator(".time.utc")).toHaveText("Jul 23 17:03");
});
