//! Every limit on what the project takes in, in one table: the size of a file, the length of a
//! text, how many items a list or a log may hold, the ranges of counts people type. The reader
//! that enforces a limit, the page that shows it (an input's `maxlength`, a form's range) and the
//! command line that prints it all read the constant here, so what is shown is the rule that is
//! enforced.
//!
//! The stored records' sizes are derived from the input limits (`stored_text_bytes`), so that
//! whatever was accepted can be kept: the longest accepted text in its most expensive JSON form
//! still fits its record.

use std::ops::RangeInclusive;

use crate::time::Millis;

// --- files (scenario and exercise), read by `input` the same way in the page, the worker and
// the command line ---------------------------------------------------------------------------

/// The largest scenario or exercise file read, in bytes (the built-in scenario is about 17 kB).
/// A larger file is refused before it is read.
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// The longest text of any field of a file (titles, notes, quoted source lines), in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The longest id (scenario, record event, exercise, inject ids), in characters.
pub const MAX_ID_CHARS: usize = 64;
/// The most items of any list in a file (record events, the source lines of one event).
pub const MAX_LIST_ITEMS: usize = 200;
/// The longest name of an imported file kept with it, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;

// --- the scenario's numbers --------------------------------------------------------------------

/// The longest step median, measured in the record or stated: 30 days.
pub const MAX_STEP_MS: Millis = 30 * 86_400_000;
/// The longest GitOps poll interval: 1 day.
pub const MAX_GITOPS_SYNC_MS: Millis = 86_400_000;
/// The spread of a step's delay (the σ of its logarithm).
pub const SIGMA: RangeInclusive<f64> = 0.0..=3.0;

// --- exercise files ------------------------------------------------------------------------------

/// Objectives an exercise states: a handful, so a room can keep them in mind.
pub const OBJECTIVES: RangeInclusive<usize> = 3..=5;
/// Discussion questions and things to listen for per inject.
pub const PROMPTS: RangeInclusive<usize> = 2..=4;
/// An exercise's planned length, in minutes.
pub const EXERCISE_MINUTES: RangeInclusive<u32> = 10..=480;
/// The discussion planned for one inject, in minutes.
pub const DISCUSS_MINUTES: RangeInclusive<u32> = 1..=60;

// --- the room's log (typed in the facilitator's console, kept as typed) -----------------------

/// The most decisions one exercise's log holds.
pub const MAX_DECISIONS: usize = 100;
/// The longest decision and the longest rationale, in characters.
pub const MAX_DECISION_CHARS: usize = 500;
/// The longest role ("Incident commander"), in characters.
pub const MAX_ROLE_CHARS: usize = 60;
/// The longest note of the report (strengths, improvements, participants…), in characters.
pub const MAX_NOTE_CHARS: usize = 4_000;
/// The most curveballs fired in one exercise.
pub const MAX_FIRED: usize = 50;
/// The most items of the improvement plan.
pub const MAX_PLAN_ITEMS: usize = 50;
/// The most observations (strengths and areas for improvement) of the report.
pub const MAX_OBSERVATIONS: usize = 40;
/// The most listen-for points ticked in one exercise.
pub const MAX_HEARD: usize = 200;
/// Timed interventions (the room's actions and curveballs) one run takes.
pub const MAX_INTERVENTIONS: usize = 1_000;

// --- the view: links, compare, Monte Carlo -------------------------------------------------------

/// The most parts a view's text (a link, a saved session) may have; beyond, the rest is ignored.
pub const MAX_LINK_PARTS: usize = 64;
/// The longest part of a view's text, in characters.
pub const MAX_LINK_PART_CHARS: usize = 1_000;
/// Configurations compared side by side.
pub const MAX_SLOTS: usize = 4;
/// The longest name of a compare configuration, in characters.
pub const MAX_SLOT_NAME_CHARS: usize = 60;
/// Monte Carlo runs per configuration in the app.
pub const RUNS: RangeInclusive<u32> = 100..=100_000;
/// Monte Carlo runs per configuration on the command line.
pub const CLI_RUNS: RangeInclusive<u64> = 1..=100_000_000;

// --- what the browser keeps ----------------------------------------------------------------------

/// The most bytes `chars` characters of text can take in a JSON file as serde_json writes it: a
/// control character kept as typed becomes `\u001b`, six bytes for one character (a character
/// outside the BMP is four bytes, a quote or backslash two).
pub const fn stored_text_bytes(chars: usize) -> usize {
    6 * chars + 2
}

/// Room for a stored record's envelope and field names.
const ENVELOPE_BYTES: usize = 1_024;

/// The saved session: the view as a link writes it (ASCII once %-escaped, at most two bytes a
/// character in JSON).
pub const SESSION_BYTES: usize = MAX_LINK_PARTS * (2 * (MAX_LINK_PART_CHARS + 1)) + ENVELOPE_BYTES;

/// The kept scenario file: its bytes as imported (kept as JSON, not as an escaped string) and
/// its name.
pub const KEPT_FILE_BYTES: usize =
    MAX_FILE_BYTES + stored_text_bytes(MAX_FILE_NAME_CHARS) + ENVELOPE_BYTES;

/// The exercise's log at its fullest: every decision at its longest with its fields' names and
/// numbers (and the one being typed), the notes, the fired curveballs, the observations (three
/// texts of a decision's length and an objective's id), the plan (issue, recommendation and
/// corrective action of a decision's length; capability, party and dates of a role's), the
/// ticks, and room for the position, the timers and the report's ranges.
pub const EXERCISE_LOG_BYTES: usize = (MAX_DECISIONS + 1)
    * (2 * stored_text_bytes(MAX_DECISION_CHARS)
        + stored_text_bytes(MAX_ROLE_CHARS)
        + stored_text_bytes(MAX_ID_CHARS)
        + 512)
    + 8 * stored_text_bytes(MAX_NOTE_CHARS)
    + MAX_FIRED * (stored_text_bytes(MAX_ID_CHARS) + 256)
    + MAX_OBSERVATIONS
        * (3 * stored_text_bytes(MAX_DECISION_CHARS) + stored_text_bytes(MAX_ID_CHARS) + 128)
    + MAX_PLAN_ITEMS
        * (3 * stored_text_bytes(MAX_DECISION_CHARS) + 4 * stored_text_bytes(MAX_ROLE_CHARS) + 128)
    + MAX_HEARD * (stored_text_bytes(MAX_ID_CHARS) + 32)
    + 16 * 1_024
    + ENVELOPE_BYTES;

// Browsers give an origin about 5 MB of local storage (5 million UTF-16 units in Chromium and
// Firefox), and a stored byte is at most one unit: the three records and a set-aside copy of
// the largest fit together. Checked when the crate compiles.
const _: () = assert!(SESSION_BYTES + KEPT_FILE_BYTES + 2 * EXERCISE_LOG_BYTES < 5_000_000);
