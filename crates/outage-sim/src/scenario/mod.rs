//! The typed scenario: the incident as recorded (with source lines), the assumptions the record
//! leaves open, and the delays of every step of the response chain. A `Scenario` only exists once
//! it has been validated, so the engine never checks it again.

mod builtin;
mod read;
mod spec;
mod validate;

use serde::Serialize;

pub use builtin::{builtin, builtin_ids, BUILTIN_EPTURA};
pub use spec::*;
pub use validate::{parse_scenario, validate_spec, Problem, ScenarioError};

use crate::provenance::Provenance;
use crate::time::{Clock, Millis, SimTime};

/// The swimlanes of the timeline, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    Change,
    Service,
    Detection,
    People,
    Customers,
    Data,
}

impl Lane {
    pub const ALL: [Lane; 6] = [
        Lane::Change,
        Lane::Service,
        Lane::Detection,
        Lane::People,
        Lane::Customers,
        Lane::Data,
    ];

    /// The id used in files, URLs and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Lane::Change => "change",
            Lane::Service => "service",
            Lane::Detection => "detection",
            Lane::People => "people",
            Lane::Customers => "customers",
            Lane::Data => "data",
        }
    }

    /// The heading people read.
    pub fn label(self) -> &'static str {
        match self {
            Lane::Change => "Change & deploy",
            Lane::Service => "Service health",
            Lane::Detection => "Detection & alerting",
            Lane::People => "People & escalation",
            Lane::Customers => "Customers & status page",
            Lane::Data => "Data: missed calendar events",
        }
    }

    pub fn from_id(id: &str) -> Option<Lane> {
        Lane::ALL.into_iter().find(|lane| lane.id() == id)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One quoted line of the postmortem or status page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quote {
    pub section: String,
    pub quote: String,
}

/// An event as the record states it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordEvent {
    pub id: String,
    /// `None` when the record does not say when it happened.
    pub at: Option<SimTime>,
    pub lane: Lane,
    pub title: String,
    pub note: Option<String>,
    pub epilogue: bool,
    pub sources: Vec<Quote>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceInfo {
    pub title: String,
    pub publisher: String,
    pub published: String,
}

/// What the postmortem calls the duration, and the two events it runs between.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportedDuration {
    pub value: Millis,
    pub from: String,
    pub to: String,
    pub source: Quote,
}

/// An instant the record leaves open, with its allowed range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeAssumption {
    pub label: String,
    pub at: SimTime,
    pub min: SimTime,
    pub max: SimTime,
    pub provenance: Provenance,
}

/// A number the record leaves open, with its allowed range and unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NumberAssumption {
    pub label: String,
    pub value: f64,
    pub min: f64,
    pub max: f64,
    pub unit: String,
    pub provenance: Provenance,
}

/// The adjustable assumptions of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assumptions {
    pub impact_start: TimeAssumption,
    pub sites: NumberAssumption,
    pub events_per_site_hour: NumberAssumption,
    pub replay_horizon_s: NumberAssumption,
    pub manual_duplicate_share: NumberAssumption,
    pub slo_target: NumberAssumption,
    pub slo_window_days: NumberAssumption,
}

impl Assumptions {
    /// The numeric assumptions by their ids, in a stable order.
    pub fn numbers(&self) -> [(&'static str, &NumberAssumption); 6] {
        [
            ("sites", &self.sites),
            ("events_per_site_hour", &self.events_per_site_hour),
            ("replay_horizon_s", &self.replay_horizon_s),
            ("manual_duplicate_share", &self.manual_duplicate_share),
            ("slo_target", &self.slo_target),
            ("slo_window_days", &self.slo_window_days),
        ]
    }

    fn number_mut(&mut self, id: &str) -> Option<&mut NumberAssumption> {
        Some(match id {
            "sites" => &mut self.sites,
            "events_per_site_hour" => &mut self.events_per_site_hour,
            "replay_horizon_s" => &mut self.replay_horizon_s,
            "manual_duplicate_share" => &mut self.manual_duplicate_share,
            "slo_target" => &mut self.slo_target,
            "slo_window_days" => &mut self.slo_window_days,
            _ => return None,
        })
    }
}

/// One end of a measured delay.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Anchor {
    /// The `impact_start` assumption (moves when the user moves it).
    ImpactStart,
    /// A timed record event.
    Record { id: String, at: SimTime },
}

/// How a step's median is known.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Median {
    /// Measured in the record between two moments.
    Between { from: Anchor, to: Anchor },
    /// Stated directly.
    Fixed { ms: Millis },
}

/// A log-normal delay of the response chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub label: String,
    pub median: Median,
    /// Standard deviation of the delay's natural logarithm (0 = always the median).
    pub sigma: f64,
    pub provenance: Provenance,
    pub spread_provenance: Provenance,
}

/// A delay drawn uniformly within a poll interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UniformStep {
    pub label: String,
    pub max: Millis,
    pub provenance: Provenance,
}

impl UniformStep {
    /// The delay used when the step is replayed as recorded: half the interval.
    pub fn median(&self) -> Millis {
        self.max / 2
    }
}

/// Every delay of the response chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Steps {
    pub gitops_sync: UniformStep,
    pub human_discovery: Step,
    pub notify_owner: Step,
    pub mobilize: Step,
    pub status_post: Step,
    pub diagnose_and_reinstate: Step,
    pub confirm: Step,
    pub request_recovery: Step,
    pub status_monitoring: Step,
    pub manual_replay: Step,
    pub resolve: Step,
    pub chat_notice: Step,
}

