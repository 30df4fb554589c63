//! The record, line by line: the incident's recorded events as a table, with the time in the
//! scenario's zone and in UTC, the lane, what happened and the source lines, built from the
//! simulation crate's `Scenario` (the pure part, tested natively), and the section that shows
//! it. Previously the shell's whole page: rows with the time in the scenario's zone and in
//! UTC, the lane, what happened and the source lines, built from the simulation crate's
//! `Scenario` (the pure part, tested natively), and the table component that draws them.

use outage_sim::human_duration;
use outage_sim::scenario::{Quote, RecordEvent, Scenario};
use outage_sim::SimTime;
use yew::prelude::*;

use crate::state::Shared;

/// What a row shows for an event the record gives no time for.
pub const UNKNOWN_TIME: &str = "unknown";

/// One event of the record, ready to display.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The record event's id (stable; used as the row's key and `data-event` attribute).
    pub id: String,
    /// `15:34`, `Jul 23 12:03` when on another day than the incident, or [`UNKNOWN_TIME`].
    pub local: String,
    /// The same instant in UTC, with the date when it differs from the incident's day.
    pub utc: String,
    /// RFC 3339 with the local offset, for `<time datetime>`; `None` when untimed.
    pub datetime: Option<String>,
    pub lane: &'static str,
    pub title: String,
    pub note: Option<String>,
    pub sources: Vec<Quote>,
}

/// The record split the way the page shows it: the incident (untimed events first, then by
/// time) and the epilogue (what came after, such as the postmortem's publication).
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The local zone's label, e.g. `CDT`.
    pub zone: String,
    pub incident: Vec<Row>,
    pub epilogue: Vec<Row>,
}

impl Timeline {
    /// Builds the rows from a validated scenario, keeping the scenario's order.
    pub fn from_scenario(scenario: &Scenario) -> Self {
        let (epilogue, incident): (Vec<&RecordEvent>, Vec<&RecordEvent>) =
            scenario.record.iter().partition(|e| e.epilogue);
        let row = |e: &RecordEvent| row(scenario, e);
        Self {
            zone: scenario.clock.zone_label().to_string(),
            incident: incident.into_iter().map(row).collect(),
            epilogue: epilogue.into_iter().map(row).collect(),
        }
    }
}

fn row(scenario: &Scenario, event: &RecordEvent) -> Row {
    let (local, utc) = match event.at {
        Some(t) => (local_label(scenario, t), utc_label(scenario, t)),
        None => (UNKNOWN_TIME.to_string(), UNKNOWN_TIME.to_string()),
    };
    Row {
        id: event.id.clone(),
        local,
        utc,
        datetime: event.at.map(|t| scenario.clock.rfc3339(t)),
        lane: event.lane.label(),
        title: event.title.clone(),
        note: event.note.clone(),
        sources: event.sources.clone(),
    }
}

/// `15:34` on the incident's day, `Jul 23 12:03` on any other.
fn local_label(scenario: &Scenario, t: SimTime) -> String {
    let clock = &scenario.clock;
    if clock.on_origin_date(t, false) {
        clock.hhmm_local(t)
    } else {
        format!("{} {}", clock.date_label(t), clock.hhmm_local(t))
    }
}

