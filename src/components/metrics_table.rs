//! The what-if metrics: every metric of the record and of the ghost run side by side, each with
//! its definition (from which event to which) and the change, so a room can read what the
//! safeguards bought in this run. Ranges over thousands of runs are in the next section.

use outage_sim::metrics::{Metric, RunRecord};
use outage_sim::trace::Outcome;
use yew::prelude::*;

use crate::state::{Derived, Shared};

#[derive(Properties, PartialEq)]
pub struct MetricsProps {
    pub derived: Shared<Derived>,
    pub seed: u64,
    pub on_seed: Callback<u64>,
}

/// The change from `base` to `now`, in words, and whether it is better, worse or neither.
fn change(m: Metric, base: &RunRecord, now: &RunRecord) -> (String, Option<bool>) {
    let (Some(a), Some(b)) = (
        m.value(base).filter(|_| m.applies(base)),
        m.value(now).filter(|_| m.applies(now)),
    ) else {
        return if !m.applies(now) {
            ("prevented".into(), Some(true))
        } else {
            ("—".into(), None)
        };
    };
    (m.format_change(b - a), m.verdict(a, b))
}

#[component]
pub fn MetricsSection(props: &MetricsProps) -> Html {
    let d = &props.derived;
    let ghost = d.ghost.as_ref().map(|g| &g.0);
    let outcome = ghost.map(|g| match g.outcome {
        Outcome::Prevented(by) => format!(
            "In this run the outage never happened: {} stopped it.",
            by.name()
        ),
        Outcome::Contained => {
            "In this run the canary contained the outage to a share of sites.".to_string()
        }
        Outcome::Outage => "In this run the service still went away for every site.".to_string(),
    });
    let rows = Metric::ALL.iter().map(|&m| {
        let (delta, better) = ghost.map(|g| change(m, &d.record, g)).unwrap_or_default();
        html! {
            <tr>
                <th scope="row">
                    <span class="metric-name">{ m.label() }</span>
                    <span class="metric-def">{ m.definition() }</span>
                    if let Some(caveat) = m.caveat() {
                        <span class="metric-caveat">{ "Can look worse with a safeguard: " }{ caveat }</span>
                    }
                </th>
                <td data-label="As it happened">{ m.shown(&d.record) }</td>
                if let Some(g) = ghost {
                    <td data-label="With safeguards">{ m.shown(g) }</td>
                    <td data-label="Change" class={classes!("delta", better.map(|b| if b { "better" } else { "worse" }))}>
                        { match better { Some(true) => "▼ ", Some(false) => "▲ ", None => "" } }{ delta }
                    </td>
                }
            </tr>
        }
    });
    let seed = props.seed;
    let redraw = props
        .on_seed
        .reform(move |_: MouseEvent| seed.wrapping_add(1));
    // A seed that is not a whole number ≥ 0 is refused next to the field; the run keeps its seed.
    let rejected = use_state(|| None::<String>);
    let typed = {
        let (on_seed, rejected) = (props.on_seed.clone(), rejected.clone());
        Callback::from(move |e: Event| {
            let text = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            match text.trim().parse::<u64>() {
                Ok(seed) => {
                    rejected.set(None);
                    on_seed.emit(seed);
                }
                Err(_) => rejected.set(Some(text)),
            }
        })
    };
    html! {
        <section id="what-if" class="card" aria-labelledby="what-if-title">
            <div class="card-head">
                <h2 id="what-if-title">{ "What if — metrics of this run" }</h2>
                <div class="card-actions">
                    <label class="inline-field">
                        <span>{ "Seed" }</span>
                        <input type="number" min="0" step="1" data-testid="seed" onchange={typed}
                               value={rejected.as_ref().cloned().unwrap_or_else(|| props.seed.to_string())}
                               aria-invalid={rejected.is_some().to_string()} />
                    </label>
                    <button type="button" class="ghost-button" onclick={redraw} disabled={ghost.is_none()}
                            title="Draw the safeguards' randomness again (next seed)">{ "Draw again" }</button>
                </div>
            </div>
            if let Some(text) = &*rejected {
                <p class="field-error" role="alert" data-testid="error">
                    { format!("Not applied: seed '{text}' is not a whole number from 0 to {}; still using seed {}.", u64::MAX, props.seed) }
                </p>
            }
            <p class="hint">
                { "One run, not a median: every delay no safeguard changes keeps its recorded value, so \u{201c}as it happened\u{201d} is the record itself (with the assumed impact start); the safeguards' own chance comes from the seed. Medians and ranges over thousands of runs are in the next section. " }
                if let Some(o) = outcome { { o } } else { { "Switch on a safeguard (or a preset) to compare it with the record." } }
            </p>
            <div class="table-scroll" role="region" aria-label="What-if metrics">
                <table class="metrics what-if-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "Metric (from → to)" }</th>
                            <th scope="col">{ "As it happened (the record)" }</th>
                            if ghost.is_some() {
                                <th scope="col">{ format!("{} (one run, seed {})", d.ghost_name(), props.seed) }</th>
                                <th scope="col">{ "Change" }</th>
                            }
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
