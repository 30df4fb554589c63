//! The tornado chart of the ranking's sensitivity, as geometry: for one safeguard, what it saves
//! alone (error budget points per incident) when each guess moves to its plausible low and high,
//! one row per guess, the guesses that move it most on top. Each row has two bars from the
//! default's line: the low's (upper half) and the high's (lower half), each labelled with the
//! level and the value. On a wide chart the guesses' names are a column on the left; below
//! `STACK_BELOW` pixels they go on their own lines above their bars, so the chart reads at 390 px.
//! Text is at least `MIN_FONT` pixels everywhere.

use outage_sim::safeguards::SafeguardId;
use outage_sim::sensitivity::{format_level, Sensitivity};

use super::labels::text_width;
use super::scale::{count_ticks, ValueScale};

/// Under this width the labels go above the bars.
pub const STACK_BELOW: f64 = 560.0;
/// The smallest text the chart draws.
pub const MIN_FONT: f64 = 14.0;
/// Rows drawn at most; the rest are summed up in `rest`.
pub const MAX_ROWS: usize = 10;

/// One guess of the tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    pub key: String,
    /// The guess's name, wrapped to the label's width.
    pub lines: Vec<String>,
    /// Top of the row's block and of its bars.
    pub y: f64,
    pub bar_y: f64,
    pub bar_height: f64,
    /// The low's and the high's bar: from x0 to x1 (x0 ≤ x1), in the upper and lower halves.
    pub low: (f64, f64),
    pub high: (f64, f64),
    /// Their labels: text, x and anchor (`start` or `end`).
    pub low_label: (String, f64, &'static str),
    pub high_label: (String, f64, &'static str),
    /// Whether the ranking's first place changes across this guess.
    pub moves_first: bool,
}

/// The chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    pub width: f64,
    pub height: f64,
    pub font: f64,
    pub title: String,
    pub safeguard: SafeguardId,
    /// The default's value and its vertical line.
    pub default_value: f64,
    pub zero_x: f64,
    pub top: f64,
    pub bottom: f64,
    /// Ticks of the value axis: x and text.
    pub ticks: Vec<(f64, String)>,
    pub axis_title: String,
    pub rows: Vec<TornadoRow>,
    /// How many guesses move it too little to draw, and by at most how much.
    pub rest: Option<(usize, f64)>,
    /// Where the labels column ends (0 when stacked).
    pub label_width: f64,
    pub stacked: bool,
}

