//! Train mode's logic, pure and tested natively: a learner living through the day alone. The
//! learner predicts before the day starts, then meets the exercise's injects as stops in their
//! own simulated day and decides at each (one of the room's actions, or waiting, with a
//! confidence); each decision changes their day exactly as a room's decision does in the
//! facilitator's console (the same interventions, `outage_sim::room_day`).
//!
//! - `Drill` binds the scenario and its exercise; it computes the learner's day from their
//!   decisions, where the next stop is in that day, what the learner reads there (every text
//!   passed through the exercise's spoiler check, `outage_sim::exercise::spoiler`, at the moment
//!   it would show, lifted where the learner's own day got there sooner), the choices offered,
//!   and what a decision changed in the simulated day (`Consequence`).
//! - `score`: the debrief's score; `result`: result links and short codes; `team`: a trainer's
//!   table of several learners.
//!
//! A stop is an inject of the exercise (all but the last, which closes the day). It comes at the
//! inject's record moment, or, once the learner's day has reached the same point sooner (or
//! later), at that moment in their day, with a card written from their day instead of the
//! record's text.

pub mod result;
pub mod score;
pub mod team;

use outage_sim::branches::room_options;
use outage_sim::exercise::spoiler::{reached_in, Withholding};
use outage_sim::exercise::visibility::inject_at;
use outage_sim::intervention::{ActionId, Intervention, Interventions};
use outage_sim::metrics::{group_thousands, Metric};
use outage_sim::montecarlo::room_day;
use outage_sim::safeguards::Config;
use outage_sim::scenario::{Quote, Scenario};
use outage_sim::time::{SimTime, MINUTE};
use outage_sim::trace::{Detector, RestoredBy, TraceEvent, TraceKind};
use outage_sim::{Exercise, RunRecord};

/// Words a learner reads only in the debrief, even once the day has reached them: the fix, the
/// cause and the outcome are what the debrief sets against the learner's own day.
pub const DEBRIEF_ONLY: [&str; 7] = [
    "reinstat",
    "merged",
    "resolved",
    "2 h 31",
    "2 hours 31",
    "18:05",
    "6:05 pm",
];

/// True when a text may show before the debrief as far as `DEBRIEF_ONLY` goes.
pub fn before_debrief(text: &str) -> bool {
    let lower = text.to_lowercase();
    !DEBRIEF_ONLY.iter().any(|w| lower.contains(w))
}

/// How long after a stop's moment the learner's decision takes effect: just after the news,
/// so what the stop announces (someone noticed; the responders are gathered) is known when
/// the model checks whether the room could take an action (`outage_sim::branches`). At the
/// stop's very millisecond the decision would come before the news itself.
pub const DECIDE_AFTER: outage_sim::time::Millis = outage_sim::time::SECOND;

/// The seed of the learner's day (a single run with the record's delays: the seed only draws
/// the randomness of safeguards, which a learner does not switch on).
pub const DAY_SEED: u64 = 1;

/// What a learner can do at a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Choice {
    /// Wait and watch: no action in the model.
    Wait,
    /// One of the room's response actions.
    Act(ActionId),
}

/// The room's actions a learner is offered (switching on a safeguard needs one named, which is
/// the Explore view's business, so it is left out here).
pub const ACTIONS: [ActionId; 5] = [
    ActionId::PageOnCall,
    ActionId::EscalateLeadership,
    ActionId::RollBack,
    ActionId::PostStatus,
    ActionId::StartLooper,
];

impl Choice {
    /// Every choice, waiting first.
    pub fn all() -> impl Iterator<Item = Choice> {
        std::iter::once(Choice::Wait).chain(ACTIONS.into_iter().map(Choice::Act))
    }

