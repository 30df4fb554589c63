//! Browser tests (wasm-bindgen-test in headless Chromium): the one app and its components render
//! into the real DOM and answer input; every section follows the one state; Monte Carlo gives
//! the same aggregates through the pool as in one batch (here on the page's fallback runner: the
//! test page has no worker script, which is also how the fallback is tested); the simulation
//! gives the same runs in wasm as natively (the golden fingerprint); the error panel shows a
//! panic's message as text. Run by `scripts/test.sh` with
//! `cargo test -p outage-drill --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use outage_drill::components::record::Record;
use outage_drill::components::safeguards::{SafeguardPanel, SafeguardPanelProps};
use outage_drill::components::transport::{Transport, TransportProps};
use outage_drill::panic;
use outage_drill::state::Shared;
use outage_sim::{Config, SafeguardId};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;
use yew::Callback;

mod support;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

fn eptura() -> outage_sim::Scenario {
    outage_drill::builtin::builtin("eptura-2024-07-10").unwrap()
}

#[wasm_bindgen_test]
async fn the_app_starts_at_the_beginning_with_the_record_as_headline() {
    let root = mount_app();
    lazy_loaded(&root).await;

    assert_eq!(
        find(&root, ".app").get_attribute("data-ready").as_deref(),
        Some("true")
    );
    assert_eq!(text(&root, "h1"), "Outage Drill");
    assert_eq!(text(&root, "[data-testid=metric-ttd]"), "1 h");
    // The playhead starts before the merge: the clock reads 14:15 CDT, 19:15 UTC, and nothing
    // is drawn yet.
    let clock = text(&root, "[data-testid=clock]");
    assert!(
        clock.contains("14:15:00") && clock.contains("19:15:00"),
        "{clock}"
    );
    assert_eq!(count(&root, "[data-testid=timeline] .marker"), 0);
    // Six lanes and the axis in both zones.
    assert_eq!(count(&root, "[data-testid=timeline] .lane"), 6);
    assert!(text(&root, "[data-testid=timeline]").contains("UTC"));
    // One app: the analysis sections are part of it.
    let app = find(&root, ".app");
    for section in [
        "#replay",
        "#what-if",
        "#ranges",
        "[data-testid=compare]",
        "#record",
    ] {
        assert!(app.query_selector(section).unwrap().is_some(), "{section}");
    }
}

#[wasm_bindgen_test]
async fn stepping_reveals_events_in_order_and_the_ghost_appears_with_a_safeguard() {
    let root = mount_app();
    lazy_loaded(&root).await;

    let mut revealed = Vec::new();
    for _ in 0..3 {
        click(&root, "[data-testid=step-next]");
        yew::scheduler::flush().await;
        revealed.push(count(&root, "[data-testid=timeline] .marker.record"));
    }
    assert!(
        revealed.windows(2).all(|w| w[0] < w[1]),
        "one more event per step: {revealed:?}"
    );
    // Merge (assumed), service gone (assumed), then the discovery at 15:34 CDT, which the detail
    // panel quotes from the postmortem.
    assert!(text(&root, "[data-testid=clock]").contains("15:34:00"));
    assert!(text(&root, ".event-detail")
        .contains("3:34pm: Our Support and Engineering team discovered"));

    // The postmortem's own fix: the headline drops from an hour to under a minute.
    click(&root, "[data-testid=safeguard-uptime_check]");
    yew::scheduler::flush().await;
    let ttd = text(&root, "[data-testid=metric-ttd]");
    assert!(ttd.ends_with(" s"), "{ttd}");
    assert!(count(&root, "[data-testid=timeline] .marker.ghost") > 0);
    assert!(
        find(&root, "[data-testid=preset-postmortem-fix]")
            .get_attribute("aria-pressed")
            .as_deref()
            == Some("true")
    );
}