/// `20:34` when UTC is still on the incident's (local) day, `Jul 23 17:03` otherwise.
fn utc_label(scenario: &Scenario, t: SimTime) -> String {
    let clock = &scenario.clock;
    if clock.on_origin_date(t, true) {
        clock.hhmm_utc(t)
    } else {
        format!("{} {}", clock.date_label_utc(t), clock.hhmm_utc(t))
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineTableProps {
    /// The table's caption (its accessible name).
    pub caption: AttrValue,
    /// The local zone's label for the column header, e.g. `CDT`.
    pub zone: AttrValue,
    pub rows: Vec<Row>,
}

/// The rows as a table: time (local), time (UTC), lane, what happened, source.
#[component]
pub fn TimelineTable(props: &TimelineTableProps) -> Html {
    html! {
        <table class="timeline">
            <caption>{ props.caption.clone() }</caption>
            <thead>
                <tr>
                    <th scope="col">{ format!("Time ({})", props.zone) }</th>
                    <th scope="col">{ "Time (UTC)" }</th>
                    <th scope="col">{ "Lane" }</th>
                    <th scope="col">{ "What happened" }</th>
                    <th scope="col">{ "Source" }</th>
                </tr>
            </thead>
            <tbody>
                for row in props.rows.iter() {
                    <TimelineRow key={row.id.clone()} row={row.clone()} />
                }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct TimelineRowProps {
    row: Row,
}

#[component]
fn TimelineRow(props: &TimelineRowProps) -> Html {
    let row = &props.row;
    let time = |text: &str| match &row.datetime {
        Some(datetime) => html! { <time datetime={datetime.clone()}>{ text.to_string() }</time> },
        None => html! { <span class="unknown">{ text.to_string() }</span> },
    };
    html! {
        <tr data-event={row.id.clone()}>
            <td class="time local">{ time(&row.local) }</td>
            <td class="time utc">{ time(&row.utc) }</td>
            <td class="lane">{ row.lane }</td>
            <th scope="row" class="what">
                { row.title.clone() }
                if let Some(note) = &row.note {
                    <p class="note">{ note.clone() }</p>
                }
            </th>
            <td class="source">
                for source in row.sources.iter() {
                    <figure class="quote">
                        <blockquote>{ source.quote.clone() }</blockquote>
                        <figcaption>{ source.section.clone() }</figcaption>
                    </figure>
                }
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
pub struct RecordProps {
    pub scenario: Shared<Scenario>,
}

/// The incident as recorded: what it is, what the record leaves open, and the timeline.
/// The incident as recorded: what it is, what the record leaves open, and the tables.
#[component]
pub fn Record(props: &RecordProps) -> Html {
    let scenario = &props.scenario;
    let timeline = Timeline::from_scenario(scenario);
    let clock = &scenario.clock;
    let when = |id: &str| {
        scenario
            .event_time(id)
            .map(|t| clock.hhmm_local(t))
            .unwrap_or_default()
    };
    let duration = &scenario.reported_duration;
    let zone = AttrValue::from(timeline.zone.clone());

    html! {
        <section id="record" class="card record" aria-labelledby="record-title">
            <h2 id="record-title">{ "The record, line by line" }</h2>
            <p class="record-scenario">{ scenario.title.clone() }</p>
            <p class="summary">{ scenario.summary.clone() }</p>
            <p class="explain">
                { format!(
                    "The reported duration, {}, runs from discovery ({} {}) to resolution ({} {}). \
                     When the service actually disappeared is not in the record: the window before \
                     discovery is unknown.",
                    human_duration(duration.value),
                    when(&duration.from),
                    timeline.zone,
                    when(&duration.to),
                    timeline.zone,
                ) }
            </p>
            <p class="zone-note">{ scenario.zone_note.clone() }</p>
            <TimelineTable
                caption="The incident as recorded"
                zone={zone.clone()}
                rows={timeline.incident.clone()}
            />
            if !timeline.epilogue.is_empty() {
                <section class="epilogue">
                    <TimelineTable caption="Afterwards" zone={zone} rows={timeline.epilogue.clone()} />
                </section>
            }
            <p class="source-info">
                { "Source: " }
                <cite>{ scenario.source.title.clone() }</cite>
                { format!(", {}.", scenario.source.publisher) }
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eptura() -> Timeline {
        let scenario = outage_sim::builtin("eptura-2024-07-10").expect("built-in scenario");
        Timeline::from_scenario(&scenario)
    }

    fn find<'a>(rows: &'a [Row], id: &str) -> &'a Row {
        rows.iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no row '{id}'"))
    }

    #[test]
    fn discovery_and_resolution_show_both_zones_and_their_sources() {
        let t = eptura();
        assert_eq!(t.zone, "CDT");
        let discovered = find(&t.incident, "discovered");
        assert_eq!(
            (discovered.local.as_str(), discovered.utc.as_str()),
            ("15:34", "20:34")
        );
        assert_eq!(
            discovered.datetime.as_deref(),
            Some("2024-07-10T15:34:00-05:00")
        );
        assert_eq!(discovered.lane, "Detection & alerting");
        assert_eq!(discovered.sources[0].section, "Timeline");
        assert!(discovered.sources[0].quote.starts_with("3:34pm"));

        let resolved = find(&t.incident, "resolved");
        assert_eq!(
            (resolved.local.as_str(), resolved.utc.as_str()),
            ("18:05", "23:05")
        );
        assert_eq!(
            resolved.sources.len(),
            2,
            "the timeline line and the status post"
        );
    }

    #[test]
    fn the_untimed_merge_comes_first_and_reads_unknown() {
        let t = eptura();
        let first = &t.incident[0];
        assert_eq!(first.id, "merged");
        assert_eq!(
            (first.local.as_str(), first.utc.as_str()),
            (UNKNOWN_TIME, UNKNOWN_TIME)
        );
        assert_eq!(first.datetime, None);
    }

    #[test]
    fn the_epilogue_is_apart_and_dated() {
        let t = eptura();
        assert!(t.incident.iter().all(|r| r.id != "postmortem_published"));
        let published = find(&t.epilogue, "postmortem_published");
        assert_eq!(published.local, "Jul 23 12:03");
        assert_eq!(published.utc, "Jul 23 17:03");
    }

    #[test]
    fn incident_rows_keep_time_order() {
        let t = eptura();
        let times: Vec<&str> = t
            .incident
            .iter()
            .filter(|r| r.datetime.is_some())
            .map(|r| r.local.as_str())
            .collect();
        let mut sorted = times.clone();
        sorted.sort();
        assert_eq!(times, sorted);
        assert!(times.contains(&"17:08") && times.contains(&"17:11"));
    }
}