    /// Its word in links and test ids (`wait`, `roll_back`).
    pub fn id(self) -> &'static str {
        match self {
            Choice::Wait => "wait",
            Choice::Act(a) => a.id(),
        }
    }

    pub fn from_id(id: &str) -> Option<Choice> {
        Choice::all().find(|c| c.id() == id)
    }

    /// What the learner reads: worded so that it names nothing the learner cannot know yet
    /// (the console's labels name last week's release and the looper, which are withheld).
    pub fn label(self) -> &'static str {
        match self {
            Choice::Wait => "Wait and watch",
            Choice::Act(ActionId::PageOnCall) => "Page on-call now",
            Choice::Act(ActionId::EscalateLeadership) => "Escalate to leadership",
            Choice::Act(ActionId::RollBack) => "Roll back to the previous release",
            Choice::Act(ActionId::PostStatus) => "Post to the status page",
            Choice::Act(ActionId::StartLooper) => "Start replaying the missed calendar events",
            Choice::Act(ActionId::EnableSafeguard) => "Switch on a safeguard",
        }
    }

    /// One line on what it does in the model (spoiler-free, like the label).
    pub fn help(self) -> &'static str {
        match self {
            Choice::Wait => "Let the people on the day carry on as they did; decide again at the next moment.",
            Choice::Act(ActionId::PageOnCall) => "On-call acknowledges after a few minutes and the responders are gathered, if they are not yet.",
            Choice::Act(ActionId::EscalateLeadership) => "The owning team has the incident from now, if it does not yet; people are gathered a usual mobilisation later.",
            Choice::Act(ActionId::RollBack) => "Put back the release that ran before today's changes, whatever the diagnosis has found so far.",
            Choice::Act(ActionId::PostStatus) => "Customers get a first message now, if none was posted yet.",
            Choice::Act(ActionId::StartLooper) => "Re-read and replay the customers' missed calendar changes as soon as the service is up, instead of waiting to be asked.",
            Choice::Act(ActionId::EnableSafeguard) => "",
        }
    }
}

/// How sure the learner was of a choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::Low, Confidence::Medium, Confidence::High];

    pub fn id(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn from_id(id: &str) -> Option<Confidence> {
        Confidence::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Confidence::Low => "Not sure",
            Confidence::Medium => "Fairly sure",
            Confidence::High => "Sure",
        }
    }
}

/// The detectors a learner can name as the one that would have caught the outage first.
pub const DETECTORS: [Detector; 5] = [
    Detector::UptimeCheck,
    Detector::SloBurnAlert,
    Detector::AbsentAlert,
    Detector::DeployNotice,
    Detector::CanaryAnalysis,
];

/// Detector by its id (`uptime_check`), among those a learner can name.
pub fn detector_from_id(id: &str) -> Option<Detector> {
    DETECTORS.into_iter().find(|d| d.id() == id)
}

/// What a learner may name as a detector, without naming what it watches for in this outage.
pub fn detector_label(d: Detector) -> &'static str {
    match d {
        Detector::UptimeCheck => {
            "An uptime check (a probe that calls the service every few minutes)"
        }
        Detector::SloBurnAlert => {
            "An SLO burn-rate alert (errors eating the error budget too fast)"
        }
        Detector::AbsentAlert => {
            "An absent-metrics alert (the service's own metrics stop arriving)"
        }
        Detector::DeployNotice => {
            "A deploy notice (every change to production announced to the team)"
        }
        Detector::CanaryAnalysis => "A staged rollout with canary analysis",
        Detector::People => "People noticing",
    }
}

/// The prediction a learner commits before the day starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// How long, in minutes, from the service going away until someone noticed.
    pub detect_minutes: u32,
    /// Which safeguard would have caught it first.
    pub first_catch: Detector,
}

/// The most minutes a prediction may say (a day).
pub const MAX_PREDICT_MINUTES: u32 = 24 * 60;

/// One decision at a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The stop's inject (index into the exercise's injects).
    pub inject: usize,
    /// The stop's moment in the learner's day.
    pub at: SimTime,
    pub choice: Choice,
    pub confidence: Confidence,
}

/// A stop in the learner's day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stop {
    pub inject: usize,
    pub at: SimTime,
    /// The learner's day reached this point at another moment than the record: the card is
    /// written from their day, not the record's text.
    pub own: bool,
}

