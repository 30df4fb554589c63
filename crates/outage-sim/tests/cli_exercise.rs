//! The command line of the exercise: `exercise`, `run --room/--curveball` and
//! `validate --exercise`, their JSON shapes, and one clear line with exit status 2 on bad input.

use serde_json::Value;

mod common;
use common::*;

#[test]
fn exercise_json_lists_injects_in_both_zones_with_curveballs_and_actions() {
    let v = json(&["exercise", "--json"]);
    let injects = v["injects"].as_array().unwrap();
    assert_eq!(injects.len(), 7);
    assert_eq!(injects[0]["local"], "15:34");
    assert_eq!(injects[0]["utc"], "20:34");
    assert_eq!(injects[6]["at"], "2024-07-10T18:05:00-05:00");
    assert!(injects[2]["questions"].as_array().unwrap().len() >= 2);
    assert!(injects[2]["listen_for"].as_array().unwrap().len() >= 2);
    assert_eq!(v["curveballs"].as_array().unwrap().len(), 5);
    assert_eq!(v["actions"].as_array().unwrap().len(), 6);
    assert_eq!(
        v["curveballs"][1]["numbers"][0]["provenance"]["kind"],
        "assumption"
    );
    let text = String::from_utf8(outage_sim(&["exercise"]).stdout).unwrap();
    assert!(text.contains("15:34 CDT / 20:34 UTC"), "{text}");
    assert!(text.contains("[illustrative]"));
}

#[test]
fn run_with_the_room_and_curveballs_gives_the_rooms_day_and_ranges() {
    let v = json(&[
        "run",
        "--room",
        "15:40=roll_back",
        "--json",
        "--runs",
        "500",
    ]);
    let room = v["room_day"]["metrics"]["time_to_mitigate_s"]
        .as_f64()
        .unwrap();
    let record = v["as_recorded"]["time_to_mitigate_s"].as_f64().unwrap();
    // Decided at 15:40, before the responders gathered at 15:46 to look for a change: it waits
    // for them, then takes the scenario's 20-minute reinstatement once the change is known.
    assert_eq!(room, 92.0 * 60.0);
    assert!(room < record);
    assert_eq!(v["interventions"][0]["text"], "15:40=roll_back");
    assert_eq!(v["interventions"][0]["source"], "room");
    let events = v["room_day"]["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["kind"]["kind"] == "room_decided"));

    let v = json(&[
        "run",
        "--curveball",
        "15:30=looper_fails",
        "--json",
        "--runs",
        "500",
    ]);
    assert!(v["room_day"]["metrics"]["lost_events"].as_f64().unwrap() > 0.0);
    assert!(v["metrics"]["lost_events"]["min"].as_f64().unwrap() > 0.0);

    let out = outage_sim(&[
        "run",
        "--room",
        "15:40=roll_back",
        "--trace",
        "--runs",
        "200",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("The room's day"), "{text}");
    assert!(text.contains("[room]"));
}

#[test]
fn exercise_at_a_moment_says_what_the_room_could_do_by_the_rules_of_run_room() {
    let v = json(&["exercise", "--at", "15:40", "--json"]);
    assert_eq!(v["local"], "15:40");
    assert_eq!(v["utc"], "20:40");
    let action = |v: &Value, id: &str| {
        v["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {v}"))
    };
    let roll_back = action(&v, "roll_back");
    assert_eq!(roll_back["availability"]["kind"], "not_yet");
    assert!(roll_back["availability"]["why"]
        .as_str()
        .unwrap()
        .contains("nobody suspects a change yet"));
    assert_eq!(
        roll_back["assumes"][0]["provenance"]["kind"], "assumption",
        "the scenario's reinstatement once the change is known: {roll_back}"
    );
    assert_eq!(roll_back["assumes"][0]["value"], 1200.0);
    // The day it predicts is the one run --room gives.
    let run = json(&["run", "--room", "15:40=roll_back", "--json", "--runs", "1"]);
    assert_eq!(
        roll_back["day"]["restored_at"].as_i64().unwrap()
            - roll_back["day"]["gone_at"].as_i64().unwrap(),
        (run["room_day"]["metrics"]["time_to_mitigate_s"]
            .as_f64()
            .unwrap()
            * 1000.0) as i64
    );
    assert_eq!(action(&v, "page_on_call")["availability"]["kind"], "open");
    assert_eq!(
        action(&v, "escalate_leadership")["availability"]["kind"],
        "no_effect"
    );

    // Before the impact: a prevention exercise, said so.
    let v = json(&["exercise", "--at", "14:00", "--json"]);
    let page = action(&v, "page_on_call");
    assert_eq!(page["availability"]["prevention_exercise"], true);
    // With the runbook on, the rollback takes the runbook's revert.
    let v = json(&[
        "exercise",
        "--at",
        "15:50",
        "--with",
        "rollback_runbook",
        "--json",
    ]);
    let roll_back = action(&v, "roll_back");
    assert_eq!(roll_back["assumes"][0]["value"], 600.0);
    let text = String::from_utf8(outage_sim(&["exercise", "--at", "15:50"]).stdout).unwrap();
    assert!(
        text.contains("roll_back            available now"),
        "{text}"
    );
}

#[test]
fn validate_checks_an_exercise_file() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/eptura-2024-07-10.exercise.json"
    );
    let v = json(&["validate", "--exercise", path, "--json"]);
    assert_eq!(v["valid"], true);
    let bad = std::env::temp_dir().join("outage-sim-bad-exercise.json");
    std::fs::write(&bad, r#"{"schema": 1, "id": "x"}"#).unwrap();
    let out = outage_sim(&["validate", "--exercise", bad.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["problems"].as_array().unwrap().len() > 3);
}

#[test]
fn bad_interventions_exit_2_with_one_clear_line() {
    for args in [
        &["run", "--room", "15:40=rollback"][..],
        &["run", "--room", "1540=roll_back"],
        &["run", "--curveball", "15:40=pager"],
        &["run", "--curveball", "15:40=looper_fails:failed_share=7"],
        &["run", "--room", "15:40=enable_safeguard:uptime"],
        &["rank", "--room", "15:40=roll_back"],
    ] {
        let out = outage_sim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("outage-sim: "), "{err}");
    }
}
