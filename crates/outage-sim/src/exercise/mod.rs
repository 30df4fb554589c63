//! The facilitated exercise that belongs to a scenario: its brief and objectives, its phases,
//! the injects the room is given at the record's real moments (what the room is told, the
//! questions to ask, what the facilitator listens for, each from its line of the record), the
//! curveballs a facilitator can fire and the response actions the room can take, with every
//! number they use and where it comes from.
//!
//! An exercise is data, read from JSON next to its scenario and validated against it
//! (`parse_exercise`): every problem is reported with its JSON path and the rule. An `Exercise`
//! only exists once validated. It is also where a room's decision or a curveball gets its
//! numbers: `Exercise::intervention` and `Exercise::parse_intervention` turn an action or a
//! curveball at a moment into an `Intervention` for the engine.
//!
//! What the room is told is written so that it gives nothing away: the validator refuses a
//! participant-facing text (an inject's title, what the room is told, its questions) that names
//! a clock time after the inject's own, or a withheld term (the cause, later steps, the outcome)
//! before the moment the exercise says it may be revealed (`spoiler`), and a curveball whose
//! card would give something away without a spoiler-free card for the room. What the room may
//! see at a moment is `visibility`.

mod builtin;
pub mod spoiler;
mod validate;
pub mod visibility;

use serde::Serialize;

pub use builtin::{
    builtin_exercise, builtin_exercise_ids, exercise_for, BUILTIN_EPTURA_EXERCISE, VARIANT_SUFFIX,
};
pub use validate::{parse_exercise, parse_exercise_bytes, EXERCISE_SCHEMA};

use crate::intervention::{ActionId, Curveball, CurveballId, Intervention, RoomAction};
use crate::provenance::Provenance;
use crate::safeguards::{Config, Params};
use crate::scenario::{Anchor, Quote, Scenario};
use crate::time::{Millis, SimTime, SECOND};

/// What the exercise sets out to practise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The capability it exercises, as an after-action report names it.
    pub capability: String,
}

/// The mission areas an exercise can cover, in an after-action report's words.
pub const MISSION_AREAS: [&str; 5] = [
    "Prevention",
    "Protection",
    "Mitigation",
    "Response",
    "Recovery",
];

/// A card's title and passages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CardText {
    pub title: String,
    pub participant_text: Vec<Passage>,
}

/// A phase of the exercise, from the record moment it starts at to the next phase's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The impact-start assumption (which moves with it) or a timed record event.
    pub starts_at: Anchor,
}

impl Phase {
    /// When the phase starts, with the scenario's current assumptions.
    pub fn at(&self, scenario: &Scenario) -> SimTime {
        match &self.starts_at {
            Anchor::ImpactStart => scenario.impact_start(),
            Anchor::Record { at, .. } => *at,
        }
    }
}

/// A piece of text read to the room. `illustrative` marks a detail the record does not state
/// (what Support saw, who said what), added to make the moment concrete.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passage {
    pub text: String,
    pub illustrative: bool,
}

/// What the room is given at one of the record's moments.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inject {
    pub id: String,
    /// The record event it is given at.
    pub record_id: String,
    pub at: SimTime,
    /// The phase it belongs to.
    pub phase: String,
    pub title: String,
    /// What the room is told at this moment: nothing it could not know yet.
    pub participant_text: Vec<Passage>,
    pub questions: Vec<String>,
    /// What the facilitator listens for in the discussion.
    pub listen_for: Vec<String>,
    /// Suggested minutes of discussion.
    pub discuss_minutes: u32,
    /// For the facilitator only (may name what comes next).
    pub facilitator_note: Option<String>,
    /// The line of the record it comes from.
    pub source: Quote,
}

impl Inject {
    /// Everything of the inject that the room sees (title, text, questions), for checks.
    pub fn room_text(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.title.as_str())
            .chain(self.participant_text.iter().map(|p| p.text.as_str()))
            .chain(self.questions.iter().map(String::as_str))
    }
}

