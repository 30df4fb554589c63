//! The facilitator's console. Its first screen is the run sheet (`RunSheet`): the clock, where
//! the room is, the way on and back, the timers, the reveal controls (each reveal asked first
//! and undoable until the next inject), the current inject with what the room is told, the
//! questions and what to listen for (with tick boxes for the report), the next inject, the
//! decision box and the curveballs. Below it: the injects to come, and the after-action report
//! (ratings, observations, hot wash, improvement plan, downloads, print). Everything here is
//! for the facilitator; the room sees the projector.

use outage_sim::branches::{room_options, safeguard_options, AssumedNumber, Availability};
use outage_sim::exercise::spoiler::Withholding;
use outage_sim::exercise::{Exercise, Inject};
use outage_sim::intervention::{ActionId, InterventionKind, Interventions};
use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use outage_sim::time::MINUTE;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::both_clocks;
use crate::hooks::use_wall_clock;
use crate::room::random_id;
use crate::state::countdown::Countdown;
use crate::state::exercise::{
    Ask, Decision, Draft, DraftField, Fired, Grade, Heard, Notes, Observation, ObservationKind,
    PlanItem, PlanStatus, TimerAction, Undo, ROLES,
};
use crate::state::{use_action, use_dispatch, Action, Derived, ExerciseAction, Shared};
use outage_sim::exercise::visibility::{live_inject_at, next_live_inject};
use outage_sim::input::visible;

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
const SHORT: usize = outage_sim::limits::MAX_ROLE_CHARS;
#[derive(Properties, PartialEq)]
pub struct ExerciseBarProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
    pub now: SimTime,
    pub playing: bool,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
    /// The outcome is revealed (from some moment).
    pub outcome_revealed: bool,
    pub undo: Option<Undo>,
    pub blank: bool,
    pub archived: usize,
    /// The injects the room's day has overtaken.
    pub overtaken: Vec<bool>,
    pub on_play: Callback<()>,
    pub on_open_projector: Callback<()>,
    pub on_archive: Callback<()>,
}

