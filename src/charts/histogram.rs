//! Geometry of distribution charts: overlaid histograms (share of runs per bin) with P50/P90/P99
//! markers, and cumulative curves, for one metric across several configurations. Durations
//! spanning more than a factor of 20 use a logarithmic axis, so 30 seconds and 3 hours are both
//! readable on one chart.
//!
//! Nothing collides: the legend sits above the plot in as many rows as it needs, the quantile
//! labels in a band between legend and plot, each in the first row where it keeps clear of the
//! others (`labels::place_in_rows`), and tick labels are anchored to stay inside the chart.
//! Cumulative curves that coincide stay apart by their dash and by markers placed at different
//! heights on each curve.

use outage_sim::metrics::{Metric, Unit};
use outage_sim::stats::MetricAggregate;

use super::labels::{legend_rows, place_in_rows, text_width, tick_labels, Anchor};
use super::scale::{count_ticks, duration_ticks, ValueScale};

/// Plot margins inside the SVG.
pub const LEFT: f64 = 52.0;
pub const RIGHT: f64 = 16.0;
pub const TOP: f64 = 8.0;
/// Below the plot: tick labels and the axis title.
pub const BOTTOM: f64 = 44.0;
/// The charts' font size, for estimating label widths.
const FONT_PX: f64 = 11.0;
/// The legend's names are a little larger and bold.
const LEGEND_FONT_PX: f64 = 13.0;
/// Height of a legend row and of a quantile label row.
const LEGEND_ROW: f64 = 18.0;
const LABEL_ROW: f64 = 13.0;
/// The legend's swatch (a line sample with its marker) before each name.
pub const SWATCH: f64 = 26.0;
/// Markers on each cumulative curve.
const CURVE_MARKERS: usize = 4;

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub width: f64,
    pub y: f64,
    pub height: f64,
    /// Share of the series' runs in this bin.
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quantile {
    pub label: &'static str,
    pub value: f64,
    pub x: f64,
    /// Where its label is drawn (above the plot, clear of every other label).
    pub label_x: f64,
    pub label_y: f64,
    pub anchor: Anchor,
}

/// A legend entry: its swatch starts at `x`, its text baseline is at `y`.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub x: f64,
    pub y: f64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SeriesGeometry {
    pub bars: Vec<Bar>,
    pub quantiles: Vec<Quantile>,
    /// The cumulative curve as SVG polyline points.
    pub cdf: String,
    /// Where this series' markers sit on its cumulative curve.
    pub markers: Vec<(f64, f64)>,
    /// Runs with a value.
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub px: f64,
    pub label: String,
    /// Where the label is drawn (`None`: left out, it would touch its neighbour).
    pub label_at: Option<(f64, Anchor)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    /// The plot's top and bottom (the x axis).
    pub top: f64,
    pub base: f64,
    pub legend: Vec<LegendItem>,
    /// The x axis's title: the metric, its units, and the scale when logarithmic.
    pub axis_title: String,
    pub log: bool,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub series: Vec<SeriesGeometry>,
    /// The tallest bar's share (the y axis goes to this, rounded up).
    pub y_max: f64,
}

/// The value domain covering every series, and whether to use a log axis.
fn domain(metric: Metric, series: &[&MetricAggregate]) -> Option<(f64, f64, bool)> {
    let stats: Vec<_> = series
        .iter()
        .map(|s| s.stats())
        .filter(|s| s.count > 0)
        .collect();
    let lo = stats
        .iter()
        .filter_map(|s| s.min)
        .fold(f64::INFINITY, f64::min);
    let hi = stats
        .iter()
        .filter_map(|s| s.max)
        .fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let log = metric.unit() == Unit::Duration && hi / lo.max(1_000.0) > 20.0;
    if log {
        Some((lo.max(1_000.0) * 0.9, hi * 1.1, true))
    } else if hi > lo {
        let pad = (hi - lo) * 0.04;
        Some(((lo - pad).max(0.0), hi + pad, false))
    } else {
        Some(((lo * 0.9).max(0.0), lo * 1.1 + 1.0, false))
    }
}

/// The x axis's title with its units: for durations the units its ticks are written in
/// (`Time to detect (s, min, h; logarithmic scale)`), else the metric's unit.
pub fn x_axis_title(metric: Metric, ticks: &[f64], log: bool) -> String {
    let units = match metric.unit() {
        Unit::Duration => {
            let mut units: Vec<String> = Vec::new();
            for &v in ticks {
                // The largest unit of a tick's reading: `1 h 30 min` is read in hours.
                let text = format_tick(metric, v);
                if let Some(unit) = text.split(' ').nth(1) {
                    if !units.iter().any(|u| u == unit) {
                        units.push(unit.to_string());
                    }
                }
            }
            units.join(", ")
        }
        Unit::Count => "count".to_string(),
        Unit::Percent => "% of the error budget".to_string(),
    };
    match (units.is_empty(), log) {
        (true, false) => metric.label().to_string(),
        (true, true) => format!("{} (logarithmic scale)", metric.label()),
        (false, false) => format!("{} ({units})", metric.label()),
        (false, true) => format!("{} ({units}; logarithmic scale)", metric.label()),
    }
}

