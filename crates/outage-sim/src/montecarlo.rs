//! Many seeded runs of one or several configurations. Run `i` of seed `S` has the same run seed
//! in every configuration (common random numbers), so a difference between configurations is the
//! safeguards' effect, not noise. Batches advance in slices so a caller (the browser) can yield
//! between them and show progress; the aggregates stream, so memory does not grow with runs.

use std::ops::Range;

use serde::Serialize;

use crate::engine::{Engine, Mode};
use crate::intervention::Interventions;
use crate::metrics::Metric;
use crate::metrics::RunRecord;
use crate::plan::Plan;
use crate::rng::run_seed;
use crate::safeguards::{Config, SafeguardId};
use crate::scenario::Scenario;
use crate::stats::{Aggregate, Differences, Estimate, MeanOver};
use crate::trace::TraceEvent;

/// One counterfactual run: recorded delays for every step no safeguard changes, the
/// safeguards' own randomness from `seed`. With no safeguard it is the record. It is a single
/// run, not a median: where its figures and a Monte Carlo median differ, say which is shown.
pub fn counterfactual(
    scenario: &Scenario,
    config: &Config,
    seed: u64,
) -> (RunRecord, Vec<TraceEvent>) {
    let plan = Plan::for_replay(scenario, config);
    let mut trace = Vec::with_capacity(32);
    let record = Engine::new().run(&plan, run_seed(seed, 0), Mode::Recorded, &mut trace);
    (record, trace)
}

/// The room's day: the counterfactual run of (scenario, configuration, seed) with the room's
/// decisions and the curveballs fired. Every step that neither a safeguard nor an intervention
/// changes keeps its recorded delay, and the interventions' own delays are their stated values,
/// so the day differs from the record only where the room or a curveball acted (and where the
/// safeguards did). With no intervention it is `counterfactual`.
pub fn room_day(
    scenario: &Scenario,
    config: &Config,
    interventions: &Interventions,
    seed: u64,
) -> (RunRecord, Vec<TraceEvent>) {
    let plan = Plan::for_replay(scenario, config);
    let mut trace = Vec::with_capacity(32 + 4 * interventions.len());
    let record = Engine::new().run_with(
        &plan,
        run_seed(seed, 0),
        Mode::Recorded,
        interventions,
        &mut trace,
    );
    (record, trace)
}

/// One Monte Carlo run (run number `run` of `seed`), with its trace: a single sampled run.
pub fn sampled_run(
    scenario: &Scenario,
    config: &Config,
    seed: u64,
    run: u64,
) -> (RunRecord, Vec<TraceEvent>) {
    let plan = Plan::new(scenario, config);
    let mut trace = Vec::with_capacity(32);
    let record = Engine::new().run(&plan, run_seed(seed, run), Mode::Sampled, &mut trace);
    (record, trace)
}

/// A batch of Monte Carlo runs over several configurations in lockstep.
///
/// A batch may cover only part of a larger one (`Batch::part`): run `i` is the same run
/// whichever part computes it, and aggregates merge exactly (see `stats`), so the parts of a
/// batch split across workers merge into exactly the aggregates of the whole batch.
pub struct Batch {
    plans: Vec<Plan>,
    aggregates: Vec<Aggregate>,
    engine: Engine,
    seed: u64,
    /// The run indices this batch covers.
    runs: Range<u64>,
    /// The next run index to run.
    next: u64,
    /// The same interventions in every run and every configuration (none by default).
    interventions: Interventions,
    /// A paired batch's other arm: its interventions, and each configuration's run-by-run
    /// differences from the base arm.
    versus: Option<(Interventions, Vec<Differences>)>,
}

impl Batch {
    /// `runs` runs of each configuration, seeded with `seed`.
    pub fn new(scenario: &Scenario, configs: &[Config], seed: u64, runs: u64) -> Batch {
        Batch::part(scenario, configs, seed, 0..runs)
    }

