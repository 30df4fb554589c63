//! The after-action report's code, off the page's start: building the report from the state
//! (`Report::build`), writing it as Markdown and JSON, and keeping and reading the archive of
//! exercises that ended are a chunk of their own (`report_writer`, see `lazy`), fetched the
//! first time the console needs a report. The page only holds the report's types; every path
//! that makes or reads one awaits `report_tools` first.

use crate::archive::{self, Archived};
use crate::lazy::LoadError;
use crate::report::Report;
use crate::state::AppState;

/// The report's verbs, each a function of the chunk.
#[derive(Clone, Copy)]
pub struct ReportTools {
    /// The report of what is on screen, with the page's address it links from.
    pub build: fn(&AppState, &str) -> Report,
    pub markdown: fn(&Report) -> String,
    pub json: fn(&Report) -> String,
    /// Keeps an archive; the error says why it could not be.
    pub save_archive: fn(&Archived) -> Result<(), String>,
    /// The archives kept in this browser, newest first, and what could not be read.
    pub list_archives: fn() -> (Vec<Archived>, Vec<String>),
}

/// The chunk's entry point: the report's code is only reachable from here.
#[cfg_attr(
    all(feature = "split", target_arch = "wasm32"),
    wasm_split_helpers::wasm_split(report_writer, fallible)
)]
fn tools() -> Result<ReportTools, LoadError> {
    Ok(ReportTools {
        build: Report::build,
        markdown: Report::to_markdown,
        json: Report::to_json,
        save_archive: archive::save,
        list_archives: archive::list,
    })
}

/// The report's verbs, loading their chunk first if needed; `Err` when it cannot be fetched.
pub async fn report_tools() -> Result<ReportTools, LoadError> {
    #[cfg(all(feature = "split", target_arch = "wasm32"))]
    return tools().await;
    #[cfg(not(all(feature = "split", target_arch = "wasm32")))]
    tools()
}

/// What the page says when the report's code cannot be fetched.
pub const UNAVAILABLE: &str =
    "the part of the app that writes reports could not be loaded: check your connection, then try again";
