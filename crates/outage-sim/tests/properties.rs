//! Properties that must hold for every seed and every configuration.

use outage_sim::engine::{Engine, Mode};
use outage_sim::metrics::RunRecord;
use outage_sim::plan::Plan;
use outage_sim::rng::run_seed;
use outage_sim::safeguards::SafeguardId;
use outage_sim::scenario::builtin;
use outage_sim::trace::TraceEvent;
use outage_sim::{Config, Scenario};
use proptest::prelude::*;

mod common;
use common::*;

fn eptura() -> Scenario {
    builtin("eptura-2024-07-10").expect("built-in scenario")
}

/// A Monte Carlo plan (the scenario carries its fixed calibration).
fn plan(s: &Scenario, c: &Config) -> Plan {
    Plan::new(s, c)
}

fn run(s: &Scenario, c: &Config, seed: u64, mode: Mode) -> (RunRecord, Vec<TraceEvent>) {
    let mut trace = Vec::new();
    let r = Engine::new().run(&plan(s, c), run_seed(seed, 0), mode, &mut trace);
    (r, trace)
}

const DETECTORS: [SafeguardId; 4] = [
    SafeguardId::UptimeCheck,
    SafeguardId::SloBurnAlert,
    SafeguardId::AbsentAlert,
    SafeguardId::DeployNotice,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn enabling_a_detector_never_delays_detection(c in any_config(), seed in any::<u64>(), d in 0usize..4, mode in any_mode()) {
        let s = eptura();
        let detector = DETECTORS[d];
        let mut without = c;
        without.disable(detector);
        let mut with = without;
        with.enable(detector);
        if let Some(p) = c.params(detector) {
            for (i, spec) in detector.params().iter().enumerate() {
                with.set(detector, spec.key, p.0[i]).unwrap();
            }
        }
        let (a, _) = run(&s, &without, seed, mode);
        let (b, _) = run(&s, &with, seed, mode);
        prop_assert_eq!(a.gone_at, b.gone_at, "a detector does not change whether the service goes");
        if let Some(before) = a.detected_at {
            let after = b.detected_at.expect("still detected");
            prop_assert!(after <= before, "{:?}: detection {} → {}", detector, before, after);
        }
    }

    #[test]
    fn missed_events_are_recovered_or_lost(c in any_config(), seed in any::<u64>(), mode in any_mode()) {
        let s = eptura();
        let (r, _) = run(&s, &c, seed, mode);
        let e = r.events;
        prop_assert_eq!(e.missed, e.recovered + e.lost);
        prop_assert!(e.duplicated <= e.recovered);
        if c.is_enabled(SafeguardId::AutoReplay) {
            prop_assert_eq!(e.duplicated, 0, "the automatic replay is idempotent");
        }
        if r.gone_at.is_none() {
            prop_assert_eq!(e.missed, 0);
        }
    }

    #[test]
    fn mitigation_never_precedes_detection(c in any_config(), seed in any::<u64>(), mode in any_mode()) {
        let s = eptura();
        let (r, _) = run(&s, &c, seed, mode);
        if let Some(restored) = r.restored_at {
            let detected = r.detected_at.expect("a restore follows a detection");
            prop_assert!(restored >= detected);
            prop_assert!(detected >= r.gone_at.unwrap());
        }
        if let Some(ack) = r.acknowledged_at {
            prop_assert!(ack >= r.detected_at.unwrap());
        }
        if let Some(resolved) = r.resolved_at {
            prop_assert!(resolved >= r.recovered_at.unwrap() && resolved >= r.confirmed_at.unwrap());
            prop_assert!(r.confirmed_at.unwrap() >= r.restored_at.unwrap());
        }
        match r.outcome {
            outage_sim::Outcome::Prevented(_) => prop_assert!(r.gone_at.is_none()),
            _ => prop_assert!(r.gone_at.is_some() && r.restored_at.is_some(), "every outage ends"),
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_run(c in any_config(), seed in any::<u64>(), mode in any_mode()) {
        let s = eptura();
        let (a, ta) = run(&s, &c, seed, mode);
        let (b, tb) = run(&s, &c, seed, mode);
        prop_assert_eq!(a, b);
        prop_assert_eq!(&ta, &tb);
        prop_assert!(ta.windows(2).all(|w| w[0].at <= w[1].at), "the trace is in time order");
    }
}

#[test]
fn a_reused_engine_gives_the_same_runs_as_fresh_ones() {
    let s = eptura();
    let c = Config::all();
    let plan = plan(&s, &c);
    let mut reused = Engine::new();
    for i in 0..500 {
        let a = reused.run(&plan, run_seed(9, i), Mode::Sampled, &mut ());
        let b = Engine::new().run(&plan, run_seed(9, i), Mode::Sampled, &mut ());
        assert_eq!(a, b);
    }
}

#[test]
fn common_random_numbers_keep_unchanged_steps_identical() {
    // Switching on the rollback runbook changes mitigation only: detection, acknowledgement and
    // the responders' gathering are the same run for run, and the responders revert by the
    // runbook when that is sooner than their diagnosis, so the service is never back later.
    let s = eptura();
    let a = Config::none();
    let b = Config::from_specs(&["rollback_runbook"]).unwrap();
    for seed in 0..500 {
        let (ra, _) = run(&s, &a, seed, Mode::Sampled);
        let (rb, _) = run(&s, &b, seed, Mode::Sampled);
        assert_eq!(
            (ra.detected_at, ra.acknowledged_at, ra.mobilized_at),
            (rb.detected_at, rb.acknowledged_at, rb.mobilized_at)
        );
        assert!(rb.restored_at <= ra.restored_at);
    }
}
