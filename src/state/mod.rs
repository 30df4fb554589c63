//! The app's one state and its one reducer. `AppState` holds everything on screen: the scenario
//! with its assumptions, the what-if safeguards and seed with what they derive (the record run,
//! the ghost run, the replay), the replay's playhead (`replay` slice), the analysis settings and
//! Monte Carlo results (`analysis` slice), and the message for the user. Every change is an
//! `Action`; slices have their own action enums and reducers, and the root handles what crosses
//! slices (a new what-if recomputes the derived runs and keeps the playhead in range; a compare
//! slot adopts the current safeguards).
//!
//! Components import this module, never the reverse. The dispatcher reaches sections through a
//! context (`use_dispatch`), so a section turns it into `on_*` callbacks for its leaves.

pub mod analysis;
pub mod countdown;
pub mod exercise;
pub mod exercise_store;
pub mod learn;
pub mod link;
pub mod replay;
pub mod room_view;
pub mod sensitivity;
pub mod variant;

use std::rc::Rc;

use outage_sim::intervention::Interventions;
use outage_sim::metrics::Metric;
use outage_sim::metrics::RunRecord;
use outage_sim::montecarlo::{counterfactual, room_day};
use outage_sim::replay::{as_recorded, Replay};
use outage_sim::safeguards::{Config, Preset, SafeguardId};
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use outage_sim::trace::TraceEvent;
use yew::prelude::*;

use crate::charts::timeline_layout::{layout, view_range, Inputs, Layout};
pub use analysis::{AnalysisAction, AnalysisState, Job, JobKind, JobStatus, McOutcome, Slot};
pub use exercise::{ExerciseAction, ExerciseState, Mode};
pub use learn::{LearnAction, LearnState, Page};
pub use replay::{ReplayAction, ReplayState, DEFAULT_SPEED, SPEEDS};
pub use room_view::RoomView;
pub use variant::{LoadedFile, Origin, VariantAction, VariantState};

/// An `Rc` compared by pointer: cheap `PartialEq` for props that hold large shared data.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Rc::new(value))
    }
}

/// The app's dispatcher, as the context sections read it from.
pub type Dispatch = UseReducerDispatcher<AppState>;

/// The app's dispatcher, from the context the app provides.
#[hook]
pub fn use_dispatch() -> Dispatch {
    use_context::<Dispatch>().expect("sections are rendered inside the app's dispatch context")
}

/// A callback that dispatches `make(value)`: stable across renders (the dispatcher is), so
/// children whose other props did not change are not re-rendered, e.g. on every playback frame.
#[hook]
pub fn use_action<T>(dispatch: &Dispatch, make: fn(T) -> Action) -> Callback<T>
where
    T: 'static,
{
    use_callback(dispatch.clone(), move |value: T, dispatch| {
        dispatch.dispatch(make(value))
    })
}

/// What the timeline and the metrics table are computed from.
#[derive(Debug)]
pub struct Derived {
    pub replay: Replay,
    /// The record, replayed by the engine with no safeguard.
    pub record: RunRecord,
    /// The run drawn beside the record: the counterfactual run with the current safeguards
    /// (`None` when none is on), or, in an exercise, the room's day (`None` until the room
    /// acts or a curveball is fired).
    pub ghost: Option<(RunRecord, Vec<TraceEvent>)>,
    /// The ghost is the room's day, not the safeguards' run.
    pub ghost_is_room: bool,
    /// The span the timeline shows.
    pub range: (SimTime, SimTime),
    /// Every instant something happens (record and ghost), sorted, for stepping.
    pub moments: Vec<SimTime>,
}

impl Derived {
    pub fn compute(scenario: &Scenario, config: &Config, seed: u64) -> Derived {
        Derived::with_room(scenario, config, seed, None)
    }

