//! The page header: the product, the scenario, the headline (time to detect with the current
//! safeguards against as it happened), the section links, and the view's own actions: copy
//! the link to this view, and reset to the record.

use gloo::timers::callback::Timeout;
use outage_sim::human_duration;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use crate::state::{Mode, Section};

/// The headline figures, from the counterfactual runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    /// Time to detect as it happened (assumed impact start → discovery).
    pub baseline_ttd: Option<i64>,
    /// Time to detect with the current safeguards; `None` with no safeguard.
    pub current_ttd: Option<Option<i64>>,
    /// The current safeguards prevented the outage in this run.
    pub prevented: bool,
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub scenario_title: AttrValue,
    pub headline: Headline,
    pub mode: Mode,
    /// The scenario comes with an exercise to facilitate.
    pub has_exercise: bool,
    pub on_mode: Callback<Mode>,
    pub on_section: Callback<Section>,
    pub on_reset: Callback<()>,
}

/// Scrolls a section into view (the page's scrolling, in response to the user's click).
pub fn scroll_to(section: Section) {
    if let Some(element) = gloo::utils::document().get_element_by_id(section.id()) {
        element.scroll_into_view();
    }
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let h = &props.headline;
    let baseline = h
        .baseline_ttd
        .map(human_duration)
        .unwrap_or_else(|| "—".into());
    let (value, note) = match h.current_ttd {
        None => (
            baseline.clone(),
            "as it happened (assumed start)".to_string(),
        ),
        Some(_) if h.prevented => (
            "no outage".to_string(),
            format!("prevented · as it happened: {baseline}"),
        ),
        Some(Some(ttd)) => (
            human_duration(ttd),
            format!("with safeguards · as it happened: {baseline}"),
        ),
        Some(None) => (
            "never".to_string(),
            format!("with safeguards · as it happened: {baseline}"),
        ),
    };
    html! {
        <header class="masthead">
            <div class="brand">
                <h1>{ "Outage Drill" }</h1>
                <p class="scenario-title">{ props.scenario_title.clone() }</p>
            </div>
            <div class="headline" aria-live="polite">
                <span class="headline-label">{ "Time to detect" }</span>
                <span class="headline-value" data-testid="metric-ttd">{ value }</span>
                <span class="headline-note">{ note }</span>
            </div>
            <nav class="sections" aria-label="Sections">
                { for [Section::Replay, Section::WhatIf, Section::Ranges, Section::Compare].into_iter().map(|section| {
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
                <CopyLink />
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

/// Copies the address (which holds the whole view) to the clipboard, and says it did.
#[component]
fn CopyLink() -> Html {
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
                    Copied::Done => html! { <span data-testid="copy-link-done">{ "Link copied" }</span> },
                    Copied::Failed(href) => html! {
                        <label>{ "Copy this link: " }<input type="text" readonly=true value={href.clone()} data-testid="copy-link-text" /></label>
                    },
                } }
            </span>
        </div>
    }
}
