//! The room's view across two windows of one browser, without a server: the facilitator's
//! console publishes what the room may see, and the projector window follows it.
//!
//! The console sends a `RoomView` (the scenario's view as a link, the room's decisions and
//! curveballs as the command line writes them, the playhead, the current inject, what has been
//! revealed, the timers) on a `BroadcastChannel`, and also writes it to local storage, whose
//! `storage` event reaches other windows where `BroadcastChannel` is missing, and lets a
//! projector opened later start from the latest view. The projector computes the room's day
//! itself from these inputs (a run is a pure function of them), so only a few hundred bytes
//! cross, and it extrapolates the playhead while the replay plays.

use gloo::events::EventListener;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::countdown::Countdown;

/// The channel's name, and the storage key of the latest view.
pub const CHANNEL: &str = "outage-drill:room";

/// What the room may see, as the console sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomView {
    /// Increases with every view the console sends (a projector ignores an older one).
    pub seq: u64,
    /// The scenario, its assumptions and the seed, as a link writes them.
    pub link: String,
    /// The room's decisions with an action, as the command line writes them (`15:40=roll_back`).
    pub actions: Vec<String>,
    /// The curveballs fired (`15:30=looper_fails`).
    pub curveballs: Vec<String>,
    /// The playhead, never past what has been revealed.
    pub now: i64,
    pub playing: bool,
    pub speed: u32,
    /// When this view was sent (ms since the Unix epoch): the projector moves the playhead on
    /// from there while the replay plays.
    pub sent_at: f64,
    /// The furthest moment revealed: the projector never shows past it.
    pub revealed_until: i64,
    /// The current inject's id.
    pub inject: Option<String>,
    pub outcome_revealed: bool,
    pub inject_timer: Countdown,
    pub exercise_timer: Countdown,
}

impl RoomView {
    /// The playhead at wall-clock time `wall`, moved on while the replay plays and never past
    /// what has been revealed or the end of the day.
    pub fn now_at(&self, wall: f64, end: i64) -> i64 {
        if !self.playing {
            return self.now;
        }
        let elapsed = (wall - self.sent_at).clamp(0.0, 3_600_000.0);
        let moved = self.now + (elapsed * f64::from(self.speed)) as i64;
        moved.min(end).max(self.now)
    }
}

/// Sends views from the console.
pub struct Publisher {
    channel: Option<web_sys::BroadcastChannel>,
}

impl Publisher {
    pub fn new() -> Publisher {
        Publisher {
            channel: web_sys::BroadcastChannel::new(CHANNEL).ok(),
        }
    }

    /// Sends `view` to every projector of this browser.
    pub fn publish(&self, view: &RoomView) {
        let Ok(text) = serde_json::to_string(view) else {
            return;
        };
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&JsValue::from_str(&text));
        }
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(CHANNEL, &text);
        }
    }
}

impl Default for Publisher {
    fn default() -> Self {
        Publisher::new()
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.close();
        }
    }
}

/// Reads a view sent by a console; `None` for anything else.
pub fn read_view(text: &str) -> Option<RoomView> {
    serde_json::from_str(text).ok()
}

/// The latest view a console left in storage, for a projector that opens after it.
pub fn latest_view() -> Option<RoomView> {
    let storage = web_sys::window()?.local_storage().ok().flatten()?;
    read_view(&storage.get_item(CHANNEL).ok().flatten()?)
}

