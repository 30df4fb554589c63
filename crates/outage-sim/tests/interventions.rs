//! The room's decisions and the facilitator's curveballs in the engine: an action taken later
//! never makes the room's day better than the same action taken earlier (same seed), events are
//! conserved whatever is fired, the same inputs give the same run, interventions outside the
//! outage change nothing they should not, and the figures the exercise relies on hold.

use std::sync::OnceLock;

use outage_sim::engine::{Engine, Mode};
use outage_sim::exercise::Exercise;
use outage_sim::intervention::{
    ActionId, CurveballId, Intervention, InterventionSource, Interventions, RoomAction,
};
use outage_sim::metrics::RunRecord;
use outage_sim::montecarlo::{counterfactual, room_day, split_runs, Batch};
use outage_sim::plan::Plan;
use outage_sim::rng::run_seed;
use outage_sim::safeguards::{SafeguardId, Stage};
use outage_sim::scenario::builtin;
use outage_sim::time::{SimTime, HOUR, MINUTE};
use outage_sim::trace::{RestoredBy, TraceEvent, TraceKind};
use outage_sim::{builtin_exercise, Aggregate, Config, Scenario};
use proptest::prelude::*;

mod common;
use common::*;

fn eptura() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| builtin("eptura-2024-07-10").expect("built-in scenario"))
}

fn exercise() -> &'static Exercise {
    static E: OnceLock<Exercise> = OnceLock::new();
    E.get_or_init(|| builtin_exercise("eptura-2024-07-10").expect("built-in exercise"))
}

fn plan(c: &Config, mode: Mode) -> Plan {
    match mode {
        Mode::Recorded => Plan::for_replay(eptura(), c),
        Mode::Sampled => Plan::new(eptura(), c),
    }
}

fn run(c: &Config, list: Vec<Intervention>, seed: u64, mode: Mode) -> (RunRecord, Vec<TraceEvent>) {
    let iv = Interventions::new(list).unwrap();
    let mut trace = Vec::new();
    let r = Engine::new().run_with(&plan(c, mode), run_seed(seed, 0), mode, &iv, &mut trace);
    (r, trace)
}

fn at(hhmm: &str) -> SimTime {
    eptura().parse_local_time(hhmm).unwrap()
}

