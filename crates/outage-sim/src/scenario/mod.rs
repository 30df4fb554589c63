//! The typed scenario: the incident as recorded (with source lines), the assumptions the record
//! leaves open, and the delays of every step of the response chain. A `Scenario` only exists once
//! it has been validated, so the engine never checks it again.
//!
//! The steps and the numeric assumptions are each one table indexed by an id (`StepId`,
//! `AssumptionId`); files, validation, the plan and generated code iterate the tables.

mod builtin;
mod calibration;
mod export;
mod read;
mod spec;
mod steps;
mod validate;
mod workload;

use std::ops::Index;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use strum::EnumCount;

pub use builtin::{builtin, builtin_ids, BUILTIN_EPTURA};
pub use calibration::{solve as solve_calibration, Calibration, CalibrationInputs, MAX_FACTOR};
pub use export::scenario_json;
pub use spec::*;
pub use steps::{chain_events, Endpoint, Scaling, StepId, StepKind, StepRow, COMPOSITES};
pub use validate::{
    parse_scenario, parse_scenario_bytes, read_scenario, validate_spec, Problem, ScenarioError,
    SCHEMA,
};
pub use workload::Workload;

use crate::limits::{MAX_GITOPS_SYNC_MS, MAX_STEP_MS, SIGMA};
use crate::provenance::Provenance;
use crate::time::{Clock, Millis, SimTime};

crate::named_enum! {
    /// The swimlanes of the timeline, top to bottom.
    pub enum Lane: id, from_id {
        Change,
        Service,
        Detection,
        People,
        Customers,
        Data,
    }
}

impl Lane {
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
    /// The value in use (a what-if may change it).
    pub value: f64,
    /// The scenario file's value: the one the record's delays are read at. A what-if that
    /// changes `value` (more sites, say) scales the steps that grow with it from here.
    pub reference: f64,
    pub min: f64,
    pub max: f64,
    pub unit: String,
    pub provenance: Provenance,
}

crate::named_enum! {
    /// The numeric assumptions of a scenario, one table: the key in files and on the command line,
    /// the hard bounds a file's range must lie within, and whether the value is a whole number.
    pub enum AssumptionId: key, from_key {
        Sites,
        EventsPerSiteHour,
        ReplayHorizonS,
        ManualDuplicateShare,
        SloTarget,
        SloWindowDays,
        ChangeCueHalfLifeS,
        PerSiteShare,
        AwayShare,
        AwayFactor,
        StatusCadenceS,
        WorkingDayStartH,
        WorkingDayEndH,
        OffHoursShare,
        NotificationRetryWindowS,
        NotificationDropShare,
        SubscriptionLifetimeS,
        MeetingLeadH,
    }
}

impl AssumptionId {
    /// (lowest, highest) a scenario may set the range to.
    pub const fn bounds(self) -> (f64, f64) {
        match self {
            AssumptionId::Sites => (1.0, 1e7),
            AssumptionId::EventsPerSiteHour => (0.0, 1e7),
            AssumptionId::ReplayHorizonS => (1.0, 1e9),
            AssumptionId::ManualDuplicateShare => (0.0, 1.0),
            AssumptionId::SloTarget => (0.5, 0.999_999),
            AssumptionId::SloWindowDays => (1.0, 3660.0),
            AssumptionId::ChangeCueHalfLifeS => (1.0, 604_800.0),
            AssumptionId::PerSiteShare => (0.0, 1.0),
            AssumptionId::AwayShare => (0.0, 1.0),
            AssumptionId::AwayFactor => (1.0, 100.0),
            AssumptionId::StatusCadenceS => (60.0, 604_800.0),
            AssumptionId::WorkingDayStartH | AssumptionId::WorkingDayEndH => (0.0, 24.0),
            AssumptionId::OffHoursShare => (0.0, 1.0),
            AssumptionId::NotificationRetryWindowS => (0.0, 2_592_000.0),
            AssumptionId::NotificationDropShare => (0.0, 1.0),
            AssumptionId::SubscriptionLifetimeS => (60.0, 31_536_000.0),
            AssumptionId::MeetingLeadH => (0.01, 100_000.0),
        }
    }

