//! `outage-sim`: the simulation from the command line, for people preparing material and for
//! tests. It runs exactly what the browser runs. Text for people by default, `--json` for
//! machines; bad input gives one clear line on stderr and a non-zero exit.

use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use serde_json::{json, Map, Value};

use outage_sim::bench;
use outage_sim::metrics::{Metric, Unit};
use outage_sim::montecarlo::{self, rank, simulate};
use outage_sim::replay::as_recorded;
use outage_sim::safeguards::{Config, ParamKind, SafeguardId};
use outage_sim::scenario::{builtin, builtin_ids, parse_scenario, Scenario};
use outage_sim::stats::{Aggregate, MetricStats};
use outage_sim::trace::Detector;
use outage_sim::{human_duration, Outcome};

/// `println!` that stops quietly when the reader has gone away (`outage-sim … | head`), instead of
/// panicking on the broken pipe; other write errors end with a message and status 1.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(err) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if err.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("outage-sim: cannot write the output: {err}");
            std::process::exit(1);
        }
    }};
}

#[derive(Parser)]
#[command(
    name = "outage-sim",
    version,
    about = "Replay the 10 July 2024 Eptura calendar outage and simulate it with safeguards.",
    long_about = "Replay the 10 July 2024 Eptura calendar outage and simulate it with safeguards.\n\n\
        Runs are deterministic: the same scenario, safeguards, assumptions and seed give the same \
        result, here and in the browser. Times are reported in seconds in JSON."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in scenarios.
    Scenarios {
        #[arg(long)]
        json: bool,
    },
    /// List the safeguards with their parameters, defaults and where each default comes from.
    Safeguards {
        #[arg(long)]
        json: bool,
    },
    /// The timeline as it happened, with the source line of every event.
    Replay {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long)]
        json: bool,
    },
    /// Monte Carlo runs of a configuration: ranges of every metric.
    Run(RunArgs),
    /// Rank what each safeguard buys alone, and what the set loses without it.
    Rank(RunArgs),
    /// Check a scenario file and list every problem.
    Validate {
        /// The scenario JSON file.
        file: String,
        #[arg(long)]
        json: bool,
    },
    /// Engine throughput, with no safeguard and with all of them, against a bare event loop.
    Bench {
        /// Runs per configuration.
        #[arg(long, default_value_t = 500_000)]
        runs: u64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ScenarioArgs {
    /// A built-in scenario id (see `outage-sim scenarios`).
    #[arg(long, default_value = "eptura-2024-07-10", conflicts_with = "file")]
    scenario: String,
    /// A scenario JSON file instead of a built-in one.
    #[arg(long)]
    file: Option<String>,
    /// Change an assumption: `impact_start=13:05`, `sites=40`… (repeatable).
    #[arg(long = "assume", value_name = "KEY=VALUE")]
    assume: Vec<String>,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Switch a safeguard on: `ID` or `ID:key=value,key=value` (repeatable).
    #[arg(long = "with", value_name = "ID[:key=value,...]")]
    with: Vec<String>,
    /// Number of seeded runs.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    runs: u64,
    /// The seed; run i of seed S is the same run in every configuration.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also print the counterfactual run (recorded delays, safeguards drawn from the seed).
    #[arg(long)]
    trace: bool,
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version.
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            // Clap's message, on one line, without its usage block.
            let text = err.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            eprintln!(
                "outage-sim: {} (see --help)",
                first.trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("outage-sim: {message}");
            ExitCode::from(2)
        }
    }
}

type Outcome_ = Result<(), String>;

fn execute(command: Command) -> Outcome_ {
    match command {
        Command::Scenarios { json } => scenarios(json),
        Command::Safeguards { json } => safeguards(json),
        Command::Replay { scenario, json } => replay(&load(&scenario)?, json),
        Command::Run(args) => run(&args),
        Command::Rank(args) => ranking(&args),
        Command::Validate { file, json } => validate(&file, json),
        Command::Bench { runs, json } => bench_cmd(runs, json),
    }
}

fn print_json(value: &Value) {
    say!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values serialise")
    );
}

