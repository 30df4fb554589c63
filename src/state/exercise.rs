//! The facilitated exercise: the mode the page is in (exploring, the facilitator's console, or
//! the room's projector), where the room is (the current inject, how far the day has been
//! revealed, whether the outcome is shown), the timers, and what the room decided (the decision
//! log, with the response actions that change the room's day) and what the facilitator threw at
//! it (curveballs). What the facilitator writes for the report (participants, strengths, areas
//! for improvement, the improvement plan) lives here too.
//!
//! The decision log and the report notes are kept in local storage as they are typed (see
//! `storage`); the slice's `Stored` part is what is kept.

use outage_sim::exercise::Exercise;
use outage_sim::intervention::{Intervention, Interventions};
use outage_sim::scenario::Scenario;
use outage_sim::time::{SimTime, MINUTE};
use serde::{Deserialize, Serialize};

use super::countdown::Countdown;
use super::Shared;
use crate::storage::Record;
use outage_sim::limits::{
    MAX_DECISIONS, MAX_DECISION_CHARS, MAX_FIRED, MAX_ID_CHARS, MAX_NOTE_CHARS, MAX_PLAN_ITEMS,
    MAX_ROLE_CHARS,
};

/// How the page is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Replay, what-if and analysis, for anyone.
    Explore,
    /// The facilitator's console: everything, with the exercise's controls.
    Facilitate,
    /// The room's view on a projector: only what has been revealed, in large type.
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
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
    /// The response action it takes in the model, as the command line writes it
    /// (`15:40=roll_back`), if any.
    pub action: Option<String>,
}

/// A curveball the facilitator fired, as the command line writes it (`15:30=looper_fails`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fired {
    pub text: String,
    pub wall_ms: f64,
}

/// A row of the improvement plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    pub action: String,
    pub owner: String,
    pub due: String,
    /// The safeguard it relates to (its id), if any.
    pub safeguard: String,
}

/// What the facilitator writes for the after-action report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Notes {
    pub name: String,
    pub date: String,
    pub facilitator: String,
    /// One participant per line: `Name — role`.
    pub participants: String,
    /// One per line.
    pub strengths: String,
    /// One per line.
    pub improvements: String,
    pub plan: Vec<PlanItem>,
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

impl Draft {
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
            &mut self.strengths,
            &mut self.improvements,
        ] {
            *text = cut(std::mem::take(text), MAX_NOTE_CHARS);
        }
        self.plan.truncate(MAX_PLAN_ITEMS);
        for item in &mut self.plan {
            for text in [
                &mut item.action,
                &mut item.owner,
                &mut item.due,
                &mut item.safeguard,
            ] {
                *text = cut(std::mem::take(text), MAX_DECISION_CHARS);
            }
        }
        self
    }
}

/// The text of the decision being written, kept as it is typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub role: String,
    pub text: String,
    pub rationale: String,
    /// An action id (`roll_back`, `enable_safeguard:uptime_check`), or empty.
    pub action: String,
}

/// What is kept in local storage: everything the room and the facilitator produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub decisions: Vec<Decision>,
    pub fired: Vec<Fired>,
    pub draft: Draft,
    pub notes: Notes,
    pub next_id: u64,
    pub current: Option<usize>,
    pub revealed_until: Option<SimTime>,
    pub outcome_revealed: bool,
}

/// The stored record of the exercise (a long exercise's log is a few tens of kB; the limit is
/// the fullest log the table of limits allows).
pub const EXERCISE_RECORD: Record = Record {
    key: "outage-drill:exercise",
    schema: 1,
    max_bytes: outage_sim::limits::EXERCISE_LOG_BYTES,
    what: "the exercise's decision log",
};

#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseState {
    pub exercise: Option<Shared<Exercise>>,
    pub mode: Mode,
    /// Index of the latest inject the room has reached.
    pub current: Option<usize>,
    /// The furthest simulated moment the room has been shown.
    pub revealed_until: SimTime,
    /// The outcome and the metrics are shown to the room.
    pub outcome_revealed: bool,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
    pub decisions: Vec<Decision>,
    pub fired: Vec<Fired>,
    pub draft: Draft,
    pub notes: Notes,
    next_id: u64,
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
    /// Moves to the next inject (the replay follows).
    NextInject,
    /// Goes back to an inject.
    GoToInject(usize),
    /// Timers; the wall-clock time (ms since the epoch) is an input.
    InjectTimer(TimerAction, f64),
    ExerciseTimer(TimerAction, f64),
    EditDraft(Draft),
    /// Logs the draft as a decision at the current moment, at this wall-clock time.
    LogDecision(f64),
    EditDecision(Decision),
    DeleteDecision(u64),
    /// Fires a curveball (its id) at the current moment, at this wall-clock time.
    FireCurveball(String, f64),
    /// Takes back the last curveball fired.
    UndoCurveball,
    RevealOutcome(bool),
    EditNotes(Notes),
    /// Starts a new exercise: the log and notes are cleared (after the facilitator confirmed).
    Clear,
}

