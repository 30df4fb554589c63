//! What an event says: the detail of the selected (or latest) event with its source quote, and
//! the log of what has happened so far, in the record and with safeguards.

use outage_sim::human_duration;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use yew::prelude::*;

use super::timeline::ghost_trace;
use crate::charts::timeline_layout::MarkerId;
use crate::state::{Derived, Shared};

#[derive(Properties, PartialEq)]
pub struct EventDetailProps {
    pub scenario: Shared<Scenario>,
    pub derived: Shared<Derived>,
    /// The marker to show; `None` shows a hint.
    pub shown: Option<MarkerId>,
    /// The record's merge time as the model assumes it (the record has none).
    pub merged_at: Option<SimTime>,
}

#[component]
pub fn EventDetail(props: &EventDetailProps) -> Html {
    let s = &props.scenario;
    let body = match props.shown {
        None => html! {
            <p class="hint">{ "Press Play, step through the events, or hover or focus a marker to read what the record says about it." }</p>
        },
        Some(MarkerId::Record(k)) => match props.derived.replay.entries.get(k) {
            None => html! {},
            Some(e) => {
                let when = match e.at.or(props.merged_at) {
                    Some(t) if e.at.is_some() => super::both_clocks(s, t),
                    Some(t) => format!(
                        "time not in the record (drawn at {}, assumed)",
                        super::both_clocks(s, t)
                    ),
                    None => "time not in the record".into(),
                };
                html! {
                    <>
                        <p class="detail-meta">
                            <span class="badge badge-record">{ "● As it happened" }</span>
                            <span>{ when }</span>
                            <span class="detail-lane">{ e.lane.label() }</span>
                            if e.assumed { <span class="tag tag-assumption">{ "assumption" }</span> }
                        </p>
                        <h3 class="detail-title">{ e.title.clone() }</h3>
                        { for e.sources.iter().map(|q| html! {
                            <blockquote class="quote">
                                <p>{ format!("“{}”", q.quote) }</p>
                                <footer>{ format!("— {}", q.section) }</footer>
                            </blockquote>
                        }) }
                        if let Some(note) = &e.note { <p class="note">{ note.clone() }</p> }
                    </>
                }
            }
        },
        Some(MarkerId::Ghost(k)) => match ghost_trace(&props.derived).get(k) {
            None => html! {},
            Some(ev) => {
                let recorded = ev
                    .kind
                    .record_id()
                    .and_then(|id| s.event(id))
                    .and_then(|r| Some((r, r.at?)));
                html! {
                    <>
                        <p class="detail-meta">
                            <span class="badge badge-ghost">{ format!("◆ {} (this run)", props.derived.ghost_name()) }</span>
                            <span>{ super::both_clocks(s, ev.at) }</span>
                            <span class="detail-lane">{ ev.kind.lane().label() }</span>
                        </p>
                        <h3 class="detail-title">{ ev.kind.title() }</h3>
                        if let Some(basis) = ev.kind.assumed() {
                            <p class="note"><span class="tag tag-assumption">{ "assumed time" }</span>{ format!(" {basis}") }</p>
                        }
                        if let Some(id) = ev.kind.safeguard() {
                            <p class="note">{ format!("Because of: {}. {}", id.name(), id.summary()) }</p>
                        }
                        if let Some((r, at)) = recorded {
                            <p class="note">
                                { format!("On the day: {} at {} — {}.", r.title, super::both_clocks(s, at), shift(ev.at - at)) }
                            </p>
                        }
                    </>
                }
            }
        },
    };
    html! {
        <section class="event-detail" aria-live="polite" aria-label="Selected event">
            { body }
        </section>
    }
}

fn shift(delta: i64) -> String {
    match delta {
        0 => "the same time".into(),
        d if d < 0 => format!("{} earlier here", human_duration(-d)),
        d => format!("{} later here", human_duration(d)),
    }
}

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub scenario: Shared<Scenario>,
    pub derived: Shared<Derived>,
    pub has_ghost: bool,
    pub now: SimTime,
    pub merged_at: Option<SimTime>,
    pub selected: Option<MarkerId>,
    pub on_select: Callback<Option<MarkerId>>,
}

#[derive(Properties, PartialEq)]
struct LogItemProps {
    id: MarkerId,
    at: SimTime,
    text: String,
    assumed: bool,
    current: bool,
    scenario: Shared<Scenario>,
    on_select: Callback<Option<MarkerId>>,
}

/// One event of the log: its time, what happened, whether its time is assumed.
#[component]
fn LogItem(props: &LogItemProps) -> Html {
    let id = props.id;
    let select = props.on_select.reform(move |_: MouseEvent| Some(id));
    html! {
        <li>
            <button type="button" class={classes!("log-item", props.current.then_some("current"))} onclick={select} aria-pressed={props.current.to_string()}>
                <time>{ props.scenario.clock.hhmm_local(props.at) }</time>
                <span>{ props.text.clone() }</span>
                if props.assumed { <span class="tag tag-assumption">{ "assumed" }</span> }
            </button>
        </li>
    }
}

/// The events revealed so far, in time order, as lists of buttons.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let s = &props.scenario;
    // Each item draws itself again only when its own props change: a new event appends one.
    let item = |id: MarkerId, at: SimTime, text: String, assumed: bool| {
        html! {
            <LogItem id={id} at={at} text={text} assumed={assumed} current={props.selected == Some(id)}
                     scenario={props.scenario.clone()} on_select={props.on_select.clone()} />
        }
    };
    let entries = &props.derived.replay.entries;
    let record: Vec<Html> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.epilogue)
        .filter_map(|(k, e)| {
            let at = e.at.or(props.merged_at)?;
            (at <= props.now).then(|| {
                item(
                    MarkerId::Record(k),
                    at,
                    e.title.clone(),
                    e.assumed || e.at.is_none(),
                )
            })
        })
        .collect();
    let ghost: Vec<Html> = ghost_trace(&props.derived)
        .iter()
        .enumerate()
        .filter(|(_, e)| e.at <= props.now)
        .map(|(k, e)| {
            item(
                MarkerId::Ghost(k),
                e.at,
                e.kind.title(),
                e.kind.assumed().is_some(),
            )
        })
        .collect();
    let epilogue = entries.iter().find(|e| e.epilogue);
    html! {
        <div class={classes!("event-log", props.has_ghost.then_some("two"))}>
            <section aria-label="The record so far">
                <h3>{ format!("As it happened ({})", record.len()) }</h3>
                if record.is_empty() { <p class="hint">{ "Nothing has happened yet." }</p> }
                <ol class="log" data-testid="event-log">{ for record }</ol>
                if let (Some(e), Some(at)) = (epilogue, epilogue.and_then(|e| e.at)) {
                    <p class="epilogue">{ format!("Later: {} {} — {}", s.clock.date_label(at), s.clock.hhmm_local(at), e.title) }</p>
                }
            </section>
            if props.has_ghost {
                <section aria-label={format!("{} so far", props.derived.ghost_name())}>
                    <h3>{ format!("{} ({})", props.derived.ghost_name(), ghost.len()) }</h3>
                    if ghost.is_empty() { <p class="hint">{ "Nothing has happened yet." }</p> }
                    <ol class="log ghost">{ for ghost }</ol>
                </section>
            }
        </div>
    }
}
