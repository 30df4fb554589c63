//! The replay slice: the playhead (simulated time shown), whether it plays and how fast, which
//! metric spans the timeline draws and which event is selected. Its reducer moves the playhead
//! within the span the derived runs cover and between their moments.

use outage_sim::metrics::Metric;
use outage_sim::time::SimTime;

use super::Derived;
use crate::charts::timeline_layout::MarkerId;

/// Playback speeds offered, in simulated seconds per real second.
pub const SPEEDS: [u32; 5] = [1, 10, 60, 600, 3600];
/// The speed playback starts at: an hour of the incident per minute.
pub const DEFAULT_SPEED: u32 = 60;
/// The longest real frame that counts in full: a background tab's long gaps count as this.
const MAX_FRAME_MS: f64 = 250.0;

#[derive(Clone, Debug, PartialEq)]
pub struct ReplayState {
    pub now: SimTime,
    pub playing: bool,
    pub speed: u32,
    /// Metric spans drawn on the timeline, in the metrics' own order.
    pub spans: Vec<Metric>,
    pub selected: Option<MarkerId>,
    /// A finger (or the mouse) is dragging the scrub bar: like playback, the view is written
    /// to the address once the drag ends, not at every step of it.
    pub scrubbing: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ReplayAction {
    Play,
    Pause,
    /// Play when paused, pause when playing (the Space shortcut).
    TogglePlay,
    /// Real milliseconds elapsed since the last animation frame.
    Tick(f64),
    SetSpeed(u32),
    Seek(SimTime),
    /// The scrub bar's drag starts (`true`) or ends (`false`).
    Scrub(bool),
    StepNext,
    StepPrev,
    Restart,
    ShowAll,
    ToggleSpan(Metric),
    Select(Option<MarkerId>),
}

impl ReplayState {
    pub fn new(start: SimTime) -> ReplayState {
        ReplayState {
            now: start,
            playing: false,
            speed: DEFAULT_SPEED,
            spans: vec![
                Metric::TimeToDetect,
                Metric::TimeToMitigate,
                Metric::ReportedDuration,
            ],
            selected: None,
            scrubbing: false,
        }
    }

    /// Keeps the playhead within new derived runs; a selected ghost marker indexed the old trace.
    pub fn follow(&mut self, derived: &Derived) {
        let (t0, t1) = derived.range;
        self.now = self.now.clamp(t0, t1);
        self.selected = None;
    }

