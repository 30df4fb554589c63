//! Geometry of the swimlane timeline: lanes, the time axis, the assumed undetected window, the
//! outage bars, event markers (the record and, with safeguards, the ghost run), the data-debt
//! area of missed events, metric spans and the playhead. Everything is clipped to the playhead:
//! nothing that has not happened yet is drawn.
//!
//! On a narrow screen (a phone held upright) the lane labels collapse to short codes, explained
//! in a key under the timeline, so the plotting area keeps the width. Tick labels are anchored
//! so the first keeps clear of the axis's zone names (never "CDT14:15") and the last stays in.

use outage_sim::metrics::Metric;
use outage_sim::metrics::RunRecord;
use outage_sim::replay::Replay;
use outage_sim::scenario::{Lane, Scenario};
use outage_sim::time::{SimTime, MINUTE};
use outage_sim::trace::TraceEvent;

use super::labels::{text_width, tick_labels, Anchor};
use super::scale::{ceil_to, floor_to, TimeScale, TimeTick};

/// Width of the lane labels on the left.
pub const LABEL_WIDTH: f64 = 176.0;
/// Width of the lane codes on a narrow screen.
pub const COMPACT_LABEL_WIDTH: f64 = 44.0;
/// Below this width the lane labels collapse to codes.
pub const COMPACT_BELOW: f64 = 640.0;
/// The zone names of the axis end this far left of the plot.
pub const ZONE_GAP: f64 = 6.0;
/// The narrowest plotting area.
const MIN_PLOT: f64 = 160.0;
const RIGHT_PAD: f64 = 20.0;
const AXIS_HEIGHT: f64 = 40.0;
const LANE_SINGLE: f64 = 36.0;
const LANE_DOUBLE: f64 = 46.0;
const SPAN_ROW: f64 = 20.0;
const TOP_PAD: f64 = 8.0;

/// What the timeline shows.
pub struct Inputs<'a> {
    pub scenario: &'a Scenario,
    pub replay: &'a Replay,
    /// The run with no safeguard (the record, replayed).
    pub record: &'a RunRecord,
    /// The run with the current safeguards, if any are on.
    pub ghost: Option<(&'a RunRecord, &'a [TraceEvent])>,
    pub range: (SimTime, SimTime),
    pub now: SimTime,
    pub width: f64,
    pub spans: &'a [Metric],
    /// The room's view on a projector: nothing the room could not know yet is drawn (no
    /// event before this moment, no outage bar, data debt or undetected window, which would
    /// show when the service went). `None` draws everything.
    pub room_from: Option<SimTime>,
}

/// Which thing a marker stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkerId {
    /// An entry of the replay of the record.
    Record(usize),
    /// An event of the ghost run's trace.
    Ghost(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub id: MarkerId,
    pub x: f64,
    pub y: f64,
    pub lane: Lane,
    pub ghost: bool,
    /// Not in the record: an assumption (impact start, the merge's time).
    pub assumed: bool,
    pub at: SimTime,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LaneRow {
    pub lane: Lane,
    pub y: f64,
    pub height: f64,
}

/// A horizontal bar: the service gone, for the record or the ghost.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub height: f64,
    pub ghost: bool,
}

/// The data debt: missed calendar events over time, as an SVG path.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub path: String,
    pub ghost: bool,
}

/// A metric drawn as a labelled start → stop bracket.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanBar {
    pub metric: Metric,
    pub ghost: bool,
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    /// Whether the stop event has happened yet (else the span is still growing).
    pub complete: bool,
    pub duration: SimTime,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Where the plot starts: the lane labels' width.
    pub label_width: f64,
    /// Lane labels are short codes (a narrow screen).
    pub compact: bool,
    pub scale: TimeScale,
    pub lanes: Vec<LaneRow>,
    pub double: bool,
    pub axis_y: f64,
    pub ticks: Vec<TimeTick>,
    /// Where each tick's two readings are drawn (`None`: left out, too close to the one before).
    pub tick_labels: Vec<Option<(f64, Anchor)>>,
    /// The assumed undetected window, from impact start to discovery (clipped to now).
    pub unknown: Option<(f64, f64)>,
    pub outages: Vec<Bar>,
    pub markers: Vec<Marker>,
    pub debt: Vec<Area>,
    pub spans: Vec<SpanBar>,
    pub spans_y: f64,
    pub playhead: f64,
}

