//! The scenario slice: which scenario is loaded (the built-in one or a file the user imported),
//! the problems of the last file that was refused, and the user's own numbers on top of the
//! loaded scenario (sites, event rate, impact start, every step's median and spread, the replay
//! horizon, the SLO…), which make it a *variant*.
//!
//! The loaded scenario (`base`) stays as it was read; `AppState::scenario` is the base with the
//! user's numbers. What differs between them (`changes`) is what marks a variant everywhere: the
//! header, compare, links (`assume=`, `impact=`, `step=`), and the exported file, whose title,
//! summary and provenance say which numbers are the user's.
//!
//! A file is read only through `outage_sim::scenario::parse_scenario_bytes`, from its bytes as
//! the command line's `validate` reads them (the same reader, so the same verdict on a
//! byte-order mark, a byte that is not UTF-8, a control character): every problem is listed with
//! its path, and the scenario in use stays until a valid file is loaded. Text from a file is
//! only ever shown as text. The file is kept in the browser as it was imported (its JSON, not an
//! escaped copy), so a file that was accepted is also one that can be kept.

use outage_sim::input::{self, SCENARIO_FILE};
use outage_sim::limits::{KEPT_FILE_BYTES, MAX_FILE_NAME_CHARS, MAX_ID_CHARS, MAX_TEXT_CHARS};
use outage_sim::provenance::Provenance;
use outage_sim::scenario::{
    parse_scenario, parse_scenario_bytes, AssumptionId, Median, Problem, Scenario, StepId,
    VARIANT_NOTE,
};
use outage_sim::time::{Millis, MINUTE};
use outage_sim::{human_duration, numfmt};
use serde_json::value::RawValue;

use super::{AppState, Notice, Shared};

/// Where the loaded scenario came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Built into the app (a link can name it).
    Builtin,
    /// Imported from a file, by its name; a link cannot carry it, the file must be shared.
    File { name: String },
}

/// A file that was not loaded, and every reason.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    pub file: String,
    pub problems: Vec<Problem>,
}

/// A scenario loaded from a file, with the file's text as it was imported (what is kept).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedFile {
    pub name: String,
    pub text: std::rc::Rc<str>,
    pub scenario: Shared<Scenario>,
}

/// The last scenario file imported, kept in the browser (as the scenario file it is) so that
/// the next visit's session, which names it, opens it again. Its size is the table's
/// (`limits::KEPT_FILE_BYTES`): any file that was accepted fits.
pub const FILE_RECORD: crate::storage::Record = crate::storage::Record {
    key: "outage-drill:scenario-file",
    schema: 2,
    max_bytes: KEPT_FILE_BYTES,
    what: "the scenario file you imported",
};

/// A kept scenario file: its name and its JSON, stored as JSON (not as an escaped string, which
/// could double its size).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct KeptFile {
    pub name: String,
    pub file: Box<RawValue>,
}

impl LoadedFile {
    /// What is kept of it.
    pub fn kept(&self) -> KeptFile {
        KeptFile {
            name: self.name.clone(),
            file: RawValue::from_string(self.text.trim().to_string())
                .expect("an imported file is JSON"),
        }
    }

