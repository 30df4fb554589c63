//! The delivery path of calendar changes, and what an outage costs it.
//!
//! Calendar changes reach the service as change notifications from the calendar provider.
//! Changes follow the customers' working day (`WorkingDay`), so an outage at 3 am costs less
//! than one at 3 pm. While the service is gone, a change made at `t` on a site without it is
//! *missed*, and then:
//!
//! - if that site's subscription has lapsed by `t` (expiries spread evenly over the lifetime,
//!   nothing renews them while the service is gone), no notification is sent at all;
//! - otherwise the provider drops a share of notifications outright (an endpoint that does not
//!   answer in time is throttled), and retries the rest with growing intervals: the next attempt
//!   after the service is back comes about half as long after the return as the notification
//!   had been waiting, and only if that is still within the retry window from the change;
//! - whatever the provider did not redeliver can only be recovered by re-reading the calendars:
//!   the looper run by hand (which may fail for some sites) or the automatic replay, each of
//!   which reads back as far as the replay horizon from the moment it reads; a re-read also
//!   delivers sooner what the provider would redeliver later.
//!
//! A change delivered after its meeting has started (a room booked for now) is lost even when
//! it is delivered; meeting lead times are exponential with a stated mean. A looper run by hand
//! re-sends everything in its window and duplicates a share of it; the automatic replay is
//! idempotent. Subscriptions that lapsed are re-created when the service is back.
//!
//! Counts are expected values (integrals over the outage, by Gauss–Legendre quadrature on the
//! pieces where the integrand is smooth), rounded to whole events: no random noise of their
//! own, so a parameter moves them smoothly. Pure arithmetic with `libm`, the same natively and
//! in the browser.

use crate::metrics::EventCounts;
use crate::time::{Millis, SimTime, HOUR};

/// The customers' working day, in the scenario's clock: calendar changes arrive at the full
/// rate inside it, at `off_share` of it outside, with an hour's linear ramp centred on each end
/// (customers are spread over time zones).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkingDay {
    /// Start and end as milliseconds after local midnight; an end before the start is a working
    /// day across midnight, and equal ones mean no working day.
    pub start: Millis,
    pub end: Millis,
    pub off_share: f64,
    /// Local time of day at simulated time 0, in milliseconds after midnight.
    pub offset: Millis,
}

const DAY: Millis = 24 * HOUR;
const RAMP: Millis = HOUR;

impl WorkingDay {
    /// The share of the working-day rate at which changes arrive at `t`.
    pub fn share(&self, t: SimTime) -> f64 {
        let span = (self.end - self.start).rem_euclid(DAY);
        let x = (t + self.offset - self.start).rem_euclid(DAY);
        // The trapezoid of one working day (ramps half an hour either side of its ends),
        // seen from this day and its neighbours, so the ramps work across midnight.
        let trapezoid = |y: f64| {
            let half = RAMP as f64 / 2.0;
            ((y + half).min(span as f64 + half - y) / RAMP as f64).clamp(0.0, 1.0)
        };
        let on = if span == 0 {
            0.0
        } else {
            [-1.0, 0.0, 1.0]
                .iter()
                .map(|k| trapezoid(x as f64 + k * DAY as f64))
                .fold(0.0, f64::max)
        };
        self.off_share + (1.0 - self.off_share) * on
    }

    /// The moments in `[from, to]` where the rate changes slope: the ramps' ends.
    fn breakpoints(&self, from: SimTime, to: SimTime, out: &mut Vec<SimTime>) {
        let half = RAMP / 2;
        let first_day = (from + self.offset).div_euclid(DAY) - 1;
        let last_day = (to + self.offset).div_euclid(DAY) + 1;
        for day in first_day..=last_day {
            let midnight = day * DAY - self.offset;
            for edge in [self.start, self.end] {
                for t in [midnight + edge - half, midnight + edge + half] {
                    if t > from && t < to {
                        out.push(t);
                    }
                }
            }
        }
    }
}

/// The delivery path's assumptions, in engine units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeliveryPath {
    /// Calendar changes per site per millisecond inside the working day.
    pub rate: f64,
    pub day: WorkingDay,
    pub retry_window: Millis,
    pub drop_share: f64,
    pub subscription_lifetime: Millis,
    /// Mean time from a change to the meeting it is for.
    pub meeting_lead: Millis,
    pub replay_horizon: Millis,
    pub duplicate_share: f64,
}

/// How the calendars were re-read after the outage, if they were.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reread {
    None,
    /// The looper run by hand read them at `at`, and failed for `failed_share` of the sites.
    Looper {
        at: SimTime,
        failed_share: f64,
    },
    /// The automatic replay read them at `at` and delivered them by `delivered`.
    Automatic {
        at: SimTime,
        delivered: SimTime,
    },
}

/// The outage as the delivery path sees it: from when sites lost the service to when it came
/// back, with the share of sites without it over that time (a step function).
pub struct Outage<'a> {
    pub gone: SimTime,
    pub restored: SimTime,
    /// `(from, share)`: from `from` on (until the next), `share` of the sites are without the
    /// service. In time order; the first starts at `gone`.
    pub shares: &'a [(SimTime, f64)],
}

