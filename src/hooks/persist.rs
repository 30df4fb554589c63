//! Keeps the view in the address bar and in the saved session, and follows the address bar.
//!
//! The view is written to the URL fragment (after `#`: it never reaches the host's logs and
//! works on any static host) with `history.replaceState` as the state changes, and with
//! `pushState` for the changes that deserve a history entry (a preset, a scenario, a reset: see
//! `AppState::history_epoch`). While the replay plays, the playhead changes every frame, so the
//! address and the session are written when it stops. Back, forward and a fragment edited by
//! hand open the view they name.
//!
//! The app opens with the view of its address, else the last session, else the record
//! (`initial_state`). The exercise is kept apart, merged with what other tabs keep
//! (`use_exercise_store`, see `state::exercise_store`). A view that names the scenario file
//! kept from the last visit waits for that file to be read (`use_kept_file`; the reader is not
//! in the page's start), and nothing is written meanwhile.

use gloo::events::EventListener;
use outage_sim::scenario::Scenario;
use yew::prelude::*;

use crate::scenario_file::{read_scenario_file, UNAVAILABLE};
use crate::session;
use crate::state::exercise::{ExerciseAction, Stored, EXERCISE_RECORD};
use crate::state::exercise_store::merge;
use crate::state::learn::{Stored as LearnStored, LEARN_RECORD};
use crate::state::link::{self, Source};
use crate::state::variant::{KeptFile, FILE_RECORD};
use crate::state::{Action, AppState, Dispatch, Mode, Notice, NoticeAction, Page, VariantAction};
use crate::storage::{self, Loaded, Record};

/// The text after `#` in the address, as the browser gives it (still %-escaped).
pub fn current_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

fn write_fragment(text: &str, push: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let url = format!("#{text}");
    let _ = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// The state the app opens with: the view the address names, else the last session, else the
/// record; with the exercise's decision log as it was left (not on the room's projector, which
/// only follows the console). What could not be applied is said in a notice.
pub fn initial_state(scenario: Scenario) -> AppState {
    let mut base = AppState::new(scenario);
    let mut kept_now = None;
    match storage::load::<Stored>(EXERCISE_RECORD) {
        Loaded::Data(stored) => {
            kept_now = stored.room.now;
            let scenario = base.scenario.clone();
            let unread = base.exercise.restore(stored, &scenario);
            if !unread.is_empty() {
                base.notify(Notice::error(format!(
                    "The exercise's log keeps what it could not read, as it was: {}.",
                    unread.join("; ")
                )));
            }
        }
        Loaded::SetAside(message) => base.notify(Notice::error(format!(
            "{message} The exercise starts with an empty log."
        ))),
        Loaded::Held(message) => base.notify(held(EXERCISE_RECORD, message)),
        Loaded::Nothing => {}
    }
    // The learner's progress in train mode, as it was left.
    match storage::load::<LearnStored>(LEARN_RECORD) {
        Loaded::Data(stored) => {
            if let Some(message) = base.learn.restore(stored) {
                base.notify(Notice::error(message));
            }
        }
        Loaded::SetAside(message) => base.notify(Notice::error(format!(
            "{message} Train mode starts from the beginning."
        ))),
        Loaded::Held(message) => base.notify(held(LEARN_RECORD, message)),
        Loaded::Nothing => {}
    }
    let opened = |state: AppState| back_where_the_console_was(state, kept_now);
    // The scenario file imported last time, for a view that names it (read when one does).
    match storage::load::<KeptFile>(FILE_RECORD) {
        Loaded::Data(kept) => base.variant.unread = Some(kept.unread()),
        Loaded::SetAside(message) => base.notify(Notice::error(message)),
        Loaded::Held(message) => base.notify(held(FILE_RECORD, message)),
        Loaded::Nothing => {}
    }
    let fragment = current_fragment();
    if !fragment.trim().is_empty() {
        return opened(base.opened(&fragment, Source::Link));
    }
    match session::load() {
        // A first visit: the start screen.
        Loaded::Nothing => {
            base.learn.page = Page::Start;
            base
        }
        Loaded::Data(view) => opened(base.opened(&view, Source::Session)),
        Loaded::SetAside(message) => {
            let mut state = base;
            state.notify(Notice::error(format!(
                "{message} The app starts from the record."
            )));
            state
        }
        Loaded::Held(message) => {
            let mut state = base;
            state.notify(held(session::SESSION, message));
            state
        }
    }
}

/// A console opens where it was left (the stored position, which another tab may have moved
/// since this address was written), with the inject timer following its clock.
fn back_where_the_console_was(
    mut state: AppState,
    kept_now: Option<outage_sim::SimTime>,
) -> AppState {
    if state.exercise.mode == Mode::Facilitate {
        if let Some(t) = kept_now {
            let (t0, t1) = state.derived.range;
            state.replay.now = t.clamp(t0, t1);
        }
        let now = state.replay.now;
        state.exercise.follow_clock(now);
    }
    state
}

/// The notice of a record held because storage is full: it offers the download.
fn held(record: Record, message: String) -> Notice {
    Notice {
        action: Some(NoticeAction::DownloadHeld(record)),
        ..Notice::error(message)
    }
}

/// Downloads a held record as a file, after which the app may save over it again.
pub fn download_held(record: Record) -> Result<(), String> {
    let text =
        storage::held(record.key).ok_or_else(|| format!("{} is no longer held", record.what))?;
    crate::download::download_text(
        &storage::held_file_name(record.key),
        "application/json",
        &text,
    )?;
    storage::release(record.key);
    Ok(())
}

/// Keeps the last imported scenario file in the browser whenever another one is loaded; reads
/// the one kept from the last visit when a view waits for it.
#[hook]
pub fn use_kept_file(state: &AppState, dispatch: Dispatch) {
    let variant = &state.variant;
    let wanted = variant.waiting.as_ref().and(variant.unread.clone());
    {
        let dispatch = dispatch.clone();
        use_effect_with(wanted, move |wanted| {
            if let Some(unread) = wanted.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let read = read_scenario_file(unread.text.as_bytes()).await;
                    let read = read.map_err(|_| UNAVAILABLE.to_string());
                    dispatch.dispatch(Action::Variant(VariantAction::Restored(read)));
                });
            }
        });
    }
    let file = state.variant.last_file.clone();
    use_effect_with(file, move |file| {
        if let Some(file) = file {
            if let Err(why) = storage::save(FILE_RECORD, &file.kept()) {
                dispatch.dispatch(Action::Notify(Notice::error(format!(
                    "The scenario file {} cannot be kept in this browser ({why}): after a reload, import it again.",
                    file.name
                ))));
            }
        }
    });
}

