//! The last session, kept in the browser's local storage so that the next visit opens where
//! this one left off (unless a link says otherwise). What is stored is a small versioned JSON
//! envelope around the view as a link writes it (`state::link`): `{"schema":1,"view":"…"}`.
//!
//! Stored data that cannot be used (not JSON, another schema, too large) is never silently
//! dropped: it is moved aside under its own key (`outage-drill:set-aside:<time>`), the user is
//! told what was wrong and where it went, and the app starts from the record.
//!
//! The envelope's reading and writing are pure and tested natively; `load` and `save` are the
//! thin browser part.

use serde::{Deserialize, Serialize};

/// The storage key of the session.
pub const KEY: &str = "outage-drill:session";
/// The prefix of keys holding stored data that could not be used.
pub const SET_ASIDE_PREFIX: &str = "outage-drill:set-aside:";
/// The envelope's schema version: bumped when the stored shape changes meaning.
pub const SCHEMA: u32 = 1;
/// The most a stored session may weigh, in bytes (a view is well under 2 kB).
pub const MAX_BYTES: usize = 64 * 1024;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Envelope {
    schema: u32,
    view: String,
}

/// The envelope around a view, as stored.
pub fn write_envelope(view: &str) -> String {
    serde_json::to_string(&Envelope {
        schema: SCHEMA,
        view: view.to_string(),
    })
    .expect("a string envelope serializes")
}

/// The view in a stored envelope, or what is wrong with it.
pub fn read_envelope(raw: &str) -> Result<String, String> {
    if raw.len() > MAX_BYTES {
        return Err(format!(
            "it is {} kB, more than the {} kB a session can be",
            raw.len() / 1024,
            MAX_BYTES / 1024
        ));
    }
    #[derive(Deserialize)]
    struct Schema {
        schema: u32,
    }
    let schema = serde_json::from_str::<Schema>(raw)
        .map_err(|e| format!("it is not a session this app can read ({e})"))?
        .schema;
    if schema != SCHEMA {
        return Err(format!(
            "it was saved by another version of the app (schema {schema}; this one reads {SCHEMA})"
        ));
    }
    let envelope: Envelope = serde_json::from_str(raw)
        .map_err(|e| format!("it is not a session this app can read ({e})"))?;
    Ok(envelope.view)
}

/// What the last session left.
#[derive(Debug, PartialEq)]
pub enum Loaded {
    Nothing,
    View(String),
    /// Unusable stored data, moved aside: what was wrong, and the key it now has.
    SetAside {
        why: String,
        key: Option<String>,
    },
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the last session; unusable data is moved aside (see the module's doc).
pub fn load() -> Loaded {
    let Some(storage) = storage() else {
        return Loaded::Nothing;
    };
    let Ok(Some(raw)) = storage.get_item(KEY) else {
        return Loaded::Nothing;
    };
    match read_envelope(&raw) {
        Ok(view) => Loaded::View(view),
        Err(why) => {
            let key = format!("{SET_ASIDE_PREFIX}{}", js_sys::Date::now() as u64);
            let moved = storage.set_item(&key, &raw).is_ok();
            let _ = storage.remove_item(KEY);
            Loaded::SetAside {
                why,
                key: moved.then_some(key),
            }
        }
    }
}

/// Saves the view as the last session; the error says why it could not be (storage full or
/// switched off).
pub fn save(view: &str) -> Result<(), String> {
    let storage = storage().ok_or("this browser offers no local storage")?;
    storage.set_item(KEY, &write_envelope(view)).map_err(|e| {
        js_sys::Error::from(e)
            .message()
            .as_string()
            .unwrap_or_else(|| "the browser refused to store it".into())
    })
}

/// The sentence for a session that was set aside.
pub fn set_aside_message(why: &str, key: Option<&str>) -> String {
    match key {
        Some(key) => format!(
            "Your last session could not be restored: {why}. It is kept aside in this browser's storage under '{key}', and the app starts from the record."
        ),
        None => format!(
            "Your last session could not be restored: {why}. The app starts from the record."
        ),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_view_round_trips_through_its_envelope() {
        let view = "with=uptime_check:interval_s=300&seed=7&at=15:46";
        assert_eq!(read_envelope(&write_envelope(view)), Ok(view.to_string()));
    }

    #[test]
    fn unusable_data_says_what_is_wrong() {
        assert!(read_envelope("{not json")
            .unwrap_err()
            .contains("not a session"));
        assert!(read_envelope(r#"{"schema":0,"view":"seed=1"}"#)
            .unwrap_err()
            .contains("another version"));
        assert!(read_envelope(r#"{"schema":1}"#)
            .unwrap_err()
            .contains("not a session"));
        assert!(read_envelope(r#"{"schema":1,"view":7}"#)
            .unwrap_err()
            .contains("not a session"));
        let big = write_envelope(&"x".repeat(MAX_BYTES));
        assert!(read_envelope(&big)
            .unwrap_err()
            .contains("more than the 64 kB"));
        assert!(set_aside_message("it is broken", Some("k")).contains("under 'k'"));
    }

    proptest! {
        #[test]
        fn any_stored_text_reads_as_a_view_or_a_reason(raw in "\\PC{0,300}") {
            let _ = read_envelope(&raw);
        }

        #[test]
        fn any_view_round_trips(view in "\\PC{0,300}") {
            prop_assert_eq!(read_envelope(&write_envelope(&view)), Ok(view));
        }
    }
}
