//! The built-in scenario reproduces the record of DESIGN.md section 2.

use outage_sim::scenario::builtin;

#[test]
fn builtin_eptura_validates_and_keeps_every_recorded_time() {
    let s = builtin("eptura-2024-07-10").expect("built-in exists");
    let expect = [
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
    for (id, local, utc) in expect {
        let t = s
            .event_time(id)
            .unwrap_or_else(|| panic!("{id} has a time"));
        assert_eq!(s.clock.hhmm_local(t), local, "{id} local");
        assert_eq!(s.clock.hhmm_utc(t), utc, "{id} utc");
    }
    assert_eq!(s.event("merged").unwrap().at, None);
    assert_eq!(s.reported_duration.value, (2 * 60 + 31) * 60 * 1000);
    for (id, step) in s.steps.chain() {
        assert!(s.median(step) > 0, "{id} has a positive median");
    }
    assert_eq!(s.median(&s.steps.notify_owner), 4 * 60 * 1000);
    assert_eq!(s.median(&s.steps.diagnose_and_reinstate), 75 * 60 * 1000);
}
