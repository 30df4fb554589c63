//! Property tests of the pool's scheduling (`outage_drill_worker::pool`) against real runners:
//! a simulated browser starts the workers, delivers every message (through its encoding) in an
//! order proptest chooses, and kills workers at chosen moments. Whatever the number of workers,
//! the order in which they start, run and answer, and which of them are lost (all of them: the
//! page takes over), the merged result equals one batch of the same runs; a cancelled job never
//! reports a result, and its end is marked once.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::VecDeque;

use outage_drill_worker::pool::{Command, PoolCore, Report, Thread};
use outage_drill_worker::{
    decode, encode, Builtins, FromWorker, Part, Runner, ScenarioRef, ToWorker, WireConfig,
};
use outage_sim::montecarlo::Batch;
use outage_sim::safeguards::{Config, Preset};
use outage_sim::stats::Aggregate;
use proptest::prelude::*;

const SEED: u64 = 21;

fn configs() -> Vec<Config> {
    vec![Config::none(), Preset::DefenceInDepth.config()]
}

fn template() -> Part {
    let scenario = outage_sim::scenario::builtin("eptura-2024-07-10").unwrap();
    Part {
        ticket: 0,
        scenario: ScenarioRef::of(&scenario, Builtins::FROM_JSON),
        configs: configs().iter().map(WireConfig::from).collect(),
        seed: SEED,
        start: 0,
        end: 0,
        interventions: vec![],
        versus: None,
    }
}

fn one_batch(runs: u64) -> Vec<Aggregate> {
    let scenario = outage_sim::scenario::builtin("eptura-2024-07-10").unwrap();
    let mut batch = Batch::new(&scenario, &configs(), SEED, runs);
    batch.advance(u64::MAX);
    batch.into_aggregates()
}

/// One thread of the simulated browser: a runner with the messages it has not read yet and the
/// replies the page has not received yet.
struct Thread_ {
    runner: Runner,
    started: bool,
    dead: bool,
    inbox: VecDeque<ToWorker>,
    outbox: VecDeque<FromWorker>,
}

impl Thread_ {
    fn new() -> Self {
        Thread_ {
            runner: Runner::new(Builtins::FROM_JSON),
            started: false,
            dead: false,
            inbox: VecDeque::new(),
            outbox: VecDeque::new(),
        }
    }

    /// Reads one message, or runs one step; false when it had nothing to do.
    fn work(&mut self) -> bool {
        if let Some(message) = self.inbox.pop_front() {
            let message: ToWorker = decode(&encode(&message)).unwrap();
            self.outbox.extend(self.runner.handle(message));
            true
        } else if let Some(reply) = self.runner.step(7) {
            self.outbox.push_back(reply);
            true
        } else {
            false
        }
    }
}

/// The browser around a pool core.
struct World {
    core: PoolCore<u8, u32>,
    workers: Vec<Thread_>,
    page: Thread_,
    reports: Vec<Report<u8, u32>>,
    cancels_started: usize,
    cancels_finished: usize,
    now: f64,
}

impl World {
    fn new(size: usize) -> Self {
        World {
            core: PoolCore::new(size),
            workers: Vec::new(),
            page: Thread_::new(),
            reports: Vec::new(),
            cancels_started: 0,
            cancels_finished: 0,
            now: 0.0,
        }
    }

    /// Carries out what the core asks, as the browser layer does.
    fn carry_out(&mut self) {
        for command in self.core.drain() {
            match command {
                Command::Spawn { count } => {
                    assert!(self.workers.is_empty(), "workers are started once");
                    self.workers = (0..count).map(|_| Thread_::new()).collect();
                }
                Command::Post { worker, message } => {
                    let w = &mut self.workers[worker];
                    assert!(
                        w.started && !w.dead,
                        "posted to worker {worker}, which cannot read it"
                    );
                    w.inbox.push_back(message);
                }
                Command::Terminate { worker } => self.workers[worker].dead = true,
                Command::RunOnPage(message) => self.page.inbox.push_back(message),
                Command::Report(report) => self.reports.push(report),
                Command::CancelStarted => self.cancels_started += 1,
                Command::CancelFinished => self.cancels_finished += 1,
            }
        }
    }

