//! The replay section: playback controls, the impact-start assumption, the swimlane timeline
//! (the record and, with safeguards on, the ghost run beside it), the selected event's source and
//! the log of what has happened so far.

use gloo::render::{request_animation_frame, AnimationFrame};
use outage_sim::metrics::Metric;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use yew::prelude::*;

use super::controls::{ImpactStart, SpanToggles};
use super::event_panel::{EventDetail, EventLog};
use super::timeline::{LaneKey, Timeline};
use super::transport::Transport;
use crate::charts::timeline_layout::{Layout, MarkerId};
use crate::hooks::use_width;
use crate::state::{use_action, use_dispatch, Action, Derived, ReplayAction, Shared};

#[derive(Properties, PartialEq)]
pub struct ReplayProps {
    pub scenario: Shared<Scenario>,
    pub derived: Shared<Derived>,
    pub now: SimTime,
    pub playing: bool,
    /// A drag of the scrub bar is under way.
    pub scrubbing: bool,
    pub speed: u32,
    pub spans: Vec<Metric>,
    pub selected: Option<MarkerId>,
    pub seed: u64,
}

/// A drag of the scrub bar: where the finger last was, and the animation frame that will draw
/// it (dropping it cancels the frame).
#[derive(Default)]
struct DragSteps {
    at: Option<SimTime>,
    frame: Option<AnimationFrame>,
}

