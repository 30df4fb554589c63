//! `outage-sim`: the simulation from the command line, for people preparing material and for
//! tests. It runs exactly what the browser runs. Text for people by default, `--json` for
//! machines; bad input gives one clear line on stderr and a non-zero exit, and with `--json` a
//! JSON error object on stdout as well.
//!
//! Files are read with the page's limit (`limits::MAX_FILE_BYTES`), refused before reading past
//! it whatever the file says its length is (`/dev/zero` says 0), and without waiting on a pipe
//! that has no writer; their bytes go through the same reader as the page's (`input`). Nothing
//! it prints carries a raw control character: every line goes through `input::visible`.

use std::io::Read as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use serde_json::{json, Map, Value};

use outage_sim::bench;
use outage_sim::branches;
use outage_sim::exercise::{builtin_exercise, parse_exercise_bytes, Exercise};
use outage_sim::input::{self, Kind, Problem};
use outage_sim::intervention::{Intervention, InterventionKind, Interventions};
use outage_sim::metrics::{Metric, Moment, Unit};
use outage_sim::montecarlo::{self, rank, simulate, simulate_with};
use outage_sim::plan::Plan;
use outage_sim::replay::as_recorded;
use outage_sim::safeguards::{Config, ParamKind, SafeguardId};
use outage_sim::scenario::{
    builtin, builtin_ids, parse_scenario_bytes, AssumptionError, Scenario, ScenarioError,
};
use outage_sim::stats::{Aggregate, MetricStats};
use outage_sim::trace::Detector;
use outage_sim::{human_duration, Outcome};

/// `println!` that stops quietly when the reader has gone away (`outage-sim … | head`), instead of
/// panicking on the broken pipe; other write errors end with a message and status 1. Control
/// characters and bidirectional overrides are written as visible escapes (`input::visible`), so
/// text from a file or an argument cannot drive the terminal.
macro_rules! say {
    () => {
        say!("")
    };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        if let Err(err) = writeln!(std::io::stdout().lock(), "{}", outage_sim::input::visible(&line)) {
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
    /// List the safeguards with their parameters, defaults and where each default comes from,
    /// and the scenario assumptions each brings into play.
    Safeguards {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long)]
        json: bool,
    },
    /// List the metrics: what each measures, the moments it starts and stops at, over which
    /// runs it is taken, and where its definition can make a safeguard look worse.
    Metrics {
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
    /// How much the ranking rests on its guesses: every assumption and guessed safeguard chance
    /// at its plausible low and high (documented), how far each safeguard's value and the
    /// ranking's order move, and the break-evens where the first-ranked safeguard changes.
    Sensitivity(RunArgs),
    /// The facilitated exercise of a scenario: phases, injects (times in the scenario's zone
    /// and UTC, what the room is told, questions, what to listen for), curveballs and the
    /// room's actions, with every number's provenance.
    Exercise {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// An exercise JSON file instead of the scenario's built-in one.
        #[arg(long = "exercise", value_name = "FILE")]
        exercise: Option<String>,
        #[command(flatten)]
        options: OptionsArgs,
        #[arg(long)]
        json: bool,
    },
    /// Check a scenario file, or with --exercise an exercise file (against its scenario), and
    /// list every problem.
    Validate {
        /// The scenario JSON file (or the exercise JSON file with --exercise).
        file: String,
        /// FILE is an exercise, checked against --scenario (a built-in id) or --scenario-file.
        #[arg(long)]
        exercise: bool,
        /// The built-in scenario an exercise belongs to.
        #[arg(
            long,
            default_value = "eptura-2024-07-10",
            conflicts_with = "scenario_file"
        )]
        scenario: String,
        /// A scenario JSON file an exercise belongs to.
        #[arg(long = "scenario-file", value_name = "FILE")]
        scenario_file: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Engine throughput, with no safeguard and with all of them, against a bare event loop.
    Bench {
        /// Runs per configuration.
        #[arg(long, default_value_t = 500_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
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
    /// Change a step's delay: `mobilize:median_s=180,sigma=0.3`, `gitops_sync:uniform_max_s=60`
    /// (repeatable; the app's links write the same).
    #[arg(long = "step", value_name = "STEP:key=value,...")]
    step: Vec<String>,
}

/// `exercise --at`: the room's options at a moment of its day.
#[derive(Args)]
struct OptionsArgs {
    /// Also say, for every response action of the room at this moment of its day (HH:MM or
    /// RFC 3339), whether the room could take it, what it assumes and what it would change,
    /// by the same rules as `run --room`.
    #[arg(long = "at", value_name = "HH:MM")]
    at: Option<String>,
    /// The room's decisions so far (as `run --room`, repeatable); only those at or before
    /// --at count.
    #[arg(long = "room", value_name = "HH:MM=ACTION[:args]", requires = "at")]
    room: Vec<String>,
    /// The curveballs fired so far (as `run --curveball`, repeatable).
    #[arg(long = "curveball", value_name = "HH:MM=ID", requires = "at")]
    curveball: Vec<String>,
    /// Safeguards on in the room's day (as `run --with`, repeatable).
    #[arg(long = "with", value_name = "ID[:key=value,...]", requires = "at")]
    with: Vec<String>,
    /// The seed of the room's day (the safeguards' own draws).
    #[arg(long, default_value_t = 1, requires = "at")]
    seed: u64,
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
    /// Also print the counterfactual run (recorded delays, safeguards drawn from the seed); with
    /// --room or --curveball, the room's day.
    #[arg(long)]
    trace: bool,
    /// A decision of the room at a moment: `HH:MM=ACTION[:args]` (repeatable), e.g.
    /// `15:40=roll_back`, `15:40=page_on_call:ack_delay_s=120`,
    /// `15:45=enable_safeguard:uptime_check:interval_s=30`. Actions: page_on_call,
    /// escalate_leadership, roll_back, post_status, start_looper, enable_safeguard (see
    /// `outage-sim exercise`). Every run takes them, the Monte Carlo runs too.
    #[arg(long = "room", value_name = "HH:MM=ACTION[:args]")]
    room: Vec<String>,
    /// A curveball fired at a moment: `HH:MM=ID[:key=value,...]` (repeatable). Curveballs:
    /// image_missing, looper_fails, pager_down, merger_away, second_incident.
    #[arg(long = "curveball", value_name = "HH:MM=ID")]
    curveball: Vec<String>,
    /// The exercise JSON file the numbers of --room and --curveball come from, instead of the
    /// scenario's built-in one.
    #[arg(long = "exercise", value_name = "FILE")]
    exercise: Option<String>,
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
            let message = format!("{} (see --help)", first.trim_start_matches("error: "));
            let json = std::env::args_os().any(|a| a == "--json");
            return fail(&Failure::from(message), json, None);
        }
    };
    let json = cli.command.json();
    let file = cli.command.validated_file();
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(&failure, json, file.as_deref()),
    }
}