    /// One event chosen by `(what, which)`; false when it could not happen.
    fn act(&mut self, what: u8, which: usize, kills_left: &mut usize) -> bool {
        self.now += 7.0;
        let n = self.workers.len();
        let done = match what % 5 {
            // A worker starts.
            0 if n > 0 => {
                let w = which % n;
                if self.workers[w].started || self.workers[w].dead {
                    false
                } else {
                    self.workers[w].started = true;
                    self.core
                        .on_message(Thread::Worker(w), FromWorker::Ready, self.now);
                    true
                }
            }
            // A worker reads a message or runs a step.
            1 if n > 0 => {
                let w = which % n;
                !self.workers[w].dead && self.workers[w].work()
            }
            // A worker's reply reaches the page.
            2 if n > 0 => {
                let w = which % n;
                match self.workers[w].outbox.pop_front() {
                    // A dead worker's replies may still be on their way.
                    Some(reply) => {
                        let reply: FromWorker = decode(&encode(&reply)).unwrap();
                        self.core.on_message(Thread::Worker(w), reply, self.now);
                        true
                    }
                    None => false,
                }
            }
            // A worker is lost (crashes, or fails to load).
            3 if n > 0 && *kills_left > 0 => {
                let w = which % n;
                if self.workers[w].dead {
                    false
                } else {
                    *kills_left -= 1;
                    self.workers[w].dead = true;
                    self.core.on_worker_error(w, "lost".into(), self.now);
                    true
                }
            }
            // The page's own runner works, or its reply is handled.
            _ => {
                if let Some(reply) = self.page.outbox.pop_front() {
                    self.core.on_message(Thread::Page, reply, self.now);
                    true
                } else {
                    self.page.work()
                }
            }
        };
        self.carry_out();
        done
    }

    /// Lets everything run to its end, in a fixed order.
    fn settle(&mut self) {
        for _ in 0..100_000 {
            let mut busy = false;
            for w in 0..self.workers.len() {
                for what in [0, 1, 2] {
                    busy |= self.act(what, w, &mut 0);
                }
            }
            busy |= self.act(4, 0, &mut 0);
            busy |= self.act(4, 0, &mut 0);
            if !busy {
                return;
            }
        }
        panic!("the pool never settled");
    }

    fn results(&self, id: u64) -> Vec<&Vec<Aggregate>> {
        self.reports
            .iter()
            .filter_map(|r| match r {
                Report::Done {
                    id: i, aggregates, ..
                } if *i == id => Some(aggregates),
                _ => None,
            })
            .collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The merged result is one batch's, for any number of workers and any order of starting,
    /// running, answering and failing (all workers lost: the page finishes the job).
    #[test]
    fn the_merged_result_is_one_batch_s_whatever_the_workers_and_the_order(
        size in 1usize..=6,
        runs in 0u64..24,
        kills in 0usize..=6,
        events in prop::collection::vec((any::<u8>(), any::<usize>()), 0..160),
    ) {
        let mut world = World::new(size);
        let id = world.core.run(1, 77, template(), runs, 0.0);
        world.carry_out();
        let mut kills_left = kills;
        for (what, which) in events {
            world.act(what, which, &mut kills_left);
        }
        // Workers that never start are lost at the start timeout.
        world.core.on_start_timeout(world.now);
        world.carry_out();
        world.settle();
        let results = world.results(id);
        prop_assert_eq!(results.len(), 1, "one result: {:?}", world.reports);
        prop_assert_eq!(results[0], &one_batch(runs));
        prop_assert_eq!(world.core.jobs(), 0);
        let failed = world.reports.iter().any(|r| matches!(r, Report::Failed { .. }));
        prop_assert!(!failed);
        let fell_back = world.core.on_page();
        let notices = world.reports.iter().filter(|r| matches!(r, Report::Notice(_))).count();
        prop_assert_eq!(notices, usize::from(fell_back), "the page says once that it runs the job");
        if fell_back {
            prop_assert_eq!(world.workers.iter().filter(|w| !w.dead).count(), 0, "no worker left running");
        }
    }

    /// A cancelled job never reports a result; every part stops; the cancel's end is marked
    /// once; and a job of another kind running beside it is not disturbed.
    #[test]
    fn a_cancelled_job_never_reports_and_its_end_is_marked_once(
        size in 1usize..=4,
        runs in 1u64..24,
        kills in 0usize..=4,
        before in prop::collection::vec((any::<u8>(), any::<usize>()), 0..80),
        after in prop::collection::vec((any::<u8>(), any::<usize>()), 0..80),
    ) {
        let mut world = World::new(size);
        let cancelled = world.core.run(1, 1, template(), runs, 0.0);
        let kept = world.core.run(2, 2, template(), runs, 0.0);
        world.carry_out();
        let mut kills_left = kills;
        for (what, which) in before {
            world.act(what, which, &mut kills_left);
        }
        let finished_before = !world.results(cancelled).is_empty();
        let answer = world.core.cancel(1);
        world.carry_out();
        prop_assert_eq!(answer.is_some(), !finished_before);
        for (what, which) in after {
            world.act(what, which, &mut kills_left);
        }
        world.core.on_start_timeout(world.now);
        world.carry_out();
        world.settle();
        if answer.is_some() {
            prop_assert!(world.results(cancelled).is_empty(), "a cancelled job reported");
            prop_assert_eq!(world.cancels_started, 1);
            prop_assert_eq!(world.cancels_finished, 1);
        }
        let expected = one_batch(runs);
        prop_assert_eq!(world.results(kept), vec![&expected]);
        prop_assert_eq!(world.core.jobs(), 0);
        let working = world.workers.iter().chain([&world.page]).any(|t| !t.runner.is_idle() && !t.dead);
        prop_assert!(!working, "a part still runs");
    }
}
