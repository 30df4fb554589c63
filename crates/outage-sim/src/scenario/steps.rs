//! The delays of the incident response, one table indexed by `StepId`. For every log-normal
//! step the table says where its median comes from (two moments of the record, or a number the
//! scenario file states), which random stream it draws from, how it grows with the sites and
//! events to go through, and whether Monte Carlo calibration may move its median. The scenario
//! reader, the validator, the plan, the engine, the calibration and the code generator all
//! iterate this table instead of naming the steps again.

use serde::Serialize;
use strum::EnumCount;

crate::named_enum! {
    /// A log-normal delay of the response. The order is the order of the `steps` object in a
    /// scenario file and of every array indexed by step.
    pub enum StepId: key, from_key {
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
        ChatNotice,
        ReinstateKnownCause,
    }
}

/// Where a recorded step starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// The assumed moment the service went away (the record does not say).
    ImpactStart,
    /// A timed record event, by id.
    Record(&'static str),
}

/// How a step's median is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A step of the recorded chain: its median is measured in the record between two
    /// moments, and a replay without safeguards keeps exactly that delay.
    Recorded { from: Endpoint, to: &'static str },
    /// A step that only happens because of a safeguard: the scenario file states its median,
    /// and it is always drawn from the seed (a replay has no recorded value for it).
    Stated,
}

/// What a step's delay grows with, besides its own randomness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// Nothing: the delay is about people and the incident, not its size.
    Fixed,
    /// The sites to go through (the watch for missing activity, customers to contact).
    Sites,
    /// The sites and the calendar events per site (the looper re-reads each site's changes).
    SiteEvents,
}

/// One row of the step table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRow {
    pub kind: StepKind,
    /// The id of the random stream the step draws from. Fixed numbers, never reused, so that
    /// a new step or subsystem never reshuffles the draws of the existing ones.
    pub stream: u64,
    pub scaling: Scaling,
    /// Whether Monte Carlo calibration may move the step's median (see `calibration`).
    pub calibrated: bool,
}

const fn recorded(
    from: Endpoint,
    to: &'static str,
    stream: u64,
    scaling: Scaling,
    calibrated: bool,
) -> StepRow {
    StepRow {
        kind: StepKind::Recorded { from, to },
        stream,
        scaling,
        calibrated,
    }
}

const fn stated(stream: u64) -> StepRow {
    StepRow {
        kind: StepKind::Stated,
        stream,
        scaling: Scaling::Fixed,
        calibrated: false,
    }
}

impl StepId {
    /// The step table.
    pub const fn row(self) -> StepRow {
        use Endpoint::{ImpactStart, Record};
        use Scaling::*;
        match self {
            StepId::HumanDiscovery => recorded(ImpactStart, "discovered", 12, Fixed, true),
            // Not calibrated: it is the whole of time to acknowledge as it happened, which
            // therefore keeps the record's median exactly.
            StepId::NotifyOwner => recorded(Record("discovered"), "ops_notified", 13, Fixed, false),
            StepId::Mobilize => recorded(Record("ops_notified"), "paged", 14, Fixed, true),
            StepId::StatusPost => {
                recorded(Record("paged"), "status_investigating", 15, Fixed, true)
            }
            StepId::DiagnoseAndReinstate => {
                recorded(Record("paged"), "reinstated", 16, Fixed, true)
            }
            StepId::Confirm => recorded(Record("reinstated"), "confirmed", 17, Fixed, true),
            StepId::RequestRecovery => {
                recorded(Record("confirmed"), "recovery_requested", 18, Fixed, true)
            }
            StepId::StatusMonitoring => {
                recorded(Record("confirmed"), "status_monitoring", 19, Fixed, true)
            }
            StepId::ManualReplay => recorded(
                Record("recovery_requested"),
                "looper_run",
                20,
                SiteEvents,
                true,
            ),
            StepId::Resolve => recorded(Record("looper_run"), "resolved", 21, Sites, true),
            StepId::ChatNotice => stated(22),
            StepId::ReinstateKnownCause => stated(23),
        }
    }

