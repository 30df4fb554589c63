//! Timed interventions: what the room decides during a facilitated exercise, and the curveballs
//! the facilitator fires. Each is an input to a run, like the configuration and the seed: the
//! engine schedules every intervention as an event at its time, ordered by (time, sequence) with
//! everything else, so a run stays a pure function of (scenario, configuration, interventions,
//! seed). An intervention at the same millisecond as something else in the run comes first.
//!
//! An intervention carries its numbers (an acknowledgement delay, a share of sites), so the list
//! alone says what it does; the exercise file is where those numbers come from, each with its
//! provenance (see `exercise`). What each one does:
//!
//! Room actions. The room acts on what it knows (`Gate`): a response action decided before the
//! room could know to take it (before anyone noticed the outage; for a rollback, before the
//! responders are gathered) waits until it could, and then acts. Decided before the impact it
//! is a prevention exercise, said so in the trace, and waits the same way; so deciding earlier
//! is never worse than deciding later. Switching on a safeguard is not a response to the outage
//! and acts at its time.
//! - `page_on_call`: if the responders are not gathered yet, they are, after the
//!   acknowledgement delay (or, with the pager down, after gathering people by phone and chat):
//!   like the page sent by hand on the day, but now. The page by hand still happens if it comes
//!   first.
//! - `escalate_leadership`: the owning team has the incident from now if it did not already
//!   (it is acknowledged, and the responders are gathered a recorded mobilisation step later,
//!   as on the day). Leadership pressure adds no speed-up: on the day leadership was notified
//!   four minutes after discovery and the diagnosis still took 75 minutes, so the record gives
//!   no ground for one.
//! - `roll_back`: if the service is still gone, last week's release is reinstated, whatever the
//!   diagnosis has found, in the model's own time for it: the rollback runbook's revert when
//!   that safeguard is on, otherwise a reinstatement that knows the change
//!   (`reinstate_known_cause`). The room can only suspect a change once the responders are
//!   gathered to look for one (see `Gate`): decided before, it waits until they are.
//! - `post_status`: the first customer message is posted now, if none was.
//! - `start_looper`: the event sync looper is run now (or as soon as the service is back, if it
//!   is not yet) instead of waiting for the recorded request; it takes the scenario's looper
//!   time. Events are lost by their age when the looper re-reads them, as without the room.
//! - `enable_safeguard`: the safeguard acts from now on. A detector starts checking now; paging,
//!   automatic rollback and status automation apply to alerts after now; automatic replay to a
//!   restore after now; the rollback runbook to responders gathered after now, or to a
//!   diagnosis under way (the revert runs from now if that is sooner). A preventer, a staged
//!   rollout or a deploy notice switched on after the change merged (or deployed) changes
//!   nothing, and the trace says so.
//!
//! Curveballs act from their time on.
//! - `image_missing`: any restore attempted from then on first waits for last week's release
//!   image to be rebuilt (once; a later attempt uses the rebuilt image).
//! - `looper_fails`: when the looper re-reads the missed events after it, it fails for a share
//!   of the sites; their missed events (those the replay horizon had not already lost) are lost.
//!   The automatic replay is not the looper and is not affected.
//! - `pager_down`: pages sent from then on (by hand, by the room or by automatic paging) reach
//!   nobody; people are gathered by phone and chat, which takes longer.
//! - `merger_away`: the person who merged the change is away, so diagnosing what broke takes
//!   longer: the diagnosis part of a reinstatement by hand (not the redeploy, not a runbook
//!   revert or the room's rollback) is multiplied by a factor, including what remains of a
//!   diagnosis under way.
//! - `second_incident`: a second incident competes for the same people while it lasts: every
//!   step done by people progresses at 1/factor of its pace inside that window (a step that
//!   straddles the window is slowed only for the part inside it, so acting later never ends
//!   sooner). Noticing the outage (customers and Support) is not slowed.

use serde::Serialize;

use crate::safeguards::{Params, SafeguardId};
use crate::scenario::Lane;
use crate::time::{Millis, SimTime, MAX_DELAY};

crate::named_enum! {
    /// The room's response actions the model knows, by id.
    pub enum ActionId: id, from_id {
        PageOnCall,
        EscalateLeadership,
        RollBack,
        PostStatus,
        StartLooper,
        EnableSafeguard,
    }
}

impl ActionId {
    /// The lane of the timeline the decision is drawn in.
    pub fn lane(self) -> Lane {
        match self {
            ActionId::PageOnCall | ActionId::EscalateLeadership => Lane::People,
            ActionId::RollBack | ActionId::EnableSafeguard => Lane::Change,
            ActionId::PostStatus => Lane::Customers,
            ActionId::StartLooper => Lane::Data,
        }
    }

