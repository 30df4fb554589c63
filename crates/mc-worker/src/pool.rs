//! The worker pool's scheduling as a sans-IO state machine: it splits a batch into parts, hands
//! them to workers (or to the page's own runner), keeps messages for a worker until it is ready,
//! merges the parts' aggregates in a fixed order (by run index), cancels, gives the part of a
//! worker that was lost to another worker, and falls back to the page when no worker can run.
//!
//! It does no input or output and reads no clock: the browser layer (`src/monte_carlo.rs` in the
//! app) feeds it events (`run`, `cancel`, `on_message`, `on_worker_error`, `on_start_timeout`,
//! `fall_back`) with the time they happened, and carries out the `Command`s it returns from
//! `drain` (start workers, post a message, terminate a worker, hand a message to the page's
//! runner, report to the app, mark a cancel). So every path, failures included, is tested
//! natively (see the tests below and `tests/pool_properties.rs`).
//!
//! On the wire a part is named by its *ticket* (`Part::ticket`), unique for each part and each
//! attempt: a retried part gets a new ticket, so a late message about the old attempt is
//! ignored, and the page never confuses two parts of one job that end up on the same worker.

use std::ops::Range;

use outage_sim::montecarlo::split_runs;
use outage_sim::stats::{Aggregate, Differences};

use crate::{FromWorker, Part, ToWorker};

/// The least time between two progress reports of a job, in milliseconds.
pub const PROGRESS_EVERY_MS: f64 = 50.0;

/// Where a part runs: a Web Worker of the pool (by index), or the page itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thread {
    Worker(usize),
    Page,
}

/// What the pool tells the app.
#[derive(Debug, PartialEq)]
pub enum Report<K, M> {
    /// Run indices done so far, over every part (at most every `PROGRESS_EVERY_MS`).
    Progress { kind: K, id: u64, done: u64 },
    /// Every part is in: one merged aggregate per configuration.
    Done {
        kind: K,
        id: u64,
        meta: M,
        aggregates: Vec<Aggregate>,
        /// A paired job's merged differences, one per configuration (empty otherwise).
        differences: Vec<Differences>,
        elapsed_ms: f64,
        /// The workers the pool had when it finished (0: the page ran it).
        workers: usize,
    },
    /// A part could not run (the worker refused what it was sent); says why.
    Failed { kind: K, id: u64, message: String },
    /// Something the user should know once (the fall-back to the page).
    Notice(String),
}

/// What the browser layer must do, in order.
#[derive(Debug, PartialEq)]
pub enum Command<K, M> {
    /// Start `count` workers, numbered `0..count`. Each says `Ready` when it has started; one
    /// that fails goes to `on_worker_error`; if none can be made at all, call `fall_back`.
    Spawn {
        count: usize,
    },
    /// Post a message to a ready worker.
    Post {
        worker: usize,
        message: ToWorker,
    },
    /// Stop a worker for good (it was lost, or the pool fell back to the page).
    Terminate {
        worker: usize,
    },
    /// Hand a message to the page's own runner; its replies go to `on_message(Thread::Page, …)`.
    RunOnPage(ToWorker),
    Report(Report<K, M>),
    /// An explicit cancel was asked for (the performance mark before `mc-cancel`).
    CancelStarted,
    /// Every part of the cancelled job has stopped (the mark after it).
    CancelFinished,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum SlotState {
    Starting,
    Ready,
    Lost,
}

#[derive(Debug)]
struct Slot {
    state: SlotState,
    /// Messages waiting for the worker to say it is ready.
    outbox: Vec<ToWorker>,
}

#[derive(Debug)]
enum Backend {
    Unstarted,
    Workers(Vec<Slot>),
    Page,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum PartState {
    Running,
    Done,
    Stopped,
}

#[derive(Debug)]
struct PartRun {
    runs: Range<u64>,
    ticket: u64,
    thread: Thread,
    done: u64,
    state: PartState,
    result: Option<Vec<Aggregate>>,
    /// A paired part's differences (see `Part::versus`).
    differences: Vec<Differences>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cancel {
    /// Asked for: its end is marked.
    Explicit,
    /// A new job of the same kind took its place.
    Replaced,
}

#[derive(Debug)]
struct Job<K, M> {
    id: u64,
    kind: K,
    /// Handed back with the result.
    meta: Option<M>,
    /// The part every part is made from (its ticket and runs are set per part).
    template: Part,
    started: f64,
    last_report: f64,
    /// In run order; merged in this order.
    parts: Vec<PartRun>,
    cancel: Option<Cancel>,
}

impl<K, M> Job<K, M> {
    fn done(&self) -> u64 {
        self.parts.iter().map(|p| p.done).sum()
    }

