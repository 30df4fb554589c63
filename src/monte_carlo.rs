//! Monte Carlo off the page's main thread: a pool of Web Workers (`crates/mc-worker`), started
//! on first use, `min(navigator.hardwareConcurrency, 8)` of them. A job's run indices are split
//! into one contiguous part per worker; each worker reports progress and then its aggregates,
//! which merge exactly, so the result is the same for any number of workers (and equal to the
//! command line's for the same seed). Cancelling tells every worker to stop; each stops within
//! one of its 10 ms steps, and the time until the last one has stopped is recorded as a
//! `mc-cancel` performance measure.
//!
//! If workers cannot start (no module workers, a script that fails to load), the page runs the
//! same `Runner` itself in slices of about 8 ms between which it yields, and says so once.
//!
//! The pool reports through a callback (`Report`), which the app turns into actions on its
//! state; the hook `use_monte_carlo` gives components a handle with the verbs `run` and
//! `cancel`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::Uint8Array;
use outage_drill_worker::{
    decode, encode, Builtins, FromWorker, Part, Runner, ScenarioRef, ToWorker, WireConfig,
};
use outage_sim::montecarlo::split_runs;
use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use outage_sim::stats::{Aggregate, Differences};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

use crate::hooks::now_ms;
use crate::state::{Action, AnalysisAction, Dispatch, JobKind, McOutcome, Notice, Shared};

/// Performance marks around a cancel (see `Pool::cancel`), measured as `mc-cancel`.
const CANCEL_START_MARK: &str = "mc-cancel-start";
const CANCEL_END_MARK: &str = "mc-cancel-end";
/// The most workers a pool starts, whatever the machine offers.
pub const MAX_WORKERS: usize = 8;
/// The worker's entry script (copied into the site by Trunk, next to `mc-worker.js`).
const WORKER_SCRIPT: &str = "mc-worker-boot.js";
/// How long a page slice may run in the fallback before yielding.
const PAGE_SLICE_MS: f64 = 8.0;
/// The least time between two progress reports of a job.
const PROGRESS_EVERY_MS: f64 = 50.0;
/// How long a worker may take to start before the page runs the job itself.
const START_TIMEOUT_MS: u32 = 20_000;

/// The page's own built-ins (generated at build time, so without the JSON parser).
const PAGE_BUILTINS: Builtins = Builtins {
    scenario: crate::builtin::builtin,
    exercise: crate::builtin::builtin_exercise,
};

/// What the pool tells the app.
#[derive(Debug)]
pub enum Report {
    Progress {
        kind: JobKind,
        id: u64,
        done: u64,
    },
    Done {
        kind: JobKind,
        id: u64,
        outcome: McOutcome,
    },
    Failed {
        kind: JobKind,
        id: u64,
        message: String,
    },
    /// Something the user should know once (the fallback).
    Notice(String),
}

/// The number of workers for this machine.
pub fn pool_size() -> usize {
    let cores = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .unwrap_or(1.0);
    (cores as usize).clamp(1, MAX_WORKERS)
}

/// The worker script's address: next to the page, with the build's version so that a new
/// deployment never runs with an old worker from a cache.
fn worker_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let base = document.base_uri().ok()??;
    let version = document
        .get_element_by_id("app-entry")
        .and_then(|e| e.text_content())
        .and_then(|text| {
            // `"wasm": "outage-drill-<hash>_bg.wasm"`: the hash is what changes per build.
            let end = text.find("_bg.wasm")?;
            let start = text[..end].rfind('-')? + 1;
            Some(text[start..end].to_string())
        })
        .unwrap_or_else(|| "dev".to_string());
    let url = web_sys::Url::new_with_base(&format!("{WORKER_SCRIPT}?v={version}"), &base).ok()?;
    Some(url.href())
}

