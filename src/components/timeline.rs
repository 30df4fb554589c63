//! The swimlane timeline as SVG: lanes, the time axis in the scenario's zone and UTC, the
//! assumed undetected window, outage bars, data debt, metric spans, event markers and the
//! playhead. It only draws the `Layout` computed by `charts::timeline_layout`; markers are
//! focusable and announce their event.
//!
//! Drawing is incremental: the lanes, the axis and the markers are components of their own
//! whose props are compared by value, so a playback frame or a scrub step draws again only what
//! the playhead moves (the clipped bars and spans, the playhead) and a marker only when it
//! appears. A phone with a slow processor keeps up that way.

use outage_sim::human_duration;
use outage_sim::replay::ReplayEntry;
use outage_sim::scenario::{Lane, Scenario};
use outage_sim::trace::TraceEvent;
use yew::prelude::*;

use crate::charts::labels::Anchor;
use crate::charts::px;
use crate::charts::scale::TimeTick;
use crate::charts::timeline_layout::{LaneRow, Layout, Marker, MarkerId, ZONE_GAP};
use crate::state::{Derived, Shared};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub layout: Shared<Layout>,
    pub scenario: Shared<Scenario>,
    pub derived: Shared<Derived>,
    pub selected: Option<MarkerId>,
    pub on_select: Callback<Option<MarkerId>>,
}

/// What a marker announces: time, lane and what happened.
pub fn marker_label(
    scenario: &Scenario,
    entries: &[ReplayEntry],
    trace: &[TraceEvent],
    ghost_name: &str,
    m: &Marker,
) -> String {
    let when = super::both_clocks(scenario, m.at);
    match m.id {
        MarkerId::Record(k) => {
            let e = &entries[k];
            let assumed = if m.assumed { " (assumed time)" } else { "" };
            format!(
                "As it happened, {when}{assumed}, {}: {}",
                e.lane.label(),
                e.title
            )
        }
        MarkerId::Ghost(k) => {
            let e = &trace[k];
            let assumed = if m.assumed { " (assumed time)" } else { "" };
            format!(
                "{ghost_name}, {when}{assumed}, {}: {}",
                e.kind.lane().label(),
                e.kind.title()
            )
        }
    }
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let l = &*props.layout;
    let plot_right = l.width - 20.0;
    let label_width = l.label_width;
    // Only what the playhead moves is drawn again each frame: the band nobody saw, the
    // outage bars, the data debt, the metric spans and the playhead. The lanes, the axis and
    // the markers are components of their own, drawn again only when they change (a marker
    // appears, the width changes).
    let unknown = l.unknown.map(|(x0, x1)| {
        let top = l.lanes[0].y;
        let bottom = l.lanes.last().map(|r| r.y + r.height).unwrap_or(top);
        html! {
            <g class="unknown-window">
                <rect x={px(x0)} y={px(top)} width={px((x1 - x0).max(0.0))} height={px(bottom - top)} fill="url(#hatch-unknown)" class="unknown-band" />
                // In the People lane, which stays empty until someone notices.
                if x1 - x0 > 120.0 {
                    <text x={px((x0 + x1) / 2.0)} y={px(l.lanes[3].y + l.lanes[3].height / 2.0 + 4.0)} text-anchor="middle" class="band-label">{ "Undetected (assumed)" }</text>
                }
            </g>
        }
    });
    let outages = l.outages.iter().map(|b| {
        html! {
            <rect x={px(b.x0)} y={px(b.y)} width={px((b.x1 - b.x0).max(0.0))} height={px(b.height)}
                  class={classes!("outage", b.ghost.then_some("ghost"))} fill={if b.ghost { "url(#hatch-ghost)" } else { "url(#hatch-outage)" }} />
        }
    });
    let debt = l.debt.iter().map(|a| html! { <path d={a.path.clone()} class={classes!("debt", a.ghost.then_some("ghost"))} /> });
    let spans = l.spans.iter().map(|sp| {
        let label = format!("{} {}", sp.metric.short(), if sp.complete { human_duration(sp.duration) } else { "…".into() });
        let wide = sp.x1 - sp.x0 > 90.0;
        let (lx, anchor) = if wide { ((sp.x0 + sp.x1) / 2.0, "middle") } else { (sp.x1 + 6.0, "start") };
        html! {
            <g class={classes!("span", sp.ghost.then_some("ghost"))}>
                <line x1={px(sp.x0)} x2={px(sp.x1)} y1={px(sp.y)} y2={px(sp.y)} class="span-line" />
                <line x1={px(sp.x0)} x2={px(sp.x0)} y1={px(sp.y - 5.0)} y2={px(sp.y + 5.0)} class="span-cap" />
                if sp.complete {
                    <line x1={px(sp.x1)} x2={px(sp.x1)} y1={px(sp.y - 5.0)} y2={px(sp.y + 5.0)} class="span-cap" />
                }
                <text x={px(lx)} y={px(sp.y - 4.0)} text-anchor={anchor} class="span-label">{ label }</text>
            </g>
        }
    });
    html! {
        <svg class="timeline-svg" width={px(l.width)} height={px(l.height)}
             viewBox={format!("0 0 {} {}", px(l.width), px(l.height))} role="group" aria-label="Incident timeline in swimlanes">
            <TimelineLanes lanes={l.lanes.clone()} width={l.width} compact={l.compact} />
            { for unknown }
            <TimelineAxis ticks={l.ticks.clone()} tick_labels={l.tick_labels.clone()} axis_y={l.axis_y}
                          label_width={label_width} zone_label={AttrValue::from(props.scenario.zone_label.clone())} />
            { for outages }
            { for debt }
            <line x1={px(label_width)} x2={px(plot_right)} y1={px(l.axis_y)} y2={px(l.axis_y)} class="axis" />
            if !l.spans.is_empty() && !l.compact {
                <text x="10" y={px(l.spans_y + 14.0)} class="lane-label">{ "Metrics" }</text>
            }
            { for spans }
            <TimelineMarkers markers={l.markers.clone()} scenario={props.scenario.clone()} derived={props.derived.clone()}
                             selected={props.selected} on_select={props.on_select.clone()} />
            if l.markers.is_empty() && l.playhead <= label_width + 1.0 {
                <text x={px((label_width + plot_right) / 2.0)} y={px(l.lanes[2].y + l.lanes[2].height)} text-anchor="middle" class="empty-hint">
                    { if l.compact { "Press Play, Next or End." } else { "Press Play to replay the day, Next to step through it, or End to see it all." } }
                </text>
            }
            <line x1={px(l.playhead)} x2={px(l.playhead)} y1="0" y2={px(l.axis_y)} class="playhead" />
        </svg>
    }
}

