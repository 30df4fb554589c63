//! The metrics of an incident. Each duration is defined here, once, by the moment it starts at
//! and the moment it stops at (`Metric::span`); the timeline, the headline and the command line
//! draw and print from that definition. Counts say over which runs they are taken, and the
//! metrics whose definition can make a safeguard look worse say so (`Metric::caveat`).

use serde::Serialize;
use strum::{EnumCount, IntoStaticStr, VariantArray};

use crate::scenario::{Endpoint, StepId};
use crate::time::{Millis, SimTime};
use crate::trace::{Detector, Outcome, RestoredBy};

/// Calendar events that went missing while the service was gone, and what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EventCounts {
    /// Changes made on a site while it was without the service.
    pub missed: u64,
    /// Missed changes that reached the service in the end (redelivered by the provider or
    /// re-read) before their meeting started.
    pub recovered: u64,
    /// Missed changes never delivered, or delivered after their meeting had started.
    pub lost: u64,
    /// Changes a looper run by hand delivered twice.
    pub duplicated: u64,
    /// Missed changes the calendar provider redelivered by its own retries (see `delivery`).
    pub redelivered: u64,
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
    /// A run that has not started: an outage with nothing happened yet.
    pub(crate) fn new() -> RunRecord {
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

/// A moment of a run that a metric starts or stops at.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, EnumCount, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Moment {
    /// The service disappeared (for some or all sites). In the record: the assumed impact start.
    ServiceGone,
    /// The first detection, by any source.
    FirstDetection,
    /// The owning team has it: notified, took the alert from a channel, or acknowledged a page.
    Acknowledged,
    /// The service is back.
    Restored,
    /// The missed calendar events are recovered.
    DataRecovered,
    /// The incident is marked resolved.
    Resolved,
    /// The first status-page post.
    FirstStatusPost,
}

impl Moment {
    pub const ALL: [Moment; Moment::COUNT] = crate::all_variants!(Moment);

    /// The id in JSON (`service_gone`).
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// The moment in words, for a table or a tooltip.
    pub fn label(self) -> &'static str {
        match self {
            Moment::ServiceGone => "service gone",
            Moment::FirstDetection => "first detection (any source)",
            Moment::Acknowledged => {
                "owning team has it (notified, took the alert, or acknowledged a page)"
            }
            Moment::Restored => "service restored",
            Moment::DataRecovered => "missed events recovered",
            Moment::Resolved => "incident resolved",
            Moment::FirstStatusPost => "first status-page post",
        }
    }

    /// When it happened in a run.
    #[inline]
    pub fn at(self, r: &RunRecord) -> Option<SimTime> {
        match self {
            Moment::ServiceGone => r.gone_at,
            Moment::FirstDetection => r.detected_at,
            Moment::Acknowledged => r.acknowledged_at,
            Moment::Restored => r.restored_at,
            Moment::DataRecovered => r.recovered_at,
            Moment::Resolved => r.resolved_at,
            Moment::FirstStatusPost => r.first_post_at,
        }
    }

    /// The step of the recorded chain that ends at this moment on the day (`None` for the
    /// service going away, which is the impact-start assumption, not a step).
    pub fn recorded_step(self) -> Option<StepId> {
        match self {
            Moment::ServiceGone => None,
            Moment::FirstDetection => Some(StepId::HumanDiscovery),
            Moment::Acknowledged => Some(StepId::NotifyOwner),
            Moment::Restored => Some(StepId::DiagnoseAndReinstate),
            Moment::DataRecovered => Some(StepId::ManualReplay),
            Moment::Resolved => Some(StepId::Resolve),
            Moment::FirstStatusPost => Some(StepId::StatusPost),
        }
    }

    /// The record event (or the impact-start assumption) this moment is on the day.
    pub fn recorded(self) -> Option<Endpoint> {
        match self.recorded_step() {
            None => Some(Endpoint::ImpactStart),
            Some(step) => step.record_event().map(Endpoint::Record),
        }
    }
}

/// Which runs a metric's statistics are taken over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Over {
    /// Runs in which the service went away (a prevented run has no time to detect).
    OutageRuns,
    /// Every run; a prevented run counts as zero.
    AllRuns,
}

impl Over {
    pub fn label(self) -> &'static str {
        match self {
            Over::OutageRuns => "runs with an outage",
            Over::AllRuns => "all runs (prevented runs count as 0)",
        }
    }
}

