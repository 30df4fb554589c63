//! The facilitator's console: the exercise bar (where the room is, the next inject, the timers,
//! the projector), the current inject with what the room is told, the questions and what to
//! listen for, the injects to come, the decision log (what the room decided, who, why, and the
//! response action it takes in the model), the curveballs, and the after-action report (notes,
//! downloads, print). Everything here is for the facilitator; the room sees the projector.

use outage_sim::exercise::{Exercise, Inject};
use outage_sim::input::visible;
use outage_sim::intervention::ActionId;
use outage_sim::safeguards::SafeguardId;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::both_clocks;
use crate::hooks::use_wall_clock;
use crate::state::countdown::Countdown;
use crate::state::exercise::{Decision, Draft, Fired, Notes, PlanItem, TimerAction, ROLES};
use crate::state::{use_action, use_dispatch, Action, ExerciseAction, Shared};

fn wall_now() -> f64 {
    js_sys::Date::now()
}

/// A wall-clock time as the room's own clock shows it (`14:05`, this browser's time zone).
fn wall_clock_text(ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

// ---- The exercise bar ------------------------------------------------------------------------

/// The fields' `maxlength`: the table of limits' lengths, which the reducer enforces too.
const DECISION: usize = outage_sim::limits::MAX_DECISION_CHARS;
const NOTE: usize = outage_sim::limits::MAX_NOTE_CHARS;

#[derive(Properties, PartialEq)]
pub struct ExerciseBarProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
    pub current: Option<usize>,
    pub now: SimTime,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
    pub outcome_revealed: bool,
    pub on_open_projector: Callback<()>,
}

/// Where the room is, the way on, the timers, the projector and the reveal.
#[component]
pub fn ExerciseBar(props: &ExerciseBarProps) -> Html {
    let d = &use_dispatch();
    let on_next = use_action(d, |_: ()| Action::Exercise(ExerciseAction::NextInject));
    let on_reveal = use_action(d, |on| Action::Exercise(ExerciseAction::RevealOutcome(on)));
    let on_inject_timer = use_action(d, |(a, w)| {
        Action::Exercise(ExerciseAction::InjectTimer(a, w))
    });
    let on_exercise_timer = use_action(d, |(a, w)| {
        Action::Exercise(ExerciseAction::ExerciseTimer(a, w))
    });
    let total = props.exercise.injects.len();
    let (position, title) = match props
        .current
        .and_then(|k| Some((k, props.exercise.injects.get(k)?)))
    {
        Some((k, inject)) => (
            format!("Inject {} of {total}", k + 1),
            format!(
                "{} · {}",
                props.scenario.clock.hhmm_local(inject.at),
                inject.title
            ),
        ),
        None => (
            format!("{total} injects"),
            "Before the first inject".to_string(),
        ),
    };
    let last = props.current == Some(total.saturating_sub(1));
    let next_title = props
        .current
        .map_or(0, |k| k + 1)
        .checked_sub(0)
        .and_then(|k| props.exercise.injects.get(k))
        .map(|i| {
            format!(
                "Next inject: {} {}",
                props.scenario.clock.hhmm_local(i.at),
                i.title
            )
        })
        .unwrap_or_else(|| "No inject left".into());
    let reveal = !props.outcome_revealed;
    html! {
        <section class="exercise-bar card" aria-label="The exercise">
            <div class="exercise-where">
                <span class="exercise-position">{ position }</span>
                <span class="exercise-title">{ title }</span>
            </div>
            <div class="exercise-controls">
                <button type="button" class="primary" data-testid="inject-next" disabled={last}
                        onclick={on_next.reform(|_: MouseEvent| ())} title={next_title.clone()} aria-label={next_title}>
                    { "Next inject ▶" }
                </button>
                <Timer label="Inject" testid="timer-inject" countdown={props.inject_timer}
                       on_action={on_inject_timer} />
                <Timer label="Exercise" testid="timer" countdown={props.exercise_timer}
                       on_action={on_exercise_timer} />
                <button type="button" data-testid="open-projector" onclick={props.on_open_projector.reform(|_: MouseEvent| ())}
                        title="Open the room's view in a new window, for the projector">{ "Open the projector view" }</button>
                <button type="button" class={classes!(if reveal { "" } else { "active" })} data-testid="reveal-outcome"
                        aria-pressed={(!reveal).to_string()} onclick={on_reveal.reform(move |_: MouseEvent| reveal)}>
                    { if reveal { "Reveal the outcome to the room" } else { "Hide the outcome from the room" } }
                </button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TimerProps {
    label: AttrValue,
    testid: AttrValue,
    countdown: Countdown,
    on_action: Callback<(TimerAction, f64)>,
}

/// A countdown with its controls: start or pause, one minute more, set in minutes. It turns a
/// calm amber when time is up (no flashing).
#[component]
fn Timer(props: &TimerProps) -> Html {
    let c = props.countdown;
    let now = use_wall_clock(c.is_running());
    let up = c.is_up(now);
    let act = |a: TimerAction| {
        let cb = props.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit((a.clone(), wall_now())))
    };
    let set = {
        let cb = props.on_action.clone();
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(minutes) = text.trim().parse::<u32>() {
                cb.emit((TimerAction::Set(minutes), wall_now()));
            }
        })
    };
    let minutes = (c.set_to_ms / 60_000).max(1);
    html! {
        <div class={classes!("timer", up.then_some("timer-up"), c.is_running().then_some("running"))}
             data-testid={props.testid.clone()} role="group" aria-label={format!("{} timer", props.label)}>
            <span class="timer-label">{ props.label.clone() }</span>
            <span class="timer-value" role="timer" aria-live="off">{ c.text(now) }</span>
            if up { <span class="timer-note" role="status">{ "time is up" }</span> }
            if c.is_running() {
                <button type="button" class="ghost-button" onclick={act(TimerAction::Pause)} aria-label={format!("Pause the {} timer", props.label.to_lowercase())}>{ "Pause" }</button>
            } else {
                <button type="button" class="ghost-button" onclick={act(TimerAction::Start)} aria-label={format!("Start the {} timer", props.label.to_lowercase())}>{ "Start" }</button>
            }
            <button type="button" class="ghost-button" onclick={act(TimerAction::AddMinute)} aria-label={format!("One more minute on the {} timer", props.label.to_lowercase())}>{ "+1 min" }</button>
            <label class="timer-set">
                <span class="visually-hidden">{ format!("Set the {} timer, in minutes", props.label.to_lowercase()) }</span>
                <input type="number" min="1" max="600" step="1" value={minutes.to_string()} onchange={set} />
                <span aria-hidden="true">{ "min" }</span>
            </label>
        </div>
    }
}

