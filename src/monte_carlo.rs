//! Monte Carlo off the page's main thread: the browser layer of the worker pool. The pool's
//! scheduling (splitting a job into one part per worker, holding messages until a worker is
//! ready, merging the parts in run order, cancelling, giving a lost worker's part to another,
//! falling back to the page) is the sans-IO `outage_drill_worker::pool::PoolCore`, tested
//! natively; this module only moves its messages: it starts the Web Workers
//! (`crates/mc-worker`, `min(navigator.hardwareConcurrency, 8)` of them, on first use), posts
//! and receives their messages, runs the page's own `Runner` in slices of about 8 ms when
//! workers cannot start, and turns the core's reports into actions on the app's state.
//!
//! Cancelling tells every worker to stop; each stops within one of its 10 ms steps, and the time
//! until the last one has stopped is recorded as a `mc-cancel` performance measure. The hook
//! `use_monte_carlo` gives components a handle with the verbs `run` and `cancel`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::Uint8Array;
use outage_drill_worker::pool::{Command, PoolCore, Report, Thread};
use outage_drill_worker::{
    decode, encode, Builtins, FromWorker, Part, Runner, ScenarioRef, ToWorker, WireConfig,
};
use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

use crate::hooks::now_ms;
use crate::state::{Action, AnalysisAction, Dispatch, JobKind, McOutcome, Notice, Shared};

/// Performance marks around a cancel, measured as `mc-cancel`.
const CANCEL_START_MARK: &str = "mc-cancel-start";
const CANCEL_END_MARK: &str = "mc-cancel-end";
/// The most workers a pool starts, whatever the machine offers.
pub const MAX_WORKERS: usize = 8;
/// How long a page slice may run in the fallback before yielding.
const PAGE_SLICE_MS: f64 = 8.0;
/// How long a worker may take to start before it counts as failed.
const START_TIMEOUT_MS: u32 = 20_000;

/// The page's own built-ins (generated at build time, so without the JSON parser).
const PAGE_BUILTINS: Builtins = Builtins {
    scenario: crate::builtin::builtin,
    exercise: crate::builtin::builtin_exercise,
};

/// What the app gets back with a job's result: what the job was run with.
struct JobMeta {
    scenario: Shared<Scenario>,
    configs: Vec<Config>,
    seed: u64,
    runs: u64,
    room: Vec<String>,
    versus: Option<Vec<String>>,
}

/// The number of workers for this machine.
pub fn pool_size() -> usize {
    let cores = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .unwrap_or(1.0);
    (cores as usize).clamp(1, MAX_WORKERS)
}

/// The worker script's address: its content-hashed name, which the build writes into the page
/// (`#app-entry`'s `worker`, next to the page's own files), so a page only ever starts the
/// worker of its own build.
fn worker_url() -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("the page has no document")?;
    let base = document
        .base_uri()
        .ok()
        .flatten()
        .ok_or("the page's address is unknown")?;
    let entry = document
        .get_element_by_id("app-entry")
        .and_then(|e| e.text_content())
        .ok_or("the page does not name its worker (#app-entry is missing)")?;
    let script = worker_script(&entry)
        .ok_or("the page does not name its worker (no \"worker\" in #app-entry)")?;
    let url = web_sys::Url::new_with_base(&script, &base)
        .map_err(|_| format!("the worker's address '{script}' is not valid"))?;
    Ok(url.href())
}

