//! What the room's decisions did, for the outcome slide and the after-action report (pure,
//! tested natively): the room's day against the record, and each decision's consequence, read
//! as the difference between the room's day and the same day without that one decision (every
//! other decision and curveball kept). A curveball's consequence is read the same way.
//!
//! The words are the room's: "because you rolled back at 15:50: service back 1 h 11 min
//! earlier". A decision that changed nothing says so.

use outage_sim::exercise::Exercise;
use outage_sim::intervention::{
    ActionId, Intervention, InterventionKind, Interventions, RoomAction,
};
use outage_sim::metrics::RunRecord;
use outage_sim::metrics::{Metric, Unit};
use outage_sim::scenario::Scenario;
use outage_sim::{human_duration, room_day, Config, SimTime};

/// The metrics a consequence is told in, in the order a room would ask about them.
pub const TOLD: [Metric; 6] = [
    Metric::TimeToDetect,
    Metric::FirstCustomerMessage,
    Metric::TimeToMitigate,
    Metric::TimeToRecoverData,
    Metric::TimeToResolve,
    Metric::LostEvents,
];

/// Durations closer than this are the same.
const SAME: f64 = 30_000.0;

/// A difference in one metric, with its words.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub metric: Metric,
    /// This day's value minus the other's, in the metric's units (negative: sooner or fewer).
    pub delta: f64,
    /// "service back 1 h 11 min earlier".
    pub text: String,
}

/// What one intervention did.
#[derive(Clone, Debug, PartialEq)]
pub struct Consequence {
    pub at: SimTime,
    /// The room's decision (its index among the interventions), or a curveball.
    pub curveball: bool,
    /// "because you rolled back at 15:50".
    pub because: String,
    /// Empty when it changed nothing.
    pub effects: Vec<Effect>,
}

impl Consequence {
    /// "because you rolled back at 15:50: service back 1 h 11 min earlier".
    pub fn sentence(&self) -> String {
        if self.effects.is_empty() {
            format!("{}: nothing changed in the simulated day", self.because)
        } else {
            let effects: Vec<&str> = self.effects.iter().map(|e| e.text.as_str()).collect();
            format!("{}: {}", self.because, effects.join(", "))
        }
    }
}

fn what(m: Metric) -> &'static str {
    match m {
        Metric::TimeToDetect => "outage noticed",
        Metric::FirstCustomerMessage => "customers told",
        Metric::TimeToMitigate => "service back",
        Metric::TimeToRecoverData => "missed events replayed",
        Metric::TimeToResolve => "resolved",
        Metric::TimeToAcknowledge => "owning team on it",
        _ => "",
    }
}

/// How `day` differs from `other`, in the told metrics.
pub fn effects(day: &RunRecord, other: &RunRecord) -> Vec<Effect> {
    let mut out = Vec::new();
    for m in TOLD {
        let value = |r: &RunRecord| m.applies(r).then(|| m.value(r)).flatten();
        let (Some(a), Some(b)) = (value(day), value(other)) else {
            continue;
        };
        let delta = a - b;
        let text = match m.unit() {
            Unit::Duration if delta.abs() >= SAME => format!(
                "{} {} {}",
                what(m),
                human_duration(delta.abs() as i64),
                if delta < 0.0 { "earlier" } else { "later" }
            ),
            Unit::Count if delta.abs() >= 1.0 => format!(
                "{} {} calendar events lost",
                m.format(delta.abs().round()),
                if delta < 0.0 { "fewer" } else { "more" }
            ),
            _ => continue,
        };
        out.push(Effect {
            metric: m,
            delta,
            text,
        });
    }
    out
}

/// How the room says what it did: "rolled back", "switched on the uptime check".
pub fn verb(action: &RoomAction) -> String {
    match action {
        RoomAction::PageOnCall { .. } => "paged on-call".into(),
        RoomAction::EscalateLeadership => "escalated to leadership".into(),
        RoomAction::RollBack => "rolled back".into(),
        RoomAction::PostStatus => "posted to the status page".into(),
        RoomAction::StartLooper => "started the event sync looper".into(),
        RoomAction::EnableSafeguard { safeguard, .. } => {
            format!("switched on the {}", safeguard.name().to_lowercase())
        }
    }
}

/// The consequence of each intervention, in time order: the day with all of them against the
/// day without that one.
pub fn consequences(
    scenario: &Scenario,
    exercise: &Exercise,
    interventions: &Interventions,
    seed: u64,
) -> Vec<Consequence> {
    let all: Vec<Intervention> = interventions.as_slice().to_vec();
    let (day, _) = room_day(scenario, &Config::none(), interventions, seed);
    all.iter()
        .enumerate()
        .map(|(k, i)| {
            let mut others = all.clone();
            others.remove(k);
            let others = Interventions::new(others).unwrap_or(Interventions::NONE);
            let (without, _) = room_day(scenario, &Config::none(), &others, seed);
            let when = scenario.clock.hhmm_local(i.at);
            let (because, curveball) = match &i.kind {
                InterventionKind::Room(a) => (format!("because you {} at {when}", verb(a)), false),
                InterventionKind::Curveball(c) => (
                    format!(
                        "because of the curveball at {when} ({})",
                        exercise
                            .curveball_card(c.id())
                            .map_or(c.id().label(), |card| card.title.as_str())
                            .to_lowercase()
                    ),
                    true,
                ),
            };
            Consequence {
                at: i.at,
                curveball,
                because,
                effects: effects(&day, &without),
            }
        })
        .collect()
}

