//! Browser tests (wasm-bindgen-test in headless Chromium): the app shell renders the real timeline
//! of the built-in scenario into the DOM, marks itself ready, and the error panel shows a panic's
//! message as text. Run by `scripts/test.sh` with
//! `cargo test -p outage-drill --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use outage_drill::timeline::{Timeline, TimelineTable};
use outage_drill::{panic, App};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh, empty element attached to the body, to mount a component into.
fn mount_point() -> Element {
    let document = gloo::utils::document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn row(root: &Element, event: &str) -> Element {
    root.query_selector(&format!("tr[data-event='{event}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no timeline row for '{event}'"))
}

fn cell(row: &Element, selector: &str) -> String {
    row.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no '{selector}' in the row"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn app_renders_the_recorded_timeline_and_marks_itself_ready() {
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let app = root
        .query_selector(".app")
        .unwrap()
        .expect("the app's root element");
    assert_eq!(app.get_attribute("data-ready").as_deref(), Some("true"));
    assert_eq!(cell(&root, "h1"), "Outage Drill");

    let discovered = row(&root, "discovered");
    assert_eq!(cell(&discovered, ".time.local"), "15:34");
    assert_eq!(cell(&discovered, ".time.utc"), "20:34");
    assert_eq!(
        discovered
            .query_selector(".time.local time")
            .unwrap()
            .unwrap()
            .get_attribute("datetime")
            .as_deref(),
        Some("2024-07-10T15:34:00-05:00")
    );
    assert_eq!(cell(&discovered, ".lane"), "Detection & alerting");
    assert!(cell(&discovered, "blockquote")
        .starts_with("3:34pm: Our Support and Engineering team discovered"));
    assert_eq!(cell(&discovered, "figcaption"), "Timeline");

    let resolved = row(&root, "resolved");
    assert_eq!(cell(&resolved, ".time.local"), "18:05");
    assert_eq!(cell(&resolved, ".time.utc"), "23:05");
    assert_eq!(
        resolved.query_selector_all("blockquote").unwrap().length(),
        2
    );

    let merged = row(&root, "merged");
    assert_eq!(cell(&merged, ".time.local"), "unknown");
    assert_eq!(cell(&merged, ".time.utc"), "unknown");

    // The epilogue is in its own table, after the incident's.
    let epilogue = root
        .query_selector(".epilogue")
        .unwrap()
        .expect("an epilogue section");
    let published = row(&epilogue, "postmortem_published");
    assert_eq!(cell(&published, ".time.local"), "Jul 23 12:03");
    assert_eq!(cell(&published, ".time.utc"), "Jul 23 17:03");
    let incident_table = root.query_selector("table.timeline").unwrap().unwrap();
    assert!(incident_table
        .query_selector("tr[data-event='postmortem_published']")
        .unwrap()
        .is_none());

    // The reported duration is explained from the record, not hard-coded.
    let explain = cell(&root, ".explain");
    assert!(explain.contains("2 h 31 min"), "{explain}");
    assert!(
        explain.contains("15:34 CDT") && explain.contains("18:05 CDT"),
        "{explain}"
    );
}

#[wasm_bindgen_test]
async fn timeline_rows_keep_the_record_order() {
    let scenario = outage_sim::builtin("eptura-2024-07-10").unwrap();
    let timeline = Timeline::from_scenario(&scenario);
    let root = mount_point();
    yew::Renderer::<TimelineTable>::with_root_and_props(
        root.clone(),
        outage_drill::timeline::TimelineTableProps {
            caption: "test".into(),
            zone: "CDT".into(),
            rows: timeline.incident.clone(),
        },
    )
    .render();
    yew::scheduler::flush().await;

    let rendered = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rendered.length() as usize, timeline.incident.len());
    let ids: Vec<String> = (0..rendered.length())
        .map(|i| {
            let el: Element = wasm_bindgen::JsCast::unchecked_into(rendered.get(i).unwrap());
            el.get_attribute("data-event").unwrap()
        })
        .collect();
    let expected: Vec<&str> = timeline.incident.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, expected);
    assert_eq!(cell(&root, "thead th"), "Time (CDT)");
}

#[wasm_bindgen_test]
fn error_panel_replaces_the_content_and_shows_the_message_as_text() {
    let document = gloo::utils::document();
    // Not the real <body>: the test runner reports through elements in it.
    let page = mount_point();
    page.set_inner_html("<p>page content</p><p>more</p>");

    panic::render_error_panel(&document, &page, "panicked at src/app.rs:1:1: <b>boom</b>");

    assert_eq!(
        page.child_element_count(),
        1,
        "the panel replaces everything else"
    );
    let panel = page.first_element_child().unwrap();
    assert_eq!(panel.id(), panic::PANEL_ID);
    assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
    let detail = panel.query_selector(".detail").unwrap().unwrap();
    assert_eq!(
        detail.text_content().as_deref(),
        Some("panicked at src/app.rs:1:1: <b>boom</b>")
    );
    assert!(
        panel.query_selector("b").unwrap().is_none(),
        "the message is text, not markup"
    );
    assert!(cell(&panel, "h1").contains("stopped working"));
    assert!(panel.query_selector("a.reload").unwrap().is_some());
}