struct Slot {
    worker: Worker,
    ready: bool,
    /// Messages waiting for the worker to say it is ready.
    outbox: Vec<Vec<u8>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Slot {
    fn send(&mut self, message: &ToWorker) {
        let bytes = encode(message);
        if self.ready {
            post(&self.worker, &bytes);
        } else {
            self.outbox.push(bytes);
        }
    }
}

fn post(worker: &Worker, bytes: &[u8]) {
    let array = Uint8Array::from(bytes);
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = worker.post_message_with_transfer(&array, &transfer);
}

/// The page's own runner, when workers cannot start.
struct PageRunner {
    runner: Runner,
    chunk: u64,
    timer: Option<Timeout>,
}

enum Backend {
    Unstarted,
    Workers {
        slots: Vec<Slot>,
        _start_timer: Option<Timeout>,
    },
    Page(PageRunner),
}

#[derive(PartialEq)]
enum PartState {
    Running,
    Done,
    Stopped,
}

struct PartRun {
    /// The worker it runs on (0 for the page).
    worker: usize,
    start: u64,
    end: u64,
    done: u64,
    state: PartState,
    result: Option<Vec<Aggregate>>,
    differences: Vec<Differences>,
}

struct JobRun {
    id: u64,
    kind: JobKind,
    scenario: Shared<Scenario>,
    configs: Vec<Config>,
    seed: u64,
    runs: u64,
    /// The room's interventions (see `Part::interventions`).
    room: Vec<String>,
    /// A paired job's other arm (see `Part::versus`).
    versus: Option<Vec<String>>,
    started: f64,
    last_report: f64,
    parts: Vec<PartRun>,
    /// When a cancel (or a replacing job) stopped it; it stays until every part has stopped.
    cancelled_at: Option<f64>,
}

impl JobRun {
    fn done(&self) -> u64 {
        self.parts.iter().map(|p| p.done).sum()
    }

    fn part_on(&mut self, worker: usize) -> Option<&mut PartRun> {
        self.parts.iter_mut().find(|p| p.worker == worker)
    }

    fn message(&self, part: &PartRun) -> ToWorker {
        ToWorker::Run(Part {
            job: self.id,
            scenario: ScenarioRef::of(&self.scenario, PAGE_BUILTINS),
            configs: self.configs.iter().map(WireConfig::from).collect(),
            seed: self.seed,
            start: part.start,
            end: part.end,
            interventions: self.room.clone(),
            versus: self.versus.clone(),
        })
    }
}

struct Inner {
    backend: Backend,
    jobs: Vec<JobRun>,
    next_id: u64,
    report: Callback<Report>,
    /// Reports to emit once the pool is no longer borrowed.
    pending: Vec<Report>,
    /// A weak handle to this pool, for the workers' and timers' callbacks.
    me: std::rc::Weak<RefCell<Inner>>,
}

/// The worker pool. Cloning shares it.
#[derive(Clone)]
pub struct Pool(Rc<RefCell<Inner>>);

impl PartialEq for Pool {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Pool {
    pub fn new(report: Callback<Report>) -> Pool {
        Pool(Rc::new_cyclic(|me| {
            RefCell::new(Inner {
                backend: Backend::Unstarted,
                jobs: Vec::new(),
                next_id: 1,
                report,
                pending: Vec::new(),
                me: me.clone(),
            })
        }))
    }

    /// Runs `f` on the pool, then emits what it reported (outside the borrow: a report
    /// dispatches an action, which may render, which may call the pool again).
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        with(&self.0, f)
    }

    /// Starts `runs` runs of every configuration; replaces the running job of the same kind.
    /// Returns the job's id.
    #[allow(clippy::too_many_arguments)]
    pub fn run(
        &self,
        kind: JobKind,
        scenario: Shared<Scenario>,
        configs: Vec<Config>,
        seed: u64,
        runs: u64,
        room: Vec<String>,
        versus: Option<Vec<String>>,
    ) -> u64 {
        self.with(|p| {
            p.drop_kind(kind);
            p.ensure_started();
            let id = p.next_id;
            p.next_id += 1;
            let workers = match &p.backend {
                Backend::Workers { slots, .. } => slots.len(),
                _ => 1,
            };
            let parts = split_runs(runs, workers as u64)
                .into_iter()
                .enumerate()
                .map(|(worker, range)| PartRun {
                    worker,
                    start: range.start,
                    end: range.end,
                    done: 0,
                    state: PartState::Running,
                    result: None,
                    differences: Vec::new(),
                })
                .collect();
            let now = now_ms();
            let job = JobRun {
                id,
                kind,
                scenario,
                configs,
                seed,
                runs,
                room,
                versus,
                started: now,
                last_report: now,
                parts,
                cancelled_at: None,
            };
            p.dispatch_parts(&job);
            p.jobs.push(job);
            p.finish_if_complete(id);
            id
        })
    }

