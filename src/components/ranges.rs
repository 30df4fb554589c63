//! Ranges: thousands of seeded runs of the incident as it happened and with the current
//! safeguards, on the same seeds. Distributions of a chosen metric with P50/P90/P99, the share
//! of runs each source detected first, and the share prevented. The runs happen in the worker
//! pool; this section shows the job's progress (with its cancel button) and its result.

use outage_sim::metrics::{group_thousands, Metric, Over, Unit};
use outage_sim::numfmt::fixed;
use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use outage_sim::stats::Aggregate;
use outage_sim::trace::Detector;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::histogram::{Distribution, Style};
use crate::charts::histogram::chart;
use crate::hooks::use_width;
use crate::state::analysis::ranges_configs;
use crate::state::{Job, JobStatus, McOutcome, Shared};
use outage_sim::limits::RUNS;

#[derive(Properties, PartialEq)]
pub struct RangesProps {
    pub scenario: Shared<Scenario>,
    pub config: Config,
    pub seed: u64,
    pub runs: u32,
    pub metric: Metric,
    /// The metric on the day, as the replay of the record gives it (`None` when it never
    /// happened there), shown beside the runs so a typical day can be told from the recorded one.
    pub recorded: Option<f64>,
    pub job: Job,
    /// How the scenario differs from the built-in record, if it does (said on chart downloads).
    pub variant: Option<AttrValue>,
    pub on_runs: Callback<u32>,
    pub on_metric: Callback<Metric>,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// The metric selector shared by the ranges and compare sections.
pub fn metric_select(id: &str, metric: Metric, on_metric: &Callback<Metric>) -> Html {
    let change = on_metric.reform(|e: Event| {
        let key = e.target_unchecked_into::<HtmlSelectElement>().value();
        Metric::from_key(&key).unwrap_or(Metric::TimeToDetect)
    });
    html! {
        <label class="field">
            <span>{ "Metric" }</span>
            <select id={id.to_string()} onchange={change}>
                { for Metric::DISTRIBUTIONS.iter().map(|m| html! {
                    <option value={m.key()} selected={*m == metric}>{ m.label() }</option>
                }) }
            </select>
        </label>
    }
}

/// Where a job ran: `on 2 workers`, or on the page itself.
pub fn ran_on(o: &McOutcome) -> String {
    match o.workers {
        0 => "on this page (no workers)".to_string(),
        1 => "on 1 worker".to_string(),
        n => format!("on {n} workers"),
    }
}

/// Progress of a Monte Carlo job, with its cancel button.
pub fn progress(status: &JobStatus, on_cancel: &Callback<()>, prefix: &str) -> Html {
    let on_cancel = on_cancel.reform(|_: MouseEvent| ());
    let (done, total, text) = match status {
        JobStatus::Idle => (0, 1, "Not run yet.".to_string()),
        JobStatus::Failed(message) => (0, 1, format!("Failed: {message}")),
        JobStatus::Running { done, total } => (
            *done,
            *total,
            format!(
                "Running: {} of {} runs",
                group_thousands(*done as i64),
                group_thousands(*total as i64)
            ),
        ),
        JobStatus::Done(o) => (
            o.runs,
            o.runs,
            format!(
                "Done: {} runs per configuration",
                group_thousands(o.runs as i64)
            ),
        ),
        JobStatus::Cancelled { done, total } => (
            *done,
            *total,
            format!(
                "Cancelled after {} of {} runs",
                group_thousands(*done as i64),
                group_thousands(*total as i64)
            ),
        ),
    };
    let running = matches!(status, JobStatus::Running { .. });
    html! {
        <div class="progress-row">
            <progress data-testid={format!("{prefix}-progress")} max={total.max(1).to_string()} value={done.to_string()} aria-label="Runs done"></progress>
            <span class="progress-text" role="status">{ text }</span>
            <button type="button" class="ghost-button" data-testid={format!("{prefix}-cancel")} disabled={!running} onclick={on_cancel}>{ "Cancel" }</button>
        </div>
    }
}

fn pct(n: u64, of: u64) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!(
            "{} %",
            outage_sim::numfmt::fixed(100.0 * n as f64 / of as f64, 1)
        )
    }
}

