//! A distribution chart for several configurations: side-by-side histogram bars (share of runs
//! per bin) with P50/P90/P99 markers, or cumulative curves, each series with its own colour,
//! dash and marker shape and a legend inside the chart (so a downloaded chart carries it). It
//! draws a `charts::histogram::Chart`, and offers the chart as SVG and PNG downloads.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::charts::histogram::{Chart, LEFT, RIGHT, SWATCH};
use crate::charts::px;
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

#[component]
pub fn Distribution(props: &DistributionProps) -> Html {
    let c = &*props.chart;
    let (w, h) = (c.width, c.height);
    let figure = use_node_ref();
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
    let y_ticks: Vec<Html> = match props.style {
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
        match props.style {
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
    html! {
        <figure class="distribution" ref={figure.clone()}>
            <svg width={px(w)} height={px(h)} viewBox={format!("0 0 {} {}", px(w), px(h))} role="img" aria-label={props.label.clone()}>
                { for legend }
                { for x_ticks }
                { for y_ticks }
                <line x1={px(LEFT)} x2={px(w - RIGHT)} y1={px(c.base)} y2={px(c.base)} class="axis" />
                { for series }
                <text x={px((LEFT + w - RIGHT) / 2.0)} y={px(h - 6.0)} text-anchor="middle" class="axis-title">{ c.axis_title.clone() }</text>
            </svg>
            // The legend again for screen readers (the chart is one image to them).
            <figcaption class="visually-hidden">
                { for c.legend.iter().map(|item| html! { <span>{ format!("{}. ", item.name) }</span> }) }
            </figcaption>
            <ChartDownloads target={figure} name={props.label.clone()} />
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChartDownloadsProps {
    /// The element holding the chart's `svg`.
    pub target: NodeRef,
    /// What the chart shows: the downloaded file is named after it.
    pub name: AttrValue,
}

/// Download buttons for the chart in `target`: SVG, and PNG drawn from it.
#[component]
pub fn ChartDownloads(props: &ChartDownloadsProps) -> Html {
    let failed = use_state(|| None::<String>);
    let svg_of = |target: &NodeRef| {
        target
            .cast::<web_sys::Element>()
            .and_then(|e| e.query_selector("svg").ok().flatten())
    };
    let on_svg = {
        let (target, name, failed) = (props.target.clone(), props.name.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = svg_of(&target) {
                match crate::export::download_svg(&svg, &name) {
                    Ok(()) => failed.set(None),
                    Err(e) => failed.set(Some(describe(&e))),
                }
            }
        })
    };
    let on_png = {
        let (target, name, failed) = (props.target.clone(), props.name.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = svg_of(&target) {
                let (name, failed) = (name.to_string(), failed.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match crate::export::download_png(svg, name).await {
                        Ok(()) => failed.set(None),
                        Err(e) => failed.set(Some(describe(&e))),
                    }
                });
            }
        })
    };
    html! {
        <div class="downloads">
            <span class="downloads-label">{ "Download chart:" }</span>
            <button type="button" class="ghost-button" data-testid="chart-svg" onclick={on_svg}>{ "SVG" }</button>
            <button type="button" class="ghost-button" data-testid="chart-png" onclick={on_png}>{ "PNG" }</button>
            if let Some(why) = &*failed {
                <span class="field-error" role="alert">{ format!("The download failed: {why}") }</span>
            }
        </div>
    }
}

/// A JavaScript error in words.
fn describe(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused it".into())
}
