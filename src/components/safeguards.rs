//! The safeguard panel: presets (with what the record says and what is our assumption), and
//! every safeguard of the engine with a switch, a one-line explanation, its parameters (units,
//! ranges, defaults and where each default comes from), and the scenario's own assumptions it
//! brings into play (such as how long an alert waits in a channel). A value out of range is
//! refused next to its field and the last good value stays in force.

use outage_sim::safeguards::{Config, ParamKind, ParamSpec, Preset, SafeguardId, Source, Stage};
use outage_sim::scenario::Scenario;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::Shared;

#[derive(Properties, PartialEq)]
pub struct SafeguardPanelProps {
    /// For the scenario's assumptions a safeguard brings into play.
    pub scenario: Shared<Scenario>,
    pub config: Config,
    pub active_preset: Option<Preset>,
    pub on_preset: Callback<Preset>,
    pub on_toggle: Callback<(SafeguardId, bool)>,
    pub on_param: Callback<(SafeguardId, &'static str, f64)>,
}

const STAGES: [Stage; 6] = [
    Stage::Prevent,
    Stage::Contain,
    Stage::Detect,
    Stage::Respond,
    Stage::Recover,
    Stage::Communicate,
];

#[component]
pub fn SafeguardPanel(props: &SafeguardPanelProps) -> Html {
    let presets = Preset::ALL.iter().map(|&p| {
        let on = props.active_preset == Some(p);
        let click = props.on_preset.reform(move |_: MouseEvent| p);
        html! {
            <button type="button" class={classes!("preset", on.then_some("active"))} data-testid={format!("preset-{}", p.slug())}
                    aria-pressed={on.to_string()} title={p.description()} onclick={click}>
                { p.label() }
            </button>
        }
    });
    let groups = STAGES.iter().map(|&stage| {
        let items = SafeguardId::ALL.iter().filter(|id| id.stage() == stage).map(|&id| {
            html! {
                <SafeguardItem id={id} config={props.config} scenario={props.scenario.clone()}
                               on_toggle={props.on_toggle.clone()} on_param={props.on_param.clone()} />
            }
        });
        html! {
            <fieldset class="stage">
                <legend>{ stage.label() }</legend>
                { for items }
            </fieldset>
        }
    });
    let count = props.config.enabled().count();
    html! {
        <aside id="safeguards" class="sidebar card" aria-labelledby="safeguards-title">
            <h2 id="safeguards-title">{ "What if — safeguards" }</h2>
            <p class="hint">
                { "Switch safeguards on to replay the same day with them: the ghost run appears beside the record, with the metrics below. " }
                { format!("{count} of 13 on.") }
            </p>
            <div class="presets" role="group" aria-label="Presets">{ for presets }</div>
            if let Some(preset) = props.active_preset {
                <div class="preset-note" data-testid="preset-note">
                    <p>{ preset.description() }</p>
                    // Said once: some descriptions already name their assumption.
                    if let Some(assumption) = preset.assumption().filter(|_| !preset.description().contains("assumption")) {
                        <p><span class="tag tag-assumption">{ "assumption" }</span>{ format!(" {assumption}") }</p>
                    }
                </div>
            }
            { for groups }
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    id: SafeguardId,
    config: Config,
    scenario: Shared<Scenario>,
    on_toggle: Callback<(SafeguardId, bool)>,
    on_param: Callback<(SafeguardId, &'static str, f64)>,
}

#[component]
fn SafeguardItem(props: &ItemProps) -> Html {
    let id = props.id;
    let on = props.config.is_enabled(id);
    let toggle = props
        .on_toggle
        .reform(move |e: Event| (id, e.target_unchecked_into::<HtmlInputElement>().checked()));
    let input_id = format!("sg-{}", id.id());
    let summary_id = format!("sg-{}-summary", id.id());
    html! {
        <div class={classes!("safeguard", on.then_some("on"))}>
            <div class="safeguard-head">
                <input type="checkbox" class="switch" id={input_id.clone()} data-testid={format!("safeguard-{}", id.id())}
                       checked={on} onchange={toggle} aria-describedby={summary_id.clone()} />
                <label for={input_id} class="safeguard-name">{ id.name() }</label>
            </div>
            <p class="safeguard-summary" id={summary_id}>{ id.summary() }</p>
            if on && !id.params().is_empty() {
                <div class="params">
                    { for id.params().iter().map(|spec| html! {
                        <ParamInput id={id} spec={spec.clone()} value={props.config.value(id, spec.key).unwrap_or(spec.default)} on_param={props.on_param.clone()} />
                    }) }
                </div>
                // Parameters the others' values make inapplicable are said, never silently ignored.
                { for props.config.notes().into_iter().filter(|n| n.safeguard == id).map(|n| html! {
                    <p class="hint param-note" data-testid={format!("param-note-{}", n.key)}>{ format!("{}: {}", n.key, n.why) }</p>
                }) }
            }
            if on {
                { brings_into_play(id, &props.scenario) }
            }
        </div>
    }
}

/// The scenario's own steps and assumptions a safeguard brings into play (such as how long an
/// alert waits in a channel), with their values and where they come from.
fn brings_into_play(id: SafeguardId, scenario: &Scenario) -> Html {
    let steps = id.scenario_steps().iter().map(|&step| {
        let s = &scenario.steps[step];
        let median = outage_sim::human_duration(scenario.median(s));
        let provenance = if s.provenance.kind() == "assumption" {
            &s.provenance
        } else {
            &s.spread_provenance
        };
        (
            s.label.clone(),
            format!("median {median}"),
            provenance.clone(),
        )
    });
    let numbers = id.scenario_assumptions().iter().map(|&a| {
        let n = &scenario.assumptions[a];
        (
            n.label.clone(),
            format!("{} {}", outage_sim::numfmt::trimmed(n.value, 4), n.unit),
            n.provenance.clone(),
        )
    });
    let rows: Vec<_> = steps.chain(numbers).collect();
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <div class="brings-into-play">
            <p class="brings-title">{ "Also acts through the scenario's own:" }</p>
            <ul>
                { for rows.into_iter().map(|(label, value, provenance)| html! {
                    <li>
                        <span class="brings-label">{ label }</span>{ ": " }<strong>{ value }</strong>{ " " }
                        <span class={classes!("tag", format!("tag-{}", provenance.kind()))}>{ provenance.kind() }</span>
                        { format!(" {}", provenance.note()) }
                        if let Some(basis) = provenance.based_on() { { format!(" (Based on: {basis}.)") } }
                    </li>
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ParamProps {
    id: SafeguardId,
    spec: ParamSpec,
    value: f64,
    on_param: Callback<(SafeguardId, &'static str, f64)>,
}

/// A step that suits the parameter's kind and range.
fn step(spec: &ParamSpec) -> &'static str {
    match spec.kind {
        ParamKind::Count | ParamKind::Choice => "1",
        ParamKind::Seconds => "1",
        ParamKind::Probability => "0.05",
        ParamKind::Ratio if spec.max - spec.min < 0.5 => "0.001",
        ParamKind::Ratio => "0.05",
    }
}

#[component]
fn ParamInput(props: &ParamProps) -> Html {
    let (id, spec) = (props.id, &props.spec);
    // What the user typed and why it was refused; cleared once a good value is committed.
    let rejected = use_state(|| None::<(String, String)>);
    let field_id = format!("p-{}-{}", id.id(), spec.key);
    let help_id = format!("{field_id}-help");
    let key = spec.key;
    let commit = {
        let (rejected, spec, on_param) = (rejected.clone(), spec.clone(), props.on_param.clone());
        move |text: String| match spec.parse(id, &text) {
            Ok(value) => {
                rejected.set(None);
                on_param.emit((id, key, value));
            }
            Err(e) => rejected.set(Some((text, e.to_string()))),
        }
    };
    let source = match spec.source {
        Source::Cited => html! { <span class="tag tag-cited">{ "cited" }</span> },
        Source::Assumption => html! { <span class="tag tag-assumption">{ "assumption" }</span> },
    };
    let control = if spec.kind == ParamKind::Choice {
        let commit = commit.clone();
        let change = Callback::from(move |e: Event| {
            commit(e.target_unchecked_into::<HtmlSelectElement>().value())
        });
        html! {
            <select id={field_id.clone()} onchange={change} aria-describedby={help_id.clone()}>
                { for spec.choices.iter().enumerate().map(|(i, c)| html! {
                    <option value={c.to_string()} selected={props.value == i as f64}>{ *c }</option>
                }) }
            </select>
        }
    } else {
        let change = Callback::from(move |e: Event| {
            commit(e.target_unchecked_into::<HtmlInputElement>().value())
        });
        let shown = match &*rejected {
            Some((text, _)) => text.clone(),
            None => spec.format(props.value),
        };
        html! {
            <input id={field_id.clone()} type="number" inputmode="decimal" step={step(spec)}
                   min={spec.format(spec.min)} max={spec.format(spec.max)} value={shown}
                   onchange={change} aria-describedby={help_id.clone()} aria-invalid={rejected.is_some().to_string()} />
        }
    };
    let range = if spec.kind == ParamKind::Choice {
        spec.choices.join(" or ")
    } else {
        format!(
            "{} – {}{}",
            spec.format(spec.min),
            spec.format(spec.max),
            if spec.kind == ParamKind::Seconds {
                " s"
            } else {
                ""
            }
        )
    };
    html! {
        <div class="param">
            <label for={field_id}>{ spec.label }</label>
            <div class="param-control">
                { control }
                <span class="unit">{ if spec.kind == ParamKind::Probability { "" } else { spec.unit() } }</span>
            </div>
            <p class="param-help" id={help_id}>
                { format!("{} Default {} ({range}). ", spec.help, spec.format(spec.default)) }
                { source }
                { format!(" {}", spec.source_note) }
                if !spec.based_on.is_empty() { { format!(" Based on: {}.", spec.based_on) } }
            </p>
            if let Some((_, error)) = &*rejected {
                <p class="field-error" role="alert" data-testid="error">{ format!("Not applied: {error}") }</p>
            }
        </div>
    }
}