    /// Counts of things (sites) are whole numbers.
    pub const fn whole(self) -> bool {
        matches!(self, AssumptionId::Sites)
    }
}

fn known_assumptions() -> String {
    std::iter::once("impact_start")
        .chain(AssumptionId::ALL.iter().map(|a| a.key()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The adjustable assumptions of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumptions {
    pub impact_start: TimeAssumption,
    /// Indexed by `AssumptionId`.
    pub numbers: [NumberAssumption; AssumptionId::COUNT],
}

impl Index<AssumptionId> for Assumptions {
    type Output = NumberAssumption;
    fn index(&self, id: AssumptionId) -> &NumberAssumption {
        &self.numbers[id.index()]
    }
}

impl Assumptions {
    /// The value in use of a numeric assumption.
    pub fn value(&self, id: AssumptionId) -> f64 {
        self[id].value
    }

    /// The numeric assumptions by their keys, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (AssumptionId, &NumberAssumption)> {
        AssumptionId::ALL.into_iter().zip(&self.numbers)
    }
}

impl Serialize for Assumptions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + AssumptionId::COUNT))?;
        map.serialize_entry("impact_start", &self.impact_start)?;
        for (id, a) in self.iter() {
            map.serialize_entry(id.key(), a)?;
        }
        map.end()
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

/// Every delay of the response: the GitOps poll, and the log-normal steps of the step table.
#[derive(Clone, Debug, PartialEq)]
pub struct Steps {
    pub gitops_sync: UniformStep,
    /// Indexed by `StepId`.
    pub by_id: [Step; StepId::COUNT],
}

impl Index<StepId> for Steps {
    type Output = Step;
    fn index(&self, id: StepId) -> &Step {
        &self.by_id[id.index()]
    }
}

impl Steps {
    /// The log-normal steps with their ids, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (StepId, &Step)> {
        StepId::ALL.into_iter().zip(&self.by_id)
    }
}

impl Serialize for Steps {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + StepId::COUNT))?;
        map.serialize_entry("gitops_sync", &self.gitops_sync)?;
        for (id, step) in self.iter() {
            map.serialize_entry(id.key(), step)?;
        }
        map.end()
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
    /// The Monte Carlo calibration, solved once from the scenario as its file states it (or
    /// stored in the file) and never solved again for a variant (see `calibration`).
    #[serde(skip)]
    pub calibration: Calibration,
    /// Where the calibration comes from, in words.
    #[serde(skip)]
    pub calibration_note: String,
}

/// How the provenance of a number set for a variant begins.
pub const VARIANT_NOTE: &str = "Set for this variant";

