// How every script here starts Chromium: Debian's binary (never a downloaded one), headless, with
// the flags this machine's closed network and containers need. Shared by the Playwright config
// and scripts/budgets.mjs.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
