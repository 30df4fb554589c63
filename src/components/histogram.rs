//! A distribution chart for several configurations: side-by-side histogram bars (share of runs
//! per bin) with P50/P90/P99 markers, or cumulative curves, each series with its own colour,
//! dash and marker shape, a legend inside the chart, and both axes titled with their units. It
//! draws a `charts::histogram::Chart`, and offers the chart as downloads that explain
//! themselves (a title, a caption line with scenario, seed, runs and date; see `export`): SVG,
//! a PNG the size it has on the page, and a PNG laid out again for a 16:9 slide (1920 × 1080),
//! drawn off screen while it is saved.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::charts::frame::{self, bands, SLIDE, SLIDE_TYPE};
use crate::charts::histogram::{y_axis_title, Chart, LEFT, RIGHT, SWATCH};
use crate::charts::px;
use crate::export::{Framed, Size};
use crate::state::Shared;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    Bars,
    Cumulative,
}

#[derive(Properties, PartialEq)]
pub struct DistributionProps {
    pub chart: Shared<Chart>,
    pub style: Style,
    /// The accessible description of the chart (and the downloaded file's name).
    pub label: AttrValue,
    /// The title a downloaded chart carries (on the page, the section's heading says it).
    pub title: AttrValue,
    /// What the figures are of, for a downloaded chart's caption line: scenario, seed and runs
    /// (the date and the app's version are added when it is saved).
    pub caption: AttrValue,
    /// The same chart laid out at another width and plot height (a slide's); `None` when there
    /// is nothing to draw.
    pub relayout: Callback<(f64, f64), Option<Chart>>,
}

/// Series `k`'s marker shape centred at (x, y): circle, square, triangle, diamond.
pub fn marker_shape(k: usize, x: f64, y: f64) -> Html {
    let r = 4.0;
    match k % 4 {
        0 => html! { <circle cx={px(x)} cy={px(y)} r={px(r)} class="mark" /> },
        1 => {
            html! { <rect x={px(x - r)} y={px(y - r)} width={px(2.0 * r)} height={px(2.0 * r)} class="mark" /> }
        }
        2 => {
            let d = format!(
                "M{},{} L{},{} L{},{} Z",
                px(x),
                px(y - r - 1.0),
                px(x + r + 0.5),
                px(y + r),
                px(x - r - 0.5),
                px(y + r)
            );
            html! { <path d={d} class="mark" /> }
        }
        _ => {
            let d = format!(
                "M{},{} L{},{} L{},{} L{},{} Z",
                px(x),
                px(y - r - 1.0),
                px(x + r + 1.0),
                px(y),
                px(x),
                px(y + r + 1.0),
                px(x - r - 1.0),
                px(y)
            );
            html! { <path d={d} class="mark" /> }
        }
    }
}

