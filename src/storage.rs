//! What the app keeps in the browser's local storage, and how: each record is a versioned JSON
//! envelope `{"schema": N, "data": …}` under its own key, read through the project's one reader
//! (`outage_sim::input`: size, UTF-8, a key given twice) before its data is.
//!
//! Stored data that cannot be used (not JSON, another schema version, too large, not the
//! expected shape) is never deleted: it is moved aside under
//! `outage-drill:set-aside:<key>:<time>`, and the caller gets a sentence saying what was wrong
//! and where it went. When storage is full, the original's room is freed for the copy; if even
//! then there is no room, the record stays where it was and is *held*: nothing is saved over it
//! until the user has downloaded it (`held`, `release`), and the message says so.
//!
//! Reading and writing envelopes is pure and tested natively; `load` and `save` are the thin
//! browser part.

use std::cell::RefCell;

use outage_sim::input::{self, InputError, Kind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The prefix of keys holding stored data that could not be used.
pub const SET_ASIDE_PREFIX: &str = "outage-drill:set-aside:";

/// A kind of stored record: its key, schema version and size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    pub key: &'static str,
    pub schema: u32,
    pub max_bytes: usize,
    /// What it is, for messages: "your last session", "the exercise's decision log".
    pub what: &'static str,
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    schema: u32,
    data: &'a T,
}

#[derive(Deserialize)]
struct EnvelopeIn<T> {
    data: T,
}

/// The envelope of `data`, as stored.
pub fn write_envelope<T: Serialize>(record: Record, data: &T) -> String {
    serde_json::to_string(&EnvelopeOut {
        schema: record.schema,
        data,
    })
    .expect("stored records serialize")
}

/// The data in a stored envelope, or what is wrong with it.
pub fn read_envelope<T: DeserializeOwned>(record: Record, raw: &str) -> Result<T, String> {
    check_envelope(record, raw)?;
    // The data by its type, from the text (so a record may keep raw JSON exactly).
    serde_json::from_str::<EnvelopeIn<T>>(raw)
        .map(|e| e.data)
        .map_err(|e| format!("it is not data this app can read ({e})"))
}

/// Everything about an envelope but its data's type: its size, the one reader's rules, its
/// schema. Not generic, so each kind of record shares it rather than carrying its own copy.
#[inline(never)]
fn check_envelope(record: Record, raw: &str) -> Result<(), String> {
    if raw.len() > record.max_bytes {
        return Err(format!(
            "it is {} kB, more than the {} kB it can be",
            raw.len().div_ceil(1024),
            record.max_bytes / 1024
        ));
    }
    let unreadable = |why: String| format!("it is not data this app can read ({why})");
    let kind = Kind {
        what: record.what,
        max_bytes: record.max_bytes,
    };
    let tree = input::parse(raw.as_bytes(), kind).map_err(|e| match e {
        InputError::Invalid(problems) => unreadable(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        syntax => unreadable(syntax.to_string()),
    })?;
    let mut reader = input::Reader::new();
    let schema = reader
        .read_object(&tree, "", |r, o| {
            // `data` is read below, by its type.
            let _ = r.field(o, "data", true);
            r.whole(o, "schema", 0..=i64::from(u32::MAX))
        })
        .flatten();
    if !reader.problems.is_empty() {
        let problems: Vec<String> = reader.problems.iter().map(ToString::to_string).collect();
        return Err(unreadable(problems.join("; ")));
    }
    let schema = schema.unwrap_or_default();
    if schema != i64::from(record.schema) {
        return Err(format!(
            "it was saved by another version of the app (schema {schema}; this one reads {})",
            record.schema
        ));
    }
    Ok(())
}

/// What a record's key held.
#[derive(Debug, PartialEq)]
pub enum Loaded<T> {
    Nothing,
    Data(T),
    /// Unusable stored data, moved aside: the message for the user.
    SetAside(String),
    /// Unusable stored data that could not be moved aside (storage is full): it is kept where
    /// it was (or, if even that failed, in memory) and nothing is saved over it until the user
    /// downloads it (`held`) and releases it (`release`). The message for the user.
    Held(String),
}

thread_local! {
    /// The held records: their keys and text, until downloaded.
    static HELD: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// The text of a held record, to download.
pub fn held(key: &str) -> Option<String> {
    HELD.with(|h| {
        h.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, raw)| raw.clone())
    })
}

/// The user has the held record (downloaded): the app may save over it again.
pub fn release(key: &str) {
    HELD.with(|h| h.borrow_mut().retain(|(k, _)| *k != key));
}

fn is_held(key: &str) -> bool {
    HELD.with(|h| h.borrow().iter().any(|(k, _)| *k == key))
}

