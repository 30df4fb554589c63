//! Runs the engine alone for profiling: `perf record target/release/examples/engine_only`.
fn main() {
    let s = outage_sim::builtin("eptura-2024-07-10").unwrap();
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3_000_000);
    let events = outage_sim::bench::engine_only(&s, &outage_sim::Config::none(), runs, 1);
    println!("{events}");
}
