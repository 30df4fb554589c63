//! The raw scenario file as written in JSON, read by `read` from serde_json's parse; nothing here
//! is trusted yet. `validate` turns a `ScenarioSpec` into a typed `Scenario` or a list of problems.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use strum::EnumCount;

use super::{AssumptionId, StepId};
use crate::provenance::Provenance;

/// A number as a person writes it in a file: `120`, not `120.0`.
fn number<S: Serializer>(v: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        serializer.serialize_i64(*v as i64)
    } else {
        serializer.serialize_f64(*v)
    }
}

fn optional_number<S: Serializer>(v: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => number(v, serializer),
        None => serializer.serialize_none(),
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ScenarioSpec {
    pub schema: u32,
    pub id: String,
    pub title: String,
    pub summary: String,
    pub source: SourceSpec,
    pub time_zone: TimeZoneSpec,
    pub origin: String,
    pub record: Vec<RecordSpec>,
    pub reported_duration: ReportedDurationSpec,
    pub assumptions: AssumptionsSpec,
    pub steps: StepsSpec,
    /// The Monte Carlo calibration the file stores; solved from the file when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationSpec>,
}

/// A stored calibration (see `calibration`): where it comes from, and for each step it moves,
/// its factor and the spread it was solved for. A step not listed keeps its median (× 1).
#[derive(Clone, Debug, Default)]
pub struct CalibrationSpec {
    pub note: String,
    /// Indexed by `StepId`.
    pub steps: [Option<CalibrationStepSpec>; StepId::COUNT],
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct CalibrationStepSpec {
    pub factor: f64,
    #[serde(serialize_with = "number")]
    pub sigma: f64,
}

impl Serialize for CalibrationSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Steps<'a>(&'a [Option<CalibrationStepSpec>; StepId::COUNT]);
        impl Serialize for Steps<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                for (id, step) in StepId::ALL.iter().zip(self.0) {
                    if let Some(step) = step {
                        map.serialize_entry(id.key(), step)?;
                    }
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("note", &self.note)?;
        map.serialize_entry("steps", &Steps(&self.steps))?;
        map.end()
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SourceSpec {
    pub title: String,
    pub publisher: String,
    pub published: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TimeZoneSpec {
    pub label: String,
    pub utc_offset: String,
    pub note: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RecordSpec {
    pub id: String,
    /// RFC 3339 with an offset, or `null` when the record does not say.
    pub at: Option<String>,
    pub lane: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Happened after the day of the incident (drawn apart from the day's timeline).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub epilogue: bool,
    pub sources: Vec<QuoteSpec>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QuoteSpec {
    pub section: String,
    pub quote: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ReportedDurationSpec {
    pub value_s: i64,
    pub from: String,
    pub to: String,
    pub source: QuoteSpec,
}

#[derive(Clone, Debug, Default)]
pub struct AssumptionsSpec {
    pub impact_start: TimeAssumptionSpec,
    /// Indexed by `AssumptionId`.
    pub numbers: [NumberAssumptionSpec; AssumptionId::COUNT],
}

impl Serialize for AssumptionsSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + self.numbers.len()))?;
        map.serialize_entry("impact_start", &self.impact_start)?;
        for (id, a) in AssumptionId::ALL.iter().zip(&self.numbers) {
            map.serialize_entry(id.key(), a)?;
        }
        map.end()
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TimeAssumptionSpec {
    pub label: String,
    pub at: String,
    pub min: String,
    pub max: String,
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct NumberAssumptionSpec {
    pub label: String,
    #[serde(serialize_with = "number")]
    pub value: f64,
    /// The value the record's delays were read at, when it is not `value`: a variant that
    /// changes the sites keeps the record's 120 here, so the steps that grow with the sites
    /// scale from the record's figure rather than restarting from the variant's.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_number"
    )]
    pub reference: Option<f64>,
    #[serde(serialize_with = "number")]
    pub min: f64,
    #[serde(serialize_with = "number")]
    pub max: f64,
    pub unit: String,
    pub provenance: Provenance,
}

#[derive(Clone, Debug, Default)]
pub struct StepsSpec {
    pub gitops_sync: UniformStepSpec,
    /// Indexed by `StepId`.
    pub by_id: [StepSpec; StepId::COUNT],
}

impl Serialize for StepsSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + self.by_id.len()))?;
        map.serialize_entry("gitops_sync", &self.gitops_sync)?;
        for (id, step) in StepId::ALL.iter().zip(&self.by_id) {
            map.serialize_entry(id.key(), step)?;
        }
        map.end()
    }
}

/// A delay drawn uniformly from `[0, uniform_max_s]` (the phase of a periodic poll).
#[derive(Clone, Debug, Default, Serialize)]
pub struct UniformStepSpec {
    pub label: String,
    #[serde(serialize_with = "number")]
    pub uniform_max_s: f64,
    pub provenance: Provenance,
}

/// A log-normal delay. A recorded step's median is measured in the record (the step table says
/// between which moments), so the file usually gives only its spread; a variant may replace it
/// with its own `median_s`, which must then say where it comes from. A stated step gives its
/// median in seconds and where it comes from. `sigma` is the spread of the delay's logarithm.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StepSpec {
    pub label: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "optional_number"
    )]
    pub median_s: Option<f64>,
    #[serde(serialize_with = "number")]
    pub sigma: f64,
    /// Where a stated `median_s` comes from (a measured median's provenance is its two lines).
    /// Required with a `median_s`, whether the step is stated or recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Where the spread comes from; defaults to the median's provenance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_provenance: Option<Provenance>,
}