    /// The runs with indices in `runs` of a batch seeded with `seed`. The calibration is the
    /// scenario's own, fixed, so every part of a batch uses the same one.
    pub fn part(scenario: &Scenario, configs: &[Config], seed: u64, runs: Range<u64>) -> Batch {
        Batch {
            plans: configs.iter().map(|c| Plan::new(scenario, c)).collect(),
            aggregates: configs.iter().map(|_| Aggregate::new()).collect(),
            engine: Engine::new(),
            seed,
            next: runs.start,
            runs,
            interventions: Interventions::NONE,
            versus: None,
        }
    }

    /// `Batch::part` with the same timed interventions in every run of every configuration:
    /// ranges for the room's day. Each run draws the interventions' delays from their own
    /// streams, so the runs without them are unchanged (common random numbers).
    pub fn part_with(
        scenario: &Scenario,
        configs: &[Config],
        seed: u64,
        runs: Range<u64>,
        interventions: Interventions,
    ) -> Batch {
        Batch {
            interventions,
            ..Batch::part(scenario, configs, seed, runs)
        }
    }

    /// A paired batch: every run of every configuration twice on the same random numbers, once
    /// with `base` and once with `versus`. The aggregates are the base arm's; `differences`
    /// holds, per configuration, each metric's run-by-run difference (versus − base): what
    /// changing `base` into `versus` did to the same simulated days.
    pub fn paired(
        scenario: &Scenario,
        configs: &[Config],
        seed: u64,
        runs: Range<u64>,
        base: Interventions,
        versus: Interventions,
    ) -> Batch {
        Batch {
            versus: Some((versus, configs.iter().map(|_| Differences::new()).collect())),
            ..Batch::part_with(scenario, configs, seed, runs, base)
        }
    }

    /// A paired batch's differences, one per configuration (empty for an unpaired batch).
    pub fn differences(&self) -> &[Differences] {
        self.versus.as_ref().map_or(&[], |(_, d)| d.as_slice())
    }

    /// The aggregates and, for a paired batch, the differences.
    pub fn into_results(self) -> (Vec<Aggregate>, Vec<Differences>) {
        (
            self.aggregates,
            self.versus.map(|(_, d)| d).unwrap_or_default(),
        )
    }

    /// The interventions every run of this batch takes.
    pub fn interventions(&self) -> &Interventions {
        &self.interventions
    }

    /// Runs up to `max_runs` more run indices (each in every configuration); true when done.
    pub fn advance(&mut self, max_runs: u64) -> bool {
        let end = self.next.saturating_add(max_runs).min(self.runs.end);
        for run in self.next..end {
            let seed = run_seed(self.seed, run);
            for (k, (plan, agg)) in self
                .plans
                .iter()
                .zip(self.aggregates.iter_mut())
                .enumerate()
            {
                let record =
                    self.engine
                        .run_with(plan, seed, Mode::Sampled, &self.interventions, &mut ());
                agg.add_run(run, &record);
                if let Some((versus, differences)) = &mut self.versus {
                    let other = self
                        .engine
                        .run_with(plan, seed, Mode::Sampled, versus, &mut ());
                    differences[k].add(&record, &other);
                }
            }
        }
        self.next = self.next.max(end);
        self.is_done()
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.runs.end
    }

    /// (run indices done, run indices in this batch).
    pub fn progress(&self) -> (u64, u64) {
        (
            self.next - self.runs.start,
            self.runs.end.saturating_sub(self.runs.start),
        )
    }

    pub fn aggregates(&self) -> &[Aggregate] {
        &self.aggregates
    }

    pub fn into_aggregates(self) -> Vec<Aggregate> {
        self.aggregates
    }
}

