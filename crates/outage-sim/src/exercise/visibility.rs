//! What the room may see at a simulated moment: a pure function of the exercise, the moment
//! and the facilitator's explicit reveals, never of how far the day has been played before.
//! Stepping back hides again whatever lies after the clock.
//!
//! - The clock is shown from the first inject on (before it, a time would say how early the day
//!   begins, which hints at when something happened).
//! - The inject is the last one at or before the clock; the phase, the last one started. Injects
//!   follow the room's day: an inject telling of the service or the data coming back, whose
//!   moment the room's own day reached sooner (its service came back before the record's 17:01),
//!   is overtaken (`overtaken`): it is not played, and belongs to the debrief ("in the record,
//!   this happened at 17:01").
//! - Events are drawn from the first inject to the clock: when the service went, and the change
//!   behind it, are what the room has to work out, so nothing before the discovery is drawn
//!   until the outcome is revealed.
//! - The time axis runs from a little before the first inject to a little after the clock
//!   (`AXIS_MARGIN`, on quarter hours): its end says nothing about how long the day lasts.
//! - The outcome shows once revealed and while the clock is at or after the moment it was.
//! - Lane names say what a lane shows, not what will happen in it (`room_lane_label`).
//!
//! A self-paced learner (one person instead of a room) uses the same function.

use serde::{Deserialize, Serialize};

use crate::metrics::RunRecord;
use crate::scenario::{Lane, Scenario};
use crate::time::{Millis, SimTime, MINUTE};

use super::Exercise;

/// How far past the clock the room's time axis reaches.
pub const AXIS_MARGIN: Millis = 15 * MINUTE;
/// The axis starts this long before the first inject (then back to a quarter hour).
const AXIS_LEAD: Millis = 10 * MINUTE;
/// The axis is at least this long, so the first minutes do not fill the screen.
const AXIS_MIN: Millis = 30 * MINUTE;
const QUARTER: Millis = 15 * MINUTE;

/// What the facilitator has revealed explicitly, besides the clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reveals {
    /// The simulated moment the outcome was revealed at: shown from there on.
    pub outcome_at: Option<SimTime>,
}

/// What the room sees at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sight {
    /// The clock the room reads (`None` before the first inject).
    pub clock: Option<SimTime>,
    /// The inject on screen (index into the exercise's injects).
    pub inject: Option<usize>,
    /// The phase the clock is in, once the exercise has started.
    pub phase: Option<usize>,
    /// The outcome is revealed and the clock has reached the moment it was.
    pub outcome: bool,
    /// Events before this moment are not drawn; `None` draws the whole day.
    pub events_from: Option<SimTime>,
    /// The time axis.
    pub axis: (SimTime, SimTime),
}

/// How much sooner than the record the room's day must reach an inject's moment to overtake it.
const OVERTAKEN_BY: Millis = MINUTE;

/// The record's moments that tell of the service or the data coming back: once the room's own
/// day brought them back sooner, the record's telling ("the release from the week prior has been
/// reinstated") would contradict what the room just saw. Other moments (a page, a request, the
/// resolution and its postmortem) stay worth discussing at their time whatever the room did.
pub const OVERTAKABLE: [&str; 3] = ["reinstated", "confirmed", "looper_run"];

/// Which injects the room's own day has overtaken: those at a moment of `OVERTAKABLE` that the
/// room's day reached at least a minute before the record did. One flag per inject.
pub fn overtaken(exercise: &Exercise, room: &RunRecord) -> Vec<bool> {
    exercise
        .injects
        .iter()
        .map(|i| {
            OVERTAKABLE.contains(&i.record_id.as_str())
                && super::spoiler::reached_in(room, &i.record_id)
                    .is_some_and(|at| at + OVERTAKEN_BY <= i.at)
        })
        .collect()
}

fn live(overtaken: &[bool], k: usize) -> bool {
    !overtaken.get(k).copied().unwrap_or(false)
}

/// The inject the clock is at: the last one at or before it.
pub fn inject_at(exercise: &Exercise, t: SimTime) -> Option<usize> {
    live_inject_at(exercise, t, &[])
}

/// The first inject after the clock.
pub fn next_inject(exercise: &Exercise, t: SimTime) -> Option<usize> {
    next_live_inject(exercise, t, &[])
}

/// The inject the clock is at, among those the room's day has not overtaken.
pub fn live_inject_at(exercise: &Exercise, t: SimTime, overtaken: &[bool]) -> Option<usize> {
    (0..exercise.injects.len())
        .rev()
        .find(|&k| exercise.injects[k].at <= t && live(overtaken, k))
}

