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
//! random stream (see `rng`), so a safeguard never changes another's draws.
//!
//! Rules the model keeps (each has a test):
//! - Paging: each escalation level is paged in turn until someone acknowledges; a level that
//!   never answers costs its full timeout; escalation adds people and never takes the page
//!   away, so a level already paged can still acknowledge after the next is paged.
//! - Diagnosis depends on the cue: an alert within the scenario's cue window after the deploy,
//!   or a read deploy notice, points the responders at the change; people reporting a symptom
//!   start the recorded diagnosis.
//! - Data: a replay re-reads the gap at one moment: the automatic backfill when it starts (at
//!   restore), the looper when its run by hand is done (the record's 17:40 line says it "has
//!   run"); events older than the replay horizon at that moment are lost. A longer automatic
//!   replay delivers later but loses nothing more.
//! - The looper, the watch before resolving and the automatic backfill grow with the sites
//!   (and events) they go through.
//!
//! Timed interventions (the room's decisions and the facilitator's curveballs, see
//! `intervention` for what each does) are inputs: `Engine::run_with` schedules each as an event
//! at its time before anything else, so at the same millisecond it comes first. With no
//! intervention the run is exactly `Engine::run`'s.

use strum::EnumCount;

use crate::delivery::{Outage, Reread};
use crate::intervention::{
    ActionId, Curveball, Gate, Intervention, InterventionKind, Interventions, RoomAction,
};
use crate::metrics::RunRecord;
use crate::plan::{Canary, Delay, Plan, Safeguards, SAFEGUARD_SIGMA};
use crate::queue::{EventQueue, Handle};
use crate::rng::{Rng, Stream, StreamId};
use crate::safeguards::{Config, Params, SafeguardId};
use crate::scenario::{Scaling, StepId};
use crate::time::{Millis, SimTime, HOUR, MINUTE};
use crate::trace::{Detector, NoEffect, Outcome, RestoredBy, TraceEvent, TraceKind, TraceSink};

/// How the steps that no safeguard changes are timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Counterfactual replay: every recorded step keeps its recorded delay, so with no
    /// safeguard the run *is* the record; safeguards still draw from the seed.
    Recorded,
    /// Monte Carlo: every step draws its delay from its (calibrated) distribution.
    Sampled,
}

/// How the responders restore the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mitigation {
    /// Diagnose and reinstate by hand, as on the day.
    Recorded,
    /// Reinstate by hand, knowing the change that broke it.
    KnownCause,
    /// The rollback runbook.
    Runbook,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ev {
    Merge,
    Sync,
    WaveSync {
        wave: u8,
    },
    CanaryAbort,
    UptimeCheck,
    SloFire,
    AbsentFire,
    NoticeRead,
    PeopleNotice,
    NotifyOwner,
    ChatNotice,
    PageTimeout {
        level: u8,
    },
    PageAck {
        level: u8,
    },
    ManualPage,
    StatusInvestigating {
        automated: bool,
    },
    StatusMonitoring,
    /// An update on the status page's cadence while the incident is open.
    StatusUpdate,
    Reinstate {
        how: Mitigation,
    },
    AutoRevert,
    Confirm,
    RecoveryRequest,
    LooperDone,
    ReplayDone,
    Resolve,
    /// The intervention at this index of the run's list.
    Intervention {
        index: u16,
    },
    RoomPageAnswered,
    /// People gathered by phone and chat while the pager is down.
    Gathered,
    RoomRestore,
    /// A restore that waited for the release image to be rebuilt.
    ImageReady {
        by: RestoredBy,
    },
    SecondIncidentOver,
}

/// The mutable state of one run.
struct World {
    /// The error ratio at the edge over time: which share of sites is without the service.
    profile: ErrorProfile,
    /// Only some sites were hit (a staged rollout stopped before its last wave): the steps
    /// that grow with the sites are shorter than the plan's.
    partial: bool,
    next_wave: Option<Handle>,
    /// When each wave of a staged rollout is synced, as planned when the first one is.
    wave_times: [Option<SimTime>; MAX_WAVES],
    /// The uptime checker's stream: its phase, then one draw per check while only some sites
    /// are hit.
    uptime_rng: Option<Rng>,
    /// The pager's stream: two draws per escalation level, in level order.
    paging_rng: Option<Rng>,
    uptime_fails: u32,
    uptime_next: Option<Handle>,
    slo_fire: Option<Handle>,
    slo_phase: Option<Millis>,
    absent_fire: Option<Handle>,
    canary_abort: Option<Handle>,
    people_notice: Option<Handle>,
    notice_read: Option<Handle>,
    manual_page: Option<Handle>,
    page_timeout: Option<Handle>,
    page_acknowledged: bool,
    reinstate: Option<Handle>,
    alert_routed: bool,
    /// Something the responders know points at the change: an alert soon after the deploy,
    /// or the deploy notice.
    change_cue: bool,
    /// The run's uniform draw against the fading cue (drawn at the first alert).
    cue_draw: Option<f64>,
    /// The next status-page update on the cadence, while one is due.
    status_update: Option<Handle>,
    chat_notice_scheduled: bool,
    owner_notify_scheduled: bool,
    investigating_at: Option<SimTime>,
    investigating_posted: bool,
    resolve_scheduled: bool,
    /// When the replay re-read the gap from Exchange, and whether it was the automatic one.
    replay_read: Option<(SimTime, bool)>,
    /// When the pending reinstatement ends and how it was started (valid while `reinstate`).
    reinstate_end: SimTime,
    /// When the pending reinstatement started and the work it takes (people's time, before a
    /// second incident slows it), so a later slowdown scales the work left, not the wall time.
    reinstate_start: SimTime,
    reinstate_work: Millis,
    reinstate_how: Mitigation,
    auto_replay_started: bool,
    /// The looper is running or has run (requested by hand, or started by the room).
    looper_started: bool,
    // --- Interventions (untouched by a run without them) ---
    /// Response actions decided before the room could know to take them (see `Gate`), by
    /// index, in time order: each acts when its gate opens.
    held: Vec<u16>,
    room_page: Option<Handle>,
    gathering: Option<Handle>,
    room_restore: Option<Handle>,
    /// When the room's pending rollback lands (valid while `room_restore`).
    room_restore_at: SimTime,
    /// The room asked for the looper before the service was back: it starts at the restore.
    looper_armed: bool,
    /// The release image is missing: its rebuild time, then when it is rebuilt.
    image_missing: Option<Millis>,
    image_ready: Option<SimTime>,
    /// The looper fails for a share of the sites when it runs at or after this time.
    looper_fails: Option<(SimTime, f64)>,
    /// The pager is down: the time to gather people by other means.
    pager_down: Option<Millis>,
    /// The person who merged is away: the diagnosis factor.
    merger_away: Option<f64>,
    second_incident_fired: bool,
}

