//! Monte Carlo in the browser without freezing it: a batch of runs is advanced in slices of
//! about 8 ms, yielding to the event loop between slices (so clicks, scrolling and the progress
//! bar stay live), and can be cancelled at any time. The handle's verbs are `start` and `cancel`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use outage_sim::montecarlo::Batch;
use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use outage_sim::stats::Aggregate;
use yew::prelude::*;

use super::now_ms;
use crate::state::Shared;

/// How long one slice may run before yielding, in milliseconds.
const SLICE_MS: f64 = 8.0;

/// What a finished batch measured.
#[derive(Debug)]
pub struct McOutcome {
    pub configs: Vec<Config>,
    pub aggregates: Vec<Aggregate>,
    pub runs: u64,
    pub seed: u64,
    /// Wall time from start to the last slice, in milliseconds.
    pub elapsed_ms: f64,
    /// The longest slice, in milliseconds (each is one main-thread task).
    pub longest_slice_ms: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum McStatus {
    Idle,
    Running { done: u64, total: u64 },
    Done(Shared<McOutcome>),
    Cancelled { done: u64, total: u64 },
}

struct Job {
    batch: Batch,
    configs: Vec<Config>,
    seed: u64,
    started: f64,
    longest: f64,
    /// Run indices per chunk, tuned so a chunk takes about a millisecond.
    chunk: u64,
    timer: Option<Timeout>,
}

/// A Monte Carlo runner bound to one component.
#[derive(Clone)]
pub struct McHandle {
    pub status: McStatus,
    job: Rc<RefCell<Option<Job>>>,
    set_status: UseStateSetter<McStatus>,
}

impl PartialEq for McHandle {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status && Rc::ptr_eq(&self.job, &other.job)
    }
}

impl McHandle {
    /// Starts `runs` runs of each configuration (common random numbers), replacing any job.
    pub fn start(&self, scenario: &Scenario, configs: Vec<Config>, seed: u64, runs: u64) {
        self.cancel_silently();
        let batch = Batch::new(scenario, &configs, seed, runs);
        *self.job.borrow_mut() = Some(Job {
            batch,
            configs,
            seed,
            started: now_ms(),
            longest: 0.0,
            chunk: 16,
            timer: None,
        });
        self.set_status.set(McStatus::Running {
            done: 0,
            total: runs,
        });
        schedule(self.job.clone(), self.set_status.clone());
    }

    /// Stops the running job; what it had done is discarded.
    pub fn cancel(&self) {
        if let Some(job) = self.job.borrow_mut().take() {
            let (done, total) = job.batch.progress();
            self.set_status.set(McStatus::Cancelled { done, total });
        }
    }

    fn cancel_silently(&self) {
        self.job.borrow_mut().take();
    }

    /// A click handler that starts a job (see [`McHandle::start`]).
    pub fn start_on_click(
        &self,
        scenario: Shared<Scenario>,
        configs: Vec<Config>,
        seed: u64,
        runs: u64,
    ) -> Callback<MouseEvent> {
        let handle = self.clone();
        Callback::from(move |_: MouseEvent| handle.start(&scenario, configs.clone(), seed, runs))
    }

    /// A click handler that cancels the running job.
    pub fn cancel_on_click(&self) -> Callback<MouseEvent> {
        let handle = self.clone();
        Callback::from(move |_: MouseEvent| handle.cancel())
    }
}

fn schedule(job: Rc<RefCell<Option<Job>>>, set_status: UseStateSetter<McStatus>) {
    let next = job.clone();
    let timer = Timeout::new(0, move || slice(next, set_status));
    if let Some(j) = job.borrow_mut().as_mut() {
        j.timer = Some(timer);
    }
}

/// One main-thread task: advance the batch for up to `SLICE_MS`, then report and yield.
fn slice(cell: Rc<RefCell<Option<Job>>>, set_status: UseStateSetter<McStatus>) {
    let started = now_ms();
    let finished = {
        let mut guard = cell.borrow_mut();
        let Some(job) = guard.as_mut() else { return };
        job.timer = None;
        loop {
            let t = now_ms();
            let done = job.batch.advance(job.chunk);
            let took = now_ms() - t;
            // Aim for ~1 ms chunks so a slice overshoots its budget by at most that much.
            if took < 0.5 {
                job.chunk = (job.chunk * 2).min(1 << 16);
            } else if took > 2.0 {
                job.chunk = (job.chunk / 2).max(1);
            }
            if done || now_ms() - started >= SLICE_MS {
                break;
            }
        }
        job.longest = job.longest.max(now_ms() - started);
        let (done, total) = job.batch.progress();
        if done < total {
            set_status.set(McStatus::Running { done, total });
            false
        } else {
            true
        }
    };
    if finished {
        if let Some(job) = cell.borrow_mut().take() {
            let (runs, _) = job.batch.progress();
            let outcome = McOutcome {
                configs: job.configs,
                aggregates: job.batch.into_aggregates(),
                runs,
                seed: job.seed,
                elapsed_ms: now_ms() - job.started,
                longest_slice_ms: job.longest,
            };
            set_status.set(McStatus::Done(Shared::new(outcome)));
        }
    } else {
        schedule(cell, set_status);
    }
}

/// A Monte Carlo runner for this component.
#[hook]
pub fn use_monte_carlo() -> McHandle {
    let status = use_state_eq(|| McStatus::Idle);
    let job = use_mut_ref(|| None::<Job>);
    {
        // Stop the job when the component goes away.
        let job = job.clone();
        use_effect_with((), move |_| move || drop(job.borrow_mut().take()));
    }
    McHandle {
        status: (*status).clone(),
        job,
        set_status: status.setter(),
    }
}
