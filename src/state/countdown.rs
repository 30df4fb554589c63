//! A countdown on the wall clock, for the facilitator's timers (one per inject, one for the
//! whole exercise). Pure: the current wall-clock time (milliseconds since the Unix epoch) is an
//! input to every verb, so the reducer stays deterministic and tests need no clock.

use serde::{Deserialize, Serialize};

/// A countdown that can be set, started, paused and given more time; it goes negative once up
/// (the display says how long ago it ran out).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Countdown {
    /// What it was last set to, in milliseconds.
    pub set_to_ms: i64,
    /// What was left when it was last paused, set or changed.
    pub left_ms: i64,
    /// When it was started, if it runs.
    pub running_since: Option<f64>,
}

impl Countdown {
    pub fn new(ms: i64) -> Countdown {
        Countdown {
            set_to_ms: ms,
            left_ms: ms,
            running_since: None,
        }
    }

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Milliseconds left at `now` (negative once up).
    pub fn remaining(&self, now: f64) -> i64 {
        match self.running_since {
            Some(since) => self.left_ms - (now - since).max(0.0) as i64,
            None => self.left_ms,
        }
    }

    pub fn is_up(&self, now: f64) -> bool {
        self.remaining(now) <= 0
    }

    pub fn start(&mut self, now: f64) {
        if self.running_since.is_none() {
            self.running_since = Some(now);
        }
    }

    pub fn pause(&mut self, now: f64) {
        self.left_ms = self.remaining(now);
        self.running_since = None;
    }

    /// Sets it to `ms` (stopped).
    pub fn set(&mut self, ms: i64) {
        *self = Countdown::new(ms);
    }

    /// Gives it `ms` more (running or not).
    pub fn add(&mut self, ms: i64, now: f64) {
        let running = self.is_running();
        self.left_ms = self.remaining(now) + ms;
        self.running_since = running.then_some(now);
    }

    /// `4:59`, `0:00`, `−1:30` (minutes and seconds; hours as minutes).
    pub fn text(&self, now: f64) -> String {
        let left = self.remaining(now);
        // Round up while it runs, so it reads 0:00 exactly when it is up.
        let secs = if left > 0 {
            (left + 999) / 1000
        } else {
            -((-left) / 1000)
        };
        let sign = if secs < 0 { "−" } else { "" };
        let secs = secs.unsigned_abs();
        format!("{sign}{}:{:02}", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_pauses_and_takes_more_time() {
        let mut c = Countdown::new(300_000);
        assert_eq!(c.text(0.0), "5:00");
        c.start(1_000.0);
        assert_eq!(c.remaining(61_000.0), 240_000);
        assert_eq!(c.text(61_500.0), "4:00", "rounds up while it runs");
        c.pause(61_000.0);
        assert_eq!(
            c.remaining(500_000.0),
            240_000,
            "paused: the clock does not move"
        );
        c.add(60_000, 500_000.0);
        assert_eq!(c.remaining(500_000.0), 300_000);
        c.start(600_000.0);
        c.add(60_000, 700_000.0);
        assert_eq!(c.remaining(700_000.0), 260_000, "added while running");
        assert!(c.is_running());
        assert!(!c.is_up(700_000.0));
        assert!(c.is_up(960_000.0));
        assert_eq!(c.text(1_050_000.0), "−1:30", "says how long ago it ran out");
        c.set(120_000);
        assert_eq!((c.is_running(), c.text(9e9)), (false, "2:00".into()));
    }
}
