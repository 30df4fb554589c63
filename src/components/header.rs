//! The page header: the product, the scenario (marked when it is a variant or comes from a
//! file), the headline (any metric, chosen here: the current safeguards' run against as it
//! happened, with the metric's caveat when it looks worse because of how it is counted), the
//! section links, and the view's own actions: copy the link to this view, and reset to the
//! record.

use gloo::timers::callback::Timeout;
use outage_sim::metrics::Metric;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::{Mode, Section};

/// The headline figures, from the counterfactual runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub metric: Metric,
    /// The metric as it happened (with the assumed impact start).
    pub baseline: Option<f64>,
    /// The metric with the current safeguards; `None` with no safeguard.
    pub current: Option<Option<f64>>,
    /// The current safeguards prevented the outage in this run.
    pub prevented: bool,
}

/// How the scenario in use differs from the built-in record, for the header's mark.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioMark {
    /// `Variant` or `From a file`.
    pub badge: AttrValue,
    /// What differs, in words.
    pub detail: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub scenario_title: AttrValue,
    pub mark: Option<ScenarioMark>,
    pub headline: Headline,
    pub on_headline: Callback<Metric>,
    pub mode: Mode,
    /// The scenario comes with an exercise to facilitate.
    pub has_exercise: bool,
    pub on_mode: Callback<Mode>,
    pub on_section: Callback<Section>,
    pub on_reset: Callback<()>,
    /// Said when the link is copied: what the link cannot carry (a scenario from a file).
    pub link_note: Option<AttrValue>,
}

/// Scrolls a section into view (the page's scrolling, in response to the user's click).
pub fn scroll_to(section: Section) {
    if let Some(element) = gloo::utils::document().get_element_by_id(section.id()) {
        element.scroll_into_view();
    }
}

/// The headline's figure and its note.
fn headline_text(h: &Headline) -> (String, String) {
    let m = h.metric;
    let show = |v: Option<f64>| v.map(|v| m.format(v)).unwrap_or_else(|| "never".into());
    let baseline = show(h.baseline);
    match h.current {
        None => (baseline, "as it happened (assumed start)".to_string()),
        Some(_) if h.prevented && m.span_moments().is_some() => (
            "no outage".to_string(),
            format!("prevented · as it happened: {baseline}"),
        ),
        Some(v) => (
            show(v),
            format!(
                "{} · as it happened: {baseline}",
                if h.prevented {
                    "prevented"
                } else {
                    "with safeguards"
                }
            ),
        ),
    }
}

/// Whether the run with safeguards shows a worse figure than the record.
fn looks_worse(h: &Headline) -> bool {
    matches!((h.baseline, h.current), (Some(b), Some(Some(c))) if c > b + 0.5)
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let h = &props.headline;
    let (value, note) = headline_text(h);
    let caveat = looks_worse(h).then(|| h.metric.caveat()).flatten();
    let pick = props.on_headline.reform(|e: Event| {
        let key = e.target_unchecked_into::<HtmlSelectElement>().value();
        Metric::from_key(&key).unwrap_or(Metric::TimeToDetect)
    });
    let value_id = if h.metric == Metric::TimeToDetect {
        "metric-ttd"
    } else {
        "headline-value"
    };
    let to_scenario = props.on_section.reform(|e: MouseEvent| {
        e.prevent_default();
        scroll_to(Section::Scenario);
        Section::Scenario
    });
    html! {
        <header class="masthead">
            <div class="brand">
                <h1>{ "Outage Drill" }</h1>
                <p class="scenario-title">
                    if let Some(mark) = &props.mark {
                        <a href="#scenario" class="tag tag-variant" data-testid="variant-badge" onclick={to_scenario}
                           title={mark.detail.clone()} aria-label={format!("{}: {}", mark.badge, mark.detail)}>{ mark.badge.clone() }</a>
                        { " " }
                    }
                    <span data-testid="scenario-title">{ props.scenario_title.clone() }</span>
                </p>
            </div>
            <div class="headline" aria-live="polite">
                <select class="headline-label" data-testid="headline-metric" aria-label="Headline metric" onchange={pick}>
                    { for Metric::ALL.iter().map(|m| html! {
                        <option value={m.key()} selected={*m == h.metric}>{ m.label() }</option>
                    }) }
                </select>
                <span class="headline-value" data-testid={value_id} data-metric={h.metric.key()}>{ value }</span>
                <span class="headline-note">
                    { note }
                    if let Some(caveat) = caveat {
                        <span class="headline-caveat" title={caveat} data-testid="headline-caveat">
                            { " · worse as counted" }<span class="visually-hidden">{ format!(": {caveat}") }</span>
                        </span>
                    }
                </span>
            </div>
            <nav class="sections" aria-label="Sections">
                { for [Section::Replay, Section::WhatIf, Section::Ranges, Section::Compare, Section::Scenario].into_iter().map(|section| {
                    // The address's fragment holds the view: a section link scrolls instead.
                    let click = props.on_section.reform(move |e: MouseEvent| {
                        e.prevent_default();
                        scroll_to(section);
                        section
                    });
                    html! { <a href={format!("#{}", section.id())} onclick={click}>{ section.label() }</a> }
                }) }
            </nav>
            <div class="view-actions">
                <StartButton />
                if props.has_exercise {
                    if props.mode == Mode::Facilitate {
                        <button type="button" class="ghost-button" data-testid="mode-explore"
                                onclick={props.on_mode.reform(|_: MouseEvent| Mode::Explore)}
                                title="Back to replay and what-if; the exercise's log is kept">{ "Leave the exercise" }</button>
                    } else {
                        <button type="button" class="primary" data-testid="mode-facilitate"
                                onclick={props.on_mode.reform(|_: MouseEvent| Mode::Facilitate)}
                                title="Run a tabletop exercise: injects, timers, the room's decisions, a projector view and the report">{ "Facilitate" }</button>
                    }
                }
                <CopyLink note={props.link_note.clone()} />
                <button type="button" class="ghost-button" data-testid="reset" onclick={props.on_reset.reform(|_: MouseEvent| ())}
                        title="Every setting back to its default: the record as it happened">{ "Reset" }</button>
            </div>
        </header>
    }
}

