//! Keyboard shortcuts, everywhere on the page: Space plays or pauses, ← and → step to the
//! previous or next moment, Home and End go to the start or the end, F switches full screen,
//! and ? shows the list. The facilitator's console adds N and P (next and previous inject),
//! R (reveal the outcome, asked first), B (blank the projector) and U (take back the last
//! reveal); there End asks first too, and Space plays or pauses even with a button focused (it
//! never presses the button). A key is left to the page when focus is in a text field (typing),
//! on a control that uses the key itself (Space on a button outside the console, arrows on a
//! slider or a list), or when a modifier is held (the browser's own shortcuts).

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// What a shortcut asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    PlayPause,
    Previous,
    Next,
    Start,
    End,
    FullScreen,
    Help,
    /// Closes what a shortcut opened (the list).
    Close,
    NextInject,
    PrevInject,
    Reveal,
    Blank,
    Undo,
}

/// Which set of shortcuts the page offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keys {
    Explore,
    Console,
    /// The room's view follows the console: only full screen and the list.
    Projector,
}

/// The shortcuts as the help lists them: keys, then what they do.
pub fn shortcut_list(keys: Keys) -> &'static [(&'static str, &'static str)] {
    match keys {
        Keys::Explore => &[
            ("Space", "Play or pause the replay"),
            ("← →", "Previous or next moment"),
            ("Home End", "Back to the start, or show everything"),
            ("F", "Full screen on or off"),
            ("?", "Show or hide these shortcuts"),
            ("Esc", "Close this list"),
        ],
        Keys::Console => &[
            ("Space", "Play or pause (never presses a focused button)"),
            ("N P", "Next or previous inject"),
            ("← →", "Previous or next moment"),
            ("R", "Reveal the outcome to the room (asked first)"),
            ("End", "Jump to the end of the day (asked first)"),
            ("U", "Take back the last reveal, until the next inject"),
            ("B", "Blank the projector, or show it again"),
            ("Home", "Back to the start"),
            ("F", "Full screen on or off"),
            ("?", "Show or hide these shortcuts"),
            ("Esc", "Close this list"),
        ],
        Keys::Projector => &[
            ("F", "Full screen on or off"),
            ("?", "Show or hide these shortcuts"),
            ("Esc", "Close this list"),
        ],
    }
}

/// The shortcut a key press means, if any, given what has the focus (`None`: the page).
pub fn shortcut_for(
    key: &str,
    focus: Option<&str>,
    focus_type: Option<&str>,
    keys: Keys,
) -> Option<Shortcut> {
    let in_text = matches!(focus, Some("input" | "textarea" | "select"))
        && !matches!(
            focus_type,
            Some("checkbox" | "radio" | "button" | "submit" | "range")
        );
    if in_text {
        return None;
    }
    let toggles = matches!(focus_type, Some("checkbox" | "radio"));
    let activates = matches!(focus, Some("button" | "a" | "summary"))
        || matches!(focus_type, Some("button" | "submit"));
    let slides = matches!(focus_type, Some("range")) || matches!(focus, Some("select"));
    let console = keys == Keys::Console;
    let shortcut = match key {
        // In the console Space is play/pause even on a button: a facilitator who clicked a
        // button and then presses Space must not press it again.
        " " | "Spacebar" if !toggles && (console || !activates) => Shortcut::PlayPause,
        "ArrowLeft" if !slides => Shortcut::Previous,
        "ArrowRight" if !slides => Shortcut::Next,
        "Home" if !slides => Shortcut::Start,
        "End" if !slides => Shortcut::End,
        "f" | "F" => Shortcut::FullScreen,
        "?" => Shortcut::Help,
        "Escape" => Shortcut::Close,
        "n" | "N" if console => Shortcut::NextInject,
        "p" | "P" if console => Shortcut::PrevInject,
        "r" | "R" if console => Shortcut::Reveal,
        "b" | "B" if console => Shortcut::Blank,
        "u" | "U" if console => Shortcut::Undo,
        _ => return None,
    };
    if keys == Keys::Projector
        && !matches!(
            shortcut,
            Shortcut::FullScreen | Shortcut::Help | Shortcut::Close
        )
    {
        return None;
    }
    Some(shortcut)
}

/// Switches the page's full screen on or off.
pub fn toggle_full_screen() {
    let document = gloo::utils::document();
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    } else if let Some(root) = document.document_element() {
        let _ = root.request_fullscreen();
    }
}