/// The name of a held record's download.
pub fn held_file_name(key: &str) -> String {
    format!("{}.json", key.replace(':', "-"))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether anything is kept under the record's key (readable or not), without reading it.
pub fn is_kept(record: Record) -> bool {
    storage().is_some_and(|s| matches!(s.get_item(record.key), Ok(Some(_))))
}

/// Reads a record; unusable data is moved aside or held (see the module's doc).
pub fn load<T: DeserializeOwned>(record: Record) -> Loaded<T> {
    load_from(record, record.key)
}

/// Reads a record kept under `key` (one of several of its kind, such as archives).
pub fn load_from<T: DeserializeOwned>(record: Record, key: &str) -> Loaded<T> {
    let Some(storage) = storage() else {
        return Loaded::Nothing;
    };
    let Ok(Some(raw)) = storage.get_item(key) else {
        return Loaded::Nothing;
    };
    match read_envelope(record, &raw) {
        Ok(data) => Loaded::Data(data),
        Err(why) => match set_aside(&storage, record, key, raw, &why) {
            Ok(message) => Loaded::SetAside(message),
            Err(message) => Loaded::Held(message),
        },
    }
}

/// Moves unusable data aside, never losing it: copy then remove; when storage is full, remove
/// then copy (the copy takes the original's room); when even that fails, the original goes back
/// and is held.
/// `Ok` with the message when it was moved aside, `Err` with it when it is held.
fn set_aside(
    storage: &web_sys::Storage,
    record: Record,
    key: &str,
    raw: String,
    why: &str,
) -> Result<String, String> {
    let aside = format!("{SET_ASIDE_PREFIX}{key}:{}", js_sys::Date::now() as u64);
    if storage.set_item(&aside, &raw).is_ok() {
        let _ = storage.remove_item(key);
        return Ok(set_aside_message(record, why, Some(&aside)));
    }
    let _ = storage.remove_item(key);
    if storage.set_item(&aside, &raw).is_ok() {
        return Ok(set_aside_message(record, why, Some(&aside)));
    }
    let kept = storage.set_item(key, &raw).is_ok();
    HELD.with(|h| h.borrow_mut().push((key.to_string(), raw)));
    Err(held_message(record, key, why, kept))
}

/// The keys in storage that start with `prefix`.
pub fn keys_starting(prefix: &str) -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

/// Saves a record; the error says why it could not be (storage full or switched off, or an
/// unreadable earlier record held under its key until downloaded).
pub fn save<T: Serialize>(record: Record, data: &T) -> Result<(), String> {
    save_to(record, record.key, data)
}

/// Saves a record under `key` (one of several of its kind).
pub fn save_to<T: Serialize>(record: Record, key: &str, data: &T) -> Result<(), String> {
    if is_held(key) {
        return Err(format!(
            "{} from before, which this version cannot read, is kept under its key until you download it",
            record.what
        ));
    }
    let storage = storage().ok_or("this browser offers no local storage")?;
    storage
        .set_item(key, &write_envelope(record, data))
        .map_err(|e| {
            js_sys::Error::from(e)
                .message()
                .as_string()
                .unwrap_or_else(|| "the browser refused to store it".into())
        })
}

/// The sentence for a record that was set aside.
pub fn set_aside_message(record: Record, why: &str, key: Option<&str>) -> String {
    let what = record.what;
    match key {
        Some(key) => format!(
            "{} could not be restored: {why}. It is kept aside in this browser's storage under '{key}'.",
            capitalized(what)
        ),
        None => format!("{} could not be restored: {why}.", capitalized(what)),
    }
}

/// The sentence for a record that is held (storage full): where it is, and how to keep it.
pub fn held_message(record: Record, key: &str, why: &str, kept_in_place: bool) -> String {
    let where_ = if kept_in_place {
        format!(
            "Storage is full, so it stays where it was, under '{key}', and nothing is saved over it until you download it"
        )
    } else {
        "Storage is full and it could not be kept there: download it before you leave this page"
            .to_string()
    };
    format!(
        "{} could not be restored: {why}. {where_} (as {}).",
        capitalized(record.what),
        held_file_name(key)
    )
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RECORD: Record = Record {
        key: "outage-drill:test",
        schema: 3,
        max_bytes: 1024,
        what: "the test record",
    };

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Data {
        name: String,
        count: u32,
    }

    #[test]
    fn data_round_trips_through_its_envelope() {
        let data = Data {
            name: "x".into(),
            count: 4,
        };
        let raw = write_envelope(RECORD, &data);
        assert!(raw.starts_with(r#"{"schema":3,"data":"#), "{raw}");
        assert_eq!(read_envelope::<Data>(RECORD, &raw), Ok(data));
    }

    #[test]
    fn unusable_data_says_what_is_wrong() {
        let read = |raw: &str| read_envelope::<Data>(RECORD, raw).unwrap_err();
        assert!(read("{not json").contains("not data this app can read"));
        assert!(read(r#"{"schema":2,"data":{}}"#).contains("another version of the app (schema 2"));
        assert!(read(r#"{"schema":3,"data":{"name":"x"}}"#).contains("missing field `count`"));
        assert!(read(&"x".repeat(2000)).contains("more than the 1 kB"));
        // The one reader's rules hold for stored data too.
        assert!(
            read(r#"{"schema":3,"schema":3,"data":{"name":"x","count":1}}"#)
                .contains("the key `schema` is given more than once")
        );
        assert_eq!(
            read_envelope::<Data>(RECORD, r#"{"schema":3.0,"data":{"name":"x","count":1}}"#),
            Ok(Data {
                name: "x".into(),
                count: 1
            }),
            "a schema written 3.0 is the number 3"
        );
        let message = set_aside_message(RECORD, "it is broken", Some("k"));
        assert_eq!(
            message,
            "The test record could not be restored: it is broken. It is kept aside in this browser's storage under 'k'."
        );
    }

    proptest! {
        #[test]
        fn any_stored_text_reads_as_data_or_a_reason(raw in "\\PC{0,300}") {
            let _ = read_envelope::<Data>(RECORD, &raw);
        }

        #[test]
        fn any_data_round_trips(name in "\\PC{0,100}", count in any::<u32>()) {
            let data = Data { name, count };
            prop_assert_eq!(read_envelope::<Data>(RECORD, &write_envelope(RECORD, &data)), Ok(data));
        }
    }
}
