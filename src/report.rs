//! The after-action report of a facilitated exercise, in the shape of an HSEEP after-action
//! report and improvement plan: the exercise overview (name, date, scenario, participants and
//! roles, objectives), the timeline (the record, the room's day, the safeguards' run), the
//! metrics with their definitions (the room against the record and against the safeguards,
//! with Monte Carlo ranges when they were computed), the decision log, strengths, areas for
//! improvement, the improvement plan, and an appendix with everything needed to reproduce the
//! day (scenario, safeguards, seed, interventions, a link).
//!
//! `Report::build` gathers it from the state (pure, tested natively); it is written as
//! Markdown (`to_markdown`) and as versioned JSON (`to_json`, schema `REPORT_SCHEMA`, described
//! in `docs/report.md`), and drawn for printing by `components::report_view`.

use outage_sim::metrics::Metric;
use outage_sim::metrics::RunRecord;
use outage_sim::safeguards::SafeguardId;
use outage_sim::scenario::Scenario;
use outage_sim::trace::TraceEvent;
use outage_sim::{counterfactual, Config};
use serde::Serialize;

use crate::state::{AppState, JobStatus};

/// The version of the report's JSON. Bumped when a field changes meaning or goes away.
pub const REPORT_SCHEMA: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Participant {
    pub name: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overview {
    pub name: String,
    pub date: String,
    pub facilitator: String,
    pub scenario_id: String,
    pub scenario_title: String,
    /// How the scenario differs from the built-in record: a variant with the user's numbers,
    /// or a scenario from a file (absent for the built-in as it is).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_variant: Option<String>,
    pub scenario_source: String,
    pub exercise_title: String,
    pub brief: String,
    pub participants: Vec<Participant>,
    pub objectives: Vec<(String, String)>,
}

/// A moment of a timeline: local and UTC time, what happened, and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Line {
    pub local: String,
    pub utc: String,
    pub what: String,
    /// `record`, `room`, `curveball`, `safeguard`, `model` or `assumed`.
    pub origin: String,
}

/// A metric for one run or range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Figure {
    /// As people read it (`1 h 12 min`), or a word (`no outage`, `never`).
    pub text: String,
    /// In the command line's JSON units (seconds for durations), when there is a value.
    pub value: Option<f64>,
}