/// The first inject after the clock that the room's day has not overtaken.
pub fn next_live_inject(exercise: &Exercise, t: SimTime, overtaken: &[bool]) -> Option<usize> {
    (0..exercise.injects.len()).find(|&k| exercise.injects[k].at > t && live(overtaken, k))
}

/// What the room sees at `t`; `day` is the whole day's span (the axis once the outcome is
/// revealed).
pub fn sight(
    exercise: &Exercise,
    scenario: &Scenario,
    t: SimTime,
    reveals: &Reveals,
    day: (SimTime, SimTime),
) -> Sight {
    sight_in(exercise, scenario, t, reveals, day, &[])
}

/// What the room sees at `t` in its own day, with the injects it has `overtaken`.
pub fn sight_in(
    exercise: &Exercise,
    scenario: &Scenario,
    t: SimTime,
    reveals: &Reveals,
    day: (SimTime, SimTime),
    overtaken: &[bool],
) -> Sight {
    let start = exercise.injects.first().map(|i| i.at);
    let started = start.is_some_and(|s| t >= s);
    let outcome = reveals.outcome_at.is_some_and(|at| t >= at);
    let axis = if outcome {
        day
    } else {
        room_axis(start.unwrap_or(t), t)
    };
    Sight {
        clock: (started || outcome).then_some(t),
        inject: live_inject_at(exercise, t, overtaken),
        phase: started
            .then(|| exercise.phases.iter().rposition(|p| p.at(scenario) <= t))
            .flatten(),
        outcome,
        events_from: (!outcome).then(|| start.unwrap_or(t)),
        axis,
    }
}

/// The room's time axis before the outcome: from a little before the first inject to a little
/// after the clock, on quarter hours.
pub fn room_axis(first_inject: SimTime, t: SimTime) -> (SimTime, SimTime) {
    let from = floor_to(first_inject - AXIS_LEAD, QUARTER);
    let to = ceil_to(t.max(first_inject) + AXIS_MARGIN, QUARTER).max(from + AXIS_MIN);
    (from, to)
}

/// What a lane is called on the room's screen: what it shows, not what will happen in it
/// ("Change & deploy" would point at the cause, "Missed events" at the loss).
pub fn room_lane_label(lane: Lane) -> &'static str {
    match lane {
        Lane::Change => "Engineering work",
        Lane::Service => "The service",
        Lane::Detection => "Alerts",
        Lane::People => "People",
        Lane::Customers => "Customers",
        Lane::Data => "Calendar data",
    }
}

/// Items fired at a moment (curveballs), as the room sees them at `t`: those at or before it.
pub fn shown_by<T>(items: &[T], at: impl Fn(&T) -> SimTime, t: SimTime) -> Vec<&T> {
    items.iter().filter(|i| at(i) <= t).collect()
}

fn floor_to(t: SimTime, step: Millis) -> SimTime {
    t.div_euclid(step) * step
}

