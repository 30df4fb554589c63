//! Reads a JSON tree into typed values by field name, collecting every problem with its JSON
//! path: a missing or unknown field (a typo is the usual cause), a wrong type, a text too long
//! or holding a control character, a whole number that is not whole, a list too long.
//!
//! Why not `#[derive(Deserialize)]`: derived deserializers are monomorphised per struct (about
//! 60 kB of wasm for the scenario alone), stop at the first problem, and do not say where it is.
//! One small walker over `serde_json::Value` reports every problem and names the path of each;
//! the scenario and the exercise readers are written with it.

use serde_json::{Map, Value};

use super::{control_character, Problem, FILE_PATH};
use crate::limits::{MAX_ID_CHARS, MAX_LIST_ITEMS, MAX_TEXT_CHARS};

/// Collects problems while reading.
#[derive(Debug, Default)]
pub struct Reader {
    pub problems: Vec<Problem>,
}

/// One JSON object being read, remembering which fields were asked for, so that `finish` can
/// name the others.
pub struct Obj<'a> {
    path: String,
    map: &'a Map<String, Value>,
    known: Vec<&'static str>,
}

impl Obj<'_> {
    /// Its JSON path (empty at the top).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path of one of its fields.
    pub fn child(&self, key: &str) -> String {
        child(&self.path, key)
    }

    /// Whether the field is present (a rule about its value need not be said when it is
    /// missing: that is already reported).
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }
}

