// Prints one plain line, `N passed, N failed`, after the run: CI and scripts/test.sh read it
// rather than Playwright's own summary. A test counts once, by its final outcome; a skipped test
// is neither (it gets a line of its own).
export default class SummaryReporter {
  constructor() {
    this.outcomes = new Map();
  }

  onTestEnd(test) {
    this.outcomes.set(test.id, test.outcome());
  }

  onEnd(result) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const outcome of this.outcomes.values()) {
      if (outcome === "expected" || outcome === "flaky") passed += 1;
      else if (outcome === "skipped") skipped += 1;
      else failed += 1;
    }
    console.log(`${passed} passed, ${failed} failed`);
    if (skipped > 0) console.log(`(${skipped} skipped)`);
    // A run can break around the tests (web server, configuration, interruption): say so, since
    // the counts alone would not show it. Playwright's exit status is non-zero then too.
    if (result.status !== "passed" && failed === 0) {
      console.log(`the end-to-end run did not pass: ${result.status} (see the errors above)`);
    }
  }

  printsToStdio() {
    return false;
  }
}
