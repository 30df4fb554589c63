//! The analysis module: Ranges (Monte Carlo), Compare and the record's table. It is a second
//! Yew app in its own wasm file, loaded by the page after the main app is interactive, so the
//! main page stays within its size budget. It follows the main page's view (impact start,
//! safeguards, seed; see `view`) and keeps its own settings in one reducer.

use std::rc::Rc;

use gloo::events::EventListener;
use outage_sim::metrics::Metric;
use outage_sim::safeguards::{Config, Preset};
use outage_sim::scenario::Scenario;
use yew::prelude::*;

use crate::builtin::builtin;
use crate::components::compare::CompareSection;
use crate::components::notice::NoticeBanner;
use crate::components::ranges::RangesSection;
use crate::components::record::Record;
use crate::state::{use_action, Notice, Shared};
use crate::view::{latest, View, VIEW_EVENT};

/// Monte Carlo runs per configuration: default and allowed range.
pub const DEFAULT_RUNS: u32 = 10_000;
pub const MIN_RUNS: u32 = 100;
pub const MAX_RUNS: u32 = 100_000;
/// The most configurations the compare view holds.
pub const MAX_SLOTS: usize = 4;

/// A configuration in the compare view.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    Preset(Preset),
    /// A copy of the what-if safeguards taken when the slot was chosen.
    Custom(Box<Config>),
}

impl Slot {
    pub fn config(&self) -> Config {
        match self {
            Slot::Preset(p) => p.config(),
            Slot::Custom(c) => **c,
        }
    }