/// The time range the timeline shows: from a little before the merge to a little after the
/// later of the two resolutions, on quarter hours.
pub fn view_range(
    scenario: &Scenario,
    record: &RunRecord,
    ghost: Option<&RunRecord>,
) -> (SimTime, SimTime) {
    let start = record.merged_at.unwrap_or(scenario.impact_start()) - 10 * MINUTE;
    let end = [Some(record), ghost]
        .into_iter()
        .flatten()
        .filter_map(|r| r.resolved_at.or(r.merged_at))
        .max()
        .unwrap_or(scenario.impact_start())
        + 10 * MINUTE;
    (floor_to(start, 15 * MINUTE), ceil_to(end, 15 * MINUTE))
}

impl Layout {
    /// The y of a lane's record row (or ghost row).
    pub fn row_y(&self, lane: Lane, ghost: bool) -> f64 {
        let row = &self.lanes[lane.index()];
        if !self.double {
            row.y + row.height / 2.0
        } else if ghost {
            row.y + row.height * 0.72
        } else {
            row.y + row.height * 0.30
        }
    }
}

/// The lane labels' width for a timeline `width` wide.
pub fn label_width(width: f64) -> f64 {
    if width < COMPACT_BELOW {
        COMPACT_LABEL_WIDTH
    } else {
        LABEL_WIDTH
    }
}

