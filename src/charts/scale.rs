//! Scales: simulated time to pixels with clock-aligned ticks, and linear or logarithmic value
//! scales with readable ticks for histograms.

use outage_sim::time::{Clock, Millis, SimTime, HOUR, MINUTE, SECOND};

/// Maps simulated time in `[t0, t1]` to pixels in `[x0, x1]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub t0: SimTime,
    pub t1: SimTime,
    pub x0: f64,
    pub x1: f64,
}

/// A labelled tick on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeTick {
    pub t: SimTime,
    pub x: f64,
    /// `15:00` in the scenario's zone.
    pub local: String,
    /// `20:00` in UTC.
    pub utc: String,
}

/// Steps a time axis may use, smallest first.
const TIME_STEPS: [Millis; 12] = [
    MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    24 * HOUR,
    48 * HOUR,
];

impl TimeScale {
    pub fn new(t0: SimTime, t1: SimTime, x0: f64, x1: f64) -> Self {
        Self {
            t0,
            t1: t1.max(t0 + 1),
            x0,
            x1,
        }
    }

    pub fn x(&self, t: SimTime) -> f64 {
        self.x0 + (t - self.t0) as f64 / (self.t1 - self.t0) as f64 * (self.x1 - self.x0)
    }

    /// The time under pixel `x`, clamped to the domain.
    pub fn t(&self, x: f64) -> SimTime {
        let f = ((x - self.x0) / (self.x1 - self.x0)).clamp(0.0, 1.0);
        self.t0 + (f * (self.t1 - self.t0) as f64).round() as SimTime
    }

    /// The smallest step that keeps ticks at least `min_px` apart.
    pub fn step(&self, min_px: f64) -> Millis {
        let px_per_ms = (self.x1 - self.x0) / (self.t1 - self.t0) as f64;
        TIME_STEPS
            .iter()
            .copied()
            .find(|&s| s as f64 * px_per_ms >= min_px)
            .unwrap_or(TIME_STEPS[TIME_STEPS.len() - 1])
    }

    /// Ticks on whole multiples of the step on the local clock, at least `min_px` apart.
    pub fn ticks(&self, clock: &Clock, min_px: f64) -> Vec<TimeTick> {
        let step = self.step(min_px);
        // Align to the local clock: the origin is a local midnight or a whole minute.
        let first = self.t0.div_euclid(step) * step
            + if self.t0.rem_euclid(step) == 0 {
                0
            } else {
                step
            };
        let mut out = Vec::new();
        let mut t = first;
        while t <= self.t1 {
            out.push(TimeTick {
                t,
                x: self.x(t),
                local: clock.hhmm_local(t),
                utc: clock.hhmm_utc(t),
            });
            t += step;
        }
        out
    }
}

/// Rounds `t` down to a multiple of `step`.
pub fn floor_to(t: SimTime, step: Millis) -> SimTime {
    t.div_euclid(step) * step
}

/// Rounds `t` up to a multiple of `step`.
pub fn ceil_to(t: SimTime, step: Millis) -> SimTime {
    -(-t).div_euclid(step) * step
}

/// A value scale, linear or logarithmic, from a domain to pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueScale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
    pub log: bool,
}

impl ValueScale {
    pub fn linear(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        Self {
            d0,
            d1: if d1 > d0 { d1 } else { d0 + 1.0 },
            r0,
            r1,
            log: false,
        }
    }

    /// Logarithmic; the domain must be positive (it is clamped to at least `1e-9`).
    pub fn log(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        let d0 = d0.max(1e-9);
        Self {
            d0,
            d1: if d1 > d0 { d1 } else { d0 * 10.0 },
            r0,
            r1,
            log: true,
        }
    }

    fn f(&self, v: f64) -> f64 {
        if self.log {
            v.max(1e-9).ln()
        } else {
            v
        }
    }

    pub fn px(&self, v: f64) -> f64 {
        let (a, b) = (self.f(self.d0), self.f(self.d1));
        self.r0 + (self.f(v) - a) / (b - a) * (self.r1 - self.r0)
    }

    /// The value at fraction `f` (0..1) of the domain.
    pub fn at_fraction(&self, f: f64) -> f64 {
        if self.log {
            (self.d0.ln() + f * (self.d1.ln() - self.d0.ln())).exp()
        } else {
            self.d0 + f * (self.d1 - self.d0)
        }
    }
}

