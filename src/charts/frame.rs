//! The frame of a chart that leaves the page (an SVG or PNG download): a title above it and a
//! caption line under it (scenario, seed, runs, date), each wrapped to the chart's width, and the
//! slide size. A chart on the page sits under its section's heading; a downloaded one must say
//! what it is by itself. Pure geometry: `export` draws it.

use super::labels::text_width;

/// A slide, in the units the chart is laid out in; the PNG doubles it to 1920 × 1080.
pub const SLIDE: (f64, f64) = (960.0, 540.0);
/// How much larger than its layout a PNG is drawn (sharp on high-density screens and slides).
pub const PNG_SCALE: f64 = 2.0;
/// Space around the title and the caption.
const PAD: f64 = 12.0;

/// The type sizes of a frame: a page-sized download, or a slide.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Type {
    pub title_px: f64,
    pub caption_px: f64,
}

/// Type for a download the size of the chart on the page.
pub const PAGE_TYPE: Type = Type {
    title_px: 16.0,
    caption_px: 11.0,
};
/// Type for a slide (read from across a room).
pub const SLIDE_TYPE: Type = Type {
    title_px: 24.0,
    caption_px: 13.0,
};

/// A line of text with its baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub text: String,
    pub y: f64,
}

/// Where everything goes in a framed chart `width` wide.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub kind: Type,
    pub title: Vec<Line>,
    /// The chart's top.
    pub chart_y: f64,
    pub chart_height: f64,
    pub caption: Vec<Line>,
    /// The left edge of the text.
    pub x: f64,
}

/// Words of `text` in lines no wider than `width` at `font_px` (a word longer than a line has
/// its own line).
pub fn wrap(text: &str, width: f64, font_px: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), font_px) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The title's and the caption's lines: how many, at the frame's width.
fn lines(text: &str, width: f64, font_px: f64) -> Vec<String> {
    wrap(text, (width - 2.0 * PAD).max(40.0), font_px)
}

/// The height the title and caption take at `width`.
pub fn bands(width: f64, title: &str, caption: &str, kind: Type) -> f64 {
    let t = lines(title, width, kind.title_px).len() as f64;
    let c = lines(caption, width, kind.caption_px).len() as f64;
    PAD + t * kind.title_px * 1.25 + PAD / 2.0 + c * kind.caption_px * 1.35 + PAD / 2.0
}

/// Lines of text set one under the other from `top`: each line's baseline, for type of `px`
/// and a line height of `line_height`.
fn stacked(texts: Vec<String>, top: f64, px: f64, line_height: f64) -> Vec<Line> {
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Line {
            text,
            y: top + px + i as f64 * line_height,
        })
        .collect()
}

/// Frames a chart `width` × `chart_height` with `title` above and `caption` below.
pub fn frame(width: f64, chart_height: f64, title: &str, caption: &str, kind: Type) -> Frame {
    let title_lh = kind.title_px * 1.25;
    let caption_lh = kind.caption_px * 1.35;
    let title = stacked(
        lines(title, width, kind.title_px),
        PAD,
        kind.title_px,
        title_lh,
    );
    let chart_y = PAD + title.len() as f64 * title_lh + PAD / 2.0;
    let caption_top = chart_y + chart_height;
    let caption = stacked(
        lines(caption, width, kind.caption_px),
        caption_top,
        kind.caption_px,
        caption_lh,
    );
    let height = caption_top + caption.len() as f64 * caption_lh + PAD / 2.0;
    Frame {
        width,
        height,
        kind,
        title,
        chart_y,
        chart_height,
        caption,
        x: PAD,
    }
}

/// The caption line of a downloaded chart: `Scenario … · seed 1 · 10,000 runs per
/// configuration · 2024-07-10 · Outage Drill 0.1.0 (build …)`.
pub fn caption(what: &str, date: &str, app_version: &str) -> String {
    format!("{what} · {date} · Outage Drill {app_version}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_within_the_width_and_keep_every_word() {
        let text = "Time to detect: share of runs at most x, per configuration, over 10,000 runs";
        let lines = wrap(text, 200.0, 16.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(
                text_width(line, 16.0) <= 200.0 || !line.contains(' '),
                "{line}"
            );
        }
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("", 100.0, 12.0), Vec::<String>::new());
    }

    #[test]
    fn title_chart_and_caption_never_overlap_and_fill_the_height() {
        for width in [320.0, 760.0, SLIDE.0] {
            let f = frame(
                width,
                300.0,
                "Time to detect: distribution over 10,000 runs per configuration",
                &caption(
                    "Scenario eptura-2024-07-10 · seed 1 · 10,000 runs per configuration",
                    "2026-01-10",
                    "0.1.0 (build 1a2b3c)",
                ),
                PAGE_TYPE,
            );
            let title_bottom = f.title.last().unwrap().y + 4.0;
            assert!(title_bottom <= f.chart_y, "{f:?}");
            assert!(f.caption[0].y - PAGE_TYPE.caption_px >= f.chart_y + 300.0 - 0.01);
            assert!(f.caption.last().unwrap().y < f.height);
            for line in f.title.iter() {
                assert!(f.x + text_width(&line.text, PAGE_TYPE.title_px) <= width - f.x + 0.01);
            }
            let expected = bands(
                width,
                "Time to detect: distribution over 10,000 runs per configuration",
                &caption(
                    "Scenario eptura-2024-07-10 · seed 1 · 10,000 runs per configuration",
                    "2026-01-10",
                    "0.1.0 (build 1a2b3c)",
                ),
                PAGE_TYPE,
            );
            assert!(
                (f.height - 300.0 - expected).abs() < 0.01,
                "{} vs {expected}",
                f.height - 300.0
            );
        }
    }
}