/// What was last written, to tell our own changes from the user's.
struct Written {
    text: Option<String>,
    epoch: u32,
    /// A failed save was reported (once is enough).
    save_failed: bool,
}

/// Writes the view to the address and the session, and opens the view of an address the user
/// changes (back, forward, an edited fragment).
#[hook]
pub fn use_persistence(state: &AppState, dispatch: Dispatch) {
    let written = use_mut_ref(|| Written {
        text: None,
        epoch: state.history_epoch,
        save_failed: false,
    });
    // The projector follows the console and writes nothing: the console's session is its own.
    let projector = state.exercise.mode == Mode::Projector;
    // While the replay plays or its scrub bar is dragged, the address is written when it stops.
    let moving = state.replay.playing || state.replay.scrubbing;
    // A view waiting for the kept file is not shown yet: the address keeps naming it.
    let waiting = state.variant.waiting.is_some();
    let text = (!moving && !projector && !waiting).then(|| link::encode(state));
    {
        let (written, dispatch) = (written.clone(), dispatch.clone());
        use_effect_with((text, state.history_epoch), move |(text, epoch)| {
            let Some(text) = text else { return };
            let mut w = written.borrow_mut();
            if w.text.as_deref() == Some(text.as_str()) {
                return;
            }
            let push = w.text.is_some() && *epoch != w.epoch;
            write_fragment(text, push);
            if let Err(why) = session::save(text) {
                if !w.save_failed {
                    w.save_failed = true;
                    dispatch.dispatch(Action::Notify(Notice::error(format!(
                        "This session cannot be kept in this browser ({why}): the link in the address bar still holds it."
                    ))));
                }
            }
            w.text = Some(text.clone());
            w.epoch = *epoch;
        });
    }
    {
        // The learner's progress in train mode, saved as they go.
        let stored = (!projector).then(|| state.learn.stored());
        let dispatch = dispatch.clone();
        let failed = use_mut_ref(|| false);
        use_effect_with(stored, move |stored| {
            if let Some(stored) = stored {
                if let Err(why) = storage::save(LEARN_RECORD, stored) {
                    if !*failed.borrow() {
                        *failed.borrow_mut() = true;
                        dispatch.dispatch(Action::Notify(Notice::error(format!(
                            "Your training progress cannot be kept in this browser ({why}): finish in this tab, or keep the result link."
                        ))));
                    }
                }
            }
        });
    }
    use_effect_with((), move |_| {
        let follow = move || {
            let fragment = current_fragment();
            let changed = written.borrow().text.as_deref() != Some(fragment.as_str());
            if changed && !fragment.trim().is_empty() {
                // Written back (canonically) by the effect above once the state follows.
                written.borrow_mut().text = Some(fragment.clone());
                dispatch.dispatch(Action::OpenLink(fragment));
            }
        };
        let window = gloo::utils::window();
        let on_pop = {
            let follow = follow.clone();
            EventListener::new(&window, "popstate", move |_| follow())
        };
        let on_hash = EventListener::new(&window, "hashchange", move |_| follow());
        move || drop((on_pop, on_hash))
    });
}