    /// What the configuration is, for the slot's description.
    pub fn description(&self) -> String {
        match self {
            Slot::Preset(p) => p.description().to_string(),
            Slot::Custom(_) => self.label(),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Slot::Preset(p) => p.label().to_string(),
            Slot::Custom(c) if c.is_empty() => "Custom: no safeguard".to_string(),
            Slot::Custom(c) => format!(
                "Custom: {}",
                c.enabled()
                    .map(|id| id.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisState {
    /// The scenario with the main page's assumptions.
    pub scenario: Shared<Scenario>,
    pub config: Config,
    pub seed: u64,
    pub runs: u32,
    pub metric: Metric,
    pub slots: Vec<Slot>,
    pub notice: Option<Notice>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AnalysisAction {
    /// The main page's view changed (encoded; see `view`).
    View(String),
    SetRuns(u32),
    SetMetric(Metric),
    SetSlot(usize, Slot),
    AddSlot,
    RemoveSlot(usize),
    DismissNotice,
}

impl AnalysisState {
    pub fn new(base: Scenario) -> AnalysisState {
        AnalysisState {
            scenario: Shared::new(base),
            config: Config::none(),
            seed: 1,
            runs: DEFAULT_RUNS,
            metric: Metric::TimeToDetect,
            slots: Preset::ALL.iter().map(|&p| Slot::Preset(p)).collect(),
            notice: None,
        }
    }

    fn error(&mut self, text: String) {
        self.notice = Some(Notice { text, error: true });
    }
}

impl Reducible for AnalysisState {
    type Action = AnalysisAction;

    fn reduce(self: Rc<Self>, action: AnalysisAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            AnalysisAction::View(text) => {
                match View::decode(&text).and_then(|v| Ok((v.scenario(&s.scenario)?, v))) {
                    Ok((scenario, view)) => {
                        if scenario != *s.scenario {
                            s.scenario = Shared::new(scenario);
                        }
                        s.config = view.config;
                        s.seed = view.seed;
                    }
                    Err(e) => s.error(format!(
                    "The ranges could not follow the page ({e}); they keep the previous settings."
                )),
                }
            }
            AnalysisAction::SetRuns(runs) => {
                if (MIN_RUNS..=MAX_RUNS).contains(&runs) {
                    s.runs = runs;
                } else {
                    s.error(format!(
                        "Runs must be between {MIN_RUNS} and {MAX_RUNS}; kept {}.",
                        s.runs
                    ));
                }
            }
            AnalysisAction::SetMetric(m) => s.metric = m,
            AnalysisAction::SetSlot(i, slot) => {
                if let Some(existing) = s.slots.get_mut(i) {
                    *existing = slot;
                }
            }
            AnalysisAction::AddSlot => {
                if s.slots.len() < MAX_SLOTS {
                    s.slots.push(Slot::Custom(Box::new(s.config)));
                }
            }
            AnalysisAction::RemoveSlot(i) => {
                if s.slots.len() > 1 && i < s.slots.len() {
                    s.slots.remove(i);
                }
            }
            AnalysisAction::DismissNotice => s.notice = None,
        }
        Rc::new(s)
    }
}

/// The analysis sections, following the main page.
#[component]
pub fn Analysis() -> Html {
    let state = use_reducer_eq(|| {
        AnalysisState::new(
            builtin(crate::app::SCENARIO_ID).expect("the built-in scenario is compiled in"),
        )
    });
    let dispatch = state.dispatcher();
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            if let Some(text) = latest() {
                dispatch.dispatch(AnalysisAction::View(text));
            }
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, VIEW_EVENT, move |_| {
                    if let Some(text) = latest() {
                        dispatch.dispatch(AnalysisAction::View(text));
                    }
                })
            });
            move || drop(listener)
        });
    }
    let d = &dispatch;
    let on_dismiss = use_action(d, |_: ()| AnalysisAction::DismissNotice);
    let on_runs = use_action(d, AnalysisAction::SetRuns);
    let on_metric = use_action(d, AnalysisAction::SetMetric);
    let on_slot = use_action(d, |(i, slot)| AnalysisAction::SetSlot(i, slot));
    let on_add = use_action(d, |_: ()| AnalysisAction::AddSlot);
    let on_remove = use_action(d, AnalysisAction::RemoveSlot);
    html! {
        <div class="analysis" data-ready="true">
            <NoticeBanner notice={state.notice.clone()} on_dismiss={on_dismiss} />
            <RangesSection
                scenario={state.scenario.clone()}
                config={state.config}
                seed={state.seed}
                runs={state.runs}
                metric={state.metric}
                on_runs={on_runs}
                on_metric={on_metric.clone()}
            />
            <CompareSection
                scenario={state.scenario.clone()}
                slots={state.slots.clone()}
                config={state.config}
                seed={state.seed}
                runs={state.runs}
                metric={state.metric}
                on_slot={on_slot}
                on_add={on_add}
                on_remove={on_remove}
                on_metric={on_metric.clone()}
            />
            <Record scenario={state.scenario.clone()} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<AnalysisState> {
        Rc::new(AnalysisState::new(
            outage_sim::scenario::builtin("eptura-2024-07-10").unwrap(),
        ))
    }

    #[test]
    fn follows_the_main_page_and_refuses_bad_views() {
        let s = state();
        let earlier = s.scenario.clock.on_origin_day(13, 0);
        let view = View {
            impact_start: earlier,
            seed: 9,
            config: Config::from_specs(&["uptime_check"]).unwrap(),
        };
        let s = s.reduce(AnalysisAction::View(view.encode()));
        assert_eq!((s.scenario.impact_start(), s.seed), (earlier, 9));
        assert!(s.config.is_enabled(outage_sim::SafeguardId::UptimeCheck));
        let s = s.reduce(AnalysisAction::View("impact=99999999999&seed=1".into()));
        assert!(s.notice.as_ref().unwrap().text.contains("impact_start"));
        assert_eq!(s.scenario.impact_start(), earlier, "kept");
    }

    #[test]
    fn runs_and_slots_stay_in_bounds() {
        let s = state().reduce(AnalysisAction::SetRuns(5));
        assert_eq!(s.runs, DEFAULT_RUNS);
        assert!(s.notice.is_some());
        let s = s.reduce(AnalysisAction::AddSlot);
        assert_eq!(s.slots.len(), MAX_SLOTS, "four presets fill the view");
        let mut s = s;
        for _ in 0..6 {
            s = s.reduce(AnalysisAction::RemoveSlot(0));
        }
        assert_eq!(s.slots.len(), 1, "one configuration always stays");
    }
}