impl World {
    fn new() -> World {
        World {
            profile: ErrorProfile::new(),
            partial: false,
            next_wave: None,
            wave_times: [None; MAX_WAVES],
            uptime_rng: None,
            paging_rng: None,
            uptime_fails: 0,
            uptime_next: None,
            slo_fire: None,
            slo_phase: None,
            absent_fire: None,
            canary_abort: None,
            people_notice: None,
            notice_read: None,
            manual_page: None,
            page_timeout: None,
            page_acknowledged: false,
            reinstate: None,
            alert_routed: false,
            change_cue: false,
            cue_draw: None,
            status_update: None,
            chat_notice_scheduled: false,
            owner_notify_scheduled: false,
            investigating_at: None,
            investigating_posted: false,
            resolve_scheduled: false,
            replay_read: None,
            reinstate_end: 0,
            reinstate_start: 0,
            reinstate_work: 0,
            reinstate_how: Mitigation::Recorded,
            auto_replay_started: false,
            looper_started: false,
            held: Vec::new(),
            room_page: None,
            gathering: None,
            room_restore: None,
            room_restore_at: 0,
            looper_armed: false,
            image_missing: None,
            image_ready: None,
            looper_fails: None,
            pager_down: None,
            merger_away: None,
            second_incident_fired: false,
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
        self.run_with(plan, run_seed, mode, &Interventions::NONE, sink)
    }

    /// One run of `plan` with the given run seed and timed interventions (the room's decisions
    /// and curveballs). With `Interventions::NONE` it is `run`.
    pub fn run_with<S: TraceSink>(
        &mut self,
        plan: &Plan,
        run_seed: u64,
        mode: Mode,
        interventions: &Interventions,
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
            chain: [0; StepId::COUNT],
            g: plan.safeguards,
            iv: interventions,
        };
        let start = interventions
            .first_at()
            .map_or(plan.merge_at, |at| at.min(plan.merge_at));
        run.queue.reset(start);
        // Before the merge, so that an intervention at the same millisecond as anything in the
        // run comes first.
        for (index, intervention) in interventions.as_slice().iter().enumerate() {
            let index = index as u16; // at most MAX_INTERVENTIONS
            run.queue
                .schedule(intervention.at, Ev::Intervention { index });
        }
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
    /// The recorded steps' delays for this run (for a full outage), fixed when the service goes.
    chain: [Millis; StepId::COUNT],
    /// The safeguards in force: the plan's, plus any the room switches on during the run.
    g: Safeguards,
    iv: &'a Interventions,
}

impl<S: TraceSink> Run<'_, S> {
    fn rng(&self, stream: impl Into<StreamId>) -> Rng {
        Rng::new(self.seed, stream)
    }

    /// Fixes every recorded step's delay once the outage starts: the recorded delay in a
    /// replay, a draw around the calibrated median in Monte Carlo. The draws are independent
    /// (one stream per step), so drawing them together gives the same values as drawing each
    /// when needed, and lets the processor overlap them: the draws are most of a run's cost.
    fn fix_chain(&mut self) {
        for (slot, step) in self.chain.iter_mut().zip(&self.plan.steps) {
            if step.in_chain {
                *slot = match self.mode {
                    Mode::Recorded => step.recorded,
                    Mode::Sampled => Rng::new(self.seed, step.stream).step_delay(
                        step.median,
                        step.sigma,
                        self.plan.away_share,
                        self.plan.away_factor,
                    ),
                };
            }
        }
    }

    /// A recorded step's delay in this run, scaled when only some sites were hit.
    #[inline(always)]
    fn recorded_step(&self, id: StepId) -> Millis {
        let d = self.chain[id.index()];
        if self.w.partial {
            self.scaled_for_partial(id, d)
        } else {
            d
        }
    }

    /// A step's delay when only `peak` of the sites lost the service: the plan's delay is for
    /// every site.
    fn scaled_for_partial(&self, id: StepId, d: Millis) -> Millis {
        let scaling = self.plan.step(id).scaling;
        let peak = self.w.profile.peak();
        if scaling == Scaling::Fixed || peak >= 1.0 {
            return d;
        }
        let w = &self.plan.workload;
        let relative =
            w.factor(scaling, self.plan.sites * peak) / w.factor(scaling, self.plan.sites);
        crate::time::scale_ms(d, relative)
    }

    /// A step that only exists because of a safeguard: always drawn from the seed.
    fn stated_step(&self, id: StepId) -> Millis {
        let step = self.plan.step(id);
        self.rng(id).step_delay(
            step.median,
            step.sigma,
            self.plan.away_share,
            self.plan.away_factor,
        )
    }

    /// A safeguard's own delay: always drawn from the seed.
    fn safeguard_delay(&self, delay: Delay, stream: Stream) -> Millis {
        self.rng(stream).lognormal(delay.median, delay.sigma)
    }

    /// When a step done by people that starts at `start` and takes `work` ends: later while a
    /// second incident keeps people busy (see `BusyWindow`).
    #[inline(always)]
    fn people(&self, start: SimTime, work: Millis) -> SimTime {
        match self.iv.busy() {
            None => start + work,
            Some(window) => window.end(start, work),
        }
    }

    /// A delay of the room's or a curveball's: the stated value in a replay, drawn around it
    /// from its own stream in Monte Carlo.
    fn intervention_delay(&self, median: Millis, stream: Stream) -> Millis {
        match self.mode {
            Mode::Recorded => median,
            Mode::Sampled => self.rng(stream).lognormal(median, SAFEGUARD_SIGMA),
        }
    }

    fn trace(&mut self, at: SimTime, kind: TraceKind) {
        self.sink.record(TraceEvent { at, kind });
    }

