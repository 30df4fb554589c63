//! Small controls of the replay: the impact-start assumption slider and the metric-span toggles.

use outage_sim::human_duration;
use outage_sim::metrics::Metric;
use outage_sim::scenario::Scenario;
use outage_sim::time::{SimTime, MINUTE};
use yew::prelude::*;

use crate::state::Shared;

#[derive(Properties, PartialEq)]
pub struct ImpactStartProps {
    pub scenario: Shared<Scenario>,
    pub on_change: Callback<SimTime>,
}

/// The unknown moment the service went away, as an explicit, adjustable assumption.
#[component]
pub fn ImpactStart(props: &ImpactStartProps) -> Html {
    let s = &props.scenario;
    let a = &s.assumptions.impact_start;
    let discovered = s.event_time("discovered").unwrap_or(a.max);
    let on_input = super::on_whole_number(&props.on_change);
    html! {
        <div class="assumption">
            <label for="impact-start">
                <span class="assumption-title">{ "Service gone at " }<strong>{ super::both_clocks(s, a.at) }</strong></span>
                <span class="tag tag-assumption">{ "assumption" }</span>
            </label>
            <input id="impact-start" data-testid="impact-start" type="range"
                   min={a.min.to_string()} max={a.max.to_string()} step={MINUTE.to_string()} value={a.at.to_string()}
                   oninput={on_input}
                   aria-valuetext={format!("{} {}, {} before discovery", s.clock.hhmm_local(a.at), s.zone_label, human_duration(discovered - a.at))} />
            <p class="hint">
                { format!("Undetected for {} before anyone noticed. ", human_duration(discovered - a.at)) }
                { a.provenance.note().to_string() }
            </p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SpanTogglesProps {
    pub shown: Vec<Metric>,
    pub on_toggle: Callback<Metric>,
}

/// Which metric spans the timeline draws.
#[component]
pub fn SpanToggles(props: &SpanTogglesProps) -> Html {
    html! {
        <fieldset class="span-toggles">
            <legend>{ "Show spans" }</legend>
            { for Metric::TIMES.iter().map(|&m| {
                let on = props.shown.contains(&m);
                let cb = props.on_toggle.reform(move |_: Event| m);
                html! {
                    <label class="chip" title={m.definition()}>
                        <input type="checkbox" checked={on} onchange={cb} />
                        <span>{ m.short() }</span>
                    </label>
                }
            }) }
        </fieldset>
    }
}
