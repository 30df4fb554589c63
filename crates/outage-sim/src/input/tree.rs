//! JSON text to a `serde_json::Value`, with the path of every value: serde_json's parser drives
//! a seed that knows where it is, so a key given twice in one object is reported with its path
//! (serde_json's own `Value` keeps the last one silently), and parsing goes on to find them all.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::{InputError, Problem, FILE_PATH};

/// Parses JSON text into a tree; syntax errors stop at their line and column, keys given twice
/// are all reported.
pub(super) fn parse(text: &str) -> Result<Value, InputError> {
    let duplicates = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Node {
        path: String::new(),
        duplicates: &duplicates,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|err| InputError::Syntax {
        path: FILE_PATH.into(),
        message: strip_position(&err.to_string()),
        line: err.line(),
        column: err.column(),
    })?;
    let duplicates = duplicates.into_inner();
    if duplicates.is_empty() {
        Ok(value)
    } else {
        Err(InputError::Invalid(duplicates))
    }
}

/// serde_json appends " at line L column C"; the position is reported apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A value being read at `path`.
struct Node<'p> {
    path: String,
    duplicates: &'p RefCell<Vec<Problem>>,
}

impl Node<'_> {
    fn child(&self, path: String) -> Node<'_> {
        Node {
            path,
            duplicates: self.duplicates,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        // serde_json refuses the numbers a double cannot hold (`1e400`), so `v` is finite.
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) =
            seq.next_element_seed(self.child(format!("{}[{}]", self.path, items.len())))?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            let value = map.next_value_seed(self.child(path.clone()))?;
            if out.contains_key(&key) {
                // The first value is kept; the input is refused anyway.
                self.duplicates.borrow_mut().push(Problem::new(
                    path,
                    format!("the key `{key}` is given more than once in this object; give it once"),
                ));
            } else {
                out.insert(key, value);
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_twice_is_named_with_its_path() {
        let e = parse(r#"{"a": {"b": 1, "b": 2}, "c": [{"d": 1, "d": 1}], "a": 3}"#).unwrap_err();
        let paths: Vec<String> = e.problems().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["a.b", "c[0].d", "a"]);
        assert!(e
            .to_string()
            .contains("the key `b` is given more than once"));
    }

    #[test]
    fn numbers_in_any_form_are_numbers() {
        let v = parse(r#"[1000, 1e3, 1000.0, -2, 1E-2]"#).unwrap();
        let n: Vec<f64> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_f64().unwrap())
            .collect();
        assert_eq!(n, [1000.0, 1000.0, 1000.0, -2.0, 0.01]);
        let e = parse("[1e400]").unwrap_err().to_string();
        assert!(e.contains("number out of range"), "{e}");
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = parse("{\n  \"a\": }").unwrap_err();
        assert!(
            matches!(
                e,
                InputError::Syntax {
                    line: 2,
                    column: 8,
                    ..
                }
            ),
            "{e:?}"
        );
        let e = parse("{} x").unwrap_err().to_string();
        assert!(e.contains("trailing characters"), "{e}");
        assert_eq!(parse(r#"{"x": "é\u001b"}"#).unwrap()["x"], "é\u{1b}");
    }
}