    fn message(&self, part: &PartRun) -> ToWorker {
        ToWorker::Run(Part {
            ticket: part.ticket,
            start: part.runs.start,
            end: part.runs.end,
            ..self.template.clone()
        })
    }
}

/// The pool's scheduling. `K` is the kind of a job (a new job replaces the running one of its
/// kind); `M` is whatever the app wants back with the result.
#[derive(Debug)]
pub struct PoolCore<K, M> {
    size: usize,
    backend: Backend,
    jobs: Vec<Job<K, M>>,
    next_id: u64,
    /// Ticket 0 is never given: a worker answers `Failed { ticket: 0 }` to a message it cannot read.
    next_ticket: u64,
    commands: Vec<Command<K, M>>,
}

impl<K: Copy + PartialEq, M> PoolCore<K, M> {
    /// A pool that will start `size` workers (at least one) on its first job.
    pub fn new(size: usize) -> Self {
        PoolCore {
            size: size.max(1),
            backend: Backend::Unstarted,
            jobs: Vec::new(),
            next_id: 1,
            next_ticket: 1,
            commands: Vec::new(),
        }
    }

    /// What to do now, in order (and forgets it).
    pub fn drain(&mut self) -> Vec<Command<K, M>> {
        std::mem::take(&mut self.commands)
    }

    /// The workers that can run parts, or 0 when the page runs them (or nothing has started).
    pub fn workers(&self) -> usize {
        match &self.backend {
            Backend::Workers(slots) => slots.iter().filter(|s| s.state != SlotState::Lost).count(),
            _ => 0,
        }
    }

    /// True once the pool runs its jobs on the page.
    pub fn on_page(&self) -> bool {
        matches!(self.backend, Backend::Page)
    }

    /// Jobs still running or stopping.
    pub fn jobs(&self) -> usize {
        self.jobs.len()
    }

    /// Starts a job: run indices `0..runs` of every configuration in `template` (its ticket and
    /// runs are ignored), split into one part per worker. It replaces the running job of the same
    /// kind. Returns the job's id.
    pub fn run(&mut self, kind: K, meta: M, template: Part, runs: u64, now: f64) -> u64 {
        self.stop_kind(kind, Cancel::Replaced);
        if matches!(self.backend, Backend::Unstarted) {
            self.backend = Backend::Workers(
                (0..self.size)
                    .map(|_| Slot {
                        state: SlotState::Starting,
                        outbox: Vec::new(),
                    })
                    .collect(),
            );
            self.commands.push(Command::Spawn { count: self.size });
        }
        let threads = self.threads();
        let id = self.next_id;
        self.next_id += 1;
        let parts = split_runs(runs, threads.len() as u64)
            .into_iter()
            .zip(threads)
            .map(|(runs, thread)| PartRun {
                runs,
                ticket: self.ticket(),
                thread,
                done: 0,
                state: PartState::Running,
                result: None,
                differences: Vec::new(),
            })
            .collect();
        let job = Job {
            id,
            kind,
            meta: Some(meta),
            template,
            started: now,
            last_report: now,
            parts,
            cancel: None,
        };
        let messages: Vec<_> = job
            .parts
            .iter()
            .map(|p| (p.thread, job.message(p)))
            .collect();
        self.jobs.push(job);
        for (thread, message) in messages {
            self.send(thread, message);
        }
        self.finish_if_complete(id, now);
        id
    }

    /// Cancels the running job of `kind`, if any, and returns its id. Its parts are told to
    /// stop; `CancelFinished` follows once every one has.
    pub fn cancel(&mut self, kind: K) -> Option<u64> {
        let id = self
            .jobs
            .iter()
            .find(|j| j.kind == kind && j.cancel.is_none())?
            .id;
        self.commands.push(Command::CancelStarted);
        self.stop(id, Cancel::Explicit);
        Some(id)
    }

    /// A message from a worker (or from the page's runner).
    pub fn on_message(&mut self, thread: Thread, message: FromWorker, now: f64) {
        if let Thread::Worker(w) = thread {
            match self.slot(w).map(|s| s.state) {
                Some(SlotState::Lost) | None => return,
                _ => {}
            }
        }
        match message {
            FromWorker::Ready => self.on_ready(thread),
            FromWorker::Progress { ticket, done } => {
                let Some((j, p)) = self.find(thread, ticket) else {
                    return;
                };
                let job = &mut self.jobs[j];
                job.parts[p].done = done.min(job.parts[p].runs.end - job.parts[p].runs.start);
                if job.cancel.is_none() && now - job.last_report >= PROGRESS_EVERY_MS {
                    job.last_report = now;
                    let report = Report::Progress {
                        kind: job.kind,
                        id: job.id,
                        done: job.done(),
                    };
                    self.commands.push(Command::Report(report));
                }
            }
            FromWorker::Done {
                ticket,
                aggregates,
                differences,
            } => {
                let Some((j, p)) = self.find(thread, ticket) else {
                    return;
                };
                let configs = self.jobs[j].template.configs.len();
                if aggregates.len() != configs {
                    let message = format!(
                        "a worker sent {} aggregates for {configs} configurations",
                        aggregates.len()
                    );
                    self.jobs[j].parts[p].state = PartState::Stopped;
                    self.fail(j, message);
                    return;
                }
                let part = &mut self.jobs[j].parts[p];
                part.done = part.runs.end - part.runs.start;
                part.state = PartState::Done;
                part.result = Some(aggregates);
                part.differences = differences;
                let id = self.jobs[j].id;
                self.finish_if_complete(id, now);
                self.retire_if_stopped(id);
            }
            FromWorker::Cancelled { ticket } => {
                let Some((j, p)) = self.find(thread, ticket) else {
                    return;
                };
                self.jobs[j].parts[p].state = PartState::Stopped;
                let id = self.jobs[j].id;
                self.retire_if_stopped(id);
            }
            FromWorker::Failed { ticket, message } => match self.find(thread, ticket) {
                Some((j, p)) => {
                    self.jobs[j].parts[p].state = PartState::Stopped;
                    self.fail(j, message);
                }
                // A message the worker could not read: it is not the worker this page expects.
                None if ticket == 0 => {
                    if let Thread::Worker(w) = thread {
                        self.on_worker_error(w, message, now);
                    }
                }
                None => {}
            },
        }
    }

