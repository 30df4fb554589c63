//! Beside the ranking: how much it rests on guesses (`ranking-sensitivity`). A button runs the
//! analysis in the worker pool (`state::sensitivity`); the result is a tornado chart of what one
//! safeguard saves as each guess moves to its plausible low and high (the first-ranked by
//! default, any other by choice), the statements where a guess changes which safeguard ranks
//! first or decides between two, and a tie the runs cannot resolve. The chart's geometry is
//! `charts::tornado`; this only draws it.

use outage_sim::safeguards::SafeguardId;
use outage_sim::sensitivity::{Sensitivity, NOT_VARIED};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::charts::px;
use crate::charts::tornado::{tornado, Tornado};
use crate::hooks::use_width;
use crate::state::sensitivity::SensitivityRun;
use crate::state::Shared;

#[derive(Properties, PartialEq)]
pub struct SensitivityProps {
    pub run: Option<SensitivityRun>,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn RankingSensitivity(props: &SensitivityProps) -> Html {
    let frame = use_node_ref();
    let width = use_width(frame.clone(), 760.0);
    let chosen = use_state(|| None::<SafeguardId>);
    let run = props.on_run.reform(|_: MouseEvent| ());
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let status = match &props.run {
        None => html! {},
        Some(r) if r.is_running() => {
            let (done, total) = r.progress();
            html! {
                <div class="progress-row">
                    <progress max={total.to_string()} value={done.to_string()} aria-label="Sensitivity under way" />
                    <span>{ format!("Running: {done} of {total} guesses' runs ({} runs each, seed {})", r.runs, r.seed) }</span>
                    <button type="button" class="ghost-button" data-testid="sensitivity-cancel" onclick={cancel}>{ "Cancel" }</button>
                </div>
            }
        }
        Some(r) => match &r.failed {
            Some(why) => {
                html! { <p class="hint" role="status">{ format!("The sensitivity stopped: {why}") }</p> }
            }
            None => html! {},
        },
    };
    let result = props
        .run
        .as_ref()
        .and_then(|r| r.result.clone())
        .map(|s| {
            let safeguard = (*chosen).unwrap_or(s.top);
            let choose = {
                let chosen = chosen.clone();
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                    chosen.set(SafeguardId::from_id(&v));
                })
            };
            let t = tornado(&s, safeguard, width.clamp(280.0, 1400.0));
            html! {
                <div class="sensitivity-result">
                    <label class="field">
                        <span>{ "Safeguard" }</span>
                        <select data-testid="sensitivity-safeguard" onchange={choose}>
                            { for SafeguardId::ALL.iter().map(|id| html! {
                                <option value={id.id()} selected={*id == safeguard}>
                                    { if *id == s.top { format!("{} (first)", id.name()) } else { id.name().to_string() } }
                                </option>
                            }) }
                        </select>
                    </label>
                    <TornadoChart chart={Shared::new(t)} />
                    <Statements analysis={s} />
                </div>
            }
        });
    html! {
        <div class="ranking-sensitivity" data-testid="ranking-sensitivity" ref={frame}>
            <h3 class="subhead">{ "How much the ranking rests on guesses" }</h3>
            <p class="hint">
                { "Every assumption and guessed chance at its plausible low and high (each says why), on the same seed: how far what each safeguard saves moves, whether the order changes, and where a guess decides the answer." }
            </p>
            <div class="controls-row">
                <button type="button" data-testid="sensitivity-run" onclick={run}>{ "Test the ranking's guesses" }</button>
            </div>
            { status }
            { for result }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct StatementsProps {
    analysis: Shared<Sensitivity>,
}

/// The ties and break-evens in words.
#[component]
fn Statements(props: &StatementsProps) -> Html {
    let s = &*props.analysis;
    html! {
        <div class="sensitivity-statements" data-testid="sensitivity-statements">
            if let Some(t) = &s.tie {
                <p data-testid="sensitivity-tie">
                    { format!("{} and {} are tied: the runs cannot tell them apart ({:+.1} points per incident, 95 % interval {:+.1} to {:+.1}), so which is first is noise, not a finding.",
                        t.first.name(), t.second.name().to_lowercase(), t.difference.value, t.difference.low, t.difference.high) }
                </p>
            }
            <ul data-testid="sensitivity-break-evens">
                { for s.break_evens.iter().map(|b| html! {
                    <li>{ format!("{} ({}).", b.statement, b.method) }</li>
                }) }
                if s.break_evens.is_empty() {
                    <li>{ "No guess within its plausible range changes which safeguard ranks first, beyond a tie." }</li>
                }
            </ul>
            <p class="hint">{ NOT_VARIED }</p>
            <p class="hint">{ format!("{} runs per configuration and guess, seed {}. Break-evens here are read between the runs at each guess's low, default and high; `outage-sim sensitivity` finds them by bisection on direct runs.", s.runs, s.seed) }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TornadoProps {
    chart: Shared<Tornado>,
}

/// Draws a tornado as `charts::tornado` laid it out.
#[component]
fn TornadoChart(props: &TornadoProps) -> Html {
    let t = &*props.chart;
    let f = t.font;
    let small = (f * 0.9).max(crate::charts::tornado::MIN_FONT);
    let label_x = 8.0;
    html! {
        <svg class="tornado" width={px(t.width)} height={px(t.height)} viewBox={format!("0 0 {} {}", px(t.width), px(t.height))}
             role="img" aria-labelledby="tornado-title tornado-desc" data-testid="tornado">
            <title id="tornado-title">{ t.title.clone() }</title>
            <desc id="tornado-desc">{ t.axis_title.clone() }</desc>
            <text x="8" y={px(f * 1.2)} font-size={px(f)} class="chart-title">{ t.title.clone() }</text>
            <line x1={px(t.zero_x)} x2={px(t.zero_x)} y1={px(t.top - 4.0)} y2={px(t.bottom)} class="tornado-default" />
            { for t.rows.iter().map(|r| {
                let line = f * 1.3;
                html! {
                    <g class={classes!("tornado-row", r.moves_first.then_some("moves-first"))} data-factor={r.key.clone()}>
                        { for r.lines.iter().enumerate().map(|(i, l)| html! {
                            <text x={px(label_x)} y={px(r.y + line * (i as f64 + 0.8))} font-size={px(f)}>{ l.clone() }</text>
                        }) }
                        <rect class="tornado-low" x={px(r.low.0)} y={px(r.bar_y)} width={px((r.low.1 - r.low.0).max(1.0))} height={px(r.bar_height)} />
                        <rect class="tornado-high" x={px(r.high.0)} y={px(r.bar_y + r.bar_height + 4.0)} width={px((r.high.1 - r.high.0).max(1.0))} height={px(r.bar_height)} />
                        <text x={px(r.low_label.1)} y={px(r.bar_y + r.bar_height * 0.8)} text-anchor={r.low_label.2} font-size={px(small)}>{ r.low_label.0.clone() }</text>
                        <text x={px(r.high_label.1)} y={px(r.bar_y + r.bar_height * 1.8 + 4.0)} text-anchor={r.high_label.2} font-size={px(small)}>{ r.high_label.0.clone() }</text>
                    </g>
                }
            }) }
            <g class="axis">
                <line x1={px(t.ticks.first().map_or(0.0, |x| x.0))} x2={px(t.ticks.last().map_or(0.0, |x| x.0))} y1={px(t.bottom)} y2={px(t.bottom)} />
                { for t.ticks.iter().map(|(x, text)| html! {
                    <text x={px(*x)} y={px(t.bottom + f * 1.2)} text-anchor="middle" font-size={px(small)}>{ text.clone() }</text>
                }) }
                <text x={px(t.width / 2.0)} y={px(t.bottom + f * 2.5)} text-anchor="middle" font-size={px(small)}>{ t.axis_title.clone() }</text>
            </g>
            if let Some((n, most)) = t.rest {
                <text x="8" y={px(t.height - 8.0)} font-size={px(small)}>
                    { format!("{n} other guesses move it by {} points or less.", outage_sim::numfmt::trimmed(most, 1)) }
                </text>
            }
        </svg>
    }
}
