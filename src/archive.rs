//! Exercises that ended, kept in this browser: starting a new exercise archives the one that
//! ends first (its after-action report, whole), so nothing is lost by starting over. Each
//! archive is a record of its own (`outage-drill:archive:<id>`), written once and never
//! changed, so several tabs cannot mix them up; the list is read from the keys.

use serde::{Deserialize, Serialize};

use crate::report::Report;
use crate::storage::{self, Loaded, Record};

/// The prefix of the archives' keys.
pub const ARCHIVE_PREFIX: &str = "outage-drill:archive:";

/// An archived exercise, as kept (a report is a few tens of kB).
pub const ARCHIVE_RECORD: Record = Record {
    key: ARCHIVE_PREFIX,
    schema: 1,
    max_bytes: 512 * 1024,
    what: "an archived exercise",
};

/// An exercise that ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Archived {
    pub id: u64,
    /// When it was archived (ms since the Unix epoch).
    pub archived_ms: f64,
    pub name: String,
    /// The exercise's own date, as the facilitator gave it.
    pub date: String,
    pub decisions: usize,
    pub report: Report,
}

impl Archived {
    pub fn new(id: u64, archived_ms: f64, report: Report) -> Archived {
        Archived {
            id,
            archived_ms,
            name: report.overview.name.clone(),
            date: report.overview.date.clone(),
            decisions: report.decisions.len(),
            report,
        }
    }

    pub fn key(&self) -> String {
        format!("{ARCHIVE_PREFIX}{}", self.id)
    }

    /// The date it is listed with: the exercise's own, else the day it was archived.
    pub fn listed_date(&self) -> String {
        if !self.date.trim().is_empty() {
            return self.date.clone();
        }
        chrono::DateTime::from_timestamp_millis(self.archived_ms as i64)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }
}

/// Keeps an archive; the error says why it could not be (the exercise is then not cleared).
pub fn save(archived: &Archived) -> Result<(), String> {
    storage::save_to(ARCHIVE_RECORD, &archived.key(), archived)
}

/// How many archives this browser keeps (read from the keys alone).
pub fn count() -> usize {
    storage::keys_starting(ARCHIVE_PREFIX).len()
}

/// The archives kept in this browser, newest first, and what could not be read (set aside).
pub fn list() -> (Vec<Archived>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for key in storage::keys_starting(ARCHIVE_PREFIX) {
        match storage::load_from::<Archived>(ARCHIVE_RECORD, &key) {
            Loaded::Data(a) => out.push(a),
            Loaded::SetAside(message) | Loaded::Held(message) => problems.push(message),
            Loaded::Nothing => {}
        }
    }
    out.sort_by(|a, b| b.archived_ms.total_cmp(&a.archived_ms));
    (out, problems)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::{Action, AppState, Mode};
    use outage_sim::scenario::builtin;
    use std::rc::Rc;
    use yew::Reducible;

    #[test]
    fn an_archive_keeps_the_whole_report_and_reads_back() {
        let s = Rc::new(AppState::new(builtin("eptura-2024-07-10").unwrap()))
            .reduce(Action::SetMode(Mode::Facilitate));
        let report = Report::build(&s, "https://example.org/");
        let archived = Archived::new(7, 1_720_644_000_000.0, report.clone());
        assert_eq!(archived.key(), "outage-drill:archive:7");
        assert_eq!(archived.listed_date(), "2024-07-10");
        let raw = storage::write_envelope(ARCHIVE_RECORD, &archived);
        let back: Archived = storage::read_envelope(ARCHIVE_RECORD, &raw).unwrap();
        assert_eq!(back, archived);
        assert_eq!(back.report.to_markdown(), report.to_markdown());
    }
}
