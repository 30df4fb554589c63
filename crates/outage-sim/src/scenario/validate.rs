//! Turns scenario JSON into a typed `Scenario`, or into every problem found, each naming the
//! field (a JSON path such as `record[3].at`) and the rule it breaks.

use std::collections::HashSet;

use super::*;
use crate::limits::{MAX_GITOPS_SYNC_MS, MAX_STEP_MS, SIGMA};
use crate::time::{parse_offset, parse_rfc3339, Stamp};

pub use crate::input::{InputError as ScenarioError, Problem};

/// The scenario format this build reads. Version 2: a recorded step's median comes from the
/// step table's two record moments (the file gives its spread only); assumptions say what they
/// are based on; the diagnosis-cue and per-site assumptions and the known-cause reinstatement
/// step were added. Version 3: the Monte Carlo calibration may be stored (`calibration`); the
/// tail, status cadence, working day and delivery-path assumptions were added and the change
/// cue fades (`change_cue_half_life_s` instead of a window).
pub const SCHEMA: u32 = 3;

/// Parses and validates scenario JSON text (see `parse_scenario_bytes`).
pub fn parse_scenario(json: &str) -> Result<Scenario, ScenarioError> {
    parse_scenario_bytes(json.as_bytes())
}

/// Parses and validates a scenario file's bytes with the project's one reader (`input`): the
/// command line, the page and the worker give it the file as read, so all three accept and
/// refuse the same bytes with the same problems.
pub fn parse_scenario_bytes(bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    read_scenario(&crate::input::parse(bytes, crate::input::SCENARIO_FILE)?)
}

/// Reads and validates a scenario from its JSON tree (a file parsed by `input::parse`, or one
/// kept inside a stored record).
pub fn read_scenario(value: &serde_json::Value) -> Result<Scenario, ScenarioError> {
    let mut reader = crate::input::Reader::new();
    let spec = super::read::read_spec(&mut reader, value);
    match spec {
        Some(spec) if reader.problems.is_empty() => validate_spec(&spec),
        Some(spec) => {
            // Shape problems first, then whatever rules the readable parts break.
            // A rule broken under a field that is already reported as malformed says nothing new.
            let mut problems = reader.problems;
            let shape: Vec<String> = problems.iter().map(|p| p.path.clone()).collect();
            if let Err(ScenarioError::Invalid(more)) = validate_spec(&spec) {
                problems.extend(
                    more.into_iter()
                        .filter(|p| !shape.iter().any(|q| p.path.starts_with(q.as_str()))),
                );
            }
            Err(ScenarioError::Invalid(problems))
        }
        None => Err(ScenarioError::Invalid(reader.problems)),
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn non_empty(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(path, "must not be empty");
        }
    }

    fn instant(&mut self, path: &str, value: &str) -> Option<Stamp> {
        match parse_rfc3339(value) {
            Ok(at) => Some(at),
            Err(err) => {
                self.fail(
                    path,
                    format!("'{value}' is not an RFC 3339 time with an offset, such as 2024-07-10T15:34:00-05:00 ({err})"),
                );
                None
            }
        }
    }

    fn slug(&mut self, path: &str, value: &str) {
        if let Some(why) = crate::input::slug_problem(value) {
            self.fail(path, why);
        }
    }

    fn provenance(&mut self, path: &str, provenance: &Provenance) {
        if provenance.note().trim().is_empty() {
            self.fail(
                format!("{path}.note"),
                "must say where the number comes from",
            );
        }
    }

    /// A duration in seconds as whole milliseconds: finite, more than 0, at most `max_s`, and
    /// not so short that it rounds to 0 ms.
    fn duration_ms(&mut self, path: &str, seconds: f64, max_s: f64) -> Option<Millis> {
        if !(seconds.is_finite() && seconds > 0.0 && seconds <= max_s) {
            self.fail(
                path,
                format!(
                    "must be more than 0 and at most {} s",
                    crate::numfmt::trimmed(max_s, 3)
                ),
            );
            return None;
        }
        let ms = (seconds * 1000.0).round();
        if ms < 1.0 {
            self.fail(
                path,
                format!(
                    "{} s rounds to 0 ms; a delay must be at least 1 ms",
                    crate::numfmt::trimmed(seconds, 9)
                ),
            );
            return None;
        }
        Some(ms as Millis)
    }
}