/// A choice offered at a stop, with the numbers it rests on (from the model, spoiler-checked).
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub choice: Choice,
    pub assumes: Vec<String>,
}

/// What the learner reads at a stop.
#[derive(Clone, Debug, PartialEq)]
pub struct StopCard {
    pub title: String,
    pub passages: Vec<String>,
    pub questions: Vec<String>,
    /// The record's line at that moment (the latest the record had reached), quoted.
    pub record: Option<Quote>,
}

/// Something the simulated day measures that a decision can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    RespondersGathered,
    CustomersTold,
    ServiceBack,
    DataBack,
    Closed,
    EventsMissed,
    EventsLost,
}

impl Effect {
    pub const ALL: [Effect; 7] = [
        Effect::ServiceBack,
        Effect::RespondersGathered,
        Effect::CustomersTold,
        Effect::DataBack,
        Effect::Closed,
        Effect::EventsMissed,
        Effect::EventsLost,
    ];

    /// The moment or count in a run (milliseconds for moments).
    pub fn value(self, r: &RunRecord) -> Option<f64> {
        let t = |t: Option<SimTime>| t.map(|t| t as f64);
        match self {
            Effect::RespondersGathered => t(r.mobilized_at),
            Effect::CustomersTold => t(r.first_post_at),
            Effect::ServiceBack => t(r.restored_at),
            Effect::DataBack => t(r.recovered_at),
            Effect::Closed => t(r.resolved_at),
            Effect::EventsMissed => Some(r.events.missed as f64),
            Effect::EventsLost => Some(r.events.lost as f64),
        }
    }

    /// The metric whose run-by-run difference is this effect's (the impact start is the same in
    /// both days, so a moment moves as its metric does).
    pub fn metric(self) -> Option<Metric> {
        match self {
            Effect::RespondersGathered => None,
            Effect::CustomersTold => Some(Metric::FirstCustomerMessage),
            Effect::ServiceBack => Some(Metric::TimeToMitigate),
            Effect::DataBack => Some(Metric::TimeToRecoverData),
            Effect::Closed => Some(Metric::TimeToResolve),
            Effect::EventsMissed => Some(Metric::MissedEvents),
            Effect::EventsLost => Some(Metric::LostEvents),
        }
    }

    pub fn is_count(self) -> bool {
        matches!(self, Effect::EventsMissed | Effect::EventsLost)
    }

    pub fn label(self) -> &'static str {
        match self {
            Effect::RespondersGathered => "Responders gathered",
            Effect::CustomersTold => "Customers told",
            Effect::ServiceBack => "Service back",
            Effect::DataBack => "Missed events replayed",
            Effect::Closed => "Incident closed",
            Effect::EventsMissed => "Calendar events missed",
            Effect::EventsLost => "Calendar events lost for good",
        }
    }

    /// `12 min earlier`, `3,900 fewer` for a difference (with − without).
    pub fn describe(self, delta: f64) -> String {
        if self.is_count() {
            let n = delta.abs().round() as i64;
            let word = if delta < 0.0 { "fewer" } else { "more" };
            format!("{} {word}", group_thousands(n))
        } else {
            let word = if delta < 0.0 { "earlier" } else { "later" };
            format!("{} {word}", minutes_text(delta.abs()))
        }
    }
}