/// The sampled runs `0..runs` of one configuration, one record each in run order (the runs a
/// batch of the same seed aggregates): for figures that need every run's value, such as a
/// table of quantiles computed once.
pub fn sampled_records(
    scenario: &Scenario,
    config: &Config,
    seed: u64,
    runs: u64,
) -> Vec<RunRecord> {
    let plan = Plan::new(scenario, config);
    let mut engine = Engine::new();
    (0..runs)
        .map(|run| engine.run(&plan, run_seed(seed, run), Mode::Sampled, &mut ()))
        .collect()
}

/// `runs` Monte Carlo runs of one configuration.
pub fn simulate(scenario: &Scenario, config: &Config, seed: u64, runs: u64) -> Aggregate {
    let mut batch = Batch::new(scenario, std::slice::from_ref(config), seed, runs);
    batch.advance(runs);
    batch.into_aggregates().pop().expect("one configuration")
}

/// `runs` Monte Carlo runs of one configuration with timed interventions.
pub fn simulate_with(
    scenario: &Scenario,
    config: &Config,
    interventions: &Interventions,
    seed: u64,
    runs: u64,
) -> Aggregate {
    let mut batch = Batch::part_with(
        scenario,
        std::slice::from_ref(config),
        seed,
        0..runs,
        interventions.clone(),
    );
    batch.advance(runs);
    batch.into_aggregates().pop().expect("one configuration")
}

/// The headline figures of a configuration, used to rank safeguards. Each states what it is
/// taken over: all runs (a prevented run counts as no downtime and no lost event) or the runs
/// in which the outage happened.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Headline {
    /// Mean share of the error budget used, over all runs (prevented runs count as 0): the
    /// site-weighted downtime per incident, the measure safeguards are ranked by.
    pub error_budget_used_pct: f64,
    /// Mean share of the error budget used over the runs with an outage.
    pub error_budget_per_outage_pct: Option<f64>,
    /// Means over the runs with an outage.
    pub mean_time_to_detect_ms: Option<f64>,
    pub mean_time_to_mitigate_ms: Option<f64>,
    pub mean_time_to_resolve_ms: Option<f64>,
    /// Medians over the runs with an outage.
    pub median_time_to_detect_ms: Option<f64>,
    pub median_time_to_mitigate_ms: Option<f64>,
    /// Mean lost events over all runs (prevented runs count as 0).
    pub mean_lost_events: f64,
    /// Mean lost events over the runs with an outage.
    pub lost_events_per_outage: Option<f64>,
    pub prevented_share: f64,
    // The same figures with their 95 % intervals (see `stats`: means across ten batches of
    // runs, percentiles from order statistics, the prevented share by Wilson's interval), and
    // what tells preventing safeguards apart: the share prevented and the expected loss.
    /// Mean error budget per incident (all runs).
    pub error_budget: Option<Estimate>,
    /// Percentiles of the error budget over all runs (a prevented run counts 0).
    pub error_budget_p50: Option<Estimate>,
    pub error_budget_p90: Option<Estimate>,
    pub error_budget_p99: Option<Estimate>,
    /// Share of runs prevented.
    pub prevented: Estimate,
    /// Expected loss per incident: minutes of outage (time to mitigate; 0 when prevented).
    pub expected_outage_minutes: Option<Estimate>,
    /// Expected loss per incident: calendar events lost.
    pub expected_lost_events: Option<Estimate>,
}

