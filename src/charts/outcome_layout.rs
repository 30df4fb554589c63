//! Geometry of the outcome slide's chart: the room's day against the record as two tracks on one
//! time axis, each with the service's outage, the missed events still waiting to be replayed,
//! and when the incident was resolved, every end labelled with its time; the room's decisions
//! and curveballs as numbered marks on its track (the numbers key the consequences beside the
//! chart); a legend. Laid out at the size it is drawn, in pixels, for a font size the projector
//! chooses from the screen, so that the type is as large on the screen as asked.

use outage_sim::metrics::RunRecord;
use outage_sim::scenario::Scenario;
use outage_sim::time::{SimTime, MINUTE};

use super::labels::{legend_rows, place_in_rows, text_width, tick_labels, Anchor};
use super::scale::{ceil_to, floor_to, TimeScale};

/// A mark on the room's track: a decision or a curveball, numbered as in the list beside.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MarkInput {
    pub at: SimTime,
    pub number: usize,
    pub curveball: bool,
}

pub struct OutcomeInputs<'a> {
    pub scenario: &'a Scenario,
    pub record: &'a RunRecord,
    pub room: &'a RunRecord,
    pub marks: &'a [MarkInput],
    pub width: f64,
    /// The font size, in pixels as drawn.
    pub font: f64,
}

/// A label with its place.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub anchor: Anchor,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    pub name: &'static str,
    pub room: bool,
    /// The band's top and height.
    pub y: f64,
    pub height: f64,
    /// The bar's top and height.
    pub bar_y: f64,
    pub bar_h: f64,
    /// The service unavailable.
    pub outage: Option<(f64, f64)>,
    /// Missed events not yet replayed (after the service is back).
    pub waiting: Option<(f64, f64)>,
    /// Resolved.
    pub resolved: Option<f64>,
    pub labels: Vec<Label>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub number: usize,
    pub curveball: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub x: f64,
    pub y: f64,
    /// `outage`, `waiting`, `decision`, `curveball`, `resolved`.
    pub kind: &'static str,
    pub text: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeLayout {
    pub width: f64,
    pub height: f64,
    pub font: f64,
    pub plot: (f64, f64),
    pub tracks: Vec<Track>,
    pub marks: Vec<Mark>,
    pub axis_y: f64,
    pub ticks: Vec<(f64, Option<Label>)>,
    pub legend: Vec<LegendItem>,
}

const LEGEND: [(&str, &str); 5] = [
    ("outage", "Service unavailable"),
    ("waiting", "Missed events not yet replayed"),
    ("resolved", "Resolved"),
    ("decision", "Your decision (numbered)"),
    ("curveball", "Curveball"),
];

/// The span the chart shows: from before the service went (or the first mark) to after the
/// later resolution, on quarter hours.
fn span(i: &OutcomeInputs) -> (SimTime, SimTime) {
    let runs = [i.record, i.room];
    let start = runs
        .iter()
        .filter_map(|r| r.gone_at.or(r.detected_at))
        .chain(i.marks.iter().map(|m| m.at))
        .min()
        .unwrap_or(i.scenario.impact_start());
    let end = runs
        .iter()
        .filter_map(|r| r.resolved_at.or(r.recovered_at).or(r.restored_at))
        .chain(i.marks.iter().map(|m| m.at))
        .max()
        .unwrap_or(start + 60 * MINUTE);
    (
        floor_to(start - 5 * MINUTE, 15 * MINUTE),
        ceil_to(end + 5 * MINUTE, 15 * MINUTE),
    )
}

/// Each mark's x and row (0 next to the bar): a mark and its number take a row's room from the
/// mark's left edge to the end of its number; the next one at the same place goes a row up.
fn mark_rows_for(marks: &[MarkInput], scale: &TimeScale, f: f64) -> Vec<(f64, usize)> {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by_key(|&k| (marks[k].at, marks[k].number));
    let mut rows: Vec<f64> = Vec::new();
    let mut out = vec![(0.0, 0); marks.len()];
    for k in order {
        let x = scale.x(marks[k].at);
        let (left, right) = (
            x - f * 0.7,
            x + f * 0.7 + 3.0 + text_width(&marks[k].number.to_string(), f),
        );
        let row = match rows.iter().position(|&end| left >= end + f * 0.3) {
            Some(row) => row,
            None => {
                rows.push(f64::NEG_INFINITY);
                rows.len() - 1
            }
        };
        rows[row] = right;
        out[k] = (x, row);
    }
    out
}