impl ExerciseState {
    pub fn new(scenario: &Scenario) -> ExerciseState {
        let exercise = crate::builtin::exercise_for(scenario).map(Shared::new);
        let minutes = exercise.as_ref().map_or(60, |e| e.duration_minutes);
        ExerciseState {
            exercise,
            mode: Mode::Explore,
            current: None,
            revealed_until: SimTime::MIN,
            outcome_revealed: false,
            inject_timer: Countdown::new(5 * MINUTE),
            exercise_timer: Countdown::new(i64::from(minutes) * MINUTE),
            decisions: Vec::new(),
            fired: Vec::new(),
            draft: Draft::default(),
            notes: Notes::default(),
            next_id: 1,
        }
    }

    /// What is kept of it.
    pub fn stored(&self) -> Stored {
        Stored {
            decisions: self.decisions.clone(),
            fired: self.fired.clone(),
            draft: self.draft.clone(),
            notes: self.notes.clone(),
            next_id: self.next_id,
            current: self.current,
            revealed_until: (self.revealed_until != SimTime::MIN).then_some(self.revealed_until),
            outcome_revealed: self.outcome_revealed,
        }
    }

    /// Takes back what was kept.
    pub fn restore(&mut self, stored: Stored) {
        let injects = self.exercise.as_ref().map_or(0, |e| e.injects.len());
        self.decisions = stored.decisions;
        self.fired = stored.fired;
        self.draft = stored.draft;
        self.notes = stored.notes;
        let highest = self.decisions.iter().map(|d| d.id).max().unwrap_or(0);
        self.next_id = stored.next_id.max(highest + 1);
        self.current = stored.current.filter(|&i| i < injects);
        self.revealed_until = stored.revealed_until.unwrap_or(SimTime::MIN);
        self.outcome_revealed = stored.outcome_revealed;
    }

    /// The times of the injects, in order.
    pub fn inject_times(&self) -> Vec<SimTime> {
        self.exercise
            .as_ref()
            .map(|e| e.injects.iter().map(|i| i.at).collect())
            .unwrap_or_default()
    }

    /// The interventions of the room's day (decisions with an action, and curveballs), and the
    /// texts that could not be read (only possible from edited stored data).
    pub fn interventions(&self, scenario: &Scenario) -> (Interventions, Vec<String>) {
        let Some(exercise) = &self.exercise else {
            return (Interventions::NONE, Vec::new());
        };
        let mut list: Vec<Intervention> = Vec::new();
        let mut unreadable = Vec::new();
        let texts = self
            .decisions
            .iter()
            .filter_map(|d| d.action.as_deref().map(|a| (a, false)))
            .chain(self.fired.iter().map(|f| (f.text.as_str(), true)));
        for (text, curveball) in texts {
            match exercise.parse_intervention(scenario, text, curveball) {
                Ok(i) => list.push(i),
                Err(e) => unreadable.push(format!("'{text}': {e}")),
            }
        }
        let interventions = Interventions::new(list).unwrap_or(Interventions::NONE);
        (interventions, unreadable)
    }

    /// The intervention texts, as the command line and links write them.
    pub fn intervention_texts(&self) -> Vec<String> {
        self.decisions
            .iter()
            .filter_map(|d| d.action.clone())
            .chain(self.fired.iter().map(|f| format!("curveball:{}", f.text)))
            .collect()
    }

    /// Notes that a moment has been shown to the room; reaching an inject makes it current.
    pub fn reached(&mut self, now: SimTime) {
        self.revealed_until = self.revealed_until.max(now);
        let reached = self
            .inject_times()
            .iter()
            .rposition(|&at| at <= self.revealed_until);
        if reached > self.current || self.current.is_none() {
            if let (Some(k), Some(exercise)) = (reached, &self.exercise) {
                if Some(k) != self.current {
                    self.current = Some(k);
                    let minutes = exercise.injects[k].discuss_minutes.max(1);
                    self.inject_timer.set(i64::from(minutes) * MINUTE);
                }
            }
        }
    }

    /// The next inject's time after `now`, where playback stops.
    pub fn next_stop(&self, now: SimTime) -> Option<SimTime> {
        self.inject_times().into_iter().find(|&at| at > now)
    }

