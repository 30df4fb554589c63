//! Nothing assumed is shown as recorded or cited: every number says where it comes from, the
//! trace marks the times that rest on assumptions, presets separate the record from our
//! guesses, and every metric's span is defined once and agrees with its value.

use outage_sim::metrics::RunRecord;
use outage_sim::metrics::{Metric, Over, Unit};
use outage_sim::montecarlo::{counterfactual, rank};
use outage_sim::safeguards::{Preset, SafeguardId, Source};
use outage_sim::scenario::{builtin, AssumptionId, StepId};
use outage_sim::trace::TraceKind;
use outage_sim::{Config, Scenario};

fn eptura() -> Scenario {
    builtin("eptura-2024-07-10").expect("built-in scenario")
}

#[test]
fn eptura_s_slo_and_gitops_interval_are_assumptions_with_their_basis() {
    let s = eptura();
    for p in [
        &s.assumptions[AssumptionId::SloTarget].provenance,
        &s.assumptions[AssumptionId::SloWindowDays].provenance,
        &s.steps.gitops_sync.provenance,
    ] {
        assert_eq!(p.kind(), "assumption", "{p}");
        assert!(p.based_on().is_some(), "{p} names what it is based on");
    }
    // Nothing in the scenario is cited: the postmortem's lines or assumptions.
    for (_, a) in s.assumptions.iter() {
        assert_ne!(a.provenance.kind(), "cited", "{}", a.label);
    }
    // A recorded step is measured between two lines of the record, except the one that starts
    // at the impact start, which the record does not give: that median is an assumption.
    for (id, step) in s.steps.iter() {
        let expected = if id.is_recorded() && id != StepId::HumanDiscovery {
            "postmortem"
        } else {
            "assumption"
        };
        assert_eq!(step.provenance.kind(), expected, "{}", id.key());
    }
    let discovery = &s.steps[StepId::HumanDiscovery].provenance;
    assert!(
        discovery
            .based_on()
            .is_some_and(|b| b.contains("impact start")),
        "{discovery}"
    );
}

#[test]
fn a_safeguard_default_is_cited_only_as_the_modelled_tools_own_default() {
    for id in SafeguardId::ALL {
        for p in id.params() {
            if p.source == Source::Cited {
                assert!(
                    p.based_on.is_empty(),
                    "{}.{}: cited, so nothing to be based on",
                    id.id(),
                    p.key
                );
            }
        }
    }
    // One SLO: the burn-rate alert uses the scenario's `slo_target` (an assumption, above).
    assert!(SafeguardId::SloBurnAlert.param("slo").is_none());
    assert!(SafeguardId::SloBurnAlert
        .scenario_assumptions()
        .contains(&AssumptionId::SloTarget));
    let revert = SafeguardId::AutoRollback.param("revert_s").unwrap().1;
    assert_eq!(revert.source, Source::Assumption);
}

#[test]
fn the_postmortem_fix_preset_says_what_the_record_says_and_what_we_assume() {
    let d = Preset::PostmortemFix.description();
    assert!(
        d.contains("implemented and successfully tested uptime alerts"),
        "{d}"
    );
    assert!(d.contains("assumption"), "{d}");
    assert!(Preset::PostmortemFix.assumption().is_some());
    assert!(Preset::AsItHappened.assumption().is_none());
}

#[test]
fn the_replay_marks_the_merge_and_the_service_going_as_assumed() {
    let s = eptura();
    let (_, trace) = counterfactual(&s, &Config::none(), 1);
    let assumed: Vec<TraceKind> = trace
        .iter()
        .filter(|e| e.kind.assumed().is_some())
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        assumed,
        vec![
            TraceKind::Merged,
            TraceKind::ServiceGone {
                share_permille: 1000
            }
        ]
    );
    // Every other event of the replay is a record event at the record's time.
    for e in trace.iter().filter(|e| e.kind.assumed().is_none()) {
        let id = e.kind.record_id().expect("a record event");
        assert_eq!(s.event_time(id), Some(e.at), "{id}");
    }
}

#[test]
fn the_chat_notice_shows_with_the_safeguards_it_acts_for() {
    for id in [
        SafeguardId::UptimeCheck,
        SafeguardId::SloBurnAlert,
        SafeguardId::AbsentAlert,
        SafeguardId::Canary,
        SafeguardId::AutoPage,
    ] {
        assert!(id.scenario_steps().contains(&StepId::ChatNotice), "{id:?}");
    }
    assert!(!SafeguardId::Review
        .scenario_steps()
        .contains(&StepId::ChatNotice));
}

#[test]
fn every_duration_is_its_span_and_says_over_which_runs() {
    let s = eptura();
    let configs = [
        Config::none(),
        Config::all(),
        Preset::DefenceInDepth.config(),
        Config::from_specs(&["canary:detect_probability=1"]).unwrap(),
    ];
    for c in &configs {
        for seed in 0..20 {
            let (r, _): (RunRecord, _) = counterfactual(&s, c, seed);
            for m in Metric::ALL {
                let from_span = m.span(&r).map(|(a, b)| (b - a) as f64);
                if m.unit() == Unit::Duration {
                    assert_eq!(m.value(&r), from_span, "{m:?}");
                    assert_eq!(m.over(), Over::OutageRuns);
                } else {
                    assert_eq!(from_span, None);
                    assert_eq!(m.over(), Over::AllRuns);
                }
            }
        }
    }
    assert!(Metric::TimeToAcknowledge.caveat().is_some());
    assert!(Metric::ReportedDuration.caveat().is_some());
}

#[test]
fn leave_one_out_means_something_with_a_preventer_in_the_set() {
    let s = eptura();
    let full = Config::from_specs(&["deletion_guard", "uptime_check", "auto_page"]).unwrap();
    let r = rank(&s, &full, 3, 4_000);
    let value = |id| r.values.iter().find(|v| v.id == id).unwrap();
    let uptime = value(SafeguardId::UptimeCheck).loss.unwrap();
    // Over all runs the loss is diluted by the 95 % the guard prevents; per outage it is the
    // hour of detection the uptime check buys.
    assert!(uptime.time_to_detect_ms.unwrap() > 30.0 * 60_000.0);
    assert!(uptime.error_budget_per_outage_pct.unwrap() > 10.0 * uptime.error_budget_pct);
    let guard = value(SafeguardId::DeletionGuard).loss.unwrap();
    assert!(guard.prevented_share > 0.9);
    assert!(value(SafeguardId::Review).loss.is_none(), "not in the set");
}