/// A change to an assumption that was refused, naming the assumption and the rule.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AssumptionError {
    #[error("unknown assumption '{0}' (known: {known})", known = known_assumptions())]
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
    #[error("'{item}' is not of the form {form}")]
    Form { item: String, form: &'static str },
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
            // With its date when it is on another day (`2024-07-11 10:00 CDT`), so the message
            // names the real problem.
            return Err(AssumptionError::OutOfRange {
                id: "impact_start".into(),
                value: self.clock.describe(at),
                min: self.clock.hhmm_local(a.min),
                max: self.clock.describe(a.max),
            });
        }
        a.at = at;
        // A median measured from the assumed impact start moves with it, and so does the
        // provenance that states it.
        for step in &mut self.steps.by_id {
            if let Median::Between { from, to } = &step.median {
                if matches!(from, Anchor::ImpactStart) {
                    step.provenance = validate::measured_provenance(
                        from,
                        to,
                        &self.clock,
                        &self.record,
                        &self.assumptions,
                    );
                }
            }
        }
        Ok(())
    }

    /// Sets a numeric assumption by key; refused outside its range (and, for counts such as
    /// sites, unless whole).
    pub fn set_assumption(&mut self, id: &str, value: f64) -> Result<(), AssumptionError> {
        let key =
            AssumptionId::from_key(id).ok_or_else(|| AssumptionError::Unknown(id.to_string()))?;
        let a = &mut self.assumptions.numbers[key.index()];
        if key.whole() && value.is_finite() && value.fract() != 0.0 {
            return Err(AssumptionError::Invalid {
                id: id.to_string(),
                message: format!("{} is not a whole number", crate::numfmt::trimmed(value, 6)),
            });
        }
        if !value.is_finite() || value < a.min || value > a.max {
            return Err(AssumptionError::OutOfRange {
                id: id.to_string(),
                // Exactly as given: 0.999999999999999 is not "1".
                value: format!("{value}"),
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
            let at =
                self.clock
                    .parse_instant(value)
                    .map_err(|message| AssumptionError::Invalid {
                        id: id.into(),
                        message,
                    })?;
            return self.set_impact_start(at);
        }
        let number =
            crate::numfmt::parse_decimal(value).ok_or_else(|| AssumptionError::Invalid {
                id: id.into(),
                message: format!("'{value}' is not {}", crate::numfmt::NUMBER_SHAPES),
            })?;
        self.set_assumption(id, number)
    }

    /// Sets an assumption from an item as `--assume` and a link's `assume=` give it:
    /// `KEY=VALUE` (`sites=40`, `impact_start=13:05`).
    pub fn set_assumption_item(&mut self, item: &str) -> Result<(), AssumptionError> {
        let (key, value) = item.split_once('=').ok_or_else(|| AssumptionError::Form {
            item: item.trim().to_string(),
            form: "KEY=VALUE",
        })?;
        self.set_assumption_text(key.trim(), value.trim())
    }

    /// Changes a step from an item as `--step` and a link's `step=` give it:
    /// `STEP:key=value,...` (`mobilize:median_s=180,sigma=0.3`).
    pub fn set_step_item(&mut self, item: &str) -> Result<(), AssumptionError> {
        let (key, values) = item.split_once(':').ok_or_else(|| AssumptionError::Form {
            item: item.trim().to_string(),
            form: "STEP:key=value,...",
        })?;
        self.set_step_text(key.trim(), values)
    }

    /// Changes a step's median (milliseconds) and spread (the σ of its logarithm); `None`
    /// keeps that part. A recorded step given a median other than the record's takes it as its
    /// own number, with a provenance that says so and what the record measured; giving it the
    /// record's median again changes nothing. Refused outside (0, 30 days] and [0, 3].
    pub fn set_step(
        &mut self,
        id: StepId,
        median: Option<Millis>,
        sigma: Option<f64>,
    ) -> Result<(), AssumptionError> {
        let out_of_range = |value: String, min: &str, max: &str| AssumptionError::OutOfRange {
            id: format!("step {}", id.key()),
            value,
            min: min.into(),
            max: max.into(),
        };
        if let Some(sigma) = sigma {
            if !SIGMA.contains(&sigma) {
                return Err(out_of_range(
                    format!("{sigma}"),
                    &crate::numfmt::trimmed(*SIGMA.start(), 6),
                    &crate::numfmt::trimmed(*SIGMA.end(), 6),
                ));
            }
        }
        if let Some(ms) = median {
            if !(1..=MAX_STEP_MS).contains(&ms) {
                return Err(out_of_range(
                    format!("{} s", crate::numfmt::trimmed(ms as f64 / 1000.0, 3)),
                    "0.001 s",
                    "30 days",
                ));
            }
        }
        if let Some(ms) = median {
            let current = self.median(&self.steps[id]);
            let step = &mut self.steps.by_id[id.index()];
            if ms != current {
                // Say where the new number comes from, keeping what it replaces; a number
                // already set for a variant keeps its note (it names the record's figure).
                let note = step.provenance.note().to_string();
                let replaced = match step.median {
                    Median::Between { .. } => Some(format!(
                        "Set for this variant; the record measures {} ({note}).",
                        crate::time::human_duration(current)
                    )),
                    Median::Fixed { .. } if note.starts_with(VARIANT_NOTE) => None,
                    Median::Fixed { .. } => Some(format!(
                        "Set for this variant; the scenario file's median was {} ({note}).",
                        crate::time::human_duration(current)
                    )),
                };
                if let Some(note) = replaced {
                    step.provenance = Provenance::assumption(note);
                }
                step.median = Median::Fixed { ms };
            }
        }
        if let Some(sigma) = sigma {
            self.steps.by_id[id.index()].sigma = sigma;
        }
        Ok(())
    }

    /// Changes the longest GitOps poll delay (milliseconds); refused outside (0, 1 day].
    pub fn set_gitops_sync_max(&mut self, max: Millis) -> Result<(), AssumptionError> {
        if !(1..=MAX_GITOPS_SYNC_MS).contains(&max) {
            return Err(AssumptionError::OutOfRange {
                id: "step gitops_sync".into(),
                value: format!("{} s", crate::numfmt::trimmed(max as f64 / 1000.0, 3)),
                min: "0.001 s".into(),
                max: "1 day".into(),
            });
        }
        self.steps.gitops_sync.max = max;
        Ok(())
    }

    /// Changes a step from text, as a link or the command line gives it:
    /// `mobilize`, `median_s=180,sigma=0.3` (either or both), or `gitops_sync`,
    /// `uniform_max_s=300`.
    pub fn set_step_text(&mut self, key: &str, values: &str) -> Result<(), AssumptionError> {
        let invalid = |message: String| AssumptionError::Invalid {
            id: format!("step {key}"),
            message,
        };
        let seconds = |text: &str| -> Result<Millis, AssumptionError> {
            let s = crate::numfmt::parse_decimal(text).ok_or_else(|| {
                invalid(format!("'{text}' is not {}", crate::numfmt::NUMBER_SHAPES))
            })?;
            let ms = (s * 1000.0).round();
            if !(ms.is_finite() && ms >= 1.0 && ms <= MAX_STEP_MS as f64) {
                return Err(invalid(format!(
                    "{text} s must be at least 0.001 s and at most 30 days"
                )));
            }
            Ok(ms as Millis)
        };
        let mut median = None;
        let mut sigma = None;
        let mut uniform_max = None;
        for item in values.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| invalid(format!("'{item}' is not of the form key=value")))?;
            match (k.trim(), key == "gitops_sync") {
                ("median_s", false) if median.is_none() => median = Some(seconds(v.trim())?),
                ("sigma", false) if sigma.is_none() => {
                    sigma = Some(crate::numfmt::parse_decimal(v.trim()).ok_or_else(|| {
                        invalid(format!(
                            "sigma '{}' is not {}",
                            v.trim(),
                            crate::numfmt::NUMBER_SHAPES
                        ))
                    })?)
                }
                ("uniform_max_s", true) if uniform_max.is_none() => {
                    uniform_max = Some(seconds(v.trim())?)
                }
                (k @ ("median_s" | "sigma"), false) | (k @ "uniform_max_s", true) => {
                    return Err(invalid(format!(
                        "'{k}' is given more than once; give it once"
                    )))
                }
                (k, gitops) => {
                    return Err(invalid(format!(
                        "'{k}' is not a value of this step (expected {})",
                        if gitops {
                            "uniform_max_s"
                        } else {
                            "median_s, sigma"
                        }
                    )))
                }
            }
        }
        if key == "gitops_sync" {
            let max = uniform_max.ok_or_else(|| invalid("expected uniform_max_s=N".into()))?;
            return self.set_gitops_sync_max(max);
        }
        let id = StepId::from_key(key).ok_or_else(|| {
            invalid(format!(
                "unknown step (known: gitops_sync, {})",
                StepId::ALL.map(|s| s.key()).join(", ")
            ))
        })?;
        if median.is_none() && sigma.is_none() {
            return Err(invalid("expected median_s=N and/or sigma=S".into()));
        }
        self.set_step(id, median, sigma)
    }

    /// An instant as people write it (see `Clock::parse_instant`).
    pub fn parse_local_time(&self, text: &str) -> Option<SimTime> {
        self.clock.parse_instant(text).ok()
    }

    /// A moment of the incident's day, as the room's decisions and curveballs are timed:
    /// refused, with the day, when it lies on another day (never moved to a nearby date).
    pub fn parse_day_time(&self, text: &str) -> Result<SimTime, String> {
        let at = self.clock.parse_instant(text)?;
        if !self.clock.on_origin_date(at, false) {
            let day = self.clock.origin().date_naive();
            return Err(format!(
                "'{}' is {}, not on the incident's day: a moment of the room lies on {day}, from 00:00 to 23:59 {}",
                text.trim(),
                self.clock.describe(at),
                self.zone_label
            ));
        }
        Ok(at)
    }
}