    /// Applies `action`; false when nothing changed (a tick while paused), so the app can keep
    /// the same state and skip a render.
    pub fn reduce(&mut self, action: ReplayAction, derived: &Derived) -> bool {
        let (t0, t1) = derived.range;
        match action {
            ReplayAction::Play => {
                if self.now >= t1 {
                    self.now = t0;
                }
                self.playing = true;
            }
            ReplayAction::Pause => self.playing = false,
            ReplayAction::TogglePlay => {
                let next = if self.playing {
                    ReplayAction::Pause
                } else {
                    ReplayAction::Play
                };
                return self.reduce(next, derived);
            }
            ReplayAction::Tick(elapsed) => {
                if !self.playing {
                    return false;
                }
                let step =
                    (elapsed.clamp(0.0, MAX_FRAME_MS) * self.speed as f64).round() as SimTime;
                self.now = (self.now + step).min(t1);
                if self.now >= t1 {
                    self.playing = false;
                }
            }
            ReplayAction::SetSpeed(speed) => {
                if SPEEDS.contains(&speed) {
                    self.speed = speed;
                } else {
                    return false;
                }
            }
            ReplayAction::Seek(t) => self.now = t.clamp(t0, t1),
            ReplayAction::Scrub(on) => {
                if self.scrubbing == on {
                    return false;
                }
                self.scrubbing = on;
            }
            ReplayAction::StepNext => {
                self.playing = false;
                self.now = derived
                    .moments
                    .iter()
                    .copied()
                    .find(|&m| m > self.now)
                    .unwrap_or(t1);
            }
            ReplayAction::StepPrev => {
                self.playing = false;
                self.now = derived
                    .moments
                    .iter()
                    .rev()
                    .copied()
                    .find(|&m| m < self.now)
                    .unwrap_or(t0);
            }
            ReplayAction::Restart => {
                self.playing = false;
                self.now = t0;
            }
            ReplayAction::ShowAll => {
                self.playing = false;
                self.now = t1;
            }
            ReplayAction::ToggleSpan(m) => {
                if let Some(i) = self.spans.iter().position(|&x| x == m) {
                    self.spans.remove(i);
                } else {
                    let at = self
                        .spans
                        .iter()
                        .position(|x| x.index() > m.index())
                        .unwrap_or(self.spans.len());
                    self.spans.insert(at, m);
                }
            }
            ReplayAction::Select(marker) => self.selected = marker,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::safeguards::Config;
    use outage_sim::scenario::builtin;

    fn derived() -> Derived {
        Derived::compute(&builtin("eptura-2024-07-10").unwrap(), &Config::none(), 1)
    }

    #[test]
    fn a_drag_of_the_scrub_bar_is_marked_while_it_lasts() {
        let d = derived();
        let mut s = ReplayState::new(d.range.0);
        assert!(s.reduce(ReplayAction::Scrub(true), &d));
        assert!(s.scrubbing);
        assert!(!s.reduce(ReplayAction::Scrub(true), &d), "already dragging");
        s.reduce(ReplayAction::Seek(d.range.0 + 600_000), &d);
        assert!(s.scrubbing, "seeking does not end the drag");
        assert_eq!(s.now, d.range.0 + 600_000);
        assert!(s.reduce(ReplayAction::Scrub(false), &d));
        assert!(!s.scrubbing);
    }

    #[test]
    fn playback_advances_by_speed_and_stops_at_the_end() {
        let d = derived();
        let mut s = ReplayState::new(d.range.0);
        let t0 = s.now;
        s.reduce(ReplayAction::Play, &d);
        s.reduce(ReplayAction::Tick(250.0), &d);
        s.reduce(ReplayAction::Tick(250.0), &d);
        assert_eq!(s.now - t0, 30_000, "half a second at 60× is half a minute");
        s.reduce(ReplayAction::Tick(5_000.0), &d);
        assert_eq!(
            s.now - t0,
            45_000,
            "a long frame (a background tab) counts as at most 250 ms"
        );
        s.reduce(ReplayAction::SetSpeed(3600), &d);
        for _ in 0..1000 {
            s.reduce(ReplayAction::Tick(250.0), &d);
        }
        assert_eq!(s.now, d.range.1);
        assert!(!s.playing, "playback stops at the end");
        assert!(
            !s.reduce(ReplayAction::Tick(16.0), &d),
            "a paused tick changes nothing"
        );
        s.reduce(ReplayAction::Play, &d);
        assert_eq!(s.now, d.range.0, "play at the end starts over");
        assert!(
            !s.reduce(ReplayAction::SetSpeed(7), &d),
            "an unknown speed is ignored"
        );
        assert_eq!(s.speed, 3600);
    }

    #[test]
    fn stepping_visits_every_moment_in_order() {
        let d = derived();
        let mut s = ReplayState::new(d.range.0);
        let mut seen = vec![];
        while s.now < d.range.1 {
            s.reduce(ReplayAction::StepNext, &d);
            seen.push(s.now);
        }
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
        let scenario = builtin("eptura-2024-07-10").unwrap();
        assert!(seen.contains(&scenario.event_time("discovered").unwrap()));
        let end = s.now;
        s.reduce(ReplayAction::StepPrev, &d);
        assert!(s.now < end);
    }

    #[test]
    fn spans_keep_the_metrics_order() {
        let d = derived();
        let mut s = ReplayState::new(d.range.0);
        s.reduce(ReplayAction::ToggleSpan(Metric::TimeToAcknowledge), &d);
        assert_eq!(
            s.spans,
            vec![
                Metric::TimeToDetect,
                Metric::TimeToAcknowledge,
                Metric::TimeToMitigate,
                Metric::ReportedDuration
            ]
        );
        s.reduce(ReplayAction::ToggleSpan(Metric::TimeToDetect), &d);
        assert_eq!(s.spans[0], Metric::TimeToAcknowledge);
    }
}
