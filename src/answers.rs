//! Answers for decision-makers, as pure functions of Monte Carlo results: the compare table with
//! each configuration's difference from the first (median and P90, signed, better or worse), a
//! plain-language summary line per configuration, and the CSV of the compare table and of the
//! ranking. The compare section draws the table this module builds, and the CSV is written from
//! the same figures, so the two always agree.
//!
//! A metric that looks worse because of how it is defined says so: a summary that reports it
//! worse adds the metric's caveat (`Metric::caveat`).

use outage_sim::metrics::{group_thousands, points, Better, Metric};
use outage_sim::montecarlo::Ranking;
use outage_sim::numfmt::{fixed, trimmed};
use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use outage_sim::stats::Aggregate;

/// What a row of the compare table measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowKind {
    Metric(Metric),
    /// The share of runs in which the outage never happened.
    Prevented,
}

impl RowKind {
    pub fn label(self) -> &'static str {
        match self {
            RowKind::Metric(m) => m.label(),
            RowKind::Prevented => "Prevented",
        }
    }

    /// The unit of the row's figures in the CSV and in the cells' `data-*` values.
    pub fn unit(self) -> &'static str {
        match self {
            RowKind::Metric(m) => m.unit().table_unit(),
            RowKind::Prevented => "% of runs",
        }
    }

    /// A raw value (milliseconds, a count, per cent, a share) in the row's unit.
    fn in_unit(self, v: f64) -> f64 {
        match self {
            RowKind::Metric(m) => m.unit().in_table(v),
            RowKind::Prevented => v * 100.0,
        }
    }

    /// A raw value for people, as the table shows it.
    fn format(self, v: f64) -> String {
        match self {
            RowKind::Metric(m) => m.format(v),
            RowKind::Prevented => format!("{} %", fixed(v * 100.0, 1)),
        }
    }

    /// A raw difference for people: `−51 min`, `+1,200`, `−117 points`; `None` when it is too
    /// small to show.
    fn format_change(self, d: f64) -> Option<String> {
        match self {
            RowKind::Metric(m) if m.negligible(d) => None,
            RowKind::Metric(m) => Some(m.format_change(d)),
            RowKind::Prevented if d.abs() < 0.0005 => None,
            RowKind::Prevented => Some(format!(
                "{}{}",
                if d < 0.0 { "−" } else { "+" },
                points(d.abs() * 100.0)
            )),
        }
    }

    /// Which way a change is good news; more prevented runs are better.
    fn better(self) -> Better {
        match self {
            RowKind::Metric(m) => m.better(),
            RowKind::Prevented => Better::Higher,
        }
    }
}

/// A difference from the first configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// In the row's unit (see `RowKind::unit`).
    pub value: f64,
    /// `−51 min`, `same`.
    pub text: String,
    /// `Some(true)` better, `Some(false)` worse, `None` neither (or the same).
    pub better: Option<bool>,
}

impl Change {
    fn between(kind: RowKind, first: Option<f64>, this: Option<f64>) -> Option<Change> {
        let d = this? - first?;
        let Some(text) = kind.format_change(d) else {
            return Some(Change {
                value: 0.0,
                text: "same".into(),
                better: None,
            });
        };
        Some(Change {
            value: kind.in_unit(d),
            text,
            better: kind.better().verdict(d),
        })
    }

    /// The direction of the change: `▼` down, `▲` up, nothing for the same.
    pub fn arrow(&self) -> &'static str {
        if self.value < 0.0 {
            "▼ "
        } else if self.value > 0.0 {
            "▲ "
        } else {
            ""
        }
    }

    /// `▼ −51 min better`, `▲ +11 min worse`, `▲ +95 points better`: the arrow gives the
    /// direction and the word the verdict, so neither rests on colour.
    pub fn marked(&self) -> String {
        match self.better {
            Some(true) => format!("{}{} better", self.arrow(), self.text),
            Some(false) => format!("{}{} worse", self.arrow(), self.text),
            None => format!("{}{}", self.arrow(), self.text),
        }
    }

    /// The change with its direction only (`▼ −1 h 53 min`), beside a `marked` one.
    pub fn short(&self) -> String {
        format!("{}{}", self.arrow(), self.text)
    }
}

/// One configuration's figures in a row.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Median and P90 in the row's unit (the prevented row has one figure, in `p50`).
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    /// As the table shows them.
    pub p50_text: String,
    pub p90_text: Option<String>,
    /// The difference from the first configuration (`None` in the first column).
    pub diff_p50: Option<Change>,
    pub diff_p90: Option<Change>,
    /// How many runs the figures are taken over (those with the metric, or every run).
    pub over: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
}

/// The compare table: one row per metric, one cell per configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareTable {
    pub names: Vec<String>,
    pub rows: Vec<Row>,
}

/// The rows of the compare table, in order.
pub fn row_kinds() -> impl Iterator<Item = RowKind> {
    Metric::COMPARED
        .into_iter()
        .map(RowKind::Metric)
        .chain([RowKind::Prevented])
}

/// The raw median and P90 of a row for one configuration.
fn raw(kind: RowKind, a: &Aggregate) -> (Option<f64>, Option<f64>) {
    match kind {
        RowKind::Metric(m) => {
            let s = a.stats(m);
            (s.p50, s.p90)
        }
        RowKind::Prevented => (Some(a.prevented_share()), None),
    }
}