/// The y axis's title of a chart drawn as histogram bars or as cumulative curves.
pub fn y_axis_title(cumulative: bool) -> &'static str {
    if cumulative {
        "Share of runs at most x (%)"
    } else {
        "Share of runs per bin (%)"
    }
}

fn format_tick(metric: Metric, v: f64) -> String {
    match metric.unit() {
        Unit::Duration => outage_sim::human_duration(v.round() as i64),
        _ => metric.format(v),
    }
}

/// Lays out `series` (one per configuration, named by `names`) of `metric` in `bins` bins, over
/// `width` with a plot `plot_height` tall (the legend and labels add to the chart's height);
/// with `quantile_labels`, room above the plot for the P50/P90/P99 labels of the bars.
pub fn chart(
    metric: Metric,
    series: &[&MetricAggregate],
    names: &[String],
    width: f64,
    plot_height: f64,
    bins: usize,
    quantile_labels: bool,
) -> Option<Chart> {
    let (lo, hi, log) = domain(metric, series)?;
    let scale = if log {
        ValueScale::log(lo, hi, LEFT, width - RIGHT)
    } else {
        ValueScale::linear(lo, hi, LEFT, width - RIGHT)
    };
    // The legend, wrapped into rows above everything.
    let widths: Vec<f64> = names
        .iter()
        .map(|n| SWATCH + text_width(n, LEGEND_FONT_PX))
        .collect();
    let spots = legend_rows(&widths, LEFT, width - RIGHT, 14.0);
    let legend_rows_n = spots.iter().map(|s| s.1 + 1).max().unwrap_or(0);
    let legend = names
        .iter()
        .zip(&spots)
        .map(|(name, &(x, row))| LegendItem {
            x,
            y: TOP + 12.0 + row as f64 * LEGEND_ROW,
            name: name.clone(),
        })
        .collect();
    let legend_bottom = TOP + legend_rows_n as f64 * LEGEND_ROW;
    // The quantile labels, in rows between the legend and the plot.
    let quantiles: Vec<Vec<(&'static str, f64, f64)>> = series
        .iter()
        .map(|s| {
            let st = s.stats();
            [("P50", st.p50), ("P90", st.p90), ("P99", st.p99)]
                .into_iter()
                .filter_map(|(label, v)| v.map(|value| (label, value, scale.px(value.max(lo)))))
                .collect()
        })
        .collect();
    let flat: Vec<(f64, f64)> = quantiles
        .iter()
        .flatten()
        .map(|&(label, _, x)| (x, text_width(label, FONT_PX)))
        .collect();
    let xs: Vec<f64> = flat.iter().map(|f| f.0).collect();
    let ws: Vec<f64> = flat.iter().map(|f| f.1).collect();
    let placed = place_in_rows(&xs, &ws, 0.0, width, 4.0);
    let label_rows = if quantile_labels {
        placed.iter().map(|p| p.row + 1).max().unwrap_or(0)
    } else {
        0
    };
    let top = legend_bottom + label_rows as f64 * LABEL_ROW + 6.0;
    let base = top + plot_height;
    let height = base + BOTTOM;
    let mut placed = placed.into_iter();

    let edges: Vec<f64> = (0..=bins)
        .map(|k| scale.at_fraction(k as f64 / bins as f64))
        .collect();
    let shares: Vec<Vec<f64>> = series
        .iter()
        .map(|s| {
            let total = s.stats().count.max(1) as f64;
            s.counts_between(&edges)
                .iter()
                .map(|&c| c as f64 / total)
                .collect()
        })
        .collect();
    let tallest = shares.iter().flatten().copied().fold(0.0, f64::max);
    let y_max = nice_share(tallest);
    let y = ValueScale::linear(0.0, y_max, base, top);
    let cdf_y = ValueScale::linear(0.0, 1.0, base, top);
    let n = series.len().max(1) as f64;
    let geometry = series
        .iter()
        .zip(&shares)
        .zip(&quantiles)
        .enumerate()
        .map(|(k, ((s, shares), qs))| {
            // Side by side within a bin, so overlapping distributions stay distinguishable.
            let bars = shares
                .iter()
                .enumerate()
                .filter(|(_, &share)| share > 0.0)
                .map(|(b, &share)| {
                    let (x0, x1) = (scale.px(edges[b]), scale.px(edges[b + 1]));
                    let w = (x1 - x0) / n;
                    let top = y.px(share);
                    Bar {
                        x: x0 + w * k as f64,
                        width: (w - 0.5).max(0.5),
                        y: top,
                        height: (base - top).max(0.0),
                        share,
                    }
                })
                .collect();
            let quantiles = qs
                .iter()
                .map(|&(label, value, x)| {
                    let p = placed.next().expect("one placement per quantile");
                    Quantile {
                        label,
                        value,
                        x,
                        label_x: p.x,
                        label_y: legend_bottom + 10.0 + p.row as f64 * LABEL_ROW,
                        anchor: p.anchor,
                    }
                })
                .collect();
            let mut points = vec![(scale.px(edges[0]), cdf_y.px(0.0))];
            let mut cumulative = 0.0;
            for (b, share) in shares.iter().enumerate() {
                cumulative += share;
                points.push((scale.px(edges[b + 1]), cdf_y.px(cumulative.min(1.0))));
            }
            let cdf = points
                .iter()
                .map(|&(x, y)| format!("{},{}", super::px(x), super::px(y)))
                .collect::<Vec<_>>()
                .join(" ");
            let levels = curve_levels(k, series.len());
            SeriesGeometry {
                bars,
                quantiles,
                markers: levels
                    .iter()
                    .filter_map(|&level| crossing(&points, cdf_y.px(level)))
                    .collect(),
                cdf,
                count: s.stats().count,
            }
        })
        .collect();
    let x_values = if metric.unit() == Unit::Duration {
        duration_ticks(lo, hi, log)
    } else {
        count_ticks(lo, hi)
    };
    let labels: Vec<String> = x_values.iter().map(|&v| format_tick(metric, v)).collect();
    let xs: Vec<f64> = x_values.iter().map(|&v| scale.px(v)).collect();
    let ws: Vec<f64> = labels.iter().map(|l| text_width(l, FONT_PX)).collect();
    let at = tick_labels(&xs, &ws, 2.0, width - 2.0, 6.0);
    let x_ticks = labels
        .into_iter()
        .zip(xs)
        .zip(at)
        .map(|((label, px), label_at)| Tick {
            px,
            label,
            label_at,
        })
        .collect();
    let y_ticks = [0.0, 0.5, 1.0]
        .iter()
        .map(|f| Tick {
            px: y.px(y_max * f),
            label: format!("{} %", outage_sim::numfmt::fixed(y_max * f * 100.0, 0)),
            label_at: Some((LEFT - 6.0, Anchor::End)),
        })
        .collect();
    let axis_title = x_axis_title(metric, &x_values, log);
    Some(Chart {
        width,
        height,
        top,
        base,
        legend,
        axis_title,
        log,
        x_ticks,
        y_ticks,
        series: geometry,
        y_max,
    })
}

/// The shares of runs (heights on the cumulative curve) at which series `k` of `n` has its
/// markers: a different set for each series, so curves that coincide show every series' marks.
pub fn curve_levels(k: usize, n: usize) -> Vec<f64> {
    let offset = (k as f64 + 1.0) / (n as f64 + 1.0);
    (0..CURVE_MARKERS)
        .map(|j| 0.05 + 0.9 * (j as f64 + offset) / CURVE_MARKERS as f64)
        .collect()
}

/// Where a polyline (left to right, y falling as the share grows) first reaches height `y`.
pub fn crossing(points: &[(f64, f64)], y: f64) -> Option<(f64, f64)> {
    points.windows(2).find_map(|w| {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if y1 <= y && y0 >= y {
            let t = if y0 == y1 { 0.0 } else { (y0 - y) / (y0 - y1) };
            Some((x0 + t * (x1 - x0), y))
        } else {
            None
        }
    })
}

/// Rounds a share up to a readable axis maximum (5 %, 10 %, 20 %, 25 %, 50 %, 100 %).
fn nice_share(v: f64) -> f64 {
    [0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0]
        .into_iter()
        .find(|&m| v <= m)
        .unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::scenario::builtin;
    use outage_sim::{simulate, Config};

    #[test]
    fn baseline_and_uptime_detection_share_one_log_axis() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let base = simulate(&s, &Config::none(), 1, 5_000);
        let uptime = simulate(
            &s,
            &Config::from_specs(&["uptime_check"]).unwrap(),
            1,
            5_000,
        );
        let m = Metric::TimeToDetect;
        let names = ["As it happened".to_string(), "With safeguards".to_string()];
        let c = chart(
            m,
            &[base.metric(m), uptime.metric(m)],
            &names,
            800.0,
            300.0,
            40,
            true,
        )
        .unwrap();
        assert!(c.log, "30 s and 1 h need a log axis");
        for series in &c.series {
            let total: f64 = series.bars.iter().map(|b| b.share).sum();
            assert!((total - 1.0).abs() < 1e-9, "every run is in a bin");
            assert!(series
                .bars
                .iter()
                .all(|b| b.x >= LEFT - 1e-9 && b.x + b.width <= 800.0 - RIGHT + 1e-9));
            assert_eq!(series.quantiles.len(), 3);
        }
        // The uptime check's distribution sits to the left of the baseline's.
        assert!(c.series[1].quantiles[0].x < c.series[0].quantiles[0].x);
        assert!(
            c.x_ticks.iter().any(|t| t.label == "1 min")
                && c.x_ticks.iter().any(|t| t.label == "1 h")
        );
        assert!(c.series[0].cdf.split(' ').count() == 41);
    }

    #[test]
    fn counts_use_a_linear_axis_and_empty_series_give_no_chart() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let base = simulate(&s, &Config::none(), 1, 2_000);
        let c = chart(
            Metric::MissedEvents,
            &[base.metric(Metric::MissedEvents)],
            &["As it happened".to_string()],
            600.0,
            240.0,
            30,
            true,
        )
        .unwrap();
        assert!(!c.log);
        let prevented = simulate(
            &s,
            &Config::from_specs(&["prune_protection:bypass_probability=0"]).unwrap(),
            1,
            100,
        );
        assert!(chart(
            Metric::TimeToDetect,
            &[prevented.metric(Metric::TimeToDetect)],
            &[],
            600.0,
            240.0,
            30,
            true,
        )
        .is_none());
    }

    #[test]
    fn labels_and_legend_never_collide_and_coinciding_curves_stay_apart() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let base = simulate(&s, &Config::none(), 1, 2_000);
        let same = simulate(&s, &Config::none(), 1, 2_000);
        let m = Metric::TimeToDetect;
        let names: Vec<String> = ["As it happened", "Postmortem fix: uptime alerts (ours)"]
            .map(String::from)
            .to_vec();
        // Narrow, as on a phone: the legend wraps and the six quantile labels stack.
        let c = chart(
            m,
            &[base.metric(m), same.metric(m)],
            &names,
            330.0,
            200.0,
            30,
            true,
        )
        .unwrap();
        assert_eq!(c.legend[1].x, LEFT, "the second name starts a new row");
        assert!(c.legend[1].y > c.legend[0].y);
        let labels: Vec<(f64, f64, f64)> = c
            .series
            .iter()
            .flat_map(|s| &s.quantiles)
            .map(|q| {
                let (l, r) = q.anchor.extent(q.label_x, text_width(q.label, FONT_PX));
                (l, r, q.label_y)
            })
            .collect();
        assert_eq!(labels.len(), 6);
        for (i, a) in labels.iter().enumerate() {
            assert!(
                a.2 > c.legend[1].y && a.2 < c.top,
                "between the legend and the plot"
            );
            for b in &labels[i + 1..] {
                assert!(
                    a.2 != b.2 || a.1 + 4.0 <= b.0 + 1e-9 || b.1 + 4.0 <= a.0 + 1e-9,
                    "{a:?} {b:?}"
                );
            }
        }
        // Identical curves: every marker of one is away from every marker of the other.
        let (m0, m1) = (&c.series[0].markers, &c.series[1].markers);
        assert_eq!((m0.len(), m1.len()), (4, 4));
        for a in m0 {
            for b in m1 {
                assert!((a.1 - b.1).abs() > 5.0, "{a:?} {b:?}");
            }
        }
        let shown: Vec<_> = c.x_ticks.iter().filter_map(|t| t.label_at).collect();
        assert!(!shown.is_empty());
    }

    #[test]
    fn axis_titles_name_their_units() {
        let minutes = [60_000.0, 600_000.0, 3_600_000.0];
        assert_eq!(
            x_axis_title(Metric::TimeToDetect, &minutes, true),
            "Time to detect (min, h; logarithmic scale)"
        );
        assert_eq!(
            x_axis_title(Metric::MissedEvents, &[0.0, 5_000.0], false),
            "Missed events (count)"
        );
        assert_eq!(
            x_axis_title(Metric::ErrorBudgetUsed, &[0.0, 100.0], false),
            "Error budget used (% of the error budget)"
        );
        assert_eq!(
            x_axis_title(Metric::TimeToDetect, &[], true),
            "Time to detect (logarithmic scale)"
        );
        assert!(y_axis_title(true).ends_with("(%)") && y_axis_title(false).ends_with("(%)"));
    }

    #[test]
    fn shares_round_up_to_readable_maxima() {
        assert_eq!(nice_share(0.07), 0.1);
        assert_eq!(nice_share(0.3), 0.5);
        assert_eq!(nice_share(1.0), 1.0);
    }
}