#[component]
pub fn RangesSection(props: &RangesProps) -> Html {
    let frame = use_node_ref();
    let width = use_width(frame.clone(), 760.0);
    let configs = ranges_configs(&props.config);
    let start = props.on_run.reform(|_: MouseEvent| ());
    let on_runs = {
        let cb = props.on_runs.clone();
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            cb.emit(text.trim().parse::<u32>().unwrap_or(0));
        })
    };
    let result = match &props.job.status {
        JobStatus::Done(outcome) => html! {
            <RangesResult outcome={outcome.clone()} metric={props.metric} width={width} recorded={props.recorded}
                          variant={props.variant.clone()}
                          stale={outcome.is_stale(&props.scenario, &configs, props.seed)}
                          on_metric={props.on_metric.clone()} />
        },
        _ => html! {},
    };
    html! {
        <section id="ranges" class="card" aria-labelledby="ranges-title">
            <div class="card-head">
                <h2 id="ranges-title">{ "Ranges — thousands of runs" }</h2>
            </div>
            <p class="hint">
                { "Every delay drawn from its distribution (medians from the record, spreads assumed), as it happened and with the current safeguards, on the same seeds: a difference is the safeguards' effect, not noise." }
            </p>
            <div class="controls-row">
                <label class="field">
                    <span>{ "Runs" }</span>
                    <input type="number" data-testid="mc-runs" min={RUNS.start().to_string()} max={RUNS.end().to_string()} step="1000"
                           value={props.runs.to_string()} onchange={on_runs} />
                </label>
                <p class="field"><span>{ "Seed" }</span><span class="value">{ props.seed.to_string() }</span></p>
                <button type="button" class="primary" data-testid="mc-run" onclick={start}>
                    { format!("Run {} × {}", group_thousands(props.runs as i64), if configs.len() == 1 { "as it happened" } else { "2 configurations" }) }
                </button>
            </div>
            { progress(&props.job.status, &props.on_cancel, "mc") }
            <div ref={frame} class="chart-frame">{ result }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ResultProps {
    outcome: Shared<McOutcome>,
    metric: Metric,
    width: f64,
    recorded: Option<f64>,
    variant: Option<AttrValue>,
    stale: bool,
    on_metric: Callback<Metric>,
}

/// What a chart's figures are of, for its caption: `Scenario eptura-2024-07-10 (a variant:
/// …) · seed 1 · 10,000 runs per configuration`.
pub fn chart_caption(o: &McOutcome, variant: Option<&str>) -> String {
    let scenario = match variant {
        Some(v) => format!("Scenario {} ({v})", o.scenario.id),
        None => format!("Scenario {}", o.scenario.id),
    };
    format!(
        "{scenario} · seed {} · {} runs per configuration",
        o.seed,
        group_thousands(o.runs as i64)
    )
}

fn names(configs: &[Config]) -> Vec<AttrValue> {
    configs
        .iter()
        .map(|c| {
            if c.is_empty() {
                "As it happened".into()
            } else {
                "With safeguards".into()
            }
        })
        .collect()
}

#[component]
fn RangesResult(props: &ResultProps) -> Html {
    let o = &*props.outcome;
    let m = props.metric;
    let names = names(&o.configs);
    let chart_data = {
        let (outcome, width) = (props.outcome.clone(), props.width);
        let labels: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        Shared(use_memo(
            (outcome, m, width as i64),
            move |(outcome, m, _)| {
                let series: Vec<_> = outcome.aggregates.iter().map(|a| a.metric(*m)).collect();
                // A narrow screen gets fewer, wider bins and a shorter plot.
                let (plot, bins) = if width < 600.0 {
                    (200.0, 30)
                } else {
                    (240.0, 48)
                };
                chart(
                    *m,
                    &series,
                    &labels,
                    width.clamp(280.0, 1400.0),
                    plot,
                    bins,
                    true,
                )
            },
        ))
    };
    let stats: Vec<_> = o.aggregates.iter().map(|a| a.stats(m)).collect();
    let f = |v: Option<f64>| v.map(|v| m.format(v)).unwrap_or_else(|| "—".into());
    // The value behind each cell, in the command line's JSON units (seconds for durations), so
    // a figure can be checked against `outage-sim run --json` without the display's rounding.
    let raw = |v: Option<f64>| {
        v.map(|v| {
            fixed(
                if m.unit() == Unit::Duration {
                    v / 1000.0
                } else {
                    v
                },
                3,
            )
        })
    };
    let row = |label: &str, pick: &dyn Fn(&outage_sim::stats::MetricStats) -> Option<f64>| {
        html! {
            <tr>
                <th scope="row">{ label.to_string() }</th>
                { for stats.iter().map(|s| html! { <td data-value={raw(pick(s))}>{ f(pick(s)) }</td> }) }
            </tr>
        }
    };
    let detectors = |a: &Aggregate| {
        let outages = a.outages + a.contained;
        html! {
            <ul class="shares">
                { for Detector::ALL.iter().filter(|d| a.detected_by[d.index()] > 0).map(|d| html! {
                    <li>
                        <span class="share-name">{ d.label() }</span>
                        <meter min="0" max="1" value={outage_sim::numfmt::fixed(a.detected_share(*d), 4)}></meter>
                        <span>{ pct(a.detected_by[d.index()], outages) }</span>
                    </li>
                }) }
                if a.prevented > 0 { <li><span class="share-name">{ "Prevented (no outage)" }</span><meter min="0" max="1" value={outage_sim::numfmt::fixed(a.prevented_share(), 4)}></meter><span>{ pct(a.prevented, a.runs) }</span></li> }
                if a.contained > 0 { <li><span class="share-name">{ "Contained by the canary" }</span><meter min="0" max="1" value={outage_sim::numfmt::fixed(a.contained as f64 / a.runs as f64, 4)}></meter><span>{ pct(a.contained, a.runs) }</span></li> }
            </ul>
        }
    };
    let notes = result_notes(m, o, &stats, props.recorded);
    let label = format!(
        "Distribution of {} over {} runs per configuration",
        m.label(),
        o.runs
    );
    let title = format!(
        "{}: {}, distribution over {} runs",
        m.label(),
        names
            .iter()
            .map(|n| n.to_lowercase())
            .collect::<Vec<_>>()
            .join(" and "),
        group_thousands(o.runs as i64)
    );
    let caption = chart_caption(o, props.variant.as_deref());
    let relayout = {
        let (outcome, labels) = (
            props.outcome.clone(),
            names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        );
        Callback::from(move |(width, plot): (f64, f64)| {
            let series: Vec<_> = outcome.aggregates.iter().map(|a| a.metric(m)).collect();
            chart(m, &series, &labels, width, plot, 48, true)
        })
    };
    html! {
        <div data-testid="mc-result" class="mc-result">
            <p class="result-meta">
                { format!("{} runs × {} in {} ms {}, seed {}. {}",
                    group_thousands(o.runs as i64), o.configs.len(), fixed(o.elapsed_ms, 0), ran_on(o), o.seed,
                    if props.stale { "The assumptions, safeguards or seed changed since: run again to update." } else { "" }) }
            </p>
            <div class="controls-row">{ metric_select("mc-metric", m, &props.on_metric) }</div>
            <p class="metric-def">{ m.definition() }</p>
            if let Some(c) = (*chart_data).clone() {
                <Distribution chart={Shared::new(c)} style={Style::Bars} label={label} title={title}
                              caption={caption} relayout={relayout} />
            } else {
                <p class="hint">{ "No run had this metric (every outage was prevented)." }</p>
            }
            <div class="result-grid">
                <table class="metrics compact">
                    <thead><tr><th scope="col">{ m.short() }</th>{ for names.iter().map(|n| html! { <th scope="col">{ n.clone() }</th> }) }</tr></thead>
                    <tbody>
                        { row("P50 (median)", &|s| s.p50) }
                        { row("P90", &|s| s.p90) }
                        { row("P99", &|s| s.p99) }
                        { row("Mean", &|s| s.mean) }
                        <tr>
                            <th scope="row">{ "Never happened" }</th>
                            { for stats.iter().map(|s| html! { <td>{ group_thousands(s.never as i64) }</td> }) }
                        </tr>
                    </tbody>
                </table>
                <div class="detection">
                    { for o.aggregates.iter().zip(&names).map(|(a, n)| html! {
                        <div>
                            <h3>{ format!("First detected by — {n}") }</h3>
                            { detectors(a) }
                        </div>
                    }) }
                </div>
            </div>
            <div class="result-notes" data-testid="mc-notes">
                { for notes.iter().map(|n| html! { <p class="result-note">{ n.clone() }</p> }) }
            </div>
        </div>
    }
}

/// What the table's figures are taken over, and how the runs compare with the day itself.
/// Pure text built from the figures, so every sentence is true of what is shown.
fn result_notes(
    m: Metric,
    o: &McOutcome,
    stats: &[outage_sim::stats::MetricStats],
    recorded: Option<f64>,
) -> Vec<String> {
    let names = names(&o.configs);
    let counted: Vec<String> = stats
        .iter()
        .zip(&names)
        .map(|(s, n)| {
            format!(
                "{} of {} {}",
                group_thousands(s.count as i64),
                group_thousands(o.runs as i64),
                n.to_lowercase()
            )
        })
        .collect();
    let mut notes = vec![match m.over() {
        Over::OutageRuns => format!(
            "Percentiles and mean are taken over the runs in which this time could be measured ({}). A run with no outage has no {}; \u{201c}Never happened\u{201d} counts runs in which the service went away but the end of this time never came.",
            counted.join(", "),
            m.label().to_lowercase()
        ),
        Over::AllRuns => format!(
            "Counted over every run ({} per configuration); a run with no outage counts as zero.",
            group_thousands(o.runs as i64)
        ),
    }];
    let baseline = o
        .configs
        .iter()
        .position(|c| c.is_empty())
        .and_then(|i| stats.get(i));
    if let (Some(day), Some(base)) = (recorded, baseline) {
        let mut note = format!(
            "On the day itself (the replay of the record): {}.",
            m.format(day)
        );
        if let Some(p50) = base.p50 {
            if (p50 - day).abs() > 0.02 * day.abs().max(1.0) {
                note.push_str(&format!(
                    " The median of the runs as it happened is {}: {}",
                    m.format(p50),
                    if m == Metric::TimeToDetect {
                        "the runs are calibrated so that the median day's longer durations (mitigate, recover, resolve, the reported duration) match the record, and the undetected window, the most uncertain delay, gives way."
                    } else {
                        "every delay is drawn around the record's, so a typical day need not be the recorded one."
                    }
                ));
            }
        }
        notes.push(note);
    }
    notes
}
