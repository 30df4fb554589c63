//! The after-action report of a facilitated exercise, in the shape of an HSEEP after-action
//! report and improvement plan (AAR/IP): the exercise overview (name, date, scope, mission areas,
//! objectives and their capabilities, scenario, participants and roles, logistics), each
//! objective's rating (P, S, M or U), observations (strengths and areas for improvement, each
//! with its analysis and recommendation, and the points the facilitator heard), the room's
//! decisions against the record with their simulated difference and its range, the room's day
//! against the record, the assumptions behind every figure of the room's day, the hot wash,
//! the improvement plan, and an appendix that reproduces the room's day.
//!
//! `Report::build` gathers it from the state (pure, tested natively); it is written as Markdown
//! (`to_markdown`) and as versioned JSON (`to_json`, schema `REPORT_SCHEMA`), described in
//! `docs/exercise.md`, and drawn for printing by `components::report_view`. The three carry the
//! same content. A report is kept whole in an exercise's archive (it reads back from its JSON).

use outage_sim::exercise::{Exercise, NumberUnit};
use outage_sim::intervention::{Curveball, Intervention, InterventionKind};
use outage_sim::metrics::{Metric, RunRecord};
use outage_sim::scenario::Scenario;
use outage_sim::{counterfactual, human_duration, room_day, Config, SimTime};
use serde::{Deserialize, Serialize};

use crate::debrief;
use crate::state::exercise::{Grade, ObservationKind};
use crate::state::exercise_store::{ranges_inputs, RangeCell};
use crate::state::link::step_items;
use crate::state::AppState;

/// The version of the report's JSON. Bumped when a field changes meaning or goes away.
pub const REPORT_SCHEMA: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub name: String,
    pub date: String,
    pub facilitator: String,
    pub exercise_title: String,
    pub scope: String,
    pub mission_areas: Vec<String>,
    pub capabilities: Vec<String>,
    pub scenario_id: String,
    pub scenario_title: String,
    /// How the scenario differs from the built-in record: a variant with the user's numbers,
    /// or a scenario from a file (absent for the built-in as it is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_variant: Option<String>,
    pub scenario_source: String,
    pub brief: String,
    pub participants: Vec<Participant>,
    pub logistics: String,
}

/// An objective with its capability and the facilitator's rating.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub capability: String,
    /// `P`, `S`, `M` or `U`, when rated.
    pub rating: Option<String>,
    /// The rating in words ("Performed with some challenges").
    pub rating_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationRow {
    /// `strength` or `improvement`.
    pub kind: String,
    /// The objective's title, or empty.
    pub objective: String,
    pub observation: String,
    pub analysis: String,
    pub recommendation: String,
}

/// A listen-for point the facilitator ticked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeardRow {
    /// `15:34 Calendars are not syncing`.
    pub inject: String,
    pub point: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionRow {
    /// The simulated moment, local time (`15:40`).
    pub at: String,
    /// When it was logged (UTC, RFC 3339).
    pub logged: String,
    pub role: String,
    pub decision: String,
    pub rationale: String,
    pub inject: String,
    /// What it did in the model (`Roll back to last week's release (15:40=roll_back)`), if anything.
    pub action: String,
    /// What the record did at that point of the day.
    pub record: String,
    /// Its simulated difference: the room's day with it against the same day without it.
    pub difference: String,
    /// The range of the metric it bears on over many runs, room against record, when computed.
    pub range: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurveballRow {
    pub at: String,
    pub title: String,
    pub effect: String,
    pub difference: String,
}

/// A moment of the day in each run: the record, the room's day, the what-if safeguards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MomentRow {
    pub moment: String,
    pub record: String,
    pub room: String,
    pub safeguards: Option<String>,
}

/// A metric for one run or range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// As people read it (`1 h 12 min`), or a word (`no outage`, `never`).
    pub text: String,
    /// In the command line's JSON units (seconds for durations), when there is a value.
    pub value: Option<f64>,
}

/// Monte Carlo medians and 90th percentiles of a metric, for one configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    pub p50: Figure,
    pub p90: Figure,
    pub runs: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    pub key: String,
    pub label: String,
    pub definition: String,
    /// Where the definition can make a safeguard or a decision look worse.
    pub caveat: Option<String>,
    /// Single runs: the record, the room's day, the safeguards' run.
    pub record: Figure,
    pub room: Figure,
    pub safeguards: Option<Figure>,
    /// Monte Carlo ranges, when they were computed for these inputs.
    pub record_range: Option<Range>,
    pub room_range: Option<Range>,
    pub safeguards_range: Option<Range>,
}

