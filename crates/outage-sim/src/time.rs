//! Simulated time and its civil-time reading.
//!
//! Simulated time is an integer number of milliseconds from the scenario's origin (`SimTime`).
//! Nothing here reads a clock. Civil time (RFC 3339 instants with a fixed offset, the local and
//! UTC readings of a simulated instant) is chrono's: `Stamp` is a `chrono::DateTime` with a
//! fixed offset. Readings are formatted from chrono's field accessors rather than with its
//! `strftime`-style formatter, which would add its whole format machinery to the browser app for
//! the few shapes shown here (`15:34`, `15:34:07`, `Jul 23`, RFC 3339).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Timelike};

/// Milliseconds since the scenario's origin. Signed, so a merge shortly before the origin is fine.
pub type SimTime = i64;

/// A span of simulated time in milliseconds.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// The longest delay a draw can give: 365 days. A log-normal's far tail is unbounded; capping
/// it keeps every simulated time well inside the event queue's range whatever a scenario file
/// says (no step of an incident response waits a year in this model).
pub const MAX_DELAY: Millis = 365 * 24 * HOUR;

/// `ms × factor`, half up, at least 1 ms and at most the longest delay a draw can give.
pub fn scale_ms(ms: Millis, factor: f64) -> Millis {
    if factor == 1.0 {
        return ms;
    }
    ((ms as f64 * factor).min(MAX_DELAY as f64) + 0.5).max(1.0) as Millis
}

/// An instant as written in RFC 3339, with the UTC offset it was written with.
pub type Stamp = DateTime<FixedOffset>;

/// The instant `unix_ms` milliseconds after the Unix epoch, read at `offset_seconds` east of
/// UTC: how generated code (see `codegen`) rebuilds a scenario's origin without parsing text.
/// Panics outside chrono's range or for an offset of a day or more, which validation excludes.
pub fn stamp(unix_ms: i64, offset_seconds: i32) -> Stamp {
    let offset = FixedOffset::east_opt(offset_seconds).expect("an offset within a day");
    DateTime::from_timestamp_millis(unix_ms)
        .expect("an instant within chrono's range")
        .with_timezone(&offset)
}

/// Parses `+HH:MM` or `-HH:MM` (exactly that shape) into a fixed offset.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let bytes = text.as_bytes();
    if bytes.len() != 6 || !matches!(bytes[0], b'+' | b'-') || bytes[3] != b':' {
        return None;
    }
    text.parse().ok()
}

/// Parses an RFC 3339 instant with an offset: `2024-07-10T15:34:00-05:00`, `…Z`, with optional
/// fractional seconds. The error is chrono's description of what is wrong.
pub fn parse_rfc3339(text: &str) -> Result<Stamp, String> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| e.to_string())
}

/// `-05:00`, `+00:00`.
pub fn format_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("UTC is a valid offset")
}

/// Converts simulated time to civil time in the scenario's zone and in UTC.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    origin: Stamp,
    zone_label: String,
}

impl Clock {
    pub fn new(origin: Stamp, zone_label: impl Into<String>) -> Self {
        Self {
            origin,
            zone_label: zone_label.into(),
        }
    }

    pub fn origin(&self) -> Stamp {
        self.origin
    }

    /// The local time of day at simulated time 0, in milliseconds after midnight.
    pub fn origin_time_of_day(&self) -> Millis {
        let t = self.origin.time();
        i64::from(t.num_seconds_from_midnight()) * SECOND + i64::from(t.nanosecond() / 1_000_000)
    }

    /// The label of the local zone, e.g. `CDT`.
    pub fn zone_label(&self) -> &str {
        &self.zone_label
    }

    /// The local zone's offset.
    pub fn offset(&self) -> FixedOffset {
        *self.origin.offset()
    }

    /// The local zone's offset, e.g. `-05:00`.
    pub fn offset_label(&self) -> String {
        format_offset(self.offset())
    }

