// Slices of a section at a width, for looking at long sections: node shots2.mjs BASE OUT WIDTH TESTID [HASH]
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "./support/chromium.js";

const [base, out, width, testid, hash = "#with=uptime_check&seed=1"] = process.argv.slice(2);
const w = Number(width);
const browser = await chromium.launch(chromiumLaunchOptions);
const page = await browser.newPage({ viewport: { width: w, height: 900 } });
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") console.log(`${m.type()}: ${m.text()}`); });
await page.goto(base + hash);
await page.locator('.app[data-ready="true"]').waitFor();
if (testid === "compare") {
  await page.getByTestId("compare-run").click();
  await page.getByTestId("compare-result").waitFor({ timeout: 60000 });
  await page.getByTestId("rank-run").click();
  await page.getByTestId("ranking").waitFor({ timeout: 120000 });
}
if (testid === "mc-result") {
  await page.getByTestId("mc-run").click();
  await page.getByTestId("mc-result").waitFor({ timeout: 60000 });
}
if (testid === "scenario") {
  await page.locator("#scenario details summary").click();
}
await page.evaluate(() => { document.querySelector(".masthead").style.position = "static"; });
const target = testid.startsWith("#") ? page.locator(testid) : page.getByTestId(testid);
const box = await target.boundingBox();
const y0 = box.y + (await page.evaluate(() => window.scrollY));
for (let i = 0, y = y0; y < y0 + box.height; i++, y += 900) {
  const h = Math.min(900, y0 + box.height - y);
  await page.screenshot({ path: `${out}/${testid.replace("#", "")}-${w}-${i}.png`, fullPage: true, clip: { x: 0, y, width: w, height: h } });
}
console.log(`${testid} at ${w}: ${Math.ceil(box.height / 900)} slices`);
await browser.close();