/// The chart's drawing: legend, ticks, axes and their titles, series. The page and the
/// slide-sized copy for a download draw the same way.
fn plot(c: &Chart, style: Style) -> Html {
    let (w, h) = (c.width, c.height);
    let x_ticks = c.x_ticks.iter().map(|t| {
        html! {
            <g class="tick">
                <line x1={px(t.px)} x2={px(t.px)} y1={px(c.top)} y2={px(c.base)} class="grid" />
                if let Some((x, anchor)) = t.label_at {
                    <text x={px(x)} y={px(c.base + 16.0)} text-anchor={anchor.svg()} class="tick-local">{ t.label.clone() }</text>
                }
            </g>
        }
    });
    let y_ticks: Vec<Html> = match style {
        Style::Bars => c.y_ticks.iter().map(|t| html! {
            <text x={px(LEFT - 6.0)} y={px(t.px + 4.0)} text-anchor="end" class="tick-utc">{ t.label.clone() }</text>
        }).collect(),
        Style::Cumulative => [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")].iter().map(|&(f, label)| {
            let y = c.base - f * (c.base - c.top);
            html! { <text x={px(LEFT - 6.0)} y={px(y + 4.0)} text-anchor="end" class="tick-utc">{ label }</text> }
        }).collect(),
    };
    let series = c.series.iter().enumerate().map(|(k, s)| {
        let class = format!("series series-{k}");
        match style {
            Style::Bars => html! {
                <g class={class}>
                    { for s.bars.iter().map(|b| html! {
                        <rect x={px(b.x)} y={px(b.y)} width={px(b.width)} height={px(b.height)} />
                    }) }
                    // Each label in the band above the plot, in a row of its own if it would
                    // touch another; its line runs up to it.
                    { for s.quantiles.iter().map(|q| html! {
                        <g class="quantile">
                            <line x1={px(q.x)} x2={px(q.x)} y1={px(q.label_y + 3.0)} y2={px(c.base)} />
                            <text x={px(q.label_x)} y={px(q.label_y)} text-anchor={q.anchor.svg()} class="quantile-label">{ q.label }</text>
                        </g>
                    }) }
                </g>
            },
            Style::Cumulative => html! {
                <g class={class}>
                    <polyline points={s.cdf.clone()} class="cdf" />
                    { for s.markers.iter().map(|&(x, y)| marker_shape(k, x, y)) }
                </g>
            },
        }
    });
    let legend = c.legend.iter().enumerate().map(|(k, item)| {
        let y = item.y - 4.0;
        html! {
            <g class={format!("legend-item series series-{k}")}>
                <line x1={px(item.x)} x2={px(item.x + SWATCH - 6.0)} y1={px(y)} y2={px(y)} class="swatch" />
                { marker_shape(k, item.x + (SWATCH - 6.0) / 2.0, y) }
                <text x={px(item.x + SWATCH)} y={px(item.y)} class="legend-text">{ item.name.clone() }</text>
            </g>
        }
    });
    // The y axis's title runs up beside its ticks, centred on the plot.
    let y_title_at = (12.0, (c.top + c.base) / 2.0);
    html! {
        <>
            { for legend }
            { for x_ticks }
            { for y_ticks }
            <line x1={px(LEFT)} x2={px(w - RIGHT)} y1={px(c.base)} y2={px(c.base)} class="axis" />
            { for series }
            <text x={px((LEFT + w - RIGHT) / 2.0)} y={px(h - 6.0)} text-anchor="middle" class="axis-title">{ c.axis_title.clone() }</text>
            <text x={px(y_title_at.0)} y={px(y_title_at.1)} text-anchor="middle" class="axis-title y-title"
                  transform={format!("rotate(-90 {} {})", px(y_title_at.0), px(y_title_at.1))}>
                { y_axis_title(style == Style::Cumulative) }
            </text>
        </>
    }
}

/// A chart's `svg` element at its size.
fn chart_svg(c: &Chart, style: Style, label: &AttrValue) -> Html {
    html! {
        <svg class="chart" width={px(c.width)} height={px(c.height)} viewBox={format!("0 0 {} {}", px(c.width), px(c.height))}
             role="img" aria-label={label.clone()}>
            { plot(c, style) }
        </svg>
    }
}

/// The slide-sized chart: laid out again for the space a 16:9 slide leaves under its title
/// and above its caption.
fn slide_chart(
    relayout: &Callback<(f64, f64), Option<Chart>>,
    title: &str,
    caption: &str,
) -> Option<Chart> {
    let (width, height) = SLIDE;
    let room = height - bands(width, title, caption, SLIDE_TYPE);
    // The legend and labels add to the plot's height: lay out once to learn how much.
    let first = relayout.emit((width, room * 0.7))?;
    let plot = (room * 0.7 + room - first.height).max(80.0);
    relayout.emit((width, plot))
}

