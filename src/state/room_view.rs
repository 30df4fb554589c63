//! What the facilitator's console tells a projector: the view the room may be shown, as data
//! (pure and tested natively). `room` sends and receives it between windows; the projector
//! takes it with `Action::FollowRoom`, reads its texts into typed values once there, and works
//! out what the room sees from the clock and the reveals (`outage_sim::exercise::visibility`).

use outage_sim::exercise::visibility::Reveals;
use serde::{Deserialize, Serialize};

use super::countdown::Countdown;

/// What the room may see, as the console sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomView {
    /// The console that sent it: a console gets a new one each time it starts, so a console
    /// reloaded (or crashed and reopened) is followed at once, whatever its `seq`.
    pub console: u64,
    /// Increases with every view a console sends (a projector ignores an older one).
    pub seq: u64,
    /// The scenario, its assumptions and the seed, as a link writes them.
    pub link: String,
    /// The room's decisions with an action, as the command line writes them (`15:40=roll_back`).
    pub actions: Vec<String>,
    /// The curveballs fired (`15:30=looper_fails`).
    pub curveballs: Vec<String>,
    /// The playhead.
    pub now: i64,
    pub playing: bool,
    pub speed: u32,
    /// When this view was sent (ms since the Unix epoch): the projector moves the playhead on
    /// from there while the replay plays.
    pub sent_at: f64,
    /// What the facilitator revealed explicitly.
    pub reveals: Reveals,
    /// The projector shows a black screen (for a discussion away from the screen).
    pub blank: bool,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
}

impl RoomView {
    /// The playhead at wall-clock time `wall`, moved on while the replay plays and never past
    /// `end` (the next stop).
    pub fn now_at(&self, wall: f64, end: i64) -> i64 {
        if !self.playing {
            return self.now;
        }
        let elapsed = (wall - self.sent_at).clamp(0.0, 3_600_000.0);
        let moved = self.now + (elapsed * f64::from(self.speed)) as i64;
        moved.min(end).max(self.now)
    }

    /// Whether a projector that last took `last` should take this view: any view of another
    /// console (a reloaded one starts again at 1), a newer one of the same console.
    pub fn follows(&self, last: Option<(u64, u64)>) -> bool {
        match last {
            Some((console, seq)) => console != self.console || self.seq > seq,
            None => true,
        }
    }
}

/// What a console's view can be at most: the view as a link writes it, the room's decisions
/// and curveballs in the command line's words, and the rest.
const ROOM_VIEW: outage_sim::input::Kind = outage_sim::input::Kind {
    what: "a console's view",
    max_bytes: outage_sim::limits::SESSION_BYTES
        + (outage_sim::limits::MAX_DECISIONS + outage_sim::limits::MAX_FIRED) * 256
        + 4_096,
};

/// Reads a view sent by a console (through the one reader: size, encoding, a key given twice);
/// `None` for anything else.
pub fn read_view(text: &str) -> Option<RoomView> {
    let value = outage_sim::input::parse(text.as_bytes(), ROOM_VIEW).ok()?;
    serde_json::from_value(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn view() -> RoomView {
        RoomView {
            console: 7,
            seq: 3,
            link: "seed=1".into(),
            actions: vec!["15:40=roll_back".into()],
            curveballs: vec![],
            now: 1_000,
            playing: true,
            speed: 60,
            sent_at: 10_000.0,
            reveals: Reveals::default(),
            blank: false,
            inject_timer: Countdown::new(60_000),
            exercise_timer: Countdown::new(600_000),
        }
    }

    #[test]
    fn the_playhead_moves_on_while_playing_and_stops_at_the_end() {
        let v = view();
        assert_eq!(v.now_at(11_000.0, 1_000_000), 61_000, "a second at 60×");
        assert_eq!(v.now_at(9_000.0, 1_000_000), 1_000, "never back");
        assert_eq!(v.now_at(1e12, 500_000), 500_000, "never past the end");
        let paused = RoomView {
            playing: false,
            ..v
        };
        assert_eq!(paused.now_at(99_000.0, 1_000_000), 1_000);
    }

    #[test]
    fn views_cross_as_text_and_anything_else_is_ignored() {
        let v = view();
        assert_eq!(
            read_view(&serde_json::to_string(&v).unwrap()),
            Some(v.clone())
        );
        assert_eq!(read_view("{}"), None);
        assert_eq!(read_view("not json"), None);
        let twice = serde_json::to_string(&v)
            .unwrap()
            .replacen("{", "{\"seq\":9,", 1);
        assert_eq!(read_view(&twice), None, "a key given twice is refused");
    }

    #[test]
    fn a_reloaded_console_is_followed_at_once() {
        let v = view();
        assert!(v.follows(None));
        assert!(v.follows(Some((7, 2))));
        assert!(!v.follows(Some((7, 3))), "the same view again");
        assert!(
            !v.follows(Some((7, 14))),
            "an older view of the same console"
        );
        // The console reloaded: its sequence starts again, under a new console id.
        let reloaded = RoomView {
            console: 8,
            seq: 1,
            ..view()
        };
        assert!(reloaded.follows(Some((7, 14))));
    }
}
