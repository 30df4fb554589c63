//! The metrics of an incident, each defined by the event it starts at and the event it stops at
//! (DESIGN.md section 4), and their values for one run.

use serde::Serialize;

use crate::engine::RunRecord;
use crate::time::Millis;

/// A metric of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

impl Metric {
    pub const ALL: [Metric; 13] = [
        Metric::TimeToDetect,
        Metric::TimeToAcknowledge,
        Metric::TimeToMitigate,
        Metric::TimeToRecoverData,
        Metric::TimeToResolve,
        Metric::ReportedDuration,
        Metric::FirstCustomerMessage,
        Metric::MissedEvents,
        Metric::RecoveredEvents,
        Metric::LostEvents,
        Metric::DuplicatedEvents,
        Metric::SitesAffected,
        Metric::ErrorBudgetUsed,
    ];

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
    pub const DISTRIBUTIONS: [Metric; 9] = [
        Metric::TimeToDetect,
        Metric::TimeToAcknowledge,
        Metric::TimeToMitigate,
        Metric::TimeToRecoverData,
        Metric::TimeToResolve,
        Metric::ReportedDuration,
        Metric::FirstCustomerMessage,
        Metric::MissedEvents,
        Metric::LostEvents,
    ];

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
            _ => Unit::Duration,
        }
    }

    /// The event the metric starts at.
    pub fn starts_at(self) -> &'static str {
        match self {
            Metric::TimeToDetect
            | Metric::TimeToMitigate
            | Metric::TimeToRecoverData
            | Metric::TimeToResolve
            | Metric::FirstCustomerMessage => "service gone",
            Metric::TimeToAcknowledge | Metric::ReportedDuration => "first detection",
            _ => "service gone",
        }
    }

    /// The event the metric stops at.
    pub fn stops_at(self) -> &'static str {
        match self {
            Metric::TimeToDetect => "first detection (any source)",
            Metric::TimeToAcknowledge => {
                "owning team has it (notified, took the alert, or acknowledged a page)"
            }
            Metric::TimeToMitigate => "service restored",
            Metric::TimeToRecoverData => "missed events recovered",
            Metric::TimeToResolve | Metric::ReportedDuration => "incident resolved",
            Metric::FirstCustomerMessage => "first status-page post",
            _ => "service restored",
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
            Metric::MissedEvents => "Calendar events that arrived while the service was gone: rate × sites affected × time gone.",
            Metric::RecoveredEvents => "Missed events replayed by the looper or the automatic backfill.",
            Metric::LostEvents => "Missed events older than the replay horizon when the replay ran, or never replayed.",
            Metric::DuplicatedEvents => "Events delivered twice by a replay that is not idempotent.",
            Metric::SitesAffected => "Customer sites that lost the service.",
            Metric::ErrorBudgetUsed => "Share of the 30-day error budget of the 99.9 % SLO the outage used (site-weighted downtime).",
        }
    }

    /// This metric's value in a run: milliseconds for durations, a count, or per cent.
    /// `None` when the stop event never happened (or the service never went away).
    pub fn value(self, r: &RunRecord) -> Option<f64> {
        let span = |from: Option<Millis>, to: Option<Millis>| -> Option<f64> {
            Some((to? - from?) as f64)
        };
        let gone = r.gone_at;
        match self {
            Metric::TimeToDetect => span(gone, r.detected_at),
            Metric::TimeToAcknowledge => span(r.detected_at, r.acknowledged_at),
            Metric::TimeToMitigate => span(gone, r.restored_at),
            Metric::TimeToRecoverData => span(gone, r.recovered_at),
            Metric::TimeToResolve => span(gone, r.resolved_at),
            Metric::ReportedDuration => span(r.detected_at, r.resolved_at),
            Metric::FirstCustomerMessage => span(gone, r.first_post_at),
            Metric::MissedEvents => Some(r.events.missed as f64),
            Metric::RecoveredEvents => Some(r.events.recovered as f64),
            Metric::LostEvents => Some(r.events.lost as f64),
            Metric::DuplicatedEvents => Some(r.events.duplicated as f64),
            Metric::SitesAffected => Some(r.sites_affected),
            Metric::ErrorBudgetUsed => Some(r.error_budget_used * 100.0),
        }
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
    fn keys_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_key(m.key()), Some(m));
        }
    }
}