    fn handle(&mut self, now: SimTime, ev: Ev) {
        match ev {
            Ev::Merge => self.merge(now),
            Ev::Sync => self.sync(now),
            Ev::WaveSync { wave } => self.wave_sync(now, wave),
            Ev::CanaryAbort => self.canary_abort(now),
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
            Ev::PageTimeout { level } => self.page_timeout(now, level),
            Ev::PageAck { level } => {
                // The first acknowledgement owns the page; later ones from levels paged before
                // it arrived are moot.
                if !self.w.page_acknowledged {
                    self.w.page_acknowledged = true;
                    self.queue.cancel_opt(&mut self.w.page_timeout);
                    self.trace(now, TraceKind::PageAcknowledged { level });
                    self.acknowledge(now, true);
                }
            }
            Ev::ManualPage => {
                self.w.manual_page = None;
                self.trace(now, TraceKind::ManualPage);
                if self.w.pager_down.is_some() {
                    self.trace(now, TraceKind::PageUndelivered { by_room: false });
                    self.gather_without_pager(now);
                    return;
                }
                self.mobilize(now);
                if let Some(delay) = self.g.status_automation {
                    self.schedule_investigating(now + delay, true);
                }
            }
            Ev::StatusInvestigating { automated } => {
                if !self.w.investigating_posted {
                    self.w.investigating_posted = true;
                    self.rec.first_post_at.get_or_insert(now);
                    self.trace(now, TraceKind::StatusInvestigating { automated });
                    self.next_status_update(now);
                }
            }
            Ev::StatusUpdate => {
                self.w.status_update = None;
                self.trace(now, TraceKind::StatusUpdate);
                self.next_status_update(now);
            }
            Ev::StatusMonitoring => {
                self.rec.first_post_at.get_or_insert(now);
                self.queue.cancel_opt(&mut self.w.status_update);
                self.trace(now, TraceKind::StatusMonitoring);
            }
            Ev::Reinstate { how } => {
                self.w.reinstate = None;
                let by = match how {
                    Mitigation::Runbook => RestoredBy::Runbook,
                    Mitigation::Recorded | Mitigation::KnownCause => RestoredBy::Reinstatement,
                };
                self.restore(now, by);
            }
            Ev::AutoRevert => self.restore(now, RestoredBy::AutoRollback),
            Ev::Confirm => self.confirm(now),
            // The room already started the looper: the request is moot.
            Ev::RecoveryRequest if self.w.looper_started => {}
            Ev::RecoveryRequest => {
                self.w.looper_started = true;
                self.rec.recovery_started_at.get_or_insert(now);
                self.trace(now, TraceKind::RecoveryRequested);
                let d = self.recorded_step(StepId::ManualReplay);
                self.queue.schedule(self.people(now, d), Ev::LooperDone);
            }
            Ev::LooperDone => self.recover(now, false),
            Ev::ReplayDone => self.recover(now, true),
            Ev::Resolve => {
                self.rec.resolved_at = Some(now);
                self.trace(now, TraceKind::Resolved);
            }
            Ev::Intervention { index } => {
                let intervention = self.iv.as_slice()[usize::from(index)];
                self.intervene(now, index, intervention);
            }
            Ev::RoomPageAnswered => {
                self.w.room_page = None;
                self.trace(now, TraceKind::RoomPageAnswered);
                self.acknowledge(now, true);
            }
            Ev::Gathered => {
                self.w.gathering = None;
                self.trace(now, TraceKind::GatheredWithoutPager);
                self.acknowledge(now, true);
            }
            Ev::RoomRestore => {
                self.w.room_restore = None;
                self.restore(now, RestoredBy::RoomRollBack);
            }
            Ev::ImageReady { by } => self.restore(now, by),
            Ev::SecondIncidentOver => self.trace(now, TraceKind::SecondIncidentOver),
        }
    }

    // --- Change and deploy -------------------------------------------------------------------

    fn merge(&mut self, now: SimTime) {
        let g = self.g;
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
        let g = self.g;
        if let Some(bypass) = g.prune_protection {
            if !self.rng(Stream::PruneProtection).chance(bypass) {
                self.trace(now, TraceKind::DriftReported);
                self.rec.outcome = Outcome::Prevented(SafeguardId::PruneProtection);
                return;
            }
            self.trace(now, TraceKind::PruneBypassed);
        }
        self.rec.gone_at = Some(now);
        self.fix_chain();
        let share = match g.canary {
            Some(canary) => self.start_rollout(now, canary),
            None => 1.0,
        };
        self.w.partial = share < 1.0;
        self.w.profile.start(now, g.canary);
        self.trace(
            now,
            TraceKind::ServiceGone {
                share_permille: permille(share),
            },
        );
        if let Some(notice) = g.notice {
            self.trace(now, TraceKind::NoticePosted);
            let mut rng = self.rng(Stream::DeployNotice);
            if rng.chance(notice.read_probability) {
                let d = rng.lognormal(notice.read_delay.median, notice.read_delay.sigma);
                self.w.notice_read = Some(self.queue.schedule(self.people(now, d), Ev::NoticeRead));
            }
        }
        let d = self.recorded_step(StepId::HumanDiscovery);
        self.w.people_notice = Some(self.queue.schedule(now + d, Ev::PeopleNotice));
        self.start_monitors(now);
    }

    /// The first wave of a staged rollout is synced: plans when the next waves come and, when
    /// the analysis watches what the deletion breaks, whether and when it aborts. Returns the
    /// share hit.
    fn start_rollout(&mut self, now: SimTime, canary: Canary) -> f64 {
        let mut rng = self.rng(Stream::Canary);
        let plan = if rng.chance(canary.detect_probability) {
            Self::gated_rollout(&mut rng, &canary)
        } else {
            RolloutPlan::timed(&canary)
        };
        for (k, offset) in plan.waves.iter().enumerate() {
            self.w.wave_times[k] = offset.map(|o| now + o);
        }
        self.schedule_next_wave(2);
        if let Some(after) = plan.abort_after {
            self.w.canary_abort = Some(self.queue.schedule(now + after, Ev::CanaryAbort));
        }
        canary.share_after(1)
    }

    /// A rollout gated by its analysis, as a progressive-delivery controller runs one: every
    /// interval (from a random phase) the analysis checks the waves hit so far; with the
    /// deletion breaking them, a check fails with a chance (the signal is noisy), and the
    /// threshold-th failed check aborts and rolls back. Passed checks promote: a wave goes to
    /// the next after `wave_interval / interval` passed checks (the fraction by chance), and the
    /// rollout is complete, its analysis over, once the last wave is promoted. The passes
    /// between failures are geometric, so a run draws a few numbers however long the rollout.
    fn gated_rollout(rng: &mut Rng, canary: &Canary) -> RolloutPlan {
        let interval = canary.check_interval.max(1);
        let per_wave = canary.wave_interval.max(1) as f64 / interval as f64;
        // Passed checks needed before each later wave, cumulated.
        let mut needed = [0u64; MAX_WAVES];
        let mut total = 0u64;
        for slot in needed.iter_mut().take(canary.waves as usize).skip(1) {
            let whole = per_wave.floor();
            let extra = u64::from(rng.chance(per_wave - whole));
            total += (whole as u64 + extra).max(1);
            *slot = total;
        }
        let q = canary.check_failure_probability.clamp(0.0, 1.0);
        let phase = rng.below(interval);
        let at = |check: u64| phase + interval * check as i64;
        let mut plan = RolloutPlan {
            waves: [None; MAX_WAVES],
            abort_after: None,
        };
        plan.waves[0] = Some(0);
        // Walk the checks failure by failure: `passes` passed checks, then a failed one.
        let (mut check, mut passes) = (0u64, 0u64);
        let mut next = 1usize;
        for _ in 0..canary.failure_threshold {
            let run = if q >= 1.0 {
                0
            } else if q <= 0.0 {
                u64::MAX / 4
            } else {
                (libm::log(rng.open_unit()) / libm::log1p(-q)).floor() as u64
            };
            // Waves promoted by the passes of this run.
            while next < canary.waves as usize && needed[next] <= passes.saturating_add(run) {
                let promoted_at = check + (needed[next] - passes) - 1;
                plan.waves[next] = Some(at(promoted_at));
                next += 1;
            }
            if next >= canary.waves as usize {
                return plan; // promoted to the last wave before the threshold: no abort
            }
            check = check.saturating_add(run).saturating_add(1);
            passes = passes.saturating_add(run);
        }
        plan.abort_after = Some(at(check - 1));
        plan
    }

