//! The discrete-event engine: one run of the incident under a configuration.
//!
//! Sans-IO: a run is a pure function of (plan, run seed, mode). Simulated time is integer
//! milliseconds; events are handled in (time, sequence) order from an `EventQueue`; scheduled
//! events are cancelled when the world makes them moot (a restore cancels pending checks).
//!
//! Without safeguards the run follows the recorded chain: merge → GitOps sync removes the
//! service → people notice → chat escalation to Cloud Operations → PagerDuty by hand → manual
//! reinstatement → confirmation → data-recovery request → manual looper run → resolved.
//! Safeguards add detectors, routes and shortcuts to that chain; each draws from its own
//! random stream (see `rng`).

use crate::plan::{ChainStep, Delay, Plan, CHAIN_STEPS};
use crate::queue::{EventQueue, Handle};
use crate::rng::{Rng, Stream};
use crate::safeguards::SafeguardId;
use crate::time::{Millis, SimTime, HOUR, MINUTE};
use crate::trace::{Detector, Outcome, RestoredBy, TraceEvent, TraceKind, TraceSink};

/// How the steps that no safeguard changes are timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Counterfactual replay: every recorded step keeps its recorded delay (its median), so with
    /// no safeguard the run *is* the record; safeguards still draw from the seed.
    Recorded,
    /// Monte Carlo: every step draws its delay from its distribution.
    Sampled,
}

/// Calendar events that went missing while the service was gone, and what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EventCounts {
    pub missed: u64,
    pub recovered: u64,
    pub lost: u64,
    pub duplicated: u64,
}

/// What one run measured: the moments each metric starts and stops at, and the data toll.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct RunRecord {
    pub outcome: Outcome,
    pub merged_at: Option<SimTime>,
    /// The service disappeared (for some or all sites).
    pub gone_at: Option<SimTime>,
    pub detected_at: Option<SimTime>,
    pub detected_by: Option<Detector>,
    /// The owning team (Cloud Operations) has it: notified, took the alert, or acknowledged.
    pub acknowledged_at: Option<SimTime>,
    /// Responders gathered (PagerDuty by hand, or an acknowledged automatic page).
    pub mobilized_at: Option<SimTime>,
    pub restored_at: Option<SimTime>,
    pub restored_by: Option<RestoredBy>,
    pub confirmed_at: Option<SimTime>,
    pub first_post_at: Option<SimTime>,
    /// The replay of missed events started (requested by hand, or automatic on restore).
    pub recovery_started_at: Option<SimTime>,
    pub recovered_at: Option<SimTime>,
    pub resolved_at: Option<SimTime>,
    pub events: EventCounts,
    /// Sites that lost the service at some point.
    pub sites_affected: f64,
    /// Share of the SLO window's error budget this outage used (1.0 = all of it).
    pub error_budget_used: f64,
    /// Engine events handled in this run.
    pub engine_events: u64,
}