/// The worker script's name in `#app-entry`'s JSON (`"worker": "mc-worker-boot-<hash>.js"`,
/// written by scripts/post_build.py). A name is the build's own file name: no quote, no
/// backslash, so it is read without a JSON parser.
fn worker_script(entry: &str) -> Option<String> {
    let key = entry.find("\"worker\"")?;
    let rest = entry[key + "\"worker\"".len()..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let name = &rest[..rest.find('"')?];
    (!name.is_empty() && !name.contains('\\')).then(|| name.to_string())
}

/// A started worker and the closures that listen to it.
struct Slot {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

fn post(worker: &Worker, message: &ToWorker) {
    let array = Uint8Array::from(encode(message).as_slice());
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = worker.post_message_with_transfer(&array, &transfer);
}

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// The page's own runner, when workers cannot start. Its code is a chunk of its own (see
/// `lazy`), loaded only then: until it is, the messages for it wait.
struct PageRunner {
    runner: Option<Box<dyn PageWork>>,
    waiting: Vec<ToWorker>,
    loading: bool,
    chunk: u64,
    timer: Option<Timeout>,
}

/// The `Runner` as the page uses it: through a box made in its chunk, so that its code (and
/// the batches it runs) is only reached through the box's methods, which live in the chunk.
trait PageWork {
    fn handle(&mut self, message: ToWorker) -> Vec<FromWorker>;
    fn step(&mut self, max_runs: u64) -> Option<FromWorker>;
    fn is_idle(&self) -> bool;
    #[cfg(target_arch = "wasm32")]
    fn publish_simulated(&self, performance: &web_sys::Performance);
}

impl PageWork for Runner {
    fn handle(&mut self, message: ToWorker) -> Vec<FromWorker> {
        Runner::handle(self, message)
    }
    fn step(&mut self, max_runs: u64) -> Option<FromWorker> {
        Runner::step(self, max_runs)
    }
    fn is_idle(&self) -> bool {
        Runner::is_idle(self)
    }
    #[cfg(target_arch = "wasm32")]
    fn publish_simulated(&self, performance: &web_sys::Performance) {
        outage_drill_worker::publish_simulated(performance, self);
    }
}

/// The page runner's chunk's entry point.
#[cfg_attr(
    all(feature = "split", target_arch = "wasm32"),
    wasm_split_helpers::wasm_split(page_runner, fallible)
)]
fn make_page_runner() -> Result<Box<dyn PageWork>, crate::lazy::LoadError> {
    Ok(Box::new(Runner::new(PAGE_BUILTINS)))
}

struct Inner {
    core: PoolCore<JobKind, JobMeta>,
    slots: Vec<Option<Slot>>,
    start_timer: Option<Timeout>,
    page: PageRunner,
    report: Callback<AppReport>,
    /// A weak handle to this pool, for the workers' and timers' callbacks.
    me: std::rc::Weak<RefCell<Inner>>,
}

/// What the pool tells the app.
enum AppReport {
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
    Notice(String),
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
    fn new(report: Callback<AppReport>) -> Pool {
        Pool(Rc::new_cyclic(|me| {
            RefCell::new(Inner {
                core: PoolCore::new(pool_size()),
                slots: Vec::new(),
                start_timer: None,
                page: PageRunner {
                    runner: None,
                    waiting: Vec::new(),
                    loading: false,
                    chunk: 16,
                    timer: None,
                },
                report,
                me: me.clone(),
            })
        }))
    }

    /// Starts `runs` runs of every configuration; replaces the running job of the same kind.
    /// Returns the job's id. With `versus`, a paired job (see `Part::versus`).
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
        let template = Part {
            ticket: 0,
            scenario: ScenarioRef::of(&scenario, PAGE_BUILTINS),
            configs: configs.iter().map(WireConfig::from).collect(),
            seed,
            start: 0,
            end: 0,
            interventions: room.clone(),
            versus: versus.clone(),
        };
        let meta = JobMeta {
            scenario,
            configs,
            seed,
            runs,
            room,
            versus,
        };
        with(&self.0, |p| {
            p.core.run(kind, meta, template, runs, now_ms())
        })
    }

    /// Cancels the running job of `kind`, if any; returns its id.
    pub fn cancel(&self, kind: JobKind) -> Option<u64> {
        with(&self.0, |p| p.core.cancel(kind))
    }

    /// How the pool runs jobs: the number of workers, or 0 when the page runs them itself.
    pub fn workers(&self) -> usize {
        self.0.borrow().core.workers()
    }
}

/// Runs `f` on the pool, carries out what the core then asks, and emits the reports once the
/// pool is no longer borrowed (a report dispatches an action, which may render, which may call
/// the pool again).
fn with<R>(cell: &Rc<RefCell<Inner>>, f: impl FnOnce(&mut Inner) -> R) -> R {
    let (result, reports, callback) = {
        let mut inner = cell.borrow_mut();
        let result = f(&mut inner);
        let reports = inner.carry_out();
        (result, reports, inner.report.clone())
    };
    for report in reports {
        callback.emit(report);
    }
    result
}

