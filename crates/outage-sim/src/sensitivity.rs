//! How much the ranking rests on its guesses: for each assumption of the scenario and each
//! guessed chance of a safeguard, a plausible low and high (`factors`, each with why), what every
//! safeguard saves alone at each (its error budget per incident against the incident as it
//! happened), how far that moves it and the ranking's order (a tornado), and the break-even
//! statements that matter: where the safeguard that ranks first changes ("the uptime check ranks
//! first if the deletion guard blocks fewer than 64 % of deletions").
//!
//! A factor level is a scenario variant (an assumption changed) or the full set with one
//! parameter changed, run on the same seed as the default, so the differences are the factor's
//! and not the runs' (common random numbers). Break-evens are found by bisection on direct runs
//! (`break_even`), or, where only the low, default and high runs exist (the app), read between
//! them (`Sensitivity::interpolated_break_evens`), and said so.

use serde::Serialize;

use crate::montecarlo::Batch;
use crate::safeguards::{Config, SafeguardId};
use crate::scenario::{AssumptionId, Scenario};
use crate::stats::Aggregate;
use crate::time::MINUTE;

/// What a factor changes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Knob {
    /// A numeric assumption of the scenario.
    Assumption { id: AssumptionId },
    /// The assumed impact start, as minutes before the record's discovery.
    ImpactStart,
    /// A guessed chance of a safeguard (set in the full set, and for it alone).
    Chance {
        safeguard: SafeguardId,
        key: &'static str,
    },
}

/// A factor with its plausible range and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factor {
    pub knob: Knob,
    /// `deletion_guard:block_probability`, `away_share`, `impact_start`.
    pub key: String,
    pub label: String,
    /// The value in use (minutes before discovery for the impact start).
    pub default: f64,
    pub low: f64,
    pub high: f64,
    /// Why these are the plausible low and high.
    pub basis: &'static str,
}

/// The documented plausible low and high of an assumption, with why (`None`: not varied, as it
/// cannot move what a safeguard saves in error budget, or is a unit choice).
fn assumption_range(id: AssumptionId) -> Option<(f64, f64, &'static str)> {
    use AssumptionId::*;
    Some(match id {
        ChangeCueHalfLifeS => (600.0, 3_600.0, "whether responders still think of a change 10 minutes or an hour after it is a guess either way"),
        AwayShare => (0.0, 0.15, "from nobody ever away to one step in seven"),
        AwayFactor => (2.0, 6.0, "a colleague steps in (twice as long) to waiting for the person (six times)"),
        ReplayHorizonS => (3_600.0, 86_400.0, "an hour of re-readable history to a day"),
        EventsPerSiteHour => (10.0, 60.0, "a third to twice the assumed rate of calendar changes"),
        ManualDuplicateShare => (0.0, 0.1, "an idempotent looper to one in ten re-sent changes duplicated"),
        PerSiteShare => (0.2, 0.8, "mostly fixed to mostly per-site work"),
        NotificationRetryWindowS => (1_800.0, 14_400.0, "Exchange Web Services' default push retry of 30 minutes to Microsoft Graph's 4 hours"),
        NotificationDropShare => (0.0, 1.0, "the provider retried everything (the endpoint answered errors quickly) to dropped everything (it timed out)"),
        SubscriptionLifetimeS => (3_600.0, 604_800.0, "subscriptions renewed hourly to weekly"),
        MeetingLeadH => (8.0, 168.0, "changes mostly for today to mostly for next week"),
        OffHoursShare => (0.02, 0.3, "almost nothing at night to a third of the day's rate"),
        Sites => (60.0, 240.0, "half to twice the assumed sites; the error budget is per site, so it moves counts, not the ranking"),
        StatusCadenceS => (1_800.0, 14_400.0, "updates every half hour to every four hours"),
        SloTarget | SloWindowDays | WorkingDayStartH | WorkingDayEndH => return None,
    })
}

/// The assumptions not varied, and why: they cannot change what the ranking compares.
pub const NOT_VARIED: &str = "Not varied: slo_target and slo_window_days scale every error budget alike (every value moves in proportion, the order cannot), and the working day's start and end only move the calendar changes counted, not downtime.";

