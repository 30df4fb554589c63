//! The sensitivity of the ranking to its guesses: every factor has a documented plausible range,
//! a break-even found by bisection is where direct runs of the two safeguards change order, and
//! the command line names the guessed chances and gives the break-evens in JSON.

use outage_sim::metrics::Metric;
use outage_sim::montecarlo::Batch;
use outage_sim::safeguards::SafeguardId;
use outage_sim::scenario::builtin;
use outage_sim::sensitivity::{alone_configs, break_even, factors, About, Knob};
use outage_sim::Config;

mod common;
use common::*;

/// What a safeguard alone saves against the incident as it happened (error budget points per
/// incident), on direct runs, with its chance set to `level`.
fn saves(id: SafeguardId, key: &str, level: f64, seed: u64, runs: u64) -> Vec<(SafeguardId, f64)> {
    let s = builtin("eptura-2024-07-10").unwrap();
    let mut batch = Batch::new(
        &s,
        &alone_configs(&Config::all(), Some((id, key, level))),
        seed,
        runs,
    );
    batch.advance(runs);
    let a = batch.aggregates();
    let base = a[0].stats(Metric::ErrorBudgetUsed).mean.unwrap();
    SafeguardId::ALL
        .into_iter()
        .zip(&a[1..])
        .map(|(id, agg)| (id, base - agg.stats(Metric::ErrorBudgetUsed).mean.unwrap()))
        .collect()
}

fn of(v: &[(SafeguardId, f64)], id: SafeguardId) -> f64 {
    v.iter().find(|(i, _)| *i == id).unwrap().1
}

#[test]
fn every_factor_has_a_documented_plausible_range_around_its_default() {
    let s = builtin("eptura-2024-07-10").unwrap();
    let fs = factors(&s, &Config::all());
    assert!(fs.len() >= 20, "{} factors", fs.len());
    let chances = fs
        .iter()
        .filter(|f| matches!(f.knob, Knob::Chance { .. }))
        .count();
    assert!(chances >= 7, "the guessed chances: {chances}");
    for f in &fs {
        assert!(f.low < f.high, "{}: {} … {}", f.key, f.low, f.high);
        assert!(
            f.low <= f.default && f.default <= f.high,
            "{}: the default {} lies in {} … {}",
            f.key,
            f.default,
            f.low,
            f.high
        );
        assert!(f.basis.len() > 20, "{} says why", f.key);
    }
}

#[test]
fn a_break_even_is_where_direct_runs_change_order() {
    // The deletion guard against the uptime check, over the guard's whole range of chances.
    let s = builtin("eptura-2024-07-10").unwrap();
    let full = Config::all();
    let f = factors(&s, &full)
        .into_iter()
        .find(|f| f.key == "deletion_guard:block_probability")
        .unwrap();
    let (runs, seed) = (3_000, 7);
    let b = break_even(
        &f,
        &s,
        &full,
        SafeguardId::DeletionGuard,
        SafeguardId::UptimeCheck,
        0.0,
        1.0,
        seed,
        runs,
        About::Pair,
    )
    .expect("they cross");
    assert!((0.4..0.85).contains(&b.at), "break-even at {}", b.at);
    assert_eq!(b.below, SafeguardId::UptimeCheck, "a weak guard saves less");
    assert_eq!(b.above, SafeguardId::DeletionGuard);
    assert!(b.statement.contains("blocks fewer than"), "{}", b.statement);
    // Direct runs on either side (other seeds too) put them in that order.
    for seed in [7, 8] {
        let below = saves(
            SafeguardId::DeletionGuard,
            "block_probability",
            b.at - 0.08,
            seed,
            runs,
        );
        let above = saves(
            SafeguardId::DeletionGuard,
            "block_probability",
            b.at + 0.08,
            seed,
            runs,
        );
        assert!(
            of(&below, SafeguardId::UptimeCheck) > of(&below, SafeguardId::DeletionGuard),
            "seed {seed}: below {}",
            b.at - 0.08
        );
        assert!(
            of(&above, SafeguardId::DeletionGuard) > of(&above, SafeguardId::UptimeCheck),
            "seed {seed}: above {}",
            b.at + 0.08
        );
    }
}

#[test]
fn the_command_line_names_the_guesses_and_gives_break_evens() {
    let v = json(&["sensitivity", "--json", "--runs", "300", "--seed", "3"]);
    let factors = v["factors"].as_array().unwrap();
    for key in [
        "review:catch_probability",
        "deletion_guard:block_probability",
        "prune_protection:bypass_probability",
        "impact_start",
        "away_share",
    ] {
        let f = factors
            .iter()
            .find(|f| f["factor"] == key)
            .unwrap_or_else(|| panic!("{key} in {v}"));
        assert!(f["low"].as_f64().unwrap() < f["high"].as_f64().unwrap());
        assert!(!f["why"].as_str().unwrap().is_empty());
        assert!(f["saves_at_low"].as_object().unwrap().len() == SafeguardId::ALL.len());
    }
    let rivals = v["rivals"].as_array().unwrap();
    assert!(
        rivals
            .iter()
            .any(|b| b["factor"] == "deletion_guard:block_probability"
                && b["statement"]
                    .as_str()
                    .unwrap()
                    .contains("blocks fewer than")),
        "{rivals:?}"
    );
    assert!(v["not_varied"].as_str().unwrap().contains("slo_target"));
    let text =
        String::from_utf8(outage_sim(&["sensitivity", "--runs", "300", "--seed", "3"]).stdout)
            .unwrap();
    assert!(text.contains("Where a guessed chance decides"), "{text}");
}
