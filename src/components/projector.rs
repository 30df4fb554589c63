//! The room's view, for a projector: the clock, the day so far on the timeline, what the room
//! is told now and the questions, the curveballs fired so far, and the timers — in large type,
//! light on black, filling the screen without scrolling. What it shows is a function of the
//! clock and the facilitator's reveals (`outage_sim::exercise::visibility`), never of how far
//! the day was played before: stepping back hides again what lies after the clock. Every text
//! the room can read passes the spoiler check at the moment it shows
//! (`outage_sim::exercise::spoiler`). The outcome, once revealed, is a slide of its own
//! (`OutcomeSlide`); the facilitator can blank the screen for a discussion.

use outage_sim::exercise::spoiler::Withholding;
use outage_sim::exercise::visibility::{
    overtaken, room_lane_label, shown_by, sight_in, Reveals, Sight,
};
use outage_sim::exercise::Exercise;
use outage_sim::intervention::{InterventionKind, Interventions};
use outage_sim::metrics::Metric;
use outage_sim::metrics::RunRecord;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use yew::prelude::*;

use super::facilitate::room_check;
use crate::charts::labels::text_width;
use crate::charts::outcome_layout::{outcome_layout, MarkInput, OutcomeInputs, OutcomeLayout};
use crate::charts::px;
use crate::charts::timeline_layout::{layout, Inputs, Layout, MarkerId};
use crate::hooks::{use_size, use_wall_clock};
use crate::state::countdown::Countdown;
use crate::state::exercise::Fired;
use crate::state::{Derived, Shared};

#[derive(Properties, PartialEq)]
pub struct ProjectorProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Option<Shared<Exercise>>,
    pub derived: Shared<Derived>,
    pub now: SimTime,
    pub fired: Vec<Fired>,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
    pub reveals: Reveals,
    pub blank: bool,
    /// The room's interventions (decisions with an action, and curveballs), for the outcome.
    pub interventions: Interventions,
    pub seed: u64,
    /// A console has sent its view.
    pub following: bool,
}

/// How much the projector's timeline is enlarged: it is laid out for a screen this many times
/// narrower and scaled up to the width.
const TIMELINE_ZOOM: f64 = 1.75;
/// The least it is scaled: when curveball cards leave the timeline little height, it is laid
/// out wider than its frame and scaled down, so it still fills the width (its type is sized for
/// the screen whatever the scale).
const TIMELINE_ZOOM_MIN: f64 = 0.6;

/// The width to lay the timeline out at, so that scaled up to fill its frame it fills it both
/// ways: `TIMELINE_ZOOM` when the frame is tall enough for it, else the scale the frame's height
/// allows (down to `TIMELINE_ZOOM_MIN`), over a proportionally wider layout (a 1280×720 screen
/// gets a wider chart rather than black bands on each side). The lanes' height does not depend on the width, so
/// the height of a layout at any width (`natural_height`) decides it.
pub fn fitted_layout_width(frame: (f64, f64), natural_height: f64) -> f64 {
    let (w, h) = frame;
    let zoom = if h > 0.0 && natural_height > 0.0 {
        (h / natural_height).clamp(TIMELINE_ZOOM_MIN, TIMELINE_ZOOM)
    } else {
        TIMELINE_ZOOM
    };
    w / zoom
}

/// The room's chart type size for a screen `height` pixels high: 22 px at 1080, never under
/// 16.5 px (720 and below: 16 px at least once drawn, whatever the rounding), never over 30.
pub fn room_font(height: f64) -> f64 {
    (height * 0.0205).clamp(16.5, 30.0)
}

