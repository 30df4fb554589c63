//! Browser tests of scenario files and chart downloads (wasm-bindgen-test in headless Chromium):
//! a file chosen in the import field is read and loaded, markup in it stays text, a broken file
//! lists its problems with their paths and keeps the scenario; a chart copied for download is a
//! standalone SVG whose look travels as presentation attributes, framed with its title, a
//! caption line and `<title>`/`<desc>`; a slide is 16:9.
#![cfg(target_arch = "wasm32")]

use outage_drill::charts::histogram::chart;
use outage_drill::components::histogram::{Distribution, DistributionProps, Style};
use outage_drill::export::{svg_markup, Framed, Size};
use outage_drill::state::Shared;
use outage_sim::metrics::Metric;
use outage_sim::{simulate, Config};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

mod support;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Chooses a file with `text` in the app's import field, as a person would.
fn choose_file(root: &Element, name: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let input: HtmlInputElement = root
        .query_selector("[data-testid=scenario-import]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_files(transfer.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn builtin_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(outage_sim::scenario::BUILTIN_EPTURA).unwrap();
    edit(&mut v);
    v.to_string()
}

#[wasm_bindgen_test]
async fn a_chosen_file_loads_markup_stays_text_and_a_broken_one_keeps_the_scenario() {
    let root = mount_app();
    // The scenario section is loaded once the app is interactive (a lazy view).
    wait_for(&root, "[data-testid=scenario-import]", 5).await;
    let hostile = "<img src=x onerror=alert(1)>";
    choose_file(
        &root,
        "hostile.json",
        &builtin_with(|v| {
            v["title"] = hostile.into();
            v["assumptions"]["sites"]["value"] = 400.into();
        }),
    );
    assert!(
        until(|| text_if_any(&root, "[data-testid=scenario-title]") == hostile).await,
        "the title shows as text"
    );
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "no element made from it"
    );
    assert_eq!(text(&root, "[data-testid=variant-badge]"), "From a file");

    choose_file(
        &root,
        "broken.json",
        &builtin_with(|v| v["steps"] = serde_json::json!([1, 2])),
    );
    assert!(until(|| !text_if_any(&root, "[data-testid=scenario-problems]").is_empty()).await);
    let problems = text(&root, "[data-testid=scenario-problems]");
    assert!(
        problems.contains("steps: invalid type: expected an object, found an array"),
        "{problems}"
    );
    assert_eq!(text(&root, "[data-testid=scenario-title]"), hostile, "kept");
}

#[wasm_bindgen_test]
async fn a_chart_copied_for_download_carries_its_look_and_legend() {
    let s = outage_drill::builtin::builtin("eptura-2024-07-10").unwrap();
    let m = Metric::TimeToDetect;
    let base = simulate(&s, &Config::none(), 1, 300);
    let names = vec!["As it happened".to_string()];
    let c = chart(m, &[base.metric(m)], &names, 500.0, 200.0, 20, true).unwrap();
    let root = mount_point();
    let relayout = {
        let names = names.clone();
        yew::Callback::from(move |(w, plot): (f64, f64)| {
            chart(m, &[base.metric(m)], &names, w, plot, 20, true)
        })
    };
    let props = DistributionProps {
        chart: Shared::new(c),
        style: Style::Bars,
        label: "Time to detect".into(),
        title: "Time to detect: as it happened".into(),
        caption: "Scenario eptura-2024-07-10 · seed 1 · 300 runs per configuration".into(),
        relayout,
    };
    yew::Renderer::<Distribution>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let svg = root.query_selector("svg").unwrap().unwrap();
    let framed = Framed {
        title: "Time to detect: as it happened".into(),
        caption: "Scenario eptura-2024-07-10 · seed 1 · 300 runs per configuration · 2026-01-10"
            .into(),
        description: "Distribution of time to detect".into(),
    };
    let (markup, width, height) = svg_markup(&svg, &framed, Size::Page).unwrap();
    assert!(
        markup.contains("<title>Time to detect: as it happened</title>"),
        "{markup}"
    );
    assert!(markup.contains("<desc>Distribution of time to detect. Scenario"));
    assert!(
        markup.contains(">Scenario eptura-2024-07-10 · seed 1 · 300 runs per configuration"),
        "the caption line is drawn"
    );
    assert!(
        markup.contains("Share of runs per bin (%)"),
        "the y axis's title"
    );
    assert!(
        markup.contains("Time to detect (min, h") || markup.contains("Time to detect (s, min"),
        "the x axis's title with its units"
    );
    assert!(markup.starts_with("<?xml"));
    assert!(markup.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        markup.contains("As it happened"),
        "the legend is in the chart"
    );
    assert!(markup.contains("fill=\"rgb("), "the look as attributes");
    assert!(
        !markup.contains(" style="),
        "no style attribute (the CSP refuses them)"
    );
    assert_eq!(width, 500.0);
    assert!(
        height > 200.0 + 40.0,
        "the chart with its title and caption: {height}"
    );
    // A slide is 16:9.
    let (_, w, h) = svg_markup(&svg, &framed, Size::Slide).unwrap();
    assert!((w / h - 16.0 / 9.0).abs() < 0.01, "{w} × {h}");
}
