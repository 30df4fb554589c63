//! Each safeguard behaves like the public tool it models, checked against the formula it must
//! follow.

use outage_sim::engine::{Engine, Mode};
use outage_sim::metrics::RunRecord;
use outage_sim::plan::Plan;
use outage_sim::rng::run_seed;
use outage_sim::scenario::builtin;
use outage_sim::trace::{Detector, Outcome, RestoredBy, TraceEvent, TraceKind};
use outage_sim::{Config, Scenario};

const S: i64 = 1000;

fn eptura() -> Scenario {
    builtin("eptura-2024-07-10").expect("built-in scenario")
}

fn config(specs: &[&str]) -> Config {
    Config::from_specs(specs).unwrap_or_else(|e| panic!("{e}"))
}

fn runs(s: &Scenario, c: &Config, n: u64) -> Vec<RunRecord> {
    let plan = Plan::new(s, c);
    let mut engine = Engine::new();
    (0..n)
        .map(|i| engine.run(&plan, run_seed(7, i), Mode::Sampled, &mut ()))
        .collect()
}

fn traced(s: &Scenario, c: &Config, run: u64) -> (RunRecord, Vec<TraceEvent>) {
    let plan = Plan::new(s, c);
    let mut trace = Vec::new();
    let r = Engine::new().run(&plan, run_seed(7, run), Mode::Sampled, &mut trace);
    (r, trace)
}

fn ttd(r: &RunRecord) -> i64 {
    r.detected_at.unwrap() - r.gone_at.unwrap()
}

fn mean(v: impl Iterator<Item = i64>) -> f64 {
    let (sum, n) = v.fold((0i64, 0i64), |(s, n), x| (s + x, n + 1));
    sum as f64 / n as f64
}

#[test]
fn uptime_check_detects_uniformly_within_one_interval() {
    let s = eptura();
    let rs = runs(&s, &config(&["uptime_check"]), 20_000);
    assert!(rs
        .iter()
        .all(|r| r.detected_by == Some(Detector::UptimeCheck)));
    assert!(
        rs.iter().all(|r| (0..60 * S).contains(&ttd(r))),
        "first check within one interval"
    );
    let m = mean(rs.iter().map(ttd)) / S as f64;
    assert!(
        (m - 30.0).abs() < 0.5,
        "mean TTD {m} s, expected interval/2 = 30 s"
    );
}

#[test]
fn uptime_retries_add_their_retry_intervals() {
    let s = eptura();
    let c = config(&["uptime_check:interval_s=120,retries=2,retry_interval_s=30"]);
    let rs = runs(&s, &c, 20_000);
    // Down = first failing check (uniform in one interval) + 2 retries × 30 s.
    assert!(rs.iter().all(|r| (60 * S..180 * S).contains(&ttd(r))));
    let m = mean(rs.iter().map(ttd)) / S as f64;
    assert!(
        (m - (60.0 + 60.0)).abs() < 1.0,
        "mean TTD {m} s, expected 120/2 + 2×30 = 120 s"
    );
    let (_, trace) = traced(&s, &c, 3);
    let pending: Vec<_> = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::UptimePending { .. }))
        .collect();
    assert_eq!(pending.len(), 2, "two pending checks before down");
    let down = trace
        .iter()
        .find(|e| e.kind == TraceKind::UptimeDown)
        .unwrap();
    assert_eq!(
        down.at - pending[0].at,
        60 * S,
        "retries are retry_interval apart"
    );
}

#[test]
fn slo_burn_at_the_edge_fires_when_the_fast_window_burns() {
    let s = eptura();
    // Continuous evaluation: the 1 h window exceeds 14.4 × 0.1 % = 1.44 % errors after
    // 0.0144 × 3600 s = 51.84 s of total outage (the 5 min window crossed at 4.32 s).
    let rs = runs(&s, &config(&["slo_burn_alert:eval_interval_s=0"]), 200);
    assert!(
        rs.iter().all(|r| ttd(r) == 51_841),
        "first ms past 51.84 s: {}",
        ttd(&rs[0])
    );
    // Evaluated every 60 s: the first evaluation after the crossing.
    let rs = runs(&s, &config(&["slo_burn_alert"]), 20_000);
    assert!(rs
        .iter()
        .all(|r| (51_841..51_841 + 60 * S).contains(&ttd(r))));
    let m = mean(rs.iter().map(ttd)) / S as f64;
    assert!(
        (m - 81.84).abs() < 0.6,
        "mean TTD {m} s, expected 51.84 + 30 s"
    );
}

