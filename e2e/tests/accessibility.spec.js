// axe-core finds nothing serious or critical in any view, in the light and the dark colour
// scheme: the page as it opens; stepped into the incident with a preset on (ghost run drawn); with
// a Monte Carlo result; with a compare result and the ranking.
import { test, expect, openApp, axeFindings } from "../support/app.js";

test("the page as it opens", async ({ page }) => {
  await openApp(page);
  expect(await axeFindings(page)).toEqual([]);
});

test("stepped into the incident with a preset on, the ghost run drawn", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("preset-defence-in-depth").click();
  for (let i = 0; i < 6; i++) await page.getByTestId("step-next").click();
  await expect(page.locator("[data-testid=timeline] .marker.ghost").first()).toBeVisible();
  await expect(page.locator("[data-testid=timeline] .marker.record").first()).toBeVisible();
  expect(await axeFindings(page)).toEqual([]);
});

test("with a Monte Carlo result", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("preset-postmortem-fix").click();
  await page.getByTestId("mc-run").click();
  await expect(page.getByTestId("mc-result").getByRole("img")).toBeVisible();
  expect(await axeFindings(page)).toEqual([]);
});

test("with a compare result and the ranking", async ({ page }) => {
  await openApp(page);
  await page.getByTestId("compare-run").click();
  await expect(page.getByTestId("compare-result")).toBeVisible();
  await page.getByTestId("rank-run").click();
  await expect(page.getByTestId("ranking")).toBeVisible({ timeout: 20_000 });
  expect(await axeFindings(page)).toEqual([]);
});
