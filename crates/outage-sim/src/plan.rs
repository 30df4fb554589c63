//! A scenario and a configuration prepared for running: every step's delay resolved to
//! milliseconds (the recorded one a replay keeps, and the calibrated median Monte Carlo draws
//! around), the assumptions in engine units, and every enabled safeguard's typed parameters
//! turned into engine units. Built once per configuration, then shared by all the runs of a
//! Monte Carlo batch.

use strum::EnumCount;

use crate::delivery::{DeliveryPath, WorkingDay};
use crate::rng::{median_preserving_scale, StreamId};
use crate::safeguards::{Config, MeasuredAt, SafeguardId};
use crate::scenario::{AssumptionId, Calibration, Scaling, Scenario, StepId, Workload};
use crate::time::{scale_ms, Millis, SimTime, HOUR, SECOND};

/// A log-normal delay with its median in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Delay {
    pub median: Millis,
    pub sigma: f64,
}

/// One step of the response as a run uses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepDelay {
    /// The delay a replay keeps: the record's, for the whole of the recorded outage (or the
    /// stated median of a step the record does not have).
    pub recorded: Millis,
    /// The median Monte Carlo draws around: `recorded` times the calibration factor, and
    /// scaled so the tail keeps the median (`median_preserving_scale`). A replay draws only
    /// the stated steps, around the same scaled median.
    pub median: Millis,
    pub sigma: f64,
    pub scaling: Scaling,
    /// The stream it draws from (from the step table, resolved once here for the hot loop).
    pub stream: StreamId,
    /// A step of the recorded chain, fixed when the service goes.
    pub in_chain: bool,
}

impl StepDelay {
    pub fn sampled(&self) -> Delay {
        Delay {
            median: self.median,
            sigma: self.sigma,
        }
    }
}

/// A staged rollout, in engine units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Canary {
    pub first_wave_share: f64,
    /// The share of sites each later wave adds: the rest split evenly.
    pub later_wave_share: f64,
    pub waves: u32,
    pub wave_interval: Millis,
    /// Time between two checks of the analysis.
    pub check_interval: Millis,
    /// Failed checks that abort the rollout.
    pub failure_threshold: u32,
    /// Chance that one check of the broken wave fails (the signal is noisy).
    pub check_failure_probability: f64,
    /// Chance that the analysis watches what the deletion breaks at all.
    pub detect_probability: f64,
}

impl Canary {
    /// A rollout of `waves` waves (at least one; with one wave the first is every site, so
    /// `first_wave_share` has no effect: `Config::notes` says so).
    pub fn new(
        first_wave_share: f64,
        waves: u32,
        wave_interval: Millis,
        check_interval: Millis,
        failure_threshold: u32,
        check_failure_probability: f64,
        detect_probability: f64,
    ) -> Canary {
        let waves = waves.max(1);
        Canary {
            first_wave_share,
            later_wave_share: if waves > 1 {
                (1.0 - first_wave_share) / f64::from(waves - 1)
            } else {
                0.0
            },
            waves,
            wave_interval,
            check_interval,
            failure_threshold: failure_threshold.max(1),
            check_failure_probability,
            detect_probability,
        }
    }

