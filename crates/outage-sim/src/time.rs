//! Simulated time and its wall-clock reading.
//!
//! Simulated time is an integer number of milliseconds from the scenario's origin (`SimTime`).
//! Nothing here reads a clock: wall-clock strings are computed from the origin's fixed offset.

use chrono::{DateTime, Duration, FixedOffset, Utc};

/// Milliseconds since the scenario's origin. Signed, so a merge shortly before the origin is fine.
pub type SimTime = i64;

/// A span of simulated time in milliseconds.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// Converts simulated time to wall-clock time in the scenario's zone and in UTC.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    origin: DateTime<FixedOffset>,
    zone_label: String,
}

impl Clock {
    pub fn new(origin: DateTime<FixedOffset>, zone_label: impl Into<String>) -> Self {
        Self {
            origin,
            zone_label: zone_label.into(),
        }
    }

    pub fn origin(&self) -> DateTime<FixedOffset> {
        self.origin
    }

    /// The label of the local zone, e.g. `CDT`.
    pub fn zone_label(&self) -> &str {
        &self.zone_label
    }

    /// Wall-clock time (in the scenario's zone) of a simulated instant.
    pub fn local(&self, t: SimTime) -> DateTime<FixedOffset> {
        self.origin + Duration::milliseconds(t)
    }

    pub fn utc(&self, t: SimTime) -> DateTime<Utc> {
        self.local(t).with_timezone(&Utc)
    }

    /// Simulated instant of a wall-clock time (any offset).
    pub fn sim_time(&self, at: DateTime<FixedOffset>) -> SimTime {
        (at - self.origin).num_milliseconds()
    }

    /// `15:34` in the local zone.
    pub fn hhmm_local(&self, t: SimTime) -> String {
        self.local(t).format("%H:%M").to_string()
    }

    /// `20:34` in UTC.
    pub fn hhmm_utc(&self, t: SimTime) -> String {
        self.utc(t).format("%H:%M").to_string()
    }

    /// `15:34:07` in the local zone.
    pub fn hhmmss_local(&self, t: SimTime) -> String {
        self.local(t).format("%H:%M:%S").to_string()
    }

    /// `20:34:07` in UTC.
    pub fn hhmmss_utc(&self, t: SimTime) -> String {
        self.utc(t).format("%H:%M:%S").to_string()
    }

    /// RFC 3339 with the local offset, seconds precision: `2024-07-10T15:34:00-05:00`.
    pub fn rfc3339(&self, t: SimTime) -> String {
        self.local(t)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// Days between the instant and the origin's calendar day, for labels such as `Jul 23`.
    pub fn date_label(&self, t: SimTime) -> String {
        self.local(t).format("%b %-d").to_string()
    }
}

/// A duration for people: `45 s`, `34 min`, `1 h 5 min`, `2 d 3 h`. Rounds to whole seconds
/// under a minute and to whole minutes above.
pub fn human_duration(ms: Millis) -> String {
    let negative = ms < 0;
    let ms = ms.unsigned_abs();
    let sign = if negative { "−" } else { "" };
    let secs = (ms + 500) / 1000;
    if secs < 60 {
        return format!("{sign}{secs} s");
    }
    let mins = (ms + 30_000) / 60_000;
    if mins < 60 {
        return format!("{sign}{mins} min");
    }
    let (h, m) = (mins / 60, mins % 60);
    if h < 48 {
        return if m == 0 {
            format!("{sign}{h} h")
        } else {
            format!("{sign}{h} h {m} min")
        };
    }
    let (d, h) = (h / 24, h % 24);
    if h == 0 {
        format!("{sign}{d} d")
    } else {
        format!("{sign}{d} d {h} h")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_read_naturally() {
        assert_eq!(human_duration(45 * SECOND), "45 s");
        assert_eq!(human_duration(34 * MINUTE), "34 min");
        assert_eq!(human_duration(HOUR + 5 * MINUTE), "1 h 5 min");
        assert_eq!(human_duration(2 * HOUR), "2 h");
        assert_eq!(human_duration(2 * HOUR + 31 * MINUTE), "2 h 31 min");
        assert_eq!(human_duration(59_600), "1 min");
        assert_eq!(human_duration(-90 * SECOND), "−2 min");
        assert_eq!(human_duration(50 * HOUR), "2 d 2 h");
    }

    #[test]
    fn clock_shows_local_and_utc() {
        let origin = DateTime::parse_from_rfc3339("2024-07-10T00:00:00-05:00").unwrap();
        let clock = Clock::new(origin, "CDT");
        let t = 15 * HOUR + 34 * MINUTE;
        assert_eq!(clock.hhmm_local(t), "15:34");
        assert_eq!(clock.hhmm_utc(t), "20:34");
        assert_eq!(clock.rfc3339(t), "2024-07-10T15:34:00-05:00");
        assert_eq!(clock.sim_time(clock.local(t)), t);
    }
}