    /// A worker failed (its script did not load, it crashed, or it sent what cannot be read).
    /// If no worker has started yet, they will all fail alike: the page runs everything.
    /// Otherwise the worker is terminated and its parts start again on the other workers.
    pub fn on_worker_error(&mut self, worker: usize, reason: String, now: f64) {
        let none_started = {
            let Backend::Workers(slots) = &mut self.backend else {
                return;
            };
            match slots.get(worker) {
                Some(slot) if slot.state != SlotState::Lost => {}
                _ => return,
            }
            let none_started = slots.iter().all(|s| s.state != SlotState::Ready);
            if !none_started {
                slots[worker].state = SlotState::Lost;
                slots[worker].outbox.clear();
            }
            none_started
        };
        if none_started {
            self.fall_back(reason, now);
            return;
        }
        self.commands.push(Command::Terminate { worker });
        if self.threads().is_empty() {
            self.fall_back(reason, now);
            return;
        }
        self.reassign_from(Thread::Worker(worker));
    }

    /// The time to start is up: a worker that has not said it is ready counts as failed.
    pub fn on_start_timeout(&mut self, now: f64) {
        let Backend::Workers(slots) = &self.backend else {
            return;
        };
        let waiting: Vec<usize> = (0..slots.len())
            .filter(|&w| slots[w].state == SlotState::Starting)
            .collect();
        for w in waiting {
            self.on_worker_error(w, "the workers did not start in time".into(), now);
        }
    }

    /// Workers cannot be used: every job (and every later one) runs on the page, from the start
    /// of its runs, and the app is told once.
    pub fn fall_back(&mut self, reason: String, now: f64) {
        if let Backend::Workers(slots) = &self.backend {
            for (worker, slot) in slots.iter().enumerate() {
                if slot.state != SlotState::Lost {
                    self.commands.push(Command::Terminate { worker });
                }
            }
        } else if matches!(self.backend, Backend::Page) {
            return;
        }
        self.backend = Backend::Page;
        self.commands.push(Command::Report(Report::Notice(format!(
            "Monte Carlo runs on this page itself, in short slices: background workers could not start ({reason}). The results are the same; the page may respond a little slower while it runs."
        ))));
        // What was stopping has stopped with its workers.
        let stopping: Vec<Cancel> = self.jobs.iter().filter_map(|j| j.cancel).collect();
        self.jobs.retain(|j| j.cancel.is_none());
        if stopping.contains(&Cancel::Explicit) {
            self.commands.push(Command::CancelFinished);
        }
        // The rest starts again on the page, as one part each.
        for j in 0..self.jobs.len() {
            let start = self.jobs[j].parts.first().map_or(0, |p| p.runs.start);
            let end = self.jobs[j].parts.last().map_or(0, |p| p.runs.end);
            let ticket = self.ticket();
            let job = &mut self.jobs[j];
            job.parts = vec![PartRun {
                runs: start..end,
                ticket,
                thread: Thread::Page,
                done: 0,
                state: PartState::Running,
                result: None,
                differences: Vec::new(),
            }];
            let message = job.message(&job.parts[0]);
            self.commands.push(Command::RunOnPage(message));
        }
        let ids: Vec<u64> = self.jobs.iter().map(|j| j.id).collect();
        for id in ids {
            self.finish_if_complete(id, now);
        }
    }

    /// Nothing can run the jobs (the page's own runner could not be loaded either): every job
    /// still running fails with `message`, and what was stopping is forgotten.
    pub fn fail_all(&mut self, message: String) {
        for job in std::mem::take(&mut self.jobs) {
            match job.cancel {
                None => self.commands.push(Command::Report(Report::Failed {
                    kind: job.kind,
                    id: job.id,
                    message: message.clone(),
                })),
                Some(Cancel::Explicit) => self.commands.push(Command::CancelFinished),
                Some(Cancel::Replaced) => {}
            }
        }
    }