/// How many runs a row's figures are taken over for one configuration.
fn over(kind: RowKind, a: &Aggregate) -> u64 {
    match kind {
        RowKind::Metric(m) => a.stats(m).count,
        RowKind::Prevented => a.runs,
    }
}

/// Builds the table from one aggregate per configuration (named in the same order).
pub fn compare_table(names: &[String], aggregates: &[Aggregate]) -> CompareTable {
    let rows = row_kinds()
        .map(|kind| {
            let first = aggregates.first().map(|a| raw(kind, a));
            let cells = aggregates
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let (p50, p90) = raw(kind, a);
                    let (f50, f90) = first.unwrap_or((None, None));
                    Cell {
                        p50: p50.map(|v| kind.in_unit(v)),
                        p90: p90.map(|v| kind.in_unit(v)),
                        p50_text: p50
                            .map(|v| kind.format(v))
                            .unwrap_or_else(|| "no outage".into()),
                        p90_text: p90.map(|v| kind.format(v)),
                        diff_p50: (i > 0).then(|| Change::between(kind, f50, p50)).flatten(),
                        diff_p90: (i > 0).then(|| Change::between(kind, f90, p90)).flatten(),
                        over: over(kind, a),
                    }
                })
                .collect();
            Row { kind, cells }
        })
        .collect();
    CompareTable {
        names: names.to_vec(),
        rows,
    }
}

impl CompareTable {
    fn row(&self, kind: RowKind) -> Option<&Row> {
        self.rows.iter().find(|r| r.kind == kind)
    }

    /// The plain-language summary of configuration `i`: against the first for `i > 0`.
    pub fn summary(&self, i: usize) -> String {
        let name = self.names.get(i).cloned().unwrap_or_default();
        let prevented = self
            .row(RowKind::Prevented)
            .and_then(|r| r.cells.get(i))
            .and_then(|c| c.p50)
            .unwrap_or(0.0);
        let share = prevented;
        let prevented = if prevented >= 100.0 {
            "prevented in every run".to_string()
        } else if prevented < 0.05 {
            "not prevented".to_string()
        } else {
            format!("prevented in {}\u{a0}% of runs", fixed(prevented, 1))
        };
        let headline = [
            Metric::TimeToDetect,
            Metric::TimeToMitigate,
            Metric::ErrorBudgetUsed,
        ];
        let lower = |m: Metric| lower_first(m.label());
        let short = |m: Metric| match m {
            Metric::ErrorBudgetUsed => "error budget".to_string(),
            m => lower(m),
        };
        if i == 0 {
            let figures: Vec<String> = headline
                .iter()
                .filter_map(|&m| {
                    let cell = self.row(RowKind::Metric(m))?.cells.first()?;
                    Some(format!("{} {}", short(m), unbroken(&cell.p50_text)))
                })
                .collect();
            return format!(
                "{name}: the baseline — median {}, {prevented}.",
                figures.join(", ")
            );
        }
        let figures: Vec<String> = headline
            .iter()
            .filter_map(|&m| {
                let change = self
                    .row(RowKind::Metric(m))?
                    .cells
                    .get(i)?
                    .diff_p50
                    .as_ref()?;
                Some(match change.better {
                    None => format!("{} unchanged", short(m)),
                    _ => format!("{} {}", short(m), unbroken(&change.text)),
                })
            })
            .collect();
        // Durations are taken over the runs with an outage: say so when some were prevented.
        let median = if share > 0.0 {
            "over the runs with an outage, median"
        } else {
            "median"
        };
        let mut line = if figures.is_empty() {
            format!("{name}: {prevented}")
        } else {
            format!("{name}: {median} {}, {prevented}", figures.join(", "))
        };
        // Worse figures that matter (at least 5 % of the first's), each with why its
        // definition can make it look worse.
        let worse: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| {
                let RowKind::Metric(m) = r.kind else {
                    return None;
                };
                let cell = r.cells.get(i)?;
                let change = cell.diff_p50.as_ref()?;
                let reference = r.cells.first()?.p50?;
                let material = change.value.abs() >= 0.05 * reference.abs();
                (change.better == Some(false) && material).then(|| match m.caveat() {
                    Some(caveat) => {
                        format!("{} {} — {}", lower(m), change.text, lower_first(caveat))
                    }
                    None => format!("{} {}", lower(m), change.text),
                })
            })
            .collect();
        if !worse.is_empty() {
            line.push_str(&format!("; worse: {}", worse.join("; ")));
        }
        if !line.ends_with('.') {
            line.push('.');
        }
        line
    }
}

impl CompareTable {
    /// Runs per configuration (every run counts in the prevented row).
    pub fn runs(&self) -> u64 {
        self.row(RowKind::Prevented)
            .and_then(|r| r.cells.first())
            .map_or(0, |c| c.over)
    }