    /// A short label for a button or a log line.
    pub fn label(self) -> &'static str {
        match self {
            ActionId::PageOnCall => "Page on-call now",
            ActionId::EscalateLeadership => "Escalate to leadership",
            ActionId::RollBack => "Roll back to last week's release",
            ActionId::PostStatus => "Post to the status page",
            ActionId::StartLooper => "Start the event sync looper",
            ActionId::EnableSafeguard => "Switch on a safeguard from now on",
        }
    }

    /// What the room must know before it could decide the action (see `Gate`).
    pub fn gate(self) -> Gate {
        match self {
            ActionId::PageOnCall
            | ActionId::EscalateLeadership
            | ActionId::PostStatus
            | ActionId::StartLooper => Gate::Noticed,
            ActionId::RollBack => Gate::Gathered,
            ActionId::EnableSafeguard => Gate::Anytime,
        }
    }
}

/// What has to be true of the room's day before the room could know to take an action. An
/// action decided before then is not lost and does not act early: it waits until its gate
/// opens and acts then (so deciding earlier is never worse than deciding later). Decided before
/// the impact, it is a prevention exercise: nothing is wrong yet, and it too waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Switching on a safeguard is about tooling, not a response: any time.
    Anytime,
    /// Someone has noticed the outage: there is something to page, escalate, post or recover.
    Noticed,
    /// The responders are gathered and can look for a change to roll back: before that,
    /// nobody suspects a change.
    Gathered,
}

impl Gate {
    /// Why the room could not know to act yet, in words (for a console and the trace).
    pub fn why_not_yet(self) -> &'static str {
        match self {
            Gate::Anytime => "",
            Gate::Noticed => "nobody has noticed the outage yet",
            Gate::Gathered => {
                "nobody suspects a change yet: the responders are not gathered to look for one"
            }
        }
    }

    /// The moment it waits for, in words.
    pub fn waits_for(self) -> &'static str {
        match self {
            Gate::Anytime => "",
            Gate::Noticed => "someone notices the outage",
            Gate::Gathered => "the responders are gathered",
        }
    }
}

crate::named_enum! {
    /// The curveballs the model knows, by id.
    pub enum CurveballId: id, from_id {
        ImageMissing,
        LooperFails,
        PagerDown,
        MergerAway,
        SecondIncident,
    }
}

impl CurveballId {
    /// The lane of the timeline the curveball is drawn in.
    pub fn lane(self) -> Lane {
        match self {
            CurveballId::ImageMissing | CurveballId::MergerAway => Lane::Change,
            CurveballId::LooperFails => Lane::Data,
            CurveballId::PagerDown | CurveballId::SecondIncident => Lane::People,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CurveballId::ImageMissing => "Last week's release image is missing",
            CurveballId::LooperFails => "The looper fails for some sites",
            CurveballId::PagerDown => "The pager is down",
            CurveballId::MergerAway => "The person who made the change is away",
            CurveballId::SecondIncident => "A second incident the same day",
        }
    }
}

/// A room action with the numbers it needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RoomAction {
    /// Page on-call now; they acknowledge after `ack_delay`.
    PageOnCall {
        ack_delay: Millis,
    },
    EscalateLeadership,
    /// Reinstate last week's release, taking the model's own time for it (the rollback
    /// runbook's revert when it is on, else a reinstatement that knows the change).
    RollBack,
    PostStatus,
    StartLooper,
    /// Switch a safeguard on from now, with these parameter values.
    EnableSafeguard {
        safeguard: SafeguardId,
        params: Params,
    },
}

impl RoomAction {
    pub fn id(&self) -> ActionId {
        match self {
            RoomAction::PageOnCall { .. } => ActionId::PageOnCall,
            RoomAction::EscalateLeadership => ActionId::EscalateLeadership,
            RoomAction::RollBack => ActionId::RollBack,
            RoomAction::PostStatus => ActionId::PostStatus,
            RoomAction::StartLooper => ActionId::StartLooper,
            RoomAction::EnableSafeguard { .. } => ActionId::EnableSafeguard,
        }
    }
}

/// A curveball with the numbers it needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Curveball {
    /// A restore first waits `rebuild` for the image to be rebuilt.
    ImageMissing { rebuild: Millis },
    /// The looper fails for this share of the sites.
    LooperFails { failed_share: f64 },
    /// Pages reach nobody; gathering people by phone and chat takes `gather`.
    PagerDown { gather: Millis },
    /// Diagnosing the change takes this many times as long.
    MergerAway { diagnosis_factor: f64 },
    /// For `lasts`, steps done by people take `slowdown` times as long.
    SecondIncident { slowdown: f64, lasts: Millis },
}

