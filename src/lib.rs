//! `outage-drill`: the browser app. It owns the page: one Yew app with one state and its
//! reducer (`state`), the components, chart math (`charts`), hooks for playback and layout
//! width, the Monte Carlo worker pool (`monte_carlo`), and the start-up sequence (panic hook,
//! mounting). The incident itself comes from the `outage-sim` crate; the design is described in
//! `docs/architecture.md`.
//!
//! The crate is a library so that browser tests in `tests/` can render its components; the
//! binary in `src/main.rs` calls [`start`].

pub mod answers;
pub mod app;
pub mod archive;
pub mod builtin;
pub mod charts;
pub mod components;
pub mod debrief;
pub mod download;
pub mod export;
pub mod hooks;
pub mod lazy;
pub mod learn;
pub mod monte_carlo;
pub mod offline;
pub mod panic;
pub mod report;
pub mod report_tools;
pub mod room;
pub mod scenario_file;
pub mod session;
pub mod shell;
pub mod state;
pub mod storage;
pub mod version;
pub mod views;

pub use shell::App;

/// The id of the element in `index.html` that holds the loading skeleton and then the app.
pub const ROOT_ID: &str = "app";

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