    /// The range of the headline figures of configuration `i`, for a line that stands alone:
    /// `P50–P90: time to detect 8 min–15 min, … (10,000 runs)`, saying how many runs had an
    /// outage when the durations are taken over fewer than all of them.
    pub fn range_text(&self, i: usize) -> String {
        let figures: Vec<String> = HEADLINE_METRICS
            .iter()
            .filter_map(|&m| {
                let cell = self.row(RowKind::Metric(m))?.cells.get(i)?;
                let p90 = cell.p90_text.as_ref()?;
                Some(format!("{} {}–{}", short_name(m), cell.p50_text, p90))
            })
            .collect();
        let runs = self.runs();
        let with_outage = self
            .row(RowKind::Metric(Metric::TimeToDetect))
            .and_then(|r| r.cells.get(i))
            .map_or(runs, |c| c.over);
        let counted = if with_outage < runs {
            format!(
                "{} runs, {} of them with an outage",
                group_thousands(runs as i64),
                group_thousands(with_outage as i64)
            )
        } else {
            format!("{} runs", group_thousands(runs as i64))
        };
        if figures.is_empty() {
            format!("No outage in any of {counted}.")
        } else {
            format!("P50–P90: {} ({counted}).", figures.join(", "))
        }
    }

    /// The summary lines as text to paste: what was compared and on what, one line per
    /// configuration with its range and run count, and the link that reopens the view.
    pub fn copy_text(&self, facts: &Reproduction) -> String {
        let mut out = format!(
            "Outage Drill: {} configurations compared on {}, seed {}, {} runs each.\n",
            self.names.len(),
            facts.scenario_said(),
            facts.seed,
            group_thousands(facts.runs as i64)
        );
        for i in 0..self.names.len() {
            out.push_str(&format!(
                "- {} {}\n",
                plain(&self.summary(i)),
                plain(&self.range_text(i))
            ));
        }
        out.push_str(&format!("Reopen this view: {}\n", facts.link));
        out
    }
}

/// The figures a summary line names, in order.
const HEADLINE_METRICS: [Metric; 3] = [
    Metric::TimeToDetect,
    Metric::TimeToMitigate,
    Metric::ErrorBudgetUsed,
];

/// A metric's name inside a sentence: `time to detect`, `error budget`.
fn short_name(m: Metric) -> String {
    match m {
        Metric::ErrorBudgetUsed => "error budget".to_string(),
        m => lower_first(m.label()),
    }
}

/// Text for the clipboard: ordinary spaces (some editors show no-break spaces as marks).
fn plain(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

/// A configuration as the reproduction facts name it.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedConfig {
    pub name: String,
    pub config: Config,
}

/// What reproduces a set of Monte Carlo figures, at the head of the CSVs and the copied text:
/// the scenario (id, file format version, where it came from, the variant's own numbers), the
/// configurations with every parameter, the seed and runs, the app's version and a link that
/// reopens the view. The command lines use `outage-sim`'s words, so a figure can be re-run.
#[derive(Clone, Debug, PartialEq)]
pub struct Reproduction {
    pub scenario_id: String,
    pub scenario_title: String,
    /// The file this scenario was imported from; `None` for a built-in scenario.
    pub file: Option<String>,
    /// The variant's own numbers against the scenario as loaded, each an `outage-sim` option
    /// without its dashes (`assume sites=400`, `step mobilize:median_s=180`), so that a
    /// spreadsheet does not take the cell for a formula.
    pub changes: Vec<String>,
    pub configs: Vec<NamedConfig>,
    pub seed: u64,
    /// Runs per configuration.
    pub runs: u64,
    /// `0.1.0 (build 1a2b3c)`.
    pub app_version: String,
    pub link: String,
}

/// The variant's own numbers against the scenario as loaded, as `outage-sim` options without
/// their dashes: the impact start (RFC 3339, exact to the second), each assumption, each step's
/// delay.
pub fn variant_options(base: &Scenario, scenario: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    if scenario.impact_start() != base.impact_start() {
        out.push(format!(
            "assume impact_start={}",
            scenario.clock.rfc3339(scenario.impact_start())
        ));
    }
    for ((id, a), (_, b)) in scenario.assumptions.iter().zip(base.assumptions.iter()) {
        if a.value != b.value {
            out.push(format!("assume {}={}", id.key(), a.value));
        }
    }
    for item in crate::state::link::step_items(base, scenario) {
        out.push(format!("step {item}"));
    }
    out
}

/// Every safeguard of a configuration with every parameter, exactly, in `--with`'s syntax:
/// `uptime_check:interval_s=60,failures=2`; `none` for none.
pub fn safeguards_with_parameters(config: &Config) -> String {
    let items: Vec<String> = config
        .enabled()
        .map(|id| {
            let params: Vec<String> = id
                .params()
                .iter()
                .filter_map(|p| Some(format!("{}={}", p.key, p.exact(config.value(id, p.key)?))))
                .collect();
            if params.is_empty() {
                id.id().to_string()
            } else {
                format!("{}:{}", id.id(), params.join(","))
            }
        })
        .collect();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(" ")
    }
}

/// The address of the view with the section it should open at: any `section=` part of the
/// fragment is replaced.
pub fn link_to_section(href: &str, section: &str) -> String {
    let (page, fragment) = href.split_once('#').unwrap_or((href, ""));
    let mut parts: Vec<&str> = fragment
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("section="))
        .collect();
    let section = format!("section={section}");
    parts.push(&section);
    format!("{page}#{}", parts.join("&"))
}

