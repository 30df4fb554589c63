//! The app behind the start screen (`Workspace`, drawn by the page's root `shell` from its own
//! chunk): one reducer holds the state (see `state`), and the page is laid out as a header with
//! the headline, a main column (replay, what-if metrics), a sidebar of safeguards, and the
//! analysis below (ranges, compare, the scenario and its variants, the record). Sections get only the slices of state they draw,
//! so playback frames re-render the replay alone; the dispatcher reaches them through a context.
//! The root is marked `data-ready="true"` once mounted.

use std::rc::Rc;

use outage_sim::scenario::Scenario;
use outage_sim::trace::Outcome;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::archive::{self, Archived};
use crate::builtin::{builtin, DEFAULT_SCENARIO};
use crate::components::archive_panel::ArchivePanelProps;
use crate::components::compare::CompareProps;
use crate::components::confirm::Confirm;
use crate::components::facilitate::{
    room_check, CurveballsProps, DecisionLogProps, ExerciseBarProps, InjectListProps,
    InjectPanelProps, ReportPanelProps,
};
use crate::components::glossary::Glossary;
use crate::components::glossary::OpenGlossary;
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
use crate::components::start::{StartScreen, WayIn};
use crate::components::team_results::TeamResultsProps;
use crate::hooks::persist::{initial_state, use_exercise_store, use_kept_file, use_persistence};
use crate::hooks::shortcuts::{toggle_full_screen, use_shortcuts, Keys, Shortcut};
use crate::hooks::use_playback;
use crate::monte_carlo::use_monte_carlo;
use crate::offline::{reload_into_update, use_offline};
use crate::report::Report;
use crate::report_tools::{report_tools, ReportTools};
use crate::room::{open_projector, random_id, use_room_follower, use_room_publisher};
use crate::shell::FirstStep;
use crate::state::analysis::{ranges_configs, ranking_job_configs, ranking_runs};
use crate::state::exercise::{Ask, ExerciseAction, Session};
use crate::state::learn::{LearnViewProps, CONSEQUENCE_RUNS, RANKING_RUNS};
use crate::state::variant::{changes, marker};
use crate::state::{
    use_action, Action, AnalysisAction, AppState, Dispatch, JobKind, JobStatus, LearnAction, Mode,
    Notice, NoticeAction, Origin, Page, ReplayAction, Section, Shared, Slot,
};
use crate::views::{
    ARCHIVE_PANEL, COMPARE, CURVEBALLS, DECISION_LOG, EXERCISE_BAR, INJECT_LIST, INJECT_PANEL,
    LEARN_VIEW, METRICS, PROJECTOR, RANGES, RECORD, REPORT_PANEL, REPORT_VIEW, SCENARIO,
    SHORTCUT_HELP, TEAM_RESULTS,
};

#[derive(Properties, PartialEq)]
pub struct WorkspaceProps {
    /// Where the app opens: where the link or the kept session says, or the way in chosen on
    /// the page's start screen.
    pub first: FirstStep,
}