    /// Cancels the running job of `kind`, if any; returns its id.
    pub fn cancel(&self, kind: JobKind) -> Option<u64> {
        self.with(|p| {
            let job = p
                .jobs
                .iter_mut()
                .find(|j| j.kind == kind && j.cancelled_at.is_none())?;
            job.cancelled_at = Some(now_ms());
            let id = job.id;
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                let _ = performance.mark(CANCEL_START_MARK);
            }
            p.send_cancel(id);
            p.retire_if_stopped(id);
            Some(id)
        })
    }

    /// How the pool runs jobs: the number of workers, or 0 when the page runs them itself.
    pub fn workers(&self) -> usize {
        self.with(|p| match &p.backend {
            Backend::Workers { slots, .. } => slots.len(),
            _ => 0,
        })
    }
}

fn with<R>(cell: &Rc<RefCell<Inner>>, f: impl FnOnce(&mut Inner) -> R) -> R {
    let (result, reports, callback) = {
        let mut inner = cell.borrow_mut();
        let result = f(&mut inner);
        (
            result,
            std::mem::take(&mut inner.pending),
            inner.report.clone(),
        )
    };
    for report in reports {
        callback.emit(report);
    }
    result
}

impl Inner {
    fn ensure_started(&mut self) {
        if !matches!(self.backend, Backend::Unstarted) {
            return;
        }
        match self.spawn_workers() {
            Ok(slots) => {
                let me = self.me.clone();
                // A worker that never says it is ready (a script that hangs) counts as failed.
                let timer = Timeout::new(START_TIMEOUT_MS, move || {
                    if let Some(cell) = me.upgrade() {
                        with(&cell, |p| {
                            let waiting = matches!(&p.backend, Backend::Workers { slots, .. } if slots.iter().any(|s| !s.ready));
                            if waiting {
                                p.fall_back("the workers did not start in time".into());
                            }
                        });
                    }
                });
                self.backend = Backend::Workers {
                    slots,
                    _start_timer: Some(timer),
                };
            }
            Err(reason) => self.fall_back(reason),
        }
    }

