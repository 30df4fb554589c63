//! The train-mode slice: which page the app shows (the start screen, train mode, a learner's
//! result opened read-only, or the app itself), the learner's drill as they go (name, the
//! prediction, the decisions, whether the last decision's consequence is on screen, the
//! optional per-stop pace), the glossary's open term, and the facilitator's table of a team's
//! results. Its reducer is pure; the drill's logic is `crate::learn`.
//!
//! The drill always runs on the built-in scenario and its exercise (a variant or an imported
//! file changes the Explore view, not the drill). The learner's progress is kept in local
//! storage as they go (`LEARN_RECORD`), so a reload or a later visit comes back to it.

use outage_sim::scenario::Scenario;
use outage_sim::trace::Detector;
use outage_sim::Exercise;
use serde::{Deserialize, Serialize};

use super::Shared;
use crate::learn::result::{self, clean_name, Verified};
use crate::learn::team::{self, Entry};
use crate::learn::{
    detector_from_id, Choice, Confidence, Decision, Drill, Prediction, MAX_PREDICT_MINUTES,
};
use crate::storage::Record;

/// What the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The app: Explore, the facilitator's console or the projector (see `ExerciseState::mode`).
    App,
    /// The start screen: what happened, and three ways in.
    Start,
    /// Train mode.
    Learn,
    /// A learner's result, read-only (opened from a result link or code).
    Result,
}

impl Page {
    /// Its word in links (`mode=learn`); `None` for the app, whose modes are the exercise's.
    pub fn id(self) -> Option<&'static str> {
        match self {
            Page::App => None,
            Page::Start => Some("start"),
            Page::Learn => Some("learn"),
            Page::Result => Some("result"),
        }
    }
}

/// The per-stop pace a learner or a trainer's link can switch on: seconds per stop.
pub const PACES: [u32; 4] = [60, 120, 180, 300];

/// The props of train mode's one entry-point view (`components::learn::LearnView`), kept here
/// so that always-loaded code can render it without naming its module (it may load later).
#[derive(Clone, yew::Properties, PartialEq)]
pub struct LearnViewProps {
    pub learn: LearnState,
    /// The consequence ranges' job (a paired job, see `McHandle::run_paired`).
    pub stop_job: super::Job,
    /// The ranking behind the debrief's take-aways.
    pub ranking_job: super::Job,
    /// Runs a paired job: (base interventions, versus interventions) as the command line
    /// writes them.
    pub on_consequence_range: yew::Callback<(Vec<String>, Vec<String>)>,
    pub on_ranking: yew::Callback<()>,
}

/// Monte Carlo runs behind a consequence card's range.
pub const CONSEQUENCE_RUNS: u64 = 1_000;
/// Runs per configuration of the debrief's ranking.
pub const RANKING_RUNS: u64 = 1_000;

/// The drill's scenario and exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillData {
    pub scenario: Shared<Scenario>,
    pub exercise: Shared<Exercise>,
}

impl DrillData {
    pub fn drill(&self) -> Drill<'_> {
        Drill::new(&self.scenario, &self.exercise)
    }
}

/// A prediction as it is typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PredictionDraft {
    pub minutes: String,
    pub first_catch: Option<Detector>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LearnState {
    pub page: Page,
    /// `None` when the built-in scenario has no exercise (then there is no drill).
    pub data: Option<DrillData>,
    pub name: String,
    /// The seed of the consequence cards' Monte Carlo ranges.
    pub seed: u64,
    pub prediction: Option<Prediction>,
    pub draft_prediction: PredictionDraft,
    pub decisions: Vec<Decision>,
    pub draft_choice: Option<Choice>,
    pub draft_confidence: Option<Confidence>,
    /// The last decision's consequence is on screen (until `Next`).
    pub revealed: bool,
    /// Seconds per stop, when the pace is on.
    pub pace: Option<u32>,
    /// When the current stop was reached (wall clock, ms), for the pace.
    pub stop_since: Option<f64>,
    /// A result opened read-only.
    pub viewed: Option<Shared<Verified>>,
    /// What the last result link or code could not be read for.
    pub viewed_problems: Vec<String>,
    /// The glossary's open term (its id), or `Some("")` for the glossary at its top.
    pub glossary: Option<String>,
    /// The facilitator's table of results.
    pub team: Vec<Entry>,
    pub team_input: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LearnAction {
    /// Shows a page.
    Open(Page),
    SetName(String),
    DraftPrediction(PredictionDraft),
    Choose(Choice),
    SetConfidence(Confidence),
    /// Commits the prediction, or the decision at the current stop (at this wall-clock time).
    Commit(f64),
    /// From a consequence to the next stop (or the debrief), at this wall-clock time.
    Next(f64),
    /// Starts the drill again (after the learner confirmed).
    Restart,
    SetPace(Option<u32>),
    /// Opens a learner's result (a link's text or a short code) read-only.
    OpenResult(String),
    /// Opens the glossary at a term (`""`: at its top), or closes it.
    Glossary(Option<String>),
    TeamInput(String),
    /// Adds every result pasted in the input, one per line.
    TeamAdd,
    TeamClear,
}

/// The learner's progress as kept in local storage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub name: String,
    pub seed: u64,
    /// (minutes, detector id).
    pub prediction: Option<(u32, String)>,
    /// (choice id, confidence id), in order.
    pub decisions: Vec<(String, String)>,
    pub revealed: bool,
    pub pace: Option<u32>,
}

