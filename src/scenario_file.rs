//! Reading a scenario file, off the page's start: the one reader and the validator
//! (`outage_sim::scenario::parse_scenario_bytes`, with serde_json's deserializer behind it) are a
//! chunk of their own (see `lazy`), fetched the first time the page reads a file: one the user
//! imports, or the file kept from the last visit when a view names it. The page awaits
//! `read_scenario_file` and hands the reducer what it says (`Verdict`); the reducer never parses.
//!
//! The verdict is the command line's: the same function reads the same bytes (a byte-order mark,
//! a byte that is not UTF-8, a control character, every rule of `outage-sim validate`), so the
//! page and `outage-sim validate` accept and refuse the same files with the same problems.

use std::rc::Rc;

use outage_sim::input::{self, SCENARIO_FILE};
use outage_sim::scenario::{parse_scenario_bytes, Problem, Scenario};

use crate::lazy::LoadError;

/// A file that was read and validated: the scenario (boxed: it travels in the reducer's
/// actions, which stay small), and the text it was read from (no byte-order mark, trimmed),
/// which is what the browser keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadFile {
    pub scenario: Box<Scenario>,
    pub text: Rc<str>,
}

/// What reading a file says: the scenario, or every problem with its JSON path.
pub type Verdict = Result<ReadFile, Vec<Problem>>;

/// Reads and validates a file's bytes. This is the chunk's code: the page reaches it only
/// through `read_scenario_file` (tests call it directly).
pub fn read(bytes: &[u8]) -> Verdict {
    let scenario = parse_scenario_bytes(bytes).map_err(|e| e.problems())?;
    // The same bytes were just read as text: this cannot fail, but would say why if it did.
    let text = input::text(bytes, SCENARIO_FILE).map_err(|e| e.problems())?;
    Ok(ReadFile {
        scenario: Box::new(scenario),
        text: Rc::from(text.trim()),
    })
}

/// The chunk's entry point: it returns the reader, whose code is only reachable from here.
#[cfg_attr(
    all(feature = "split", target_arch = "wasm32"),
    wasm_split_helpers::wasm_split(scenario_reader, fallible)
)]
fn reader() -> Result<fn(&[u8]) -> Verdict, LoadError> {
    Ok(read)
}

/// Reads a scenario file's bytes, loading the reader's chunk first if needed; `Err` when the
/// chunk cannot be fetched (offline before the site was ever kept, for instance).
pub async fn read_scenario_file(bytes: &[u8]) -> Result<Verdict, LoadError> {
    #[cfg(all(feature = "split", target_arch = "wasm32"))]
    let read = reader().await?;
    #[cfg(not(all(feature = "split", target_arch = "wasm32")))]
    let read = reader()?;
    Ok(read(bytes))
}

/// What the page says when the reader cannot be fetched.
pub const UNAVAILABLE: &str =
    "the part of the app that reads scenario files could not be loaded: check your connection, then try again";