/// Gauss–Legendre nodes and weights on [-1, 1], four points: exact for polynomials up to
/// degree 7, and close for the smooth exponentials here on pieces no longer than the lead time.
const NODES: [f64; 4] = [
    -0.861_136_311_594_052_6,
    -0.339_981_043_584_856_3,
    0.339_981_043_584_856_3,
    0.861_136_311_594_052_6,
];
const WEIGHTS: [f64; 4] = [
    0.347_854_845_137_453_9,
    0.652_145_154_862_546_1,
    0.652_145_154_862_546_1,
    0.347_854_845_137_453_9,
];
/// At most this many pieces in one integral, however long the outage.
const MAX_PIECES: usize = 96;

/// The share of changes made `age` before delivery whose meeting has not started yet.
fn kept(age: f64, lead: f64) -> f64 {
    if age <= 0.0 {
        1.0
    } else {
        libm::exp(-age / lead)
    }
}

impl DeliveryPath {
    /// What became of the changes the outage made the service miss.
    pub fn count(&self, sites: f64, outage: &Outage, reread: Reread) -> EventCounts {
        let (g, r) = (outage.gone, outage.restored);
        if r <= g || sites <= 0.0 || self.rate <= 0.0 {
            return EventCounts::default();
        }
        let lead = self.meeting_lead.max(1) as f64;
        let life = self.subscription_lifetime.max(1) as f64;
        let window = self.retry_window as f64;
        let (read_at, cover_from, failed, delivered_at, manual) = match reread {
            Reread::None => (None, SimTime::MAX, 0.0, 0, false),
            Reread::Looper { at, failed_share } => (
                Some(at),
                at.saturating_sub(self.replay_horizon),
                failed_share.clamp(0.0, 1.0),
                at,
                true,
            ),
            Reread::Automatic { at, delivered } => (
                Some(at),
                at.saturating_sub(self.replay_horizon),
                0.0,
                delivered,
                false,
            ),
        };
        // The last change the provider can still redeliver: one waiting w at the return is
        // retried about w/2 later, within the window from the change (1.5 w ≤ window).
        let retry_limit = r - (window / 1.5) as Millis;

        let mut cuts = vec![g, r];
        cuts.extend(
            outage
                .shares
                .iter()
                .map(|&(t, _)| t)
                .filter(|&t| t > g && t < r),
        );
        self.day.breakpoints(g, r, &mut cuts);
        for t in [g + self.subscription_lifetime, retry_limit, cover_from] {
            if t > g && t < r {
                cuts.push(t);
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        // Split long pieces so the quadrature follows the meeting-lead exponentials.
        let total = (r - g) as f64;
        let budget = MAX_PIECES.saturating_sub(cuts.len()).max(1) as f64;
        let longest = (lead.max(10.0 * 60_000.0)).max(total / budget);

        let share_at = |t: SimTime| {
            outage
                .shares
                .iter()
                .take_while(|&&(from, _)| from <= t)
                .last()
                .map_or(0.0, |&(_, s)| s)
        };
        // Per change made at t (per unit of density): [missed, recovered, redelivered by the
        // provider, re-sent by the looper].
        let per_change = |t: f64| -> [f64; 4] {
            let lapsed = ((t - g as f64) / life).clamp(0.0, 1.0);
            let waiting = r as f64 - t;
            let retried = (1.0 - lapsed) * (1.0 - self.drop_share);
            let redelivered = if t >= retry_limit as f64 {
                retried
            } else {
                0.0
            };
            let provider_at = r as f64 + waiting / 2.0;
            let covered = read_at.is_some() && t >= cover_from as f64;
            let recovered = if covered {
                let reread_at = delivered_at as f64;
                let sooner = provider_at.min(reread_at);
                redelivered
                    * ((1.0 - failed) * kept(sooner - t, lead)
                        + failed * kept(provider_at - t, lead))
                    + (1.0 - redelivered) * (1.0 - failed) * kept(reread_at - t, lead)
            } else {
                redelivered * kept(provider_at - t, lead)
            };
            let resent = if covered && manual { 1.0 - failed } else { 0.0 };
            [1.0, recovered, redelivered, resent]
        };

        let mut sums = [0.0f64; 4];
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let length = (b - a) as f64;
            let pieces = (length / longest).ceil().max(1.0) as usize;
            let step = length / pieces as f64;
            // The share of sites and the delivery rules are constant inside a piece.
            let share = share_at(a);
            if share <= 0.0 {
                continue;
            }
            for p in 0..pieces {
                let lo = a as f64 + step * p as f64;
                let half = step / 2.0;
                let mid = lo + half;
                for (x, w) in NODES.iter().zip(WEIGHTS) {
                    let t = mid + half * x;
                    let density = sites * share * self.rate * self.day.share(t as SimTime);
                    let v = per_change(t);
                    for (sum, v) in sums.iter_mut().zip(v) {
                        *sum += w * half * density * v;
                    }
                }
            }
        }
        let round = |x: f64| (x.max(0.0) + 0.5) as u64;
        let missed = round(sums[0]);
        let recovered = round(sums[1]).min(missed);
        EventCounts {
            missed,
            recovered,
            lost: missed - recovered,
            duplicated: round(sums[3] * self.duplicate_share),
            redelivered: round(sums[2]).min(missed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    fn path() -> DeliveryPath {
        DeliveryPath {
            rate: 30.0 / HOUR as f64,
            day: WorkingDay {
                start: 7 * HOUR,
                end: 19 * HOUR,
                off_share: 0.1,
                offset: 0,
            },
            retry_window: 4 * HOUR,
            drop_share: 0.5,
            subscription_lifetime: 4_230 * MINUTE,
            meeting_lead: 48 * HOUR,
            replay_horizon: 4 * HOUR,
            duplicate_share: 0.02,
        }
    }

    fn full(gone: SimTime, restored: SimTime) -> (SimTime, SimTime, [(SimTime, f64); 1]) {
        (gone, restored, [(gone, 1.0)])
    }

    #[test]
    fn the_working_day_has_ramps_and_wraps_midnight() {
        let d = path().day;
        assert_eq!(d.share(12 * HOUR), 1.0);
        assert_eq!(d.share(3 * HOUR), 0.1);
        assert!(
            (d.share(7 * HOUR) - 0.55).abs() < 1e-12,
            "half way up the ramp"
        );
        assert_eq!(d.share(12 * HOUR + DAY), 1.0, "every day");
        let night = WorkingDay {
            start: 22 * HOUR,
            end: 6 * HOUR,
            ..d
        };
        assert_eq!(night.share(HOUR), 1.0);
        assert_eq!(night.share(12 * HOUR), 0.1);
    }

    #[test]
    fn an_afternoon_outage_misses_the_record_rate_and_a_night_one_a_tenth() {
        let p = path();
        let (g, r, shares) = full(14 * HOUR + 34 * MINUTE, 17 * HOUR + MINUTE);
        let o = Outage {
            gone: g,
            restored: r,
            shares: &shares,
        };
        let day = p.count(120.0, &o, Reread::None);
        assert_eq!(day.missed, 8_820, "120 sites × 30/h × 2 h 27 min");
        let (g, r, shares) = full(2 * HOUR, 4 * HOUR + 27 * MINUTE);
        let night = p.count(
            120.0,
            &Outage {
                gone: g,
                restored: r,
                shares: &shares,
            },
            Reread::None,
        );
        assert_eq!(night.missed, 882);
    }

    #[test]
    fn retries_redeliver_what_was_not_dropped_and_a_reread_recovers_the_rest() {
        let p = path();
        let (g, r, shares) = full(14 * HOUR + 34 * MINUTE, 17 * HOUR + MINUTE);
        let o = Outage {
            gone: g,
            restored: r,
            shares: &shares,
        };
        let none = p.count(120.0, &o, Reread::None);
        // Half dropped, a little lapsed; the rest redelivered, a few after their meeting.
        assert!((4_200..4_400).contains(&none.redelivered), "{none:?}");
        assert!(
            none.lost > 4_400,
            "no re-read: the dropped are lost: {none:?}"
        );
        let looper = p.count(
            120.0,
            &o,
            Reread::Looper {
                at: 17 * HOUR + 40 * MINUTE,
                failed_share: 0.0,
            },
        );
        assert!(
            looper.lost < 600,
            "only meetings already started: {looper:?}"
        );
        assert_eq!(looper.duplicated, 176, "2 % of everything re-sent");
        let auto = p.count(
            120.0,
            &o,
            Reread::Automatic {
                at: r,
                delivered: r + 5 * MINUTE,
            },
        );
        assert!(auto.lost < looper.lost, "sooner is better");
        assert_eq!(auto.duplicated, 0);
        // A longer outage than the retry window: the provider gives up on the oldest.
        let (g, r, shares) = full(8 * HOUR, 16 * HOUR);
        let long = p.count(
            120.0,
            &Outage {
                gone: g,
                restored: r,
                shares: &shares,
            },
            Reread::None,
        );
        assert!(long.redelivered * 3 < long.missed, "{long:?}");
    }

    #[test]
    fn counts_move_smoothly_with_the_restore() {
        let p = path();
        let g = 14 * HOUR;
        let mut last: Option<EventCounts> = None;
        for minute in (30..600).step_by(1) {
            let r = g + minute * MINUTE;
            let shares = [(g, 1.0)];
            let c = p.count(
                120.0,
                &Outage {
                    gone: g,
                    restored: r,
                    shares: &shares,
                },
                Reread::Looper {
                    at: r + 30 * MINUTE,
                    failed_share: 0.0,
                },
            );
            if let Some(l) = last {
                // A minute more of outage misses a minute more of changes (60 here), and loses
                // at most those and the minute that slides out of the replay horizon.
                assert!(c.missed >= l.missed && c.missed <= l.missed + 61);
                assert!(c.lost + 8 >= l.lost, "minute {minute}: {l:?} → {c:?}");
                assert!(c.lost <= l.lost + 125, "minute {minute}: {l:?} → {c:?}");
            }
            last = Some(c);
        }
    }
}