    fn ticket(&mut self) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        ticket
    }

    fn slot(&self, worker: usize) -> Option<&Slot> {
        match &self.backend {
            Backend::Workers(slots) => slots.get(worker),
            _ => None,
        }
    }

    /// Where new parts go: the workers not lost, or the page.
    fn threads(&self) -> Vec<Thread> {
        match &self.backend {
            Backend::Workers(slots) => (0..slots.len())
                .filter(|&w| slots[w].state != SlotState::Lost)
                .map(Thread::Worker)
                .collect(),
            Backend::Page => vec![Thread::Page],
            Backend::Unstarted => vec![],
        }
    }

    /// The running part with this ticket on this thread: (job, part).
    fn find(&self, thread: Thread, ticket: u64) -> Option<(usize, usize)> {
        self.jobs.iter().enumerate().find_map(|(j, job)| {
            let p = job.parts.iter().position(|p| {
                p.ticket == ticket && p.thread == thread && p.state == PartState::Running
            })?;
            Some((j, p))
        })
    }

    fn send(&mut self, thread: Thread, message: ToWorker) {
        match thread {
            Thread::Page => self.commands.push(Command::RunOnPage(message)),
            Thread::Worker(worker) => {
                let Backend::Workers(slots) = &mut self.backend else {
                    return;
                };
                match slots.get_mut(worker) {
                    Some(slot) if slot.state == SlotState::Ready => {
                        self.commands.push(Command::Post { worker, message })
                    }
                    Some(slot) if slot.state == SlotState::Starting => slot.outbox.push(message),
                    _ => {}
                }
            }
        }
    }

    fn on_ready(&mut self, thread: Thread) {
        let Thread::Worker(worker) = thread else {
            return;
        };
        let Backend::Workers(slots) = &mut self.backend else {
            return;
        };
        let slot = &mut slots[worker];
        if slot.state != SlotState::Starting {
            return;
        }
        slot.state = SlotState::Ready;
        for message in std::mem::take(&mut slot.outbox) {
            self.commands.push(Command::Post { worker, message });
        }
    }

    /// Gives the running parts of a lost thread to the live threads with the fewest running
    /// parts; a part of a job being cancelled just stops.
    fn reassign_from(&mut self, lost: Thread) {
        let threads = self.threads();
        let mut moves = Vec::new();
        let mut retire = Vec::new();
        for j in 0..self.jobs.len() {
            for p in 0..self.jobs[j].parts.len() {
                let part = &self.jobs[j].parts[p];
                if part.thread != lost || part.state != PartState::Running {
                    continue;
                }
                if self.jobs[j].cancel.is_some() {
                    self.jobs[j].parts[p].state = PartState::Stopped;
                    retire.push(self.jobs[j].id);
                    continue;
                }
                moves.push((j, p));
            }
        }
        for (j, p) in moves {
            let target = *threads
                .iter()
                .min_by_key(|&&t| (self.running_on(t), t != Thread::Page))
                .expect("a live thread");
            let ticket = self.ticket();
            let job = &mut self.jobs[j];
            let part = &mut job.parts[p];
            part.ticket = ticket;
            part.thread = target;
            part.done = 0;
            let message = job.message(&job.parts[p]);
            self.send(target, message);
        }
        for id in retire {
            self.retire_if_stopped(id);
        }
    }

    fn running_on(&self, thread: Thread) -> usize {
        self.jobs
            .iter()
            .flat_map(|j| &j.parts)
            .filter(|p| p.thread == thread && p.state == PartState::Running)
            .count()
    }

    /// Stops every job of `kind` still running (a new one takes its place).
    fn stop_kind(&mut self, kind: K, how: Cancel) {
        let ids: Vec<u64> = self
            .jobs
            .iter()
            .filter(|j| j.kind == kind && j.cancel.is_none())
            .map(|j| j.id)
            .collect();
        for id in ids {
            self.stop(id, how);
        }
    }

    /// Tells the job's running parts to stop: a part whose message still waits for its worker
    /// is taken back at once, the others are sent a `Cancel`.
    fn stop(&mut self, id: u64, how: Cancel) {
        let Some(j) = self.jobs.iter().position(|j| j.id == id) else {
            return;
        };
        self.jobs[j].cancel = Some(how);
        let mut cancels = Vec::new();
        for p in 0..self.jobs[j].parts.len() {
            let part = &self.jobs[j].parts[p];
            if part.state != PartState::Running {
                continue;
            }
            let (ticket, thread) = (part.ticket, part.thread);
            let unsent = match (&mut self.backend, thread) {
                (Backend::Workers(slots), Thread::Worker(w)) => {
                    let outbox = &mut slots[w].outbox;
                    let before = outbox.len();
                    outbox.retain(|m| !matches!(m, ToWorker::Run(part) if part.ticket == ticket));
                    outbox.len() < before
                }
                _ => false,
            };
            if unsent {
                self.jobs[j].parts[p].state = PartState::Stopped;
            } else {
                cancels.push((thread, ticket));
            }
        }
        for (thread, ticket) in cancels {
            self.send(thread, ToWorker::Cancel { ticket });
        }
        self.retire_if_stopped(id);
    }