    fn schedule_next_wave(&mut self, wave: u8) {
        if let Some(Some(at)) = self.w.wave_times.get(usize::from(wave) - 1) {
            self.w.next_wave = Some(self.queue.schedule(*at, Ev::WaveSync { wave }));
        }
    }

    fn wave_sync(&mut self, now: SimTime, wave: u8) {
        self.w.next_wave = None;
        let Some(canary) = self.g.canary else {
            return;
        };
        let share = canary.share_after(u32::from(wave));
        self.w.partial = share < 1.0;
        self.w.profile.sync(now, u32::from(wave));
        self.trace(
            now,
            TraceKind::WaveSynced {
                wave,
                share_permille: permille(share),
            },
        );
        if u32::from(wave) < canary.waves {
            self.schedule_next_wave(wave + 1);
        }
        self.start_monitors(now);
    }

    fn canary_abort(&mut self, now: SimTime) {
        self.w.canary_abort = None;
        self.queue.cancel_opt(&mut self.w.next_wave);
        self.trace(now, TraceKind::CanaryAborted);
        if self.w.profile.peak() < 1.0 {
            self.rec.outcome = Outcome::Contained;
        }
        self.detect(now, Detector::CanaryAnalysis);
        self.restore(now, RestoredBy::CanaryAbort);
        // The abort lands in the deploy channel, where the owning team picks it up.
        self.schedule_chat_notice(now);
    }

    // --- Detectors ---------------------------------------------------------------------------

    /// Starts (or updates, when a later wave is synced) the monitors on the outage as it is now.
    fn start_monitors(&mut self, now: SimTime) {
        self.start_monitors_from(now, SimTime::MIN);
    }

