//! No cliffs without a cause. Every sweep runs on common random numbers (the same seed at every
//! point), so what a step changes is the parameter's effect, not noise.
//!
//! - Every numeric parameter of every safeguard, over its whole range: durations in steps of
//!   5 % of their value, probabilities and shares in steps of 5 % of their range, whole numbers
//!   in steps of one. A *cliff* is a step that moves a metric's mean both further than the
//!   metric's floor and more than `CLIFF_RATIO` times as far as the larger of its neighbouring
//!   steps. A steep but steady slope is not a cliff. Two thresholds are there by design and
//!   named in `THRESHOLDS`, with the reason.
//! - Two sweeps where the model once had cliffs, with the bounds the issue that removed them
//!   set: the staged rollout's wave interval (90 s gave a mean error budget of 354 %, 120 s gave
//!   41 %, when the canary's detection had no spread), and the uptime check's retry interval
//!   (a 30-minute change cue made mean time to mitigate grow seven times as fast as mean time
//!   to detect).
//!
//! `docs/model.md` ("Intervals, sensitivity, and no cliffs") states these bounds.

use outage_sim::metrics::{Metric, Unit};
use outage_sim::safeguards::{ParamKind, SafeguardId};
use outage_sim::scenario::builtin;
use outage_sim::{simulate, Config};

/// Runs per point of the sweep of every parameter.
const SWEEP_RUNS: u64 = 1_000;
/// A step is a cliff when it moves a mean this many times as far as its larger neighbour...
const CLIFF_RATIO: f64 = 3.0;
/// ...and further than the metric's floor: a time metric's mean, in seconds;
const TIME_FLOOR_S: f64 = 300.0;
/// the mean error budget used, as a share of the record's;
const BUDGET_FLOOR: f64 = 0.1;
/// an event count's mean, as a share of the record's missed events (sites: of its sites).
const COUNT_FLOOR: f64 = 0.05;
/// Time metrics are taken over the runs with an outage: a step is judged only where both of
/// its points have at least this many, so that a mean is not that of a handful of runs.
const LEAST_RUNS: u64 = 100;

/// Parameters whose range crosses a threshold by design: (safeguard, parameter, why).
const THRESHOLDS: &[(&str, &str, &str)] = &[
    (
        "canary",
        "waves",
        "one wave is no staging at all: the whole fleet is hit at once",
    ),
    (
        "absent_alert",
        "eval_interval_s",
        "an alert's `for` is counted in whole evaluations, as Prometheus does: where the \
         evaluation interval crosses `for_s` (300 s), the alert needs one evaluation fewer",
    ),
];

/// A point of a sweep: the parameter's value, and each metric's mean with the number of runs
/// it is taken over.
type Point = (f64, Vec<(Option<f64>, u64)>);

/// The values a parameter's sweep visits.
fn sweep(kind: ParamKind, min: f64, max: f64) -> Vec<f64> {
    match kind {
        ParamKind::Seconds => std::iter::successors(Some(min.max(1.0)), |x| Some(x * 1.05))
            .take_while(|&x| x <= max)
            .collect(),
        ParamKind::Count => (min as i64..=max as i64).map(|x| x as f64).collect(),
        ParamKind::Probability | ParamKind::Ratio => (0..=20)
            .map(|k| min + (max - min) * k as f64 / 20.0)
            .collect(),
        ParamKind::Choice => vec![],
    }
}

#[test]
fn no_step_of_any_safeguard_parameter_is_a_cliff() {
    let scenario = builtin("eptura-2024-07-10").unwrap();
    let record = simulate(&scenario, &Config::none(), SEED, SWEEP_RUNS);
    let record_mean = |m: Metric| record.stats(m).mean.unwrap();
    let floor = |m: Metric| match (m.unit(), m) {
        (Unit::Duration, _) => TIME_FLOOR_S * 1000.0,
        (Unit::Percent, _) => BUDGET_FLOOR * record_mean(m),
        (Unit::Count, Metric::SitesAffected) => COUNT_FLOOR * record_mean(m),
        (Unit::Count, _) => COUNT_FLOOR * record_mean(Metric::MissedEvents),
    };
    let mut cliffs = Vec::new();
    let mut judged = 0;
    for id in SafeguardId::ALL {
        for spec in id.params() {
            let by_design = THRESHOLDS
                .iter()
                .any(|(s, k, _)| *s == id.id() && *k == spec.key);
            let points: Vec<Point> = sweep(spec.kind, spec.min, spec.max)
                .into_iter()
                .filter_map(|value| {
                    let mut config = Config::none();
                    config.set(id, spec.key, value).ok()?;
                    let runs = simulate(&scenario, &config, SEED, SWEEP_RUNS);
                    let means = Metric::ALL.iter().map(|&m| {
                        let stats = runs.stats(m);
                        (stats.mean, stats.count)
                    });
                    Some((value, means.collect()))
                })
                .collect();
            for (k, &m) in Metric::ALL.iter().enumerate() {
                let moves: Vec<Option<f64>> = points
                    .windows(2)
                    .map(|w| match (w[0].1[k], w[1].1[k]) {
                        ((Some(a), n), (Some(b), o)) if n.min(o) >= LEAST_RUNS => {
                            Some((b - a).abs())
                        }
                        _ => None,
                    })
                    .collect();
                for (i, by) in moves.iter().enumerate() {
                    let Some(by) = *by else { continue };
                    judged += 1;
                    let neighbours = [i.checked_sub(1), Some(i + 1)]
                        .into_iter()
                        .flatten()
                        .filter_map(|j| moves.get(j).copied().flatten())
                        .fold(0.0, f64::max);
                    if by > floor(m) && by > CLIFF_RATIO * neighbours && !by_design {
                        cliffs.push(format!(
                            "{}:{} {} -> {}: mean {:?} moved {by:.1}, its neighbours at most {neighbours:.1}",
                            id.id(),
                            spec.key,
                            points[i].0,
                            points[i + 1].0,
                            m
                        ));
                    }
                }
            }
        }
    }
    assert!(judged > 10_000, "only {judged} steps were judged");
    assert!(cliffs.is_empty(), "cliffs:\n{}", cliffs.join("\n"));
}

#[test]
fn the_thresholds_by_design_are_steps_the_sweep_would_call_cliffs() {
    // Were either threshold gone, its entry would hide nothing and should go.
    let scenario = builtin("eptura-2024-07-10").unwrap();
    let mean = |spec: &str, m: Metric| {
        simulate(
            &scenario,
            &Config::from_specs(&[spec]).unwrap(),
            SEED,
            SWEEP_RUNS,
        )
        .stats(m)
        .mean
        .unwrap()
    };
    let one = mean("canary:waves=1", Metric::ErrorBudgetUsed);
    let two = mean("canary:waves=2", Metric::ErrorBudgetUsed);
    assert!(one > 2.0 * two, "one wave {one:.1} %, two waves {two:.1} %");
    let below = mean("absent_alert:eval_interval_s=287", Metric::TimeToDetect);
    let above = mean("absent_alert:eval_interval_s=301", Metric::TimeToDetect);
    assert!(
        below > above + 120_000.0,
        "eval interval 287 s: {below:.0} ms, 301 s: {above:.0} ms"
    );
}

/// Runs per point of the two sweeps with bounds of their own.
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
