//! The page header: the product, the scenario, the headline (time to detect with the current
//! safeguards against as it happened) and the section links.

use outage_sim::human_duration;
use yew::prelude::*;

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
                <a href="#replay">{ "Replay" }</a>
                <a href="#what-if">{ "What if" }</a>
                <a href="#ranges">{ "Ranges" }</a>
                <a href="#compare">{ "Compare" }</a>
            </nav>
        </header>
    }
}