#[component]
pub fn ReplaySection(props: &ReplayProps) -> Html {
    let d = &use_dispatch();
    let on_play = use_action(d, |_: ()| Action::Replay(ReplayAction::Play));
    let on_pause = use_action(d, |_: ()| Action::Replay(ReplayAction::Pause));
    let on_step_next = use_action(d, |_: ()| Action::Replay(ReplayAction::StepNext));
    let on_step_prev = use_action(d, |_: ()| Action::Replay(ReplayAction::StepPrev));
    let on_restart = use_action(d, |_: ()| Action::Replay(ReplayAction::Restart));
    let on_show_all = use_action(d, |_: ()| Action::Replay(ReplayAction::ShowAll));
    let on_speed = use_action(d, |v| Action::Replay(ReplayAction::SetSpeed(v)));
    // While the scrub bar is dragged, the playhead moves here alone: each step of a drag draws
    // the clock and the timeline again, not the whole app, and the app's clock takes the drag's
    // last position when it ends (a step through the app's state took 50–100 ms on a phone).
    // Steps are drawn at most once per animation frame, in the frame's own task: the bar's
    // events only note where the finger is, so a slow phone skips positions instead of queueing
    // them, and an event's task is not also the drawing's. A seek that is not a drag (keys on
    // the bar) goes to the app's clock at once.
    let dragged = use_state_eq(|| None::<SimTime>);
    let drag = use_mut_ref(DragSteps::default);
    let on_seek = {
        let (dragged, drag, dispatch) = (dragged.clone(), drag.clone(), d.clone());
        use_callback(props.scrubbing, move |t: SimTime, &scrubbing| {
            if !scrubbing {
                dispatch.dispatch(Action::Replay(ReplayAction::Seek(t)));
                return;
            }
            let mut steps = drag.borrow_mut();
            steps.at = Some(t);
            if steps.frame.is_none() {
                let (dragged, drag) = (dragged.clone(), drag.clone());
                steps.frame = Some(request_animation_frame(move |_| {
                    let mut steps = drag.borrow_mut();
                    steps.frame = None;
                    dragged.set(steps.at);
                }));
            }
        })
    };
    let on_scrub = {
        let (dragged, drag, dispatch) = (dragged.clone(), drag.clone(), d.clone());
        use_callback((), move |on: bool, _| {
            if !on {
                // The frame still to come is not needed: the app's clock takes the position.
                let last = std::mem::take(&mut *drag.borrow_mut()).at;
                if let Some(t) = last {
                    dispatch.dispatch(Action::Replay(ReplayAction::Seek(t)));
                }
                dragged.set(None);
            }
            dispatch.dispatch(Action::Replay(ReplayAction::Scrub(on)));
        })
    };
    let now = dragged.unwrap_or(props.now);
    let on_select = use_action(d, |m| Action::Replay(ReplayAction::Select(m)));
    let on_impact = use_action(d, Action::SetImpactStart);
    let on_span = use_action(d, |m| Action::Replay(ReplayAction::ToggleSpan(m)));
    let frame = use_node_ref();
    let width = use_width(frame.clone(), 1000.0);
    let layout: Shared<Layout> = {
        let (scenario, derived, now, spans) = (
            props.scenario.clone(),
            props.derived.clone(),
            now,
            props.spans.clone(),
        );
        let memo = use_memo(
            (derived.clone(), now, width as i64, spans.clone()),
            move |_| derived.timeline(&scenario, now, width, &spans, None),
        );
        Shared(memo)
    };
    // The detail panel follows the latest event unless one is selected.
    let latest = layout
        .markers
        .iter()
        .max_by_key(|m| (m.at, m.ghost))
        .map(|m| m.id);
    let has_ghost = props.derived.ghost.is_some();
    // The log only changes when the playhead passes a moment: give it that moment, not the
    // playhead, so playback frames between events leave it alone.
    let moments = &props.derived.moments;
    let revealed_until = moments[..moments.partition_point(|&m| m <= now)]
        .last()
        .copied()
        .unwrap_or(i64::MIN);
    // While the scrub bar is dragged, the event's detail and the log hold still and catch up
    // when the drag ends: each step of a drag jumps minutes of the day, and redrawing the text
    // beside the timeline at every step made a step too slow on a phone.
    let reading = use_mut_ref(|| (None, i64::MIN));
    let (shown, revealed_until) = {
        let mut reading = reading.borrow_mut();
        if !props.scrubbing {
            *reading = (props.selected.or(latest), revealed_until);
        }
        *reading
    };
    html! {
        <section id="replay" class="card replay" aria-labelledby="replay-title">
            <div class="card-head">
                <h2 id="replay-title">{ "Replay — as it happened" }</h2>
                <p class="legend" aria-label="Legend">
                    <span class="key key-record">{ "● As it happened" }</span>
                    if has_ghost {
                        <span class="key key-ghost">{ format!("◆ {} (one run, seed {})", props.derived.ghost_name(), props.seed) }</span>
                    }
                    <span class="key key-unknown">{ "Undetected window (assumed)" }</span>
                    <span class="key key-outage">{ "Service gone" }</span>
                </p>
            </div>
            <Transport
                scenario={props.scenario.clone()}
                now={now}
                range={props.derived.range}
                playing={props.playing}
                speed={props.speed}
                on_play={on_play}
                on_pause={on_pause}
                on_step_next={on_step_next}
                on_step_prev={on_step_prev}
                on_restart={on_restart}
                on_show_all={on_show_all}
                on_speed={on_speed}
                on_seek={on_seek}
                on_scrub={on_scrub}
            />
            <div class="timeline-frame" ref={frame} data-testid="timeline">
                <Timeline
                    layout={layout.clone()}
                    scenario={props.scenario.clone()}
                    derived={props.derived.clone()}
                    selected={shown}
                    on_select={on_select.clone()}
                />
            </div>
            if layout.compact {
                <LaneKey />
            }
            <div class="replay-reading">
                <EventDetail scenario={props.scenario.clone()} derived={props.derived.clone()} shown={shown} merged_at={props.derived.record.merged_at} />
                <EventLog
                    scenario={props.scenario.clone()}
                    derived={props.derived.clone()}
                    has_ghost={has_ghost}
                    now={revealed_until}
                    merged_at={props.derived.record.merged_at}
                    selected={shown}
                    on_select={on_select.clone()}
                />
            </div>
            <div class="replay-controls">
                <ImpactStart scenario={props.scenario.clone()} on_change={on_impact} />
                <SpanToggles shown={props.spans.clone()} on_toggle={on_span} />
            </div>
        </section>
    }
}