/// A duration in milliseconds as whole minutes (`48 min`, `1 h 5 min`).
pub fn minutes_text(ms: f64) -> String {
    let m = (ms / MINUTE as f64).round() as i64;
    if m >= 60 {
        format!("{} h {} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// A count for people: `12,453`.
pub fn group_count(v: f64) -> String {
    group_thousands(v.round() as i64)
}

/// One thing a decision changed in the simulated day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub effect: Effect,
    /// The day with the decision minus the day without it (ms for moments, a count otherwise).
    pub delta: f64,
}

/// What a decision changed, in the learner's day (one run with the record's delays).
#[derive(Clone, Debug, PartialEq)]
pub struct Consequence {
    pub changes: Vec<Change>,
    /// When nothing changed: why, in the model's words.
    pub why_nothing: Option<String>,
}

/// The scenario and its exercise, for a learner's drill.
#[derive(Clone, Copy)]
pub struct Drill<'a> {
    pub scenario: &'a Scenario,
    pub exercise: &'a Exercise,
}

impl<'a> Drill<'a> {
    pub fn new(scenario: &'a Scenario, exercise: &'a Exercise) -> Drill<'a> {
        Drill { scenario, exercise }
    }

    /// The moment the day starts for a learner: 14:15 on the incident's day, a little before
    /// anything happened (the first inject's hour otherwise).
    pub fn start(&self) -> SimTime {
        let first = self.exercise.injects.first().map(|i| i.at).unwrap_or(0);
        self.scenario.clock.on_origin_day(14, 15).min(first)
    }

    /// The intervention a decision is in the model (`None` for waiting).
    pub fn intervention(&self, d: &Decision) -> Option<Intervention> {
        match d.choice {
            Choice::Wait => None,
            Choice::Act(a) => self.exercise.intervention(d.at + DECIDE_AFTER, a.id()),
        }
    }

    /// The decisions as the command line and the worker take them (`15:46=roll_back`).
    pub fn intervention_texts(&self, decisions: &[Decision]) -> Vec<String> {
        decisions
            .iter()
            .filter_map(|d| self.intervention(d))
            .map(|i| self.exercise.intervention_text(self.scenario, &i))
            .collect()
    }

    pub fn interventions(&self, decisions: &[Decision]) -> Interventions {
        let list: Vec<Intervention> = decisions
            .iter()
            .filter_map(|d| self.intervention(d))
            .collect();
        Interventions::new(list).unwrap_or(Interventions::NONE)
    }

    /// The learner's day: the record with their decisions, as a room's day.
    pub fn day(&self, decisions: &[Decision]) -> (RunRecord, Vec<TraceEvent>) {
        room_day(
            self.scenario,
            &Config::none(),
            &self.interventions(decisions),
            DAY_SEED,
        )
    }

    /// The record's own day (no decision).
    pub fn record(&self) -> RunRecord {
        self.day(&[]).0
    }

    /// Every stop of a day, in order: each inject but the last, at its moment in that day.
    pub fn stops(&self, day: &RunRecord) -> Vec<Stop> {
        let n = self.exercise.injects.len().saturating_sub(1);
        let mut stops: Vec<Stop> = self.exercise.injects[..n]
            .iter()
            .enumerate()
            .map(|(k, inject)| {
                let at = reached_in(day, &inject.record_id).unwrap_or(inject.at);
                Stop {
                    inject: k,
                    at,
                    own: at != inject.at,
                }
            })
            .collect();
        stops.sort_by_key(|s| (s.at, s.inject));
        stops
    }

    /// Where the learner stops next after these decisions (`None`: the day is over, the
    /// debrief comes). Each inject is a stop once, in the order of the learner's day, never
    /// before the last decision's moment.
    pub fn next_stop(&self, decisions: &[Decision]) -> Option<Stop> {
        let (day, _) = self.day(decisions);
        let after = decisions.last().map_or(SimTime::MIN, |d| d.at);
        self.stops(&day)
            .into_iter()
            .find(|s| s.at >= after && !decisions.iter().any(|d| d.inject == s.inject))
    }

    /// The spoiler check for a learner whose day is `day`.
    pub fn withholding(&self, day: &RunRecord) -> Withholding {
        Withholding::new(self.exercise, self.scenario).with_room_day(day)
    }

    /// `text` if it gives nothing away at `at` in that day (nor anything kept for the
    /// debrief), else nothing.
    fn safe(&self, check: &Withholding, text: String, at: SimTime) -> Option<String> {
        (check.is_safe(&text, at) && before_debrief(&text)).then_some(text)
    }

    /// What the learner reads at a stop of the day `day` (the day before deciding there).
    pub fn card(&self, stop: &Stop, day: &RunRecord) -> StopCard {
        let check = self.withholding(day);
        let inject = &self.exercise.injects[stop.inject];
        let at = stop.at;
        // The record's latest line by then that may show (the line of the fix waits for the
        // debrief).
        let record = inject_at(self.exercise, at).and_then(|k| {
            self.exercise.injects[..=k]
                .iter()
                .rev()
                .map(|i| i.source.clone())
                .find(|q| self.safe(&check, q.quote.clone(), at).is_some())
        });
        let questions: Vec<String> = inject
            .questions
            .iter()
            .filter_map(|q| self.safe(&check, q.clone(), at))
            .collect();
        let whole = inject
            .participant_text
            .iter()
            .all(|p| self.safe(&check, p.text.clone(), at).is_some());
        if !stop.own && whole {
            return StopCard {
                title: inject.title.clone(),
                passages: inject
                    .participant_text
                    .iter()
                    .filter_map(|p| self.safe(&check, p.text.clone(), at))
                    .collect(),
                questions,
                record,
            };
        }
        let clock = self.scenario.clock.hhmm_local(at);
        // The learner's day got here at another moment, or the record's text names what the
        // debrief keeps: a card written from the learner's day.
        let (title, text) = own_card(&inject.record_id, day);
        StopCard {
            title: self
                .safe(&check, title.to_string(), at)
                .unwrap_or_else(|| "In your day".into()),
            passages: [format!("It is {clock} in your day."), text]
                .into_iter()
                .filter_map(|t| self.safe(&check, t, at))
                .collect(),
            questions,
            record,
        }
    }

    /// The choices offered at a stop, after the decisions before it: waiting, and the room's
    /// actions the model says the room could take then and that would act now
    /// (`outage_sim::branches::room_options`: the same rules as the console and `run --room`,
    /// so no rollback before anyone could suspect a change), each with what it assumes.
    pub fn offers(&self, stop: &Stop, before: &[Decision]) -> Vec<Offer> {
        let list: Vec<Intervention> = before.iter().filter_map(|d| self.intervention(d)).collect();
        let (day, _) = self.day(before);
        let check = self.withholding(&day);
        let options = room_options(
            self.scenario,
            self.exercise,
            &Config::none(),
            &list,
            DAY_SEED,
            stop.at + DECIDE_AFTER,
        )
        .unwrap_or_default();
        let mut offers = vec![Offer {
            choice: Choice::Wait,
            assumes: Vec::new(),
        }];
        for a in ACTIONS {
            let Some(option) = options
                .iter()
                .find(|o| o.action == a && o.availability.is_open())
            else {
                continue;
            };
            offers.push(Offer {
                choice: Choice::Act(a),
                assumes: option
                    .assumes
                    .iter()
                    .filter_map(|n| self.safe(&check, n.describe(), stop.at))
                    .collect(),
            });
        }
        offers
    }

    /// The choices offered at a stop (see `offers`).
    pub fn choices(&self, stop: &Stop, before: &[Decision]) -> Vec<Choice> {
        self.offers(stop, before)
            .into_iter()
            .map(|o| o.choice)
            .collect()
    }

    /// What `decision` changed, against waiting at the same stop (earlier decisions kept).
    pub fn consequence(&self, before: &[Decision], decision: &Decision) -> Consequence {
        let (without, _) = self.day(before);
        let mut with_it = before.to_vec();
        with_it.push(*decision);
        let (with, trace) = self.day(&with_it);
        let changes: Vec<Change> = Effect::ALL
            .into_iter()
            .filter_map(|effect| {
                let delta = effect.value(&with)? - effect.value(&without)?;
                (delta.abs() >= if effect.is_count() { 0.5 } else { 30_000.0 })
                    .then_some(Change { effect, delta })
            })
            .collect();
        let why_nothing = changes.is_empty().then(|| {
            let check = self.withholding(&with);
            trace
                .iter()
                .find_map(|e| match e.kind {
                    TraceKind::RoomNoEffect { why, .. } => {
                        Some(format!("Nothing changed: {}.", why.label()))
                    }
                    _ => None,
                })
                .filter(|t| check.is_safe(t, decision.at) && before_debrief(t))
                .unwrap_or_else(|| match decision.choice {
                    Choice::Wait => "You let the day run as it did.".into(),
                    Choice::Act(_) => {
                        "It changed nothing the simulation measures in this day.".into()
                    }
                })
        });
        Consequence {
            changes,
            why_nothing,
        }
    }
}

