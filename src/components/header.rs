//! The page header: the product, the scenario (marked when it is a variant or comes from a
//! file), the headline (any metric, chosen here: the current safeguards' run against as it
//! happened, with the metric's caveat when it looks worse because of how it is counted), the
//! section links, and the view's own actions: copy the link to this view, and reset to the
//! record.
//!
//! On a phone (the stylesheet's breakpoint, followed by `use_media_query`) the header is one
//! row at most 64 px high: the product, the headline in words that read right on their own
//! (`Time to detect with safeguards` over `33 s`), and a Menu button (`aria-expanded`) whose
//! panel holds a link to every section, the headline's metric and the view's actions.

use outage_sim::metrics::Metric;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::copy::CopyText;
use crate::hooks::{use_media_query, PHONE};

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

/// Scrolls a section into view (the page's scrolling, in response to the user's click). The
/// sections below the fold are laid out only when they come near the screen
/// (`content-visibility`), so the sections passed on the way change height as they are drawn:
/// the scroll jumps (a smooth one would land short), then follows the section for a few frames
/// while it still moves.
pub fn scroll_to(section: Section) {
    fn jump(element: &web_sys::Element) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_behavior(web_sys::ScrollBehavior::Instant);
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
    fn follow(id: &'static str, frames: u32, last: f64) {
        // About a frame apart: the sections near the screen are drawn between two checks.
        gloo::timers::callback::Timeout::new(30, move || {
            let Some(element) = gloo::utils::document().get_element_by_id(id) else {
                return;
            };
            let top = element.get_bounding_client_rect().top();
            if (top - last).abs() > 1.0 {
                jump(&element);
            }
            if frames > 0 {
                follow(id, frames - 1, element.get_bounding_client_rect().top());
            }
        })
        .forget();
    }
    if let Some(element) = gloo::utils::document().get_element_by_id(section.id()) {
        jump(&element);
        follow(section.id(), 8, element.get_bounding_client_rect().top());
    }
}

/// The headline in words that read right on their own (a phone shows no selector beside the
/// figure): what is measured and for which run, the figure, and the record's figure beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadlineWords {
    /// `Time to detect with safeguards`, `Time to detect as it happened`.
    pub label: String,
    /// `33 s`, `1 h`, `Outage prevented`.
    pub value: String,
    /// `1 h as it happened`, when there is a run with safeguards to compare.
    pub versus: Option<String>,
    /// The wide screen's note under the figure: `with safeguards · as it happened: 1 h`.
    pub note: String,
}

/// The headline's words.
pub fn headline_words(h: &Headline) -> HeadlineWords {
    let m = h.metric;
    let show = |v: Option<f64>| v.map(|v| m.format(v)).unwrap_or_else(|| "never".into());
    let baseline = show(h.baseline);
    let versus = Some(format!("{baseline} as it happened"));
    match h.current {
        None => HeadlineWords {
            label: format!("{} as it happened", m.label()),
            value: baseline,
            versus: None,
            note: "as it happened (assumed start)".to_string(),
        },
        Some(_) if h.prevented && m.span_moments().is_some() => HeadlineWords {
            label: format!("{} with safeguards", m.label()),
            value: "Outage prevented".to_string(),
            versus,
            note: format!("prevented · as it happened: {baseline}"),
        },
        Some(v) => HeadlineWords {
            label: format!("{} with safeguards", m.label()),
            value: show(v),
            versus,
            note: format!(
                "{} · as it happened: {baseline}",
                if h.prevented {
                    "prevented"
                } else {
                    "with safeguards"
                }
            ),
        },
    }
}

/// `· worse as counted`, with why for screen readers and on hover.
fn caveat_mark(caveat: &'static str) -> Html {
    html! {
        <span class="headline-caveat" title={caveat} data-testid="headline-caveat">
            { " · worse as counted" }<span class="visually-hidden">{ format!(": {caveat}") }</span>
        </span>
    }
}

