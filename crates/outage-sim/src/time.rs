//! Simulated time and its wall-clock reading.
//!
//! Simulated time is an integer number of milliseconds from the scenario's origin (`SimTime`).
//! Nothing here reads a clock: wall-clock strings are computed from the origin's fixed offset.
//!
//! The scenario only needs RFC 3339 instants with fixed offsets, `HH:MM` readings and short
//! dates, so this module does that civil-time arithmetic itself (Howard Hinnant's
//! days-from-civil algorithm) instead of linking chrono, whose parser and `strftime` machinery
//! cost the browser app about 20 kB of its 150 kB budget.

/// Milliseconds since the scenario's origin. Signed, so a merge shortly before the origin is fine.
pub type SimTime = i64;

/// A span of simulated time in milliseconds.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;

/// An instant as written in RFC 3339: milliseconds since the Unix epoch, and the UTC offset it
/// was written with (in minutes east of UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub unix_ms: i64,
    pub offset_minutes: i32,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (days since 1970-01-01).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `+HH:MM`, `-HH:MM` or `Z` into minutes east of UTC.
pub fn parse_offset(text: &str) -> Option<i32> {
    if text == "Z" || text == "z" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(sign * (h * 60 + m))
}

fn number(text: &str, digits: usize) -> Option<i64> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
}

/// Parses an RFC 3339 instant with an offset: `2024-07-10T15:34:00-05:00`, `…Z`, with
/// optional fractional seconds.
pub fn parse_rfc3339(text: &str) -> Result<Stamp, &'static str> {
    let text = text.trim();
    if text.len() < 20 || !text.is_char_boundary(10) || !text.is_char_boundary(19) {
        return Err("too short or not ASCII");
    }
    let (date, rest) = text.split_at(10);
    let sep = rest.as_bytes()[0];
    if !matches!(sep, b'T' | b't' | b' ') {
        return Err("no 'T' between date and time");
    }
    let (time, mut zone) = rest[1..].split_at(8);
    let mut millis = 0;
    if let Some(frac) = zone.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err("empty fraction of a second");
        }
        let ms_digits = &frac[..digits.min(3)];
        millis = ms_digits.parse::<i64>().map_err(|_| "bad fraction")?
            * 10_i64.pow(3 - ms_digits.len() as u32);
        zone = &frac[digits..];
    }
    let d: Vec<&str> = date.split('-').collect();
    let t: Vec<&str> = time.split(':').collect();
    if d.len() != 3 || t.len() != 3 {
        return Err("not YYYY-MM-DDTHH:MM:SS");
    }
    let (y, mo, da) = (number(d[0], 4), number(d[1], 2), number(d[2], 2));
    let (h, mi, s) = (number(t[0], 2), number(t[1], 2), number(t[2], 2));
    let (Some(y), Some(mo), Some(da), Some(h), Some(mi), Some(s)) = (y, mo, da, h, mi, s) else {
        return Err("not YYYY-MM-DDTHH:MM:SS");
    };
    if !(1..=12).contains(&mo) || !(1..=days_in_month(y, mo)).contains(&da) {
        return Err("no such date");
    }
    if h > 23 || mi > 59 || s > 59 {
        return Err("no such time of day");
    }
    let offset = parse_offset(zone).ok_or("no offset such as Z or -05:00")?;
    let local_ms = days_from_civil(y, mo, da) * DAY + h * HOUR + mi * MINUTE + s * SECOND + millis;
    Ok(Stamp {
        unix_ms: local_ms - i64::from(offset) * MINUTE,
        offset_minutes: offset,
    })
}