/// `path.key`, or `key` at the top.
pub fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The path to name a problem of the object at `path` itself.
fn at(path: &str) -> &str {
    if path.is_empty() {
        FILE_PATH
    } else {
        path
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Reader {
    pub fn new() -> Reader {
        Reader::default()
    }

    pub fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn wrong_type(&mut self, path: &str, expected: &str, found: &Value) {
        self.fail(
            at(path),
            format!("invalid type: expected {expected}, found {}", kind(found)),
        );
    }

    // --- values, wherever they are: every type check and its message is here -----------------

    /// `value` as an object's fields, or the problem that it is not one.
    pub fn as_map<'a>(&mut self, value: &'a Value, path: &str) -> Option<&'a Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.wrong_type(path, "an object", other);
                None
            }
        }
    }

    /// Names every field of `map` (at `path`) that is not in `known` (a typo, usually).
    pub fn unknown_fields(&mut self, map: &Map<String, Value>, path: &str, known: &[&str]) {
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                self.fail(
                    child(path, key),
                    format!(
                        "unknown field `{}` (expected one of: {})",
                        super::visible(key),
                        known.join(", ")
                    ),
                );
            }
        }
    }

    /// That the object at `path` misses a required field.
    pub fn missing(&mut self, path: &str, key: &str) {
        self.fail(at(path), format!("missing field `{key}`"));
    }

    /// `value` as text (`text` checks it), or the problem that it is not a string.
    pub fn as_string(&mut self, value: &Value, path: &str) -> Option<String> {
        match value {
            Value::String(s) => Some(self.text(path, s)),
            other => {
                self.wrong_type(path, "a string", other);
                None
            }
        }
    }

    /// `value` as a number, in any of JSON's forms (`1000`, `1e3`, `1000.0`).
    pub fn as_number(&mut self, value: &Value, path: &str) -> Option<f64> {
        match value {
            Value::Number(n) => n.as_f64(),
            other => {
                self.wrong_type(path, "a number", other);
                None
            }
        }
    }

    /// `value` as a whole number within `range`, in any of JSON's forms (`2`, `2.0`, `2e0`): a
    /// number is refused only for its value, with the range.
    pub fn as_whole(
        &mut self,
        value: &Value,
        path: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let Value::Number(n) = value else {
            self.wrong_type(path, "a whole number", value);
            return None;
        };
        let whole = n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            // Exactly representable and within i64: 2^63 is the first double outside.
            (f.fract() == 0.0 && f.abs() < 9.223_372_036_854_775e18).then_some(f as i64)
        });
        let (lo, hi) = (range.start(), range.end());
        match whole {
            Some(v) if range.contains(&v) => Some(v),
            Some(v) => {
                self.fail(
                    at(path),
                    format!("{v} is out of range (a whole number from {lo} to {hi})"),
                );
                None
            }
            None => {
                self.fail(
                    at(path),
                    format!("{n} is not a whole number (from {lo} to {hi})"),
                );
                None
            }
        }
    }

    /// `value` as true or false.
    pub fn as_bool(&mut self, value: &Value, path: &str) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(path, "true or false", other);
                None
            }
        }
    }

    /// `value` as an array's items with their paths; at most `MAX_LIST_ITEMS` are read.
    pub fn as_array<'a>(&mut self, value: &'a Value, path: &str) -> Vec<(String, &'a Value)> {
        match value {
            Value::Array(items) => {
                if items.len() > MAX_LIST_ITEMS {
                    self.fail(
                        at(path),
                        format!(
                            "has {} items; at most {MAX_LIST_ITEMS} are read",
                            items.len()
                        ),
                    );
                }
                items
                    .iter()
                    .take(MAX_LIST_ITEMS)
                    .enumerate()
                    .map(|(i, v)| (format!("{path}[{i}]"), v))
                    .collect()
            }
            other => {
                self.wrong_type(path, "an array", other);
                Vec::new()
            }
        }
    }

    /// A text read from the tree: refused (and cut) when longer than `MAX_TEXT_CHARS`, refused
    /// when it holds a control character or a bidirectional override.
    pub fn text(&mut self, path: &str, s: &str) -> String {
        if let Some(why) = control_character(s) {
            self.fail(at(path), why);
        }
        match s.char_indices().nth(MAX_TEXT_CHARS) {
            Some((cut, _)) => {
                self.fail(
                    at(path),
                    format!("is longer than {MAX_TEXT_CHARS} characters"),
                );
                s[..cut].to_string()
            }
            None => s.to_string(),
        }
    }

    /// An id: non-empty, at most `MAX_ID_CHARS` lowercase letters, digits, `-` or `_`.
    pub fn slug(&mut self, path: &str, value: &str) {
        if let Some(why) = slug_problem(value) {
            self.fail(path, why);
        }
    }

    // --- fields of an object being read ---------------------------------------------------------

    /// The object at `path`, or the problem that it is not one.
    pub fn object<'a>(&mut self, value: &'a Value, path: &str) -> Option<Obj<'a>> {
        Some(Obj {
            path: path.to_string(),
            map: self.as_map(value, path)?,
            known: Vec::new(),
        })
    }

    /// Reports the fields nobody asked for.
    pub fn finish(&mut self, obj: Obj) {
        self.unknown_fields(obj.map, &obj.path, &obj.known);
    }

    /// A field's value; a required one that is missing is reported.
    pub fn field<'a>(
        &mut self,
        obj: &mut Obj<'a>,
        key: &'static str,
        required: bool,
    ) -> Option<&'a Value> {
        if !obj.known.contains(&key) {
            obj.known.push(key);
        }
        let value = obj.map.get(key);
        if value.is_none() && required {
            self.missing(&obj.path, key);
        }
        value
    }

    /// A required string (empty if it is missing or not a string).
    pub fn string(&mut self, obj: &mut Obj, key: &'static str) -> String {
        self.opt_string(obj, key, true).unwrap_or_default()
    }

    /// A string; an optional one may be missing or `null`.
    pub fn opt_string(
        &mut self,
        obj: &mut Obj,
        key: &'static str,
        required: bool,
    ) -> Option<String> {
        let path = obj.child(key);
        match self.field(obj, key, required)? {
            Value::Null if !required => None,
            value => self.as_string(value, &path),
        }
    }

    /// A field that must be present but may be `null` (an unknown time).
    pub fn nullable_string(&mut self, obj: &mut Obj, key: &'static str) -> Option<String> {
        let path = obj.child(key);
        match self.field(obj, key, true)? {
            Value::String(s) => Some(self.text(&path, s)),
            Value::Null => None,
            other => {
                self.wrong_type(&path, "a string or null", other);
                None
            }
        }
    }

    /// A required number (NaN when it is missing or not a number).
    pub fn number(&mut self, obj: &mut Obj, key: &'static str) -> f64 {
        self.opt_number(obj, key, true).unwrap_or(f64::NAN)
    }

    /// A number; an optional one may be missing or `null`.
    pub fn opt_number(&mut self, obj: &mut Obj, key: &'static str, required: bool) -> Option<f64> {
        let path = obj.child(key);
        match self.field(obj, key, required)? {
            Value::Null if !required => None,
            value => self.as_number(value, &path),
        }
    }

    /// A required whole number within `range` (see `as_whole`).
    pub fn whole(
        &mut self,
        obj: &mut Obj,
        key: &'static str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let path = obj.child(key);
        let value = self.field(obj, key, true)?;
        self.as_whole(value, &path, range)
    }

    /// An optional flag, false when missing.
    pub fn boolean(&mut self, obj: &mut Obj, key: &'static str) -> bool {
        let path = obj.child(key);
        match self.field(obj, key, false) {
            None => false,
            Some(value) => self.as_bool(value, &path).unwrap_or(false),
        }
    }

    /// An array's items with their paths (see `as_array`).
    pub fn array<'a>(
        &mut self,
        obj: &mut Obj<'a>,
        key: &'static str,
        required: bool,
    ) -> Vec<(String, &'a Value)> {
        let path = obj.child(key);
        match self.field(obj, key, required) {
            Some(value) => self.as_array(value, &path),
            None => Vec::new(),
        }
    }

    /// A required array of objects, each read with `read`; items that are not objects are
    /// reported and skipped.
    pub fn objects<T>(
        &mut self,
        obj: &mut Obj,
        key: &'static str,
        mut read: impl FnMut(&mut Reader, &mut Obj) -> T,
    ) -> Vec<T> {
        self.array(obj, key, true)
            .into_iter()
            .filter_map(|(path, v)| self.read_object(v, &path, &mut read))
            .collect()
    }

    /// The object `value` at `path` read with `read`, unknown fields reported.
    pub fn read_object<'a, T>(
        &mut self,
        value: &'a Value,
        path: &str,
        read: impl FnOnce(&mut Reader, &mut Obj<'a>) -> T,
    ) -> Option<T> {
        let mut inner = self.object(value, path)?;
        let out = read(self, &mut inner);
        self.finish(inner);
        Some(out)
    }

    /// A nested object read with `read`, or why it could not be (an optional one may be
    /// missing or `null`).
    pub fn nested<'a, T>(
        &mut self,
        obj: &mut Obj<'a>,
        key: &'static str,
        required: bool,
        read: impl FnOnce(&mut Reader, &mut Obj<'a>) -> T,
    ) -> Option<T> {
        let path = obj.child(key);
        let value = self.field(obj, key, required)?;
        if value.is_null() && !required {
            return None;
        }
        self.read_object(value, &path, read)
    }
}

