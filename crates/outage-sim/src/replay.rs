//! The incident as it happened: the record's events in time order, with the assumed moment the
//! service went away added as an explicit, labelled assumption, and the durations the record
//! states next to the ones it leaves out.

use serde::Serialize;

use crate::scenario::{Lane, Quote, Scenario};
use crate::time::{Millis, SimTime};

/// One row of the replay.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplayEntry {
    pub id: String,
    /// `None` when the record does not say.
    pub at: Option<SimTime>,
    pub lane: Lane,
    pub title: String,
    pub note: Option<String>,
    /// Not from the record: an assumption the user can move.
    pub assumed: bool,
    /// After the day of the incident.
    pub epilogue: bool,
    pub sources: Vec<Quote>,
}

/// The replay of the record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Replay {
    pub entries: Vec<ReplayEntry>,
    /// Assumed moment the service went away.
    pub impact_start: SimTime,
    pub discovered: SimTime,
    pub resolved: SimTime,
    /// What the postmortem calls the duration: discovery → resolved.
    pub reported_duration: Millis,
    /// Impact start → discovery: the window the report leaves out.
    pub undetected_window: Millis,
    /// Impact start → resolved.
    pub impact_duration: Millis,
}

/// The id of the assumed impact-start entry.
pub const IMPACT_START_ID: &str = "impact_start";

/// The replay of a scenario's record with its current assumptions.
pub fn as_recorded(scenario: &Scenario) -> Replay {
    let impact = scenario.impact_start();
    let assumption = &scenario.assumptions.impact_start;
    let mut entries: Vec<ReplayEntry> = scenario
        .record
        .iter()
        .map(|e| ReplayEntry {
            id: e.id.clone(),
            at: e.at,
            lane: e.lane,
            title: e.title.clone(),
            note: e.note.clone(),
            assumed: false,
            epilogue: e.epilogue,
            sources: e.sources.clone(),
        })
        .collect();
    let gone = ReplayEntry {
        id: IMPACT_START_ID.to_string(),
        at: Some(impact),
        lane: Lane::Service,
        title: "Service gone (assumed: the record does not say when)".to_string(),
        note: Some(assumption.provenance.note().to_string()),
        assumed: true,
        epilogue: false,
        sources: vec![Quote {
            section: "Assumption".to_string(),
            quote: assumption.provenance.note().to_string(),
        }],
    };
    // After the untimed merge, before the first timed event at or after it.
    let position = entries
        .iter()
        .position(|e| e.at.is_some_and(|t| t >= impact) || e.epilogue)
        .unwrap_or(entries.len());
    entries.insert(position, gone);
    let discovered = scenario
        .event_time(&scenario.reported_duration.from)
        .expect("validated");
    let resolved = scenario
        .event_time(&scenario.reported_duration.to)
        .expect("validated");
    Replay {
        entries,
        impact_start: impact,
        discovered,
        resolved,
        reported_duration: resolved - discovered,
        undetected_window: discovered - impact,
        impact_duration: resolved - impact,
    }
}