#[wasm_bindgen_test]
async fn the_safeguard_panel_reports_toggles_and_refuses_bad_values_in_place() {
    let root = mount_point();
    let toggled = Rc::new(RefCell::new(Vec::new()));
    let params = Rc::new(RefCell::new(Vec::new()));
    let props = SafeguardPanelProps {
        scenario: Shared::new(eptura()),
        config: Config::from_specs(&["uptime_check"]).unwrap(),
        active_preset: None,
        on_preset: Callback::noop(),
        on_toggle: {
            let toggled = toggled.clone();
            Callback::from(move |v| toggled.borrow_mut().push(v))
        },
        on_param: {
            let params = params.clone();
            Callback::from(move |v| params.borrow_mut().push(v))
        },
    };
    yew::Renderer::<SafeguardPanel>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;

    assert_eq!(count(&root, "input[data-testid^=safeguard-]"), 13);
    click(&root, "[data-testid=safeguard-auto_page]");
    yew::scheduler::flush().await;
    assert_eq!(*toggled.borrow(), vec![(SafeguardId::AutoPage, true)]);

    // The uptime check is on, so its parameters show, with units and their sources.
    let interval = find(&root, "#p-uptime_check-interval_s").unchecked_into::<HtmlInputElement>();
    assert_eq!(interval.value(), "60");
    assert!(text(&root, ".params").contains("Uptime Kuma"));
    for (value, accepted) in [("1", false), ("abc", false), ("30", true)] {
        interval.set_value(value);
        interval
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
        yew::scheduler::flush().await;
        let error = root.query_selector("[data-testid=error]").unwrap();
        assert_eq!(error.is_none(), accepted, "{value}");
    }
    assert_eq!(
        *params.borrow(),
        vec![(SafeguardId::UptimeCheck, "interval_s", 30.0)]
    );
}

#[wasm_bindgen_test]
async fn transport_buttons_follow_playback() {
    let root = mount_point();
    let played = Rc::new(RefCell::new(0));
    let props = TransportProps {
        scenario: Shared::new(eptura()),
        now: 0,
        range: (0, 1000),
        playing: true,
        speed: 600,
        on_play: Callback::noop(),
        on_pause: {
            let played = played.clone();
            Callback::from(move |_| *played.borrow_mut() += 1)
        },
        on_step_next: Callback::noop(),
        on_step_prev: Callback::noop(),
        on_restart: Callback::noop(),
        on_show_all: Callback::noop(),
        on_speed: Callback::noop(),
        on_seek: Callback::noop(),
        on_scrub: Callback::noop(),
    };
    yew::Renderer::<Transport>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    assert!(find(&root, "[data-testid=play]").has_attribute("disabled"));
    assert!(!find(&root, "[data-testid=pause]").has_attribute("disabled"));
    click(&root, "[data-testid=pause]");
    assert_eq!(*played.borrow(), 1);
    let speed = find(&root, "[data-testid=speed]").unchecked_into::<web_sys::HtmlSelectElement>();
    assert_eq!(speed.value(), "600");
    assert!(text(&root, "[data-testid=clock]").contains("00:00:00 CDT"));
}

#[wasm_bindgen_test]
async fn the_record_table_shows_both_zones_and_the_sources() {
    let root = mount_point();
    yew::Renderer::<Record>::with_root_and_props(
        root.clone(),
        outage_drill::components::record::RecordProps {
            scenario: Shared::new(eptura()),
        },
    )
    .render();
    yew::scheduler::flush().await;

    let discovered = find(&root, "tr[data-event='discovered']");
    assert_eq!(text(&discovered, ".time.local"), "15:34");
    assert_eq!(text(&discovered, ".time.utc"), "20:34");
    assert!(text(&discovered, "blockquote")
        .starts_with("3:34pm: Our Support and Engineering team discovered"));
    let resolved = find(&root, "tr[data-event='resolved']");
    assert_eq!(
        (text(&resolved, ".time.local"), text(&resolved, ".time.utc")),
        ("18:05".into(), "23:05".into())
    );
    assert_eq!(count(&resolved, "blockquote"), 2);
    assert_eq!(
        text(&find(&root, "tr[data-event='merged']"), ".time.local"),
        "unknown"
    );
    let published = find(
        &find(&root, ".epilogue"),
        "tr[data-event='postmortem_published']",
    );
    assert_eq!(text(&published, ".time.local"), "Jul 23 12:03");
    // The reported duration is explained from the record, not hard-coded.
    let explain = text(&root, ".explain");
    assert!(
        explain.contains("2 h 31 min")
            && explain.contains("15:34 CDT")
            && explain.contains("18:05 CDT"),
        "{explain}"
    );
}