    fn spawn_workers(&mut self) -> Result<Vec<Slot>, String> {
        let url = worker_url().ok_or("the page's address is unknown")?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        (0..pool_size())
            .map(|index| {
                let worker = Worker::new_with_options(&url, &options).map_err(|e| {
                    e.as_string()
                        .or_else(|| js_sys::Error::from(e).message().as_string())
                        .unwrap_or_else(|| "this browser cannot start module workers".into())
                })?;
                let me = self.me.clone();
                let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    let bytes = Uint8Array::new(&e.data()).to_vec();
                    if let Some(cell) = me.upgrade() {
                        with(&cell, |p| p.on_worker_message(index, &bytes));
                    }
                });
                let me = self.me.clone();
                let on_error =
                    Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                        e.prevent_default();
                        let message = e
                            .dyn_ref::<web_sys::ErrorEvent>()
                            .map(|e| e.message())
                            .filter(|m| !m.is_empty())
                            .unwrap_or_else(|| "a worker failed to load".into());
                        if let Some(cell) = me.upgrade() {
                            with(&cell, |p| p.fall_back(message));
                        }
                    });
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                Ok(Slot {
                    worker,
                    ready: false,
                    outbox: Vec::new(),
                    _on_message: on_message,
                    _on_error: on_error,
                })
            })
            .collect()
    }

    /// Workers cannot be used: run every job (and every later one) on the page, from the start.
    fn fall_back(&mut self, reason: String) {
        if matches!(self.backend, Backend::Page(_)) {
            return;
        }
        if let Backend::Workers { slots, .. } = &self.backend {
            for slot in slots {
                slot.worker.terminate();
            }
        }
        self.backend = Backend::Page(PageRunner {
            runner: Runner::new(PAGE_BUILTINS),
            chunk: 16,
            timer: None,
        });
        self.pending.push(Report::Notice(format!(
            "Monte Carlo runs on this page itself, in short slices: background workers could not start ({reason}). The results are the same; the page may respond a little slower while it runs."
        )));
        // Restart what was running, on the page, as one part each.
        self.jobs.retain(|j| j.cancelled_at.is_none());
        let jobs = std::mem::take(&mut self.jobs);
        for mut job in jobs {
            job.parts = vec![PartRun {
                worker: 0,
                start: 0,
                end: job.runs,
                done: 0,
                state: PartState::Running,
                result: None,
                differences: Vec::new(),
            }];
            self.dispatch_parts(&job);
            self.jobs.push(job);
        }
    }

    fn dispatch_parts(&mut self, job: &JobRun) {
        for part in &job.parts {
            let message = job.message(part);
            self.send(part.worker, message);
        }
    }

    fn send(&mut self, worker: usize, message: ToWorker) {
        match &mut self.backend {
            Backend::Workers { slots, .. } => {
                if let Some(slot) = slots.get_mut(worker) {
                    slot.send(&message);
                }
            }
            Backend::Page(page) => {
                let replies = page.runner.handle(message);
                for reply in replies {
                    self.on_reply(0, reply);
                }
                self.schedule_page();
            }
            Backend::Unstarted => {}
        }
    }

    fn send_cancel(&mut self, id: u64) {
        let Some(job) = self.jobs.iter().find(|j| j.id == id) else {
            return;
        };
        let workers: Vec<usize> = job
            .parts
            .iter()
            .filter(|p| p.state == PartState::Running)
            .map(|p| p.worker)
            .collect();
        for worker in workers {
            self.send(worker, ToWorker::Cancel { job: id });
        }
    }

    /// Forgets the job of `kind` that a new one replaces (its workers are told to stop).
    fn drop_kind(&mut self, kind: JobKind) {
        let ids: Vec<u64> = self
            .jobs
            .iter()
            .filter(|j| j.kind == kind && j.cancelled_at.is_none())
            .map(|j| j.id)
            .collect();
        for id in ids {
            if let Some(job) = self.jobs.iter_mut().find(|j| j.id == id) {
                job.cancelled_at = Some(now_ms());
            }
            self.send_cancel(id);
            self.retire_if_stopped(id);
        }
    }

    fn on_worker_message(&mut self, worker: usize, bytes: &[u8]) {
        match decode::<FromWorker>(bytes) {
            Ok(FromWorker::Ready) => {
                if let Backend::Workers { slots, .. } = &mut self.backend {
                    if let Some(slot) = slots.get_mut(worker) {
                        slot.ready = true;
                        for message in std::mem::take(&mut slot.outbox) {
                            post(&slot.worker, &message);
                        }
                    }
                }
            }
            Ok(reply) => self.on_reply(worker, reply),
            Err(message) => self.fall_back(message),
        }
    }

    fn on_reply(&mut self, worker: usize, reply: FromWorker) {
        match reply {
            FromWorker::Ready => {}
            FromWorker::Progress { job, done } => {
                let now = now_ms();
                let Some(run) = self.jobs.iter_mut().find(|j| j.id == job) else {
                    return;
                };
                if let Some(part) = run.part_on(worker) {
                    part.done = done;
                }
                if run.cancelled_at.is_none() && now - run.last_report >= PROGRESS_EVERY_MS {
                    run.last_report = now;
                    let (kind, done) = (run.kind, run.done());
                    self.pending.push(Report::Progress {
                        kind,
                        id: job,
                        done,
                    });
                }
            }
            FromWorker::Done {
                job,
                aggregates,
                differences,
            } => {
                if let Some(run) = self.jobs.iter_mut().find(|j| j.id == job) {
                    if let Some(part) = run.part_on(worker) {
                        part.done = part.end - part.start;
                        part.state = PartState::Done;
                        part.result = Some(aggregates);
                        part.differences = differences;
                    }
                }
                self.finish_if_complete(job);
                self.retire_if_stopped(job);
            }
            FromWorker::Cancelled { job } => {
                if let Some(run) = self.jobs.iter_mut().find(|j| j.id == job) {
                    if let Some(part) = run.part_on(worker) {
                        part.state = PartState::Stopped;
                    }
                }
                self.retire_if_stopped(job);
            }
            FromWorker::Failed { job, message } => {
                let Some(i) = self.jobs.iter().position(|j| j.id == job) else {
                    return;
                };
                if self.jobs[i].cancelled_at.is_none() {
                    let kind = self.jobs[i].kind;
                    self.pending.push(Report::Failed {
                        kind,
                        id: job,
                        message,
                    });
                }
                self.jobs[i].cancelled_at.get_or_insert_with(now_ms);
                self.send_cancel(job);
                self.jobs.retain(|j| j.id != job);
            }
        }
    }

    /// Merges and reports a job whose parts have all delivered.
    fn finish_if_complete(&mut self, id: u64) {
        let Some(i) = self.jobs.iter().position(|j| j.id == id) else {
            return;
        };
        let job = &self.jobs[i];
        if job.cancelled_at.is_some() || job.parts.iter().any(|p| p.result.is_none()) {
            return;
        }
        let job = self.jobs.remove(i);
        let mut aggregates: Vec<Aggregate> = job.configs.iter().map(|_| Aggregate::new()).collect();
        let mut differences: Vec<Differences> = match job.versus {
            Some(_) => job.configs.iter().map(|_| Differences::new()).collect(),
            None => Vec::new(),
        };
        for part in &job.parts {
            for (merged, a) in aggregates.iter_mut().zip(part.result.iter().flatten()) {
                merged.merge(a);
            }
            for (merged, d) in differences.iter_mut().zip(&part.differences) {
                merged.merge(d);
            }
        }
        let workers = match &self.backend {
            Backend::Workers { slots, .. } => slots.len(),
            _ => 0,
        };
        self.pending.push(Report::Done {
            kind: job.kind,
            id,
            outcome: McOutcome {
                scenario: job.scenario,
                configs: job.configs,
                aggregates,
                runs: job.runs,
                seed: job.seed,
                room: job.room,
                versus: job.versus,
                differences,
                elapsed_ms: now_ms() - job.started,
                workers,
            },
        });
    }

    /// Removes a cancelled job once none of its parts runs, and records how long that took.
    fn retire_if_stopped(&mut self, id: u64) {
        let Some(i) = self.jobs.iter().position(|j| j.id == id) else {
            return;
        };
        let job = &self.jobs[i];
        if job.cancelled_at.is_none() {
            return;
        }
        if job.parts.iter().any(|p| p.state == PartState::Running) {
            return;
        }
        self.jobs.remove(i);
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            // For the budgets script: from the cancel to the last worker stopped.
            let _ = performance.mark(CANCEL_END_MARK);
            let _ = performance.measure_with_start_mark_and_end_mark(
                "mc-cancel",
                CANCEL_START_MARK,
                CANCEL_END_MARK,
            );
        }
    }

    fn schedule_page(&mut self) {
        let me = self.me.clone();
        let Backend::Page(page) = &mut self.backend else {
            return;
        };
        if page.timer.is_some() || page.runner.is_idle() {
            return;
        }
        page.timer = Some(Timeout::new(0, move || {
            if let Some(cell) = me.upgrade() {
                with(&cell, |p| p.page_slice());
            }
        }));
    }

    /// One slice of the page's fallback runner.
    fn page_slice(&mut self) {
        let started = now_ms();
        let mut replies = Vec::new();
        if let Backend::Page(page) = &mut self.backend {
            page.timer = None;
            while !page.runner.is_idle() && now_ms() - started < PAGE_SLICE_MS {
                let t = now_ms();
                let reply = page.runner.step(page.chunk);
                let took = now_ms() - t;
                if took < 0.5 {
                    page.chunk = (page.chunk * 2).min(1 << 16);
                } else if took > 2.0 {
                    page.chunk = (page.chunk / 2).max(1);
                }
                replies.extend(reply);
            }
        }
        // The count is published only in the browser (the worker crate's helper is wasm-only).
        #[cfg(target_arch = "wasm32")]
        if let (Backend::Page(page), Some(performance)) = (
            &self.backend,
            web_sys::window().and_then(|w| w.performance()),
        ) {
            outage_drill_worker::publish_simulated(&performance, &page.runner);
        }
        for reply in replies {
            self.on_reply(0, reply);
        }
        self.schedule_page();
    }
}