#[component]
pub fn Projector(props: &ProjectorProps) -> Html {
    let root = use_node_ref();
    let (_, screen_h) = use_size(root.clone(), (1920.0, 1080.0));
    let running = props.inject_timer.is_running() || props.exercise_timer.is_running();
    let wall = use_wall_clock(running);
    let font = room_font(screen_h);
    let Some(exercise) = props.exercise.clone() else {
        return html! {
            <div class="projector" data-testid="projector" ref={root}>
                <p class="projector-wait">{ "This scenario has no exercise to run." }</p>
            </div>
        };
    };
    let s = &props.scenario;
    // Injects follow the room's day: those it overtook are for the debrief, not played.
    let passed = room_run(&props.derived)
        .map(|run| overtaken(&exercise, run))
        .unwrap_or_default();
    let view = sight_in(
        &exercise,
        s,
        props.now,
        &props.reveals,
        props.derived.range,
        &passed,
    );
    let check = room_check(&exercise, s, &props.derived);
    if props.blank {
        return html! {
            <div class="projector projector-blank" data-testid="projector" ref={root}>
                <span class="visually-hidden" data-testid="projector-blank">{ "The screen is blank for a discussion." }</span>
            </div>
        };
    }
    if view.outcome {
        return html! {
            <div class="projector projector-slide" data-testid="projector" ref={root}>
                <OutcomeSlide scenario={props.scenario.clone()} exercise={exercise} derived={props.derived.clone()}
                              interventions={props.interventions.clone()} seed={props.seed} font={font} />
            </div>
        };
    }
    let timer = |label: &str, c: &Countdown| {
        html! {
            <div class={classes!("projector-timer", c.is_up(wall).then_some("timer-up"))}>
                <span class="timer-label">{ label.to_string() }</span>
                <span class="timer-value" role="timer">{ c.text(wall) }</span>
            </div>
        }
    };
    // A text the room reads now, or a neutral line if it would give something away (the
    // exercise's own texts pass the check; this guards whatever else reaches the screen).
    let safe = |text: &str| -> String {
        if check.is_safe(text, props.now) {
            text.to_string()
        } else {
            "…".to_string()
        }
    };
    let inject = view.inject.and_then(|k| exercise.injects.get(k));
    let ghost_legend = props.derived.ghost.as_ref().map(|_| {
        if props.derived.ghost_is_room {
            "The room's day"
        } else {
            "With the safeguards"
        }
    });
    let phase = view
        .phase
        .and_then(|k| exercise.phases.get(k))
        .map(|p| safe(&p.title));
    // Curveballs fired by now, newest first, each as the room was told it when it was fired.
    let fired: Vec<(String, Vec<String>)> = shown_by(&props.fired, |f| f.curveball.at, props.now)
        .into_iter()
        .rev()
        .filter_map(|f| {
            let card = exercise
                .curveball_card(f.card()?)?
                .for_room(&check, f.curveball.at);
            Some((card.title, card.text))
        })
        .collect();
    let crowded = match fired.len() {
        0 | 1 => None,
        2 => Some("curveballs-2"),
        3 => Some("curveballs-3"),
        _ => Some("curveballs-many"),
    };
    html! {
        <div class={classes!("projector", crowded)} data-testid="projector" ref={root}>
            <header class="projector-head">
                <div class="projector-clock" data-testid="clock" aria-label="Simulated time">
                    if let Some(t) = view.clock {
                        <span class="clock-local">{ s.clock.hhmm_local(t) }<small>{ format!(" {}", s.zone_label) }</small></span>
                        <span class="clock-utc">{ s.clock.hhmm_utc(t) }<small>{ " UTC" }</small></span>
                    } else {
                        <span class="clock-local">{ "—" }</span>
                    }
                </div>
                <div class="projector-phase">
                    if let Some(phase) = phase { <span>{ phase }</span> }
                    // What the timeline's two marks are, for a room that cannot hover them.
                    <p class="projector-legend" data-testid="projector-legend">
                        <span><span class="legend-mark record" aria-hidden="true">{ "●" }</span>{ " As it happened" }</span>
                        if let Some(ghost) = ghost_legend {
                            <span><span class="legend-mark ghost" aria-hidden="true">{ "◆" }</span>{ format!(" {ghost}") }</span>
                        }
                    </p>
                </div>
                <div class="projector-timers">
                    { timer("This inject", &props.inject_timer) }
                    { timer("Exercise", &props.exercise_timer) }
                    <button type="button" class="projector-fullscreen" onclick={Callback::from(|_: MouseEvent| crate::hooks::shortcuts::toggle_full_screen())}
                            title="Full screen (F)">{ "Full screen" }</button>
                </div>
            </header>
            <RoomTimeline scenario={props.scenario.clone()} derived={props.derived.clone()} now={props.now}
                          sight={SightProp(view.clone())} check={CheckProp(check.clone())} font={font} />
            <div class="projector-body">
                if !props.following {
                    <section class="projector-inject">
                        <p class="projector-wait">{ "Waiting for the facilitator's console…" }</p>
                        <p>{ "Open this page from the console's “Projector” button, in the same browser." }</p>
                    </section>
                } else if let Some(inject) = inject {
                    <section class="projector-inject" data-testid="projector-inject" aria-live="polite">
                        <h1>{ safe(&inject.title) }</h1>
                        { for inject.participant_text.iter().map(|p| html! { <p>{ safe(&p.text) }</p> }) }
                    </section>                    <section class="projector-question">
                        <h2>{ "For the room" }</h2>
                        <ol>{ for inject.questions.iter().map(|q| html! { <li>{ safe(q) }</li> }) }</ol>
                    </section>
                    if !fired.is_empty() {
                        <section class="projector-curveballs" data-testid="projector-curveballs">
                            { for fired.into_iter().map(|(title, text)| html! {
                                <div class="projector-curveball">
                                    <h2>{ title }</h2>
                                    { for text.into_iter().map(|t| html! { <p>{ t }</p> }) }
                                </div>
                            }) }
                        </section>
                    }
                } else {
                    <section class="projector-inject">
                        <h1>{ exercise.title.clone() }</h1>
                        <p>{ "The exercise starts in a moment." }</p>
                    </section>
                }
            </div>
        </div>
    }
}