    /// Simulated instant of a civil instant.
    pub fn sim_time(&self, at: Stamp) -> SimTime {
        (at - self.origin).num_milliseconds()
    }

    /// The civil instant of simulated time `t`, read in the local zone or in UTC. Saturates at
    /// chrono's range (hundreds of thousands of years away), which no scenario comes near.
    pub fn stamp(&self, t: SimTime, utc_reading: bool) -> Stamp {
        let offset = if utc_reading { utc() } else { self.offset() };
        self.origin
            .checked_add_signed(TimeDelta::milliseconds(t))
            .unwrap_or(self.origin)
            .with_timezone(&offset)
    }

    /// `15:34` in the local zone.
    pub fn hhmm_local(&self, t: SimTime) -> String {
        hhmm(&self.stamp(t, false))
    }

    /// `20:34` in UTC.
    pub fn hhmm_utc(&self, t: SimTime) -> String {
        hhmm(&self.stamp(t, true))
    }

    /// `15:34:07` in the local zone.
    pub fn hhmmss_local(&self, t: SimTime) -> String {
        hhmmss(&self.stamp(t, false))
    }

    /// `20:34:07` in UTC.
    pub fn hhmmss_utc(&self, t: SimTime) -> String {
        hhmmss(&self.stamp(t, true))
    }

    /// RFC 3339 with the local offset, to the second: `2024-07-10T15:34:00-05:00`.
    pub fn rfc3339(&self, t: SimTime) -> String {
        let s = self.stamp(t, false);
        format!("{}{}", date_time(&s), format_offset(self.offset()))
    }

    /// RFC 3339 in UTC, to the second: `2024-07-10T20:34:00Z`.
    pub fn rfc3339_utc(&self, t: SimTime) -> String {
        format!("{}Z", date_time(&self.stamp(t, true)))
    }

    /// `Jul 23` in the local zone.
    pub fn date_label(&self, t: SimTime) -> String {
        date_label(&self.stamp(t, false))
    }

    /// `Jul 23` in UTC.
    pub fn date_label_utc(&self, t: SimTime) -> String {
        date_label(&self.stamp(t, true))
    }

    /// True when `t` falls on the origin's calendar day, read in the local zone (`utc` false)
    /// or in UTC (`utc` true); the origin's day is always its local day.
    pub fn on_origin_date(&self, t: SimTime, utc_reading: bool) -> bool {
        self.stamp(t, utc_reading).date_naive() == self.origin.date_naive()
    }

    /// Simulated time of `HH:MM` local time on the origin's day; `None` for a time of day that
    /// does not exist (hour ≥ 24, minute ≥ 60).
    pub fn at_local(&self, hour: u32, minute: u32) -> Option<SimTime> {
        let time = NaiveTime::from_hms_opt(hour, minute, 0)?;
        let local = self
            .origin
            .date_naive()
            .and_time(time)
            .and_local_timezone(self.offset())
            .single()?;
        Some(self.sim_time(local))
    }

    /// Reads an instant as people write it: `15:46`, `15:46:30` or `15:46:30.250` local time on
    /// the origin's day; `2024-07-10T15:46` (seconds and milliseconds optional) local time on
    /// that date; or RFC 3339 with an offset. The one reader of instants for the command line,
    /// links and forms; the error says which shapes are read.
    pub fn parse_instant(&self, text: &str) -> Result<SimTime, String> {
        let text = text.trim();
        if let Ok(at) = parse_rfc3339(text) {
            return Ok(self.sim_time(at));
        }
        let bad = || {
            format!(
                "'{text}' is not a time like 15:46, 15:46:30, {}T15:46 or {}T15:46:00{}",
                self.origin.date_naive(),
                self.origin.date_naive(),
                self.offset_label()
            )
        };
        let (date, time) = match text.split_once('T') {
            Some((date, time)) => (parse_date(date).ok_or_else(bad)?, time),
            None => (self.origin.date_naive(), text),
        };
        let (time, ms) = parse_time_of_day(time).ok_or_else(bad)?;
        let local = date
            .and_time(time)
            .and_local_timezone(self.offset())
            .single()
            .ok_or_else(bad)?;
        Ok(self.sim_time(local) + ms)
    }