#[component]
pub fn Distribution(props: &DistributionProps) -> Html {
    let c = &*props.chart;
    let figure = use_node_ref();
    // A slide-sized copy, drawn off screen while it is saved as a PNG.
    let staged = use_state(|| None::<(Shared<Chart>, Framed)>);
    let failed = use_state(|| None::<String>);
    // What a download says about itself, made when it is asked for (the date is that day's).
    let framed = {
        let (title, caption, label) = (
            props.title.clone(),
            props.caption.clone(),
            props.label.clone(),
        );
        move || Framed {
            title: title.to_string(),
            caption: frame::caption(&caption, &today(), &crate::version::app_version()),
            description: label.to_string(),
        }
    };
    let on_svg = {
        let (figure, failed, name) = (figure.clone(), failed.clone(), props.label.clone());
        let framed = framed.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = chart_of(&figure, "svg.chart") {
                match crate::export::download_svg(&svg, &name, &framed()) {
                    Ok(()) => failed.set(None),
                    Err(e) => failed.set(Some(describe(&e))),
                }
            }
        })
    };
    let on_png = {
        let (figure, failed, name) = (figure.clone(), failed.clone(), props.label.clone());
        let framed = framed.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = chart_of(&figure, "svg.chart") {
                save_png(svg, name.to_string(), framed(), Size::Page, failed.clone());
            }
        })
    };
    let on_slide = {
        let (staged, failed, relayout) = (staged.clone(), failed.clone(), props.relayout.clone());
        Callback::from(move |_: MouseEvent| {
            let framed = framed();
            match slide_chart(&relayout, &framed.title, &framed.caption) {
                Some(c) => staged.set(Some((Shared::new(c), framed))),
                None => failed.set(Some("there is nothing to draw".into())),
            }
        })
    };
    {
        // Once the slide-sized copy is drawn, its look is read and it is saved, then removed.
        let (figure, staged_now, failed) = (figure.clone(), staged.clone(), failed.clone());
        let name = props.label.clone();
        use_effect_with(staged.as_ref().map(|(c, _)| c.clone()), move |_| {
            if let Some((_, framed)) = &*staged_now {
                if let Some(svg) = chart_of(&figure, ".export-stage svg") {
                    save_png(
                        svg,
                        format!("{name} slide"),
                        framed.clone(),
                        Size::Slide,
                        failed,
                    );
                }
                staged_now.set(None);
            }
        });
    }
    html! {
        <figure class="distribution" ref={figure}>
            { chart_svg(c, props.style, &props.label) }
            // The legend again for screen readers (the chart is one image to them).
            <figcaption class="visually-hidden">
                { for c.legend.iter().map(|item| html! { <span>{ format!("{}. ", item.name) }</span> }) }
            </figcaption>
            <div class="downloads">
                <span class="downloads-label">{ "Download chart:" }</span>
                <button type="button" class="ghost-button" data-testid="chart-svg" onclick={on_svg}
                        title="The chart as SVG, with its title and a caption line (scenario, seed, runs, date)">{ "SVG" }</button>
                <button type="button" class="ghost-button" data-testid="chart-png" onclick={on_png}
                        title="The chart as PNG, the size it has here (drawn twice as sharp)">{ "PNG" }</button>
                <button type="button" class="ghost-button" data-testid="chart-png-slide" onclick={on_slide}
                        title="The chart laid out for a 16:9 slide, as a 1920 × 1080 PNG">{ "PNG for slides (16:9)" }</button>
                if let Some(why) = &*failed {
                    <span class="field-error" role="alert">{ format!("The download failed: {why}") }</span>
                }
            </div>
            if let Some((slide, _)) = &*staged {
                <div class="export-stage" aria-hidden="true">{ chart_svg(slide, props.style, &props.label) }</div>
            }
        </figure>
    }
}

/// The element `selector` inside the figure behind `target`.
fn chart_of(target: &NodeRef, selector: &str) -> Option<web_sys::Element> {
    target
        .cast::<web_sys::Element>()
        .and_then(|e| e.query_selector(selector).ok().flatten())
}

/// Saves `svg` as a PNG (read now, drawn in the background); a failure is said beside the
/// buttons.
fn save_png(
    svg: web_sys::Element,
    name: String,
    framed: Framed,
    size: Size,
    failed: UseStateHandle<Option<String>>,
) {
    match crate::export::download_png(&svg, name, &framed, size) {
        Ok(saving) => wasm_bindgen_futures::spawn_local(async move {
            match saving.await {
                Ok(()) => failed.set(None),
                Err(e) => failed.set(Some(describe(&e))),
            }
        }),
        Err(e) => failed.set(Some(describe(&e))),
    }
}

/// Today's date, `2026-01-10`, for a caption.
fn today() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    iso.chars().take(10).collect()
}

/// A JavaScript error in words.
fn describe(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused it".into())
}
