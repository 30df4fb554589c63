//! The whole view as text, in the command line's vocabulary: what the URL fragment holds and
//! what a saved session stores. `encode` writes the view of an `AppState`; `decode` applies a
//! text to a fresh state, part by part, keeping every good part and naming every part it ignored
//! and why. Decoding is total: any text gives a state and a list of ignored parts, never a panic.
//!
//! The text is `key=value` parts joined by `&` (values may contain `=`, `:`, `,`, `;`):
//!
//! | part | meaning |
//! |---|---|
//! | `scenario=ID` | a built-in scenario (default: the only one); `scenario=file:ID` a scenario imported from a file, which the link cannot carry |
//! | `impact=HH:MM` | when the service went, local time on the incident's day (or RFC 3339) |
//! | `assume=KEY=VALUE` | an assumption, as `outage-sim --assume` takes it |
//! | `step=STEP:median_s=N,sigma=S` | a step's own median (seconds) and spread, as `outage-sim --step` takes it; repeatable |
//! | `with=ID[:key=value,...]` | a safeguard with parameters, as `outage-sim --with` takes it; repeatable |
//! | `seed=N` | the seed of the what-if run and of Monte Carlo |
//! | `at=HH:MM[:SS[.mmm]]` | the replay's playhead (local time), or RFC 3339 |
//! | `speed=N` | playback speed, simulated seconds per real second |
//! | `runs=N` | Monte Carlo runs per configuration |
//! | `metric=KEY` | the metric the charts show (`time_to_detect_s`…) |
//! | `slot=PRESET` or `slot=custom:ID[:k=v,...];ID…` | a compare configuration; repeatable, up to four |
//! | `slot-name=N:TEXT` | the name of compare configuration N (from 1); repeatable |
//! | `headline=KEY` | the metric of the header's headline (`time_to_mitigate_s`…) |
//! | `spans=KEY,KEY` | the metric spans drawn on the timeline |
//! | `section=ID` | the section in view (`replay`, `what-if`, `safeguards`, `ranges`, `compare`, `record`, `scenario`) |
//! | `mode=MODE` | `facilitate` (the exercise's console), `projector` (the room's view), `learn` (train mode) or `start` (the start screen) |
//! | `pace=N` | train mode's timer per stop, in seconds |
//! | `room=HH:MM=ACTION[:args]` | a decision of a room's day, as `outage-sim run --room` takes it; repeatable (not in the console, which keeps its own log) |
//! | `curveball=HH:MM=ID[:k=v,...]` | a curveball of a room's day, as `outage-sim run --curveball` takes it; repeatable |
//!
//! Defaults are left out when encoding (the seed is always written), so a link stays short and
//! can be written by hand. The scenario's numbers are written as they differ from the loaded
//! scenario's (a variant travels by value); a scenario from a file travels only as the file.

use outage_sim::limits::{MAX_LINK_PARTS, MAX_LINK_PART_CHARS, MAX_SLOTS, RUNS};
use outage_sim::metrics::Metric;
use outage_sim::safeguards::{Config, Preset};
use outage_sim::scenario::{Median, Scenario, StepId};
use outage_sim::time::SimTime;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use super::learn::PACES;
use super::{
    Action, AnalysisAction, AppState, Mode, Origin, Page, ReplayAction, Section, Slot, SPEEDS,
};

/// Characters escaped in a fragment: controls, space and the few that end or split it.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'#')
    .add(b'%')
    .add(b'&');

/// A part of a text that was not applied, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Ignored {
    pub part: String,
    pub why: String,
}

impl std::fmt::Display for Ignored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}' ({})", self.part, self.why)
    }
}

/// A simulated instant as local time: `15:46`, `15:46:30`, `15:46:30.250` on the incident's
/// day, or RFC 3339 with the offset on another day.
fn local_time(state: &AppState, t: SimTime) -> String {
    let clock = &state.scenario.clock;
    let ms = t.rem_euclid(1000);
    let whole = clock.hhmmss_local(t);
    let mut text = if !clock.on_origin_date(t, false) {
        let rfc = clock.rfc3339(t);
        // `2024-07-09T23:50:00-05:00`: the fraction goes before the offset.
        let (date_time, offset) = rfc.split_at(rfc.len() - 6);
        return if ms == 0 {
            rfc
        } else {
            format!("{date_time}.{ms:03}{offset}")
        };
    } else if whole.ends_with(":00") && ms == 0 {
        whole[..5].to_string()
    } else {
        whole
    };
    if ms != 0 {
        text.push_str(&format!(".{ms:03}"));
    }
    text
}

/// Parses `HH:MM`, `HH:MM:SS`, `HH:MM:SS.mmm` (local, the incident's day), a local date and
/// time, or RFC 3339 (see `Clock::parse_instant`).
fn parse_time(state: &AppState, text: &str) -> Result<SimTime, String> {
    state.scenario.clock.parse_instant(text)
}

fn slot_text(slot: &Slot) -> String {
    match slot {
        Slot::Preset(p) => p.slug().to_string(),
        Slot::Custom(c) => format!("custom:{}", c.to_specs().join(";")),
    }
}