/// Validates a parsed spec into a scenario, or returns every problem found.
pub fn validate_spec(spec: &ScenarioSpec) -> Result<Scenario, ScenarioError> {
    let mut c = Checker {
        problems: Vec::new(),
    };

    if spec.schema != SCHEMA {
        c.fail(
            "schema",
            format!(
                "unsupported schema version {} (this build reads version {SCHEMA})",
                spec.schema
            ),
        );
    }
    c.slug("id", &spec.id);
    c.non_empty("title", &spec.title);
    c.non_empty("source.title", &spec.source.title);
    c.instant("source.published", &spec.source.published);
    c.non_empty("time_zone.label", &spec.time_zone.label);
    let zone = parse_offset(&spec.time_zone.utc_offset);
    if zone.is_none() {
        c.fail(
            "time_zone.utc_offset",
            format!(
                "'{}' is not an offset such as -05:00",
                spec.time_zone.utc_offset
            ),
        );
    }
    let origin = c.instant("origin", &spec.origin);
    if let (Some(origin), Some(zone)) = (origin, zone) {
        if *origin.offset() != zone {
            c.fail("origin", "must be written with the scenario's utc_offset");
        }
    }
    let Some(origin) = origin else {
        return Err(ScenarioError::Invalid(c.problems));
    };
    let clock = Clock::new(origin, spec.time_zone.label.clone());

    // The record.
    let mut record = Vec::with_capacity(spec.record.len());
    let mut seen = HashSet::new();
    if spec.record.is_empty() {
        c.fail("record", "must list at least one event");
    }
    for (i, event) in spec.record.iter().enumerate() {
        let path = format!("record[{i}]");
        c.slug(&format!("{path}.id"), &event.id);
        if !seen.insert(event.id.as_str()) {
            c.fail(
                format!("{path}.id"),
                format!(
                    "'{}' is used by an earlier event; ids must be unique",
                    event.id
                ),
            );
        }
        c.non_empty(&format!("{path}.title"), &event.title);
        let lane = Lane::from_id(&event.lane);
        if lane.is_none() {
            c.fail(
                format!("{path}.lane"),
                format!(
                    "'{}' is not a lane (one of: {})",
                    event.lane,
                    Lane::ALL.map(|l| l.id()).join(", ")
                ),
            );
        }
        let at = match &event.at {
            Some(text) => c
                .instant(&format!("{path}.at"), text)
                .map(|at| clock.sim_time(at)),
            None => None,
        };
        if let Some(t) = at {
            if t < 0 {
                c.fail(
                    format!("{path}.at"),
                    "must not be before the scenario's origin",
                );
            }
        }
        if event.sources.is_empty() {
            c.fail(
                format!("{path}.sources"),
                "must quote at least one source line",
            );
        }
        for (j, source) in event.sources.iter().enumerate() {
            c.non_empty(&format!("{path}.sources[{j}].section"), &source.section);
            c.non_empty(&format!("{path}.sources[{j}].quote"), &source.quote);
        }
        record.push(RecordEvent {
            id: event.id.clone(),
            at,
            lane: lane.unwrap_or(Lane::Change),
            title: event.title.clone(),
            note: event.note.clone(),
            epilogue: event.epilogue,
            sources: event
                .sources
                .iter()
                .map(|q| Quote {
                    section: q.section.clone(),
                    quote: q.quote.clone(),
                })
                .collect(),
        });
    }
    for id in chain_events() {
        match record.iter().find(|e| e.id == id) {
            None => c.fail("record", format!("must contain an event with id '{id}' (the response chain starts or ends there)")),
            Some(e) if e.at.is_none() => c.fail("record", format!("event '{id}' must have a time")),
            Some(_) => {}
        }
    }
    // Sorted by time; the stable sort keeps the file's order for ties. Untimed events first.
    record.sort_by_key(|e| (e.epilogue, e.at.unwrap_or(i64::MIN)));
    let time_of = |id: &str| record.iter().find(|e| e.id == id).and_then(|e| e.at);

    // Reported duration.
    let rd = &spec.reported_duration;
    let from = time_of(&rd.from);
    let to = time_of(&rd.to);
    if from.is_none() {
        c.fail(
            "reported_duration.from",
            format!("no timed record event has id '{}'", rd.from),
        );
    }
    if to.is_none() {
        c.fail(
            "reported_duration.to",
            format!("no timed record event has id '{}'", rd.to),
        );
    }
    // Checked: a huge value_s must not wrap around to the right number of milliseconds.
    let reported_ms = rd.value_s.checked_mul(1000);
    if reported_ms.is_none() {
        c.fail(
            "reported_duration.value_s",
            format!("{} s is too large to be a duration", rd.value_s),
        );
    }
    if let (Some(from), Some(to), Some(reported_ms)) = (from, to, reported_ms) {
        if to.checked_sub(from) != Some(reported_ms) {
            c.fail(
                "reported_duration.value_s",
                format!(
                    "is {} s but '{}' → '{}' in the record is {} s",
                    rd.value_s,
                    rd.from,
                    rd.to,
                    (to - from) / 1000
                ),
            );
        }
    }

    // Assumptions.
    let a = &spec.assumptions;
    let impact = {
        let path = "assumptions.impact_start";
        let at = c
            .instant(&format!("{path}.at"), &a.impact_start.at)
            .map(|t| clock.sim_time(t));
        let min = c
            .instant(&format!("{path}.min"), &a.impact_start.min)
            .map(|t| clock.sim_time(t));
        let max = c
            .instant(&format!("{path}.max"), &a.impact_start.max)
            .map(|t| clock.sim_time(t));
        c.provenance(&format!("{path}.provenance"), &a.impact_start.provenance);
        if let (Some(at), Some(min), Some(max)) = (at, min, max) {
            if min > max {
                c.fail(format!("{path}.min"), "must not be after max");
            } else if at < min || at > max {
                c.fail(format!("{path}.at"), "must lie between min and max");
            }
            if min < 0 {
                c.fail(
                    format!("{path}.min"),
                    "must not be before the scenario's origin",
                );
            }
            if let Some(discovered) = time_of("discovered") {
                if max >= discovered {
                    c.fail(format!("{path}.max"), "must be before the 'discovered' event: the service was gone before anyone noticed");
                }
            }
        }
        TimeAssumption {
            label: a.impact_start.label.clone(),
            at: at.unwrap_or(0),
            min: min.unwrap_or(0),
            max: max.unwrap_or(0),
            provenance: a.impact_start.provenance.clone(),
        }
    };
    let mut number = |id: AssumptionId, spec: &NumberAssumptionSpec| {
        let path = format!("assumptions.{}", id.key());
        let (lo, hi) = id.bounds();
        if spec.min.is_nan() || spec.max.is_nan() || spec.min > spec.max {
            c.fail(format!("{path}.min"), "must not be greater than max");
        }
        if spec.min < lo || spec.max > hi {
            c.fail(&path, format!("range must lie within [{lo}, {hi}]"));
        }
        if !(spec.min..=spec.max).contains(&spec.value) {
            c.fail(
                format!("{path}.value"),
                format!(
                    "{} must lie between min {} and max {}",
                    spec.value, spec.min, spec.max
                ),
            );
        }
        if let Some(reference) = spec.reference {
            if !(spec.min..=spec.max).contains(&reference) {
                c.fail(
                    format!("{path}.reference"),
                    format!(
                        "{reference} must lie between min {} and max {}",
                        spec.min, spec.max
                    ),
                );
            }
        }
        let reference = spec.reference.unwrap_or(spec.value);
        if id.whole() {
            for (field, v) in [
                ("value", spec.value),
                ("reference", reference),
                ("min", spec.min),
                ("max", spec.max),
            ] {
                if v.is_finite() && v.fract() != 0.0 {
                    c.fail(
                        format!("{path}.{field}"),
                        format!("{v} must be a whole number"),
                    );
                }
            }
        }
        c.provenance(&format!("{path}.provenance"), &spec.provenance);
        NumberAssumption {
            label: spec.label.clone(),
            value: spec.value,
            reference,
            min: spec.min,
            max: spec.max,
            unit: spec.unit.clone(),
            provenance: spec.provenance.clone(),
        }
    };
    let assumptions = Assumptions {
        impact_start: impact,
        numbers: AssumptionId::ALL.map(|id| number(id, &a.numbers[id.index()])),
    };

    // Steps.
    let s = &spec.steps;
    let gitops_sync = {
        let path = "steps.gitops_sync";
        let max = c.duration_ms(
            &format!("{path}.uniform_max_s"),
            s.gitops_sync.uniform_max_s,
            (MAX_GITOPS_SYNC_MS / 1000) as f64,
        );
        c.provenance(&format!("{path}.provenance"), &s.gitops_sync.provenance);
        UniformStep {
            label: s.gitops_sync.label.clone(),
            max: max.unwrap_or(1),
            provenance: s.gitops_sync.provenance.clone(),
        }
    };
    let by_id = StepId::ALL.map(|id| {
        let spec = &s.by_id[id.index()];
        let path = format!("steps.{}", id.key());
        if !SIGMA.contains(&spec.sigma) {
            c.fail(
                format!("{path}.sigma"),
                format!(
                    "{} must be between {} and {}",
                    spec.sigma,
                    SIGMA.start(),
                    SIGMA.end()
                ),
            );
        }
        let (median, provenance) = match id.row().kind {
            StepKind::Recorded { from, to } => {
                let from_id = match from {
                    Endpoint::ImpactStart => "impact_start",
                    Endpoint::Record(id) => id,
                };
                // A variant may replace the median measured in the record with its own number,
                // which then says where it comes from; otherwise the record's two lines do.
                let own = match (spec.median_s, &spec.provenance) {
                    (Some(seconds), Some(p)) => {
                        c.provenance(&format!("{path}.provenance"), p);
                        c.duration_ms(
                            &format!("{path}.median_s"),
                            seconds,
                            (MAX_STEP_MS / 1000) as f64,
                        )
                        .map(|ms| (ms, p.clone()))
                    }
                    (Some(_), None) => {
                        c.fail(
                            format!("{path}.median_s"),
                            format!("replaces the median measured in the record, from '{from_id}' to '{to}': give a provenance saying where this number comes from"),
                        );
                        None
                    }
                    (None, Some(_)) => {
                        c.fail(
                            format!("{path}.provenance"),
                            "a measured median's provenance is its two record lines; give spread_provenance only (or a median_s of your own with it)",
                        );
                        None
                    }
                    (None, None) => None,
                };
                let from = anchor(from_id, &record);
                let to = anchor(to, &record);
                let (ft, tt) = (anchor_at(&from, &assumptions), anchor_at(&to, &assumptions));
                if tt <= ft {
                    c.fail(
                        &path,
                        format!("'{to_id}' must come after '{from_id}' in the record", to_id = id.record_event().unwrap_or("?")),
                    );
                } else if tt - ft > MAX_STEP_MS {
                    c.fail(
                        &path,
                        format!(
                            "'{from_id}' → '{}' is {}; a step may last at most 30 days",
                            id.record_event().unwrap_or("?"),
                            crate::time::human_duration(tt - ft)
                        ),
                    );
                }
                match own {
                    Some((ms, provenance)) => (Median::Fixed { ms }, provenance),
                    None => {
                        let provenance =
                            measured_provenance(&from, &to, &clock, &record, &assumptions);
                        (Median::Between { from, to }, provenance)
                    }
                }
            }
            StepKind::Stated => {
                let ms = match spec.median_s {
                    Some(seconds) => c.duration_ms(
                        &format!("{path}.median_s"),
                        seconds,
                        (MAX_STEP_MS / 1000) as f64,
                    ),
                    None => {
                        c.fail(
                            format!("{path}.median_s"),
                            "missing: this step only happens with a safeguard, so the file states its median",
                        );
                        None
                    }
                };
                let provenance = match &spec.provenance {
                    Some(p) => {
                        c.provenance(&format!("{path}.provenance"), p);
                        p.clone()
                    }
                    None => {
                        c.fail(
                            format!("{path}.provenance"),
                            "a stated median_s must say where it comes from",
                        );
                        Provenance::default()
                    }
                };
                (Median::Fixed { ms: ms.unwrap_or(1) }, provenance)
            }
        };
        if let Some(p) = &spec.spread_provenance {
            c.provenance(&format!("{path}.spread_provenance"), p);
        }
        Step {
            label: spec.label.clone(),
            median,
            sigma: spec.sigma,
            spread_provenance: spec
                .spread_provenance
                .clone()
                .unwrap_or_else(|| provenance.clone()),
            provenance,
        }
    });
    let steps = Steps { gitops_sync, by_id };
    let stored = spec
        .calibration
        .as_ref()
        .map(|cal| stored_calibration(&mut c, cal));

    if !c.problems.is_empty() {
        return Err(ScenarioError::Invalid(c.problems));
    }
    let mut scenario = Scenario {
        id: spec.id.clone(),
        title: spec.title.clone(),
        summary: spec.summary.clone(),
        source: SourceInfo {
            title: spec.source.title.clone(),
            publisher: spec.source.publisher.clone(),
            published: spec.source.published.clone(),
        },
        zone_label: spec.time_zone.label.clone(),
        zone_note: spec.time_zone.note.clone(),
        clock,
        record,
        reported_duration: ReportedDuration {
            value: reported_ms.unwrap_or(0),
            from: rd.from.clone(),
            to: rd.to.clone(),
            source: Quote {
                section: rd.source.section.clone(),
                quote: rd.source.quote.clone(),
            },
        },
        assumptions,
        steps,
        calibration: Calibration::none(),
        calibration_note: String::new(),
    };
    match stored {
        Some((calibration, note)) => {
            scenario.calibration = calibration;
            scenario.calibration_note = note;
        }
        None => {
            scenario.calibration = Calibration::solve_for(&scenario);
            scenario.calibration_note = format!(
                "Solved from the record, spreads and assumptions of scenario '{}' as its file states them",
                scenario.id
            );
        }
    }
    Ok(scenario)
}