impl Steps {
    /// The log-normal steps with their ids, in chain order.
    pub fn chain(&self) -> [(&'static str, &Step); 11] {
        [
            ("human_discovery", &self.human_discovery),
            ("notify_owner", &self.notify_owner),
            ("mobilize", &self.mobilize),
            ("status_post", &self.status_post),
            ("diagnose_and_reinstate", &self.diagnose_and_reinstate),
            ("confirm", &self.confirm),
            ("request_recovery", &self.request_recovery),
            ("status_monitoring", &self.status_monitoring),
            ("manual_replay", &self.manual_replay),
            ("resolve", &self.resolve),
            ("chat_notice", &self.chat_notice),
        ]
    }
}

/// A validated scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub source: SourceInfo,
    pub zone_label: String,
    pub zone_note: String,
    #[serde(skip)]
    pub clock: Clock,
    /// Sorted by time (untimed events first, epilogue last); ties keep the file's order.
    pub record: Vec<RecordEvent>,
    pub reported_duration: ReportedDuration,
    pub assumptions: Assumptions,
    pub steps: Steps,
}

/// A change to an assumption that was refused, naming the assumption and the rule.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AssumptionError {
    #[error("unknown assumption '{0}' (known: impact_start, sites, events_per_site_hour, replay_horizon_s, manual_duplicate_share, slo_target, slo_window_days)")]
    Unknown(String),
    #[error("assumption '{id}' must be between {min} and {max}, got {value}")]
    OutOfRange {
        id: String,
        value: String,
        min: String,
        max: String,
    },
    #[error("assumption '{id}': {message}")]
    Invalid { id: String, message: String },
}

impl Scenario {
    /// A record event by id.
    pub fn event(&self, id: &str) -> Option<&RecordEvent> {
        self.record.iter().find(|e| e.id == id)
    }

    /// The time of a timed record event.
    pub fn event_time(&self, id: &str) -> Option<SimTime> {
        self.event(id).and_then(|e| e.at)
    }

    /// The assumed moment the service disappeared.
    pub fn impact_start(&self) -> SimTime {
        self.assumptions.impact_start.at
    }

    /// The median of a step, in milliseconds, with the current assumptions.
    pub fn median(&self, step: &Step) -> Millis {
        match &step.median {
            Median::Fixed { ms } => *ms,
            Median::Between { from, to } => self.anchor_time(to) - self.anchor_time(from),
        }
    }

    fn anchor_time(&self, anchor: &Anchor) -> SimTime {
        match anchor {
            Anchor::ImpactStart => self.assumptions.impact_start.at,
            Anchor::Record { at, .. } => *at,
        }
    }

    /// Moves the assumed impact start; refused outside its range.
    pub fn set_impact_start(&mut self, at: SimTime) -> Result<(), AssumptionError> {
        let a = &mut self.assumptions.impact_start;
        if at < a.min || at > a.max {
            return Err(AssumptionError::OutOfRange {
                id: "impact_start".into(),
                value: self.clock.hhmm_local(at),
                min: self.clock.hhmm_local(a.min),
                max: self.clock.hhmm_local(a.max),
            });
        }
        a.at = at;
        Ok(())
    }

    /// Sets a numeric assumption by id; refused outside its range.
    pub fn set_assumption(&mut self, id: &str, value: f64) -> Result<(), AssumptionError> {
        let a = self
            .assumptions
            .number_mut(id)
            .ok_or_else(|| AssumptionError::Unknown(id.to_string()))?;
        if !value.is_finite() || value < a.min || value > a.max {
            return Err(AssumptionError::OutOfRange {
                id: id.to_string(),
                value: crate::numfmt::trimmed(value, 6),
                min: crate::numfmt::trimmed(a.min, 6),
                max: crate::numfmt::trimmed(a.max, 6),
            });
        }
        a.value = value;
        Ok(())
    }

    /// Sets an assumption from text, as given on a command line: `impact_start=13:05` (local
    /// time on the incident's day, or RFC 3339) or `sites=40`.
    pub fn set_assumption_text(&mut self, id: &str, value: &str) -> Result<(), AssumptionError> {
        if id == "impact_start" {
            let at = self
                .parse_local_time(value)
                .ok_or_else(|| AssumptionError::Invalid {
                    id: id.into(),
                    message: format!(
                        "'{value}' is not a time like 14:34 or 2024-07-10T14:34:00-05:00"
                    ),
                })?;
            return self.set_impact_start(at);
        }
        let number =
            crate::numfmt::parse_decimal(value).ok_or_else(|| AssumptionError::Invalid {
                id: id.into(),
                message: format!("'{value}' is not a plain decimal number of at most 15 digits"),
            })?;
        self.set_assumption(id, number)
    }

    /// `HH:MM` on the origin's day in the local zone, or a full RFC 3339 instant.
    pub fn parse_local_time(&self, text: &str) -> Option<SimTime> {
        let text = text.trim();
        if let Ok(at) = crate::time::parse_rfc3339(text) {
            return Some(self.clock.sim_time(at));
        }
        let (h, m) = text.split_once(':')?;
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        if !(0..24).contains(&h) || !(0..60).contains(&m) {
            return None;
        }
        Some(self.clock.on_origin_day(h, m))
    }
}
