//! The last session, kept in the browser's local storage (see `storage`) so that the next visit
//! opens where this one left off, unless a link says otherwise. What is stored is the view as a
//! link writes it (`state::link`), in a versioned envelope.

use crate::storage::{self, Loaded, Record};

/// The session's stored record (a view is usually under 2 kB; the limit is the longest view a
/// link may hold, from the table of limits).
pub const SESSION: Record = Record {
    key: "outage-drill:session",
    schema: 1,
    max_bytes: outage_sim::limits::SESSION_BYTES,
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
