//! The app's state and its one reducer: what is on screen (the scenario with its assumptions,
//! the safeguards, the seed, the playhead, the charts' settings) and every change to it as an
//! `Action`. Derived data (the replay, the record run and the ghost run) is recomputed here when
//! its inputs change, so components only read it.

use std::rc::Rc;

use outage_sim::engine::RunRecord;
use outage_sim::metrics::Metric;
use outage_sim::montecarlo::counterfactual;
use outage_sim::replay::{as_recorded, Replay};
use outage_sim::safeguards::{Config, Preset, SafeguardId};
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use outage_sim::trace::TraceEvent;
use yew::prelude::*;

use crate::charts::timeline_layout::{view_range, MarkerId};

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

/// A callback that dispatches `make(value)`: stable across renders (the dispatcher is), so
/// children whose other props did not change are not re-rendered, e.g. on every playback frame.
#[hook]
pub fn use_action<R, T>(dispatch: &UseReducerDispatcher<R>, make: fn(T) -> R::Action) -> Callback<T>
where
    R: Reducible + 'static,
    T: 'static,
{
    use_callback(dispatch.clone(), move |value: T, dispatch| {
        dispatch.dispatch(make(value))
    })
}

/// Playback speeds offered, in simulated seconds per real second.
pub const SPEEDS: [u32; 5] = [1, 10, 60, 600, 3600];
/// The speed playback starts at: an hour of the incident per minute.
pub const DEFAULT_SPEED: u32 = 60;

/// What the timeline and the metrics table are computed from.
#[derive(Debug)]
pub struct Derived {
    pub replay: Replay,
    /// The record, replayed by the engine with no safeguard.
    pub record: RunRecord,
    /// The counterfactual run with the current safeguards (`None` when none is on).
    pub ghost: Option<(RunRecord, Vec<TraceEvent>)>,
    /// The span the timeline shows.
    pub range: (SimTime, SimTime),
    /// Every instant something happens (record and ghost), sorted, for stepping.
    pub moments: Vec<SimTime>,
}

impl Derived {
    pub fn compute(scenario: &Scenario, config: &Config, seed: u64) -> Derived {
        let replay = as_recorded(scenario);
        let (record, _) = counterfactual(scenario, &Config::none(), seed);
        let ghost = (!config.is_empty()).then(|| counterfactual(scenario, config, seed));
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
            range,
            moments,
        }
    }
}

/// A message for the user: what went wrong (or right), in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub scenario: Shared<Scenario>,
    pub config: Config,
    pub seed: u64,
    pub derived: Shared<Derived>,
    pub now: SimTime,
    pub playing: bool,
    pub speed: u32,
    /// Metric spans drawn on the timeline.
    pub spans: Vec<Metric>,
    pub selected: Option<MarkerId>,
    pub notice: Option<Notice>,
}

impl AppState {
    pub fn new(scenario: Scenario) -> AppState {
        let config = Config::none();
        let seed = 1;
        let derived = Derived::compute(&scenario, &config, seed);
        AppState {
            now: derived.range.0,
            derived: Shared::new(derived),
            scenario: Shared::new(scenario),
            config,
            seed,
            playing: false,
            speed: DEFAULT_SPEED,
            spans: vec![
                Metric::TimeToDetect,
                Metric::TimeToMitigate,
                Metric::ReportedDuration,
            ],
            selected: None,
            notice: None,
        }
    }

