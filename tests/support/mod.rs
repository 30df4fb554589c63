//! What the browser tests share: mounting the app as a first visit sees it, finding and
//! driving elements, and waiting for what happens asynchronously (a file read, a job's result).

// Each test file is its own crate and uses part of this.
#![allow(dead_code)]

use gloo_timers::future::TimeoutFuture;
use outage_drill::App;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// Mounts the whole app into a fresh element, as a first visit that chose Explore sees it: the
/// record's link in the address, no saved session (the tests share one page, its address and
/// its storage).
pub fn mount_app() -> Element {
    let window = web_sys::window().unwrap();
    let _ = window.local_storage().unwrap().unwrap().clear();
    let path = window.location().pathname().unwrap();
    // A first visit to the bare address shows the start screen; these tests are about the app
    // behind it, so they open a link (the record, seed 1), as a visitor choosing Explore does.
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}#seed=1")),
        )
        .unwrap();
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

/// A fresh, empty element attached to the body, to mount a component into.
pub fn mount_point() -> Element {
    let document = gloo::utils::document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches '{selector}'"))
}

pub fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// The text of what matches `selector`, or nothing while nothing does (for waiting on it).
pub fn text_if_any(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

pub fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

pub fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

/// Sets an input's value and sends `change`, as leaving the field after typing does.
pub fn set_input(root: &Element, selector: &str, value: &str) {
    let input = find(root, selector).unchecked_into::<HtmlInputElement>();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// Waits until `selector` matches inside `root`, for at most `seconds`.
pub async fn wait_for(root: &Element, selector: &str, seconds: u32) -> Element {
    for _ in 0..seconds * 20 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        TimeoutFuture::new(50).await;
        yew::scheduler::flush().await;
    }
    panic!("nothing matched '{selector}' within {seconds} s");
}

/// Waits until every lazy view in `root` has been loaded and drawn (the sections below the first
/// screen are loaded once the app is interactive; the console's views when it opens), for at most
/// five seconds.
pub async fn lazy_loaded(root: &Element) {
    for _ in 0..100 {
        yew::scheduler::flush().await;
        if count(root, ".lazy-loading") == 0 {
            return;
        }
        TimeoutFuture::new(50).await;
    }
    panic!("lazy views still loading after 5 s");
}

/// Waits (up to two seconds) until `check` holds.
pub async fn until(mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..40 {
        yew::scheduler::flush().await;
        if check() {
            return true;
        }
        TimeoutFuture::new(50).await;
    }
    false
}