#[test]
fn slo_burn_measured_at_the_service_never_fires() {
    let s = eptura();
    let rs = runs(&s, &config(&["slo_burn_alert:measured_at=service"]), 2_000);
    assert!(
        rs.iter().all(|r| r.detected_by == Some(Detector::People)),
        "its metrics vanish with the service"
    );
}

#[test]
fn slo_burn_on_a_canary_needs_a_longer_window() {
    let s = eptura();
    // 10 % of traffic failing: the 1 h window needs 0.0144 / 0.1 × 3600 s = 518.4 s.
    let c = config(&[
        "slo_burn_alert:eval_interval_s=0",
        "canary:first_wave_share=0.1,detect_probability=0,wave_interval_s=3600",
    ]);
    let rs = runs(&s, &c, 200);
    assert!(rs.iter().all(|r| ttd(r) == 518_401), "TTD {}", ttd(&rs[0]));
}

#[test]
fn absent_alert_fires_after_its_for_window() {
    let s = eptura();
    let rs = runs(&s, &config(&["absent_alert"]), 20_000);
    // Stale at the next scrape (≤ 60 s), pending at the next evaluation (≤ 60 s), then for 300 s.
    assert!(
        rs.iter().all(|r| (300 * S..420 * S).contains(&ttd(r))),
        "{}",
        ttd(&rs[0])
    );
    let m = mean(rs.iter().map(ttd)) / S as f64;
    assert!(
        (m - 360.0).abs() < 1.0,
        "mean TTD {m} s, expected 30 + 30 + 300 s"
    );
    // During a staged rollout some series remain: absent() is false until the outage is total.
    let c = config(&[
        "absent_alert",
        "canary:detect_probability=0,wave_interval_s=3600",
    ]);
    let rs = runs(&s, &c, 2_000);
    assert!(rs
        .iter()
        .all(|r| r.detected_by != Some(Detector::AbsentAlert) || ttd(r) >= 3600 * S));
}

#[test]
fn deploy_notice_is_read_with_its_probability() {
    let s = eptura();
    let rs = runs(&s, &config(&["deploy_notice:read_probability=0.3"]), 20_000);
    let read = rs
        .iter()
        .filter(|r| r.detected_by == Some(Detector::DeployNotice))
        .count() as f64
        / rs.len() as f64;
    // Read 30 % of the time, and then almost always before people notice (15 min vs 1 h).
    assert!(
        (0.26..0.31).contains(&read),
        "share detected by the notice {read}"
    );
}

#[test]
fn prevention_safeguards_stop_the_outage_with_their_probability() {
    let s = eptura();
    for (spec, p) in [
        ("review:catch_probability=0.5", 0.5),
        ("deletion_guard", 0.95),
    ] {
        let rs = runs(&s, &config(&[spec]), 20_000);
        let prevented = rs
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Prevented(_)))
            .count() as f64
            / 20_000.0;
        assert!(
            (prevented - p).abs() < 0.01,
            "{spec}: prevented {prevented}"
        );
        assert!(rs
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Prevented(_)))
            .all(|r| r.gone_at.is_none() && r.events.missed == 0));
    }
    let rs = runs(&s, &config(&["prune_protection:bypass_probability=0"]), 100);
    assert!(rs
        .iter()
        .all(|r| r.outcome == Outcome::Prevented(outage_sim::SafeguardId::PruneProtection)));
    let rs = runs(&s, &config(&["review:catch_probability=0"]), 100);
    assert!(rs.iter().all(|r| r.outcome == Outcome::Outage));
}