/// A card for a point the learner's own day reached at another moment than the record.
fn own_card(record_id: &str, day: &RunRecord) -> (&'static str, String) {
    match record_id {
        "discovered" => ("Someone notices", "Support and Engineering have found that the calendar service is unavailable.".into()),
        "ops_notified" => ("The owning team has it", "Cloud Operations and their leadership have the incident now.".into()),
        "paged" => ("People are gathered", "On-call has acknowledged and the responders are gathered on a call.".into()),
        "reinstated" => (
            "The service is back",
            if day.restored_by == Some(RestoredBy::RoomRollBack) {
                "Your rollback is done: the previous release is running and the service is up again. Engineering is asked to confirm."
            } else {
                "The service is up and running again. Engineering is asked to confirm."
            }
            .into(),
        ),
        "confirmed" => ("Confirmed", "Engineering confirms the service works.".into()),
        "recovery_requested" => ("The missed events", "Engineering starts preparing to replay the calendar changes customers missed while the service was down.".into()),
        "looper_run" => ("Missed events replayed", "The missed calendar changes have been replayed for the impacted sites. Next: watch for anything still missing, and Support contacts customers.".into()),
        _ => ("In your day", "Your day has moved on.".into()),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    pub(crate) fn setup() -> (Scenario, Exercise) {
        let scenario = outage_sim::scenario::builtin("eptura-2024-07-10").unwrap();
        let exercise = outage_sim::exercise::builtin_exercise(&scenario.id).unwrap();
        (scenario, exercise)
    }

    /// Plays a day: at each stop, the choice `pick` makes among those offered.
    pub(crate) fn play(
        drill: &Drill,
        mut pick: impl FnMut(usize, &[Choice]) -> Choice,
    ) -> Vec<Decision> {
        let mut decisions: Vec<Decision> = Vec::new();
        while let Some(stop) = drill.next_stop(&decisions) {
            let offered = drill.choices(&stop, &decisions);
            let wanted = pick(decisions.len(), &offered);
            decisions.push(Decision {
                inject: stop.inject,
                at: stop.at,
                // A choice not offered there is waiting (the page offers only those).
                choice: if offered.contains(&wanted) {
                    wanted
                } else {
                    Choice::Wait
                },
                confidence: Confidence::Medium,
            });
            assert!(
                decisions.len() <= drill.exercise.injects.len(),
                "each stop once"
            );
        }
        decisions
    }

    #[test]
    fn what_a_learner_reads_before_the_day_gives_nothing_away() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let check = drill.withholding(&drill.record());
        for d in DETECTORS {
            assert!(
                check.is_safe(detector_label(d), drill.start())
                    && before_debrief(detector_label(d)),
                "{d:?}"
            );
        }
    }

    #[test]
    fn waiting_everywhere_meets_every_stop_at_the_record_s_moments() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let decisions = play(&drill, |_, _| Choice::Wait);
        let times: Vec<String> = decisions.iter().map(|d| s.clock.hhmm_local(d.at)).collect();
        assert_eq!(
            times,
            ["15:34", "15:38", "15:46", "17:01", "17:08", "17:40"]
        );
        assert_eq!(drill.day(&decisions).0, drill.record());
        assert!(drill.start() < decisions[0].at);
    }

    #[test]
    fn an_early_rollback_brings_the_service_back_sooner_and_the_stop_moves_with_it() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let decisions = play(&drill, |k, offered| {
            if k == 2 {
                assert!(offered.contains(&Choice::Act(ActionId::RollBack)));
                Choice::Act(ActionId::RollBack)
            } else {
                Choice::Wait
            }
        });
        let back = decisions
            .iter()
            .find(|d| e.injects[d.inject].record_id == "reinstated")
            .unwrap();
        assert_eq!(
            s.clock.hhmm_local(back.at),
            "16:06",
            "the model's 20 minutes to reinstate a known cause, from 15:46"
        );
        // Its card is written from the learner's day, and the rollback is not offered again.
        let (day, _) = drill.day(&decisions[..3]);
        let stop = drill.next_stop(&decisions[..3]).unwrap();
        assert!(stop.own);
        let card = drill.card(&stop, &day);
        assert_eq!(card.title, "The service is back");
        assert!(!drill
            .choices(&stop, &decisions[..3])
            .contains(&Choice::Act(ActionId::RollBack)));
        // What it changed, against waiting at 15:46.
        let c = drill.consequence(&decisions[..2], &decisions[2]);
        let back = c
            .changes
            .iter()
            .find(|c| c.effect == Effect::ServiceBack)
            .unwrap();
        // Decided a second after the news (`DECIDE_AFTER`): back at 16:06:01, not 17:01.
        assert_eq!(back.delta, -((55 * MINUTE - DECIDE_AFTER) as f64));
        assert_eq!(Effect::ServiceBack.describe(back.delta), "55 min earlier");
        assert!(c.why_nothing.is_none());
    }

    #[test]
    fn a_decision_that_changes_nothing_says_why() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let first = drill.next_stop(&[]).unwrap();
        let wait = Decision {
            inject: first.inject,
            at: first.at,
            choice: Choice::Wait,
            confidence: Confidence::Low,
        };
        let c = drill.consequence(&[], &wait);
        assert!(c.changes.is_empty());
        assert_eq!(
            c.why_nothing.as_deref(),
            Some("You let the day run as it did.")
        );
        let post = Decision {
            choice: Choice::Act(ActionId::PostStatus),
            ..wait
        };
        assert!(drill
            .consequence(&[], &post)
            .changes
            .iter()
            .any(|c| c.effect == Effect::CustomersTold && c.delta < 0.0));
    }

    /// Every text a learner reads before the debrief, on every path of first choices: nothing
    /// withheld, no later time.
    #[test]
    fn no_stop_gives_anything_away_on_any_path() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let mut paths = 0;
        // Every choice at each of the first three stops, then each choice again everywhere after.
        for a in Choice::all() {
            for b in Choice::all() {
                for c in Choice::all() {
                    let script = [a, b, c];
                    let mut decisions: Vec<Decision> = Vec::new();
                    while let Some(stop) = drill.next_stop(&decisions) {
                        let (day, _) = drill.day(&decisions);
                        let check = drill.withholding(&day);
                        let card = drill.card(&stop, &day);
                        let offered = drill.choices(&stop, &decisions);
                        let mut texts: Vec<String> = vec![card.title.clone()];
                        texts.extend(card.passages.iter().cloned());
                        texts.extend(card.questions.iter().cloned());
                        texts.extend(card.record.iter().map(|q| q.quote.clone()));
                        texts.extend(offered.iter().map(|c| c.label().to_string()));
                        texts.extend(offered.iter().map(|c| c.help().to_string()));
                        for t in &texts {
                            assert!(
                                check.is_safe(t, stop.at),
                                "{t:?} at {}",
                                s.clock.hhmm_local(stop.at)
                            );
                            for banned in ["18:05", "Resolved", "2 h 31", "merged", "reinstat"] {
                                assert!(!t.contains(banned), "{t:?}");
                            }
                            assert!(before_debrief(t), "{t:?}");
                        }
                        let wanted = script.get(decisions.len()).copied().unwrap_or(Choice::Wait);
                        let choice = if offered.contains(&wanted) {
                            wanted
                        } else {
                            Choice::Wait
                        };
                        let d = Decision {
                            inject: stop.inject,
                            at: stop.at,
                            choice,
                            confidence: Confidence::High,
                        };
                        let consequence = drill.consequence(&decisions, &d);
                        let later_check =
                            drill.withholding(&drill.day(&[decisions.clone(), vec![d]].concat()).0);
                        for t in consequence.why_nothing.iter() {
                            assert!(
                                later_check.is_safe(t, stop.at) && before_debrief(t),
                                "{t:?}"
                            );
                        }
                        decisions.push(d);
                    }
                    assert_eq!(decisions.len(), e.injects.len() - 1, "every stop once");
                    paths += 1;
                }
            }
        }
        assert_eq!(paths, 216);
    }
}