/// Why `value` is not an id (non-empty, at most `MAX_ID_CHARS` lowercase letters, digits, `-`
/// or `_`), or `None` if it is one.
pub fn slug_problem(value: &str) -> Option<String> {
    let ok = !value.is_empty()
        && value.len() <= MAX_ID_CHARS
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    (!ok).then(|| {
        format!(
            "'{}' must be a non-empty id of at most {MAX_ID_CHARS} lowercase letters, digits, '-' or '_'",
            super::visible(value)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{parse, Kind};

    fn read(json: &str, f: impl FnOnce(&mut Reader, &mut Obj)) -> Vec<String> {
        let value = parse(
            json.as_bytes(),
            Kind {
                what: "a test",
                max_bytes: 1 << 20,
            },
        )
        .unwrap();
        let mut r = Reader::new();
        r.read_object(&value, "", f);
        r.problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn every_problem_is_named_with_its_path() {
        let problems = read(
            r#"{"n": "x", "list": [1, {"a": true}], "typo": 1, "t": "a\u001bb"}"#,
            |r, o| {
                r.number(o, "n");
                r.string(o, "t");
                r.string(o, "missing");
                r.objects(o, "list", |r, o| r.boolean(o, "a"));
            },
        );
        assert_eq!(
            problems,
            [
                "n: invalid type: expected a number, found a string",
                "t: holds a control character (U+001B) at character 2; text may not hold control characters or bidirectional overrides",
                "(file): missing field `missing`",
                "list[0]: invalid type: expected an object, found a number",
                "typo: unknown field `typo` (expected one of: n, t, missing, list)",
            ]
        );
    }

    #[test]
    fn whole_numbers_in_any_form_are_refused_only_for_their_value() {
        let mut got = Vec::new();
        let problems = read(
            r#"{"a": 2, "b": 2.0, "c": 2e0, "d": 2.5, "e": 1e3}"#,
            |r, o| {
                for key in ["a", "b", "c", "d", "e"] {
                    got.push(r.whole(o, key, 0..=100));
                }
            },
        );
        assert_eq!(got, [Some(2), Some(2), Some(2), None, None]);
        assert_eq!(
            problems,
            [
                "d: 2.5 is not a whole number (from 0 to 100)",
                "e: 1000 is out of range (a whole number from 0 to 100)",
            ]
        );
    }
}