pub fn layout(i: &Inputs) -> Layout {
    let label_w = label_width(i.width);
    let width = i.width.max(label_w + MIN_PLOT + RIGHT_PAD);
    let scale = TimeScale::new(i.range.0, i.range.1, label_w, width - RIGHT_PAD);
    let ticks = scale.ticks(&i.scenario.clock, 64.0);
    // Both readings (local and UTC) are as wide as `15:00`.
    let xs: Vec<f64> = ticks.iter().map(|t| t.x).collect();
    let widths: Vec<f64> = ticks
        .iter()
        .map(|t| text_width(&t.local, 11.0).max(text_width(&t.utc, 11.0)))
        .collect();
    let tick_labels = tick_labels(&xs, &widths, label_w, width - 2.0, 6.0);
    let double = i.ghost.is_some();
    let lane_h = if double { LANE_DOUBLE } else { LANE_SINGLE };
    let lanes: Vec<LaneRow> = Lane::ALL
        .iter()
        .enumerate()
        .map(|(k, &lane)| LaneRow {
            lane,
            y: TOP_PAD + k as f64 * lane_h,
            height: lane_h,
        })
        .collect();
    let lanes_bottom = TOP_PAD + Lane::ALL.len() as f64 * lane_h;
    let spans_y = lanes_bottom + 10.0;
    let span_rows = i.spans.len() * if double { 2 } else { 1 };
    let axis_y = spans_y + span_rows as f64 * SPAN_ROW + if span_rows > 0 { 6.0 } else { 0.0 };
    let now = i.now;
    let clip = |t: SimTime| scale.x(t.min(now));
    let mut out = Layout {
        width,
        height: axis_y + AXIS_HEIGHT,
        label_width: label_w,
        compact: label_w < LABEL_WIDTH,
        scale,
        lanes,
        double,
        axis_y,
        ticks,
        tick_labels,
        unknown: None,
        outages: Vec::new(),
        markers: Vec::new(),
        debt: Vec::new(),
        spans: Vec::new(),
        spans_y,
        playhead: scale.x(now.clamp(i.range.0, i.range.1)),
    };

    // The window nobody saw: assumed impact start → discovery.
    let (impact, discovered) = (i.replay.impact_start, i.replay.discovered);
    let whole = i.room_from.is_none();
    if now > impact && whole {
        out.unknown = Some((scale.x(impact), clip(discovered)));
    }

    // Service gone, record and ghost.
    let service = &out.lanes[Lane::Service.index()];
    let (sy, sh) = (service.y, service.height);
    for (run, ghost) in [(Some(i.record), false), (i.ghost.map(|g| g.0), true)] {
        let Some(run) = run else { continue };
        if let (Some(gone), Some(restored)) = (run.gone_at, run.restored_at) {
            if now > gone && whole {
                let (y, h) = if double {
                    if ghost {
                        (sy + sh * 0.54, sh * 0.36)
                    } else {
                        (sy + sh * 0.12, sh * 0.36)
                    }
                } else {
                    (sy + sh * 0.25, sh * 0.5)
                };
                out.outages.push(Bar {
                    x0: scale.x(gone),
                    x1: clip(restored),
                    y,
                    height: h,
                    ghost,
                });
            }
        }
    }

    // Markers: the record's entries (the epilogue lives off this day's axis) and the ghost's,
    // each already in time order; merged so keyboard focus moves through time.
    let mut record = Vec::new();
    for (k, e) in i.replay.entries.iter().enumerate() {
        if e.epilogue {
            continue;
        }
        let (at, assumed) = match e.at {
            Some(at) => (at, e.assumed),
            // The merge: the record has no time; drawn where the model assumes it.
            None => match i.record.merged_at {
                Some(at) => (at, true),
                None => continue,
            },
        };
        if at <= now && i.room_from.is_none_or(|from| at >= from) {
            record.push(Marker {
                id: MarkerId::Record(k),
                x: scale.x(at),
                y: out.row_y(e.lane, false),
                lane: e.lane,
                ghost: false,
                assumed,
                at,
            });
        }
    }
    let mut ghost = Vec::new();
    if let Some((_, trace)) = i.ghost {
        for (k, e) in trace.iter().enumerate() {
            if e.at <= now && i.room_from.is_none_or(|from| e.at >= from) {
                let lane = e.kind.lane();
                ghost.push(Marker {
                    id: MarkerId::Ghost(k),
                    x: scale.x(e.at),
                    y: out.row_y(lane, true),
                    lane,
                    ghost: true,
                    assumed: e.kind.assumed().is_some(),
                    at: e.at,
                });
            }
        }
    }
    spread_coincident(&mut record);
    spread_coincident(&mut ghost);
    out.markers = merge_by_time(record, ghost);

    // Data debt: missed events pile up while the service is gone and drain when replayed.
    let data = &out.lanes[Lane::Data.index()];
    let (base, top) = (data.y + data.height - 4.0, data.y + 6.0);
    let peak = [Some(i.record), i.ghost.map(|g| g.0)]
        .into_iter()
        .flatten()
        .map(|r| r.events.missed)
        .max()
        .unwrap_or(0);
    if peak > 0 && whole {
        for (run, ghost) in [(Some(i.record), false), (i.ghost.map(|g| g.0), true)] {
            let Some(run) = run else { continue };
            if let Some(path) = debt_path(run, &scale, now, base, top, peak as f64) {
                out.debt.push(Area { path, ghost });
            }
        }
    }

    // Metric spans.
    let mut y = spans_y + SPAN_ROW / 2.0;
    for &metric in i.spans.iter().filter(|_| whole) {
        for (run, ghost) in [(Some(i.record), false), (i.ghost.map(|g| g.0), true)] {
            let Some(run) = run else { continue };
            if let Some((from, to)) = metric.span(run) {
                if now > from {
                    out.spans.push(SpanBar {
                        metric,
                        ghost,
                        x0: scale.x(from),
                        x1: clip(to),
                        y,
                        complete: to <= now,
                        duration: to - from,
                    });
                }
            }
            y += SPAN_ROW;
        }
    }
    out
}

/// Markers at (nearly) the same place in the same row are nudged apart vertically (down,
/// up, further down…) so each stays visible and clickable. `markers` is in time order.
fn spread_coincident(markers: &mut [Marker]) {
    // Per lane: the x of the last marker and how many stack at it.
    let mut last: [(f64, u32); 6] = [(f64::NEG_INFINITY, 0); 6];
    for m in markers.iter_mut() {
        let slot = &mut last[m.lane.index()];
        if m.x - slot.0 < 10.0 {
            slot.1 += 1;
            let k = slot.1 as f64;
            let step = ((k + 1.0) / 2.0).floor() * 7.0;
            m.y += if slot.1 % 2 == 1 { step } else { -step };
        } else {
            *slot = (m.x, 0);
        }
    }
}

/// Two time-ordered lists as one, the record first at equal times.
fn merge_by_time(a: Vec<Marker>, b: Vec<Marker>) -> Vec<Marker> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.at <= y.at,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
    out
}

