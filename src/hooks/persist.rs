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
//! (`initial_state`).

use gloo::events::EventListener;
use outage_sim::scenario::Scenario;
use yew::prelude::*;

use crate::session;
use crate::state::exercise::{Stored, EXERCISE_RECORD};
use crate::state::link::{self, Source};
use crate::state::variant::{KeptFile, LoadedFile, FILE_RECORD};
use crate::state::{Action, AppState, Dispatch, Mode, Notice, NoticeAction};
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
    match storage::load::<Stored>(EXERCISE_RECORD) {
        Loaded::Data(stored) => base.exercise.restore(stored),
        Loaded::SetAside(message) => base.notify(Notice::error(format!(
            "{message} The exercise starts with an empty log."
        ))),
        Loaded::Held(message) => base.notify(held(EXERCISE_RECORD, message)),
        Loaded::Nothing => {}
    }
    // The scenario file imported last time, for a view that names it.
    match storage::load::<KeptFile>(FILE_RECORD) {
        Loaded::Data(kept) => match LoadedFile::from_kept(&kept) {
            Ok(file) => base.variant.last_file = Some(file),
            Err(why) => base.notify(Notice::error(format!(
                "The scenario file {} kept from your last visit no longer reads ({why}): import it again.",
                kept.name
            ))),
        },
        Loaded::SetAside(message) => base.notify(Notice::error(message)),
        Loaded::Held(message) => base.notify(held(FILE_RECORD, message)),
        Loaded::Nothing => {}
    }
    let fragment = current_fragment();
    if !fragment.trim().is_empty() {
        return base.opened(&fragment, Source::Link);
    }
    match session::load() {
        Loaded::Nothing => base,
        Loaded::Data(view) => base.opened(&view, Source::Session),
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

/// Keeps the last imported scenario file in the browser whenever another one is loaded.
#[hook]
pub fn use_kept_file(state: &AppState, dispatch: Dispatch) {
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
    let text = (!state.replay.playing && !projector).then(|| link::encode(state));
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
        // The exercise's log and notes, saved as they are typed.
        let stored = (!projector).then(|| state.exercise.stored());
        let dispatch = dispatch.clone();
        let failed = use_mut_ref(|| false);
        use_effect_with(stored, move |stored| {
            if let Some(stored) = stored {
                if let Err(why) = storage::save(EXERCISE_RECORD, stored) {
                    if !*failed.borrow() {
                        *failed.borrow_mut() = true;
                        dispatch.dispatch(Action::Notify(Notice::error(format!(
                            "The decision log cannot be kept in this browser ({why}): download the report now and then to keep it."
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