#[wasm_bindgen_test]
async fn every_section_follows_the_one_state() {
    let root = mount_app();
    lazy_loaded(&root).await;
    assert_eq!(
        text(&root, "[data-testid=mc-run]"),
        "Run 10,000 × as it happened"
    );
    // A safeguard switched on in the panel is what the ranges run and what compare adopts.
    click(&root, "[data-testid=safeguard-uptime_check]");
    yew::scheduler::flush().await;
    assert!(text(&root, "[data-testid=mc-run]").contains("2 configurations"));
    set_input(&root, "[data-testid=seed]", "4");
    yew::scheduler::flush().await;
    assert!(text(&root, "#ranges").contains("Seed4"));
    // Compare starts with the four presets; with one removed, the current what-if joins.
    click(&root, "[aria-label='Remove configuration 4']");
    yew::scheduler::flush().await;
    click(&root, ".add-slot");
    yew::scheduler::flush().await;
    assert!(text(&root, "[data-testid=compare]").contains("Custom: Uptime check"));
    // A bad number of runs is refused with a message, and the old one kept.
    set_input(&root, "[data-testid=mc-runs]", "5");
    yew::scheduler::flush().await;
    assert!(text(&root, "[data-testid=error]").contains("Runs must be between"));
    assert!(text(&root, "[data-testid=mc-run]").starts_with("Run 10,000"));
}

#[wasm_bindgen_test]
async fn monte_carlo_without_workers_runs_on_the_page_says_so_and_gives_the_batch_result() {
    let root = mount_app();
    lazy_loaded(&root).await;
    click(&root, "[data-testid=safeguard-uptime_check]");
    yew::scheduler::flush().await;
    set_input(&root, "[data-testid=mc-runs]", "2000");
    yew::scheduler::flush().await;
    click(&root, "[data-testid=mc-run]");
    yew::scheduler::flush().await;
    let result = wait_for(&root, "[data-testid=mc-result]", 60).await;
    // The test page serves no worker script: the pool falls back to the page and says so.
    assert!(
        text(&root, ".notice").contains("background workers could not start"),
        "{}",
        text(&root, ".notice")
    );
    assert!(text(&result, ".result-meta").contains("on this page (no workers)"));
    // The same figures as one batch of the same runs and seed.
    let scenario = eptura();
    let expected = outage_sim::simulate(
        &scenario,
        &Config::from_specs(&["uptime_check"]).unwrap(),
        1,
        2_000,
    );
    let p50 = expected
        .stats(outage_sim::Metric::TimeToDetect)
        .p50
        .unwrap();
    let row = find(&result, "table tbody tr");
    let cells = row.query_selector_all("td").unwrap();
    let with_safeguards = cells.item(1).unwrap().text_content().unwrap();
    assert_eq!(
        with_safeguards,
        outage_sim::Metric::TimeToDetect.format(p50)
    );
}

#[wasm_bindgen_test]
async fn the_console_runs_an_exercise_and_logs_the_room_s_decisions() {
    let root = mount_app();
    lazy_loaded(&root).await;
    click(&root, "[data-testid=mode-facilitate]");
    lazy_loaded(&root).await;
    assert!(text(&root, "[data-testid=inject-current]").contains("Objectives"));
    click(&root, "[data-testid=inject-next]");
    yew::scheduler::flush().await;
    assert!(text(&root, "[data-testid=clock]").contains("15:34:00"));
    assert!(text(&root, "[data-testid=inject-current]").contains("Calendars are not syncing"));
    assert_eq!(text(&root, ".exercise-position"), "Inject 1 of 7");
    // A decision with its action: logged, and the room's day appears beside the record. At 15:34
    // someone has noticed but nobody suspects a change: paging is offered, rolling back is not.
    let area =
        find(&root, "[data-testid=decision-text]").unchecked_into::<web_sys::HtmlTextAreaElement>();
    area.set_value("Page the on-call engineer now");
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    let action =
        find(&root, "[data-testid=decision-action]").unchecked_into::<web_sys::HtmlSelectElement>();
    let rollback = find(&action, "option[value=roll_back]");
    assert!(
        rollback.has_attribute("disabled"),
        "no rollback before anyone suspects a change"
    );
    action.set_value("page_on_call");
    action
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    click(&root, "[data-testid=decision-add]");
    yew::scheduler::flush().await;
    let log = text(&root, "[data-testid=decision-log]");
    assert!(
        log.contains("Page the on-call engineer now") && log.contains("Page on-call now"),
        "{log}"
    );
    assert!(text(&root, "#what-if thead").contains("The room's day"));
    assert!(count(&root, "[data-testid=timeline] .marker.ghost") > 0);
    // Kept as it is typed: the log is in local storage.
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("outage-drill:exercise")
        .unwrap()
        .unwrap();
    assert!(stored.contains("Page the on-call engineer now"), "{stored}");
}

