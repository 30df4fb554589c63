//! No cliffs where the model used to have them. Two sweeps, each over runs that share their
//! random numbers (the same seed), so that what a step changes is the parameter's effect:
//!
//! - the staged rollout's wave interval, where the canary's detection time once had no spread
//!   (90 s gave a mean error budget of 354 %, 120 s gave 41 %);
//! - the uptime check's retry interval, where a 30-minute change cue once made mean time to
//!   mitigate grow seven times as fast as mean time to detect.
//!
//! The bounds are the ones `docs/model.md` gives for these sweeps.

use outage_sim::metrics::Metric;
use outage_sim::scenario::builtin;
use outage_sim::{simulate, Config};

const RUNS: u64 = 20_000;
const SEED: u64 = 7;

/// The means of `metrics` over the runs of one configuration.
fn means<const N: usize>(config: &str, metrics: [Metric; N]) -> [f64; N] {
    let scenario = builtin("eptura-2024-07-10").unwrap();
    let config = Config::from_specs(&[config]).unwrap();
    let runs = simulate(&scenario, &config, SEED, RUNS);
    metrics.map(|m| runs.stats(m).mean.unwrap())
}

#[test]
fn the_wave_interval_moves_the_error_budget_by_at_most_sixty_points_per_thirty_seconds() {
    let budgets: Vec<f64> = (60..=300)
        .step_by(30)
        .map(|w| {
            means(
                &format!("canary:wave_interval_s={w}"),
                [Metric::ErrorBudgetUsed],
            )[0]
        })
        .collect();
    for (k, pair) in budgets.windows(2).enumerate() {
        let step = (pair[1] - pair[0]).abs();
        assert!(
            step <= 60.0,
            "wave_interval_s {} -> {}: mean error budget {:.1} % -> {:.1} %",
            60 + 30 * k,
            90 + 30 * k,
            pair[0],
            pair[1]
        );
    }
    // A longer interval gives the analysis more time before the next wave: it never costs more.
    assert!(
        budgets.windows(2).all(|p| p[1] <= p[0] + 1.0),
        "{budgets:?}"
    );
}

#[test]
fn a_later_retry_adds_at_most_three_seconds_to_mitigation_per_second_of_detection() {
    let point = |retry: u32| {
        let c = format!("uptime_check:interval_s=600,retries=10,retry_interval_s={retry}");
        let [detect, mitigate] = means(&c, [Metric::TimeToDetect, Metric::TimeToMitigate]);
        (detect, mitigate)
    };
    let points: Vec<(f64, f64)> = (140..=190).step_by(10).map(point).collect();
    for (k, pair) in points.windows(2).enumerate() {
        let (detect, mitigate) = (pair[1].0 - pair[0].0, pair[1].1 - pair[0].1);
        assert!(detect > 0.0, "a later retry detects later");
        assert!(
            mitigate <= 3.0 * detect,
            "retry_interval_s {} -> {}: detection +{:.0} ms, mitigation +{:.0} ms",
            140 + 10 * k,
            150 + 10 * k,
            detect,
            mitigate
        );
    }
}