impl RunRecord {
    fn new() -> RunRecord {
        RunRecord {
            outcome: Outcome::Outage,
            merged_at: None,
            gone_at: None,
            detected_at: None,
            detected_by: None,
            acknowledged_at: None,
            mobilized_at: None,
            restored_at: None,
            restored_by: None,
            confirmed_at: None,
            first_post_at: None,
            recovery_started_at: None,
            recovered_at: None,
            resolved_at: None,
            events: EventCounts::default(),
            sites_affected: 0.0,
            error_budget_used: 0.0,
            engine_events: 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ev {
    Merge,
    Sync,
    CanaryVerdict { caught: bool },
    UptimeCheck,
    SloFire,
    AbsentFire,
    NoticeRead,
    PeopleNotice,
    NotifyOwner,
    ChatNotice,
    PageTimeout { level: u8 },
    PageAck { level: u8 },
    ManualPage,
    StatusInvestigating { automated: bool },
    StatusMonitoring,
    Reinstate { runbook: bool },
    AutoRevert,
    Confirm,
    RecoveryRequest,
    LooperDone,
    ReplayDone,
    Resolve,
}

/// The mutable state of one run.
struct World {
    /// Share of sites without the service right now.
    share: f64,
    /// The canary's share while only the canary was hit (`None` without a canary).
    canary_share: Option<f64>,
    /// The uptime checker's stream: its phase, then one draw per check during a canary.
    uptime_rng: Option<Rng>,
    /// The pager's stream: two draws per escalation level, in level order.
    paging_rng: Option<Rng>,
    /// When the outage became total (the sync without canary, or the canary's promotion).
    full_at: Option<SimTime>,
    uptime_fails: u32,
    uptime_next: Option<Handle>,
    slo_fire: Option<Handle>,
    slo_phase: Option<Millis>,
    absent_fire: Option<Handle>,
    canary_verdict: Option<Handle>,
    people_notice: Option<Handle>,
    notice_read: Option<Handle>,
    manual_page: Option<Handle>,
    reinstate: Option<Handle>,
    alert_routed: bool,
    chat_notice_scheduled: bool,
    owner_notify_scheduled: bool,
    investigating_at: Option<SimTime>,
    investigating_posted: bool,
    resolve_scheduled: bool,
    recovered_automatically: bool,
}

impl World {
    fn new() -> World {
        World {
            share: 0.0,
            canary_share: None,
            uptime_rng: None,
            paging_rng: None,
            full_at: None,
            uptime_fails: 0,
            uptime_next: None,
            slo_fire: None,
            slo_phase: None,
            absent_fire: None,
            canary_verdict: None,
            people_notice: None,
            notice_read: None,
            manual_page: None,
            reinstate: None,
            alert_routed: false,
            chat_notice_scheduled: false,
            owner_notify_scheduled: false,
            investigating_at: None,
            investigating_posted: false,
            resolve_scheduled: false,
            recovered_automatically: false,
        }
    }
}

/// Runs the incident; reusable across runs so a Monte Carlo batch allocates once.
#[derive(Default)]
pub struct Engine {
    queue: EventQueue<Ev>,
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            queue: EventQueue::new(),
        }
    }

    /// One run of `plan` with the given run seed.
    pub fn run<S: TraceSink>(
        &mut self,
        plan: &Plan,
        run_seed: u64,
        mode: Mode,
        sink: &mut S,
    ) -> RunRecord {
        let mut run = Run {
            plan,
            seed: run_seed,
            mode,
            queue: &mut self.queue,
            sink,
            rec: RunRecord::new(),
            w: World::new(),
            chain: [0; CHAIN_STEPS],
        };
        run.queue.reset(plan.merge_at);
        run.queue.schedule(plan.merge_at, Ev::Merge);
        while let Some((now, ev)) = run.queue.pop() {
            run.handle(now, ev);
        }
        run.finish();
        run.rec
    }
}

/// One run of the incident, on the way.
struct Run<'a, S: TraceSink> {
    plan: &'a Plan,
    seed: u64,
    mode: Mode,
    queue: &'a mut EventQueue<Ev>,
    sink: &'a mut S,
    rec: RunRecord,
    w: World,
    /// The recorded chain's delays for this run, fixed when the service goes.
    chain: [Millis; CHAIN_STEPS],
}

