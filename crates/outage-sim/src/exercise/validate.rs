//! Reads an exercise file's JSON and validates it against its scenario, reporting every problem
//! with its JSON path (`injects[2].questions`) and the rule it breaks. Every value is read and
//! type-checked by the project's one reader (`input::Reader`); what is here is the exercise's
//! own shapes (texts that must say something, counted lists, passages, assumed numbers).

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::spoiler::Withholding;
use super::*;
use crate::input::{child, EXERCISE_FILE};
use crate::scenario::ScenarioError;

/// The exercise format this build reads.
pub const EXERCISE_SCHEMA: u32 = 1;

/// Objectives an exercise states, and discussion prompts per inject (`limits`).
const OBJECTIVES: (usize, usize) = (
    *crate::limits::OBJECTIVES.start(),
    *crate::limits::OBJECTIVES.end(),
);
const PROMPTS: (usize, usize) = (
    *crate::limits::PROMPTS.start(),
    *crate::limits::PROMPTS.end(),
);

/// The exercise's reading on top of the one reader: fields by name from an object's map.
struct Reader(crate::input::Reader);

impl Reader {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.fail(path, message);
    }

    /// An object with exactly the given fields allowed; unknown ones are reported.
    fn object<'a>(
        &mut self,
        v: &'a Value,
        path: &str,
        known: &[&str],
    ) -> Option<&'a Map<String, Value>> {
        let map = self.0.as_map(v, path)?;
        self.0.unknown_fields(map, path, known);
        Some(map)
    }

    fn get<'a>(
        &mut self,
        m: &'a Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<&'a Value> {
        let v = m.get(key);
        if v.is_none() && required {
            self.0.missing(path, key);
        }
        v
    }

    fn text(&mut self, m: &Map<String, Value>, path: &str, key: &str) -> String {
        self.opt_text(m, path, key, true).unwrap_or_default()
    }

    fn opt_text(
        &mut self,
        m: &Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<String> {
        let p = child(path, key);
        match self.get(m, path, key, required)? {
            Value::Null if !required => None,
            Value::String(s) => Some(self.string(&p, s)),
            other => self.0.as_string(other, &p),
        }
    }

    /// A text (checked by the one reader) that must say something.
    fn string(&mut self, path: &str, s: &str) -> String {
        if s.trim().is_empty() {
            self.fail(path, "must not be empty");
        }
        self.0.text(path, s)
    }

    fn slug(&mut self, path: &str, value: &str) {
        self.0.slug(path, value);
    }

    fn number(&mut self, m: &Map<String, Value>, path: &str, key: &str) -> Option<f64> {
        let v = self.get(m, path, key, true)?;
        self.0.as_number(v, &child(path, key))
    }

    /// A whole number within `[min, max]`, in any of JSON's forms.
    fn whole(&mut self, m: &Map<String, Value>, path: &str, key: &str, min: u32, max: u32) -> u32 {
        self.get(m, path, key, true)
            .and_then(|v| {
                self.0
                    .as_whole(v, &child(path, key), i64::from(min)..=i64::from(max))
            })
            .map_or(min, |v| v as u32)
    }

    fn flag(&mut self, m: &Map<String, Value>, path: &str, key: &str) -> bool {
        m.get(key)
            .and_then(|v| self.0.as_bool(v, &child(path, key)))
            .unwrap_or(false)
    }

    /// An array's items with their paths; at most `MAX_LIST_ITEMS` are read.
    fn array<'a>(
        &mut self,
        m: &'a Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Vec<(String, &'a Value)> {
        match self.get(m, path, key, required) {
            Some(v) => self.0.as_array(v, &child(path, key)),
            None => Vec::new(),
        }
    }

    /// An array of strings with between `min` and `max` items.
    fn strings(
        &mut self,
        m: &Map<String, Value>,
        path: &str,
        key: &str,
        (min, max): (usize, usize),
    ) -> Vec<String> {
        let items = self.array(m, path, key, true);
        if !(min..=max).contains(&items.len()) && m.contains_key(key) {
            self.fail(
                child(path, key),
                format!("has {} items; give {min} to {max}", items.len()),
            );
        }
        items
            .into_iter()
            .filter_map(|(p, v)| match v {
                Value::String(s) => Some(self.string(&p, s)),
                other => self.0.as_string(other, &p),
            })
            .collect()
    }

    fn passages(&mut self, m: &Map<String, Value>, path: &str, key: &str) -> Vec<Passage> {
        let items = self.array(m, path, key, true);
        if items.is_empty() && m.contains_key(key) {
            self.fail(child(path, key), "must have at least one passage");
        }
        items
            .into_iter()
            .filter_map(|(p, v)| {
                let o = self.object(v, &p, &["text", "illustrative"])?;
                Some(Passage {
                    text: self.text(o, &p, "text"),
                    illustrative: self.flag(o, &p, "illustrative"),
                })
            })
            .collect()
    }

    fn provenance(&mut self, m: &Map<String, Value>, path: &str, key: &str) -> Provenance {
        let p = child(path, key);
        let Some(v) = self.get(m, path, key, true) else {
            return Provenance::default();
        };
        let Some(o) = self.object(v, &p, &["kind", "note", "based_on"]) else {
            return Provenance::default();
        };
        let kind = self.text(o, &p, "kind");
        let note = self.text(o, &p, "note");
        let based_on = self.opt_text(o, &p, "based_on", false);
        if kind != "assumption" {
            // The exercise adds nothing the record states: its numbers and curveballs are
            // assumptions, never shown as recorded.
            self.fail(
                child(&p, "kind"),
                format!(
                    "'{kind}' must be 'assumption': what an exercise adds is not in the record"
                ),
            );
        }
        Provenance::Assumption { note, based_on }
    }

    /// The numbers of an action or a curveball: exactly the keys the model uses, each in range,
    /// each an assumption that says what it is based on, or marked illustrative.
    fn numbers(
        &mut self,
        m: &Map<String, Value>,
        path: &str,
        rows: &[NumberRow],
    ) -> Vec<ExerciseNumber> {
        let p = child(path, "numbers");
        let keys: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let Some(v) = self.get(m, path, "numbers", !rows.is_empty()) else {
            return Vec::new();
        };
        let Some(o) = self.object(v, &p, &keys) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &(key, label, unit, min, max) in rows {
            let np = child(&p, key);
            let Some(n) = self.get(o, &p, key, true) else {
                continue;
            };
            let Some(n) = self.object(n, &np, &["value", "provenance", "illustrative"]) else {
                continue;
            };
            let value = self.number(n, &np, "value").unwrap_or(min);
            if !(min..=max).contains(&value) {
                self.fail(
                    child(&np, "value"),
                    format!(
                        "{} must be between {} and {} {}",
                        crate::numfmt::trimmed(value, 6),
                        crate::numfmt::trimmed(min, 6),
                        crate::numfmt::trimmed(max, 6),
                        unit.symbol()
                    ),
                );
            }
            let provenance = self.provenance(n, &np, "provenance");
            let illustrative = self.flag(n, &np, "illustrative");
            if provenance.based_on().is_none() && !illustrative {
                self.fail(
                    child(&np, "provenance"),
                    "an assumed number says what it is based on (based_on), or is marked illustrative",
                );
            }
            out.push(ExerciseNumber {
                key: key.to_string(),
                label: label.to_string(),
                value,
                unit,
                provenance,
                illustrative,
            });
        }
        out
    }
}