/// Keeps the exercise in local storage as it changes, merged with what other tabs keep there,
/// and follows their changes (see `state::exercise_store`). Only a console writes; a tab that
/// cannot save says so where the user types (`ExerciseState::save_problem`).
#[hook]
pub fn use_exercise_store(state: &AppState, dispatch: Dispatch) {
    let facilitating = state.exercise.mode == Mode::Facilitate;
    let projector = state.exercise.mode == Mode::Projector;
    // While the replay plays the playhead moves every frame: the position kept is the last one
    // it stopped at, so decisions logged while it plays are saved at once all the same.
    let paused_at = use_mut_ref(|| state.replay.now);
    if !state.replay.playing {
        *paused_at.borrow_mut() = state.replay.now;
    }
    let local = state.exercise.stored(&state.scenario, *paused_at.borrow());
    let base = use_mut_ref(|| match storage::load::<Stored>(EXERCISE_RECORD) {
        Loaded::Data(stored) => stored,
        _ => local.clone(),
    });
    let latest = use_mut_ref(|| (local.clone(), facilitating, projector));
    *latest.borrow_mut() = (local.clone(), facilitating, projector);
    let problem = use_mut_ref(|| None::<String>);
    let sync = {
        let (base, problem, dispatch) = (base.clone(), problem.clone(), dispatch.clone());
        std::rc::Rc::new(move |local: &Stored, write: bool| {
            let remote = match storage::load::<Stored>(EXERCISE_RECORD) {
                Loaded::Data(stored) => stored,
                Loaded::Nothing => base.borrow().clone(),
                Loaded::SetAside(message) => {
                    dispatch.dispatch(Action::Notify(Notice::error(message)));
                    base.borrow().clone()
                }
                // Storage is full and the record there is kept until downloaded: saving over it
                // is refused (and said where the user types), the notice offers the download.
                Loaded::Held(message) => {
                    dispatch.dispatch(Action::Notify(held(EXERCISE_RECORD, message)));
                    base.borrow().clone()
                }
            };
            let merged = if write {
                merge(&base.borrow(), local, &remote)
            } else {
                remote.clone()
            };
            let failed = (write && merged != remote)
                .then(|| storage::save(EXERCISE_RECORD, &merged).err())
                .flatten();
            *base.borrow_mut() = if failed.is_some() {
                remote
            } else {
                merged.clone()
            };
            let said = failed.map(|why| {
                format!("Not saved in this browser ({why}): keep this tab open and download the report to keep what is typed here.")
            });
            if *problem.borrow() != said && (write || said.is_none()) {
                *problem.borrow_mut() = said.clone();
                dispatch.dispatch(Action::Exercise(ExerciseAction::Saved(said)));
            }
            if merged != *local {
                dispatch.dispatch(Action::Exercise(ExerciseAction::Merge(Box::new(merged))));
            }
        })
    };
    {
        let sync = sync.clone();
        use_effect_with((local, facilitating), move |(local, facilitating)| {
            if *facilitating {
                sync(local, true);
            }
        });
    }
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
            use wasm_bindgen::JsCast;
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            if e.key().as_deref() != Some(EXERCISE_RECORD.key) {
                return;
            }
            let (local, facilitating, projector) = latest.borrow().clone();
            // Another tab wrote: a console merges and follows; a page exploring the replay
            // takes it as it is; the room's projector follows only the console's view.
            if !projector {
                sync(&local, facilitating);
            }
        });
        move || drop(listener)
    });
}
