//! What a run leaves behind: the trace of what happened when (for the app's ghost timeline and
//! `run --trace`), and the detectors and outcomes it names.

use serde::Serialize;

use crate::safeguards::SafeguardId;
use crate::scenario::Lane;
use crate::time::SimTime;

/// Who or what noticed the outage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// Support and Engineering noticing, as on the day.
    People,
    UptimeCheck,
    SloBurnAlert,
    AbsentAlert,
    DeployNotice,
    CanaryAnalysis,
}

impl Detector {
    pub const ALL: [Detector; 6] = [
        Detector::People,
        Detector::UptimeCheck,
        Detector::SloBurnAlert,
        Detector::AbsentAlert,
        Detector::DeployNotice,
        Detector::CanaryAnalysis,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn id(self) -> &'static str {
        match self {
            Detector::People => "people",
            Detector::UptimeCheck => "uptime_check",
            Detector::SloBurnAlert => "slo_burn_alert",
            Detector::AbsentAlert => "absent_alert",
            Detector::DeployNotice => "deploy_notice",
            Detector::CanaryAnalysis => "canary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Detector::People => "People (support & engineering)",
            Detector::UptimeCheck => "Uptime check",
            Detector::SloBurnAlert => "SLO burn-rate alert",
            Detector::AbsentAlert => "Absent-metrics alert",
            Detector::DeployNotice => "Deploy notice read",
            Detector::CanaryAnalysis => "Canary analysis",
        }
    }

    /// Monitor alerts are routed to a channel or a pager and can trigger automatic rollback.
    pub fn is_alert(self) -> bool {
        matches!(
            self,
            Detector::UptimeCheck | Detector::SloBurnAlert | Detector::AbsentAlert
        )
    }

    /// The safeguard that adds this detector (`None` for people).
    pub fn safeguard(self) -> Option<SafeguardId> {
        match self {
            Detector::People => None,
            Detector::UptimeCheck => Some(SafeguardId::UptimeCheck),
            Detector::SloBurnAlert => Some(SafeguardId::SloBurnAlert),
            Detector::AbsentAlert => Some(SafeguardId::AbsentAlert),
            Detector::DeployNotice => Some(SafeguardId::DeployNotice),
            Detector::CanaryAnalysis => Some(SafeguardId::Canary),
        }
    }
}

/// How the service came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoredBy {
    /// People reinstated the previous release by hand, as on the day.
    Reinstatement,
    /// People ran the one-step rollback runbook.
    Runbook,
    /// The automatic rollback reverted the merge.
    AutoRollback,
    /// The canary analysis aborted the rollout.
    CanaryAbort,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "by", rename_all = "snake_case")]
pub enum Outcome {
    /// The service never went away.
    Prevented(SafeguardId),
    /// Only the canary's share of sites was hit, and the rollout was aborted.
    Contained,
    /// The service went away for every site.
    Outage,
}

/// One thing that happened in a run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceKind {
    ReviewCaught,
    MergeBlocked,
    Merged,
    DriftReported,
    ServiceGone { share_permille: u16 },
    CanaryAborted,
    CanaryPromoted,
    UptimePending { attempt: u8 },
    UptimeDown,
    SloBurnFired,
    AbsentFired,
    NoticePosted,
    NoticeRead,
    PeopleNotice { first: bool },
    AlertInChannel,
    ChatNoticed,
    OwnerNotified,
    Paged { level: u8 },
    PageTimedOut { level: u8 },
    PageAcknowledged { level: u8 },
    PageExhausted,
    ManualPage,
    AutoRollbackTriggered,
    Restored { by: RestoredBy },
    Confirmed,
    StatusInvestigating { automated: bool },
    StatusMonitoring,
    RecoveryRequested,
    AutoReplayStarted,
    DataRecovered { automatic: bool },
    Resolved,
}

impl TraceKind {
    pub fn lane(self) -> Lane {
        use TraceKind::*;
        match self {
            ReviewCaught
            | MergeBlocked
            | Merged
            | DriftReported
            | CanaryAborted
            | CanaryPromoted
            | AutoRollbackTriggered => Lane::Change,
            Restored { by } => match by {
                RestoredBy::Reinstatement | RestoredBy::Runbook | RestoredBy::AutoRollback => {
                    Lane::Change
                }
                RestoredBy::CanaryAbort => Lane::Service,
            },
            ServiceGone { .. } | Confirmed => Lane::Service,
            UptimePending { .. }
            | UptimeDown
            | SloBurnFired
            | AbsentFired
            | NoticePosted
            | NoticeRead
            | PeopleNotice { .. }
            | AlertInChannel => Lane::Detection,
            ChatNoticed
            | OwnerNotified
            | Paged { .. }
            | PageTimedOut { .. }
            | PageAcknowledged { .. }
            | PageExhausted
            | ManualPage => Lane::People,
            StatusInvestigating { .. } | StatusMonitoring | Resolved => Lane::Customers,
            RecoveryRequested | AutoReplayStarted | DataRecovered { .. } => Lane::Data,
        }
    }

