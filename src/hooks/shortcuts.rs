//! Keyboard shortcuts, everywhere on the page: Space plays or pauses, ← and → step to the
//! previous or next moment, Home and End go to the start or the end, F switches full screen,
//! and ? shows the list. A key is left to the page when focus is in a text field (typing, its
//! own scrolling), on a control that uses the key itself (Space on a button, arrows on a slider
//! or a list), or when a modifier is held (the browser's own shortcuts).

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
}

/// The shortcuts as the help lists them: keys, then what they do.
pub const SHORTCUTS: [(&str, &str); 6] = [
    ("Space", "Play or pause the replay"),
    ("← →", "Previous or next moment"),
    ("Home End", "Back to the start, or show everything"),
    ("F", "Full screen on or off"),
    ("?", "Show or hide these shortcuts"),
    ("Esc", "Close this list"),
];

/// The shortcut a key press means, if any, given what has the focus (`None`: the page).
pub fn shortcut_for(key: &str, focus: Option<&str>, focus_type: Option<&str>) -> Option<Shortcut> {
    let in_text = matches!(focus, Some("input" | "textarea" | "select"))
        && !matches!(
            focus_type,
            Some("checkbox" | "radio" | "button" | "submit" | "range")
        );
    if in_text {
        return None;
    }
    let activates = matches!(focus, Some("button" | "a" | "summary"))
        || matches!(focus_type, Some("checkbox" | "radio" | "button" | "submit"));
    let slides = matches!(focus_type, Some("range")) || matches!(focus, Some("select"));
    match key {
        " " | "Spacebar" if !activates => Some(Shortcut::PlayPause),
        "ArrowLeft" if !slides => Some(Shortcut::Previous),
        "ArrowRight" if !slides => Some(Shortcut::Next),
        "Home" if !slides => Some(Shortcut::Start),
        "End" if !slides => Some(Shortcut::End),
        "f" | "F" => Some(Shortcut::FullScreen),
        "?" => Some(Shortcut::Help),
        "Escape" => Some(Shortcut::Close),
        _ => None,
    }
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

/// Calls `on` with each shortcut the user presses anywhere on the page.
#[hook]
pub fn use_shortcuts(on: Callback<Shortcut>) {
    use_effect_with(on, |on| {
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
                    .and_then(|t| t.closest("[contenteditable]").ok().flatten())
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
                if let Some(shortcut) = shortcut_for(&event.key(), tag.as_deref(), kind.as_deref())
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

    #[test]
    fn keys_act_on_the_page_and_are_left_to_fields_and_controls() {
        assert_eq!(shortcut_for(" ", None, None), Some(Shortcut::PlayPause));
        assert_eq!(shortcut_for("ArrowRight", None, None), Some(Shortcut::Next));
        assert_eq!(shortcut_for("End", Some("div"), None), Some(Shortcut::End));
        assert_eq!(shortcut_for("F", None, None), Some(Shortcut::FullScreen));
        assert_eq!(shortcut_for("?", Some("svg"), None), Some(Shortcut::Help));
        // Typing in a field is typing.
        for key in [" ", "ArrowLeft", "Home", "f", "?"] {
            assert_eq!(shortcut_for(key, Some("textarea"), None), None, "{key}");
            assert_eq!(
                shortcut_for(key, Some("input"), Some("text")),
                None,
                "{key}"
            );
            assert_eq!(
                shortcut_for(key, Some("input"), Some("number")),
                None,
                "{key}"
            );
        }
        // A button's Space presses the button; a slider's arrows move the slider.
        assert_eq!(shortcut_for(" ", Some("button"), None), None);
        assert_eq!(
            shortcut_for("ArrowRight", Some("button"), None),
            Some(Shortcut::Next)
        );
        assert_eq!(shortcut_for(" ", Some("input"), Some("checkbox")), None);
        assert_eq!(
            shortcut_for("ArrowLeft", Some("input"), Some("range")),
            None
        );
        assert_eq!(
            shortcut_for(" ", Some("input"), Some("range")),
            Some(Shortcut::PlayPause)
        );
        assert_eq!(shortcut_for("ArrowDown", Some("select"), None), None);
        assert_eq!(shortcut_for("x", None, None), None);
    }
}
