//! Workloads for the throughput benchmark. The crate has no clock, so the caller times them:
//! `outage-sim bench` natively, the app's budget script in the browser.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::engine::{Engine, Mode};
use crate::plan::Plan;
use crate::rng::run_seed;
use crate::safeguards::Config;
use crate::scenario::{Scenario, StepId};
use crate::stats::Aggregate;

/// Runs `runs` runs of the engine alone (no aggregation) and returns the engine events handled.
#[inline(never)]
pub fn engine_only(scenario: &Scenario, config: &Config, runs: u64, seed: u64) -> u64 {
    let plan = Plan::new(scenario, config);
    let mut engine = Engine::new();
    let mut events = 0;
    for run in 0..runs {
        let record = engine.run(&plan, run_seed(seed, run), Mode::Sampled, &mut ());
        events += std::hint::black_box(record).engine_events;
    }
    events
}

/// Runs `runs` Monte Carlo runs (engine plus streaming aggregation, as the app does) and returns
/// the number of engine events handled.
#[inline(never)]
pub fn engine_workload(scenario: &Scenario, config: &Config, runs: u64, seed: u64) -> u64 {
    let plan = Plan::new(scenario, config);
    let mut engine = Engine::new();
    let mut agg = Aggregate::new();
    for run in 0..runs {
        let record = engine.run(&plan, run_seed(seed, run), Mode::Sampled, &mut ());
        agg.add(&record);
    }
    std::hint::black_box(&agg);
    agg.engine_events
}

/// The floor to compare the engine against: the incident with no safeguard written by hand as
/// a bare event loop (a binary heap of packed (time, sequence, code) keys and one `match`),
/// drawing the same delays from the same streams as the engine. It returns the events handled
/// and the sum of the runs' resolution times, which must equal the engine's (a test checks it).
#[inline(never)]
pub fn bare_event_loop(scenario: &Scenario, runs: u64, seed: u64) -> (u64, i64) {
    use crate::rng::{Rng, Stream};
    let plan = Plan::new(scenario, &Config::none());
    let draw = |run_seed: u64, id: StepId| -> i64 {
        let step = plan.step(id);
        Rng::new(run_seed, id).lognormal(step.median, step.sigma)
    };
    let base = plan.merge_at;
    let mut heap: BinaryHeap<Reverse<u64>> = BinaryHeap::with_capacity(16);
    let mut handled = 0u64;
    let mut resolved_sum = 0i64;
    for run in 0..runs {
        let s = run_seed(seed, run);
        heap.clear();
        let mut seq = 0u64;
        let mut push = |heap: &mut BinaryHeap<Reverse<u64>>, at: i64, code: u64| {
            heap.push(Reverse((((at - base) as u64) << 24) | (seq << 4) | code));
            seq += 1;
        };
        push(&mut heap, base, 0);
        while let Some(Reverse(key)) = heap.pop() {
            handled += 1;
            let now = base + (key >> 24) as i64;
            match key & 0xF {
                0 => push(
                    &mut heap,
                    now + Rng::new(s, Stream::Deploy).below(plan.gitops_sync_max),
                    1,
                ),
                1 => push(&mut heap, now + draw(s, StepId::HumanDiscovery), 2),
                2 => push(&mut heap, now + draw(s, StepId::NotifyOwner), 3),
                3 => push(&mut heap, now + draw(s, StepId::Mobilize), 4),
                4 => {
                    push(&mut heap, now + draw(s, StepId::StatusPost), 5);
                    push(&mut heap, now + draw(s, StepId::DiagnoseAndReinstate), 6);
                }
                5 => {}
                6 => push(&mut heap, now + draw(s, StepId::Confirm), 7),
                7 => {
                    push(&mut heap, now + draw(s, StepId::StatusMonitoring), 8);
                    push(&mut heap, now + draw(s, StepId::RequestRecovery), 9);
                }
                8 => {}
                9 => push(&mut heap, now + draw(s, StepId::ManualReplay), 10),
                10 => push(&mut heap, now + draw(s, StepId::Resolve), 11),
                _ => resolved_sum += now,
            }
        }
    }
    (handled, resolved_sum)
}

/// The sum of resolution times of the engine's runs with no safeguard, to check the bare loop.
pub fn engine_resolved_sum(scenario: &Scenario, runs: u64, seed: u64) -> i64 {
    let plan = Plan::new(scenario, &Config::none());
    let mut engine = Engine::new();
    (0..runs)
        .map(|run| {
            engine
                .run(&plan, run_seed(seed, run), Mode::Sampled, &mut ())
                .resolved_at
                .unwrap_or(0)
        })
        .sum()
}
