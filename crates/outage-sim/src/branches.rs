//! Plausible branches: at a moment of the room's day, which of the room's response actions the
//! room could take, why not when it could not (in words), what each assumes (its delay and where
//! that number comes from), and what the day would be if the room decided it now.
//!
//! The answer comes from the engine's own rules, not a second copy of them: each option is the
//! room's day replayed with that action appended at the moment, and the engine's trace says
//! whether it acted, waited for what the room must know first (`Gate`), or changed nothing. So
//! the console, `outage-sim exercise --json --at` and `run --room` agree by construction. An
//! action decided before the impact is a prevention exercise: it is said so, and it waits like
//! any action decided before the room could know to take it, so deciding earlier is never worse
//! than deciding later.

use serde::Serialize;

use crate::exercise::{Exercise, ExerciseNumber, NumberUnit};
use crate::intervention::{
    ActionId, Curveball, CurveballId, Intervention, InterventionKind, Interventions, RoomAction,
    TooManyInterventions,
};
use crate::metrics::{Moment, RunRecord};
use crate::montecarlo::room_day;
use crate::provenance::Provenance;
use crate::safeguards::{Config, Params, SafeguardId};
use crate::scenario::{Scenario, StepId};
use crate::time::{human_duration, Millis, SimTime, SECOND};
use crate::trace::{TraceEvent, TraceKind};

/// Whether the room could take an action now.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Availability {
    /// The room could decide it now, and the model acts on it now.
    Open,
    /// The room could not know to take it yet (`why`). Decided anyway, it is not lost: it
    /// waits until `waits_for` and acts then. Before the impact it is a prevention exercise.
    NotYet {
        why: String,
        waits_for: String,
        prevention_exercise: bool,
    },
    /// The room could decide it, but it would change nothing now (`why`).
    NoEffect { why: String },
}

impl Availability {
    pub fn is_open(&self) -> bool {
        matches!(self, Availability::Open)
    }

    /// One line for a console or a terminal.
    pub fn describe(&self) -> String {
        match self {
            Availability::Open => "available now".into(),
            Availability::NotYet {
                why,
                waits_for,
                prevention_exercise: true,
            } => format!(
                "not yet: {why}; decided now it is a prevention exercise and waits until {waits_for}"
            ),
            Availability::NotYet { why, waits_for, .. } => {
                format!("not yet: {why}; decided now it waits until {waits_for}")
            }
            Availability::NoEffect { why } => format!("changes nothing now: {why}"),
        }
    }
}

/// A number an action takes, with where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssumedNumber {
    /// What it is, in words (`Rollback → last week's release running`).
    pub label: String,
    pub value: f64,
    pub unit: NumberUnit,
    pub provenance: Provenance,
}

impl AssumedNumber {
    fn delay(label: impl Into<String>, ms: Millis, provenance: Provenance) -> AssumedNumber {
        AssumedNumber {
            label: label.into(),
            value: ms as f64 / SECOND as f64,
            unit: NumberUnit::Seconds,
            provenance,
        }
    }

    fn from_exercise(n: &ExerciseNumber) -> AssumedNumber {
        AssumedNumber {
            label: n.label.clone(),
            value: n.value,
            unit: n.unit,
            provenance: n.provenance.clone(),
        }
    }

    /// `Rollback … running: 20 min; assumption: …`.
    pub fn describe(&self) -> String {
        let value = match self.unit {
            NumberUnit::Seconds => human_duration((self.value * SECOND as f64).round() as Millis),
            NumberUnit::Share => format!("{} %", crate::numfmt::trimmed(self.value * 100.0, 1)),
            NumberUnit::Factor => format!("× {}", crate::numfmt::trimmed(self.value, 2)),
        };
        format!("{}: {value}; {}", self.label, self.provenance)
    }
}

/// One of the room's actions at a moment of its day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionOption {
    pub action: ActionId,
    pub label: &'static str,
    pub availability: Availability,
    /// What it takes, by the model's own numbers, with their provenance.
    pub assumes: Vec<AssumedNumber>,
    /// What the day would become if the room decided it now, in words.
    pub consequence: String,
    /// The room's day with this action decided now (what `run --room` replays).
    pub day: RunRecord,
}