/// A calibration stored in the file: each factor within the limits, only for steps calibration
/// may move, each with the spread it was solved for.
fn stored_calibration(c: &mut Checker, spec: &CalibrationSpec) -> (Calibration, String) {
    c.non_empty("calibration.note", &spec.note);
    let mut factors = [1.0; StepId::COUNT];
    let mut sigma = [0.0; StepId::COUNT];
    for (id, step) in StepId::ALL.iter().zip(&spec.steps) {
        let Some(step) = step else {
            continue;
        };
        let path = format!("calibration.steps.{}", id.key());
        if !id.row().calibrated {
            c.fail(
                &path,
                format!("'{}' is not a step calibration may move", id.key()),
            );
            continue;
        }
        let low = 1.0 / MAX_FACTOR;
        if !(step.factor.is_finite() && (low..=MAX_FACTOR).contains(&step.factor)) {
            c.fail(
                format!("{path}.factor"),
                format!(
                    "{} must be between {} and {}",
                    crate::numfmt::trimmed(step.factor, 6),
                    low,
                    MAX_FACTOR
                ),
            );
        }
        if !(0.0..=3.0).contains(&step.sigma) {
            c.fail(
                format!("{path}.sigma"),
                format!(
                    "{} must be between 0 and 3",
                    crate::numfmt::trimmed(step.sigma, 6)
                ),
            );
        }
        factors[id.index()] = step.factor;
        sigma[id.index()] = step.sigma;
    }
    (Calibration::from_parts(factors, sigma), spec.note.clone())
}

