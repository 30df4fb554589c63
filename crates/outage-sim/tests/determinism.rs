//! The simulation is a pure function of (scenario, configuration, seed): the fingerprint of
//! many runs matches a golden file. The app's browser tests compare the same file with the
//! fingerprint computed in wasm, so native and browser runs are the same bit for bit.
//! After an intended model change: `UPDATE_GOLDEN=1 cargo test -p outage-sim --test determinism`.

use outage_sim::montecarlo::fingerprint;
use outage_sim::scenario::builtin;

const GOLDEN: &str = "tests/golden/fingerprint.txt";

#[test]
fn runs_match_the_golden_fingerprint() {
    let s = builtin("eptura-2024-07-10").unwrap();
    let text = fingerprint(&s);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let golden =
        std::fs::read_to_string(&path).expect("golden file; run with UPDATE_GOLDEN=1 to create it");
    if let Some(diff) = outage_sim::montecarlo::first_difference(&text, &golden) {
        panic!("the fingerprint differs from {GOLDEN} at {diff}");
    }
    assert!(text.len() > 10_000, "the fingerprint covers many runs");
}