/// The stored record of the learner's progress.
pub const LEARN_RECORD: Record = Record {
    key: "outage-drill:learn",
    schema: 1,
    max_bytes: 16 * 1024,
    what: "your training progress",
};

impl LearnState {
    pub fn new() -> LearnState {
        let scenario = crate::builtin::builtin(crate::builtin::DEFAULT_SCENARIO);
        let data = scenario.and_then(|s| {
            let exercise = crate::builtin::exercise_for(&s)?;
            Some(DrillData {
                scenario: Shared::new(s),
                exercise: Shared::new(exercise),
            })
        });
        LearnState {
            page: Page::App,
            data,
            name: String::new(),
            seed: crate::learn::DAY_SEED,
            prediction: None,
            draft_prediction: PredictionDraft::default(),
            decisions: Vec::new(),
            draft_choice: None,
            draft_confidence: None,
            revealed: false,
            pace: None,
            stop_since: None,
            viewed: None,
            viewed_problems: Vec::new(),
            glossary: None,
            team: Vec::new(),
            team_input: String::new(),
        }
    }

    /// The day is over: the debrief shows.
    pub fn finished(&self) -> bool {
        self.prediction.is_some()
            && !self.revealed
            && self
                .data
                .as_ref()
                .is_some_and(|d| d.drill().next_stop(&self.decisions).is_none())
    }

    pub fn stored(&self) -> Stored {
        Stored {
            name: self.name.clone(),
            seed: self.seed,
            prediction: self
                .prediction
                .map(|p| (p.detect_minutes, p.first_catch.id().to_string())),
            decisions: self
                .decisions
                .iter()
                .map(|d| (d.choice.id().to_string(), d.confidence.id().to_string()))
                .collect(),
            revealed: self.revealed,
            pace: self.pace,
        }
    }

    /// Takes back stored progress, replaying the decisions through the day; whatever no longer
    /// replays (stored by another version) is dropped from there on, and said.
    pub fn restore(&mut self, stored: Stored) -> Option<String> {
        self.name = clean_name(&stored.name);
        self.seed = stored.seed;
        self.pace = stored.pace.filter(|p| PACES.contains(p));
        self.prediction = stored.prediction.and_then(|(m, id)| {
            Some(Prediction {
                detect_minutes: m.clamp(1, MAX_PREDICT_MINUTES),
                first_catch: detector_from_id(&id)?,
            })
        });
        let data = self.data.clone()?;
        let drill = data.drill();
        self.decisions.clear();
        for (choice, confidence) in &stored.decisions {
            let (Some(choice), Some(confidence), Some(stop)) = (
                Choice::from_id(choice),
                Confidence::from_id(confidence),
                drill.next_stop(&self.decisions),
            ) else {
                return Some(
                    "Part of your training progress could not be read back; you continue from the last stop that could."
                        .into(),
                );
            };
            self.decisions.push(Decision {
                inject: stop.inject,
                at: stop.at,
                choice,
                confidence,
            });
        }
        self.revealed = stored.revealed && !self.decisions.is_empty();
        None
    }

    /// The result link's text of the finished drill.
    pub fn result_link(&self) -> Option<String> {
        let data = self.data.as_ref()?;
        Some(result::encode_link(
            &data.drill(),
            &self.name,
            self.seed,
            &self.prediction?,
            &self.decisions,
        ))
    }

    pub fn result_code(&self) -> Option<String> {
        Some(result::encode_code(
            &self.name,
            self.seed,
            &self.prediction?,
            &self.decisions,
        ))
    }