impl Reproduction {
    /// The scenario in words: `eptura-2024-07-10 (a variant: …)`.
    pub fn scenario_said(&self) -> String {
        let mut text = self.scenario_id.clone();
        if let Some(file) = &self.file {
            text.push_str(&format!(" from the file {file}"));
        }
        if !self.changes.is_empty() {
            text.push_str(&format!(" (a variant: {})", self.changes.join(", ")));
        }
        text
    }

    /// `outage-sim` options that choose the scenario, the variant's numbers, the seed and runs.
    fn common_options(&self) -> String {
        let mut out = match &self.file {
            Some(file) => format!("--file {}", crate::download::file_name(file, "", "json")),
            None => format!("--scenario {}", self.scenario_id),
        };
        for change in &self.changes {
            out.push_str(&format!(" --{change}"));
        }
        out.push_str(&format!(" --seed {} --runs {}", self.seed, self.runs));
        out
    }

    /// The command line that gives a configuration's figures: `outage-sim run …`.
    pub fn run_command(&self, config: &Config) -> String {
        let mut out = format!("outage-sim run {}", self.common_options());
        for item in config.to_specs() {
            out.push_str(&format!(" --with {item}"));
        }
        out
    }

    /// The command line that gives a ranking against the set `full`: `outage-sim rank …`.
    pub fn rank_command(&self, full: &Config) -> String {
        let mut out = format!("outage-sim rank {}", self.common_options());
        for item in full.to_specs() {
            out.push_str(&format!(" --with {item}"));
        }
        out
    }

    /// The facts every CSV starts with, as rows of a label and its values.
    fn head_rows(&self, what: &str) -> String {
        let row = |label: &str, values: &[&str]| {
            let mut fields = vec![text_field(label)];
            fields.extend(values.iter().map(|v| text_field(v)));
            csv_line(&fields)
        };
        let mut out = row("Outage Drill", &[what]);
        out.push_str(&row("Scenario", &[&self.scenario_id, &self.scenario_title]));
        let version = format!("scenario file format {}", outage_sim::scenario::SCHEMA);
        let origin = match &self.file {
            Some(file) => format!("imported from the file {file}"),
            None => "built in".to_string(),
        };
        out.push_str(&row("Scenario version", &[&version, &origin]));
        let changes = if self.changes.is_empty() {
            "none".to_string()
        } else {
            self.changes.join("; ")
        };
        out.push_str(&row("Variant changes", &[&changes]));
        out.push_str(&row("Seed", &[&self.seed.to_string()]));
        out.push_str(&row("Runs per configuration", &[&self.runs.to_string()]));
        out.push_str(&row("App version", &[&self.app_version]));
        out.push_str(&row("Link", &[&self.link]));
        out
    }

    /// The CSV head of a compare: the facts, then a row per configuration with its safeguards
    /// (every parameter) and its command line, then an empty row before the table.
    pub fn compare_head(&self) -> String {
        let mut out = self.head_rows("Compare configurations");
        out.push_str(&csv_line(
            &[
                "Configuration",
                "Name",
                "Safeguards with parameters",
                "Command line",
            ]
            .map(text_field),
        ));
        for (i, c) in self.configs.iter().enumerate() {
            out.push_str(&csv_line(&[
                (i + 1).to_string(),
                text_field(&c.name),
                text_field(&safeguards_with_parameters(&c.config)),
                text_field(&self.run_command(&c.config)),
            ]));
        }
        out.push_str("\r\n");
        out
    }

    /// The CSV head of a ranking against the set `full`: the facts, the set with every
    /// parameter and the command line, then an empty row before the table.
    pub fn ranking_head(&self, full: &Config) -> String {
        let mut out = self.head_rows("What each safeguard buys");
        out.push_str(&csv_line(&[
            text_field("Full set"),
            text_field(&safeguards_with_parameters(full)),
        ]));
        out.push_str(&csv_line(&[
            text_field("Command line"),
            text_field(&self.rank_command(full)),
        ]));
        out.push_str("\r\n");
        out
    }
}

/// A figure that does not break across lines (`2 h 26 min`).
fn unbroken(text: &str) -> String {
    text.replace(' ', "\u{a0}")
}

/// `Time to detect` → `time to detect`.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect::<String>())
        .unwrap_or_default()
}

