// End-to-end tests: Playwright drives Debian's headless Chromium (never a downloaded browser)
// against the RELEASE build in ../dist, served from a sub-path by a plain static server
// (../scripts/serve-subpath.sh: python3 -m http.server on 127.0.0.1), as a static host would.
// scripts/test.sh builds dist/ first and picks a free port (E2E_PORT). Other knobs:
// E2E_SUB_PATH (default /drills/outage/), E2E_DIST (another build), CHROMIUM_PATH.
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./support/chromium.js";

const port = Number(process.env.E2E_PORT || 8137);
const subPath = process.env.E2E_SUB_PATH || "/drills/outage/";
const baseURL = `http://127.0.0.1:${port}${subPath}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"], ["./summary-reporter.js"]],
  outputDir: "test-results",
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    launchOptions: chromiumLaunchOptions,
    screenshot: "only-on-failure",
    trace: "off",
  },
  webServer: {
    command: `../scripts/serve-subpath.sh ${process.env.E2E_DIST || "../dist"} ${subPath} ${port}`,
    url: baseURL,
    reuseExistingServer: false,
    timeout: 30_000,
    // python's http.server logs every request on stderr.
    stderr: "ignore",
  },
});
