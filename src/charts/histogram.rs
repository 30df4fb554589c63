//! Geometry of distribution charts: overlaid histograms (share of runs per bin) with P50/P90/P99
//! markers, and cumulative curves, for one metric across several configurations. Durations
//! spanning more than a factor of 20 use a logarithmic axis, so 30 seconds and 3 hours are both
//! readable on one chart.

use outage_sim::metrics::{Metric, Unit};
use outage_sim::stats::MetricAggregate;

use super::scale::{count_ticks, duration_ticks, ValueScale};

/// Plot margins inside the SVG.
pub const LEFT: f64 = 52.0;
pub const RIGHT: f64 = 16.0;
pub const TOP: f64 = 12.0;
pub const BOTTOM: f64 = 40.0;

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
}

#[derive(Clone, Debug, PartialEq)]
pub struct SeriesGeometry {
    pub bars: Vec<Bar>,
    pub quantiles: Vec<Quantile>,
    /// The cumulative curve as SVG polyline points.
    pub cdf: String,
    /// Runs with a value.
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub px: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
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

fn format_tick(metric: Metric, v: f64) -> String {
    match metric.unit() {
        Unit::Duration => outage_sim::human_duration(v.round() as i64),
        _ => metric.format(v),
    }
}

/// Lays out `series` (one per configuration) of `metric` in `bins` bins over `width × height`.
pub fn chart(
    metric: Metric,
    series: &[&MetricAggregate],
    width: f64,
    height: f64,
    bins: usize,
) -> Option<Chart> {
    let (lo, hi, log) = domain(metric, series)?;
    let scale = if log {
        ValueScale::log(lo, hi, LEFT, width - RIGHT)
    } else {
        ValueScale::linear(lo, hi, LEFT, width - RIGHT)
    };
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
    let plot_h = height - TOP - BOTTOM;
    let y = ValueScale::linear(0.0, y_max, height - BOTTOM, TOP);
    let n = series.len().max(1) as f64;
    let geometry = series
        .iter()
        .zip(&shares)
        .enumerate()
        .map(|(k, (s, shares))| {
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
                        height: (height - BOTTOM - top).max(0.0),
                        share,
                    }
                })
                .collect();
            let st = s.stats();
            let quantiles = [("P50", st.p50), ("P90", st.p90), ("P99", st.p99)]
                .into_iter()
                .filter_map(|(label, v)| {
                    v.map(|value| Quantile {
                        label,
                        value,
                        x: scale.px(value.max(lo)),
                    })
                })
                .collect();
            let mut cumulative = 0.0;
            let cdf_y = ValueScale::linear(0.0, 1.0, height - BOTTOM, TOP);
            let mut cdf = format!(
                "{},{}",
                super::px(scale.px(edges[0])),
                super::px(cdf_y.px(0.0))
            );
            for (b, share) in shares.iter().enumerate() {
                cumulative += share;
                cdf.push_str(&format!(
                    " {},{}",
                    super::px(scale.px(edges[b + 1])),
                    super::px(cdf_y.px(cumulative.min(1.0)))
                ));
            }
            SeriesGeometry {
                bars,
                quantiles,
                cdf,
                count: st.count,
            }
        })
        .collect();
    let x_values = if metric.unit() == Unit::Duration {
        duration_ticks(lo, hi, log)
    } else {
        count_ticks(lo, hi)
    };
    let x_ticks = x_values
        .into_iter()
        .map(|v| Tick {
            px: scale.px(v),
            label: format_tick(metric, v),
        })
        .collect();
    let y_ticks = [0.0, 0.5, 1.0]
        .iter()
        .map(|f| Tick {
            px: y.px(y_max * f),
            label: format!("{} %", outage_sim::numfmt::fixed(y_max * f * 100.0, 0)),
        })
        .collect();
    let _ = plot_h;
    Some(Chart {
        width,
        height,
        log,
        x_ticks,
        y_ticks,
        series: geometry,
        y_max,
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
        let c = chart(m, &[base.metric(m), uptime.metric(m)], 800.0, 300.0, 40).unwrap();
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
            600.0,
            240.0,
            30,
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
            600.0,
            240.0,
            30
        )
        .is_none());
    }

    #[test]
    fn shares_round_up_to_readable_maxima() {
        assert_eq!(nice_share(0.07), 0.1);
        assert_eq!(nice_share(0.3), 0.5);
        assert_eq!(nice_share(1.0), 1.0);
    }
}