/// One CSV field, quoted when it must be (RFC 4180); text that a spreadsheet would read as a
/// formula (`=`, `+`, `-`, `@` first) is prefixed with `'`, since names are the user's text.
fn text_field(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A figure for the CSV: up to two decimals, `.` as the decimal point, ASCII minus; empty
/// when there is none.
pub fn csv_number(v: Option<f64>) -> String {
    v.map(|v| trimmed(v, 2)).unwrap_or_default()
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields.join(",");
    line.push_str("\r\n");
    line
}

/// The compare table as CSV, after the facts that reproduce it (`Reproduction::compare_head`):
/// a row per metric with its unit, then each configuration's median and P90 and (after the
/// first) their differences from the first.
pub fn compare_csv(table: &CompareTable, facts: &Reproduction) -> String {
    let first = table.names.first().cloned().unwrap_or_default();
    let mut header = vec![text_field("Metric"), text_field("Unit")];
    for (i, name) in table.names.iter().enumerate() {
        header.push(text_field(&format!("{name} median")));
        header.push(text_field(&format!("{name} P90")));
        if i > 0 {
            header.push(text_field(&format!("{name} median vs {first}")));
            header.push(text_field(&format!("{name} P90 vs {first}")));
        }
    }
    let mut out = facts.compare_head();
    out.push_str(&csv_line(&header));
    for row in &table.rows {
        let mut fields = vec![text_field(row.kind.label()), text_field(row.kind.unit())];
        for (i, cell) in row.cells.iter().enumerate() {
            fields.push(csv_number(cell.p50));
            fields.push(csv_number(cell.p90));
            if i > 0 {
                fields.push(csv_number(cell.diff_p50.as_ref().map(|c| c.value)));
                fields.push(csv_number(cell.diff_p90.as_ref().map(|c| c.value)));
            }
        }
        out.push_str(&csv_line(&fields));
    }
    out
}

/// A ranking row's figures: error budget points saved alone, mean time to detect alone
/// (minutes), points the set loses without it (`None` when not in the set).
pub fn ranking_figures(r: &Ranking) -> Vec<(String, f64, Option<f64>, Option<f64>)> {
    let base = r.baseline.error_budget_used_pct;
    r.values
        .iter()
        .map(|v| {
            (
                v.id.name().to_string(),
                base - v.alone.error_budget_used_pct,
                v.alone.mean_time_to_detect_ms.map(|t| t / 60_000.0),
                v.without
                    .map(|w| w.error_budget_used_pct - r.full.error_budget_used_pct),
            )
        })
        .collect()
}

/// The ranking against the set `full` as CSV, after the facts that reproduce it
/// (`Reproduction::ranking_head`): a row per safeguard in the table's order.
pub fn ranking_csv(r: &Ranking, config: &Config, full: &Config, facts: &Reproduction) -> String {
    let mut out = facts.ranking_head(full);
    out.push_str(&csv_line(
        &[
            "Safeguard",
            "Alone saves (error budget points)",
            "Alone: mean time to detect (min)",
            "Set loses without it (error budget points)",
            "On in the what-if",
        ]
        .map(text_field),
    ));
    for ((name, saves, ttd, loses), v) in ranking_figures(r).into_iter().zip(&r.values) {
        out.push_str(&csv_line(&[
            text_field(&name),
            csv_number(Some(saves)),
            csv_number(ttd),
            csv_number(loses),
            text_field(if config.is_enabled(v.id) { "yes" } else { "no" }),
        ]));
    }
    out
}

/// The ranking against the set `full` as lines to paste: what was ranked on what, then a line
/// per safeguard in the table's order, each with the range of its error budget alone and the
/// run count, and the link that reopens the view. `aggregates` are the ranking job's, in
/// `ranking_configs(full)`'s order (each safeguard alone is at `2 + its index`).
pub fn ranking_copy_text(
    r: &Ranking,
    aggregates: &[Aggregate],
    full: &Config,
    facts: &Reproduction,
) -> String {
    let runs = group_thousands(facts.runs as i64);
    let set = match full.enabled().count() {
        n if n == outage_sim::safeguards::SafeguardId::ALL.len() => {
            format!("all {n} safeguards")
        }
        1 => "1 safeguard".to_string(),
        n => format!("{n} safeguards"),
    };
    let mut out = format!(
        "Outage Drill: what each safeguard buys on {}, seed {}, {runs} runs per configuration. \
         Error budget used per incident (mean over every run, a prevented run counts as 0): \
         as it happened {}, the full set ({set}) {}.\n",
        facts.scenario_said(),
        facts.seed,
        Metric::ErrorBudgetUsed.format(r.baseline.error_budget_used_pct),
        Metric::ErrorBudgetUsed.format(r.full.error_budget_used_pct),
    );
    let base = r.baseline.error_budget_used_pct;
    for v in &r.values {
        let saves = base - v.alone.error_budget_used_pct;
        let budget = aggregates
            .get(2 + v.id.index())
            .map(|a| a.stats(Metric::ErrorBudgetUsed));
        let range = match budget.and_then(|b| Some((b.p50?, b.p90?))) {
            Some((p50, p90)) => format!(
                "; its error budget used P50–P90 {}–{}",
                Metric::ErrorBudgetUsed.format(p50),
                Metric::ErrorBudgetUsed.format(p90)
            ),
            None => String::new(),
        };
        let ttd = match v.alone.mean_time_to_detect_ms {
            Some(t) => format!("mean time to detect {}", Metric::TimeToDetect.format(t)),
            None => "no outage to detect".to_string(),
        };
        let prevented = if v.alone.prevented_share > 0.0 {
            format!(
                ", prevented in {} % of runs",
                fixed(100.0 * v.alone.prevented_share, 1)
            )
        } else {
            String::new()
        };
        let without = match v.loss {
            Some(l) => format!(
                "the set loses {} without it",
                points(l.error_budget_pct.max(0.0))
            ),
            None => "not in the set".to_string(),
        };
        out.push_str(&format!(
            "- {}: alone it saves {} of error budget per incident (mean of {runs} runs{range}), {ttd}{prevented}; {without}.\n",
            v.id.name(),
            points(saves.max(0.0)),
        ));
    }
    out.push_str(&format!("Reopen this view: {}\n", facts.link));
    plain(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::montecarlo::{rank, Batch};
    use outage_sim::safeguards::Preset;
    use outage_sim::scenario::builtin;

    fn compared(presets: &[Preset]) -> (Vec<String>, Vec<Aggregate>) {
        let s = builtin("eptura-2024-07-10").unwrap();
        let configs: Vec<Config> = presets.iter().map(|p| p.config()).collect();
        let mut batch = Batch::new(&s, &configs, 1, 2_000);
        batch.advance(u64::MAX);
        (
            presets.iter().map(|p| p.label().to_string()).collect(),
            batch.into_aggregates(),
        )
    }

    /// A minimal RFC 4180 reader, to check what the writer writes.
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let mut row = vec![];
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        rows
    }

    #[test]
    fn differences_from_the_first_have_a_sign_and_a_verdict() {
        let (names, aggs) = compared(&[Preset::AsItHappened, Preset::PostmortemFix]);
        let t = compare_table(&names, &aggs);
        let ttd = t.row(RowKind::Metric(Metric::TimeToDetect)).unwrap();
        assert!(
            ttd.cells[0].diff_p50.is_none(),
            "the first is the reference"
        );
        let d = ttd.cells[1].diff_p50.as_ref().unwrap();
        assert!(
            d.value < -30.0,
            "the uptime check detects far sooner: {d:?}"
        );
        assert!(d.text.starts_with('−') && d.text.ends_with("min"), "{d:?}");
        assert_eq!(d.better, Some(true));
        assert!(d.marked().starts_with("▼ −") && d.marked().ends_with("better"));
        let prevented = compare_table(
            &names,
            &compared(&[Preset::AsItHappened, Preset::DefenceInDepth]).1,
        );
        let up = prevented.row(RowKind::Prevented).unwrap().cells[1]
            .diff_p50
            .clone()
            .unwrap();
        assert!(
            up.marked().starts_with("▲ +") && up.marked().ends_with("better"),
            "more prevented is better: {up:?}"
        );
        let tta = t.row(RowKind::Metric(Metric::TimeToAcknowledge)).unwrap();
        assert_eq!(tta.cells[1].diff_p50.as_ref().unwrap().better, Some(false));
        let budget = t.row(RowKind::Metric(Metric::ErrorBudgetUsed)).unwrap();
        assert!(budget.cells[1]
            .diff_p50
            .as_ref()
            .unwrap()
            .text
            .ends_with("points"));
    }

    #[test]
    fn summary_lines_say_what_changed_and_why_a_worse_figure_can_mislead() {
        let (names, aggs) = compared(&[Preset::AsItHappened, Preset::PostmortemFix]);
        let t = compare_table(&names, &aggs);
        let first = t.summary(0);
        assert!(
            first.starts_with("As it happened: the baseline — median time to detect "),
            "{first}"
        );
        let line = t.summary(1);
        assert!(
            line.starts_with("Postmortem fix: uptime alerts: median time to detect −"),
            "{line}"
        );
        assert!(line.contains(", time to mitigate −"), "{line}");
        assert!(line.contains("\u{a0}points, not prevented"), "{line}");
        assert!(
            line.contains("; worse: time to acknowledge +")
                && line.contains(&lower_first(Metric::TimeToAcknowledge.caveat().unwrap())),
            "a worse figure carries its caveat: {line}"
        );
        let (names, aggs) = compared(&[Preset::AsItHappened, Preset::AsItHappened]);
        let same = compare_table(&names, &aggs).summary(1);
        assert!(
            same.contains("time to detect unchanged") && !same.contains("worse"),
            "{same}"
        );
    }

    /// The facts of a compare of `presets` with the test's batch (seed 1, 2 000 runs).
    fn facts(names: &[String], presets: &[Preset]) -> Reproduction {
        let s = builtin("eptura-2024-07-10").unwrap();
        Reproduction {
            scenario_id: s.id.clone(),
            scenario_title: s.title.clone(),
            file: None,
            changes: vec![],
            configs: names
                .iter()
                .zip(presets)
                .map(|(name, p)| NamedConfig {
                    name: name.clone(),
                    config: p.config(),
                })
                .collect(),
            seed: 1,
            runs: 2_000,
            app_version: "0.1.0 (build test)".into(),
            link: "https://example.org/drills/outage/#seed=1&section=compare".into(),
        }
    }

    /// The table of a CSV: the rows from its header (`first` in the first field) on.
    fn table_rows(rows: &[Vec<String>], first: &str) -> Vec<Vec<String>> {
        let at = rows
            .iter()
            .position(|r| r[0] == first)
            .expect("the table's header");
        rows[at..].to_vec()
    }

    #[test]
    fn the_csv_quotes_and_matches_the_table() {
        let presets = [Preset::AsItHappened, Preset::PostmortemFix];
        let (mut names, aggs) = compared(&presets);
        names[1] = "=Our \"fix\", v2".into();
        let t = compare_table(&names, &aggs);
        let csv = compare_csv(&t, &facts(&names, &presets));
        let rows = table_rows(&parse_csv(&csv), "Metric");
        assert_eq!(
            rows[0][4], "'=Our \"fix\", v2 median",
            "quoted, and not a formula"
        );
        assert_eq!(rows.len(), t.rows.len() + 1);
        assert!(rows.iter().all(|r| r.len() == rows[0].len()));
        for (row, csv_row) in t.rows.iter().zip(&rows[1..]) {
            assert_eq!(csv_row[0], row.kind.label());
            assert_eq!(csv_row[2], csv_number(row.cells[0].p50));
            assert_eq!(
                csv_row[6],
                csv_number(row.cells[1].diff_p50.as_ref().map(|c| c.value))
            );
        }
        let ttd = &rows[1];
        let p50_min: f64 = ttd[2].parse().unwrap();
        // The median run notices about 49 minutes in (calibration moves human discovery).
        assert!((40.0..70.0).contains(&p50_min), "minutes: {ttd:?}");
        assert!(
            csv.ends_with("\r\n") && !csv.contains('−'),
            "ASCII minus in figures"
        );
    }

    #[test]
    fn the_ranking_csv_has_a_row_per_safeguard() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let r = rank(&s, &Config::all(), 1, 300);
        let mut f = facts(&[], &[]);
        f.runs = 300;
        let csv = ranking_csv(&r, &Config::none(), &Config::all(), &f);
        let all = parse_csv(&csv);
        let command = all.iter().find(|r| r[0] == "Command line").unwrap();
        assert!(
            command[1].starts_with(
                "outage-sim rank --scenario eptura-2024-07-10 --seed 1 --runs 300 --with review"
            ),
            "{command:?}"
        );
        let full = all.iter().find(|r| r[0] == "Full set").unwrap();
        assert_eq!(
            Config::from_specs(&full[1].split(' ').collect::<Vec<_>>()).unwrap(),
            Config::all()
        );
        let rows = table_rows(&all, "Safeguard");
        assert_eq!(rows.len(), r.values.len() + 1);
        assert_eq!(rows[1][0], r.values[0].id.name());
        assert_eq!(rows[1][4], "no");
    }

    /// The value of a facts row (`label`, value, …) of a CSV.
    fn fact<'a>(rows: &'a [Vec<String>], label: &str) -> &'a [String] {
        &rows
            .iter()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no '{label}' row"))[1..]
    }

    #[test]
    fn the_compare_csv_starts_with_what_reproduces_it() {
        let presets = [Preset::AsItHappened, Preset::PostmortemFix];
        let (names, aggs) = compared(&presets);
        let t = compare_table(&names, &aggs);
        let rows = parse_csv(&compare_csv(&t, &facts(&names, &presets)));
        assert_eq!(fact(&rows, "Outage Drill"), ["Compare configurations"]);
        assert_eq!(fact(&rows, "Scenario")[0], "eptura-2024-07-10");
        assert!(fact(&rows, "Scenario version")[0].contains(&schema_text()));
        assert_eq!(fact(&rows, "Scenario version")[1], "built in");
        assert_eq!(fact(&rows, "Variant changes"), ["none"]);
        assert_eq!(fact(&rows, "Seed"), ["1"]);
        assert_eq!(fact(&rows, "Runs per configuration"), ["2000"]);
        assert_eq!(fact(&rows, "App version"), ["0.1.0 (build test)"]);
        assert!(fact(&rows, "Link")[0].ends_with("#seed=1&section=compare"));
        let configs = table_rows(&rows, "Configuration");
        assert_eq!(configs[1][..3], ["1", "As it happened", "none"]);
        assert_eq!(configs[2][1], "Postmortem fix: uptime alerts");
        // Every parameter, in `--with`'s syntax, reads back as the same configuration.
        assert!(
            configs[2][2].starts_with("uptime_check:interval_s="),
            "{:?}",
            configs[2]
        );
        let items: Vec<&str> = configs[2][2].split(' ').collect();
        assert_eq!(
            Config::from_specs(&items).unwrap(),
            Preset::PostmortemFix.config()
        );
        assert_eq!(
            configs[2][3],
            "outage-sim run --scenario eptura-2024-07-10 --seed 1 --runs 2000 --with uptime_check"
        );
        // An empty row between the facts and the table.
        let blank = rows
            .iter()
            .position(|r| r.len() == 1 && r[0].is_empty())
            .unwrap();
        assert_eq!(rows[blank + 1][0], "Metric");
    }

    fn schema_text() -> String {
        format!("scenario file format {}", outage_sim::scenario::SCHEMA)
    }

    #[test]
    fn a_command_line_of_the_csv_gives_the_figures_of_its_column() {
        // What the end-to-end test does with the real command line, here with the library it
        // runs: the options of a configuration's command, simulated, give the CSV's figures.
        let presets = [Preset::AsItHappened, Preset::UptimePaging];
        let (names, aggs) = compared(&presets);
        let t = compare_table(&names, &aggs);
        let rows = parse_csv(&compare_csv(&t, &facts(&names, &presets)));
        let command = &table_rows(&rows, "Configuration")[2][3];
        let words: Vec<&str> = command.split(' ').collect();
        let option = |name: &str| -> Vec<&str> {
            words
                .windows(2)
                .filter(|w| w[0] == name)
                .map(|w| w[1])
                .collect()
        };
        let s = builtin(option("--scenario")[0]).unwrap();
        let config = Config::from_specs(&option("--with")).unwrap();
        let seed: u64 = option("--seed")[0].parse().unwrap();
        let runs: u64 = option("--runs")[0].parse().unwrap();
        let agg = outage_sim::montecarlo::simulate(&s, &config, seed, runs);
        let table = table_rows(&rows, "Metric");
        let ttd = table.iter().find(|r| r[0] == "Time to detect").unwrap();
        let p50 = agg.stats(Metric::TimeToDetect).p50.unwrap() / 60_000.0;
        assert_eq!(ttd[4], csv_number(Some(p50)), "{command}");
    }

    #[test]
    fn a_variant_is_said_in_the_command_lines_words() {
        let base = builtin("eptura-2024-07-10").unwrap();
        assert!(variant_options(&base, &base).is_empty());
        let mut s = base.clone();
        s.set_assumption_text("sites", "400").unwrap();
        s.set_assumption_text("impact_start", "13:05").unwrap();
        s.set_step(outage_sim::scenario::StepId::Mobilize, Some(180_000), None)
            .unwrap();
        let options = variant_options(&base, &s);
        assert_eq!(
            options,
            [
                "assume impact_start=2024-07-10T13:05:00-05:00",
                "assume sites=400",
                "step mobilize:median_s=180"
            ]
        );
        // Read back as the command line reads them: the same scenario.
        let mut again = base.clone();
        for option in &options {
            let (flag, item) = option.split_once(' ').unwrap();
            match flag {
                "assume" => {
                    let (k, v) = item.split_once('=').unwrap();
                    again.set_assumption_text(k, v).unwrap();
                }
                _ => {
                    let (k, v) = item.split_once(':').unwrap();
                    again.set_step_text(k, v).unwrap();
                }
            }
        }
        assert_eq!(again, s);
        let mut f = facts(&[], &[]);
        f.changes = options;
        assert!(f
            .run_command(&Config::none())
            .contains(" --assume sites=400 --step mobilize:median_s=180 --seed 1"));
        assert!(f
            .scenario_said()
            .contains("(a variant: assume impact_start="));
    }

    #[test]
    fn a_link_opens_at_its_section() {
        assert_eq!(
            link_to_section("https://h/p/#with=x&section=ranges&seed=2", "compare"),
            "https://h/p/#with=x&seed=2&section=compare"
        );
        assert_eq!(
            link_to_section("https://h/p/", "compare"),
            "https://h/p/#section=compare"
        );
    }

    #[test]
    fn the_copied_summary_has_a_line_per_configuration_with_its_range_and_runs() {
        let presets = [
            Preset::AsItHappened,
            Preset::PostmortemFix,
            Preset::DefenceInDepth,
        ];
        let (names, aggs) = compared(&presets);
        let t = compare_table(&names, &aggs);
        let text = t.copy_text(&facts(&names, &presets));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + names.len(), "{text}");
        assert_eq!(
            lines[0],
            "Outage Drill: 3 configurations compared on eptura-2024-07-10, seed 1, 2,000 runs each."
        );
        for (i, line) in lines[1..=3].iter().enumerate() {
            assert!(line.starts_with(&format!("- {}: ", names[i])), "{line}");
            assert!(line.contains(&plain(&t.summary(i))), "{line}");
            assert!(line.contains("P50–P90: time to detect "), "{line}");
            assert!(line.contains("2,000 runs"), "{line}");
            assert!(!line.contains('\u{a0}'), "plain spaces: {line}");
        }
        // Defence in depth prevents some outages: the durations are over fewer runs, and said so.
        assert!(lines[3].contains("of them with an outage"), "{}", lines[3]);
        assert_eq!(
            lines[4],
            "Reopen this view: https://example.org/drills/outage/#seed=1&section=compare"
        );
    }

    #[test]
    fn the_copied_ranking_has_a_line_per_safeguard() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let full = Preset::PostmortemFix.config();
        let configs = outage_sim::montecarlo::ranking_configs(&full);
        let mut batch = Batch::new(&s, &configs, 1, 300);
        batch.advance(u64::MAX);
        let aggs = batch.into_aggregates();
        let r = outage_sim::montecarlo::ranking_from(&full, &aggs);
        let mut f = facts(&[], &[]);
        f.runs = 300;
        let text = ranking_copy_text(&r, &aggs, &full, &f);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), r.values.len() + 2, "{text}");
        assert!(
            lines[0].contains("the full set (1 safeguard)"),
            "{}",
            lines[0]
        );
        assert!(
            lines[0].contains("seed 1, 300 runs per configuration"),
            "{}",
            lines[0]
        );
        for (v, line) in r.values.iter().zip(&lines[1..]) {
            assert!(
                line.starts_with(&format!("- {}: alone it saves ", v.id.name())),
                "{line}"
            );
            assert!(line.contains("(mean of 300 runs"), "{line}");
        }
        let uptime = lines
            .iter()
            .find(|l| l.starts_with("- Uptime check"))
            .unwrap();
        assert!(uptime.contains("the set loses "), "{uptime}");
        assert!(
            lines
                .iter()
                .filter(|l| l.ends_with("not in the set."))
                .count()
                == 12
        );
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(text_field("plain"), "plain");
        assert_eq!(text_field("a,b"), "\"a,b\"");
        assert_eq!(text_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(text_field("@sum"), "'@sum");
        assert_eq!(csv_number(Some(-1.006)), "-1.01");
        assert_eq!(csv_number(Some(120.0)), "120");
        assert_eq!(csv_number(None), "");
    }
}