/// `-05:00`, `+00:00`.
pub fn format_offset(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Calendar fields of an instant read at an offset.
struct Civil {
    y: i64,
    mo: i64,
    d: i64,
    h: i64,
    mi: i64,
    s: i64,
}

fn civil(unix_ms: i64, offset_minutes: i32) -> Civil {
    let local = unix_ms + i64::from(offset_minutes) * MINUTE;
    let (y, mo, d) = civil_from_days(local.div_euclid(DAY));
    let in_day = local.rem_euclid(DAY) / SECOND;
    Civil {
        y,
        mo,
        d,
        h: in_day / 3600,
        mi: in_day / 60 % 60,
        s: in_day % 60,
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Converts simulated time to wall-clock time in the scenario's zone and in UTC.
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

    /// The label of the local zone, e.g. `CDT`.
    pub fn zone_label(&self) -> &str {
        &self.zone_label
    }

    /// The local zone's offset, e.g. `-05:00`.
    pub fn offset_label(&self) -> String {
        format_offset(self.origin.offset_minutes)
    }

    /// Simulated instant of a wall-clock instant.
    pub fn sim_time(&self, at: Stamp) -> SimTime {
        at.unix_ms - self.origin.unix_ms
    }

    fn read(&self, t: SimTime, utc: bool) -> Civil {
        civil(
            self.origin.unix_ms + t,
            if utc { 0 } else { self.origin.offset_minutes },
        )
    }

    /// `15:34` in the local zone.
    pub fn hhmm_local(&self, t: SimTime) -> String {
        let c = self.read(t, false);
        format!("{:02}:{:02}", c.h, c.mi)
    }

    /// `20:34` in UTC.
    pub fn hhmm_utc(&self, t: SimTime) -> String {
        let c = self.read(t, true);
        format!("{:02}:{:02}", c.h, c.mi)
    }

    /// `15:34:07` in the local zone.
    pub fn hhmmss_local(&self, t: SimTime) -> String {
        let c = self.read(t, false);
        format!("{:02}:{:02}:{:02}", c.h, c.mi, c.s)
    }

    /// `20:34:07` in UTC.
    pub fn hhmmss_utc(&self, t: SimTime) -> String {
        let c = self.read(t, true);
        format!("{:02}:{:02}:{:02}", c.h, c.mi, c.s)
    }

    /// RFC 3339 with the local offset: `2024-07-10T15:34:00-05:00`.
    pub fn rfc3339(&self, t: SimTime) -> String {
        let c = self.read(t, false);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            c.y,
            c.mo,
            c.d,
            c.h,
            c.mi,
            c.s,
            format_offset(self.origin.offset_minutes)
        )
    }

    /// RFC 3339 in UTC: `2024-07-10T20:34:00Z`.
    pub fn rfc3339_utc(&self, t: SimTime) -> String {
        let c = self.read(t, true);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.y, c.mo, c.d, c.h, c.mi, c.s
        )
    }

    /// `Jul 23` in the local zone.
    pub fn date_label(&self, t: SimTime) -> String {
        let c = self.read(t, false);
        format!("{} {}", MONTHS[(c.mo - 1) as usize], c.d)
    }

    /// `Jul 23` in UTC.
    pub fn date_label_utc(&self, t: SimTime) -> String {
        let c = self.read(t, true);
        format!("{} {}", MONTHS[(c.mo - 1) as usize], c.d)
    }

    /// True when `t` falls on the origin's calendar day, read in the local zone (`utc` false)
    /// or in UTC (`utc` true); the origin's day is always its local day.
    pub fn on_origin_date(&self, t: SimTime, utc: bool) -> bool {
        let (a, b) = (self.read(t, utc), self.read(0, false));
        (a.y, a.mo, a.d) == (b.y, b.mo, b.d)
    }

    /// Milliseconds from the local midnight of the origin's day to `HH:MM` that day.
    pub fn on_origin_day(&self, hour: i64, minute: i64) -> SimTime {
        let c = self.read(0, false);
        (hour * 3600 + minute * 60 - (c.h * 3600 + c.mi * 60 + c.s)) * SECOND
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
    fn rfc3339_parses_offsets_and_fractions() {
        let a = parse_rfc3339("2024-07-10T15:34:00-05:00").unwrap();
        let b = parse_rfc3339("2024-07-10T20:34:00Z").unwrap();
        assert_eq!(a.unix_ms, b.unix_ms);
        assert_eq!(a.unix_ms, 1_720_643_640_000);
        assert_eq!(a.offset_minutes, -300);
        assert_eq!(
            parse_rfc3339("2024-07-10t20:34:00.25z").unwrap().unix_ms,
            1_720_643_640_250
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T00:00:00+01:00").unwrap().unix_ms,
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
    fn civil_dates_round_trip() {
        for z in [-800_000, -1, 0, 1, 19_914, 800_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(19_914), (2024, 7, 10));
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
        assert_eq!(clock.on_origin_day(15, 34), t);
        assert_eq!(clock.offset_label(), "-05:00");
        assert_eq!(
            clock.sim_time(parse_rfc3339("2024-07-10T20:34:00Z").unwrap()),
            t
        );
    }
}