    /// The timeline of this day at `now`, `width` pixels wide, with `spans` drawn; with
    /// `room_from`, the room's view, which draws nothing the room could not know before it.
    pub fn timeline(
        &self,
        scenario: &Scenario,
        now: SimTime,
        width: f64,
        spans: &[Metric],
        room_from: Option<SimTime>,
    ) -> Layout {
        layout(&Inputs {
            scenario,
            replay: &self.replay,
            record: &self.record,
            ghost: self.ghost.as_ref().map(|(r, t)| (r, t.as_slice())),
            range: self.range,
            now,
            width,
            spans,
            room_from,
        })
    }

    /// What the ghost run is called where it is shown.
    pub fn ghost_name(&self) -> &'static str {
        if self.ghost_is_room {
            "The room's day"
        } else {
            "With safeguards"
        }
    }

    /// With `room` (an exercise's interventions), the ghost is the room's day: the record
    /// with what the room did and the curveballs it got, and no safeguard but those it switched on.
    pub fn with_room(
        scenario: &Scenario,
        config: &Config,
        seed: u64,
        room: Option<&Interventions>,
    ) -> Derived {
        let replay = as_recorded(scenario);
        let (record, _) = counterfactual(scenario, &Config::none(), seed);
        let ghost = match room {
            Some(room) => {
                (!room.is_empty()).then(|| room_day(scenario, &Config::none(), room, seed))
            }
            None => (!config.is_empty()).then(|| counterfactual(scenario, config, seed)),
        };
        let range = view_range(scenario, &record, ghost.as_ref().map(|g| &g.0));
        let mut moments: Vec<SimTime> = replay
            .entries
            .iter()
            .filter(|e| !e.epilogue)
            .filter_map(|e| e.at)
            .chain(record.merged_at)
            .chain(
                ghost
                    .iter()
                    .flat_map(|(_, trace)| trace.iter().map(|e| e.at)),
            )
            .filter(|&t| t >= range.0 && t <= range.1)
            .collect();
        moments.sort_unstable();
        moments.dedup();
        Derived {
            replay,
            record,
            ghost,
            ghost_is_room: room.is_some(),
            range,
            moments,
        }
    }
}

/// The sections of the page, as links and the header's navigation name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Replay,
    WhatIf,
    /// The what-if safeguards (beside the replay on a wide screen, below it on a phone).
    Safeguards,
    Ranges,
    Compare,
    Record,
    /// The scenario: files, the user's own numbers.
    Scenario,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Replay,
        Section::WhatIf,
        Section::Safeguards,
        Section::Ranges,
        Section::Compare,
        Section::Record,
        Section::Scenario,
    ];

    /// The id of the section's element, and its name in links.
    pub fn id(self) -> &'static str {
        match self {
            Section::Replay => "replay",
            Section::WhatIf => "what-if",
            Section::Safeguards => "safeguards",
            Section::Ranges => "ranges",
            Section::Compare => "compare",
            Section::Record => "record",
            Section::Scenario => "scenario",
        }
    }

    pub fn from_id(id: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Replay => "Replay",
            Section::WhatIf => "What if",
            Section::Safeguards => "Safeguards",
            Section::Ranges => "Ranges",
            Section::Compare => "Compare",
            Section::Record => "Record",
            Section::Scenario => "Scenario",
        }
    }
}

/// Something a notice offers to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeAction {
    /// A new version of the site is ready: reload to use it.
    ReloadForUpdate,
    /// A stored record this version cannot read is held (storage is full): download it, after
    /// which the app may save over it (see `storage`).
    DownloadHeld(crate::storage::Record),
}

/// A message for the user: what went wrong (or right), in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub action: Option<NoticeAction>,
}

impl Notice {
    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            error: true,
            action: None,
        }
    }

    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            text: text.into(),
            error: false,
            action: None,
        }
    }
}