/// A metric of a run.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, EnumCount, VariantArray,
)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    TimeToDetect,
    TimeToAcknowledge,
    TimeToMitigate,
    TimeToRecoverData,
    TimeToResolve,
    ReportedDuration,
    FirstCustomerMessage,
    MissedEvents,
    RecoveredEvents,
    LostEvents,
    DuplicatedEvents,
    SitesAffected,
    ErrorBudgetUsed,
}

/// What a metric counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A duration; stored in milliseconds, reported in seconds.
    Duration,
    /// A count of calendar events or sites.
    Count,
    /// A share of the error budget, in per cent.
    Percent,
}

impl Unit {
    /// A raw value (milliseconds, a count, per cent) in the unit of JSON reports: durations
    /// in seconds (the keys end in `_s`), the rest as they are.
    pub fn in_json(self, raw: f64) -> f64 {
        match self {
            Unit::Duration => raw / 1000.0,
            Unit::Count | Unit::Percent => raw,
        }
    }

    /// The unit of tables and CSV files, where a duration reads best in minutes.
    pub fn table_unit(self) -> &'static str {
        match self {
            Unit::Duration => "min",
            Unit::Count => "count",
            Unit::Percent => "% of error budget",
        }
    }

    /// A raw value in the unit of tables and CSV files (`table_unit`).
    pub fn in_table(self, raw: f64) -> f64 {
        match self {
            Unit::Duration => raw / 60_000.0,
            Unit::Count | Unit::Percent => raw,
        }
    }
}

/// Which way a metric's change is good news.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
    /// Neither by itself (more recovered events can mean more were missed).
    Neither,
}

impl Better {
    /// Whether a change `d` (not negligible) is better (`Some(true)`), worse, or neither.
    pub fn verdict(self, d: f64) -> Option<bool> {
        match self {
            Better::Lower => Some(d < 0.0),
            Better::Higher => Some(d > 0.0),
            Better::Neither => None,
        }
    }
}

/// `first` then `more`, as one list (`N` = `A` + `B`, checked when the crate compiles).
const fn then<const A: usize, const B: usize, const N: usize>(
    first: [Metric; A],
    more: [Metric; B],
) -> [Metric; N] {
    assert!(A + B == N);
    let mut out = [Metric::TimeToDetect; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < A { first[i] } else { more[i - A] };
        i += 1;
    }
    out
}

/// Percentage points, rounded as per cent figures are shown: `214 points`, `2.5 points`.
pub fn points(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{} points", group_thousands(v.round() as i64))
    } else {
        format!("{} points", crate::numfmt::fixed(v, 1))
    }
}

impl Metric {
    pub const ALL: [Metric; Metric::COUNT] = crate::all_variants!(Metric);

    /// The durations, which are only defined for runs in which the service went away.
    pub const TIMES: [Metric; 7] = [
        Metric::TimeToDetect,
        Metric::TimeToAcknowledge,
        Metric::TimeToMitigate,
        Metric::TimeToRecoverData,
        Metric::TimeToResolve,
        Metric::ReportedDuration,
        Metric::FirstCustomerMessage,
    ];

    /// The metrics whose distribution the app charts: the durations, then the data toll.
    pub const DISTRIBUTIONS: [Metric; 9] =
        then(Metric::TIMES, [Metric::MissedEvents, Metric::LostEvents]);

    /// The metrics that comparisons and reports show: the charted ones and the error budget.
    pub const COMPARED: [Metric; 10] = then(Metric::DISTRIBUTIONS, [Metric::ErrorBudgetUsed]);

    pub fn index(self) -> usize {
        self as usize
    }