impl Headline {
    pub fn of(a: &Aggregate) -> Headline {
        let all_runs_mean = |m: Metric| a.stats(m).mean.unwrap_or(0.0);
        // Prevented runs add exactly 0 to these sums, so the mean over outage runs is the sum
        // over the outage runs' count.
        let outage_runs = a.runs - a.prevented;
        let per_outage = |m: Metric| {
            (outage_runs > 0).then(|| all_runs_mean(m) * a.runs as f64 / outage_runs as f64)
        };
        Headline {
            error_budget_used_pct: all_runs_mean(Metric::ErrorBudgetUsed),
            error_budget_per_outage_pct: per_outage(Metric::ErrorBudgetUsed),
            mean_time_to_detect_ms: a.stats(Metric::TimeToDetect).mean,
            mean_time_to_mitigate_ms: a.stats(Metric::TimeToMitigate).mean,
            mean_time_to_resolve_ms: a.stats(Metric::TimeToResolve).mean,
            median_time_to_detect_ms: a.stats(Metric::TimeToDetect).p50,
            median_time_to_mitigate_ms: a.stats(Metric::TimeToMitigate).p50,
            mean_lost_events: all_runs_mean(Metric::LostEvents),
            lost_events_per_outage: per_outage(Metric::LostEvents),
            prevented_share: a.prevented_share(),
            error_budget: a.mean_estimate(Metric::ErrorBudgetUsed, MeanOver::AllRuns),
            error_budget_p50: a.quantile_estimate(Metric::ErrorBudgetUsed, 0.5),
            error_budget_p90: a.quantile_estimate(Metric::ErrorBudgetUsed, 0.9),
            error_budget_p99: a.quantile_estimate(Metric::ErrorBudgetUsed, 0.99),
            prevented: a.prevented_estimate(),
            expected_outage_minutes: a
                .mean_estimate(Metric::TimeToMitigate, MeanOver::AllRuns)
                .map(|e| e.scaled(1.0 / 60_000.0)),
            expected_lost_events: a.mean_estimate(Metric::LostEvents, MeanOver::AllRuns),
        }
    }
}

/// What taking one safeguard out of the full set costs. With a preventer in the set most runs
/// have no outage, so a mean over all runs hides what a detector or a responder adds when
/// prevention fails; the loss is therefore given both ways, and as the share of runs no longer
/// prevented.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LeaveOneOut {
    /// Percentage points of error budget per incident (all runs) the set loses without it.
    pub error_budget_pct: f64,
    /// Percentage points of error budget per outage (runs with an outage) it loses.
    pub error_budget_per_outage_pct: Option<f64>,
    /// Added mean time to detect and to mitigate, per outage.
    pub time_to_detect_ms: Option<f64>,
    pub time_to_mitigate_ms: Option<f64>,
    /// Added lost events per outage.
    pub lost_events_per_outage: Option<f64>,
    /// Share of runs (0–1) that are no longer prevented.
    pub prevented_share: f64,
    /// The error budget lost per incident, with its paired 95 % interval (the set and the set
    /// without it ran the same runs, so the difference is taken batch by batch).
    pub error_budget: Option<Estimate>,
    /// The expected minutes of outage and events lost it adds per incident, paired.
    pub expected_outage_minutes: Option<Estimate>,
    pub expected_lost_events: Option<Estimate>,
}

impl LeaveOneOut {
    fn between(
        without: &Headline,
        full: &Headline,
        without_runs: &Aggregate,
        full_runs: &Aggregate,
    ) -> LeaveOneOut {
        let paired = |m: Metric| without_runs.mean_difference(full_runs, m, MeanOver::AllRuns);
        let diff = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
        LeaveOneOut {
            error_budget_pct: without.error_budget_used_pct - full.error_budget_used_pct,
            error_budget_per_outage_pct: diff(
                without.error_budget_per_outage_pct,
                full.error_budget_per_outage_pct,
            ),
            time_to_detect_ms: diff(without.mean_time_to_detect_ms, full.mean_time_to_detect_ms),
            time_to_mitigate_ms: diff(
                without.mean_time_to_mitigate_ms,
                full.mean_time_to_mitigate_ms,
            ),
            lost_events_per_outage: diff(
                without.lost_events_per_outage,
                full.lost_events_per_outage,
            ),
            prevented_share: full.prevented_share - without.prevented_share,
            error_budget: paired(Metric::ErrorBudgetUsed),
            expected_outage_minutes: paired(Metric::TimeToMitigate)
                .map(|e| e.scaled(1.0 / 60_000.0)),
            expected_lost_events: paired(Metric::LostEvents),
        }
    }
}