    /// What happened, for people.
    pub fn title(self) -> String {
        use TraceKind::*;
        match self {
            ReviewCaught => "Review catches the deletion; the pull request is not merged".into(),
            MergeBlocked => "Deletion guard blocks the merge".into(),
            Merged => "Pull request merged into production".into(),
            DriftReported => {
                "GitOps reports drift instead of deleting; the service stays up".into()
            }
            ServiceGone {
                share_permille: 1000,
            } => "Service gone for every site".into(),
            ServiceGone { share_permille } => {
                format!(
                    "Canary: service gone for {} % of sites",
                    crate::numfmt::trimmed(share_permille as f64 / 10.0, 1)
                )
            }
            CanaryAborted => "Canary analysis fails; rollout aborted".into(),
            CanaryPromoted => "Canary promoted; service gone for every site".into(),
            UptimePending { attempt } => format!("Uptime check fails (pending, retry {attempt})"),
            UptimeDown => "Uptime check marks the service down".into(),
            SloBurnFired => "SLO burn-rate alert fires".into(),
            AbsentFired => "Absent-metrics alert fires".into(),
            NoticePosted => "Deploy bot posts 'resource deleted in production'".into(),
            NoticeRead => "Someone reads the deploy notice and raises it".into(),
            PeopleNotice { first: true } => {
                "Support and Engineering discover the disruption".into()
            }
            PeopleNotice { first: false } => {
                "Support and Engineering also report the disruption".into()
            }
            AlertInChannel => "Alert posted in the team channel".into(),
            ChatNoticed => "Someone on the owning team takes the alert".into(),
            OwnerNotified => "Cloud Operations notified".into(),
            Paged { level } => format!("On-call paged (level {level})"),
            PageTimedOut { level } => {
                format!("Level {level} did not acknowledge; escalation timeout")
            }
            PageAcknowledged { level } => format!("Page acknowledged (level {level})"),
            PageExhausted => "Nobody acknowledged the page; the alert waits in the channel".into(),
            ManualPage => "PagerDuty triggered by hand to gather people".into(),
            AutoRollbackTriggered => "Automatic rollback reverts the merge".into(),
            Restored {
                by: RestoredBy::Reinstatement,
            } => "Previous release reinstated; service up".into(),
            Restored {
                by: RestoredBy::Runbook,
            } => "Runbook revert applied; service up".into(),
            Restored {
                by: RestoredBy::AutoRollback,
            } => "Revert applied by GitOps; service up".into(),
            Restored {
                by: RestoredBy::CanaryAbort,
            } => "Canary traffic back on the stable release".into(),
            Confirmed => "Engineering confirms the service is up".into(),
            StatusInvestigating { automated: true } => {
                "Status page: Investigating (automated)".into()
            }
            StatusInvestigating { automated: false } => "Status page: Investigating".into(),
            StatusMonitoring => "Status page: Monitoring".into(),
            RecoveryRequested => "Product requests recovery of missed events".into(),
            AutoReplayStarted => "Automatic replay of missed events starts".into(),
            DataRecovered { automatic: true } => "Missed events backfilled automatically".into(),
            DataRecovered { automatic: false } => {
                "Event sync looper run by hand for impacted sites".into()
            }
            Resolved => "Resolved".into(),
        }
    }

    /// The record event this corresponds to, when the run's step is one the record shows.
    pub fn record_id(self) -> Option<&'static str> {
        use TraceKind::*;
        Some(match self {
            Merged => "merged",
            PeopleNotice { first: true } => "discovered",
            OwnerNotified => "ops_notified",
            ManualPage => "paged",
            StatusInvestigating { automated: false } => "status_investigating",
            Restored {
                by: RestoredBy::Reinstatement,
            } => "reinstated",
            Confirmed => "confirmed",
            RecoveryRequested => "recovery_requested",
            StatusMonitoring => "status_monitoring",
            DataRecovered { automatic: false } => "looper_run",
            Resolved => "resolved",
            _ => return None,
        })
    }

    /// The safeguard that caused this event, if any.
    pub fn safeguard(self) -> Option<SafeguardId> {
        use SafeguardId as S;
        use TraceKind::*;
        Some(match self {
            ReviewCaught => S::Review,
            MergeBlocked => S::DeletionGuard,
            DriftReported => S::PruneProtection,
            ServiceGone { share_permille } if share_permille < 1000 => S::Canary,
            CanaryAborted
            | CanaryPromoted
            | Restored {
                by: RestoredBy::CanaryAbort,
            } => S::Canary,
            UptimePending { .. } | UptimeDown => S::UptimeCheck,
            SloBurnFired => S::SloBurnAlert,
            AbsentFired => S::AbsentAlert,
            NoticePosted | NoticeRead => S::DeployNotice,
            Paged { .. } | PageTimedOut { .. } | PageAcknowledged { .. } | PageExhausted => {
                S::AutoPage
            }
            AutoRollbackTriggered
            | Restored {
                by: RestoredBy::AutoRollback,
            } => S::AutoRollback,
            Restored {
                by: RestoredBy::Runbook,
            } => S::RollbackRunbook,
            StatusInvestigating { automated: true } => S::StatusAutomation,
            AutoReplayStarted | DataRecovered { automatic: true } => S::AutoReplay,
            _ => return None,
        })
    }
}

/// One event of a run's trace.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TraceEvent {
    pub at: SimTime,
    pub kind: TraceKind,
}

impl TraceEvent {
    pub fn lane(&self) -> Lane {
        self.kind.lane()
    }
}

/// Where a run writes its trace. Monte Carlo uses `()`, which records nothing and costs nothing.
pub trait TraceSink {
    fn record(&mut self, event: TraceEvent);
}

impl TraceSink for () {
    #[inline(always)]
    fn record(&mut self, _event: TraceEvent) {}
}

impl TraceSink for Vec<TraceEvent> {
    fn record(&mut self, event: TraceEvent) {
        self.push(event);
    }
}