/// Readable duration ticks (in milliseconds) within `[lo, hi]`: 1 s, 10 s, 1 min, 10 min, 1 h…
/// for a log axis, or evenly spaced for a linear one.
pub fn duration_ticks(lo: f64, hi: f64, log: bool) -> Vec<f64> {
    const CANDIDATES: [Millis; 16] = [
        SECOND,
        5 * SECOND,
        10 * SECOND,
        30 * SECOND,
        MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        6 * HOUR,
        12 * HOUR,
        24 * HOUR,
        48 * HOUR,
        96 * HOUR,
    ];
    if log {
        // Round numbers about a decade apart, so labels never crowd.
        const LOG_TICKS: [Millis; 8] = [
            SECOND,
            10 * SECOND,
            MINUTE,
            10 * MINUTE,
            HOUR,
            6 * HOUR,
            24 * HOUR,
            96 * HOUR,
        ];
        return LOG_TICKS
            .iter()
            .map(|&c| c as f64)
            .filter(|&c| c >= lo && c <= hi)
            .collect();
    }
    let step = CANDIDATES
        .iter()
        .map(|&c| c as f64)
        .find(|&c| (hi - lo) / c <= 6.0)
        .unwrap_or(96.0 * HOUR as f64);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi {
        out.push(t);
        t += step;
    }
    out
}

/// Readable count ticks within `[lo, hi]` (1, 2, 5 × 10^k steps, about five of them).
pub fn count_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1.0);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * magnitude);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::scenario::builtin;

    #[test]
    fn time_scale_maps_both_ways() {
        let s = TimeScale::new(0, 4 * HOUR, 100.0, 900.0);
        assert_eq!(s.x(0), 100.0);
        assert_eq!(s.x(2 * HOUR), 500.0);
        assert_eq!(s.t(500.0), 2 * HOUR);
        assert_eq!(s.t(-50.0), 0);
    }

    #[test]
    fn ticks_fall_on_the_local_clock_and_never_crowd() {
        let scenario = builtin("eptura-2024-07-10").unwrap();
        let clock = &scenario.clock;
        let t0 = clock.on_origin_day(14, 15);
        let t1 = clock.on_origin_day(18, 15);
        let s = TimeScale::new(t0, t1, 0.0, 800.0);
        let ticks = s.ticks(clock, 60.0);
        assert!(ticks.windows(2).all(|w| w[1].x - w[0].x >= 60.0));
        assert_eq!(ticks[0].local, "14:30");
        assert_eq!(ticks[0].utc, "19:30");
        assert!(ticks
            .iter()
            .all(|t| t.local.ends_with(":00") || t.local.ends_with(":30")));
    }

    #[test]
    fn rounding_to_steps() {
        assert_eq!(floor_to(17 * MINUTE, 15 * MINUTE), 15 * MINUTE);
        assert_eq!(ceil_to(17 * MINUTE, 15 * MINUTE), 30 * MINUTE);
        assert_eq!(ceil_to(30 * MINUTE, 15 * MINUTE), 30 * MINUTE);
        assert_eq!(floor_to(-MINUTE, 15 * MINUTE), -15 * MINUTE);
    }

    #[test]
    fn log_scale_spaces_decades_evenly() {
        let s = ValueScale::log(1.0, 1000.0, 0.0, 300.0);
        assert!((s.px(10.0) - 100.0).abs() < 1e-9);
        assert!((s.px(100.0) - 200.0).abs() < 1e-9);
        assert!((s.at_fraction(0.5) - 31.622_776_6).abs() < 1e-6);
    }

    #[test]
    fn duration_ticks_are_readable() {
        let t = duration_ticks(5_000.0, 3.0 * HOUR as f64, true);
        assert_eq!(t, vec![10_000.0, 60_000.0, 600_000.0, HOUR as f64]);
        let t = duration_ticks(0.0, 2.0 * HOUR as f64, false);
        assert!(t.len() <= 7 && t.len() >= 3, "{t:?}");
        assert_eq!(
            count_ticks(0.0, 9000.0),
            vec![0.0, 2000.0, 4000.0, 6000.0, 8000.0]
        );
    }
}