/// Parses and validates exercise JSON against the scenario it belongs to.
pub fn parse_exercise(json: &str, scenario: &Scenario) -> Result<Exercise, ScenarioError> {
    parse_exercise_bytes(json.as_bytes(), scenario)
}

/// Parses and validates an exercise file's bytes (as read) with the project's one reader.
pub fn parse_exercise_bytes(bytes: &[u8], scenario: &Scenario) -> Result<Exercise, ScenarioError> {
    let value = crate::input::parse(bytes, EXERCISE_FILE)?;
    let mut r = Reader(crate::input::Reader::new());
    let exercise = read(&mut r, &value, scenario);
    match exercise {
        Some(e) if r.0.problems.is_empty() => Ok(e),
        _ => Err(ScenarioError::Invalid(r.0.problems)),
    }
}

fn read(r: &mut Reader, value: &Value, s: &Scenario) -> Option<Exercise> {
    let top = r.object(
        value,
        "",
        &[
            "schema",
            "id",
            "scenario",
            "title",
            "brief",
            "scope",
            "mission_areas",
            "objectives",
            "duration_minutes",
            "phases",
            "injects",
            "curveballs",
            "actions",
            "withheld",
        ],
    )?;
    let schema = r.whole(top, "", "schema", 0, u32::MAX);
    if schema != EXERCISE_SCHEMA && top.contains_key("schema") {
        r.fail(
            "schema",
            format!(
                "unsupported schema version {schema} (this build reads version {EXERCISE_SCHEMA})"
            ),
        );
    }
    let id = r.text(top, "", "id");
    r.slug("id", &id);
    let scenario_id = r.text(top, "", "scenario");
    if top.contains_key("scenario") && scenario_id != s.id {
        r.fail(
            "scenario",
            format!(
                "'{scenario_id}' is not the scenario this exercise is read with ('{}')",
                s.id
            ),
        );
    }
    let title = r.text(top, "", "title");
    let brief = r.text(top, "", "brief");
    let scope = r.text(top, "", "scope");
    let mission_areas = r.strings(top, "", "mission_areas", (1, MISSION_AREAS.len()));
    for (k, area) in mission_areas.iter().enumerate() {
        if !MISSION_AREAS.contains(&area.as_str()) {
            r.fail(
                format!("mission_areas[{k}]"),
                format!(
                    "'{area}' is not a mission area (one of: {})",
                    MISSION_AREAS.join(", ")
                ),
            );
        }
    }
    let duration_minutes = r.whole(top, "", "duration_minutes", 10, 480);

    // A record event, timed, by id.
    let timed = |id: &str| s.event(id).and_then(|e| e.at);

    let mut objectives = Vec::new();
    let items = r.array(top, "", "objectives", true);
    if !(OBJECTIVES.0..=OBJECTIVES.1).contains(&items.len()) && top.contains_key("objectives") {
        r.fail(
            "objectives",
            format!(
                "has {} items; give {} to {}",
                items.len(),
                OBJECTIVES.0,
                OBJECTIVES.1
            ),
        );
    }
    let mut seen = HashSet::new();
    for (p, v) in items {
        let Some(o) = r.object(v, &p, &["id", "title", "description", "capability"]) else {
            continue;
        };
        let oid = r.text(o, &p, "id");
        r.slug(&child(&p, "id"), &oid);
        if !seen.insert(oid.clone()) {
            r.fail(child(&p, "id"), format!("'{oid}' is used twice"));
        }
        objectives.push(Objective {
            id: oid,
            title: r.text(o, &p, "title"),
            description: r.text(o, &p, "description"),
            capability: r.text(o, &p, "capability"),
        });
    }

    // Phases, in time order.
    let mut phases = Vec::new();
    let mut seen = HashSet::new();
    let items = r.array(top, "", "phases", true);
    if items.is_empty() && top.contains_key("phases") {
        r.fail("phases", "must list at least one phase");
    }
    let mut last = SimTime::MIN;
    for (p, v) in items {
        let Some(o) = r.object(v, &p, &["id", "title", "summary", "starts_at"]) else {
            continue;
        };
        let pid = r.text(o, &p, "id");
        r.slug(&child(&p, "id"), &pid);
        if !seen.insert(pid.clone()) {
            r.fail(child(&p, "id"), format!("'{pid}' is used twice"));
        }
        let from = r.text(o, &p, "starts_at");
        let starts_at = if from == "impact_start" {
            Some(Anchor::ImpactStart)
        } else if let Some(at) = timed(&from) {
            Some(Anchor::Record {
                id: from.clone(),
                at,
            })
        } else {
            r.fail(
                child(&p, "starts_at"),
                format!("'{from}' is neither 'impact_start' nor a timed record event"),
            );
            None
        };
        let phase = Phase {
            id: pid,
            title: r.text(o, &p, "title"),
            summary: r.text(o, &p, "summary"),
            starts_at: starts_at.unwrap_or(Anchor::ImpactStart),
        };
        let at = phase.at(s);
        if at < last {
            r.fail(
                child(&p, "starts_at"),
                "phases must be in time order: this one starts before the one above",
            );
        }
        last = last.max(at);
        phases.push(phase);
    }

    // Terms withheld from the room until a moment.
    let mut withheld = Vec::new();
    for (p, v) in r.array(top, "", "withheld", true) {
        let Some(o) = r.object(v, &p, &["term", "until"]) else {
            continue;
        };
        let term = r.text(o, &p, "term");
        let until = r.text(o, &p, "until");
        match timed(&until) {
            Some(at) => withheld.push(Withheld { term, until, at }),
            None => r.fail(
                child(&p, "until"),
                format!("'{until}' is not a timed record event"),
            ),
        }
    }

    // Injects, in time order, at timed record events.
    let mut injects: Vec<Inject> = Vec::new();
    let mut seen = HashSet::new();
    let items = r.array(top, "", "injects", true);
    if items.is_empty() && top.contains_key("injects") {
        r.fail("injects", "must list at least one inject");
    }
    for (p, v) in items {
        let Some(o) = r.object(
            v,
            &p,
            &[
                "id",
                "record_id",
                "phase",
                "title",
                "participant_text",
                "questions",
                "listen_for",
                "discuss_minutes",
                "facilitator_note",
                "source",
            ],
        ) else {
            continue;
        };
        let iid = r.text(o, &p, "id");
        r.slug(&child(&p, "id"), &iid);
        if !seen.insert(iid.clone()) {
            r.fail(child(&p, "id"), format!("'{iid}' is used twice"));
        }
        let record_id = r.text(o, &p, "record_id");
        let at = timed(&record_id);
        if at.is_none() && o.contains_key("record_id") {
            r.fail(
                child(&p, "record_id"),
                format!("'{record_id}' is not a timed record event"),
            );
        }
        let at = at.unwrap_or(0);
        if injects.last().is_some_and(|prev| prev.at > at) {
            r.fail(
                child(&p, "record_id"),
                "injects must be in time order: this one comes before the one above",
            );
        }
        let phase = r.text(o, &p, "phase");
        match phases.iter().rposition(|ph| ph.at(s) <= at) {
            Some(i) if phases[i].id == phase => {}
            Some(i) => r.fail(
                child(&p, "phase"),
                format!(
                    "at {} the exercise is in phase '{}', not '{phase}'",
                    s.clock.hhmm_local(at),
                    phases[i].id
                ),
            ),
            None => r.fail(child(&p, "phase"), "comes before the first phase starts"),
        }
        let source = match r.get(o, &p, "source", true) {
            Some(v) => {
                let sp = child(&p, "source");
                match r.object(v, &sp, &["section", "quote"]) {
                    Some(q) => Quote {
                        section: r.text(q, &sp, "section"),
                        quote: r.text(q, &sp, "quote"),
                    },
                    None => Quote {
                        section: String::new(),
                        quote: String::new(),
                    },
                }
            }
            None => Quote {
                section: String::new(),
                quote: String::new(),
            },
        };
        if let Some(event) = s.event(&record_id) {
            let quoted = event
                .sources
                .iter()
                .any(|q| q.section == source.section && q.quote.contains(source.quote.trim()));
            if !quoted && !source.quote.trim().is_empty() {
                r.fail(
                    child(&p, "source.quote"),
                    format!(
                        "must be part of a source line of record event '{record_id}', with its section"
                    ),
                );
            }
        }
        let inject = Inject {
            id: iid,
            record_id,
            at,
            phase,
            title: r.text(o, &p, "title"),
            participant_text: r.passages(o, &p, "participant_text"),
            questions: r.strings(o, &p, "questions", PROMPTS),
            listen_for: r.strings(o, &p, "listen_for", PROMPTS),
            discuss_minutes: r.whole(o, &p, "discuss_minutes", 1, 60),
            facilitator_note: r.opt_text(o, &p, "facilitator_note", false),
            source,
        };
        // No spoilers: nothing the room reads names a later time or a withheld term.
        let check = Withholding::of(&withheld, s);
        for leak in check.leaks_in(inject.room_text(), at) {
            r.fail(
                &p,
                format!("what the room reads at {} {leak}", s.clock.hhmm_local(at)),
            );
        }
        injects.push(inject);
    }

    // Curveballs.
    let mut curveballs: Vec<CurveballCard> = Vec::new();
    for (p, v) in r.array(top, "", "curveballs", true) {
        let Some(o) = r.object(
            v,
            &p,
            &[
                "id",
                "title",
                "participant_text",
                "spoiler_free",
                "effect",
                "numbers",
                "provenance",
            ],
        ) else {
            continue;
        };
        let cid = r.text(o, &p, "id");
        let Some(id) = CurveballId::from_id(&cid) else {
            r.fail(
                child(&p, "id"),
                format!(
                    "'{cid}' is not a curveball the model knows (one of: {})",
                    CurveballId::ALL.map(|c| c.id()).join(", ")
                ),
            );
            continue;
        };
        if curveballs.iter().any(|c| c.id == id) {
            r.fail(child(&p, "id"), format!("'{cid}' is used twice"));
        }
        let spoiler_free = o.get("spoiler_free").and_then(|v| {
            let path = child(&p, "spoiler_free");
            let card = r.object(v, &path, &["title", "participant_text"])?;
            Some(CardText {
                title: r.text(card, &path, "title"),
                participant_text: r.passages(card, &path, "participant_text"),
            })
        });
        let card = CurveballCard {
            id,
            title: r.text(o, &p, "title"),
            participant_text: r.passages(o, &p, "participant_text"),
            spoiler_free,
            effect: r.text(o, &p, "effect"),
            numbers: r.numbers(o, &p, curveball_numbers(id)),
            provenance: r.provenance(o, &p, "provenance"),
        };
        // A curveball can be fired from the first inject on, when the most is withheld: a
        // card that would give something away then needs a spoiler-free card, which must
        // give nothing away at all.
        if let Some(first) = injects.first().map(|i| i.at) {
            let check = Withholding::of(&withheld, s);
            let leaks = check.leaks_in(card.room_text(), first);
            match &card.spoiler_free {
                None if !leaks.is_empty() => r.fail(
                    &p,
                    format!(
                        "its card {} if fired at {}: give a spoiler_free card for the room",
                        leaks
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                        s.clock.hhmm_local(first)
                    ),
                ),
                Some(safe) => {
                    let texts = std::iter::once(safe.title.as_str())
                        .chain(safe.participant_text.iter().map(|t| t.text.as_str()));
                    for leak in check.leaks_in(texts, first) {
                        r.fail(child(&p, "spoiler_free"), format!("{leak}"));
                    }
                }
                None => {}
            }
        }
        curveballs.push(card);
    }

    // Room actions.
    let mut actions: Vec<ActionCard> = Vec::new();
    for (p, v) in r.array(top, "", "actions", true) {
        let Some(o) = r.object(v, &p, &["id", "label", "help", "numbers"]) else {
            continue;
        };
        let aid = r.text(o, &p, "id");
        let Some(id) = ActionId::from_id(&aid) else {
            r.fail(
                child(&p, "id"),
                format!(
                    "'{aid}' is not an action the model knows (one of: {})",
                    ActionId::ALL.map(|a| a.id()).join(", ")
                ),
            );
            continue;
        };
        if actions.iter().any(|a| a.id == id) {
            r.fail(child(&p, "id"), format!("'{aid}' is used twice"));
        }
        actions.push(ActionCard {
            id,
            label: r.text(o, &p, "label"),
            help: r.text(o, &p, "help"),
            numbers: r.numbers(o, &p, action_numbers(id)),
        });
    }

    // The injects' discussion fills the planned length, so the run sheet keeps time.
    let planned: u32 = injects.iter().map(|i| i.discuss_minutes).sum();
    if !injects.is_empty() && planned != duration_minutes {
        r.fail(
            "duration_minutes",
            format!(
                "is {duration_minutes}, but the injects' discuss_minutes add up to {planned}: make them equal"
            ),
        );
    }

    Some(Exercise {
        id,
        scenario: scenario_id,
        title,
        brief,
        scope,
        mission_areas,
        objectives,
        duration_minutes,
        phases,
        injects,
        curveballs,
        actions,
        withheld,
    })
}