fn parse(text: &str, curveball: bool) -> Intervention {
    exercise()
        .parse_intervention(eptura(), text, curveball)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn day(texts: &[(&str, bool)]) -> (RunRecord, Vec<TraceEvent>) {
    let list = texts.iter().map(|(t, c)| parse(t, *c)).collect();
    room_day(
        eptura(),
        &Config::none(),
        &Interventions::new(list).unwrap(),
        1,
    )
}

fn ttm(r: &RunRecord) -> i64 {
    r.restored_at.unwrap() - r.gone_at.unwrap()
}

/// A record without its engine-event count (an intervention is an engine event itself).
fn outcome(r: &RunRecord) -> RunRecord {
    RunRecord {
        engine_events: 0,
        ..*r
    }
}

#[test]
fn a_room_rolling_back_at_15_40_waits_for_the_responders_then_mitigates_much_sooner() {
    let (record, _) = counterfactual(eptura(), &Config::none(), 1);
    let (room, trace) = day(&[("15:40=roll_back", false)]);
    assert_eq!(ttm(&record), 147 * MINUTE, "the record: 14:34 → 17:01");
    assert_eq!(
        room.restored_at,
        Some(at("16:06")),
        "nobody suspects a change before the responders gather at 15:46; then the scenario's \
         20-minute reinstatement of a known change"
    );
    assert_eq!(room.restored_by, Some(RestoredBy::RoomRollBack));
    assert!(ttm(&room) < ttm(&record));
    assert!(room.resolved_at < record.resolved_at);
    let by_room: Vec<_> = trace
        .iter()
        .filter(|e| e.kind.intervention() == Some(InterventionSource::Room))
        .collect();
    assert_eq!(
        by_room.len(),
        3,
        "the decision waiting, acting at 15:46, and the restore it caused: {by_room:?}"
    );
    assert!(matches!(
        by_room[0].kind,
        TraceKind::RoomWaits {
            action: ActionId::RollBack,
            before_impact: false,
            ..
        }
    ));
    // Once gathered, it acts at once; with the runbook on, it takes the runbook's revert.
    let (r, _) = day(&[("15:50=roll_back", false)]);
    assert_eq!(r.restored_at, Some(at("16:10")));
    let (r, _) = day(&[
        (
            "15:30=enable_safeguard:rollback_runbook:revert_s=1800",
            false,
        ),
        ("15:50=roll_back", false),
    ]);
    assert!(
        r.restored_at <= Some(at("16:20")),
        "the room's rollback takes the runbook's stated 30 minutes (the runbook the responders \
         started at 15:46 draws its own): {:?}",
        r.restored_at
    );
}

#[test]
fn the_looper_failing_for_a_share_of_sites_loses_events() {
    let (record, _) = counterfactual(eptura(), &Config::none(), 1);
    let (room, trace) = day(&[("15:30=looper_fails", true)]);
    // As it happened, a few changes are lost because their meeting started before they were
    // delivered; with the looper failing for a quarter of the sites, the changes only it could
    // recover for them (the half the provider dropped) are lost too.
    let e = record.events;
    assert!(e.lost > 0 && e.lost < e.missed / 20, "{e:?}");
    let dropped_for_failed_sites = (e.missed - e.redelivered) as f64 * 0.25;
    let more = room.events.lost - record.events.lost;
    assert!(
        (more as f64 / dropped_for_failed_sites - 1.0).abs() < 0.1,
        "{more} more lost, about {dropped_for_failed_sites}"
    );
    assert_eq!(room.events.missed, room.events.recovered + room.events.lost);
    assert!(trace.iter().any(|e| matches!(
        e.kind,
        TraceKind::LooperPartlyFailed {
            failed_permille: 250
        }
    )));
    // Fired after the looper ran, it changes nothing.
    let (late, _) = day(&[("17:45=looper_fails", true)]);
    assert_eq!(late.events, record.events);
}

#[test]
fn a_missing_image_makes_the_reinstatement_later() {
    let (record, _) = counterfactual(eptura(), &Config::none(), 1);
    let (room, _) = day(&[("15:30=image_missing", true)]);
    assert_eq!(
        room.restored_at.unwrap(),
        record.restored_at.unwrap() + 45 * MINUTE
    );
    // The room's rollback waits for the image too.
    let (both, _) = day(&[("15:30=image_missing", true), ("15:50=roll_back", false)]);
    assert_eq!(both.restored_at, Some(at("16:10") + 45 * MINUTE));
}

#[test]
fn each_curveball_and_action_does_what_its_help_says() {
    let (record, _) = counterfactual(eptura(), &Config::none(), 1);
    // Pager down before the page by hand: gathered 15 minutes later by phone and chat.
    let (r, _) = day(&[("15:35=pager_down", true)]);
    assert_eq!(r.mobilized_at, Some(at("16:01")));
    // The person who made the change is away: the 75-minute reinstatement takes 1.5 times.
    let (r, _) = day(&[("15:40=merger_away", true)]);
    assert_eq!(
        r.restored_at.unwrap() - r.mobilized_at.unwrap(),
        (75 * MINUTE) * 3 / 2
    );
    // Fired during the diagnosis, only what is left of it is slowed.
    let (r, _) = day(&[("16:46=merger_away", true)]);
    assert_eq!(
        r.restored_at,
        Some(at("17:08") + 30_000),
        "15 min left × 1.5"
    );
    // A second incident slows people while it lasts, not after.
    let (r, _) = day(&[("15:36=second_incident", true)]);
    assert!(r.restored_at > record.restored_at);
    let (r, _) = day(&[("18:10=second_incident", true)]);
    assert_eq!(outcome(&r), outcome(&record));
    // Paging, escalating, posting, starting the looper.
    let (r, _) = day(&[("15:36=page_on_call", false)]);
    assert_eq!(r.mobilized_at, Some(at("15:40")));
    let (r, _) = day(&[("15:35=escalate_leadership", false)]);
    assert_eq!(r.acknowledged_at, Some(at("15:35")));
    assert_eq!(
        r.mobilized_at,
        Some(at("15:43")),
        "a recorded 8-minute step later"
    );
    let (r, _) = day(&[("15:36=post_status", false)]);
    assert_eq!(r.first_post_at, Some(at("15:36")));
    let (r, _) = day(&[("17:02=start_looper", false)]);
    assert_eq!(r.recovery_started_at, Some(at("17:02")));
    assert_eq!(r.recovered_at, Some(at("17:34")));
    // A detector switched on by the room checks from then on.
    let (r, trace) = day(&[("15:40=enable_safeguard:uptime_check", false)]);
    assert!(trace
        .iter()
        .any(|e| matches!(e.kind, TraceKind::UptimeDown)));
    assert_eq!(r.detected_at, record.detected_at, "people noticed first");
    // A preventer switched on after the merge changes nothing, and the trace says so.
    for id in ["review", "deletion_guard", "prune_protection", "canary"] {
        let (r, trace) = day(&[(&format!("15:40=enable_safeguard:{id}"), false)]);
        assert_eq!(outcome(&r), outcome(&record), "{id}");
        assert!(trace
            .iter()
            .any(|e| matches!(e.kind, TraceKind::SafeguardTooLate { .. })));
    }
    // Switched on before the merge, a preventer acts.
    let (r, _) = day(&[(
        "09:00=enable_safeguard:deletion_guard:block_probability=1",
        false,
    )]);
    assert!(r.gone_at.is_none());
}

#[test]
fn decisions_before_the_outage_wait_as_prevention_exercises_and_after_resolution_change_nothing() {
    let (record, _) = counterfactual(eptura(), &Config::none(), 1);
    for action in [
        "page_on_call",
        "escalate_leadership",
        "roll_back",
        "post_status",
        "start_looper",
    ] {
        // Decided before anything went wrong: said so, and it acts when the room could have
        // known to take it, exactly as if decided then.
        let gate = ActionId::from_id(action).unwrap().gate();
        let opens = match gate {
            outage_sim::intervention::Gate::Gathered => "15:46",
            _ => "15:34",
        };
        let (at_gate, _) = day(&[(&format!("{opens}={action}"), false)]);
        for time in ["09:00", "14:33"] {
            let (r, trace) = day(&[(&format!("{time}={action}"), false)]);
            assert_eq!(outcome(&r), outcome(&at_gate), "{time}={action}");
            assert!(
                trace.iter().any(|e| matches!(
                    e.kind,
                    TraceKind::RoomWaits {
                        before_impact: true,
                        ..
                    }
                )),
                "{time}={action}: a prevention exercise"
            );
            let words = trace
                .iter()
                .find(|e| matches!(e.kind, TraceKind::RoomWaits { .. }))
                .map(|e| e.kind.title())
                .unwrap();
            assert!(words.contains("prevention exercise"), "{words}");
        }
        for time in ["18:06", "21:00"] {
            let (r, trace) = day(&[(&format!("{time}={action}"), false)]);
            assert_eq!(outcome(&r), outcome(&record), "{time}={action}");
            assert!(trace
                .iter()
                .any(|e| matches!(e.kind, TraceKind::RoomNoEffect { .. })));
        }
    }
    for curveball in CurveballId::ALL {
        let (r, _) = day(&[(&format!("18:06={}", curveball.id()), true)]);
        assert_eq!(outcome(&r), outcome(&record), "{}", curveball.id());
    }
    // With no intervention, run_with is run.
    for seed in 0..200 {
        for mode in [Mode::Recorded, Mode::Sampled] {
            let p = plan(&Config::all(), mode);
            let a = Engine::new().run(&p, run_seed(seed, 0), mode, &mut ());
            let b =
                Engine::new().run_with(&p, run_seed(seed, 0), mode, &Interventions::NONE, &mut ());
            assert_eq!(a, b);
        }
    }
}

#[test]
fn monte_carlo_takes_interventions_and_parts_still_merge_exactly() {
    let s = eptura();
    let configs = [
        Config::none(),
        Config::with_defaults(&[SafeguardId::AutoPage]),
    ];
    let iv = Interventions::new(vec![
        parse("15:40=roll_back", false),
        parse("15:30=looper_fails", true),
    ])
    .unwrap();
    let mut whole = Batch::part_with(s, &configs, 4, 0..2_001, iv.clone());
    whole.advance(u64::MAX);
    let mut merged: Vec<Aggregate> = configs.iter().map(|_| Aggregate::new()).collect();
    for range in split_runs(2_001, 3).into_iter().rev() {
        let mut part = Batch::part_with(s, &configs, 4, range, iv.clone());
        while !part.advance(97) {}
        for (m, a) in merged.iter_mut().zip(part.aggregates()) {
            m.merge(a);
        }
    }
    assert_eq!(merged, whole.aggregates());
    let lost = whole.aggregates()[0].stats(outage_sim::Metric::LostEvents);
    assert!(lost.min.unwrap() > 0.0, "the looper fails in every run");
    // An empty list is the batch without interventions.
    let mut a = Batch::part(s, &configs, 4, 0..500);
    let mut b = Batch::part_with(s, &configs, 4, 0..500, Interventions::NONE);
    a.advance(u64::MAX);
    b.advance(u64::MAX);
    assert_eq!(a.aggregates(), b.aggregates());
}

/// Curveballs fired at random moments of the afternoon (each at most once).
fn any_curveballs() -> impl Strategy<Value = Vec<Intervention>> {
    prop::collection::vec((any::<bool>(), 13 * 60..19 * 60i64), CurveballId::ALL.len()).prop_map(
        |picks| {
            CurveballId::ALL
                .into_iter()
                .zip(picks)
                .filter(|(_, (on, _))| *on)
                .map(|(id, (_, minute))| {
                    Intervention::curveball(minute * MINUTE, exercise().curveball(id).unwrap())
                })
                .collect()
        },
    )
}

/// How good a day is, measure by measure, smaller is better (never = last; no outage = first):
/// when the service is back, when the incident is resolved, the events lost, the error budget
/// used, and the moment the action itself improves (gathered, told, recovered). The error
/// budget is compared to a millionth.
fn day_measures(action: ActionId, r: &RunRecord) -> [i64; 5] {
    let never = i64::MAX;
    let own = match action {
        ActionId::PageOnCall | ActionId::EscalateLeadership => r.mobilized_at,
        ActionId::PostStatus => r.first_post_at,
        ActionId::StartLooper => r.recovered_at,
        ActionId::RollBack | ActionId::EnableSafeguard => r.restored_at,
    };
    let restored = if r.gone_at.is_none() {
        i64::MIN
    } else {
        r.restored_at.unwrap_or(never)
    };
    [
        restored,
        if r.gone_at.is_none() {
            i64::MIN
        } else {
            r.resolved_at.unwrap_or(never)
        },
        r.events.lost as i64,
        (r.error_budget_used * 1e6).round() as i64,
        if r.gone_at.is_none() {
            i64::MIN
        } else {
            own.unwrap_or(never)
        },
    ]
}

const MEASURES: [&str; 5] = [
    "restored",
    "resolved",
    "lost events",
    "error budget",
    "its own moment",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// A room action, item 3: a room action decided earlier never gives a worse day than the same
    /// action decided later, on the same seed, whatever the safeguards and curveballs, at any
    /// moment from two hours before the merge (a prevention exercise) to after resolution.
    #[test]
    fn an_action_taken_later_never_makes_the_day_better(
        c in any_config(), seed in any::<u64>(), mode in any_mode(), curveballs in any_curveballs(),
        which in 0usize..ActionId::ALL.len(), safeguard in 0usize..SafeguardId::ALL.len(),
        early in -2 * HOUR..6 * HOUR, later in 0..3 * HOUR,
    ) {
        let action = ActionId::ALL[which];
        let (base, _) = run(&c, curveballs.clone(), seed, mode);
        let merge = plan(&c, mode).merge_at;
        // A safeguard that acts at one moment (the merge, the deploy) either acts or not, and
        // whether acting helps is the safeguard's value, not the decision's timing (a staged
        // rollout hides an outage from an absent-metrics alert): those are left to the ranking.
        let id = SafeguardId::ALL[safeguard];
        let one_moment = matches!(id.stage(), Stage::Prevent | Stage::Contain) || id == SafeguardId::DeployNotice;
        // Switching on one already on with other values is a change of parameters, not a decision.
        if action == ActionId::EnableSafeguard && (one_moment || c.is_enabled(id)) {
            return Ok(());
        }
        let kind = exercise().room_action(action).unwrap_or(
            RoomAction::EnableSafeguard { safeguard: id, params: outage_sim::safeguards::Params::defaults(id) }
        );
        let t1 = merge + early;
        let t2 = t1 + later;
        let with = |t| {
            let mut list = curveballs.clone();
            list.push(Intervention::room(t, kind));
            run(&c, list, seed, mode).0
        };
        let (a, b) = (with(t1), with(t2));
        let (ma, mb, m0) = (day_measures(action, &a), day_measures(action, &b), day_measures(action, &base));
        // Switching a safeguard on is judged by what the outage costs (error budget, events
        // lost): a staged rollout, say, can restore later and still cost less.
        let judged: &[usize] = if action == ActionId::EnableSafeguard { &[2, 3] } else { &[0, 1, 2, 3, 4] };
        for &k in judged {
            prop_assert!(ma[k] <= mb[k], "{:?} at merge {:+} min: {} {} but at {:+} min {}", action, early / MINUTE, MEASURES[k], ma[k], (early + later) / MINUTE, mb[k]);
            // And never worse than not acting.
            prop_assert!(ma[k] <= m0[k], "{:?} at merge {:+} min: {} {} but {} without it", action, early / MINUTE, MEASURES[k], ma[k], m0[k]);
        }
    }

    #[test]
    fn events_are_conserved_whatever_the_room_and_the_curveballs_do(
        c in any_config(), seed in any::<u64>(), mode in any_mode(), curveballs in any_curveballs(),
        actions in prop::collection::vec((0usize..6, 14 * 60..19 * 60i64), 0..6),
    ) {
        let mut list = curveballs;
        for (i, minute) in actions {
            let id = ActionId::ALL[i];
            let kind = exercise().room_action(id).unwrap_or(RoomAction::EnableSafeguard {
                safeguard: SafeguardId::ALL[(minute as usize) % SafeguardId::ALL.len()],
                params: outage_sim::safeguards::Params::defaults(SafeguardId::ALL[(minute as usize) % SafeguardId::ALL.len()]),
            });
            list.push(Intervention::room(minute * MINUTE, kind));
        }
        let (r, trace) = run(&c, list.clone(), seed, mode);
        let e = r.events;
        prop_assert_eq!(e.missed, e.recovered + e.lost);
        prop_assert!(e.duplicated <= e.recovered);
        if r.gone_at.is_some() {
            prop_assert!(r.restored_at.is_some(), "every outage ends");
        }
        prop_assert!(trace.windows(2).all(|w| w[0].at <= w[1].at), "the trace is in time order");
        // Same inputs, same run.
        let (again, trace_again) = run(&c, list, seed, mode);
        prop_assert_eq!(r, again);
        prop_assert_eq!(trace, trace_again);
    }
}