/// Calls `on` with each shortcut of `keys` the user presses anywhere on the page (none while a
/// dialog of the page is open: it has the keyboard).
#[hook]
pub fn use_shortcuts(keys: Keys, on: Callback<Shortcut>) {
    use_effect_with((on, keys), |(on, keys)| {
        let keys = *keys;
        let on = on.clone();
        let document = gloo::utils::document();
        // Not passive: a handled key's default (scrolling the page) is prevented.
        let options = EventListenerOptions::enable_prevent_default();
        let listener =
            EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if event.ctrl_key()
                    || event.meta_key()
                    || event.alt_key()
                    || event.default_prevented()
                {
                    return;
                }
                let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
                let editable = target
                    .as_ref()
                    .and_then(|t| {
                        t.closest("[contenteditable], [role=dialog][aria-modal=true]")
                            .ok()
                            .flatten()
                    })
                    .is_some();
                if editable {
                    return;
                }
                let tag = target.as_ref().map(|t| t.tag_name().to_ascii_lowercase());
                let kind = target
                    .as_ref()
                    .and_then(|t| t.get_attribute("type"))
                    .map(|t| t.to_ascii_lowercase());
                let tag = tag.filter(|t| t != "body" && t != "html");
                if let Some(shortcut) =
                    shortcut_for(&event.key(), tag.as_deref(), kind.as_deref(), keys)
                {
                    event.prevent_default();
                    on.emit(shortcut);
                }
            });
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explore(key: &str, focus: Option<&str>, kind: Option<&str>) -> Option<Shortcut> {
        shortcut_for(key, focus, kind, Keys::Explore)
    }

    fn console(key: &str, focus: Option<&str>, kind: Option<&str>) -> Option<Shortcut> {
        shortcut_for(key, focus, kind, Keys::Console)
    }

    #[test]
    fn keys_act_on_the_page_and_are_left_to_fields_and_controls() {
        assert_eq!(explore(" ", None, None), Some(Shortcut::PlayPause));
        assert_eq!(explore("ArrowRight", None, None), Some(Shortcut::Next));
        assert_eq!(explore("End", Some("div"), None), Some(Shortcut::End));
        assert_eq!(explore("F", None, None), Some(Shortcut::FullScreen));
        assert_eq!(explore("?", Some("svg"), None), Some(Shortcut::Help));
        // Typing in a field is typing, in every set.
        for keys in [Keys::Explore, Keys::Console] {
            for key in [" ", "ArrowLeft", "Home", "f", "?", "n", "r", "b"] {
                assert_eq!(
                    shortcut_for(key, Some("textarea"), None, keys),
                    None,
                    "{key}"
                );
                assert_eq!(
                    shortcut_for(key, Some("input"), Some("text"), keys),
                    None,
                    "{key}"
                );
                assert_eq!(
                    shortcut_for(key, Some("input"), Some("date"), keys),
                    None,
                    "{key}"
                );
                assert_eq!(
                    shortcut_for(key, Some("input"), Some("number"), keys),
                    None,
                    "{key}"
                );
            }
        }
        // Outside the console a button's Space presses the button; a slider's arrows move it.
        assert_eq!(explore(" ", Some("button"), None), None);
        assert_eq!(
            explore("ArrowRight", Some("button"), None),
            Some(Shortcut::Next)
        );
        assert_eq!(explore(" ", Some("input"), Some("checkbox")), None);
        assert_eq!(explore("ArrowLeft", Some("input"), Some("range")), None);
        assert_eq!(
            explore(" ", Some("input"), Some("range")),
            Some(Shortcut::PlayPause)
        );
        assert_eq!(explore("ArrowDown", Some("select"), None), None);
        assert_eq!(explore("x", None, None), None);
        assert_eq!(
            explore("n", None, None),
            None,
            "inject keys are the console's"
        );
    }

    #[test]
    fn the_console_s_keys_and_space_never_pressing_a_button() {
        assert_eq!(
            console(" ", Some("button"), None),
            Some(Shortcut::PlayPause)
        );
        assert_eq!(
            console(" ", Some("input"), Some("submit")),
            Some(Shortcut::PlayPause)
        );
        assert_eq!(
            console(" ", Some("input"), Some("checkbox")),
            None,
            "a tick box ticks"
        );
        assert_eq!(console("n", None, None), Some(Shortcut::NextInject));
        assert_eq!(
            console("P", Some("button"), None),
            Some(Shortcut::PrevInject)
        );
        assert_eq!(console("r", None, None), Some(Shortcut::Reveal));
        assert_eq!(console("B", None, None), Some(Shortcut::Blank));
        assert_eq!(console("u", None, None), Some(Shortcut::Undo));
        assert_eq!(console("End", None, None), Some(Shortcut::End));
    }

    #[test]
    fn the_projector_has_only_full_screen_and_the_list() {
        for key in [" ", "ArrowRight", "End", "n", "r", "b"] {
            assert_eq!(
                shortcut_for(key, None, None, Keys::Projector),
                None,
                "{key}"
            );
        }
        assert_eq!(
            shortcut_for("f", None, None, Keys::Projector),
            Some(Shortcut::FullScreen)
        );
        assert_eq!(
            shortcut_for("?", None, None, Keys::Projector),
            Some(Shortcut::Help)
        );
        for keys in [Keys::Explore, Keys::Console, Keys::Projector] {
            assert!(shortcut_list(keys).iter().any(|(k, _)| *k == "?"));
        }
    }
}