#[wasm_bindgen_test]
fn the_simulation_gives_the_same_runs_in_wasm_as_natively() {
    // The golden file is written and checked by the native test suite (tests/determinism.rs).
    let golden = include_str!("../crates/outage-sim/tests/golden/fingerprint.txt");
    let scenario = outage_sim::scenario::builtin("eptura-2024-07-10").unwrap();
    let text = outage_sim::montecarlo::fingerprint(&scenario);
    if let Some(diff) = outage_sim::montecarlo::first_difference(&text, golden) {
        panic!("wasm differs from the native golden fingerprint at {diff}");
    }
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
    assert!(text(&panel, "h1").contains("stopped working"));
    assert!(panel.query_selector("a.reload").unwrap().is_some());
}

/// The room's view is a function of the clock: at 17:01 the projector reads the reinstated
/// release; the same exercise at 15:46 (the console stepped back) shows none of 17:01's withheld
/// terms anywhere in its markup, labels included.
#[wasm_bindgen_test]
async fn the_projector_shows_what_is_true_at_the_clock_and_nothing_after_it() {
    use outage_drill::components::projector::{Projector, ProjectorProps};
    use outage_drill::state::{Action, AppState, ExerciseAction, Mode};
    use yew::Reducible;
    let state = Rc::new(AppState::new(eptura())).reduce(Action::SetMode(Mode::Facilitate));
    let mut state = state;
    for _ in 0..4 {
        state = state.reduce(Action::Exercise(ExerciseAction::NextInject));
    }
    let props = |s: &AppState| ProjectorProps {
        scenario: s.scenario.clone(),
        exercise: s.exercise.exercise.clone(),
        derived: s.derived.clone(),
        now: s.replay.now,
        fired: s.exercise.fired.clone(),
        inject_timer: s.exercise.inject_timer,
        exercise_timer: s.exercise.exercise_timer,
        reveals: s.exercise.reveals,
        blank: false,
        interventions: s.exercise.interventions(),
        seed: s.seed,
        following: true,
    };
    let late = mount_point();
    yew::Renderer::<Projector>::with_root_and_props(late.clone(), props(&state)).render();
    yew::scheduler::flush().await;
    assert!(
        late.inner_html().contains("reinstated"),
        "17:01 reads its inject"
    );
    let back = state.reduce(Action::Exercise(ExerciseAction::PrevInject));
    let early = mount_point();
    yew::Renderer::<Projector>::with_root_and_props(early.clone(), props(&back)).render();
    yew::scheduler::flush().await;
    let markup = early.inner_html().to_lowercase();
    assert!(
        markup.contains("pager and status page"),
        "15:46 reads its inject"
    );
    for term in [
        "reinstat",
        "week prior",
        "merged",
        "pull request",
        "18:05",
        "resolved",
    ] {
        assert!(
            !markup.contains(term),
            "the projector at 15:46 says '{term}'"
        );
    }
}

/// Reveals are asked first in the page: jumping to the end and the reveal button open a dialog, Cancel keeps
/// everything as it was, Confirm reveals, Undo takes it back.
#[wasm_bindgen_test]
async fn reveals_are_confirmed_in_the_page_and_can_be_taken_back() {
    let root = mount_app();
    yew::scheduler::flush().await;
    click(&root, "[data-testid=mode-facilitate]");
    yew::scheduler::flush().await;
    click(&root, "[data-testid=inject-next]");
    yew::scheduler::flush().await;
    let clock = text(&root, "[data-testid=console-clock]");
    click(&root, "[data-testid=jump-end]");
    yew::scheduler::flush().await;
    assert_eq!(
        count(&root, "[data-testid=confirm-reveal]"),
        1,
        "the end is asked first"
    );
    assert_eq!(text(&root, "[data-testid=console-clock]"), clock);
    click(&root, "[data-testid=cancel-reveal]");
    yew::scheduler::flush().await;
    assert_eq!(count(&root, "[data-testid=confirm-reveal]"), 0);
    assert_eq!(
        text(&root, "[data-testid=console-clock]"),
        clock,
        "cancelled: nothing moved"
    );
    click(&root, "[data-testid=reveal-outcome]");
    yew::scheduler::flush().await;
    click(&root, "[data-testid=confirm-reveal]");
    yew::scheduler::flush().await;
    assert_eq!(
        text(&root, "[data-testid=reveal-outcome]"),
        "Hide the outcome"
    );
    click(&root, "[data-testid=undo-reveal]");
    yew::scheduler::flush().await;
    assert_eq!(
        text(&root, "[data-testid=reveal-outcome]"),
        "Reveal the outcome…"
    );
    assert!(find(&root, "[data-testid=undo-reveal]").has_attribute("disabled"));
}