    /// The share of sites that has the change once `wave` waves (1-based) are synced.
    #[inline]
    pub fn share_after(&self, wave: u32) -> f64 {
        if wave >= self.waves {
            return 1.0;
        }
        (self.first_wave_share + self.later_wave_share * f64::from(wave.max(1) - 1)).min(1.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uptime {
    pub interval: Millis,
    pub retries: u32,
    pub retry_interval: Millis,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SloBurn {
    pub at_edge: bool,
    /// 0 = continuous evaluation.
    pub eval_interval: Millis,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Absent {
    pub scrape_interval: Millis,
    pub eval_interval: Millis,
    pub for_duration: Millis,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Notice {
    pub read_probability: f64,
    pub read_delay: Delay,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paging {
    pub levels: u8,
    pub timeout: Millis,
    pub answer_probability: f64,
    pub ack_delay: Delay,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AutoRollback {
    pub window: Millis,
    pub revert_within: Millis,
}

/// The safeguards of a configuration in engine units (`None` = off).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Safeguards {
    /// Chance review catches the deletion.
    pub review: Option<f64>,
    /// Chance the policy blocks the merge.
    pub deletion_guard: Option<f64>,
    /// Chance the deletion gets through prune protection anyway.
    pub prune_protection: Option<f64>,
    pub canary: Option<Canary>,
    pub uptime: Option<Uptime>,
    pub slo_burn: Option<SloBurn>,
    pub absent: Option<Absent>,
    pub notice: Option<Notice>,
    pub paging: Option<Paging>,
    pub runbook: Option<Delay>,
    pub auto_rollback: Option<AutoRollback>,
    /// Backfill duration at the scenario's reference volume.
    pub auto_replay: Option<Millis>,
    pub status_automation: Option<Millis>,
}

impl Safeguards {
    /// Sets one safeguard's entry to `from`'s (on, with its values, or off): how a safeguard
    /// switched on during a run takes effect.
    pub fn take(&mut self, id: SafeguardId, from: &Safeguards) {
        use SafeguardId as S;
        match id {
            S::Review => self.review = from.review,
            S::DeletionGuard => self.deletion_guard = from.deletion_guard,
            S::PruneProtection => self.prune_protection = from.prune_protection,
            S::Canary => self.canary = from.canary,
            S::UptimeCheck => self.uptime = from.uptime,
            S::SloBurnAlert => self.slo_burn = from.slo_burn,
            S::AbsentAlert => self.absent = from.absent,
            S::DeployNotice => self.notice = from.notice,
            S::AutoPage => self.paging = from.paging,
            S::RollbackRunbook => self.runbook = from.runbook,
            S::AutoRollback => self.auto_rollback = from.auto_rollback,
            S::AutoReplay => self.auto_replay = from.auto_replay,
            S::StatusAutomation => self.status_automation = from.status_automation,
        }
    }
}

/// Spread of the safeguards' own human delays (reading a post, acknowledging a page, running a
/// runbook): an assumption, like the spreads of the recorded steps.
pub const SAFEGUARD_SIGMA: f64 = 0.5;

/// Seconds (validated finite and in range) to whole milliseconds, half up.
fn ms(seconds: f64) -> Millis {
    (seconds * SECOND as f64 + 0.5) as Millis
}

impl Safeguards {
    pub fn from_config(config: &Config) -> Safeguards {
        let t = config.typed();
        Safeguards {
            review: t.review.map(|p| p.catch_probability),
            deletion_guard: t.deletion_guard.map(|p| p.block_probability),
            prune_protection: t.prune_protection.map(|p| p.bypass_probability),
            canary: t.canary.map(|p| {
                Canary::new(
                    p.first_wave_share,
                    p.waves,
                    ms(p.wave_interval_s),
                    ms(p.interval_s),
                    p.failure_threshold,
                    p.check_failure_probability,
                    p.detect_probability,
                )
            }),
            uptime: t.uptime_check.map(|p| Uptime {
                interval: ms(p.interval_s),
                retries: p.retries,
                retry_interval: ms(p.retry_interval_s),
            }),
            slo_burn: t.slo_burn_alert.map(|p| SloBurn {
                at_edge: p.measured_at == MeasuredAt::Edge,
                eval_interval: ms(p.eval_interval_s),
            }),
            absent: t.absent_alert.map(|p| Absent {
                scrape_interval: ms(p.scrape_interval_s),
                eval_interval: ms(p.eval_interval_s),
                for_duration: ms(p.for_s),
            }),
            notice: t.deploy_notice.map(|p| Notice {
                read_probability: p.read_probability,
                read_delay: Delay {
                    median: ms(p.read_delay_s),
                    sigma: SAFEGUARD_SIGMA,
                },
            }),
            paging: t.auto_page.map(|p| Paging {
                levels: p.levels.clamp(1, u32::from(u8::MAX)) as u8,
                timeout: ms(p.timeout_s),
                answer_probability: p.answer_probability,
                ack_delay: Delay {
                    median: ms(p.ack_delay_s),
                    sigma: SAFEGUARD_SIGMA,
                },
            }),
            runbook: t.rollback_runbook.map(|p| Delay {
                median: ms(p.revert_s),
                sigma: SAFEGUARD_SIGMA,
            }),
            auto_rollback: t.auto_rollback.map(|p| AutoRollback {
                window: ms(p.window_s),
                revert_within: ms(p.revert_s),
            }),
            auto_replay: t.auto_replay.map(|p| ms(p.duration_s)),
            status_automation: t.status_automation.map(|p| ms(p.delay_s)),
        }
    }
}

/// Everything a run needs, resolved once.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// When the pull request merges: the assumed impact start minus the median GitOps delay,
    /// so that a replay of the record puts the service's disappearance exactly at the assumption.
    pub merge_at: SimTime,
    pub gitops_sync_max: Millis,
    /// Every step's delays, indexed by `StepId`.
    pub steps: [StepDelay; StepId::COUNT],
    /// The calibration the sampled medians come from (none for a replay).
    pub calibration: Calibration,
    pub sites: f64,
    pub workload: Workload,
    /// How calendar changes reach the service, and what an outage costs them.
    pub delivery: DeliveryPath,
    /// An alert's pointer to the change fades by half every this long after the change.
    pub change_cue_half_life: Millis,
    /// In Monte Carlo, the share of a step's draws in which the one who knows is away, and how
    /// many times as long those take.
    pub away_share: f64,
    pub away_factor: f64,
    /// Status page updates after the first post, until Monitoring.
    pub status_cadence: Millis,
    /// The availability objective (the scenario's `slo_target`): the error budget metric and
    /// the burn-rate alert both use it, so there is one SLO.
    pub slo_target: f64,
    /// Allowed downtime (site-weighted) of the error budget, in milliseconds.
    pub error_budget: f64,
    pub safeguards: Safeguards,
    pub config: Config,
}

impl Plan {
    /// The plan for Monte Carlo: step medians times the scenario's fixed calibration (see
    /// `calibration`), so the median run's composite durations are the record's.
    pub fn new(scenario: &Scenario, config: &Config) -> Plan {
        Plan::build(scenario, config, true)
    }

    /// The plan for a replay (`Mode::Recorded`), which keeps the recorded delays.
    pub fn for_replay(scenario: &Scenario, config: &Config) -> Plan {
        Plan::build(scenario, config, false)
    }

    fn build(scenario: &Scenario, config: &Config, sampled: bool) -> Plan {
        let s = &scenario.steps;
        let a = &scenario.assumptions;
        let recorded = scenario.recorded_steps();
        let calibration = if sampled {
            Calibration::from_parts(
                StepId::ALL.map(|id| scenario.monte_carlo_factor(id)),
                StepId::ALL.map(|id| scenario.calibration.sigma(id)),
            )
        } else {
            Calibration::none()
        };
        let away_share = a.value(AssumptionId::AwayShare);
        let away_factor = a.value(AssumptionId::AwayFactor);
        let steps = StepId::ALL.map(|id| StepDelay {
            recorded: recorded[id.index()],
            median: scale_ms(
                recorded[id.index()],
                calibration.factor(id)
                    * median_preserving_scale(s[id].sigma, away_share, away_factor),
            ),
            sigma: s[id].sigma,
            scaling: id.row().scaling,
            stream: id.into(),
            in_chain: id.is_recorded(),
        });
        let hours = |id| (a.value(id) * HOUR as f64).round() as Millis;
        Plan {
            merge_at: scenario.impact_start() - s.gitops_sync.median(),
            gitops_sync_max: s.gitops_sync.max,
            steps,
            calibration,
            sites: a.value(AssumptionId::Sites),
            workload: scenario.workload(),
            delivery: DeliveryPath {
                rate: a.value(AssumptionId::EventsPerSiteHour) / HOUR as f64,
                day: WorkingDay {
                    start: hours(AssumptionId::WorkingDayStartH),
                    end: hours(AssumptionId::WorkingDayEndH),
                    off_share: a.value(AssumptionId::OffHoursShare),
                    offset: scenario.clock.origin_time_of_day(),
                },
                retry_window: ms(a.value(AssumptionId::NotificationRetryWindowS)),
                drop_share: a.value(AssumptionId::NotificationDropShare),
                subscription_lifetime: ms(a.value(AssumptionId::SubscriptionLifetimeS)),
                meeting_lead: hours(AssumptionId::MeetingLeadH),
                replay_horizon: ms(a.value(AssumptionId::ReplayHorizonS)),
                duplicate_share: a.value(AssumptionId::ManualDuplicateShare),
            },
            change_cue_half_life: ms(a.value(AssumptionId::ChangeCueHalfLifeS)),
            away_share,
            away_factor,
            status_cadence: ms(a.value(AssumptionId::StatusCadenceS)),
            slo_target: a.value(AssumptionId::SloTarget),
            error_budget: (1.0 - a.value(AssumptionId::SloTarget))
                * a.value(AssumptionId::SloWindowDays)
                * 86_400_000.0,
            safeguards: Safeguards::from_config(config),
            config: *config,
        }
    }

    pub fn step(&self, id: StepId) -> &StepDelay {
        &self.steps[id.index()]
    }
}
