//! The built-in exercise: its injects at the record's real moments, nothing the room reads gives
//! away what comes later, every number is an assumption or illustrative, and a broken exercise
//! file gets every problem with its path and rule.

use outage_sim::exercise::{parse_exercise, BUILTIN_EPTURA_EXERCISE};
use outage_sim::intervention::{ActionId, CurveballId};
use outage_sim::scenario::builtin;
use outage_sim::{builtin_exercise, Scenario};
use serde_json::Value;

fn eptura() -> Scenario {
    builtin("eptura-2024-07-10").expect("built-in scenario")
}

#[test]
fn injects_are_at_the_records_moments_with_what_a_facilitator_needs() {
    let s = eptura();
    let e = builtin_exercise(&s.id).expect("built-in exercise");
    let moments: Vec<(String, String, String)> = e
        .injects
        .iter()
        .map(|i| {
            (
                i.record_id.clone(),
                s.clock.hhmm_local(i.at),
                s.clock.hhmm_utc(i.at),
            )
        })
        .collect();
    let expected = [
        ("discovered", "15:34", "20:34"),
        ("ops_notified", "15:38", "20:38"),
        ("paged", "15:46", "20:46"),
        ("reinstated", "17:01", "22:01"),
        ("recovery_requested", "17:08", "22:08"),
        ("looper_run", "17:40", "22:40"),
        ("resolved", "18:05", "23:05"),
    ];
    assert_eq!(
        moments,
        expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    // The run sheet keeps time: the injects' discussion fills the planned hour.
    assert_eq!(
        e.injects.iter().map(|i| i.discuss_minutes).sum::<u32>(),
        e.duration_minutes
    );
    assert_eq!(e.duration_minutes, 60);
    for i in &e.injects {
        assert!((2..=4).contains(&i.questions.len()), "{}", i.id);
        assert!((2..=4).contains(&i.listen_for.len()), "{}", i.id);
        assert!(i.discuss_minutes > 0);
        let event = s.event(&i.record_id).unwrap();
        assert!(event
            .sources
            .iter()
            .any(|q| q.quote.contains(&i.source.quote)));
    }
    assert!((3..=5).contains(&e.objectives.len()));
    let phases: Vec<&str> = e.phases.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        phases,
        [
            "before_discovery",
            "detection",
            "escalation",
            "mitigation",
            "data_recovery",
            "resolution"
        ]
    );
    assert_eq!(
        e.phases[0].at(&s),
        s.impact_start(),
        "moves with the assumption"
    );
    assert_eq!(
        e.curveballs.iter().map(|c| c.id).collect::<Vec<_>>(),
        CurveballId::ALL
    );
    assert_eq!(
        e.actions.iter().map(|a| a.id).collect::<Vec<_>>(),
        ActionId::ALL
    );
}

#[test]
fn nothing_the_room_reads_gives_away_what_comes_later() {
    let s = eptura();
    let e = builtin_exercise(&s.id).unwrap();
    let resolved = s.event_time("resolved").unwrap();
    let reinstated = s.event_time("reinstated").unwrap();
    for i in &e.injects {
        let text: String = i.room_text().collect::<Vec<_>>().join(" ").to_lowercase();
        if i.at < resolved {
            for spoiler in ["18:05", "6:05", "resolved", "2 hours 31", "uptime alert"] {
                assert!(!text.contains(spoiler), "{} names {spoiler}", i.id);
            }
        }
        if i.at < reinstated {
            for spoiler in ["pull request", "merged", "17:01", "5:01", "week prior"] {
                assert!(!text.contains(spoiler), "{} names {spoiler}", i.id);
            }
        }
    }
    // Details the record does not state are marked.
    assert!(e
        .injects
        .iter()
        .flat_map(|i| &i.participant_text)
        .any(|p| p.illustrative));
    assert!(e
        .curveballs
        .iter()
        .all(|c| c.participant_text.iter().all(|p| p.illustrative)));
}

#[test]
fn every_added_number_is_an_assumption_or_illustrative() {
    let e = builtin_exercise("eptura-2024-07-10").unwrap();
    let numbers = e
        .curveballs
        .iter()
        .flat_map(|c| &c.numbers)
        .chain(e.actions.iter().flat_map(|a| &a.numbers));
    let mut count = 0;
    for n in numbers {
        count += 1;
        assert_eq!(n.provenance.kind(), "assumption", "{}", n.key);
        assert!(
            n.illustrative || n.provenance.based_on().is_some(),
            "{}",
            n.key
        );
    }
    // The rollback has no number of its own: it takes the model's steps.
    assert_eq!(count, 7);
    assert!(e
        .curveballs
        .iter()
        .all(|c| c.provenance.kind() == "assumption"));
}

