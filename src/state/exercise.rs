//! The facilitated exercise: the mode the page is in (exploring, the facilitator's console, or
//! the room's projector), what the facilitator has revealed (the outcome, from a moment) and
//! can still take back, the timers, what the room decided (the decision log, with the response
//! actions that change the room's day), the curveballs fired, what the facilitator heard, and
//! what the facilitator writes for the after-action report (ratings, observations, hot wash,
//! improvement plan).
//!
//! Decisions and curveballs are typed values (`Intervention`s with their numbers): they are
//! read from text once, where they come in (typed in the console, from storage, from a
//! console's view on the projector), and written as the command line's words only where they
//! leave (storage, links, the report's appendix, the worker). Where the room is comes from the
//! replay's playhead: the current inject is the one at the clock (`visibility::inject_at`).
//!
//! Reveals (the outcome, jumping to the end, a curveball) are asked for first (`Ask`), done
//! once confirmed, and can be taken back until the next inject (`Undo`).

use outage_sim::exercise::visibility::{live_inject_at, next_live_inject, Reveals};
use outage_sim::exercise::Exercise;
use outage_sim::intervention::{CurveballId, Intervention, InterventionKind, Interventions};
use outage_sim::scenario::Scenario;
use outage_sim::time::{SimTime, MINUTE, SECOND};
use serde::{Deserialize, Serialize};

use super::countdown::Countdown;
pub use super::exercise_store::{
    DecisionRecord, FiredRecord, Heard, KeptRanges, RangeCell, Session, Stored, EXERCISE_RECORD,
};
use super::Shared;
use outage_sim::limits::{
    MAX_DECISIONS, MAX_DECISION_CHARS, MAX_FIRED, MAX_HEARD, MAX_ID_CHARS, MAX_NOTE_CHARS,
    MAX_OBSERVATIONS, MAX_PLAN_ITEMS, MAX_ROLE_CHARS,
};

/// How the page is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Replay, what-if and analysis, for anyone.
    Explore,
    /// The facilitator's console: everything, with the exercise's controls.
    Facilitate,
    /// The room's view on a projector: only what the room may see, in large type.
    Projector,
}

impl Mode {
    /// Its word in links (`mode=facilitate`).
    pub fn id(self) -> &'static str {
        match self {
            Mode::Explore => "explore",
            Mode::Facilitate => "facilitate",
            Mode::Projector => "projector",
        }
    }

    pub fn from_id(id: &str) -> Option<Mode> {
        [Mode::Explore, Mode::Facilitate, Mode::Projector]
            .into_iter()
            .find(|m| m.id() == id)
    }
}

/// The roles a decision can come from.
pub const ROLES: [&str; 8] = [
    "Incident commander",
    "Cloud Operations",
    "Engineering",
    "Support",
    "Product",
    "Communications",
    "Leadership",
    "Facilitator",
];

/// One decision of the room, as logged.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Unique across tabs (a random number), so that two tabs never take the same.
    pub id: u64,
    /// The simulated moment it was taken at.
    pub at: SimTime,
    /// When it was logged (milliseconds since the Unix epoch).
    pub wall_ms: f64,
    pub role: String,
    pub text: String,
    pub rationale: String,
    /// The inject the room was on.
    pub inject: Option<String>,
    /// The response action it takes in the model, with its numbers.
    pub action: Option<Intervention>,
    /// An action kept in storage that no longer reads (an edited record): kept as it was.
    pub unread_action: Option<String>,
}

/// A curveball the facilitator fired.
#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub id: u64,
    pub curveball: Intervention,
    pub wall_ms: f64,
}

impl Fired {
    pub fn card(&self) -> Option<CurveballId> {
        match self.curveball.kind {
            InterventionKind::Curveball(c) => Some(c.id()),
            InterventionKind::Room(_) => None,
        }
    }
}

/// How the facilitator rates an objective, in the after-action report's four levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grade {
    P,
    S,
    M,
    U,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::P, Grade::S, Grade::M, Grade::U];

    pub fn letter(self) -> &'static str {
        match self {
            Grade::P => "P",
            Grade::S => "S",
            Grade::M => "M",
            Grade::U => "U",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Grade::P => "Performed without challenges",
            Grade::S => "Performed with some challenges",
            Grade::M => "Performed with major challenges",
            Grade::U => "Unable to be performed",
        }
    }

    pub fn from_letter(letter: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.letter() == letter)
    }
}

/// An objective's rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// The objective's id.
    pub objective: String,
    pub grade: Grade,
}

/// A strength or an area for improvement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationKind {
    #[default]
    Strength,
    Improvement,
}

impl ObservationKind {
    pub fn name(self) -> &'static str {
        match self {
            ObservationKind::Strength => "Strength",
            ObservationKind::Improvement => "Area for improvement",
        }
    }
}

/// What the facilitator observed, why it matters, and what to do about it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Observation {
    pub id: u64,
    pub kind: ObservationKind,
    /// The objective it bears on (its id), or empty.
    pub objective: String,
    pub text: String,
    pub analysis: String,
    pub recommendation: String,
}

/// Where an improvement stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    #[default]
    Open,
    InProgress,
    Complete,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 3] = [
        PlanStatus::Open,
        PlanStatus::InProgress,
        PlanStatus::Complete,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PlanStatus::Open => "Open",
            PlanStatus::InProgress => "In progress",
            PlanStatus::Complete => "Complete",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            PlanStatus::Open => "open",
            PlanStatus::InProgress => "in_progress",
            PlanStatus::Complete => "complete",
        }
    }

    pub fn from_id(id: &str) -> Option<PlanStatus> {
        PlanStatus::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// A row of the improvement plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanItem {
    pub id: u64,
    pub issue: String,
    pub recommendation: String,
    pub corrective_action: String,
    /// The capability it improves (an objective's capability, or free text).
    pub capability: String,
    pub responsible: String,
    /// `YYYY-MM-DD`.
    pub start: String,
    pub completion: String,
    pub status: PlanStatus,
}