/// The app's handle on the pool: `run` a job of a kind, `cancel` it. Results arrive as actions.
#[derive(Clone, PartialEq)]
pub struct McHandle {
    pool: Pool,
    dispatch: Dispatch,
}

impl McHandle {
    /// Runs `runs` runs of each configuration on common random numbers.
    pub fn run(
        &self,
        kind: JobKind,
        scenario: Shared<Scenario>,
        configs: Vec<Config>,
        seed: u64,
        runs: u64,
    ) {
        self.run_with(kind, scenario, configs, seed, runs, Vec::new());
    }

    /// The same with the room's interventions in every run (an exercise's room's day).
    pub fn run_with(
        &self,
        kind: JobKind,
        scenario: Shared<Scenario>,
        configs: Vec<Config>,
        seed: u64,
        runs: u64,
        room: Vec<String>,
    ) {
        self.start(kind, scenario, configs, seed, runs, room, None);
    }

    /// A paired job: every run with `base`, and again with `versus` on the same random
    /// numbers; the outcome's `differences` say what changing one into the other did to the
    /// same simulated days (a decision's consequence, with its range).
    #[allow(clippy::too_many_arguments)]
    pub fn run_paired(
        &self,
        kind: JobKind,
        scenario: Shared<Scenario>,
        config: Config,
        seed: u64,
        runs: u64,
        base: Vec<String>,
        versus: Vec<String>,
    ) {
        self.start(kind, scenario, vec![config], seed, runs, base, Some(versus));
    }

