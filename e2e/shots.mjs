// Screenshots for looking at the layout by hand: node shots.mjs BASE_URL OUT_DIR
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "./support/chromium.js";

const [base, out] = process.argv.slice(2);
const browser = await chromium.launch(chromiumLaunchOptions);
for (const [w, h] of [[390, 844], [1440, 900], [1920, 1080]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") console.log(`${w}: ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => console.log(`${w}: pageerror ${e.message}`));
  await page.goto(base + "#with=uptime_check&seed=1");
  await page.locator('.app[data-ready="true"]').waitFor();
  await page.getByRole("button", { name: /^End/ }).click().catch(() => {});
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  const hh = await page.evaluate(() => document.querySelector(".masthead").getBoundingClientRect().height);
  console.log(`${w}x${h}: scrollWidth ${sw}, header ${hh}`);
  // What is wider than the viewport.
  const wide = await page.evaluate((w) => [...document.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > w + 1).slice(0, 8).map((e) => `${e.tagName}.${e.className?.baseVal ?? e.className} ${Math.round(e.getBoundingClientRect().right)}`), w);
  if (wide.length) console.log("  wider:", wide.join(" | "));
  await page.screenshot({ path: `${out}/top-${w}.png` });
  await page.getByTestId("mc-run").click();
  await page.getByTestId("mc-result").waitFor({ timeout: 60000 });
  await page.getByTestId("mc-result").screenshot({ path: `${out}/ranges-${w}.png` });
  await page.getByTestId("compare-run").click();
  await page.getByTestId("compare-result").waitFor({ timeout: 60000 });
  await page.getByTestId("compare").screenshot({ path: `${out}/compare-${w}.png` });
  await page.getByTestId("scenario").screenshot({ path: `${out}/scenario-${w}.png` });
  const sw2 = await page.evaluate(() => document.documentElement.scrollWidth);
  console.log(`  after results: scrollWidth ${sw2}`);
  await page.screenshot({ path: `${out}/full-${w}.png`, fullPage: true });
  await page.close();
}
await browser.close();