#[test]
fn a_staged_rollout_contains_the_outage_to_its_first_wave() {
    let s = eptura();
    let rs = runs(
        &s,
        &config(&["canary:detect_probability=1,check_failure_probability=1"]),
        2_000,
    );
    for r in &rs {
        assert_eq!(r.outcome, Outcome::Contained);
        assert_eq!(r.detected_by, Some(Detector::CanaryAnalysis));
        assert_eq!(r.restored_by, Some(RestoredBy::CanaryAbort));
        // Every check fails: the fifth, a minute apart after a first one at a random phase
        // within its minute.
        assert!(
            (240 * S..300 * S).contains(&ttd(r)),
            "aborted at the fifth failed check: {}",
            ttd(r)
        );
        assert!((r.sites_affected - 12.0).abs() < 1e-9, "10 % of 120 sites");
    }
    // A noisy signal: each check fails with its chance, so the abort spreads out after that.
    let noisy = runs(&s, &config(&["canary:detect_probability=1"]), 2_000);
    let later = noisy.iter().filter(|r| ttd(r) >= 300 * S).count();
    assert!(later > 1_000, "{later} of 2 000 need more than five checks");
    assert!(noisy.iter().all(|r| ttd(r) >= 240 * S));
    // An analysis that does not see the failure lets the waves go on: 10 %, 55 %, 100 %.
    let (r, trace) = traced(&s, &config(&["canary:detect_probability=0"]), 1);
    assert_eq!(r.outcome, Outcome::Outage);
    let waves: Vec<(i64, TraceKind)> = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::WaveSynced { .. }))
        .map(|e| (e.at - r.gone_at.unwrap(), e.kind))
        .collect();
    assert_eq!(
        waves,
        vec![
            (
                600 * S,
                TraceKind::WaveSynced {
                    wave: 2,
                    share_permille: 550
                }
            ),
            (
                1200 * S,
                TraceKind::WaveSynced {
                    wave: 3,
                    share_permille: 1000
                }
            ),
        ]
    );
}

#[test]
fn a_staged_rollout_analysis_never_aborts_sooner_than_interval_times_failure_threshold() {
    let s = eptura();
    let c = config(&[
        "canary:detect_probability=1,interval_s=10,failure_threshold=1,check_failure_probability=1",
    ]);
    for r in runs(&s, &c, 200) {
        assert!(ttd(&r) < 10 * S, "the first check, within its interval");
    }
    // Slower than the whole rollout: the analysis cannot stop it.
    let c = config(&[
        "canary:detect_probability=1,interval_s=3600,failure_threshold=20,waves=2,wave_interval_s=600",
    ]);
    for r in runs(&s, &c, 200) {
        assert_ne!(r.restored_by, Some(RestoredBy::CanaryAbort));
        assert_eq!(r.outcome, Outcome::Outage);
    }
}

#[test]
fn escalation_levels_that_do_not_answer_cost_their_full_timeout() {
    let s = eptura();
    let c = config(&[
        "uptime_check",
        "auto_page:levels=3,answer_probability=0,timeout_s=600",
    ]);
    let (r, trace) = traced(&s, &c, 5);
    let paged: Vec<_> = trace
        .iter()
        .filter(|e| matches!(e.kind, TraceKind::Paged { .. }))
        .map(|e| e.at)
        .collect();
    assert_eq!(paged.len(), 3);
    assert!(
        paged.windows(2).all(|w| w[1] - w[0] == 600 * S),
        "each level waits its timeout"
    );
    let exhausted = trace
        .iter()
        .find(|e| e.kind == TraceKind::PageExhausted)
        .map(|e| e.at);
    // Unless someone took the alert in the channel first, the page runs out after 3 × 10 min.
    if r.acknowledged_at.unwrap() > paged[0] + 1800 * S {
        assert_eq!(exhausted, Some(paged[0] + 1800 * S));
    }
    // Everyone answers: the first level acknowledges within its timeout.
    let c = config(&["uptime_check", "auto_page:answer_probability=1"]);
    for r in runs(&s, &c, 2_000) {
        let tta = r.acknowledged_at.unwrap() - r.detected_at.unwrap();
        assert!(tta < 1800 * S, "TTA {tta}");
        // The acknowledged page gathers the responders (unless someone in the channel was first
        // and PagerDuty was triggered by hand even sooner).
        let gathered = r.mobilized_at.unwrap() - r.detected_at.unwrap();
        assert!(
            gathered < 1800 * S,
            "responders gathered {gathered} ms after the alert"
        );
    }
}