    #[allow(clippy::too_many_arguments)]
    fn start(
        &self,
        kind: JobKind,
        scenario: Shared<Scenario>,
        configs: Vec<Config>,
        seed: u64,
        runs: u64,
        room: Vec<String>,
        versus: Option<Vec<String>>,
    ) {
        let id = self
            .pool
            .run(kind, scenario, configs, seed, runs, room, versus);
        self.dispatch
            .dispatch(Action::Analysis(AnalysisAction::JobStarted {
                kind,
                id,
                total: runs,
            }));
    }

    /// Stops the running job of `kind`; what it had done is discarded.
    pub fn cancel(&self, kind: JobKind) {
        if let Some(id) = self.pool.cancel(kind) {
            self.dispatch
                .dispatch(Action::Analysis(AnalysisAction::JobCancelled { kind, id }));
        }
    }
}

/// The app's worker pool (one per app), reporting into `dispatch`.
#[hook]
pub fn use_monte_carlo(dispatch: Dispatch) -> McHandle {
    let pool = {
        let dispatch = dispatch.clone();
        use_memo((), move |_| {
            Pool::new(Callback::from(move |report: Report| {
                dispatch.dispatch(match report {
                    Report::Progress { kind, id, done } => {
                        Action::Analysis(AnalysisAction::JobProgress { kind, id, done })
                    }
                    Report::Done { kind, id, outcome } => {
                        Action::Analysis(AnalysisAction::JobDone {
                            kind,
                            id,
                            outcome: Shared::new(outcome),
                        })
                    }
                    Report::Failed { kind, id, message } => {
                        Action::Analysis(AnalysisAction::JobFailed { kind, id, message })
                    }
                    Report::Notice(text) => Action::Notify(Notice::info(text)),
                })
            }))
        })
    };
    McHandle {
        pool: (*pool).clone(),
        dispatch,
    }
}