/// What the facilitator writes for the after-action report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notes {
    pub name: String,
    pub date: String,
    pub facilitator: String,
    /// One participant per line: `Name — role`.
    pub participants: String,
    /// Where, when, how long, who ran it.
    pub logistics: String,
    pub ratings: Vec<Rating>,
    pub observations: Vec<Observation>,
    /// What the participants said at the hot wash, one point per line.
    pub hot_wash: String,
    pub plan: Vec<PlanItem>,
}

impl Notes {
    pub fn grade(&self, objective: &str) -> Option<Grade> {
        self.ratings
            .iter()
            .find(|r| r.objective == objective)
            .map(|r| r.grade)
    }
}

/// `text` cut to `max` characters: the table of limits' length, which the fields' `maxlength`
/// also holds, so only a value from elsewhere is ever cut.
fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => text[..end].to_string(),
        None => text,
    }
}

impl Decision {
    /// Within the table of limits (`limits`), so the log can always be kept.
    fn bounded(self) -> Decision {
        Decision {
            role: cut(self.role, MAX_ROLE_CHARS),
            text: cut(self.text, MAX_DECISION_CHARS),
            rationale: cut(self.rationale, MAX_DECISION_CHARS),
            ..self
        }
    }
}

/// A field of the decision form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftField {
    Role,
    Text,
    Rationale,
    Action,
}

impl Draft {
    /// The field the form edits.
    fn field_mut(&mut self, field: DraftField) -> &mut String {
        match field {
            DraftField::Role => &mut self.role,
            DraftField::Text => &mut self.text,
            DraftField::Rationale => &mut self.rationale,
            DraftField::Action => &mut self.action,
        }
    }

    /// Within the table of limits (`limits`).
    fn bounded(self) -> Draft {
        Draft {
            role: cut(self.role, MAX_ROLE_CHARS),
            text: cut(self.text, MAX_DECISION_CHARS),
            rationale: cut(self.rationale, MAX_DECISION_CHARS),
            action: cut(self.action, MAX_ID_CHARS * 2),
        }
    }
}

impl Notes {
    /// Within the table of limits (`limits`).
    fn bounded(mut self) -> Notes {
        for text in [
            &mut self.name,
            &mut self.date,
            &mut self.facilitator,
            &mut self.participants,
            &mut self.logistics,
            &mut self.hot_wash,
        ] {
            *text = cut(std::mem::take(text), MAX_NOTE_CHARS);
        }
        self.observations.truncate(MAX_OBSERVATIONS);
        for o in &mut self.observations {
            o.objective = cut(std::mem::take(&mut o.objective), MAX_ID_CHARS);
            for text in [&mut o.text, &mut o.analysis, &mut o.recommendation] {
                *text = cut(std::mem::take(text), MAX_DECISION_CHARS);
            }
        }
        self.plan.truncate(MAX_PLAN_ITEMS);
        for item in &mut self.plan {
            for text in [
                &mut item.issue,
                &mut item.recommendation,
                &mut item.corrective_action,
            ] {
                *text = cut(std::mem::take(text), MAX_DECISION_CHARS);
            }
            for text in [
                &mut item.capability,
                &mut item.responsible,
                &mut item.start,
                &mut item.completion,
            ] {
                *text = cut(std::mem::take(text), MAX_ROLE_CHARS);
            }
        }
        self.ratings.truncate(MAX_OBSERVATIONS);
        self
    }
}

/// The text of the decision being written, kept as it is typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub role: String,
    pub text: String,
    pub rationale: String,
    /// The form's action choice as it stands: an action id (`roll_back`), a safeguard to switch
    /// on (`enable_safeguard:uptime_check`), or empty. Read when the decision is logged.
    pub action: String,
}

/// A reveal that can still be taken back.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reveal {
    /// The outcome was revealed; before, the reveals were these.
    Outcome { before: Reveals },
    /// The clock jumped to the end from here.
    JumpToEnd { from: SimTime },
    /// A curveball was fired (its id).
    Curveball { id: u64 },
}

/// The last reveal, which can be taken back until the room moves on to another inject.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Undo {
    pub reveal: Reveal,
    /// The inject the clock was at after the reveal.
    pub inject: Option<usize>,
}

/// A confirmation the console asks for before doing something the room cannot unsee, or that
/// ends the exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    RevealOutcome,
    JumpToEnd,
    Curveball(CurveballId),
    NewExercise,
}

impl Ask {
    /// What its buttons are called in tests: `confirm-<what>`, `cancel-<what>`.
    pub fn what(self) -> &'static str {
        match self {
            Ask::RevealOutcome | Ask::JumpToEnd | Ask::Curveball(_) => "reveal",
            Ask::NewExercise => "new",
        }
    }
}

