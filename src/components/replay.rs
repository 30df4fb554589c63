//! The replay section: playback controls, the impact-start assumption, the swimlane timeline
//! (the record and, with safeguards on, the ghost run beside it), the selected event's source and
//! the log of what has happened so far.

use outage_sim::metrics::Metric;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use yew::prelude::*;

use super::controls::{ImpactStart, SpanToggles};
use super::event_panel::{EventDetail, EventLog};
use super::timeline::Timeline;
use super::transport::Transport;
use crate::charts::timeline_layout::{layout, Inputs, Layout, MarkerId};
use crate::hooks::use_width;
use crate::state::{Action, AppState, Derived, Shared};

#[derive(Properties, PartialEq)]
pub struct ReplayProps {
    pub scenario: Shared<Scenario>,
    pub derived: Shared<Derived>,
    pub now: SimTime,
    pub playing: bool,
    pub speed: u32,
    pub spans: Vec<Metric>,
    pub selected: Option<MarkerId>,
    pub seed: u64,
    pub dispatch: UseReducerDispatcher<AppState>,
}

fn act<T: 'static>(
    dispatch: &UseReducerDispatcher<AppState>,
    f: impl Fn(T) -> Action + 'static,
) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |v| dispatch.dispatch(f(v)))
}

#[component]
pub fn ReplaySection(props: &ReplayProps) -> Html {
    let d = &props.dispatch;
    let frame = use_node_ref();
    let width = use_width(frame.clone(), 1000.0);
    let layout: Shared<Layout> = {
        let (scenario, derived, now, spans) = (
            props.scenario.clone(),
            props.derived.clone(),
            props.now,
            props.spans.clone(),
        );
        let memo = use_memo(
            (derived.clone(), now, width as i64, spans.clone()),
            move |_| {
                let ghost = derived.ghost.as_ref().map(|(r, t)| (r, t.as_slice()));
                layout(&Inputs {
                    scenario: &scenario,
                    replay: &derived.replay,
                    record: &derived.record,
                    ghost,
                    range: derived.range,
                    now,
                    width,
                    spans: &spans,
                })
            },
        );
        Shared(memo)
    };
    // The detail panel follows the latest event unless one is selected.
    let latest = layout
        .markers
        .iter()
        .max_by_key(|m| (m.at, m.ghost))
        .map(|m| m.id);
    let shown = props.selected.or(latest);
    let has_ghost = props.derived.ghost.is_some();
    html! {
        <section id="replay" class="card replay" aria-labelledby="replay-title">
            <div class="card-head">
                <h2 id="replay-title">{ "Replay — as it happened" }</h2>
                <p class="legend" aria-label="Legend">
                    <span class="key key-record">{ "● As it happened" }</span>
                    if has_ghost {
                        <span class="key key-ghost">{ format!("◆ With safeguards (one run, seed {})", props.seed) }</span>
                    }
                    <span class="key key-unknown">{ "Undetected window (assumed)" }</span>
                    <span class="key key-outage">{ "Service gone" }</span>
                </p>
            </div>
            <Transport
                scenario={props.scenario.clone()}
                now={props.now}
                range={props.derived.range}
                playing={props.playing}
                speed={props.speed}
                on_play={act(d, |_| Action::Play)}
                on_pause={act(d, |_| Action::Pause)}
                on_step_next={act(d, |_| Action::StepNext)}
                on_step_prev={act(d, |_| Action::StepPrev)}
                on_restart={act(d, |_| Action::Restart)}
                on_show_all={act(d, |_| Action::ShowAll)}
                on_speed={act(d, Action::SetSpeed)}
                on_seek={act(d, Action::Seek)}
            />
            <div class="timeline-frame" ref={frame} data-testid="timeline">
                <Timeline
                    layout={layout.clone()}
                    scenario={props.scenario.clone()}
                    derived={props.derived.clone()}
                    selected={shown}
                    on_select={act(d, Action::Select)}
                />
            </div>
            <div class="replay-controls">
                <ImpactStart scenario={props.scenario.clone()} on_change={act(d, Action::SetImpactStart)} />
                <SpanToggles shown={props.spans.clone()} on_toggle={act(d, Action::ToggleSpan)} />
            </div>
            <div class="replay-reading">
                <EventDetail scenario={props.scenario.clone()} derived={props.derived.clone()} shown={shown} merged_at={props.derived.record.merged_at} />
                <EventLog
                    scenario={props.scenario.clone()}
                    derived={props.derived.clone()}
                    has_ghost={has_ghost}
                    now={props.now}
                    merged_at={props.derived.record.merged_at}
                    selected={shown}
                    on_select={act(d, Action::Select)}
                />
            </div>
        </section>
    }
}