/// Whether the run with safeguards shows a worse figure than the record.
fn looks_worse(h: &Headline) -> bool {
    matches!((h.baseline, h.current), (Some(b), Some(Some(c))) if c > b + 0.5)
}

/// The destinations of the navigation, in the page's order. A phone's menu lists every one; a
/// wide screen, where the safeguards stay beside the replay and the record closes the page,
/// the main ones. The safeguards are not on the page while an exercise is facilitated.
fn destinations(phone: bool, mode: Mode) -> Vec<Section> {
    let mut list = vec![Section::Replay, Section::WhatIf];
    if phone && mode != Mode::Facilitate {
        list.push(Section::Safeguards);
    }
    list.extend([Section::Ranges, Section::Compare, Section::Scenario]);
    if phone {
        list.push(Section::Record);
    }
    list
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let h = &props.headline;
    let words = headline_words(h);
    let phone = use_media_query(PHONE);
    let menu_open = use_state_eq(|| false);
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
        crate::lazy::when_loaded(|| scroll_to(Section::Scenario));
        Section::Scenario
    });
    let badge = props.mark.as_ref().map(|mark| html! {
        <a href="#scenario" class="tag tag-variant" data-testid="variant-badge" onclick={to_scenario.clone()}
           title={mark.detail.clone()} aria-label={format!("{}: {}", mark.badge, mark.detail)}>{ mark.badge.clone() }</a>
    });
    let metric_select = html! {
        <select class="headline-label" data-testid="headline-metric" aria-label="Headline metric" onchange={pick}>
            { for Metric::ALL.iter().map(|m| html! {
                <option value={m.key()} selected={*m == h.metric}>{ m.label() }</option>
            }) }
        </select>
    };
    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(!*menu_open))
    };
    // Escape (on the button or in the menu) closes the menu and gives the focus back to its
    // button.
    let menu_button = use_node_ref();
    let menu_keys = {
        let (menu_open, menu_button) = (menu_open.clone(), menu_button.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *menu_open {
                menu_open.set(false);
                if let Some(button) = menu_button.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
        })
    };
    let menu_hidden = phone && !*menu_open;
    html! {
        <header class={classes!("masthead", phone.then_some("compact"))} onkeydown={menu_keys}>
            <div class="brand">
                <h1><StartButton /></h1>
                if !phone {
                    <p class="scenario-title">
                        if let Some(badge) = badge.clone() { { badge }{ " " } }
                        <span data-testid="scenario-title">{ props.scenario_title.clone() }</span>
                    </p>
                }
            </div>
            <div class="headline" aria-live="polite" data-testid="headline">
                if phone {
                    <span class="headline-what">
                        // On a phone the scenario's mark leads the headline's line (the brand's
                        // column has no room for a third line).
                        if let Some(badge) = badge { { badge }{ " " } }
                        { words.label.clone() }
                        if let Some(caveat) = caveat {
                            { caveat_mark(caveat) }
                        }
                    </span>
                } else {
                    { metric_select.clone() }
                }
                <span class="headline-value" data-testid={value_id} data-metric={h.metric.key()}>{ words.value.clone() }</span>
                // A phone's row has room for what is measured and the figure; the record's figure
                // is said to screen readers (the what-if metrics show it under the replay).
                <span class={classes!("headline-note", phone.then_some("visually-hidden"))}>
                    if phone {
                        if let Some(versus) = &words.versus { { format!(" ({versus})") } }
                    } else {
                        { words.note.clone() }
                        if let Some(caveat) = caveat {
                            { caveat_mark(caveat) }
                        }
                    }
                </span>
            </div>
            if phone {
                <button type="button" class="menu-button" data-testid="menu" ref={menu_button}
                        aria-expanded={menu_open.to_string()} aria-controls="header-menu" onclick={toggle_menu}>
                    { "Menu" }
                </button>
            }
            <div id="header-menu" class="header-menu" hidden={menu_hidden}>
                <nav class="sections" aria-label="Sections">
                    { for destinations(phone, props.mode).into_iter().map(|section| {
                        // The address's fragment holds the view: a section link scrolls instead.
                        let menu_open = menu_open.clone();
                        let click = props.on_section.reform(move |e: MouseEvent| {
                            e.prevent_default();
                            menu_open.set(false);
                            // Once the sections below the first screen are drawn (they load
                            // after the start): a tap in the first moments still lands.
                            crate::lazy::when_loaded(move || scroll_to(section));
                            section
                        });
                        html! { <a href={format!("#{}", section.id())} onclick={click}>{ section.label() }</a> }
                    }) }
                </nav>
                if phone {
                    <label class="field headline-pick">
                        <span>{ "Headline metric" }</span>
                        { metric_select }
                    </label>
                }
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
                <CopyLink note={props.link_note.clone()} />
                <button type="button" class="ghost-button" data-testid="reset" onclick={props.on_reset.reform(|_: MouseEvent| ())}
                        title="Every setting back to its default: the record as it happened">{ "Reset" }</button>
                </div>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct CopyLinkProps {
    /// What the link cannot carry, said with the confirmation.
    note: Option<AttrValue>,
}

/// Copies the address (which holds the whole view) to the clipboard, and says it did.
#[component]
fn CopyLink(props: &CopyLinkProps) -> Html {
    let done = match &props.note {
        Some(note) => format!("Link copied — {note}"),
        None => "Link copied".to_string(),
    };
    let text = Callback::from(|_: ()| gloo::utils::window().location().href().unwrap_or_default());
    html! {
        <CopyText testid="copy-link" label="Copy link" title="Copy a link that opens exactly this view"
                  done={done} text={text} class="copy-link" />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headline(current: Option<Option<f64>>, prevented: bool) -> Headline {
        Headline {
            metric: Metric::TimeToDetect,
            baseline: Some(3_600_000.0),
            current,
            prevented,
        }
    }

    #[test]
    fn the_headline_says_what_it_measures_for_which_run() {
        let record = headline_words(&headline(None, false));
        assert_eq!(record.label, "Time to detect as it happened");
        assert_eq!(record.value, "1 h");
        assert_eq!(record.versus, None);
        let with = headline_words(&headline(Some(Some(33_000.0)), false));
        assert_eq!(with.label, "Time to detect with safeguards");
        assert_eq!(with.value, "33 s");
        assert_eq!(with.versus.as_deref(), Some("1 h as it happened"));
        assert_eq!(with.note, "with safeguards · as it happened: 1 h");
        // Never a bare "no outage": the label says what was prevented from being measured.
        let prevented = headline_words(&headline(Some(None), true));
        assert_eq!(prevented.label, "Time to detect with safeguards");
        assert_eq!(prevented.value, "Outage prevented");
    }

    #[test]
    fn a_phone_reaches_every_section_and_a_wide_screen_the_main_ones() {
        let phone = destinations(true, Mode::Explore);
        assert_eq!(phone.len(), Section::ALL.len(), "every section: {phone:?}");
        assert!(!destinations(true, Mode::Facilitate).contains(&Section::Safeguards));
        let wide = destinations(false, Mode::Explore);
        assert_eq!(
            wide,
            [
                Section::Replay,
                Section::WhatIf,
                Section::Ranges,
                Section::Compare,
                Section::Scenario
            ]
        );
    }
}

/// The product's name, which leads back to the start screen (where Train is).
#[component]
fn StartButton() -> Html {
    let dispatch = crate::state::use_dispatch();
    let onclick = Callback::from(move |_: MouseEvent| {
        dispatch.dispatch(crate::state::Action::Learn(
            crate::state::LearnAction::Open(crate::state::Page::Start),
        ))
    });
    html! {
        <button type="button" class="brand-link" data-testid="to-start" {onclick}
                aria-label="Outage Drill: the start screen"
                title="The start screen: train on your own, explore, or facilitate">{ "Outage Drill" }</button>
    }
}
