//! Reads a scenario file's JSON (parsed by serde_json) into the raw `ScenarioSpec`, collecting
//! every shape problem with its JSON path: a missing or unknown field, a wrong type.
//!
//! Why not `#[derive(Deserialize)]`: derived deserializers (and serde_path_to_error around them)
//! are monomorphised per struct and cost the browser app about 60 kB of wasm; a reader over
//! `serde_json::Value` is one small piece of code, reports *every* problem rather than the first,
//! and names the path of each.

use serde_json::{Map, Value};

use super::spec::*;
use super::{AssumptionId, Problem, StepId, MAX_LIST_ITEMS, MAX_TEXT_CHARS};
use crate::provenance::Provenance;

/// Collects problems while reading.
pub(super) struct Reader {
    pub problems: Vec<Problem>,
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

/// One JSON object being read, remembering which fields were asked for.
struct Obj<'a> {
    path: String,
    map: &'a Map<String, Value>,
    known: Vec<&'static str>,
}

impl Reader {
    fn fail(&mut self, path: &str, message: String) {
        self.problems.push(Problem {
            path: path.to_string(),
            message,
        });
    }

    fn object<'a>(&mut self, value: &'a Value, path: &str) -> Option<Obj<'a>> {
        match value {
            Value::Object(map) => Some(Obj {
                path: path.to_string(),
                map,
                known: Vec::new(),
            }),
            other => {
                self.fail(
                    path,
                    format!("invalid type: expected an object, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// Reports fields nobody asked for (a typo is the usual cause).
    fn finish(&mut self, obj: Obj) {
        for key in obj.map.keys() {
            if !obj.known.contains(&key.as_str()) {
                let path = obj.child(key);
                self.fail(
                    &path,
                    format!(
                        "unknown field `{key}` (expected one of: {})",
                        obj.known.join(", ")
                    ),
                );
            }
        }
    }

    fn field<'a>(
        &mut self,
        obj: &mut Obj<'a>,
        key: &'static str,
        required: bool,
    ) -> Option<&'a Value> {
        obj.known.push(key);
        match obj.map.get(key) {
            Some(v) => Some(v),
            None if required => {
                let path = obj.path.clone();
                self.fail(
                    if path.is_empty() { "(file)" } else { &path },
                    format!("missing field `{key}`"),
                );
                None
            }
            None => None,
        }
    }

    fn string(&mut self, obj: &mut Obj, key: &'static str) -> String {
        self.opt_string(obj, key, true).unwrap_or_default()
    }

    /// A string, refused (and cut) when longer than `MAX_TEXT_CHARS`.
    fn text(&mut self, path: &str, s: &str) -> String {
        match s.char_indices().nth(MAX_TEXT_CHARS) {
            Some((cut, _)) => {
                self.fail(path, format!("is longer than {MAX_TEXT_CHARS} characters"));
                s[..cut].to_string()
            }
            None => s.to_string(),
        }
    }

    fn opt_string(&mut self, obj: &mut Obj, key: &'static str, required: bool) -> Option<String> {
        let path = obj.child(key);
        match self.field(obj, key, required)? {
            Value::String(s) => Some(self.text(&path, s)),
            Value::Null if !required => None,
            other => {
                self.fail(
                    &path,
                    format!("invalid type: expected a string, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// A field that must be present but may be `null` (an unknown time).
    fn nullable_string(&mut self, obj: &mut Obj, key: &'static str) -> Option<String> {
        let path = obj.child(key);
        match self.field(obj, key, true)? {
            Value::String(s) => Some(self.text(&path, s)),
            Value::Null => None,
            other => {
                self.fail(
                    &path,
                    format!(
                        "invalid type: expected a string or null, found {}",
                        kind(other)
                    ),
                );
                None
            }
        }
    }

    fn number(&mut self, obj: &mut Obj, key: &'static str) -> f64 {
        self.opt_number(obj, key, true).unwrap_or(f64::NAN)
    }

    fn opt_number(&mut self, obj: &mut Obj, key: &'static str, required: bool) -> Option<f64> {
        let path = obj.child(key);
        match self.field(obj, key, required)? {
            Value::Number(n) => n.as_f64(),
            other => {
                self.fail(
                    &path,
                    format!("invalid type: expected a number, found {}", kind(other)),
                );
                None
            }
        }
    }

    fn integer(&mut self, obj: &mut Obj, key: &'static str) -> i64 {
        let path = obj.child(key);
        match self.field(obj, key, true) {
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
            Some(other) => {
                self.fail(
                    &path,
                    format!(
                        "invalid type: expected a whole number, found {}",
                        kind(other)
                    ),
                );
                0
            }
            None => 0,
        }
    }

    fn boolean(&mut self, obj: &mut Obj, key: &'static str) -> bool {
        let path = obj.child(key);
        match self.field(obj, key, false) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.fail(
                    &path,
                    format!(
                        "invalid type: expected true or false, found {}",
                        kind(other)
                    ),
                );
                false
            }
        }
    }

    fn array<'a>(&mut self, obj: &mut Obj<'a>, key: &'static str) -> Vec<(String, &'a Value)> {
        let path = obj.child(key);
        match self.field(obj, key, true) {
            Some(Value::Array(items)) => {
                if items.len() > MAX_LIST_ITEMS {
                    self.fail(
                        &path,
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
            Some(other) => {
                self.fail(
                    &path,
                    format!("invalid type: expected an array, found {}", kind(other)),
                );
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    /// Reads an array of objects with `read`, skipping (and reporting) items that are not objects.
    fn objects<T>(
        &mut self,
        obj: &mut Obj,
        key: &'static str,
        read: impl Fn(&mut Reader, &mut Obj) -> T,
    ) -> Vec<T> {
        self.array(obj, key)
            .into_iter()
            .filter_map(|(path, v)| {
                let mut item = self.object(v, &path)?;
                let out = read(self, &mut item);
                self.finish(item);
                Some(out)
            })
            .collect()
    }

    /// Reads a nested object with `read`, or records why it could not.
    fn nested<'a, T>(
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
        let mut inner = self.object(value, &path)?;
        let out = read(self, &mut inner);
        self.finish(inner);
        Some(out)
    }
}

impl Obj<'_> {
    fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

fn provenance(r: &mut Reader, o: &mut Obj) -> Provenance {
    let path = o.child("kind");
    let kind = r.string(o, "kind");
    let note = r.string(o, "note");
    let basis_path = o.child("based_on");
    let based_on = r.opt_string(o, "based_on", false);
    if based_on.is_some() && kind != "assumption" {
        r.fail(
            &basis_path,
            "only an assumption says what it is based on".to_string(),
        );
    }
    match kind.as_str() {
        "postmortem" => Provenance::Postmortem { note },
        "cited" => Provenance::Cited { note },
        "assumption" => Provenance::Assumption { note, based_on },
        other => {
            r.fail(
                &path,
                format!("'{other}' is not a provenance kind (postmortem, cited or assumption)"),
            );
            Provenance::Assumption { note, based_on }
        }
    }
}

fn quote(r: &mut Reader, o: &mut Obj) -> QuoteSpec {
    QuoteSpec {
        section: r.string(o, "section"),
        quote: r.string(o, "quote"),
    }
}

fn number_assumption(r: &mut Reader, o: &mut Obj) -> NumberAssumptionSpec {
    NumberAssumptionSpec {
        label: r.string(o, "label"),
        value: r.number(o, "value"),
        reference: r.opt_number(o, "reference", false),
        min: r.number(o, "min"),
        max: r.number(o, "max"),
        unit: r.string(o, "unit"),
        provenance: r
            .nested(o, "provenance", true, provenance)
            .unwrap_or_default(),
    }
}

fn step(r: &mut Reader, o: &mut Obj) -> StepSpec {
    StepSpec {
        label: r.string(o, "label"),
        median_s: r.opt_number(o, "median_s", false),
        sigma: r.number(o, "sigma"),
        provenance: r.nested(o, "provenance", false, provenance),
        spread_provenance: r.nested(o, "spread_provenance", false, provenance),
    }
}

fn record(r: &mut Reader, e: &mut Obj) -> RecordSpec {
    RecordSpec {
        id: r.string(e, "id"),
        at: r.nullable_string(e, "at"),
        lane: r.string(e, "lane"),
        title: r.string(e, "title"),
        note: r.opt_string(e, "note", false),
        epilogue: r.boolean(e, "epilogue"),
        sources: r.objects(e, "sources", quote),
    }
}

fn assumptions(r: &mut Reader, o: &mut Obj) -> AssumptionsSpec {
    let number = |r: &mut Reader, o: &mut Obj, key| {
        r.nested(o, key, true, number_assumption)
            .unwrap_or_default()
    };
    AssumptionsSpec {
        impact_start: r
            .nested(o, "impact_start", true, |r, o| TimeAssumptionSpec {
                label: r.string(o, "label"),
                at: r.string(o, "at"),
                min: r.string(o, "min"),
                max: r.string(o, "max"),
                provenance: r
                    .nested(o, "provenance", true, provenance)
                    .unwrap_or_default(),
            })
            .unwrap_or_default(),
        numbers: AssumptionId::ALL.map(|id| number(r, o, id.key())),
    }
}

fn steps(r: &mut Reader, o: &mut Obj) -> StepsSpec {
    let s = |r: &mut Reader, o: &mut Obj, key| r.nested(o, key, true, step).unwrap_or_default();
    StepsSpec {
        gitops_sync: r
            .nested(o, "gitops_sync", true, |r, o| UniformStepSpec {
                label: r.string(o, "label"),
                uniform_max_s: r.number(o, "uniform_max_s"),
                provenance: r
                    .nested(o, "provenance", true, provenance)
                    .unwrap_or_default(),
            })
            .unwrap_or_default(),
        by_id: StepId::ALL.map(|id| s(r, o, id.key())),
    }
}

fn calibration(r: &mut Reader, o: &mut Obj) -> CalibrationSpec {
    CalibrationSpec {
        note: r.string(o, "note"),
        steps: r
            .nested(o, "steps", true, |r, o| {
                StepId::ALL.map(|id| {
                    r.nested(o, id.key(), false, |r, o| CalibrationStepSpec {
                        factor: r.number(o, "factor"),
                        sigma: r.number(o, "sigma"),
                    })
                })
            })
            .unwrap_or_default(),
    }
}

/// Reads the whole file. `None` only if the top level is not an object; otherwise a spec with
/// blanks where fields were missing or wrong, and the problems recorded in `r`.
pub(super) fn read_spec(r: &mut Reader, value: &Value) -> Option<ScenarioSpec> {
    let mut o = r.object(value, "")?;
    let spec = ScenarioSpec {
        schema: u32::try_from(r.integer(&mut o, "schema")).unwrap_or(u32::MAX),
        id: r.string(&mut o, "id"),
        title: r.string(&mut o, "title"),
        summary: r.string(&mut o, "summary"),
        source: r
            .nested(&mut o, "source", true, |r, o| SourceSpec {
                title: r.string(o, "title"),
                publisher: r.string(o, "publisher"),
                published: r.string(o, "published"),
            })
            .unwrap_or_default(),
        time_zone: r
            .nested(&mut o, "time_zone", true, |r, o| TimeZoneSpec {
                label: r.string(o, "label"),
                utc_offset: r.string(o, "utc_offset"),
                note: r.opt_string(o, "note", false).unwrap_or_default(),
            })
            .unwrap_or_default(),
        origin: r.string(&mut o, "origin"),
        record: r.objects(&mut o, "record", record),
        reported_duration: r
            .nested(&mut o, "reported_duration", true, |r, o| {
                ReportedDurationSpec {
                    value_s: r.integer(o, "value_s"),
                    from: r.string(o, "from"),
                    to: r.string(o, "to"),
                    source: r.nested(o, "source", true, quote).unwrap_or_default(),
                }
            })
            .unwrap_or_default(),
        assumptions: r
            .nested(&mut o, "assumptions", true, assumptions)
            .unwrap_or_default(),
        steps: r.nested(&mut o, "steps", true, steps).unwrap_or_default(),
        calibration: r.nested(&mut o, "calibration", false, calibration),
    };
    r.finish(o);
    Some(spec)
}