/// Wraps `text` into lines of at most `width` pixels at `font`.
fn wrap(text: &str, width: f64, font: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, font) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The tornado of `safeguard` at `width` pixels.
pub fn tornado(s: &Sensitivity, safeguard: SafeguardId, width: f64) -> Tornado {
    let width = width.max(280.0);
    let stacked = width < STACK_BELOW;
    let font = if stacked { MIN_FONT } else { 15.0 };
    let line = font * 1.3;
    let value_of = |v: &[(SafeguardId, f64)]| {
        v.iter()
            .find(|(id, _)| *id == safeguard)
            .map_or(0.0, |p| p.1)
    };
    let default_value = value_of(&s.base);
    let mut rows: Vec<(usize, f64, f64, f64)> = s
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (lo, hi) = (value_of(&r.at_low), value_of(&r.at_high));
            (i, lo, hi, (lo - hi).abs())
        })
        .collect();
    rows.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    let drawn: Vec<_> = rows.iter().filter(|r| r.3 >= 0.5).take(MAX_ROWS).collect();
    let rest_rows: Vec<_> = rows.iter().skip(drawn.len()).collect();
    let rest = (!rest_rows.is_empty()).then(|| {
        (
            rest_rows.len(),
            rest_rows.iter().map(|r| r.3).fold(0.0, f64::max),
        )
    });

    // The value axis spans every drawn end and the default.
    let (mut lo, mut hi) = (default_value, default_value);
    for r in &drawn {
        lo = lo.min(r.1).min(r.2);
        hi = hi.max(r.1).max(r.2);
    }
    let pad = ((hi - lo) * 0.05).max(1.0);
    let (lo, hi) = (lo - pad, hi + pad);
    let margin = 8.0;
    let label_width = if stacked {
        0.0
    } else {
        (width * 0.38).min(300.0)
    };
    // Room for the value labels at both ends of the bars.
    let value_room = text_width("high 120 min: 999.9", font * 0.9);
    let x0 = label_width + margin + value_room;
    let x1 = width - margin - value_room;
    let scale = ValueScale::linear(lo, hi, x0, x1.max(x0 + 40.0));
    let title_lines = 1.0;
    let top = margin + line * title_lines + line * 0.6;
    let bar_height = (font * 1.1).max(14.0);
    let mut y = top;
    let mut out_rows = Vec::new();
    for &&(i, at_low, at_high, _) in &drawn {
        let row = &s.rows[i];
        let f = &row.factor;
        let name = format!(
            "{} ({} … {})",
            f.label,
            format_level(f, f.low),
            format_level(f, f.high)
        );
        let lines = wrap(
            &name,
            if stacked {
                width - 2.0 * margin
            } else {
                label_width - margin
            },
            font,
        );
        let label_height = lines.len() as f64 * line;
        let bars = 2.0 * bar_height + 4.0;
        let (bar_y, block) = if stacked {
            (y + label_height + 2.0, label_height + 2.0 + bars)
        } else {
            let block = label_height.max(bars);
            (y + (block - bars) / 2.0, block)
        };
        let zero = scale.px(default_value);
        let span = |v: f64| {
            let x = scale.px(v);
            (x.min(zero), x.max(zero))
        };
        let label = |side: &str, v: f64, level: f64| {
            let x = scale.px(v);
            let text = format!(
                "{side} {}: {}",
                format_level(f, level),
                outage_sim::numfmt::trimmed(v, 1)
            );
            if v >= default_value {
                (text, x + 4.0, "start")
            } else {
                (text, x - 4.0, "end")
            }
        };
        out_rows.push(TornadoRow {
            key: f.key.clone(),
            lines,
            y,
            bar_y,
            bar_height,
            low: span(at_low),
            high: span(at_high),
            low_label: label("low", at_low, f.low),
            high_label: label("high", at_high, f.high),
            moves_first: row.top_low != row.top_high,
        });
        y += block + line * 0.6;
    }
    let bottom = y;
    let ticks = count_ticks(lo, hi)
        .into_iter()
        .map(|v| (scale.px(v), outage_sim::numfmt::trimmed(v, 0)))
        .collect();
    let height = bottom + line * 2.6 + if rest.is_some() { line } else { 0.0 } + margin;
    Tornado {
        width,
        height,
        font,
        title: format!(
            "What {} saves alone as each guess moves (error budget points per incident)",
            safeguard.name().to_lowercase()
        ),
        safeguard,
        default_value,
        zero_x: scale.px(default_value),
        top,
        bottom,
        ticks,
        axis_title: format!(
            "points saved per incident (line: {} with every guess at its default)",
            outage_sim::numfmt::trimmed(default_value, 1)
        ),
        rows: out_rows,
        rest,
        label_width,
        stacked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::safeguards::Config;
    use outage_sim::scenario::builtin;
    use outage_sim::sensitivity::sensitivity;
    use std::sync::OnceLock;

    fn analysis() -> &'static Sensitivity {
        static S: OnceLock<Sensitivity> = OnceLock::new();
        S.get_or_init(|| {
            let s = builtin("eptura-2024-07-10").unwrap();
            sensitivity(&s, &Config::all(), 3, 200)
        })
    }

    fn check(t: &Tornado) {
        assert!(t.font >= MIN_FONT);
        assert!(!t.rows.is_empty());
        for pair in t.rows.windows(2) {
            let a = &pair[0];
            let bottom_a = a.bar_y + 2.0 * a.bar_height + 4.0;
            assert!(bottom_a <= pair[1].y + 1e-9, "rows do not overlap");
        }
        for r in &t.rows {
            for (x0, x1) in [r.low, r.high] {
                assert!(x0 <= x1 && x0 >= t.label_width && x1 <= t.width, "{r:?}");
            }
            for (text, x, anchor) in [&r.low_label, &r.high_label] {
                let w = text_width(text, t.font * 0.9);
                let (from, to) = if *anchor == "start" {
                    (*x, x + w)
                } else {
                    (x - w, *x)
                };
                assert!(
                    from >= t.label_width - 1.0 && to <= t.width + 1.0,
                    "{text} at {x}"
                );
            }
            for line in &r.lines {
                let room = if t.stacked { t.width } else { t.label_width };
                assert!(text_width(line, t.font) <= room + 1.0, "{line}");
            }
        }
        assert!(t.height > t.bottom);
    }

    #[test]
    fn the_tornado_is_sorted_by_swing_and_fits_a_wide_and_a_phone_width() {
        let s = analysis();
        for width in [390.0, 360.0, 760.0, 1200.0] {
            let t = tornado(s, s.top, width);
            check(&t);
            assert_eq!(t.stacked, width < STACK_BELOW);
        }
        let t = tornado(s, s.top, 760.0);
        let swing = |r: &TornadoRow| (r.low.1 - r.low.0).max(r.high.1 - r.high.0);
        let first = swing(&t.rows[0]);
        assert!(t.rows.iter().all(|r| swing(r) <= first + 1e-9));
        assert!(t.rows.len() <= MAX_ROWS);
        assert!(t.title.contains(&s.top.name().to_lowercase()));
    }

    #[test]
    fn labels_wrap_within_their_column() {
        assert_eq!(wrap("a b c", 1000.0, 14.0), vec!["a b c"]);
        let lines = wrap("one two three four five six seven", 60.0, 14.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.join(" "), "one two three four five six seven");
    }
}