    /// `start_monitors`, for monitors that exist only from `not_before` on (switched on by the
    /// room): no rule evaluation fires before it.
    fn start_monitors_from(&mut self, now: SimTime, not_before: SimTime) {
        let g = self.g;
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
                let target = self.plan.slo_target;
                if let Some(at) = self.slo_fire_time(target, slo.eval_interval, not_before) {
                    self.w.slo_fire = Some(self.queue.schedule(at, Ev::SloFire));
                }
            }
            // Measured at the service, its metrics vanish with it: the alert never fires.
        }
        if let (Some(absent), Some(full_at)) = (g.absent, self.w.profile.full_at()) {
            // absent() only fires once no series of the service is left: the outage must be total.
            if self.w.absent_fire.is_none() {
                let mut rng = self.rng(Stream::Absent);
                let stale_at = next_tick(
                    full_at.max(not_before),
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
        let Some(uptime) = self.g.uptime else {
            return;
        };
        // While only some sites are hit, a check fails only when it is routed to one of them.
        let share = self.w.profile.current();
        let fails = share >= 1.0
            || self
                .w
                .uptime_rng
                .as_mut()
                .is_some_and(|rng| rng.chance(share));
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
                    attempt: self.w.uptime_fails.min(u32::from(u8::MAX)) as u8,
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
    fn slo_fire_time(
        &mut self,
        slo: f64,
        eval_interval: Millis,
        not_before: SimTime,
    ) -> Option<SimTime> {
        let budget = 1.0 - slo;
        // (long window, short window, burn-rate threshold): Google SRE Workbook, table 5-8.
        let rules = [(HOUR, 5 * MINUTE, 14.4), (6 * HOUR, 30 * MINUTE, 6.0)];
        let errors = &self.w.profile;
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
            .min()?
            .max(not_before);
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
        let first = self.rec.detected_at.is_none();
        if first {
            self.rec.detected_at = Some(now);
            self.rec.detected_by = Some(detector);
        }
        // What the responders will know when they start: a notice that names the deletion,
        // or an alert soon enough after the deploy to point at it (less likely the later).
        if detector == Detector::DeployNotice
            || (detector.is_alert() && self.alert_points_at_the_change(now))
        {
            self.cue_names_the_change(now);
        }
        match detector {
            Detector::People => {
                // As on the day: the Fire-Alarm channel, then Cloud Operations.
                if self.rec.acknowledged_at.is_none() && !self.w.owner_notify_scheduled {
                    self.w.owner_notify_scheduled = true;
                    let d = self.recorded_step(StepId::NotifyOwner);
                    self.queue.schedule(self.people(now, d), Ev::NotifyOwner);
                }
            }
            Detector::DeployNotice => self.acknowledge(now, false),
            Detector::CanaryAnalysis => {}
            Detector::UptimeCheck | Detector::SloBurnAlert | Detector::AbsentAlert => {
                self.route_alert(now)
            }
        }
        if first {
            // The room's responses decided before anyone noticed act now, in their order.
            self.release_held(now);
        }
    }

    /// Whether an alert at `now` points the responders at the change: with a chance that halves
    /// every `change_cue_half_life` after the change, against one uniform per run (so a sooner
    /// alert points at it whenever a later one would).
    fn alert_points_at_the_change(&mut self, now: SimTime) -> bool {
        let Some(gone) = self.rec.gone_at else {
            return false;
        };
        let half_lives = (now - gone).max(0) as f64 / self.plan.change_cue_half_life.max(1) as f64;
        let seed = self.seed;
        let u = *self
            .w
            .cue_draw
            .get_or_insert_with(|| Rng::new(seed, Stream::ChangeCue).unit());
        u < libm::exp2(-half_lives)
    }

    /// Something the responders can read now names the change. Responders not gathered yet
    /// will start from it; responders already at work (diagnosing from the symptom, or running
    /// the runbook) switch to it when that is sooner, so learning of the change sooner never
    /// helps less than learning it later.
    fn cue_names_the_change(&mut self, now: SimTime) {
        if self.w.change_cue {
            return;
        }
        self.w.change_cue = true;
        if self.w.reinstate.is_none() || self.w.reinstate_how == Mitigation::KnownCause {
            return;
        }
        let mut delay = self.stated_step(StepId::ReinstateKnownCause);
        if let Some(factor) = self.w.merger_away {
            delay = crate::time::scale_ms(delay, factor);
        }
        if self.people(now, delay) < self.w.reinstate_end {
            self.trace(now, TraceKind::ChangeSuspected);
            self.schedule_reinstate(now, delay, Mitigation::KnownCause);
        }
    }

    /// The first monitor alert: rollback, channel, pager, status page.
    fn route_alert(&mut self, now: SimTime) {
        if self.w.alert_routed || self.rec.restored_at.is_some() {
            return;
        }
        self.w.alert_routed = true;
        let g = self.g;
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
        let d = self.stated_step(StepId::ChatNotice);
        self.queue.schedule(self.people(now, d), Ev::ChatNotice);
    }

    // --- People ------------------------------------------------------------------------------

    /// Pages an escalation level. Whether it answers and how fast are two draws per level, in
    /// level order, so level k sees the same numbers in every configuration that pages. An
    /// answering level acknowledges after its delay even if the page has escalated by then.
    fn page_level(&mut self, now: SimTime, level: u8) {
        let Some(paging) = self.g.paging else {
            return;
        };
        self.trace(now, TraceKind::Paged { level });
        let seed = self.seed;
        let rng = self
            .w
            .paging_rng
            .get_or_insert_with(|| Rng::new(seed, Stream::Paging));
        let answers = rng.chance(paging.answer_probability);
        let delay = rng.lognormal(paging.ack_delay.median, paging.ack_delay.sigma);
        if self.w.pager_down.is_some() {
            // Drawn all the same, so the levels keep their numbers; nobody gets this page.
            self.trace(now, TraceKind::PageUndelivered { by_room: false });
        } else if answers {
            self.queue
                .schedule(self.people(now, delay), Ev::PageAck { level });
        }
        // Escalation: unless someone acknowledges first, the next level is paged (or the
        // policy runs out) after the timeout, whether this level will answer later or never.
        self.w.page_timeout = Some(
            self.queue
                .schedule(now + paging.timeout, Ev::PageTimeout { level }),
        );
    }

    fn page_timeout(&mut self, now: SimTime, level: u8) {
        self.w.page_timeout = None;
        let Some(paging) = self.g.paging else {
            return;
        };
        self.trace(now, TraceKind::PageTimedOut { level });
        if level < paging.levels {
            self.page_level(now, level + 1);
        } else {
            self.trace(now, TraceKind::PageExhausted);
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
                let d = self.recorded_step(StepId::Mobilize);
                self.w.manual_page = Some(self.queue.schedule(self.people(now, d), Ev::ManualPage));
            }
        }
        if by_page {
            self.mobilize(now);
        }
    }

    /// Responders are gathered: they post a status update and start mitigating, from the
    /// change if their cue points at it, from the symptom otherwise.
    fn mobilize(&mut self, now: SimTime) {
        if self.rec.mobilized_at.is_some() {
            return;
        }
        self.rec.mobilized_at = Some(now);
        self.queue.cancel_opt(&mut self.w.manual_page);
        self.queue.cancel_opt(&mut self.w.room_page);
        self.queue.cancel_opt(&mut self.w.gathering);
        let post = self.recorded_step(StepId::StatusPost);
        self.schedule_investigating(self.people(now, post), false);
        if self.rec.restored_at.is_none() {
            // The diagnosis starts from the change if the cue names it, from the symptom
            // otherwise; with the rollback runbook, the responders revert by it. Whichever way
            // gets the service back first wins: knowing the change never makes the diagnosis
            // longer than finding it from the symptom, and a runbook is used if it is sooner.
            let symptom = self.recorded_step(StepId::DiagnoseAndReinstate);
            let (mut how, mut delay) = (Mitigation::Recorded, symptom);
            if self.w.change_cue {
                self.trace(now, TraceKind::ChangeSuspected);
                let known = self.stated_step(StepId::ReinstateKnownCause);
                if known <= symptom {
                    (how, delay) = (Mitigation::KnownCause, known);
                }
            }
            if let Some(factor) = self.w.merger_away {
                self.trace(now, TraceKind::DiagnosisSlowed);
                delay = crate::time::scale_ms(delay, factor);
            }
            if let Some(runbook) = self.g.runbook {
                let revert = self.safeguard_delay(runbook, Stream::Runbook);
                if revert <= delay {
                    (how, delay) = (Mitigation::Runbook, revert);
                }
            }
            self.schedule_reinstate(now, delay, how);
        }
        // A rollback decided before anyone could suspect a change acts now.
        self.release_held(now);
    }

    /// A reinstatement by people that starts at `start` and takes `work` of their time.
    fn schedule_reinstate(&mut self, start: SimTime, work: Millis, how: Mitigation) {
        let at = self.people(start, work);
        self.queue.cancel_opt(&mut self.w.reinstate);
        self.w.reinstate = Some(self.queue.schedule(at, Ev::Reinstate { how }));
        self.w.reinstate_end = at;
        self.w.reinstate_start = start;
        self.w.reinstate_work = work;
        self.w.reinstate_how = how;
    }

    /// The next status-page update on the cadence, unless the service is confirmed back.
    fn next_status_update(&mut self, now: SimTime) {
        if self.rec.confirmed_at.is_none() && self.rec.resolved_at.is_none() {
            self.w.status_update = Some(
                self.queue
                    .schedule(now + self.plan.status_cadence.max(1), Ev::StatusUpdate),
            );
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
        if let Some(rebuild) = self.w.image_missing {
            match self.w.image_ready {
                None => {
                    // Every way back redeploys last week's release, so the first attempt
                    // waits for its image to be rebuilt, and so does any attempt before then.
                    let d = self.intervention_delay(rebuild, Stream::ImageRebuild);
                    let ready = self.people(now, d);
                    self.w.image_ready = Some(ready);
                    self.trace(now, TraceKind::ImageRebuildStarted);
                    self.queue.schedule(ready, Ev::ImageReady { by });
                    return;
                }
                Some(ready) if now < ready => return,
                Some(_) => {}
            }
        }
        self.rec.restored_at = Some(now);
        self.rec.restored_by = Some(by);
        // The outage is over: pending checks, discoveries and rollout steps are moot.
        self.queue.cancel_opt(&mut self.w.uptime_next);
        self.queue.cancel_opt(&mut self.w.slo_fire);
        self.queue.cancel_opt(&mut self.w.absent_fire);
        self.queue.cancel_opt(&mut self.w.people_notice);
        self.queue.cancel_opt(&mut self.w.notice_read);
        self.queue.cancel_opt(&mut self.w.canary_abort);
        self.queue.cancel_opt(&mut self.w.next_wave);
        self.queue.cancel_opt(&mut self.w.reinstate);
        self.queue.cancel_opt(&mut self.w.room_restore);
        self.trace(now, TraceKind::Restored { by });
        if let Some(duration) = self.g.auto_replay {
            self.w.auto_replay_started = true;
            // The backfill re-reads the whole gap now and delivers it over its duration, which
            // grows with the sites and events it goes through.
            self.rec.recovery_started_at = Some(now);
            self.w.replay_read = Some((now, true));
            self.trace(now, TraceKind::AutoReplayStarted);
            let w = &self.plan.workload;
            let ratio = w.ratio(Scaling::SiteEvents, self.plan.sites * self.w.profile.peak());
            let d = crate::time::scale_ms(duration, ratio);
            self.queue.schedule(now + d, Ev::ReplayDone);
        }
        if self.rec.acknowledged_at.is_some() {
            self.schedule_confirm(now);
        }
        if self.w.looper_armed {
            self.start_looper(now);
        }
    }

    fn schedule_confirm(&mut self, now: SimTime) {
        let d = self.recorded_step(StepId::Confirm);
        self.queue.schedule(self.people(now, d), Ev::Confirm);
    }

    fn confirm(&mut self, now: SimTime) {
        if self.rec.confirmed_at.is_some() {
            return;
        }
        self.rec.confirmed_at = Some(now);
        self.trace(now, TraceKind::Confirmed);
        if let Some(investigating) = self.w.investigating_at {
            let d = self.recorded_step(StepId::StatusMonitoring);
            // Never before the Investigating post it follows.
            self.queue.schedule(
                self.people(now, d).max(investigating + 1),
                Ev::StatusMonitoring,
            );
        }
        if self.rec.recovered_at.is_some() {
            self.schedule_resolve(now);
        } else if !self.w.auto_replay_started && !self.w.looper_started {
            let d = self.recorded_step(StepId::RequestRecovery);
            self.queue
                .schedule(self.people(now, d), Ev::RecoveryRequest);
        }
    }

    fn recover(&mut self, now: SimTime, automatic: bool) {
        if self.rec.recovered_at.is_some() {
            return;
        }
        self.rec.recovered_at = Some(now);
        if !automatic && self.w.replay_read.is_none() {
            // The looper re-reads each impacted site's changes when it is run.
            self.w.replay_read = Some((now, false));
            if let Some((from, share)) = self.w.looper_fails {
                if now >= from {
                    self.trace(
                        now,
                        TraceKind::LooperPartlyFailed {
                            failed_permille: permille(share),
                        },
                    );
                }
            }
        }
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
        let d = self.recorded_step(StepId::Resolve);
        self.queue.schedule(self.people(now, d), Ev::Resolve);
    }

    // --- Interventions -----------------------------------------------------------------------

    fn intervene(&mut self, now: SimTime, index: u16, intervention: Intervention) {
        match intervention.kind {
            InterventionKind::Room(action) => {
                let id = action.id();
                if id == ActionId::EnableSafeguard {
                    self.room_action(now, action);
                } else if let Some(why) = self.no_effect(id) {
                    self.trace(now, TraceKind::RoomNoEffect { action: id, why });
                } else if !self.gate_open(id.gate()) {
                    // The room could not know to take it yet: it acts once it could. Before
                    // the impact it is a prevention exercise, and it waits all the same.
                    self.trace(
                        now,
                        TraceKind::RoomWaits {
                            action: id,
                            until: id.gate(),
                            before_impact: self.rec.gone_at.is_none(),
                        },
                    );
                    self.w.held.push(index);
                } else {
                    self.room_action(now, action);
                }
            }
            InterventionKind::Curveball(curveball) => self.curveball(now, curveball),
        }
    }

    /// Whether what the room knows now lets it decide an action behind this gate.
    fn gate_open(&self, gate: Gate) -> bool {
        match gate {
            Gate::Anytime => true,
            Gate::Noticed => self.rec.detected_at.is_some(),
            Gate::Gathered => self.rec.mobilized_at.is_some(),
        }
    }

    /// The held decisions whose gate is open now act, in the order they were decided.
    fn release_held(&mut self, now: SimTime) {
        if self.w.held.is_empty() {
            return;
        }
        let iv = self.iv;
        let (ready, waiting): (Vec<u16>, Vec<u16>) = std::mem::take(&mut self.w.held)
            .into_iter()
            .partition(|&i| match iv.as_slice()[usize::from(i)].kind {
                InterventionKind::Room(a) => self.gate_open(a.id().gate()),
                InterventionKind::Curveball(_) => true,
            });
        // Put the others back first: acting may open another gate and release them.
        self.w.held = waiting;
        for index in ready {
            if let InterventionKind::Room(action) = iv.as_slice()[usize::from(index)].kind {
                self.room_action(now, action);
            }
        }
    }

    /// Why a response action would change nothing now, if it would not.
    fn no_effect(&self, action: ActionId) -> Option<NoEffect> {
        let r = &self.rec;
        if r.resolved_at.is_some() {
            return Some(NoEffect::Resolved);
        }
        if matches!(r.outcome, Outcome::Prevented(_)) {
            return Some(NoEffect::NoOutage);
        }
        match action {
            ActionId::PageOnCall if r.mobilized_at.is_some() => Some(NoEffect::AlreadyGathered),
            ActionId::PageOnCall if self.w.room_page.is_some() || self.w.gathering.is_some() => {
                Some(NoEffect::AlreadyStarted)
            }
            ActionId::EscalateLeadership if r.acknowledged_at.is_some() => {
                Some(NoEffect::AlreadyOwned)
            }
            ActionId::RollBack if r.restored_at.is_some() => Some(NoEffect::AlreadyRestored),
            ActionId::RollBack if self.w.room_restore.is_some() || self.w.image_ready.is_some() => {
                Some(NoEffect::AlreadyStarted)
            }
            ActionId::PostStatus if self.w.investigating_posted => Some(NoEffect::AlreadyPosted),
            ActionId::StartLooper if r.recovered_at.is_some() => Some(NoEffect::AlreadyRecovered),
            ActionId::StartLooper if self.w.looper_started || self.w.looper_armed => {
                Some(NoEffect::AlreadyStarted)
            }
            _ => None,
        }
    }

    fn room_action(&mut self, now: SimTime, action: RoomAction) {
        let id = action.id();
        if let RoomAction::EnableSafeguard { safeguard, params } = action {
            self.enable_safeguard(now, safeguard, &params);
            return;
        }
        if let Some(why) = self.no_effect(id) {
            self.trace(now, TraceKind::RoomNoEffect { action: id, why });
            return;
        }
        self.trace(now, TraceKind::RoomDecided { action: id });
        match action {
            RoomAction::PageOnCall { ack_delay } => {
                if self.w.pager_down.is_some() {
                    self.trace(now, TraceKind::PageUndelivered { by_room: true });
                    self.gather_without_pager(now);
                } else {
                    let d = self.intervention_delay(ack_delay, Stream::RoomPage);
                    let at = self.people(now, d);
                    self.w.room_page = Some(self.queue.schedule(at, Ev::RoomPageAnswered));
                }
            }
            RoomAction::EscalateLeadership => self.acknowledge(now, false),
            RoomAction::RollBack => {
                let d = self.room_rollback_delay();
                self.schedule_room_restore(self.people(now, d));
            }
            RoomAction::PostStatus => {
                self.w.investigating_posted = true;
                self.w.investigating_at = Some(self.w.investigating_at.map_or(now, |t| t.min(now)));
                self.rec.first_post_at.get_or_insert(now);
                self.trace(now, TraceKind::RoomStatusPosted);
                self.next_status_update(now);
            }
            RoomAction::StartLooper => {
                if self.rec.restored_at.is_some() {
                    self.start_looper(now);
                } else {
                    self.w.looper_armed = true;
                }
            }
            RoomAction::EnableSafeguard { .. } => {}
        }
    }

    /// How long the room's rollback takes, by the model's own steps: the rollback runbook's
    /// revert when it is on, otherwise a reinstatement that knows the change
    /// (`reinstate_known_cause`). Its stated value in a replay, drawn around it in Monte Carlo.
    fn room_rollback_delay(&self) -> Millis {
        if let Some(runbook) = self.g.runbook {
            return match self.mode {
                Mode::Recorded => runbook.median,
                Mode::Sampled => self
                    .rng(Stream::RoomRollBack)
                    .lognormal(runbook.median, runbook.sigma),
            };
        }
        let step = self.plan.step(StepId::ReinstateKnownCause);
        match self.mode {
            Mode::Recorded => step.recorded,
            Mode::Sampled => self.rng(Stream::RoomRollBack).step_delay(
                step.median,
                step.sigma,
                self.plan.away_share,
                self.plan.away_factor,
            ),
        }
    }

    fn schedule_room_restore(&mut self, at: SimTime) {
        self.queue.cancel_opt(&mut self.w.room_restore);
        self.w.room_restore = Some(self.queue.schedule(at, Ev::RoomRestore));
        self.w.room_restore_at = at;
    }

    /// With the pager down, people are gathered by phone and chat, which takes longer.
    fn gather_without_pager(&mut self, now: SimTime) {
        if self.w.gathering.is_some() || self.rec.mobilized_at.is_some() {
            return;
        }
        let gather = self.w.pager_down.unwrap_or(0);
        let d = self.intervention_delay(gather, Stream::GatherWithoutPager);
        let at = self.people(now, d);
        self.w.gathering = Some(self.queue.schedule(at, Ev::Gathered));
    }

    /// The room's looper run: it goes through the impacted sites and re-reads their changes.
    fn start_looper(&mut self, now: SimTime) {
        self.w.looper_armed = false;
        if self.w.looper_started || self.rec.recovered_at.is_some() {
            return;
        }
        self.w.looper_started = true;
        self.rec.recovery_started_at.get_or_insert(now);
        self.trace(now, TraceKind::RoomLooperStarted);
        let d = self.recorded_step(StepId::ManualReplay);
        self.queue.schedule(self.people(now, d), Ev::LooperDone);
    }

    /// A safeguard switched on by the room acts from now on (see `intervention`).
    fn enable_safeguard(&mut self, now: SimTime, id: SafeguardId, params: &Params) {
        use crate::safeguards::Stage;
        let too_late = match id.stage() {
            // Their moment is the merge (or, for the deploy notice, the deploy).
            Stage::Prevent | Stage::Contain => self.rec.merged_at.is_some(),
            _ if id == SafeguardId::DeployNotice => self.rec.gone_at.is_some(),
            _ => false,
        };
        if too_late {
            self.trace(now, TraceKind::SafeguardTooLate { safeguard: id });
            return;
        }
        let mut config = Config::none();
        config.enable(id);
        for (spec, &value) in id.params().iter().zip(&params.0) {
            // A value out of range keeps the default (the exercise and the command line check
            // them before they get here).
            let _ = config.set(id, spec.key, value);
        }
        self.g.take(id, &Safeguards::from_config(&config));
        self.trace(now, TraceKind::SafeguardSwitchedOn { safeguard: id });
        let outage_on = self.rec.gone_at.is_some() && self.rec.restored_at.is_none();
        match id {
            SafeguardId::UptimeCheck | SafeguardId::SloBurnAlert | SafeguardId::AbsentAlert
                if outage_on =>
            {
                self.start_monitors_from(now, now);
            }
            SafeguardId::RollbackRunbook if outage_on => {
                // Responders diagnosing by hand switch to the runbook if it is sooner.
                if let (Some(runbook), true, false) = (
                    self.g.runbook,
                    self.w.reinstate.is_some(),
                    self.w.reinstate_how == Mitigation::Runbook,
                ) {
                    let d = self.safeguard_delay(runbook, Stream::Runbook);
                    if self.people(now, d) < self.w.reinstate_end {
                        self.schedule_reinstate(now, d, Mitigation::Runbook);
                    }
                }
                // So does the room's rollback under way.
                if self.w.room_restore.is_some() {
                    let at = self.people(now, self.room_rollback_delay());
                    if at < self.w.room_restore_at {
                        self.schedule_room_restore(at);
                    }
                }
            }
            _ => {}
        }
    }

    fn curveball(&mut self, now: SimTime, curveball: Curveball) {
        self.trace(
            now,
            TraceKind::CurveballFired {
                curveball: curveball.id(),
            },
        );
        // A curveball fired again changes nothing more.
        match curveball {
            Curveball::ImageMissing { rebuild } => {
                self.w.image_missing.get_or_insert(rebuild);
            }
            Curveball::LooperFails { failed_share } => {
                self.w.looper_fails.get_or_insert((now, failed_share));
            }
            Curveball::PagerDown { gather } => {
                self.w.pager_down.get_or_insert(gather);
            }
            Curveball::MergerAway { diagnosis_factor } => {
                if self.w.merger_away.is_some() {
                    return;
                }
                self.w.merger_away = Some(diagnosis_factor);
                let diagnosing = matches!(
                    self.w.reinstate_how,
                    Mitigation::Recorded | Mitigation::KnownCause
                );
                if self.w.reinstate.is_some() && diagnosing {
                    // What is left of the diagnosis under way takes longer.
                    let done = match self.iv.busy() {
                        None => now - self.w.reinstate_start,
                        Some(window) => window.work_done(self.w.reinstate_start, now),
                    };
                    let left = (self.w.reinstate_work - done).max(0);
                    self.trace(now, TraceKind::DiagnosisSlowed);
                    self.schedule_reinstate(
                        now,
                        crate::time::scale_ms(left, diagnosis_factor),
                        self.w.reinstate_how,
                    );
                    // With the runbook at hand, they revert by it instead if that is sooner.
                    if let Some(runbook) = self.g.runbook {
                        let d = self.safeguard_delay(runbook, Stream::Runbook);
                        if self.people(now, d) < self.w.reinstate_end {
                            self.schedule_reinstate(now, d, Mitigation::Runbook);
                        }
                    }
                }
            }
            Curveball::SecondIncident { .. } => {
                if !self.w.second_incident_fired {
                    self.w.second_incident_fired = true;
                    if let Some(window) = self.iv.busy() {
                        self.queue.schedule(window.until, Ev::SecondIncidentOver);
                    }
                }
            }
        }
    }

    // --- Accounting --------------------------------------------------------------------------

    /// Computes the data toll and the error budget once the run is over.
    fn finish(&mut self) {
        self.rec.engine_events = self.queue.handled();
        let Some(restored) = self.rec.restored_at else {
            return;
        };
        let plan = self.plan;
        let profile = &self.w.profile;
        let exposure = profile.integral(restored); // share-weighted milliseconds
        self.rec.sites_affected = plan.sites * profile.peak();
        self.rec.error_budget_used = exposure / plan.error_budget;
        let Some(gone) = profile.gone else {
            return;
        };
        // The share of sites without the service, step by step, until the restore.
        let mut shares = [(0, 0.0); MAX_WAVES];
        let steps = (profile.waves as usize).clamp(1, MAX_WAVES);
        for (k, slot) in shares.iter_mut().enumerate().take(steps) {
            *slot = profile.step(k as u32);
        }
        let reread = match self.w.replay_read {
            None => Reread::None,
            Some((at, true)) => Reread::Automatic {
                at,
                delivered: self.rec.recovered_at.unwrap_or(at),
            },
            Some((at, false)) => Reread::Looper {
                at,
                failed_share: match self.w.looper_fails {
                    Some((from, share)) if at >= from => share,
                    _ => 0.0,
                },
            },
        };
        self.rec.events = plan.delivery.count(
            plan.sites,
            &Outage {
                gone,
                restored,
                shares: &shares[..steps],
            },
            reread,
        );
    }
}

fn permille(share: f64) -> u16 {
    (share.clamp(0.0, 1.0) * 1000.0 + 0.5) as u16
}

/// The most waves a staged rollout can have (the catalog's maximum; a test checks they agree).
const MAX_WAVES: usize = 10;

/// When a staged rollout's waves come (offsets from the first wave) and whether its analysis
/// aborts it.
struct RolloutPlan {
    waves: [Option<Millis>; MAX_WAVES],
    abort_after: Option<Millis>,
}

impl RolloutPlan {
    /// Waves on their timer: an analysis that does not see the breakage passes every check.
    fn timed(canary: &Canary) -> RolloutPlan {
        let mut waves = [None; MAX_WAVES];
        for (k, slot) in waves.iter_mut().enumerate().take(canary.waves as usize) {
            *slot = Some(canary.wave_interval * k as i64);
        }
        RolloutPlan {
            waves,
            abort_after: None,
        }
    }
}

/// The share of sites without the service over time, as seen at the edge: 0 before the
/// service goes, then a non-decreasing step function: 1 at once without a staged rollout, one
/// step per synced wave with it (wave k comes (k − 1) wave intervals after the first). Windowed
/// averages therefore only grow while the outage lasts, which lets `first_above` solve for the
/// crossing exactly. It is computed from the rollout's plan rather than stored, so a run does
/// not initialise a table it rarely needs.
#[derive(Clone, Copy, Debug)]
struct ErrorProfile {
    /// When the first sites lost the service (`None` before that).
    gone: Option<SimTime>,
    /// Waves synced so far (1 without a staged rollout).
    waves: u32,
    /// When each synced wave was synced.
    synced: [SimTime; MAX_WAVES],
    canary: Option<Canary>,
}

impl ErrorProfile {
    fn new() -> ErrorProfile {
        ErrorProfile {
            gone: None,
            waves: 0,
            synced: [0; MAX_WAVES],
            canary: None,
        }
    }

    fn start(&mut self, at: SimTime, canary: Option<Canary>) {
        self.gone = Some(at);
        self.waves = 1;
        self.synced[0] = at;
        self.canary = canary;
    }

    /// Wave `wave` (1-based) is synced at `at`.
    fn sync(&mut self, at: SimTime, wave: u32) {
        let k = (wave as usize).clamp(1, MAX_WAVES) - 1;
        self.synced[k] = at;
        self.waves = self.waves.max(k as u32 + 1);
    }

    /// Step `k` (0-based) of the profile: when it starts and the share from then on.
    #[inline]
    fn step(&self, k: u32) -> (SimTime, f64) {
        let at = self.synced[(k as usize).min(MAX_WAVES - 1)];
        match self.canary {
            Some(c) => (at, c.share_after(k + 1)),
            None => (at, 1.0),
        }
    }

    /// The share without the service now, which is also the largest it has been.
    #[inline]
    fn current(&self) -> f64 {
        match (self.gone, self.canary) {
            (None, _) => 0.0,
            (Some(_), None) => 1.0,
            (Some(_), Some(c)) => c.share_after(self.waves),
        }
    }

    /// The largest share that has been without the service.
    #[inline]
    fn peak(&self) -> f64 {
        self.current()
    }

    /// When every site had lost the service.
    fn full_at(&self) -> Option<SimTime> {
        self.gone?;
        (0..self.waves)
            .map(|k| self.step(k))
            .find(|s| s.1 >= 1.0)
            .map(|s| s.0)
    }

    /// ∫ error ratio from −∞ to `t`, in share-weighted milliseconds.
    fn integral(&self, t: SimTime) -> f64 {
        let Some(gone) = self.gone else {
            return 0.0;
        };
        if self.canary.is_none() {
            return (t - gone).max(0) as f64;
        }
        let mut total = 0.0;
        for k in 0..self.waves {
            let (from, share) = self.step(k);
            if t <= from {
                break;
            }
            let to = if k + 1 < self.waves {
                self.step(k + 1).0.min(t)
            } else {
                t
            };
            total += share * (to - from) as f64;
        }
        total
    }

    /// Errors within the window of length `w` ending at `t`.
    fn window(&self, t: SimTime, w: Millis) -> f64 {
        self.integral(t) - self.integral(t - w)
    }

    /// The first millisecond at which the average error ratio over the trailing window `w`
    /// exceeds `threshold`, or `None` if it never does.
    fn first_above(&self, w: Millis, threshold: f64) -> Option<SimTime> {
        let gone = self.gone?;
        let target = threshold * w as f64;
        // The windowed integral is piecewise linear with breakpoints at each step and one
        // window after it; beyond the last of those it is constant.
        let mut points = [SimTime::MAX; 2 * MAX_WAVES];
        let used = (self.waves as usize).min(MAX_WAVES);
        for k in 0..used {
            let at = self.step(k as u32).0;
            points[2 * k] = at;
            points[2 * k + 1] = at + w;
        }
        let points = &mut points[..2 * used];
        points.sort_unstable();
        let mut prev = gone;
        for &b in points.iter() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stepped_profile_integrates_and_crosses_exactly() {
        let canary = Canary::new(0.1, 2, 600_000, 60_000, 5, 0.8, 0.0);
        let mut p = ErrorProfile::new();
        p.start(0, Some(canary));
        p.sync(600_000, 2);
        assert_eq!(p.integral(600_000), 60_000.0);
        assert_eq!(p.integral(660_000), 120_000.0);
        assert_eq!(p.full_at(), Some(600_000));
        // 1 h window at 1.44 %: 51 840 ms of errors; 60 000 of them are in by 600 s.
        assert_eq!(p.first_above(HOUR, 0.0144), Some(518_401));
        let mut full = ErrorProfile::new();
        full.start(1_000, None);
        assert_eq!(full.integral(61_000), 60_000.0);
        assert_eq!(full.first_above(HOUR, 0.0144), Some(1_000 + 51_841));
    }

    #[test]
    fn the_profile_holds_every_wave_the_catalog_allows() {
        let (_, waves) = SafeguardId::Canary.param("waves").unwrap();
        assert_eq!(waves.max as usize, MAX_WAVES);
    }
}