fn ceil_to(t: SimTime, step: Millis) -> SimTime {
    -((-t).div_euclid(step)) * step
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::builtin_exercise;
    use crate::exercise::spoiler::Withholding;
    use crate::scenario::builtin;

    fn setup() -> (Scenario, Exercise, (SimTime, SimTime)) {
        let s = builtin("eptura-2024-07-10").unwrap();
        let e = builtin_exercise(&s.id).unwrap();
        let day = (s.clock.on_origin_day(14, 15), s.clock.on_origin_day(18, 15));
        (s, e, day)
    }

    #[test]
    fn the_room_sees_the_inject_at_the_clock_not_the_furthest_reached() {
        let (s, e, day) = setup();
        let none = Reveals::default();
        let at = |h, m| s.clock.on_origin_day(h, m);
        // At 17:01, then back at 15:46: the inject follows the clock both ways.
        let late = sight(&e, &s, at(17, 1), &none, day);
        assert_eq!(e.injects[late.inject.unwrap()].id, "reinstated");
        let back = sight(&e, &s, at(15, 46), &none, day);
        assert_eq!(e.injects[back.inject.unwrap()].id, "paged");
        assert_eq!(back.clock, Some(at(15, 46)));
        // Before the first inject: no clock, no inject, no phase.
        let early = sight(&e, &s, at(14, 15), &none, day);
        assert_eq!((early.clock, early.inject, early.phase), (None, None, None));
        assert_eq!(next_inject(&e, at(14, 15)), Some(0));
        assert_eq!(next_inject(&e, at(18, 5)), None);
    }

    #[test]
    fn the_axis_grows_with_the_clock_and_gives_no_end_away() {
        let (s, e, day) = setup();
        let none = Reveals::default();
        let at = |h, m| s.clock.on_origin_day(h, m);
        let hhmm = |t| s.clock.hhmm_local(t);
        let first = sight(&e, &s, at(15, 34), &none, day);
        assert_eq!(
            (hhmm(first.axis.0), hhmm(first.axis.1)),
            ("15:15".into(), "16:00".into())
        );
        let later = sight(&e, &s, at(15, 46), &none, day);
        assert_eq!(hhmm(later.axis.1), "16:15");
        assert_eq!(later.events_from, Some(at(15, 34)));
        // Back again: the axis shrinks with the clock.
        assert_eq!(sight(&e, &s, at(15, 34), &none, day).axis, first.axis);
        for t in (day.0..=day.1).step_by(MINUTE as usize) {
            let v = sight(&e, &s, t, &none, day);
            assert!(v.axis.1 <= t.max(e.injects[0].at) + AXIS_MARGIN + QUARTER);
            assert!(v.axis.1 - v.axis.0 >= AXIS_MIN);
        }
    }

    #[test]
    fn the_outcome_shows_from_the_moment_it_was_revealed_and_hides_before() {
        let (s, e, day) = setup();
        let at = |h, m| s.clock.on_origin_day(h, m);
        let revealed = Reveals {
            outcome_at: Some(at(17, 1)),
        };
        let v = sight(&e, &s, at(18, 5), &revealed, day);
        assert!(v.outcome);
        assert_eq!((v.axis, v.events_from), (day, None));
        let rewound = sight(&e, &s, at(15, 46), &revealed, day);
        assert!(!rewound.outcome);
        assert_eq!(rewound.events_from, Some(at(15, 34)));
    }

    #[test]
    fn an_inject_the_room_s_day_overtook_is_not_played() {
        use crate::{room_day, Config, Interventions};
        let (s, e, day) = setup();
        let roll_back = e.parse_intervention(&s, "15:46=roll_back", false).unwrap();
        let (run, _) = room_day(
            &s,
            &Config::none(),
            &Interventions::new(vec![roll_back]).unwrap(),
            1,
        );
        let gone = overtaken(&e, &run);
        let id = |k: usize| e.injects[k].id.as_str();
        let moved: Vec<&str> = (0..gone.len()).filter(|&k| gone[k]).map(id).collect();
        assert!(moved.contains(&"reinstated"), "{moved:?}");
        assert!(
            !moved.contains(&"recovery_requested") && !moved.contains(&"resolved"),
            "still worth discussing at their time: {moved:?}"
        );
        let at = |h, m| s.clock.on_origin_day(h, m);
        // At 17:01 the room still reads the 15:46 inject; Next goes past 17:01.
        let v = sight_in(&e, &s, at(17, 1), &Reveals::default(), day, &gone);
        assert_ne!(v.inject.map(id), Some("reinstated"));
        assert_ne!(
            next_live_inject(&e, at(15, 46), &gone).map(id),
            Some("reinstated")
        );
        // The record's own day overtakes nothing.
        let (record, _) = crate::counterfactual(&s, &Config::none(), 1);
        assert!(overtaken(&e, &record).iter().all(|o| !o));
    }

    #[test]
    fn curveballs_show_from_their_moment() {
        let fired = [(100, "a"), (300, "b")];
        let shown: Vec<&str> = shown_by(&fired, |f| f.0, 200).iter().map(|f| f.1).collect();
        assert_eq!(shown, ["a"]);
        assert_eq!(shown_by(&fired, |f| f.0, 50).len(), 0);
    }

    #[test]
    fn room_lane_names_give_nothing_away_at_any_moment() {
        let (s, e, _) = setup();
        let check = Withholding::new(&e, &s);
        for lane in Lane::ALL {
            let name = room_lane_label(lane);
            assert!(check.is_safe(name, s.impact_start()), "{name}");
            for primed in ["change", "deploy", "missed", "lost", "restor"] {
                assert!(!name.to_lowercase().contains(primed), "{name}");
            }
        }
    }

    #[test]
    fn quarter_hours_round_both_ways_before_and_after_the_origin() {
        assert_eq!(floor_to(-1, QUARTER), -QUARTER);
        assert_eq!(ceil_to(-1, QUARTER), 0);
        assert_eq!(ceil_to(QUARTER + 1, QUARTER), 2 * QUARTER);
        assert_eq!(floor_to(QUARTER, QUARTER), QUARTER);
    }
}
