//! Compare: up to four configurations, which the user can name, side by side on the same seeds:
//! a metrics table with each configuration's difference from the first (median and P90, signed,
//! marked better or worse by arrow and word as well as colour), a plain-language summary line per
//! configuration, overlaid cumulative curves, and a ranking of what each safeguard buys on its
//! own and what the full set loses without it, where a row can switch its safeguard on. The
//! table and the ranking download as CSV, the chart as SVG or PNG. Both jobs run in the worker
//! pool; this section shows their progress and results. On a narrow screen the table's rows
//! become stacked cards (styles), each cell labelled with its configuration.

use outage_sim::metrics::{group_thousands, Metric};
use outage_sim::montecarlo::{ranking_from, Ranking};
use outage_sim::numfmt::fixed;
use outage_sim::safeguards::{Config, Preset, SafeguardId};
use outage_sim::scenario::Scenario;
use outage_sim::stats::Estimate;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::copy::CopyText;
use super::histogram::{Distribution, Style};
use super::ranges::{chart_caption, metric_select, progress, ran_on};
use super::sensitivity::RankingSensitivity;
use crate::answers::{
    compare_csv, compare_table, csv_number, link_to_section, ranking_copy_text, ranking_csv,
    variant_options, Change, NamedConfig, Reproduction, RowKind,
};
use crate::charts::histogram::chart;
use crate::hooks::use_width;
use crate::state::analysis::{ranking_job_configs, ranking_runs, slot_name};
use crate::state::sensitivity::SensitivityRun;
use crate::state::{Job, JobStatus, McOutcome, Shared, Slot};
use outage_sim::limits::{MAX_SLOTS, MAX_SLOT_NAME_CHARS};

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub scenario: Shared<Scenario>,
    pub slots: Vec<Slot>,
    /// What each slot is called: the user's name, else its configuration's label.
    pub slot_labels: Vec<String>,
    /// The names the user gave ("" for none), aligned with `slots`.
    pub slot_names: Vec<String>,
    /// How the scenario differs from the built-in record (a variant, a file), if it does.
    pub variant: Option<AttrValue>,
    /// The scenario as loaded, before the user's own numbers (a variant is said against it).
    pub base: Shared<Scenario>,
    /// The file the scenario was imported from, if it was.
    pub file: Option<AttrValue>,
    /// The what-if safeguards (for "current" slots and as the full set of the ranking).
    pub config: Config,
    pub seed: u64,
    pub runs: u32,
    pub metric: Metric,
    pub compare: Job,
    pub ranking: Job,
    pub on_slot: Callback<(usize, Slot)>,
    pub on_name: Callback<(usize, String)>,
    pub on_add: Callback<()>,
    pub on_remove: Callback<usize>,
    pub on_metric: Callback<Metric>,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
    pub on_rank: Callback<()>,
    pub on_rank_cancel: Callback<()>,
    /// A ranking row switches its safeguard on in the what-if.
    pub on_switch_on: Callback<SafeguardId>,
    /// The ranking's sensitivity, under way or done.
    pub sensitivity: Option<SensitivityRun>,
    pub on_sensitivity: Callback<()>,
    pub on_sensitivity_cancel: Callback<()>,
}

/// The facts that reproduce a job's figures: its own inputs, and the address as it is now
/// (which holds the view) opening at the compare section.
fn reproduction(
    o: &McOutcome,
    names: &[String],
    base: &Scenario,
    file: Option<&str>,
) -> Reproduction {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    Reproduction {
        scenario_id: o.scenario.id.clone(),
        scenario_title: o.scenario.title.clone(),
        file: file.map(str::to_string),
        changes: variant_options(base, &o.scenario),
        configs: names
            .iter()
            .zip(&o.configs)
            .map(|(name, config)| NamedConfig {
                name: name.clone(),
                config: *config,
            })
            .collect(),
        seed: o.seed,
        runs: o.runs,
        app_version: crate::version::app_version(),
        link: link_to_section(&href, "compare"),
    }
}