fn load(args: &ScenarioArgs) -> Result<Scenario, String> {
    let mut scenario = match &args.file {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            parse_scenario(&text).map_err(|e| format!("{path} is not a valid scenario: {e}"))?
        }
        None => builtin(&args.scenario).ok_or_else(|| {
            format!(
                "unknown scenario '{}' (built-in: {})",
                args.scenario,
                builtin_ids().collect::<Vec<_>>().join(", ")
            )
        })?,
    };
    for item in &args.assume {
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| format!("--assume '{item}' is not of the form KEY=VALUE"))?;
        scenario
            .set_assumption_text(key.trim(), value)
            .map_err(|e| e.to_string())?;
    }
    Ok(scenario)
}

// --- scenarios, safeguards --------------------------------------------------------------------

fn scenarios(json: bool) -> Outcome_ {
    let list: Vec<Scenario> = builtin_ids().filter_map(builtin).collect();
    if json {
        print_json(&Value::Array(
            list.iter()
                .map(|s| json!({"id": s.id, "title": s.title, "summary": s.summary, "source": s.source}))
                .collect(),
        ));
    } else {
        for s in list {
            say!("{}  {}\n    {}", s.id, s.title, s.source.title);
        }
    }
    Ok(())
}

fn safeguards(json: bool) -> Outcome_ {
    if json {
        let list: Vec<Value> = SafeguardId::ALL
            .iter()
            .map(|id| {
                json!({
                    "id": id.id(),
                    "name": id.name(),
                    "stage": id.stage(),
                    "summary": id.summary(),
                    "params": id.params().iter().map(|p| json!({
                        "key": p.key,
                        "label": p.label,
                        "kind": p.kind,
                        "default": if p.kind == ParamKind::Choice { json!(p.format(p.default)) } else { json!(p.default) },
                        "min": p.min,
                        "max": p.max,
                        "choices": p.choices,
                        "unit": p.unit(),
                        "provenance": p.provenance(),
                        "help": p.help,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        print_json(&Value::Array(list));
        return Ok(());
    }
    for id in SafeguardId::ALL {
        say!(
            "{:<18} {} [{}]\n    {}",
            id.id(),
            id.name(),
            id.stage().label(),
            id.summary()
        );
        for p in id.params() {
            let range = if p.kind == ParamKind::Choice {
                p.choices.join(" | ")
            } else {
                format!("{} – {}", p.format(p.min), p.format(p.max))
            };
            say!(
                "    {:<20} default {:<7} {:<12} ({range})\n        {}: {}",
                p.key,
                p.format(p.default),
                p.unit(),
                p.provenance().kind(),
                p.source_note
            );
        }
        if id.params().is_empty() {
            say!("    (no parameters)");
        }
        say!();
    }
    Ok(())
}

// --- replay --------------------------------------------------------------------------------------

fn replay(s: &Scenario, json: bool) -> Outcome_ {
    let r = as_recorded(s);
    let clock = &s.clock;
    if json {
        let events: Vec<Value> = r
            .entries
            .iter()
            .map(|e| {
                json!({
                    "id": e.id,
                    "at": e.at.map(|t| clock.rfc3339(t)),
                    "utc": e.at.map(|t| clock.rfc3339_utc(t)),
                    "local": e.at.map(|t| clock.hhmm_local(t)),
                    "lane": e.lane,
                    "title": e.title,
                    "assumed": e.assumed,
                    "epilogue": e.epilogue,
                    "note": e.note,
                    "sources": e.sources,
                })
            })
            .collect();
        print_json(&json!({
            "scenario": s.id,
            "time_zone": s.zone_label,
            "events": events,
            "impact_start": clock.rfc3339(r.impact_start),
            "impact_start_assumed": true,
            "reported_duration_s": r.reported_duration / 1000,
            "undetected_window_s": r.undetected_window / 1000,
            "impact_duration_s": r.impact_duration / 1000,
        }));
        return Ok(());
    }
    say!(
        "{}\nTimes in {} (UTC{}) and UTC.\n",
        s.title,
        s.zone_label,
        clock.offset_label()
    );
    for e in &r.entries {
        let (local, utc) = match e.at {
            Some(t) if e.epilogue => (
                format!("{} {}", clock.date_label(t), clock.hhmm_local(t)),
                clock.hhmm_utc(t),
            ),
            Some(t) => (clock.hhmm_local(t), clock.hhmm_utc(t)),
            None => ("unknown".into(), "unknown".into()),
        };
        let flag = if e.assumed { " [assumption]" } else { "" };
        say!(
            "{local:>12}  {utc:>7} UTC  {:<10} {}{flag}",
            e.lane.id(),
            e.title
        );
        for q in &e.sources {
            say!("{:>33}{}: \"{}\"", "", q.section, q.quote);
        }
    }
    say!(
        "\nReported duration (discovery → resolved): {}\nUndetected window (assumed impact start → discovery): {}\nImpact duration (assumed impact start → resolved): {}",
        human_duration(r.reported_duration),
        human_duration(r.undetected_window),
        human_duration(r.impact_duration)
    );
    Ok(())
}

// --- run ---------------------------------------------------------------------------------------

fn config_of(args: &RunArgs) -> Result<Config, String> {
    Config::from_specs(&args.with).map_err(|e| e.to_string())
}

fn safeguards_json(config: &Config) -> Value {
    Value::Array(
        config
            .enabled()
            .map(|id| {
                let params: Map<String, Value> = id
                    .params()
                    .iter()
                    .map(|p| {
                        let v = config.value(id, p.key).expect("known key");
                        let value = match p.kind {
                            ParamKind::Choice => json!(p.format(v)),
                            ParamKind::Count => json!(v as i64),
                            _ => json!(v),
                        };
                        (p.key.to_string(), value)
                    })
                    .collect();
                json!({"id": id.id(), "params": params})
            })
            .collect(),
    )
}

/// Stats in report units: seconds for durations.
fn report_units(metric: Metric, stats: &MetricStats) -> Value {
    let k = if metric.unit() == Unit::Duration {
        0.001
    } else {
        1.0
    };
    let f = |v: Option<f64>| v.map(|v| v * k);
    json!({
        "mean": f(stats.mean),
        "p50": f(stats.p50),
        "p90": f(stats.p90),
        "p99": f(stats.p99),
        "min": f(stats.min),
        "max": f(stats.max),
        "never": stats.never,
        "count": stats.count,
    })
}

fn outcomes_json(a: &Aggregate) -> Value {
    let detected: Map<String, Value> = Detector::ALL
        .iter()
        .map(|d| (d.id().to_string(), json!(a.detected_by[d.index()])))
        .collect();
    let prevented_by: Map<String, Value> = SafeguardId::ALL
        .iter()
        .filter(|id| a.prevented_by(**id) > 0)
        .map(|id| (id.id().to_string(), json!(a.prevented_by(*id))))
        .collect();
    json!({
        "prevented": a.prevented,
        "prevented_by": prevented_by,
        "contained": a.contained,
        "outage": a.outages,
        "detected_by": detected,
        "undetected": a.undetected,
    })
}

fn run(args: &RunArgs) -> Outcome_ {
    let scenario = load(&args.scenario)?;
    let config = config_of(args)?;
    let agg = simulate(&scenario, &config, args.seed, args.runs);
    let counterfactual = args
        .trace
        .then(|| montecarlo::counterfactual(&scenario, &config, args.seed));
    if args.json {
        let metrics: Map<String, Value> = Metric::ALL
            .iter()
            .map(|&m| (m.key().to_string(), report_units(m, &agg.stats(m))))
            .collect();
        let mut out = json!({
            "scenario": scenario.id,
            "runs": args.runs,
            "seed": args.seed,
            "safeguards": safeguards_json(&config),
            "assumptions": {
                "impact_start": scenario.clock.rfc3339(scenario.impact_start()),
                "sites": scenario.assumptions.sites.value,
                "events_per_site_hour": scenario.assumptions.events_per_site_hour.value,
                "replay_horizon_s": scenario.assumptions.replay_horizon_s.value,
            },
            "metrics": metrics,
            "outcomes": outcomes_json(&agg),
        });
        if let Some((record, trace)) = counterfactual {
            out["counterfactual"] = json!({
                "outcome": record.outcome,
                "events": trace.iter().map(|e| json!({
                    "at": scenario.clock.rfc3339(e.at),
                    "lane": e.kind.lane(),
                    "kind": e.kind,
                    "title": e.kind.title(),
                })).collect::<Vec<_>>(),
            });
        }
        print_json(&out);
        return Ok(());
    }
    let baseline =
        (!config.is_empty()).then(|| simulate(&scenario, &Config::none(), args.seed, args.runs));
    say!("{} — {}", scenario.id, scenario.title);
    let specs = config.to_specs();
    say!(
        "Safeguards: {}",
        if specs.is_empty() {
            "none (as it happened)".to_string()
        } else {
            specs.join("  ")
        }
    );
    say!(
        "Runs: {} · seed {} · assumed impact start {} {}\n",
        args.runs,
        args.seed,
        scenario.clock.hhmm_local(scenario.impact_start()),
        scenario.zone_label
    );
    say!(
        "{:<24} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>7}{}",
        "metric",
        "mean",
        "p50",
        "p90",
        "p99",
        "min",
        "max",
        "never",
        if baseline.is_some() {
            "   mean vs as it happened"
        } else {
            ""
        }
    );
    for m in Metric::ALL {
        let st = agg.stats(m);
        let f = |v: Option<f64>| v.map(|v| m.format(v)).unwrap_or_else(|| "—".into());
        let delta = baseline
            .as_ref()
            .and_then(|b| Some(delta_text(m, st.mean?, b.stats(m).mean?)))
            .unwrap_or_default();
        say!(
            "{:<24} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>7}   {}",
            m.label(),
            f(st.mean),
            f(st.p50),
            f(st.p90),
            f(st.p99),
            f(st.min),
            f(st.max),
            st.never,
            delta
        );
    }
    let pct = |n: u64| 100.0 * n as f64 / agg.runs as f64;
    say!(
        "\nOutcomes: prevented {:.1} %, contained {:.1} %, outage {:.1} %",
        pct(agg.prevented),
        pct(agg.contained),
        pct(agg.outages)
    );
    let detected: Vec<String> = Detector::ALL
        .iter()
        .filter(|d| agg.detected_by[d.index()] > 0)
        .map(|d| format!("{} {:.1} %", d.label(), 100.0 * agg.detected_share(*d)))
        .collect();
    if !detected.is_empty() {
        say!("First detected by: {}", detected.join(", "));
    }
    if let Some((record, trace)) = counterfactual {
        say!(
            "\nCounterfactual run (recorded delays; safeguards drawn from seed {}):",
            args.seed
        );
        for e in &trace {
            say!(
                "  {} {}  {:<10} {}",
                scenario.clock.hhmmss_local(e.at),
                scenario.zone_label,
                e.kind.lane().id(),
                e.kind.title()
            );
        }
        if let Outcome::Prevented(by) = record.outcome {
            say!("  Prevented by {}.", by.name());
        }
    }
    Ok(())
}

fn delta_text(m: Metric, value: f64, baseline: f64) -> String {
    let d = value - baseline;
    if d.abs() < 1e-9 {
        return "same".into();
    }
    let sign = if d < 0.0 { "−" } else { "+" };
    format!("{sign}{}", m.format(d.abs()))
}

fn ranking(args: &RunArgs) -> Outcome_ {
    let scenario = load(&args.scenario)?;
    let config = if args.with.is_empty() {
        Config::all()
    } else {
        config_of(args)?
    };
    let r = rank(&scenario, &config, args.seed, args.runs);
    if args.json {
        print_json(&json!({
            "scenario": scenario.id,
            "runs": args.runs,
            "seed": args.seed,
            "full_set": safeguards_json(&config),
            "ranking": r,
        }));
        return Ok(());
    }
    say!(
        "Error budget used per incident (mean over {} runs; prevented runs count as 0).\nAs it happened: {:.0} %   Full set: {:.1} %\n",
        args.runs, r.baseline.error_budget_used_pct, r.full.error_budget_used_pct
    );
    say!(
        "{:<22} {:>12} {:>14} {:>16}",
        "safeguard",
        "alone",
        "saves alone",
        "full set without"
    );
    for v in &r.values {
        let without = v
            .without
            .map(|w| format!("{:.1} %", w.error_budget_used_pct))
            .unwrap_or_else(|| "(not in set)".into());
        say!(
            "{:<22} {:>10.1} % {:>12.1} pt {:>16}",
            v.id.name(),
            v.alone.error_budget_used_pct,
            r.baseline.error_budget_used_pct - v.alone.error_budget_used_pct,
            without
        );
    }
    Ok(())
}

// --- validate ----------------------------------------------------------------------------------

fn validate(path: &str, json: bool) -> Outcome_ {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    match parse_scenario(&text) {
        Ok(s) => {
            if json {
                print_json(&json!({"file": path, "valid": true, "id": s.id, "problems": []}));
            } else {
                say!(
                    "{path}: valid scenario '{}' ({} record events)",
                    s.id,
                    s.record.len()
                );
            }
            Ok(())
        }
        Err(e) => {
            let problems = e.problems();
            if json {
                print_json(&json!({"file": path, "valid": false, "problems": problems}));
            } else {
                for p in &problems {
                    say!("{path}: {p}");
                }
            }
            Err(format!("{path}: {} problem(s)", problems.len()))
        }
    }
}

// --- bench -------------------------------------------------------------------------------------

fn bench_cmd(runs: u64, json: bool) -> Outcome_ {
    let scenario = builtin("eptura-2024-07-10").expect("built-in");
    let timed = |f: &mut dyn FnMut() -> u64| {
        let start = Instant::now();
        let events = f();
        (events, start.elapsed().as_secs_f64())
    };
    let figures = |events: u64, seconds: f64| {
        json!({
            "runs": runs,
            "events": events,
            "seconds": seconds,
            "runs_per_s": runs as f64 / seconds,
            "events_per_s": events as f64 / seconds,
        })
    };
    // Every safeguard but the three that usually prevent the outage, so every detector,
    // the pager, the rollback and the replay actually run.
    let mut responders = Config::all();
    for id in [
        SafeguardId::Review,
        SafeguardId::DeletionGuard,
        SafeguardId::PruneProtection,
    ] {
        responders.disable(id);
    }
    let configs = [
        ("no safeguards", Config::none()),
        ("all thirteen safeguards", Config::all()),
        ("all but the three preventers", responders),
    ];
    // Warm caches and the branch predictor, untimed.
    bench::engine_only(&scenario, &Config::none(), runs.min(50_000), 7);
    let mut engine = Vec::new();
    let mut monte_carlo = Vec::new();
    for (_, config) in &configs {
        let (events, seconds) = timed(&mut || bench::engine_only(&scenario, config, runs, 1));
        engine.push(figures(events, seconds));
        let (events, seconds) = timed(&mut || bench::engine_workload(&scenario, config, runs, 1));
        monte_carlo.push(figures(events, seconds));
    }
    let mut bare_check = 0;
    let (bare_events, bare_s) = timed(&mut || {
        let (events, resolved) = bench::bare_event_loop(&scenario, runs, 1);
        bare_check = resolved;
        events
    });
    let bare = figures(bare_events, bare_s);
    let engine_eps = engine[0]["events_per_s"].as_f64().unwrap_or(0.0);
    let bare_eps = bare["events_per_s"].as_f64().unwrap_or(0.0);
    let ratio = bare_eps / engine_eps;
    if json {
        let mut out = engine[0].clone();
        out["scenario"] = json!(scenario.id);
        out["configuration"] = json!(configs[0].0);
        out["measures"] = json!("engine runs on one core (Engine::run, no aggregation); monte_carlo adds streaming aggregation of every metric");
        out["all_safeguards"] = engine[1].clone();
        out["all_but_preventers"] = engine[2].clone();
        out["monte_carlo"] = json!({
            "no_safeguards": monte_carlo[0],
            "all_safeguards": monte_carlo[1],
            "all_but_preventers": monte_carlo[2],
        });
        out["bare_event_loop"] = bare;
        out["bare_loop_speedup"] = json!(ratio);
        print_json(&out);
        return Ok(());
    }
    let line = |name: &str, v: &Value| {
        say!(
            "  {name:<30} {:>11.0} runs/s {:>13.0} events/s  ({:.1} events/run, {:.3} s)",
            v["runs_per_s"].as_f64().unwrap_or(0.0),
            v["events_per_s"].as_f64().unwrap_or(0.0),
            v["events"].as_f64().unwrap_or(0.0) / runs as f64,
            v["seconds"].as_f64().unwrap_or(0.0)
        );
    };
    say!(
        "Scenario {}, {} runs per line, one core.\nEngine (Engine::run):",
        scenario.id,
        runs
    );
    for ((name, _), v) in configs.iter().zip(&engine) {
        line(name, v);
    }
    say!("Monte Carlo (engine + streaming aggregation of every metric):");
    for ((name, _), v) in configs.iter().zip(&monte_carlo) {
        line(name, v);
    }
    say!("Bare hand-written event loop of the same incident (same draws), no safeguards:");
    line("bare loop", &bare);
    say!("The bare loop handles {ratio:.2}x the engine's events/s (check sum {bare_check}).");
    Ok(())
}