/// A safeguard the room could switch on at a moment of its day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SafeguardOption {
    pub safeguard: SafeguardId,
    pub availability: Availability,
    pub consequence: String,
}

/// The interventions decided or fired by `at`, and the room's day with them.
struct DaySoFar {
    list: Vec<Intervention>,
    day: RunRecord,
}

impl DaySoFar {
    fn new(
        scenario: &Scenario,
        config: &Config,
        interventions: &[Intervention],
        seed: u64,
        at: SimTime,
    ) -> Result<DaySoFar, TooManyInterventions> {
        let list: Vec<Intervention> = interventions
            .iter()
            .filter(|i| i.at <= at)
            .copied()
            .collect();
        let day = room_day(scenario, config, &Interventions::new(list.clone())?, seed).0;
        Ok(DaySoFar { list, day })
    }

    /// The day with `candidate` appended, and what the engine did with it.
    fn with(
        &self,
        scenario: &Scenario,
        config: &Config,
        seed: u64,
        candidate: Intervention,
    ) -> Result<(RunRecord, Availability), TooManyInterventions> {
        let mut list = self.list.clone();
        list.push(candidate);
        let (day, trace) = room_day(scenario, config, &Interventions::new(list)?, seed);
        // Sorting is stable, so the candidate's trace comes after any decision of the same
        // kind already taken at the same millisecond.
        let earlier = self
            .list
            .iter()
            .filter(|i| i.at == candidate.at && same_kind(i, &candidate))
            .count();
        let availability = trace
            .iter()
            .filter(|e| e.at == candidate.at)
            .filter_map(|e| availability_of(e, &candidate))
            .nth(earlier)
            .unwrap_or(Availability::Open);
        Ok((day, availability))
    }
}

fn same_kind(a: &Intervention, b: &Intervention) -> bool {
    match (a.kind, b.kind) {
        (
            InterventionKind::Room(RoomAction::EnableSafeguard { safeguard: x, .. }),
            InterventionKind::Room(RoomAction::EnableSafeguard { safeguard: y, .. }),
        ) => x == y,
        (InterventionKind::Room(x), InterventionKind::Room(y)) => x.id() == y.id(),
        _ => false,
    }
}

/// What the trace event says about the candidate decision, if it is about it.
fn availability_of(event: &TraceEvent, candidate: &Intervention) -> Option<Availability> {
    let InterventionKind::Room(action) = candidate.kind else {
        return None;
    };
    let id = action.id();
    match event.kind {
        TraceKind::RoomDecided { action } if action == id => Some(Availability::Open),
        TraceKind::RoomWaits {
            action,
            until,
            before_impact,
        } if action == id => Some(Availability::NotYet {
            why: if before_impact {
                "nothing has gone wrong yet".into()
            } else {
                until.why_not_yet().into()
            },
            waits_for: until.waits_for().into(),
            prevention_exercise: before_impact,
        }),
        TraceKind::RoomNoEffect { action, why } if action == id => Some(Availability::NoEffect {
            why: why.label().into(),
        }),
        TraceKind::SafeguardSwitchedOn { safeguard } => match action {
            RoomAction::EnableSafeguard { safeguard: s, .. } if s == safeguard => {
                Some(Availability::Open)
            }
            _ => None,
        },
        TraceKind::SafeguardTooLate { safeguard } => match action {
            RoomAction::EnableSafeguard { safeguard: s, .. } if s == safeguard => {
                Some(Availability::NoEffect {
                    why: format!(
                        "the moment it acts at has passed ({})",
                        if safeguard == SafeguardId::DeployNotice {
                            "the change is already deployed"
                        } else {
                            "the change has already merged"
                        }
                    ),
                })
            }
            _ => None,
        },
        _ => None,
    }
}