fn parse_slot(text: &str) -> Result<Slot, String> {
    if let Some(preset) = Preset::from_slug(text) {
        return Ok(Slot::Preset(preset));
    }
    let Some(items) = text.strip_prefix("custom:") else {
        return Err(format!(
            "not a preset ({}) or custom:ID[:key=value,...];ID…",
            Preset::ALL.map(|p| p.slug()).join(", ")
        ));
    };
    let items: Vec<&str> = items.split(';').filter(|i| !i.trim().is_empty()).collect();
    Config::from_specs(&items)
        .map(|c| Slot::Custom(Box::new(c)))
        .map_err(|e| e.to_string())
}

/// The `step=` items of a variant: every step whose median or spread differs from the loaded
/// scenario's, with exact values (`mobilize:median_s=180,sigma=0.3`).
pub fn step_items(base: &Scenario, scenario: &Scenario) -> Vec<String> {
    let mut items = Vec::new();
    if scenario.steps.gitops_sync.max != base.steps.gitops_sync.max {
        items.push(format!(
            "gitops_sync:uniform_max_s={}",
            scenario.steps.gitops_sync.max as f64 / 1000.0
        ));
    }
    for id in StepId::ALL {
        let (was, now) = (&base.steps[id], &scenario.steps[id]);
        let mut values = Vec::new();
        if now.median != was.median {
            if let Median::Fixed { ms } = now.median {
                values.push(format!("median_s={}", ms as f64 / 1000.0));
            }
        }
        if now.sigma != was.sigma {
            values.push(format!("sigma={}", now.sigma));
        }
        if !values.is_empty() {
            items.push(format!("{}:{}", id.key(), values.join(",")));
        }
    }
    items
}

/// The link part of the room's day of a state's exercise: its decisions and curveballs, no
/// what-if safeguard, the whole day shown.
pub fn room_day_link(state: &AppState) -> String {
    let mut day = state.clone();
    day.exercise.mode = Mode::Explore;
    day.config = Config::none();
    day.room_link = state.exercise.interventions().as_slice().to_vec();
    day.section = None;
    day.replay.now = day.derived.range.1;
    encode(&day)
}

/// The text of a state's view.
pub fn encode(state: &AppState) -> String {
    // A learner's result opened read-only is its own link.
    if let (Page::Result, Some(v), Some(data)) =
        (state.learn.page, &state.learn.viewed, &state.learn.data)
    {
        return crate::learn::result::encode_link(
            &data.drill(),
            &v.name,
            v.seed,
            &v.prediction,
            &v.decisions,
        );
    }
    // Defaults as a fresh state has them, without computing a fresh state's runs: the
    // scenario's numbers are those of the loaded scenario.
    let scenario_defaults = &*state.variant.base;
    let replay_defaults = super::ReplayState::new(0);
    let analysis_defaults = super::AnalysisState::new();
    let mut parts: Vec<String> = Vec::new();
    let push = |parts: &mut Vec<String>, part: Part, value: &str| {
        parts.push(format!(
            "{}={}",
            part.key(),
            utf8_percent_encode(value, FRAGMENT)
        ));
    };
    match &state.variant.origin {
        Origin::File { .. } => push(
            &mut parts,
            Part::Scenario,
            &format!("file:{}", state.scenario.id),
        ),
        Origin::Builtin if state.scenario.id != crate::builtin::DEFAULT_SCENARIO => {
            push(&mut parts, Part::Scenario, &state.scenario.id)
        }
        Origin::Builtin => {}
    }
    if state.scenario.impact_start() != scenario_defaults.impact_start() {
        push(
            &mut parts,
            Part::Impact,
            &local_time(state, state.scenario.impact_start()),
        );
    }
    for ((id, a), (_, b)) in state
        .scenario
        .assumptions
        .iter()
        .zip(scenario_defaults.assumptions.iter())
    {
        if a.value != b.value {
            push(
                &mut parts,
                Part::Assume,
                &format!("{}={}", id.key(), a.value),
            );
        }
    }
    for item in step_items(scenario_defaults, &state.scenario) {
        push(&mut parts, Part::Step, &item);
    }
    for item in state.config.to_specs() {
        push(&mut parts, Part::With, &item);
    }
    push(&mut parts, Part::Seed, &state.seed.to_string());
    if let Some(page) = state.learn.page.id() {
        push(&mut parts, Part::Mode, page);
        if let (Page::Learn, Some(pace)) = (state.learn.page, state.learn.pace) {
            push(&mut parts, Part::Pace, &pace.to_string());
        }
    } else if state.exercise.mode != Mode::Explore {
        push(&mut parts, Part::Mode, state.exercise.mode.id());
    } else if let Some(exercise) = state.exercise.exercise.as_deref() {
        for i in &state.room_link {
            let part = match i.kind {
                outage_sim::intervention::InterventionKind::Room(_) => Part::Room,
                outage_sim::intervention::InterventionKind::Curveball(_) => Part::Curveball,
            };
            push(
                &mut parts,
                part,
                &exercise.intervention_text(&state.scenario, i),
            );
        }
    }
    let r = &state.replay;
    if r.now != state.derived.range.0 {
        push(&mut parts, Part::At, &local_time(state, r.now));
    }
    if r.speed != replay_defaults.speed {
        push(&mut parts, Part::Speed, &r.speed.to_string());
    }
    let a = &state.analysis;
    if a.runs != analysis_defaults.runs {
        push(&mut parts, Part::Runs, &a.runs.to_string());
    }
    if a.metric != analysis_defaults.metric {
        push(&mut parts, Part::Metric, a.metric.key());
    }
    if a.slots != analysis_defaults.slots {
        for slot in &a.slots {
            push(&mut parts, Part::Slot, &slot_text(slot));
        }
    }
    for (i, name) in a.slot_names.iter().enumerate() {
        if !name.is_empty() {
            push(&mut parts, Part::SlotName, &format!("{}:{name}", i + 1));
        }
    }
    if state.headline != Metric::TimeToDetect {
        push(&mut parts, Part::Headline, state.headline.key());
    }
    if r.spans != replay_defaults.spans {
        let keys: Vec<&str> = r.spans.iter().map(|m| m.key()).collect();
        push(&mut parts, Part::Spans, &keys.join(","));
    }
    if let Some(section) = state.section {
        push(&mut parts, Part::Section, section.id());
    }
    parts.join("&")
}

