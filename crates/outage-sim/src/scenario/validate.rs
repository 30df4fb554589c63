//! Turns scenario JSON into a typed `Scenario`, or into every problem found, each naming the
//! field (a JSON path such as `record[3].at`) and the rule it breaks.

use std::collections::HashSet;

use super::*;
use crate::time::{parse_offset, parse_rfc3339, Stamp};

/// One thing wrong with a scenario file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// Where: a JSON path such as `steps.notify_owner.median.from`.
    pub path: String,
    /// The rule, in words.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a scenario file was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// Not JSON, or JSON of the wrong shape (the first problem serde met).
    #[error("{path}: {message} (line {line}, column {column})")]
    Syntax {
        path: String,
        message: String,
        line: usize,
        column: usize,
    },
    /// Well-formed, but breaking rules: every problem found.
    #[error("{} problem(s): {}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
}

impl ScenarioError {
    /// Every problem as (path, message).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            ScenarioError::Syntax {
                path,
                message,
                line,
                column,
            } => vec![Problem {
                path: path.clone(),
                message: format!("{message} (line {line}, column {column})"),
            }],
            ScenarioError::Invalid(problems) => problems.clone(),
        }
    }
}

/// Parses and validates scenario JSON.
pub fn parse_scenario(json: &str) -> Result<Scenario, ScenarioError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|err| ScenarioError::Syntax {
            path: "(file)".into(),
            message: strip_position(&err.to_string()),
            line: err.line(),
            column: err.column(),
        })?;
    let mut reader = super::read::Reader {
        problems: Vec::new(),
    };
    let spec = super::read::read_spec(&mut reader, &value);
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

/// serde_json appends " at line L column C"; we report the position separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Record event ids the response chain refers to; a scenario must time all of them.
pub const CHAIN_EVENTS: [&str; 10] = [
    "discovered",
    "ops_notified",
    "paged",
    "status_investigating",
    "reinstated",
    "confirmed",
    "recovery_requested",
    "status_monitoring",
    "looper_run",
    "resolved",
];

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
        let ok = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            self.fail(
                path,
                format!(
                    "'{value}' must be a non-empty id of lowercase letters, digits, '-' or '_'"
                ),
            );
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
}