/// The room's response actions the exercise offers, at `at` of the room's day (the scenario,
/// the configuration, the interventions decided or fired so far, the seed of the replay): for
/// each, whether the room could take it now, what it assumes, and the day if it did. Switching
/// on a safeguard is listed with no numbers; see `safeguard_options` for each safeguard.
pub fn room_options(
    scenario: &Scenario,
    exercise: &Exercise,
    config: &Config,
    interventions: &[Intervention],
    seed: u64,
    at: SimTime,
) -> Result<Vec<ActionOption>, TooManyInterventions> {
    let so_far = DaySoFar::new(scenario, config, interventions, seed, at)?;
    let mut out = Vec::new();
    for card in &exercise.actions {
        let action = match exercise.room_action(card.id) {
            Some(action) => action,
            None => {
                // Switching on a safeguard: open at any time; each safeguard's own answer is in
                // `safeguard_options`.
                out.push(ActionOption {
                    action: card.id,
                    label: card.id.label(),
                    availability: Availability::Open,
                    assumes: Vec::new(),
                    consequence: "the safeguard acts from now on (see each safeguard)".into(),
                    day: so_far.day,
                });
                continue;
            }
        };
        let candidate = Intervention::room(at, action);
        let (day, availability) = so_far.with(scenario, config, seed, candidate)?;
        out.push(ActionOption {
            action: card.id,
            label: card.id.label(),
            assumes: assumed_numbers(scenario, exercise, config, &so_far.list, action),
            consequence: consequence(scenario, &so_far.day, &day, &availability),
            availability,
            day,
        });
    }
    Ok(out)
}

/// Every safeguard the room could switch on at `at`, with its defaults: whether it would act,
/// and the day if it did.
pub fn safeguard_options(
    scenario: &Scenario,
    config: &Config,
    interventions: &[Intervention],
    seed: u64,
    at: SimTime,
) -> Result<Vec<SafeguardOption>, TooManyInterventions> {
    let so_far = DaySoFar::new(scenario, config, interventions, seed, at)?;
    let mut out = Vec::new();
    for safeguard in SafeguardId::ALL {
        let action = RoomAction::EnableSafeguard {
            safeguard,
            params: Params::defaults(safeguard),
        };
        let (day, availability) =
            so_far.with(scenario, config, seed, Intervention::room(at, action))?;
        out.push(SafeguardOption {
            safeguard,
            consequence: consequence(scenario, &so_far.day, &day, &availability),
            availability,
        });
    }
    Ok(out)
}

/// Whether a curveball has been fired among the interventions so far.
fn fired(list: &[Intervention], id: CurveballId) -> Option<Curveball> {
    list.iter().find_map(|i| match i.kind {
        InterventionKind::Curveball(c) if c.id() == id => Some(c),
        _ => None,
    })
}

/// Whether the rollback runbook is on by the moment: in the configuration, or switched on by
/// the room before.
fn runbook_on(config: &Config, list: &[Intervention]) -> bool {
    config.is_enabled(SafeguardId::RollbackRunbook)
        || list.iter().any(|i| {
            matches!(
                i.kind,
                InterventionKind::Room(RoomAction::EnableSafeguard {
                    safeguard: SafeguardId::RollbackRunbook,
                    ..
                })
            )
        })
}

