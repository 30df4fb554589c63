//! The analysis module's binary (ranges, compare, the record): built by Trunk as a second wasm
//! file and loaded by `boot.js` once the main page is interactive.

fn main() {
    outage_drill::start_analysis();
}