impl Inner {
    /// Carries out the core's commands until it has none; returns the reports for the app.
    fn carry_out(&mut self) -> Vec<AppReport> {
        let mut reports = Vec::new();
        loop {
            let commands = self.core.drain();
            if commands.is_empty() {
                break;
            }
            for command in commands {
                match command {
                    Command::Spawn { count } => self.spawn(count),
                    Command::Post { worker, message } => {
                        if let Some(Some(slot)) = self.slots.get(worker) {
                            post(&slot.worker, &message);
                        }
                    }
                    Command::Terminate { worker } => {
                        if let Some(slot) = self.slots.get_mut(worker).and_then(Option::take) {
                            slot.worker.terminate();
                        }
                    }
                    Command::RunOnPage(message) => self.run_on_page(message),
                    Command::Report(report) => reports.push(match report {
                        Report::Progress { kind, id, done } => {
                            AppReport::Progress { kind, id, done }
                        }
                        Report::Done {
                            kind,
                            id,
                            meta,
                            aggregates,
                            differences,
                            elapsed_ms,
                            workers,
                        } => AppReport::Done {
                            kind,
                            id,
                            outcome: McOutcome {
                                scenario: meta.scenario,
                                configs: meta.configs,
                                aggregates,
                                runs: meta.runs,
                                seed: meta.seed,
                                room: meta.room,
                                versus: meta.versus,
                                differences,
                                elapsed_ms,
                                workers,
                            },
                        },
                        Report::Failed { kind, id, message } => {
                            AppReport::Failed { kind, id, message }
                        }
                        Report::Notice(text) => AppReport::Notice(text),
                    }),
                    Command::CancelStarted => mark(CANCEL_START_MARK),
                    Command::CancelFinished => {
                        // For the budgets script: from the cancel to the last worker stopped.
                        mark(CANCEL_END_MARK);
                        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                            let _ = performance.measure_with_start_mark_and_end_mark(
                                "mc-cancel",
                                CANCEL_START_MARK,
                                CANCEL_END_MARK,
                            );
                        }
                    }
                }
            }
        }
        reports
    }

    /// Starts the workers; whatever fails goes back to the core.
    fn spawn(&mut self, count: usize) {
        let url = match worker_url() {
            Ok(url) => url,
            Err(reason) => return self.core.fall_back(reason, now_ms()),
        };
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        for index in 0..count {
            match self.spawn_one(index, &url, &options) {
                Ok(slot) => self.slots.push(Some(slot)),
                Err(reason) => return self.core.fall_back(reason, now_ms()),
            }
        }
        let me = self.me.clone();
        self.start_timer = Some(Timeout::new(START_TIMEOUT_MS, move || {
            if let Some(cell) = me.upgrade() {
                with(&cell, |p| p.core.on_start_timeout(now_ms()));
            }
        }));
    }

    fn spawn_one(&self, index: usize, url: &str, options: &WorkerOptions) -> Result<Slot, String> {
        let worker = Worker::new_with_options(url, options).map_err(|e| {
            e.as_string()
                .or_else(|| js_sys::Error::from(e).message().as_string())
                .unwrap_or_else(|| "this browser cannot start module workers".into())
        })?;
        let me = self.me.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let bytes = Uint8Array::new(&e.data()).to_vec();
            if let Some(cell) = me.upgrade() {
                with(&cell, |p| match decode::<FromWorker>(&bytes) {
                    Ok(message) => p.core.on_message(Thread::Worker(index), message, now_ms()),
                    Err(reason) => p.core.on_worker_error(index, reason, now_ms()),
                });
            }
        });
        let me = self.me.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let message = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "a worker failed to load".into());
            if let Some(cell) = me.upgrade() {
                with(&cell, |p| p.core.on_worker_error(index, message, now_ms()));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Slot {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Hands a message to the page's runner, once its chunk is loaded.
    fn run_on_page(&mut self, message: ToWorker) {
        let Some(runner) = self.page.runner.as_mut() else {
            self.page.waiting.push(message);
            if !self.page.loading {
                self.page.loading = true;
                let me = self.me.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    #[cfg(all(feature = "split", target_arch = "wasm32"))]
                    let made = make_page_runner().await;
                    #[cfg(not(all(feature = "split", target_arch = "wasm32")))]
                    let made = make_page_runner();
                    if let Some(cell) = me.upgrade() {
                        with(&cell, |p| p.page_runner_loaded(made));
                    }
                });
            }
            return;
        };
        let now = now_ms();
        for reply in runner.handle(message) {
            self.core.on_message(Thread::Page, reply, now);
        }
        self.schedule_page();
    }

    fn page_runner_loaded(&mut self, made: Result<Box<dyn PageWork>, crate::lazy::LoadError>) {
        self.page.loading = false;
        match made {
            Ok(runner) => {
                self.page.runner = Some(runner);
                for message in std::mem::take(&mut self.page.waiting) {
                    self.run_on_page(message);
                }
            }
            Err(_) => {
                self.page.waiting.clear();
                self.core.fail_all(
                    "neither the workers nor the page's own runner could be loaded: check your connection and try again".into(),
                );
            }
        }
    }

    fn schedule_page(&mut self) {
        let idle = self.page.runner.as_ref().is_none_or(|r| r.is_idle());
        if self.page.timer.is_some() || idle {
            return;
        }
        let me = self.me.clone();
        self.page.timer = Some(Timeout::new(0, move || {
            if let Some(cell) = me.upgrade() {
                with(&cell, |p| p.page_slice());
            }
        }));
    }

    /// One slice of the page's fallback runner.
    fn page_slice(&mut self) {
        let page = &mut self.page;
        page.timer = None;
        let Some(runner) = page.runner.as_mut() else {
            return;
        };
        let started = now_ms();
        let mut replies = Vec::new();
        while !runner.is_idle() && now_ms() - started < PAGE_SLICE_MS {
            let t = now_ms();
            let reply = runner.step(page.chunk);
            let took = now_ms() - t;
            if took < 0.5 {
                page.chunk = (page.chunk * 2).min(1 << 16);
            } else if took > 2.0 {
                page.chunk = (page.chunk / 2).max(1);
            }
            replies.extend(reply);
        }
        // So a test can see that this thread simulated (the function exists on wasm only).
        #[cfg(target_arch = "wasm32")]
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            runner.publish_simulated(&performance);
        }
        let now = now_ms();
        for reply in replies {
            self.core.on_message(Thread::Page, reply, now);
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
            Pool::new(Callback::from(move |report: AppReport| {
                dispatch.dispatch(match report {
                    AppReport::Progress { kind, id, done } => {
                        Action::Analysis(AnalysisAction::JobProgress { kind, id, done })
                    }
                    AppReport::Done { kind, id, outcome } => {
                        Action::Analysis(AnalysisAction::JobDone {
                            kind,
                            id,
                            outcome: Shared::new(outcome),
                        })
                    }
                    AppReport::Failed { kind, id, message } => {
                        Action::Analysis(AnalysisAction::JobFailed { kind, id, message })
                    }
                    AppReport::Notice(text) => Action::Notify(Notice::info(text)),
                })
            }))
        })
    };
    McHandle {
        pool: (*pool).clone(),
        dispatch,
    }
}

#[cfg(test)]
mod tests {
    use super::worker_script;

    #[test]
    fn the_worker_script_is_read_from_the_page_s_entry() {
        let entry = r#"{"js": "./outage-drill-1a2b.js", "wasm": "./outage-drill-1a2b_bg.wasm", "worker": "./mc-worker-boot-9f8e7d.js"}"#;
        assert_eq!(
            worker_script(entry).as_deref(),
            Some("./mc-worker-boot-9f8e7d.js")
        );
        assert_eq!(
            worker_script(r#"{"worker" :"w.js"}"#).as_deref(),
            Some("w.js")
        );
        for broken in [
            r#"{"js": "./a.js", "wasm": "./a_bg.wasm"}"#,
            r#"{"worker": ""}"#,
            r#"{"worker": "unterminated"#,
            r#"{"worker": 3}"#,
        ] {
            assert_eq!(worker_script(broken), None, "{broken}");
        }
    }
}