    /// A kept file read again, through the same validation as any file.
    pub fn from_kept(kept: &KeptFile) -> Result<LoadedFile, String> {
        let text = kept.file.get();
        let scenario = parse_scenario(text).map_err(|e| e.to_string())?;
        Ok(LoadedFile {
            name: kept.name.clone(),
            text: text.into(),
            scenario: Shared::new(scenario),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct VariantState {
    /// The scenario as loaded, before the user's own numbers.
    pub base: Shared<Scenario>,
    pub origin: Origin,
    /// The last file that was refused (the scenario in use was kept).
    pub refused: Option<Refused>,
    /// The last scenario file loaded, kept when the view goes back to the built-in (Back,
    /// Reset, a link), so that a link naming it (`scenario=file:ID`) opens it again.
    pub last_file: Option<LoadedFile>,
}

/// A number of the scenario the form edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    ImpactStart,
    Number(AssumptionId),
    /// The longest delay of the GitOps poll (the step is uniform within it).
    GitopsMax,
    StepMedian(StepId),
    StepSigma(StepId),
}

/// One of the user's numbers: what it is, the loaded scenario's value, and the user's.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub field: Field,
    pub label: String,
    pub was: String,
    pub now: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VariantAction {
    /// A file's bytes to load: read and validated here; on problems the scenario in use stays.
    Import {
        name: String,
        bytes: Vec<u8>,
    },
    /// A file refused before it was read (too large, unreadable), and why.
    Refuse {
        name: String,
        why: String,
    },
    /// One of the user's numbers, in the form's units (see `parse_field`).
    Set(Field, f64),
    /// One number back to the loaded scenario's.
    ResetField(Field),
    /// Every number back to the loaded scenario's.
    ResetAll,
    DismissRefused,
}

impl VariantState {
    pub fn new(base: Shared<Scenario>) -> VariantState {
        VariantState {
            base,
            origin: Origin::Builtin,
            refused: None,
            last_file: None,
        }
    }

    /// The same slice on another loaded scenario, keeping the last file.
    pub fn on(&self, base: Shared<Scenario>, origin: Origin) -> VariantState {
        VariantState {
            base,
            origin,
            refused: None,
            last_file: self.last_file.clone(),
        }
    }

    /// The loaded scenario's file name, when it came from a file.
    pub fn file(&self) -> Option<&str> {
        match &self.origin {
            Origin::File { name } => Some(name),
            Origin::Builtin => None,
        }
    }
}

/// Step medians and delays are edited in minutes.
fn minutes(ms: Millis) -> f64 {
    ms as f64 / MINUTE as f64
}

fn number_text(v: f64, unit: &str) -> String {
    format!("{} {unit}", numfmt::trimmed(v, 6))
}

/// The value of a field in a scenario, in the form's units (minutes for delays; the
/// assumption's own unit; the impact start in simulated milliseconds).
pub fn field_value(s: &Scenario, field: Field) -> f64 {
    match field {
        Field::ImpactStart => s.impact_start() as f64,
        Field::Number(id) => s.assumptions.value(id),
        Field::GitopsMax => minutes(s.steps.gitops_sync.max),
        Field::StepMedian(id) => minutes(s.median(&s.steps[id])),
        Field::StepSigma(id) => s.steps[id].sigma,
    }
}

/// A field's value for people: `400 sites`, `3 min`, `14:34 CDT`, `σ 0.4`.
pub fn field_text(s: &Scenario, field: Field) -> String {
    match field {
        Field::ImpactStart => format!("{} {}", s.clock.hhmm_local(s.impact_start()), s.zone_label),
        Field::Number(id) => number_text(s.assumptions.value(id), &s.assumptions[id].unit),
        Field::GitopsMax => human_duration(s.steps.gitops_sync.max),
        Field::StepMedian(id) => human_duration(s.median(&s.steps[id])),
        Field::StepSigma(id) => format!("σ {}", numfmt::trimmed(s.steps[id].sigma, 3)),
    }
}

/// A field's name for people.
pub fn field_label(s: &Scenario, field: Field) -> String {
    match field {
        Field::ImpactStart => s.assumptions.impact_start.label.clone(),
        Field::Number(id) => s.assumptions[id].label.clone(),
        Field::GitopsMax => s.steps.gitops_sync.label.clone(),
        Field::StepMedian(id) => format!("{} (median)", s.steps[id].label),
        Field::StepSigma(id) => format!("{} (spread)", s.steps[id].label),
    }
}

/// Every field the form edits, in the form's order.
pub fn fields() -> impl Iterator<Item = Field> {
    std::iter::once(Field::ImpactStart)
        .chain(AssumptionId::ALL.into_iter().map(Field::Number))
        .chain(std::iter::once(Field::GitopsMax))
        .chain(
            StepId::ALL
                .into_iter()
                .flat_map(|id| [Field::StepMedian(id), Field::StepSigma(id)]),
        )
}

/// Whether a field of `s` holds the same number as in `base`.
fn same(base: &Scenario, s: &Scenario, field: Field) -> bool {
    match field {
        Field::ImpactStart => base.impact_start() == s.impact_start(),
        Field::Number(id) => base.assumptions.value(id) == s.assumptions.value(id),
        Field::GitopsMax => base.steps.gitops_sync.max == s.steps.gitops_sync.max,
        // A step's median as the scenario states it: measured in the record, or a number.
        Field::StepMedian(id) => base.steps[id].median == s.steps[id].median,
        Field::StepSigma(id) => base.steps[id].sigma == s.steps[id].sigma,
    }
}

/// The user's numbers: every field in which `scenario` differs from the loaded `base`.
pub fn changes(base: &Scenario, scenario: &Scenario) -> Vec<Change> {
    fields()
        .filter(|&f| !same(base, scenario, f))
        .map(|field| Change {
            field,
            label: field_label(base, field),
            was: field_text(base, field),
            now: field_text(scenario, field),
        })
        .collect()
}

/// How the view names its scenario when it is not the built-in as it is: `None` for the
/// built-in; else whether it came from a file and which numbers are the user's.
pub fn marker(variant: &VariantState, scenario: &Scenario) -> Option<String> {
    let changes = changes(&variant.base, scenario);
    let numbers = || {
        changes
            .iter()
            .map(|c| format!("{} {} (was {})", c.label, c.now, c.was))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match (variant.file(), changes.is_empty()) {
        (None, true) => None,
        (None, false) => Some(format!("Variant with your numbers: {}", numbers())),
        (Some(file), true) => Some(format!("Scenario from the file {file}")),
        (Some(file), false) => Some(format!(
            "Variant of the file {file} with your numbers: {}",
            numbers()
        )),
    }
}

/// The form's text for a field as it is now (minutes with up to three decimals, the
/// assumption's number, or `HH:MM` for the impact start).
pub fn input_text(s: &Scenario, field: Field) -> String {
    match field {
        Field::ImpactStart => s.clock.hhmm_local(s.impact_start()),
        _ => numfmt::trimmed(field_value(s, field), 6),
    }
}

/// Reads what the user typed for a field into the form's units, checked against what the
/// scenario allows; the error says what is wrong and the allowed range.
pub fn parse_field(s: &Scenario, field: Field, text: &str) -> Result<f64, String> {
    let text = text.trim();
    if field == Field::ImpactStart {
        let at = s
            .parse_local_time(text)
            .ok_or_else(|| format!("'{text}' is not a time like 14:34 on the incident's day"))?;
        let mut trial = s.clone();
        trial.set_impact_start(at).map_err(|e| e.to_string())?;
        return Ok(at as f64);
    }
    let value = numfmt::parse_decimal(text)
        .ok_or_else(|| format!("'{text}' is not {}", numfmt::NUMBER_SHAPES))?;
    let mut trial = s.clone();
    apply(&mut trial, field, value)?;
    Ok(value)
}

/// The range a field accepts, for the form: `1 – 100000 sites`.
pub fn field_range(s: &Scenario, field: Field) -> String {
    match field {
        Field::ImpactStart => {
            let a = &s.assumptions.impact_start;
            format!(
                "{} – {} {}",
                s.clock.hhmm_local(a.min),
                s.clock.hhmm_local(a.max),
                s.zone_label
            )
        }
        Field::Number(id) => {
            let a = &s.assumptions[id];
            format!(
                "{} – {} {}",
                numfmt::trimmed(a.min, 6),
                numfmt::trimmed(a.max, 6),
                a.unit
            )
        }
        Field::GitopsMax => "0.001 min – 1 day".into(),
        Field::StepMedian(_) => "0.001 min – 30 days".into(),
        Field::StepSigma(_) => "0 – 3 (0: always the median)".into(),
    }
}

/// Sets a field of `s` to `value` (the form's units); refused with the rule it breaks.
fn apply(s: &mut Scenario, field: Field, value: f64) -> Result<(), String> {
    let ms = |v: f64| -> Result<Millis, String> {
        let ms = (v * MINUTE as f64).round();
        if (1.0..1e15).contains(&ms) {
            Ok(ms as Millis)
        } else {
            Err(format!(
                "{} min is not a delay of at least 1 ms",
                numfmt::trimmed(v, 6)
            ))
        }
    };
    let result = match field {
        Field::ImpactStart => s.set_impact_start(value as i64),
        Field::Number(id) => s.set_assumption(id.key(), value),
        Field::GitopsMax => s.set_gitops_sync_max(ms(value)?),
        Field::StepMedian(id) => s.set_step(id, Some(ms(value)?), None),
        Field::StepSigma(id) => s.set_step(id, None, Some(value)),
    };
    result.map_err(|e| e.to_string())
}

/// Puts one field of `s` back to the loaded scenario's, with its provenance.
fn restore(s: &mut Scenario, base: &Scenario, field: Field) {
    match field {
        Field::ImpactStart => {
            // Always within its own range.
            let _ = s.set_impact_start(base.impact_start());
        }
        Field::Number(id) => {
            s.assumptions.numbers[id.index()] = base.assumptions[id].clone();
        }
        Field::GitopsMax => s.steps.gitops_sync = base.steps.gitops_sync.clone(),
        Field::StepMedian(id) => {
            let (from, step) = (&base.steps[id], &mut s.steps.by_id[id.index()]);
            step.median = from.median.clone();
            step.provenance = from.provenance.clone();
        }
        Field::StepSigma(id) => {
            let (from, step) = (&base.steps[id], &mut s.steps.by_id[id.index()]);
            step.sigma = from.sigma;
            step.spread_provenance = from.spread_provenance.clone();
        }
    }
    // A median measured from the impact start follows the impact start in use (and so does
    // the provenance that states it).
    let _ = s.set_impact_start(s.impact_start());
}

/// `s` with `field` set to `value`; the loaded scenario's own number restores the field as it
/// was loaded, with its provenance (so a variant whose numbers are all typed back is the loaded
/// scenario again).
fn with_field(s: &Scenario, base: &Scenario, field: Field, value: f64) -> Result<Scenario, String> {
    let mut restored = s.clone();
    restore(&mut restored, base, field);
    let same = match field {
        Field::StepMedian(_) | Field::GitopsMax => {
            (field_value(&restored, field) * MINUTE as f64).round()
                == (value * MINUTE as f64).round()
        }
        _ => field_value(&restored, field) == value,
    };
    if same {
        return Ok(restored);
    }
    let mut next = s.clone();
    apply(&mut next, field, value)?;
    Ok(next)
}

/// Applies a scenario action to the whole state (the scenario crosses slices).
pub(super) fn reduce(s: &mut AppState, action: VariantAction) {
    match action {
        VariantAction::Import { name, bytes } => import(s, name, &bytes),
        VariantAction::Refuse { name, why } => refuse(
            s,
            name,
            vec![Problem {
                path: "(file)".into(),
                message: why,
            }],
        ),
        VariantAction::Set(field, value) => {
            match with_field(&s.scenario, &s.variant.base, field, value) {
                Ok(next) => {
                    s.scenario = Shared::new(next);
                    s.recompute();
                }
                Err(why) => s.error(format!("Not applied: {why}.")),
            }
        }
        VariantAction::ResetField(field) => {
            let mut next = (*s.scenario).clone();
            restore(&mut next, &s.variant.base, field);
            s.scenario = Shared::new(next);
            s.recompute();
        }
        VariantAction::ResetAll => {
            s.scenario = s.variant.base.clone();
            s.recompute();
        }
        VariantAction::DismissRefused => s.variant.refused = None,
    }
}

fn refuse(s: &mut AppState, name: String, problems: Vec<Problem>) {
    s.error(format!(
        "Not loaded: the file {name} has {} problem{} (listed under Scenario); the scenario in use is unchanged.",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ));
    s.variant.refused = Some(Refused {
        file: name,
        problems,
    });
}

fn import(s: &mut AppState, name: String, bytes: &[u8]) {
    // A name is the user's file system's: kept shorter than the table says, shown escaped.
    let name: String = input::visible(&name)
        .chars()
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let parsed = parse_scenario_bytes(bytes).and_then(|scenario| {
        // The text it was read from (no byte-order mark), kept as the file.
        let text = input::text(bytes, SCENARIO_FILE)?;
        Ok((scenario, std::rc::Rc::<str>::from(text.trim())))
    });
    match parsed {
        Ok((scenario, text)) => {
            // The built-in scenario exported unchanged is the built-in again (a link can name it).
            let builtin = crate::builtin::builtin(&scenario.id);
            let origin = if builtin.as_ref() == Some(&scenario) {
                Origin::Builtin
            } else {
                Origin::File { name: name.clone() }
            };
            let scenario = Shared::new(scenario);
            s.notify(Notice::info(format!(
                "Loaded the scenario “{}” from {name}.",
                scenario.title
            )));
            if origin != Origin::Builtin {
                s.variant.last_file = Some(LoadedFile {
                    name: name.clone(),
                    text,
                    scenario: scenario.clone(),
                });
            }
            s.variant = s.variant.on(scenario.clone(), origin);
            // The exercise belongs to a scenario: another scenario has its own, or none (the
            // room's log stays either way).
            let belongs = |e: &outage_sim::Exercise| e.scenario == scenario.id;
            if !s.exercise.exercise.as_deref().is_some_and(belongs) {
                s.exercise.exercise = crate::builtin::exercise_for(&scenario).map(Shared::new);
                if s.exercise.exercise.is_none() {
                    s.exercise.mode = super::Mode::Explore;
                }
            }
            s.scenario = scenario;
            s.history_epoch += 1;
            s.recompute();
        }
        Err(e) => refuse(s, name, e.problems()),
    }
}

/// The problem of a file over the size limit, said before reading it.
pub fn too_large(bytes: usize) -> Problem {
    input::too_large(SCENARIO_FILE, bytes as u64)
}

/// `text` with ` — more` appended, cut if needed so it stays within the file's text limit.
fn appended(text: &str, more: &str) -> String {
    let room = MAX_TEXT_CHARS.saturating_sub(more.chars().count());
    let kept: String = text.chars().take(room).collect();
    format!("{kept}{more}")
}

/// Says in a number's provenance that the variant set it, keeping what the file said.
fn variant_provenance(p: &Provenance, was: &str) -> Provenance {
    if p.note().starts_with(VARIANT_NOTE) {
        return p.clone();
    }
    let note = appended(
        &format!("{VARIANT_NOTE} (the scenario's value was {was}). "),
        p.note(),
    );
    Provenance::Assumption {
        note: note.chars().take(MAX_TEXT_CHARS).collect(),
        based_on: p.based_on().map(str::to_string),
    }
}

/// The scenario to export: the scenario in use, marked as a variant when the user's numbers
/// differ from the loaded scenario's (its id, title and summary say so, and each number the
/// user set says so in its provenance). Validates as any scenario file does.
pub fn for_export(base: &Scenario, scenario: &Scenario) -> Scenario {
    let changes = changes(base, scenario);
    let mut out = scenario.clone();
    if changes.is_empty() {
        return out;
    }
    use outage_sim::exercise::VARIANT_SUFFIX;
    if !out.id.ends_with(VARIANT_SUFFIX) && out.id.len() + VARIANT_SUFFIX.len() <= MAX_ID_CHARS {
        out.id.push_str(VARIANT_SUFFIX);
    }
    if !out.title.ends_with("(variant)") {
        out.title = appended(&out.title, " (variant)");
    }
    let list: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {} (was {})", c.label, c.now, c.was))
        .collect();
    out.summary = appended(
        &format!("A variant with its own numbers: {}. ", list.join("; ")),
        &out.summary,
    );
    for c in &changes {
        match c.field {
            Field::ImpactStart => {
                let a = &mut out.assumptions.impact_start;
                a.provenance = variant_provenance(&a.provenance, &c.was);
            }
            Field::Number(id) => {
                let a = &mut out.assumptions.numbers[id.index()];
                a.provenance = variant_provenance(&a.provenance, &c.was);
            }
            Field::GitopsMax => {
                let g = &mut out.steps.gitops_sync;
                g.provenance = variant_provenance(&g.provenance, &c.was);
            }
            // `Scenario::set_step` already says where a step's own median comes from.
            Field::StepMedian(_) => {}
            Field::StepSigma(id) => {
                let step = &mut out.steps.by_id[id.index()];
                step.spread_provenance = variant_provenance(&step.spread_provenance, &c.was);
            }
        }
    }
    out
}

/// The exported file's name: the scenario's id (a slug, so safe as a file name).
pub fn export_name(scenario: &Scenario) -> String {
    format!("{}.json", scenario.id)
}

/// Whether a step's median is the scenario's own number rather than measured in the record.
pub fn is_stated(s: &Scenario, id: StepId) -> bool {
    matches!(s.steps[id].median, Median::Fixed { .. })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use outage_sim::scenario::{builtin, scenario_json};
    use std::rc::Rc;
    use yew::Reducible;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(builtin("eptura-2024-07-10").unwrap()))
    }

    fn act(s: Rc<AppState>, a: VariantAction) -> Rc<AppState> {
        s.reduce(Action::Variant(a))
    }

    #[test]
    fn a_valid_file_loads_and_a_broken_one_keeps_the_scenario() {
        let mut v: serde_json::Value =
            serde_json::from_str(outage_sim::scenario::BUILTIN_EPTURA).unwrap();
        v["assumptions"]["sites"]["value"] = 400.into();
        v["title"] = "<img src=x onerror=alert(1)>".into();
        let s = act(
            state(),
            VariantAction::Import {
                name: "ours.json".into(),
                bytes: v.to_string().into_bytes(),
            },
        );
        assert_eq!(s.scenario.assumptions.value(AssumptionId::Sites), 400.0);
        assert_eq!(s.variant.file(), Some("ours.json"));
        assert!(s.derived.record.events.missed > state().derived.record.events.missed);
        assert_eq!(
            marker(&s.variant, &s.scenario).unwrap(),
            "Scenario from the file ours.json"
        );
        v["steps"] = serde_json::json!({"gitops_sync": 3});
        let broken = act(
            s.clone(),
            VariantAction::Import {
                name: "broken.json".into(),
                bytes: v.to_string().into_bytes(),
            },
        );
        assert_eq!(broken.scenario, s.scenario, "the scenario in use stays");
        let refused = broken.variant.refused.as_ref().unwrap();
        assert!(refused
            .problems
            .iter()
            .any(|p| p.path == "steps.gitops_sync" && p.message.contains("expected an object")));
        assert!(broken.notices.last().unwrap().text.contains("broken.json"));
        let big = act(
            s,
            VariantAction::Import {
                name: "big.json".into(),
                bytes: vec![b' '; outage_sim::limits::MAX_FILE_BYTES + 1],
            },
        );
        assert!(big.variant.refused.as_ref().unwrap().problems[0]
            .message
            .contains("was not read"));
    }

    #[test]
    fn a_kept_file_reads_back_as_it_was() {
        let mut scenario = builtin("eptura-2024-07-10").unwrap();
        scenario.title = "Ours".into();
        scenario.set_assumption("sites", 7.0).unwrap();
        let text = scenario_json(&scenario);
        let file = LoadedFile {
            name: "ours.json".into(),
            text: text.trim().into(),
            scenario: Shared::new(scenario),
        };
        let raw = crate::storage::write_envelope(FILE_RECORD, &file.kept());
        assert!(
            raw.contains(text.trim()),
            "kept as the file's own JSON, not an escaped copy"
        );
        let back: KeptFile = crate::storage::read_envelope(FILE_RECORD, &raw).unwrap();
        let again = LoadedFile::from_kept(&back).unwrap();
        assert_eq!(
            (&again.name, &again.text, &*again.scenario),
            (&file.name, &file.text, &*file.scenario)
        );
        let broken = KeptFile {
            name: "x".into(),
            file: RawValue::from_string("{}".into()).unwrap(),
        };
        assert!(LoadedFile::from_kept(&broken).is_err());
    }

    #[test]
    fn any_accepted_file_can_be_kept() {
        // The largest file the import accepts, of ordinary long text with quotes and line
        // breaks in its free-text fields (each escape doubles a character once written as a
        // JSON string), is kept within its record and reads back as the same scenario.
        let file =
            include_str!("../../crates/outage-sim/tests/corpus/long-notes-256k.json").to_string();
        assert!(file.len() <= outage_sim::limits::MAX_FILE_BYTES);
        assert!(
            file.len() > outage_sim::limits::MAX_FILE_BYTES - 2_048,
            "{}",
            file.len()
        );
        let s = act(
            state(),
            VariantAction::Import {
                name: "big.json".into(),
                bytes: file.into_bytes(),
            },
        );
        assert!(s.variant.refused.is_none(), "{:?}", s.variant.refused);
        let kept = s.variant.last_file.as_ref().unwrap();
        let raw = crate::storage::write_envelope(FILE_RECORD, &kept.kept());
        assert!(raw.len() <= FILE_RECORD.max_bytes, "{} bytes", raw.len());
        let back: KeptFile = crate::storage::read_envelope(FILE_RECORD, &raw).unwrap();
        let again = LoadedFile::from_kept(&back).unwrap();
        assert_eq!(
            (&again.text, &*again.scenario),
            (&kept.text, &*kept.scenario)
        );
    }

    #[test]
    fn the_page_gives_the_corpus_the_command_lines_verdicts() {
        // The same files and verdicts as the command line's test (crates/outage-sim/tests/
        // cli_input.rs): the page's import, from the bytes, accepts and refuses the same ones
        // with the same problems. (The browser's own reading of a file is checked end to end.)
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/outage-sim/tests/corpus");
        let verdicts: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("verdicts.json")).unwrap())
                .unwrap();
        for (file, verdict) in verdicts.as_object().unwrap() {
            let bytes = std::fs::read(dir.join(file)).unwrap();
            let s = act(
                state(),
                VariantAction::Import {
                    name: file.clone(),
                    bytes,
                },
            );
            let problems: Vec<serde_json::Value> = s
                .variant
                .refused
                .iter()
                .flat_map(|r| &r.problems)
                .map(|p| serde_json::json!({"path": p.path, "message": p.message}))
                .collect();
            assert_eq!(
                s.variant.refused.is_none(),
                verdict["valid"] == true,
                "{file}"
            );
            assert_eq!(
                serde_json::Value::from(problems),
                verdict["problems"],
                "{file}"
            );
        }
    }