/// Says why the command failed: one line on stderr and, with `--json`, a JSON object on stdout
/// (`validate` keeps its report's shape: `file`, `valid`, `problems`).
fn fail(failure: &Failure, json: bool, validated: Option<&str>) -> ExitCode {
    if json {
        let mut out = json!({
            "error": failure.message,
            "problems": failure.problems,
        });
        if let Some(file) = validated {
            out["file"] = json!(file);
            out["valid"] = json!(false);
        }
        print_json(&out);
    }
    eprintln!(
        "outage-sim: {}",
        outage_sim::input::visible(&failure.message)
    );
    ExitCode::from(2)
}

/// Why a command failed: the line for people, and the problems with their paths when there
/// are several (a file's).
struct Failure {
    message: String,
    problems: Vec<Problem>,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            problems: vec![Problem::file(message.clone())],
            message,
        }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::from(message.to_string())
    }
}

impl Command {
    /// Whether the command was asked for JSON.
    fn json(&self) -> bool {
        match self {
            Command::Scenarios { json }
            | Command::Safeguards { json, .. }
            | Command::Metrics { json }
            | Command::Replay { json, .. }
            | Command::Exercise { json, .. }
            | Command::Validate { json, .. }
            | Command::Bench { json, .. } => *json,
            Command::Run(args) | Command::Rank(args) | Command::Sensitivity(args) => args.json,
        }
    }

    /// The file `validate` checks.
    fn validated_file(&self) -> Option<String> {
        match self {
            Command::Validate { file, .. } => Some(file.clone()),
            _ => None,
        }
    }
}

type Outcome_ = Result<(), Failure>;

fn execute(command: Command) -> Outcome_ {
    match command {
        Command::Scenarios { json } => scenarios(json),
        Command::Safeguards { scenario, json } => safeguards(&load(&scenario)?, json),
        Command::Metrics { json } => metrics(json),
        Command::Replay { scenario, json } => replay(&load(&scenario)?, json),
        Command::Run(args) => run(&args),
        Command::Rank(args) => ranking(&args),
        Command::Sensitivity(args) => sensitivity_cmd(&args),
        Command::Exercise {
            scenario,
            exercise,
            options,
            json,
        } => {
            let s = load(&scenario)?;
            let e = load_exercise(&s, exercise.as_deref())?;
            match &options.at {
                Some(at) => options_cmd(&s, &e, &options, at, json),
                None => exercise_cmd(&s, &e, json),
            }
        }
        Command::Validate {
            file,
            exercise: true,
            scenario,
            scenario_file,
            json,
        } => {
            let s = load(&ScenarioArgs {
                scenario,
                file: scenario_file,
                assume: Vec::new(),
                step: Vec::new(),
            })?;
            validate_exercise(&file, &s, json)
        }
        Command::Validate { file, json, .. } => validate(&file, json),
        Command::Bench { runs, json } => bench_cmd(runs, json),
    }
}

/// Prints a JSON document, with hostile characters as JSON escapes (`input::json_visible`):
/// the same data, and nothing raw reaches the terminal.
fn print_json(value: &Value) {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    say!("{}", outage_sim::input::json_visible(&text));
}

/// How long a read may wait for data that does not come (a pipe whose writer is silent).
const READ_PATIENCE: Duration = Duration::from_secs(5);