/// The parts of a view's text, by key. The order of the variants is the order in which parts
/// are applied: the scenario and its assumptions first (they move the timeline), then the
/// safeguards and seed (which make the runs), then the view. A key is read into a `Part` once,
/// where the text comes in; nothing after that compares key strings.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Part {
    Scenario,
    Impact,
    Assume,
    Step,
    With,
    Seed,
    Mode,
    Pace,
    Room,
    Curveball,
    At,
    Speed,
    Runs,
    Metric,
    Slot,
    SlotName,
    Spans,
    Section,
    Headline,
}

impl Part {
    /// Its key in the text (`slot-name`).
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// What one part of this key sets, when a part may be given more than once: `assume=`
    /// sets one assumption (`sites`), `step=` one step, `with=` one safeguard, `slot-name=` one
    /// slot's name. Two parts that set the same thing are a repeat; `slot=` parts make a list
    /// and repeat nothing.
    fn sets(self, value: &str) -> Option<&str> {
        let before = |sep| value.split_once(sep).map_or(value, |(k, _)| k).trim();
        match self {
            Part::Assume => Some(before('=')),
            Part::Step | Part::With | Part::SlotName => Some(before(':')), // A room's day lists its decisions and curveballs; two at one moment are two.
            Part::Slot | Part::Room | Part::Curveball => None,
            _ => Some(""),
        }
    }

    /// The parts that change the scenario: not applied when the link names a scenario that is
    /// not loaded (they belong to that one).
    fn changes_scenario(self) -> bool {
        matches!(self, Part::Impact | Part::Assume | Part::Step)
    }
}