impl Curveball {
    pub fn id(&self) -> CurveballId {
        match self {
            Curveball::ImageMissing { .. } => CurveballId::ImageMissing,
            Curveball::LooperFails { .. } => CurveballId::LooperFails,
            Curveball::PagerDown { .. } => CurveballId::PagerDown,
            Curveball::MergerAway { .. } => CurveballId::MergerAway,
            Curveball::SecondIncident { .. } => CurveballId::SecondIncident,
        }
    }
}

/// A room action or a curveball.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InterventionKind {
    Room(RoomAction),
    Curveball(Curveball),
}

/// Who an intervention came from, for the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionSource {
    /// A decision of the room.
    Room,
    /// A curveball the facilitator fired.
    Curveball,
}

/// One intervention at a moment of the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Intervention {
    pub at: SimTime,
    pub kind: InterventionKind,
}

impl Intervention {
    pub fn room(at: SimTime, action: RoomAction) -> Intervention {
        Intervention {
            at,
            kind: InterventionKind::Room(action),
        }
    }

    pub fn curveball(at: SimTime, curveball: Curveball) -> Intervention {
        Intervention {
            at,
            kind: InterventionKind::Curveball(curveball),
        }
    }

    /// `roll_back`, `enable_safeguard`, `looper_fails`…
    pub fn id(&self) -> &'static str {
        match &self.kind {
            InterventionKind::Room(a) => a.id().id(),
            InterventionKind::Curveball(c) => c.id().id(),
        }
    }

    pub fn source(&self) -> InterventionSource {
        match self.kind {
            InterventionKind::Room(_) => InterventionSource::Room,
            InterventionKind::Curveball(_) => InterventionSource::Curveball,
        }
    }

    /// The same intervention with every number brought into the range the engine handles
    /// (delays 0 to a year, shares 0 to 1, factors 1 to 100, times within a year of the
    /// origin): whatever a caller builds, a run cannot overflow or go back in time.
    fn sanitized(self) -> Intervention {
        let delay = |d: Millis| d.clamp(0, MAX_DELAY);
        let factor = |f: f64| {
            if f.is_finite() {
                f.clamp(1.0, 100.0)
            } else {
                1.0
            }
        };
        let kind = match self.kind {
            InterventionKind::Room(a) => InterventionKind::Room(match a {
                RoomAction::PageOnCall { ack_delay } => RoomAction::PageOnCall {
                    ack_delay: delay(ack_delay),
                },
                other => other,
            }),
            InterventionKind::Curveball(c) => InterventionKind::Curveball(match c {
                Curveball::ImageMissing { rebuild } => Curveball::ImageMissing {
                    rebuild: delay(rebuild),
                },
                Curveball::LooperFails { failed_share } => Curveball::LooperFails {
                    failed_share: if failed_share.is_finite() {
                        failed_share.clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                },
                Curveball::PagerDown { gather } => Curveball::PagerDown {
                    gather: delay(gather),
                },
                Curveball::MergerAway { diagnosis_factor } => Curveball::MergerAway {
                    diagnosis_factor: factor(diagnosis_factor),
                },
                Curveball::SecondIncident { slowdown, lasts } => Curveball::SecondIncident {
                    slowdown: factor(slowdown),
                    lasts: delay(lasts),
                },
            }),
        };
        Intervention {
            at: self.at.clamp(-MAX_DELAY, MAX_DELAY),
            kind,
        }
    }
}

use crate::limits::MAX_INTERVENTIONS;

/// Too many interventions for one run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0} interventions; a run takes at most {MAX_INTERVENTIONS}")]
pub struct TooManyInterventions(pub usize);

/// A window in which people work on something else too: steps done by people progress at
/// 1/`slowdown` of their pace inside it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BusyWindow {
    pub from: SimTime,
    pub until: SimTime,
    pub slowdown: f64,
}

impl BusyWindow {
    /// When a step of `work` milliseconds done by people, started at `start`, ends. The pace is
    /// 1/slowdown inside the window and 1 outside, so the end never comes sooner for a later
    /// start (the work done by a time only grows with time).
    pub fn end(&self, start: SimTime, work: Millis) -> SimTime {
        let mut t = start;
        let mut left = work as f64;
        if t < self.from {
            let free = (self.from - t) as f64;
            if left <= free {
                return start + work;
            }
            left -= free;
            t = self.from;
        }
        if t < self.until {
            let capacity = (self.until - t) as f64 / self.slowdown;
            if left <= capacity {
                return t + (left * self.slowdown).ceil() as Millis;
            }
            left -= capacity;
            t = self.until;
        }
        t + left.ceil() as Millis
    }

