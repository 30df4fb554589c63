//! The Monte Carlo worker protocol: what the page and its Web Workers say to each other, how
//! it is encoded, and the worker's logic as a sans-IO state machine (`Runner`).
//!
//! The page's pool (`pool`, its scheduling as a sans-IO state machine) splits a batch's run
//! indices into one contiguous part per worker (`outage_sim::montecarlo::split_runs`) and sends
//! each worker a `Part`. A worker runs its parts
//! in order, in small steps, reporting progress between steps and its aggregates at the end.
//! Aggregates merge exactly (see `outage_sim::stats`), so the page's merged result is the same,
//! bit for bit, for any number of workers, and the same as the command line's for the same
//! seed. The same `Runner` drives the page's own fallback when workers cannot start, so that
//! path computes exactly what a worker would.
//!
//! Messages are encoded with postcard (compact binary; a worker's aggregates are a few kB with
//! sparse histograms) and cross `postMessage` as byte arrays.

use std::collections::VecDeque;

use outage_sim::exercise::Exercise;
use outage_sim::intervention::Interventions;
use outage_sim::montecarlo::Batch;
use outage_sim::safeguards::{Config, SafeguardId};
use outage_sim::scenario::Scenario;
use outage_sim::stats::{Aggregate, Differences};
use outage_sim::time::SimTime;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub mod pool;

/// Looks up built-in scenarios and their exercises by id. The worker reads the simulation
/// crate's JSON; the page passes its own copies, generated at build time, so that it does not
/// carry the JSON parser.
#[derive(Clone, Copy)]
pub struct Builtins {
    pub scenario: fn(&str) -> Option<Scenario>,
    pub exercise: fn(&str) -> Option<Exercise>,
}

impl Builtins {
    /// The simulation crate's own built-ins (read from its JSON).
    pub const FROM_JSON: Builtins = Builtins {
        scenario: outage_sim::scenario::builtin,
        exercise: outage_sim::exercise::builtin_exercise,
    };

    /// The exercise a scenario is run with (a built-in's, or the built-in's for its variant).
    pub fn exercise_for(&self, scenario: &Scenario) -> Option<Exercise> {
        outage_sim::exercise::exercise_for(scenario, self.scenario, self.exercise)
    }
}

/// The scenario a job runs: a built-in scenario with the page's assumptions, or (a scenario
/// imported from a file, or a variant with steps of its own) the whole scenario as a scenario
/// file, parsed and validated again in the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScenarioRef {
    Builtin {
        id: String,
        impact_start: SimTime,
        /// Every numeric assumption by id, with its exact value.
        numbers: Vec<(String, f64)>,
    },
    /// A scenario file's JSON (`outage_sim::scenario::scenario_json`).
    Json(String),
}

impl ScenarioRef {
    /// The shortest reference that gives back exactly `scenario`: its built-in with the
    /// assumptions it carries when that is all that differs, else the whole scenario.
    pub fn of(scenario: &Scenario, builtins: Builtins) -> ScenarioRef {
        let id = scenario.id.clone();
        let impact_start = scenario.impact_start();
        let numbers: Vec<(String, f64)> = scenario
            .assumptions
            .iter()
            .map(|(id, a)| (id.key().to_string(), a.value))
            .collect();
        // Only the built-in's side of `resolve`: the page that sends a reference never links
        // the scenario reader, which the worker uses for `Json`.
        match resolve_builtin(&id, impact_start, &numbers, builtins) {
            Ok(resolved) if resolved == *scenario => ScenarioRef::Builtin {
                id,
                impact_start,
                numbers,
            },
            _ => ScenarioRef::Json(outage_sim::scenario::scenario_json(scenario)),
        }
    }

    /// The scenario this refers to, validated again (a worker trusts nothing it is sent).
    pub fn resolve(&self, builtins: Builtins) -> Result<Scenario, String> {
        match self {
            ScenarioRef::Builtin {
                id,
                impact_start,
                numbers,
            } => resolve_builtin(id, *impact_start, numbers, builtins),
            ScenarioRef::Json(json) => outage_sim::scenario::parse_scenario(json)
                .map_err(|e| format!("the scenario sent is not valid: {e}")),
        }
    }
}