/// Monte Carlo medians and 90th percentiles of a metric, for one configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Range {
    pub p50: Figure,
    pub p90: Figure,
    pub runs: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
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
    pub safeguards_range: Option<Range>,
    pub room_range: Option<Range>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionRow {
    /// The simulated moment, local time.
    pub at: String,
    /// When it was logged (UTC, RFC 3339).
    pub logged: String,
    pub role: String,
    pub decision: String,
    pub rationale: String,
    pub inject: String,
    /// What it did in the model, if anything.
    pub action: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanRow {
    pub action: String,
    pub owner: String,
    pub due: String,
    pub safeguard: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Appendix {
    pub scenario_id: String,
    pub safeguards: Vec<String>,
    pub seed: u64,
    pub impact_start: String,
    pub interventions: Vec<String>,
    pub link: String,
    pub command: String,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema: u32,
    pub overview: Overview,
    pub record_timeline: Vec<Line>,
    pub room_timeline: Vec<Line>,
    pub safeguards_timeline: Vec<Line>,
    pub metrics: Vec<MetricRow>,
    pub decisions: Vec<DecisionRow>,
    pub curveballs: Vec<Line>,
    pub strengths: Vec<String>,
    pub improvements: Vec<String>,
    pub plan: Vec<PlanRow>,
    pub appendix: Appendix,
}

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

fn trace_lines(scenario: &Scenario, trace: &[TraceEvent]) -> Vec<Line> {
    trace
        .iter()
        .map(|e| Line {
            local: scenario.clock.hhmmss_local(e.at),
            utc: scenario.clock.hhmmss_utc(e.at),
            what: e.kind.title(),
            origin: match e.kind.intervention() {
                Some(outage_sim::intervention::InterventionSource::Room) => "room".into(),
                Some(outage_sim::intervention::InterventionSource::Curveball) => "curveball".into(),
                None if e.kind.assumed().is_some() => "assumed".into(),
                None if e.kind.safeguard().is_some() => "safeguard".into(),
                None => "model".into(),
            },
        })
        .collect()
}

/// Wall-clock milliseconds since the epoch as RFC 3339 in UTC, to the second.
fn wall(ms: f64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(|t| {
            use chrono::{Datelike, Timelike};
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        })
        .unwrap_or_default()
}

impl Report {
    /// Gathers the report from the state; `link` is the address that reopens the view.
    pub fn build(state: &AppState, link: &str) -> Report {
        let scenario = &*state.scenario;
        let ex = &state.exercise;
        let exercise = ex.exercise.as_deref();
        let notes = &ex.notes;
        let (interventions, _) = ex.interventions(scenario);
        let (record, _) = counterfactual(scenario, &Config::none(), state.seed);
        let (room, room_trace) =
            outage_sim::room_day(scenario, &Config::none(), &interventions, state.seed);
        let safeguards =
            (!state.config.is_empty()).then(|| counterfactual(scenario, &state.config, state.seed));

        // Ranges, when the ranges job ran for exactly these inputs.
        let ranges = match &state.analysis.ranges.status {
            JobStatus::Done(o)
                if !o.is_stale(
                    scenario,
                    &crate::state::analysis::ranges_configs(&state.config),
                    state.seed,
                ) =>
            {
                Some(o.clone())
            }
            _ => None,
        };
        let room_ranges = match &state.analysis.room.status {
            JobStatus::Done(o) if o.room == ex.intervention_texts() && o.seed == state.seed => {
                Some(o.clone())
            }
            _ => None,
        };
        let range_of = |o: &crate::state::McOutcome, k: usize, m: Metric| {
            let s = o.aggregates.get(k)?.stats(m);
            Some(Range {
                p50: stat_figure(m, s.p50),
                p90: stat_figure(m, s.p90),
                runs: o.runs,
            })
        };
        let metrics = Metric::COMPARED
            .iter()
            .map(|&m| MetricRow {
                key: m.key().into(),
                label: m.label().into(),
                definition: m.definition().into(),
                caveat: m.caveat().map(str::to_string),
                record: figure(m, &record),
                room: figure(m, &room),
                safeguards: safeguards.as_ref().map(|(r, _)| figure(m, r)),
                record_range: ranges.as_ref().and_then(|o| range_of(o, 0, m)),
                safeguards_range: ranges
                    .as_ref()
                    .filter(|o| o.configs.len() > 1)
                    .and_then(|o| range_of(o, 1, m)),
                room_range: room_ranges.as_ref().and_then(|o| range_of(o, 0, m)),
            })
            .collect();

        let clock = &scenario.clock;
        let record_timeline = state
            .derived
            .replay
            .entries
            .iter()
            .filter(|e| !e.epilogue)
            .map(|e| {
                let at = e.at.or(record.merged_at);
                Line {
                    local: at
                        .map(|t| clock.hhmmss_local(t))
                        .unwrap_or_else(|| "unknown".into()),
                    utc: at
                        .map(|t| clock.hhmmss_utc(t))
                        .unwrap_or_else(|| "unknown".into()),
                    what: e.title.clone(),
                    origin: if e.assumed || e.at.is_none() {
                        "assumed".into()
                    } else {
                        "record".into()
                    },
                }
            })
            .collect();

        let inject_title = |id: &Option<String>| {
            id.as_deref()
                .and_then(|id| exercise?.inject(id))
                .map(|i| format!("{} {}", clock.hhmm_local(i.at), i.title))
                .unwrap_or_default()
        };
        let action_text = |text: &Option<String>| -> String {
            let (Some(text), Some(exercise)) = (text, exercise) else {
                return String::new();
            };
            match exercise.parse_intervention(scenario, text, false) {
                Ok(i) => {
                    let id = outage_sim::intervention::ActionId::from_id(i.id());
                    let label = id.map(|a| a.label()).unwrap_or(i.id());
                    format!("{label} ({text})")
                }
                Err(_) => text.clone(),
            }
        };
        let decisions = ex
            .decisions
            .iter()
            .map(|d| DecisionRow {
                at: clock.hhmmss_local(d.at),
                logged: wall(d.wall_ms),
                role: d.role.clone(),
                decision: d.text.clone(),
                rationale: d.rationale.clone(),
                inject: inject_title(&d.inject),
                action: action_text(&d.action),
            })
            .collect();
        let curveballs = ex
            .fired
            .iter()
            .filter_map(|f| {
                let i = exercise?.parse_intervention(scenario, &f.text, true).ok()?;
                let card = exercise?
                    .curveball_card(outage_sim::intervention::CurveballId::from_id(i.id())?)?;
                Some(Line {
                    local: clock.hhmmss_local(i.at),
                    utc: clock.hhmmss_utc(i.at),
                    what: format!("{} — {}", card.title, card.effect),
                    origin: "curveball".into(),
                })
            })
            .collect();
        let participants = lines(&notes.participants)
            .into_iter()
            .map(|l| match l.split_once(['—', '-', ':']) {
                Some((name, role)) => Participant {
                    name: name.trim().to_string(),
                    role: role.trim().to_string(),
                },
                None => Participant {
                    name: l,
                    role: String::new(),
                },
            })
            .collect();
        let plan = notes
            .plan
            .iter()
            .filter(|p| !p.action.trim().is_empty())
            .map(|p| PlanRow {
                action: p.action.trim().to_string(),
                owner: p.owner.trim().to_string(),
                due: p.due.trim().to_string(),
                safeguard: SafeguardId::from_id(&p.safeguard)
                    .map(|s| s.name().to_string())
                    .unwrap_or_default(),
            })
            .collect();
        let mut command = format!("outage-sim run --seed {} --trace", state.seed);
        for item in state.config.to_specs() {
            command.push_str(&format!(" --with {item}"));
        }
        for text in ex.decisions.iter().filter_map(|d| d.action.as_ref()) {
            command.push_str(&format!(" --room {text}"));
        }
        for f in &ex.fired {
            command.push_str(&format!(" --curveball {}", f.text));
        }
        if scenario.impact_start()
            != crate::builtin::builtin(&scenario.id).map_or(0, |s| s.impact_start())
        {
            command.push_str(&format!(
                " --assume impact_start={}",
                clock.hhmm_local(scenario.impact_start())
            ));
        }
        // A variant's own numbers, in the command line's words (a file's scenario needs its file).
        let base = &state.variant.base;
        for ((id, a), (_, b)) in scenario.assumptions.iter().zip(base.assumptions.iter()) {
            if a.value != b.value {
                command.push_str(&format!(" --assume {}={}", id.key(), a.value));
            }
        }
        for item in crate::state::link::step_items(base, scenario) {
            command.push_str(&format!(" --step {item}"));
        }
        if let Some(file) = state.variant.file() {
            command.push_str(&format!(
                " --file {}",
                crate::download::file_name(file, "", "json")
            ));
        }
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
                scenario_id: scenario.id.clone(),
                scenario_title: scenario.title.clone(),
                scenario_variant: crate::state::variant::marker(&state.variant, scenario),
                scenario_source: format!(
                    "{} ({})",
                    scenario.source.title, scenario.source.publisher
                ),
                exercise_title: exercise.map(|e| e.title.clone()).unwrap_or_default(),
                brief: exercise.map(|e| e.brief.clone()).unwrap_or_default(),
                participants,
                objectives: exercise
                    .map(|e| {
                        e.objectives
                            .iter()
                            .map(|o| (o.title.clone(), o.description.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            record_timeline,
            room_timeline: trace_lines(scenario, &room_trace),
            safeguards_timeline: safeguards
                .as_ref()
                .map(|(_, t)| trace_lines(scenario, t))
                .unwrap_or_default(),
            metrics,
            decisions,
            curveballs,
            strengths: lines(&notes.strengths),
            improvements: lines(&notes.improvements),
            plan,
            appendix: Appendix {
                scenario_id: scenario.id.clone(),
                safeguards: state.config.to_specs(),
                seed: state.seed,
                impact_start: clock.rfc3339(scenario.impact_start()),
                interventions: ex.intervention_texts(),
                link: link.to_string(),
                command,
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

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let o = &self.overview;
        let push = |out: &mut String, line: &str| {
            out.push_str(line);
            out.push('\n');
        };
        push(
            &mut out,
            &format!("# After-action report: {}", inline(&o.name)),
        );
        push(&mut out, "");
        push(&mut out, "## 1. Exercise overview");
        push(&mut out, "");
        push(
            &mut out,
            &format!("- **Exercise:** {}", inline(&o.exercise_title)),
        );
        push(&mut out, &format!("- **Date:** {}", or_dash(&o.date)));
        push(
            &mut out,
            &format!("- **Facilitator:** {}", or_dash(&o.facilitator)),
        );
        push(
            &mut out,
            &format!(
                "- **Scenario:** {} (`{}`)",
                inline(&o.scenario_title),
                o.scenario_id
            ),
        );
        if let Some(variant) = &o.scenario_variant {
            push(&mut out, &format!("- **Variant:** {}", inline(variant)));
        }
        push(
            &mut out,
            &format!("- **Source:** {}", inline(&o.scenario_source)),
        );
        push(&mut out, "");
        push(&mut out, &inline(&o.brief));
        push(&mut out, "");
        push(&mut out, "### Participants");
        push(&mut out, "");
        if o.participants.is_empty() {
            push(&mut out, "None recorded.");
        } else {
            push(&mut out, "| Name | Role |");
            push(&mut out, "|---|---|");
            for p in &o.participants {
                push(
                    &mut out,
                    &format!("| {} | {} |", cell(&p.name), cell(&p.role)),
                );
            }
        }
        push(&mut out, "");
        push(&mut out, "### Objectives");
        push(&mut out, "");
        for (title, description) in &o.objectives {
            push(
                &mut out,
                &format!("- **{}** — {}", inline(title), inline(description)),
            );
        }
        push(&mut out, "");
        push(&mut out, "## 2. Timeline");
        for (title, lines) in [
            ("As it happened (the record)", &self.record_timeline),
            (
                "The room's day (the record with the room's decisions and the curveballs)",
                &self.room_timeline,
            ),
            (
                "With the safeguards of the what-if (one run)",
                &self.safeguards_timeline,
            ),
        ] {
            push(&mut out, "");
            push(&mut out, &format!("### {title}"));
            push(&mut out, "");
            if lines.is_empty() {
                push(
                    &mut out,
                    "Nothing: no decision or curveball changed the day, or no safeguard was on.",
                );
                continue;
            }
            push(&mut out, "| CDT | UTC | What happened | From |");
            push(&mut out, "|---|---|---|---|");
            for l in lines.iter() {
                push(
                    &mut out,
                    &format!(
                        "| {} | {} | {} | {} |",
                        l.local,
                        l.utc,
                        cell(&l.what),
                        l.origin
                    ),
                );
            }
        }
        push(&mut out, "");
        push(&mut out, "## 3. Metrics");
        push(&mut out, "");
        push(&mut out, "Single runs: the record as it happened, the room's day, and the what-if safeguards with the seed below. Ranges (median · 90th percentile) come from Monte Carlo runs, when they were computed for these inputs.");
        push(&mut out, "");
        push(&mut out, "| Metric | Record | Room's day | Safeguards | Record range | Room range | Safeguards range |");
        push(&mut out, "|---|---|---|---|---|---|---|");
        let range = |r: &Option<Range>| {
            r.as_ref()
                .map(|r| format!("{} · {}", r.p50.text, r.p90.text))
                .unwrap_or_else(|| "—".into())
        };
        for m in &self.metrics {
            push(
                &mut out,
                &format!(
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    m.label,
                    m.record.text,
                    m.room.text,
                    m.safeguards.as_ref().map_or("—", |f| f.text.as_str()),
                    range(&m.record_range),
                    range(&m.room_range),
                    range(&m.safeguards_range),
                ),
            );
        }
        push(&mut out, "");
        push(&mut out, "Definitions:");
        push(&mut out, "");
        for m in &self.metrics {
            let caveat = m
                .caveat
                .as_deref()
                .map(|c| format!(" *{c}*"))
                .unwrap_or_default();
            push(
                &mut out,
                &format!("- **{}**: {}{caveat}", m.label, m.definition),
            );
        }
        push(&mut out, "");
        push(&mut out, "## 4. Decision log");
        push(&mut out, "");
        if self.decisions.is_empty() {
            push(&mut out, "No decision was logged.");
        } else {
            push(&mut out, "| Sim time (CDT) | Logged (UTC) | Who | Decision | Rationale | Inject | In the model |");
            push(&mut out, "|---|---|---|---|---|---|---|");
            for d in &self.decisions {
                push(
                    &mut out,
                    &format!(
                        "| {} | {} | {} | {} | {} | {} | {} |",
                        d.at,
                        d.logged,
                        cell(&d.role),
                        cell(&d.decision),
                        cell(&d.rationale),
                        cell(&d.inject),
                        cell(&d.action)
                    ),
                );
            }
        }
        if !self.curveballs.is_empty() {
            push(&mut out, "");
            push(&mut out, "### Curveballs");
            push(&mut out, "");
            for c in &self.curveballs {
                push(&mut out, &format!("- {} CDT: {}", c.local, inline(&c.what)));
            }
        }
        for (title, items) in [
            ("## 5. Strengths", &self.strengths),
            ("## 6. Areas for improvement", &self.improvements),
        ] {
            push(&mut out, "");
            push(&mut out, title);
            push(&mut out, "");
            if items.is_empty() {
                push(&mut out, "None recorded.");
            }
            for item in items.iter() {
                push(&mut out, &format!("- {}", inline(item)));
            }
        }
        push(&mut out, "");
        push(&mut out, "## 7. Improvement plan");
        push(&mut out, "");
        push(&mut out, "| Action | Owner | Due | Safeguard |");
        push(&mut out, "|---|---|---|---|");
        for p in &self.plan {
            push(
                &mut out,
                &format!(
                    "| {} | {} | {} | {} |",
                    cell(&p.action),
                    cell(&p.owner),
                    cell(&p.due),
                    cell(&p.safeguard)
                ),
            );
        }
        if self.plan.is_empty() {
            push(&mut out, "| (none yet) | | | |");
        }
        let a = &self.appendix;
        push(&mut out, "");
        push(&mut out, "## Appendix: to reproduce this day");
        push(&mut out, "");
        push(
            &mut out,
            &format!(
                "- **Scenario:** `{}`, impact start assumed at {}",
                a.scenario_id, a.impact_start
            ),
        );
        push(&mut out, &format!("- **Seed:** {}", a.seed));
        push(
            &mut out,
            &format!(
                "- **Safeguards:** {}",
                if a.safeguards.is_empty() {
                    "none".to_string()
                } else {
                    a.safeguards
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        );
        push(
            &mut out,
            &format!(
                "- **Room's decisions and curveballs:** {}",
                if a.interventions.is_empty() {
                    "none".to_string()
                } else {
                    a.interventions
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        );
        push(&mut out, &format!("- **Link:** <{}>", a.link));
        push(&mut out, &format!("- **Command line:** `{}`", a.command));
        out
    }
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
    use crate::state::exercise::{Draft, PlanItem};
    use crate::state::{Action, ExerciseAction, Mode};
    use outage_sim::scenario::builtin;
    use std::rc::Rc;
    use yew::Reducible;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::new(builtin("eptura-2024-07-10").unwrap()))
            .reduce(Action::SetMode(Mode::Facilitate))
    }

    #[test]
    fn the_report_holds_the_decisions_the_plan_and_what_reproduces_the_day() {
        let s = state();
        let at = s.scenario.clock.on_origin_day(15, 40);
        let s = s
            .reduce(Action::Replay(crate::state::ReplayAction::Seek(at)))
            .reduce(Action::Exercise(ExerciseAction::EditDraft(Draft {
                role: "Cloud Operations".into(),
                text: "Roll back | now".into(),
                rationale: "The *merge* is the likely cause".into(),
                action: "roll_back".into(),
            })))
            .reduce(Action::Exercise(ExerciseAction::LogDecision(
                1_720_644_000_000.0,
            )));
        let mut notes = s.exercise.notes.clone();
        notes.name = "Calendar drill".into();
        notes.participants = "Ana — incident commander\nBo: support".into();
        notes.strengths = "Paged early\n\n".into();
        notes.plan = vec![PlanItem {
            action: "Add an uptime check".into(),
            owner: "Cloud Ops".into(),
            due: "2026-12-15".into(),
            safeguard: "uptime_check".into(),
        }];
        let s = s.reduce(Action::Exercise(ExerciseAction::EditNotes(notes)));
        let report = Report::build(&s, "https://example.org/#seed=1");
        assert_eq!(report.schema, REPORT_SCHEMA);
        assert_eq!(
            report.overview.participants[1],
            Participant {
                name: "Bo".into(),
                role: "support".into()
            }
        );
        assert_eq!(report.decisions[0].at, "15:40:00");
        assert_eq!(report.decisions[0].logged, "2024-07-10T20:40:00Z");
        assert!(report.decisions[0]
            .action
            .starts_with("Roll back to last week's release (15:40=roll_back)"));
        let ttm = report
            .metrics
            .iter()
            .find(|m| m.key == "time_to_mitigate_s")
            .unwrap();
        assert!(
            ttm.room.value.unwrap() < ttm.record.value.unwrap(),
            "the room rolled back earlier"
        );
        assert!(report.room_timeline.iter().any(|l| l.origin == "room"));
        assert!(report.appendix.command.contains("--room 15:40=roll_back"));
        let md = report.to_markdown();
        assert!(md.contains("| Action | Owner | Due | Safeguard |"));
        assert!(md.contains("| Add an uptime check | Cloud Ops | 2026-12-15 | Uptime check |"));
        assert!(
            md.contains("Roll back \\| now"),
            "pipes in user text cannot break a table"
        );
        assert!(md.contains("The \\*merge\\* is"));
        assert!(md.contains("- Paged early"));
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["schema"], 1);
        assert_eq!(json["decisions"][0]["decision"], "Roll back | now");
        assert_eq!(json["appendix"]["seed"], 1);
        assert!(json["overview"].get("scenario_variant").is_none());
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
            .reduce(Action::Exercise(ExerciseAction::LogDecision(
                1_720_644_000_000.0,
            )));
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
