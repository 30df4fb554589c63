//! A scenario and a configuration prepared for running: every median resolved to milliseconds
//! and every enabled safeguard's parameters turned into typed values. Built once per
//! configuration, then shared by all the runs of a Monte Carlo batch.

use crate::rng::Stream;
use crate::safeguards::{Config, SafeguardId};
use crate::scenario::{Scenario, Step};
use crate::time::{Millis, SimTime, SECOND};

/// A log-normal delay with its median in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Delay {
    pub median: Millis,
    pub sigma: f64,
}

impl Delay {
    fn of(scenario: &Scenario, step: &Step) -> Delay {
        Delay {
            median: scenario.median(step),
            sigma: step.sigma,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Canary {
    pub share: f64,
    pub window: Millis,
    pub detect_probability: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uptime {
    pub interval: Millis,
    pub retries: u32,
    pub retry_interval: Millis,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SloBurn {
    pub slo: f64,
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

/// The typed safeguards of a configuration (`None` = off).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Safeguards {
    pub review: Option<f64>,
    pub deletion_guard: Option<f64>,
    pub prune_protection: bool,
    pub canary: Option<Canary>,
    pub uptime: Option<Uptime>,
    pub slo_burn: Option<SloBurn>,
    pub absent: Option<Absent>,
    pub notice: Option<Notice>,
    pub paging: Option<Paging>,
    pub runbook: Option<Delay>,
    pub auto_rollback: Option<AutoRollback>,
    pub auto_replay: Option<Millis>,
    pub status_automation: Option<Millis>,
}

/// Spread of the safeguards' own human delays (reading a post, acknowledging a page, running a
/// runbook): an assumption, like the spreads of the recorded steps.
pub const SAFEGUARD_SIGMA: f64 = 0.5;

fn ms(seconds: f64) -> Millis {
    (seconds * SECOND as f64).round() as Millis
}

impl Safeguards {
    pub fn from_config(config: &Config) -> Safeguards {
        use SafeguardId::*;
        let v = |id: SafeguardId, key: &str| config.value(id, key).expect("catalog key");
        let on = |id: SafeguardId| config.is_enabled(id);
        Safeguards {
            review: on(Review).then(|| v(Review, "catch_probability")),
            deletion_guard: on(DeletionGuard).then(|| v(DeletionGuard, "block_probability")),
            prune_protection: on(PruneProtection),
            canary: on(Canary).then(|| self::Canary {
                share: v(Canary, "share"),
                window: ms(v(Canary, "analysis_window_s")),
                detect_probability: v(Canary, "detect_probability"),
            }),
            uptime: on(UptimeCheck).then(|| Uptime {
                interval: ms(v(UptimeCheck, "interval_s")),
                retries: v(UptimeCheck, "retries") as u32,
                retry_interval: ms(v(UptimeCheck, "retry_interval_s")),
            }),
            slo_burn: on(SloBurnAlert).then(|| SloBurn {
                slo: v(SloBurnAlert, "slo"),
                at_edge: v(SloBurnAlert, "measured_at") == 0.0,
                eval_interval: ms(v(SloBurnAlert, "eval_interval_s")),
            }),
            absent: on(AbsentAlert).then(|| self::Absent {
                scrape_interval: ms(v(AbsentAlert, "scrape_interval_s")),
                eval_interval: ms(v(AbsentAlert, "eval_interval_s")),
                for_duration: ms(v(AbsentAlert, "for_s")),
            }),
            notice: on(DeployNotice).then(|| Notice {
                read_probability: v(DeployNotice, "read_probability"),
                read_delay: Delay {
                    median: ms(v(DeployNotice, "read_delay_s")),
                    sigma: SAFEGUARD_SIGMA,
                },
            }),
            paging: on(AutoPage).then(|| Paging {
                levels: v(AutoPage, "levels") as u8,
                timeout: ms(v(AutoPage, "timeout_s")),
                answer_probability: v(AutoPage, "answer_probability"),
                ack_delay: Delay {
                    median: ms(v(AutoPage, "ack_delay_s")),
                    sigma: SAFEGUARD_SIGMA,
                },
            }),
            runbook: on(RollbackRunbook).then(|| Delay {
                median: ms(v(RollbackRunbook, "revert_s")),
                sigma: SAFEGUARD_SIGMA,
            }),
            auto_rollback: on(SafeguardId::AutoRollback).then(|| self::AutoRollback {
                window: ms(v(SafeguardId::AutoRollback, "window_s")),
                revert_within: ms(v(SafeguardId::AutoRollback, "revert_s")),
            }),
            auto_replay: on(AutoReplay).then(|| ms(v(AutoReplay, "duration_s"))),
            status_automation: on(StatusAutomation).then(|| ms(v(StatusAutomation, "delay_s"))),
        }
    }
}

/// The steps of the recorded response chain, in chain order. Each draws from its own stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainStep {
    HumanDiscovery,
    NotifyOwner,
    Mobilize,
    StatusPost,
    DiagnoseAndReinstate,
    Confirm,
    RequestRecovery,
    StatusMonitoring,
    ManualReplay,
    Resolve,
}

/// How many steps the recorded chain has.
pub const CHAIN_STEPS: usize = 10;

impl ChainStep {
    pub const ALL: [ChainStep; CHAIN_STEPS] = [
        ChainStep::HumanDiscovery,
        ChainStep::NotifyOwner,
        ChainStep::Mobilize,
        ChainStep::StatusPost,
        ChainStep::DiagnoseAndReinstate,
        ChainStep::Confirm,
        ChainStep::RequestRecovery,
        ChainStep::StatusMonitoring,
        ChainStep::ManualReplay,
        ChainStep::Resolve,
    ];

    /// The random stream the step draws its delay from.
    pub fn stream(self) -> Stream {
        match self {
            ChainStep::HumanDiscovery => Stream::Discovery,
            ChainStep::NotifyOwner => Stream::NotifyOwner,
            ChainStep::Mobilize => Stream::Mobilize,
            ChainStep::StatusPost => Stream::StatusPost,
            ChainStep::DiagnoseAndReinstate => Stream::Reinstate,
            ChainStep::Confirm => Stream::Confirm,
            ChainStep::RequestRecovery => Stream::RequestRecovery,
            ChainStep::StatusMonitoring => Stream::StatusMonitoring,
            ChainStep::ManualReplay => Stream::ManualReplay,
            ChainStep::Resolve => Stream::Resolve,
        }
    }

    fn step(self, steps: &crate::scenario::Steps) -> &Step {
        match self {
            ChainStep::HumanDiscovery => &steps.human_discovery,
            ChainStep::NotifyOwner => &steps.notify_owner,
            ChainStep::Mobilize => &steps.mobilize,
            ChainStep::StatusPost => &steps.status_post,
            ChainStep::DiagnoseAndReinstate => &steps.diagnose_and_reinstate,
            ChainStep::Confirm => &steps.confirm,
            ChainStep::RequestRecovery => &steps.request_recovery,
            ChainStep::StatusMonitoring => &steps.status_monitoring,
            ChainStep::ManualReplay => &steps.manual_replay,
            ChainStep::Resolve => &steps.resolve,
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
    /// The recorded chain's delays, indexed by `ChainStep`.
    pub chain: [Delay; CHAIN_STEPS],
    /// Alert in a channel → someone takes it (exists only with alerting safeguards).
    pub chat_notice: Delay,
    pub sites: f64,
    /// Calendar events per site per millisecond.
    pub event_rate: f64,
    pub replay_horizon: Millis,
    pub manual_duplicate_share: f64,
    /// Allowed downtime (site-weighted) of the error budget, in milliseconds.
    pub error_budget: f64,
    pub safeguards: Safeguards,
    pub config: Config,
}

impl Plan {
    pub fn delay(&self, step: ChainStep) -> Delay {
        self.chain[step as usize]
    }

    pub fn new(scenario: &Scenario, config: &Config) -> Plan {
        let s = &scenario.steps;
        let a = &scenario.assumptions;
        Plan {
            merge_at: scenario.impact_start() - s.gitops_sync.median(),
            gitops_sync_max: s.gitops_sync.max,
            chain: ChainStep::ALL.map(|step| Delay::of(scenario, step.step(s))),
            chat_notice: Delay::of(scenario, &s.chat_notice),
            sites: a.sites.value,
            event_rate: a.events_per_site_hour.value / 3_600_000.0,
            replay_horizon: ms(a.replay_horizon_s.value),
            manual_duplicate_share: a.manual_duplicate_share.value,
            error_budget: (1.0 - a.slo_target.value) * a.slo_window_days.value * 86_400_000.0,
            safeguards: Safeguards::from_config(config),
            config: *config,
        }
    }
}