/// A built-in scenario with the given impact start and assumptions.
fn resolve_builtin(
    id: &str,
    impact_start: SimTime,
    numbers: &[(String, f64)],
    builtins: Builtins,
) -> Result<Scenario, String> {
    let mut scenario =
        (builtins.scenario)(id).ok_or_else(|| format!("no built-in scenario '{id}'"))?;
    scenario
        .set_impact_start(impact_start)
        .map_err(|e| e.to_string())?;
    for (key, value) in numbers {
        scenario
            .set_assumption(key, *value)
            .map_err(|e| e.to_string())?;
    }
    Ok(scenario)
}

/// A safeguard configuration as sent: every enabled safeguard with every parameter's exact
/// value, read and rebuilt through `Config`'s checked setters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireConfig(pub Vec<(String, Vec<(String, f64)>)>);

impl From<&Config> for WireConfig {
    fn from(config: &Config) -> Self {
        WireConfig(
            config
                .enabled()
                .map(|id| {
                    let values = id
                        .params()
                        .iter()
                        .filter_map(|p| Some((p.key.to_string(), config.value(id, p.key)?)))
                        .collect();
                    (id.id().to_string(), values)
                })
                .collect(),
        )
    }
}

impl WireConfig {
    pub fn to_config(&self) -> Result<Config, String> {
        let mut config = Config::none();
        for (id, values) in &self.0 {
            let id = SafeguardId::from_id(id).ok_or_else(|| format!("unknown safeguard '{id}'"))?;
            config.enable(id);
            for (key, value) in values {
                config.set(id, key, *value).map_err(|e| e.to_string())?;
            }
        }
        Ok(config)
    }
}

/// One worker's share of a job: run indices `start..end` of a batch, for every configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Names this part, and this attempt at it, in the replies (see `pool`): unique per part, and
    /// new when a part is given to another worker. Never 0, which answers an unreadable message.
    pub ticket: u64,
    pub scenario: ScenarioRef,
    pub configs: Vec<WireConfig>,
    pub seed: u64,
    pub start: u64,
    pub end: u64,
    /// The room's decisions and curveballs of an exercise, as the command line writes them
    /// (`15:40=roll_back`; curveballs prefixed `curveball:`), read with the scenario's exercise.
    pub interventions: Vec<String>,
    /// A paired job's other arm (see `outage_sim::montecarlo::Batch::paired`): every run is run
    /// again with these interventions instead, and the worker also returns the run-by-run
    /// differences.
    pub versus: Option<Vec<String>>,
}

/// From the page to a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Run a part (after the parts already queued).
    Run(Part),
    /// Stop the part with this ticket now, or drop it if it has not started.
    Cancel { ticket: u64 },
}

/// From a worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker has started and listens.
    Ready,
    /// Run indices of the part done so far.
    Progress { ticket: u64, done: u64 },
    /// The part is done: one aggregate per configuration, in the part's order.
    Done {
        ticket: u64,
        aggregates: Vec<Aggregate>,
        /// A paired job's differences, one per configuration (empty otherwise).
        differences: Vec<Differences>,
    },
    /// The part was stopped by a `Cancel`.
    Cancelled { ticket: u64 },
    /// The part could not run (a message that does not make sense); says why. Ticket 0: the
    /// message itself could not be read.
    Failed { ticket: u64, message: String },
}

/// A message as bytes.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    postcard::to_allocvec(message).expect("messages always serialize")
}

/// A message from bytes; the error says what was wrong.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("unreadable message: {e}"))
}

/// The performance mark under which a thread publishes how many engine runs it has simulated
/// (its `detail` is the count; see `Runner::simulated`). The page and each worker write it in
/// their own performance timeline, so a test can read, thread by thread, where the Monte
/// Carlo work ran.
pub const SIMULATED_MARK: &str = "mc-simulated-runs";