/// A number the room's day rests on, and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssumptionRow {
    pub what: String,
    pub value: String,
    pub basis: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanRow {
    pub issue: String,
    pub recommendation: String,
    pub corrective_action: String,
    pub capability: String,
    pub responsible: String,
    pub start: String,
    pub completion: String,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appendix {
    pub scenario_id: String,
    pub seed: u64,
    pub impact_start: String,
    /// The room's decisions with an action, as `--room` takes them.
    pub room: Vec<String>,
    /// The curveballs, as `--curveball` takes them.
    pub curveballs: Vec<String>,
    /// The what-if safeguards (`--with` items): a run of their own, apart from the room's day.
    pub safeguards: Vec<String>,
    /// Opens the room's day in the app.
    pub link: String,
    /// Runs the room's day on the command line.
    pub command: String,
    /// Runs the what-if safeguards' day, when any were on.
    pub safeguards_command: Option<String>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: u32,
    pub overview: Overview,
    pub objectives: Vec<ObjectiveRow>,
    pub observations: Vec<ObservationRow>,
    pub heard: Vec<HeardRow>,
    pub decisions: Vec<DecisionRow>,
    pub curveballs: Vec<CurveballRow>,
    pub moments: Vec<MomentRow>,
    pub metrics: Vec<MetricRow>,
    pub assumptions: Vec<AssumptionRow>,
    pub hot_wash: Vec<String>,
    pub plan: Vec<PlanRow>,
    pub appendix: Appendix,
}

/// The rating levels, for the report's key.
pub const RATING_KEY: [Grade; 4] = Grade::ALL;

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn figure(m: Metric, r: &RunRecord) -> Figure {
    Figure {
        text: m.shown(r),
        value: m.json_value(r),
    }
}

fn stat_figure(m: Metric, v: Option<f64>) -> Figure {
    match v {
        Some(v) => Figure {
            text: m.format(v),
            value: Some(m.unit().in_json(v)),
        },
        None => Figure {
            text: "—".into(),
            value: None,
        },
    }
}

/// Wall-clock milliseconds since the epoch as RFC 3339 in UTC, to the second.
fn wall(ms: f64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// A curveball's numbers as the exercise file names them (seconds for delays).
fn numbers_of(i: &Intervention) -> Vec<(&'static str, f64)> {
    let s = |ms: i64| ms as f64 / 1000.0;
    match i.kind {
        InterventionKind::Room(_) => vec![],
        InterventionKind::Curveball(c) => match c {
            Curveball::ImageMissing { rebuild } => vec![("rebuild_s", s(rebuild))],
            Curveball::LooperFails { failed_share } => vec![("failed_share", failed_share)],
            Curveball::PagerDown { gather } => vec![("gather_s", s(gather))],
            Curveball::MergerAway { diagnosis_factor } => {
                vec![("diagnosis_factor", diagnosis_factor)]
            }
            Curveball::SecondIncident { slowdown, lasts } => {
                vec![("slowdown_factor", slowdown), ("duration_s", s(lasts))]
            }
        },
    }
}

fn number_text(unit: NumberUnit, v: f64) -> String {
    match unit {
        NumberUnit::Seconds => human_duration((v * 1000.0) as i64),
        NumberUnit::Share => format!("{} %", outage_sim::numfmt::trimmed(v * 100.0, 1)),
        NumberUnit::Factor => format!("×{}", outage_sim::numfmt::trimmed(v, 2)),
    }
}

fn basis(p: &outage_sim::Provenance) -> String {
    match p.based_on() {
        Some(on) => format!("{} ({}; based on {on})", p.note(), p.kind()),
        None => format!("{} ({})", p.note(), p.kind()),
    }
}

/// The assumptions behind the room's day: the scenario's, and each intervention's numbers.
fn assumptions(
    scenario: &Scenario,
    exercise: Option<&Exercise>,
    interventions: &[Intervention],
    seed: u64,
) -> Vec<AssumptionRow> {
    let clock = &scenario.clock;
    let a = &scenario.assumptions;
    let mut out = vec![AssumptionRow {
        what: a.impact_start.label.clone(),
        value: format!(
            "{} {}",
            clock.hhmm_local(a.impact_start.at),
            scenario.zone_label
        ),
        basis: basis(&a.impact_start.provenance),
    }];
    for (_, n) in a.iter() {
        out.push(AssumptionRow {
            what: n.label.clone(),
            value: format!("{} {}", outage_sim::numfmt::trimmed(n.value, 3), n.unit),
            basis: basis(&n.provenance),
        });
    }
    out.push(AssumptionRow {
        what: "Every step the room did not change".into(),
        value: "as recorded".into(),
        basis: "The room's day is the record replayed with the room's decisions and the curveballs: every other step keeps the delay the record gives it (docs/model.md).".into(),
    });
    let Some(exercise) = exercise else {
        return out;
    };
    for (k, i) in interventions.iter().enumerate() {
        let curveball = match i.kind {
            // What a room action assumes is the model's own account at its moment (its delay,
            // and which way back it takes: the runbook's revert or the reinstatement of a known
            // cause), with where each number comes from.
            InterventionKind::Room(a) => {
                let options = outage_sim::branches::room_options(
                    scenario,
                    exercise,
                    &Config::none(),
                    &interventions[..k],
                    seed,
                    i.at,
                )
                .unwrap_or_default();
                if let Some(option) = options.into_iter().find(|o| o.action == a.id()) {
                    for n in option.assumes {
                        out.push(AssumptionRow {
                            what: format!(
                                "{} at {}: {}",
                                option.label,
                                clock.hhmm_local(i.at),
                                n.label
                            ),
                            value: number_text(n.unit, n.value),
                            basis: basis(&n.provenance),
                        });
                    }
                }
                continue;
            }
            InterventionKind::Curveball(c) => c,
        };
        let Some(card) = exercise.curveball_card(curveball.id()) else {
            continue;
        };
        let (title, numbers) = (&card.title, &card.numbers);
        for (key, value) in numbers_of(i) {
            let Some(n) = numbers.iter().find(|n| n.key == key) else {
                continue;
            };
            let set = if n.value == value {
                String::new()
            } else {
                format!(
                    " Set to this value for the exercise; the file's is {}.",
                    number_text(n.unit, n.value)
                )
            };
            out.push(AssumptionRow {
                what: format!("{} at {}: {}", title, clock.hhmm_local(i.at), n.label),
                value: number_text(n.unit, value),
                basis: format!(
                    "{}{}{set}",
                    basis(&n.provenance),
                    if n.illustrative { " Illustrative." } else { "" }
                ),
            });
        }
    }
    out
}

/// The moments of a run the report lines up.
fn moments(
    scenario: &Scenario,
    record: &RunRecord,
    room: &RunRecord,
    safeguards: Option<&RunRecord>,
) -> Vec<MomentRow> {
    type Field = fn(&RunRecord) -> Option<SimTime>;
    let rows: [(&str, Field); 11] = [
        ("Change merged", |r| r.merged_at),
        ("Service gone", |r| r.gone_at),
        ("Outage noticed", |r| r.detected_at),
        ("Owning team on it", |r| r.acknowledged_at),
        ("Responders gathered", |r| r.mobilized_at),
        ("First customer message", |r| r.first_post_at),
        ("Service back", |r| r.restored_at),
        ("Service confirmed", |r| r.confirmed_at),
        ("Replay of missed events started", |r| r.recovery_started_at),
        ("Missed events replayed", |r| r.recovered_at),
        ("Resolved", |r| r.resolved_at),
    ];
    let at = |t: Option<SimTime>| {
        t.map(|t| scenario.clock.hhmm_local(t))
            .unwrap_or_else(|| "—".into())
    };
    rows.iter()
        .map(|(moment, field)| MomentRow {
            moment: moment.to_string(),
            record: at(field(record)),
            room: at(field(room)),
            safeguards: safeguards.map(|s| at(field(s))),
        })
        .collect()
}

/// The command line's words for the scenario's numbers that differ from the built-in.
fn scenario_args(state: &AppState) -> String {
    let scenario = &*state.scenario;
    let base = &state.variant.base;
    let mut out = String::new();
    if scenario.impact_start() != base.impact_start() {
        out.push_str(&format!(
            " --assume impact_start={}",
            scenario.clock.hhmm_local(scenario.impact_start())
        ));
    }
    for ((id, a), (_, b)) in scenario.assumptions.iter().zip(base.assumptions.iter()) {
        if a.value != b.value {
            out.push_str(&format!(" --assume {}={}", id.key(), a.value));
        }
    }
    for item in step_items(base, scenario) {
        out.push_str(&format!(" --step {item}"));
    }
    if let Some(file) = state.variant.file() {
        out.push_str(&format!(
            " --file {}",
            crate::download::file_name(file, "", "json")
        ));
    }
    out
}

impl Report {
    /// Gathers the report from the state; `page` is the page's address without its fragment,
    /// which the appendix's link opens the room's day at.
    pub fn build(state: &AppState, page: &str) -> Report {
        let scenario = &*state.scenario;
        let clock = &scenario.clock;
        let ex = &state.exercise;
        let exercise = ex.exercise.as_deref();
        let notes = &ex.notes;
        let interventions = ex.interventions();
        let listed: Vec<Intervention> = interventions.as_slice().to_vec();
        let (record, _) = counterfactual(scenario, &Config::none(), state.seed);
        let (room, _) = room_day(scenario, &Config::none(), &interventions, state.seed);
        let safeguards = (!state.config.is_empty())
            .then(|| counterfactual(scenario, &state.config, state.seed).0);
        let (room_words, curveball_words) = ex.intervention_words(scenario);

        // Ranges, when they were computed for exactly these inputs.
        let texts = ex.intervention_texts(scenario);
        let inputs = ranges_inputs(scenario, &state.config, state.seed, &texts);
        let kept = ex.ranges.as_ref().filter(|r| r.inputs == inputs);
        let range_of = |m: Metric, cell: Option<RangeCell>| {
            let (cell, runs) = (cell?, kept?.runs);
            Some(Range {
                p50: stat_figure(m, cell.p50),
                p90: stat_figure(m, cell.p90),
                runs,
            })
        };
        let metrics = Metric::COMPARED
            .iter()
            .map(|&m| {
                let (r, sg, rm) = kept.map(|k| k.of(m)).unwrap_or_default();
                MetricRow {
                    key: m.key().into(),
                    label: m.label().into(),
                    definition: m.definition().into(),
                    caveat: m.caveat().map(str::to_string),
                    record: figure(m, &record),
                    room: figure(m, &room),
                    safeguards: safeguards.as_ref().map(|r| figure(m, r)),
                    record_range: range_of(m, r),
                    room_range: range_of(m, rm),
                    safeguards_range: range_of(m, sg),
                }
            })
            .collect();

        let consequences = exercise
            .map(|e| debrief::consequences(scenario, e, &interventions, state.seed))
            .unwrap_or_default();
        let consequence_of = |i: &Intervention| {
            listed
                .iter()
                .position(|x| x == i)
                .and_then(|k| consequences.get(k))
        };
        let inject_title = |id: &Option<String>| {
            id.as_deref()
                .and_then(|id| exercise?.inject(id))
                .map(|i| format!("{} {}", clock.hhmm_local(i.at), i.title))
                .unwrap_or_default()
        }; // An action decided before the room could know to take it waited, by the model's rules;
           // before the impact it was a prevention exercise.
        let waited = |i: &Intervention| -> String {
            let (InterventionKind::Room(a), Some(e)) = (i.kind, exercise) else {
                return String::new();
            };
            let before: Vec<Intervention> =
                listed.iter().filter(|x| x.at < i.at).copied().collect();
            outage_sim::branches::room_options(
                scenario,
                e,
                &Config::none(),
                &before,
                state.seed,
                i.at,
            )
            .ok()
            .and_then(|o| o.into_iter().find(|o| o.action == a.id()))
            .filter(|o| !o.availability.is_open())
            .map(|o| format!(": {}", o.availability.describe()))
            .unwrap_or_default()
        };
        let decisions = ex
            .decisions
            .iter()
            .map(|d| {
                let action = d.action.as_ref().and_then(|i| match i.kind {
                    InterventionKind::Room(a) => Some((i, a)),
                    InterventionKind::Curveball(_) => None,
                });
                let words = |i: &Intervention| {
                    exercise.map_or(String::new(), |e| e.intervention_text(scenario, i))
                };
                let range = action.and_then(|(_, a)| {
                    let m = debrief::key_metric(a.id());
                    let (r, _, rm) = kept?.of(m);
                    let median = |c: Option<RangeCell>| c.and_then(|c| c.p50).map(|v| m.format(v));
                    Some(format!(
                        "{}, median of {} runs: room {} against record {}",
                        m.label(),
                        kept?.runs,
                        median(rm)?,
                        median(r)?
                    ))
                });
                DecisionRow {
                    at: clock.hhmm_local(d.at),
                    logged: wall(d.wall_ms),
                    role: d.role.clone(),
                    decision: d.text.clone(),
                    rationale: d.rationale.clone(),
                    inject: inject_title(&d.inject),
                    action: match (action, &d.unread_action) {
                        (Some((i, a)), _) => {
                            format!("{} ({}){}", a.id().label(), words(i), waited(i))
                        }
                        (None, Some(text)) => format!("not read: {text}"),
                        (None, None) => String::new(),
                    },
                    record: action
                        .map(|(_, a)| debrief::on_the_day(a.id(), &record, scenario))
                        .unwrap_or_default(),
                    difference: action
                        .and_then(|(i, _)| consequence_of(i))
                        .map(|c| {
                            if c.effects.is_empty() {
                                "nothing changed in the simulated day".into()
                            } else {
                                c.effects
                                    .iter()
                                    .map(|e| e.text.clone())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            }
                        })
                        .unwrap_or_default(),
                    range,
                }
            })
            .collect();
        let curveballs = ex
            .fired
            .iter()
            .filter_map(|f| {
                let card = exercise?.curveball_card(f.card()?)?;
                Some(CurveballRow {
                    at: clock.hhmm_local(f.curveball.at),
                    title: card.title.clone(),
                    effect: card.effect.clone(),
                    difference: consequence_of(&f.curveball)
                        .map(debrief::Consequence::sentence)
                        .unwrap_or_default(),
                })
            })
            .collect();
        let objective_title = |id: &str| {
            exercise
                .and_then(|e| e.objectives.iter().find(|o| o.id == id))
                .map(|o| o.title.clone())
                .unwrap_or_default()
        };
        let observations = notes
            .observations
            .iter()
            .filter(|o| !o.text.trim().is_empty())
            .map(|o| ObservationRow {
                kind: match o.kind {
                    ObservationKind::Strength => "strength".into(),
                    ObservationKind::Improvement => "improvement".into(),
                },
                objective: objective_title(&o.objective),
                observation: o.text.trim().to_string(),
                analysis: o.analysis.trim().to_string(),
                recommendation: o.recommendation.trim().to_string(),
            })
            .collect();
        let heard = exercise
            .map(|e| {
                e.injects
                    .iter()
                    .flat_map(|i| {
                        i.listen_for
                            .iter()
                            .enumerate()
                            .filter(move |(k, _)| {
                                ex.heard.iter().any(|h| h.inject == i.id && h.point == *k)
                            })
                            .map(move |(_, point)| HeardRow {
                                inject: format!("{} {}", clock.hhmm_local(i.at), i.title),
                                point: point.clone(),
                            })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let participants = lines(&notes.participants)
            .into_iter()
            .map(|l| {
                match l
                    .split_once(['—', '–', ':'])
                    .or_else(|| l.split_once(" - "))
                {
                    Some((name, role)) => Participant {
                        name: name.trim().to_string(),
                        role: role.trim().to_string(),
                    },
                    None => Participant {
                        name: l,
                        role: String::new(),
                    },
                }
            })
            .collect();
        let plan = notes
            .plan
            .iter()
            .filter(|p| {
                !(p.issue.trim().is_empty()
                    && p.recommendation.trim().is_empty()
                    && p.corrective_action.trim().is_empty())
            })
            .map(|p| PlanRow {
                issue: p.issue.trim().to_string(),
                recommendation: p.recommendation.trim().to_string(),
                corrective_action: p.corrective_action.trim().to_string(),
                capability: p.capability.trim().to_string(),
                responsible: p.responsible.trim().to_string(),
                start: p.start.trim().to_string(),
                completion: p.completion.trim().to_string(),
                status: p.status.name().to_string(),
            })
            .collect();

        // The appendix: the room's day as a link and a command (no what-if safeguard: the
        // room's day has only the safeguards the room switched on), and the safeguards' day
        // apart.
        let args = scenario_args(state);
        let mut command = format!("outage-sim run --seed {}{args} --trace", state.seed);
        for w in &room_words {
            command.push_str(&format!(" --room {w}"));
        }
        for w in &curveball_words {
            command.push_str(&format!(" --curveball {w}"));
        }
        let safeguard_items = state.config.to_specs();
        let safeguards_command = (!safeguard_items.is_empty()).then(|| {
            let mut c = format!("outage-sim run --seed {}{args} --trace", state.seed);
            for item in &safeguard_items {
                c.push_str(&format!(" --with {item}"));
            }
            c
        });
        let link = format!(
            "{}#{}",
            page.split('#').next().unwrap_or(page),
            crate::state::link::room_day_link(state)
        );

        Report {
            schema: REPORT_SCHEMA,
            overview: Overview {
                name: if notes.name.trim().is_empty() {
                    exercise
                        .map(|e| e.title.clone())
                        .unwrap_or_else(|| scenario.title.clone())
                } else {
                    notes.name.trim().to_string()
                },
                date: notes.date.trim().to_string(),
                facilitator: notes.facilitator.trim().to_string(),
                exercise_title: exercise.map(|e| e.title.clone()).unwrap_or_default(),
                scope: exercise.map(|e| e.scope.clone()).unwrap_or_default(),
                mission_areas: exercise
                    .map(|e| e.mission_areas.clone())
                    .unwrap_or_default(),
                capabilities: exercise
                    .map(|e| e.objectives.iter().map(|o| o.capability.clone()).collect())
                    .unwrap_or_default(),
                scenario_id: scenario.id.clone(),
                scenario_title: scenario.title.clone(),
                scenario_variant: crate::state::variant::marker(&state.variant, scenario),
                scenario_source: format!(
                    "{} ({})",
                    scenario.source.title, scenario.source.publisher
                ),
                brief: exercise.map(|e| e.brief.clone()).unwrap_or_default(),
                participants,
                logistics: notes.logistics.trim().to_string(),
            },
            objectives: exercise
                .map(|e| {
                    e.objectives
                        .iter()
                        .map(|o| {
                            let grade = notes.grade(&o.id);
                            ObjectiveRow {
                                id: o.id.clone(),
                                title: o.title.clone(),
                                description: o.description.clone(),
                                capability: o.capability.clone(),
                                rating: grade.map(|g| g.letter().to_string()),
                                rating_name: grade.map(|g| g.name().to_string()),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default(),
            observations,
            heard,
            decisions,
            curveballs,
            moments: moments(scenario, &record, &room, safeguards.as_ref()),
            metrics,
            assumptions: assumptions(scenario, exercise, &listed, state.seed),
            hot_wash: lines(&notes.hot_wash),
            plan,
            appendix: Appendix {
                scenario_id: scenario.id.clone(),
                seed: state.seed,
                impact_start: clock.rfc3339(scenario.impact_start()),
                room: room_words,
                curveballs: curveball_words,
                safeguards: safeguard_items,
                link,
                command,
                safeguards_command,
            },
        }
    }
    pub fn to_json(&self) -> String {
        // Text kept as typed (decisions, notes) keeps its every character, written as JSON
        // escapes where it could turn text around or drive a terminal.
        outage_sim::input::json_visible(
            &serde_json::to_string_pretty(self).expect("a report serializes"),
        )
        .into_owned()
    }

    /// A report read back from its JSON (an archived exercise's).
    pub fn from_json(text: &str) -> Result<Report, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The decisions in one cell each: what, who, why.
    pub fn decision_text(d: &DecisionRow) -> String {
        let mut out = d.decision.clone();
        if !d.role.is_empty() {
            out = format!("{out} ({})", d.role);
        }
        if !d.rationale.is_empty() {
            out = format!("{out}. Why: {}", d.rationale);
        }
        out
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let mut push = |line: &str| {
            out.push_str(line);
            out.push('\n');
        };
        let o = &self.overview;
        push(&format!(
            "# After-action report and improvement plan: {}",
            inline(&o.name)
        ));
        push("");
        push("## 1. Exercise overview");
        push("");
        for (k, v) in [
            ("Exercise name", inline(&o.name)),
            ("Exercise date", or_dash(&o.date)),
            ("Exercise", inline(&o.exercise_title)),
            ("Scope", inline(&o.scope)),
            ("Mission areas", inline(&o.mission_areas.join(", "))),
            ("Capabilities", inline(&o.capabilities.join("; "))),
            (
                "Scenario",
                format!("{} (`{}`)", inline(&o.scenario_title), o.scenario_id),
            ),
        ] {
            push(&format!("- **{k}:** {v}"));
        }
        if let Some(variant) = &o.scenario_variant {
            push(&format!("- **Variant:** {}", inline(variant)));
        }
        push(&format!("- **Source:** {}", inline(&o.scenario_source)));
        push(&format!("- **Facilitator:** {}", or_dash(&o.facilitator)));
        push(&format!(
            "- **Participants and roles:** {}",
            if o.participants.is_empty() {
                "none recorded".to_string()
            } else {
                o.participants
                    .iter()
                    .map(|p| {
                        if p.role.is_empty() {
                            inline(&p.name)
                        } else {
                            format!("{} ({})", inline(&p.name), inline(&p.role))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
        push(&format!("- **Logistics:** {}", or_dash(&o.logistics)));
        push("");
        push(&inline(&o.brief));
        push("");
        push("## 2. Objectives, capabilities and ratings");
        push("");
        push("| Objective | Capability | Rating |");
        push("|---|---|---|");
        for ob in &self.objectives {
            push(&format!(
                "| **{}**: {} | {} | {} |",
                cell(&ob.title),
                cell(&ob.description),
                cell(&ob.capability),
                match (&ob.rating, &ob.rating_name) {
                    (Some(l), Some(n)) => format!("{l} ({n})"),
                    _ => "not rated".into(),
                }
            ));
        }
        push("");
        push(&format!(
            "Ratings: {}.",
            RATING_KEY
                .iter()
                .map(|g| format!("**{}** {}", g.letter(), g.name()))
                .collect::<Vec<_>>()
                .join("; ")
        ));
        push("");
        push("## 3. Observations");
        push("");
        if self.observations.is_empty() {
            push("None recorded.");
        }
        for ob in &self.observations {
            let kind = if ob.kind == "strength" {
                "Strength"
            } else {
                "Area for improvement"
            };
            let about = if ob.objective.is_empty() {
                String::new()
            } else {
                format!(" ({})", inline(&ob.objective))
            };
            push(&format!(
                "- **{kind}{about}:** {} *Analysis:* {} *Recommendation:* {}",
                inline(&ob.observation),
                or_dash(&ob.analysis),
                or_dash(&ob.recommendation)
            ));
        }
        if !self.heard.is_empty() {
            push("");
            push("Heard in the discussion (the facilitator's listen-for points):");
            push("");
            for h in &self.heard {
                push(&format!("- {}: {}", inline(&h.inject), inline(&h.point)));
            }
        }
        push("");
        push("## 4. Decisions against the record");
        push("");
        if self.decisions.is_empty() {
            push("No decision was logged.");
        } else {
            push("| Time | Decision | In the model | On the day | Simulated difference | Range |");
            push("|---|---|---|---|---|---|");
            for d in &self.decisions {
                push(&format!(
                    "| {} | {} | {} | {} | {} | {} |",
                    d.at,
                    cell(&Report::decision_text(d)),
                    cell(&d.action),
                    cell(&d.record),
                    cell(&d.difference),
                    cell(d.range.as_deref().unwrap_or("—"))
                ));
            }
        }
        if !self.curveballs.is_empty() {
            push("");
            push("Curveballs (not part of the record):");
            push("");
            for c in &self.curveballs {
                push(&format!(
                    "- {} {}: {} {}",
                    c.at,
                    inline(&c.title),
                    inline(&c.effect),
                    inline(&c.difference)
                ));
            }
        }
        push("");
        push("## 5. The room's day against the record");
        push("");
        let with_safeguards = self.moments.iter().any(|m| m.safeguards.is_some());
        if with_safeguards {
            push("| Moment | Record | Room's day | What-if safeguards |");
            push("|---|---|---|---|");
        } else {
            push("| Moment | Record | Room's day |");
            push("|---|---|---|");
        }
        for m in &self.moments {
            match &m.safeguards {
                Some(s) => push(&format!(
                    "| {} | {} | {} | {} |",
                    m.moment, m.record, m.room, s
                )),
                None => push(&format!("| {} | {} | {} |", m.moment, m.record, m.room)),
            }
        }
        push("");
        push("Single runs, and Monte Carlo medians · 90th percentiles where computed for these inputs:");
        push("");
        push("| Metric | Record | Room's day | Safeguards | Record range | Room range | Safeguards range |");
        push("|---|---|---|---|---|---|---|");
        for m in &self.metrics {
            push(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                m.label,
                m.record.text,
                m.room.text,
                m.safeguards.as_ref().map_or("—", |f| f.text.as_str()),
                range_text(&m.record_range),
                range_text(&m.room_range),
                range_text(&m.safeguards_range),
            ));
        }
        push("");
        for m in &self.metrics {
            let caveat = m
                .caveat
                .as_deref()
                .map(|c| format!(" *{c}*"))
                .unwrap_or_default();
            push(&format!("- **{}**: {}{caveat}", m.label, m.definition));
        }
        push("");
        push("## 6. Assumptions behind the room's figures");
        push("");
        push("| Number | Value | Basis |");
        push("|---|---|---|");
        for a in &self.assumptions {
            push(&format!(
                "| {} | {} | {} |",
                cell(&a.what),
                cell(&a.value),
                cell(&a.basis)
            ));
        }
        push("");
        push("## 7. Hot wash");
        push("");
        if self.hot_wash.is_empty() {
            push("None recorded.");
        }
        for item in &self.hot_wash {
            push(&format!("- {}", inline(item)));
        }
        push("");
        push("## 8. Improvement plan");
        push("");
        push("| Issue | Recommendation | Corrective action | Capability | Primary responsible party | Start date | Completion date | Status |");
        push("|---|---|---|---|---|---|---|---|");
        for p in &self.plan {
            push(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&p.issue),
                cell(&p.recommendation),
                cell(&p.corrective_action),
                cell(&p.capability),
                cell(&p.responsible),
                cell(&p.start),
                cell(&p.completion),
                cell(&p.status)
            ));
        }
        if self.plan.is_empty() {
            push("| (none yet) | | | | | | | |");
        }
        let a = &self.appendix;
        push("");
        push("## Appendix: to reproduce the room's day");
        push("");
        push(&format!(
            "- **Scenario:** `{}`, impact start assumed at {}, seed {}",
            a.scenario_id, a.impact_start, a.seed
        ));
        push(&format!(
            "- **The room's decisions:** {}",
            code_list(&a.room)
        ));
        push(&format!("- **Curveballs:** {}", code_list(&a.curveballs)));
        push(&format!("- **Link:** <{}>", a.link));
        push(&format!("- **Command line:** `{}`", a.command));
        if let Some(c) = &a.safeguards_command {
            push(&format!(
                "- **The what-if safeguards' day** ({}): `{c}`",
                code_list(&a.safeguards)
            ));
        }
        out
    }
}

fn code_list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A range as the report writes it: `1 h 02 min · 1 h 40 min`.
pub fn range_text(r: &Option<Range>) -> String {
    r.as_ref()
        .map(|r| format!("{} · {}", r.p50.text, r.p90.text))
        .unwrap_or_else(|| "—".into())
}

/// Text on one line, with Markdown's own characters escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            // Text kept as typed shows a control character as a visible escape (`\u{1B}`,
            // its backslash escaped for Markdown), never raw.
            c if outage_sim::input::is_hostile(c) => {
                out.push('\\');
                out.push_str(&outage_sim::input::visible(c.encode_utf8(&mut [0; 4])));
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text in a table cell.
fn cell(text: &str) -> String {
    inline(text.trim())
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".into()
    } else {
        inline(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::exercise::{
        Ask, Draft, ExerciseAction, Heard, Notes, Observation, PlanItem, PlanStatus, Rating,
    };
    use crate::state::{Action, Mode};
    use outage_sim::scenario::builtin;
    use std::rc::Rc;
    use yew::Reducible;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(builtin("eptura-2024-07-10").unwrap()))
            .reduce(Action::SetMode(Mode::Facilitate))
    }

    fn decide(s: Rc<AppState>, at: (i64, i64), text: &str, action: &str, id: u64) -> Rc<AppState> {
        let t = s.scenario.clock.on_origin_day(at.0, at.1);
        s.reduce(Action::Replay(crate::state::ReplayAction::Seek(t)))
            .reduce(Action::Exercise(ExerciseAction::EditDraft(Draft {
                role: "Cloud Operations".into(),
                text: text.into(),
                rationale: "The *merge* is the likely cause".into(),
                action: action.into(),
            })))
            .reduce(Action::Exercise(ExerciseAction::LogDecision {
                wall_ms: 1_720_644_000_000.0,
                id,
            }))
    }

    fn day() -> Rc<AppState> {
        let s = decide(state(), (15, 46), "Roll back | now", "roll_back", 1);
        let s = s.reduce(Action::Exercise(ExerciseAction::Ask(Ask::Curveball(
            outage_sim::intervention::CurveballId::LooperFails,
        ))));
        let s = s.reduce(Action::Exercise(ExerciseAction::Answer {
            confirmed: true,
            wall_ms: 1.0,
            id: 2,
        }));
        let notes = Notes {
            name: "Calendar drill".into(),
            participants: "Ana — incident commander\nBo: support".into(),
            ratings: vec![Rating {
                objective: "detection".into(),
                grade: Grade::S,
            }],
            observations: vec![Observation {
                id: 1,
                kind: ObservationKind::Improvement,
                objective: "detection".into(),
                text: "Nobody asked when the service stopped".into(),
                analysis: "The report's clock starts at discovery".into(),
                recommendation: "Start every incident with the impact window".into(),
            }],
            hot_wash: "More runbooks\n\n".into(),
            plan: vec![PlanItem {
                id: 1,
                issue: "No alert on the service".into(),
                recommendation: "Alert on its absence".into(),
                corrective_action: "Add an uptime check that pages".into(),
                capability: "Detection and situational assessment".into(),
                responsible: "Cloud Ops".into(),
                start: "2026-11-01".into(),
                completion: "2026-12-15".into(),
                status: PlanStatus::InProgress,
            }],
            ..Notes::default()
        };
        let s = s.reduce(Action::Exercise(ExerciseAction::EditNotes(notes)));
        s.reduce(Action::Exercise(ExerciseAction::ToggleHeard(Heard {
            inject: "discovered".into(),
            point: 0,
        })))
    }

    #[test]
    fn the_report_is_an_after_action_report_with_ratings_observations_and_a_plan() {
        let s = day();
        let report = Report::build(&s, "https://example.org/drill/#mode=facilitate");
        assert_eq!(report.schema, REPORT_SCHEMA);
        assert_eq!(
            report.overview.participants[1],
            Participant {
                name: "Bo".into(),
                role: "support".into()
            }
        );
        assert_eq!(report.overview.mission_areas, ["Response", "Recovery"]);
        assert_eq!(report.objectives[0].rating.as_deref(), Some("S"));
        assert_eq!(report.objectives[1].rating, None);
        let d = &report.decisions[0];
        assert_eq!(
            (d.at.as_str(), d.logged.as_str()),
            ("15:46", "2024-07-10T20:40:00Z")
        );
        assert!(d
            .action
            .starts_with("Roll back to last week's release (15:46=roll_back)"));
        assert!(d.record.contains("17:01"), "{}", d.record);
        assert!(
            d.difference.contains("service back") && d.difference.contains("earlier"),
            "{}",
            d.difference
        );
        assert!(
            report.curveballs[0]
                .difference
                .contains("more calendar events lost"),
            "{:?}",
            report.curveballs
        );
        assert_eq!(report.heard.len(), 1);
        let md = report.to_markdown();
        for name in Grade::ALL.map(Grade::name) {
            assert!(md.contains(name), "{name}");
        }
        assert!(md.contains("| Issue | Recommendation | Corrective action | Capability | Primary responsible party | Start date | Completion date | Status |"));
        assert!(md.contains("| No alert on the service | Alert on its absence | Add an uptime check that pages | Detection and situational assessment | Cloud Ops | 2026-11-01 | 2026-12-15 | In progress |"));
        assert!(md.contains(
            "| Time | Decision | In the model | On the day | Simulated difference | Range |"
        ));
        assert!(
            md.contains("Roll back \\| now"),
            "pipes in user text cannot break a table"
        );
        assert!(md.contains("The \\*merge\\* is"));
        assert!(md.contains("- **Area for improvement (Detection):** Nobody asked"));
        assert!(md.contains("## 7. Hot wash\n\n- More runbooks"));
        assert!(md.contains("## 6. Assumptions behind the room's figures"));
        assert!(
            md.lines().any(
                |l| l.starts_with("| Roll back to last week's release at 15:46: ")
                    && l.contains("| 20 min |")
            ),
            "the rollback's own number (the model's reinstatement of a known cause): {}",
            md.lines()
                .filter(|l| l.contains("Roll back"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        // The JSON reads back as the same report (archives keep it so).
        let json = report.to_json();
        assert_eq!(Report::from_json(&json), Ok(report.clone()));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["schema"], 2);
        assert_eq!(value["decisions"][0]["decision"], "Roll back | now");
        assert!(value["overview"].get("scenario_variant").is_none());
    }

    /// The appendix's command line reproduces the room's day: its arguments are read the way
    /// `outage-sim run` reads them (the same library calls), the day is run, and its figures
    /// and moments are the report's.
    #[test]
    fn the_appendix_command_reproduces_the_room_s_day() {
        use outage_sim::Interventions;
        let s = day()
            .reduce(Action::SetSafeguard(
                outage_sim::SafeguardId::UptimeCheck,
                true,
            ))
            .reduce(Action::SetSeed(7));
        let report = Report::build(&s, "https://example.org/");
        let command = &report.appendix.command;
        let args: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(&args[..2], ["outage-sim", "run"], "{command}");
        let mut scenario = builtin("eptura-2024-07-10").unwrap();
        let exercise = outage_sim::builtin_exercise(&scenario.id).unwrap();
        let (mut seed, mut config, mut list) = (1u64, Config::none(), Vec::new());
        let mut k = 2;
        while k < args.len() {
            let value = args.get(k + 1).copied().unwrap_or("");
            match args[k] {
                "--trace" => {
                    k += 1;
                    continue;
                }
                "--seed" => seed = value.parse().unwrap(),
                "--with" => {
                    config.apply_spec(value).unwrap();
                }
                "--room" => list.push(
                    exercise
                        .parse_intervention(&scenario, value, false)
                        .unwrap(),
                ),
                "--curveball" => {
                    list.push(exercise.parse_intervention(&scenario, value, true).unwrap())
                }
                "--assume" => {
                    let (key, v) = value.split_once('=').unwrap();
                    scenario.set_assumption_text(key, v).unwrap();
                }
                "--step" => {
                    let (id, v) = value.split_once(':').unwrap();
                    scenario.set_step_text(id, v).unwrap();
                }
                other => panic!("the command has '{other}', which this check does not read"),
            }
            k += 2;
        }
        assert_eq!(seed, 7);
        assert!(
            config.is_empty(),
            "the room's day has no what-if safeguard: {command}"
        );
        assert_eq!(list.len(), 2);
        let (day, _) = room_day(&scenario, &config, &Interventions::new(list).unwrap(), seed);
        for m in &report.metrics {
            let metric = Metric::from_key(&m.key).unwrap();
            assert_eq!(figure(metric, &day), m.room, "{}", m.key);
        }
        let (record, _) = counterfactual(&scenario, &Config::none(), seed);
        let rerun = moments(&scenario, &record, &day, None);
        let room = |rows: &[MomentRow]| rows.iter().map(|m| m.room.clone()).collect::<Vec<_>>();
        assert_eq!(room(&report.moments), room(&rerun));
        // The safeguards' day has its own command; the link carries the room's day.
        assert!(report
            .appendix
            .safeguards_command
            .as_deref()
            .is_some_and(|c| c.contains("--with uptime_check")));
        assert!(report.appendix.link.starts_with("https://example.org/#"));
        assert!(
            report.appendix.link.contains("room=15:46%3Droll_back")
                || report.appendix.link.contains("room=15:46=roll_back"),
            "{}",
            report.appendix.link
        );
    }
    #[test]
    fn text_kept_as_typed_is_escaped_in_every_export() {
        let s = state();
        let at = s.scenario.clock.on_origin_day(15, 40);
        let s = s
            .reduce(Action::Replay(crate::state::ReplayAction::Seek(at)))
            .reduce(Action::Exercise(ExerciseAction::EditDraft(Draft {
                role: "Ops\u{7}".into(),
                text: "Roll back\u{1b}]0;pwned\u{7}\u{1b}[2J".into(),
                rationale: "It reads \u{202e}sdrawkcab".into(),
                action: String::new(),
            })))
            .reduce(Action::Exercise(ExerciseAction::LogDecision {
                wall_ms: 1_720_644_000_000.0,
                id: 1,
            }));
        let report = Report::build(&s, "https://example.org/#seed=1");
        let markdown = report.to_markdown();
        let json = report.to_json();
        for (what, text) in [("Markdown", &markdown), ("JSON", &json)] {
            assert!(
                !text.chars().any(outage_sim::input::is_hostile),
                "{what} holds a raw control character"
            );
        }
        assert!(
            markdown.contains(r"Roll back\\u{1B}\]0;pwned\\u{7}\\u{1B}\[2J"),
            "{markdown}"
        );
        assert!(
            markdown.contains(r"It reads \\u{202E}sdrawkcab"),
            "{markdown}"
        );
        // The JSON keeps every character (as JSON escapes): read back, the text is as typed.
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back["decisions"][0]["decision"],
            "Roll back\u{1b}]0;pwned\u{7}\u{1b}[2J"
        );
        assert_eq!(
            back["decisions"][0]["rationale"],
            "It reads \u{202e}sdrawkcab"
        );
    }

    #[test]
    fn a_variant_is_said_in_the_report_and_its_numbers_reproduce_the_day() {
        use crate::state::variant::Field;
        use crate::state::VariantAction;
        use outage_sim::scenario::{AssumptionId, StepId};
        let s = state()
            .reduce(Action::Variant(VariantAction::Set(
                Field::Number(AssumptionId::Sites),
                400.0,
            )))
            .reduce(Action::Variant(VariantAction::Set(
                Field::StepMedian(StepId::Mobilize),
                3.0,
            )));
        let report = Report::build(&s, "https://example.org/#seed=1");
        let variant = report.overview.scenario_variant.as_deref().unwrap();
        assert!(
            variant.starts_with("Variant with your numbers: "),
            "{variant}"
        );
        assert!(report
            .to_markdown()
            .contains("- **Variant:** Variant with your numbers"));
        let command = &report.appendix.command;
        assert!(command.contains(" --assume sites=400"), "{command}");
        assert!(
            command.contains(" --step mobilize:median_s=180"),
            "{command}"
        );
    }
}