/// The parts of a text whose keys are `K`, percent-decoded, in the text's order; what cannot be
/// read (too many parts, too long, not text once decoded, not `key=value`, an unknown key, a
/// control character) is ignored with a reason. Generic over the key enum, so any text of
/// `key=value` parts (a view, a result link) is read by this one function.
pub fn parts<K>(text: &str) -> (Vec<(K, String)>, Vec<Ignored>)
where
    K: std::str::FromStr + strum::VariantArray + Copy + Into<&'static str>,
{
    let mut parts = Vec::new();
    let mut ignored = Vec::new();
    let text = text.strip_prefix('#').unwrap_or(text);
    for (i, raw) in text.split('&').filter(|p| !p.trim().is_empty()).enumerate() {
        if i >= MAX_LINK_PARTS {
            ignored.push(Ignored {
                part: "…".into(),
                why: format!("more than {MAX_LINK_PARTS} parts; the rest was ignored"),
            });
            break;
        }
        let shown: String = raw.chars().take(60).collect();
        if raw.len() > MAX_LINK_PART_CHARS {
            ignored.push(Ignored {
                part: format!("{shown}…"),
                why: format!("longer than {MAX_LINK_PART_CHARS} characters"),
            });
            continue;
        }
        let decoded = match percent_decode_str(raw).decode_utf8() {
            Ok(d) => d.into_owned(),
            Err(_) => {
                ignored.push(Ignored {
                    part: shown,
                    why: "not valid text once %-escapes are decoded".into(),
                });
                continue;
            }
        };
        if let Some(why) = outage_sim::input::control_character(&decoded) {
            ignored.push(Ignored {
                part: outage_sim::input::visible(&decoded).into_owned(),
                why,
            });
            continue;
        }
        let Some((key, value)) = decoded.split_once('=') else {
            ignored.push(Ignored {
                part: decoded,
                why: "not of the form key=value".into(),
            });
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key.parse::<K>() {
            Ok(k) => parts.push((k, value.to_string())),
            Err(_) => ignored.push(Ignored {
                part: format!("{key}={value}"),
                why: format!(
                    "unknown part '{key}' (known: {})",
                    K::VARIANTS
                        .iter()
                        .map(|&k| k.into())
                        .collect::<Vec<&str>>()
                        .join(", ")
                ),
            }),
        }
    }
    (parts, ignored)
}

/// The id of the scenario file a view names first (`scenario=file:ID`), if it names one.
pub fn names_file(text: &str) -> Option<String> {
    let (parts, _) = parts::<Part>(text);
    parts
        .into_iter()
        .find(|(key, _)| *key == Part::Scenario)
        .and_then(|(_, value)| value.strip_prefix("file:").map(str::to_string))
}

/// Applies `text` to `base` (a fresh state); returns the new state and what was ignored.
pub fn decode(base: &AppState, text: &str) -> (AppState, Vec<Ignored>) {
    use strum::VariantArray;
    let (parts, mut ignored) = parts::<Part>(text);
    let mut state = base.clone();
    let mut config = Config::none();
    let mut config_given = false;
    let mut slots: Vec<Slot> = Vec::new();
    // What each part set, with the value that set it: a repeat is named with the first.
    let mut set: Vec<(Part, &str, &str)> = Vec::new();
    let mut other_scenario = false;
    for &key in Part::VARIANTS {
        for (_, value) in parts.iter().filter(|(k, _)| *k == key) {
            let part = format!("{}={value}", key.key());
            if other_scenario && key.changes_scenario() {
                ignored.push(Ignored {
                    part,
                    why: "it changes the scenario the link names, which is not loaded".into(),
                });
                continue;
            }
            if let Some(what) = key.sets(value) {
                if let Some((_, _, first)) = set.iter().find(|(k, w, _)| *k == key && *w == what) {
                    let subject = if what.is_empty() {
                        format!("'{}'", key.key())
                    } else {
                        format!("'{}={what}'", key.key())
                    };
                    ignored.push(Ignored {
                        part,
                        why: format!(
                            "{subject} is given more than once; the first ({}={first}) is used",
                            key.key()
                        ),
                    });
                    continue;
                }
            }
            let result = apply(
                &mut state,
                key,
                value,
                &mut config,
                &mut slots,
                &mut ignored,
            );
            if key == Part::With {
                config_given = true;
            }
            match result {
                // The first part that sets something and is applied is the one used.
                Ok(()) => {
                    if let Some(what) = key.sets(value) {
                        set.push((key, what, value));
                    }
                }
                Err(why) => {
                    other_scenario |= key == Part::Scenario;
                    ignored.push(Ignored { part, why });
                }
            }
        }
        // The safeguards are applied together once read, before the parts that depend on the
        // runs they make (the playhead must lie within their timeline).
        if key == Part::With && config_given {
            state = reduce(state, Action::SetConfig(Box::new(config)));
        }
        if key == Part::Seed {
            state.replay.now = state.derived.range.0;
        }
        if key == Part::Curveball && !state.room_link.is_empty() {
            state.recompute();
            state.replay.now = state.derived.range.0;
        }
        if key == Part::Slot && !slots.is_empty() {
            state.analysis.slot_names = vec![String::new(); slots.len()];
            state.analysis.slots = std::mem::take(&mut slots);
        }
    }
    (state, ignored)
}

fn reduce(state: AppState, action: Action) -> AppState {
    use yew::Reducible;
    let rc = std::rc::Rc::new(state);
    std::rc::Rc::try_unwrap(rc.reduce(action)).unwrap_or_else(|rc| (*rc).clone())
}

/// Applies one part; an error says why it was not applied (and nothing changed).
fn apply(
    state: &mut AppState,
    key: Part,
    value: &str,
    config: &mut Config,
    slots: &mut Vec<Slot>,
    ignored: &mut Vec<Ignored>,
) -> Result<(), String> {
    match key {
        Part::Scenario => match value.strip_prefix("file:") {
            Some(id) => match state.variant.last_file.clone() {
                Some(file) if file.scenario.id == id => {
                    let mut next = AppState::new((*file.scenario).clone());
                    next.variant = state.variant.on(
                        next.scenario.clone(),
                        Origin::File {
                            name: file.name.clone(),
                        },
                    );
                    *state = next;
                    Ok(())
                }
                _ => Err(format!(
                    "the scenario '{id}' came from a file, which a link cannot carry: import that file (Scenario → Import), then open the link again"
                )),
            },
            None if value == state.scenario.id => Ok(()),
            None => Err(format!(
                "no built-in scenario '{value}' (built in: {})",
                crate::builtin::DEFAULT_SCENARIO
            )),
        },
        Part::Impact => {
            let at = parse_time(state, value)?;
            let mut scenario = (*state.scenario).clone();
            scenario.set_impact_start(at).map_err(|e| e.to_string())?;
            *state = reduce(state.clone(), Action::SetScenario(Box::new(scenario)));
            Ok(())
        }
        Part::Assume | Part::Step => {
            let mut scenario = (*state.scenario).clone();
            let set = if key == Part::Assume {
                Scenario::set_assumption_item
            } else {
                Scenario::set_step_item
            };
            set(&mut scenario, value).map_err(|e| e.to_string())?;
            *state = reduce(state.clone(), Action::SetScenario(Box::new(scenario)));
            Ok(())
        }
        Part::With => {
            let (_, repeated) = config.apply_spec(value).map_err(|e| e.to_string())?;
            // The item is applied with the first value of a repeated parameter; the notice
            // names the others.
            ignored.extend(repeated.into_iter().map(|r| Ignored {
                part: format!("with={value}"),
                why: r.to_string(),
            }));
            Ok(())
        }
        Part::Seed => {
            let seed = value
                .parse::<u64>()
                .map_err(|_| format!("'{value}' is not a whole number from 0 to {}", u64::MAX))?;
            *state = reduce(state.clone(), Action::SetSeed(seed));
            Ok(())
        }
        Part::Mode if matches!(value, "learn" | "start") => {
            state.learn.page = if value == "learn" { Page::Learn } else { Page::Start };
            Ok(())
        }
        Part::Pace => {
            let pace = value
                .parse::<u32>()
                .ok()
                .filter(|p| PACES.contains(p))
                .ok_or_else(|| {
                    format!(
                        "not a pace in seconds per stop ({})",
                        PACES.map(|p| p.to_string()).join(", ")
                    )
                })?;
            state.learn.pace = Some(pace);
            Ok(())
        }
        Part::Mode => {
            let mode = Mode::from_id(value).ok_or_else(|| {
                "not a mode (explore, facilitate, projector, learn, start)".to_string()
            })?;
            *state = reduce(state.clone(), Action::SetMode(mode));
            Ok(())
        }        Part::Room | Part::Curveball => {
            if state.exercise.mode != Mode::Explore {
                return Err(
                    "the console keeps the room's decisions in its own log; a link's room's day opens outside the console"
                        .into(),
                );
            }
            let exercise = state
                .exercise
                .exercise
                .clone()
                .ok_or_else(|| "this scenario has no exercise".to_string())?;
            let i = exercise
                .parse_intervention(&state.scenario, value, key == Part::Curveball)
                .map_err(|e| e.to_string())?;
            state.room_link.push(i);
            Ok(())
        }
        Part::At => {
            let at = parse_time(state, value)?;
            let (t0, t1) = state.derived.range;
            if !(t0..=t1).contains(&at) {
                return Err(format!(
                    "outside the timeline ({} to {} {})",
                    state.scenario.clock.hhmm_local(t0),
                    state.scenario.clock.hhmm_local(t1),
                    state.scenario.zone_label
                ));
            }
            state.replay.now = at;
            Ok(())
        }
        Part::Speed => {
            let speed = value
                .parse::<u32>()
                .ok()
                .filter(|s| SPEEDS.contains(s))
                .ok_or_else(|| {
                    format!(
                        "not one of the speeds offered ({})",
                        SPEEDS.map(|s| s.to_string()).join(", ")
                    )
                })?;
            state
                .replay
                .reduce(ReplayAction::SetSpeed(speed), &state.derived);
            Ok(())
        }
        Part::Runs => {
            let runs = value
                .parse::<u32>()
                .ok()
                .filter(|r| RUNS.contains(r))
                .ok_or_else(|| {
                    format!("not a whole number from {} to {}", RUNS.start(), RUNS.end())
                })?;
            state.analysis.reduce(AnalysisAction::SetRuns(runs))
        }
        Part::Metric => {
            let metric = Metric::from_key(value)
                .filter(|m| Metric::DISTRIBUTIONS.contains(m))
                .ok_or_else(|| {
                    format!(
                        "not a charted metric ({})",
                        Metric::DISTRIBUTIONS.map(|m| m.key()).join(", ")
                    )
                })?;
            state.analysis.metric = metric;
            Ok(())
        }
        Part::Slot => {
            if slots.len() >= MAX_SLOTS {
                return Err(format!("compare holds at most {MAX_SLOTS} configurations"));
            }
            slots.push(parse_slot(value)?);
            Ok(())
        }
        Part::SlotName => {
            let (n, name) = value
                .split_once(':')
                .ok_or_else(|| "not of the form slot-name=N:TEXT".to_string())?;
            let i = n
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| (1..=state.analysis.slots.len()).contains(&n))
                .ok_or_else(|| {
                    format!(
                        "'{n}' is not a configuration's number (1 to {})",
                        state.analysis.slots.len()
                    )
                })?;
            state
                .analysis
                .reduce(AnalysisAction::NameSlot(i - 1, name.to_string()))
        }
        Part::Headline => {
            state.headline = Metric::from_key(value).ok_or_else(|| {
                format!(
                    "not a metric ({})",
                    Metric::ALL.map(|m| m.key()).join(", ")
                )
            })?;
            Ok(())
        }
        Part::Spans => {
            let mut spans = Vec::new();
            for key in value.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                let m = Metric::from_key(key)
                    .filter(|m| Metric::TIMES.contains(m))
                    .ok_or_else(|| format!("'{key}' is not a time metric"))?;
                if !spans.contains(&m) {
                    spans.push(m);
                }
            }
            spans.sort_by_key(|m| m.index());
            state.replay.spans = spans;
            Ok(())
        }
        Part::Section => {
            let section = Section::from_id(value).ok_or_else(|| {
                format!(
                    "not a section ({})",
                    Section::ALL.map(|s| s.id()).join(", ")
                )
            })?;
            state.section = Some(section);
            Ok(())
        }
    }
}