/// The unit of a number an intervention uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberUnit {
    Seconds,
    Share,
    Factor,
}

impl NumberUnit {
    pub fn symbol(self) -> &'static str {
        match self {
            NumberUnit::Seconds => "s",
            NumberUnit::Share => "share",
            NumberUnit::Factor => "×",
        }
    }
}

/// A number an action or a curveball uses, with where it comes from. Always an assumption
/// (what it is based on) or marked illustrative: nothing here is in the record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExerciseNumber {
    pub key: String,
    pub label: String,
    pub value: f64,
    pub unit: NumberUnit,
    pub provenance: Provenance,
    pub illustrative: bool,
}

/// A curveball the facilitator can fire.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CurveballCard {
    pub id: CurveballId,
    pub title: String,
    /// What the room is told when it is fired.
    pub participant_text: Vec<Passage>,
    /// What the room is told instead while the full card would give something away (see
    /// `CurveballCard::for_room`).
    pub spoiler_free: Option<CardText>,
    /// What it changes in the model, for the facilitator.
    pub effect: String,
    pub numbers: Vec<ExerciseNumber>,
    pub provenance: Provenance,
}

/// A response action the room can take.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionCard {
    pub id: ActionId,
    pub label: String,
    /// What it does in the model, for the facilitator's console.
    pub help: String,
    pub numbers: Vec<ExerciseNumber>,
}

/// A term the room must not read before a moment of the record (a spoiler).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Withheld {
    pub term: String,
    /// The record event from which it may be read.
    pub until: String,
    pub at: SimTime,
}

/// A validated exercise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exercise {
    pub id: String,
    /// The scenario it belongs to.
    pub scenario: String,
    pub title: String,
    pub brief: String,
    /// What the exercise covers and how it is played, for the report's overview.
    pub scope: String,
    /// Of `MISSION_AREAS`.
    pub mission_areas: Vec<String>,
    pub objectives: Vec<Objective>,
    /// The planned length; the injects' discussion minutes add up to it.
    pub duration_minutes: u32,
    /// In time order.
    pub phases: Vec<Phase>,
    /// In time order.
    pub injects: Vec<Inject>,
    pub curveballs: Vec<CurveballCard>,
    pub actions: Vec<ActionCard>,
    pub withheld: Vec<Withheld>,
}

/// The numbers each action and curveball takes, with their ranges: (key, label, unit, min, max).
type NumberRow = (&'static str, &'static str, NumberUnit, f64, f64);

/// The numbers a room action needs.
pub fn action_numbers(id: ActionId) -> &'static [NumberRow] {
    use NumberUnit::*;
    match id {
        ActionId::PageOnCall => &[(
            "ack_delay_s",
            "Page → on-call acknowledges",
            Seconds,
            10.0,
            3_600.0,
        )],
        // A rollback takes the model's own time (see `RoomAction::RollBack`).
        ActionId::RollBack
        | ActionId::EscalateLeadership
        | ActionId::PostStatus
        | ActionId::StartLooper
        | ActionId::EnableSafeguard => &[],
    }
}

/// The numbers a curveball needs.
pub fn curveball_numbers(id: CurveballId) -> &'static [NumberRow] {
    use NumberUnit::*;
    match id {
        CurveballId::ImageMissing => &[(
            "rebuild_s",
            "Rebuilding last week's release image",
            Seconds,
            60.0,
            14_400.0,
        )],
        CurveballId::LooperFails => &[(
            "failed_share",
            "Share of sites the looper fails for",
            Share,
            0.01,
            1.0,
        )],
        CurveballId::PagerDown => &[(
            "gather_s",
            "Gathering people by phone and chat",
            Seconds,
            60.0,
            7_200.0,
        )],
        CurveballId::MergerAway => &[(
            "diagnosis_factor",
            "Diagnosis takes this many times as long",
            Factor,
            1.0,
            10.0,
        )],
        CurveballId::SecondIncident => &[
            (
                "slowdown_factor",
                "Steps done by people take this many times as long",
                Factor,
                1.0,
                10.0,
            ),
            (
                "duration_s",
                "The second incident lasts",
                Seconds,
                60.0,
                28_800.0,
            ),
        ],
    }
}