/// What one safeguard is worth: on its own against the incident as it happened, and as the
/// loss when it is taken out of the full set.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SafeguardValue {
    pub id: SafeguardId,
    /// Baseline + this safeguard.
    pub alone: Headline,
    /// Full set − this safeguard (`None` if it is not in the full set).
    pub without: Option<Headline>,
    /// What the full set loses without it (`None` if it is not in the full set).
    pub loss: Option<LeaveOneOut>,
}

impl SafeguardValue {
    /// What its leave-one-out loss means next to what it saves alone, in words: a member whose
    /// loss is small although it saves much alone is covered by the rest of the set (overlap),
    /// not useless; one that saves little either way adds little to this incident. `None` when
    /// it is not in the set.
    pub fn overlap_words(&self, baseline: &Headline) -> Option<String> {
        let loss = self.loss?;
        let alone = baseline.error_budget_used_pct - self.alone.error_budget_used_pct;
        let lost = loss.error_budget_pct;
        let points = |v: f64| format!("{} points", crate::numfmt::trimmed(v, 1));
        Some(if alone <= 1.0 {
            format!(
                "Alone it saves {} of error budget per incident, and the set loses {} without it: it does little against this incident (its worth is elsewhere: people, customers or data).",
                points(alone.max(0.0)),
                points(lost.max(0.0))
            )
        } else if lost < 0.1 * alone {
            format!(
                "Alone it saves {} per incident, yet the set loses only {} without it: the other members cover for it (they overlap), so taking it out alone costs little while taking out what overlaps with it too would cost more.",
                points(alone),
                points(lost.max(0.0))
            )
        } else {
            format!(
                "Alone it saves {} per incident; without it the set loses {}: much of what it does, nothing else in the set does.",
                points(alone),
                points(lost)
            )
        })
    }
}

/// The baseline, the full set, and every safeguard's value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    pub baseline: Headline,
    pub full: Headline,
    /// Sorted by what the safeguard saves alone (error budget), most first.
    pub values: Vec<SafeguardValue>,
}

/// The configurations a ranking runs, in order: baseline, full, each safeguard alone, then
/// the full set without each of its members.
pub fn ranking_configs(full: &Config) -> Vec<Config> {
    let mut configs = vec![Config::none(), *full];
    for id in SafeguardId::ALL {
        configs.push(Config::alone_from(full, id));
    }
    for id in full.enabled() {
        let mut without = *full;
        without.disable(id);
        configs.push(without);
    }
    configs
}

/// Builds the ranking from the aggregates of `ranking_configs(full)`.
pub fn ranking_from(full: &Config, aggregates: &[Aggregate]) -> Ranking {
    let baseline = Headline::of(&aggregates[0]);
    let all = Headline::of(&aggregates[1]);
    let alone = &aggregates[2..2 + SafeguardId::ALL.len()];
    let without = &aggregates[2 + SafeguardId::ALL.len()..];
    let mut values: Vec<SafeguardValue> = SafeguardId::ALL
        .iter()
        .zip(alone)
        .map(|(&id, agg)| SafeguardValue {
            id,
            alone: Headline::of(agg),
            without: None,
            loss: None,
        })
        .collect();
    for (id, agg) in full.enabled().zip(without) {
        let headline = Headline::of(agg);
        values[id.index()].without = Some(headline);
        values[id.index()].loss = Some(LeaveOneOut::between(&headline, &all, agg, &aggregates[1]));
    }
    values.sort_by(|a, b| {
        a.alone
            .error_budget_used_pct
            .total_cmp(&b.alone.error_budget_used_pct)
            .then(a.id.cmp(&b.id))
    });
    Ranking {
        baseline,
        full: all,
        values,
    }
}

/// Ranks every safeguard alone, and each member of `full` by leave-one-out.
pub fn rank(scenario: &Scenario, full: &Config, seed: u64, runs: u64) -> Ranking {
    let configs = ranking_configs(full);
    let mut batch = Batch::new(scenario, &configs, seed, runs);
    batch.advance(runs);
    ranking_from(full, batch.aggregates())
}