fn problems_of(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let s = eptura();
    let mut v: Value = serde_json::from_str(BUILTIN_EPTURA_EXERCISE).unwrap();
    edit(&mut v);
    match parse_exercise(&v.to_string(), &s) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn a_broken_exercise_gets_every_problem_with_its_path_and_rule() {
    let problems = problems_of(|v| {
        v["injects"][0]["questions"] = serde_json::json!(["Only one?"]);
        v["injects"][1]["record_id"] = serde_json::json!("nowhere");
        v["injects"][2]["participant_text"][0]["text"] =
            serde_json::json!("It is 3:46 pm. The service comes back at 5:01 pm.");
        v["injects"][0]["participant_text"][1]["text"] =
            serde_json::json!("A pull request did it.");
        v["injects"][3]["source"]["quote"] = serde_json::json!("Something the record never said");
        v["curveballs"][1]["numbers"]["failed_share"]["value"] = serde_json::json!(3);
        v["curveballs"][0]["numbers"]["rebuild_s"]["provenance"]["kind"] =
            serde_json::json!("postmortem");
        v["actions"][0]["colour"] = serde_json::json!("red");
        v["objectives"] = serde_json::json!([]);
        // The missing image's card names last week's release: without its spoiler-free card
        // it is refused; the looper's spoiler-free card must itself give nothing away.
        v["curveballs"][0]
            .as_object_mut()
            .unwrap()
            .remove("spoiler_free");
        v["curveballs"][1]["spoiler_free"]["title"] = serde_json::json!("The looper is slow");
        v["injects"][6]["discuss_minutes"] = serde_json::json!(2);
        v["mission_areas"] = serde_json::json!(["Response", "Fun"]);
    });
    let expect = [
        "injects[0].questions: has 1 items; give 2 to 4",
        "injects[1].record_id: 'nowhere' is not a timed record event",
        "injects[2]: what the room reads at 15:46 names a later time (17:01)",
        "injects[0]: what the room reads at 15:34 names 'pull request', withheld until 'reinstated'",
        "injects[3].source.quote: must be part of a source line",
        "curveballs[1].numbers.failed_share.value: 3 must be between 0.01 and 1",
        "curveballs[0].numbers.rebuild_s.provenance.kind: 'postmortem' must be 'assumption'",
        "actions[0].colour: unknown field `colour`",
        "objectives: has 0 items; give 3 to 5",
        "curveballs[0]: its card names 'last week's release', withheld until 'reinstated'",
        "curveballs[1].spoiler_free: names 'looper', withheld until 'looper_run'",
        "duration_minutes: is 60, but the injects' discuss_minutes add up to 50",
        "mission_areas[1]: 'Fun' is not a mission area",
    ];
    for e in expect {
        assert!(
            problems.iter().any(|p| p.starts_with(e)),
            "missing {e:?} in {problems:#?}"
        );
    }
    // The wrong scenario, and a file that is not JSON.
    let mut other = eptura();
    other.id = "another".into();
    let err = parse_exercise(BUILTIN_EPTURA_EXERCISE, &other).unwrap_err();
    assert!(err.to_string().contains("scenario"), "{err}");
    assert!(parse_exercise("{", &eptura()).is_err());
    let huge = " ".repeat(outage_sim::limits::MAX_FILE_BYTES + 1);
    assert!(parse_exercise(&huge, &eptura())
        .unwrap_err()
        .to_string()
        .contains("at most"));
}

#[test]
fn interventions_read_from_text_and_write_back() {
    let s = eptura();
    let e = builtin_exercise(&s.id).unwrap();
    for text in [
        "15:40=roll_back",
        "15:40=page_on_call:ack_delay_s=120",
        "15:45=enable_safeguard:uptime_check:interval_s=30",
        "15:45=enable_safeguard:auto_page",
        "16:00=post_status",
    ] {
        let i = e.parse_intervention(&s, text, false).unwrap();
        assert_eq!(e.intervention_text(&s, &i), text);
    }
    for text in [
        "15:30=looper_fails",
        "15:30=second_incident:duration_s=1800",
    ] {
        let i = e.parse_intervention(&s, text, true).unwrap();
        assert_eq!(e.intervention_text(&s, &i), text);
    }
    for (bad, curveball) in [
        ("15:40", false),
        ("15:40=teleport", false),
        ("25:61=roll_back", false),
        ("15:40=roll_back:redeploy_s=1", false),
        ("15:40=post_status:delay=3", false),
        ("15:40=enable_safeguard:nope", false),
        ("15:40=roll_back", true),
    ] {
        assert!(e.parse_intervention(&s, bad, curveball).is_err(), "{bad}");
    }
}

#[test]
fn the_exercise_writes_itself_as_rust() {
    let e = builtin_exercise("eptura-2024-07-10").unwrap();
    let code = outage_sim::codegen::exercise_to_rust(&e);
    assert!(code.starts_with("outage_sim::exercise::Exercise {"));
    assert!(code.contains("outage_sim::intervention::CurveballId::LooperFails"));
    assert!(code.contains("illustrative: true"));
}