/// Publishes `runner`'s count in `performance` (the calling thread's timeline) as the one
/// `SIMULATED_MARK`.
#[cfg(target_arch = "wasm32")]
pub fn publish_simulated(performance: &web_sys::Performance, runner: &Runner) {
    use wasm_bindgen::{JsCast, JsValue};
    let options = js_sys::Object::new();
    let detail = JsValue::from_f64(runner.simulated() as f64);
    if js_sys::Reflect::set(&options, &JsValue::from_str("detail"), &detail).is_ok() {
        performance.clear_marks_with_mark_name(SIMULATED_MARK);
        let marking: &MarkWithDetail = performance.unchecked_ref();
        let _ = marking.mark(SIMULATED_MARK, &options);
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A `Performance` seen through `mark(name, { detail })`, which web-sys offers only behind
    /// its unstable APIs.
    #[wasm_bindgen(js_name = Performance)]
    type MarkWithDetail;

    #[wasm_bindgen(method, catch)]
    fn mark(
        this: &MarkWithDetail,
        name: &str,
        options: &js_sys::Object,
    ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
}

struct Active {
    ticket: u64,
    batch: Batch,
}

/// A worker's logic without its input and output: it takes messages, runs steps when told, and
/// returns the messages to send. The caller decides how long a step is and when to yield.
pub struct Runner {
    builtins: Builtins,
    queue: VecDeque<Active>,
    /// Engine runs this runner has simulated (each run index counts once per configuration).
    simulated: u64,
}

impl Runner {
    pub fn new(builtins: Builtins) -> Runner {
        Runner {
            builtins,
            queue: VecDeque::new(),
            simulated: 0,
        }
    }

    /// Takes a message; returns what to answer at once.
    pub fn handle(&mut self, message: ToWorker) -> Vec<FromWorker> {
        match message {
            ToWorker::Run(part) => match prepare(&part, self.builtins) {
                Ok(batch) => {
                    self.queue.push_back(Active {
                        ticket: part.ticket,
                        batch,
                    });
                    vec![]
                }
                Err(message) => vec![FromWorker::Failed {
                    ticket: part.ticket,
                    message,
                }],
            },
            ToWorker::Cancel { ticket } => {
                let before = self.queue.len();
                self.queue.retain(|a| a.ticket != ticket);
                if self.queue.len() < before {
                    vec![FromWorker::Cancelled { ticket }]
                } else {
                    vec![]
                }
            }
        }
    }

    /// How many engine runs this runner has simulated since it was made (a run index counts
    /// once per configuration). The thread it lives on publishes it, so a test can tell which
    /// thread did the work.
    pub fn simulated(&self) -> u64 {
        self.simulated
    }

    /// True when there is nothing to run.
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty()
    }

    /// Runs up to `max_runs` run indices of the current part. Returns its progress, or its
    /// aggregates when it is done, and moves on to the next part.
    pub fn step(&mut self, max_runs: u64) -> Option<FromWorker> {
        let active = self.queue.front_mut()?;
        let ticket = active.ticket;
        let before = active.batch.progress().0;
        let finished = active.batch.advance(max_runs);
        let configs = active.batch.aggregates().len() as u64;
        self.simulated += (active.batch.progress().0 - before) * configs;
        if finished {
            let done = self.queue.pop_front().expect("a part is running");
            let (aggregates, differences) = done.batch.into_results();
            Some(FromWorker::Done {
                ticket,
                aggregates,
                differences,
            })
        } else {
            Some(FromWorker::Progress {
                ticket,
                done: active.batch.progress().0,
            })
        }
    }
}

fn prepare(part: &Part, builtins: Builtins) -> Result<Batch, String> {
    if part.start > part.end {
        return Err(format!("runs {}..{} are backwards", part.start, part.end));
    }
    let scenario = part.scenario.resolve(builtins)?;
    let configs = part
        .configs
        .iter()
        .map(WireConfig::to_config)
        .collect::<Result<Vec<_>, _>>()?;
    let interventions = read_interventions(&scenario, &part.interventions, builtins)?;
    let runs = part.start..part.end;
    Ok(match &part.versus {
        Some(versus) => Batch::paired(
            &scenario,
            &configs,
            part.seed,
            runs,
            interventions,
            read_interventions(&scenario, versus, builtins)?,
        ),
        None => Batch::part_with(&scenario, &configs, part.seed, runs, interventions),
    })
}

/// The room's interventions from their texts (see `Part::interventions`).
pub fn read_interventions(
    scenario: &Scenario,
    texts: &[String],
    builtins: Builtins,
) -> Result<Interventions, String> {
    if texts.is_empty() {
        return Ok(Interventions::NONE);
    }
    let exercise = builtins
        .exercise_for(scenario)
        .ok_or_else(|| format!("scenario '{}' has no exercise", scenario.id))?;
    let list = texts
        .iter()
        .map(|t| {
            let (text, curveball) = match t.strip_prefix("curveball:") {
                Some(rest) => (rest, true),
                None => (t.as_str(), false),
            };
            exercise
                .parse_intervention(scenario, text, curveball)
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Interventions::new(list).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::montecarlo::split_runs;
    use outage_sim::safeguards::Preset;
    use outage_sim::scenario::builtin;

    fn eptura() -> Scenario {
        builtin("eptura-2024-07-10").unwrap()
    }

    #[test]
    fn a_runner_counts_the_engine_runs_it_simulated() {
        let mut runner = Runner::new(Builtins::FROM_JSON);
        assert_eq!(runner.simulated(), 0);
        let configs = [Config::none(), Preset::PostmortemFix.config()];
        let replies = runner.handle(ToWorker::Run(Part {
            ticket: 1,
            scenario: ScenarioRef::of(&eptura(), Builtins::FROM_JSON),
            configs: configs.iter().map(WireConfig::from).collect(),
            seed: 3,
            start: 10,
            end: 60,
            interventions: vec![],
            versus: None,
        }));
        assert!(replies.is_empty());
        runner.step(20);
        assert_eq!(runner.simulated(), 40, "20 run indices × 2 configurations");
        while !runner.is_idle() {
            runner.step(7);
        }
        assert_eq!(
            runner.simulated(),
            100,
            "the part's 50 run indices × 2 configurations"
        );
        // A cancelled part simulates nothing more.
        runner.handle(ToWorker::Run(Part {
            ticket: 2,
            scenario: ScenarioRef::of(&eptura(), Builtins::FROM_JSON),
            configs: vec![WireConfig::from(&Config::none())],
            seed: 3,
            start: 0,
            end: 1_000,
            interventions: vec![],
            versus: None,
        }));
        runner.step(5);
        runner.handle(ToWorker::Cancel { ticket: 2 });
        assert_eq!(runner.step(5), None);
        assert_eq!(runner.simulated(), 105);
    }

    /// Runs a job the way the page does with `workers` workers: one part each, every message
    /// through its encoding, the parts' aggregates merged as they arrive (last part first).
    fn run_with_workers(
        scenario: &Scenario,
        configs: &[Config],
        seed: u64,
        runs: u64,
        workers: u64,
    ) -> Vec<Aggregate> {
        let mut merged: Vec<Aggregate> = configs.iter().map(|_| Aggregate::new()).collect();
        for range in split_runs(runs, workers).into_iter().rev() {
            let mut runner = Runner::new(Builtins::FROM_JSON);
            let part = ToWorker::Run(Part {
                ticket: 7,
                scenario: ScenarioRef::of(scenario, Builtins::FROM_JSON),
                configs: configs.iter().map(WireConfig::from).collect(),
                seed,
                start: range.start,
                end: range.end,
                interventions: vec![],
                versus: None,
            });
            let sent: ToWorker = decode(&encode(&part)).unwrap();
            assert!(runner.handle(sent).is_empty());
            loop {
                let reply: FromWorker = decode(&encode(&runner.step(97).unwrap())).unwrap();
                match reply {
                    FromWorker::Progress { ticket, done } => {
                        assert_eq!(ticket, 7);
                        assert!(done <= range.end - range.start);
                    }
                    FromWorker::Done { aggregates, .. } => {
                        for (m, a) in merged.iter_mut().zip(&aggregates) {
                            m.merge(a);
                        }
                        break;
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
            assert!(runner.is_idle());
        }
        merged
    }

    #[test]
    fn any_number_of_workers_gives_the_same_aggregates_as_one_batch() {
        let mut scenario = eptura();
        scenario.set_assumption("sites", 40.0).unwrap();
        let mut custom = Config::from_specs(&["uptime_check:interval_s=30", "auto_page"]).unwrap();
        custom
            .set(SafeguardId::AutoPage, "answer_probability", 0.123_456_789)
            .unwrap();
        let configs = [Config::none(), Preset::DefenceInDepth.config(), custom];
        let whole = outage_sim::montecarlo::Batch::new(&scenario, &configs, 3, 2_500);
        let mut whole = whole;
        whole.advance(u64::MAX);
        for workers in [1, 2, 3, 8] {
            let merged = run_with_workers(&scenario, &configs, 3, 2_500, workers);
            assert_eq!(merged, whole.aggregates(), "{workers} workers");
        }
    }

    #[test]
    fn scenarios_and_configurations_cross_exactly() {
        let mut scenario = eptura();
        scenario
            .set_impact_start(scenario.clock.on_origin_day(12, 3))
            .unwrap();
        scenario
            .set_assumption("events_per_site_hour", 12.345_678_901)
            .unwrap();
        let r: ScenarioRef =
            decode(&encode(&ScenarioRef::of(&scenario, Builtins::FROM_JSON))).unwrap();
        assert!(
            matches!(r, ScenarioRef::Builtin { .. }),
            "numbers travel by value"
        );
        assert_eq!(r.resolve(Builtins::FROM_JSON).unwrap(), scenario);
        let mut config =
            Config::from_specs(&["canary", "slo_burn_alert:measured_at=service"]).unwrap();
        config
            .set(SafeguardId::Canary, "first_wave_share", 0.123_456_789_012)
            .unwrap();
        let wire: WireConfig = decode(&encode(&WireConfig::from(&config))).unwrap();
        assert_eq!(wire.to_config().unwrap(), config);
    }

    #[test]
    fn a_variant_with_steps_of_its_own_travels_as_a_file_and_runs_the_same() {
        let mut scenario = eptura();
        scenario
            .set_step(outage_sim::scenario::StepId::Mobilize, Some(120_000), None)
            .unwrap();
        scenario.set_assumption("sites", 400.0).unwrap();
        let r: ScenarioRef =
            decode(&encode(&ScenarioRef::of(&scenario, Builtins::FROM_JSON))).unwrap();
        assert!(matches!(r, ScenarioRef::Json(_)));
        assert_eq!(r.resolve(Builtins::FROM_JSON).unwrap(), scenario);
        let configs = [Config::none(), Preset::PostmortemFix.config()];
        let mut whole = outage_sim::montecarlo::Batch::new(&scenario, &configs, 5, 600);
        whole.advance(u64::MAX);
        assert_eq!(
            run_with_workers(&scenario, &configs, 5, 600, 2),
            whole.aggregates()
        );
        let broken = ScenarioRef::Json("{\"steps\": []}".into());
        assert!(broken
            .resolve(Builtins::FROM_JSON)
            .unwrap_err()
            .contains("not valid"));
    }

    #[test]
    fn the_room_s_interventions_cross_as_text() {
        let scenario = eptura();
        let texts = vec![
            "15:40=roll_back".to_string(),
            "curveball:15:30=looper_fails".to_string(),
        ];
        let mut runner = Runner::new(Builtins::FROM_JSON);
        let part = Part {
            ticket: 3,
            scenario: ScenarioRef::of(&scenario, Builtins::FROM_JSON),
            configs: vec![WireConfig::from(&Config::none())],
            seed: 4,
            start: 0,
            end: 500,
            interventions: texts.clone(),
            versus: None,
        };
        assert!(runner.handle(ToWorker::Run(part)).is_empty());
        let aggregates = loop {
            if let Some(FromWorker::Done { aggregates, .. }) = runner.step(1_000) {
                break aggregates;
            }
        };
        let interventions = read_interventions(&scenario, &texts, Builtins::FROM_JSON).unwrap();
        let expected =
            outage_sim::simulate_with(&scenario, &Config::none(), &interventions, 4, 500);
        assert_eq!(aggregates[0], expected);
        assert!(expected.stats(outage_sim::Metric::LostEvents).p50.unwrap() > 0.0);
        let bad = read_interventions(&scenario, &["15:40=dance".to_string()], Builtins::FROM_JSON);
        assert!(bad.unwrap_err().contains("unknown action 'dance'"));
    }

    #[test]
    fn a_paired_job_split_over_workers_gives_the_whole_batch_s_differences() {
        let scenario = eptura();
        let versus = vec!["15:46=roll_back".to_string()];
        let part = |start, end| Part {
            ticket: 5,
            scenario: ScenarioRef::of(&scenario, Builtins::FROM_JSON),
            configs: vec![WireConfig::from(&Config::none())],
            seed: 2,
            start,
            end,
            interventions: vec![],
            versus: Some(versus.clone()),
        };
        let mut merged = Differences::new();
        for range in split_runs(400, 3) {
            let mut runner = Runner::new(Builtins::FROM_JSON);
            let sent: ToWorker =
                decode(&encode(&ToWorker::Run(part(range.start, range.end)))).unwrap();
            assert!(runner.handle(sent).is_empty());
            loop {
                let reply: FromWorker = decode(&encode(&runner.step(150).unwrap())).unwrap();
                if let FromWorker::Done { differences, .. } = reply {
                    merged.merge(&differences[0]);
                    break;
                }
            }
        }
        let interventions = read_interventions(&scenario, &versus, Builtins::FROM_JSON).unwrap();
        let mut whole = Batch::paired(
            &scenario,
            &[Config::none()],
            2,
            0..400,
            outage_sim::Interventions::NONE,
            interventions,
        );
        whole.advance(u64::MAX);
        assert_eq!(&merged, &whole.differences()[0]);
        let back = merged.stats(outage_sim::Metric::TimeToMitigate);
        assert!(
            back.p50.unwrap() < 0.0,
            "rolling back brings the service back sooner"
        );
    }

    #[test]
    fn bad_parts_fail_with_a_reason_and_cancel_drops_a_part() {
        let mut runner = Runner::new(Builtins::FROM_JSON);
        let mut part = Part {
            ticket: 1,
            scenario: ScenarioRef::of(&eptura(), Builtins::FROM_JSON),
            configs: vec![WireConfig(vec![("nonsense".into(), vec![])])],
            seed: 1,
            start: 0,
            end: 10,
            interventions: vec![],
            versus: None,
        };
        let replies = runner.handle(ToWorker::Run(part.clone()));
        assert!(
            matches!(&replies[..], [FromWorker::Failed { ticket: 1, message }] if message.contains("nonsense"))
        );
        part.configs = vec![WireConfig(vec![(
            "uptime_check".into(),
            vec![("interval_s".into(), 1.0)],
        )])];
        let replies = runner.handle(ToWorker::Run(part.clone()));
        assert!(
            matches!(&replies[..], [FromWorker::Failed { message, .. }] if message.contains("out of range"))
        );
        part.configs = vec![WireConfig(vec![])];
        part.ticket = 2;
        assert!(runner.handle(ToWorker::Run(part)).is_empty());
        assert!(!runner.is_idle());
        assert_eq!(
            runner.handle(ToWorker::Cancel { ticket: 2 }),
            vec![FromWorker::Cancelled { ticket: 2 }]
        );
        assert!(runner.is_idle());
        assert!(runner.step(10).is_none());
        assert!(decode::<ToWorker>(&[0xff, 0xff, 0xff])
            .unwrap_err()
            .contains("unreadable"));
    }
}