/// Splits run indices `0..runs` into `parts` contiguous ranges of nearly equal length (the
/// first ones one longer), in order; empty ranges are left out.
pub fn split_runs(runs: u64, parts: u64) -> Vec<Range<u64>> {
    let parts = parts.clamp(1, runs.max(1));
    let (base, extra) = (runs / parts, runs % parts);
    let mut start = 0;
    (0..parts)
        .map(|i| {
            let len = base + u64::from(i < extra);
            let range = start..start + len;
            start += len;
            range
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// Where two texts first differ, as a readable line for a failing test; `None` if equal.
pub fn first_difference(now: &str, golden: &str) -> Option<String> {
    if now == golden {
        return None;
    }
    let line = now
        .lines()
        .zip(golden.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| now.lines().count().min(golden.lines().count()));
    Some(format!(
        "line {}: now {:?}, golden {:?}",
        line + 1,
        now.lines().nth(line),
        golden.lines().nth(line)
    ))
}

/// A text fingerprint of runs of the built-in presets and of every safeguard: counterfactual
/// and sampled traces for a few seeds, and Monte Carlo summaries with full float precision.
/// The same text natively and in the browser means the same runs, bit for bit; the test suite
/// compares it with a golden file on both targets.
pub fn fingerprint(scenario: &Scenario) -> String {
    use std::fmt::Write;
    let mut configs: Vec<(String, Config)> = crate::safeguards::Preset::ALL
        .iter()
        .map(|p| (p.slug().to_string(), p.config()))
        .collect();
    configs.push(("all".to_string(), Config::all()));
    for id in SafeguardId::ALL {
        configs.push((id.id().to_string(), Config::with_defaults(&[id])));
    }
    let mut out = String::new();
    for (name, config) in &configs {
        for seed in [1u64, 2, 3] {
            let (record, trace) = counterfactual(scenario, config, seed);
            let _ = writeln!(
                out,
                "{name} counterfactual seed {seed}: {:?}",
                record.outcome
            );
            for e in &trace {
                let _ = writeln!(out, "  {} {:?}", e.at, e.kind);
            }
            let (record, trace) = sampled_run(scenario, config, seed, 17);
            let _ = writeln!(
                out,
                "{name} sampled seed {seed} run 17: {:?} {:?}",
                record.outcome, record.events
            );
            for e in &trace {
                let _ = writeln!(out, "  {} {:?}", e.at, e.kind);
            }
        }
        let agg = simulate(scenario, config, 5, 2_000);
        for m in Metric::ALL {
            let s = agg.stats(m);
            let _ = writeln!(
                out,
                "{name} mc {}: {:?} {:?} {:?} {:?} {:?} {:?} {}",
                m.key(),
                s.mean,
                s.p50,
                s.p90,
                s.p99,
                s.min,
                s.max,
                s.never
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;

    #[test]
    fn a_paired_batch_measures_each_run_s_own_difference_and_merges_exactly() {
        let scenario = builtin("eptura-2024-07-10").unwrap();
        let exercise = crate::exercise::builtin_exercise(&scenario.id).unwrap();
        let at = scenario.clock.on_origin_day(15, 46);
        let rollback =
            Interventions::new(vec![exercise.intervention(at, "roll_back").unwrap()]).unwrap();
        let configs = [Config::none()];
        let runs = 600;
        let mut whole = Batch::paired(
            &scenario,
            &configs,
            3,
            0..runs,
            Interventions::NONE,
            rollback.clone(),
        );
        whole.advance(u64::MAX);
        // The same differences, computed run by run from the two arms' own runs.
        let base = Batch::part_with(&scenario, &configs, 3, 0..runs, Interventions::NONE);
        let plan = Plan::new(&scenario, &configs[0]);
        let mut engine = Engine::new();
        let mut exact: Vec<f64> = (0..runs)
            .map(|i| {
                let seed = run_seed(3, i);
                let b = engine.run_with(&plan, seed, Mode::Sampled, &Interventions::NONE, &mut ());
                let o = engine.run_with(&plan, seed, Mode::Sampled, &rollback, &mut ());
                Metric::TimeToMitigate.value(&o).unwrap()
                    - Metric::TimeToMitigate.value(&b).unwrap()
            })
            .collect();
        exact.sort_by(f64::total_cmp);
        let d = whole.differences()[0].stats(Metric::TimeToMitigate);
        assert_eq!(d.count, runs);
        let nearest =
            |q: f64| exact[((q * runs as f64).ceil() as usize).clamp(1, runs as usize) - 1];
        for (q, got) in [(0.1, d.p10), (0.5, d.p50), (0.9, d.p90)] {
            let (got, want) = (got.unwrap(), nearest(q));
            assert!(
                (got - want).abs() <= want.abs() * 0.004 + 1.0,
                "q{q}: {got} vs {want}"
            );
        }
        assert!(
            d.p90.unwrap() <= 0.0,
            "a rollback never brings the service back later"
        );
        assert!(d.p10.unwrap() < d.p50.unwrap() || d.p50 == Some(0.0));
        // The base arm is the unpaired batch of the same runs.
        let mut base = base;
        base.advance(u64::MAX);
        assert_eq!(whole.aggregates(), base.aggregates());
        // Parts merge into exactly the whole (their wire form: the worker crate's tests).
        let mut merged = Differences::new();
        for range in split_runs(runs, 3).into_iter().rev() {
            let mut part = Batch::paired(
                &scenario,
                &configs,
                3,
                range,
                Interventions::NONE,
                rollback.clone(),
            );
            part.advance(u64::MAX);
            let (_, diffs) = part.into_results();
            merged.merge(&diffs[0]);
        }
        assert_eq!(&merged, &whole.differences()[0]);
    }

    #[test]
    fn runs_split_into_contiguous_parts_that_cover_them() {
        assert_eq!(split_runs(10, 3), vec![0..4, 4..7, 7..10]);
        assert_eq!(split_runs(2, 8), vec![0..1, 1..2]);
        assert_eq!(split_runs(0, 4), Vec::<Range<u64>>::new());
        assert_eq!(split_runs(5, 0), vec![0..5]);
    }

    #[test]
    fn a_batch_split_into_parts_merges_into_exactly_the_whole() {
        let scenario = builtin("eptura-2024-07-10").unwrap();
        let configs = [
            Config::none(),
            crate::safeguards::Preset::DefenceInDepth.config(),
        ];
        let whole = Batch::new(&scenario, &configs, 9, 3_001);
        let mut whole = whole;
        whole.advance(u64::MAX);
        for parts in [1, 2, 3, 7] {
            let mut merged: Vec<Aggregate> = configs.iter().map(|_| Aggregate::new()).collect();
            // Merge in reverse order: the result must not depend on it.
            for range in split_runs(3_001, parts).into_iter().rev() {
                let mut part = Batch::part(&scenario, &configs, 9, range);
                while !part.advance(100) {}
                for (m, a) in merged.iter_mut().zip(part.aggregates()) {
                    m.merge(a);
                }
            }
            assert_eq!(merged, whole.aggregates(), "{parts} parts");
            let means: Vec<_> = merged
                .iter()
                .map(|a| a.stats(Metric::ErrorBudgetUsed).mean)
                .collect();
            let whole_means: Vec<_> = whole
                .aggregates()
                .iter()
                .map(|a| a.stats(Metric::ErrorBudgetUsed).mean)
                .collect();
            assert_eq!(
                means
                    .iter()
                    .map(|m| m.map(f64::to_bits))
                    .collect::<Vec<_>>(),
                whole_means
                    .iter()
                    .map(|m| m.map(f64::to_bits))
                    .collect::<Vec<_>>()
            );
        }
    }
}
