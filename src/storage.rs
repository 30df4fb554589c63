//! What the app keeps in the browser's local storage, and how: each record is a versioned JSON
//! envelope `{"schema": N, "data": …}` under its own key. Stored data that cannot be used (not
//! JSON, another schema version, too large, not the expected shape) is never silently dropped:
//! it is moved aside under `outage-drill:set-aside:<key>:<time>`, and the caller gets a sentence
//! saying what was wrong and where it went.
//!
//! Reading and writing envelopes is pure and tested natively; `load` and `save` are the thin
//! browser part.

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

#[derive(Deserialize)]
struct Schema {
    schema: u32,
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
    if raw.len() > record.max_bytes {
        return Err(format!(
            "it is {} kB, more than the {} kB it can be",
            raw.len().div_ceil(1024),
            record.max_bytes / 1024
        ));
    }
    let schema = serde_json::from_str::<Schema>(raw)
        .map_err(|e| format!("it is not data this app can read ({e})"))?
        .schema;
    if schema != record.schema {
        return Err(format!(
            "it was saved by another version of the app (schema {schema}; this one reads {})",
            record.schema
        ));
    }
    serde_json::from_str::<EnvelopeIn<T>>(raw)
        .map(|e| e.data)
        .map_err(|e| format!("it is not data this app can read ({e})"))
}

/// What a record's key held.
#[derive(Debug, PartialEq)]
pub enum Loaded<T> {
    Nothing,
    Data(T),
    /// Unusable stored data, moved aside: the message for the user.
    SetAside(String),
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a record; unusable data is moved aside (see the module's doc).
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
        Err(why) => {
            let aside = format!("{SET_ASIDE_PREFIX}{key}:{}", js_sys::Date::now() as u64);
            let moved = storage.set_item(&aside, &raw).is_ok();
            let _ = storage.remove_item(key);
            Loaded::SetAside(set_aside_message(record, &why, moved.then_some(&aside)))
        }
    }
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

/// Saves a record; the error says why it could not be (storage full or switched off).
pub fn save<T: Serialize>(record: Record, data: &T) -> Result<(), String> {
    save_to(record, record.key, data)
}

/// Saves a record under `key` (one of several of its kind).
pub fn save_to<T: Serialize>(record: Record, key: &str, data: &T) -> Result<(), String> {
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
