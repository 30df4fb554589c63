//! The whole view as text, in the command line's vocabulary: what the URL fragment holds and
//! what a saved session stores. `encode` writes the view of an `AppState`; `decode` applies a
//! text to a fresh state, part by part, keeping every good part and naming every part it ignored
//! and why. Decoding is total: any text gives a state and a list of ignored parts, never a panic.
//!
//! The text is `key=value` parts joined by `&` (values may contain `=`, `:`, `,`, `;`):
//!
//! | part | meaning |
//! |---|---|
//! | `scenario=ID` | a built-in scenario (default: the only one) |
//! | `impact=HH:MM` | when the service went, local time on the incident's day (or RFC 3339) |
//! | `assume=KEY=VALUE` | an assumption, as `outage-sim --assume` takes it |
//! | `with=ID[:key=value,...]` | a safeguard with parameters, as `outage-sim --with` takes it; repeatable |
//! | `seed=N` | the seed of the what-if run and of Monte Carlo |
//! | `at=HH:MM[:SS[.mmm]]` | the replay's playhead (local time), or RFC 3339 |
//! | `speed=N` | playback speed, simulated seconds per real second |
//! | `runs=N` | Monte Carlo runs per configuration |
//! | `metric=KEY` | the metric the charts show (`time_to_detect_s`…) |
//! | `slot=PRESET` or `slot=custom:ID[:k=v,...];ID…` | a compare configuration; repeatable, up to four |
//! | `spans=KEY,KEY` | the metric spans drawn on the timeline |
//! | `section=ID` | the section in view (`replay`, `what-if`, `ranges`, `compare`, `record`) |
//! | `mode=MODE` | `facilitate` (the exercise's console) or `projector` (the room's view) |
//!
//! Defaults are left out when encoding (the seed is always written), so a link stays short and
//! can be written by hand.

use outage_sim::metrics::Metric;
use outage_sim::safeguards::{Config, ParamKind, Preset};
use outage_sim::time::SimTime;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use super::analysis::{MAX_RUNS, MAX_SLOTS, MIN_RUNS};
use super::{Action, AnalysisAction, AppState, Mode, ReplayAction, Section, Slot, SPEEDS};

/// The most parts a text may have, and the longest a part may be; beyond, the rest is ignored.
pub const MAX_PARTS: usize = 64;
pub const MAX_PART_LEN: usize = 1_000;

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

/// A parameter value exactly: the shortest decimal that reads back as the same number.
fn exact(kind: ParamKind, choices: &[&str], value: f64) -> String {
    match kind {
        ParamKind::Choice => choices
            .get(value as usize)
            .copied()
            .unwrap_or("?")
            .to_string(),
        ParamKind::Count => format!("{}", value as i64),
        _ => format!("{value}"),
    }
}