/// Validates a parsed spec into a scenario, or returns every problem found.
pub fn validate_spec(spec: &ScenarioSpec) -> Result<Scenario, ScenarioError> {
    let mut c = Checker {
        problems: Vec::new(),
    };

    if spec.schema != 1 {
        c.fail(
            "schema",
            format!(
                "unsupported schema version {} (this build reads version 1)",
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
    for id in CHAIN_EVENTS {
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
    if let (Some(from), Some(to)) = (from, to) {
        if (to - from) != rd.value_s * 1000 {
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
    let mut number = |id: &str, spec: &NumberAssumptionSpec, lo: f64, hi: f64| {
        let path = format!("assumptions.{id}");
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
        c.provenance(&format!("{path}.provenance"), &spec.provenance);
        NumberAssumption {
            label: spec.label.clone(),
            value: spec.value,
            min: spec.min,
            max: spec.max,
            unit: spec.unit.clone(),
            provenance: spec.provenance.clone(),
        }
    };
    let assumptions = Assumptions {
        impact_start: impact,
        sites: number("sites", &a.sites, 0.0, 1e7),
        events_per_site_hour: number("events_per_site_hour", &a.events_per_site_hour, 0.0, 1e7),
        replay_horizon_s: number("replay_horizon_s", &a.replay_horizon_s, 1.0, 1e9),
        manual_duplicate_share: number(
            "manual_duplicate_share",
            &a.manual_duplicate_share,
            0.0,
            1.0,
        ),
        slo_target: number("slo_target", &a.slo_target, 0.5, 0.999_999),
        slo_window_days: number("slo_window_days", &a.slo_window_days, 1.0, 3660.0),
    };

    // Steps.
    let s = &spec.steps;
    let gitops_sync = {
        let path = "steps.gitops_sync";
        if !(s.gitops_sync.uniform_max_s > 0.0 && s.gitops_sync.uniform_max_s <= 86_400.0) {
            c.fail(
                format!("{path}.uniform_max_s"),
                "must be more than 0 and at most 86400 s",
            );
        }
        c.provenance(&format!("{path}.provenance"), &s.gitops_sync.provenance);
        UniformStep {
            label: s.gitops_sync.label.clone(),
            max: (s.gitops_sync.uniform_max_s * 1000.0).round() as Millis,
            provenance: s.gitops_sync.provenance.clone(),
        }
    };
    let mut step = |id: &str, spec: &StepSpec| -> Step {
        let path = format!("steps.{id}");
        if !(0.0..=3.0).contains(&spec.sigma) {
            c.fail(
                format!("{path}.sigma"),
                format!("{} must be between 0 and 3", spec.sigma),
            );
        }
        let (median, provenance) = match (&spec.median, spec.median_s) {
            (Some(between), None) => {
                let from = anchor(
                    &mut c,
                    &format!("{path}.median.from"),
                    &between.from,
                    &record,
                    &assumptions,
                );
                let to = anchor(
                    &mut c,
                    &format!("{path}.median.to"),
                    &between.to,
                    &record,
                    &assumptions,
                );
                let (ft, tt) = (anchor_at(&from, &assumptions), anchor_at(&to, &assumptions));
                if tt <= ft {
                    c.fail(
                        format!("{path}.median"),
                        format!(
                            "'{}' must come after '{}' in the record",
                            between.to, between.from
                        ),
                    );
                }
                let provenance =
                    spec.provenance
                        .clone()
                        .unwrap_or_else(|| Provenance::Postmortem {
                            note: format!(
                                "{} → {}: {}",
                                describe_anchor(&from, &clock, &record),
                                describe_anchor(&to, &clock, &record),
                                crate::time::human_duration(tt - ft)
                            ),
                        });
                (Median::Between { from, to }, provenance)
            }
            (None, Some(seconds)) => {
                if !(seconds > 0.0 && seconds <= 30.0 * 86_400.0) {
                    c.fail(
                        format!("{path}.median_s"),
                        "must be more than 0 and at most 30 days",
                    );
                }
                let provenance = match &spec.provenance {
                    Some(p) => p.clone(),
                    None => {
                        c.fail(
                            format!("{path}.provenance"),
                            "a stated median_s must say where it comes from",
                        );
                        Provenance::Assumption {
                            note: String::new(),
                        }
                    }
                };
                (
                    Median::Fixed {
                        ms: (seconds * 1000.0).round() as Millis,
                    },
                    provenance,
                )
            }
            _ => {
                c.fail(
                    &path,
                    "needs exactly one of 'median' (between two record events) or 'median_s'",
                );
                (
                    Median::Fixed { ms: 1 },
                    Provenance::Assumption {
                        note: String::new(),
                    },
                )
            }
        };
        if let Some(p) = &spec.provenance {
            c.provenance(&format!("{path}.provenance"), p);
        }
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
    };
    let steps = Steps {
        gitops_sync,
        human_discovery: step("human_discovery", &s.human_discovery),
        notify_owner: step("notify_owner", &s.notify_owner),
        mobilize: step("mobilize", &s.mobilize),
        status_post: step("status_post", &s.status_post),
        diagnose_and_reinstate: step("diagnose_and_reinstate", &s.diagnose_and_reinstate),
        confirm: step("confirm", &s.confirm),
        request_recovery: step("request_recovery", &s.request_recovery),
        status_monitoring: step("status_monitoring", &s.status_monitoring),
        manual_replay: step("manual_replay", &s.manual_replay),
        resolve: step("resolve", &s.resolve),
        chat_notice: step("chat_notice", &s.chat_notice),
    };
    if let Median::Between { from, .. } = &steps.human_discovery.median {
        if from != &Anchor::ImpactStart {
            c.fail(
                "steps.human_discovery.median.from",
                "must be 'impact_start': discovery is measured from the moment the service went",
            );
        }
    }

    if !c.problems.is_empty() {
        return Err(ScenarioError::Invalid(c.problems));
    }
    Ok(Scenario {
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
            value: rd.value_s * 1000,
            from: rd.from.clone(),
            to: rd.to.clone(),
            source: Quote {
                section: rd.source.section.clone(),
                quote: rd.source.quote.clone(),
            },
        },
        assumptions,
        steps,
    })
}

fn anchor(
    c: &mut Checker,
    path: &str,
    id: &str,
    record: &[RecordEvent],
    _a: &Assumptions,
) -> Anchor {
    if id == "impact_start" {
        return Anchor::ImpactStart;
    }
    match record.iter().find(|e| e.id == id) {
        Some(RecordEvent { at: Some(at), .. }) => Anchor::Record {
            id: id.to_string(),
            at: *at,
        },
        Some(_) => {
            c.fail(
                path,
                format!("record event '{id}' has no time, so no delay can be measured from it"),
            );
            Anchor::Record {
                id: id.to_string(),
                at: 0,
            }
        }
        None => {
            c.fail(
                path,
                format!("no record event has id '{id}' (nor is it 'impact_start')"),
            );
            Anchor::Record {
                id: id.to_string(),
                at: 0,
            }
        }
    }
}

fn anchor_at(anchor: &Anchor, a: &Assumptions) -> SimTime {
    match anchor {
        Anchor::ImpactStart => a.impact_start.at,
        Anchor::Record { at, .. } => *at,
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