/// The documented plausible low and high of a guessed chance, with why.
const CHANCES: [(SafeguardId, &str, f64, f64, &str); 7] = [
    (SafeguardId::Review, "catch_probability", 0.2, 0.8, "reviewers of generated GitOps diffs catch a deletion between one time in five and four in five"),
    (SafeguardId::DeletionGuard, "block_probability", 0.5, 0.99, "an override approved half the time to almost never"),
    (SafeguardId::PruneProtection, "bypass_probability", 0.01, 0.3, "a manual sync with prune one time in a hundred to one in three"),
    (SafeguardId::Canary, "detect_probability", 0.5, 1.0, "the analysis watches the calendar sync half the time to always"),
    (SafeguardId::Canary, "check_failure_probability", 0.5, 0.95, "a noisy to a clear signal from the broken wave"),
    (SafeguardId::DeployNotice, "read_probability", 0.1, 0.6, "one deploy notice read in ten to more than half"),
    (SafeguardId::AutoPage, "answer_probability", 0.7, 0.99, "on-call answers seven pages in ten to nearly all"),
];

/// The factors of a scenario and a full set, with their plausible lows and highs.
pub fn factors(scenario: &Scenario, full: &Config) -> Vec<Factor> {
    let mut out = Vec::new();
    let discovery = scenario.event_time("discovered");
    if let Some(discovered) = discovery {
        let default = (discovered - scenario.impact_start()) as f64 / MINUTE as f64;
        out.push(Factor {
            knob: Knob::ImpactStart,
            key: "impact_start".into(),
            label: "Undetected window before the record's discovery (minutes)".into(),
            default,
            low: 20.0,
            high: 180.0,
            basis: "the record gives only the discovery: the service may have gone twenty minutes or three hours before it",
        });
    }
    for (id, a) in scenario.assumptions.iter() {
        let Some((low, high, basis)) = assumption_range(id) else {
            continue;
        };
        out.push(Factor {
            knob: Knob::Assumption { id },
            key: id.key().into(),
            label: a.label.clone(),
            default: a.value,
            low: low.clamp(a.min, a.max),
            high: high.clamp(a.min, a.max),
            basis,
        });
    }
    for (safeguard, key, low, high, basis) in CHANCES {
        let Some((_, spec)) = safeguard.param(key) else {
            continue;
        };
        out.push(Factor {
            knob: Knob::Chance { safeguard, key },
            key: format!("{}:{key}", safeguard.id()),
            label: format!("{}: {}", safeguard.name(), spec.label.to_lowercase()),
            default: full.value(safeguard, key).unwrap_or(spec.default),
            low,
            high,
            basis,
        });
    }
    out
}

impl Factor {
    /// The scenario and full set with this factor at `level` (clamped into what the scenario
    /// or the catalog allows).
    pub fn apply(&self, scenario: &Scenario, full: &Config, level: f64) -> (Scenario, Config) {
        let mut s = scenario.clone();
        let mut c = *full;
        match self.knob {
            Knob::Assumption { id } => {
                let a = &s.assumptions[id];
                let mut v = level.clamp(a.min, a.max);
                if id.whole() {
                    v = v.round();
                }
                let _ = s.set_assumption(id.key(), v);
            }
            Knob::ImpactStart => {
                if let Some(discovered) = s.event_time("discovered") {
                    let a = &s.assumptions.impact_start;
                    let at =
                        (discovered - (level * MINUTE as f64).round() as i64).clamp(a.min, a.max);
                    let _ = s.set_impact_start(at);
                }
            }
            Knob::Chance { safeguard, key } => {
                // Alone it takes the level through `alone_configs`; in the set only if it is in it.
                if let (true, Some((_, spec))) = (full.is_enabled(safeguard), safeguard.param(key))
                {
                    let _ = c.set(safeguard, key, level.clamp(spec.min, spec.max));
                }
            }
        }
        (s, c)
    }
}