/// Where a view's text came from, for the notice about its ignored parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Link,
    Session,
}

/// The ignored parts in one sentence, for the notice.
pub fn describe(ignored: &[Ignored], source: Source) -> String {
    let list: Vec<String> = ignored.iter().map(Ignored::to_string).collect();
    let what = match source {
        Source::Link => "Part of the link was not applied, the rest was",
        Source::Session => "Part of your last session could not be restored, the rest was",
    };
    format!("{what}: {}.", list.join("; "))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use outage_sim::safeguards::{ParamKind, SafeguardId};
    use outage_sim::scenario::builtin;
    use outage_sim::AssumptionId;
    use proptest::prelude::*;

    fn fresh() -> AppState {
        AppState::new(builtin("eptura-2024-07-10").unwrap())
    }

    fn open(text: &str) -> (AppState, Vec<Ignored>) {
        decode(&fresh(), text)
    }

    #[test]
    fn a_link_in_the_command_lines_words_opens_that_view() {
        let (s, ignored) = open("#with=uptime_check:interval_s=300&with=auto_page:levels=3&seed=7&impact=13:05&at=15:46&runs=20000&section=ranges");
        assert_eq!(ignored, vec![]);
        assert_eq!(
            s.config.value(SafeguardId::UptimeCheck, "interval_s"),
            Some(300.0)
        );
        assert_eq!(s.config.value(SafeguardId::AutoPage, "levels"), Some(3.0));
        assert_eq!(s.seed, 7);
        assert_eq!(
            s.scenario.impact_start(),
            s.scenario.clock.on_origin_day(13, 5)
        );
        assert_eq!(s.replay.now, s.scenario.clock.on_origin_day(15, 46));
        assert_eq!(s.analysis.runs, 20_000);
        assert_eq!(s.section, Some(Section::Ranges));
        // The what-if run is the one the command line's `run --trace` makes for that seed.
        let config =
            Config::from_specs(&["uptime_check:interval_s=300", "auto_page:levels=3"]).unwrap();
        let mut scenario = builtin("eptura-2024-07-10").unwrap();
        scenario
            .set_assumption_text("impact_start", "13:05")
            .unwrap();
        let (ghost, _) = outage_sim::counterfactual(&scenario, &config, 7);
        assert_eq!(s.derived.ghost.as_ref().unwrap().0, ghost);
        let ttd = ghost.detected_at.unwrap() - ghost.gone_at.unwrap();
        assert!((0..=300_000).contains(&ttd), "{ttd}");
    }

    #[test]
    fn bad_parts_are_named_and_the_good_ones_applied() {
        let (s, ignored) = open("with=nonsense&seed=7&with=uptime_check:interval_s=1&colour=red&junk&runs=5&at=03:00&with=auto_page&with=auto_page:levels=2&seed=8");
        assert_eq!(s.seed, 7);
        assert!(s.config.is_enabled(SafeguardId::AutoPage));
        assert!(!s.config.is_enabled(SafeguardId::UptimeCheck));
        let text: Vec<String> = ignored.iter().map(|i| i.to_string()).collect();
        let all = text.join(" | ");
        for expected in [
            "'with=nonsense' (unknown safeguard 'nonsense'",
            "'with=uptime_check:interval_s=1' (uptime_check.interval_s: 1 is out of range",
            "'colour=red' (unknown part 'colour'",
            "'junk' (not of the form key=value)",
            "'runs=5' (not a whole number from 100 to 100000)",
            "'at=03:00' (outside the timeline",
            "'with=auto_page:levels=2' ('with=auto_page' is given more than once; the first (with=auto_page) is used)",
            "'seed=8' ('seed' is given more than once; the first (seed=7) is used)",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in {all}");
        }
        assert!(describe(&ignored, Source::Link).starts_with("Part of the link was not applied"));
    }

    #[test]
    fn repeated_parts_are_named_with_the_value_used() {
        let (s, ignored) = open("assume=sites=40&assume=sites=50&step=mobilize:sigma=0.2&step=mobilize:sigma=0.3&slot=as-it-happened&slot=postmortem-fix&slot-name=1:A&slot-name=1:B&with=uptime_check:interval_s=60,interval_s=30");
        assert_eq!(s.scenario.assumptions.value(AssumptionId::Sites), 40.0);
        assert_eq!(s.scenario.steps[StepId::Mobilize].sigma, 0.2);
        assert_eq!(s.analysis.slot_label(0), "A");
        assert_eq!(
            s.config.value(SafeguardId::UptimeCheck, "interval_s"),
            Some(60.0)
        );
        let all: Vec<String> = ignored.iter().map(ToString::to_string).collect();
        assert_eq!(
            all,
            [
                "'assume=sites=50' ('assume=sites' is given more than once; the first (assume=sites=40) is used)",
                "'step=mobilize:sigma=0.3' ('step=mobilize' is given more than once; the first (step=mobilize:sigma=0.2) is used)",
                "'with=uptime_check:interval_s=60,interval_s=30' (uptime_check.interval_s is given more than once: the first value (60) is used, not 30)",
                "'slot-name=1:B' ('slot-name=1' is given more than once; the first (slot-name=1:A) is used)",
            ]
        );
        assert!(describe(&ignored, Source::Link).contains("assume=sites=50"));
        // A first part that could not be applied does not hide the next one.
        let (s, ignored) = open("seed=x&seed=7");
        assert_eq!(s.seed, 7);
        assert_eq!(ignored.len(), 1);
    }

    #[test]
    fn control_characters_in_a_link_are_refused_and_shown_escaped() {
        let (s, ignored) = open("slot=as-it-happened&slot-name=1:Ours%1B%5D0%3Bpwned%07&seed=3");
        assert_eq!(s.seed, 3);
        assert_eq!(s.analysis.slot_label(0), "As it happened");
        assert_eq!(ignored.len(), 1);
        assert!(ignored[0].part.contains("\\u{1B}"), "{}", ignored[0]);
        assert!(!ignored[0].to_string().contains('\u{1b}'));
        assert!(ignored[0].why.contains("control character (U+001B)"));
    }

    #[test]
    fn escapes_and_huge_or_broken_links_are_handled() {
        let (s, ignored) = open("with=uptime%5Fcheck&seed=%37");
        assert!(ignored.is_empty(), "{ignored:?}");
        assert!(s.config.is_enabled(SafeguardId::UptimeCheck));
        assert_eq!(s.seed, 7);
        let (_, ignored) = open("seed=%FF%FE");
        assert!(ignored[0].why.contains("not valid text"));
        let long = format!("with={}", "x".repeat(5_000));
        let (_, ignored) = open(&long);
        assert!(ignored[0].why.contains("longer than"));
        let many = vec!["seed=1"; 100].join("&");
        let (_, ignored) = open(&many);
        assert!(ignored.iter().any(|i| i.why.contains("more than 64 parts")));
    }

    #[test]
    fn a_variant_travels_by_value_and_a_file_only_by_name() {
        let (s, ignored) =
            open("assume=sites=400&step=mobilize:median_s=180,sigma=0.3&step=gitops_sync:uniform_max_s=60&headline=time_to_mitigate_s&slot-name=2:Our%20fix");
        assert_eq!(ignored, vec![]);
        assert_eq!(
            s.scenario.median(&s.scenario.steps[StepId::Mobilize]),
            180_000
        );
        assert_eq!(s.scenario.steps.gitops_sync.max, 60_000);
        assert_eq!(s.headline, Metric::TimeToMitigate);
        assert_eq!(s.analysis.slot_label(1), "Our fix");
        let text = encode(&s);
        assert!(
            text.contains("step=mobilize:median_s=180,sigma=0.3"),
            "{text}"
        );
        assert!(text.contains("slot-name=2:Our%20fix"), "{text}");
        // A scenario from a file: the link names it, and cannot carry it.
        let mut imported = fresh();
        imported.variant.origin = Origin::File {
            name: "ours.json".into(),
        };
        imported.variant.last_file = Some(super::super::LoadedFile {
            name: "ours.json".into(),
            text: outage_sim::scenario::scenario_json(&imported.scenario).into(),
            scenario: imported.scenario.clone(),
        });
        let text = encode(&imported);
        assert!(
            text.starts_with("scenario=file:eptura-2024-07-10&"),
            "{text}"
        );
        let (s, ignored) = open(&format!("{text}&assume=sites=400"));
        assert_eq!(
            s.scenario
                .assumptions
                .value(outage_sim::AssumptionId::Sites),
            120.0
        );
        assert!(ignored[0]
            .why
            .contains("came from a file, which a link cannot carry"));
        assert!(ignored[1].why.contains("which is not loaded"));
        // With that file loaded before, the link opens on it again.
        let (s, ignored) = decode(&imported.fresh(), &text);
        assert_eq!(ignored, vec![]);
        assert_eq!(s.variant.file(), Some("ours.json"));
        let (_, ignored) = open("step=mobilize&step=nope:sigma=1&slot-name=9:x&headline=nope");
        let all: Vec<String> = ignored.iter().map(|i| i.to_string()).collect();
        let all = all.join(" | ");
        for expected in [
            "not of the form STEP:key=value",
            "unknown step",
            "configuration's number",
            "not a metric",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in {all}");
        }
    }

    #[test]
    fn the_default_view_is_just_the_seed() {
        assert_eq!(encode(&fresh()), "seed=1");
        let (s, ignored) = open("");
        assert!(ignored.is_empty());
        assert_eq!(encode(&s), "seed=1");
    }

    #[test]
    fn times_keep_their_precision() {
        let s = fresh();
        let t = s.scenario.clock.on_origin_day(15, 46) + 30_250;
        assert_eq!(local_time(&s, t), "15:46:30.250");
        assert_eq!(parse_time(&s, "15:46:30.250"), Ok(t));
        let before = s.scenario.clock.on_origin_day(0, 0) - 600_000 + 5;
        let text = local_time(&s, before);
        assert_eq!(text, "2024-07-09T23:50:00.005-05:00");
        assert_eq!(parse_time(&s, &text), Ok(before));
        for bad in ["25:00", "15:4", "15:46:61", "15:46.5", "15:46:00.5", "x"] {
            assert!(parse_time(&s, bad).is_err(), "{bad}");
        }
    }

    /// A random state reachable through the app's own actions.
    fn state_strategy() -> impl Strategy<Value = AppState> {
        let param = (0usize..13, 0usize..4, 0.0f64..1.0);
        (
            proptest::collection::vec(param, 0..6),
            any::<u64>(),
            0.0f64..1.0,
            0.0f64..1.0,
            0usize..SPEEDS.len(),
            RUNS,
            0usize..Metric::DISTRIBUTIONS.len(),
            proptest::collection::vec(0usize..5, 1..=4),
            proptest::option::of(0usize..Section::ALL.len()),
            (
                0.0f64..1.0,
                1u32..1000,
                proptest::collection::vec(
                    (0usize..12, 1u32..20_000, 0u32..=300, any::<bool>()),
                    0..3,
                ),
                0usize..Metric::ALL.len(),
                proptest::option::of("[A-Za-z &:=%#;,]{1,20}"),
            ),
        )
            .prop_map(
                |(
                    params,
                    seed,
                    impact,
                    at,
                    speed,
                    runs,
                    metric,
                    slots,
                    section,
                    (sites, sites_n, steps, headline, name),
                )| {
                    let mut s = fresh();
                    let mut config = Config::none();
                    for (i, p, x) in params {
                        let id = SafeguardId::ALL[i];
                        config.enable(id);
                        if let Some(spec) = id.params().get(p) {
                            let v = match spec.kind {
                                ParamKind::Count | ParamKind::Choice => (spec.min
                                    + (x * (spec.max - spec.min + 1.0)).floor())
                                .min(spec.max),
                                // A value as the app can hold it: read from a decimal text (here of
                                // six decimals at most), as every field and link gives it.
                                _ => ((spec.min + x * (spec.max - spec.min)) * 1e6).round() / 1e6,
                            };
                            let _ = config.set(id, spec.key, v);
                        }
                    }
                    let a = &s.scenario.assumptions.impact_start;
                    let impact = a.min + ((a.max - a.min) as f64 * impact) as i64;
                    let mut scenario = (*s.scenario).clone();
                    scenario.set_impact_start(impact).unwrap();
                    if sites > 0.5 {
                        scenario
                            .set_assumption("sites", f64::from(sites_n))
                            .unwrap();
                    }
                    for (i, median_s, sigma_hundredths, both) in steps {
                        let id = StepId::ALL[i];
                        let sigma = f64::from(sigma_hundredths) / 100.0;
                        let median = both.then_some(i64::from(median_s) * 1000);
                        scenario.set_step(id, median, Some(sigma)).unwrap();
                    }
                    s = reduce(s, Action::SetScenario(Box::new(scenario)));
                    s = reduce(s, Action::SetConfig(Box::new(config)));
                    s.headline = Metric::ALL[headline];
                    s = reduce(s, Action::SetSeed(seed));
                    let (t0, t1) = s.derived.range;
                    s.replay.now = t0 + ((t1 - t0) as f64 * at) as i64;
                    s.replay.speed = SPEEDS[speed];
                    s.analysis.runs = runs;
                    s.analysis.metric = Metric::DISTRIBUTIONS[metric];
                    s.analysis.slots = slots
                        .into_iter()
                        .map(|k| {
                            if k < 4 {
                                Slot::Preset(Preset::ALL[k])
                            } else {
                                Slot::Custom(Box::new(config))
                            }
                        })
                        .collect();
                    s.analysis.slot_names = vec![String::new(); s.analysis.slots.len()];
                    if let Some(name) = name {
                        let n = s.analysis.slots.len() - 1;
                        s.analysis
                            .reduce(AnalysisAction::NameSlot(n, name))
                            .unwrap();
                    }
                    s.section = section.map(|i| Section::ALL[i]);
                    s
                },
            )
    }

    proptest! {
        #[test]
        fn decoding_an_encoded_view_gives_the_same_view(s in state_strategy()) {
            let text = encode(&s);
            let (back, ignored) = decode(&fresh(), &text);
            prop_assert_eq!(ignored, vec![], "{}", text);
            prop_assert!(*back.scenario == *s.scenario, "the scenario's assumptions differ: {}", text);
            prop_assert_eq!(back.config, s.config);
            prop_assert_eq!(back.seed, s.seed);
            prop_assert_eq!(back.replay.now, s.replay.now);
            prop_assert_eq!(back.replay.speed, s.replay.speed);
            prop_assert_eq!(&back.analysis.slots, &s.analysis.slots);
            prop_assert_eq!(back.analysis.runs, s.analysis.runs);
            prop_assert_eq!(back.analysis.metric, s.analysis.metric);
            prop_assert_eq!(back.section, s.section);
            prop_assert_eq!(&back.analysis.slot_names, &s.analysis.slot_names);
            prop_assert_eq!(back.headline, s.headline);
            prop_assert_eq!(encode(&back), text);
        }

        #[test]
        fn any_text_decodes_to_a_state_and_encodes_stably(text in "[a-z_=&:,;.%0-9A-F#-]{0,200}") {
            let (s, _) = decode(&fresh(), &text);
            let once = encode(&s);
            let (again, ignored) = decode(&fresh(), &once);
            prop_assert_eq!(ignored, vec![]);
            prop_assert_eq!(encode(&again), once);
        }

        #[test]
        fn near_miss_links_never_panic(
            parts in proptest::collection::vec(
                (proptest::sample::select(vec!["with", "assume", "seed", "impact", "at", "speed", "runs", "metric", "slot", "spans", "section", "scenario", "x"]),
                 "\\PC{0,40}"),
                0..12)
        ) {
            let text: Vec<String> = parts.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let (s, _) = decode(&fresh(), &text.join("&"));
            let once = encode(&s);
            prop_assert_eq!(encode(&decode(&fresh(), &once).0), once);
        }
    }
}