/// A step's end as an anchor. A missing or untimed chain event is reported under `record`, so
/// here it only needs a placeholder.
fn anchor(id: &str, record: &[RecordEvent]) -> Anchor {
    if id == "impact_start" {
        return Anchor::ImpactStart;
    }
    match record.iter().find(|e| e.id == id) {
        Some(RecordEvent { at: Some(at), .. }) => Anchor::Record {
            id: id.to_string(),
            at: *at,
        },
        _ => Anchor::Record {
            id: id.to_string(),
            at: 0,
        },
    }
}

fn anchor_at(anchor: &Anchor, a: &Assumptions) -> SimTime {
    match anchor {
        Anchor::ImpactStart => a.impact_start.at,
        Anchor::Record { at, .. } => *at,
    }
}

/// The provenance of a median measured in the record: its two lines and what lies between.
pub(super) fn measured_provenance(
    from: &Anchor,
    to: &Anchor,
    clock: &Clock,
    record: &[RecordEvent],
    assumptions: &Assumptions,
) -> Provenance {
    let (ft, tt) = (anchor_at(from, assumptions), anchor_at(to, assumptions));
    let note = format!(
        "{} → {}: {}",
        describe_anchor(from, clock, record),
        describe_anchor(to, clock, record),
        crate::time::human_duration(tt.saturating_sub(ft))
    );
    // A step that starts (or ends) at the impact start is only as known as that moment, which
    // the record does not give: its median is the assumption's, however exact its other end.
    if matches!(from, Anchor::ImpactStart) || matches!(to, Anchor::ImpactStart) {
        Provenance::Assumption {
            note,
            based_on: Some(
                "the assumed impact start; the other end is a line of the record".to_string(),
            ),
        }
    } else {
        Provenance::Postmortem { note }
    }
}

fn describe_anchor(anchor: &Anchor, clock: &Clock, record: &[RecordEvent]) -> String {
    match anchor {
        Anchor::ImpactStart => "assumed impact start".to_string(),
        Anchor::Record { id, at } => {
            let section = record
                .iter()
                .find(|e| &e.id == id)
                .and_then(|e| e.sources.first())
                .map(|q| q.section.as_str())
                .unwrap_or("record");
            format!("{section} {} ({id})", clock.hhmm_local(*at))
        }
    }
}
