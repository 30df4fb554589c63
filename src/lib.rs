//! `outage-drill`: the browser app. It owns the page: components, the app state and its reducer,
//! chart math, hooks for playback, layout width and Monte Carlo, and the start-up sequence (panic
//! hook, mounting). The incident itself comes from the `outage-sim` crate.
//!
//! The crate is a library so that browser tests in `tests/` can render its components; the
//! binary in `src/main.rs` calls [`start`].

pub mod analysis;
pub mod app;
pub mod builtin;
pub mod charts;
pub mod components;
pub mod hooks;
pub mod panic;
pub mod state;
pub mod view;

pub use app::App;

/// The id of the element in `index.html` that holds the loading skeleton and then the app.
pub const ROOT_ID: &str = "app";
/// The id of the element in `index.html` the analysis module mounts into: a sibling of the
/// main app's root, never inside it (see `index.html`).
pub const ANALYSIS_ROOT_ID: &str = "analysis-root";

/// Installs the panic hook and mounts [`App`] into `#app`, replacing the loading skeleton.
pub fn start() {
    panic::install_hook();
    let document = gloo::utils::document();
    let root = document
        .get_element_by_id(ROOT_ID)
        .unwrap_or_else(|| panic!("index.html has no element with id '{ROOT_ID}'"));
    // The skeleton only stands in until the app is ready to draw itself.
    root.set_text_content(None);
    yew::Renderer::<App>::with_root(root).render();
}

/// The analysis module's entry: mounts [`analysis::Analysis`] into `#analysis-root` (created at
/// the end of the page if `index.html` has none).
pub fn start_analysis() {
    panic::install_scoped_hook(ANALYSIS_ROOT_ID);
    let document = gloo::utils::document();
    let root = match document.get_element_by_id(ANALYSIS_ROOT_ID) {
        Some(root) => root,
        None => {
            let root = document
                .create_element("div")
                .expect("a div can be created");
            root.set_id(ANALYSIS_ROOT_ID);
            if let Some(body) = document.body() {
                let _ = body.append_child(&root);
            }
            root
        }
    };
    yew::Renderer::<analysis::Analysis>::with_root(root).render();
}