    /// The preset the current safeguards equal, if any.
    pub fn active_preset(&self) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.config() == self.config)
    }

    fn recompute(&mut self) {
        self.derived = Shared::new(Derived::compute(&self.scenario, &self.config, self.seed));
        let (t0, t1) = self.derived.range;
        self.now = self.now.clamp(t0, t1);
        // Ghost markers are indices into the old trace.
        self.selected = None;
    }

    fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Play,
    Pause,
    /// Real milliseconds elapsed since the last animation frame.
    Tick(f64),
    SetSpeed(u32),
    Seek(SimTime),
    StepNext,
    StepPrev,
    Restart,
    ShowAll,
    SetImpactStart(SimTime),
    SetSafeguard(SafeguardId, bool),
    SetParam(SafeguardId, &'static str, f64),
    ApplyPreset(Preset),
    SetSeed(u64),
    ToggleSpan(Metric),
    Select(Option<MarkerId>),
    Notify(Notice),
    DismissNotice,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let (t0, t1) = s.derived.range;
        match action {
            Action::Play => {
                if s.now >= t1 {
                    s.now = t0;
                }
                s.playing = true;
            }
            Action::Pause => s.playing = false,
            Action::Tick(elapsed) => {
                if !s.playing {
                    return self;
                }
                let step = (elapsed.clamp(0.0, 250.0) * s.speed as f64).round() as SimTime;
                s.now = (s.now + step).min(t1);
                if s.now >= t1 {
                    s.playing = false;
                }
            }
            Action::SetSpeed(speed) => {
                if SPEEDS.contains(&speed) {
                    s.speed = speed;
                } else {
                    s.error(format!(
                        "Speed {speed}× is not offered (choose 1, 10, 60, 600 or 3600×)."
                    ));
                }
            }
            Action::Seek(t) => s.now = t.clamp(t0, t1),
            Action::StepNext => {
                s.playing = false;
                s.now = s
                    .derived
                    .moments
                    .iter()
                    .copied()
                    .find(|&m| m > s.now)
                    .unwrap_or(t1);
            }
            Action::StepPrev => {
                s.playing = false;
                s.now = s
                    .derived
                    .moments
                    .iter()
                    .rev()
                    .copied()
                    .find(|&m| m < s.now)
                    .unwrap_or(t0);
            }
            Action::Restart => {
                s.playing = false;
                s.now = t0;
            }
            Action::ShowAll => {
                s.playing = false;
                s.now = t1;
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
                s.recompute();
            }
            Action::SetSeed(seed) => {
                s.seed = seed;
                s.recompute();
            }
            Action::ToggleSpan(m) => {
                if let Some(i) = s.spans.iter().position(|&x| x == m) {
                    s.spans.remove(i);
                } else {
                    // Kept in the metrics' own order.
                    let at = s
                        .spans
                        .iter()
                        .position(|x| x.index() > m.index())
                        .unwrap_or(s.spans.len());
                    s.spans.insert(at, m);
                }
            }
            Action::Select(marker) => s.selected = marker,
            Action::Notify(n) => s.notice = Some(n),
            Action::DismissNotice => s.notice = None,
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
    fn playback_advances_by_speed_and_stops_at_the_end() {
        let s = state();
        let t0 = s.now;
        let s = s
            .reduce(Action::Play)
            .reduce(Action::Tick(250.0))
            .reduce(Action::Tick(250.0));
        assert_eq!(s.now - t0, 30_000, "half a second at 60× is half a minute");
        let s = s.reduce(Action::Tick(5_000.0));
        assert_eq!(
            s.now - t0,
            45_000,
            "a long frame (a background tab) counts as at most 250 ms"
        );
        let s = s
            .reduce(Action::SetSpeed(3600))
            .reduce(Action::Tick(100_000.0));
        assert!(s.now <= s.derived.range.1);
        let mut s = s;
        for _ in 0..1000 {
            s = s.reduce(Action::Tick(250.0));
        }
        assert_eq!(s.now, s.derived.range.1);
        assert!(!s.playing, "playback stops at the end");
        let s = s.reduce(Action::Play);
        assert_eq!(s.now, s.derived.range.0, "play at the end starts over");
    }

    #[test]
    fn stepping_visits_every_moment_in_order() {
        let mut s = state();
        let mut seen = vec![];
        while s.now < s.derived.range.1 {
            s = s.reduce(Action::StepNext);
            seen.push(s.now);
        }
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
        let discovered = s.scenario.event_time("discovered").unwrap();
        assert!(seen.contains(&discovered));
        let end = s.now;
        let back = s.reduce(Action::StepPrev);
        assert!(back.now < end);
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
        assert!(s.notice.as_ref().unwrap().text.contains("out of range"));
        let resolved = s.scenario.event_time("resolved").unwrap();
        let s = s.reduce(Action::SetImpactStart(resolved));
        assert!(s.notice.as_ref().unwrap().text.contains("impact_start"));
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
    }
}