#[test]
fn alerts_without_paging_wait_in_a_channel() {
    let s = eptura();
    let rs = runs(&s, &config(&["uptime_check"]), 20_000);
    let mut tta: Vec<i64> = rs
        .iter()
        .map(|r| r.acknowledged_at.unwrap() - r.detected_at.unwrap())
        .collect();
    tta.sort_unstable();
    let median = tta[tta.len() / 2] as f64 / S as f64;
    // The channel's notice delay has a 15 min median, but people noticing the outage (median
    // 1 h after it starts) can beat it; the median TTA is at most 15 min.
    assert!(median <= 900.0 && median > 600.0, "median TTA {median} s");
}

#[test]
fn runbook_and_auto_rollback_shorten_mitigation() {
    let s = eptura();
    // People notice, as on the day: the runbook reverts instead of the recorded 75 min of
    // diagnosis, unless the diagnosis of that run would have been sooner.
    let base = runs(&s, &Config::none(), 10_000);
    let runbook = runs(&s, &config(&["rollback_runbook"]), 10_000);
    let ttm = |r: &RunRecord| r.restored_at.unwrap() - r.gone_at.unwrap();
    assert!(mean(runbook.iter().map(ttm)) < mean(base.iter().map(ttm)) - 45.0 * 60.0 * S as f64);
    let by_runbook = runbook
        .iter()
        .filter(|r| r.restored_by == Some(RestoredBy::Runbook))
        .count();
    assert!(by_runbook > 9_900, "{by_runbook} of 10 000 by the runbook");
    for (with, without) in runbook.iter().zip(&base) {
        assert!(
            with.restored_at <= without.restored_at,
            "never later than without it"
        );
    }
    let auto = runs(&s, &config(&["uptime_check", "auto_rollback"]), 10_000);
    for r in &auto {
        assert_eq!(r.restored_by, Some(RestoredBy::AutoRollback));
        let after_detection = r.restored_at.unwrap() - r.detected_at.unwrap();
        assert!(
            (0..180 * S).contains(&after_detection),
            "reverted at the next GitOps poll"
        );
        if r.acknowledged_at.unwrap() > r.restored_at.unwrap() {
            assert_eq!(
                r.mobilized_at, None,
                "nobody is gathered to mitigate what is already restored"
            );
        }
    }
}

#[test]
fn auto_replay_recovers_without_duplicates_and_manual_replay_duplicates() {
    let s = eptura();
    for r in runs(&s, &config(&["uptime_check", "auto_replay"]), 2_000) {
        assert_eq!(r.events.duplicated, 0);
        assert_eq!(r.recovered_at.unwrap() - r.restored_at.unwrap(), 300 * S);
    }
    // The looper run by hand re-sends what its window (4 h back from its run) covers, and
    // duplicates a share of it.
    let manual = runs(&s, &Config::none(), 2_000);
    let covered = |r: &RunRecord| r.recovered_at.unwrap() - 4 * 3_600 * S < r.restored_at.unwrap();
    assert!(manual
        .iter()
        .all(|r| r.events.duplicated > 0 || !covered(r) || r.events.missed < 100));
    assert!(manual.iter().filter(|r| covered(r)).count() > 1_900);
}

#[test]
fn status_automation_posts_when_the_page_fires() {
    let s = eptura();
    for r in runs(
        &s,
        &config(&["uptime_check", "auto_page", "status_automation"]),
        2_000,
    ) {
        assert_eq!(r.first_post_at.unwrap() - r.detected_at.unwrap(), 60 * S);
    }
    // Without automatic paging it posts when PagerDuty is triggered by hand, unless the
    // responders' own post (a 1 min median after the page) comes first.
    for run in 0..200 {
        let (r, trace) = traced(&s, &config(&["status_automation"]), run);
        let page = trace
            .iter()
            .find(|e| e.kind == TraceKind::ManualPage)
            .unwrap();
        assert!(r.first_post_at.unwrap() <= page.at + 60 * S);
    }
}