/// A problem with an intervention as written (`15:40=roll_back`), in one line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InterventionError(pub String);

fn ms(seconds: f64) -> Millis {
    (seconds * SECOND as f64 + 0.5) as Millis
}

impl Exercise {
    pub fn inject(&self, id: &str) -> Option<&Inject> {
        self.injects.iter().find(|i| i.id == id)
    }

    pub fn curveball_card(&self, id: CurveballId) -> Option<&CurveballCard> {
        self.curveballs.iter().find(|c| c.id == id)
    }

    pub fn action_card(&self, id: ActionId) -> Option<&ActionCard> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// The phase a moment falls in (the last one started by then).
    pub fn phase_at(&self, scenario: &Scenario, t: SimTime) -> Option<&Phase> {
        self.phases.iter().rev().find(|p| p.at(scenario) <= t)
    }

    /// A room action with the exercise's numbers. `None` for switching on a safeguard, which
    /// needs the safeguard (see `RoomAction::EnableSafeguard`), and for an action the exercise
    /// does not offer.
    pub fn room_action(&self, id: ActionId) -> Option<RoomAction> {
        self.room_action_with(id, &[]).ok().flatten()
    }

    /// A curveball with the exercise's numbers, if the exercise offers it.
    pub fn curveball(&self, id: CurveballId) -> Option<Curveball> {
        self.curveball_with(id, &[]).ok()
    }

    fn number(
        numbers: &[ExerciseNumber],
        rows: &[NumberRow],
        overrides: &[(String, f64)],
        key: &str,
    ) -> f64 {
        overrides
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .or_else(|| numbers.iter().find(|n| n.key == key).map(|n| n.value))
            .or_else(|| rows.iter().find(|r| r.0 == key).map(|r| r.3))
            .unwrap_or(0.0)
    }

    fn room_action_with(
        &self,
        id: ActionId,
        overrides: &[(String, f64)],
    ) -> Result<Option<RoomAction>, InterventionError> {
        let card = self.action_card(id).ok_or_else(|| {
            InterventionError(format!(
                "this exercise does not offer the action '{}'",
                id.id()
            ))
        })?;
        let n = |key| Self::number(&card.numbers, action_numbers(id), overrides, key);
        Ok(Some(match id {
            ActionId::PageOnCall => RoomAction::PageOnCall {
                ack_delay: ms(n("ack_delay_s")),
            },
            ActionId::EscalateLeadership => RoomAction::EscalateLeadership,
            ActionId::RollBack => RoomAction::RollBack,
            ActionId::PostStatus => RoomAction::PostStatus,
            ActionId::StartLooper => RoomAction::StartLooper,
            ActionId::EnableSafeguard => return Ok(None),
        }))
    }

    fn curveball_with(
        &self,
        id: CurveballId,
        overrides: &[(String, f64)],
    ) -> Result<Curveball, InterventionError> {
        let card = self.curveball_card(id).ok_or_else(|| {
            InterventionError(format!("this exercise has no curveball '{}'", id.id()))
        })?;
        let n = |key| Self::number(&card.numbers, curveball_numbers(id), overrides, key);
        Ok(match id {
            CurveballId::ImageMissing => Curveball::ImageMissing {
                rebuild: ms(n("rebuild_s")),
            },
            CurveballId::LooperFails => Curveball::LooperFails {
                failed_share: n("failed_share"),
            },
            CurveballId::PagerDown => Curveball::PagerDown {
                gather: ms(n("gather_s")),
            },
            CurveballId::MergerAway => Curveball::MergerAway {
                diagnosis_factor: n("diagnosis_factor"),
            },
            CurveballId::SecondIncident => Curveball::SecondIncident {
                slowdown: n("slowdown_factor"),
                lasts: ms(n("duration_s")),
            },
        })
    }

