//! Where chart labels go so that they never collide: labels beside markers stacked into rows
//! (P50/P90/P99 of several series), axis tick labels anchored so the first and last keep clear
//! of the axis's own names and the chart's edges, and legend items wrapped into rows. Widths are
//! estimated from the text (the charts use one small font), with a margin.

/// How a label's text is anchored at its x (SVG `text-anchor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }

    /// The left and right edges of a label of `width` anchored at `x`.
    pub fn extent(self, x: f64, width: f64) -> (f64, f64) {
        match self {
            Anchor::Start => (x, x + width),
            Anchor::Middle => (x - width / 2.0, x + width / 2.0),
            Anchor::End => (x - width, x),
        }
    }
}

/// The width of `text` in the charts' font of `font_px`, estimated generously (digits and
/// capitals of the system sans-serif are about 0.6 em; a margin covers wider faces).
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * font_px * 0.62 + 2.0
}

/// A label placed beside its marker: its text's x, anchor, and the row (0 = top) it sits in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub anchor: Anchor,
    pub row: usize,
}

/// Places labels beside vertical markers at `xs` (with their text `widths`) within
/// `[left, right]`: each reads to the right of its marker, or to its left when it would leave
/// the chart, in the first row where it keeps `gap` from every label already there.
pub fn place_in_rows(xs: &[f64], widths: &[f64], left: f64, right: f64, gap: f64) -> Vec<Placed> {
    const OFFSET: f64 = 3.0;
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    // The right edge of the last label in each row.
    let mut rows: Vec<f64> = Vec::new();
    let mut out = vec![
        Placed {
            x: 0.0,
            anchor: Anchor::Start,
            row: 0
        };
        xs.len()
    ];
    for i in order {
        let (x, w) = (xs[i], widths[i]);
        let (lx, anchor) = if x + OFFSET + w <= right {
            ((x + OFFSET).max(left), Anchor::Start)
        } else {
            ((x - OFFSET).max(left + w), Anchor::End)
        };
        let (l, r) = anchor.extent(lx, w);
        let row = match rows.iter().position(|&end| l >= end + gap) {
            Some(row) => row,
            None => {
                rows.push(f64::NEG_INFINITY);
                rows.len() - 1
            }
        };
        rows[row] = r;
        out[i] = Placed { x: lx, anchor, row };
    }
    out
}

/// Tick labels along an axis: centred on their tick, but kept within `[left, right]` (the
/// first tick after an axis name, the last before the chart's edge) by anchoring at that side;
/// a label that would still touch the one before it is left out (`None`).
pub fn tick_labels(
    xs: &[f64],
    widths: &[f64],
    left: f64,
    right: f64,
    gap: f64,
) -> Vec<Option<(f64, Anchor)>> {
    let mut last_right = f64::NEG_INFINITY;
    xs.iter()
        .zip(widths)
        .map(|(&x, &w)| {
            let (lx, anchor) = if x - w / 2.0 < left {
                (left.max(x), Anchor::Start)
            } else if x + w / 2.0 > right {
                (right.min(x), Anchor::End)
            } else {
                (x, Anchor::Middle)
            };
            let (l, r) = anchor.extent(lx, w);
            (l >= last_right + gap && l >= left - 1e-9 && r <= right + 1e-9).then(|| {
                last_right = r;
                (lx, anchor)
            })
        })
        .collect()
}

/// Legend items of `widths` laid out left to right from `x0`, wrapping before `right`: the
/// (x, row) of each item.
pub fn legend_rows(widths: &[f64], x0: f64, right: f64, gap: f64) -> Vec<(f64, usize)> {
    let mut x = x0;
    let mut row = 0;
    widths
        .iter()
        .map(|&w| {
            if x > x0 && x + w > right {
                x = x0;
                row += 1;
            }
            let at = (x, row);
            x += w + gap;
            at
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn overlap(a: (f64, f64), b: (f64, f64), gap: f64) -> bool {
        a.0 < b.1 + gap - 1e-9 && b.0 < a.1 + gap - 1e-9
    }

    #[test]
    fn close_quantiles_go_to_separate_rows() {
        // P50, P90 and P99 of two series, bunched up.
        let xs = [100.0, 104.0, 108.0, 101.0, 105.0, 400.0];
        let widths = [20.0; 6];
        let placed = place_in_rows(&xs, &widths, 52.0, 500.0, 4.0);
        let rows: Vec<usize> = placed.iter().map(|p| p.row).collect();
        assert_eq!(rows, vec![0, 2, 4, 1, 3, 0]);
        // At the right edge a label reads to the left of its marker.
        let edge = place_in_rows(&[495.0], &[20.0], 52.0, 500.0, 4.0);
        assert_eq!(edge[0].anchor, Anchor::End);
        assert!(edge[0].x <= 495.0);
    }

    #[test]
    fn the_first_tick_keeps_clear_of_the_axis_names() {
        // "CDT" ends at 166; the first tick, 14:15, is at 176: centred it would touch it.
        let xs = [176.0, 240.0, 304.0, 980.0];
        let w = text_width("14:15", 11.0);
        let labels = tick_labels(&xs, &[w; 4], 176.0 - 2.0, 990.0, 6.0);
        assert_eq!(labels[0], Some((176.0, Anchor::Start)));
        assert_eq!(labels[1], Some((240.0, Anchor::Middle)));
        assert_eq!(labels[3].unwrap().1, Anchor::End);
    }

    #[test]
    fn legends_wrap() {
        let at = legend_rows(&[100.0, 100.0, 100.0], 10.0, 250.0, 10.0);
        assert_eq!(at, vec![(10.0, 0), (120.0, 0), (10.0, 1)]);
    }

    proptest! {
        #[test]
        fn placed_labels_never_overlap_and_stay_inside(
            items in proptest::collection::vec((0.0f64..600.0, 10.0f64..60.0), 0..12)
        ) {
            let (left, right, gap) = (50.0, 600.0, 4.0);
            let xs: Vec<f64> = items.iter().map(|i| i.0).collect();
            let widths: Vec<f64> = items.iter().map(|i| i.1).collect();
            let placed = place_in_rows(&xs, &widths, left, right, gap);
            for (i, a) in placed.iter().enumerate() {
                let ea = a.anchor.extent(a.x, widths[i]);
                prop_assert!(ea.0 >= left - 1e-9 && ea.1 <= right + 1e-9, "{ea:?}");
                for (j, b) in placed.iter().enumerate().skip(i + 1) {
                    if a.row == b.row {
                        prop_assert!(!overlap(ea, b.anchor.extent(b.x, widths[j]), gap));
                    }
                }
            }
        }

        #[test]
        fn tick_labels_never_overlap(
            mut xs in proptest::collection::vec(0.0f64..800.0, 0..20),
            w in 10.0f64..70.0,
        ) {
            xs.sort_by(f64::total_cmp);
            let labels = tick_labels(&xs, &vec![w; xs.len()], 60.0, 780.0, 6.0);
            let shown: Vec<(f64, f64)> = labels.iter().flatten().map(|&(x, a)| a.extent(x, w)).collect();
            for pair in shown.windows(2) {
                prop_assert!(pair[1].0 >= pair[0].1 + 6.0 - 1e-9);
            }
            prop_assert!(shown.iter().all(|e| e.0 >= 60.0 - 1e-9 && e.1 <= 780.0 + 1e-9));
        }
    }
}