/// Follows the console (when `enabled`): calls `on` with each newer view, from the channel or
/// from storage.
#[hook]
pub fn use_room_follower(enabled: bool, on: Callback<RoomView>) {
    use_effect_with(enabled, move |&enabled| {
        if !enabled {
            return Box::new(|| ()) as Box<dyn FnOnce()>;
        }
        let seen = std::rc::Rc::new(std::cell::Cell::new(0u64));
        let deliver = {
            let seen = seen.clone();
            move |view: RoomView| {
                if view.seq > seen.get() {
                    seen.set(view.seq);
                    on.emit(view);
                }
            }
        };
        if let Some(view) = latest_view() {
            deliver(view.clone());
        }
        let channel = web_sys::BroadcastChannel::new(CHANNEL).ok();
        let on_message = channel.as_ref().map(|channel| {
            let deliver = deliver.clone();
            let closure = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |e: web_sys::MessageEvent| {
                    if let Some(view) = e.data().as_string().and_then(|t| read_view(&t)) {
                        deliver(view);
                    }
                },
            );
            channel.set_onmessage(Some(closure.as_ref().unchecked_ref()));
            closure
        });
        let on_storage = EventListener::new(&gloo::utils::window(), "storage", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            if e.key().as_deref() == Some(CHANNEL) {
                if let Some(view) = e.new_value().and_then(|t| read_view(&t)) {
                    deliver(view);
                }
            }
        });
        Box::new(move || {
            if let Some(channel) = channel {
                channel.close();
            }
            drop((on_message, on_storage));
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> RoomView {
        RoomView {
            seq: 3,
            link: "seed=1".into(),
            actions: vec!["15:40=roll_back".into()],
            curveballs: vec![],
            now: 1_000,
            playing: true,
            speed: 60,
            sent_at: 10_000.0,
            revealed_until: 1_000,
            inject: Some("discovered".into()),
            outcome_revealed: false,
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
        assert_eq!(read_view(&serde_json::to_string(&v).unwrap()), Some(v));
        assert_eq!(read_view("{}"), None);
        assert_eq!(read_view("not json"), None);
    }
}

/// The console's side: sends the room's view whenever what the room may see changes, and once
/// a second while the replay plays (the projector moves its own playhead in between).
#[hook]
pub fn use_room_publisher(state: &crate::state::AppState) {
    use crate::state::Mode;
    let facilitating = state.exercise.mode == Mode::Facilitate;
    // The scenario, its assumptions and the seed, as a link (only when they change).
    let link = use_memo((state.scenario.clone(), state.seed), |(scenario, seed)| {
        let mut view = crate::state::AppState::new((**scenario).clone());
        view.seed = *seed;
        crate::state::link::encode(&view)
    });
    let sent = use_mut_ref(|| None::<(Publisher, u64, f64, Option<RoomView>)>);
    let e = &state.exercise;
    let view = facilitating.then(|| RoomView {
        seq: 0,
        link: (*link).clone(),
        actions: e
            .decisions
            .iter()
            .filter_map(|d| d.action.clone())
            .collect(),
        curveballs: e.fired.iter().map(|f| f.text.clone()).collect(),
        now: state.replay.now,
        playing: state.replay.playing,
        speed: state.replay.speed,
        sent_at: 0.0,
        revealed_until: e.revealed_until,
        inject: e
            .current
            .and_then(|k| Some(e.exercise.as_ref()?.injects.get(k)?.id.clone())),
        outcome_revealed: e.outcome_revealed,
        inject_timer: e.inject_timer,
        exercise_timer: e.exercise_timer,
    });
    // Sent after the render, like any effect.
    use_effect(move || {
        if let Some(view) = view {
            publish_if_due(&mut sent.borrow_mut(), view);
        }
    });
}

/// Sends `view` unless only the playhead moved during playback and less than a second ago.
fn publish_if_due(sent: &mut Option<(Publisher, u64, f64, Option<RoomView>)>, mut view: RoomView) {
    let wall = js_sys::Date::now();
    let (publisher, seq, last_wall, last) =
        sent.get_or_insert_with(|| (Publisher::new(), 0, 0.0, None));
    let same_but_now = last.as_ref().is_some_and(|l| {
        RoomView {
            now: view.now,
            ..l.clone()
        } == view
    });
    let due = !same_but_now
        || (!view.playing && last.as_ref().map(|l| l.now) != Some(view.now))
        || (view.playing && wall - *last_wall >= 1_000.0);
    if due {
        *seq += 1;
        let stamped = RoomView {
            seq: *seq,
            sent_at: wall,
            ..view.clone()
        };
        publisher.publish(&stamped);
        *last_wall = wall;
        view.seq = 0;
        *last = Some(view);
    }
}

/// Opens the room's view (the projector) in a window of its own, next to this page.
pub fn open_projector() {
    let window = gloo::utils::window();
    let location = window.location();
    let url = format!(
        "{}{}{}#mode=projector",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let _ = window.open_with_url_and_target(&url, "outage-drill-projector");
}
