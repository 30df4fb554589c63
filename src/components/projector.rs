//! The room's view, for a projector: the clock, the day so far on the timeline, what the room
//! is told now and the question, the fired curveballs, and the timers — in large type, high
//! contrast, filling the screen without scrolling. It shows only what the console has revealed:
//! nothing before the discovery (when the service went, the change behind it, the undetected
//! window), no event after the playhead, and no metric or outcome until the facilitator reveals
//! them.

use outage_sim::exercise::Exercise;
use outage_sim::metrics::Metric;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use yew::prelude::*;

use super::timeline::Timeline;
use crate::charts::timeline_layout::Layout;
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
    pub current: Option<usize>,
    pub fired: Vec<Fired>,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
    pub outcome_revealed: bool,
    /// A console has sent its view.
    pub following: bool,
}

/// The metrics the room sees once the outcome is revealed.
const OUTCOME: [Metric; 4] = [
    Metric::TimeToDetect,
    Metric::TimeToMitigate,
    Metric::TimeToResolve,
    Metric::LostEvents,
];

/// How much the projector's timeline is enlarged: it is laid out for a screen this many times
/// narrower and scaled up to the width, so its 13 px lane labels read at 22 px and more.
const TIMELINE_ZOOM: f64 = 1.75;

/// The width to lay the timeline out at, so that scaled up to fill its frame it fills it both
/// ways: `TIMELINE_ZOOM` when the frame is tall enough for it, else the enlargement the frame's
/// height allows, over a proportionally wider layout (a 1280×720 screen gets a wider chart
/// rather than black bands on each side). The lanes' height does not depend on the width, so
/// the height of a layout at any width (`natural_height`) decides it.
pub fn fitted_layout_width(frame: (f64, f64), natural_height: f64) -> f64 {
    let (w, h) = frame;
    let zoom = if h > 0.0 && natural_height > 0.0 {
        (h / natural_height).clamp(1.0, TIMELINE_ZOOM)
    } else {
        TIMELINE_ZOOM
    };
    w / zoom
}

