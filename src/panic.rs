//! What happens when the app panics: the message and stack go to the console, and the page is
//! replaced by a readable error panel, so a bug never leaves a blank or frozen page.

use std::panic::PanicHookInfo;

use web_sys::{Document, Element};

/// The id of the error panel, for styles and tests.
pub const PANEL_ID: &str = "fatal-error";

/// Installs the hook. Safe to call more than once.
pub fn install_hook() {
    std::panic::set_hook(Box::new(on_panic));
}

fn on_panic(info: &PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        show_error_panel(&document, &info.to_string());
    }
}

/// Replaces the page's content (everything in `<body>`) with the error panel.
pub fn show_error_panel(document: &Document, detail: &str) {
    if let Some(body) = document.body() {
        render_error_panel(document, &body, detail);
    }
}

/// Replaces the content of `container` with an error panel showing `detail` as plain text.
///
/// Uses only DOM calls that cannot panic in practice, and ignores their errors: this runs inside
/// the panic hook, where a second panic would abort with nothing on screen.
pub fn render_error_panel(document: &Document, container: &Element, detail: &str) {
    container.set_text_content(None);
    let Ok(panel) = document.create_element("section") else {
        return;
    };
    panel.set_id(PANEL_ID);
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("class", "error-panel");

    let add = |tag: &str, class: &str, text: &str| {
        if let Ok(el) = document.create_element(tag) {
            if !class.is_empty() {
                let _ = el.set_attribute("class", class);
            }
            el.set_text_content(Some(text));
            let _ = panel.append_child(&el);
        }
    };
    add("h1", "", "Outage Drill stopped working");
    add(
        "p",
        "",
        "Something went wrong inside the app. Nothing was sent anywhere; reloading the page \
         starts it again.",
    );
    add("pre", "detail", detail);
    if let Ok(reload) = document.create_element("a") {
        // An empty reference is the current document: following it reloads the page.
        let _ = reload.set_attribute("href", "");
        let _ = reload.set_attribute("class", "reload");
        reload.set_text_content(Some("Reload the page"));
        let _ = panel.append_child(&reload);
    }
    let _ = container.append_child(&panel);
}