/// The clock, where the room is, the way on and back, the timers and the reveals.
#[component]
pub fn ExerciseBar(props: &ExerciseBarProps) -> Html {
    let d = &use_dispatch();
    let on_next = use_action(d, |_: ()| Action::Exercise(ExerciseAction::NextInject));
    let on_prev = use_action(d, |_: ()| Action::Exercise(ExerciseAction::PrevInject));
    let on_ask = use_action(d, |ask| Action::Exercise(ExerciseAction::Ask(ask)));
    let on_hide = use_action(d, |_: ()| Action::Exercise(ExerciseAction::HideOutcome));
    let on_undo = use_action(d, |_: ()| Action::Exercise(ExerciseAction::UndoReveal));
    let on_blank = use_action(d, |_: ()| Action::Exercise(ExerciseAction::ToggleBlank));
    let on_inject_timer = use_action(d, |(a, w)| {
        Action::Exercise(ExerciseAction::InjectTimer(a, w))
    });
    let on_exercise_timer = use_action(d, |(a, w)| {
        Action::Exercise(ExerciseAction::ExerciseTimer(a, w))
    });
    let e = &props.exercise;
    let s = &props.scenario;
    let total = e.injects.len();
    let current = live_inject_at(e, props.now, &props.overtaken);
    let next = next_live_inject(e, props.now, &props.overtaken);
    let position = match current {
        Some(k) => format!("Inject {} of {total}", k + 1),
        None => format!("{total} injects"),
    };
    let next_title = next
        .and_then(|k| e.injects.get(k))
        .map(|i| format!("Next inject (N): {} {}", s.clock.hhmm_local(i.at), i.title))
        .unwrap_or_else(|| "No inject left".into());
    let undo_label = match props.undo.map(|u| u.reveal) {
        Some(crate::state::exercise::Reveal::Outcome { .. }) => "Take back the outcome",
        Some(crate::state::exercise::Reveal::JumpToEnd { .. }) => "Take back the jump to the end",
        Some(crate::state::exercise::Reveal::Curveball { .. }) => "Take back the curveball",
        None => "Nothing to take back",
    };
    html! {
        <section class="exercise-bar" aria-label="The exercise">
            <div class="console-clock" data-testid="console-clock" aria-label="Simulated time">
                <span class="clock-local">{ s.clock.hhmmss_local(props.now) }<small>{ format!(" {}", s.zone_label) }</small></span>
                <span class="clock-utc">{ format!("{} UTC", s.clock.hhmm_utc(props.now)) }</span>
                <span class="exercise-position">{ position }</span>
            </div>
            <div class="exercise-controls">
                <div class="control-group" role="group" aria-label="Injects">
                    <button type="button" data-testid="inject-prev" disabled={current.is_none()}
                            onclick={on_prev.reform(|_: MouseEvent| ())} title="Previous inject (P)">{ "◀ Prev" }</button>
                    <button type="button" class="ghost-button" data-testid="console-play"
                            onclick={props.on_play.reform(|_: MouseEvent| ())} title="Play or pause (Space)">
                        { if props.playing { "Pause" } else { "Play" } }
                    </button>
                    <button type="button" class="primary" data-testid="inject-next" disabled={next.is_none()}
                            onclick={on_next.reform(|_: MouseEvent| ())} title={next_title.clone()} aria-label={next_title}>
                        { "Next inject ▶" }
                    </button>
                </div>
                <Timer label="Inject" testid="timer-inject" countdown={props.inject_timer}
                       on_action={on_inject_timer} />
                <Timer label="Exercise" testid="timer" countdown={props.exercise_timer}
                       on_action={on_exercise_timer} />
                <div class="control-group reveal-controls" role="group" aria-label="What the room sees">
                    if props.outcome_revealed {
                        <button type="button" class="active" data-testid="reveal-outcome" aria-pressed="true"
                                onclick={on_hide.reform(|_: MouseEvent| ())}>{ "Hide the outcome" }</button>
                    } else {
                        <button type="button" data-testid="reveal-outcome" aria-pressed="false"
                                onclick={on_ask.reform(|_: MouseEvent| Ask::RevealOutcome)} title="Reveal the outcome to the room (R), asked first">
                            { "Reveal the outcome…" }
                        </button>
                    }
                    <button type="button" data-testid="jump-end" onclick={on_ask.reform(|_: MouseEvent| Ask::JumpToEnd)}
                            title="Jump to the end of the day (End), asked first">{ "End…" }</button>
                    <button type="button" data-testid="undo-reveal" disabled={props.undo.is_none()}
                            onclick={on_undo.reform(|_: MouseEvent| ())} title={format!("{undo_label} (U)")}>{ "Undo" }</button>
                    <button type="button" data-testid="projector-blank" class={classes!(props.blank.then_some("active"))}
                            aria-pressed={props.blank.to_string()} onclick={on_blank.reform(|_: MouseEvent| ())}
                            title="A black screen for discussion (B)">{ if props.blank { "Unblank" } else { "Blank" } }</button>
                </div>
                <div class="control-group" role="group" aria-label="Windows and exercises">
                    <button type="button" data-testid="open-projector" onclick={props.on_open_projector.reform(|_: MouseEvent| ())}
                            title="Open the room's view in a new window, for the projector">{ "Projector" }</button>
                    <button type="button" data-testid="exercise-new" onclick={on_ask.reform(|_: MouseEvent| Ask::NewExercise)}
                            title="Start a clean exercise; this one is archived">{ "New…" }</button>
                    <button type="button" data-testid="exercise-archive" onclick={props.on_archive.reform(|_: MouseEvent| ())}
                            title="Earlier exercises, kept in this browser">{ format!("Archive ({})", props.archived) }</button>
                </div>
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
            <button type="button" class="ghost-button" onclick={act(TimerAction::AddMinute)} aria-label={format!("One more minute on the {} timer", props.label.to_lowercase())}>{ "+1" }</button>
            <label class="timer-set">
                <span class="visually-hidden">{ format!("Set the {} timer, in minutes", props.label.to_lowercase()) }</span>
                <input type="number" min="1" max="600" step="1" value={minutes.to_string()} onchange={set} />
            </label>
        </div>
    }
}

// ---- The current inject ----------------------------------------------------------------------

#[derive(Properties, PartialEq)]
pub struct InjectPanelProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
    pub now: SimTime,
    pub heard: Vec<Heard>,
    pub overtaken: Vec<bool>,
}