/// The configurations whose runs give every safeguard's value alone: the incident as it
/// happened, then each safeguard alone with the full set's parameters (and `over`'s, for the
/// one parameter a factor changes).
pub fn alone_configs(full: &Config, over: Option<(SafeguardId, &str, f64)>) -> Vec<Config> {
    let mut configs = vec![Config::none()];
    for id in SafeguardId::ALL {
        let mut alone = Config::alone_from(full, id);
        if let Some((sg, key, v)) = over {
            if sg == id {
                let _ = alone.set(id, key, v);
            }
        }
        configs.push(alone);
    }
    configs
}

/// Every safeguard's mean error budget per incident alone, from the aggregates of
/// `alone_configs` (the first is the incident as it happened).
pub fn values_from(aggregates: &[Aggregate]) -> Vec<(SafeguardId, f64)> {
    let budget = |a: &Aggregate| {
        a.stats(crate::metrics::Metric::ErrorBudgetUsed)
            .mean
            .unwrap_or(0.0)
    };
    SafeguardId::ALL
        .into_iter()
        .zip(&aggregates[1..])
        .map(|(id, a)| (id, budget(a)))
        .collect()
}

/// What a safeguard saves alone: the error budget per incident it takes off the incident as it
/// happened, in percentage points.
fn savings(aggregates: &[Aggregate]) -> Vec<(SafeguardId, f64)> {
    let base = aggregates[0]
        .stats(crate::metrics::Metric::ErrorBudgetUsed)
        .mean
        .unwrap_or(0.0);
    values_from(aggregates)
        .into_iter()
        .map(|(id, v)| (id, base - v))
        .collect()
}

/// The safeguard that saves the most (ties by catalog order).
fn top(values: &[(SafeguardId, f64)]) -> SafeguardId {
    values
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(id, _)| id)
        .unwrap_or(SafeguardId::ALL[0])
}

/// The ranks (1 = saves the most) of every safeguard, by catalog order.
fn ranks(values: &[(SafeguardId, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].1.total_cmp(&values[a].1).then(a.cmp(&b)));
    let mut rank = vec![0; values.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i] = r + 1;
    }
    rank
}

/// One factor's row of the tornado.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FactorRow {
    pub factor: Factor,
    /// What each safeguard saves alone (error budget points per incident) at the low and high.
    pub at_low: Vec<(SafeguardId, f64)>,
    pub at_high: Vec<(SafeguardId, f64)>,
    /// The largest move of any safeguard's saving between low and high (points).
    pub swing: f64,
    /// The safeguard that ranks first at the low and at the high.
    pub top_low: SafeguardId,
    pub top_high: SafeguardId,
    /// Safeguards whose rank differs between the low and the high.
    pub rank_changes: usize,
}

/// A value of a factor at which the safeguard ranking first changes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakEven {
    pub factor: String,
    /// The factor's value where the two cross.
    pub at: f64,
    /// Which ranks first below and above it.
    pub below: SafeguardId,
    pub above: SafeguardId,
    /// How it was found: `"bisection on direct runs"` or `"read between the runs at …"`.
    pub method: String,
    /// The statement, in words.
    pub statement: String,
}

/// The whole analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    pub runs: u64,
    pub seed: u64,
    /// What each safeguard saves alone with every factor at its default.
    pub base: Vec<(SafeguardId, f64)>,
    pub top: SafeguardId,
    /// Sorted by swing, largest first (the tornado's order).
    pub rows: Vec<FactorRow>,
    /// Where the first-ranked safeguard changes within a factor's plausible range.
    pub break_evens: Vec<BreakEven>,
    /// For each guessed chance, where its safeguard and the best safeguard of another stage
    /// save the same (within the chance's whole range).
    pub rivals: Vec<BreakEven>,
    /// The first two at the defaults, when the runs cannot tell them apart: the difference of
    /// their savings and its paired 95 % interval, which includes 0.
    pub tie: Option<Tie>,
}

/// Two safeguards the runs cannot tell apart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tie {
    pub first: SafeguardId,
    pub second: SafeguardId,
    /// first − second, in error budget points per incident, with its interval.
    pub difference: crate::stats::Estimate,
}