impl<S: TraceSink> Run<'_, S> {
    fn rng(&self, stream: Stream) -> Rng {
        Rng::new(self.seed, stream)
    }

    /// A step of the recorded chain: its median in a replay, a draw in Monte Carlo.
    fn recorded_step(&self, step: ChainStep) -> Millis {
        self.chain[step as usize]
    }

    /// Fixes every step of the recorded chain once the outage starts. The draws are independent
    /// of each other (one stream per step), so drawing them together gives the same values as
    /// drawing each when needed, and lets the processor overlap them: the draws are most of a
    /// run's cost.
    fn fix_chain(&mut self) {
        for step in ChainStep::ALL {
            let delay = self.plan.delay(step);
            self.chain[step as usize] = match self.mode {
                Mode::Recorded => delay.median,
                Mode::Sampled => {
                    Rng::new(self.seed, step.stream()).lognormal(delay.median, delay.sigma)
                }
            };
        }
    }

    /// A delay that only exists because of a safeguard: always drawn from the seed.
    fn safeguard_delay(&self, delay: Delay, stream: Stream) -> Millis {
        self.rng(stream).lognormal(delay.median, delay.sigma)
    }

    fn trace(&mut self, at: SimTime, kind: TraceKind) {
        self.sink.record(TraceEvent { at, kind });
    }

    fn handle(&mut self, now: SimTime, ev: Ev) {
        match ev {
            Ev::Merge => self.merge(now),
            Ev::Sync => self.sync(now),
            Ev::CanaryVerdict { caught } => self.canary_verdict(now, caught),
            Ev::UptimeCheck => self.uptime_check(now),
            Ev::SloFire => {
                self.w.slo_fire = None;
                self.trace(now, TraceKind::SloBurnFired);
                self.detect(now, Detector::SloBurnAlert);
            }
            Ev::AbsentFire => {
                self.w.absent_fire = None;
                self.trace(now, TraceKind::AbsentFired);
                self.detect(now, Detector::AbsentAlert);
            }
            Ev::NoticeRead => {
                self.w.notice_read = None;
                self.trace(now, TraceKind::NoticeRead);
                self.detect(now, Detector::DeployNotice);
            }
            Ev::PeopleNotice => {
                self.w.people_notice = None;
                let first = self.rec.detected_at.is_none();
                self.trace(now, TraceKind::PeopleNotice { first });
                self.detect(now, Detector::People);
            }
            // Escalations that arrive after the owning team already has it change nothing.
            Ev::NotifyOwner if self.rec.acknowledged_at.is_none() => {
                self.trace(now, TraceKind::OwnerNotified);
                self.acknowledge(now, false);
            }
            Ev::ChatNotice if self.rec.acknowledged_at.is_none() => {
                self.trace(now, TraceKind::ChatNoticed);
                self.acknowledge(now, false);
            }
            Ev::NotifyOwner | Ev::ChatNotice => {}
            Ev::PageTimeout { level } => {
                self.trace(now, TraceKind::PageTimedOut { level });
                let paging = self.plan.safeguards.paging.expect("paging on");
                if level < paging.levels {
                    self.page_level(now, level + 1);
                } else {
                    self.trace(now, TraceKind::PageExhausted);
                }
            }
            Ev::PageAck { level } => {
                self.trace(now, TraceKind::PageAcknowledged { level });
                self.acknowledge(now, true);
            }
            Ev::ManualPage => {
                self.w.manual_page = None;
                self.trace(now, TraceKind::ManualPage);
                self.mobilize(now);
                if let Some(delay) = self.plan.safeguards.status_automation {
                    self.schedule_investigating(now + delay, true);
                }
            }
            Ev::StatusInvestigating { automated } => {
                if !self.w.investigating_posted {
                    self.w.investigating_posted = true;
                    self.rec.first_post_at.get_or_insert(now);
                    self.trace(now, TraceKind::StatusInvestigating { automated });
                }
            }
            Ev::StatusMonitoring => {
                self.rec.first_post_at.get_or_insert(now);
                self.trace(now, TraceKind::StatusMonitoring);
            }
            Ev::Reinstate { runbook } => {
                self.w.reinstate = None;
                let by = if runbook {
                    RestoredBy::Runbook
                } else {
                    RestoredBy::Reinstatement
                };
                self.restore(now, by);
            }
            Ev::AutoRevert => self.restore(now, RestoredBy::AutoRollback),
            Ev::Confirm => self.confirm(now),
            Ev::RecoveryRequest => {
                self.rec.recovery_started_at.get_or_insert(now);
                self.trace(now, TraceKind::RecoveryRequested);
                let d = self.recorded_step(ChainStep::ManualReplay);
                self.queue.schedule(now + d, Ev::LooperDone);
            }
            Ev::LooperDone => self.recover(now, false),
            Ev::ReplayDone => self.recover(now, true),
            Ev::Resolve => {
                self.rec.resolved_at = Some(now);
                self.trace(now, TraceKind::Resolved);
            }
        }
    }

    // --- Change and deploy -------------------------------------------------------------------

    fn merge(&mut self, now: SimTime) {
        let g = &self.plan.safeguards;
        if let Some(p) = g.review {
            if self.rng(Stream::Review).chance(p) {
                self.trace(now, TraceKind::ReviewCaught);
                self.rec.outcome = Outcome::Prevented(SafeguardId::Review);
                return;
            }
        }
        if let Some(p) = g.deletion_guard {
            if self.rng(Stream::DeletionGuard).chance(p) {
                self.trace(now, TraceKind::MergeBlocked);
                self.rec.outcome = Outcome::Prevented(SafeguardId::DeletionGuard);
                return;
            }
        }
        self.rec.merged_at = Some(now);
        self.trace(now, TraceKind::Merged);
        let sync_delay = match self.mode {
            Mode::Recorded => self.plan.gitops_sync_max / 2,
            Mode::Sampled => self.rng(Stream::Deploy).below(self.plan.gitops_sync_max),
        };
        self.queue.schedule(now + sync_delay, Ev::Sync);
    }

    fn sync(&mut self, now: SimTime) {
        let g = self.plan.safeguards;
        if g.prune_protection {
            self.trace(now, TraceKind::DriftReported);
            self.rec.outcome = Outcome::Prevented(SafeguardId::PruneProtection);
            return;
        }
        self.rec.gone_at = Some(now);
        self.fix_chain();
        match g.canary {
            Some(canary) if canary.share < 1.0 => {
                self.w.share = canary.share;
                self.w.canary_share = Some(canary.share);
                let mut rng = self.rng(Stream::Canary);
                let caught = rng.chance(canary.detect_probability);
                let at = if caught {
                    now + rng.below(canary.window)
                } else {
                    now + canary.window
                };
                self.w.canary_verdict = Some(self.queue.schedule(at, Ev::CanaryVerdict { caught }));
            }
            _ => {
                self.w.share = 1.0;
                self.w.full_at = Some(now);
            }
        }
        self.trace(
            now,
            TraceKind::ServiceGone {
                share_permille: (self.w.share * 1000.0).round() as u16,
            },
        );
        if let Some(notice) = g.notice {
            self.trace(now, TraceKind::NoticePosted);
            let mut rng = self.rng(Stream::DeployNotice);
            if rng.chance(notice.read_probability) {
                let d = rng.lognormal(notice.read_delay.median, notice.read_delay.sigma);
                self.w.notice_read = Some(self.queue.schedule(now + d, Ev::NoticeRead));
            }
        }
        let d = self.recorded_step(ChainStep::HumanDiscovery);
        self.w.people_notice = Some(self.queue.schedule(now + d, Ev::PeopleNotice));
        self.start_monitors(now);
    }

    fn canary_verdict(&mut self, now: SimTime, caught: bool) {
        self.w.canary_verdict = None;
        if caught {
            self.trace(now, TraceKind::CanaryAborted);
            self.rec.outcome = Outcome::Contained;
            self.detect(now, Detector::CanaryAnalysis);
            self.restore(now, RestoredBy::CanaryAbort);
            // The abort lands in the deploy channel, where the owning team picks it up.
            self.schedule_chat_notice(now);
        } else {
            self.w.share = 1.0;
            self.w.full_at = Some(now);
            self.trace(now, TraceKind::CanaryPromoted);
            self.start_monitors(now);
        }
    }

    // --- Detectors ---------------------------------------------------------------------------

    /// Starts (or updates, when a canary is promoted) the monitors on the outage as it is now.
    fn start_monitors(&mut self, now: SimTime) {
        let g = self.plan.safeguards;
        if let Some(uptime) = g.uptime {
            if self.w.uptime_rng.is_none() {
                // The first check after the service disappears lands uniformly within an interval.
                let mut rng = self.rng(Stream::Uptime);
                let first = now + rng.below(uptime.interval);
                self.w.uptime_rng = Some(rng);
                self.w.uptime_next = Some(self.queue.schedule(first, Ev::UptimeCheck));
            }
        }
        if let Some(slo) = g.slo_burn {
            if slo.at_edge {
                self.queue.cancel_opt(&mut self.w.slo_fire);
                if let Some(at) = self.slo_fire_time(slo.slo, slo.eval_interval) {
                    self.w.slo_fire = Some(self.queue.schedule(at, Ev::SloFire));
                }
            }
            // Measured at the service, its metrics vanish with it: the alert never fires.
        }
        if let (Some(absent), Some(full_at)) = (g.absent, self.w.full_at) {
            // absent() only fires once no series of the service is left: the outage must be total.
            if self.w.absent_fire.is_none() {
                let mut rng = self.rng(Stream::Absent);
                let stale_at = next_tick(
                    full_at,
                    rng.below(absent.scrape_interval),
                    absent.scrape_interval,
                );
                let pending_at = next_tick(
                    stale_at,
                    rng.below(absent.eval_interval),
                    absent.eval_interval,
                );
                let evaluations = ceil_div(absent.for_duration, absent.eval_interval);
                let fire_at = pending_at + evaluations * absent.eval_interval;
                self.w.absent_fire = Some(self.queue.schedule(fire_at, Ev::AbsentFire));
            }
        }
    }

    fn uptime_check(&mut self, now: SimTime) {
        self.w.uptime_next = None;
        let uptime = self.plan.safeguards.uptime.expect("uptime on");
        // During a canary, a check fails only when it is routed to a canary site.
        let share = self.w.share;
        let fails = share >= 1.0 || self.w.uptime_rng.as_mut().expect("started").chance(share);
        if !fails {
            self.w.uptime_fails = 0;
            self.w.uptime_next = Some(self.queue.schedule(now + uptime.interval, Ev::UptimeCheck));
            return;
        }
        self.w.uptime_fails += 1;
        if self.w.uptime_fails > uptime.retries {
            self.trace(now, TraceKind::UptimeDown);
            self.detect(now, Detector::UptimeCheck);
        } else {
            self.trace(
                now,
                TraceKind::UptimePending {
                    attempt: self.w.uptime_fails as u8,
                },
            );
            self.w.uptime_next = Some(
                self.queue
                    .schedule(now + uptime.retry_interval, Ev::UptimeCheck),
            );
        }
    }

    /// First evaluation at which a multiwindow, multi-burn-rate rule holds, or `None` if the
    /// error ratio seen at the edge never burns fast enough.
    fn slo_fire_time(&mut self, slo: f64, eval_interval: Millis) -> Option<SimTime> {
        let gone = self.rec.gone_at?;
        let errors = self.w.error_profile(gone);
        let budget = 1.0 - slo;
        // (long window, short window, burn-rate threshold): Google SRE Workbook, table 5-8.
        let rules = [(HOUR, 5 * MINUTE, 14.4), (6 * HOUR, 30 * MINUTE, 6.0)];
        let crossing = rules
            .iter()
            .filter_map(|&(long, short, burn)| {
                let threshold = burn * budget;
                Some(
                    errors
                        .first_above(long, threshold)?
                        .max(errors.first_above(short, threshold)?),
                )
            })
            .min()?;
        if eval_interval == 0 {
            return Some(crossing);
        }
        let phase = match self.w.slo_phase {
            Some(p) => p,
            None => {
                let p = self.rng(Stream::Slo).below(eval_interval);
                self.w.slo_phase = Some(p);
                p
            }
        };
        Some(next_tick(crossing, phase, eval_interval))
    }

    fn detect(&mut self, now: SimTime, detector: Detector) {
        if self.rec.detected_at.is_none() {
            self.rec.detected_at = Some(now);
            self.rec.detected_by = Some(detector);
        }
        match detector {
            Detector::People => {
                // As on the day: the Fire-Alarm channel, then Cloud Operations.
                if self.rec.acknowledged_at.is_none() && !self.w.owner_notify_scheduled {
                    self.w.owner_notify_scheduled = true;
                    let d = self.recorded_step(ChainStep::NotifyOwner);
                    self.queue.schedule(now + d, Ev::NotifyOwner);
                }
            }
            Detector::DeployNotice => self.acknowledge(now, false),
            Detector::CanaryAnalysis => {}
            Detector::UptimeCheck | Detector::SloBurnAlert | Detector::AbsentAlert => {
                self.route_alert(now)
            }
        }
    }

    /// The first monitor alert: rollback, channel, pager, status page.
    fn route_alert(&mut self, now: SimTime) {
        if self.w.alert_routed || self.rec.restored_at.is_some() {
            return;
        }
        self.w.alert_routed = true;
        let g = self.plan.safeguards;
        if let (Some(rollback), Some(gone)) = (g.auto_rollback, self.rec.gone_at) {
            if now - gone <= rollback.window {
                self.trace(now, TraceKind::AutoRollbackTriggered);
                let d = self.rng(Stream::AutoRollback).below(rollback.revert_within);
                self.queue.schedule(now + d, Ev::AutoRevert);
            }
        }
        self.trace(now, TraceKind::AlertInChannel);
        self.schedule_chat_notice(now);
        if g.paging.is_some() {
            self.page_level(now, 1);
            if let Some(delay) = g.status_automation {
                self.schedule_investigating(now + delay, true);
            }
        }
    }

    fn schedule_chat_notice(&mut self, now: SimTime) {
        if self.w.chat_notice_scheduled || self.rec.acknowledged_at.is_some() {
            return;
        }
        self.w.chat_notice_scheduled = true;
        let d = self.safeguard_delay(self.plan.chat_notice, Stream::ChatNotice);
        self.queue.schedule(now + d, Ev::ChatNotice);
    }

    // --- People ------------------------------------------------------------------------------

    fn page_level(&mut self, now: SimTime, level: u8) {
        let paging = self.plan.safeguards.paging.expect("paging on");
        self.trace(now, TraceKind::Paged { level });
        // Two draws per level, in level order, so level k sees the same numbers in every
        // configuration that pages.
        let seed = self.seed;
        let rng = self
            .w
            .paging_rng
            .get_or_insert_with(|| Rng::new(seed, Stream::Paging));
        let answers = rng.chance(paging.answer_probability);
        let delay = rng.lognormal(paging.ack_delay.median, paging.ack_delay.sigma);
        if answers && delay < paging.timeout {
            self.queue.schedule(now + delay, Ev::PageAck { level });
        } else {
            // A level that never answers costs its full timeout.
            self.queue
                .schedule(now + paging.timeout, Ev::PageTimeout { level });
        }
    }

    /// The owning team has the incident. `by_page`: an acknowledged page, which also gathers
    /// the responders.
    fn acknowledge(&mut self, now: SimTime, by_page: bool) {
        if self.rec.acknowledged_at.is_none() {
            self.rec.acknowledged_at = Some(now);
            if self.rec.restored_at.is_some() {
                // Already restored by automation: nothing to mitigate, only to check.
                self.schedule_confirm(now);
            } else if !by_page && self.rec.mobilized_at.is_none() {
                let d = self.recorded_step(ChainStep::Mobilize);
                self.w.manual_page = Some(self.queue.schedule(now + d, Ev::ManualPage));
            }
        }
        if by_page {
            self.mobilize(now);
        }
    }

    /// Responders are gathered: they post a status update and start mitigating.
    fn mobilize(&mut self, now: SimTime) {
        if self.rec.mobilized_at.is_some() {
            return;
        }
        self.rec.mobilized_at = Some(now);
        self.queue.cancel_opt(&mut self.w.manual_page);
        let post = self.recorded_step(ChainStep::StatusPost);
        self.schedule_investigating(now + post, false);
        if self.rec.restored_at.is_none() {
            let (delay, runbook) = match self.plan.safeguards.runbook {
                Some(runbook) => (self.safeguard_delay(runbook, Stream::Runbook), true),
                None => (self.recorded_step(ChainStep::DiagnoseAndReinstate), false),
            };
            self.w.reinstate = Some(self.queue.schedule(now + delay, Ev::Reinstate { runbook }));
        }
    }

    fn schedule_investigating(&mut self, at: SimTime, automated: bool) {
        if self.w.investigating_posted {
            return;
        }
        if self.w.investigating_at.is_none_or(|t| at < t) {
            self.w.investigating_at = Some(at);
        }
        self.queue
            .schedule(at, Ev::StatusInvestigating { automated });
    }

    // --- Restore and recover -----------------------------------------------------------------

    fn restore(&mut self, now: SimTime, by: RestoredBy) {
        if self.rec.restored_at.is_some() {
            return;
        }
        self.rec.restored_at = Some(now);
        self.rec.restored_by = Some(by);
        // The outage is over: pending checks and discoveries are moot.
        self.queue.cancel_opt(&mut self.w.uptime_next);
        self.queue.cancel_opt(&mut self.w.slo_fire);
        self.queue.cancel_opt(&mut self.w.absent_fire);
        self.queue.cancel_opt(&mut self.w.people_notice);
        self.queue.cancel_opt(&mut self.w.notice_read);
        self.queue.cancel_opt(&mut self.w.canary_verdict);
        self.queue.cancel_opt(&mut self.w.reinstate);
        self.trace(now, TraceKind::Restored { by });
        if let Some(duration) = self.plan.safeguards.auto_replay {
            self.rec.recovery_started_at = Some(now);
            self.trace(now, TraceKind::AutoReplayStarted);
            self.queue.schedule(now + duration, Ev::ReplayDone);
        }
        if self.rec.acknowledged_at.is_some() {
            self.schedule_confirm(now);
        }
    }

    fn schedule_confirm(&mut self, now: SimTime) {
        let d = self.recorded_step(ChainStep::Confirm);
        self.queue.schedule(now + d, Ev::Confirm);
    }

    fn confirm(&mut self, now: SimTime) {
        if self.rec.confirmed_at.is_some() {
            return;
        }
        self.rec.confirmed_at = Some(now);
        self.trace(now, TraceKind::Confirmed);
        if let Some(investigating) = self.w.investigating_at {
            let d = self.recorded_step(ChainStep::StatusMonitoring);
            // Never before the Investigating post it follows.
            self.queue
                .schedule((now + d).max(investigating + 1), Ev::StatusMonitoring);
        }
        if self.plan.safeguards.auto_replay.is_none() {
            let d = self.recorded_step(ChainStep::RequestRecovery);
            self.queue.schedule(now + d, Ev::RecoveryRequest);
        } else if self.rec.recovered_at.is_some() {
            self.schedule_resolve(now);
        }
    }

    fn recover(&mut self, now: SimTime, automatic: bool) {
        if self.rec.recovered_at.is_some() {
            return;
        }
        self.rec.recovered_at = Some(now);
        self.w.recovered_automatically = automatic;
        self.trace(now, TraceKind::DataRecovered { automatic });
        if self.rec.confirmed_at.is_some() {
            self.schedule_resolve(now);
        }
    }

    fn schedule_resolve(&mut self, now: SimTime) {
        if self.w.resolve_scheduled {
            return;
        }
        self.w.resolve_scheduled = true;
        let d = self.recorded_step(ChainStep::Resolve);
        self.queue.schedule(now + d, Ev::Resolve);
    }

    // --- Accounting --------------------------------------------------------------------------

    /// Computes the data toll and the error budget once the run is over.
    fn finish(&mut self) {
        self.rec.engine_events = self.queue.handled();
        let (Some(gone), Some(restored)) = (self.rec.gone_at, self.rec.restored_at) else {
            return;
        };
        let profile = self.w.error_profile(gone);
        let exposure = profile.integral(restored); // share-weighted milliseconds
        let plan = self.plan;
        let peak_share = if self.w.full_at.is_some_and(|f| f < restored) {
            1.0
        } else {
            profile.share
        };
        self.rec.sites_affected = plan.sites * peak_share;
        self.rec.error_budget_used = exposure / plan.error_budget;
        let missed = round_count(exposure * plan.sites * plan.event_rate);
        let lost = match self.rec.recovered_at {
            Some(recovered) => {
                // Events older than the replay horizon when the replay runs cannot be re-read.
                let cutoff = (recovered - plan.replay_horizon).min(restored);
                round_count(profile.integral(cutoff) * plan.sites * plan.event_rate).min(missed)
            }
            None => missed,
        };
        let recovered = missed - lost;
        let duplicated = if self.rec.recovered_at.is_some() && !self.w.recovered_automatically {
            round_count(recovered as f64 * plan.manual_duplicate_share)
        } else {
            0
        };
        self.rec.events = EventCounts {
            missed,
            recovered,
            lost,
            duplicated,
        };
    }
}

