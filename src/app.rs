//! The app: one reducer holds the state (see `state`), and the page is laid out as a header with
//! the headline, a main column (replay, what-if metrics, ranges, compare, the record) and a
//! sidebar of safeguards. Sections get only the slices of state they draw, so playback frames
//! re-render the replay alone. The root is marked `data-ready="true"` once mounted.

use crate::builtin::builtin;
use outage_sim::scenario::Scenario;
use outage_sim::trace::Outcome;
use yew::prelude::*;

use crate::components::header::{Header, Headline};
use crate::components::metrics_table::MetricsSection;
use crate::components::notice::NoticeBanner;
use crate::components::replay::ReplaySection;
use crate::components::safeguards::SafeguardPanel;
use crate::hooks::use_playback;
use crate::state::{use_action, Action, AppState, Shared};
use crate::view::{publish, View};

/// The scenario the app shows.
pub const SCENARIO_ID: &str = "eptura-2024-07-10";

/// The whole page.
#[component]
pub fn App() -> Html {
    let scenario = use_memo((), |_| builtin(SCENARIO_ID));
    match scenario.as_ref() {
        Some(scenario) => html! { <Workspace scenario={Shared::new(scenario.clone())} /> },
        None => html! {
            <div class="app" data-ready="true">
                <p role="alert" class="problem" data-testid="error">
                    { format!("The built-in scenario '{SCENARIO_ID}' is missing from this build.") }
                </p>
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
struct WorkspaceProps {
    scenario: Shared<Scenario>,
}

fn headline(state: &AppState) -> Headline {
    let d = &state.derived;
    let ttd = |r: &outage_sim::RunRecord| Some(r.detected_at? - r.gone_at?);
    Headline {
        baseline_ttd: ttd(&d.record),
        current_ttd: d.ghost.as_ref().map(|(g, _)| ttd(g)),
        prevented: matches!(
            d.ghost.as_ref().map(|g| g.0.outcome),
            Some(Outcome::Prevented(_))
        ),
    }
}

#[component]
fn Workspace(props: &WorkspaceProps) -> Html {
    let state = use_reducer_eq(|| AppState::new((*props.scenario).clone()));
    let dispatch = state.dispatcher();
    use_playback(state.playing, dispatch.clone());
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with((), move |_| {
            if let Some(element) = root.cast::<web_sys::Element>() {
                let _ = element.set_attribute("data-ready", "true");
            }
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                // For the budgets script: when the app became interactive.
                let _ = performance.mark("app-interactive");
            }
        });
    }
    let on_dismiss = use_action(&dispatch, |_: ()| Action::DismissNotice);
    let on_preset = use_action(&dispatch, Action::ApplyPreset);
    let on_toggle = use_action(&dispatch, |(id, on)| Action::SetSafeguard(id, on));
    let on_param = use_action(&dispatch, |(id, key, value)| {
        Action::SetParam(id, key, value)
    });
    let on_seed = use_action(&dispatch, Action::SetSeed);
    {
        // Keep the analysis module (ranges, compare) on the same view.
        let view = View {
            impact_start: state.scenario.impact_start(),
            config: state.config,
            seed: state.seed,
        };
        use_effect_with(view, publish);
    }
    html! {
        <div class="app" ref={root}>
            <a class="skip-link" href="#replay">{ "Skip to the timeline" }</a>
            <Header scenario_title={AttrValue::from(state.scenario.title.clone())} headline={headline(&state)} />
            <NoticeBanner notice={state.notice.clone()} on_dismiss={on_dismiss} />
            <div class="workspace">
                <main class="main-column">
                    <ReplaySection
                        scenario={state.scenario.clone()}
                        derived={state.derived.clone()}
                        now={state.now}
                        playing={state.playing}
                        speed={state.speed}
                        spans={state.spans.clone()}
                        selected={state.selected}
                        seed={state.seed}
                        dispatch={dispatch.clone()}
                    />
                    <MetricsSection derived={state.derived.clone()} seed={state.seed} on_seed={on_seed} />
                </main>
                <SafeguardPanel
                    config={state.config}
                    active_preset={state.active_preset()}
                    on_preset={on_preset}
                    on_toggle={on_toggle}
                    on_param={on_param}
                />
            </div>
        </div>
    }
}