    /// Reads `key=value,key=value` overrides of an action's or a curveball's numbers, each
    /// checked against its range.
    fn overrides(
        what: &str,
        rows: &[NumberRow],
        text: Option<&str>,
    ) -> Result<Vec<(String, f64)>, InterventionError> {
        let Some(text) = text else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (key, value) = pair.split_once('=').ok_or_else(|| {
                InterventionError(format!("'{pair}' in {what} is not of the form key=value"))
            })?;
            let key = key.trim();
            let row = rows.iter().find(|r| r.0 == key).ok_or_else(|| {
                let known: Vec<&str> = rows.iter().map(|r| r.0).collect();
                InterventionError(format!(
                    "{what} has no number '{key}' ({})",
                    if known.is_empty() {
                        "it takes none".to_string()
                    } else {
                        format!("it has: {}", known.join(", "))
                    }
                ))
            })?;
            if out.iter().any(|(k, _): &(String, f64)| k == key) {
                return Err(InterventionError(format!(
                    "{what}.{key} is given more than once; give it once"
                )));
            }
            let v = crate::numfmt::parse_decimal(value).ok_or_else(|| {
                InterventionError(format!("{what}.{key}: '{}' is not a number", value.trim()))
            })?;
            if !(row.3..=row.4).contains(&v) {
                return Err(InterventionError(format!(
                    "{what}.{key}: {v} is out of range (allowed {} to {} {})",
                    crate::numfmt::trimmed(row.3, 6),
                    crate::numfmt::trimmed(row.4, 6),
                    row.2.symbol()
                )));
            }
            out.push((key.to_string(), v));
        }
        Ok(out)
    }

    /// An intervention from its text: `HH:MM=ACTION[:args]` for the room, where the args of
    /// `enable_safeguard` are a `--with` item (`uptime_check:interval_s=30`) and those of the
    /// other actions are `key=value` overrides of their numbers; with `curveball` true,
    /// `HH:MM=ID[:key=value,...]`. The time is local time on the incident's day, or RFC 3339.
    pub fn parse_intervention(
        &self,
        scenario: &Scenario,
        text: &str,
        curveball: bool,
    ) -> Result<Intervention, InterventionError> {
        let (time, what) = text.split_once('=').ok_or_else(|| {
            InterventionError(format!(
                "'{text}' is not of the form HH:MM={}",
                if curveball { "ID" } else { "ACTION[:args]" }
            ))
        })?;
        let at = scenario.parse_day_time(time).map_err(InterventionError)?;
        let what = what.trim();
        let (id, args) = match what.split_once(':') {
            Some((id, args)) => (id.trim(), Some(args)),
            None => (what, None),
        };
        if curveball {
            let cid = CurveballId::from_id(id).ok_or_else(|| {
                InterventionError(format!(
                    "unknown curveball '{id}' (known: {})",
                    CurveballId::ALL.map(|c| c.id()).join(", ")
                ))
            })?;
            let overrides = Self::overrides(id, curveball_numbers(cid), args)?;
            return Ok(Intervention::curveball(
                at,
                self.curveball_with(cid, &overrides)?,
            ));
        }
        let aid = ActionId::from_id(id).ok_or_else(|| {
            InterventionError(format!(
                "unknown action '{id}' (known: {})",
                ActionId::ALL.map(|a| a.id()).join(", ")
            ))
        })?;
        if aid == ActionId::EnableSafeguard {
            let spec = args.ok_or_else(|| {
                InterventionError(
                    "enable_safeguard needs a safeguard: enable_safeguard:ID[:key=value,...]"
                        .into(),
                )
            })?;
            let mut config = Config::none();
            let safeguard = match config.apply_spec(spec) {
                Ok((id, repeated)) if repeated.is_empty() => id,
                Ok((_, repeated)) => return Err(InterventionError(repeated[0].to_string())),
                Err(e) => return Err(InterventionError(e.to_string())),
            };
            let params = *config.params(safeguard).expect("just enabled");
            return Ok(Intervention::room(
                at,
                RoomAction::EnableSafeguard { safeguard, params },
            ));
        }
        let overrides = Self::overrides(id, action_numbers(aid), args)?;
        let action = self
            .room_action_with(aid, &overrides)?
            .expect("not enable_safeguard");
        Ok(Intervention::room(at, action))
    }

    /// An action or a curveball at a moment, with the exercise's numbers (`None` if the
    /// exercise does not offer it; for `enable_safeguard` use `RoomAction::EnableSafeguard`).
    pub fn intervention(&self, at: SimTime, id: &str) -> Option<Intervention> {
        if let Some(c) = CurveballId::from_id(id) {
            return Some(Intervention::curveball(at, self.curveball(c)?));
        }
        let action = self.room_action(ActionId::from_id(id)?)?;
        Some(Intervention::room(at, action))
    }

    /// The text form of an intervention, as `parse_intervention` reads it: numbers that differ
    /// from the exercise's are written out.
    pub fn intervention_text(&self, scenario: &Scenario, intervention: &Intervention) -> String {
        use crate::intervention::InterventionKind;
        // HH:MM when that is exact and on the incident's day, RFC 3339 otherwise.
        let whole_minute = intervention.at % crate::time::MINUTE == 0;
        let time = if whole_minute && scenario.clock.on_origin_date(intervention.at, false) {
            scenario.clock.hhmm_local(intervention.at)
        } else {
            scenario.clock.rfc3339(intervention.at)
        };
        let seconds = |v: Millis| v as f64 / SECOND as f64;
        let (id, numbers): (&str, Vec<(&str, f64)>) = match intervention.kind {
            InterventionKind::Room(RoomAction::EnableSafeguard { safeguard, params }) => {
                let mut config = Config::none();
                config.enable(safeguard);
                for (spec, v) in safeguard.params().iter().zip(params.0) {
                    let _ = config.set(safeguard, spec.key, v);
                }
                let spec = config.to_specs().pop().unwrap_or_default();
                return format!("{time}=enable_safeguard:{spec}");
            }
            InterventionKind::Room(action) => (
                action.id().id(),
                match action {
                    RoomAction::PageOnCall { ack_delay } => {
                        vec![("ack_delay_s", seconds(ack_delay))]
                    }
                    _ => vec![],
                },
            ),
            InterventionKind::Curveball(c) => (
                c.id().id(),
                match c {
                    Curveball::ImageMissing { rebuild } => vec![("rebuild_s", seconds(rebuild))],
                    Curveball::LooperFails { failed_share } => {
                        vec![("failed_share", failed_share)]
                    }
                    Curveball::PagerDown { gather } => vec![("gather_s", seconds(gather))],
                    Curveball::MergerAway { diagnosis_factor } => {
                        vec![("diagnosis_factor", diagnosis_factor)]
                    }
                    Curveball::SecondIncident { slowdown, lasts } => vec![
                        ("slowdown_factor", slowdown),
                        ("duration_s", seconds(lasts)),
                    ],
                },
            ),
        };
        let defaults: &[ExerciseNumber] = match intervention.kind {
            InterventionKind::Room(a) => self
                .action_card(a.id())
                .map_or(&[][..], |c| c.numbers.as_slice()),
            InterventionKind::Curveball(c) => self
                .curveball_card(c.id())
                .map_or(&[][..], |c| c.numbers.as_slice()),
        };
        let changed: Vec<String> = numbers
            .into_iter()
            .filter(|(k, v)| !defaults.iter().any(|n| n.key == *k && n.value == *v))
            .map(|(k, v)| format!("{k}={}", crate::numfmt::trimmed(v, 6)))
            .collect();
        if changed.is_empty() {
            format!("{time}={id}")
        } else {
            format!("{time}={id}:{}", changed.join(","))
        }
    }
}

/// A safeguard's parameters as `RoomAction::EnableSafeguard` carries them: its defaults.
pub fn default_params(id: crate::safeguards::SafeguardId) -> Params {
    Params::defaults(id)
}
