//! The app: one reducer holds the state (see `state`), and the page is laid out as a header with
//! the headline, a main column (replay, what-if metrics), a sidebar of safeguards, and the
//! analysis below (ranges, compare, the scenario and its variants, the record). Sections get only the slices of state they draw,
//! so playback frames re-render the replay alone; the dispatcher reaches them through a context.
//! The root is marked `data-ready="true"` once mounted.

use outage_sim::scenario::Scenario;
use outage_sim::trace::Outcome;
use yew::prelude::*;

use crate::builtin::{builtin, DEFAULT_SCENARIO};
use crate::components::compare::CompareProps;
use crate::components::facilitate::{
    CurveballsProps, DecisionLogProps, ExerciseBarProps, InjectPanelProps, ReportPanelProps,
};
use crate::components::header::scroll_to;
use crate::components::header::{Header, Headline, ScenarioMark};
use crate::components::metrics_table::MetricsProps;
use crate::components::notice::NoticeBanner;
use crate::components::projector::ProjectorProps;
use crate::components::ranges::RangesProps;
use crate::components::record::RecordProps;
use crate::components::replay::ReplaySection;
use crate::components::report_view::ReportViewProps;
use crate::components::safeguards::SafeguardPanel;
use crate::components::scenario::ScenarioProps;
use crate::components::shortcut_help::ShortcutHelpProps;
use crate::hooks::persist::{initial_state, use_kept_file, use_persistence};
use crate::hooks::shortcuts::{toggle_full_screen, use_shortcuts, Shortcut};
use crate::hooks::use_playback;
use crate::monte_carlo::use_monte_carlo;
use crate::offline::{reload_into_update, use_offline};
use crate::report::Report;
use crate::room::{open_projector, use_room_follower, use_room_publisher};
use crate::state::analysis::{ranges_configs, ranking_job_configs, ranking_runs};
use crate::state::variant::{changes, marker};
use crate::state::{
    use_action, Action, AnalysisAction, AppState, Dispatch, JobKind, JobStatus, Mode, Notice,
    NoticeAction, Origin, ReplayAction, Section, Shared, Slot,
};
use crate::views::{
    COMPARE, CURVEBALLS, DECISION_LOG, EXERCISE_BAR, INJECT_PANEL, METRICS, PROJECTOR, RANGES,
    RECORD, REPORT_PANEL, REPORT_VIEW, SCENARIO, SHORTCUT_HELP,
};

