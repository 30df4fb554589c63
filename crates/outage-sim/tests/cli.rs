//! The `outage-sim` command line: the JSON shapes other tools read, and one clear line and a
//! non-zero exit on bad input.

use std::process::Command;

use serde_json::Value;

mod common;
use common::*;

#[test]
fn replay_json_lists_the_recorded_times_with_offsets_and_sources() {
    let v = json(&["replay", "--json"]);
    let events = v["events"].as_array().unwrap();
    let at = |id: &str| events.iter().find(|e| e["id"] == id).unwrap();
    assert_eq!(at("discovered")["at"], "2024-07-10T15:34:00-05:00");
    assert_eq!(at("discovered")["utc"], "2024-07-10T20:34:00Z");
    assert_eq!(
        at("status_investigating")["at"],
        "2024-07-10T15:47:00-05:00"
    );
    assert_eq!(at("status_monitoring")["utc"], "2024-07-10T22:10:00Z");
    assert_eq!(at("resolved")["utc"], "2024-07-10T23:05:00Z");
    assert!(at("merged")["at"].is_null());
    assert!(at("looper_run")["sources"][0]["quote"]
        .as_str()
        .unwrap()
        .starts_with("5:40pm"));
    assert_eq!(v["reported_duration_s"], 9060);
    assert_eq!(v["undetected_window_s"], 3600);
}

#[test]
fn run_json_has_the_documented_shape() {
    let v = json(&[
        "run",
        "--json",
        "--runs",
        "2000",
        "--seed",
        "3",
        "--with",
        "uptime_check:interval_s=30",
    ]);
    assert_eq!(v["scenario"], "eptura-2024-07-10");
    assert_eq!(v["runs"], 2000);
    assert_eq!(v["seed"], 3);
    assert_eq!(v["safeguards"][0]["id"], "uptime_check");
    assert_eq!(v["safeguards"][0]["params"]["interval_s"], 30.0);
    for key in [
        "time_to_detect_s",
        "time_to_acknowledge_s",
        "time_to_mitigate_s",
        "time_to_recover_data_s",
        "time_to_resolve_s",
        "reported_duration_s",
        "first_customer_message_s",
        "missed_events",
        "lost_events",
    ] {
        let m = &v["metrics"][key];
        for field in ["mean", "p50", "p90", "p99", "min", "max", "never"] {
            assert!(!m[field].is_null(), "{key}.{field}");
        }
    }
    let ttd = v["metrics"]["time_to_detect_s"]["mean"].as_f64().unwrap();
    assert!(
        (ttd - 15.0).abs() < 1.0,
        "mean TTD {ttd} s with a 30 s interval"
    );
    assert_eq!(v["outcomes"]["prevented"], 0);
    assert_eq!(v["outcomes"]["detected_by"]["uptime_check"], 2000);
}

#[test]
fn runs_are_deterministic_across_invocations() {
    let args = [
        "run",
        "--json",
        "--runs",
        "500",
        "--seed",
        "9",
        "--with",
        "auto_page",
        "--with",
        "absent_alert",
    ];
    assert_eq!(json(&args), json(&args));
}

#[test]
fn assumptions_can_be_changed_from_the_command_line() {
    let v = json(&[
        "run",
        "--json",
        "--runs",
        "200",
        "--assume",
        "impact_start=13:34",
        "--assume",
        "sites=10",
    ]);
    assert_eq!(
        v["assumptions"]["impact_start"],
        "2024-07-10T13:34:00-05:00"
    );
    // The replay's undetected window is the assumed 2 h; Monte Carlo draws it around 2 h
    // times the fixed calibration factor of human discovery (solved from the record, not again
    // for this variant), so its median is within the noise of 200 runs of that.
    assert_eq!(v["as_recorded"]["time_to_detect_s"], 7200.0);
    let factor = v["calibration"]["steps"]["human_discovery"]["factor"]
        .as_f64()
        .unwrap();
    let record = json(&["run", "--json", "--runs", "1"]);
    assert_eq!(
        record["calibration"]["steps"]["human_discovery"]["factor"], factor,
        "the same factor as the record's"
    );
    let p50 = v["metrics"]["time_to_detect_s"]["p50"].as_f64().unwrap();
    assert!(
        (p50 / (7200.0 * factor) - 1.0).abs() < 0.15,
        "median TTD {p50} s ≈ 2 h × {factor}"
    );
}

#[test]
fn steps_can_be_changed_from_the_command_line_as_links_write_them() {
    let v = json(&[
        "run",
        "--json",
        "--runs",
        "200",
        "--step",
        "notify_owner:median_s=60,sigma=0",
    ]);
    // Time to acknowledge as it happened is that one step, which keeps its stated median.
    assert_eq!(v["as_recorded"]["time_to_acknowledge_s"], 60.0);
    assert!(fails(&["run", "--step", "notify_owner"]).contains("STEP:key=value"));
    assert!(fails(&["run", "--step", "nope:sigma=1"]).contains("unknown step"));
}