    /// The key in `run --json` (`time_to_detect_s`, `missed_events`…).
    pub fn key(self) -> &'static str {
        match self {
            Metric::TimeToDetect => "time_to_detect_s",
            Metric::TimeToAcknowledge => "time_to_acknowledge_s",
            Metric::TimeToMitigate => "time_to_mitigate_s",
            Metric::TimeToRecoverData => "time_to_recover_data_s",
            Metric::TimeToResolve => "time_to_resolve_s",
            Metric::ReportedDuration => "reported_duration_s",
            Metric::FirstCustomerMessage => "first_customer_message_s",
            Metric::MissedEvents => "missed_events",
            Metric::RecoveredEvents => "recovered_events",
            Metric::LostEvents => "lost_events",
            Metric::DuplicatedEvents => "duplicated_events",
            Metric::SitesAffected => "sites_affected",
            Metric::ErrorBudgetUsed => "error_budget_used_pct",
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::TimeToDetect => "Time to detect",
            Metric::TimeToAcknowledge => "Time to acknowledge",
            Metric::TimeToMitigate => "Time to mitigate",
            Metric::TimeToRecoverData => "Time to recover data",
            Metric::TimeToResolve => "Time to resolve",
            Metric::ReportedDuration => "Reported duration",
            Metric::FirstCustomerMessage => "First customer message",
            Metric::MissedEvents => "Missed events",
            Metric::RecoveredEvents => "Recovered events",
            Metric::LostEvents => "Lost events",
            Metric::DuplicatedEvents => "Duplicated events",
            Metric::SitesAffected => "Sites affected",
            Metric::ErrorBudgetUsed => "Error budget used",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Metric::TimeToDetect => "TTD",
            Metric::TimeToAcknowledge => "TTA",
            Metric::TimeToMitigate => "TTM",
            Metric::TimeToRecoverData => "Data",
            Metric::TimeToResolve => "TTR",
            Metric::ReportedDuration => "Reported",
            Metric::FirstCustomerMessage => "First post",
            Metric::MissedEvents => "Missed",
            Metric::RecoveredEvents => "Recovered",
            Metric::LostEvents => "Lost",
            Metric::DuplicatedEvents => "Duplicated",
            Metric::SitesAffected => "Sites",
            Metric::ErrorBudgetUsed => "Budget",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Metric::MissedEvents
            | Metric::RecoveredEvents
            | Metric::LostEvents
            | Metric::DuplicatedEvents
            | Metric::SitesAffected => Unit::Count,
            Metric::ErrorBudgetUsed => Unit::Percent,
            Metric::TimeToDetect
            | Metric::TimeToAcknowledge
            | Metric::TimeToMitigate
            | Metric::TimeToRecoverData
            | Metric::TimeToResolve
            | Metric::ReportedDuration
            | Metric::FirstCustomerMessage => Unit::Duration,
        }
    }

    /// The moments a duration runs between; `None` for counts.
    #[inline]
    pub fn span_moments(self) -> Option<(Moment, Moment)> {
        use Moment::*;
        Some(match self {
            Metric::TimeToDetect => (ServiceGone, FirstDetection),
            Metric::TimeToAcknowledge => (FirstDetection, Acknowledged),
            Metric::TimeToMitigate => (ServiceGone, Restored),
            Metric::TimeToRecoverData => (ServiceGone, DataRecovered),
            Metric::TimeToResolve => (ServiceGone, Resolved),
            Metric::ReportedDuration => (FirstDetection, Resolved),
            Metric::FirstCustomerMessage => (ServiceGone, FirstStatusPost),
            Metric::MissedEvents
            | Metric::RecoveredEvents
            | Metric::LostEvents
            | Metric::DuplicatedEvents
            | Metric::SitesAffected
            | Metric::ErrorBudgetUsed => return None,
        })
    }

    /// The start and stop instants of a duration in a run (for drawing it).
    pub fn span(self, r: &RunRecord) -> Option<(SimTime, SimTime)> {
        let (from, to) = self.span_moments()?;
        Some((from.at(r)?, to.at(r)?))
    }

    /// The moment the metric starts at, in words.
    pub fn starts_at(self) -> &'static str {
        match self.span_moments() {
            Some((from, _)) => from.label(),
            None => "—",
        }
    }

    /// The moment the metric stops at, in words.
    pub fn stops_at(self) -> &'static str {
        match self.span_moments() {
            Some((_, to)) => to.label(),
            None => "—",
        }
    }

    /// The steps of the recorded chain a duration spans on the day, in order; `None` for
    /// counts. A duration of one step keeps that step's median in Monte Carlo; a composite of
    /// several is calibrated (see `calibration`).
    pub fn recorded_path(self) -> Option<Vec<StepId>> {
        let (from, to) = self.span_moments()?;
        StepId::path(from.recorded()?, to.recorded()?)
    }

    /// Which runs its statistics are taken over.
    pub fn over(self) -> Over {
        match self.unit() {
            Unit::Duration => Over::OutageRuns,
            Unit::Count | Unit::Percent => Over::AllRuns,
        }
    }

    /// Where the definition can make a safeguard look worse than it is, in one sentence.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            Metric::TimeToAcknowledge => Some("Starts at the first detection: a detector that fires an hour sooner but whose alert waits in a channel shows a longer time to acknowledge, although the team hears sooner."),
            Metric::ReportedDuration => Some("Starts at discovery, as the postmortem counts it: earlier detection starts the clock earlier, so it can grow while the outage gets shorter. Time to resolve starts at the outage itself."),
            Metric::FirstCustomerMessage => Some("Counts from the service going away; a safeguard that prevents the outage has no first message at all, and one that restores the service before anyone gathers (an automatic rollback) often has none either, so its figure covers only the runs that still needed one."),
            Metric::ErrorBudgetUsed => Some("Site-weighted: a staged rollout that hits a tenth of the sites for an hour uses a tenth of what a full outage of an hour uses."),
            Metric::TimeToDetect
            | Metric::TimeToMitigate
            | Metric::TimeToRecoverData
            | Metric::TimeToResolve
            | Metric::MissedEvents
            | Metric::RecoveredEvents
            | Metric::LostEvents
            | Metric::DuplicatedEvents
            | Metric::SitesAffected => None,
        }
    }

    /// One sentence: what it measures, from what to what.
    pub fn definition(self) -> &'static str {
        match self {
            Metric::TimeToDetect => "From the moment the service went away to the first detection by any source.",
            Metric::TimeToAcknowledge => "From the first detection to the owning team having it: notified in chat, taking the alert, or acknowledging a page.",
            Metric::TimeToMitigate => "From the service going away to the service being restored (not confirmed, not resolved).",
            Metric::TimeToRecoverData => "From the service going away to the missed calendar events being recovered.",
            Metric::TimeToResolve => "From the service going away to the incident being marked resolved.",
            Metric::ReportedDuration => "From discovery to resolution: what the postmortem calls the duration (2 h 31 min). It leaves out the undetected window.",
            Metric::FirstCustomerMessage => "From the service going away to the first status-page post.",
            Metric::MissedEvents => "Calendar events that arrived while the service was gone: the event rate × the sites without the service, over the time they were without it.",
            Metric::RecoveredEvents => "Missed events replayed by the looper or the automatic backfill.",
            Metric::LostEvents => "Missed events older than the replay horizon when the replay re-read them (the automatic backfill at restore, the looper when it is run), or never replayed.",
            Metric::DuplicatedEvents => "Events delivered twice by a replay that is not idempotent.",
            Metric::SitesAffected => "Customer sites that lost the service.",
            Metric::ErrorBudgetUsed => "Share of the error budget of the scenario's assumed SLO (its slo_target over slo_window_days) the outage used (site-weighted downtime).",
        }
    }

    /// This metric's value in a run: milliseconds for durations, a count, or per cent.
    /// `None` when the stop event never happened (or the service never went away).
    pub fn value(self, r: &RunRecord) -> Option<f64> {
        if self.span_moments().is_some() {
            let (from, to) = self.span(r)?;
            return Some((to - from) as f64);
        }
        match self {
            Metric::TimeToDetect
            | Metric::TimeToAcknowledge
            | Metric::TimeToMitigate
            | Metric::TimeToRecoverData
            | Metric::TimeToResolve
            | Metric::ReportedDuration
            | Metric::FirstCustomerMessage => None,
            Metric::MissedEvents => Some(r.events.missed as f64),
            Metric::RecoveredEvents => Some(r.events.recovered as f64),
            Metric::LostEvents => Some(r.events.lost as f64),
            Metric::DuplicatedEvents => Some(r.events.duplicated as f64),
            Metric::SitesAffected => Some(r.sites_affected),
            Metric::ErrorBudgetUsed => Some(r.error_budget_used * 100.0),
        }
    }

    /// Which way a change is good news: less of every metric is better, except recovered
    /// events, which are neither by themselves.
    pub fn better(self) -> Better {
        match self {
            Metric::RecoveredEvents => Better::Neither,
            _ => Better::Lower,
        }
    }

    /// A raw difference too small to show (it would read as zero once formatted).
    pub fn negligible(self, d: f64) -> bool {
        match self.unit() {
            Unit::Duration => d.abs() < 500.0,
            Unit::Count => d.abs() < 0.5,
            Unit::Percent => d.abs() < 0.05,
        }
    }

    /// A raw difference for people, signed: `−51 min`, `+1,200`, `−117 points`; `same` when
    /// it is negligible.
    pub fn format_change(self, d: f64) -> String {
        if self.negligible(d) {
            return "same".to_string();
        }
        let sign = if d < 0.0 { "−" } else { "+" };
        let magnitude = match self.unit() {
            Unit::Percent => points(d.abs()),
            Unit::Duration | Unit::Count => self.format(d.abs()),
        };
        format!("{sign}{magnitude}")
    }

    /// Whether the change from `from` to `to` is better (`Some(true)`), worse, or neither
    /// (or too small to show).
    pub fn verdict(self, from: f64, to: f64) -> Option<bool> {
        let d = to - from;
        if self.negligible(d) {
            return None;
        }
        self.better().verdict(d)
    }

    /// Its value in a run for people: the figure, `no outage` when the run had none (for a
    /// duration), or `never` when the moment it stops at never came.
    pub fn shown(self, r: &RunRecord) -> String {
        if !self.applies(r) {
            return "no outage".to_string();
        }
        self.value(r)
            .map(|v| self.format(v))
            .unwrap_or_else(|| "never".to_string())
    }

    /// Its value in a run in the unit of JSON reports (`Unit::in_json`); `None` when it
    /// does not apply or never happened.
    pub fn json_value(self, r: &RunRecord) -> Option<f64> {
        self.value(r)
            .filter(|_| self.applies(r))
            .map(|v| self.unit().in_json(v))
    }

    /// Whether the metric applies to a run at all: durations need an outage; counts apply to
    /// every run (a prevented run missed zero events).
    pub fn applies(self, r: &RunRecord) -> bool {
        self.unit() != Unit::Duration || r.gone_at.is_some()
    }

    /// A value for people: `45 s`, `1 h 5 min`, `8,820`, `340 %`.
    pub fn format(self, value: f64) -> String {
        match self.unit() {
            Unit::Duration => crate::time::human_duration(value.round() as Millis),
            Unit::Count => group_thousands(value.round() as i64),
            Unit::Percent => {
                if value >= 10.0 {
                    format!("{} %", group_thousands(value.round() as i64))
                } else {
                    format!("{} %", crate::numfmt::fixed(value, 1))
                }
            }
        }
    }
}