/// The whole page.
#[component]
pub fn App() -> Html {
    let scenario = use_memo((), |_| builtin(DEFAULT_SCENARIO));
    match scenario.as_ref() {
        Some(scenario) => html! { <Workspace scenario={Shared::new(scenario.clone())} /> },
        None => html! {
            <div class="app" data-ready="true">
                <p role="alert" class="problem" data-testid="error">
                    { format!("The built-in scenario '{DEFAULT_SCENARIO}' is missing from this build.") }
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
    let m = state.headline;
    let value = |r: &outage_sim::RunRecord| m.applies(r).then(|| m.value(r)).flatten();
    Headline {
        metric: m,
        baseline: value(&d.record),
        current: d.ghost.as_ref().map(|(g, _)| value(g)),
        prevented: matches!(
            d.ghost.as_ref().map(|g| g.0.outcome),
            Some(Outcome::Prevented(_))
        ),
    }
}

/// The header's mark of a scenario that is not the built-in record as it is.
fn scenario_mark(state: &AppState) -> Option<ScenarioMark> {
    let detail = marker(&state.variant, &state.scenario)?;
    let variant = !changes(&state.variant.base, &state.scenario).is_empty();
    Some(ScenarioMark {
        badge: if variant { "Variant" } else { "From a file" }.into(),
        detail: detail.into(),
    })
}

#[component]
fn Workspace(props: &WorkspaceProps) -> Html {
    let state = use_reducer_eq(|| initial_state((*props.scenario).clone()));
    let dispatch: Dispatch = state.dispatcher();
    use_playback(state.replay.playing, dispatch.clone());
    use_persistence(&state, dispatch.clone());
    use_kept_file(&state, dispatch.clone());
    crate::components::scenario::use_file_drop(dispatch.clone());
    use_offline(dispatch.clone());
    let mc = use_monte_carlo(dispatch.clone());
    crate::hooks::sensitivity::use_sensitivity_runner(&state.analysis.sensitivity, mc.clone());
    let mode = state.exercise.mode;
    use_room_publisher(&state);
    {
        let dispatch = dispatch.clone();
        use_room_follower(
            mode == Mode::Projector,
            Callback::from(move |view| {
                dispatch.dispatch(Action::FollowRoom(Box::new(view), js_sys::Date::now()))
            }),
        );
    }
    // The latest state, for the report's downloads (built when asked, from what is on screen).
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let print_report = use_state(|| None::<Shared<Report>>);
    let root = use_node_ref();
    {
        let root = root.clone();
        let section = state.section;
        use_effect_with((), move |_| {
            if let Some(element) = root.cast::<web_sys::Element>() {
                let _ = element.set_attribute("data-ready", "true");
            }
            // A link that names a section opens there, once the sections above it are drawn.
            if let Some(section) = section {
                crate::lazy::when_loaded(move || scroll_to(section));
            }
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                // For the budgets script: when the app became interactive.
                let _ = performance.mark("app-interactive");
            }
        });
    }
    let d = &dispatch;
    let help = use_state_eq(|| false);
    {
        let (dispatch, help) = (dispatch.clone(), help.clone());
        // Depends on whether the list is open (`?` toggles it), and on the mode: the room's
        // projector follows the console, so only full screen and the list work there.
        let projector = state.exercise.mode == Mode::Projector;
        let on_shortcut = use_callback(
            (*help, projector),
            move |shortcut: Shortcut, &(_, projector)| {
                let replay = |a| dispatch.dispatch(Action::Replay(a));
                if projector
                    && !matches!(
                        shortcut,
                        Shortcut::FullScreen | Shortcut::Help | Shortcut::Close
                    )
                {
                    return;
                }
                match shortcut {
                    Shortcut::PlayPause => replay(ReplayAction::TogglePlay),
                    Shortcut::Previous => replay(ReplayAction::StepPrev),
                    Shortcut::Next => replay(ReplayAction::StepNext),
                    Shortcut::Start => replay(ReplayAction::Restart),
                    Shortcut::End => replay(ReplayAction::ShowAll),
                    Shortcut::FullScreen => toggle_full_screen(),
                    Shortcut::Help => help.set(!*help),
                    Shortcut::Close => help.set(false),
                }
            },
        );
        use_shortcuts(on_shortcut);
    }
    let on_close_help = {
        let help = help.clone();
        Callback::from(move |_: ()| help.set(false))
    };
    let on_dismiss = use_action(d, Action::DismissNotice);
    let on_notice_action = {
        let d = d.clone();
        Callback::from(move |action: NoticeAction| match action {
            NoticeAction::ReloadForUpdate => reload_into_update(),
            NoticeAction::DownloadHeld(record) => {
                if let Err(why) = crate::hooks::persist::download_held(record) {
                    d.dispatch(Action::Notify(crate::state::Notice::error(why)));
                }
            }
        })
    };
    let on_section = use_action(d, Action::ShowSection);
    let on_reset = use_action(d, |_: ()| Action::Reset);
    let on_skip = on_section.reform(|e: MouseEvent| {
        e.prevent_default();
        scroll_to(Section::Replay);
        Section::Replay
    });
    let on_preset = use_action(d, Action::ApplyPreset);
    let on_toggle = use_action(d, |(id, on)| Action::SetSafeguard(id, on));
    let on_param = use_action(d, |(id, key, value)| Action::SetParam(id, key, value));
    let on_seed = use_action(d, Action::SetSeed);
    let on_runs = use_action(d, |n| Action::Analysis(AnalysisAction::SetRuns(n)));
    let on_metric = use_action(d, |m| Action::Analysis(AnalysisAction::SetMetric(m)));
    let on_slot = use_action(d, |(i, slot): (usize, Slot)| {
        Action::Analysis(AnalysisAction::SetSlot(i, slot))
    });
    let on_add_slot = use_action(d, |_: ()| Action::AddCurrentSlot);
    let on_remove_slot = use_action(d, |i| Action::Analysis(AnalysisAction::RemoveSlot(i)));
    let on_name_slot = use_action(d, |(i, name)| {
        Action::Analysis(AnalysisAction::NameSlot(i, name))
    });
    let on_headline = use_action(d, Action::SetHeadline);
    let on_switch_on = use_action(d, |id| Action::SetSafeguard(id, true));

    let a = &state.analysis;
    let inputs = (
        mc.clone(),
        state.scenario.clone(),
        state.config,
        state.seed,
        a.runs,
    );
    let on_run_ranges = use_callback(
        inputs.clone(),
        |_: (), (mc, scenario, config, seed, runs)| {
            mc.run(
                JobKind::Ranges,
                scenario.clone(),
                ranges_configs(config),
                *seed,
                *runs as u64,
            )
        },
    );
    let on_run_ranking = use_callback(
        inputs.clone(),
        |_: (), (mc, scenario, config, seed, runs)| {
            mc.run(
                JobKind::Ranking,
                scenario.clone(),
                ranking_job_configs(config),
                *seed,
                ranking_runs(*runs),
            )
        },
    );
    let on_run_compare = use_callback(
        (inputs, a.slots.clone()),
        |_: (), ((mc, scenario, _, seed, runs), slots)| {
            mc.run(
                JobKind::Compare,
                scenario.clone(),
                slots.iter().map(Slot::config).collect(),
                *seed,
                *runs as u64,
            )
        },
    );
    let on_cancel_ranges = use_callback(mc.clone(), |_: (), mc| mc.cancel(JobKind::Ranges));
    let on_cancel_compare = use_callback(mc.clone(), |_: (), mc| mc.cancel(JobKind::Compare));
    let on_cancel_ranking = use_callback(mc.clone(), |_: (), mc| mc.cancel(JobKind::Ranking));
    let on_sensitivity = {
        let (dispatch, scenario, config, seed, runs) = (
            dispatch.clone(),
            state.scenario.clone(),
            state.config,
            state.seed,
            a.runs,
        );
        Callback::from(move |_: ()| {
            dispatch.dispatch(Action::Analysis(AnalysisAction::StartSensitivity {
                scenario: scenario.clone(),
                set: Box::new(crate::state::analysis::ranking_set(&config)),
                seed,
                runs: crate::state::sensitivity::sensitivity_runs(runs),
            }))
        })
    };
    let on_sensitivity_cancel =
        use_callback(mc.clone(), |_: (), mc| mc.cancel(JobKind::Sensitivity));
    let on_mode = use_action(d, Action::SetMode);

    // The exercise's report: built from the state when asked.
    let build_report = {
        let latest = latest.clone();
        move || {
            let state = latest.borrow();
            let href = gloo::utils::window().location().href().unwrap_or_default();
            Report::build(&state, &href)
        }
    };
    let save_report = |extension: &'static str, mime: &'static str, text: fn(&Report) -> String| {
        let (build_report, dispatch) = (build_report.clone(), dispatch.clone());
        Callback::from(move |_: ()| {
            let report = build_report();
            let name =
                crate::download::file_name(&report.overview.name, &report.overview.date, extension);
            if let Err(why) = crate::download::download_text(&name, mime, &text(&report)) {
                dispatch.dispatch(Action::Notify(Notice::error(format!(
                    "The report could not be saved: {why}."
                ))));
            }
        })
    };
    let on_markdown = save_report("md", "text/markdown;charset=utf-8", Report::to_markdown);
    let on_json = save_report("json", "application/json", Report::to_json);
    let on_print = {
        let (build_report, print_report) = (build_report.clone(), print_report.clone());
        Callback::from(move |_: ()| print_report.set(Some(Shared::new(build_report()))))
    };
    {
        // Prints once the report is drawn.
        let printing = print_report.is_some();
        let print_report = print_report.clone();
        use_effect_with(printing, move |&printing| {
            if printing {
                let _ = gloo::utils::window().print();
                // Kept in the page (hidden on screen) so print previews and later prints see it.
                let _ = print_report;
            }
        });
    }
    let on_room_ranges = {
        let (latest, mc) = (latest.clone(), mc.clone());
        Callback::from(move |_: ()| {
            let s = latest.borrow();
            mc.run(
                JobKind::Ranges,
                s.scenario.clone(),
                ranges_configs(&s.config),
                s.seed,
                s.analysis.runs as u64,
            );
            mc.run_with(
                JobKind::Room,
                s.scenario.clone(),
                vec![outage_sim::Config::none()],
                s.seed,
                s.analysis.runs as u64,
                s.exercise.intervention_texts(),
            );
        })
    };
    let ranges_status = match (&a.ranges.status, &a.room.status) {
        (JobStatus::Running { .. }, _) | (_, JobStatus::Running { .. }) => "Computing the ranges…",
        (JobStatus::Done(_), JobStatus::Done(_)) => {
            "Ranges computed: they are in the report while the inputs stay the same."
        }
        _ => "No ranges yet.",
    };

    if mode == Mode::Projector {
        let e = &state.exercise;
        return html! {
            <ContextProvider<Dispatch> context={dispatch.clone()}>
                <div class="app projector-app" ref={root}>
                    { PROJECTOR.html(ProjectorProps {
                        scenario: state.scenario.clone(),
                        exercise: e.exercise.clone(),
                        derived: state.derived.clone(),
                        now: state.replay.now,
                        current: e.current,
                        fired: e.fired.clone(),
                        inject_timer: e.inject_timer,
                        exercise_timer: e.exercise_timer,
                        outcome_revealed: e.outcome_revealed,
                        following: state.followed.is_some(),
                    }) }
                </div>
            </ContextProvider<Dispatch>>
        };
    }
    let facilitating = mode == Mode::Facilitate;
    let e = &state.exercise;

    html! {
        <ContextProvider<Dispatch> context={dispatch.clone()}>
            <div class="app" ref={root}>
                <a class="skip-link" href="#replay" onclick={on_skip}>{ "Skip to the timeline" }</a>
                <Header scenario_title={AttrValue::from(state.scenario.title.clone())} mark={scenario_mark(&state)}
                        headline={headline(&state)} on_headline={on_headline}
                        mode={mode} has_exercise={e.exercise.is_some()} on_mode={on_mode}
                        on_section={on_section} on_reset={on_reset}
                        link_note={matches!(state.variant.origin, Origin::File { .. }).then(|| AttrValue::from(
                            "the scenario came from a file, which a link cannot carry: send the exported file with it"))} />
                <NoticeBanner notices={state.notices.clone()} on_dismiss={on_dismiss} on_action={on_notice_action} />
                if *help {
                    { SHORTCUT_HELP.html(ShortcutHelpProps { on_close: on_close_help }) }
                }
                if let (true, Some(exercise)) = (facilitating, e.exercise.clone()) {
                    { EXERCISE_BAR.html(ExerciseBarProps {
                        scenario: state.scenario.clone(),
                        exercise,
                        current: e.current,
                        now: state.replay.now,
                        inject_timer: e.inject_timer,
                        exercise_timer: e.exercise_timer,
                        outcome_revealed: e.outcome_revealed,
                        on_open_projector: Callback::from(|_: ()| open_projector()),
                    }) }
                }
                <div class={classes!("workspace", facilitating.then_some("facilitating"))}>
                    <main class="main-column">
                        <ReplaySection
                            scenario={state.scenario.clone()}
                            derived={state.derived.clone()}
                            now={state.replay.now}
                            playing={state.replay.playing}
                            speed={state.replay.speed}
                            spans={state.replay.spans.clone()}
                            selected={state.replay.selected}
                            seed={state.seed}
                        />
                        if let (true, Some(exercise)) = (facilitating, e.exercise.clone()) {
                            { INJECT_PANEL.html(InjectPanelProps { scenario: state.scenario.clone(), exercise, current: e.current }) }
                        }
                        { METRICS.after_start(MetricsProps { derived: state.derived.clone(), seed: state.seed, on_seed }, "what-if") }
                    </main>
                    if let (true, Some(exercise)) = (facilitating, e.exercise.clone()) {
                        <aside class="sidebar facilitation" aria-label="The exercise">
                            { DECISION_LOG.html(DecisionLogProps { scenario: state.scenario.clone(), exercise: exercise.clone(),
                                         draft: e.draft.clone(), decisions: e.decisions.clone(), now: state.replay.now }) }
                            { CURVEBALLS.html(CurveballsProps { scenario: state.scenario.clone(), exercise,
                                        fired: e.fired.clone(), now: state.replay.now }) }
                            { REPORT_PANEL.html(ReportPanelProps { notes: e.notes.clone(), on_markdown, on_json,
                                         on_print, on_ranges: on_room_ranges,
                                         ranges_status: AttrValue::from(ranges_status) }) }
                        </aside>
                    } else {
                        <SafeguardPanel
                            scenario={state.scenario.clone()}
                            config={state.config}
                            active_preset={state.active_preset()}
                            on_preset={on_preset}
                            on_toggle={on_toggle}
                            on_param={on_param}
                        />
                    }
                </div>
                <div class="analysis">
                    { RANGES.after_start(RangesProps {
                        scenario: state.scenario.clone(),
                        config: state.config,
                        seed: state.seed,
                        runs: a.runs,
                        metric: a.metric,
                        recorded: a.metric.value(&state.derived.record),
                        job: a.ranges.clone(),
                        variant: marker(&state.variant, &state.scenario).map(AttrValue::from),
                        on_runs,
                        on_metric: on_metric.clone(),
                        on_run: on_run_ranges,
                        on_cancel: on_cancel_ranges,
                    }, "ranges") }
                    { COMPARE.after_start(CompareProps {
                        scenario: state.scenario.clone(),
                        slots: a.slots.clone(),
                        slot_labels: a.slot_labels(),
                        slot_names: a.slot_names.clone(),
                        variant: marker(&state.variant, &state.scenario).map(AttrValue::from),
                        base: state.variant.base.clone(),
                        file: state.variant.file().map(AttrValue::from),
                        config: state.config,
                        seed: state.seed,
                        runs: a.runs,
                        metric: a.metric,
                        compare: a.compare.clone(),
                        ranking: a.ranking.clone(),
                        on_slot,
                        on_name: on_name_slot,
                        on_add: on_add_slot,
                        on_remove: on_remove_slot,
                        on_metric,
                        on_run: on_run_compare,
                        on_cancel: on_cancel_compare,
                        on_rank: on_run_ranking,
                        on_rank_cancel: on_cancel_ranking,
                        sensitivity: a.sensitivity.clone(),
                        on_sensitivity,
                        on_sensitivity_cancel,
                        on_switch_on,
                    }, "compare") }
                    { SCENARIO.after_start(ScenarioProps { scenario: state.scenario.clone(), variant: state.variant.clone() }, "scenario") }
                    { RECORD.after_start(RecordProps { scenario: state.scenario.clone() }, "record") }
                </div>
                if let Some(report) = (*print_report).clone() {
                    { REPORT_VIEW.html(ReportViewProps { report }) }
                }
            </div>
        </ContextProvider<Dispatch>>
    }
}