#[test]
fn missed_events_are_rate_times_sites_times_time_gone() {
    let s = eptura();
    let (r, _) = outage_sim::counterfactual(&s, &Config::none(), 0);
    // 30 events/site/h × 120 sites × 147 min (14:34 → 17:01), inside the working day.
    assert_eq!(r.events.missed, 30 * 120 * 147 / 60);
    // The looper ran within the 4 h horizon: only changes whose meeting had started by their
    // delivery are lost (lead times averaging 48 h: a few per cent).
    assert!(r.events.lost < r.events.missed / 20, "{:?}", r.events);
    assert_eq!(r.events.duplicated, (8820.0_f64 * 0.02).round() as u64);
    // Move the impact start back: changes older than the horizon when the looper runs can
    // only have come back by the provider's retries.
    let mut early = s.clone();
    early.set_assumption_text("impact_start", "12:00").unwrap();
    let (late, _) = outage_sim::counterfactual(&early, &Config::none(), 0);
    let dropped_before_horizon = 30 * 120 * 100 / 60 / 2; // 12:00 → 13:40, half dropped
    assert!(
        late.events.lost > dropped_before_horizon,
        "{:?}",
        late.events
    );
    assert_eq!(late.events.missed, late.events.recovered + late.events.lost);
    // From the night on, the changes follow the customers' working day: the hours before 06:30
    // count a tenth
    let mut night = s.clone();
    night.set_assumption_text("impact_start", "00:34").unwrap();
    let (n, _) = outage_sim::counterfactual(&night, &Config::none(), 0);
    // (the replay keeps the record's 15:34 discovery, so the day's afternoon counts in full).
    let hours = (n.restored_at.unwrap() - n.gone_at.unwrap()) as f64 / 3_600_000.0;
    assert!(
        (n.events.missed as f64) < 0.7 * 30.0 * 120.0 * hours,
        "{:?} over {hours} h",
        n.events
    );
}

#[test]
fn preventers_keep_a_stated_chance_of_being_bypassed() {
    let s = eptura();
    let rs = runs(&s, &config(&["prune_protection"]), 20_000);
    let prevented = rs
        .iter()
        .filter(|r| r.outcome == Outcome::Prevented(outage_sim::SafeguardId::PruneProtection))
        .count() as f64
        / rs.len() as f64;
    assert!((prevented - 0.95).abs() < 0.01, "prevented {prevented}");
    // A bypassed run: a manual sync with prune deletes the service anyway.
    let bypassed = (0..200)
        .map(|i| traced(&s, &config(&["prune_protection"]), i))
        .find(|(r, _)| r.outcome == Outcome::Outage)
        .expect("one in twenty is bypassed");
    assert!(bypassed
        .1
        .iter()
        .any(|e| e.kind == TraceKind::PruneBypassed));
    assert!(bypassed.0.gone_at.is_some());
}

#[test]
fn the_burn_rate_alert_burns_the_scenarios_one_slo() {
    // One SLO: a looser scenario SLO gives the alert a larger budget, so the hour window's
    // error ratio needs longer to pass 14.4 times its rate (about 52 s at 99.9 %, about 8.6 min
    // at 99 %), and the error budget metric shrinks by the same tenfold.
    let strict = eptura();
    let mut loose = eptura();
    loose.set_assumption("slo_target", 0.99).unwrap();
    let alert = config(&["slo_burn_alert:eval_interval_s=0"]);
    let (a, _) = traced(&strict, &alert, 0);
    let (b, _) = traced(&loose, &alert, 0);
    assert_eq!(a.detected_by, Some(Detector::SloBurnAlert));
    assert_eq!(b.detected_by, Some(Detector::SloBurnAlert));
    assert!((45 * S..60 * S).contains(&ttd(&a)), "{}", ttd(&a));
    assert!((8 * 60 * S..9 * 60 * S).contains(&ttd(&b)), "{}", ttd(&b));
}