    /// Applies an action; an error is a message for the user (nothing changed).
    pub fn reduce(&mut self, action: LearnAction) -> Result<(), String> {
        match action {
            LearnAction::Open(page) => {
                self.page = page;
                if page != Page::Result {
                    self.viewed = None;
                }
            }
            LearnAction::SetName(name) => self.name = clean_name(&name),
            LearnAction::DraftPrediction(draft) => self.draft_prediction = draft,
            LearnAction::Choose(choice) => self.draft_choice = Some(choice),
            LearnAction::SetConfidence(c) => self.draft_confidence = Some(c),
            LearnAction::Commit(wall) => return self.commit(wall),
            LearnAction::Next(wall) => {
                if self.revealed {
                    self.revealed = false;
                    self.stop_since = Some(wall);
                }
            }
            LearnAction::Restart => {
                let (data, page, pace, name, team, team_input) = (
                    self.data.clone(),
                    self.page,
                    self.pace,
                    self.name.clone(),
                    std::mem::take(&mut self.team),
                    std::mem::take(&mut self.team_input),
                );
                *self = LearnState {
                    data,
                    page,
                    pace,
                    name,
                    team,
                    team_input,
                    ..LearnState::new()
                };
            }
            LearnAction::SetPace(pace) => {
                self.pace = pace.filter(|p| PACES.contains(p));
            }
            LearnAction::OpenResult(text) => {
                let data = self
                    .data
                    .clone()
                    .ok_or("This build has no exercise to train with.")?;
                match result::read(&data.drill(), &text) {
                    Ok(v) => {
                        self.viewed = Some(Shared::new(v));
                        self.viewed_problems.clear();
                    }
                    Err(problems) => {
                        self.viewed = None;
                        self.viewed_problems = problems.into_iter().map(|p| p.0).collect();
                    }
                }
                self.page = Page::Result;
            }
            LearnAction::Glossary(term) => self.glossary = term,
            LearnAction::TeamInput(text) => self.team_input = text,
            LearnAction::TeamAdd => {
                let data = self
                    .data
                    .clone()
                    .ok_or("This build has no exercise to train with.")?;
                if self.team_input.trim().is_empty() {
                    return Err("Paste result links or codes first, one per line.".into());
                }
                let entries = team::read_lines(
                    &data.drill(),
                    &crate::builtin::LEARN_REFERENCE,
                    &self.team_input,
                    self.team.len(),
                );
                self.team.extend(entries);
                self.team_input.clear();
            }
            LearnAction::TeamClear => self.team.clear(),
        }
        Ok(())
    }

    fn commit(&mut self, wall: f64) -> Result<(), String> {
        let data = self
            .data
            .clone()
            .ok_or("This build has no exercise to train with.")?;
        if self.prediction.is_none() {
            let minutes = self
                .draft_prediction
                .minutes
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=MAX_PREDICT_MINUTES).contains(m))
                .ok_or(format!(
                    "Say how many minutes you think passed before someone noticed: a whole number from 1 to {MAX_PREDICT_MINUTES}."
                ))?;
            let first_catch = self
                .draft_prediction
                .first_catch
                .ok_or("Choose the safeguard you think would have caught it first.")?;
            self.prediction = Some(Prediction {
                detect_minutes: minutes,
                first_catch,
            });
            self.stop_since = Some(wall);
            return Ok(());
        }
        if self.revealed {
            return Err("Go on to the next moment first.".into());
        }
        let drill = data.drill();
        let stop = drill
            .next_stop(&self.decisions)
            .ok_or("The day is over: your debrief is below.")?;
        let choice = self.draft_choice.ok_or("Choose what you do first.")?;
        let confidence = self.draft_confidence.ok_or("Say how sure you are first.")?;
        if !drill.choices(&stop, &self.decisions).contains(&choice) {
            return Err(format!(
                "'{}' is not one of the choices at this moment.",
                choice.label()
            ));
        }
        self.decisions.push(Decision {
            inject: stop.inject,
            at: stop.at,
            choice,
            confidence,
        });
        self.draft_choice = None;
        self.draft_confidence = None;
        self.revealed = true;
        Ok(())
    }
}

impl Default for LearnState {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use outage_sim::intervention::ActionId;

    fn commit(s: &mut LearnState) -> Result<(), String> {
        s.reduce(LearnAction::Commit(0.0))
    }