/// The metric a room action bears on most.
pub fn key_metric(action: ActionId) -> Metric {
    match action {
        ActionId::PageOnCall | ActionId::EscalateLeadership => Metric::TimeToAcknowledge,
        ActionId::RollBack => Metric::TimeToMitigate,
        ActionId::PostStatus => Metric::FirstCustomerMessage,
        ActionId::StartLooper => Metric::TimeToRecoverData,
        ActionId::EnableSafeguard => Metric::TimeToDetect,
    }
}

/// What the record did where the room took an action, in words with its time.
pub fn on_the_day(action: ActionId, record: &RunRecord, scenario: &Scenario) -> String {
    let at = |t: Option<SimTime>| {
        t.map(|t| scenario.clock.hhmm_local(t))
            .unwrap_or_else(|| "never".into())
    };
    match action {
        ActionId::PageOnCall => format!(
            "PagerDuty triggered by hand; responders gathered at {}",
            at(record.mobilized_at)
        ),
        ActionId::EscalateLeadership => format!(
            "Cloud Operations and leadership notified at {}",
            at(record.acknowledged_at)
        ),
        ActionId::RollBack => format!(
            "the previous release reinstated at {}, after diagnosis",
            at(record.restored_at)
        ),
        ActionId::PostStatus => format!("first status post at {}", at(record.first_post_at)),
        ActionId::StartLooper => format!(
            "looper requested at {}, missed events replayed by {}",
            at(record.recovery_started_at),
            at(record.recovered_at)
        ),
        ActionId::EnableSafeguard => "no such safeguard on the day".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::counterfactual;
    use outage_sim::exercise::builtin_exercise;
    use outage_sim::scenario::builtin;

    fn setup() -> (Scenario, Exercise) {
        let s = builtin("eptura-2024-07-10").unwrap();
        let e = builtin_exercise(&s.id).unwrap();
        (s, e)
    }

    #[test]
    fn an_early_rollback_brings_the_service_back_earlier_and_says_so() {
        let (s, e) = setup();
        let roll_back = e.parse_intervention(&s, "15:50=roll_back", false).unwrap();
        let room = Interventions::new(vec![roll_back]).unwrap();
        let c = consequences(&s, &e, &room, 1);
        assert_eq!(c.len(), 1);
        let sentence = c[0].sentence();
        assert!(
            sentence.starts_with("because you rolled back at 15:50: "),
            "{sentence}"
        );
        let back = c[0]
            .effects
            .iter()
            .find(|e| e.metric == Metric::TimeToMitigate)
            .expect("the service comes back at another time");
        assert!(
            back.delta < 0.0 && back.text.ends_with("earlier"),
            "{}",
            back.text
        );
        // The difference is the one between the two runs, to the millisecond.
        let (day, _) = room_day(&s, &Config::none(), &room, 1);
        let (record, _) = counterfactual(&s, &Config::none(), 1);
        assert_eq!(
            back.delta,
            (day.restored_at.unwrap() - record.restored_at.unwrap()) as f64
        );
    }

    #[test]
    fn a_decision_that_changes_nothing_says_so_and_a_curveball_counts_too() {
        let (s, e) = setup();
        // Paged after the record's own page: nothing to change.
        let late_page = e
            .parse_intervention(&s, "17:30=page_on_call", false)
            .unwrap();
        let pager_down = e.parse_intervention(&s, "15:40=pager_down", true).unwrap();
        let room = Interventions::new(vec![late_page, pager_down]).unwrap();
        let c = consequences(&s, &e, &room, 1);
        let page = c.iter().find(|c| !c.curveball).unwrap();
        assert!(page.effects.is_empty());
        assert!(page
            .sentence()
            .ends_with("nothing changed in the simulated day"));
        let curveball = c.iter().find(|c| c.curveball).unwrap();
        assert!(
            curveball.because.contains("the pager is down"),
            "{}",
            curveball.because
        );
        assert!(
            curveball.effects.iter().all(|e| e.delta >= 0.0),
            "the pager down only delays: {:?}",
            curveball.effects
        );
    }

    #[test]
    fn the_record_s_counterpart_of_each_action_has_its_time() {
        let (s, _) = setup();
        let (record, _) = counterfactual(&s, &Config::none(), 1);
        assert_eq!(
            on_the_day(ActionId::RollBack, &record, &s),
            "the previous release reinstated at 17:01, after diagnosis"
        );
        assert!(on_the_day(ActionId::PageOnCall, &record, &s).contains("15:46"));
        for a in ActionId::ALL {
            assert!(!on_the_day(a, &record, &s).is_empty());
            let _ = key_metric(a);
        }
    }
}
