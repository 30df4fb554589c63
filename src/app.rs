//! The app shell: the page header, a short explanation of what the record says and does not say,
//! and the recorded timeline of the built-in scenario. It marks its root `data-ready="true"` once
//! mounted, so tests (and people) can tell the app from the static loading skeleton.

use outage_sim::scenario::Scenario;
use outage_sim::{builtin, human_duration};
use yew::prelude::*;

use crate::timeline::{Timeline, TimelineTable};

/// The scenario the shell shows.
pub const SCENARIO_ID: &str = "eptura-2024-07-10";

/// The whole page.
#[component]
pub fn App() -> Html {
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with((), move |_| {
            if let Some(element) = root.cast::<web_sys::Element>() {
                // Only fails on an invalid attribute name, which this is not.
                let _ = element.set_attribute("data-ready", "true");
            }
        });
    }
    let scenario = use_memo((), |_| builtin(SCENARIO_ID));

    html! {
        <div class="app" ref={root}>
            <header class="masthead">
                <h1>{ "Outage Drill" }</h1>
                <p class="tagline">{ "Replay a real production outage, minute by minute, and learn from it." }</p>
            </header>
            <main>
                {
                    match scenario.as_ref() {
                        Some(scenario) => html! { <Record scenario={scenario.clone()} /> },
                        None => html! {
                            <p role="alert" class="problem">
                                { format!("The built-in scenario '{SCENARIO_ID}' is missing from this build.") }
                            </p>
                        },
                    }
                }
            </main>
            <footer class="colophon">
                <p>{ "Every time and quote comes from the vendor's public postmortem and status page." }</p>
            </footer>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RecordProps {
    scenario: Scenario,
}

/// The incident as recorded: what it is, what the record leaves open, and the timeline.
#[component]
fn Record(props: &RecordProps) -> Html {
    let scenario = &props.scenario;
    let timeline = Timeline::from_scenario(scenario);
    let clock = &scenario.clock;
    let when = |id: &str| {
        scenario
            .event_time(id)
            .map(|t| clock.hhmm_local(t))
            .unwrap_or_default()
    };
    let duration = &scenario.reported_duration;
    let zone = AttrValue::from(timeline.zone.clone());

    html! {
        <article class="record" aria-labelledby="record-title">
            <h2 id="record-title">{ scenario.title.clone() }</h2>
            <p class="summary">{ scenario.summary.clone() }</p>
            <p class="explain">
                { format!(
                    "The reported duration, {}, runs from discovery ({} {}) to resolution ({} {}). \
                     When the service actually disappeared is not in the record: the window before \
                     discovery is unknown.",
                    human_duration(duration.value),
                    when(&duration.from),
                    timeline.zone,
                    when(&duration.to),
                    timeline.zone,
                ) }
            </p>
            <p class="zone-note">{ scenario.zone_note.clone() }</p>
            <TimelineTable
                caption="The incident as recorded"
                zone={zone.clone()}
                rows={timeline.incident.clone()}
            />
            if !timeline.epilogue.is_empty() {
                <section class="epilogue">
                    <TimelineTable caption="Afterwards" zone={zone} rows={timeline.epilogue.clone()} />
                </section>
            }
            <p class="source-info">
                { "Source: " }
                <cite>{ scenario.source.title.clone() }</cite>
                { format!(", {}.", scenario.source.publisher) }
            </p>
        </article>
    }
}
