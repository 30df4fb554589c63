//! Playback controls: restart, step back, play, pause, step forward, show all, speed, a scrub
//! bar and the clock in the scenario's zone and UTC. A toolbar operable from the keyboard.

use outage_sim::scenario::Scenario;
use outage_sim::time::{SimTime, MINUTE};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::{Shared, SPEEDS};

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    pub scenario: Shared<Scenario>,
    pub now: SimTime,
    pub range: (SimTime, SimTime),
    pub playing: bool,
    pub speed: u32,
    pub on_play: Callback<()>,
    pub on_pause: Callback<()>,
    pub on_step_next: Callback<()>,
    pub on_step_prev: Callback<()>,
    pub on_restart: Callback<()>,
    pub on_show_all: Callback<()>,
    pub on_speed: Callback<u32>,
    pub on_seek: Callback<SimTime>,
    /// The scrub bar's drag starts (`true`) or ends (`false`).
    pub on_scrub: Callback<bool>,
}

fn speed_label(speed: u32) -> &'static str {
    match speed {
        1 => "1× (real time)",
        10 => "10×",
        60 => "60× (1 min/s)",
        600 => "600× (10 min/s)",
        _ => "3600× (1 h/s)",
    }
}

#[component]
pub fn Transport(props: &TransportProps) -> Html {
    let s = &props.scenario;
    let clock = &s.clock;
    let (t0, t1) = props.range;
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    let on_speed = props.on_speed.reform(|e: Event| {
        e.target_unchecked_into::<HtmlSelectElement>()
            .value()
            .parse()
            .unwrap_or(60)
    });
    let on_seek = super::on_whole_number(&props.on_seek);
    let scrub_start = props.on_scrub.reform(|_: PointerEvent| true);
    let scrub_end = props.on_scrub.reform(|_: PointerEvent| false);
    let scrub_done = props.on_scrub.reform(|_: Event| false);
    let at_end = props.now >= t1;
    html! {
        <div class="transport">
            <div class="clock" data-testid="clock" role="timer" aria-live="off" aria-label="Simulated time">
                <span class="clock-local">{ clock.hhmmss_local(props.now) }<small>{ format!(" {}", s.zone_label) }</small></span>
                <span class="clock-utc">{ clock.hhmmss_utc(props.now) }<small>{ " UTC" }</small></span>
            </div>
            <div class="transport-buttons" role="toolbar" aria-label="Playback">
                <button type="button" onclick={click(&props.on_restart)} aria-label="Back to the start" title="Back to the start">{ "|◀" }</button>
                <button type="button" data-testid="step-prev" onclick={click(&props.on_step_prev)} aria-label="Prev: back to the previous event" title="Previous event">{ "◀ Prev" }</button>
                <button type="button" class="primary" data-testid="play" disabled={props.playing} onclick={click(&props.on_play)}
                        aria-label={if at_end { "Play again from the start" } else { "Play" }}>{ "▶ Play" }</button>
                <button type="button" data-testid="pause" disabled={!props.playing} onclick={click(&props.on_pause)} aria-label="Pause">{ "❚❚ Pause" }</button>
                <button type="button" data-testid="step-next" onclick={click(&props.on_step_next)} aria-label="Next: on to the next event" title="Next event">{ "Next ▶" }</button>
                <button type="button" onclick={click(&props.on_show_all)} aria-label="Show everything (jump to the end)" title="Show everything">{ "▶|" }</button>
                <label class="speed">
                    <span>{ "Speed" }</span>
                    <select data-testid="speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|&v| html! {
                            <option value={v.to_string()} selected={v == props.speed}>{ speed_label(v) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <label class="scrub">
                <span class="visually-hidden">{ "Scrub the timeline" }</span>
                <input type="range" min={t0.to_string()} max={t1.to_string()} step={MINUTE.to_string()}
                       value={props.now.to_string()} oninput={on_seek}
                       onpointerdown={scrub_start} onpointerup={scrub_end.clone()} onpointercancel={scrub_end}
                       onchange={scrub_done}
                       aria-valuetext={format!("{} {}", clock.hhmm_local(props.now), s.zone_label)} />
            </label>
        </div>
    }
}