    /// A part failed: the app is told (unless the job was already being stopped), the other
    /// parts are stopped, and the job is forgotten.
    fn fail(&mut self, j: usize, message: String) {
        let job = &self.jobs[j];
        if job.cancel.is_none() {
            let report = Report::Failed {
                kind: job.kind,
                id: job.id,
                message,
            };
            self.commands.push(Command::Report(report));
        }
        let id = job.id;
        let explicit = job.cancel == Some(Cancel::Explicit);
        let others: Vec<(Thread, u64)> = job
            .parts
            .iter()
            .filter(|p| p.state == PartState::Running)
            .map(|p| (p.thread, p.ticket))
            .collect();
        for (thread, ticket) in others {
            self.send(thread, ToWorker::Cancel { ticket });
        }
        self.jobs.retain(|j| j.id != id);
        if explicit {
            self.commands.push(Command::CancelFinished);
        }
    }

    /// Merges and reports a job whose parts have all delivered, in run order.
    fn finish_if_complete(&mut self, id: u64, now: f64) {
        let Some(j) = self.jobs.iter().position(|j| j.id == id) else {
            return;
        };
        let job = &self.jobs[j];
        if job.cancel.is_some() || job.parts.iter().any(|p| p.state != PartState::Done) {
            return;
        }
        let mut job = self.jobs.remove(j);
        let mut aggregates: Vec<Aggregate> = job
            .template
            .configs
            .iter()
            .map(|_| Aggregate::new())
            .collect();
        let mut differences: Vec<Differences> = match job.template.versus {
            Some(_) => job
                .template
                .configs
                .iter()
                .map(|_| Differences::new())
                .collect(),
            None => Vec::new(),
        };
        job.parts.sort_by_key(|p| p.runs.start);
        for part in &job.parts {
            for (merged, a) in aggregates.iter_mut().zip(part.result.iter().flatten()) {
                merged.merge(a);
            }
            for (merged, d) in differences.iter_mut().zip(&part.differences) {
                merged.merge(d);
            }
        }
        let report = Report::Done {
            kind: job.kind,
            id,
            meta: job.meta.take().expect("a job reports once"),
            aggregates,
            differences,
            elapsed_ms: now - job.started,
            workers: self.workers(),
        };
        self.commands.push(Command::Report(report));
    }