/// The app behind the start screen, with its one state: drawn by the page's root (`shell`)
/// from its own chunk.
#[component]
pub fn Workspace(props: &WorkspaceProps) -> Html {
    let scenario = use_memo((), |_| builtin(DEFAULT_SCENARIO));
    match scenario.as_ref() {
        Some(scenario) => {
            html! { <Drill scenario={Shared::new(scenario.clone())} first={props.first.clone()} /> }
        }
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
struct DrillProps {
    scenario: Shared<Scenario>,
    first: FirstStep,
}

/// What a way in on the start screen does to the state.
fn way_in(way: WayIn) -> Vec<Action> {
    match way {
        WayIn::Train => vec![Action::Learn(LearnAction::Open(Page::Learn))],
        WayIn::Explore | WayIn::Facilitate => vec![
            Action::SetMode(if way == WayIn::Explore {
                Mode::Explore
            } else {
                Mode::Facilitate
            }),
            Action::Learn(LearnAction::Open(Page::App)),
        ],
    }
}

/// The state the app opens with: as the link or the kept session left it, then the step
/// taken on the page's start screen (so the app's first frame is the one that was chosen).
fn opening_state(scenario: Scenario, first: &FirstStep) -> AppState {
    let actions = match first {
        FirstStep::Resume => Vec::new(),
        FirstStep::Way(way) => way_in(*way),
        FirstStep::Glossary(at) => vec![Action::Learn(LearnAction::Glossary(Some(at.clone())))],
    };
    let state = actions
        .into_iter()
        .fold(Rc::new(initial_state(scenario)), |state, action| {
            state.reduce(action)
        });
    Rc::try_unwrap(state).unwrap_or_else(|shared| (*shared).clone())
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
fn Drill(props: &DrillProps) -> Html {
    let state = use_reducer_eq(|| opening_state((*props.scenario).clone(), &props.first));
    let dispatch: Dispatch = state.dispatcher();
    use_playback(state.replay.playing, dispatch.clone());
    use_persistence(&state, dispatch.clone());
    use_exercise_store(&state, dispatch.clone());
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
    let root = use_node_ref();
    // A view waiting for the kept scenario file is drawn once the file is read.
    let restoring = state.variant.waiting.is_some() && state.variant.unread.is_some();
    {
        let root = root.clone();
        let section = state.section;
        use_effect_with(restoring, move |&restoring| {
            if restoring {
                return;
            }
            if let Some(element) = root.cast::<web_sys::Element>() {
                let _ = element.set_attribute("data-ready", "true");
            }
            // A link that names a section opens there, once the sections above it are drawn.
            if let Some(section) = section {
                crate::lazy::when_loaded(move || scroll_to(section));
            }
            // A visit that did not open on the start screen is interactive now.
            crate::shell::mark_interactive();
        });
    }
    let d = &dispatch;
    let help = use_state_eq(|| false);
    let keys = match state.exercise.mode {
        Mode::Explore => Keys::Explore,
        Mode::Facilitate => Keys::Console,
        Mode::Projector => Keys::Projector,
    };
    {
        let (dispatch, help) = (dispatch.clone(), help.clone());
        // While the console asks for a confirmation, its dialog has the keyboard; the start
        // screen and train mode have no shortcuts (their buttons are the way).
        let asking = state.exercise.asking.is_some() || state.learn.page != Page::App;
        let revealed = state.exercise.reveals.outcome_at.is_some();
        let on_shortcut = use_callback(
            (*help, keys, asking, revealed),
            move |shortcut: Shortcut, &(_, keys, asking, revealed)| {
                let replay = |a| dispatch.dispatch(Action::Replay(a));
                let exercise = |a| dispatch.dispatch(Action::Exercise(a));
                if asking {
                    return;
                }
                let console = keys == Keys::Console;
                match shortcut {
                    Shortcut::PlayPause => replay(ReplayAction::TogglePlay),
                    Shortcut::Previous => replay(ReplayAction::StepPrev),
                    Shortcut::Next => replay(ReplayAction::StepNext),
                    Shortcut::Start => replay(ReplayAction::Restart),
                    // In the console the end of the day is a reveal: asked first.
                    Shortcut::End if console => exercise(ExerciseAction::Ask(Ask::JumpToEnd)),
                    Shortcut::End => replay(ReplayAction::ShowAll),
                    Shortcut::FullScreen => toggle_full_screen(),
                    Shortcut::Help => help.set(!*help),
                    Shortcut::Close => help.set(false),
                    Shortcut::NextInject => exercise(ExerciseAction::NextInject),
                    Shortcut::PrevInject => exercise(ExerciseAction::PrevInject),
                    Shortcut::Reveal if !revealed => {
                        exercise(ExerciseAction::Ask(Ask::RevealOutcome))
                    }
                    Shortcut::Reveal => {}
                    Shortcut::Blank => exercise(ExerciseAction::ToggleBlank),
                    Shortcut::Undo => exercise(ExerciseAction::UndoReveal),
                }
            },
        );
        use_shortcuts(keys, on_shortcut);
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
    let on_play = use_action(d, |_: ()| Action::Replay(ReplayAction::TogglePlay));

    // The exercise's report, from what is on screen, and the page's address it links from.
    let page = || {
        let location = gloo::utils::window().location();
        format!(
            "{}{}{}",
            location.origin().unwrap_or_default(),
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    };
    // The report's code is a chunk of its own (`report_tools`): every verb that makes or reads a
    // report awaits it, and says so when it cannot be fetched.
    let save_report = |format: ReportFormat| {
        let (latest, dispatch) = (latest.clone(), dispatch.clone());
        Callback::from(move |_: ()| {
            let latest = latest.clone();
            with_report_tools(dispatch.clone(), move |dispatch, tools| {
                let report = (tools.build)(&latest.borrow(), &page());
                save_report_file(dispatch, &tools, &report, format);
            });
        })
    };
    let on_markdown = save_report(ReportFormat::Markdown);
    let on_json = save_report(ReportFormat::Json);
    // In the console the report is always in the page (hidden on screen), so the browser's own
    // print (Ctrl+P) prints it, never a blank page; it is rebuilt only when what it says changes.
    // Elsewhere the page prints as it is (the print stylesheet hides the page only for a report).
    let e = &state.exercise;
    let print_report = use_state_eq(|| None::<Shared<Report>>);
    {
        let (latest, print_report) = (latest.clone(), print_report.clone());
        use_effect_with(
            (
                state.scenario.clone(),
                state.config,
                state.seed,
                e.decisions.clone(),
                e.fired.clone(),
                e.notes.clone(),
                e.heard.clone(),
                e.ranges.clone(),
                mode == Mode::Facilitate,
            ),
            move |key| {
                if !key.8 {
                    print_report.set(None);
                    return;
                }
                // A report panel's download says it when the chunk cannot be fetched; printing
                // then prints the page as it is.
                spawn_local(async move {
                    if let Ok(tools) = report_tools().await {
                        let report = (tools.build)(&latest.borrow(), &page());
                        print_report.set(Some(Shared::new(report)));
                    }
                });
            },
        );
    }
    let on_print = Callback::from(|_: ()| {
        let _ = gloo::utils::window().print();
    });
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
                s.exercise.intervention_texts(&s.scenario),
            );
        })
    };
    let ranges_status = match (&a.ranges.status, &a.room.status, &e.ranges) {
        (JobStatus::Running { .. }, _, _) | (_, JobStatus::Running { .. }, _) => {
            "Computing the ranges…"
        }
        (_, _, Some(_)) => {
            "Ranges computed and kept with the exercise: they are in the report while its inputs stay the same."
        }
        _ => "No ranges yet.",
    };

    // The archive of exercises that ended, read when opened and after a new exercise starts.
    let archives = use_state(Vec::<Archived>::new);
    let archive_open = use_state_eq(|| false);
    let archive_count = use_state(archive::count);
    let on_archive = {
        let (archives, archive_open, dispatch) =
            (archives.clone(), archive_open.clone(), dispatch.clone());
        Callback::from(move |_: ()| {
            let (archives, archive_open) = (archives.clone(), archive_open.clone());
            with_report_tools(dispatch.clone(), move |dispatch, tools| {
                let (list, problems) = (tools.list_archives)();
                for p in problems {
                    dispatch.dispatch(Action::Notify(Notice::error(p)));
                }
                archives.set(list);
                archive_open.set(true);
            });
        })
    };
    let on_archive_close = {
        let archive_open = archive_open.clone();
        Callback::from(move |_: ()| archive_open.set(false))
    };
    let on_archive_download = {
        let (archives, dispatch) = (archives.clone(), dispatch.clone());
        Callback::from(move |(id, markdown): (u64, bool)| {
            let Some(archived) = archives.iter().find(|a| a.id == id).cloned() else {
                return;
            };
            let format = if markdown {
                ReportFormat::Markdown
            } else {
                ReportFormat::Json
            };
            with_report_tools(dispatch.clone(), move |dispatch, tools| {
                save_report_file(dispatch, &tools, &archived.report, format)
            });
        })
    };
    // A confirmation answered. Starting a new exercise archives the one that ends first, and
    // does not clear anything if it cannot.
    let on_answer = {
        let (latest, dispatch, archive_count) =
            (latest.clone(), dispatch.clone(), archive_count.clone());
        Callback::from(move |yes: bool| {
            let asking = latest.borrow().exercise.asking;
            if !(yes && asking == Some(Ask::NewExercise)) {
                return answer(&dispatch, yes);
            }
            let state = latest.borrow().clone();
            let e = &state.exercise;
            let anything = !e.decisions.is_empty()
                || !e.fired.is_empty()
                || !e.heard.is_empty()
                || e.notes != Default::default();
            if !anything {
                answer(&dispatch, true);
                return start_new_exercise(&dispatch);
            }
            let (dispatch, archive_count) = (dispatch.clone(), archive_count.clone());
            spawn_local(async move {
                let archived = match report_tools().await {
                    Ok(tools) => {
                        let report = (tools.build)(&state, &page());
                        let archived = Archived::new(random_id(), js_sys::Date::now(), report);
                        (tools.save_archive)(&archived)
                    }
                    Err(_) => Err(crate::report_tools::UNAVAILABLE.to_string()),
                };
                if let Err(why) = archived {
                    dispatch.dispatch(Action::Notify(Notice::error(format!(
                        "The exercise was not archived ({why}), so it was not cleared: download its report, then try again."
                    ))));
                    return answer(&dispatch, false);
                }
                archive_count.set(archive::count());
                answer(&dispatch, true);
                start_new_exercise(&dispatch);
            });
        })
    };

    // The learner's page: the start screen, train mode or a result. Its Monte Carlo (a
    // decision's consequence against waiting, paired; the ranking behind the take-aways) runs in
    // the worker pool like every other job.
    let learn_page = state.learn.page;
    let open_glossary = OpenGlossary(use_action(&dispatch, |at: String| {
        Action::Learn(LearnAction::Glossary(Some(at)))
    }));
    let on_way = use_callback(dispatch.clone(), |way: WayIn, dispatch| {
        for action in way_in(way) {
            dispatch.dispatch(action);
        }
    });
    let glossary = state.learn.glossary.clone().map(|at| {
        let hide = learn_page == Page::Learn && !state.learn.finished();
        html! { <Glossary open_at={at} hide_spoilers={hide} /> }
    });
    if learn_page != Page::App {
        let l = &state.learn;
        let on_learn_range = {
            let (mc, data, seed) = (mc.clone(), l.data.clone(), l.seed);
            Callback::from(move |(base, versus): (Vec<String>, Vec<String>)| {
                if let Some(data) = &data {
                    mc.run_paired(
                        JobKind::LearnStop,
                        data.scenario.clone(),
                        outage_sim::Config::none(),
                        seed,
                        CONSEQUENCE_RUNS,
                        base,
                        versus,
                    );
                }
            })
        };
        let on_learn_ranking = {
            let (mc, data, seed) = (mc.clone(), l.data.clone(), l.seed);
            Callback::from(move |_: ()| {
                if let Some(data) = &data {
                    mc.run(
                        JobKind::LearnRanking,
                        data.scenario.clone(),
                        outage_sim::montecarlo::ranking_configs(&outage_sim::Config::none()),
                        seed,
                        RANKING_RUNS,
                    );
                }
            })
        };
        return html! {
            <ContextProvider<Dispatch> context={dispatch.clone()}><ContextProvider<OpenGlossary> context={open_glossary.clone()}>
                <div class="app learn-app" ref={root}>
                    <NoticeBanner notices={state.notices.clone()} on_dismiss={on_dismiss} on_action={on_notice_action} />
                    if learn_page == Page::Start {
                        <StartScreen has_exercise={l.data.is_some()} on_way={on_way.clone()} />
                    } else {
                        { LEARN_VIEW.html(LearnViewProps { learn: l.clone(), stop_job: a.learn_stop.clone(),
                            ranking_job: a.learn_ranking.clone(), on_consequence_range: on_learn_range,
                            on_ranking: on_learn_ranking }) }
                    }
                    { glossary.clone().unwrap_or_default() }
                </div>
            </ContextProvider<OpenGlossary>></ContextProvider<Dispatch>>
        };
    }

    if let (true, Some(file)) = (restoring, &state.variant.unread) {
        // The view (or the console a projector follows) names the file kept from the last visit: not the built-in in its place.
        return html! {
            <div class="app" ref={root}>
                <p class="loading" role="status" data-testid="restoring">
                    { format!("Restoring your scenario file {}…", file.name) }
                </p>
            </div>
        };
    }
    if mode == Mode::Projector {
        return html! {
            <ContextProvider<Dispatch> context={dispatch.clone()}><ContextProvider<OpenGlossary> context={open_glossary.clone()}>
                <div class="app projector-app" ref={root}>
                    { PROJECTOR.html(ProjectorProps {
                        scenario: state.scenario.clone(),
                        exercise: e.exercise.clone(),
                        derived: state.derived.clone(),
                        now: state.replay.now,
                        fired: e.fired.clone(),
                        inject_timer: e.inject_timer,
                        exercise_timer: e.exercise_timer,
                        reveals: e.reveals,
                        blank: e.blank,
                        interventions: e.interventions(),
                        seed: state.seed,
                        following: state.followed.is_some(),
                    }) }
                    if *help {
                        { SHORTCUT_HELP.html(ShortcutHelpProps { keys, on_close: on_close_help }) }
                    }
                </div>
            </ContextProvider<OpenGlossary>></ContextProvider<Dispatch>>
        };
    }
    let facilitating = mode == Mode::Facilitate;
    let save_problem = e.save_problem.clone().map(AttrValue::from);
    let dialog = match (e.asking, e.exercise.clone()) {
        (Some(ask), Some(exercise)) => {
            Some(confirm_dialog(ask, &state, &exercise, on_answer.clone()))
        }
        _ => None,
    };

    html! {
        <ContextProvider<Dispatch> context={dispatch.clone()}><ContextProvider<OpenGlossary> context={open_glossary.clone()}>
            <div class={classes!("app", facilitating.then_some("console"))} ref={root}>
                <a class="skip-link" href="#replay" onclick={on_skip}>{ "Skip to the timeline" }</a>
                <Header scenario_title={AttrValue::from(state.scenario.title.clone())} mark={scenario_mark(&state)}
                        headline={headline(&state)} on_headline={on_headline}
                        mode={mode} has_exercise={e.exercise.is_some()} on_mode={on_mode}
                        on_section={on_section} on_reset={on_reset}
                        link_note={matches!(state.variant.origin, Origin::File { .. }).then(|| AttrValue::from(
                            "the scenario came from a file, which a link cannot carry: send the exported file with it"))} />
                <NoticeBanner notices={state.notices.clone()} on_dismiss={on_dismiss} on_action={on_notice_action} />
                if *help {
                    { SHORTCUT_HELP.html(ShortcutHelpProps { keys, on_close: on_close_help }) }
                }
                if let Some(dialog) = dialog { { dialog } }
                { glossary.unwrap_or_default() }
                if *archive_open {
                    { ARCHIVE_PANEL.html(ArchivePanelProps { archives: (*archives).clone(), on_close: on_archive_close, on_download: on_archive_download }) }
                }
                if let (true, Some(exercise)) = (facilitating, e.exercise.clone()) {
                    <div class="run-sheet" data-testid="run-sheet">
                        { EXERCISE_BAR.html(ExerciseBarProps {
                            scenario: state.scenario.clone(),
                            exercise: exercise.clone(),
                            now: state.replay.now,
                            playing: state.replay.playing,
                            inject_timer: e.inject_timer,
                            exercise_timer: e.exercise_timer,
                            outcome_revealed: e.reveals.outcome_at.is_some(),
                            undo: e.undo,
                            blank: e.blank,
                            archived: *archive_count,
                            overtaken: e.overtaken.clone(),
                            on_play,
                            on_open_projector: Callback::from(|_: ()| open_projector()),
                            on_archive,
                        }) }
                        <div class="run-sheet-grid">
                            { INJECT_PANEL.html(InjectPanelProps { scenario: state.scenario.clone(), exercise: exercise.clone(), now: state.replay.now,
                                heard: e.heard.clone(), overtaken: e.overtaken.clone() }) }
                            <div class="run-sheet-side">
                                { DECISION_LOG.html(DecisionLogProps { scenario: state.scenario.clone(), exercise: exercise.clone(),                                    draft: e.draft.clone(), decisions: e.decisions.clone(), now: state.replay.now,
                                    save_problem: save_problem.clone(), interventions: e.interventions(), seed: state.seed }) }
                                { CURVEBALLS.html(CurveballsProps { scenario: state.scenario.clone(), exercise: exercise.clone(),
                                    derived: state.derived.clone(), fired: e.fired.clone(), now: state.replay.now }) }
                            </div>
                        </div>
                    </div>
                }
                <div class={classes!("workspace", facilitating.then_some("facilitating"))}>
                    <main class="main-column">
                        <ReplaySection
                            scenario={state.scenario.clone()}
                            derived={state.derived.clone()}
                            now={state.replay.now}
                            playing={state.replay.playing}
                            scrubbing={state.replay.scrubbing}
                            speed={state.replay.speed}
                            spans={state.replay.spans.clone()}
                            selected={state.replay.selected}
                            seed={state.seed}
                        />
                        if let (true, Some(exercise)) = (facilitating, e.exercise.clone()) {
                            { INJECT_LIST.html(InjectListProps { scenario: state.scenario.clone(), exercise, now: state.replay.now, overtaken: e.overtaken.clone() }) }
                        }
                        { METRICS.after_start(MetricsProps { derived: state.derived.clone(), seed: state.seed, on_seed }, "what-if") }
                    </main>
                    if let (true, Some(exercise)) = (facilitating, e.exercise.clone()) {
                        <aside class="sidebar facilitation" aria-label="The after-action report">
                            { REPORT_PANEL.html(ReportPanelProps { exercise, notes: e.notes.clone(), on_markdown, on_json,
                                on_print, on_ranges: on_room_ranges, ranges_status: AttrValue::from(ranges_status), save_problem }) }
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
                    if facilitating {
                        { TEAM_RESULTS.html(TeamResultsProps { data: state.learn.data.clone(), entries: state.learn.team.clone(),
                                     input: AttrValue::from(state.learn.team_input.clone()) }) }
                    }
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
                </div>                // In the console the report is always in the page (hidden on screen), so the
                // browser's own print (Ctrl+P) prints it; its code comes with the console.
                if let Some(report) = (*print_report).clone() {
                    { REPORT_VIEW.html(ReportViewProps { report, on_screen: false }) }
                }
            </div>
        </ContextProvider<OpenGlossary>></ContextProvider<Dispatch>>
    }
}

/// The two files a report is written as.
#[derive(Clone, Copy)]
enum ReportFormat {
    Markdown,
    Json,
}

/// Downloads a report as a file; a download the browser refuses is said in a notice.
fn save_report_file(
    dispatch: &Dispatch,
    tools: &ReportTools,
    report: &Report,
    format: ReportFormat,
) {
    let (extension, mime, text) = match format {
        ReportFormat::Markdown => ("md", "text/markdown;charset=utf-8", tools.markdown),
        ReportFormat::Json => ("json", "application/json", tools.json),
    };
    let name = crate::download::file_name(&report.overview.name, &report.overview.date, extension);
    if let Err(why) = crate::download::download_text(&name, mime, &text(report)) {
        dispatch.dispatch(Action::Notify(Notice::error(format!(
            "The report could not be saved: {why}."
        ))));
    }
}

/// Runs `then` with the report's functions once their chunk is loaded; if it cannot be fetched,
/// says so in a notice (nothing the facilitator had is lost).
fn with_report_tools(dispatch: Dispatch, then: impl FnOnce(&Dispatch, ReportTools) + 'static) {
    spawn_local(async move {
        match report_tools().await {
            Ok(tools) => then(&dispatch, tools),
            Err(_) => dispatch.dispatch(Action::Notify(Notice::error(format!(
                "The report is not available: {}.",
                crate::report_tools::UNAVAILABLE
            )))),
        }
    });
}

/// Answers the console's open confirmation.
fn answer(dispatch: &Dispatch, confirmed: bool) {
    dispatch.dispatch(Action::Exercise(ExerciseAction::Answer {
        confirmed,
        wall_ms: js_sys::Date::now(),
        id: random_id(),
    }))
}

/// Starts a clean exercise (the one that ended is archived first, if it holds anything).
fn start_new_exercise(dispatch: &Dispatch) {
    dispatch.dispatch(Action::Exercise(ExerciseAction::NewExercise {
        session: Session {
            id: random_id(),
            started_ms: js_sys::Date::now(),
        },
    }));
}

/// The console's confirmation for what it is asking: what will happen, and for a curveball,
/// what its card would give away now and what the room is shown instead.
fn confirm_dialog(
    ask: Ask,
    state: &AppState,
    exercise: &outage_sim::Exercise,
    on_answer: Callback<bool>,
) -> Html {
    let s = &state.scenario;
    let now = state.replay.now;
    let undo = "You can take it back (U, or Undo) until the next inject.";
    let (title, confirm, body) = match ask {
        Ask::RevealOutcome => (
            "Reveal the outcome to the room?".to_string(),
            "Reveal the outcome",
            html! {
                <>
                    <p>{ "The projector shows the outcome as a slide: the room's day against the record, what each decision did, and the main figures." }</p>
                    <p class="hint">{ undo }</p>
                </>
            },
        ),
        Ask::JumpToEnd => (
            "Jump to the end of the day?".to_string(),
            "Jump to the end",
            html! {
                <>
                    <p>{ "The clock goes to the end of the day: the projector shows the last inject, how the incident was resolved, and the whole day up to then." }</p>
                    <p class="hint">{ undo }</p>
                </>
            },
        ),
        Ask::Curveball(id) => {
            let card = exercise.curveball_card(id);
            let check = room_check(exercise, s, &state.derived);
            let shown = card.map(|c| c.for_room(&check, now));
            (
                format!(
                    "Fire “{}” at {}?",
                    card.map_or(id.label(), |c| c.title.as_str()),
                    s.clock.hhmm_local(now)
                ),
                "Fire the curveball",
                html! {
                    <>
                        if let Some(card) = card { <p>{ card.effect.clone() }</p> }
                        if let Some(shown) = shown {
                            if !shown.withheld.is_empty() {
                                <p class="problem" data-testid="curveball-gives-away">
                                    { format!("Its full card would give away what the room cannot know yet: it {}. The room is shown a spoiler-free card instead:",
                                        shown.withheld.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")) }
                                </p>
                            } else {
                                <p>{ "The room is told:" }</p>
                            }
                            <blockquote class="room-card">
                                <strong>{ shown.title.clone() }</strong>
                                { for shown.text.iter().map(|t| html! { <p>{ t.clone() }</p> }) }
                            </blockquote>
                        }
                        <p class="hint">{ undo }</p>
                    </>
                },
            )
        }
        Ask::NewExercise => {
            let e = &state.exercise;
            (
                "Start a new exercise?".to_string(),
                "Archive this one and start",
                html! {
                    <>
                        <p>{ format!(
                            "This exercise ({} decisions, {} curveballs) is archived in this browser with its after-action report (the Archive button lists it). The new one starts clean: no decision, curveball, reveal or timer, and the room's day is the record's.",
                            e.decisions.len(), e.fired.len()
                        ) }</p>
                    </>
                },
            )
        }
    };
    html! {
        <Confirm what={ask.what()} title={title} confirm_label={confirm} on_answer={on_answer}>
            { body }
        </Confirm>
    }
}
