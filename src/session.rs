//! The last session, kept in the browser's local storage (see `storage`) so that the next visit
//! opens where this one left off, unless a link says otherwise. What is stored is the view as a
//! link writes it (`state::link`), in a versioned envelope.

use crate::storage::{self, Loaded, Record};

/// The session's stored record (a view is well under 2 kB).
pub const SESSION: Record = Record {
    key: "outage-drill:session",
    schema: 1,
    max_bytes: 64 * 1024,
    what: "your last session",
};

/// The view the last session left, or the message about one that could not be used.
pub fn load() -> Loaded<String> {
    storage::load(SESSION)
}

/// Saves the view as the last session; the error says why it could not be.
pub fn save(view: &str) -> Result<(), String> {
    storage::save(SESSION, &view)
}