/// `8820` → `8,820`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(8820), "8,820");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(-1000), "−1,000");
    }

    #[test]
    fn durations_have_spans_and_recorded_paths() {
        for m in Metric::ALL {
            assert_eq!(
                m.span_moments().is_some(),
                m.unit() == Unit::Duration,
                "{m:?}"
            );
            assert_eq!(
                m.recorded_path().is_some(),
                m.unit() == Unit::Duration,
                "{m:?}"
            );
        }
        assert_eq!(
            Metric::TimeToAcknowledge.recorded_path(),
            Some(vec![StepId::NotifyOwner])
        );
        assert_eq!(
            Metric::ReportedDuration.recorded_path().map(|p| p.len()),
            Some(7)
        );
    }

    #[test]
    fn changes_are_signed_with_their_verdict() {
        assert_eq!(
            Metric::TimeToDetect.format_change(-51.0 * 60_000.0),
            "−51 min"
        );
        assert_eq!(Metric::TimeToDetect.format_change(400.0), "same");
        assert_eq!(Metric::MissedEvents.format_change(1200.0), "+1,200");
        assert_eq!(Metric::ErrorBudgetUsed.format_change(-117.2), "−117 points");
        assert_eq!(Metric::ErrorBudgetUsed.format_change(2.5), "+2.5 points");
        assert_eq!(Metric::TimeToDetect.verdict(10_000.0, 5_000.0), Some(true));
        assert_eq!(Metric::LostEvents.verdict(10.0, 20.0), Some(false));
        assert_eq!(Metric::RecoveredEvents.verdict(10.0, 20.0), None);
        assert_eq!(Metric::TimeToDetect.verdict(10_000.0, 10_100.0), None);
        for m in Metric::ALL {
            assert_eq!(m.format_change(0.0), "same", "{m:?}");
        }
    }

    #[test]
    fn keys_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_key(m.key()), Some(m));
        }
    }
}
