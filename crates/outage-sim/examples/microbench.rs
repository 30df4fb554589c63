//! Timing of the engine's pieces, for tuning (not part of the test suite).
use outage_sim::rng::{Rng, Stream};
use std::time::Instant;
fn main() {
    let n = 11_000_000u64;
    let t = Instant::now();
    let mut acc = 0i64;
    for i in 0..n / 11 {
        for s in [
            Stream::Discovery,
            Stream::NotifyOwner,
            Stream::Mobilize,
            Stream::StatusPost,
            Stream::Reinstate,
            Stream::Confirm,
            Stream::RequestRecovery,
            Stream::StatusMonitoring,
            Stream::ManualReplay,
            Stream::Resolve,
            Stream::Deploy,
        ] {
            acc += Rng::new(i, s).lognormal(300_000, 0.5);
        }
    }
    println!(
        "lognormal+new: {:.1} ns each ({acc})",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let t = Instant::now();
    let mut acc = 0.0;
    for i in 0..n {
        acc += Rng::new(i, Stream::Deploy).open_unit();
    }
    println!(
        "new+unit: {:.1} ns each ({acc})",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let t = Instant::now();
    let mut acc = 0.0;
    for i in 0..n {
        acc += outage_sim::rng::normal_quantile((i as f64 + 0.5) / n as f64);
    }
    println!(
        "quantile: {:.1} ns each ({acc})",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let t = Instant::now();
    let mut acc = 0.0;
    for i in 0..n {
        acc += libm::exp((i as f64) * 1e-7 - 0.5);
    }
    println!(
        "libm exp: {:.1} ns each ({acc})",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let t = Instant::now();
    let mut acc = 0.0;
    for i in 0..n {
        acc += ((i as f64) * 1e-7 - 0.5).exp();
    }
    println!(
        "std exp: {:.1} ns each ({acc})",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let s = outage_sim::builtin("eptura-2024-07-10").unwrap();
    let runs = 2_000_000;
    for (name, cfg) in [
        ("none", outage_sim::Config::none()),
        ("all", outage_sim::Config::all()),
    ] {
        let t = Instant::now();
        let ev = outage_sim::bench::engine_only(&s, &cfg, runs, 1);
        let e = t.elapsed().as_secs_f64();
        println!(
            "engine only {name}: {:.0} ns/run, {:.1} M events/s",
            e * 1e9 / runs as f64,
            ev as f64 / e / 1e6
        );
        let t = Instant::now();
        let ev = outage_sim::bench::engine_workload(&s, &cfg, runs, 1);
        let e = t.elapsed().as_secs_f64();
        println!(
            "with aggregation {name}: {:.0} ns/run, {:.1} M events/s",
            e * 1e9 / runs as f64,
            ev as f64 / e / 1e6
        );
    }
}
#[allow(dead_code)]
fn unused() {}