#[component]
pub fn CompareSection(props: &CompareProps) -> Html {
    let frame = use_node_ref();
    let width = use_width(frame.clone(), 760.0);
    let configs: Vec<Config> = props.slots.iter().map(Slot::config).collect();
    let run = props.on_run.reform(|_: MouseEvent| ());
    let ranking_runs = ranking_runs(props.runs);
    let rank = props.on_rank.reform(|_: MouseEvent| ());
    let slot_pickers = props.slots.iter().enumerate().map(|(i, slot)| {
        let current = props.config;
        let change = props.on_slot.reform(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let slot = Preset::from_slug(&v).map(Slot::Preset).unwrap_or_else(|| Slot::Custom(Box::new(current)));
            (i, slot)
        });
        let value = match slot {
            Slot::Preset(p) => p.slug().to_string(),
            Slot::Custom(_) => "custom".to_string(),
        };
        let remove = props.on_remove.reform(move |_: MouseEvent| i);
        html! {
            <div class={format!("slot key-series-{i}")}>
                <label class="field">
                    <span>{ format!("Configuration {}", i + 1) }</span>
                    <select onchange={change} aria-describedby={format!("slot-{i}-desc")}>
                        { for Preset::ALL.iter().map(|p| html! {
                            <option value={p.slug()} selected={value == p.slug()}>{ p.label() }</option>
                        }) }
                        <option value="custom" selected={value == "custom"}>{ "Current what-if safeguards" }</option>
                    </select>
                </label>
                <SlotName index={i} name={props.slot_names.get(i).cloned().unwrap_or_default()}
                          placeholder={slot.label()} on_name={props.on_name.clone()} />
                <p class="hint" id={format!("slot-{i}-desc")}>{ slot.description() }</p>
                if props.slots.len() > 1 {
                    <button type="button" class="ghost-button" onclick={remove} aria-label={format!("Remove configuration {}", i + 1)}>{ "Remove" }</button>
                }
            </div>
        }
    });
    let add = props.on_add.reform(|_: MouseEvent| ());
    let result = match &props.compare.status {
        JobStatus::Done(o) => {
            // The names as they are now (naming a slot does not make the result stale).
            let names: Vec<String> = (0..o.aggregates.len())
                .map(|i| {
                    props
                        .slot_labels
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| format!("Configuration {}", i + 1))
                })
                .collect();
            let stale = o.is_stale(&props.scenario, &configs, props.seed);
            let m = props.metric;
            let series: Vec<_> = o.aggregates.iter().map(|a| a.metric(m)).collect();
            let narrow = width < 600.0;
            let c = chart(
                m,
                &series,
                &names,
                width.clamp(280.0, 1400.0),
                if narrow { 180.0 } else { 240.0 },
                if narrow { 40 } else { 80 },
                false,
            );
            let relayout = {
                let (outcome, names) = (o.clone(), names.clone());
                Callback::from(move |(width, plot): (f64, f64)| {
                    let series: Vec<_> = outcome.aggregates.iter().map(|a| a.metric(m)).collect();
                    chart(m, &series, &names, width, plot, 80, false)
                })
            };
            let table = Shared::new(compare_table(&names, &o.aggregates));
            let first = names.first().cloned().unwrap_or_default();
            // The hand-outs are made when asked, from the job's inputs and the table shown.
            let facts = {
                let (outcome, names) = (o.clone(), names.clone());
                let (base, file) = (props.base.clone(), props.file.clone());
                move || reproduction(&outcome, &names, &base, file.as_deref())
            };
            let download = {
                let (table, facts) = (table.clone(), facts.clone());
                Callback::from(move |_: MouseEvent| {
                    let csv = compare_csv(&table, &facts());
                    let _ = crate::download::download_text(
                        "compare.csv",
                        "text/csv;charset=utf-8",
                        &csv,
                    );
                })
            };
            let copy_summary = {
                let table = table.clone();
                Callback::from(move |_: ()| table.copy_text(&facts()))
            };
            // The median's 95 % interval (order statistics), the prevented share's (Wilson).
            let aggregates = o.aggregates.clone();
            let ci = move |kind: RowKind, i: usize| -> String {
                let Some(a) = aggregates.get(i) else {
                    return String::new();
                };
                match kind {
                    RowKind::Metric(m) => a
                        .quantile_estimate(m, 0.5)
                        .map(|e| format!(" [{}–{}]", m.format(e.low), m.format(e.high)))
                        .unwrap_or_default(),
                    RowKind::Prevented => {
                        let e = a.prevented_estimate();
                        format!(
                            " [{}–{} %]",
                            fixed(100.0 * e.low, 1),
                            fixed(100.0 * e.high, 1)
                        )
                    }
                }
            };
            let change = |c: Option<&Change>, full: bool| match c {
                Some(c) => html! {
                    <span class={classes!("change", c.better.map(|b| if b { "better" } else { "worse" }))}>
                        { if full { c.marked() } else { c.short() } }
                    </span>
                },
                None => html! { <span class="change">{ "—" }</span> },
            };
            html! {
                <div class="compare-result" data-testid="compare-result">
                    <p class="result-meta">
                        { format!("{} runs per configuration, seed {}, in {} ms {}. {}", group_thousands(o.runs as i64), o.seed, fixed(o.elapsed_ms, 0), ran_on(o),
                                  if stale { "The configurations, assumptions or seed changed since: run again to update." } else { "" }) }
                    </p>
                    <ul class="summaries" data-testid="compare-summary" aria-label="In a sentence">
                        { for names.iter().enumerate().map(|(i, name)| {
                            let line = table.summary(i);
                            let rest = line.strip_prefix(name.as_str()).unwrap_or(&line).to_string();
                            html! { <li class={format!("key-series-{i}")}><strong>{ name.clone() }</strong>{ rest }</li> }
                        }) }
                    </ul>
                    <div class="table-scroll" role="region" aria-label="Compare table">
                        <table class="metrics compact compare-table" data-testid="compare-table">
                            <caption class="visually-hidden">{ format!("Median (P50) with its 95 % interval and P90 per configuration, and each one's difference from {first}") }</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ "Median (P50) · P90" }</th>
                                    { for names.iter().enumerate().map(|(i, n)| html! {
                                        <>
                                            <th scope="col" class={format!("key-series-{i}")}>{ n.clone() }</th>
                                            if i > 0 {
                                                <th scope="col" class="diff" data-testid="compare-diff">{ format!("vs {first}") }</th>
                                            }
                                        </>
                                    }) }
                                </tr>
                            </thead>
                            <tbody>
                                { for table.rows.iter().map(|row| html! {
                                    <tr>
                                        <th scope="row">{ row.kind.label() }</th>
                                        { for row.cells.iter().enumerate().map(|(i, cell)| html! {
                                            <>
                                                <td data-label={names[i].clone()} data-p50={csv_number(cell.p50)} data-p90={csv_number(cell.p90)}>
                                                    { cell.p50_text.clone() }
                                                    <small class="ci" data-testid="compare-ci">{ ci(row.kind, i) }</small>
                                                    if let Some(p90) = &cell.p90_text {
                                                        <span class="visually-hidden">{ " · " }</span><small class="p90">{ format!("P90 {p90}") }</small>
                                                    }
                                                </td>
                                                if i > 0 {
                                                    <td class="diff" data-label={format!("vs {first}")}
                                                        data-d50={csv_number(cell.diff_p50.as_ref().map(|c| c.value))}
                                                        data-d90={csv_number(cell.diff_p90.as_ref().map(|c| c.value))}>
                                                        { change(cell.diff_p50.as_ref(), true) }
                                                        if cell.p90_text.is_some() {
                                                            <span class="visually-hidden">{ " · " }</span>
                                                            <small class="p90">{ "P90 " }{ change(cell.diff_p90.as_ref(), false) }</small>
                                                        }
                                                    </td>
                                                }
                                            </>
                                        }) }
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                    <p class="hint">{ "In brackets: the median's 95 % interval, from the order statistics around its rank (the prevented share's by Wilson's interval)." }</p>
                    <div class="controls-row">
                        <CopyText testid="compare-copy-summary" label="Copy the summary" done="Summary copied: a line per configuration with its range and runs"
                                  title="Copy the lines above as text, each with its P50–P90 range and the number of runs, and a link to this view"
                                  text={copy_summary} />
                        <button type="button" class="ghost-button" data-testid="compare-csv" onclick={download}>{ "Download the table (CSV)" }</button>
                        { metric_select("compare-metric", m, &props.on_metric) }
                    </div>
                    if let Some(c) = c {
                        <Distribution chart={Shared::new(c)} style={Style::Cumulative}
                                      label={format!("Share of runs with {} at most x, per configuration", m.label())}
                                      title={format!("{}: share of runs at most x, {} configurations compared", m.label(), names.len())}
                                      caption={chart_caption(o, props.variant.as_deref())}
                                      relayout={relayout} />
                    }
                </div>
            }
        }
        _ => html! {},
    };
    let ranking = match &props.ranking.status {
        JobStatus::Done(o) => {
            // The set it was ranked against is the job's second configuration.
            let set = o.configs.get(1).copied().unwrap_or_else(Config::all);
            let ranking = ranking_from(&set, &o.aggregates);
            let stale = o.is_stale(
                &props.scenario,
                &ranking_job_configs(&props.config),
                props.seed,
            );
            html! {
                <>
                    if stale {
                        <p class="hint stale">{ "The safeguards, assumptions or seed changed since this ranking ran: rank again to update it." }</p>
                    }
                    <RankingTable ranking={Shared::new(ranking)} outcome={o.clone()} full={set} config={props.config}
                                  base={props.base.clone()} file={props.file.clone()} on_switch_on={props.on_switch_on.clone()} />
                </>
            }
        }
        _ => html! {},
    };
    html! {
        <section id="compare" class="card" data-testid="compare" aria-labelledby="compare-title">
            <div class="card-head">
                <h2 id="compare-title">{ "Compare configurations" }</h2>
            </div>
            if let Some(variant) = &props.variant {
                <p class="variant-note" data-testid="compare-variant">{ format!("Scenario: {variant}") }</p>
            }
            <div class="slots">
                { for slot_pickers }
                if props.slots.len() < MAX_SLOTS {
                    <button type="button" class="ghost-button add-slot" onclick={add}>{ "+ Add the current what-if" }</button>
                }
            </div>
            <div class="controls-row">
                <button type="button" class="primary" data-testid="compare-run" onclick={run}>
                    { format!("Compare {} × {} runs", props.slots.len(), group_thousands(props.runs as i64)) }
                </button>
            </div>
            { progress(&props.compare.status, &props.on_cancel, "compare") }
            <div ref={frame} class="chart-frame">{ result }</div>
            <h3 class="subhead">{ "What each safeguard buys" }</h3>
            <p class="hint">
                { format!("Each safeguard alone against the incident as it happened, and the full set ({}) without it; measured by the error budget used per incident, the site-weighted downtime (prevented runs count as zero). ",
                    match props.config.enabled().count() {
                        0 => format!("all {} safeguards", outage_sim::safeguards::SafeguardId::ALL.len()),
                        1 => "your 1 safeguard".to_string(),
                        n => format!("your {n} safeguards"),
                    }) }
            </p>
            <div class="controls-row">
                <button type="button" data-testid="rank-run" onclick={rank}>
                    { format!("Rank safeguards ({} runs per configuration)", group_thousands(ranking_runs as i64)) }
                </button>
            </div>
            { progress(&props.ranking.status, &props.on_rank_cancel, "rank") }
            { ranking }
            <RankingSensitivity run={props.sensitivity.clone()} on_run={props.on_sensitivity.clone()}
                                on_cancel={props.on_sensitivity_cancel.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RankingProps {
    ranking: Shared<Ranking>,
    /// The ranking job's result: its runs, seed and aggregates.
    outcome: Shared<McOutcome>,
    /// The set each safeguard was taken out of.
    full: Config,
    base: Shared<Scenario>,
    file: Option<AttrValue>,
    /// The what-if safeguards: a row's safeguard that is off can be switched on.
    config: Config,
    on_switch_on: Callback<SafeguardId>,
}

#[component]
fn RankingTable(props: &RankingProps) -> Html {
    let r = &*props.ranking;
    let base = r.baseline.error_budget_used_pct;
    let max_saving = r
        .values
        .iter()
        .map(|v| base - v.alone.error_budget_used_pct)
        .fold(1e-9, f64::max);
    let max_loss = r
        .values
        .iter()
        .filter_map(|v| {
            v.without
                .map(|w| w.error_budget_used_pct - r.full.error_budget_used_pct)
        })
        .fold(1e-9, f64::max);
    let bar = |value: f64, max: f64, class: &'static str| {
        let w = (value.max(0.0) / max * 120.0).clamp(0.0, 120.0);
        html! {
            <svg width="124" height="14" class={classes!("bar", class)} aria-hidden="true">
                <rect x="0" y="2" width={fixed(w, 1)} height="10" />
            </svg>
        }
    };
    let runs = props.outcome.runs;
    let facts = {
        let (outcome, base, file) = (
            props.outcome.clone(),
            props.base.clone(),
            props.file.clone(),
        );
        move || {
            let names: Vec<String> = (0..outcome.configs.len())
                .map(|i| format!("Configuration {}", i + 1))
                .collect();
            let mut facts = reproduction(&outcome, &names, &base, file.as_deref());
            // The ranking's own configurations are named in its table, not here.
            facts.configs.clear();
            facts
        }
    };
    let download = {
        let (ranking, config, full, facts) = (
            props.ranking.clone(),
            props.config,
            props.full,
            facts.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let csv = ranking_csv(&ranking, &config, &full, &facts());
            let _ = crate::download::download_text("ranking.csv", "text/csv;charset=utf-8", &csv);
        })
    };
    let copy_summary = {
        let (ranking, outcome, full) = (props.ranking.clone(), props.outcome.clone(), props.full);
        Callback::from(move |_: ()| {
            ranking_copy_text(&ranking, &outcome.aggregates, &full, &facts())
        })
    };
    let interval = |e: Option<Estimate>, digits: u32| match e {
        Some(e) => format!("[{}–{}]", fixed(e.low, digits), fixed(e.high, digits)),
        None => String::new(),
    };
    html! {
        <>
        <div class="controls-row">
            <CopyText testid="ranking-copy-summary" label="Copy the summary" done="Summary copied: a line per safeguard with its range and runs"
                      title="Copy the ranking as text, a line per safeguard with its range and the number of runs, and a link to this view"
                      text={copy_summary} />
            <button type="button" class="ghost-button" data-testid="ranking-csv" onclick={download}>{ "Download the ranking (CSV)" }</button>
        </div>
        <div class="table-scroll" data-testid="ranking" role="region" aria-label="Ranking of safeguards">
            <table class="metrics compact ranking">
                <caption>
                    { format!("Error budget used per incident: as it happened {} %, full set {} % ({} runs each). Each value with its 95 % interval.", fixed(base, 0), fixed(r.full.error_budget_used_pct, 1), group_thousands(runs as i64)) }
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Safeguard" }</th>
                        <th scope="col">{ "Alone saves (error budget)" }</th>
                        <th scope="col">{ "Alone: error budget mean · P50 · P90 · P99" }</th>
                        <th scope="col">{ "Prevented" }</th>
                        <th scope="col">{ "Expected loss per incident" }</th>
                        <th scope="col">{ "Alone: TTD (mean)" }</th>
                        <th scope="col">{ "Set loses without it" }</th>
                        <th scope="col">{ "What if" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for r.values.iter().map(|v| {
                        let a = &v.alone;
                        let saving = base - a.error_budget_used_pct;
                        let loss = v.without.map(|w| w.error_budget_used_pct - r.full.error_budget_used_pct);
                        let pct = |e: Option<Estimate>| e.map_or("—".to_string(), |e| format!("{} %", fixed(e.value, 0)));
                        html! {
                            <tr data-safeguard={v.id.id()}>
                                <th scope="row">{ v.id.name() }</th>
                                <td data-label="Alone saves (error budget)">{ bar(saving, max_saving, "saving") }{ format!(" {} %", fixed(saving, 0)) }</td>
                                <td data-label="Alone: error budget mean · P50 · P90 · P99" data-testid="ranking-budget">
                                    { pct(a.error_budget) }<small class="ci">{ format!(" {}", interval(a.error_budget, 0)) }</small>
                                    <small class="p90">{ format!(" · P50 {} · P90 {} · P99 {}", pct(a.error_budget_p50), pct(a.error_budget_p90), pct(a.error_budget_p99)) }</small>
                                </td>
                                <td data-label="Prevented" data-testid="ranking-prevented">
                                    { format!("{} %", fixed(100.0 * a.prevented.value, 1)) }
                                    <small class="ci">{ format!(" [{}–{}]", fixed(100.0 * a.prevented.low, 1), fixed(100.0 * a.prevented.high, 1)) }</small>
                                </td>
                                <td data-label="Expected loss per incident" data-testid="ranking-expected-loss">
                                    { a.expected_outage_minutes.map_or("—".to_string(), |e| format!("{} min of outage", fixed(e.value, 0))) }
                                    <small class="ci">{ format!(" {}", interval(a.expected_outage_minutes, 0)) }</small>
                                    <br />
                                    { a.expected_lost_events.map_or("—".to_string(), |e| format!("{} events lost", group_thousands(e.value.round() as i64))) }
                                    <small class="ci">{ format!(" {}", interval(a.expected_lost_events, 0)) }</small>
                                </td>
                                <td data-label="Alone: TTD (mean)">{ a.mean_time_to_detect_ms.map(|t| outage_sim::human_duration(t as i64)).unwrap_or_else(|| "no outage".into()) }</td>
                                <td data-label="Set loses without it">
                                    { match (loss, v.loss) {
                                        (Some(l), Some(lo)) => html! { <>
                                            { bar(l, max_loss, "loss") }{ format!(" {} %", fixed(l, 0)) }
                                            <small class="ci">{ format!(" {}", interval(lo.error_budget, 1)) }</small>
                                            if let Some(words) = v.overlap_words(&r.baseline) {
                                                <p class="hint overlap" data-testid="ranking-overlap">{ words }</p>
                                            }
                                        </> },
                                        _ => html! { <span class="hint">{ "not in the set" }</span> },
                                    } }
                                </td>
                                <td data-label="What if">
                                    if props.config.is_enabled(v.id) {
                                        <span class="hint">{ "on" }</span>
                                    } else {
                                        <button type="button" class="ghost-button" data-testid={format!("rank-switch-on-{}", v.id.id())}
                                                onclick={props.on_switch_on.reform({ let id = v.id; move |_: MouseEvent| id })}
                                                aria-label={format!("Switch on {} in the what-if", v.id.name())}>{ "Switch on" }</button>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
        <p class="hint" data-testid="ranking-intervals">{ outage_sim::stats::INTERVALS }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SlotNameProps {
    index: usize,
    name: String,
    /// The configuration's own label, shown until the user names it.
    placeholder: String,
    on_name: Callback<(usize, String)>,
}

/// The name of a compare configuration; a name that is too long is refused next to the field.
#[component]
fn SlotName(props: &SlotNameProps) -> Html {
    let rejected = use_state(|| None::<(String, String)>);
    let i = props.index;
    let change = {
        let (rejected, on_name) = (rejected.clone(), props.on_name.clone());
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            match slot_name(&text) {
                Ok(name) => {
                    rejected.set(None);
                    on_name.emit((i, name));
                }
                Err(why) => rejected.set(Some((text, why))),
            }
        })
    };
    let id = format!("slot-{i}-name");
    html! {
        <>
            <label class="field slot-name">
                <span>{ "Name (optional)" }</span>
                <input id={id} type="text" data-testid={format!("slot-name-{i}")} maxlength={MAX_SLOT_NAME_CHARS.to_string()}
                       placeholder={props.placeholder.clone()} onchange={change}
                       value={rejected.as_ref().map(|r| r.0.clone()).unwrap_or_else(|| props.name.clone())}
                       aria-invalid={rejected.is_some().to_string()} />
            </label>
            if let Some((_, why)) = &*rejected {
                <p class="field-error" role="alert" data-testid="error">{ format!("Not applied: {why}") }</p>
            }
        </>
    }
}