    /// The step's random stream id, read from the table at compile time (it is looked up once
    /// per draw, so not through `row()` at run time).
    #[inline]
    pub const fn stream(self) -> u64 {
        const STREAMS: [u64; StepId::COUNT] = {
            let mut out = [0; StepId::COUNT];
            let mut i = 0;
            while i < StepId::COUNT {
                out[i] = StepId::ALL[i].row().stream;
                i += 1;
            }
            out
        };
        STREAMS[self as usize]
    }

    /// True for the steps of the recorded chain.
    pub fn is_recorded(self) -> bool {
        matches!(self.row().kind, StepKind::Recorded { .. })
    }

    /// The record event a recorded step ends at.
    pub fn record_event(self) -> Option<&'static str> {
        match self.row().kind {
            StepKind::Recorded { to, .. } => Some(to),
            StepKind::Stated => None,
        }
    }

    /// The recorded step that ends at a record event, if any.
    pub fn ending_at(event: &str) -> Option<StepId> {
        StepId::ALL
            .into_iter()
            .find(|s| s.record_event() == Some(event))
    }

    /// The recorded steps from `from` to `to` in the chain (walking back from `to`), or `None`
    /// if `to` is not reached from `from` along the chain.
    pub fn path(from: Endpoint, to: Endpoint) -> Option<Vec<StepId>> {
        let mut steps = Vec::new();
        let mut at = to;
        while at != from {
            let Endpoint::Record(event) = at else {
                return None;
            };
            let step = StepId::ending_at(event)?;
            steps.push(step);
            let StepKind::Recorded { from: previous, .. } = step.row().kind else {
                return None;
            };
            at = previous;
        }
        steps.reverse();
        Some(steps)
    }
}

impl From<StepId> for crate::rng::StreamId {
    #[inline]
    fn from(step: StepId) -> crate::rng::StreamId {
        crate::rng::StreamId(step.stream())
    }
}

/// The durations of the record that span two or more steps of the chain, as (from, to): the
/// composite metrics' spans (first status post, time to mitigate, recover data, resolve, and
/// the reported duration). Calibration makes their Monte Carlo medians the record's. The
/// metrics define them (`Metric::span_moments`); a test in `metrics` checks that this list is
/// exactly theirs.
pub const COMPOSITES: [(Endpoint, Endpoint); 5] = [
    (
        Endpoint::ImpactStart,
        Endpoint::Record("status_investigating"),
    ),
    (Endpoint::ImpactStart, Endpoint::Record("reinstated")),
    (Endpoint::ImpactStart, Endpoint::Record("looper_run")),
    (Endpoint::ImpactStart, Endpoint::Record("resolved")),
    (Endpoint::Record("discovered"), Endpoint::Record("resolved")),
];

/// The record events the chain starts or ends at; a scenario must time every one of them.
pub fn chain_events() -> impl Iterator<Item = &'static str> {
    StepId::ALL.into_iter().filter_map(StepId::record_event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_streams_are_distinct() {
        let mut streams: Vec<u64> = StepId::ALL.iter().map(|s| s.row().stream).collect();
        streams.extend(crate::rng::Stream::ALL.iter().map(|s| *s as u64));
        let n = streams.len();
        streams.sort_unstable();
        streams.dedup();
        assert_eq!(streams.len(), n, "every stream id is used once");
        for s in StepId::ALL {
            assert_eq!(StepId::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn paths_follow_the_chain() {
        use StepId::*;
        assert_eq!(
            StepId::path(Endpoint::ImpactStart, Endpoint::Record("reinstated")),
            Some(vec![
                HumanDiscovery,
                NotifyOwner,
                Mobilize,
                DiagnoseAndReinstate
            ])
        );
        assert_eq!(
            StepId::path(Endpoint::Record("discovered"), Endpoint::Record("resolved"))
                .map(|p| p.len()),
            Some(7)
        );
        assert_eq!(
            StepId::path(
                Endpoint::Record("status_investigating"),
                Endpoint::Record("resolved")
            ),
            None
        );
    }
}