/// Reads an input file's bytes: refused before reading past the kind's limit, whatever the
/// file says its length is (`/dev/zero` and `/dev/urandom` say 0); a FIFO with no writer ends
/// the read instead of blocking (opened without waiting for a writer, and a silent writer is
/// given `READ_PATIENCE`).
fn read_input(path: &str, kind: Kind) -> Result<Vec<u8>, Failure> {
    let cannot = |e: std::io::Error| Failure::from(format!("cannot read {path}: {e}"));
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(format!("cannot read {path}: it is a directory").into());
    }
    if meta.is_file() && meta.len() > kind.max_bytes as u64 {
        return Err(refused(path, input::too_large(kind, meta.len())));
    }
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let mut waited_since: Option<Instant> = None;
    loop {
        match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                waited_since = None;
                bytes.extend_from_slice(&chunk[..n]);
                if bytes.len() > kind.max_bytes {
                    return Err(refused(
                        path,
                        Problem::file(format!(
                            "is more than {} kB; {} may have at most {} kB ({} bytes), so it was read no further",
                            kind.max_bytes / 1024,
                            kind.what,
                            kind.max_bytes / 1024,
                            kind.max_bytes
                        )),
                    ));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                let since = *waited_since.get_or_insert_with(Instant::now);
                if since.elapsed() > READ_PATIENCE {
                    return Err(format!(
                        "cannot read {path}: no data came for {} s (a pipe whose writer is silent?)",
                        READ_PATIENCE.as_secs()
                    )
                    .into());
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
    Ok(bytes)
}

/// A file refused for one problem.
fn refused(path: &str, problem: Problem) -> Failure {
    Failure {
        message: format!("{path}: {problem}"),
        problems: vec![problem],
    }
}

/// A file refused by the reader: the first problem on the line, all of them in the JSON.
fn invalid(path: &str, what: &str, e: ScenarioError) -> Failure {
    let problems = e.problems();
    Failure {
        message: format!("{path} is not a valid {what}: {e}"),
        problems,
    }
}

fn load(args: &ScenarioArgs) -> Result<Scenario, Failure> {
    let mut scenario = match &args.file {
        Some(path) => {
            let bytes = read_input(path, input::SCENARIO_FILE)?;
            parse_scenario_bytes(&bytes).map_err(|e| invalid(path, "scenario", e))?
        }
        None => builtin(&args.scenario).ok_or_else(|| {
            format!(
                "unknown scenario '{}' (built-in: {})",
                args.scenario,
                builtin_ids().collect::<Vec<_>>().join(", ")
            )
        })?,
    };
    type SetItem = fn(&mut Scenario, &str) -> Result<(), AssumptionError>;
    let flags: [(&str, &[String], char, SetItem); 2] = [
        ("--assume", &args.assume, '=', Scenario::set_assumption_item),
        ("--step", &args.step, ':', Scenario::set_step_item),
    ];
    for (flag, items, separator, set) in flags {
        // The command line resolves nothing silently: a key given twice is refused, with both.
        let mut given: Vec<(&str, &str)> = Vec::new();
        for item in items {
            let (key, value) = item.split_once(separator).unwrap_or((item, ""));
            let (key, value) = (key.trim(), value.trim());
            if let Some((_, first)) = given.iter().find(|(k, _)| *k == key) {
                return Err(format!(
                    "{flag} {key} is given more than once ({first}, then {value}); give it once"
                )
                .into());
            }
            given.push((key, value));
            set(&mut scenario, item).map_err(|e| format!("{flag} {e}"))?;
        }
    }
    Ok(scenario)
}

/// The scenario's exercise: its built-in one, or a file validated against the scenario.
fn load_exercise(s: &Scenario, file: Option<&str>) -> Result<Exercise, Failure> {
    match file {
        Some(path) => {
            let bytes = read_input(path, input::EXERCISE_FILE)?;
            parse_exercise_bytes(&bytes, s).map_err(|e| invalid(path, "exercise", e))
        }
        None => builtin_exercise(&s.id)
            .ok_or_else(|| format!("scenario '{}' has no built-in exercise", s.id).into()),
    }
}

/// The room's decisions (`--room`) and the curveballs (`--curveball`) as typed, read with the
/// exercise's numbers; an error names the option and the item it could not read.
fn parse_interventions(
    s: &Scenario,
    e: &Exercise,
    room: &[String],
    curveballs: &[String],
) -> Result<Vec<Intervention>, Failure> {
    let mut list = Vec::new();
    for (items, curveball, flag) in [(room, false, "--room"), (curveballs, true, "--curveball")] {
        for item in items {
            list.push(
                e.parse_intervention(s, item, curveball)
                    .map_err(|err| format!("{flag} '{item}': {err}"))?,
            );
        }
    }
    Ok(list)
}

/// The interventions of `run --room/--curveball`, with the exercise's numbers.
fn interventions_of(args: &RunArgs, s: &Scenario) -> Result<Interventions, Failure> {
    if args.room.is_empty() && args.curveball.is_empty() {
        return Ok(Interventions::NONE);
    }
    let e = load_exercise(s, args.exercise.as_deref())?;
    let list = parse_interventions(s, &e, &args.room, &args.curveball)?;
    Interventions::new(list).map_err(|e| e.to_string().into())
}

fn interventions_json(s: &Scenario, e: Option<&Exercise>, iv: &Interventions) -> Value {
    Value::Array(
        iv.as_slice()
            .iter()
            .map(|i| {
                json!({
                    "at": s.clock.rfc3339(i.at),
                    "utc": s.clock.rfc3339_utc(i.at),
                    "source": i.source(),
                    "id": i.id(),
                    "text": e.map(|e| e.intervention_text(s, i)),
                })
            })
            .collect(),
    )
}

// --- exercise ----------------------------------------------------------------------------------

fn exercise_cmd(s: &Scenario, e: &Exercise, json: bool) -> Outcome_ {
    let clock = &s.clock;
    if json {
        let mut v = serde_json::to_value(e).expect("an exercise serialises");
        // Times for people and machines, next to the engine's milliseconds.
        if let Some(injects) = v["injects"].as_array_mut() {
            for (j, i) in injects.iter_mut().zip(&e.injects) {
                j["local"] = json!(clock.hhmm_local(i.at));
                j["utc"] = json!(clock.hhmm_utc(i.at));
                j["at"] = json!(clock.rfc3339(i.at));
            }
        }
        if let Some(phases) = v["phases"].as_array_mut() {
            for (j, p) in phases.iter_mut().zip(&e.phases) {
                j["at"] = json!(clock.rfc3339(p.at(s)));
                j["local"] = json!(clock.hhmm_local(p.at(s)));
                j["utc"] = json!(clock.hhmm_utc(p.at(s)));
            }
        }
        if let Some(withheld) = v["withheld"].as_array_mut() {
            for (j, w) in withheld.iter_mut().zip(&e.withheld) {
                j["at"] = json!(clock.rfc3339(w.at));
            }
        }
        v["time_zone"] = json!(s.zone_label);
        print_json(&v);
        return Ok(());
    }
    let both = |t| {
        format!(
            "{} {} / {} UTC",
            clock.hhmm_local(t),
            s.zone_label,
            clock.hhmm_utc(t)
        )
    };
    say!(
        "{}

{}
", e.title, e.brief
    );
    say!("Scenario {} · about {} minutes", s.id, e.duration_minutes);
    say!("\nObjectives:");
    for o in &e.objectives {
        say!("  {:<14} {}: {}", o.id, o.title, o.description);
    }
    say!("\nPhases:");
    for p in &e.phases {
        let assumed = if matches!(p.starts_at, outage_sim::scenario::Anchor::ImpactStart) {
            " [assumption]"
        } else {
            ""
        };
        say!("  {}{assumed}  {} — {}", both(p.at(s)), p.title, p.summary);
    }
    for i in &e.injects {
        say!(
            "\n=== {}  {} (phase {}, about {} min)",
            both(i.at),
            i.title,
            i.phase,
            i.discuss_minutes
        );
        say!("  The room is told:");
        for p in &i.participant_text {
            let mark = if p.illustrative {
                " [illustrative]"
            } else {
                ""
            };
            say!("    {}{mark}", p.text);
        }
        say!("  Questions:");
        for q in &i.questions {
            say!("    - {q}");
        }
        say!("  Listen for:");
        for l in &i.listen_for {
            say!("    - {l}");
        }
        if let Some(note) = &i.facilitator_note {
            say!("  Facilitator only: {note}");
        }
        say!("  Source ({}): \"{}\"", i.source.section, i.source.quote);
    }
    let numbers = |numbers: &[outage_sim::exercise::ExerciseNumber]| {
        for n in numbers {
            say!(
                "      {} = {} {}{}  ({})\n        {}",
                n.key,
                outage_sim::numfmt::trimmed(n.value, 6),
                n.unit.symbol(),
                if n.illustrative {
                    " [illustrative]"
                } else {
                    ""
                },
                n.label,
                n.provenance
            );
        }
    };
    say!("\nCurveballs (run --curveball HH:MM=ID):");
    for c in &e.curveballs {
        say!("  {:<16} {}", c.id.id(), c.title);
        for p in &c.participant_text {
            let mark = if p.illustrative {
                " [illustrative]"
            } else {
                ""
            };
            say!("      The room is told: {}{mark}", p.text);
        }
        say!("      In the model: {}", c.effect);
        numbers(&c.numbers);
        say!("      {}", c.provenance);
    }
    say!("\nThe room's actions (run --room HH:MM=ACTION[:args]):");
    for a in &e.actions {
        say!("  {:<20} {}\n      {}", a.id.id(), a.label, a.help);
        numbers(&a.numbers);
    }
    if !e.withheld.is_empty() {
        say!("\nWithheld from the room until their moment:");
        for w in &e.withheld {
            say!("  \"{}\" until {} ({})", w.term, w.until, both(w.at));
        }
    }
    Ok(())
}

/// `exercise --at`: the room's actions at a moment of its day, by the engine's own rules.
fn options_cmd(s: &Scenario, e: &Exercise, args: &OptionsArgs, at: &str, json: bool) -> Outcome_ {
    let at = s.parse_local_time(at).ok_or_else(|| {
        format!("--at '{at}' is not a time like 15:40 or 2024-07-10T15:40:00-05:00")
    })?;
    let config = Config::from_specs(&args.with).map_err(|e| e.to_string())?;
    let list = parse_interventions(s, e, &args.room, &args.curveball)?;
    let actions = branches::room_options(s, e, &config, &list, args.seed, at)
        .map_err(|err| err.to_string())?;
    let safeguards = branches::safeguard_options(s, &config, &list, args.seed, at)
        .map_err(|err| err.to_string())?;
    let clock = &s.clock;
    if json {
        print_json(&json!({
            "at": clock.rfc3339(at),
            "local": clock.hhmm_local(at),
            "utc": clock.hhmm_utc(at),
            "time_zone": s.zone_label,
            "seed": args.seed,
            "with": config.to_specs(),
            "interventions_so_far": list
                .iter()
                .filter(|i| i.at <= at)
                .map(|i| e.intervention_text(s, i))
                .collect::<Vec<_>>(),
            "actions": actions,
            "safeguards": safeguards,
        }));
        return Ok(());
    }
    say!(
        "The room's actions at {} {} / {} UTC (seed {}):",
        clock.hhmm_local(at),
        s.zone_label,
        clock.hhmm_utc(at),
        args.seed
    );
    for o in &actions {
        say!(
            "
  {:<20} {}",
            o.action.id(),
            o.availability.describe()
        );
        for n in &o.assumes {
            say!("      assumes {}", n.describe());
        }
        say!("      decided now: {}", o.consequence);
    }
    say!(
        "
Switching on a safeguard now (with its defaults):"
    );
    for o in &safeguards {
        say!(
            "  {:<20} {}; {}",
            o.safeguard.id(),
            o.availability.describe(),
            o.consequence
        );
    }
    Ok(())
}

fn validate_exercise(path: &str, s: &Scenario, json: bool) -> Outcome_ {
    let bytes = read_input(path, input::EXERCISE_FILE)?;
    let e = parse_exercise_bytes(&bytes, s).map_err(|e| problems_of(path, e, json))?;
    if json {
        print_json(
            &json!({"file": path, "valid": true, "id": e.id, "scenario": s.id, "problems": []}),
        );
    } else {
        say!(
            "{path}: valid exercise '{}' for scenario '{}' ({} injects, {} curveballs)",
            e.id,
            s.id,
            e.injects.len(),
            e.curveballs.len()
        );
    }
    Ok(())
}

/// A refused file's problems: listed one a line for people (the JSON report lists them).
fn problems_of(path: &str, e: ScenarioError, json: bool) -> Failure {
    let problems = e.problems();
    if !json {
        for p in &problems {
            say!("{path}: {p}");
        }
    }
    Failure {
        message: format!("{path}: {} problem(s)", problems.len()),
        problems,
    }
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

/// The scenario's own delays and assumptions a safeguard brings into play, as JSON.
fn scenario_uses_json(s: &Scenario, id: SafeguardId) -> (Vec<Value>, Vec<Value>) {
    let steps = id
        .scenario_steps()
        .iter()
        .map(|&step| {
            let st = &s.steps[step];
            json!({
                "key": step.key(),
                "label": st.label,
                "median_s": s.median(st) as f64 / 1000.0,
                "sigma": st.sigma,
                "provenance": st.provenance,
            })
        })
        .collect();
    let assumptions = id
        .scenario_assumptions()
        .iter()
        .map(|&a| {
            let n = &s.assumptions[a];
            json!({
                "key": a.key(),
                "label": n.label,
                "value": n.value,
                "unit": n.unit,
                "provenance": n.provenance,
            })
        })
        .collect();
    (steps, assumptions)
}

fn safeguards(s: &Scenario, json: bool) -> Outcome_ {
    if json {
        let list: Vec<Value> = SafeguardId::ALL
            .iter()
            .map(|&id| {
                let (steps, assumptions) = scenario_uses_json(s, id);
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
                    "scenario_steps": steps,
                    "scenario_assumptions": assumptions,
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
                "    {:<20} default {:<7} {:<12} ({range})\n        {}",
                p.key,
                p.format(p.default),
                p.unit(),
                p.provenance(),
            );
        }
        if id.params().is_empty() {
            say!("    (no parameters)");
        }
        for &step in id.scenario_steps() {
            let st = &s.steps[step];
            say!(
                "    uses scenario step {}: {} — median {}\n        {}",
                step.key(),
                st.label,
                human_duration(s.median(st)),
                st.provenance
            );
        }
        for &a in id.scenario_assumptions() {
            let n = &s.assumptions[a];
            say!(
                "    uses scenario assumption {}: {} = {} {}\n        {}",
                a.key(),
                n.label,
                outage_sim::numfmt::trimmed(n.value, 6),
                n.unit,
                n.provenance
            );
        }
        say!();
    }
    Ok(())
}

// --- metrics -------------------------------------------------------------------------------------

fn metrics(json: bool) -> Outcome_ {
    if json {
        let list: Vec<Value> = Metric::ALL
            .iter()
            .map(|&m| {
                let span = m.span_moments();
                json!({
                    "key": m.key(),
                    "label": m.label(),
                    "unit": m.unit(),
                    "better": m.better(),
                    "starts_at": span.map(|(from, _)| from.key()),
                    "stops_at": span.map(|(_, to)| to.key()),
                    "starts_at_label": span.map(|(from, _)| from.label()),
                    "stops_at_label": span.map(|(_, to)| to.label()),
                    "over": m.over(),
                    "definition": m.definition(),
                    "caveat": m.caveat(),
                })
            })
            .collect();
        let moments: Vec<Value> = Moment::ALL
            .iter()
            .map(|m| json!({"key": m.key(), "label": m.label()}))
            .collect();
        print_json(&json!({"metrics": list, "moments": moments}));
        return Ok(());
    }
    for m in Metric::ALL {
        say!("{:<26} {}", m.key(), m.label());
        match m.span_moments() {
            Some((from, to)) => say!("    from {} to {}", from.label(), to.label()),
            None => say!(
                "    {}, not a duration",
                if m.unit() == Unit::Percent {
                    "a percentage"
                } else {
                    "a count"
                }
            ),
        }
        say!("    over {}", m.over().label());
        say!("    {}", m.definition());
        if let Some(caveat) = m.caveat() {
            say!("    Caveat: {caveat}");
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
            "time_zone_note": s.zone_note,
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
        "{}\nTimes in {} (UTC{}) and UTC.",
        s.title,
        s.zone_label,
        clock.offset_label()
    );
    if !s.zone_note.is_empty() {
        say!("{}", s.zone_note);
    }
    say!();
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
        "\nReported duration (discovery → resolved, as the record counts it): {}\nUndetected window (assumed impact start → discovery): {}\nImpact duration (assumed impact start → resolved): {}",
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
    let f = |v: Option<f64>| v.map(|v| metric.unit().in_json(v));
    json!({
        "mean": f(stats.mean),
        "p50": f(stats.p50),
        "p90": f(stats.p90),
        "p99": f(stats.p99),
        "min": f(stats.min),
        "max": f(stats.max),
        "never": stats.never,
        "count": stats.count,
        "over": metric.over(),
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

/// The figures of the single replay of the record (no safeguard, recorded delays), in report
/// units: what "as it happened" is, next to which a Monte Carlo median is calibrated.
fn as_recorded_json(scenario: &Scenario) -> Value {
    let (record, _) = montecarlo::counterfactual(scenario, &Config::none(), 0);
    let values: Map<String, Value> = Metric::ALL
        .iter()
        .filter_map(|&m| Some((m.key().to_string(), json!(m.json_value(&record)?))))
        .collect();
    Value::Object(values)
}

/// Which steps calibration moved, with their recorded delay and the Monte Carlo median.
/// Where the Monte Carlo calibration comes from, its factors, and what to know about it.
fn calibration_json(scenario: &Scenario, config: &Config) -> Value {
    let plan = Plan::new(scenario, config);
    let steps: Map<String, Value> = plan
        .calibration
        .moved()
        .map(|(id, factor)| {
            let step = plan.step(id);
            (
                id.key().to_string(),
                json!({
                    "recorded_s": step.recorded as f64 / 1000.0,
                    "median_s": step.median as f64 / 1000.0,
                    "factor": factor,
                }),
            )
        })
        .collect();
    json!({
        "source": scenario.calibration_note,
        "fixed": "solved once from the scenario as its file states it; a variant, a room decision or a safeguard never solves it again",
        "steps": steps,
        "at_limit": scenario.calibration.at_limit().map(|id| id.key()).collect::<Vec<_>>(),
        "notes": scenario.calibration_notes(),
    })
}

fn trace_json(scenario: &Scenario, trace: &[outage_sim::TraceEvent]) -> Vec<Value> {
    trace
        .iter()
        .map(|e| {
            json!({
                "at": scenario.clock.rfc3339(e.at),
                "lane": e.kind.lane(),
                "kind": e.kind,
                "title": e.kind.title(),
                "assumed": e.kind.assumed(),
            })
        })
        .collect()
}

fn run(args: &RunArgs) -> Outcome_ {
    let scenario = load(&args.scenario)?;
    let config = config_of(args)?;
    let interventions = interventions_of(args, &scenario)?;
    let room = !interventions.is_empty();
    let exercise = if room {
        Some(load_exercise(&scenario, args.exercise.as_deref())?)
    } else {
        None
    };
    let agg = simulate_with(&scenario, &config, &interventions, args.seed, args.runs);
    let counterfactual = (args.trace || room)
        .then(|| montecarlo::room_day(&scenario, &config, &interventions, args.seed));
    if args.json {
        let metrics: Map<String, Value> = Metric::ALL
            .iter()
            .map(|&m| (m.key().to_string(), report_units(m, &agg.stats(m))))
            .collect();
        let assumptions: Map<String, Value> = std::iter::once((
            "impact_start".to_string(),
            json!(scenario.clock.rfc3339(scenario.impact_start())),
        ))
        .chain(
            scenario
                .assumptions
                .iter()
                .map(|(id, a)| (id.key().to_string(), json!(a.value))),
        )
        .collect();
        let mut out = json!({
            "scenario": scenario.id,
            "runs": args.runs,
            "seed": args.seed,
            "safeguards": safeguards_json(&config),
            "assumptions": assumptions,
            "statistics": "Monte Carlo over the runs: mean and percentiles of each metric over the runs its 'over' names (durations over runs with an outage, counts over all runs), 'count' of them; 'as_recorded' is the single replay of the record, which the medians are calibrated to.",
            "metrics": metrics,
            "outcomes": outcomes_json(&agg),
            "as_recorded": as_recorded_json(&scenario),
            "calibration": calibration_json(&scenario, &config),
            "notes": config.notes().iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        });
        if room {
            out["interventions"] = interventions_json(&scenario, exercise.as_ref(), &interventions);
        }
        if let Some((record, trace)) = &counterfactual {
            let values: Map<String, Value> = Metric::ALL
                .iter()
                .map(|&m| (m.key().to_string(), json!(m.json_value(record))))
                .collect();
            let key = if room { "room_day" } else { "counterfactual" };
            if args.trace || room {
                out[key] = json!({
                    "single_run": true,
                    "outcome": record.outcome,
                    "metrics": values,
                    "events": trace_json(&scenario, trace),
                });
            }
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
        "Monte Carlo: {} runs · seed {} · assumed impact start {} {}",
        args.runs,
        args.seed,
        scenario.clock.hhmm_local(scenario.impact_start()),
        scenario.zone_label
    );
    if let Some(e) = &exercise {
        let list: Vec<String> = interventions
            .as_slice()
            .iter()
            .map(|i| {
                let who = match i.kind {
                    InterventionKind::Room(_) => "room",
                    InterventionKind::Curveball(_) => "curveball",
                };
                format!("{who} {}", e.intervention_text(&scenario, i))
            })
            .collect();
        say!("Interventions (every run): {}", list.join("  "));
    }
    say!(
        "Durations are over the {} runs with an outage; counts over all {} runs (prevented runs count as 0).\n",
        agg.runs - agg.prevented,
        agg.runs
    );
    say!(
        "{:<24} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>9} {:>7}{}",
        "metric",
        "mean",
        "p50",
        "p90",
        "p99",
        "min",
        "max",
        "count",
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
            .and_then(|b| Some(m.format_change(st.mean? - b.stats(m).mean?)))
            .unwrap_or_default();
        let flag = if m.caveat().is_some() { "*" } else { "" };
        say!(
            "{:<24} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11} {:>9} {:>7}   {}",
            format!("{}{flag}", m.label()),
            f(st.mean),
            f(st.p50),
            f(st.p90),
            f(st.p99),
            f(st.min),
            f(st.max),
            st.count,
            st.never,
            delta
        );
    }
    say!();
    for m in Metric::ALL {
        if let Some(caveat) = m.caveat() {
            say!("* {}: {caveat}", m.label());
        }
    }
    let plan = Plan::new(&scenario, &config);
    let moved: Vec<String> = plan
        .calibration
        .moved()
        .map(|(id, factor)| {
            let step = plan.step(id);
            format!(
                "{} {} → {} (×{})",
                id.key(),
                human_duration(step.recorded),
                human_duration(step.median),
                outage_sim::numfmt::fixed(factor, 2)
            )
        })
        .collect();
    if !moved.is_empty() {
        say!(
            "Calibrated medians (so the median run's composite durations are the record's; a replay keeps the recorded delays): {}",
            moved.join(", ")
        );
        say!(
            "Calibration: {}; fixed, never solved again for a variant.",
            scenario.calibration_note
        );
    }
    for note in scenario.calibration_notes() {
        say!("Calibration note: {note}");
    }
    for note in config.notes() {
        say!("Note: {note}");
    }
    let pct = |n: u64| 100.0 * n as f64 / agg.runs as f64;
    say!(
        "\nOutcomes (of all {} runs): prevented {:.1} %, contained {:.1} %, outage {:.1} %",
        agg.runs,
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
        say!(
            "First detected by (of the {} runs with an outage): {}",
            agg.outages + agg.contained,
            detected.join(", ")
        );
    }
    if let Some((record, trace)) = counterfactual {
        if room {
            say!(
                "\nThe room's day: one counterfactual run, not a median (recorded delays, the interventions' stated delays; safeguards drawn from seed {}):",
                args.seed
            );
        } else {
            say!(
                "\nOne counterfactual run, not a median (recorded delays; safeguards drawn from seed {}):",
                args.seed
            );
        }
        for e in &trace {
            let flag = if e.kind.assumed().is_some() {
                " [assumption]"
            } else {
                ""
            };
            let flag = match e.kind.intervention() {
                Some(outage_sim::intervention::InterventionSource::Room) => {
                    format!("{flag} [room]")
                }
                Some(outage_sim::intervention::InterventionSource::Curveball) => {
                    format!("{flag} [curveball]")
                }
                None => flag.to_string(),
            };
            say!(
                "  {} {}  {:<10} {}{flag}",
                scenario.clock.hhmmss_local(e.at),
                scenario.zone_label,
                e.kind.lane().id(),
                e.kind.title()
            );
        }
        let assumed: Vec<&str> = trace.iter().filter_map(|e| e.kind.assumed()).collect();
        for note in assumed {
            say!("  [assumption] {note}");
        }
        if let Outcome::Prevented(by) = record.outcome {
            say!("  Prevented by {}.", by.name());
        }
        if room {
            let (recorded, _) = montecarlo::counterfactual(&scenario, &Config::none(), 0);
            say!("  {:<24} {:>12} {:>12}", "", "room's day", "record");
            for m in Metric::ALL {
                let f = |r: &outage_sim::RunRecord| m.shown(r);
                say!(
                    "  {:<24} {:>12} {:>12}",
                    m.label(),
                    f(&record),
                    f(&recorded)
                );
            }
        }
    }
    Ok(())
}

/// What `rank` and `sensitivity` look at: the scenario, and the full set (every safeguard with
/// its defaults unless `--with` names them). Both are about the record, so the room's and the
/// exercise's options are refused, with `why` saying what the command looks at.
fn ranking_inputs(args: &RunArgs, why: &str) -> Result<(Scenario, Config), Failure> {
    if !args.room.is_empty() || !args.curveball.is_empty() || args.exercise.is_some() {
        return Err(format!("{why}; --room, --curveball and --exercise belong to run").into());
    }
    let scenario = load(&args.scenario)?;
    let config = if args.with.is_empty() {
        Config::all()
    } else {
        config_of(args)?
    };
    Ok((scenario, config))
}

fn sensitivity_cmd(args: &RunArgs) -> Outcome_ {
    use outage_sim::sensitivity::{format_level, sensitivity};
    let (scenario, config) =
        ranking_inputs(args, "sensitivity looks at the ranking on the record")?;
    let s = sensitivity(&scenario, &config, args.seed, args.runs);
    if args.json {
        let saves = |v: &[(SafeguardId, f64)]| -> Map<String, Value> {
            v.iter()
                .map(|(id, x)| (id.id().to_string(), json!(x)))
                .collect()
        };
        let rows: Vec<Value> = s
            .rows
            .iter()
            .map(|r| {
                json!({
                    "factor": r.factor.key,
                    "label": r.factor.label,
                    "kind": r.factor.knob,
                    "default": r.factor.default,
                    "low": r.factor.low,
                    "high": r.factor.high,
                    "why": r.factor.basis,
                    "saves_at_low": saves(&r.at_low),
                    "saves_at_high": saves(&r.at_high),
                    "swing_points": r.swing,
                    "first_at_low": r.top_low.id(),
                    "first_at_high": r.top_high.id(),
                    "rank_changes": r.rank_changes,
                })
            })
            .collect();
        print_json(&json!({
            "scenario": scenario.id,
            "runs": s.runs,
            "seed": s.seed,
            "full_set": safeguards_json(&config),
            "value": "error budget per incident (percentage points) a safeguard saves alone against the incident as it happened, with the full set's parameters",
            "first": s.top.id(),
            "saves": saves(&s.base),
            "factors": rows,
            "break_evens": s.break_evens,
            "rivals": s.rivals,
            "tie": s.tie,
            "not_varied": outage_sim::sensitivity::NOT_VARIED,
        }));
        return Ok(());
    }
    say!(
        "What each safeguard saves alone (error budget points per incident), {} runs, seed {}, and how that moves when one guess moves to its plausible low or high.",
        s.runs, s.seed
    );
    say!("First with every guess at its default: {}.\n", s.top.name());
    say!(
        "  {:<58} {:>12} {:>12} {:>9}  {:<24} {}",
        "factor (low … high)",
        "swing (pt)",
        "order moves",
        "",
        "first at low → high",
        "why these"
    );
    for r in &s.rows {
        let f = &r.factor;
        say!(
            "  {:<58} {:>12.1} {:>12} {:>9}  {:<24} {}",
            format!(
                "{} ({} … {})",
                f.key,
                format_level(f, f.low),
                format_level(f, f.high)
            ),
            r.swing,
            r.rank_changes,
            "",
            format!("{} → {}", r.top_low.id(), r.top_high.id()),
            f.basis
        );
    }
    say!("  {}", outage_sim::sensitivity::NOT_VARIED);
    if let Some(t) = &s.tie {
        say!(
            "\n{} and {} are tied: the runs cannot tell them apart ({:+.1} points per incident, 95 % interval {:+.1} to {:+.1}); which of them is first is noise, not a finding.",
            t.first.name(),
            t.second.name().to_lowercase(),
            t.difference.value,
            t.difference.low,
            t.difference.high
        );
    }
    if s.break_evens.is_empty() {
        say!("\nNo guess within its plausible range changes which safeguard ranks first, beyond a tie.");
    } else {
        say!("\nWhere the first place changes:");
        for b in &s.break_evens {
            say!("  {} ({}).", b.statement, b.method);
        }
    }
    if !s.rivals.is_empty() {
        say!("\nWhere a guessed chance decides against the best safeguard of another kind:");
        for b in &s.rivals {
            say!("  {} ({}).", b.statement, b.method);
        }
    }
    Ok(())
}

fn ranking(args: &RunArgs) -> Outcome_ {
    let (scenario, config) = ranking_inputs(args, "rank compares safeguards on the record")?;
    let r = rank(&scenario, &config, args.seed, args.runs);
    if args.json {
        print_json(&json!({
            "scenario": scenario.id,
            "runs": args.runs,
            "seed": args.seed,
            "full_set": safeguards_json(&config),
            "intervals": outage_sim::stats::INTERVALS,
            "ranking": r,
        }));
        return Ok(());
    }
    let dur = |ms: Option<f64>| ms.map_or("—".to_string(), |v| human_duration(v.round() as i64));
    let signed_dur = |ms: Option<f64>| match ms {
        Some(v) if v < 0.0 => format!("−{}", human_duration((-v).round() as i64)),
        Some(v) => format!("+{}", human_duration(v.round() as i64)),
        None => "—".to_string(),
    };
    let pct = |share: f64| format!("{:.1} %", 100.0 * share);
    say!(
        "{} runs per configuration, seed {}. Error budget and lost events: means over all runs\n(prevented runs count as 0) and per outage; times: means over the runs with an outage.\n",
        args.runs, args.seed
    );
    say!(
        "As it happened: error budget {:.0} % per incident, time to detect {}, to mitigate {}, {:.0} events lost.",
        r.baseline.error_budget_used_pct,
        dur(r.baseline.mean_time_to_detect_ms),
        dur(r.baseline.mean_time_to_mitigate_ms),
        r.baseline.mean_lost_events
    );
    say!(
        "Full set:       error budget {:.1} % per incident ({} per outage), prevented {}, time to detect {}, to mitigate {}.\n",
        r.full.error_budget_used_pct,
        r.full
            .error_budget_per_outage_pct
            .map_or("—".into(), |v| format!("{v:.1} %")),
        pct(r.full.prevented_share),
        dur(r.full.mean_time_to_detect_ms),
        dur(r.full.mean_time_to_mitigate_ms),
    );
    let est = |e: Option<outage_sim::stats::Estimate>, f: &dyn Fn(f64) -> String| {
        e.map_or("—".to_string(), |e| {
            format!("{} [{}–{}]", f(e.value), f(e.low), f(e.high))
        })
    };
    let one = |v: f64| format!("{v:.1}");
    let whole = |v: f64| format!("{v:.0}");
    let share = |v: f64| format!("{:.1}", 100.0 * v);
    say!("Alone, against as it happened (error budget in %, prevented in % of runs; expected loss per incident; [95 % interval]):");
    say!(
        "  {:<22} {:>22} {:>8} {:>8} {:>8} {:>20} {:>20} {:>18}",
        "safeguard",
        "budget mean",
        "P50",
        "P90",
        "P99",
        "prevented",
        "outage min",
        "events lost"
    );
    for v in &r.values {
        let a = &v.alone;
        let p = |e: Option<outage_sim::stats::Estimate>| e.map_or("—".into(), |e| one(e.value));
        say!(
            "  {:<22} {:>22} {:>8} {:>8} {:>8} {:>20} {:>20} {:>18}",
            v.id.name(),
            est(a.error_budget, &one),
            p(a.error_budget_p50),
            p(a.error_budget_p90),
            p(a.error_budget_p99),
            est(Some(a.prevented), &share),
            est(a.expected_outage_minutes, &whole),
            est(a.expected_lost_events, &whole),
        );
    }
    say!("  {}", outage_sim::stats::INTERVALS);
    say!("\nWhat the full set loses without it (per outage: when prevention fails):");
    say!(
        "  {:<22} {:>12} {:>14} {:>12} {:>12} {:>10} {:>14}",
        "safeguard",
        "budget",
        "per outage",
        "detect",
        "mitigate",
        "lost",
        "no longer prev."
    );
    for v in &r.values {
        match v.loss {
            Some(l) => say!(
                "  {:<22} {:>+9.2} pt {:>+11.1} pt {:>12} {:>12} {:>+10.0} {:>14}   [{}]",
                v.id.name(),
                l.error_budget_pct,
                l.error_budget_per_outage_pct.unwrap_or(0.0),
                signed_dur(l.time_to_detect_ms),
                signed_dur(l.time_to_mitigate_ms),
                l.lost_events_per_outage.unwrap_or(0.0),
                pct(l.prevented_share),
                l.error_budget.map_or("—".into(), |e| format!(
                    "{:+.2} to {:+.2} pt",
                    e.low, e.high
                )),
            ),
            None => say!("  {:<22} (not in the set)", v.id.name()),
        }
    }
    say!("\nOverlap, in words:");
    for v in &r.values {
        if let Some(words) = v.overlap_words(&r.baseline) {
            say!("  {}: {words}", v.id.name());
        }
    }
    Ok(())
}

// --- validate ----------------------------------------------------------------------------------

fn validate(path: &str, json: bool) -> Outcome_ {
    let bytes = read_input(path, input::SCENARIO_FILE)?;
    let s = parse_scenario_bytes(&bytes).map_err(|e| problems_of(path, e, json))?;
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