/// The debrief's timeline: the learner's day and the record on one time axis, as fractions of
/// its width (the SVG only draws them).
#[derive(Clone, Debug, PartialEq)]
pub struct DayChart {
    /// (position 0–1, `15:00`), on the hour.
    pub ticks: Vec<(f64, String)>,
    /// The learner's day, then the record.
    pub lanes: [ChartLane; 2],
}

/// One day on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartLane {
    pub label: &'static str,
    /// The service down: from its going to its coming back.
    pub down: Option<(f64, f64)>,
    /// The missed events waiting to be replayed: from the service's return to the replay's end.
    pub replay: Option<(f64, f64)>,
    pub noticed: Option<f64>,
    pub resolved: Option<f64>,
}

/// Lays out the learner's day and the record on one axis, from a quarter hour before the service
/// went to a quarter hour after the later resolution.
pub fn day_chart(scenario: &Scenario, day: &RunRecord, record: &RunRecord) -> DayChart {
    let quarter = 15 * MINUTE;
    let start = day.gone_at.or(record.gone_at).unwrap_or(0);
    let end = [
        day.resolved_at,
        record.resolved_at,
        day.recovered_at,
        record.recovered_at,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(start + 4 * 60 * MINUTE);
    let from = (start - quarter).div_euclid(quarter) * quarter;
    let to = (end + 2 * quarter - 1).div_euclid(quarter) * quarter;
    let x = |t: SimTime| (t - from) as f64 / (to - from) as f64;
    let hour = 60 * MINUTE;
    let first_hour = (from + hour - 1).div_euclid(hour) * hour;
    let ticks = (0..)
        .map(|k| first_hour + k * hour)
        .take_while(|&t| t <= to)
        .map(|t| (x(t), scenario.clock.hhmm_local(t)))
        .collect();
    let lane = |label, r: &RunRecord| ChartLane {
        label,
        down: r.gone_at.zip(r.restored_at).map(|(a, b)| (x(a), x(b))),
        replay: r.restored_at.zip(r.recovered_at).map(|(a, b)| (x(a), x(b))),
        noticed: r.detected_at.map(x),
        resolved: r.resolved_at.map(x),
    };
    DayChart {
        ticks,
        lanes: [lane("Your day", day), lane("The record", record)],
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod chart_tests {
    use super::*;

    #[test]
    fn both_days_fit_one_axis_on_the_hour() {
        let (s, e) = tests::setup();
        let drill = Drill::new(&s, &e);
        let decisions = tests::play(&drill, |k, _| {
            if k == 2 {
                Choice::Act(ActionId::RollBack)
            } else {
                Choice::Wait
            }
        });
        let (day, _) = drill.day(&decisions);
        let chart = day_chart(&s, &day, &drill.record());
        let labels: Vec<&str> = chart.ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["15:00", "16:00", "17:00", "18:00"]);
        for lane in &chart.lanes {
            for v in [
                lane.down.unwrap().0,
                lane.down.unwrap().1,
                lane.replay.unwrap().1,
                lane.noticed.unwrap(),
                lane.resolved.unwrap(),
            ] {
                assert!((0.0..=1.0).contains(&v), "{v}");
            }
        }
        let [yours, record] = &chart.lanes;
        assert!(
            yours.down.unwrap().1 < record.down.unwrap().1,
            "your service came back first"
        );
        assert_eq!(yours.noticed, record.noticed);
    }
}