#[derive(Properties, PartialEq)]
struct LanesProps {
    lanes: Vec<LaneRow>,
    width: f64,
    compact: bool,
}

/// The lanes and their names, and the hatch patterns the bars use: drawn again only when the
/// width or the rows change.
#[component]
fn TimelineLanes(props: &LanesProps) -> Html {
    let lanes = props.lanes.iter().enumerate().map(|(k, row)| {
        let name = if props.compact { lane_code(row.lane) } else { short_lane(row.lane) };
        html! {
            <g class={classes!("lane", (k % 2 == 1).then_some("lane-alt"))}>
                <rect x="0" y={px(row.y)} width={px(props.width)} height={px(row.height)} class="lane-bg" />
                <text x={if props.compact { "4" } else { "10" }} y={px(row.y + row.height / 2.0 + 4.0)} class="lane-label">
                    <title>{ row.lane.label() }</title>
                    { name }
                </text>
            </g>
        }
    });
    html! {
        <>
            <defs>
                <pattern id="hatch-unknown" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="3" height="8" class="hatch-unknown" />
                </pattern>
                <pattern id="hatch-outage" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="6" height="6" class="hatch-outage-bg" />
                    <rect width="2.5" height="6" class="hatch-outage" />
                </pattern>
                <pattern id="hatch-ghost" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
                    <rect width="6" height="6" class="hatch-ghost-bg" />
                    <rect width="2.5" height="6" class="hatch-ghost" />
                </pattern>
            </defs>
            { for lanes }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct AxisProps {
    ticks: Vec<TimeTick>,
    tick_labels: Vec<Option<(f64, Anchor)>>,
    axis_y: f64,
    label_width: f64,
    zone_label: AttrValue,
}

/// The time axis: grid lines, each tick's two readings, and the zones' names.
#[component]
fn TimelineAxis(props: &AxisProps) -> Html {
    let (axis_y, label_width) = (props.axis_y, props.label_width);
    let ticks = props.ticks.iter().zip(&props.tick_labels).map(|(t, at)| {
        html! {
            <g class="tick">
                <line x1={px(t.x)} x2={px(t.x)} y1="4" y2={px(axis_y)} class="grid" />
                if let Some((x, anchor)) = at {
                    <text x={px(*x)} y={px(axis_y + 15.0)} class="tick-local" text-anchor={anchor.svg()}>{ t.local.clone() }</text>
                    <text x={px(*x)} y={px(axis_y + 30.0)} class="tick-utc" text-anchor={anchor.svg()}>{ t.utc.clone() }</text>
                }
            </g>
        }
    });
    html! {
        <>
            { for ticks }
            <g class="axis-zones">
                <text x={px(label_width - ZONE_GAP)} y={px(axis_y + 15.0)} class="tick-local" text-anchor="end">{ props.zone_label.clone() }</text>
                <text x={px(label_width - ZONE_GAP)} y={px(axis_y + 30.0)} class="tick-utc" text-anchor="end">{ "UTC" }</text>
            </g>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct MarkersProps {
    /// The markers shown, in time order.
    markers: Vec<Marker>,
    scenario: Shared<Scenario>,
    derived: Shared<Derived>,
    selected: Option<MarkerId>,
    on_select: Callback<Option<MarkerId>>,
}

/// The event markers, in time order (so Tab moves through the incident). Drawn again only when
/// one appears or goes, or the selection changes (not on every frame of playback); then only
/// the markers whose own props changed draw themselves again.
#[component]
fn TimelineMarkers(props: &MarkersProps) -> Html {
    html! {
        <g class="markers">
            { for props.markers.iter().map(|m| html! {
                <TimelineMarker marker={m.clone()} scenario={props.scenario.clone()} derived={props.derived.clone()}
                                selected={props.selected == Some(m.id)} on_select={props.on_select.clone()} />
            }) }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct MarkerProps {
    marker: Marker,
    scenario: Shared<Scenario>,
    derived: Shared<Derived>,
    selected: bool,
    on_select: Callback<Option<MarkerId>>,
}

/// One event marker: focusable, announcing its event.
#[component]
fn TimelineMarker(props: &MarkerProps) -> Html {
    let m = &props.marker;
    let id = m.id;
    let label = marker_label(
        &props.scenario,
        &props.derived.replay.entries,
        ghost_trace(&props.derived),
        props.derived.ghost_name(),
        m,
    );
    let select = props.on_select.reform(move |_: FocusEvent| Some(id));
    let hover = props.on_select.reform(move |_: MouseEvent| Some(id));
    let click = props.on_select.reform(move |_: MouseEvent| Some(id));
    let key = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_select.emit(Some(id));
            }
        })
    };
    let selected = props.selected;
    let shape = if m.ghost {
        let d = format!(
            "M{x},{t} L{r},{y} L{x},{b} L{l},{y} Z",
            x = px(m.x),
            y = px(m.y),
            t = px(m.y - 7.0),
            b = px(m.y + 7.0),
            l = px(m.x - 7.0),
            r = px(m.x + 7.0)
        );
        html! { <path d={d} class="shape" /> }
    } else {
        html! { <circle cx={px(m.x)} cy={px(m.y)} r="6" class="shape" /> }
    };
    html! {
        <g class={classes!("marker", if m.ghost { "ghost" } else { "record" }, m.assumed.then_some("assumed"), selected.then_some("selected"))}
           tabindex="0" role="button" aria-label={label.clone()} aria-pressed={selected.to_string()}
           onfocus={select} onmouseenter={hover} onclick={click} onkeydown={key}>
            <title>{ label }</title>
            <circle cx={px(m.x)} cy={px(m.y)} r="12" class="hit" />
            { shape }
        </g>
    }
}

/// The ghost run's trace, empty without safeguards.
pub fn ghost_trace(d: &Derived) -> &[TraceEvent] {
    d.ghost.as_ref().map(|g| g.1.as_slice()).unwrap_or(&[])
}

/// Lane codes for a narrow screen, explained by `LaneKey`.
pub fn lane_code(lane: Lane) -> &'static str {
    match lane {
        Lane::Change => "Chg",
        Lane::Service => "Svc",
        Lane::Detection => "Det",
        Lane::People => "Ppl",
        Lane::Customers => "Cust",
        Lane::Data => "Data",
    }
}

/// The key to the lane codes, shown under a compact timeline.
#[component]
pub fn LaneKey() -> Html {
    html! {
        <p class="lane-key" data-testid="lane-key">
            { for Lane::ALL.iter().map(|&lane| html! {
                // "Data: missed calendar events" reads "Data Data: …" after its code.
                <span><strong>{ lane_code(lane) }</strong>{ format!(" {}", lane.label().trim_start_matches("Data: ")) }</span>
            }) }
        </p>
    }
}

/// Lane names short enough for the label column.
fn short_lane(lane: Lane) -> &'static str {
    match lane {
        Lane::Change => "Change & deploy",
        Lane::Service => "Service health",
        Lane::Detection => "Detection",
        Lane::People => "People",
        Lane::Customers => "Customers & status",
        Lane::Data => "Missed events",
    }
}