// ---- The current inject ----------------------------------------------------------------------

#[derive(Properties, PartialEq)]
pub struct InjectPanelProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
    pub current: Option<usize>,
}

/// The current inject as the facilitator runs it, and the ones to come.
#[component]
pub fn InjectPanel(props: &InjectPanelProps) -> Html {
    let d = &use_dispatch();
    let on_go = use_action(d, |k| Action::Exercise(ExerciseAction::GoToInject(k)));
    let s = &props.scenario;
    let e = &props.exercise;
    let body = match props.current.and_then(|k| e.injects.get(k)) {
        Some(inject) => inject_card(s, inject),
        None => html! {
            <div class="inject-brief">
                <h3>{ e.title.clone() }</h3>
                <p>{ e.brief.clone() }</p>
                <h4>{ "Objectives" }</h4>
                <ul>{ for e.objectives.iter().map(|o| html! { <li><strong>{ o.title.clone() }</strong>{ format!(" — {}", o.description) }</li> }) }</ul>
                <p class="hint">{ format!("About {} minutes. Press “Next inject” (or Play: the replay stops at each inject) to begin.", e.duration_minutes) }</p>
            </div>
        },
    };
    html! {
        <section id="inject" class="card inject-panel" data-testid="inject-current" aria-labelledby="inject-title">
            <div class="card-head">
                <h2 id="inject-title">{ "The room now" }</h2>
                <span class="hint">{ "What the room is told, the questions, and what to listen for" }</span>
            </div>
            { body }
            <h3 class="subhead">{ "Injects" }</h3>
            <ol class="inject-list">
                { for e.injects.iter().enumerate().map(|(k, i)| {
                    let state = match props.current { Some(c) if c == k => "current", Some(c) if k < c => "done", _ => "upcoming" };
                    html! {
                        <li class={classes!("inject-item", state)}>
                            <button type="button" class="ghost-button" onclick={on_go.reform(move |_: MouseEvent| k)}
                                    aria-current={(state == "current").then_some("step")}>
                                <time>{ s.clock.hhmm_local(i.at) }</time>{ format!(" {}", i.title) }
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

fn inject_card(s: &Scenario, inject: &Inject) -> Html {
    html! {
        <div class="inject-card">
            <p class="inject-when">{ both_clocks(s, inject.at) }{ format!(" · {} min to discuss", inject.discuss_minutes) }</p>
            <h3 class="inject-title">{ inject.title.clone() }</h3>
            <div class="room-text">
                <h4>{ "Read to the room" }</h4>
                { for inject.participant_text.iter().map(|p| html! {
                    <p>
                        { p.text.clone() }
                        if p.illustrative { { " " }<span class="tag tag-assumption" title="Not in the record: added to make the moment concrete">{ "illustrative" }</span> }
                    </p>
                }) }
            </div>
            <div class="inject-columns">
                <div>
                    <h4>{ "Ask the room" }</h4>
                    <ol class="questions">{ for inject.questions.iter().map(|q| html! { <li>{ q.clone() }</li> }) }</ol>
                </div>
                <div>
                    <h4>{ "Listen for" }</h4>
                    <ul class="listen-for">{ for inject.listen_for.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
                </div>
            </div>
            if let Some(note) = &inject.facilitator_note {
                <p class="facilitator-note"><strong>{ "For you only: " }</strong>{ note.clone() }</p>
            }
            <blockquote class="quote">
                <p>{ format!("“{}”", inject.source.quote) }</p>
                <footer>{ format!("— {}", inject.source.section) }</footer>
            </blockquote>
        </div>
    }
}

// ---- The decision log ------------------------------------------------------------------------

#[derive(Properties, PartialEq)]
pub struct DecisionLogProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
    pub draft: Draft,
    pub decisions: Vec<Decision>,
    pub now: SimTime,
}

/// What the room decides, logged as it is typed: the decision, who, why, and optionally the
/// response action it takes in the model (which changes the room's day from now on).
#[component]
pub fn DecisionLog(props: &DecisionLogProps) -> Html {
    let d = &use_dispatch();
    let on_draft = use_action(d, |draft| {
        Action::Exercise(ExerciseAction::EditDraft(draft))
    });
    let on_add = use_action(d, |wall| {
        Action::Exercise(ExerciseAction::LogDecision(wall))
    });
    let draft = props.draft.clone();
    let edit = |f: fn(&mut Draft, String)| {
        let (draft, cb) = (draft.clone(), on_draft.clone());
        Callback::from(move |value: String| {
            let mut next = draft.clone();
            f(&mut next, value);
            cb.emit(next);
        })
    };
    let on_text = edit(|d, v| d.text = v)
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let on_rationale = edit(|d, v| d.rationale = v)
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let on_role = edit(|d, v| d.role = v)
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    let on_action = edit(|d, v| d.action = v)
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    let add = {
        let on_add = on_add.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_add.emit(wall_now());
        })
    };
    let s = &props.scenario;
    let action_options = props.exercise.actions.iter().flat_map(|card| {
        if card.id == ActionId::EnableSafeguard {
            SafeguardId::ALL
                .iter()
                .map(|sg| {
                    (
                        format!("enable_safeguard:{}", sg.id()),
                        format!("Switch on from now: {}", sg.name()),
                    )
                })
                .collect::<Vec<_>>()
        } else {
            vec![(card.id.id().to_string(), card.label.clone())]
        }
    });
    let help = props
        .exercise
        .actions
        .iter()
        .find(|c| props.draft.action.split(':').next() == Some(c.id.id()))
        .map(|c| c.help.clone());
    html! {
        <section id="decisions" class="card decision-log" aria-labelledby="decisions-title">
            <h2 id="decisions-title">{ "The room's decisions" }</h2>
            <form class="decision-form" onsubmit={add}>
                <p class="hint">{ format!("At {} (the replay's time). Kept in this browser as you type.", both_clocks(s, props.now)) }</p>
                <label class="field">
                    <span>{ "Decision" }</span>
                    <textarea data-testid="decision-text" rows="3" maxlength={DECISION.to_string()} value={props.draft.text.clone()} oninput={on_text}
                              placeholder="What the room decided" />
                </label>
                <div class="decision-row">
                    <label class="field">
                        <span>{ "Who" }</span>
                        <select data-testid="decision-role" onchange={on_role}>
                            <option value="" selected={props.draft.role.is_empty()}>{ "—" }</option>
                            { for ROLES.iter().map(|r| html! { <option value={*r} selected={props.draft.role == *r}>{ *r }</option> }) }
                        </select>
                    </label>
                    <label class="field">
                        <span>{ "In the model" }</span>
                        <select data-testid="decision-action" onchange={on_action}>
                            <option value="" selected={props.draft.action.is_empty()}>{ "No change to the day (a note)" }</option>
                            { for action_options.map(|(value, label)| html! {
                                <option value={value.clone()} selected={props.draft.action == value}>{ label }</option>
                            }) }
                        </select>
                    </label>
                </div>
                if let Some(help) = help { <p class="hint action-help">{ help }</p> }
                <label class="field">
                    <span>{ "Why" }</span>
                    <input type="text" data-testid="decision-rationale" maxlength={DECISION.to_string()} value={props.draft.rationale.clone()} oninput={on_rationale}
                           placeholder="The room's rationale" />
                </label>
                <button type="submit" class="primary" data-testid="decision-add">{ "Add to the log" }</button>
            </form>
            <ol class="decision-entries" data-testid="decision-log" aria-label="Decision log">
                if props.decisions.is_empty() { <li class="hint">{ "No decision yet." }</li> }
                { for props.decisions.iter().rev().map(|decision| html! {
                    <DecisionEntry scenario={props.scenario.clone()} exercise={props.exercise.clone()} decision={decision.clone()} />
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EntryProps {
    scenario: Shared<Scenario>,
    exercise: Shared<Exercise>,
    decision: Decision,
}

/// One logged decision: read, edited in place (text, who, why), or deleted.
#[component]
fn DecisionEntry(props: &EntryProps) -> Html {
    let d = &use_dispatch();
    let on_edit = use_action(d, |decision| {
        Action::Exercise(ExerciseAction::EditDecision(decision))
    });
    let on_delete = use_action(d, |id| Action::Exercise(ExerciseAction::DeleteDecision(id)));
    let editing = use_state_eq(|| false);
    let decision = &props.decision;
    let s = &props.scenario;
    let inject = decision
        .inject
        .as_deref()
        .and_then(|id| props.exercise.inject(id))
        .map(|i| format!("{} {}", s.clock.hhmm_local(i.at), i.title));
    let action = decision.action.as_deref().map(|text| {
        let id = text
            .split_once('=')
            .map(|(_, a)| a.split(':').next().unwrap_or(a))
            .unwrap_or(text);
        ActionId::from_id(id)
            .map(|a| a.label().to_string())
            .unwrap_or_else(|| id.to_string())
    });
    if *editing {
        let field = |f: fn(&mut Decision, String)| {
            let (decision, cb) = (decision.clone(), on_edit.clone());
            Callback::from(move |value: String| {
                let mut next = decision.clone();
                f(&mut next, value);
                cb.emit(next);
            })
        };
        let on_text = field(|d, v| d.text = v)
            .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
        let on_rationale = field(|d, v| d.rationale = v)
            .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
        let on_role = field(|d, v| d.role = v)
            .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
        let done = {
            let editing = editing.clone();
            Callback::from(move |_: MouseEvent| editing.set(false))
        };
        return html! {
            <li class="decision-entry editing">
                <label class="field"><span>{ "Decision" }</span>
                    <textarea rows="2" maxlength={DECISION.to_string()} value={decision.text.clone()} oninput={on_text} /></label>
                <label class="field"><span>{ "Who" }</span>
                    <select onchange={on_role}>
                        <option value="" selected={decision.role.is_empty()}>{ "—" }</option>
                        { for ROLES.iter().map(|r| html! { <option value={*r} selected={decision.role == *r}>{ *r }</option> }) }
                    </select></label>
                <label class="field"><span>{ "Why" }</span>
                    <input type="text" maxlength={DECISION.to_string()} value={decision.rationale.clone()} oninput={on_rationale} /></label>
                <button type="button" class="ghost-button" onclick={done}>{ "Done" }</button>
            </li>
        };
    }
    let start_edit = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(true))
    };
    let id = decision.id;
    html! {
        <li class="decision-entry" data-decision={decision.id.to_string()}>
            <p class="decision-meta">
                <time title="Simulated time">{ s.clock.hhmm_local(decision.at) }</time>
                <span class="decision-logged" title="When it was logged">{ format!("logged {}", wall_clock_text(decision.wall_ms)) }</span>
                if !decision.role.is_empty() { <span class="decision-role">{ visible(&decision.role).into_owned() }</span> }
                if let Some(i) = inject { <span class="decision-inject">{ format!("at inject {i}") }</span> }
            </p>
            <p class="decision-text">{ visible(&decision.text).into_owned() }</p>
            if !decision.rationale.is_empty() { <p class="decision-why">{ format!("Why: {}", visible(&decision.rationale)) }</p> }
            if let Some(action) = action { <p class="decision-action"><span class="badge badge-ghost">{ "◆ In the room's day" }</span>{ format!(" {action}") }</p> }
            <div class="decision-buttons">
                <button type="button" class="ghost-button" onclick={start_edit} aria-label={format!("Edit the decision at {}", s.clock.hhmm_local(decision.at))}>{ "Edit" }</button>
                <button type="button" class="ghost-button" onclick={on_delete.reform(move |_: MouseEvent| id)} aria-label={format!("Delete the decision at {}", s.clock.hhmm_local(decision.at))}>{ "Delete" }</button>
            </div>
        </li>
    }
}

// ---- Curveballs ------------------------------------------------------------------------------

#[derive(Properties, PartialEq)]
pub struct CurveballsProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
    pub fired: Vec<Fired>,
    pub now: SimTime,
}

/// The curveballs the facilitator can throw at the room, each changing the rest of the day.
#[component]
pub fn Curveballs(props: &CurveballsProps) -> Html {
    let d = &use_dispatch();
    let on_fire = use_action(d, |(id, wall)| {
        Action::Exercise(ExerciseAction::FireCurveball(id, wall))
    });
    let on_undo = use_action(d, |_: ()| Action::Exercise(ExerciseAction::UndoCurveball));
    html! {
        <section id="curveballs" class="card curveballs" aria-labelledby="curveballs-title">
            <h2 id="curveballs-title">{ "Curveballs" }</h2>
            <p class="hint">{ format!("Each changes the rest of the room's day from {} on. Not part of the record.", both_clocks(&props.scenario, props.now)) }</p>
            <ul class="curveball-list">
                { for props.exercise.curveballs.iter().map(|c| {
                    let id = c.id.id().to_string();
                    let fired = props.fired.iter().any(|f| f.text.ends_with(&format!("={id}")));
                    let click = on_fire.reform({ let id = id.clone(); move |_: MouseEvent| (id.clone(), wall_now()) });
                    html! {
                        <li>
                            <button type="button" data-testid={format!("curveball-{id}")} onclick={click} disabled={fired}>
                                { c.title.clone() }
                            </button>
                            <p class="hint">{ c.effect.clone() }</p>
                        </li>
                    }
                }) }
            </ul>
            if !props.fired.is_empty() {
                <p class="fired">
                    { format!("Fired: {}", props.fired.iter().map(|f| f.text.as_str()).collect::<Vec<_>>().join(", ")) }
                    { " " }<button type="button" class="ghost-button" onclick={on_undo.reform(|_: MouseEvent| ())}>{ "Take back the last" }</button>
                </p>
            }
        </section>
    }
}

// ---- The report ------------------------------------------------------------------------------

#[derive(Properties, PartialEq)]
pub struct ReportPanelProps {
    pub notes: Notes,
    pub on_markdown: Callback<()>,
    pub on_json: Callback<()>,
    pub on_print: Callback<()>,
    pub on_ranges: Callback<()>,
    /// How the report's ranges stand, in words.
    pub ranges_status: AttrValue,
}

/// The after-action report: what the facilitator adds (name, date, participants, strengths,
/// areas for improvement, the improvement plan), and the downloads.
#[component]
pub fn ReportPanel(props: &ReportPanelProps) -> Html {
    let d = &use_dispatch();
    let on_notes = use_action(d, |notes| {
        Action::Exercise(ExerciseAction::EditNotes(notes))
    });
    let notes = props.notes.clone();
    let field = |f: fn(&mut Notes, String)| {
        let (notes, cb) = (notes.clone(), on_notes.clone());
        Callback::from(move |e: InputEvent| {
            let value = e
                .target()
                .and_then(|t| {
                    use wasm_bindgen::JsCast;
                    t.dyn_ref::<HtmlTextAreaElement>()
                        .map(|t| t.value())
                        .or_else(|| t.dyn_ref::<HtmlInputElement>().map(|i| i.value()))
                })
                .unwrap_or_default();
            let mut next = notes.clone();
            f(&mut next, value);
            cb.emit(next);
        })
    };
    let plan_field = |k: usize, f: fn(&mut PlanItem, String)| {
        let (notes, cb) = (notes.clone(), on_notes.clone());
        Callback::from(move |value: String| {
            let mut next = notes.clone();
            if let Some(item) = next.plan.get_mut(k) {
                f(item, value);
            }
            cb.emit(next);
        })
    };
    let add_row = {
        let (notes, cb) = (notes.clone(), on_notes.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = notes.clone();
            next.plan.push(PlanItem::default());
            cb.emit(next);
        })
    };
    let remove_row = |k: usize| {
        let (notes, cb) = (notes.clone(), on_notes.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = notes.clone();
            if k < next.plan.len() {
                next.plan.remove(k);
            }
            cb.emit(next);
        })
    };
    let input = |e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value();
    html! {
        <section id="report" class="card report-panel" aria-labelledby="report-title">
            <h2 id="report-title">{ "After-action report" }</h2>
            <div class="report-grid">
                <label class="field"><span>{ "Exercise name" }</span>
                    <input type="text" data-testid="aar-name" maxlength={NOTE.to_string()} value={notes.name.clone()} oninput={field(|n, v| n.name = v)} /></label>
                <label class="field"><span>{ "Date" }</span>
                    <input type="date" value={notes.date.clone()} oninput={field(|n, v| n.date = v)} /></label>
                <label class="field"><span>{ "Facilitator" }</span>
                    <input type="text" maxlength={NOTE.to_string()} value={notes.facilitator.clone()} oninput={field(|n, v| n.facilitator = v)} /></label>
            </div>
            <label class="field"><span>{ "Participants (one per line: name — role)" }</span>
                <textarea rows="3" maxlength={NOTE.to_string()} value={notes.participants.clone()} oninput={field(|n, v| n.participants = v)} /></label>
            <label class="field"><span>{ "Strengths (one per line)" }</span>
                <textarea rows="3" data-testid="aar-strengths" maxlength={NOTE.to_string()} value={notes.strengths.clone()} oninput={field(|n, v| n.strengths = v)} /></label>
            <label class="field"><span>{ "Areas for improvement (one per line)" }</span>
                <textarea rows="3" data-testid="aar-improvements" maxlength={NOTE.to_string()} value={notes.improvements.clone()} oninput={field(|n, v| n.improvements = v)} /></label>
            <h3 class="subhead">{ "Improvement plan" }</h3>
            <table class="plan-table">
                <thead><tr><th scope="col">{ "Action" }</th><th scope="col">{ "Owner" }</th><th scope="col">{ "Due" }</th><th scope="col">{ "Safeguard" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>
                    { for notes.plan.iter().enumerate().map(|(k, item)| html! {
                        <tr>
                            <td><input type="text" maxlength={DECISION.to_string()} aria-label={format!("Action {}", k + 1)} value={item.action.clone()} oninput={plan_field(k, |p, v| p.action = v).reform(input)} /></td>
                            <td><input type="text" maxlength={DECISION.to_string()} aria-label={format!("Owner of action {}", k + 1)} value={item.owner.clone()} oninput={plan_field(k, |p, v| p.owner = v).reform(input)} /></td>
                            <td><input type="date" aria-label={format!("Due date of action {}", k + 1)} value={item.due.clone()} oninput={plan_field(k, |p, v| p.due = v).reform(input)} /></td>
                            <td>
                                <select aria-label={format!("Safeguard of action {}", k + 1)} onchange={plan_field(k, |p, v| p.safeguard = v).reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value())}>
                                    <option value="" selected={item.safeguard.is_empty()}>{ "—" }</option>
                                    { for SafeguardId::ALL.iter().map(|s| html! { <option value={s.id()} selected={item.safeguard == s.id()}>{ s.name() }</option> }) }
                                </select>
                            </td>
                            <td><button type="button" class="ghost-button" onclick={remove_row(k)} aria-label={format!("Remove action {}", k + 1)}>{ "Remove" }</button></td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" class="ghost-button" data-testid="aar-plan-add" onclick={add_row}>{ "+ Add an action" }</button>
            <p class="hint">
                { "The report compares the room's day with the record and with the what-if safeguards, each as one run; ranges come from Monte Carlo. " }
                { props.ranges_status.clone() }{ " " }
                <button type="button" class="ghost-button" data-testid="aar-ranges" onclick={props.on_ranges.reform(|_: MouseEvent| ())}>{ "Compute ranges for the report" }</button>
            </p>
            <div class="report-downloads">
                <button type="button" class="primary" data-testid="aar-markdown" onclick={props.on_markdown.reform(|_: MouseEvent| ())}>{ "Download Markdown" }</button>
                <button type="button" data-testid="aar-json" onclick={props.on_json.reform(|_: MouseEvent| ())}>{ "Download JSON" }</button>
                <button type="button" data-testid="aar-print" onclick={props.on_print.reform(|_: MouseEvent| ())}>{ "Print" }</button>
            </div>
        </section>
    }
}
