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
//! its path, and the scenario in use stays until a valid file is loaded. The reader is not in
//! the page's start (see `scenario_file`): the page reads the file and hands this slice the
//! verdict. Text from a file is only ever shown as text. The file is kept in the browser as it
//! was imported (its JSON, not an escaped copy), so a file that was accepted is also one that
//! can be kept. The kept file is read again only when a view names it (`Unread`, `Waiting`).

use std::rc::Rc;

use outage_sim::input::{self, SCENARIO_FILE};
use outage_sim::limits::{KEPT_FILE_BYTES, MAX_FILE_NAME_CHARS, MAX_ID_CHARS, MAX_TEXT_CHARS};
use outage_sim::provenance::Provenance;
use outage_sim::scenario::{AssumptionId, Median, Problem, Scenario, StepId, VARIANT_NOTE};
use outage_sim::time::{Millis, MINUTE};
use outage_sim::{human_duration, numfmt};
use serde_json::value::RawValue;

use super::link::Source;
use super::room_view::RoomView;
use super::{AppState, Notice, Shared};
use crate::scenario_file::{ReadFile, Verdict};

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
    pub text: Rc<str>,
    pub scenario: Shared<Scenario>,
}

/// The file kept from the last visit, not read yet: it is read (by `scenario_file`, which is
/// not in the page's start) when a view names it.
#[derive(Clone, Debug, PartialEq)]
pub struct Unread {
    pub name: String,
    pub text: Rc<str>,
}

/// A view that names the kept file, waiting for it to be read: the page says it is restoring
/// the file, and opens the view once it is read (`VariantAction::Restored`).
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub view: String,
    pub source: Source,
    /// On a projector: the console's view to take once the file is read, and the wall-clock
    /// time it came at (its playhead moves on from there).
    pub room: Option<(Shared<RoomView>, f64)>,
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
}