#[test]
fn bad_input_gives_one_clear_line_and_a_non_zero_exit() {
    assert!(fails(&["run", "--with", "uptime"]).contains("unknown safeguard 'uptime'"));
    assert!(
        fails(&["run", "--with", "uptime_check:interval=5"]).contains("no parameter 'interval'")
    );
    assert!(fails(&["run", "--with", "uptime_check:interval_s=1"]).contains("out of range"));
    assert!(fails(&["run", "--runs", "0"]).contains("runs"));
    assert!(fails(&["run", "--scenario", "nope"]).contains("unknown scenario 'nope'"));
    assert!(fails(&["run", "--file", "/does/not/exist.json"]).contains("cannot read"));
    assert!(fails(&["run", "--assume", "sites=-4"]).contains("sites"));
    assert!(fails(&["replay", "--assume", "impact_start=16:00"]).contains("impact_start"));
    let err = fails(&["run", "--with", "auto_page:levels=9"]);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

#[test]
fn validate_lists_every_problem_of_a_file() {
    let dir = std::env::temp_dir().join(format!("outage-sim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut v: Value = serde_json::from_str(outage_sim::scenario::BUILTIN_EPTURA).unwrap();
    v["steps"]["confirm"]["sigma"] = 9.into();
    v["record"][1]["lane"] = "x".into();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    let out = outage_sim(&["validate", "--json", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], false);
    let paths: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"steps.confirm.sigma") && paths.contains(&"record[1].lane"),
        "{paths:?}"
    );
    let good = dir.join("good.json");
    std::fs::write(&good, outage_sim::scenario::BUILTIN_EPTURA).unwrap();
    assert!(outage_sim(&["validate", good.to_str().unwrap()])
        .status
        .success());
    let v = json(&[
        "run",
        "--json",
        "--runs",
        "10",
        "--file",
        good.to_str().unwrap(),
    ]);
    assert_eq!(v["runs"], 10);
}

#[test]
fn safeguards_and_scenarios_list_everything() {
    let list = json(&["safeguards", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 13);
    let uptime = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "uptime_check")
        .unwrap();
    assert_eq!(uptime["params"][0]["key"], "interval_s");
    assert_eq!(uptime["params"][0]["default"], 60.0);
    assert_eq!(uptime["params"][0]["provenance"]["kind"], "cited");
    let scenarios = json(&["scenarios", "--json"]);
    assert_eq!(scenarios[0]["id"], "eptura-2024-07-10");
}

#[test]
fn bench_json_reports_throughput() {
    let v = json(&["bench", "--runs", "2000", "--json"]);
    for key in ["runs", "events", "seconds", "runs_per_s", "events_per_s"] {
        assert!(v[key].as_f64().unwrap() > 0.0, "{key}");
    }
    // Twelve events in a run as it happened, more where the status page posts on its cadence.
    assert!(v["events"].as_u64().unwrap() >= 2000 * 12);
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `outage-sim replay | head -1`: the pipe closes before the output is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_outage-sim"))
        .args(["replay", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("it ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "status {:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn text(args: &[&str]) -> String {
    let out = outage_sim(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn bench_refuses_zero_runs_like_run() {
    let err = fails(&["bench", "--runs", "0"]);
    assert!(err.contains("runs") && !err.contains("NaN"), "{err}");
}

#[test]
fn validate_json_reports_an_unreadable_file_as_json() {
    let out = outage_sim(&["validate", "--json", "/does/not/exist.json"]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON error object");
    assert_eq!(report["valid"], false);
    assert_eq!(report["problems"][0]["path"], "(file)");
    assert!(report["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("cannot read"));
}

#[test]
fn safeguards_json_labels_what_is_assumed_as_assumption() {
    let list = json(&["safeguards", "--json"]);
    let find = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    let param = |id: &str, key: &str| {
        find(id)["params"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == key)
            .unwrap()
            .clone()
    };
    // Eptura's GitOps interval is in no source: an assumption, saying what it rests on.
    let p = param("auto_rollback", "revert_s");
    assert_eq!(p["provenance"]["kind"], "assumption");
    assert!(p["provenance"]["based_on"].is_string());
    // The burn-rate alert has no SLO of its own: it shows the scenario's, an assumption.
    assert!(find("slo_burn_alert")["params"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["key"] != "slo"));
    let slo = find("slo_burn_alert")["scenario_assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "slo_target")
        .expect("the alert shows the scenario's SLO")
        .clone();
    assert_eq!(slo["value"], 0.999);
    assert_eq!(slo["provenance"]["kind"], "assumption");
    assert!(slo["provenance"]["based_on"].is_string());
    // Documented defaults of the tool a safeguard models stay cited.
    assert_eq!(
        param("uptime_check", "interval_s")["provenance"]["kind"],
        "cited"
    );
    assert_eq!(
        param("auto_page", "timeout_s")["provenance"]["kind"],
        "cited"
    );
    // The 15-minute channel notice is the scenario's assumption, shown where it acts.
    for id in [
        "uptime_check",
        "slo_burn_alert",
        "absent_alert",
        "canary",
        "auto_page",
    ] {
        let steps = find(id)["scenario_steps"].clone();
        let chat = steps
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "chat_notice")
            .unwrap_or_else(|| panic!("{id} shows the chat notice"))
            .clone();
        assert_eq!(chat["median_s"], 900.0);
        assert_eq!(chat["provenance"]["kind"], "assumption");
    }
    let text = text(&["safeguards"]);
    assert!(text.contains("uses scenario step chat_notice"), "{text}");
    // Preventers keep a stated chance of being bypassed.
    let bypass = param("prune_protection", "bypass_probability");
    assert!(bypass["default"].as_f64().unwrap() > 0.0);
}

#[test]
fn metrics_lists_every_metric_with_its_moments_and_caveats() {
    let v = json(&["metrics", "--json"]);
    let metrics = v["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 13);
    let get = |key: &str| metrics.iter().find(|m| m["key"] == key).unwrap();
    assert_eq!(get("time_to_detect_s")["starts_at"], "service_gone");
    assert_eq!(get("time_to_detect_s")["stops_at"], "first_detection");
    assert_eq!(get("reported_duration_s")["starts_at"], "first_detection");
    assert_eq!(get("time_to_acknowledge_s")["over"], "outage_runs");
    assert_eq!(get("lost_events")["over"], "all_runs");
    assert!(get("time_to_acknowledge_s")["caveat"].is_string());
    assert!(get("reported_duration_s")["caveat"].is_string());
    assert!(get("time_to_mitigate_s")["caveat"].is_null());
    let t = text(&["metrics"]);
    assert!(t.contains("from service gone to service restored"), "{t}");
    assert!(t.contains("Caveat:"), "{t}");
}

#[test]
fn replay_explains_the_records_cst() {
    let t = text(&["replay"]);
    assert!(
        t.contains("Reported in CST") && t.contains("CDT (UTC−5)"),
        "{t}"
    );
    let v = json(&["replay", "--json"]);
    assert!(v["time_zone_note"].as_str().unwrap().contains("CST"));
}

#[test]
fn the_run_table_shows_count_and_says_what_each_figure_is() {
    let t = text(&[
        "run",
        "--runs",
        "500",
        "--with",
        "deletion_guard",
        "--trace",
    ]);
    let header = t.lines().find(|l| l.starts_with("metric")).unwrap();
    assert!(
        header.contains("count") && header.contains("never"),
        "{header}"
    );
    assert!(t.contains("runs with an outage"), "{t}");
    assert!(t.contains("* Time to acknowledge:"), "{t}");
    assert!(t.contains("One counterfactual run, not a median"), "{t}");
    // Prevented in that run, so no merge; without a preventer the trace marks the assumptions.
    let t = text(&["run", "--runs", "200", "--trace"]);
    let merged = t
        .lines()
        .find(|l| l.contains("Pull request merged"))
        .unwrap();
    assert!(merged.contains("[assumption]"), "{merged}");
    let gone = t.lines().find(|l| l.contains("Service gone")).unwrap();
    assert!(gone.contains("[assumption]"), "{gone}");
    let v = json(&["run", "--json", "--runs", "200", "--trace"]);
    let events = v["counterfactual"]["events"].as_array().unwrap();
    assert!(events[0]["assumed"].is_string(), "{}", events[0]);
    assert_eq!(v["as_recorded"]["time_to_mitigate_s"], 8820.0);
    assert_eq!(v["metrics"]["lost_events"]["over"], "all_runs");
}

#[test]
fn rank_measures_detection_mitigation_and_lost_events_and_a_meaningful_leave_one_out() {
    let v = json(&[
        "rank",
        "--json",
        "--runs",
        "3000",
        "--with",
        "deletion_guard",
        "--with",
        "uptime_check",
    ]);
    let values = v["ranking"]["values"].as_array().unwrap();
    let uptime = values.iter().find(|x| x["id"] == "uptime_check").unwrap();
    for key in [
        "mean_time_to_detect_ms",
        "mean_time_to_mitigate_ms",
        "mean_lost_events",
    ] {
        assert!(!uptime["alone"][key].is_null(), "{key}");
    }
    // With a preventer in the set, most runs have no outage; per outage, taking the uptime
    // check out still costs about an hour of detection.
    let loss = &uptime["loss"];
    assert!(
        loss["time_to_detect_ms"].as_f64().unwrap() > 30.0 * 60_000.0,
        "{loss}"
    );
    assert!(
        loss["error_budget_per_outage_pct"].as_f64().unwrap()
            > 10.0 * loss["error_budget_pct"].as_f64().unwrap()
    );
    let guard = values.iter().find(|x| x["id"] == "deletion_guard").unwrap();
    assert!(guard["loss"]["prevented_share"].as_f64().unwrap() > 0.9);
    let t = text(&["rank", "--runs", "500"]);
    assert!(
        t.contains("detect") && t.contains("mitigate") && t.contains("lost"),
        "{t}"
    );
}
