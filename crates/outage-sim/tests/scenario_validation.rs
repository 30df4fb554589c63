//! Scenario files are validated with errors that name the field and the rule: one test per rule.

use outage_sim::scenario::{parse_scenario, ScenarioError, BUILTIN_EPTURA};
use serde_json::Value;

fn base() -> Value {
    serde_json::from_str(BUILTIN_EPTURA).unwrap()
}

/// Applies `edit` to the built-in scenario and returns every problem as "path: message".
fn problems(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut v = base();
    edit(&mut v);
    match parse_scenario(&v.to_string()) {
        Ok(_) => vec![],
        Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
    }
}

fn assert_problem(found: &[String], path: &str, words: &str) {
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(path) && p.contains(words)),
        "expected a problem at '{path}' mentioning '{words}', got {found:#?}"
    );
}

fn record_index(v: &Value, id: &str) -> usize {
    v["record"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e["id"] == id)
        .unwrap()
}

#[test]
fn the_builtin_file_is_valid() {
    assert!(problems(|_| {}).is_empty());
}

#[test]
fn syntax_errors_give_the_position() {
    match parse_scenario("{ \"schema\": 1, ") {
        Err(ScenarioError::Syntax { line, column, .. }) => assert!(line == 1 && column > 0),
        other => panic!("{other:?}"),
    }
    assert!(parse_scenario("").is_err());
    assert!(parse_scenario("[]").is_err());
}

#[test]
fn a_missing_field_is_named() {
    let p = problems(|v| {
        v["record"][1].as_object_mut().unwrap().remove("title");
    });
    assert_problem(&p, "record[1]", "missing field `title`");
}

#[test]
fn an_unknown_field_is_named() {
    let p = problems(|v| v["steps"]["confirm"]["meadian_s"] = 3.into());
    assert_problem(&p, "steps.confirm", "unknown field `meadian_s`");
}

#[test]
fn a_wrong_type_is_named() {
    let p = problems(|v| v["assumptions"]["sites"]["value"] = "many".into());
    assert_problem(&p, "assumptions.sites.value", "invalid type");
}

#[test]
fn schema_version_must_be_known() {
    assert_problem(
        &problems(|v| v["schema"] = 1.into()),
        "schema",
        "unsupported schema version 1 (this build reads version 3)",
    );
}

#[test]
fn ids_must_be_slugs_and_unique() {
    assert_problem(
        &problems(|v| v["id"] = "Eptura 2024".into()),
        "id",
        "lowercase",
    );
    let p = problems(|v| v["record"][2]["id"] = "discovered".into());
    assert_problem(&p, "record[2].id", "used by an earlier event");
}

#[test]
fn times_must_be_rfc3339_with_an_offset() {
    let p = problems(|v| v["record"][1]["at"] = "2024-07-10 15:34".into());
    assert_problem(&p, "record[1].at", "not an RFC 3339 time");
    let p = problems(|v| v["record"][1]["at"] = "2024-07-09T12:00:00-05:00".into());
    assert_problem(&p, "record[1].at", "before the scenario's origin");
    assert_problem(
        &problems(|v| v["time_zone"]["utc_offset"] = "CDT".into()),
        "time_zone.utc_offset",
        "not an offset",
    );
}

#[test]
fn lanes_must_be_known() {
    let p = problems(|v| v["record"][1]["lane"] = "pager".into());
    assert_problem(&p, "record[1].lane", "'pager' is not a lane");
}

#[test]
fn every_event_quotes_a_source() {
    let p = problems(|v| v["record"][1]["sources"] = Value::Array(vec![]));
    assert_problem(&p, "record[1].sources", "at least one source");
    let p = problems(|v| v["record"][1]["sources"][0]["quote"] = " ".into());
    assert_problem(&p, "record[1].sources[0].quote", "must not be empty");
}

#[test]
fn the_chain_events_must_exist_with_times() {
    let p = problems(|v| {
        let i = record_index(v, "looper_run");
        v["record"][i]["at"] = Value::Null;
    });
    assert_problem(&p, "record", "event 'looper_run' must have a time");
    let p = problems(|v| {
        let i = record_index(v, "paged");
        v["record"][i]["id"] = "pagerduty".into();
    });
    assert_problem(&p, "record", "must contain an event with id 'paged'");
}

#[test]
fn recorded_steps_are_measured_in_the_record_in_order() {
    // A recorded step's median comes from the record; the file gives its spread only.
    let p = problems(|v| v["steps"]["notify_owner"]["median_s"] = 60.into());
    assert_problem(&p, "steps.notify_owner.median_s", "measured in the record");
    let p = problems(|v| {
        v["steps"]["notify_owner"]["median"] =
            serde_json::json!({"from": "discovered", "to": "ops_notified"})
    });
    assert_problem(&p, "steps.notify_owner", "unknown field `median`");
    // The record's moments must come in the chain's order.
    let p = problems(|v| {
        let i = record_index(v, "ops_notified");
        v["record"][i]["at"] = "2024-07-10T15:30:00-05:00".into();
    });
    assert_problem(&p, "steps.notify_owner", "must come after 'discovered'");
    // A step that only happens with a safeguard states its median and its source.
    let p = problems(|v| {
        v["steps"]["chat_notice"]
            .as_object_mut()
            .unwrap()
            .remove("median_s");
    });
    assert_problem(&p, "steps.chat_notice.median_s", "missing");
}

#[test]
fn spreads_and_stated_medians_must_be_in_range() {
    assert_problem(
        &problems(|v| v["steps"]["confirm"]["sigma"] = 7.into()),
        "steps.confirm.sigma",
        "between 0 and 3",
    );
    assert_problem(
        &problems(|v| v["steps"]["chat_notice"]["median_s"] = (-5).into()),
        "steps.chat_notice.median_s",
        "more than 0",
    );
    assert_problem(
        &problems(|v| v["steps"]["gitops_sync"]["uniform_max_s"] = 0.into()),
        "steps.gitops_sync.uniform_max_s",
        "more than 0",
    );
}

#[test]
fn assumptions_must_lie_in_their_ranges_and_say_where_they_come_from() {
    let p = problems(|v| v["assumptions"]["sites"]["value"] = 0.into());
    assert_problem(&p, "assumptions.sites.value", "must lie between");
    let p = problems(|v| v["assumptions"]["manual_duplicate_share"]["max"] = 2.into());
    assert_problem(
        &p,
        "assumptions.manual_duplicate_share",
        "range must lie within",
    );
    let p = problems(|v| v["assumptions"]["sites"]["provenance"]["note"] = "".into());
    assert_problem(
        &p,
        "assumptions.sites.provenance.note",
        "where the number comes from",
    );
    let p =
        problems(|v| v["assumptions"]["impact_start"]["max"] = "2024-07-10T16:00:00-05:00".into());
    assert_problem(
        &p,
        "assumptions.impact_start.max",
        "before the 'discovered' event",
    );
    let p =
        problems(|v| v["assumptions"]["impact_start"]["at"] = "2024-07-10T15:50:00-05:00".into());
    assert_problem(&p, "assumptions.impact_start.at", "between min and max");
}

#[test]
fn the_reported_duration_must_match_the_record() {
    let p = problems(|v| v["reported_duration"]["value_s"] = 9000.into());
    assert_problem(
        &p,
        "reported_duration.value_s",
        "is 9000 s but 'discovered' → 'resolved' in the record is 9060 s",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let p = problems(|v| {
        v["id"] = "".into();
        v["steps"]["confirm"]["sigma"] = 9.into();
        v["record"][1]["lane"] = "x".into();
    });
    assert!(p.len() >= 3, "{p:#?}");
}