    /// An instant for people, with its date when it is not on the origin's day: `15:46 CDT`, or
    /// `2024-07-11 10:00 CDT`.
    pub fn describe(&self, t: SimTime) -> String {
        if self.on_origin_date(t, false) {
            format!("{} {}", self.hhmm_local(t), self.zone_label)
        } else {
            let s = self.stamp(t, false);
            format!("{} {} {}", s.date_naive(), hhmm(&s), self.zone_label)
        }
    }

    /// Milliseconds from the origin to `HH:MM` local time on the origin's day (for times known
    /// to exist; see [`Clock::at_local`]).
    pub fn on_origin_day(&self, hour: i64, minute: i64) -> SimTime {
        self.at_local(hour as u32, minute as u32)
            .expect("a valid time of day")
    }
}

/// `2024-07-10`: four, two and two digits.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut fields = text.split('-');
    let mut number = |len: usize| -> Option<u32> {
        let f = fields.next()?;
        (f.len() == len && f.bytes().all(|b| b.is_ascii_digit()))
            .then(|| f.parse().ok())
            .flatten()
    };
    let (y, m, d) = (number(4)?, number(2)?, number(2)?);
    if fields.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.mmm` (two digits each, three for milliseconds): the time
/// of day and the milliseconds.
fn parse_time_of_day(text: &str) -> Option<(NaiveTime, i64)> {
    let (hms, frac) = match text.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (text, None),
    };
    let mut fields = hms.split(':');
    // The hour may be written with one digit (`9:05`), the rest with two.
    let mut number = |max: u32, lengths: std::ops::RangeInclusive<usize>| -> Option<u32> {
        let f = fields.next()?;
        (lengths.contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
            .then(|| f.parse().ok())
            .flatten()
            .filter(|&n| n <= max)
    };
    let (h, m) = (number(23, 1..=2)?, number(59, 2..=2)?);
    let with_seconds = hms.matches(':').count() == 2;
    let s = if with_seconds { number(59, 2..=2)? } else { 0 };
    if fields.next().is_some() {
        return None;
    }
    let ms = match frac {
        None => 0,
        Some(f) if with_seconds && f.len() == 3 && f.bytes().all(|b| b.is_ascii_digit()) => {
            f.parse().ok()?
        }
        Some(_) => return None,
    };
    Some((NaiveTime::from_hms_opt(h, m, s)?, ms))
}

fn hhmm(s: &Stamp) -> String {
    format!("{:02}:{:02}", s.hour(), s.minute())
}

fn hhmmss(s: &Stamp) -> String {
    format!("{:02}:{:02}:{:02}", s.hour(), s.minute(), s.second())
}

fn date_time(s: &Stamp) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        s.year(),
        s.month(),
        s.day(),
        s.hour(),
        s.minute(),
        s.second()
    )
}

fn date_label(s: &Stamp) -> String {
    format!("{} {}", MONTHS[s.month0() as usize], s.day())
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

    fn unix_ms(s: &Stamp) -> i64 {
        s.timestamp_millis()
    }

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
    fn instants_are_read_in_every_shape_people_write() {
        let origin = parse_rfc3339("2024-07-10T00:00:00-05:00").unwrap();
        let clock = Clock::new(origin, "CDT");
        let at = |h, m| clock.on_origin_day(h, m);
        assert_eq!(clock.parse_instant("15:46"), Ok(at(15, 46)));
        assert_eq!(clock.parse_instant(" 9:05 "), Ok(at(9, 5)));
        assert_eq!(clock.parse_instant("15:46:30.250"), Ok(at(15, 46) + 30_250));
        assert_eq!(clock.parse_instant("2024-07-10T15:46"), Ok(at(15, 46)));
        assert_eq!(
            clock.parse_instant("2024-07-11T10:00"),
            Ok(at(10, 0) + 24 * HOUR)
        );
        assert_eq!(clock.parse_instant("2024-07-10T20:46:00Z"), Ok(at(15, 46)));
        for bad in [
            "25:00",
            "15:4",
            "15:46:61",
            "15:46.5",
            "15:46:00.5",
            "x",
            "2024-7-10T15:46",
            "",
        ] {
            let e = clock.parse_instant(bad).unwrap_err();
            assert!(e.contains("is not a time like 15:46"), "{bad}: {e}");
        }
        assert_eq!(clock.describe(at(15, 46)), "15:46 CDT");
        assert_eq!(
            clock.describe(at(10, 0) + 24 * HOUR),
            "2024-07-11 10:00 CDT"
        );
    }

    #[test]
    fn rfc3339_parses_offsets_and_fractions() {
        let a = parse_rfc3339("2024-07-10T15:34:00-05:00").unwrap();
        let b = parse_rfc3339("2024-07-10T20:34:00Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(unix_ms(&a), 1_720_643_640_000);
        assert_eq!(a.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(
            unix_ms(&parse_rfc3339("2024-07-10T20:34:00.25Z").unwrap()),
            1_720_643_640_250
        );
        assert_eq!(
            unix_ms(&parse_rfc3339("2024-02-29T00:00:00+01:00").unwrap()),
            1_709_161_200_000
        );
        for bad in [
            "2024-07-10 15:34",
            "2024-13-10T15:34:00Z",
            "2023-02-29T00:00:00Z",
            "2024-07-10T24:00:00Z",
            "2024-07-10T15:34:00",
            "2024-07-10T15:34:00+5:00",
            "2024-07-10T15:34:00-05:00x",
            "日本語日本語日本語日本語",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn offsets_have_one_shape() {
        assert_eq!(
            parse_offset("-05:00").map(|o| o.local_minus_utc()),
            Some(-18_000)
        );
        assert_eq!(
            parse_offset("+05:30").map(|o| o.local_minus_utc()),
            Some(19_800)
        );
        for bad in ["Z", "-5:00", "-0500", "+24:00", "05:00", "-05:00 "] {
            assert!(parse_offset(bad).is_none(), "{bad}");
        }
        assert_eq!(format_offset(parse_offset("-05:00").unwrap()), "-05:00");
        assert_eq!(format_offset(utc()), "+00:00");
    }

    #[test]
    fn clock_shows_local_and_utc() {
        let clock = Clock::new(parse_rfc3339("2024-07-10T00:00:00-05:00").unwrap(), "CDT");
        let t = 15 * HOUR + 34 * MINUTE;
        assert_eq!(clock.hhmm_local(t), "15:34");
        assert_eq!(clock.hhmm_utc(t), "20:34");
        assert_eq!(clock.hhmmss_local(t + 7 * SECOND), "15:34:07");
        assert_eq!(clock.rfc3339(t), "2024-07-10T15:34:00-05:00");
        assert_eq!(clock.rfc3339_utc(t), "2024-07-10T20:34:00Z");
        assert_eq!(clock.date_label(13 * 24 * HOUR), "Jul 23");
        assert_eq!(clock.date_label_utc(t + 5 * HOUR), "Jul 11");
        assert_eq!(clock.on_origin_day(15, 34), t);
        assert_eq!(clock.at_local(24, 0), None);
        assert_eq!(clock.offset_label(), "-05:00");
        assert!(clock.on_origin_date(t, false));
        assert!(
            !clock.on_origin_date(t + 5 * HOUR, true),
            "21:34 CDT is the next day in UTC"
        );
        assert_eq!(
            clock.sim_time(parse_rfc3339("2024-07-10T20:34:00Z").unwrap()),
            t
        );
        // Before the origin: the previous day.
        assert_eq!(clock.hhmm_local(-HOUR), "23:00");
        assert_eq!(clock.date_label(-HOUR), "Jul 9");
    }
}