/// Runs `alone_configs` for a scenario and full set: every safeguard's saving.
fn run_savings(
    scenario: &Scenario,
    full: &Config,
    over: Option<(SafeguardId, &str, f64)>,
    seed: u64,
    runs: u64,
) -> Vec<(SafeguardId, f64)> {
    let mut batch = Batch::new(scenario, &alone_configs(full, over), seed, runs);
    batch.advance(runs);
    savings(batch.aggregates())
}

fn level_runs(
    f: &Factor,
    scenario: &Scenario,
    full: &Config,
    level: f64,
    seed: u64,
    runs: u64,
) -> Vec<(SafeguardId, f64)> {
    let (s, c) = f.apply(scenario, full, level);
    let over = match f.knob {
        Knob::Chance { safeguard, key } => safeguard
            .param(key)
            .map(|(_, spec)| (safeguard, key, level.clamp(spec.min, spec.max))),
        _ => None,
    };
    run_savings(&s, &c, over, seed, runs)
}

impl FactorRow {
    /// A row from what every safeguard saves at the factor's low and high.
    pub fn new(
        factor: Factor,
        at_low: Vec<(SafeguardId, f64)>,
        at_high: Vec<(SafeguardId, f64)>,
    ) -> FactorRow {
        let swing = at_low
            .iter()
            .zip(&at_high)
            .map(|(a, b)| (a.1 - b.1).abs())
            .fold(0.0, f64::max);
        let (rl, rh) = (ranks(&at_low), ranks(&at_high));
        FactorRow {
            top_low: top(&at_low),
            top_high: top(&at_high),
            rank_changes: rl.iter().zip(&rh).filter(|(a, b)| a != b).count(),
            factor,
            at_low,
            at_high,
            swing,
        }
    }
}

/// The tornado from the savings at each factor's low and high and at the defaults (as the app
/// gets them from its workers): rows sorted by swing, and break-evens read between the runs.
pub fn assemble(
    base: Vec<(SafeguardId, f64)>,
    rows: Vec<FactorRow>,
    seed: u64,
    runs: u64,
) -> Sensitivity {
    let mut rows = rows;
    rows.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then(a.factor.key.cmp(&b.factor.key))
    });
    let mut s = Sensitivity {
        runs,
        seed,
        top: top(&base),
        base,
        rows,
        break_evens: Vec::new(),
        rivals: Vec::new(),
        tie: None,
    };
    s.break_evens = s.interpolated_break_evens();
    s
}

/// The whole analysis, on direct runs: each factor's low and high, and each break-even refined
/// by bisection (a dozen more runs of the two safeguards concerned).
pub fn sensitivity(scenario: &Scenario, full: &Config, seed: u64, runs: u64) -> Sensitivity {
    let mut batch = Batch::new(scenario, &alone_configs(full, None), seed, runs);
    batch.advance(runs);
    let aggregates = batch.into_aggregates();
    let base = savings(&aggregates);
    let rows = factors(scenario, full)
        .into_iter()
        .map(|f| {
            let low = level_runs(&f, scenario, full, f.low, seed, runs);
            let high = level_runs(&f, scenario, full, f.high, seed, runs);
            FactorRow::new(f, low, high)
        })
        .collect();
    let mut s = assemble(base, rows, seed, runs);
    s.tie = tie(&s.base, &aggregates);
    let tied = |b: &BreakEven| {
        s.tie.as_ref().is_some_and(|t| {
            [t.first, t.second].contains(&b.below) && [t.first, t.second].contains(&b.above)
        })
    };
    let refined: Vec<BreakEven> = s
        .break_evens
        .iter()
        .filter(|b| !tied(b))
        .filter_map(|b| {
            let f = s
                .rows
                .iter()
                .find(|r| r.factor.key == b.factor)?
                .factor
                .clone();
            break_even(
                &f,
                scenario,
                full,
                b.below,
                b.above,
                f.low,
                f.high,
                seed,
                runs,
                About::First,
            )
        })
        .collect();
    s.break_evens = refined;
    s.rivals = rivals(&s, scenario, full, seed, runs);
    s
}

