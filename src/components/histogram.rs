//! A distribution chart for several configurations: side-by-side histogram bars (share of runs
//! per bin) with P50/P90/P99 markers, or cumulative curves. It draws a `charts::histogram::Chart`.

use yew::prelude::*;

use crate::charts::histogram::{Chart, BOTTOM, LEFT, RIGHT, TOP};
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
    pub names: Vec<AttrValue>,
    pub style: Style,
    /// The accessible description of the chart.
    pub label: AttrValue,
}

#[component]
pub fn Distribution(props: &DistributionProps) -> Html {
    let c = &*props.chart;
    let (w, h) = (c.width, c.height);
    let base = h - BOTTOM;
    let x_ticks = c.x_ticks.iter().map(|t| {
        html! {
            <g class="tick">
                <line x1={px(t.px)} x2={px(t.px)} y1={px(TOP)} y2={px(base)} class="grid" />
                <text x={px(t.px)} y={px(base + 16.0)} text-anchor="middle" class="tick-local">{ t.label.clone() }</text>
            </g>
        }
    });
    let y_ticks: Vec<Html> = match props.style {
        Style::Bars => c.y_ticks.iter().map(|t| html! {
            <text x={px(LEFT - 6.0)} y={px(t.px + 4.0)} text-anchor="end" class="tick-utc">{ t.label.clone() }</text>
        }).collect(),
        Style::Cumulative => [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")].iter().map(|&(f, label)| {
            let y = base - f * (base - TOP);
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
                    // Labels stepped down so close quantiles (P90 and P99 of a narrow spread) stay readable.
                    { for s.quantiles.iter().enumerate().map(|(j, q)| html! {
                        <g class="quantile">
                            <line x1={px(q.x)} x2={px(q.x)} y1={px(TOP)} y2={px(base)} />
                            <text x={px(q.x + 3.0)} y={px(TOP + 10.0 + 12.0 * j as f64 + 38.0 * k as f64)} class="quantile-label">{ q.label }</text>
                        </g>
                    }) }
                </g>
            },
            Style::Cumulative => html! {
                <g class={class}>
                    <polyline points={s.cdf.clone()} class="cdf" />
                </g>
            },
        }
    });
    html! {
        <figure class="distribution">
            <svg width={px(w)} height={px(h)} viewBox={format!("0 0 {} {}", px(w), px(h))} role="img" aria-label={props.label.clone()}>
                { for x_ticks }
                { for y_ticks }
                <line x1={px(LEFT)} x2={px(w - RIGHT)} y1={px(base)} y2={px(base)} class="axis" />
                { for series }
                if c.log {
                    <text x={px(w - RIGHT)} y={px(h - 4.0)} text-anchor="end" class="tick-utc">{ "logarithmic scale" }</text>
                }
            </svg>
            <figcaption class="legend">
                { for props.names.iter().enumerate().map(|(k, n)| html! {
                    <span class={format!("key key-series-{k}")}>{ n.clone() }</span>
                }) }
            </figcaption>
        </figure>
    }
}