/// The backlog of missed events as a closed area path, up to `now`.
fn debt_path(
    r: &RunRecord,
    scale: &TimeScale,
    now: SimTime,
    base: f64,
    top: f64,
    peak: f64,
) -> Option<String> {
    let gone = r.gone_at?;
    let restored = r.restored_at?;
    if now <= gone {
        return None;
    }
    let missed = r.events.missed as f64;
    let lost = r.events.lost as f64;
    // (time, backlog) corners: ramp up while gone, flat until the replay starts, drain to the
    // events that could not be recovered.
    let mut points: Vec<(SimTime, f64)> = vec![(gone, 0.0), (restored, missed)];
    match (r.recovery_started_at, r.recovered_at) {
        (Some(start), Some(done)) => {
            points.push((start.max(restored), missed));
            points.push((done.max(start), lost));
            points.push((scale.t1.max(done), lost));
        }
        _ => points.push((scale.t1.max(restored), missed)),
    }
    let y = |v: f64| base - (v / peak) * (base - top);
    let mut d = format!("M{},{}", super::px(scale.x(gone)), super::px(base));
    let mut last = (gone, 0.0);
    for w in points.windows(2) {
        let ((t0, v0), (t1, v1)) = (w[0], w[1]);
        if now <= t0 {
            break;
        }
        let t = t1.min(now);
        let v = if t1 > t0 {
            v0 + (v1 - v0) * (t - t0) as f64 / (t1 - t0) as f64
        } else {
            v1
        };
        d.push_str(&format!(" L{},{}", super::px(scale.x(t)), super::px(y(v))));
        last = (t, v);
    }
    d.push_str(&format!(
        " L{},{} Z",
        super::px(scale.x(last.0)),
        super::px(base)
    ));
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::montecarlo::counterfactual;
    use outage_sim::replay::as_recorded;
    use outage_sim::scenario::builtin;
    use outage_sim::Config;

    fn fixture() -> (Scenario, Replay, RunRecord) {
        let s = builtin("eptura-2024-07-10").unwrap();
        let replay = as_recorded(&s);
        let (record, _) = counterfactual(&s, &Config::none(), 1);
        (s, replay, record)
    }

    #[test]
    fn the_range_covers_merge_to_resolution_on_quarter_hours() {
        let (s, _, record) = fixture();
        let (t0, t1) = view_range(&s, &record, None);
        assert_eq!(s.clock.hhmm_local(t0), "14:15");
        assert_eq!(
            s.clock.hhmm_local(t1),
            "18:15",
            "18:05 + 10 min, on a quarter hour"
        );
    }

    #[test]
    fn nothing_after_the_playhead_is_drawn() {
        let (s, replay, record) = fixture();
        let range = view_range(&s, &record, None);
        let at = |now| {
            layout(&Inputs {
                scenario: &s,
                replay: &replay,
                record: &record,
                ghost: None,
                range,
                now,
                width: 1000.0,
                spans: &[Metric::TimeToDetect],
                room_from: None,
            })
        };
        let before = at(range.0);
        assert!(
            before.markers.is_empty()
                && before.outages.is_empty()
                && before.debt.is_empty()
                && before.unknown.is_none()
        );
        let mid = at(s.clock.on_origin_day(15, 40));
        let shown: Vec<SimTime> = mid.markers.iter().map(|m| m.at).collect();
        assert!(shown.iter().all(|&t| t <= s.clock.on_origin_day(15, 40)));
        assert_eq!(mid.markers.len(), 4, "merge, gone, 15:34, 15:38");
        assert!(mid.spans[0].complete, "TTD ended at 15:34");
        let end = at(range.1);
        assert_eq!(
            end.markers.len(),
            replay.entries.len() - 1,
            "all but the epilogue"
        );
        assert!(end
            .markers
            .iter()
            .all(|m| m.x >= LABEL_WIDTH && m.x <= end.width));
    }

    #[test]
    fn on_a_phone_the_plot_keeps_the_width_and_the_first_tick_its_room() {
        let (s, replay, record) = fixture();
        let range = view_range(&s, &record, None);
        let at = |width| {
            layout(&Inputs {
                scenario: &s,
                replay: &replay,
                record: &record,
                ghost: None,
                range,
                now: range.1,
                width,
                spans: &[],
                room_from: None,
            })
        };
        let phone = at(322.0);
        assert!(phone.compact);
        assert_eq!(phone.width, 322.0, "no wider than the screen");
        assert!(
            phone.scale.x1 - phone.scale.x0 > 250.0,
            "the plot uses the width"
        );
        let wide = at(1400.0);
        assert_eq!(wide.ticks[0].local, "14:15");
        for l in [&phone, &wide] {
            // The first tick (14:15, at the plot's left edge) reads to the right of the axis's
            // zone names, which end ZONE_GAP before the plot.
            let (x, anchor) = l.tick_labels[0].unwrap();
            if l.ticks[0].x == l.label_width {
                assert_eq!(anchor, Anchor::Start);
            }
            assert!(anchor.extent(x, text_width("15:00", 11.0)).0 >= l.label_width);
            let shown: Vec<(f64, f64)> = l
                .tick_labels
                .iter()
                .flatten()
                .map(|&(x, a)| a.extent(x, text_width("15:00", 11.0)))
                .collect();
            assert!(shown.windows(2).all(|w| w[0].1 + 6.0 <= w[1].0 + 1e-9));
            assert!(shown.last().unwrap().1 <= l.width);
        }
    }

    #[test]
    fn the_unknown_window_runs_from_impact_to_discovery() {
        let (s, replay, record) = fixture();
        let range = view_range(&s, &record, None);
        let l = layout(&Inputs {
            scenario: &s,
            replay: &replay,
            record: &record,
            ghost: None,
            range,
            now: range.1,
            width: 1000.0,
            spans: &[],
            room_from: None,
        });
        let (x0, x1) = l.unknown.unwrap();
        assert!((x0 - l.scale.x(s.impact_start())).abs() < 1e-9);
        assert!((x1 - l.scale.x(s.event_time("discovered").unwrap())).abs() < 1e-9);
    }

    #[test]
    fn the_ghost_gets_its_own_rows_and_spans() {
        let (s, replay, record) = fixture();
        let (ghost, trace) = counterfactual(&s, &Config::from_specs(&["uptime_check"]).unwrap(), 1);
        let range = view_range(&s, &record, Some(&ghost));
        let l = layout(&Inputs {
            scenario: &s,
            replay: &replay,
            record: &record,
            ghost: Some((&ghost, &trace)),
            range,
            now: range.1,
            width: 1200.0,
            spans: &[Metric::TimeToDetect, Metric::TimeToMitigate],
            room_from: None,
        });
        assert!(l.double);
        assert_eq!(l.spans.len(), 4);
        assert!(l.markers.iter().any(|m| m.ghost) && l.markers.iter().any(|m| !m.ghost));
        let ghost_ttd = l
            .spans
            .iter()
            .find(|s| s.ghost && s.metric == Metric::TimeToDetect)
            .unwrap();
        assert!(ghost_ttd.duration < 60_000);
        assert_eq!(l.debt.len(), 2);
        assert!(l
            .debt
            .iter()
            .all(|a| a.path.starts_with('M') && a.path.ends_with('Z')));
    }

    #[test]
    fn coincident_markers_are_spread_apart() {
        let mk = |x| Marker {
            id: MarkerId::Ghost(0),
            x,
            y: 10.0,
            lane: Lane::Detection,
            ghost: true,
            assumed: false,
            at: 0,
        };
        let mut v = vec![mk(100.0), mk(101.0), mk(102.0), mk(300.0)];
        spread_coincident(&mut v);
        let ys: Vec<f64> = v.iter().map(|m| m.y).collect();
        assert_eq!(ys, vec![10.0, 17.0, 3.0, 10.0]);
    }

    #[test]
    fn markers_come_in_time_order() {
        let (s, replay, record) = fixture();
        let (ghost, trace) = counterfactual(
            &s,
            &Config::from_specs(&["uptime_check", "auto_page"]).unwrap(),
            1,
        );
        let range = view_range(&s, &record, Some(&ghost));
        let l = layout(&Inputs {
            scenario: &s,
            replay: &replay,
            record: &record,
            ghost: Some((&ghost, &trace)),
            range,
            now: range.1,
            width: 1000.0,
            spans: &[],
            room_from: None,
        });
        assert!(l.markers.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(l.markers.len(), replay.entries.len() - 1 + trace.len());
    }
}