pub fn outcome_layout(i: &OutcomeInputs) -> OutcomeLayout {
    let f = i.font;
    let names = ["As it happened", "Your day"];
    let label_w = names.iter().map(|n| text_width(n, f)).fold(0.0, f64::max) + f;
    let right = i.width - f;
    let (t0, t1) = span(i);
    let scale = TimeScale::new(t0, t1, label_w, right);
    let clock = &i.scenario.clock;
    let hhmm = |t: SimTime| clock.hhmm_local(t);
    let line = f * 1.25;
    let bar_h = f * 1.3;
    let mark_h = f * 1.5;
    let mut y = f * 0.4;
    let mut tracks = Vec::new();
    let mut marks = Vec::new();
    for (k, run) in [i.record, i.room].into_iter().enumerate() {
        let room = k == 1;
        let top = y;
        // The room's marks sit above its bar, in rows so that marks at the same moment (several
        // decisions at one inject) and their numbers never cover each other.
        let mut mark_rows = 0;
        if room {
            let placed = mark_rows_for(i.marks, &scale, f);
            mark_rows = placed.iter().map(|p| p.1 + 1).max().unwrap_or(0);
            marks = i
                .marks
                .iter()
                .zip(&placed)
                .map(|(m, (x, row))| Mark {
                    x: *x,
                    y: top + mark_h * (mark_rows - 1 - row) as f64 + mark_h / 2.0,
                    number: m.number,
                    curveball: m.curveball,
                })
                .collect();
        }
        let bar_y = top + mark_h * mark_rows as f64;
        let x = |t: Option<SimTime>| t.map(|t| scale.x(t));
        let outage = match (x(run.gone_at), x(run.restored_at)) {
            (Some(a), Some(b)) => Some((a, b)),
            (Some(a), None) => Some((a, right)),
            _ => None,
        };
        let waiting = match (x(run.restored_at), x(run.recovered_at)) {
            (Some(a), Some(b)) if b > a => Some((a, b)),
            _ => None,
        };
        let resolved = x(run.resolved_at);
        // Every end labelled with its time, in rows under the bar that never collide.
        let mut ends: Vec<(f64, String)> = Vec::new();
        if let Some(t) = run.restored_at {
            ends.push((scale.x(t), format!("back {}", hhmm(t))));
        }
        if let Some(t) = run.recovered_at {
            ends.push((scale.x(t), format!("replayed {}", hhmm(t))));
        }
        if let Some(t) = run.resolved_at {
            ends.push((scale.x(t), format!("resolved {}", hhmm(t))));
        }
        if run.gone_at.is_none() {
            ends.push((label_w, "no outage".into()));
        }
        let xs: Vec<f64> = ends.iter().map(|e| e.0).collect();
        let widths: Vec<f64> = ends.iter().map(|e| text_width(&e.1, f)).collect();
        let placed = place_in_rows(&xs, &widths, label_w, right, f * 0.6);
        let rows = placed.iter().map(|p| p.row + 1).max().unwrap_or(0);
        let labels = placed
            .iter()
            .zip(ends)
            .map(|(p, (_, text))| Label {
                x: p.x,
                y: bar_y + bar_h + line * (p.row as f64 + 1.0) - f * 0.2,
                anchor: p.anchor,
                text,
            })
            .collect();
        let height = (bar_y - top) + bar_h + line * rows as f64 + f * 0.5;
        tracks.push(Track {
            name: names[k],
            room,
            y: top,
            height,
            bar_y,
            bar_h,
            outage,
            waiting,
            resolved,
            labels,
        });
        y += height + f * 0.4;
    }
    let axis_y = y;
    let ticks = scale.ticks(clock, text_width("00:00", f) + f * 1.5);
    let xs: Vec<f64> = ticks.iter().map(|t| t.x).collect();
    let widths: Vec<f64> = ticks.iter().map(|t| text_width(&t.local, f)).collect();
    let placed = tick_labels(&xs, &widths, label_w, i.width, f * 0.5);
    let ticks = ticks
        .iter()
        .zip(placed)
        .map(|(t, p)| {
            (
                t.x,
                p.map(|(x, anchor)| Label {
                    x,
                    y: axis_y + f * 1.2,
                    anchor,
                    text: t.local.clone(),
                }),
            )
        })
        .collect();
    let legend_y = axis_y + f * 2.4;
    let swatch = f * 1.4;
    let items: Vec<(&str, &str)> = LEGEND
        .iter()
        .copied()
        .filter(|(kind, _)| match *kind {
            "decision" => i.marks.iter().any(|m| !m.curveball),
            "curveball" => i.marks.iter().any(|m| m.curveball),
            _ => true,
        })
        .collect();
    let widths: Vec<f64> = items
        .iter()
        .map(|(_, text)| swatch + f * 0.4 + text_width(text, f))
        .collect();
    let rows = legend_rows(&widths, label_w, right, f * 1.2);
    let legend: Vec<LegendItem> = items
        .iter()
        .zip(&rows)
        .map(|((kind, text), (x, row))| LegendItem {
            x: *x,
            y: legend_y + *row as f64 * line * 1.1,
            kind,
            text,
        })
        .collect();
    let legend_rows_n = rows.iter().map(|r| r.1 + 1).max().unwrap_or(0);
    OutcomeLayout {
        width: i.width,
        height: legend_y + legend_rows_n as f64 * line * 1.1 + f * 0.2,
        font: f,
        plot: (label_w, right),
        tracks,
        marks,
        axis_y,
        ticks,
        legend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::exercise::builtin_exercise;
    use outage_sim::scenario::builtin;
    use outage_sim::{counterfactual, room_day, Config, Interventions};

    fn fixture() -> (Scenario, RunRecord, RunRecord) {
        let s = builtin("eptura-2024-07-10").unwrap();
        let e = builtin_exercise(&s.id).unwrap();
        let roll_back = e.parse_intervention(&s, "15:50=roll_back", false).unwrap();
        let (record, _) = counterfactual(&s, &Config::none(), 1);
        let (room, _) = room_day(
            &s,
            &Config::none(),
            &Interventions::new(vec![roll_back]).unwrap(),
            1,
        );
        (s, record, room)
    }

    #[test]
    fn marks_at_one_moment_stack_in_rows_above_the_bar() {
        let (s, record, room) = fixture();
        let at = s.clock.on_origin_day(15, 46);
        let marks: Vec<MarkInput> = (1..=4)
            .map(|number| MarkInput {
                at,
                number,
                curveball: number > 1,
            })
            .collect();
        let l = outcome_layout(&OutcomeInputs {
            scenario: &s,
            record: &record,
            room: &room,
            marks: &marks,
            width: 1800.0,
            font: 22.0,
        });
        let mut ys: Vec<f64> = l.marks.iter().map(|m| m.y).collect();
        ys.sort_by(f64::total_cmp);
        ys.dedup();
        assert_eq!(ys.len(), 4, "one row each");
        let day = &l.tracks[1];
        assert!(l.marks.iter().all(|m| m.y > day.y && m.y < day.bar_y));
        assert!(day.y + day.height <= l.axis_y);
    }

    #[test]
    fn both_days_on_one_axis_with_every_end_labelled_and_nothing_overlapping() {
        let (s, record, room) = fixture();
        let marks = [MarkInput {
            at: s.clock.on_origin_day(15, 50),
            number: 1,
            curveball: false,
        }];
        for (width, font) in [(1800.0, 22.0), (1200.0, 16.0), (700.0, 16.0)] {
            let l = outcome_layout(&OutcomeInputs {
                scenario: &s,
                record: &record,
                room: &room,
                marks: &marks,
                width,
                font,
            });
            assert_eq!(l.tracks.len(), 2);
            let (rec, day) = (&l.tracks[0], &l.tracks[1]);
            // The room's service came back first, so its outage bar ends further left.
            assert!(day.outage.unwrap().1 < rec.outage.unwrap().1);
            assert!(
                rec.labels.iter().any(|l| l.text == "back 17:01"),
                "{:?}",
                rec.labels
            );
            assert!(rec.labels.iter().any(|l| l.text == "resolved 18:05"));
            // Tracks and the axis stack without overlapping; everything stays inside.
            assert!(rec.y + rec.height <= day.y);
            assert!(day.y + day.height <= l.axis_y);
            for track in &l.tracks {
                for a in &track.labels {
                    let (x0, x1) = a.anchor.extent(a.x, text_width(&a.text, font));
                    assert!(x0 >= 0.0 && x1 <= width + 1e-6, "{a:?} at {width}");
                    assert!(a.y <= track.y + track.height, "{a:?}");
                }
                for (p, q) in track.labels.iter().zip(track.labels.iter().skip(1)) {
                    if (p.y - q.y).abs() < 1e-6 {
                        let (_, p1) = p.anchor.extent(p.x, text_width(&p.text, font));
                        let (q0, _) = q.anchor.extent(q.x, text_width(&q.text, font));
                        assert!(p1 <= q0 || q.x < p.x, "{p:?} {q:?}");
                    }
                }
            }
            assert_eq!(l.marks.len(), 1);
            assert!(
                l.marks[0].y < day.bar_y,
                "the mark sits above the room's bar"
            );
            assert!(l.legend.iter().any(|i| i.kind == "decision"));
            assert!(!l.legend.iter().any(|i| i.kind == "curveball"));
            for item in &l.legend {
                assert!(item.x + text_width(item.text, font) <= width, "{item:?}");
            }
            assert!(l.height > l.axis_y && l.ticks.iter().any(|t| t.1.is_some()));
        }
    }
}