/// The current inject as the facilitator runs it, and the next one.
#[component]
pub fn InjectPanel(props: &InjectPanelProps) -> Html {
    let d = &use_dispatch();
    let on_heard = use_action(d, |h| Action::Exercise(ExerciseAction::ToggleHeard(h)));
    let s = &props.scenario;
    let e = &props.exercise;
    let current = live_inject_at(e, props.now, &props.overtaken);
    let next = next_live_inject(e, props.now, &props.overtaken).and_then(|k| e.injects.get(k));
    let body = match current.and_then(|k| e.injects.get(k)) {
        Some(inject) => inject_card(s, inject, &props.heard, &on_heard),
        None => html! {
            <div class="inject-brief">
                <h3>{ e.title.clone() }</h3>
                <p>{ e.brief.clone() }</p>
                <h4>{ "Objectives" }</h4>
                <ul>{ for e.objectives.iter().map(|o| html! { <li><strong>{ o.title.clone() }</strong>{ format!(" — {}", o.description) }</li> }) }</ul>
                <p class="hint">{ format!("About {} minutes. Press “Next inject” (N) or Play (Space: the replay stops at each inject) to begin.", e.duration_minutes) }</p>
            </div>
        },
    };
    html! {
        <section id="inject" class="card inject-panel" data-testid="inject-current" aria-labelledby="inject-title">
            <h2 id="inject-title" class="visually-hidden">{ "The room now" }</h2>
            { body }
            if let Some(next) = next {
                <div class="inject-next" data-testid="inject-upcoming">
                    <h4>{ format!("Next · {} · {}", s.clock.hhmm_local(next.at), next.title) }</h4>
                    { for next.participant_text.iter().map(|p| html! { <p>{ p.text.clone() }</p> }) }
                </div>
            }
        </section>
    }
}