/// Whether the first two at the defaults are within the runs' uncertainty of each other.
fn tie(base: &[(SafeguardId, f64)], aggregates: &[Aggregate]) -> Option<Tie> {
    let r = ranks(base);
    let index = |rank: usize| r.iter().position(|&x| x == rank);
    let (first, second) = (index(1)?, index(2)?);
    // Saving = baseline − alone, so first − second = alone(second) − alone(first).
    let difference = aggregates[1 + second].mean_difference(
        &aggregates[1 + first],
        crate::metrics::Metric::ErrorBudgetUsed,
        crate::stats::MeanOver::AllRuns,
    )?;
    (difference.low <= 0.0 && difference.high >= 0.0).then(|| Tie {
        first: base[first].0,
        second: base[second].0,
        difference,
    })
}

/// For each guessed chance: where its safeguard and the best safeguard of another stage (the
/// one it would have to beat if it were first) save the same, over the chance's whole range.
fn rivals(
    s: &Sensitivity,
    scenario: &Scenario,
    full: &Config,
    seed: u64,
    runs: u64,
) -> Vec<BreakEven> {
    let mut out = Vec::new();
    for row in &s.rows {
        let Knob::Chance { safeguard, key } = row.factor.knob else {
            continue;
        };
        let best = |keep: &dyn Fn(SafeguardId) -> bool| {
            s.base
                .iter()
                .filter(|(id, _)| keep(*id))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(id, _)| *id)
        };
        // The best safeguard of another stage, and the best detector (what the postmortem's
        // fix is), when that is another one.
        let other_stage = best(&|id: SafeguardId| id.stage() != safeguard.stage());
        let detector = best(&|id: SafeguardId| id.is_detector() && id != safeguard);
        let mut rivals_of = vec![other_stage];
        if detector != other_stage {
            rivals_of.push(detector);
        }
        let Some((_, spec)) = safeguard.param(key) else {
            continue;
        };
        for rival in rivals_of.into_iter().flatten() {
            if let Some(b) = break_even(
                &row.factor,
                scenario,
                full,
                safeguard,
                rival,
                spec.min,
                spec.max,
                seed,
                runs,
                About::Pair,
            ) {
                out.push(b);
            }
        }
    }
    out
}

impl Sensitivity {
    /// Where the safeguard ranking first changes for a factor, read between the runs at its
    /// low, default and high: the two safeguards' savings are taken as straight lines between
    /// those levels, and the crossing nearest the default is reported.
    pub fn interpolated_break_evens(&self) -> Vec<BreakEven> {
        let mut out = Vec::new();
        for row in &self.rows {
            let f = &row.factor;
            let points = [
                (f.low, &row.at_low),
                (f.default, &self.base),
                (f.high, &row.at_high),
            ];
            let mut points: Vec<(f64, &Vec<(SafeguardId, f64)>)> = points.to_vec();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            for pair in points.windows(2) {
                let ((x0, v0), (x1, v1)) = (pair[0], pair[1]);
                let (t0, t1) = (top(v0), top(v1));
                if t0 == t1 || x1 <= x0 {
                    continue;
                }
                let diff = |v: &Vec<(SafeguardId, f64)>| {
                    let get =
                        |id: SafeguardId| v.iter().find(|(i, _)| *i == id).map_or(0.0, |p| p.1);
                    get(t0) - get(t1)
                };
                let (d0, d1) = (diff(v0), diff(v1));
                let at = if d0 == d1 {
                    (x0 + x1) / 2.0
                } else {
                    x0 + (x1 - x0) * d0 / (d0 - d1)
                };
                out.push(statement(
                    f,
                    at,
                    t0,
                    t1,
                    format!(
                        "read between the runs at {} and {}",
                        format_level(f, x0),
                        format_level(f, x1)
                    ),
                    About::First,
                ));
            }
        }
        out
    }
}