/// The most notices shown at once; an older one gives way to a new one.
pub const MAX_NOTICES: usize = 4;

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The scenario with the current assumptions.
    pub scenario: Shared<Scenario>,
    /// The what-if safeguards.
    pub config: Config,
    /// The seed of the what-if run and of Monte Carlo.
    pub seed: u64,
    pub derived: Shared<Derived>,
    pub replay: ReplayState,
    pub analysis: AnalysisState,
    pub exercise: ExerciseState,
    /// The section the user last went to through the navigation (kept in links).
    pub section: Option<Section>,
    /// Messages for the user, oldest first.
    pub notices: Vec<Notice>,
    /// Counts the changes that deserve their own entry in the browser's history (a preset, a
    /// scenario, a reset, an opened link); other changes replace the current entry.
    pub history_epoch: u32,
    /// The loaded scenario (built-in or from a file) and the refused file, if any; `scenario`
    /// is it with the user's own numbers.
    pub variant: VariantState,
    /// The metric the header's headline shows.
    pub headline: Metric,
    /// On a projector: the console's view it follows.
    pub followed: Option<Shared<RoomView>>,
    /// A room's day opened from a link (`room=`, `curveball=`): its decisions and curveballs,
    /// drawn beside the record outside the console (the console keeps its own log).
    pub room_link: Vec<outage_sim::Intervention>,
    /// The page shown (start, train mode, a result, the app), the learner's drill and the
    /// facilitator's table of results (see `learn`).
    pub learn: LearnState,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Replay(ReplayAction),
    Analysis(AnalysisAction),
    Exercise(ExerciseAction),
    SetMode(Mode),
    SetImpactStart(SimTime),
    /// The scenario with other assumptions (checked by the caller).
    SetScenario(Box<Scenario>),
    SetSafeguard(SafeguardId, bool),
    /// All the safeguards at once.
    SetConfig(Box<Config>),
    SetParam(SafeguardId, &'static str, f64),
    ApplyPreset(Preset),
    SetSeed(u64),
    /// Adds a compare slot holding the current what-if safeguards.
    AddCurrentSlot,
    ShowSection(Section),
    /// Opens a view written as a link (see `link`): what it names, on a fresh state; the Monte
    /// Carlo results stay. Ignored parts are named in a notice.
    OpenLink(String),
    /// Back to the record: every setting to its default.
    Reset,
    Notify(Notice),
    /// Dismisses the notice at this index.
    DismissNotice(usize),
    /// Loads a scenario file, or changes the user's own numbers (see `variant`).
    Variant(VariantAction),
    /// The metric of the header's headline.
    SetHeadline(Metric),
    /// The projector follows the console's view (received at this wall-clock time).
    FollowRoom(Box<RoomView>, f64),
    /// Train mode, the start screen, the glossary and a team's results (see `learn`).
    Learn(LearnAction),
}

impl AppState {
    pub fn new(scenario: Scenario) -> AppState {
        let config = Config::none();
        let seed = 1;
        let derived = Derived::compute(&scenario, &config, seed);
        let scenario = Shared::new(scenario);
        AppState {
            replay: ReplayState::new(derived.range.0),
            derived: Shared::new(derived),
            exercise: ExerciseState::new(&scenario),
            variant: VariantState::new(scenario.clone()),
            scenario,
            config,
            seed,
            analysis: AnalysisState::new(),
            section: None,
            notices: Vec::new(),
            history_epoch: 0,
            headline: Metric::TimeToDetect,
            followed: None,
            room_link: Vec::new(),
            learn: LearnState::new(),
        }
    }