/// The room's day, when it differs from the record.
fn room_run(d: &Derived) -> Option<&RunRecord> {
    d.ghost.as_ref().filter(|_| d.ghost_is_room).map(|g| &g.0)
}

/// A `Sight` as a prop (compared by value).
#[derive(Clone, Debug, PartialEq)]
pub struct SightProp(pub Sight);

/// A spoiler check as a prop.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckProp(pub Withholding);

#[derive(Properties, PartialEq)]
struct RoomTimelineProps {
    scenario: Shared<Scenario>,
    derived: Shared<Derived>,
    now: SimTime,
    sight: SightProp,
    check: CheckProp,
    font: f64,
}

/// The day so far as the room sees it: lanes named for what they show, the axis up to a little
/// after the clock, nothing before the first inject, every marker's text checked.
#[component]
fn RoomTimeline(props: &RoomTimelineProps) -> Html {
    let frame = use_node_ref();
    let (frame_w, frame_h) = use_size(frame.clone(), (1600.0, 0.0));
    let view = &props.sight.0;
    let layout: Shared<Layout> = {
        let (scenario, derived, now, axis, from) = (
            props.scenario.clone(),
            props.derived.clone(),
            props.now,
            view.axis,
            view.events_from,
        );
        Shared(use_memo(
            (
                derived.clone(),
                now,
                frame_w as i64,
                frame_h as i64,
                axis,
                from,
            ),
            move |_| {
                let at = |width| {
                    layout(&Inputs {
                        scenario: &scenario,
                        replay: &derived.replay,
                        record: &derived.record,
                        ghost: derived.ghost.as_ref().map(|(r, t)| (r, t.as_slice())),
                        range: axis,
                        now,
                        width,
                        spans: &[],
                        room_from: from,
                    })
                };
                let first = at(frame_w / TIMELINE_ZOOM);
                let width = fitted_layout_width((frame_w, frame_h), first.height);
                if (width - first.width).abs() < 1.0 {
                    first
                } else {
                    at(width)
                }
            },
        ))
    };
    let l = &*layout; // Text sizes in the layout's units, so that scaled to the frame (to fit both ways) they
                      // are `font` pixels on screen; the drawing reaches down to the axis's second row of labels
                      // at that size (a few passes settle the scale and the height together).
    let mut height = l.height;
    let mut zoom = 1.0;
    for _ in 0..4 {
        zoom = (frame_w / l.width)
            .min(if frame_h > 0.0 {
                frame_h / height
            } else {
                f64::INFINITY
            })
            .max(0.1);
        height = l.height.max(l.axis_y + props.font / zoom * 2.5);
    }
    let tick = props.font / zoom;
    // Lane names may reach past the label column into the plot's first minutes, where nothing
    // is ever drawn (events start at the first inject, at least ten minutes into the axis).
    let lane = props.font / zoom;
    let s = &props.scenario;
    let d = &props.derived;
    let check = &props.check.0;
    let plot_right = l.width - 20.0;
    // The layout spaces tick labels for the page's small type; the room's is larger.
    let tick_labels = {
        let xs: Vec<f64> = l.ticks.iter().map(|t| t.x).collect();
        let widths: Vec<f64> = l
            .ticks
            .iter()
            .map(|t| text_width(&t.local, tick).max(text_width(&t.utc, tick)))
            .collect();
        crate::charts::labels::tick_labels(&xs, &widths, l.label_width, l.width - 2.0, tick * 0.6)
    };
    let title = |m: &crate::charts::timeline_layout::Marker| {
        let (what, lane) = match m.id {
            MarkerId::Record(k) => (d.replay.entries[k].title.clone(), d.replay.entries[k].lane),
            MarkerId::Ghost(k) => d
                .ghost
                .as_ref()
                .and_then(|g| g.1.get(k))
                .map(|e| (e.kind.title(), e.kind.lane()))
                .unwrap_or((String::new(), outage_sim::scenario::Lane::Service)),
        };
        let who = if m.ghost {
            "Your day"
        } else {
            "As it happened"
        };
        let text = format!("{who}, {}: {what}", s.clock.hhmm_local(m.at));
        if check.is_safe(&text, props.now) {
            text
        } else {
            format!(
                "{who}, {}: something in “{}”",
                s.clock.hhmm_local(m.at),
                room_lane_label(lane)
            )
        }
    };
    html! {
        <div class="projector-timeline" ref={frame} data-testid="projector-timeline">            <svg width={px(l.width)} height={px(height)} viewBox={format!("0 0 {} {}", px(l.width), px(height))}
                 role="img" aria-label="The day so far">
                // Sizes as presentation attributes on the groups (the page's CSP refuses style
                // attributes); the stylesheet lets the texts inherit them.
                <g font-size={px(lane)}>
                    { for l.lanes.iter().enumerate().map(|(k, row)| html! {
                        <g class={classes!("lane", (k % 2 == 1).then_some("lane-alt"))}>
                            <rect x="0" y={px(row.y)} width={px(l.width)} height={px(row.height)} class="lane-bg" />
                            <text x="10" y={px(row.y + row.height / 2.0 + lane * 0.35)} class="lane-label">
                                { room_lane_label(row.lane) }
                            </text>
                        </g>
                    }) }
                </g>
                <g font-size={px(tick)}>
                    { for l.ticks.iter().zip(&tick_labels).map(|(t, at)| html! {
                        <g class="tick">
                            <line x1={px(t.x)} x2={px(t.x)} y1="4" y2={px(l.axis_y)} class="grid" />
                            if let Some((x, anchor)) = at {
                                <text x={px(*x)} y={px(l.axis_y + tick * 1.05)} class="tick-local" text-anchor={anchor.svg()}>{ t.local.clone() }</text>
                                <text x={px(*x)} y={px(l.axis_y + tick * 2.15)} class="tick-utc" text-anchor={anchor.svg()}>{ t.utc.clone() }</text>
                            }
                        </g>
                    }) }
                </g>
                <line x1={px(l.label_width)} x2={px(plot_right)} y1={px(l.axis_y)} y2={px(l.axis_y)} class="axis" />
                { for l.markers.iter().map(|m| {
                    let label = title(m);
                    let shape = if m.ghost {
                        html! { <path d={format!("M{x},{t} L{r},{y} L{x},{b} L{l},{y} Z", x = px(m.x), y = px(m.y), t = px(m.y - 7.0), b = px(m.y + 7.0), l = px(m.x - 7.0), r = px(m.x + 7.0))} class="shape" /> }
                    } else {
                        html! { <circle cx={px(m.x)} cy={px(m.y)} r="6" class="shape" /> }
                    };
                    html! {
                        <g class={classes!("marker", if m.ghost { "ghost" } else { "record" })}>
                            <title>{ label }</title>
                            { shape }
                        </g>
                    }
                }) }
                <line x1={px(l.playhead)} x2={px(l.playhead)} y1="0" y2={px(l.axis_y)} class="playhead" />
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct OutcomeSlideProps {
    scenario: Shared<Scenario>,
    exercise: Shared<Exercise>,
    derived: Shared<Derived>,
    interventions: Interventions,
    seed: u64,
    font: f64,
}

/// The metrics the outcome slide compares.
const OUTCOME: [Metric; 5] = [
    Metric::TimeToDetect,
    Metric::FirstCustomerMessage,
    Metric::TimeToMitigate,
    Metric::TimeToResolve,
    Metric::LostEvents,
];

/// The outcome as a slide: the room's day against the record on one axis, each of the room's
/// decisions and curveballs numbered with its consequence, a legend, and the main figures.
#[component]
fn OutcomeSlide(props: &OutcomeSlideProps) -> Html {
    let frame = use_node_ref();
    let (frame_w, _) = use_size(frame.clone(), (1600.0, 0.0));
    let consequences = {
        let (s, e, i, seed) = (
            props.scenario.clone(),
            props.exercise.clone(),
            props.interventions.clone(),
            props.seed,
        );
        use_memo((s.clone(), i.clone(), seed), move |_| {
            crate::debrief::consequences(&s, &e, &i, seed)
        })
    };
    let d = &props.derived;
    let record: &RunRecord = &d.record;
    let room: &RunRecord = d.ghost.as_ref().map_or(record, |g| &g.0);
    let marks: Vec<MarkInput> = props
        .interventions
        .as_slice()
        .iter()
        .enumerate()
        .map(|(k, i)| MarkInput {
            at: i.at,
            number: k + 1,
            curveball: matches!(i.kind, InterventionKind::Curveball(_)),
        })
        .collect();
    let l: OutcomeLayout = outcome_layout(&OutcomeInputs {
        scenario: &props.scenario,
        record,
        room,
        marks: &marks,
        width: frame_w,
        font: props.font,
    });
    let f = l.font;
    let cell = |m: Metric, r: &RunRecord| {
        m.value(r)
            .filter(|_| m.applies(r))
            .map(|v| m.format(v))
            .unwrap_or_else(|| "—".into())
    };
    let effects = crate::debrief::effects(room, record);
    // The record's moments the room's day overtook: what the record did, and when the room got there.
    let passed: Vec<String> = room_run(d)
        .map(|run| {
            let gone = overtaken(&props.exercise, run);
            props
                .exercise
                .injects
                .iter()
                .zip(gone)
                .filter(|(_, o)| *o)
                .filter_map(|(i, _)| {
                    let yours = outage_sim::exercise::spoiler::reached_in(run, &i.record_id)?;
                    Some(format!(
                        "{} ({} in the record; your day: {}).",
                        i.title,
                        props.scenario.clock.hhmm_local(i.at),
                        props.scenario.clock.hhmm_local(yours)
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        <section class="projector-outcome" data-testid="projector-outcome" aria-labelledby="outcome-title">
            <h1 id="outcome-title">{ "The outcome: your day against the record" }</h1>
            <div class="outcome-chart" ref={frame}>
                <svg width={px(l.width)} height={px(l.height)} viewBox={format!("0 0 {} {}", px(l.width), px(l.height))}
                     role="img" aria-label="Your day against the record" font-size={px(f)}>
                    { for l.tracks.iter().map(|t| html! {
                        <g class={classes!("outcome-track", t.room.then_some("room"))}>
                            <text x="0" y={px(t.bar_y + t.bar_h * 0.75)} class="outcome-name">{ t.name }</text>
                            if let Some((x0, x1)) = t.outage {
                                <rect x={px(x0)} y={px(t.bar_y)} width={px((x1 - x0).max(2.0))} height={px(t.bar_h)} class="outcome-outage" />
                            }
                            if let Some((x0, x1)) = t.waiting {
                                <rect x={px(x0)} y={px(t.bar_y + t.bar_h * 0.3)} width={px((x1 - x0).max(2.0))} height={px(t.bar_h * 0.4)} class="outcome-waiting" />
                            }
                            if let Some(x) = t.resolved {
                                <line x1={px(x)} x2={px(x)} y1={px(t.bar_y - 4.0)} y2={px(t.bar_y + t.bar_h + 4.0)} class="outcome-resolved" />
                            }
                            { for t.labels.iter().map(|a| html! {
                                <text x={px(a.x)} y={px(a.y)} text-anchor={a.anchor.svg()} class="outcome-label">{ a.text.clone() }</text>
                            }) }
                        </g>
                    }) }
                    { for l.marks.iter().map(|m| {
                        let r = f * 0.7;
                        let shape = if m.curveball {
                            format!("M{x},{t} L{rr},{b} L{ll},{b} Z", x = px(m.x), t = px(m.y - r), b = px(m.y + r), ll = px(m.x - r), rr = px(m.x + r))
                        } else {
                            format!("M{x},{t} L{rr},{y} L{x},{b} L{ll},{y} Z", x = px(m.x), y = px(m.y), t = px(m.y - r), b = px(m.y + r), ll = px(m.x - r), rr = px(m.x + r))
                        };
                        html! {
                            <g class={classes!("outcome-mark", m.curveball.then_some("curveball"))}>
                                <path d={shape} />
                                <text x={px(m.x + r + 3.0)} y={px(m.y + f * 0.35)} class="outcome-label">{ m.number.to_string() }</text>
                            </g>
                        }
                    }) }
                    <line x1={px(l.plot.0)} x2={px(l.plot.1)} y1={px(l.axis_y)} y2={px(l.axis_y)} class="axis" />
                    { for l.ticks.iter().map(|(x, label)| html! {
                        <g>
                            <line x1={px(*x)} x2={px(*x)} y1={px(l.axis_y)} y2={px(l.axis_y + 6.0)} class="axis" />
                            if let Some(a) = label {
                                <text x={px(a.x)} y={px(a.y)} text-anchor={a.anchor.svg()} class="outcome-tick">{ a.text.clone() }</text>
                            }
                        </g>
                    }) }
                    <g class="outcome-legend" data-testid="outcome-legend">
                        { for l.legend.iter().map(|item| {
                            let s = f * 1.4;
                            let swatch = match item.kind {
                                "outage" => html! { <rect x={px(item.x)} y={px(item.y - s * 0.7)} width={px(s)} height={px(s * 0.8)} class="outcome-outage" /> },
                                "waiting" => html! { <rect x={px(item.x)} y={px(item.y - s * 0.5)} width={px(s)} height={px(s * 0.35)} class="outcome-waiting" /> },
                                "resolved" => html! { <line x1={px(item.x + s / 2.0)} x2={px(item.x + s / 2.0)} y1={px(item.y - s * 0.8)} y2={px(item.y + s * 0.1)} class="outcome-resolved" /> },
                                "curveball" => html! { <path d={format!("M{},{} L{},{} L{},{} Z", px(item.x + s / 2.0), px(item.y - s * 0.75), px(item.x + s), px(item.y), px(item.x), px(item.y))} class="outcome-mark curveball" /> },
                                _ => html! { <path d={format!("M{},{} L{},{} L{},{} L{},{} Z", px(item.x + s / 2.0), px(item.y - s * 0.75), px(item.x + s), px(item.y - s * 0.35), px(item.x + s / 2.0), px(item.y + s * 0.05), px(item.x), px(item.y - s * 0.35))} class="outcome-mark" /> },
                            };
                            html! {
                                <g>
                                    { swatch }
                                    <text x={px(item.x + s + f * 0.4)} y={px(item.y)} class="outcome-label">{ item.text }</text>
                                </g>
                            }
                        }) }
                    </g>
                </svg>
            </div>
            <div class="outcome-body">
                <section class="outcome-consequences" aria-label="What each decision did">
                    <h2>{ "Because of what you did" }</h2>
                    if consequences.is_empty() {
                        <p>{ "No decision changed the simulated day: your day is the record's." }</p>
                    } else {
                        <ol>
                            { for consequences.iter().map(|c| html! { <li>{ capitalised(&c.sentence()) }</li> }) }
                        </ol>
                    }                    if !effects.is_empty() {
                        <p class="outcome-total">{ format!("Altogether: {}.", effects.iter().map(|e| e.text.clone()).collect::<Vec<_>>().join(", ")) }</p>
                    }
                    if !passed.is_empty() {
                        <p class="outcome-passed" data-testid="outcome-overtaken">{ format!("Your day got there before the record: {}", passed.join(" ")) }</p>
                    }
                </section>
                <table class="outcome-table">
                    <thead><tr><th scope="col">{ "" }</th><th scope="col">{ "As it happened" }</th><th scope="col">{ "Your day" }</th></tr></thead>
                    <tbody>
                        { for OUTCOME.iter().map(|&m| html! {
                            <tr><th scope="row">{ m.label() }</th><td>{ cell(m, record) }</td><td>{ cell(m, room) }</td></tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_fills_its_frame_at_the_largest_zoom_the_height_allows() {
        // Tall enough: the full zoom.
        assert_eq!(fitted_layout_width((1750.0, 1000.0), 300.0), 1000.0);
        // A 1280×720 screen: the height allows 1.2×, so the layout is wider, not letterboxed.
        assert_eq!(fitted_layout_width((1200.0, 360.0), 300.0), 1000.0); // A short frame: a wider layout scaled down, never below the least zoom; a frame not
                                                                         // measured yet keeps the full zoom.
        assert_eq!(fitted_layout_width((1000.0, 240.0), 300.0), 1250.0);
        assert_eq!(fitted_layout_width((600.0, 100.0), 300.0), 1000.0);
        assert_eq!(fitted_layout_width((1750.0, 0.0), 300.0), 1000.0);
    }

    #[test]
    fn the_room_s_type_is_large_enough_on_both_screens() {
        assert!(room_font(1080.0) >= 20.0);
        assert!(room_font(720.0) >= 16.0);
        assert_eq!(room_font(400.0), 16.5);
        assert_eq!(room_font(4000.0), 30.0);
    }
}
