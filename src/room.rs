//! The room's view across two windows of one browser, without a server: the facilitator's
//! console publishes what the room may see, and the projector window follows it.
//!
//! The console sends a `RoomView` (see `state::room_view`: the scenario's view as a link, the
//! room's decisions and curveballs as the command line writes them, the playhead, the reveals,
//! the timers) on a `BroadcastChannel`, and also writes it to local storage, whose
//! `storage` event reaches other windows where `BroadcastChannel` is missing, and lets a
//! projector opened later start from the latest view. The projector computes the room's day
//! itself from these inputs (a run is a pure function of them), so only a few hundred bytes
//! cross, and it extrapolates the playhead while the replay plays.

use gloo::events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::room_view::read_view;
pub use crate::state::room_view::RoomView;
use crate::state::{AppState, Mode};

/// The channel's name, and the storage key of the latest view.
pub const CHANNEL: &str = "outage-drill:room";

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
        let seen = std::rc::Rc::new(std::cell::Cell::new(None::<(u64, u64)>));
        let deliver = {
            let seen = seen.clone();
            move |view: RoomView| {
                if view.follows(seen.get()) {
                    seen.set(Some((view.console, view.seq)));
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

/// The console's side: sends the room's view whenever what the room may see changes, and once
/// a second while the replay plays (the projector moves its own playhead in between).
#[hook]
pub fn use_room_publisher(state: &AppState) {
    let facilitating = state.exercise.mode == Mode::Facilitate;
    // The scenario, its assumptions and the seed, as a link (only when they change).
    let link = use_memo((state.scenario.clone(), state.seed), |(scenario, seed)| {
        let mut view = AppState::new((**scenario).clone());
        view.seed = *seed;
        crate::state::link::encode(&view)
    });
    let sent = use_mut_ref(|| None::<Sent>);
    let e = &state.exercise;
    let words = use_memo(
        (e.decisions.clone(), e.fired.clone(), state.scenario.clone()),
        |(_, _, scenario)| e.intervention_words(scenario),
    );
    let view = facilitating.then(|| RoomView {
        console: 0,
        seq: 0,
        link: (*link).clone(),
        actions: words.0.clone(),
        curveballs: words.1.clone(),
        now: state.replay.now,
        playing: state.replay.playing,
        speed: state.replay.speed,
        sent_at: 0.0,
        reveals: e.reveals,
        blank: e.blank,
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

/// What the console sent last.
struct Sent {
    publisher: Publisher,
    /// This console, for the projector: a new one each time the console starts.
    console: u64,
    seq: u64,
    wall: f64,
    last: Option<RoomView>,
}

/// Sends `view` unless only the playhead moved during playback and less than a second ago.
fn publish_if_due(sent: &mut Option<Sent>, mut view: RoomView) {
    let wall = js_sys::Date::now();
    let s = sent.get_or_insert_with(|| Sent {
        publisher: Publisher::new(),
        console: random_id(),
        seq: 0,
        wall: 0.0,
        last: None,
    });
    let same_but_now = s.last.as_ref().is_some_and(|l| {
        RoomView {
            now: view.now,
            ..l.clone()
        } == view
    });
    let due = !same_but_now
        || (!view.playing && s.last.as_ref().map(|l| l.now) != Some(view.now))
        || (view.playing && wall - s.wall >= 1_000.0);
    if due {
        s.seq += 1;
        let stamped = RoomView {
            console: s.console,
            seq: s.seq,
            sent_at: wall,
            ..view.clone()
        };
        s.publisher.publish(&stamped);
        s.wall = wall;
        view.seq = 0;
        s.last = Some(view);
    }
}

/// A fresh random id (53 bits, exact in JSON): for a decision, a curveball, a console, an
/// exercise, so that two tabs never take the same one.
pub fn random_id() -> u64 {
    let high = (js_sys::Math::random() * f64::from(1u32 << 21)) as u64;
    let low = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    ((high << 32) | low).max(1)
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