    /// The preset the current safeguards equal, if any.
    pub fn active_preset(&self) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.config() == self.config)
    }

    /// Recomputes the derived runs after the scenario, safeguards or seed changed.
    fn recompute(&mut self) {
        let room = if self.exercise.mode != Mode::Explore {
            Some(self.exercise.interventions())
        } else if !self.room_link.is_empty() {
            Some(Interventions::new(self.room_link.clone()).unwrap_or(Interventions::NONE))
        } else {
            None
        };
        self.derived = Shared::new(Derived::with_room(
            &self.scenario,
            &self.config,
            self.seed,
            room.as_ref(),
        ));
        self.exercise.seed = self.seed;
        // Injects follow the room's day: those it overtook are not played.
        self.exercise.overtaken = match (&self.exercise.exercise, &self.derived.ghost) {
            (Some(e), Some((run, _))) if self.derived.ghost_is_room => {
                outage_sim::exercise::visibility::overtaken(e, run)
            }
            _ => Vec::new(),
        };
        self.replay.follow(&self.derived);
    }

    fn error(&mut self, text: impl Into<String>) {
        self.notify(Notice::error(text));
    }

    /// Adds a notice (once: the same text is not shown twice).
    pub fn notify(&mut self, notice: Notice) {
        self.notices.retain(|n| n.text != notice.text);
        self.notices.push(notice);
        if self.notices.len() > MAX_NOTICES {
            self.notices.remove(0);
        }
    }

    /// A fresh state on the built-in scenario, with every setting at its default (a link
    /// that names a scenario file loaded before opens it again: see `link`).
    pub fn fresh(&self) -> AppState {
        let base = crate::builtin::builtin(crate::builtin::DEFAULT_SCENARIO)
            .unwrap_or_else(|| (*self.variant.base).clone());
        let mut fresh = AppState::new(base);
        fresh.variant.last_file = self.variant.last_file.clone();
        fresh.variant.unread = self.variant.unread.clone();
        fresh
    }

    /// On a projector: takes the console's view. The scenario, its assumptions, the seed and
    /// the room's interventions are taken (read into typed values here, once, and the room's
    /// day computed) only when they change.
    fn follow(&mut self, view: &RoomView, wall: f64) {
        let same = self.followed.as_ref().is_some_and(|f| {
            f.link == view.link && f.actions == view.actions && f.curveballs == view.curveballs
        });
        if !same {
            let mut next = self.opened(&view.link, link::Source::Link);
            if let Some(waiting) = next.variant.waiting.take() {
                // The console's scenario is the file kept from the last visit, not read yet:
                // its view is taken once it is (`VariantAction::Restored`).
                self.variant.waiting = Some(variant::Waiting {
                    room: Some((Shared::new(view.clone()), wall)),
                    ..waiting
                });
                return;
            }
            // What a link could not apply is the console's business, not the room's.
            next.notices = self.notices.clone();
            next.exercise.mode = Mode::Projector;
            let stored = exercise::Stored {
                decisions: view
                    .actions
                    .iter()
                    .enumerate()
                    .map(|(k, text)| exercise::DecisionRecord {
                        id: k as u64 + 1,
                        at: 0,
                        wall_ms: 0.0,
                        role: String::new(),
                        text: String::new(),
                        rationale: String::new(),
                        inject: None,
                        action: Some(text.clone()),
                    })
                    .collect(),
                fired: view
                    .curveballs
                    .iter()
                    .enumerate()
                    .map(|(k, text)| exercise::FiredRecord {
                        id: k as u64 + 1,
                        curveball: text.clone(),
                        wall_ms: 0.0,
                    })
                    .collect(),
                ..exercise::Stored::default()
            };
            next.exercise.restore(stored, &next.scenario);
            next.recompute();
            *self = next;
        }
        let e = &mut self.exercise;
        e.reveals = view.reveals;
        e.blank = view.blank;
        e.inject_timer = view.inject_timer;
        e.exercise_timer = view.exercise_timer;
        let (t0, t1) = self.derived.range;
        let end = e.next_stop(view.now).unwrap_or(t1).min(t1);
        self.replay.now = view.now_at(wall, end).clamp(t0, t1);
        self.replay.playing = view.playing && self.replay.now < end;
        self.replay.speed = view.speed;
        self.followed = Some(Shared::new(view.clone()));
    }

    /// Keeps the report's ranges with the exercise once the jobs computed them for what is on
    /// screen now (the record and safeguards, and the room's day).
    fn keep_ranges(&mut self) {
        let room = self.exercise.intervention_texts(&self.scenario);
        let inputs = exercise_store::ranges_inputs(&self.scenario, &self.config, self.seed, &room);
        let done = |job: &Job| match &job.status {
            JobStatus::Done(o) => Some(o.clone()),
            _ => None,
        };
        let ranges = done(&self.analysis.ranges).filter(|o| {
            !o.is_stale(
                &self.scenario,
                &analysis::ranges_configs(&self.config),
                self.seed,
            )
        });
        let room_outcome = done(&self.analysis.room)
            .filter(|o| o.room == room && o.seed == self.seed && *o.scenario == *self.scenario);
        let kept = exercise_store::ranges_from(
            inputs,
            ranges.as_deref().map(|o| (o, inputs)),
            room_outcome.as_deref().map(|o| (o, inputs)),
        );
        if let Some(mut kept) = kept {
            // What one job gave is kept while the other is still to come.
            if let Some(old) = self.exercise.ranges.as_ref().filter(|o| o.inputs == inputs) {
                for (row, was) in kept.rows.iter_mut().zip(&old.rows) {
                    row.1 = row.1.or(was.1);
                    row.2 = row.2.or(was.2);
                    row.3 = row.3.or(was.3);
                }
            }
            self.exercise.ranges = Some(kept);
        }
    }

    /// A state opened from a link (`link::decode` on a fresh state), keeping what is not part
    /// of a view: the Monte Carlo results, the notices, the history count.
    /// A view that names the file kept from the last visit, not read yet, waits for it (the
    /// view in use stays meanwhile: see `variant::Waiting`).
    pub fn opened(&self, text: &str, source: link::Source) -> AppState {
        let read = |id: &String| {
            let last = self.variant.last_file.as_ref();
            last.is_some_and(|f| f.scenario.id == *id)
        };
        if self.variant.unread.is_some() && link::names_file(text).is_some_and(|id| !read(&id)) {
            let mut waiting = self.clone();
            waiting.variant.waiting = Some(variant::Waiting {
                view: text.to_string(),
                source,
                room: None,
            });
            return waiting;
        }
        let mut fresh = self.fresh();
        // The exercise's log is not in a link: it stays (a link may set the mode).
        fresh.exercise = self.exercise.clone();
        fresh.exercise.mode = Mode::Explore;
        // Nor is the learner's progress or a team's table (a link may set the page).
        fresh.learn = self.learn.clone();
        fresh.learn.page = Page::App;
        if crate::learn::result::is_result(text) {
            // A learner's result: read whole, once (its parts are not a view's).
            let _ = fresh
                .learn
                .reduce(LearnAction::OpenResult(text.to_string()));
            fresh.notices = self.notices.clone();
            fresh.history_epoch = self.history_epoch;
            return fresh;
        }
        let (mut next, ignored) = link::decode(&fresh, text);
        next.analysis.ranges = self.analysis.ranges.clone();
        next.analysis.compare = self.analysis.compare.clone();
        next.analysis.ranking = self.analysis.ranking.clone();
        next.notices = self.notices.clone();
        next.history_epoch = self.history_epoch;
        if !ignored.is_empty() {
            next.notify(Notice::info(link::describe(&ignored, source)));
        }
        next
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Replay(a) => {
                let facilitating = s.exercise.mode != Mode::Explore;
                // In an exercise, playback stops at the next inject for the room to discuss it.
                let stop = facilitating
                    .then(|| s.exercise.next_stop(s.replay.now))
                    .flatten();
                if !s.replay.reduce(a, &s.derived) {
                    return self;
                }
                // A frame that lands exactly on the inject stops there too: at 600× one frame of
                // 16.7 ms is ten simulated seconds, so the clock meets whole minutes exactly.
                if let Some(stop) = stop.filter(|&t| s.replay.now >= t && s.replay.playing) {
                    s.replay.now = stop;
                    s.replay.playing = false;
                }
                if facilitating {
                    s.exercise.follow_clock(s.replay.now);
                }
            }
            Action::Exercise(a) => {
                let before = s.exercise.interventions();
                let result = s.exercise.reduce(a, s.replay.now, &s.scenario);
                if s.exercise.interventions() != before {
                    s.recompute();
                }
                match result {
                    Ok(Some(to)) => {
                        let (t0, t1) = s.derived.range;
                        s.replay.now = match to {
                            exercise::Move::To(t) => t.clamp(t0, t1),
                            exercise::Move::Start => t0,
                            exercise::Move::End => t1,
                        };
                        s.replay.playing = false;
                    }
                    Ok(None) => {}
                    Err(text) => s.error(text),
                }
                if s.exercise.mode == Mode::Facilitate {
                    s.exercise.follow_clock(s.replay.now);
                }
            }
            Action::SetMode(mode) => {
                s.exercise.mode = mode;
                s.history_epoch += 1;
                s.recompute();
                if mode == Mode::Facilitate {
                    s.exercise.follow_clock(s.replay.now);
                }
            }
            Action::Analysis(a) => {
                let done = matches!(
                    a,
                    AnalysisAction::JobDone {
                        kind: JobKind::Ranges | JobKind::Room,
                        ..
                    }
                );
                if let Err(text) = s.analysis.reduce(a) {
                    s.error(text);
                }
                if done {
                    s.keep_ranges();
                }
            }
            Action::SetImpactStart(t) => {
                let mut scenario = (*s.scenario).clone();
                match scenario.set_impact_start(t) {
                    Ok(()) => {
                        s.scenario = Shared::new(scenario);
                        s.recompute();
                    }
                    Err(e) => s.error(e.to_string()),
                }
            }
            Action::SetScenario(scenario) => {
                s.scenario = Shared::new(*scenario);
                s.history_epoch += 1;
                s.recompute();
            }
            Action::SetConfig(config) => {
                s.config = *config;
                s.recompute();
            }
            Action::ShowSection(section) => s.section = Some(section),
            Action::SetSafeguard(id, on) => {
                s.config.set_enabled(id, on);
                s.recompute();
            }
            Action::SetParam(id, key, value) => match s.config.set(id, key, value) {
                Ok(()) => s.recompute(),
                Err(e) => s.error(e.to_string()),
            },
            Action::ApplyPreset(p) => {
                s.config = p.config();
                s.history_epoch += 1;
                s.recompute();
            }
            Action::SetSeed(seed) => {
                s.seed = seed;
                s.recompute();
            }
            Action::AddCurrentSlot => {
                let slot = Slot::Custom(Box::new(s.config));
                if let Err(text) = s.analysis.reduce(AnalysisAction::AddSlot(slot)) {
                    s.error(text);
                }
            }
            Action::OpenLink(text) => {
                let epoch = s.history_epoch;
                s = s.opened(&text, link::Source::Link);
                s.history_epoch = epoch;
            }
            Action::Reset => {
                let mut fresh = s.fresh();
                // The exercise (its log, the mode) is not part of the what-if: it stays.
                fresh.exercise = s.exercise.clone();
                fresh.analysis.ranges = s.analysis.ranges.clone();
                fresh.analysis.compare = s.analysis.compare.clone();
                fresh.analysis.ranking = s.analysis.ranking.clone();
                fresh.notices = s.notices.clone();
                fresh.learn = s.learn.clone();
                fresh.history_epoch = s.history_epoch + 1;
                s = fresh;
            }
            Action::Notify(n) => s.notify(n),
            Action::Variant(a) => variant::reduce(&mut s, a),
            Action::SetHeadline(m) => s.headline = m,
            Action::DismissNotice(i) => {
                if i < s.notices.len() {
                    s.notices.remove(i);
                }
            }
            Action::FollowRoom(view, wall) => s.follow(&view, wall),
            Action::Learn(a) => {
                let opens = matches!(a, LearnAction::Open(_));
                if let Err(text) = s.learn.reduce(a) {
                    s.error(text);
                }
                if opens {
                    // Each page is its own entry in the browser's history.
                    s.history_epoch += 1;
                }
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::scenario::builtin;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(builtin("eptura-2024-07-10").unwrap()))
    }

    #[test]
    fn safeguards_add_a_ghost_and_presets_set_them() {
        let s = state();
        assert!(s.derived.ghost.is_none());
        let s = s.reduce(Action::SetSafeguard(SafeguardId::UptimeCheck, true));
        let (ghost, _) = s.derived.ghost.as_ref().unwrap();
        assert!(ghost.detected_at.unwrap() - ghost.gone_at.unwrap() < 60_000);
        assert_eq!(s.active_preset(), Some(Preset::PostmortemFix));
        let s = s.reduce(Action::ApplyPreset(Preset::DefenceInDepth));
        assert!(s.config.is_enabled(SafeguardId::AutoReplay));
        let s = s.reduce(Action::ApplyPreset(Preset::AsItHappened));
        assert!(s.derived.ghost.is_none());
    }

    #[test]
    fn bad_values_are_refused_with_a_message_and_nothing_changes() {
        let s = state().reduce(Action::SetSafeguard(SafeguardId::UptimeCheck, true));
        let before = s.config;
        let s = s.reduce(Action::SetParam(
            SafeguardId::UptimeCheck,
            "interval_s",
            1.0,
        ));
        assert_eq!(s.config, before);
        assert!(s.notices.last().unwrap().text.contains("out of range"));
        let resolved = s.scenario.event_time("resolved").unwrap();
        let s = s.reduce(Action::SetImpactStart(resolved));
        assert!(s.notices.last().unwrap().text.contains("impact_start"));
        assert_eq!(
            s.scenario.impact_start(),
            builtin("eptura-2024-07-10").unwrap().impact_start()
        );
    }

    #[test]
    fn moving_the_impact_start_moves_the_view() {
        let s = state();
        let earlier = s.scenario.clock.on_origin_day(12, 0);
        let s = s.reduce(Action::SetImpactStart(earlier));
        assert_eq!(s.scenario.impact_start(), earlier);
        assert!(s.derived.range.0 < earlier);
        assert!(
            s.replay.now >= s.derived.range.0,
            "the playhead stays in range"
        );
    }

    #[test]
    fn a_compare_slot_adopts_the_current_what_if() {
        let s = state()
            .reduce(Action::Analysis(AnalysisAction::RemoveSlot(3)))
            .reduce(Action::SetSafeguard(SafeguardId::AutoReplay, true))
            .reduce(Action::AddCurrentSlot);
        assert_eq!(s.analysis.slots.len(), 4);
        assert_eq!(s.analysis.slots[3].config(), s.config);
        // Full: refused with a message, nothing lost.
        let s = s.reduce(Action::AddCurrentSlot);
        assert_eq!(s.analysis.slots.len(), 4);
        assert!(s.notices.last().unwrap().text.contains("at most 4"));
    }

    #[test]
    fn a_link_opens_on_a_fresh_state_and_reset_returns_to_the_record() {
        let s = state()
            .reduce(Action::SetSafeguard(SafeguardId::AutoReplay, true))
            .reduce(Action::SetSeed(9))
            .reduce(Action::OpenLink(
                "with=uptime_check&seed=7&with=nonsense".into(),
            ));
        assert!(s.config.is_enabled(SafeguardId::UptimeCheck));
        assert!(
            !s.config.is_enabled(SafeguardId::AutoReplay),
            "a link says everything"
        );
        assert_eq!(s.seed, 7);
        assert!(s.notices[0].text.contains("'with=nonsense'"));
        assert!(!s.notices[0].error);
        let epoch = s.history_epoch;
        let s = s.reduce(Action::Reset);
        assert_eq!((s.config, s.seed), (Config::none(), 1));
        assert_eq!(
            s.history_epoch,
            epoch + 1,
            "a reset is its own history entry"
        );
        assert_eq!(s.notices.len(), 1, "notices stay until dismissed");
        let s = s.reduce(Action::DismissNotice(0));
        assert!(s.notices.is_empty());
    }

    #[test]
    fn notices_are_kept_once_and_a_few_at_a_time() {
        let mut s = state();
        for i in 0..6 {
            s = s.reduce(Action::Notify(Notice::info(format!("n{i}"))));
        }
        s = s.reduce(Action::Notify(Notice::info("n5")));
        let texts: Vec<&str> = s.notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, vec!["n2", "n3", "n4", "n5"]);
    }

    #[test]
    fn a_projector_follows_the_console_and_stops_where_it_stops() {
        let console = state()
            .reduce(Action::SetMode(Mode::Facilitate))
            .reduce(Action::Exercise(ExerciseAction::NextInject));
        let discovered = console.scenario.clock.on_origin_day(15, 34);
        assert_eq!(console.replay.now, discovered);
        let view = RoomView {
            console: 1,
            seq: 1,
            link: link::encode(&console),
            actions: vec!["15:34=roll_back".into()],
            curveballs: vec![],
            now: discovered,
            playing: true,
            speed: 3600,
            sent_at: 1_000.0,
            reveals: Default::default(),
            blank: false,
            inject_timer: console.exercise.inject_timer,
            exercise_timer: console.exercise.exercise_timer,
        };
        // An hour of wall time later at 3600×: the projector would be far on, but it stops at
        // the next inject, where the console stops too.
        let projector = state().reduce(Action::FollowRoom(Box::new(view), 3_601_000.0));
        assert_eq!(projector.exercise.mode, Mode::Projector);
        assert_eq!(
            projector.replay.now,
            console.scenario.clock.on_origin_day(15, 38)
        );
        assert!(!projector.replay.playing);
        assert_eq!(projector.exercise.current(projector.replay.now), Some(1));
        // The console's words were read into typed values once, here.
        assert_eq!(projector.exercise.interventions().len(), 1);
        assert!(
            projector.derived.ghost_is_room && projector.derived.ghost.is_some(),
            "the room's day"
        );
    }

    #[test]
    fn playback_in_the_console_stops_at_the_next_inject_even_when_a_frame_lands_on_it() {
        let console = state()
            .reduce(Action::SetMode(Mode::Facilitate))
            .reduce(Action::Exercise(ExerciseAction::NextInject));
        let at = |h, m| console.scenario.clock.on_origin_day(h, m);
        let (discovered, inject, pager) = (at(15, 34), at(15, 38), at(15, 46));
        assert_eq!(console.replay.now, discovered);
        let frame = |s: Rc<AppState>, ms: f64| s.reduce(Action::Replay(ReplayAction::Tick(ms)));
        let mut s = console
            .reduce(Action::Replay(ReplayAction::SetSpeed(600)))
            .reduce(Action::Replay(ReplayAction::Play));
        // 24 frames of 1/60 s at 600×: exactly the four minutes to the next inject.
        for _ in 0..24 {
            s = frame(s, 1_000.0 / 60.0);
        }
        assert_eq!((s.replay.now, s.replay.playing), (inject, false));
        // Played on, a frame past the next one (15:46) stops on it as well.
        s = s.reduce(Action::Replay(ReplayAction::Play));
        for _ in 0..10 {
            s = frame(s, 250.0);
        }
        assert_eq!((s.replay.now, s.replay.playing), (pager, false));
    }

    #[test]
    fn unchanged_replay_ticks_keep_the_same_state() {
        let s = state();
        let again = s.clone().reduce(Action::Replay(ReplayAction::Tick(16.0)));
        assert!(
            Rc::ptr_eq(&s, &again),
            "a tick while paused changes nothing"
        );
    }
}
