//! The replay reproduces the postmortem: every recorded time, in the scenario's zone and in UTC,
//! the reported duration, and the counterfactual run without safeguards lands on the record.

use outage_sim::montecarlo::counterfactual;
use outage_sim::replay::as_recorded;
use outage_sim::scenario::builtin;
use outage_sim::{Config, Scenario};

fn eptura() -> Scenario {
    builtin("eptura-2024-07-10").expect("built-in scenario")
}

#[test]
fn replay_keeps_every_recorded_time_in_cdt_and_utc() {
    let s = eptura();
    let r = as_recorded(&s);
    let expected = [
        ("discovered", "15:34", "20:34"),
        ("ops_notified", "15:38", "20:38"),
        ("paged", "15:46", "20:46"),
        ("status_investigating", "15:47", "20:47"),
        ("reinstated", "17:01", "22:01"),
        ("confirmed", "17:06", "22:06"),
        ("recovery_requested", "17:08", "22:08"),
        ("status_monitoring", "17:10", "22:10"),
        ("status_monitoring_timeline", "17:11", "22:11"),
        ("looper_run", "17:40", "22:40"),
        ("resolved", "18:05", "23:05"),
        ("postmortem_published", "12:03", "17:03"),
    ];
    for (id, local, utc) in expected {
        let e = r
            .entries
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("{id} in replay"));
        let t = e.at.expect("timed");
        assert_eq!(
            (s.clock.hhmm_local(t).as_str(), s.clock.hhmm_utc(t).as_str()),
            (local, utc),
            "{id}"
        );
        assert!(
            !e.sources.is_empty() && !e.sources[0].quote.is_empty(),
            "{id} quotes its source"
        );
    }
    assert_eq!(s.clock.rfc3339(r.discovered), "2024-07-10T15:34:00-05:00");
    // Sorted by time, with 17:08 (listed after 17:11 in the postmortem) in its place.
    let timed: Vec<i64> = r
        .entries
        .iter()
        .filter(|e| !e.epilogue)
        .filter_map(|e| e.at)
        .collect();
    assert!(timed.windows(2).all(|w| w[0] <= w[1]), "sorted by time");
    let pos = |id: &str| r.entries.iter().position(|e| e.id == id).unwrap();
    assert!(pos("recovery_requested") < pos("status_monitoring_timeline"));
    // The merge is in the record but its time is not.
    assert_eq!(r.entries[pos("merged")].at, None);
    // The assumed impact start is explicit and flagged.
    let gone = &r.entries[pos("impact_start")];
    assert!(gone.assumed);
    assert_eq!(s.clock.hhmm_local(gone.at.unwrap()), "14:34");
}

#[test]
fn reported_duration_is_discovery_to_resolution_and_impact_is_longer() {
    let mut s = eptura();
    let r = as_recorded(&s);
    assert_eq!(r.reported_duration, (2 * 60 + 31) * 60_000);
    assert_eq!(r.undetected_window, 60 * 60_000);
    assert_eq!(r.impact_duration, (3 * 60 + 31) * 60_000);
    // Moving the assumption moves the impact, never the reported duration.
    s.set_assumption_text("impact_start", "12:04").unwrap();
    let r = as_recorded(&s);
    assert_eq!(r.reported_duration, (2 * 60 + 31) * 60_000);
    assert_eq!(r.impact_duration, (6 * 60 + 1) * 60_000);
    assert!(
        s.set_assumption_text("impact_start", "15:40").is_err(),
        "after discovery is refused"
    );
}

#[test]
fn counterfactual_without_safeguards_is_the_record() {
    let s = eptura();
    for seed in [0, 1, 42, u64::MAX] {
        let (run, trace) = counterfactual(&s, &Config::none(), seed);
        let mut matched = 0;
        for e in &trace {
            if let Some(id) = e.kind.record_id() {
                if let Some(at) = s.event_time(id) {
                    assert_eq!(
                        s.clock.hhmm_local(e.at),
                        s.clock.hhmm_local(at),
                        "{id} (seed {seed})"
                    );
                    assert_eq!(e.at, at, "{id} exactly (seed {seed})");
                    matched += 1;
                }
            }
        }
        assert_eq!(matched, 10, "all ten timed steps of the chain appear");
        assert_eq!(run.gone_at, Some(s.impact_start()));
        assert_eq!(run.detected_at, s.event_time("discovered"));
        assert_eq!(run.resolved_at, s.event_time("resolved"));
        assert_eq!(run.first_post_at, s.event_time("status_investigating"));
        assert_eq!(run.restored_at, s.event_time("reinstated"));
        assert_eq!(run.recovered_at, s.event_time("looper_run"));
    }
}

#[test]
fn monte_carlo_medians_of_composite_durations_are_the_record() {
    // The recorded day is a typical day: the median of every duration that spans several steps
    // is within 2 % of the record (calibration), and time to acknowledge, a single step that
    // calibration does not move, keeps the record's 4 minutes.
    let s = eptura();
    let agg = outage_sim::simulate(&s, &Config::none(), 11, 100_000);
    let (recorded, _) = counterfactual(&s, &Config::none(), 0);
    use outage_sim::Metric::*;
    for m in [
        ReportedDuration,
        TimeToMitigate,
        TimeToRecoverData,
        TimeToResolve,
        FirstCustomerMessage,
        TimeToAcknowledge,
    ] {
        let p50 = agg.stats(m).p50.unwrap();
        let record = m.value(&recorded).unwrap();
        assert!(
            (p50 / record - 1.0).abs() < 0.02,
            "{}: median {p50} ms, record {record} ms",
            m.key()
        );
    }
    let record_minutes = |m: outage_sim::Metric| m.value(&recorded).unwrap() / 60_000.0;
    assert_eq!(record_minutes(ReportedDuration), 151.0);
    assert_eq!(record_minutes(TimeToMitigate), 147.0);
    assert_eq!(record_minutes(TimeToRecoverData), 186.0);
    assert_eq!(record_minutes(TimeToResolve), 211.0);
    assert_eq!(record_minutes(FirstCustomerMessage), 73.0);
    assert!((agg.stats(TimeToAcknowledge).p50.unwrap() / 240_000.0 - 1.0).abs() < 0.01);
    // The error budget's median follows time to mitigate: 147 min of 43.2 min allowed.
    let budget = agg.stats(ErrorBudgetUsed).p50.unwrap();
    assert!(
        (budget / 340.28 - 1.0).abs() < 0.02,
        "budget median {budget} %"
    );
}