    /// Forgets a stopping job once none of its parts runs (and marks the end of a cancel).
    fn retire_if_stopped(&mut self, id: u64) {
        let Some(j) = self.jobs.iter().position(|j| j.id == id) else {
            return;
        };
        let job = &self.jobs[j];
        let Some(how) = job.cancel else {
            return;
        };
        if job.parts.iter().any(|p| p.state == PartState::Running) {
            return;
        }
        self.jobs.remove(j);
        if how == Cancel::Explicit {
            self.commands.push(Command::CancelFinished);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Builtins, ScenarioRef, WireConfig};
    use outage_sim::safeguards::{Config, Preset};

    type Core = PoolCore<char, &'static str>;

    fn template() -> Part {
        let scenario = outage_sim::scenario::builtin("eptura-2024-07-10").unwrap();
        Part {
            ticket: 0,
            scenario: ScenarioRef::of(&scenario, Builtins::FROM_JSON),
            configs: [Config::none(), Preset::PostmortemFix.config()]
                .iter()
                .map(WireConfig::from)
                .collect(),
            seed: 9,
            start: 0,
            end: 0,
            interventions: vec![],
            versus: None,
        }
    }

    /// The runs and ticket of every `Run` among `commands`, by worker.
    fn runs_posted(commands: &[Command<char, &'static str>]) -> Vec<(usize, u64, Range<u64>)> {
        commands
            .iter()
            .filter_map(|c| match c {
                Command::Post {
                    worker,
                    message: ToWorker::Run(p),
                } => Some((*worker, p.ticket, p.start..p.end)),
                _ => None,
            })
            .collect()
    }

    fn reports(commands: Vec<Command<char, &'static str>>) -> Vec<Report<char, &'static str>> {
        commands
            .into_iter()
            .filter_map(|c| match c {
                Command::Report(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    /// Aggregates that say which part they came from: `runs` in the first metric's count.
    fn marked(runs: Range<u64>) -> Vec<Aggregate> {
        let configs = [Config::none(), Preset::PostmortemFix.config()];
        let scenario = outage_sim::scenario::builtin("eptura-2024-07-10").unwrap();
        let mut batch = outage_sim::montecarlo::Batch::part_with(
            &scenario,
            &configs,
            9,
            runs,
            outage_sim::intervention::Interventions::NONE,
        );
        batch.advance(u64::MAX);
        batch.into_aggregates()
    }

    #[test]
    fn a_job_is_split_into_one_part_per_worker_and_waits_for_each_to_be_ready() {
        let mut core = Core::new(3);
        let id = core.run('r', "meta", template(), 10, 0.0);
        assert_eq!(core.drain(), vec![Command::Spawn { count: 3 }]);
        core.on_message(Thread::Worker(1), FromWorker::Ready, 1.0);
        let posted = runs_posted(&core.drain());
        assert_eq!(posted.len(), 1, "only the ready worker gets its part");
        assert_eq!((posted[0].0, posted[0].2.clone()), (1, 4..7));
        core.on_message(Thread::Worker(0), FromWorker::Ready, 1.0);
        core.on_message(Thread::Worker(2), FromWorker::Ready, 1.0);
        let posted = runs_posted(&core.drain());
        assert_eq!(
            posted
                .iter()
                .map(|p| (p.0, p.2.clone()))
                .collect::<Vec<_>>(),
            vec![(0, 0..4), (2, 7..10)]
        );
        // Tickets are distinct, and none is 0.
        let mut tickets: Vec<u64> = posted.iter().map(|p| p.1).collect();
        tickets.sort();
        tickets.dedup();
        assert_eq!(tickets.len(), 2);
        assert!(!tickets.contains(&0));
        assert_eq!(core.workers(), 3);
        assert_eq!(id, 1);
        // A second job goes straight to the ready workers, and starts no new ones.
        core.run('c', "meta", template(), 2, 2.0);
        let commands = core.drain();
        assert!(!commands.contains(&Command::Spawn { count: 3 }));
        assert_eq!(runs_posted(&commands).len(), 2, "two runs: two parts");
    }

    #[test]
    fn the_parts_merge_in_run_order_whatever_order_they_arrive_in() {
        let mut core = Core::new(3);
        core.run('r', "meta", template(), 30, 0.0);
        for w in 0..3 {
            core.on_message(Thread::Worker(w), FromWorker::Ready, 0.0);
        }
        let posted = runs_posted(&core.drain());
        for (worker, ticket, runs) in posted.iter().rev() {
            let aggregates = marked(runs.clone());
            core.on_message(
                Thread::Worker(*worker),
                FromWorker::Done {
                    ticket: *ticket,
                    aggregates,
                    differences: vec![],
                },
                75.0,
            );
        }
        let reports = reports(core.drain());
        let [Report::Done {
            kind: 'r',
            id: 1,
            meta: "meta",
            aggregates,
            elapsed_ms,
            workers: 3,
            ..
        }] = &reports[..]
        else {
            panic!("one result: {reports:?}")
        };
        assert_eq!(*aggregates, marked(0..30));
        assert_eq!(*elapsed_ms, 75.0);
        assert_eq!(core.jobs(), 0);
    }

    #[test]
    fn a_cancel_takes_back_what_was_not_sent_stops_the_rest_and_marks_its_end_once() {
        let mut core = Core::new(2);
        core.run('c', "meta", template(), 20, 0.0);
        core.on_message(Thread::Worker(0), FromWorker::Ready, 0.0);
        let posted = runs_posted(&core.drain());
        assert_eq!(posted.len(), 1);
        assert_eq!(core.cancel('c'), Some(1));
        let commands = core.drain();
        assert_eq!(
            commands,
            vec![
                Command::CancelStarted,
                Command::Post {
                    worker: 0,
                    message: ToWorker::Cancel {
                        ticket: posted[0].1
                    }
                }
            ],
            "worker 1's part never left the page: nothing to tell it"
        );
        assert_eq!(core.cancel('c'), None, "a job is cancelled once");
        // Worker 1 starts later and is sent nothing of the cancelled job.
        core.on_message(Thread::Worker(1), FromWorker::Ready, 5.0);
        assert_eq!(core.drain(), vec![]);
        // A progress report in flight says nothing; the acknowledgement ends the cancel.
        core.on_message(
            Thread::Worker(0),
            FromWorker::Progress {
                ticket: posted[0].1,
                done: 5,
            },
            100.0,
        );
        assert_eq!(core.drain(), vec![]);
        core.on_message(
            Thread::Worker(0),
            FromWorker::Cancelled {
                ticket: posted[0].1,
            },
            101.0,
        );
        assert_eq!(core.drain(), vec![Command::CancelFinished]);
        assert_eq!(core.jobs(), 0);
    }

    #[test]
    fn a_new_job_replaces_the_running_one_of_its_kind_and_leaves_the_others() {
        let mut core = Core::new(1);
        core.run('a', "first", template(), 5, 0.0);
        core.run('b', "other kind", template(), 5, 0.0);
        core.on_message(Thread::Worker(0), FromWorker::Ready, 0.0);
        let first = runs_posted(&core.drain());
        assert_eq!(first.len(), 2);
        core.run('a', "second", template(), 5, 1.0);
        let commands = core.drain();
        assert!(commands.contains(&Command::Post {
            worker: 0,
            message: ToWorker::Cancel { ticket: first[0].1 }
        }));
        assert!(
            !commands.contains(&Command::CancelStarted),
            "a replaced job is not a cancel the user asked for"
        );
        // The replaced job's late result is ignored; the other kind's still counts.
        core.on_message(
            Thread::Worker(0),
            FromWorker::Done {
                ticket: first[0].1,
                aggregates: marked(0..5),
                differences: vec![],
            },
            2.0,
        );
        assert_eq!(reports(core.drain()), vec![]);
        core.on_message(
            Thread::Worker(0),
            FromWorker::Done {
                ticket: first[1].1,
                aggregates: marked(0..5),
                differences: vec![],
            },
            2.0,
        );
        let reports = reports(core.drain());
        assert!(matches!(
            &reports[..],
            [Report::Done {
                kind: 'b',
                meta: "other kind",
                ..
            }]
        ));
        assert_eq!(core.jobs(), 1, "the second 'a' job still runs");
    }

    #[test]
    fn a_lost_worker_s_part_runs_again_elsewhere_under_a_new_ticket() {
        let mut core = Core::new(3);
        core.run('r', "meta", template(), 9, 0.0);
        for w in 0..3 {
            core.on_message(Thread::Worker(w), FromWorker::Ready, 0.0);
        }
        let posted = runs_posted(&core.drain());
        let (lost, old_ticket, lost_runs) = posted[1].clone();
        core.on_message(
            Thread::Worker(lost),
            FromWorker::Progress {
                ticket: old_ticket,
                done: 2,
            },
            60.0,
        );
        core.drain();
        core.on_worker_error(lost, "crashed".into(), 61.0);
        let commands = core.drain();
        assert_eq!(commands[0], Command::Terminate { worker: lost });
        let retried = runs_posted(&commands);
        assert_eq!(retried.len(), 1);
        assert_ne!(retried[0].0, lost);
        assert_ne!(retried[0].1, old_ticket);
        assert_eq!(retried[0].2, lost_runs);
        assert_eq!(core.workers(), 2);
        assert!(!core.on_page());
        // Whatever the lost worker still says is ignored.
        core.on_message(
            Thread::Worker(lost),
            FromWorker::Done {
                ticket: old_ticket,
                aggregates: marked(lost_runs.clone()),
                differences: vec![],
            },
            62.0,
        );
        assert_eq!(core.drain(), vec![]);
        for (worker, ticket, runs) in [posted[0].clone(), posted[2].clone(), retried[0].clone()] {
            let aggregates = marked(runs);
            core.on_message(
                Thread::Worker(worker),
                FromWorker::Done {
                    ticket,
                    aggregates,
                    differences: vec![],
                },
                70.0,
            );
        }
        let reports = reports(core.drain());
        assert!(
            matches!(&reports[..], [Report::Done { aggregates, workers: 2, .. }] if *aggregates == marked(0..9))
        );
    }

    #[test]
    fn workers_that_cannot_start_hand_everything_to_the_page_and_say_so_once() {
        let mut core = Core::new(2);
        core.run('r', "meta", template(), 12, 0.0);
        core.drain();
        core.on_worker_error(0, "404".into(), 5.0);
        let commands = core.drain();
        assert_eq!(commands[0], Command::Terminate { worker: 0 });
        assert_eq!(commands[1], Command::Terminate { worker: 1 });
        assert!(
            matches!(&commands[2], Command::Report(Report::Notice(text)) if text.contains("(404)"))
        );
        let [Command::RunOnPage(ToWorker::Run(part))] = &commands[3..] else {
            panic!("the job restarts on the page: {commands:?}");
        };
        assert_eq!((part.start, part.end), (0, 12));
        assert!(core.on_page());
        assert_eq!(core.workers(), 0);
        // The other worker's error, and a later timeout, change nothing.
        core.on_worker_error(1, "404".into(), 6.0);
        core.on_start_timeout(7.0);
        assert_eq!(core.drain(), vec![]);
        // Later jobs run on the page too, as one part.
        core.run('c', "meta", template(), 3, 8.0);
        let commands = core.drain();
        assert!(matches!(
            &commands[..],
            [Command::RunOnPage(ToWorker::Run(Part {
                start: 0,
                end: 3,
                ..
            }))]
        ));
    }

    #[test]
    fn at_the_start_timeout_only_the_workers_that_are_not_ready_are_lost() {
        let mut core = Core::new(3);
        core.run('r', "meta", template(), 9, 0.0);
        core.on_message(Thread::Worker(2), FromWorker::Ready, 1.0);
        core.drain();
        core.on_start_timeout(20_000.0);
        let commands = core.drain();
        assert!(commands.contains(&Command::Terminate { worker: 0 }));
        assert!(commands.contains(&Command::Terminate { worker: 1 }));
        let posted = runs_posted(&commands);
        assert_eq!(
            posted
                .iter()
                .map(|p| (p.0, p.2.clone()))
                .collect::<Vec<_>>(),
            vec![(2, 0..3), (2, 3..6)],
            "the lost parts go to the one ready worker"
        );
        assert_eq!(core.workers(), 1);
        // With no worker left, the page takes over.
        core.on_worker_error(2, "crashed".into(), 20_001.0);
        assert!(core.on_page());
        let commands = core.drain();
        assert!(commands.iter().any(
            |c| matches!(c, Command::RunOnPage(ToWorker::Run(p)) if (p.start, p.end) == (0, 9))
        ));
    }

    #[test]
    fn a_refused_part_fails_the_job_once_and_stops_its_other_parts() {
        let mut core = Core::new(2);
        core.run('r', "meta", template(), 8, 0.0);
        core.on_message(Thread::Worker(0), FromWorker::Ready, 0.0);
        core.on_message(Thread::Worker(1), FromWorker::Ready, 0.0);
        let posted = runs_posted(&core.drain());
        core.on_message(
            Thread::Worker(0),
            FromWorker::Failed {
                ticket: posted[0].1,
                message: "unknown safeguard 'x'".into(),
            },
            3.0,
        );
        let commands = core.drain();
        assert_eq!(
            commands,
            vec![
                Command::Report(Report::Failed {
                    kind: 'r',
                    id: 1,
                    message: "unknown safeguard 'x'".into()
                }),
                Command::Post {
                    worker: 1,
                    message: ToWorker::Cancel {
                        ticket: posted[1].1
                    }
                }
            ]
        );
        assert_eq!(core.jobs(), 0);
        // A result with the wrong number of aggregates fails its job too.
        core.run('r', "meta", template(), 2, 4.0);
        let posted = runs_posted(&core.drain());
        core.on_message(
            Thread::Worker(posted[0].0),
            FromWorker::Done {
                ticket: posted[0].1,
                aggregates: vec![Aggregate::new()],
                differences: vec![],
            },
            5.0,
        );
        let reports = reports(core.drain());
        assert!(
            matches!(&reports[..], [Report::Failed { message, .. }] if message.contains("1 aggregates for 2 configurations"))
        );
    }

    #[test]
    fn an_unreadable_message_loses_the_worker_that_could_not_read_it() {
        let mut core = Core::new(2);
        core.run('r', "meta", template(), 4, 0.0);
        core.on_message(Thread::Worker(0), FromWorker::Ready, 0.0);
        core.on_message(Thread::Worker(1), FromWorker::Ready, 0.0);
        core.drain();
        core.on_message(
            Thread::Worker(1),
            FromWorker::Failed {
                ticket: 0,
                message: "unreadable message".into(),
            },
            1.0,
        );
        let commands = core.drain();
        assert_eq!(commands[0], Command::Terminate { worker: 1 });
        assert_eq!(runs_posted(&commands)[0].0, 0);
    }

    #[test]
    fn progress_sums_the_parts_at_most_every_50_ms() {
        let mut core = Core::new(2);
        core.run('r', "meta", template(), 100, 0.0);
        core.on_message(Thread::Worker(0), FromWorker::Ready, 0.0);
        core.on_message(Thread::Worker(1), FromWorker::Ready, 0.0);
        let posted = runs_posted(&core.drain());
        let progress = |core: &mut Core, part: usize, done: u64, now: f64| {
            let (worker, ticket, _) = posted[part].clone();
            core.on_message(
                Thread::Worker(worker),
                FromWorker::Progress { ticket, done },
                now,
            );
            reports(core.drain())
        };
        assert_eq!(progress(&mut core, 0, 10, 20.0), vec![]);
        assert_eq!(
            progress(&mut core, 1, 30, 50.0),
            vec![Report::Progress {
                kind: 'r',
                id: 1,
                done: 40
            }]
        );
        assert_eq!(progress(&mut core, 0, 20, 90.0), vec![]);
        assert_eq!(
            progress(&mut core, 0, 999, 100.0),
            vec![Report::Progress {
                kind: 'r',
                id: 1,
                done: 80
            }],
            "a part's progress never passes its runs"
        );
    }

    #[test]
    fn when_nothing_can_run_every_running_job_fails_once() {
        let mut core = Core::new(1);
        core.run('a', "meta", template(), 10, 0.0);
        core.run('b', "meta", template(), 10, 0.0);
        core.on_worker_error(0, "404".into(), 1.0);
        assert!(core.cancel('b').is_some());
        core.drain();
        core.fail_all("offline".into());
        assert_eq!(
            core.drain(),
            vec![
                Command::Report(Report::Failed {
                    kind: 'a',
                    id: 1,
                    message: "offline".into()
                }),
                Command::CancelFinished
            ]
        );
        assert_eq!(core.jobs(), 0);
    }

    #[test]
    fn a_job_of_no_runs_is_done_at_once() {
        let mut core = Core::new(2);
        core.run('r', "meta", template(), 0, 0.0);
        let reports = reports(core.drain());
        assert!(
            matches!(&reports[..], [Report::Done { aggregates, .. }] if aggregates.len() == 2 && aggregates[0] == Aggregate::new())
        );
    }
}