/// Where the console is going, for the replay's playhead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    To(SimTime),
    /// Before the first inject: the start of the day.
    Start,
    /// The end of the day.
    End,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseState {
    pub exercise: Option<Shared<Exercise>>,
    pub mode: Mode,
    /// This exercise (a new one gets a new id).
    pub session: Session,
    pub reveals: Reveals,
    pub undo: Option<Undo>,
    /// The projector shows a black screen.
    pub blank: bool,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
    /// The inject the inject timer was last set for.
    pub timer_inject: Option<usize>,
    pub decisions: Vec<Decision>,
    pub fired: Vec<Fired>,
    /// Stored curveballs that no longer read: kept as they were.
    pub unread_fired: Vec<FiredRecord>,
    pub draft: Draft,
    pub notes: Notes,
    /// The listen-for points the facilitator ticked.
    pub heard: Vec<Heard>,
    /// Monte Carlo ranges for the report, kept with the exercise.
    pub ranges: Option<KeptRanges>,
    /// A confirmation being asked.
    pub asking: Option<Ask>,
    /// Why the exercise could not be saved, if it could not: said where the user types.
    pub save_problem: Option<String>,
    /// The injects the room's day has overtaken (`visibility::overtaken`), one flag per inject:
    /// set whenever the room's day is computed.
    pub overtaken: Vec<bool>,
    /// The seed of the room's day (the app's), for what the room could do now.
    pub seed: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TimerAction {
    Start,
    Pause,
    /// Sets it, in minutes (stopped).
    Set(u32),
    AddMinute,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExerciseAction {
    /// Moves to the next inject after the clock (the replay follows).
    NextInject,
    /// Moves to the inject before the one at the clock (or before the first).
    PrevInject,
    /// Goes to an inject.
    GoToInject(usize),
    /// Asks for a confirmation (a dialog in the page).
    Ask(Ask),
    /// The answer: yes or no, at this wall-clock time, with a fresh id for what it creates.
    Answer {
        confirmed: bool,
        wall_ms: f64,
        id: u64,
    },
    /// Takes back the last reveal.
    UndoReveal,
    /// Hides the outcome again (no confirmation needed).
    HideOutcome,
    /// Blanks the projector, or shows it again.
    ToggleBlank,
    /// Timers; the wall-clock time (ms since the epoch) is an input.
    InjectTimer(TimerAction, f64),
    ExerciseTimer(TimerAction, f64),
    EditDraft(Draft),
    /// One field of the draft as typed or chosen: applied to the draft as it is in the state,
    /// so a choice that follows typing at once cannot undo what was typed.
    EditDraftField(DraftField, String),
    /// Logs the draft as a decision at the current moment, at this wall-clock time, with this id.
    LogDecision {
        wall_ms: f64,
        id: u64,
    },
    EditDecision(Decision),
    DeleteDecision(u64),
    /// Ticks a listen-for point, or unticks it.
    ToggleHeard(Heard),
    EditNotes(Notes),
    /// A new exercise (once the one that ends is archived): everything cleared.
    NewExercise {
        session: Session,
    },
    /// The exercise as another tab left it, merged with this one's (see `exercise_store`).
    Merge(Box<Stored>),
    /// Monte Carlo ranges computed for the report.
    KeepRanges(KeptRanges),
    /// Whether the last save failed, and why.
    Saved(Option<String>),
}

impl ExerciseState {
    pub fn new(scenario: &Scenario) -> ExerciseState {
        let exercise = crate::builtin::exercise_for(scenario).map(Shared::new);
        let minutes = exercise.as_ref().map_or(60, |e| e.duration_minutes);
        ExerciseState {
            exercise,
            mode: Mode::Explore,
            session: Session::default(),
            reveals: Reveals::default(),
            undo: None,
            blank: false,
            inject_timer: Countdown::new(5 * MINUTE),
            exercise_timer: Countdown::new(i64::from(minutes) * MINUTE),
            timer_inject: None,
            decisions: Vec::new(),
            fired: Vec::new(),
            unread_fired: Vec::new(),
            draft: Draft::default(),
            notes: Notes::default(),
            heard: Vec::new(),
            ranges: None,
            asking: None,
            save_problem: None,
            overtaken: Vec::new(),
            seed: 1,
        }
    }

    /// The inject at the clock.
    pub fn current(&self, now: SimTime) -> Option<usize> {
        live_inject_at(self.exercise.as_deref()?, now, &self.overtaken)
    }

    /// The inject the clock is at, by id.
    pub fn current_id(&self, now: SimTime) -> Option<String> {
        let e = self.exercise.as_deref()?;
        Some(
            e.injects
                .get(live_inject_at(e, now, &self.overtaken)?)?
                .id
                .clone(),
        )
    }

    /// The next inject's time after `now`, where playback stops.
    pub fn next_stop(&self, now: SimTime) -> Option<SimTime> {
        let e = self.exercise.as_deref()?;
        Some(
            e.injects
                .get(next_live_inject(e, now, &self.overtaken)?)?
                .at,
        )
    }

    /// The interventions of the room's day: decisions with an action, and curveballs.
    pub fn interventions(&self) -> Interventions {
        let list: Vec<Intervention> = self
            .decisions
            .iter()
            .filter_map(|d| d.action)
            .chain(self.fired.iter().map(|f| f.curveball))
            .collect();
        Interventions::new(list).unwrap_or(Interventions::NONE)
    }

    /// The room's actions and the curveballs as the command line writes them (`--room`,
    /// `--curveball`), for links, the worker and the report's appendix.
    pub fn intervention_words(&self, scenario: &Scenario) -> (Vec<String>, Vec<String>) {
        let Some(e) = self.exercise.as_deref() else {
            return (Vec::new(), Vec::new());
        };
        let room = self
            .decisions
            .iter()
            .filter_map(|d| {
                d.action
                    .map(|i| e.intervention_text(scenario, &i))
                    .or_else(|| d.unread_action.clone())
            })
            .collect();
        let curveballs = self
            .fired
            .iter()
            .map(|f| e.intervention_text(scenario, &f.curveball))
            .collect();
        (room, curveballs)
    }

    /// Both lists in one, curveballs prefixed `curveball:`: what a Monte Carlo job of the
    /// room's day is sent.
    pub fn intervention_texts(&self, scenario: &Scenario) -> Vec<String> {
        let (room, curveballs) = self.intervention_words(scenario);
        room.into_iter()
            .chain(curveballs.into_iter().map(|c| format!("curveball:{c}")))
            .collect()
    }

    /// Follows the clock: a new inject at the clock sets the inject timer to its minutes, and
    /// moving on past the inject of the last reveal ends its undo.
    pub fn follow_clock(&mut self, now: SimTime) {
        let current = self.current(now);
        if current != self.timer_inject {
            if let (Some(k), Some(e)) = (current, &self.exercise) {
                let minutes = e.injects[k].discuss_minutes.max(1);
                self.inject_timer.set(i64::from(minutes) * MINUTE);
            }
            self.timer_inject = current;
        }
        if self.undo.is_some_and(|u| current > u.inject) {
            self.undo = None;
        }
    }

    /// Applies `action`, given the replay's playhead; returns where the playhead should go, if
    /// the action moves it.
    pub fn reduce(
        &mut self,
        action: ExerciseAction,
        now: SimTime,
        scenario: &Scenario,
    ) -> Result<Option<Move>, String> {
        match action {
            ExerciseAction::NextInject => {
                let e = self.exercise.as_deref().ok_or(NO_EXERCISE)?;
                let k = next_live_inject(e, now, &self.overtaken).ok_or(
                    "This was the last inject of the room's day: reveal the outcome for the debrief.",
                )?;
                return Ok(Some(Move::To(e.injects[k].at)));
            }
            ExerciseAction::PrevInject => {
                let e = self.exercise.as_deref().ok_or(NO_EXERCISE)?;
                let before = live_inject_at(e, now, &self.overtaken)
                    .and_then(|k| live_inject_at(e, e.injects[k].at - 1, &self.overtaken));
                return Ok(Some(match before {
                    Some(k) => Move::To(e.injects[k].at),
                    None => Move::Start,
                }));
            }
            ExerciseAction::GoToInject(k) => {
                let e = self.exercise.as_deref().ok_or(NO_EXERCISE)?;
                return Ok(e.injects.get(k).map(|i| Move::To(i.at)));
            }
            ExerciseAction::Ask(ask) => {
                if let Ask::Curveball(id) = ask {
                    let e = self.exercise.as_deref().ok_or(NO_EXERCISE)?;
                    e.curveball_card(id)
                        .ok_or_else(|| format!("This exercise has no curveball '{}'.", id.id()))?;
                }
                self.asking = Some(ask);
            }
            ExerciseAction::Answer {
                confirmed,
                wall_ms,
                id,
            } => {
                let Some(ask) = self.asking.take() else {
                    return Ok(None);
                };
                if !confirmed {
                    return Ok(None);
                }
                return self.confirmed(ask, now, wall_ms, id, scenario);
            }
            ExerciseAction::UndoReveal => {
                let Some(undo) = self.undo.take() else {
                    return Err("There is no reveal to take back since the last inject.".into());
                };
                match undo.reveal {
                    Reveal::Outcome { before } => self.reveals = before,
                    Reveal::JumpToEnd { from } => return Ok(Some(Move::To(from))),
                    Reveal::Curveball { id } => self.fired.retain(|f| f.id != id),
                }
            }
            ExerciseAction::HideOutcome => {
                self.reveals.outcome_at = None;
                if matches!(
                    self.undo,
                    Some(Undo {
                        reveal: Reveal::Outcome { .. },
                        ..
                    })
                ) {
                    self.undo = None;
                }
            }
            ExerciseAction::ToggleBlank => self.blank = !self.blank,
            ExerciseAction::InjectTimer(t, wall) => timer(&mut self.inject_timer, t, wall),
            ExerciseAction::ExerciseTimer(t, wall) => timer(&mut self.exercise_timer, t, wall),
            ExerciseAction::EditDraft(draft) => self.draft = draft.bounded(),
            ExerciseAction::EditDraftField(field, value) => {
                let mut draft = std::mem::take(&mut self.draft);
                *draft.field_mut(field) = value;
                self.draft = draft.bounded();
            }
            ExerciseAction::LogDecision { .. } if self.decisions.len() >= MAX_DECISIONS => {
                return Err(format!(
                    "The log holds at most {MAX_DECISIONS} decisions; delete one to add another."
                ));
            }
            ExerciseAction::LogDecision { wall_ms, id } => {
                let draft = std::mem::take(&mut self.draft);
                if draft.text.trim().is_empty() && draft.action.is_empty() {
                    self.draft = draft;
                    return Err("Write what the room decided (or choose an action) before adding it to the log.".into());
                }
                let at = to_second(now);
                let action = if draft.action.is_empty() {
                    None
                } else {
                    match self
                        .read_action(scenario, at, &draft.action)
                        .and_then(|i| self.offered(scenario, i).map(|()| i))
                    {
                        Ok(action) => Some(action),
                        Err(e) => {
                            self.draft = draft;
                            return Err(e);
                        }
                    }
                };
                self.decisions.push(Decision {
                    id,
                    at,
                    wall_ms,
                    role: draft.role.clone(),
                    text: draft.text.trim().to_string(),
                    rationale: draft.rationale.trim().to_string(),
                    inject: self.current_id(now),
                    action,
                    unread_action: None,
                });
                // The next decision likely comes from the same role.
                self.draft.role = draft.role;
            }
            ExerciseAction::EditDecision(decision) => {
                let decision = decision.bounded();
                if let Some(d) = self.decisions.iter_mut().find(|d| d.id == decision.id) {
                    // The moment and the action are what the room's day rests on: kept.
                    d.role = decision.role;
                    d.text = decision.text;
                    d.rationale = decision.rationale;
                }
            }
            ExerciseAction::DeleteDecision(id) => self.decisions.retain(|d| d.id != id),
            ExerciseAction::ToggleHeard(point) => {
                if let Some(k) = self.heard.iter().position(|h| *h == point) {
                    self.heard.remove(k);
                } else if self.heard.len() < MAX_HEARD {
                    self.heard.push(point);
                }
            }
            ExerciseAction::EditNotes(notes) => self.notes = notes.bounded(),
            ExerciseAction::NewExercise { session } => {
                let mut fresh = ExerciseState::new(scenario);
                fresh.mode = self.mode;
                fresh.session = session;
                fresh.save_problem = self.save_problem.clone();
                *self = fresh;
                return Ok(Some(Move::Start));
            }
            ExerciseAction::Merge(stored) => {
                // The console follows another console's position; a page exploring the replay
                // keeps its own.
                let moved = stored
                    .room
                    .now
                    .filter(|&t| t != now && self.mode == Mode::Facilitate);
                self.restore(*stored, scenario);
                return Ok(moved.map(Move::To));
            }
            ExerciseAction::KeepRanges(ranges) => self.ranges = Some(ranges),
            ExerciseAction::Saved(problem) => self.save_problem = problem,
        }
        Ok(None)
    }

    fn confirmed(
        &mut self,
        ask: Ask,
        now: SimTime,
        wall_ms: f64,
        id: u64,
        scenario: &Scenario,
    ) -> Result<Option<Move>, String> {
        let inject = self.current(now);
        match ask {
            Ask::RevealOutcome => {
                let before = self.reveals;
                self.reveals.outcome_at = Some(now);
                self.undo = Some(Undo {
                    reveal: Reveal::Outcome { before },
                    inject,
                });
            }
            Ask::JumpToEnd => {
                let last = self
                    .exercise
                    .as_deref()
                    .and_then(|e| e.injects.len().checked_sub(1));
                self.undo = Some(Undo {
                    reveal: Reveal::JumpToEnd { from: now },
                    inject: last.max(inject),
                });
                return Ok(Some(Move::End));
            }
            Ask::Curveball(_) if self.fired.len() >= MAX_FIRED => {
                return Err(format!(
                    "At most {MAX_FIRED} curveballs are fired in one exercise."
                ));
            }
            Ask::Curveball(card) => {
                let e = self.exercise.as_deref().ok_or(NO_EXERCISE)?;
                let at = to_second(now);
                let text = format!("{}={}", time_text(scenario, at), card.id());
                let curveball = e
                    .parse_intervention(scenario, &text, true)
                    .map_err(|e| e.to_string())?;
                self.fired.push(Fired {
                    id,
                    curveball,
                    wall_ms,
                });
                self.undo = Some(Undo {
                    reveal: Reveal::Curveball { id },
                    inject,
                });
            }
            // Archiving the exercise that ends is the caller's (it writes to storage); it then
            // sends `NewExercise`.
            Ask::NewExercise => {}
        }
        Ok(None)
    }
    /// Whether the room could take this action at its moment (the model's rules,
    /// `outage_sim::branches`): an action the room could not know to take yet, or that would
    /// change nothing, is not offered; one decided before the impact is a prevention exercise,
    /// and is.
    fn offered(&self, scenario: &Scenario, i: Intervention) -> Result<(), String> {
        use outage_sim::branches::{room_options, safeguard_options, Availability};
        let exercise = self.exercise.as_deref().ok_or(NO_EXERCISE)?;
        let so_far = self.interventions();
        let config = outage_sim::Config::none();
        // Judged once the room has heard what happens at the moment (an inject's events come
        // at the same instant, after a decision in the engine's order).
        let at = i.at + HEARD;
        let availability = match i.kind {
            InterventionKind::Room(outage_sim::intervention::RoomAction::EnableSafeguard {
                safeguard,
                ..
            }) => safeguard_options(scenario, &config, so_far.as_slice(), self.seed, at)
                .ok()
                .and_then(|o| o.into_iter().find(|o| o.safeguard == safeguard))
                .map(|o| o.availability),
            InterventionKind::Room(action) => room_options(
                scenario,
                exercise,
                &config,
                so_far.as_slice(),
                self.seed,
                at,
            )
            .ok()
            .and_then(|o| o.into_iter().find(|o| o.action == action.id()))
            .map(|o| o.availability),
            InterventionKind::Curveball(_) => None,
        };
        match availability {
            Some(a @ Availability::NoEffect { .. })
            | Some(
                a @ Availability::NotYet {
                    prevention_exercise: false,
                    ..
                },
            ) => Err(format!(
                "The action was not added: {}. Log it as a note, or decide it when it can be taken.",
                a.describe()
            )),
            _ => Ok(()),
        }
    }

    /// The room action a draft's choice means at `at`, with the exercise's numbers.
    fn read_action(
        &self,
        scenario: &Scenario,
        at: SimTime,
        choice: &str,
    ) -> Result<Intervention, String> {
        let exercise = self.exercise.as_deref().ok_or(NO_EXERCISE)?;
        let text = format!("{}={choice}", time_text(scenario, at));
        exercise
            .parse_intervention(scenario, &text, false)
            .map_err(|e| format!("The action was not added: {e}"))
    }
}

const NO_EXERCISE: &str = "This scenario has no exercise.";

/// What the room could do is judged this long after the clock: the room decides after hearing
/// what happened at the moment (at an inject, the record's events of that instant), which the
/// engine orders after a decision of the same instant. Decided at the moment itself, an action
/// that opens then acts at once all the same (it waits for the same instant).
pub const HEARD: SimTime = SECOND;

/// A moment to the whole second before it: decisions and curveballs are kept to the second, so
/// their text form (the command line's) is exact.
fn to_second(t: SimTime) -> SimTime {
    t.div_euclid(SECOND) * SECOND
}

/// A moment as the command line reads it: `15:40` on a whole minute of the incident's day,
/// RFC 3339 otherwise.
pub fn time_text(scenario: &Scenario, t: SimTime) -> String {
    if t % MINUTE == 0 && scenario.clock.on_origin_date(t, false) {
        scenario.clock.hhmm_local(t)
    } else {
        scenario.clock.rfc3339(t)
    }
}

fn timer(countdown: &mut Countdown, action: TimerAction, wall: f64) {
    match action {
        TimerAction::Start => countdown.start(wall),
        TimerAction::Pause => countdown.pause(wall),
        TimerAction::Set(minutes) => countdown.set(i64::from(minutes.clamp(1, 600)) * MINUTE),
        TimerAction::AddMinute => countdown.add(MINUTE, wall),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::intervention::CurveballId;
    use outage_sim::scenario::builtin;

    fn setup() -> (Scenario, ExerciseState) {
        let scenario = builtin("eptura-2024-07-10").unwrap();
        let mut state = ExerciseState::new(&scenario);
        state.mode = Mode::Facilitate;
        (scenario, state)
    }

    /// Applies an action the way the root reducer does: the playhead follows the move.
    fn step(
        e: &mut ExerciseState,
        s: &Scenario,
        now: &mut SimTime,
        a: ExerciseAction,
    ) -> Result<(), String> {
        let moved = e.reduce(a, *now, s)?;
        *now = match moved {
            Some(Move::To(t)) => t,
            Some(Move::Start) => s.clock.on_origin_day(14, 15),
            Some(Move::End) => s.clock.on_origin_day(18, 15),
            None => *now,
        };
        e.follow_clock(*now);
        Ok(())
    }

    fn answer(yes: bool, id: u64) -> ExerciseAction {
        ExerciseAction::Answer {
            confirmed: yes,
            wall_ms: 1.0,
            id,
        }
    }

    #[test]
    fn the_inject_is_the_one_at_the_clock_both_ways() {
        let (s, mut e) = setup();
        let mut now = s.clock.on_origin_day(14, 15);
        assert_eq!(e.current(now), None);
        step(&mut e, &s, &mut now, ExerciseAction::NextInject).unwrap();
        assert_eq!(s.clock.hhmm_local(now), "15:34");
        assert_eq!(
            e.inject_timer.set_to_ms,
            8 * MINUTE,
            "the inject's own minutes"
        );
        for _ in 0..3 {
            step(&mut e, &s, &mut now, ExerciseAction::NextInject).unwrap();
        }
        assert_eq!(e.current_id(now).as_deref(), Some("reinstated"));
        // Back: the inject (and its timer) follow the clock; nothing of 17:01 stays current.
        step(&mut e, &s, &mut now, ExerciseAction::PrevInject).unwrap();
        assert_eq!(e.current_id(now).as_deref(), Some("paged"));
        assert_eq!(e.inject_timer.set_to_ms, 10 * MINUTE);
        step(&mut e, &s, &mut now, ExerciseAction::GoToInject(0)).unwrap();
        step(&mut e, &s, &mut now, ExerciseAction::PrevInject).unwrap();
        assert_eq!(e.current(now), None, "before the first inject");
        for _ in 0..7 {
            step(&mut e, &s, &mut now, ExerciseAction::NextInject).unwrap();
        }
        assert!(step(&mut e, &s, &mut now, ExerciseAction::NextInject)
            .unwrap_err()
            .contains("last inject"));
    }

    #[test]
    fn reveals_are_asked_first_and_can_be_taken_back_until_the_next_inject() {
        let (s, mut e) = setup();
        let mut now = s.clock.on_origin_day(15, 46);
        e.follow_clock(now);
        // Asked, then cancelled: nothing shown.
        step(
            &mut e,
            &s,
            &mut now,
            ExerciseAction::Ask(Ask::RevealOutcome),
        )
        .unwrap();
        assert_eq!(e.asking, Some(Ask::RevealOutcome));
        step(&mut e, &s, &mut now, answer(false, 1)).unwrap();
        assert_eq!((e.asking, e.reveals.outcome_at), (None, None));
        // Confirmed: revealed from now; taken back.
        step(
            &mut e,
            &s,
            &mut now,
            ExerciseAction::Ask(Ask::RevealOutcome),
        )
        .unwrap();
        step(&mut e, &s, &mut now, answer(true, 1)).unwrap();
        assert_eq!(e.reveals.outcome_at, Some(now));
        step(&mut e, &s, &mut now, ExerciseAction::UndoReveal).unwrap();
        assert_eq!(e.reveals.outcome_at, None);
        assert!(
            e.reduce(ExerciseAction::UndoReveal, now, &s).is_err(),
            "only once"
        );
        // Jumping to the end: asked, then taken back to where the clock was.
        let before = now;
        step(&mut e, &s, &mut now, ExerciseAction::Ask(Ask::JumpToEnd)).unwrap();
        step(&mut e, &s, &mut now, answer(true, 2)).unwrap();
        assert_eq!(e.current_id(now).as_deref(), Some("resolved"));
        step(&mut e, &s, &mut now, ExerciseAction::UndoReveal).unwrap();
        assert_eq!(now, before);
        // A curveball: asked, fired, undone; fired again and the next inject ends the undo.
        step(
            &mut e,
            &s,
            &mut now,
            ExerciseAction::Ask(Ask::Curveball(CurveballId::ImageMissing)),
        )
        .unwrap();
        assert!(e.fired.is_empty(), "not before it is confirmed");
        step(&mut e, &s, &mut now, answer(true, 3)).unwrap();
        assert_eq!(e.fired.len(), 1);
        assert_eq!(e.fired[0].curveball.at, now);
        step(&mut e, &s, &mut now, ExerciseAction::UndoReveal).unwrap();
        assert!(e.fired.is_empty());
        step(
            &mut e,
            &s,
            &mut now,
            ExerciseAction::Ask(Ask::Curveball(CurveballId::ImageMissing)),
        )
        .unwrap();
        step(&mut e, &s, &mut now, answer(true, 4)).unwrap();
        assert!(e.undo.is_some());
        step(&mut e, &s, &mut now, ExerciseAction::NextInject).unwrap();
        assert_eq!(e.undo, None, "the next inject ends the undo");
        assert!(e.reduce(ExerciseAction::UndoReveal, now, &s).is_err());
        assert_eq!(e.fired.len(), 1);
    }

    #[test]
    fn decisions_are_typed_once_and_the_draft_is_kept_when_refused() {
        let (s, mut e) = setup();
        // At 15:40 nobody suspects a change yet: a rollback is not offered, and says why.
        let early = s.clock.on_origin_day(15, 40);
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                text: "Roll back".into(),
                action: "roll_back".into(),
                ..Draft::default()
            }),
            early,
            &s,
        )
        .unwrap();
        let refused = e
            .reduce(
                ExerciseAction::LogDecision {
                    wall_ms: 1.0,
                    id: 8,
                },
                early,
                &s,
            )
            .unwrap_err();
        assert!(refused.contains("not yet"), "{refused}");
        assert_eq!(e.draft.action, "roll_back", "the draft is kept");
        // Before the impact it is a prevention exercise, and is logged.
        let before = s.clock.on_origin_day(14, 20);
        e.reduce(
            ExerciseAction::LogDecision {
                wall_ms: 1.0,
                id: 7,
            },
            before,
            &s,
        )
        .unwrap();
        e.reduce(ExerciseAction::DeleteDecision(7), before, &s)
            .unwrap();
        let now = s.clock.on_origin_day(15, 46) + 12_345;
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                role: "Cloud Operations".into(),
                text: "Roll back now".into(),
                rationale: "The merge is the likely cause".into(),
                action: "roll_back".into(),
            }),
            now,
            &s,
        )
        .unwrap();
        e.reduce(
            ExerciseAction::LogDecision {
                wall_ms: 1.0e12,
                id: 9,
            },
            now,
            &s,
        )
        .unwrap();
        let d = &e.decisions[0];
        assert_eq!(
            d.at,
            s.clock.on_origin_day(15, 46) + 12_000,
            "to the second"
        );
        assert!(matches!(
            d.action.map(|i| i.kind),
            Some(InterventionKind::Room(
                outage_sim::intervention::RoomAction::RollBack
            ))
        ));
        assert_eq!(e.draft.role, "Cloud Operations", "kept for the next one");
        assert_eq!(e.interventions().len(), 1);
        assert_eq!(
            e.intervention_words(&s).0,
            ["2024-07-10T15:46:12-05:00=roll_back"]
        );
        // A refused action keeps the draft.
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                text: "Switch on something".into(),
                action: "enable_safeguard:nonsense".into(),
                ..Draft::default()
            }),
            now,
            &s,
        )
        .unwrap();
        assert!(e
            .reduce(
                ExerciseAction::LogDecision {
                    wall_ms: 1.0,
                    id: 10
                },
                now,
                &s
            )
            .is_err());
        assert_eq!(e.draft.text, "Switch on something");
        assert_eq!(e.decisions.len(), 1);
        // Editing keeps the moment and the action.
        let mut edited = e.decisions[0].clone();
        edited.text = "Roll back to last week".into();
        edited.at = 0;
        edited.action = None;
        e.reduce(ExerciseAction::EditDecision(edited), now, &s)
            .unwrap();
        assert_eq!(e.decisions[0].text, "Roll back to last week");
        assert!(e.decisions[0].action.is_some() && e.decisions[0].at != 0);
        e.reduce(ExerciseAction::DeleteDecision(9), now, &s)
            .unwrap();
        assert!(e.decisions.is_empty());
    }

    #[test]
    fn a_new_exercise_clears_everything_but_the_mode() {
        let (s, mut e) = setup();
        let mut now = s.clock.on_origin_day(15, 46);
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                text: "x".into(),
                ..Draft::default()
            }),
            now,
            &s,
        )
        .unwrap();
        e.reduce(
            ExerciseAction::LogDecision {
                wall_ms: 1.0,
                id: 1,
            },
            now,
            &s,
        )
        .unwrap();
        step(
            &mut e,
            &s,
            &mut now,
            ExerciseAction::Ask(Ask::RevealOutcome),
        )
        .unwrap();
        step(&mut e, &s, &mut now, answer(true, 2)).unwrap();
        e.reduce(ExerciseAction::ToggleBlank, now, &s).unwrap();
        e.reduce(
            ExerciseAction::InjectTimer(TimerAction::Start, 5.0),
            now,
            &s,
        )
        .unwrap();
        let session = Session {
            id: 77,
            started_ms: 9.0,
        };
        step(
            &mut e,
            &s,
            &mut now,
            ExerciseAction::NewExercise { session },
        )
        .unwrap();
        assert_eq!(
            s.clock.hhmm_local(now),
            "14:15",
            "back before the first inject"
        );
        assert!(e.decisions.is_empty() && e.fired.is_empty());
        assert_eq!(
            (e.reveals, e.blank, e.undo),
            (Reveals::default(), false, None)
        );
        assert!(!e.inject_timer.is_running());
        assert_eq!(e.session, session);
        assert_eq!(e.mode, Mode::Facilitate);
    }

    #[test]
    fn a_choice_made_right_after_typing_keeps_what_was_typed() {
        // The form sends each field on its own; the reducer applies it to the draft as it is,
        // so an action chosen before the form was drawn again does not take the text back.
        let (s, mut e) = setup();
        let now = s.clock.on_origin_day(15, 35);
        for (field, value) in [
            (DraftField::Text, "Page the on-call engineer now"),
            (DraftField::Action, "page_on_call"),
            (DraftField::Role, "Incident commander"),
        ] {
            e.reduce(ExerciseAction::EditDraftField(field, value.into()), now, &s)
                .unwrap();
        }
        assert_eq!(e.draft.text, "Page the on-call engineer now");
        assert_eq!(e.draft.action, "page_on_call");
        e.reduce(
            ExerciseAction::LogDecision {
                wall_ms: 0.0,
                id: 1,
            },
            now,
            &s,
        )
        .unwrap();
        let logged = &e.decisions[0];
        assert_eq!(logged.text, "Page the on-call engineer now");
        assert_eq!(logged.role, "Incident commander");
        assert!(logged.action.is_some());
        // Within the table of limits, like a whole draft.
        e.reduce(
            ExerciseAction::EditDraftField(DraftField::Text, "x".repeat(MAX_DECISION_CHARS + 5)),
            now,
            &s,
        )
        .unwrap();
        assert_eq!(e.draft.text.chars().count(), MAX_DECISION_CHARS);
    }

    #[test]
    fn the_fullest_log_the_console_accepts_can_be_kept() {
        // Every decision at its longest, in the characters that cost the most once written as
        // JSON (an ESC becomes `\u001b`), the most decisions, curveballs, ticks, notes,
        // observations and plan rows the table of limits allows: the record still fits, and
        // reads back as it was.
        use crate::state::exercise_store::{Stored, EXERCISE_RECORD};
        use outage_sim::limits::{MAX_NOTE_CHARS, MAX_OBSERVATIONS, MAX_PLAN_ITEMS};
        let (s, mut e) = setup();
        let mut now = s.clock.on_origin_day(15, 35);
        let longest = |n: usize| "\u{1b}".repeat(n + 10);
        for k in 0..MAX_DECISIONS {
            let draft = Draft {
                role: longest(MAX_ROLE_CHARS),
                text: longest(MAX_DECISION_CHARS),
                rationale: longest(MAX_DECISION_CHARS),
                action: if k == 0 {
                    "page_on_call:ack_delay_s=123".into()
                } else {
                    String::new()
                },
            };
            e.reduce(ExerciseAction::EditDraft(draft), now, &s).unwrap();
            e.reduce(
                ExerciseAction::LogDecision {
                    wall_ms: k as f64,
                    id: k as u64 + 1,
                },
                now,
                &s,
            )
            .unwrap();
        }
        assert_eq!(e.decisions.len(), MAX_DECISIONS);
        assert_eq!(e.decisions[1].text.chars().count(), MAX_DECISION_CHARS);
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                text: "one more".into(),
                ..Draft::default()
            }),
            now,
            &s,
        )
        .unwrap();
        assert!(e
            .reduce(
                ExerciseAction::LogDecision {
                    wall_ms: 0.0,
                    id: 0
                },
                now,
                &s
            )
            .unwrap_err()
            .contains(&format!("at most {MAX_DECISIONS} decisions")));
        let card = e.exercise.as_ref().unwrap().curveballs[0].id;
        for k in 0..MAX_FIRED + 3 {
            let _ = step(
                &mut e,
                &s,
                &mut now,
                ExerciseAction::Ask(Ask::Curveball(card)),
            );
            let _ = step(&mut e, &s, &mut now, answer(true, 1_000 + k as u64));
        }
        assert_eq!(e.fired.len(), MAX_FIRED);
        for k in 0..MAX_HEARD + 5 {
            e.reduce(
                ExerciseAction::ToggleHeard(Heard {
                    inject: longest(MAX_ID_CHARS),
                    point: k,
                }),
                now,
                &s,
            )
            .unwrap();
        }
        assert_eq!(e.heard.len(), MAX_HEARD);
        let text = longest(MAX_NOTE_CHARS);
        let notes = Notes {
            name: text.clone(),
            date: text.clone(),
            facilitator: text.clone(),
            participants: text.clone(),
            logistics: text.clone(),
            hot_wash: text.clone(),
            ratings: (0..10)
                .map(|k| Rating {
                    objective: format!("objective-{k}"),
                    grade: Grade::M,
                })
                .collect(),
            observations: vec![
                Observation {
                    id: 1,
                    kind: ObservationKind::Improvement,
                    objective: text.clone(),
                    text: text.clone(),
                    analysis: text.clone(),
                    recommendation: text.clone(),
                };
                MAX_OBSERVATIONS + 5
            ],
            plan: vec![
                PlanItem {
                    id: 1,
                    issue: text.clone(),
                    recommendation: text.clone(),
                    corrective_action: text.clone(),
                    capability: text.clone(),
                    responsible: text.clone(),
                    start: text.clone(),
                    completion: text.clone(),
                    status: PlanStatus::InProgress,
                };
                MAX_PLAN_ITEMS + 5
            ],
        };
        e.reduce(ExerciseAction::EditNotes(notes), now, &s).unwrap();
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                role: longest(MAX_ROLE_CHARS),
                text: longest(MAX_DECISION_CHARS),
                rationale: longest(MAX_DECISION_CHARS),
                action: "enable_safeguard:uptime_check".into(),
            }),
            now,
            &s,
        )
        .unwrap();
        let stored = e.stored(&s, now);
        let raw = crate::storage::write_envelope(EXERCISE_RECORD, &stored);
        assert!(
            raw.len() <= EXERCISE_RECORD.max_bytes,
            "{} bytes, record of {}",
            raw.len(),
            EXERCISE_RECORD.max_bytes
        );
        let back: Stored = crate::storage::read_envelope(EXERCISE_RECORD, &raw).unwrap();
        assert_eq!(back, stored);
    }
}