/// How a copy went.
#[derive(Clone, PartialEq)]
enum Copied {
    Idle,
    Done,
    /// The clipboard refused: the link is shown to copy by hand.
    Failed(String),
}

#[derive(Properties, PartialEq)]
struct CopyLinkProps {
    /// What the link cannot carry, said with the confirmation.
    note: Option<AttrValue>,
}

/// Copies the address (which holds the whole view) to the clipboard, and says it did.
#[component]
fn CopyLink(props: &CopyLinkProps) -> Html {
    let copied = use_state_eq(|| Copied::Idle);
    let timer = use_mut_ref(|| None::<Timeout>);
    let click = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let href = gloo::utils::window().location().href().unwrap_or_default();
            let clipboard = gloo::utils::window().navigator().clipboard();
            let (copied, timer) = (copied.clone(), timer.clone());
            spawn_local(async move {
                match JsFuture::from(clipboard.write_text(&href)).await {
                    Ok(_) => {
                        copied.set(Copied::Done);
                        let reset = copied.clone();
                        *timer.borrow_mut() =
                            Some(Timeout::new(4_000, move || reset.set(Copied::Idle)));
                    }
                    Err(_) => copied.set(Copied::Failed(href)),
                }
            });
        })
    };
    html! {
        <div class="copy-link">
            <button type="button" class="ghost-button" data-testid="copy-link" onclick={click}
                    title="Copy a link that opens exactly this view">{ "Copy link" }</button>
            <span class="copy-status" role="status">
                { match &*copied {
                    Copied::Idle => html! {},
                    Copied::Done => html! {
                        <span data-testid="copy-link-done">
                            { "Link copied" }
                            if let Some(note) = &props.note { { format!(" — {note}") } }
                        </span>
                    },
                    Copied::Failed(href) => html! {
                        <label>{ "Copy this link: " }<input type="text" readonly=true value={href.clone()} data-testid="copy-link-text" /></label>
                    },
                } }
            </span>
        </div>
    }
}

/// Back to the start screen (where Train is), from the header.
#[component]
fn StartButton() -> Html {
    let dispatch = crate::state::use_dispatch();
    let onclick = Callback::from(move |_: MouseEvent| {
        dispatch.dispatch(crate::state::Action::Learn(
            crate::state::LearnAction::Open(crate::state::Page::Start),
        ))
    });
    html! {
        <button type="button" class="ghost-button" data-testid="to-start" {onclick}
                title="The start screen: train on your own, explore, or facilitate">{ "Start" }</button>
    }
}
