//! What a run leaves behind: the trace of what happened when (for the app's ghost timeline and
//! `run --trace`), and the detectors and outcomes it names.
//!
//! What each kind of trace event *is* (its lane, the record event it corresponds to, the
//! safeguard that caused it, whether its time in a replay is an assumption) is written in one
//! exhaustive match, `TraceKind::describe`; a new kind does not compile until it is described.
//! Its English title is a separate, equally exhaustive match, `TraceKind::title`, the words the
//! command line and the app show.

use serde::Serialize;
use strum::{EnumCount, VariantArray};

use crate::intervention::{ActionId, CurveballId, Gate, InterventionSource};
use crate::safeguards::SafeguardId;
use crate::scenario::{Lane, StepId};
use crate::time::SimTime;

/// Who or what noticed the outage.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, EnumCount, VariantArray,
)]
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
    pub const ALL: [Detector; Detector::COUNT] = crate::all_variants!(Detector);

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
            Detector::CanaryAnalysis => "Rollout analysis",
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
    /// The staged rollout's analysis halted it and rolled the hit waves back.
    CanaryAbort,
    /// The room decided to roll back to last week's release.
    RoomRollBack,
}

/// Why a decision of the room changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoEffect {
    /// The change was stopped before it reached production: there is nothing to respond to.
    NoOutage,
    /// The incident is already resolved.
    Resolved,
    /// The responders are already gathered.
    AlreadyGathered,
    /// The owning team already has the incident.
    AlreadyOwned,
    /// The service is already back.
    AlreadyRestored,
    /// A customer message is already posted.
    AlreadyPosted,
    /// The missed events are already recovered.
    AlreadyRecovered,
    /// The same thing is already under way.
    AlreadyStarted,
}

impl NoEffect {
    pub fn label(self) -> &'static str {
        match self {
            NoEffect::NoOutage => "there is no outage: the change never reached production",
            NoEffect::Resolved => "the incident is already resolved",
            NoEffect::AlreadyGathered => "the responders are already gathered",
            NoEffect::AlreadyOwned => "the owning team already has it",
            NoEffect::AlreadyRestored => "the service is already back",
            NoEffect::AlreadyPosted => "customers have already been told",
            NoEffect::AlreadyRecovered => "the missed events are already recovered",
            NoEffect::AlreadyStarted => "it is already under way",
        }
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "by", rename_all = "snake_case")]
pub enum Outcome {
    /// The service never went away.
    Prevented(SafeguardId),
    /// Only part of the sites was hit (the first waves of a staged rollout), and the rollout
    /// was aborted.
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
    /// Prune protection was on, but the deletion got through (a manual sync with prune).
    PruneBypassed,
    ServiceGone {
        share_permille: u16,
    },
    /// A later wave of a staged rollout got the change; the share now without the service.
    WaveSynced {
        wave: u8,
        share_permille: u16,
    },
    CanaryAborted,
    UptimePending {
        attempt: u8,
    },
    UptimeDown,
    SloBurnFired,
    AbsentFired,
    NoticePosted,
    NoticeRead,
    PeopleNotice {
        first: bool,
    },
    AlertInChannel,
    ChatNoticed,
    OwnerNotified,
    Paged {
        level: u8,
    },
    PageTimedOut {
        level: u8,
    },
    PageAcknowledged {
        level: u8,
    },
    PageExhausted,
    ManualPage,
    /// The responders' first cue names the change, so they start from it.
    ChangeSuspected,
    AutoRollbackTriggered,
    Restored {
        by: RestoredBy,
    },
    Confirmed,
    StatusInvestigating {
        automated: bool,
    },
    StatusMonitoring,
    /// An update on the status page's cadence while the incident is open.
    StatusUpdate,
    RecoveryRequested,
    AutoReplayStarted,
    DataRecovered {
        automatic: bool,
    },
    Resolved,
    // --- Interventions: the room's decisions and the facilitator's curveballs ---
    /// The room decides an action (at the moment it acts).
    RoomDecided {
        action: ActionId,
    },
    /// A response decided before the room could know to take it (see `Gate`): it acts once
    /// it could. Decided before the impact, it is a prevention exercise and waits the same way.
    RoomWaits {
        action: ActionId,
        until: Gate,
        before_impact: bool,
    },
    /// The room's decision changes nothing, and why.
    RoomNoEffect {
        action: ActionId,
        why: NoEffect,
    },
    /// On-call answers the room's page: the responders are gathered.
    RoomPageAnswered,
    /// The room's first customer message.
    RoomStatusPosted,
    /// The looper starts at the room's request.
    RoomLooperStarted,
    /// A safeguard switched on by the room acts from now on.
    SafeguardSwitchedOn {
        safeguard: SafeguardId,
    },
    /// A safeguard switched on by the room after the moment it acts at: it changes nothing.
    SafeguardTooLate {
        safeguard: SafeguardId,
    },
    CurveballFired {
        curveball: CurveballId,
    },
    /// The pager is down: a page (by hand, by the room, or automatic) reaches nobody.
    PageUndelivered {
        by_room: bool,
    },
    /// With the pager down, people are gathered by phone and chat.
    GatheredWithoutPager,
    /// The release image is missing: the restore waits for it to be rebuilt.
    ImageRebuildStarted,
    /// The looper failed for a share of the sites; their missed events are lost.
    LooperPartlyFailed {
        failed_permille: u16,
    },
    /// The person who merged is away: the diagnosis under way or to come takes longer.
    DiagnosisSlowed,
    SecondIncidentOver,
}