    /// Applies `action`, given the replay's playhead; returns the playhead the replay should
    /// move to, if the action moves it.
    pub fn reduce(
        &mut self,
        action: ExerciseAction,
        now: SimTime,
        scenario: &Scenario,
    ) -> Result<Option<SimTime>, String> {
        match action {
            ExerciseAction::NextInject => {
                let times = self.inject_times();
                let next = match self.current {
                    Some(k) => k + 1,
                    None => 0,
                };
                let Some(&at) = times.get(next) else {
                    return Err("This was the last inject of the exercise.".into());
                };
                self.reached(at);
                self.current = Some(next);
                return Ok(Some(at));
            }
            ExerciseAction::GoToInject(k) => {
                let Some(&at) = self.inject_times().get(k) else {
                    return Ok(None);
                };
                if at > self.revealed_until {
                    self.reached(at);
                }
                self.current = Some(k);
                return Ok(Some(at));
            }
            ExerciseAction::InjectTimer(t, wall) => timer(&mut self.inject_timer, t, wall),
            ExerciseAction::ExerciseTimer(t, wall) => timer(&mut self.exercise_timer, t, wall),
            ExerciseAction::EditDraft(draft) => self.draft = draft.bounded(),
            ExerciseAction::LogDecision(_) if self.decisions.len() >= MAX_DECISIONS => {
                return Err(format!(
                    "The log holds at most {MAX_DECISIONS} decisions; delete one to add another."
                ));
            }
            ExerciseAction::LogDecision(wall_ms) => {
                let draft = std::mem::take(&mut self.draft);
                if draft.text.trim().is_empty() && draft.action.is_empty() {
                    self.draft = draft;
                    return Err("Write what the room decided (or choose an action) before adding it to the log.".into());
                }
                let action = if draft.action.is_empty() {
                    None
                } else {
                    match self.action_text(scenario, now, &draft.action) {
                        Ok(text) => Some(text),
                        Err(e) => {
                            self.draft = draft;
                            return Err(e);
                        }
                    }
                };
                let inject = self
                    .current
                    .and_then(|k| Some(self.exercise.as_ref()?.injects.get(k)?.id.clone()));
                self.decisions.push(Decision {
                    id: self.next_id,
                    at: now,
                    wall_ms,
                    role: draft.role.clone(),
                    text: draft.text.trim().to_string(),
                    rationale: draft.rationale.trim().to_string(),
                    inject,
                    action,
                });
                self.next_id += 1;
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
            ExerciseAction::FireCurveball(id, wall_ms) => {
                let exercise = self
                    .exercise
                    .as_ref()
                    .ok_or("This scenario has no exercise.")?;
                let text = format!("{}={id}", time_text(scenario, now));
                exercise
                    .parse_intervention(scenario, &text, true)
                    .map_err(|e| e.to_string())?;
                if self.fired.len() >= MAX_FIRED {
                    return Err(format!(
                        "At most {MAX_FIRED} curveballs are fired in one exercise."
                    ));
                }
                self.fired.push(Fired { text, wall_ms });
            }
            ExerciseAction::UndoCurveball => {
                self.fired.pop();
            }
            ExerciseAction::RevealOutcome(on) => self.outcome_revealed = on,
            ExerciseAction::EditNotes(notes) => self.notes = notes.bounded(),
            ExerciseAction::Clear => {
                let mut fresh = ExerciseState::new(scenario);
                fresh.mode = self.mode;
                *self = fresh;
            }
        }
        Ok(None)
    }

    /// The command line's text of a room action taken at `now`: `15:40:30=roll_back`.
    fn action_text(
        &self,
        scenario: &Scenario,
        now: SimTime,
        action: &str,
    ) -> Result<String, String> {
        let exercise = self
            .exercise
            .as_ref()
            .ok_or("This scenario has no exercise.")?;
        let text = format!("{}={action}", time_text(scenario, now));
        let intervention = exercise
            .parse_intervention(scenario, &text, false)
            .map_err(|e| format!("The action was not added: {e}"))?;
        Ok(exercise.intervention_text(scenario, &intervention))
    }
}

/// A moment as the command line reads it: `15:40` on a whole minute, RFC 3339 otherwise.
fn time_text(scenario: &Scenario, t: SimTime) -> String {
    if t % MINUTE == 0 && scenario.clock.on_origin_date(t, false) {
        scenario.clock.hhmm_local(t)
    } else {
        let rfc = scenario.clock.rfc3339(t);
        let ms = t.rem_euclid(1000);
        if ms == 0 {
            rfc
        } else {
            let (date_time, offset) = rfc.split_at(rfc.len() - 6);
            format!("{date_time}.{ms:03}{offset}")
        }
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
    use outage_sim::scenario::builtin;

    fn setup() -> (Scenario, ExerciseState) {
        let scenario = builtin("eptura-2024-07-10").unwrap();
        let state = ExerciseState::new(&scenario);
        (scenario, state)
    }

    #[test]
    fn injects_come_in_order_and_set_their_timer() {
        let (s, mut e) = setup();
        let first = e.reduce(ExerciseAction::NextInject, 0, &s).unwrap();
        assert_eq!(first, Some(s.clock.on_origin_day(15, 34)));
        assert_eq!(e.current, Some(0));
        assert_eq!(
            e.inject_timer.set_to_ms,
            8 * MINUTE,
            "the inject's own minutes"
        );
        let second = e
            .reduce(ExerciseAction::NextInject, first.unwrap(), &s)
            .unwrap();
        assert_eq!(second, Some(s.clock.on_origin_day(15, 38)));
        assert_eq!(e.revealed_until, second.unwrap());
        // Going back does not hide what the room has seen.
        e.reduce(ExerciseAction::GoToInject(0), 0, &s).unwrap();
        assert_eq!((e.current, e.revealed_until), (Some(0), second.unwrap()));
        for _ in 0..10 {
            let _ = e.reduce(ExerciseAction::NextInject, 0, &s);
        }
        assert_eq!(e.current, Some(e.inject_times().len() - 1));
        assert!(e
            .reduce(ExerciseAction::NextInject, 0, &s)
            .unwrap_err()
            .contains("last inject"));
    }

    #[test]
    fn decisions_log_with_their_action_and_change_the_room_day() {
        let (s, mut e) = setup();
        let at = s.clock.on_origin_day(15, 40);
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                role: "Cloud Operations".into(),
                text: "Roll back now".into(),
                rationale: "The merge is the likely cause".into(),
                action: "roll_back".into(),
            }),
            at,
            &s,
        )
        .unwrap();
        e.reduce(ExerciseAction::LogDecision(1.0e12), at, &s)
            .unwrap();
        assert_eq!(e.decisions.len(), 1);
        assert_eq!(e.decisions[0].action.as_deref(), Some("15:40=roll_back"));
        assert_eq!(
            e.draft.role, "Cloud Operations",
            "the role is kept for the next one"
        );
        assert!(e.draft.text.is_empty());
        let (interventions, unreadable) = e.interventions(&s);
        assert!(unreadable.is_empty());
        assert_eq!(interventions.len(), 1);
        let (room, _) = outage_sim::room_day(&s, &outage_sim::Config::none(), &interventions, 1);
        let (record, _) = outage_sim::counterfactual(&s, &outage_sim::Config::none(), 1);
        assert!(room.restored_at.unwrap() < record.restored_at.unwrap());
        // An empty decision is refused and the draft kept.
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                rationale: "kept".into(),
                ..Draft::default()
            }),
            at,
            &s,
        )
        .unwrap();
        assert!(e.reduce(ExerciseAction::LogDecision(1.0), at, &s).is_err());
        assert_eq!(e.draft.rationale, "kept");
        // Editing keeps the moment and the action; deleting removes it.
        let mut edited = e.decisions[0].clone();
        edited.text = "Roll back to last week".into();
        edited.at = 0;
        e.reduce(ExerciseAction::EditDecision(edited), at, &s)
            .unwrap();
        assert_eq!(
            (e.decisions[0].text.as_str(), e.decisions[0].at),
            ("Roll back to last week", at)
        );
        e.reduce(ExerciseAction::DeleteDecision(e.decisions[0].id), at, &s)
            .unwrap();
        assert!(e.decisions.is_empty());
    }

    #[test]
    fn curveballs_fire_at_the_moment_and_are_kept_with_the_log() {
        let (s, mut e) = setup();
        let at = s.clock.on_origin_day(15, 30) + 15_500;
        e.reduce(
            ExerciseAction::FireCurveball("looper_fails".into(), 2.0),
            at,
            &s,
        )
        .unwrap();
        assert_eq!(
            e.fired[0].text,
            "2024-07-10T15:30:15.500-05:00=looper_fails"
        );
        assert!(e
            .reduce(
                ExerciseAction::FireCurveball("nonsense".into(), 2.0),
                at,
                &s
            )
            .is_err());
        let (interventions, _) = e.interventions(&s);
        assert_eq!(interventions.len(), 1);
        let (room, _) = outage_sim::room_day(&s, &outage_sim::Config::none(), &interventions, 1);
        assert!(room.events.lost > 0);
        let kept = e.stored();
        let mut again = ExerciseState::new(&s);
        again.restore(kept);
        assert_eq!(again.fired, e.fired);
        e.reduce(ExerciseAction::UndoCurveball, at, &s).unwrap();
        assert!(e.fired.is_empty());
    }

    #[test]
    fn the_stored_log_round_trips_and_bad_stored_values_are_bounded() {
        let (s, mut e) = setup();
        e.reduce(ExerciseAction::NextInject, 0, &s).unwrap();
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                text: "Page on-call".into(),
                action: "page_on_call".into(),
                ..Draft::default()
            }),
            s.clock.on_origin_day(15, 35),
            &s,
        )
        .unwrap();
        e.reduce(
            ExerciseAction::LogDecision(5.0),
            s.clock.on_origin_day(15, 35),
            &s,
        )
        .unwrap();
        let raw = crate::storage::write_envelope(EXERCISE_RECORD, &e.stored());
        let back: Stored = crate::storage::read_envelope(EXERCISE_RECORD, &raw).unwrap();
        let mut again = ExerciseState::new(&s);
        again.restore(back);
        assert_eq!(again.decisions, e.decisions);
        assert_eq!(again.current, Some(0));
        let mut bad = e.stored();
        bad.current = Some(999);
        bad.next_id = 0;
        let mut again = ExerciseState::new(&s);
        again.restore(bad);
        assert_eq!(again.current, None);
        assert!(again.next_id > again.decisions[0].id);
    }

    #[test]
    fn the_fullest_log_the_console_accepts_can_be_kept() {
        // Every decision at its longest, in the characters that cost the most once written as
        // JSON (an ESC becomes `\u001b`), the most decisions, curveballs, notes and plan rows
        // the table of limits allows: the record still fits, and reads back as it was.
        let (s, mut e) = setup();
        e.reduce(ExerciseAction::NextInject, 0, &s).unwrap();
        let at = s.clock.on_origin_day(15, 35);
        let longest = |n: usize| "\u{1b}".repeat(n + 10);
        for k in 0..MAX_DECISIONS {
            let draft = Draft {
                role: longest(MAX_ROLE_CHARS),
                text: longest(MAX_DECISION_CHARS),
                rationale: longest(MAX_DECISION_CHARS),
                action: if k == 0 {
                    "roll_back".into()
                } else {
                    String::new()
                },
            };
            e.reduce(ExerciseAction::EditDraft(draft), at, &s).unwrap();
            e.reduce(ExerciseAction::LogDecision(k as f64), at, &s)
                .unwrap();
        }
        assert_eq!(e.decisions.len(), MAX_DECISIONS);
        assert_eq!(e.decisions[1].text.chars().count(), MAX_DECISION_CHARS);
        let refused = e.reduce(
            ExerciseAction::EditDraft(Draft {
                text: "one more".into(),
                ..Draft::default()
            }),
            at,
            &s,
        );
        assert!(refused.is_ok());
        assert!(e
            .reduce(ExerciseAction::LogDecision(0.0), at, &s)
            .unwrap_err()
            .contains(&format!("at most {MAX_DECISIONS} decisions")));
        let card = e.exercise.as_ref().unwrap().curveballs[0]
            .id
            .id()
            .to_string();
        while e
            .reduce(ExerciseAction::FireCurveball(card.clone(), 0.0), at, &s)
            .is_ok()
        {}
        assert_eq!(e.fired.len(), MAX_FIRED);
        let text = longest(MAX_NOTE_CHARS);
        let notes = Notes {
            name: text.clone(),
            date: text.clone(),
            facilitator: text.clone(),
            participants: text.clone(),
            strengths: text.clone(),
            improvements: text.clone(),
            plan: vec![
                PlanItem {
                    action: text.clone(),
                    owner: text.clone(),
                    due: text.clone(),
                    safeguard: text.clone(),
                };
                MAX_PLAN_ITEMS + 5
            ],
        };
        e.reduce(ExerciseAction::EditNotes(notes), at, &s).unwrap();
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                role: longest(MAX_ROLE_CHARS),
                text: longest(MAX_DECISION_CHARS),
                rationale: longest(MAX_DECISION_CHARS),
                action: String::new(),
            }),
            at,
            &s,
        )
        .unwrap();
        let raw = crate::storage::write_envelope(EXERCISE_RECORD, &e.stored());
        assert!(
            raw.len() <= EXERCISE_RECORD.max_bytes,
            "{} bytes, record of {}",
            raw.len(),
            EXERCISE_RECORD.max_bytes
        );
        let back: Stored = crate::storage::read_envelope(EXERCISE_RECORD, &raw).unwrap();
        assert_eq!(back, e.stored());
    }
}