/// The numbers an action takes at this point of the day, with their provenance: the model's
/// own step delays, the exercise's numbers, and what the curveballs fired so far add.
fn assumed_numbers(
    scenario: &Scenario,
    exercise: &Exercise,
    config: &Config,
    list: &[Intervention],
    action: RoomAction,
) -> Vec<AssumedNumber> {
    let step = |id: StepId, label: &str| {
        let s = &scenario.steps[id];
        AssumedNumber::delay(
            label,
            scenario.recorded_steps()[id.index()],
            s.provenance.clone(),
        )
    };
    let card_numbers = || {
        exercise
            .action_card(action.id())
            .map(|c| c.numbers.iter().map(AssumedNumber::from_exercise).collect())
            .unwrap_or_default()
    };
    let mut out: Vec<AssumedNumber> = match action {
        RoomAction::PageOnCall { .. } => match fired(list, CurveballId::PagerDown) {
            Some(Curveball::PagerDown { gather }) => {
                let provenance = exercise
                    .curveball_card(CurveballId::PagerDown)
                    .and_then(|c| c.numbers.first())
                    .map(|n| n.provenance.clone())
                    .unwrap_or_default();
                vec![AssumedNumber::delay(
                    "The pager is down: gathering people by phone and chat",
                    gather,
                    provenance,
                )]
            }
            _ => card_numbers(),
        },
        RoomAction::EscalateLeadership => vec![step(
            StepId::Mobilize,
            "The owning team has it → responders gathered (the recorded mobilisation)",
        )],
        RoomAction::RollBack => {
            let mut v = if runbook_on(config, list) {
                let (_, spec) = SafeguardId::RollbackRunbook
                    .param("revert_s")
                    .expect("the runbook has a revert time");
                let value = config
                    .value(SafeguardId::RollbackRunbook, "revert_s")
                    .unwrap_or(spec.default);
                vec![AssumedNumber::delay(
                    "Rollback by the runbook → last week's release running",
                    (value * SECOND as f64).round() as Millis,
                    spec.provenance(),
                )]
            } else {
                vec![step(
                    StepId::ReinstateKnownCause,
                    "Rollback, knowing the change → last week's release running",
                )]
            };
            if let Some(Curveball::ImageMissing { rebuild }) =
                fired(list, CurveballId::ImageMissing)
            {
                let provenance = exercise
                    .curveball_card(CurveballId::ImageMissing)
                    .and_then(|c| c.numbers.first())
                    .map(|n| n.provenance.clone())
                    .unwrap_or_default();
                v.push(AssumedNumber::delay(
                    "The image is missing: rebuilding it first",
                    rebuild,
                    provenance,
                ));
            }
            v
        }
        RoomAction::PostStatus => Vec::new(),
        RoomAction::StartLooper => vec![step(
            StepId::ManualReplay,
            "The looper re-reads the impacted sites (the recorded run, scaled to the sites and events)",
        )],
        RoomAction::EnableSafeguard { .. } => Vec::new(),
    };
    out.retain(|n| n.value.is_finite());
    out
}

/// What deciding now does to the day, in words: the first moment of the day that moves.
fn consequence(
    scenario: &Scenario,
    before: &RunRecord,
    after: &RunRecord,
    availability: &Availability,
) -> String {
    let clock = &scenario.clock;
    let moments = [
        (Moment::Acknowledged, "the owning team has it"),
        (Moment::FirstStatusPost, "customers told"),
        (Moment::Restored, "service back"),
        (Moment::DataRecovered, "missed events recovered"),
        (Moment::Resolved, "resolved"),
    ];
    let mut changes = Vec::new();
    if after.mobilized_at != before.mobilized_at {
        if let (Some(a), Some(b)) = (after.mobilized_at, before.mobilized_at) {
            changes.push(change_words("responders gathered", clock, a, b));
        }
    }
    for (moment, words) in moments {
        match (moment.at(after), moment.at(before)) {
            (Some(a), Some(b)) if a != b => changes.push(change_words(words, clock, a, b)),
            (Some(a), None) => changes.push(format!("{words} at {}", clock.hhmm_local(a))),
            _ => {}
        }
    }
    if after.events.lost != before.events.lost {
        changes.push(format!(
            "{} events lost instead of {}",
            after.events.lost, before.events.lost
        ));
    }
    let prefix = match availability {
        Availability::NotYet { waits_for, .. } => format!("it waits until {waits_for}: "),
        _ => String::new(),
    };
    if changes.is_empty() {
        return format!("{prefix}nothing in the model's day changes");
    }
    format!("{prefix}{}", changes.join("; "))
}

fn change_words(what: &str, clock: &crate::time::Clock, now: SimTime, was: SimTime) -> String {
    let delta = was - now;
    let how = if delta > 0 { "earlier" } else { "later" };
    format!(
        "{what} at {} instead of {} ({} {how})",
        clock.hhmm_local(now),
        clock.hhmm_local(was),
        human_duration(delta.abs())
    )
}