    /// The work of people done between `start` and `now` (what `end` counts): the time
    /// outside the window, and 1/slowdown of the time inside it.
    pub fn work_done(&self, start: SimTime, now: SimTime) -> Millis {
        if now <= start {
            return 0;
        }
        let inside = (now.min(self.until) - start.max(self.from)).max(0);
        let outside = (now - start) - inside;
        outside + (inside as f64 / self.slowdown).floor() as Millis
    }
}

/// The interventions of a run, in time order (ties keep the order given), with what the engine
/// precomputes from them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Interventions {
    list: Vec<Intervention>,
    /// The second incident's window, known from the list (see `BusyWindow::end`).
    busy: Option<BusyWindow>,
}

impl Interventions {
    /// No intervention: the run is exactly the one without them.
    pub const NONE: Interventions = Interventions {
        list: Vec::new(),
        busy: None,
    };

    /// Sorts the list by time (stably: a sorted list keeps its order) and brings every number
    /// into the engine's range.
    pub fn new(list: Vec<Intervention>) -> Result<Interventions, TooManyInterventions> {
        if list.len() > MAX_INTERVENTIONS {
            return Err(TooManyInterventions(list.len()));
        }
        let mut list: Vec<Intervention> = list.into_iter().map(Intervention::sanitized).collect();
        list.sort_by_key(|i| i.at);
        // Only the first second incident counts: firing it again changes nothing.
        let busy = list.iter().find_map(|i| match i.kind {
            InterventionKind::Curveball(Curveball::SecondIncident { slowdown, lasts }) => {
                Some(BusyWindow {
                    from: i.at,
                    until: i.at + lasts,
                    slowdown,
                })
            }
            _ => None,
        });
        Ok(Interventions { list, busy })
    }

    pub fn as_slice(&self) -> &[Intervention] {
        &self.list
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn busy(&self) -> Option<BusyWindow> {
        self.busy
    }

    /// The earliest intervention's time, if any.
    pub fn first_at(&self) -> Option<SimTime> {
        self.list.first().map(|i| i.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_window_slows_only_the_part_inside_it_and_never_ends_sooner_for_a_later_start() {
        let w = BusyWindow {
            from: 100,
            until: 200,
            slowdown: 2.0,
        };
        assert_eq!(w.end(0, 50), 50);
        assert_eq!(w.end(0, 150), 200, "100 before, then 50 of work in 100 ms");
        assert_eq!(w.end(150, 10), 170);
        assert_eq!(w.end(150, 100), 275, "25 of work inside, 75 after");
        assert_eq!(w.end(250, 10), 260);
        for (start, work) in [(0, 50), (50, 100), (150, 100), (250, 10), (90, 400)] {
            let end = w.end(start, work);
            let done = w.work_done(start, end);
            assert!((done - work).abs() <= 1, "{start} {work}: {done}");
        }
        let mut last = SimTime::MIN;
        for start in 0..400 {
            let end = w.end(start, 60);
            assert!(end >= last, "start {start}");
            last = end;
        }
    }

    #[test]
    fn interventions_are_sorted_stably_and_sanitized() {
        let list = vec![
            Intervention::room(50, RoomAction::PostStatus),
            Intervention::room(10, RoomAction::PageOnCall { ack_delay: -5 }),
            Intervention::room(50, RoomAction::StartLooper),
            Intervention::curveball(
                20,
                Curveball::LooperFails {
                    failed_share: f64::NAN,
                },
            ),
        ];
        let iv = Interventions::new(list).unwrap();
        let ids: Vec<&str> = iv.as_slice().iter().map(|i| i.id()).collect();
        assert_eq!(
            ids,
            [
                "page_on_call",
                "looper_fails",
                "post_status",
                "start_looper"
            ]
        );
        assert_eq!(
            iv.as_slice()[0].kind,
            InterventionKind::Room(RoomAction::PageOnCall { ack_delay: 0 })
        );
        assert_eq!(
            iv.as_slice()[1].kind,
            InterventionKind::Curveball(Curveball::LooperFails { failed_share: 0.0 })
        );
        assert!(Interventions::new(vec![
            Intervention::room(0, RoomAction::PostStatus);
            MAX_INTERVENTIONS + 1
        ])
        .is_err());
    }
}