impl World {
    fn error_profile(&self, gone: SimTime) -> ErrorProfile {
        ErrorProfile {
            gone,
            share: self.canary_share.unwrap_or(1.0),
            full_at: self.full_at,
        }
    }
}

/// The error ratio seen at the edge over time: 0 before `gone`, `share` from `gone` until
/// `full_at`, 1 from `full_at` on. Non-decreasing, so windowed averages only grow while the
/// outage lasts, which lets `first_above` solve for the crossing exactly.
#[derive(Clone, Copy, Debug)]
struct ErrorProfile {
    gone: SimTime,
    share: f64,
    full_at: Option<SimTime>,
}

impl ErrorProfile {
    /// ∫ error ratio from −∞ to `t`, in share-weighted milliseconds.
    fn integral(&self, t: SimTime) -> f64 {
        if t <= self.gone {
            return 0.0;
        }
        match self.full_at {
            Some(full) if t > full => self.share * (full - self.gone) as f64 + (t - full) as f64,
            _ => self.share * (t - self.gone) as f64,
        }
    }

    /// Errors within the window of length `w` ending at `t`.
    fn window(&self, t: SimTime, w: Millis) -> f64 {
        self.integral(t) - self.integral(t - w)
    }

    /// The first millisecond at which the average error ratio over the trailing window `w`
    /// exceeds `threshold`, or `None` if it never does.
    fn first_above(&self, w: Millis, threshold: f64) -> Option<SimTime> {
        let target = threshold * w as f64;
        // The windowed integral is piecewise linear with breakpoints at these instants.
        let mut points = [self.gone, self.gone + w, SimTime::MAX, SimTime::MAX];
        if let Some(full) = self.full_at {
            points[2] = full;
            points[3] = full + w;
        }
        points.sort_unstable();
        let mut prev = self.gone;
        for &b in points.iter().filter(|&&b| b != SimTime::MAX) {
            if b <= prev {
                continue;
            }
            let (a0, a1) = (self.window(prev, w), self.window(b, w));
            if a1 > target {
                // Linear on [prev, b]: solve a0 + slope·(t − prev) = target, then step past it.
                let slope = (a1 - a0) / (b - prev) as f64;
                let t = prev as f64 + (target - a0) / slope;
                return Some((t.floor() as SimTime + 1).clamp(prev + 1, b));
            }
            prev = b;
        }
        None
    }
}

/// Rounds a non-negative expected count to the nearest whole event (half up). Truncation
/// instead of `f64::round`, which is a libm call on baseline x86-64 and sits in the hot loop.
fn round_count(x: f64) -> u64 {
    (x.max(0.0) + 0.5) as u64
}

/// The first tick of a grid (`phase + k·interval`) at or after `t`.
fn next_tick(t: SimTime, phase: Millis, interval: Millis) -> SimTime {
    if interval <= 0 {
        return t;
    }
    let k = ceil_div(t - phase, interval);
    phase + k * interval
}

fn ceil_div(a: i64, b: i64) -> i64 {
    if b <= 0 {
        return 0;
    }
    -((-a).div_euclid(b))
}