/// What a kind of trace event is, apart from its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TraceInfo {
    pub lane: Lane,
    /// The record event this is, when the run follows the record here.
    pub record_id: Option<&'static str>,
    /// The safeguard that caused it.
    pub safeguard: Option<SafeguardId>,
    /// Set when this event's time in a replay comes from an assumption rather than the record:
    /// what the assumption is. Shown as a mark next to the time.
    pub assumed: Option<&'static str>,
    /// Set when the room's decision or a curveball caused it.
    pub intervention: Option<InterventionSource>,
}

/// The record event a step of the recorded chain ends at.
fn ends(step: StepId) -> Option<&'static str> {
    step.record_event()
}

const MERGE_ASSUMED: &str = "The record does not say when the pull request merged: the assumed impact start minus half the GitOps poll interval.";
const CADENCE_ASSUMED: &str =
    "The record has no update between its status posts: the status cadence assumption.";
const GONE_ASSUMED: &str =
    "The record does not say when the service went away: the impact-start assumption.";

impl TraceKind {
    /// What this kind of event is: its lane, record event, safeguard and assumption mark.
    pub fn describe(self) -> TraceInfo {
        use SafeguardId as S;
        use TraceKind::*;
        let info = |lane: Lane, record_id: Option<&'static str>, safeguard: Option<SafeguardId>| {
            TraceInfo {
                lane,
                record_id,
                safeguard,
                assumed: None,
                intervention: None,
            }
        };
        let room = |lane: Lane| TraceInfo {
            intervention: Some(InterventionSource::Room),
            ..info(lane, None, None)
        };
        let curveball = |lane: Lane| TraceInfo {
            intervention: Some(InterventionSource::Curveball),
            ..info(lane, None, None)
        };
        match self {
            ReviewCaught => info(Lane::Change, None, Some(S::Review)),
            MergeBlocked => info(Lane::Change, None, Some(S::DeletionGuard)),
            Merged => TraceInfo {
                assumed: Some(MERGE_ASSUMED),
                ..info(Lane::Change, Some("merged"), None)
            },
            DriftReported => info(Lane::Change, None, Some(S::PruneProtection)),
            PruneBypassed => info(Lane::Change, None, Some(S::PruneProtection)),
            ServiceGone { share_permille } => TraceInfo {
                assumed: Some(GONE_ASSUMED),
                // Gone for only part of the sites: the first wave of a staged rollout.
                ..info(
                    Lane::Service,
                    None,
                    (share_permille < 1000).then_some(S::Canary),
                )
            },
            WaveSynced { .. } | CanaryAborted => info(Lane::Change, None, Some(S::Canary)),
            UptimePending { .. } | UptimeDown => info(Lane::Detection, None, Some(S::UptimeCheck)),
            SloBurnFired => info(Lane::Detection, None, Some(S::SloBurnAlert)),
            AbsentFired => info(Lane::Detection, None, Some(S::AbsentAlert)),
            NoticePosted | NoticeRead => info(Lane::Detection, None, Some(S::DeployNotice)),
            PeopleNotice { first: true } => {
                info(Lane::Detection, ends(StepId::HumanDiscovery), None)
            }
            PeopleNotice { first: false } => info(Lane::Detection, None, None),
            AlertInChannel => info(Lane::Detection, None, None),
            ChatNoticed => info(Lane::People, None, None),
            OwnerNotified => info(Lane::People, ends(StepId::NotifyOwner), None),
            Paged { .. } | PageTimedOut { .. } | PageAcknowledged { .. } | PageExhausted => {
                info(Lane::People, None, Some(S::AutoPage))
            }
            ManualPage => info(Lane::People, ends(StepId::Mobilize), None),
            ChangeSuspected => info(Lane::People, None, None),
            AutoRollbackTriggered => info(Lane::Change, None, Some(S::AutoRollback)),
            Restored {
                by: RestoredBy::Reinstatement,
            } => info(Lane::Change, ends(StepId::DiagnoseAndReinstate), None),
            Restored {
                by: RestoredBy::Runbook,
            } => info(Lane::Change, None, Some(S::RollbackRunbook)),
            Restored {
                by: RestoredBy::AutoRollback,
            } => info(Lane::Change, None, Some(S::AutoRollback)),
            Restored {
                by: RestoredBy::CanaryAbort,
            } => info(Lane::Service, None, Some(S::Canary)),
            Confirmed => info(Lane::Service, ends(StepId::Confirm), None),
            StatusInvestigating { automated: false } => {
                info(Lane::Customers, ends(StepId::StatusPost), None)
            }
            StatusInvestigating { automated: true } => {
                info(Lane::Customers, None, Some(S::StatusAutomation))
            }
            StatusMonitoring => info(Lane::Customers, ends(StepId::StatusMonitoring), None),
            // Its time is the cadence assumption's, not the record's.
            StatusUpdate => TraceInfo {
                assumed: Some(CADENCE_ASSUMED),
                ..info(Lane::Customers, None, None)
            },
            RecoveryRequested => info(Lane::Data, ends(StepId::RequestRecovery), None),
            AutoReplayStarted => info(Lane::Data, None, Some(S::AutoReplay)),
            DataRecovered { automatic: false } => {
                info(Lane::Data, ends(StepId::ManualReplay), None)
            }
            DataRecovered { automatic: true } => info(Lane::Data, None, Some(S::AutoReplay)),
            Resolved => info(Lane::Customers, ends(StepId::Resolve), None),
            Restored {
                by: RestoredBy::RoomRollBack,
            } => room(Lane::Change),
            RoomDecided { action } | RoomWaits { action, .. } | RoomNoEffect { action, .. } => {
                room(action.lane())
            }
            RoomPageAnswered => room(Lane::People),
            RoomStatusPosted => room(Lane::Customers),
            RoomLooperStarted => room(Lane::Data),
            SafeguardSwitchedOn { safeguard } | SafeguardTooLate { safeguard } => TraceInfo {
                safeguard: Some(safeguard),
                ..room(Lane::Change)
            },
            CurveballFired { curveball: c } => curveball(c.lane()),
            PageUndelivered { .. } | GatheredWithoutPager | SecondIncidentOver => {
                curveball(Lane::People)
            }
            ImageRebuildStarted | DiagnosisSlowed => curveball(Lane::Change),
            LooperPartlyFailed { .. } => curveball(Lane::Data),
        }
    }

    /// Whether the room's decision or a curveball caused this event.
    pub fn intervention(self) -> Option<InterventionSource> {
        self.describe().intervention
    }

    pub fn lane(self) -> Lane {
        self.describe().lane
    }

    /// The record event this corresponds to, when the run's step is one the record shows.
    pub fn record_id(self) -> Option<&'static str> {
        self.describe().record_id
    }

    /// The safeguard that caused this event, if any.
    pub fn safeguard(self) -> Option<SafeguardId> {
        self.describe().safeguard
    }

    /// What this event's time rests on when it is an assumption, not the record.
    pub fn assumed(self) -> Option<&'static str> {
        self.describe().assumed
    }

    /// What happened, in words (the command line and the app show it).
    pub fn title(self) -> String {
        use TraceKind::*;
        match self {
            ReviewCaught => "Review catches the deletion; the pull request is not merged".into(),
            MergeBlocked => "Deletion guard blocks the merge".into(),
            Merged => "Pull request merged into production".into(),
            DriftReported => {
                "GitOps reports drift instead of deleting; the service stays up".into()
            }
            PruneBypassed => {
                "Prune protection bypassed: a manual sync with prune deletes the service".into()
            }
            ServiceGone {
                share_permille: 1000..,
            } => "Service gone for every site".into(),
            ServiceGone { share_permille } => format!(
                "First wave: service gone for {} % of sites",
                crate::numfmt::trimmed(f64::from(share_permille) / 10.0, 1)
            ),
            WaveSynced {
                wave,
                share_permille: 1000..,
            } => format!("Wave {wave} synced; service gone for every site"),
            WaveSynced {
                wave,
                share_permille,
            } => format!(
                "Wave {wave} synced; service gone for {} % of sites",
                crate::numfmt::trimmed(f64::from(share_permille) / 10.0, 1)
            ),
            CanaryAborted => "Rollout analysis fails; rollout halted and rolled back".into(),
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
                format!("Level {level} has not acknowledged; escalation timeout")
            }
            PageAcknowledged { level } => format!("Page acknowledged (level {level})"),
            PageExhausted => {
                "Escalation policy exhausted; the page stays open and the alert waits in the channel"
                    .into()
            }
            ManualPage => "PagerDuty triggered by hand to gather people".into(),
            ChangeSuspected => "The cue names the change: responders start from the deploy".into(),
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
            } => "Hit waves rolled back to the previous release; service up".into(),
            Confirmed => "Engineering confirms the service is up".into(),
            StatusInvestigating { automated: true } => {
                "Status page: Investigating (automated)".into()
            }
            StatusInvestigating { automated: false } => "Status page: Investigating".into(),
            StatusMonitoring => "Status page: Monitoring".into(),
            StatusUpdate => "Status page: update, still investigating (on the assumed cadence)".into(),
            RecoveryRequested => "Product requests recovery of missed events".into(),
            AutoReplayStarted => {
                "Automatic replay re-reads the missed events and starts delivering them".into()
            }
            DataRecovered { automatic: true } => "Missed events backfilled automatically".into(),
            DataRecovered { automatic: false } => {
                "Event sync looper run by hand for impacted sites".into()
            }
            Resolved => "Resolved".into(),
            Restored {
                by: RestoredBy::RoomRollBack,
            } => "The room's rollback: last week's release reinstated; service up".into(),
            RoomDecided { action } => format!("The room decides: {}", lower_first(action.label())),
            RoomWaits {
                action,
                until,
                before_impact: true,
            } => format!(
                "The room decides: {} before anything has gone wrong, a prevention exercise; it waits until {}",
                lower_first(action.label()),
                until.waits_for()
            ),
            RoomWaits {
                action,
                until,
                before_impact: false,
            } => format!(
                "The room decides: {}; {}, so it waits until {}",
                lower_first(action.label()),
                until.why_not_yet(),
                until.waits_for()
            ),
            RoomNoEffect { action, why } => format!(
                "The room decides: {}; it changes nothing: {}",
                lower_first(action.label()),
                why.label()
            ),
            RoomPageAnswered => "On-call answers the room's page; responders gathered".into(),
            RoomStatusPosted => "The room posts to the status page: Investigating".into(),
            RoomLooperStarted => "The room starts the event sync looper".into(),
            SafeguardSwitchedOn { safeguard } => {
                format!("{} switched on from now", safeguard.name())
            }
            SafeguardTooLate { safeguard } => format!(
                "{} switched on too late: the change has already gone through, so it changes nothing",
                safeguard.name()
            ),
            CurveballFired { curveball } => format!("Curveball: {}", lower_first(curveball.label())),
            PageUndelivered { by_room: true } => {
                "The room's page reaches nobody: the pager is down".into()
            }
            PageUndelivered { by_room: false } => "The page reaches nobody: the pager is down".into(),
            GatheredWithoutPager => "Responders gathered by phone and chat".into(),
            ImageRebuildStarted => {
                "Last week's release image is missing: rebuilding it before the redeploy".into()
            }
            LooperPartlyFailed { failed_permille } => format!(
                "The looper failed for {} % of the sites; their missed events are lost",
                crate::numfmt::trimmed(f64::from(failed_permille) / 10.0, 1)
            ),
            DiagnosisSlowed => {
                "The person who made the change is away: diagnosing takes longer".into()
            }
            SecondIncidentOver => "The second incident is over; people are back".into(),
        }
    }
}

/// "Roll back…" → "roll back…", for a label inside a sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
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