/// The `--with` items of a configuration, with exact values (only those that differ from the
/// defaults).
pub fn with_items(config: &Config) -> Vec<String> {
    config
        .enabled()
        .map(|id| {
            let changed: Vec<String> = id
                .params()
                .iter()
                .filter_map(|p| {
                    let v = config.value(id, p.key)?;
                    (v != p.default).then(|| format!("{}={}", p.key, exact(p.kind, p.choices, v)))
                })
                .collect();
            if changed.is_empty() {
                id.id().to_string()
            } else {
                format!("{}:{}", id.id(), changed.join(","))
            }
        })
        .collect()
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

/// Parses `HH:MM`, `HH:MM:SS`, `HH:MM:SS.mmm` (local, the incident's day) or RFC 3339.
fn parse_time(state: &AppState, text: &str) -> Result<SimTime, String> {
    let clock = &state.scenario.clock;
    if let Ok(at) = outage_sim::time::parse_rfc3339(text) {
        return Ok(clock.sim_time(at));
    }
    let bad =
        || format!("'{text}' is not a time like 15:46, 15:46:30 or 2024-07-10T15:46:00-05:00");
    let (hm, frac) = match text.split_once('.') {
        Some((hm, frac)) => (hm, Some(frac)),
        None => (text, None),
    };
    let mut fields = hm.split(':');
    let mut number = |max: u32| -> Option<u32> {
        let f = fields.next()?;
        (f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()))
            .then(|| f.parse().ok())
            .flatten()
            .filter(|&n| n <= max)
    };
    let (h, m) = (number(23).ok_or_else(bad)?, number(59).ok_or_else(bad)?);
    let s = if hm.len() > 5 {
        number(59).ok_or_else(bad)?
    } else {
        0
    };
    if fields.next().is_some() {
        return Err(bad());
    }
    let ms = match frac {
        None => 0,
        Some(f) if hm.len() > 5 && f.len() == 3 && f.bytes().all(|b| b.is_ascii_digit()) => {
            f.parse::<i64>().map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
    };
    let base = clock.at_local(h, m).ok_or_else(bad)?;
    Ok(base + i64::from(s) * 1000 + ms)
}

fn slot_text(slot: &Slot) -> String {
    match slot {
        Slot::Preset(p) => p.slug().to_string(),
        Slot::Custom(c) => format!("custom:{}", with_items(c).join(";")),
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

/// The text of a state's view.
pub fn encode(state: &AppState) -> String {
    // Defaults as a fresh state has them, without computing a fresh state's runs.
    let scenario_defaults =
        crate::builtin::builtin(&state.scenario.id).unwrap_or_else(|| (*state.scenario).clone());
    let replay_defaults = super::ReplayState::new(0);
    let analysis_defaults = super::AnalysisState::new();
    let mut parts: Vec<String> = Vec::new();
    let push = |parts: &mut Vec<String>, key: &str, value: &str| {
        parts.push(format!("{key}={}", utf8_percent_encode(value, FRAGMENT)));
    };
    if state.scenario.id != crate::builtin::DEFAULT_SCENARIO {
        push(&mut parts, "scenario", &state.scenario.id);
    }
    if state.scenario.impact_start() != scenario_defaults.impact_start() {
        push(
            &mut parts,
            "impact",
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
            push(&mut parts, "assume", &format!("{}={}", id.key(), a.value));
        }
    }
    for item in with_items(&state.config) {
        push(&mut parts, "with", &item);
    }
    push(&mut parts, "seed", &state.seed.to_string());
    if state.exercise.mode != Mode::Explore {
        push(&mut parts, "mode", state.exercise.mode.id());
    }
    let r = &state.replay;
    if r.now != state.derived.range.0 {
        push(&mut parts, "at", &local_time(state, r.now));
    }
    if r.speed != replay_defaults.speed {
        push(&mut parts, "speed", &r.speed.to_string());
    }
    let a = &state.analysis;
    if a.runs != analysis_defaults.runs {
        push(&mut parts, "runs", &a.runs.to_string());
    }
    if a.metric != analysis_defaults.metric {
        push(&mut parts, "metric", a.metric.key());
    }
    if a.slots != analysis_defaults.slots {
        for slot in &a.slots {
            push(&mut parts, "slot", &slot_text(slot));
        }
    }
    if r.spans != replay_defaults.spans {
        let keys: Vec<&str> = r.spans.iter().map(|m| m.key()).collect();
        push(&mut parts, "spans", &keys.join(","));
    }
    if let Some(section) = state.section {
        push(&mut parts, "section", section.id());
    }
    parts.join("&")
}

/// The parts of a text, percent-decoded; what cannot be read is ignored with a reason.
fn split(text: &str) -> (Vec<(String, String)>, Vec<Ignored>) {
    let mut parts = Vec::new();
    let mut ignored = Vec::new();
    let text = text.strip_prefix('#').unwrap_or(text);
    for (i, raw) in text.split('&').filter(|p| !p.trim().is_empty()).enumerate() {
        if i >= MAX_PARTS {
            ignored.push(Ignored {
                part: "…".into(),
                why: format!("more than {MAX_PARTS} parts; the rest was ignored"),
            });
            break;
        }
        let shown: String = raw.chars().take(60).collect();
        if raw.len() > MAX_PART_LEN {
            ignored.push(Ignored {
                part: format!("{shown}…"),
                why: format!("longer than {MAX_PART_LEN} characters"),
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
        match decoded.split_once('=') {
            Some((key, value)) => parts.push((key.trim().to_string(), value.trim().to_string())),
            None => ignored.push(Ignored {
                part: decoded,
                why: "not of the form key=value".into(),
            }),
        }
    }
    (parts, ignored)
}

/// Keys in the order they are applied: the scenario and its assumptions first (they move the
/// timeline), then the safeguards and seed (which make the runs), then the view.
const ORDER: [&str; 13] = [
    "scenario", "impact", "assume", "with", "seed", "mode", "at", "speed", "runs", "metric",
    "slot", "spans", "section",
];

/// Applies `text` to `base` (a fresh state); returns the new state and what was ignored.
pub fn decode(base: &AppState, text: &str) -> (AppState, Vec<Ignored>) {
    let (parts, mut ignored) = split(text);
    for (key, value) in &parts {
        if !ORDER.contains(&key.as_str()) {
            ignored.push(Ignored {
                part: format!("{key}={value}"),
                why: format!("unknown part '{key}' (known: {})", ORDER.join(", ")),
            });
        }
    }
    let mut state = base.clone();
    let mut config = Config::none();
    let mut config_given = false;
    let mut slots: Vec<Slot> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for key in ORDER {
        for (_, value) in parts.iter().filter(|(k, _)| k == key) {
            let part = format!("{key}={value}");
            let repeatable = matches!(key, "assume" | "with" | "slot");
            if !repeatable && seen.contains(&key) {
                ignored.push(Ignored {
                    part,
                    why: format!("'{key}' is given more than once; the first is kept"),
                });
                continue;
            }
            seen.push(key);
            let result = apply(&mut state, key, value, &mut config, &mut slots);
            if key == "with" {
                config_given = true;
            }
            if let Err(why) = result {
                ignored.push(Ignored { part, why });
            }
        }
        // The safeguards are applied together once read, before the parts that depend on the
        // runs they make (the playhead must lie within their timeline).
        if key == "with" && config_given {
            state = reduce(state, Action::SetConfig(Box::new(config)));
        }
        if key == "seed" {
            state.replay.now = state.derived.range.0;
        }
        if key == "slot" && !slots.is_empty() {
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
    key: &str,
    value: &str,
    config: &mut Config,
    slots: &mut Vec<Slot>,
) -> Result<(), String> {
    match key {
        "scenario" => {
            if value == state.scenario.id {
                Ok(())
            } else {
                Err(format!(
                    "no built-in scenario '{value}' (built in: {})",
                    crate::builtin::DEFAULT_SCENARIO
                ))
            }
        }
        "impact" => {
            let at = parse_time(state, value)?;
            let mut scenario = (*state.scenario).clone();
            scenario.set_impact_start(at).map_err(|e| e.to_string())?;
            *state = reduce(state.clone(), Action::SetScenario(Box::new(scenario)));
            Ok(())
        }
        "assume" => {
            let (id, v) = value
                .split_once('=')
                .ok_or_else(|| "not of the form assume=KEY=VALUE".to_string())?;
            let mut scenario = (*state.scenario).clone();
            scenario
                .set_assumption_text(id.trim(), v.trim())
                .map_err(|e| e.to_string())?;
            *state = reduce(state.clone(), Action::SetScenario(Box::new(scenario)));
            Ok(())
        }
        "with" => {
            let mut next = *config;
            let id = next.apply_spec(value).map_err(|e| e.to_string())?;
            if config.is_enabled(id) {
                return Err(format!(
                    "safeguard '{}' is given twice; the first is kept",
                    id.id()
                ));
            }
            *config = next;
            Ok(())
        }
        "seed" => {
            let seed = value
                .parse::<u64>()
                .map_err(|_| format!("'{value}' is not a whole number from 0 to {}", u64::MAX))?;
            *state = reduce(state.clone(), Action::SetSeed(seed));
            Ok(())
        }
        "mode" => {
            let mode = Mode::from_id(value)
                .ok_or_else(|| "not a mode (explore, facilitate, projector)".to_string())?;
            *state = reduce(state.clone(), Action::SetMode(mode));
            Ok(())
        }
        "at" => {
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
        "speed" => {
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
        "runs" => {
            let runs = value
                .parse::<u32>()
                .ok()
                .filter(|r| (MIN_RUNS..=MAX_RUNS).contains(r))
                .ok_or_else(|| format!("not a whole number from {MIN_RUNS} to {MAX_RUNS}"))?;
            state.analysis.reduce(AnalysisAction::SetRuns(runs))
        }
        "metric" => {
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
        "slot" => {
            if slots.len() >= MAX_SLOTS {
                return Err(format!("compare holds at most {MAX_SLOTS} configurations"));
            }
            slots.push(parse_slot(value)?);
            Ok(())
        }
        "spans" => {
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
        "section" => {
            let section = Section::from_id(value).ok_or_else(|| {
                format!(
                    "not a section ({})",
                    Section::ALL.map(|s| s.id()).join(", ")
                )
            })?;
            state.section = Some(section);
            Ok(())
        }
        _ => Ok(()),
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
    use outage_sim::safeguards::SafeguardId;
    use outage_sim::scenario::builtin;
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
            "'with=auto_page:levels=2' (safeguard 'auto_page' is given twice",
            "'seed=8' ('seed' is given more than once",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in {all}");
        }
        assert!(describe(&ignored, Source::Link).starts_with("Part of the link was not applied"));
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
            MIN_RUNS..=MAX_RUNS,
            0usize..Metric::DISTRIBUTIONS.len(),
            proptest::collection::vec(0usize..5, 1..=4),
            proptest::option::of(0usize..Section::ALL.len()),
            (0.0f64..1.0, 1u32..1000),
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
                    (sites, sites_n),
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
                    s = reduce(s, Action::SetScenario(Box::new(scenario)));
                    s = reduce(s, Action::SetConfig(Box::new(config)));
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