#[component]
pub fn Projector(props: &ProjectorProps) -> Html {
    let s = &props.scenario;
    let frame = use_node_ref();
    let (frame_w, frame_h) = use_size(frame.clone(), (1600.0, 0.0));
    let layout: Shared<Layout> = {
        let (scenario, derived, now, revealed) = (
            props.scenario.clone(),
            props.derived.clone(),
            props.now,
            props.outcome_revealed,
        );
        Shared(use_memo(
            (
                derived.clone(),
                now,
                frame_w as i64,
                frame_h as i64,
                revealed,
            ),
            move |_| {
                let room_from = (!revealed).then_some(derived.replay.discovered);
                let at = |width| derived.timeline(&scenario, now, width, &[], room_from);
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
    let running = props.inject_timer.is_running() || props.exercise_timer.is_running();
    let wall = use_wall_clock(running);
    let inject = props
        .current
        .and_then(|k| props.exercise.as_ref()?.injects.get(k).cloned());
    // Curveballs fired by now, newest first, as the room is told them.
    let fired: Vec<(String, Vec<String>)> = props
        .exercise
        .as_ref()
        .map(|e| {
            props
                .fired
                .iter()
                .rev()
                .filter_map(|f| {
                    let i = e.parse_intervention(s, &f.text, true).ok()?;
                    (i.at <= props.now).then_some(())?;
                    let card =
                        e.curveball_card(outage_sim::intervention::CurveballId::from_id(i.id())?)?;
                    Some((
                        card.title.clone(),
                        card.participant_text
                            .iter()
                            .map(|p| p.text.clone())
                            .collect(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let timer = |label: &str, c: &Countdown| {
        html! {
            <div class={classes!("projector-timer", c.is_up(wall).then_some("timer-up"))}>
                <span class="timer-label">{ label.to_string() }</span>
                <span class="timer-value" role="timer">{ c.text(wall) }</span>
            </div>
        }
    };
    let phase = props
        .exercise
        .as_ref()
        .and_then(|e| e.phase_at(s, props.now).map(|p| p.title.clone()))
        .filter(|_| inject.is_some());
    html! {
        <div class="projector" data-testid="projector">
            <header class="projector-head">
                <div class="projector-clock" data-testid="clock" aria-label="Simulated time">
                    <span class="clock-local">{ s.clock.hhmm_local(props.now) }<small>{ format!(" {}", s.zone_label) }</small></span>
                    <span class="clock-utc">{ s.clock.hhmm_utc(props.now) }<small>{ " UTC" }</small></span>
                </div>
                <div class="projector-phase">
                    if let Some(phase) = phase { <span>{ phase }</span> }
                </div>
                <div class="projector-timers">
                    { timer("This inject", &props.inject_timer) }
                    { timer("Exercise", &props.exercise_timer) }
                    <button type="button" class="projector-fullscreen" onclick={Callback::from(|_: MouseEvent| crate::hooks::shortcuts::toggle_full_screen())}
                            title="Full screen (F)">{ "Full screen" }</button>
                </div>
            </header>
            <div class="projector-timeline" ref={frame}>
                <Timeline layout={layout} scenario={props.scenario.clone()} derived={props.derived.clone()}
                          selected={None} on_select={Callback::noop()} />
            </div>
            <div class="projector-body">
                if !props.following {
                    <section class="projector-inject">
                        <p class="projector-wait">{ "Waiting for the facilitator's console…" }</p>
                        <p>{ "Open this page from the console's “Open the projector view”, in the same browser." }</p>
                    </section>
                } else if let Some(inject) = inject {
                    <section class="projector-inject" data-testid="projector-inject" aria-live="polite">
                        <h1>{ inject.title.clone() }</h1>
                        { for inject.participant_text.iter().map(|p| html! { <p>{ p.text.clone() }</p> }) }
                    </section>
                    <section class="projector-question">
                        <h2>{ "For the room" }</h2>
                        <ol>{ for inject.questions.iter().map(|q| html! { <li>{ q.clone() }</li> }) }</ol>
                    </section>
                } else {
                    <section class="projector-inject">
                        <h1>{ props.exercise.as_ref().map(|e| e.title.clone()).unwrap_or_default() }</h1>
                        <p>{ "The exercise starts in a moment." }</p>
                    </section>
                }
                if !fired.is_empty() {
                    <section class="projector-curveballs">
                        { for fired.into_iter().map(|(title, text)| html! {
                            <div class="projector-curveball">
                                <h2>{ title }</h2>
                                { for text.into_iter().map(|t| html! { <p>{ t }</p> }) }
                            </div>
                        }) }
                    </section>
                }
                if props.outcome_revealed {
                    <section class="projector-outcome" data-testid="projector-outcome">
                        <h2>{ "The outcome" }</h2>
                        <table>
                            <thead><tr><th scope="col">{ "" }</th><th scope="col">{ "As it happened" }</th>
                                if props.derived.ghost.is_some() { <th scope="col">{ "Your day" }</th> }</tr></thead>
                            <tbody>
                                { for OUTCOME.iter().map(|&m| {
                                    let cell = |r: &outage_sim::RunRecord| m.value(r).filter(|_| m.applies(r)).map(|v| m.format(v)).unwrap_or_else(|| "—".into());
                                    html! {
                                        <tr>
                                            <th scope="row">{ m.label() }</th>
                                            <td>{ cell(&props.derived.record) }</td>
                                            if let Some((g, _)) = &props.derived.ghost { <td>{ cell(g) }</td> }
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </section>
                }
            </div>
        </div>
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
        assert_eq!(fitted_layout_width((1200.0, 360.0), 300.0), 1000.0);
        // Never smaller than life, and a frame not measured yet keeps the full zoom.
        assert_eq!(fitted_layout_width((1000.0, 100.0), 300.0), 1000.0);
        assert_eq!(fitted_layout_width((1750.0, 0.0), 300.0), 1000.0);
    }
}