/// A factor's level in its own words (`64 %`, `45 min`, `0.2`).
pub fn format_level(f: &Factor, v: f64) -> String {
    match f.knob {
        Knob::Chance { .. } => format!("{} %", crate::numfmt::trimmed(100.0 * v, 1)),
        Knob::ImpactStart => format!("{} min", crate::numfmt::trimmed(v, 0)),
        Knob::Assumption { id } => match id {
            AssumptionId::AwayShare
            | AssumptionId::OffHoursShare
            | AssumptionId::NotificationDropShare
            | AssumptionId::PerSiteShare
            | AssumptionId::ManualDuplicateShare => {
                format!("{} %", crate::numfmt::trimmed(100.0 * v, 1))
            }
            AssumptionId::SloTarget => format!("{} %", crate::numfmt::trimmed(100.0 * v, 3)),
            _ => crate::numfmt::trimmed(v, 2),
        },
    }
}

/// What a break-even is about: the first place of the ranking, or two safeguards' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    First,
    Pair,
}

fn statement(
    f: &Factor,
    at: f64,
    below: SafeguardId,
    above: SafeguardId,
    method: String,
    about: About,
) -> BreakEven {
    let level = format_level(f, at);
    let when = match f.knob {
        Knob::Chance { safeguard, key } => {
            let who = safeguard.name().to_lowercase();
            match key {
                "block_probability" => format!("the {who} blocks fewer than {level} of deletions"),
                "catch_probability" => format!("the {who} catches fewer than {level} of deletions"),
                "bypass_probability" => {
                    format!("the {who} is bypassed in fewer than {level} of deletions")
                }
                "read_probability" => format!("the {who} is read less than {level} of the time"),
                "answer_probability" => {
                    format!("the {who} is answered less than {level} of the time")
                }
                "detect_probability" => {
                    format!("the {who}'s analysis watches what the deletion breaks less than {level} of the time")
                }
                "check_failure_probability" => {
                    format!("a check of the {who} fails less than {level} of the time")
                }
                other => format!("the {who}'s {other} is below {level}"),
            }
        }
        _ => format!("{} is below {level}", f.label.to_lowercase()),
    };
    let text = match about {
        About::First => format!(
            "{} ranks first when {when}; above that, {} does",
            below.name(),
            above.name().to_lowercase()
        ),
        About::Pair => format!(
            "{} saves more than {} when {when}; above that, {} saves more",
            below.name(),
            above.name().to_lowercase(),
            above.name().to_lowercase()
        ),
    };
    BreakEven {
        factor: f.key.clone(),
        at,
        below,
        above,
        method,
        statement: text,
    }
}

/// The level of `f` between `from` and `to` at which `below` and `above` save the same, by
/// bisection on direct runs of the two (whichever leads at which end).
#[allow(clippy::too_many_arguments)]
pub fn break_even(
    f: &Factor,
    scenario: &Scenario,
    full: &Config,
    below: SafeguardId,
    above: SafeguardId,
    from: f64,
    to: f64,
    seed: u64,
    runs: u64,
    about: About,
) -> Option<BreakEven> {
    let margin = |level: f64| {
        let v = level_runs(f, scenario, full, level, seed, runs);
        let get = |id: SafeguardId| v.iter().find(|(i, _)| *i == id).map_or(0.0, |p| p.1);
        get(below) - get(above)
    };
    let (mut lo, mut hi) = (from, to);
    let (m_lo, m_hi) = (margin(lo), margin(hi));
    // `below` leads at one end and `above` at the other, whichever way round.
    if m_lo.signum() == m_hi.signum() {
        return None;
    }
    let lo_positive = m_lo > 0.0;
    for _ in 0..14 {
        let mid = 0.5 * (lo + hi);
        if (margin(mid) > 0.0) == lo_positive {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let at = 0.5 * (lo + hi);
    let (first_below, first_above) = if lo_positive {
        (below, above)
    } else {
        (above, below)
    };
    Some(statement(
        f,
        at,
        first_below,
        first_above,
        format!("bisection on direct runs, {runs} runs, seed {seed}"),
        about,
    ))
}