fn inject_card(s: &Scenario, inject: &Inject, heard: &[Heard], on_heard: &Callback<Heard>) -> Html {
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
                    <ul class="listen-for">
                        { for inject.listen_for.iter().enumerate().map(|(k, l)| {
                            let point = Heard { inject: inject.id.clone(), point: k };
                            let checked = heard.contains(&point);
                            let toggle = on_heard.reform(move |_: Event| point.clone());
                            html! {
                                <li>
                                    <label>
                                        <input type="checkbox" checked={checked} onchange={toggle}
                                               data-testid={format!("heard-{}-{k}", inject.id)} />
                                        { format!(" {l}") }
                                    </label>
                                </li>
                            }
                        }) }
                    </ul>
                </div>
            </div>
            if let Some(note) = &inject.facilitator_note {
                <p class="facilitator-note"><strong>{ "For you only: " }</strong>{ note.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct InjectListProps {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
    pub now: SimTime,
    pub overtaken: Vec<bool>,
}

/// Every inject, to go back or forward to one, with the record's line each comes from.
#[component]
pub fn InjectList(props: &InjectListProps) -> Html {
    let d = &use_dispatch();
    let on_go = use_action(d, |k| Action::Exercise(ExerciseAction::GoToInject(k)));
    let s = &props.scenario;
    let current = live_inject_at(&props.exercise, props.now, &props.overtaken);
    html! {
        <section class="card inject-list-card" aria-labelledby="inject-list-title">
            <h2 id="inject-list-title">{ "The injects" }</h2>
            <ol class="inject-list">
                { for props.exercise.injects.iter().enumerate().map(|(k, i)| {                    let state = match current { Some(c) if c == k => "current", Some(c) if k < c => "done", _ => "upcoming" };
                    let overtaken = props.overtaken.get(k).copied().unwrap_or(false);
                    html! {
                        <li class={classes!("inject-item", state, overtaken.then_some("overtaken"))}>
                            <button type="button" class="ghost-button" onclick={on_go.reform(move |_: MouseEvent| k)}
                                    aria-current={(state == "current").then_some("step")}>
                                <time>{ s.clock.hhmm_local(i.at) }</time>{ format!(" {} · {} min", i.title, i.discuss_minutes) }
                            </button>
                            if overtaken {
                                <span class="hint" data-testid={format!("overtaken-{}", i.id)}>
                                    { format!(" The room's day got here sooner: not played; in the record, this happened at {}. For the debrief.", s.clock.hhmm_local(i.at)) }
                                </span>
                            }
                            <blockquote class="quote"><p>{ format!("“{}”", i.source.quote) }</p></blockquote>
                        </li>
                    }
                }) }
            </ol>
        </section>
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
    /// Why the log cannot be saved in this browser, if it cannot.
    pub save_problem: Option<AttrValue>,
    /// The room's decisions and curveballs so far, and the seed: what the room could do now
    /// depends on its day.
    pub interventions: Interventions,
    pub seed: u64,
}

/// What the room decides, logged as it is typed: the decision, who, why, and optionally the
/// response action it takes in the model (which changes the room's day from now on).
#[component]
pub fn DecisionLog(props: &DecisionLogProps) -> Html {
    let d = &use_dispatch();
    // Field by field: the reducer applies each to the draft as it is then, so an event that
    // comes before this form is drawn again (a choice right after typing) loses nothing.
    let on_field = use_action(d, |(field, value)| {
        Action::Exercise(ExerciseAction::EditDraftField(field, value))
    });
    let on_add = use_action(d, |(wall_ms, id)| {
        Action::Exercise(ExerciseAction::LogDecision { wall_ms, id })
    });
    let on_text = on_field.reform(|e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
        (DraftField::Text, value)
    });
    let on_rationale = on_field.reform(|e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        (DraftField::Rationale, value)
    });
    let chosen = |field: DraftField| {
        on_field.reform(move |e: Event| {
            (
                field,
                e.target_unchecked_into::<HtmlSelectElement>().value(),
            )
        })
    };
    let (on_role, on_action) = (chosen(DraftField::Role), chosen(DraftField::Action));
    let add = {
        let on_add = on_add.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_add.emit((wall_now(), random_id()));
        })
    };
    let s = &props.scenario; // What the room could do now, by the model's rules (`outage_sim::branches`): worked out
                             // again when the day changes or the clock moves on a minute.
    let options = {
        let (exercise, at) = (
            props.exercise.clone(),
            props.now + crate::state::exercise::HEARD,
        );
        use_memo(
            (
                props.scenario.clone(),
                props.interventions.clone(),
                props.seed,
                props.now.div_euclid(MINUTE),
            ),
            move |(scenario, interventions, seed, _)| {
                let list = interventions.as_slice();
                let config = Config::none();
                (
                    room_options(scenario, &exercise, &config, list, *seed, at).unwrap_or_default(),
                    safeguard_options(scenario, &config, list, *seed, at).unwrap_or_default(),
                )
            },
        )
    };
    let (rooms, safeguards) = (&options.0, &options.1);
    // Each choice: its value, its label, whether it is offered now, and what the model says.
    let choices: Vec<Choice> = props
        .exercise
        .actions
        .iter()
        .flat_map(|card| {
            if card.id == ActionId::EnableSafeguard {
                safeguards
                    .iter()
                    .map(|o| Choice {
                        value: format!("enable_safeguard:{}", o.safeguard.id()),
                        label: format!("Switch on from now: {}", o.safeguard.name()),
                        availability: o.availability.clone(),
                        assumes: Vec::new(),
                        consequence: o.consequence.clone(),
                    })
                    .collect::<Vec<_>>()
            } else {
                rooms
                    .iter()
                    .filter(|o| o.action == card.id)
                    .map(|o| Choice {
                        value: card.id.id().to_string(),
                        label: card.label.clone(),
                        availability: o.availability.clone(),
                        assumes: o.assumes.iter().map(AssumedNumber::describe).collect(),
                        consequence: o.consequence.clone(),
                    })
                    .collect()
            }
        })
        .collect();
    let chosen = choices.iter().find(|c| c.value == props.draft.action);
    let help = props
        .exercise
        .actions
        .iter()
        .find(|c| props.draft.action.split(':').next() == Some(c.id.id()))
        .map(|c| c.help.clone());
    let unavailable: Vec<String> = choices
        .iter()
        .filter(|c| !c.offered() && !c.value.starts_with("enable_safeguard"))
        .map(|c| format!("{}: {}", c.label, c.availability.describe()))
        .collect();
    html! {
        <section id="decisions" class="card decision-log" aria-labelledby="decisions-title">
            <h2 id="decisions-title">{ "The room's decisions" }</h2>
            <form class="decision-form" onsubmit={add}>
                <p class="hint">{ format!("At {}. Kept in this browser as you type.", both_clocks(s, props.now)) }</p>
                if let Some(problem) = &props.save_problem {
                    <p class="problem save-problem" role="alert" data-testid="save-problem">{ problem.clone() }</p>
                }
                <label class="field">
                    <span>{ "Decision" }</span>
                    <textarea data-testid="decision-text" rows="2" maxlength={DECISION.to_string()} value={props.draft.text.clone()} oninput={on_text}
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
                        <select data-testid="decision-action" onchange={on_action}>                            <option value="" selected={props.draft.action.is_empty()}>{ "No action (a note)" }</option>
                            { for choices.iter().map(|c| html! {
                                <option value={c.value.clone()} selected={props.draft.action == c.value}
                                        disabled={!c.offered()} title={c.availability.describe()}>{ c.option_label() }</option>
                            }) }
                        </select>
                    </label>
                </div>                if let Some(c) = chosen {
                    <div class="action-assumes" data-testid="action-assumes">
                        <p class={classes!("action-availability", (!c.availability.is_open()).then_some("problem"))}>
                            { capitalised(&c.availability.describe()) }
                        </p>
                        if !c.assumes.is_empty() {
                            <ul class="action-numbers">{ for c.assumes.iter().map(|a| html! { <li>{ a.clone() }</li> }) }</ul>
                        }
                        <p class="action-consequence">{ format!("If decided now: {}", c.consequence) }</p>
                        if let Some(help) = help { <p class="hint action-help">{ help }</p> }
                    </div>
                } else if !unavailable.is_empty() {
                    <p class="hint actions-unavailable" data-testid="actions-unavailable">
                        { format!("Not offered now — {}", unavailable.join("; ")) }
                    </p>
                }
                <div class="decision-row">
                    <label class="field">
                        <span>{ "Why" }</span>
                        <input type="text" data-testid="decision-rationale" maxlength={DECISION.to_string()} value={props.draft.rationale.clone()} oninput={on_rationale}
                               placeholder="The room's rationale" />
                    </label>
                    <button type="submit" class="primary" data-testid="decision-add">{ "Add to the log" }</button>
                </div>
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

/// One of the decision box's choices of action, with the model's account of it now.
struct Choice {
    value: String,
    label: String,
    availability: Availability,
    assumes: Vec<String>,
    consequence: String,
}

impl Choice {
    /// Offered now: the room could know to take it and it changes something, or it is decided
    /// before the impact (a prevention exercise, which waits).
    fn offered(&self) -> bool {
        match &self.availability {
            Availability::Open => true,
            Availability::NotYet {
                prevention_exercise,
                ..
            } => *prevention_exercise,
            Availability::NoEffect { .. } => false,
        }
    }

    fn option_label(&self) -> String {
        match &self.availability {
            Availability::Open => self.label.clone(),
            Availability::NotYet {
                prevention_exercise: true,
                ..
            } => format!("{} (a prevention exercise)", self.label),
            Availability::NotYet { .. } => format!("{} — not yet", self.label),
            Availability::NoEffect { .. } => format!("{} — changes nothing now", self.label),
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
    let action = decision.action.and_then(|i| match i.kind {
        InterventionKind::Room(outage_sim::intervention::RoomAction::EnableSafeguard {
            safeguard,
            ..
        }) => Some(format!("Switch on from now: {}", safeguard.name())),
        InterventionKind::Room(a) => Some(a.id().label().to_string()),
        InterventionKind::Curveball(_) => None,
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
            if let Some(text) = &decision.unread_action { <p class="problem">{ format!("Kept but not read: {text}") }</p> }
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
    pub derived: Shared<Derived>,
    pub fired: Vec<Fired>,
    pub now: SimTime,
}

/// The curveballs the facilitator can throw at the room, each changing the rest of the day;
/// each is asked first, with what its card would give away now.
#[component]
pub fn Curveballs(props: &CurveballsProps) -> Html {
    let d = &use_dispatch();
    let on_ask = use_action(d, |ask| Action::Exercise(ExerciseAction::Ask(ask)));
    let check = room_check(&props.exercise, &props.scenario, &props.derived);
    let s = &props.scenario;
    html! {
        <section id="curveballs" class="card curveballs" aria-labelledby="curveballs-title">
            <h2 id="curveballs-title">{ "Curveballs" }</h2>
            <ul class="curveball-list">
                { for props.exercise.curveballs.iter().map(|c| {
                    let fired = props.fired.iter().any(|f| f.card() == Some(c.id));
                    let shown = c.for_room(&check, props.now);
                    let id = c.id;
                    let note = (!shown.withheld.is_empty()).then(|| format!(
                        "Now the room gets its spoiler-free card: the full card {}",
                        shown.withheld.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                    ));
                    html! {
                        <li>
                            <button type="button" data-testid={format!("curveball-{}", c.id.id())}
                                    onclick={on_ask.reform(move |_: MouseEvent| Ask::Curveball(id))} disabled={fired}
                                    title={c.effect.clone()}>
                                { c.title.clone() }
                            </button>
                            if let Some(note) = note { <span class="curveball-note" title={note.clone()} aria-label={note}>{ "spoiler-free" }</span> }
                        </li>
                    }
                }) }
            </ul>
            if !props.fired.is_empty() {
                <p class="fired hint">
                    { format!("Fired: {}", props.fired.iter().filter_map(|f| {
                        let card = props.exercise.curveball_card(f.card()?)?;
                        Some(format!("{} at {}", card.title, s.clock.hhmm_local(f.curveball.at)))
                    }).collect::<Vec<_>>().join("; ")) }
                </p>
            }
        </section>
    }
}

/// The spoiler check for what the room sees now: the exercise's withheld terms, lifted where
/// the room's own day got there first.
pub fn room_check(exercise: &Exercise, scenario: &Scenario, derived: &Derived) -> Withholding {
    let check = Withholding::new(exercise, scenario);
    match (&derived.ghost, derived.ghost_is_room) {
        (Some((run, _)), true) => check.with_room_day(run),
        _ => check,
    }
}

// ---- The report ------------------------------------------------------------------------------

/// A change to the notes made from a field's text.
type NoteEdit = Box<dyn Fn(&mut Notes, String)>;
/// A row added to the notes (an observation, an improvement), given its fresh id.
type NoteAdd = Box<dyn Fn(&mut Notes)>;

#[derive(Properties, PartialEq)]
pub struct ReportPanelProps {
    pub exercise: Shared<Exercise>,
    pub notes: Notes,
    pub on_markdown: Callback<()>,
    pub on_json: Callback<()>,
    pub on_print: Callback<()>,
    pub on_ranges: Callback<()>,
    /// How the report's ranges stand, in words.
    pub ranges_status: AttrValue,
    pub save_problem: Option<AttrValue>,
}

/// The after-action report: what the facilitator adds (name, date, participants, logistics,
/// ratings, observations, hot wash, the improvement plan), and the downloads.
#[component]
pub fn ReportPanel(props: &ReportPanelProps) -> Html {
    let d = &use_dispatch();
    let on_notes = use_action(d, |notes| {
        Action::Exercise(ExerciseAction::EditNotes(notes))
    });
    let notes = props.notes.clone();
    let change = |f: NoteEdit| {
        let (notes, cb) = (notes.clone(), on_notes.clone());
        Callback::from(move |value: String| {
            let mut next = notes.clone();
            f(&mut next, value);
            cb.emit(next);
        })
    };
    let text = |f: fn(&mut Notes, String)| {
        change(Box::new(f)).reform(|e: InputEvent| {
            use wasm_bindgen::JsCast;
            e.target()
                .and_then(|t| {
                    t.dyn_ref::<HtmlTextAreaElement>()
                        .map(|t| t.value())
                        .or_else(|| t.dyn_ref::<HtmlInputElement>().map(|i| i.value()))
                })
                .unwrap_or_default()
        })
    };
    let input = |e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value();
    let area = |e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value();
    let select = |e: Event| e.target_unchecked_into::<HtmlSelectElement>().value();
    let add = |make: fn(u64) -> NoteAdd| {
        let (notes, cb) = (notes.clone(), on_notes.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = notes.clone();
            make(random_id())(&mut next);
            cb.emit(next);
        })
    };
    let e = &props.exercise;
    html! {
        <section id="report" class="card report-panel" aria-labelledby="report-title">
            <h2 id="report-title">{ "After-action report" }</h2>
            if let Some(problem) = &props.save_problem {
                <p class="problem save-problem" role="alert">{ problem.clone() }</p>
            }
            <div class="report-grid">
                <label class="field"><span>{ "Exercise name" }</span>
                    <input type="text" data-testid="aar-name" maxlength={NOTE.to_string()} value={notes.name.clone()} oninput={text(|n, v| n.name = v)} /></label>
                <label class="field"><span>{ "Date" }</span>
                    <input type="date" data-testid="aar-date" value={notes.date.clone()} oninput={text(|n, v| n.date = v)} /></label>
                <label class="field"><span>{ "Facilitator" }</span>
                    <input type="text" maxlength={NOTE.to_string()} value={notes.facilitator.clone()} oninput={text(|n, v| n.facilitator = v)} /></label>
            </div>
            <div class="report-grid two">
                <label class="field"><span>{ "Participants (one per line: name — role)" }</span>
                    <textarea rows="3" data-testid="aar-participants" maxlength={NOTE.to_string()} value={notes.participants.clone()} oninput={text(|n, v| n.participants = v)} /></label>
                <label class="field"><span>{ "Logistics (where, when, how long)" }</span>
                    <textarea rows="3" data-testid="aar-logistics" maxlength={NOTE.to_string()} value={notes.logistics.clone()} oninput={text(|n, v| n.logistics = v)} /></label>
            </div>
            <h3 class="subhead">{ "Objectives: how did the room perform?" }</h3>
            <table class="rating-table">
                <thead><tr><th scope="col">{ "Objective" }</th>
                    { for Grade::ALL.iter().map(|g| html! { <th scope="col" title={g.name()}>{ g.letter() }</th> }) }</tr></thead>
                <tbody>
                    { for e.objectives.iter().map(|o| {
                        let grade = notes.grade(&o.id);
                        html! {
                            <tr>
                                <th scope="row">{ o.title.clone() }<span class="hint">{ format!(" · {}", o.capability) }</span></th>
                                { for Grade::ALL.iter().map(|&g| {
                                    let (notes, cb, id) = (notes.clone(), on_notes.clone(), o.id.clone());
                                    let pick = Callback::from(move |_: Event| {
                                        let mut next = notes.clone();
                                        next.ratings.retain(|r| r.objective != id);
                                        next.ratings.push(crate::state::exercise::Rating { objective: id.clone(), grade: g });
                                        cb.emit(next);
                                    });
                                    html! {
                                        <td>
                                            <input type="radio" name={format!("rate-{}", o.id)} checked={grade == Some(g)} onchange={pick}
                                                   data-testid={format!("rate-{}-{}", o.id, g.letter())}
                                                   aria-label={format!("{}: {}", o.title, g.name())} />
                                        </td>
                                    }
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="hint">{ Grade::ALL.iter().map(|g| format!("{} {}", g.letter(), g.name())).collect::<Vec<_>>().join(" · ") }</p>
            <h3 class="subhead">{ "Observations" }</h3>
            <ol class="observation-list">
                { for notes.observations.iter().enumerate().map(|(k, o)| {
                    let set = |f: fn(&mut Observation, String)| {
                        change(Box::new(move |n: &mut Notes, v: String| {
                            if let Some(o) = n.observations.get_mut(k) { f(o, v) }
                        }))
                    };
                    let remove = {
                        let (notes, cb) = (notes.clone(), on_notes.clone());
                        Callback::from(move |_: MouseEvent| {
                            let mut next = notes.clone();
                            next.observations.remove(k);
                            cb.emit(next);
                        })
                    };
                    html! {
                        <li class={classes!("observation", if o.kind == ObservationKind::Strength { "strength" } else { "improvement" })}>
                            <div class="decision-row">
                                <strong>{ o.kind.name() }</strong>
                                <select aria-label={format!("Objective of observation {}", k + 1)}
                                        onchange={set(|o, v| o.objective = v).reform(select)}>
                                    <option value="" selected={o.objective.is_empty()}>{ "General" }</option>
                                    { for e.objectives.iter().map(|ob| html! { <option value={ob.id.clone()} selected={o.objective == ob.id}>{ ob.title.clone() }</option> }) }
                                </select>
                                <button type="button" class="ghost-button" onclick={remove}>{ "Remove" }</button>
                            </div>
                            <textarea rows="2" maxlength={DECISION.to_string()} placeholder="What was observed" aria-label={format!("Observation {}", k + 1)}
                                      value={o.text.clone()} oninput={set(|o, v| o.text = v).reform(area)} />
                            <textarea rows="2" maxlength={DECISION.to_string()} placeholder="Analysis: why it happened, what it caused" aria-label={format!("Analysis of observation {}", k + 1)}
                                      value={o.analysis.clone()} oninput={set(|o, v| o.analysis = v).reform(area)} />
                            <textarea rows="2" maxlength={DECISION.to_string()} placeholder="Recommendation" aria-label={format!("Recommendation of observation {}", k + 1)}
                                      value={o.recommendation.clone()} oninput={set(|o, v| o.recommendation = v).reform(area)} />
                        </li>
                    }
                }) }
            </ol>
            <div class="report-downloads">
                <button type="button" class="ghost-button" data-testid="aar-strength-add"
                        onclick={add(|id| Box::new(move |n: &mut Notes| n.observations.push(Observation { id, kind: ObservationKind::Strength, ..Observation::default() })))}>{ "+ Strength" }</button>
                <button type="button" class="ghost-button" data-testid="aar-improvement-add"
                        onclick={add(|id| Box::new(move |n: &mut Notes| n.observations.push(Observation { id, kind: ObservationKind::Improvement, ..Observation::default() })))}>{ "+ Area for improvement" }</button>
            </div>
            <label class="field"><span>{ "Hot wash: what the participants said (one point per line)" }</span>
                <textarea rows="3" data-testid="aar-hot-wash" maxlength={NOTE.to_string()} value={notes.hot_wash.clone()} oninput={text(|n, v| n.hot_wash = v)} /></label>
            <h3 class="subhead">{ "Improvement plan" }</h3>
            <ol class="plan-list">
                { for notes.plan.iter().enumerate().map(|(k, p)| {
                    let set = |f: fn(&mut PlanItem, String)| {
                        change(Box::new(move |n: &mut Notes, v: String| {
                            if let Some(p) = n.plan.get_mut(k) { f(p, v) }
                        }))
                    };
                    let remove = {
                        let (notes, cb) = (notes.clone(), on_notes.clone());
                        Callback::from(move |_: MouseEvent| {
                            let mut next = notes.clone();
                            next.plan.remove(k);
                            cb.emit(next);
                        })
                    };
                    let n = k + 1;
                    html! {
                        <li class="plan-item">
                            <div class="plan-grid">
                                <label class="field"><span>{ "Issue" }</span><input type="text" maxlength={DECISION.to_string()} aria-label={format!("Issue {n}")} value={p.issue.clone()} oninput={set(|p, v| p.issue = v).reform(input)} /></label>
                                <label class="field"><span>{ "Recommendation" }</span><input type="text" maxlength={DECISION.to_string()} aria-label={format!("Recommendation {n}")} value={p.recommendation.clone()} oninput={set(|p, v| p.recommendation = v).reform(input)} /></label>
                                <label class="field"><span>{ "Corrective action" }</span><input type="text" maxlength={DECISION.to_string()} aria-label={format!("Corrective action {n}")} value={p.corrective_action.clone()} oninput={set(|p, v| p.corrective_action = v).reform(input)} /></label>
                                <label class="field"><span>{ "Capability" }</span>
                                    <select aria-label={format!("Capability {n}")} onchange={set(|p, v| p.capability = v).reform(select)}>
                                        <option value="" selected={p.capability.is_empty()}>{ "—" }</option>
                                        { for e.objectives.iter().map(|o| html! { <option value={o.capability.clone()} selected={p.capability == o.capability}>{ o.capability.clone() }</option> }) }
                                    </select></label>
                                <label class="field"><span>{ "Primary responsible party" }</span><input type="text" maxlength={SHORT.to_string()} aria-label={format!("Responsible party {n}")} value={p.responsible.clone()} oninput={set(|p, v| p.responsible = v).reform(input)} /></label>
                                <label class="field"><span>{ "Start" }</span><input type="date" aria-label={format!("Start date {n}")} value={p.start.clone()} oninput={set(|p, v| p.start = v).reform(input)} /></label>
                                <label class="field"><span>{ "Completion" }</span><input type="date" aria-label={format!("Completion date {n}")} value={p.completion.clone()} oninput={set(|p, v| p.completion = v).reform(input)} /></label>
                                <label class="field"><span>{ "Status" }</span>
                                    <select aria-label={format!("Status {n}")} onchange={set(|p, v| p.status = PlanStatus::from_id(&v).unwrap_or_default()).reform(select)}>
                                        { for PlanStatus::ALL.iter().map(|st| html! { <option value={st.id()} selected={p.status == *st}>{ st.name() }</option> }) }
                                    </select></label>
                            </div>
                            <button type="button" class="ghost-button" onclick={remove} aria-label={format!("Remove improvement {n}")}>{ "Remove" }</button>
                        </li>
                    }
                }) }
            </ol>
            <button type="button" class="ghost-button" data-testid="aar-plan-add"
                    onclick={add(|id| Box::new(move |n: &mut Notes| n.plan.push(PlanItem { id, ..PlanItem::default() })))}>{ "+ Add an improvement" }</button>
            <p class="hint">
                { "The report compares the room's day with the record and with the what-if safeguards, each as one run; ranges come from Monte Carlo and are kept with the exercise. " }
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