impl KeptFile {
    /// The kept file as it will be read again (through the same reader as any file).
    pub fn unread(&self) -> Unread {
        Unread {
            name: self.name.clone(),
            text: Rc::from(self.file.get()),
        }
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
    /// The file kept from the last visit, until a view names it and it is read.
    pub unread: Option<Unread>,
    /// The view that waits for `unread` to be read.
    pub waiting: Option<Waiting>,
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
    /// A file the page has read (`scenario_file::read_scenario_file`) and what it says: loaded,
    /// or its problems listed while the scenario in use stays.
    Import {
        name: String,
        verdict: Verdict,
    },
    /// The kept file (`VariantState::unread`) read, or why it could not be; the waiting view
    /// opens either way.
    Restored(Result<Verdict, String>),
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
            unread: None,
            waiting: None,
        }
    }

    /// The same slice on another loaded scenario, keeping the last file.
    pub fn on(&self, base: Shared<Scenario>, origin: Origin) -> VariantState {
        VariantState {
            base,
            origin,
            refused: None,
            last_file: self.last_file.clone(),
            unread: self.unread.clone(),
            waiting: None,
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
        VariantAction::Import { name, verdict } => import(s, name, verdict),
        VariantAction::Restored(read) => restored(s, read),
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

fn import(s: &mut AppState, name: String, verdict: Verdict) {
    // A name is the user's file system's: kept shorter than the table says, shown escaped.
    let name: String = input::visible(&name)
        .chars()
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    match verdict {
        Ok(ReadFile { scenario, text }) => {
            // The built-in scenario exported unchanged is the built-in again (a link can name it).
            let builtin = crate::builtin::builtin(&scenario.id);
            let origin = if builtin.as_ref() == Some(&*scenario) {
                Origin::Builtin
            } else {
                Origin::File { name: name.clone() }
            };
            let scenario = Shared::new(*scenario);
            s.notify(Notice::info(format!(
                "Loaded the scenario “{}” from {name}.",
                scenario.title
            )));
            if origin != Origin::Builtin {
                // The newer file is the one kept from now on.
                s.variant.unread = None;
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
        Err(problems) => refuse(s, name, problems),
    }
}

/// The kept file has been read: it is the last file (a link can name it), or a notice says why
/// it is not; then the view that waited for it opens.
fn restored(s: &mut AppState, read: Result<Verdict, String>) {
    let Some(unread) = s.variant.unread.take() else {
        return;
    };
    let waiting = s.variant.waiting.take();
    let problem = match read {
        Ok(Ok(ReadFile { scenario, text })) => {
            s.variant.last_file = Some(LoadedFile {
                name: unread.name,
                text,
                scenario: Shared::new(*scenario),
            });
            None
        }
        Ok(Err(problems)) => Some(format!(
            "The scenario file {} kept from your last visit no longer reads ({}): import it again.",
            unread.name,
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )),
        // It stays in storage all the same: the next visit tries again.
        Err(why) => Some(format!(
            "The scenario file {} kept from your last visit could not be restored ({why}): reload the page to try again.",
            unread.name
        )),
    };
    if let Some(problem) = problem {
        s.error(problem);
    }
    match waiting {
        // A projector takes the console's view as it does any other.
        Some(Waiting {
            room: Some((room, wall)),
            ..
        }) => s.follow(&room, wall),
        Some(Waiting { view, source, .. }) => {
            let epoch = s.history_epoch;
            *s = s.opened(&view, source);
            s.history_epoch = epoch;
        }
        None => {}
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
    use outage_sim::scenario::{builtin, parse_scenario, scenario_json};
    use std::rc::Rc;
    use yew::Reducible;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(builtin("eptura-2024-07-10").unwrap()))
    }

    fn act(s: Rc<AppState>, a: VariantAction) -> Rc<AppState> {
        s.reduce(Action::Variant(a))
    }

    /// A file as the page imports it: read by the reader's chunk, then handed to the reducer.
    fn import_file(name: impl Into<String>, bytes: Vec<u8>) -> VariantAction {
        VariantAction::Import {
            name: name.into(),
            verdict: crate::scenario_file::read(&bytes),
        }
    }

    /// The kept file read again, as the page reads it when a view names it.
    fn reread(kept: &KeptFile) -> Result<LoadedFile, Vec<Problem>> {
        let unread = kept.unread();
        let read = crate::scenario_file::read(unread.text.as_bytes())?;
        Ok(LoadedFile {
            name: unread.name,
            text: read.text,
            scenario: Shared::new(*read.scenario),
        })
    }

    #[test]
    fn a_valid_file_loads_and_a_broken_one_keeps_the_scenario() {
        let mut v: serde_json::Value =
            serde_json::from_str(outage_sim::scenario::BUILTIN_EPTURA).unwrap();
        v["assumptions"]["sites"]["value"] = 400.into();
        v["title"] = "<img src=x onerror=alert(1)>".into();
        let s = act(
            state(),
            import_file("ours.json", v.to_string().into_bytes()),
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
            import_file("broken.json", v.to_string().into_bytes()),
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
            import_file(
                "big.json",
                vec![b' '; outage_sim::limits::MAX_FILE_BYTES + 1],
            ),
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
        let again = reread(&back).unwrap();
        assert_eq!(
            (&again.name, &again.text, &*again.scenario),
            (&file.name, &file.text, &*file.scenario)
        );
        let broken = KeptFile {
            name: "x".into(),
            file: RawValue::from_string("{}".into()).unwrap(),
        };
        assert!(reread(&broken).is_err());
    }

    /// A state opened with a kept file from the last visit, not read yet.
    fn with_kept_file(title: &str) -> (Rc<AppState>, String) {
        let mut scenario = builtin("eptura-2024-07-10").unwrap();
        scenario.id = "ours".into();
        scenario.title = title.into();
        let text = scenario_json(&scenario);
        let kept = KeptFile {
            name: "ours.json".into(),
            file: RawValue::from_string(text.trim().to_string()).unwrap(),
        };
        let mut s = AppState::new(builtin("eptura-2024-07-10").unwrap());
        s.variant.unread = Some(kept.unread());
        (Rc::new(s), text)
    }

    #[test]
    fn a_view_naming_the_kept_file_waits_for_it_then_opens_on_it() {
        let (s, text) = with_kept_file("Ours");
        let opened = s.opened("scenario=file:ours&seed=7", Source::Link);
        assert_eq!(
            opened.variant.waiting,
            Some(Waiting {
                view: "scenario=file:ours&seed=7".into(),
                source: Source::Link,
                room: None,
            })
        );
        assert_eq!(opened.scenario, s.scenario, "nothing is opened meanwhile");
        let read = crate::scenario_file::read(text.as_bytes());
        let done = act(Rc::new(opened), VariantAction::Restored(Ok(read)));
        assert_eq!(done.variant.waiting, None);
        assert_eq!(done.variant.unread, None);
        assert_eq!(done.scenario.title, "Ours");
        assert_eq!(done.seed, 7);
        assert_eq!(done.variant.file(), Some("ours.json"));
        assert_eq!(
            done.variant.last_file.as_ref().unwrap().text,
            Rc::from(text.trim())
        );
        // Once read, a view naming it opens at once.
        let again = done.opened("scenario=file:ours&seed=8", Source::Link);
        assert_eq!((again.variant.waiting.clone(), again.seed), (None, 8));
    }

    #[test]
    fn a_view_that_does_not_name_the_kept_file_opens_at_once_and_leaves_it_unread() {
        let (s, _) = with_kept_file("Ours");
        let opened = s.opened("seed=9", Source::Session);
        assert_eq!((opened.variant.waiting.clone(), opened.seed), (None, 9));
        assert!(
            opened.variant.unread.is_some(),
            "kept for a view that names it"
        );
        // A file imported meanwhile is the one kept from then on.
        let mut other = builtin("eptura-2024-07-10").unwrap();
        other.id = "theirs".into();
        let imported = act(
            Rc::new(opened),
            import_file("theirs.json", scenario_json(&other).into_bytes()),
        );
        assert_eq!(imported.variant.unread, None);
        assert_eq!(imported.variant.file(), Some("theirs.json"));
    }

    #[test]
    fn a_projector_following_a_console_on_the_kept_file_waits_for_it_then_takes_the_view() {
        let (s, text) = with_kept_file("Ours");
        let projector = Rc::new(s.opened("mode=projector", Source::Link));
        assert_eq!(projector.exercise.mode, crate::state::Mode::Projector);
        let view = RoomView {
            console: 1,
            seq: 1,
            link: "scenario=file:ours&seed=7".into(),
            actions: vec![],
            curveballs: vec![],
            now: projector.replay.now,
            playing: false,
            speed: 60,
            sent_at: 1_000.0,
            reveals: Default::default(),
            blank: false,
            inject_timer: projector.exercise.inject_timer,
            exercise_timer: projector.exercise.exercise_timer,
        };
        let waiting = projector.reduce(Action::FollowRoom(Box::new(view.clone()), 2_000.0));
        let (room, wall) = waiting.variant.waiting.clone().unwrap().room.unwrap();
        assert_eq!(
            (&*room, wall),
            (&view, 2_000.0),
            "taken once the file is read"
        );
        assert_eq!(*waiting.scenario, *s.scenario, "nothing is taken meanwhile");
        assert_eq!(waiting.followed, None);
        let read = crate::scenario_file::read(text.as_bytes());
        let done = act(waiting, VariantAction::Restored(Ok(read)));
        assert_eq!(done.variant.waiting, None);
        assert_eq!(done.exercise.mode, crate::state::Mode::Projector);
        assert_eq!((done.scenario.title.as_str(), done.seed), ("Ours", 7));
        assert!(done.followed.is_some());
    }

    #[test]
    fn a_kept_file_that_no_longer_reads_or_cannot_be_read_says_so_and_the_view_opens() {
        let (s, _) = with_kept_file("Ours");
        let waiting = Rc::new(s.opened("scenario=file:ours&seed=7", Source::Link));
        let broken = crate::scenario_file::read(b"{\"id\": 3}");
        let done = act(waiting.clone(), VariantAction::Restored(Ok(broken)));
        assert_eq!(done.variant.waiting, None);
        assert_eq!(done.variant.last_file, None);
        assert_eq!(done.seed, 7, "the rest of the view opens");
        let texts: Vec<&str> = done.notices.iter().map(|n| n.text.as_str()).collect();
        assert!(
            texts.iter().any(|t| t
                .contains("ours.json kept from your last visit no longer reads (")
                && t.contains("id: invalid type")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.contains("came from a file")),
            "{texts:?}"
        );
        let offline = act(
            waiting,
            VariantAction::Restored(Err(crate::scenario_file::UNAVAILABLE.into())),
        );
        assert_eq!(offline.variant.waiting, None);
        assert!(offline
            .notices
            .iter()
            .any(|n| n.text.contains("could not be restored")
                && n.text.contains("could not be loaded")));
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
        let s = act(state(), import_file("big.json", file.into_bytes()));
        assert!(s.variant.refused.is_none(), "{:?}", s.variant.refused);
        let kept = s.variant.last_file.as_ref().unwrap();
        let raw = crate::storage::write_envelope(FILE_RECORD, &kept.kept());
        assert!(raw.len() <= FILE_RECORD.max_bytes, "{} bytes", raw.len());
        let back: KeptFile = crate::storage::read_envelope(FILE_RECORD, &raw).unwrap();
        let again = reread(&back).unwrap();
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
            let s = act(state(), import_file(file.clone(), bytes));
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
            import_file("copy.json", scenario_json(&state().scenario).into_bytes()),
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
