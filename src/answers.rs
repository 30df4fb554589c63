//! Answers for decision-makers, as pure functions of Monte Carlo results: the compare table with
//! each configuration's difference from the first (median and P90, signed, better or worse), a
//! plain-language summary line per configuration, and the CSV of the compare table and of the
//! ranking. The compare section draws the table this module builds, and the CSV is written from
//! the same figures, so the two always agree.
//!
//! A metric that looks worse because of how it is defined says so: a summary that reports it
//! worse adds the metric's caveat (`Metric::caveat`).

use outage_sim::metrics::{points, Better, Metric};
use outage_sim::montecarlo::Ranking;
use outage_sim::numfmt::{fixed, trimmed};
use outage_sim::safeguards::Config;
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

/// The compare table as CSV: a row per metric with its unit, then each configuration's median
/// and P90 and (after the first) their differences from the first.
pub fn compare_csv(table: &CompareTable) -> String {
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
    let mut out = csv_line(&header);
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

/// The ranking as CSV, a row per safeguard in the table's order.
pub fn ranking_csv(r: &Ranking, config: &Config) -> String {
    let mut out = csv_line(
        &[
            "Safeguard",
            "Alone saves (error budget points)",
            "Alone: mean time to detect (min)",
            "Set loses without it (error budget points)",
            "On in the what-if",
        ]
        .map(text_field),
    );
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

    #[test]
    fn the_csv_quotes_and_matches_the_table() {
        let (mut names, aggs) = compared(&[Preset::AsItHappened, Preset::PostmortemFix]);
        names[1] = "=Our \"fix\", v2".into();
        let t = compare_table(&names, &aggs);
        let csv = compare_csv(&t);
        let rows = parse_csv(&csv);
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
        assert!((50.0..70.0).contains(&p50_min), "minutes: {ttd:?}");
        assert!(
            csv.ends_with("\r\n") && !csv.contains('−'),
            "ASCII minus in figures"
        );
    }

    #[test]
    fn the_ranking_csv_has_a_row_per_safeguard() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let r = rank(&s, &Config::all(), 1, 300);
        let rows = parse_csv(&ranking_csv(&r, &Config::none()));
        assert_eq!(rows.len(), r.values.len() + 1);
        assert_eq!(rows[1][0], r.values[0].id.name());
        assert_eq!(rows[1][4], "no");
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