    #[test]
    fn a_drill_goes_prediction_stops_consequences_debrief() {
        let mut s = LearnState::new();
        s.reduce(LearnAction::Open(Page::Learn)).unwrap();
        assert!(commit(&mut s).unwrap_err().contains("minutes"));
        s.reduce(LearnAction::DraftPrediction(PredictionDraft {
            minutes: "30".into(),
            first_catch: Some(Detector::UptimeCheck),
        }))
        .unwrap();
        commit(&mut s).unwrap();
        assert_eq!(s.prediction.unwrap().detect_minutes, 30);
        let mut stops = 0;
        while !s.finished() {
            assert!(commit(&mut s).unwrap_err().contains("Choose"));
            s.reduce(LearnAction::Choose(if stops == 2 {
                Choice::Act(ActionId::RollBack)
            } else {
                Choice::Wait
            }))
            .unwrap();
            s.reduce(LearnAction::SetConfidence(Confidence::High))
                .unwrap();
            commit(&mut s).unwrap();
            assert!(s.revealed && !s.finished(), "the consequence shows first");
            s.reduce(LearnAction::Next(1.0)).unwrap();
            stops += 1;
        }
        assert_eq!(stops, 6);
        // Kept and taken back.
        let mut again = LearnState::new();
        assert_eq!(again.restore(s.stored()), None);
        assert_eq!(again.decisions, s.decisions);
        assert!(again.finished());
        // The result link opens the same decisions read-only.
        let link = s.result_link().unwrap();
        again.reduce(LearnAction::OpenResult(link)).unwrap();
        assert_eq!(again.page, Page::Result);
        assert_eq!(again.viewed.as_ref().unwrap().decisions, s.decisions);
        // A restart keeps the name and the pace.
        s.reduce(LearnAction::SetName("Ana".into())).unwrap();
        s.reduce(LearnAction::SetPace(Some(120))).unwrap();
        s.reduce(LearnAction::Restart).unwrap();
        assert_eq!(
            (s.name.as_str(), s.pace, s.prediction),
            ("Ana", Some(120), None)
        );
    }

    #[test]
    fn train_mode_and_results_travel_in_links() {
        use crate::state::link::{self, Source};
        let app = crate::state::AppState::new(
            outage_sim::scenario::builtin("eptura-2024-07-10").unwrap(),
        );
        let opened = app.opened("mode=learn&pace=120&seed=3", Source::Link);
        assert_eq!(
            (opened.learn.page, opened.learn.pace),
            (Page::Learn, Some(120))
        );
        assert!(link::encode(&opened).contains("mode=learn&pace=120"));
        let odd = app.opened("mode=learn&pace=7", Source::Link);
        assert_eq!(odd.learn.pace, None);
        assert!(odd.notices[0].text.contains("pace=7"), "{:?}", odd.notices);
        // A result link opens that result read-only, and the address keeps it.
        let mut s = LearnState::new();
        s.reduce(LearnAction::DraftPrediction(PredictionDraft {
            minutes: "15".into(),
            first_catch: Some(Detector::AbsentAlert),
        }))
        .unwrap();
        commit(&mut s).unwrap();
        while !s.finished() {
            s.reduce(LearnAction::Choose(Choice::Wait)).unwrap();
            s.reduce(LearnAction::SetConfidence(Confidence::Low))
                .unwrap();
            commit(&mut s).unwrap();
            s.reduce(LearnAction::Next(0.0)).unwrap();
        }
        let text = s.result_link().unwrap();
        let result = app.opened(&text, Source::Link);
        assert_eq!(result.learn.page, Page::Result);
        assert_eq!(result.learn.viewed.as_ref().unwrap().decisions, s.decisions);
        assert_eq!(link::encode(&result), text);
        let code = app.opened(&s.result_code().unwrap(), Source::Link);
        assert_eq!(code.learn.viewed.as_ref().unwrap().decisions, s.decisions);
    }

    #[test]
    fn bad_stored_progress_and_bad_results_are_said_not_fatal() {
        let mut s = LearnState::new();
        let message = s.restore(Stored {
            prediction: Some((20, "uptime_check".into())),
            decisions: vec![
                ("wait".into(), "low".into()),
                ("dance".into(), "high".into()),
            ],
            ..Stored::default()
        });
        assert!(message.unwrap().contains("could not be read back"));
        assert_eq!(s.decisions.len(), 1);
        s.reduce(LearnAction::OpenResult("mode=result&nonsense".into()))
            .unwrap();
        assert!(s.viewed.is_none() && !s.viewed_problems.is_empty());
        s.reduce(LearnAction::TeamInput("junk\n\n".into())).unwrap();
        s.reduce(LearnAction::TeamAdd).unwrap();
        assert_eq!(s.team.len(), 1);
        assert!(s
            .reduce(LearnAction::TeamAdd)
            .unwrap_err()
            .contains("Paste"));
    }
}