    #[test]
    fn the_built_in_exported_unchanged_imports_as_the_built_in() {
        let s = act(
            state(),
            VariantAction::Import {
                name: "copy.json".into(),
                bytes: scenario_json(&state().scenario).into_bytes(),
            },
        );
        assert_eq!(s.variant.origin, Origin::Builtin);
        assert_eq!(marker(&s.variant, &s.scenario), None);
    }

    #[test]
    fn the_users_numbers_make_a_variant_and_its_own_numbers_undo_it() {
        let s = act(
            state(),
            VariantAction::Set(Field::Number(AssumptionId::Sites), 400.0),
        );
        let s = act(
            s,
            VariantAction::Set(Field::StepMedian(StepId::Mobilize), 3.0),
        );
        let s = act(
            s,
            VariantAction::Set(Field::StepSigma(StepId::Mobilize), 0.2),
        );
        let c = changes(&s.variant.base, &s.scenario);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].now, "400 sites");
        assert_eq!(c[0].was, "120 sites");
        assert_eq!(c[1].now, "3 min");
        assert_eq!(c[1].was, "8 min");
        assert!(marker(&s.variant, &s.scenario)
            .unwrap()
            .starts_with("Variant with your numbers: Customer sites"));
        // Typing the loaded scenario's number again is the loaded scenario again.
        let s = act(
            s,
            VariantAction::Set(Field::StepMedian(StepId::Mobilize), 8.0),
        );
        let s = act(
            s,
            VariantAction::Set(Field::StepSigma(StepId::Mobilize), 0.4),
        );
        let s = act(
            s,
            VariantAction::ResetField(Field::Number(AssumptionId::Sites)),
        );
        assert_eq!(*s.scenario, *s.variant.base);
        // A bad number is refused with the rule, and nothing changes.
        let before = s.scenario.clone();
        let s = act(
            s,
            VariantAction::Set(Field::StepSigma(StepId::Confirm), 9.0),
        );
        assert_eq!(s.scenario, before);
        assert!(s.notices.last().unwrap().text.contains("between 0 and 3"));
    }

    #[test]
    fn fields_parse_in_the_forms_units_with_their_ranges() {
        let s = builtin("eptura-2024-07-10").unwrap();
        assert_eq!(
            parse_field(&s, Field::StepMedian(StepId::Mobilize), " 2.5 "),
            Ok(2.5)
        );
        assert!(parse_field(&s, Field::Number(AssumptionId::Sites), "12.5")
            .unwrap_err()
            .contains("whole number"));
        assert!(parse_field(&s, Field::Number(AssumptionId::Sites), "x")
            .unwrap_err()
            .contains("is not a number like"));
        assert!(parse_field(&s, Field::ImpactStart, "16:00")
            .unwrap_err()
            .contains("between"));
        assert_eq!(
            parse_field(&s, Field::ImpactStart, "13:05"),
            Ok(s.clock.on_origin_day(13, 5) as f64)
        );
        assert_eq!(input_text(&s, Field::ImpactStart), "14:34");
        assert_eq!(input_text(&s, Field::StepMedian(StepId::NotifyOwner)), "4");
        assert_eq!(
            field_range(&s, Field::Number(AssumptionId::Sites)),
            "1 – 100000 sites"
        );
    }

    #[test]
    fn an_exported_variant_says_so_and_validates() {
        let s = act(
            state(),
            VariantAction::Set(Field::Number(AssumptionId::Sites), 400.0),
        );
        let s = act(
            s,
            VariantAction::Set(Field::StepSigma(StepId::Confirm), 0.9),
        );
        let out = for_export(&s.variant.base, &s.scenario);
        assert_eq!(out.id, "eptura-2024-07-10-variant");
        assert!(out.title.ends_with("(variant)"));
        assert!(out.summary.starts_with("A variant with its own numbers: "));
        assert!(out.assumptions[AssumptionId::Sites]
            .provenance
            .note()
            .starts_with("Set for this variant (the scenario's value was 120 sites)"));
        let back = parse_scenario(&scenario_json(&out)).unwrap();
        assert_eq!(back, out);
        assert_eq!(export_name(&out), "eptura-2024-07-10-variant.json");
        // The loaded scenario as it is exports unmarked.
        assert_eq!(
            for_export(&s.variant.base, &s.variant.base),
            *s.variant.base
        );
    }
}
