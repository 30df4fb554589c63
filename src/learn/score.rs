//! The debrief's score: built from the learner's simulated day, not from matching the record.
//!
//! 1. **Where the day falls among the record's simulated days.** The record was run 2 000 times
//!    with every delay drawn from its distribution (`Reference`, computed when the app is
//!    built). For the learner's time until the service was back and for the calendar events
//!    lost for good, the share of those days that went worse (equal ones count half) is taken;
//!    the base is the mean of the two shares, 0 to 100. A day like the record's own lands near
//!    the middle.
//! 2. **Confidence.** Each decision was made not sure, fairly sure or sure (weights ½, ¾, 1).
//!    The score is `50 + (base − 50) × mean weight`: confidence stretches the result away from
//!    the middle, so sure calls on a day that went better than the record's usual earn more, and
//!    sure calls on a day that went worse cost more than hesitant ones.
//!
//! For the same confidences, a day that is better in both figures never scores lower (the
//! shares cannot fall as a figure improves, and the stretch is the same): tested below over
//! played days.

use outage_sim::trace::Detector;
use outage_sim::RunRecord;

use super::Confidence;

/// The record's simulated days: quantile tables (every half per cent, ascending) of the sampled
/// runs of the record, and which detector caught the outage first with all of them on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference {
    pub runs: u64,
    pub seed: u64,
    /// Time until the service was back (ms).
    pub mitigate_ms: &'static [f64],
    /// Calendar events lost for good.
    pub lost: &'static [f64],
    /// Time until someone noticed (ms).
    pub detect_ms: &'static [f64],
    /// (detector id, share of the runs it detected first) with every detector on.
    pub first_catch: &'static [(&'static str, f64)],
    pub first_catch_runs: u64,
}

impl Reference {
    /// The value at quantile `q` (0–1) of a table.
    pub fn quantile(table: &[f64], q: f64) -> f64 {
        let last = table.len().saturating_sub(1);
        table[((q * last as f64).round() as usize).min(last)]
    }

    /// The detector that most often caught the outage first, with its share.
    pub fn first_catcher(&self) -> Option<(Detector, f64)> {
        self.first_catch
            .iter()
            .filter_map(|&(id, share)| Some((super::detector_from_id(id)?, share)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    pub fn share_of(&self, d: Detector) -> f64 {
        self.first_catch
            .iter()
            .find(|(id, _)| *id == d.id())
            .map_or(0.0, |(_, s)| *s)
    }
}

/// The share (0–1) of a table's values worse (higher) than `x`, equal ones counting half.
pub fn share_worse(table: &[f64], x: f64) -> f64 {
    if table.is_empty() {
        return 0.5;
    }
    let above = table.iter().filter(|&&v| v > x).count() as f64;
    let equal = table.iter().filter(|&&v| v == x).count() as f64;
    (above + equal / 2.0) / table.len() as f64
}

/// What a confidence weighs in the stretch.
pub fn weight(c: Confidence) -> f64 {
    match c {
        Confidence::Low => 0.5,
        Confidence::Medium => 0.75,
        Confidence::High => 1.0,
    }
}

/// A score with its parts, for the paragraph that explains it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// 0–100.
    pub value: u32,
    /// Share of the record's simulated days whose service came back later.
    pub mitigate_share: f64,
    /// Share of them that lost more events (equal ones half).
    pub lost_share: f64,
    /// The mean of the two, 0–100.
    pub base: f64,
    /// The mean confidence weight.
    pub stretch: f64,
}

/// The score of a learner's day with these confidences.
pub fn score(reference: &Reference, day: &RunRecord, confidences: &[Confidence]) -> Score {
    let mitigate = outage_sim::metrics::Metric::TimeToMitigate
        .value(day)
        .unwrap_or(0.0);
    let mitigate_share = share_worse(reference.mitigate_ms, mitigate);
    let lost_share = share_worse(reference.lost, day.events.lost as f64);
    let base = 100.0 * (mitigate_share + lost_share) / 2.0;
    let stretch = if confidences.is_empty() {
        1.0
    } else {
        confidences.iter().map(|&c| weight(c)).sum::<f64>() / confidences.len() as f64
    };
    let value = (50.0 + (base - 50.0) * stretch).clamp(0.0, 100.0).round() as u32;
    Score {
        value,
        mitigate_share,
        lost_share,
        base,
        stretch,
    }
}

/// The paragraph that explains a score.
pub fn explain(reference: &Reference, s: &Score) -> String {
    let pct = |x: f64| format!("{:.0} %", 100.0 * x);
    format!(
        "Your score comes from your simulated day, not from matching the record. The record was run {} times with every delay drawn from its range: your service came back sooner than in {} of those days, and your day lost fewer calendar events for good than {} of them (equal days count half). The mean of the two is {:.0} out of 100. Your confidence then stretches it away from 50 (not sure ×0.5, fairly sure ×0.75, sure ×1; yours average ×{:.2}): sure calls on a day better than the record's usual earn more, and sure calls on a worse day cost more than hesitant ones. Score: {}.",
        super::group_count(reference.runs as f64),
        pct(s.mitigate_share),
        pct(s.lost_share),
        s.base,
        s.stretch,
        s.value
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::builtin::LEARN_REFERENCE;
    use crate::learn::tests::{play, setup};
    use crate::learn::{Choice, Drill};
    use proptest::prelude::*;

    #[test]
    fn shares_fall_as_a_figure_grows_and_ties_count_half() {
        let t = [1.0, 2.0, 2.0, 3.0];
        assert_eq!(share_worse(&t, 0.0), 1.0);
        assert_eq!(share_worse(&t, 2.0), 0.5);
        assert_eq!(share_worse(&t, 5.0), 0.0);
        let mut last = 1.0;
        for x in 0..40 {
            let s = share_worse(&t, x as f64 / 10.0);
            assert!(s <= last);
            last = s;
        }
    }

    #[test]
    fn the_reference_is_the_record_s_own_distribution() {
        let r = LEARN_REFERENCE;
        assert_eq!(r.mitigate_ms.len(), 201);
        assert!(r.mitigate_ms.windows(2).all(|w| w[0] <= w[1]));
        // The record's median time to mitigate is calibrated to the recorded 2 h 27 min.
        let median = Reference::quantile(r.mitigate_ms, 0.5);
        assert!((median / 8_820_000.0 - 1.0).abs() < 0.05, "{median}");
        let shares: f64 = r.first_catch.iter().map(|(_, s)| s).sum();
        assert!((shares - 1.0).abs() < 1e-9);
        assert!(r.first_catcher().is_some());
    }

    #[test]
    fn confidence_stretches_away_from_the_middle_both_ways() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let record = drill.record();
        // Roll back at the first stop that offers it (the plausible branches offer it once
        // the room could suspect the change).
        let roll_back = Choice::Act(outage_sim::intervention::ActionId::RollBack);
        let mut rolled = false;
        let good = drill
            .day(&play(&drill, |_, offered| {
                if !rolled && offered.contains(&roll_back) {
                    rolled = true;
                    roll_back
                } else {
                    Choice::Wait
                }
            }))
            .0;
        let r = LEARN_REFERENCE;
        let sure = score(&r, &good, &[Confidence::High; 6]);
        let unsure = score(&r, &good, &[Confidence::Low; 6]);
        assert!(
            sure.base > 50.0 && sure.value > unsure.value,
            "{sure:?} {unsure:?}"
        );
        let mut bad = record;
        bad.restored_at = bad.restored_at.map(|t| t + 3 * 3_600_000);
        bad.events.lost += 5_000;
        let sure_bad = score(&r, &bad, &[Confidence::High; 6]);
        let unsure_bad = score(&r, &bad, &[Confidence::Low; 6]);
        assert!(
            sure_bad.base < 50.0 && sure_bad.value < unsure_bad.value,
            "a confident wrong call costs more"
        );
        assert!(explain(&r, &sure).contains(&format!("Score: {}", sure.value)));
    }

    fn choice_strategy() -> impl Strategy<Value = Vec<(usize, usize)>> {
        prop::collection::vec((0usize..6, 0usize..3), 6)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        /// Monotone: two played days with the same confidences, one better in both figures,
        /// never score the other way round.
        #[test]
        fn a_better_day_never_scores_lower(a in choice_strategy(), b in choice_strategy(), conf in prop::collection::vec(0usize..3, 6)) {
            let (s, e) = setup();
            let drill = Drill::new(&s, &e);
            let day_of = |script: &[(usize, usize)]| {
                let decisions = play(&drill, |k, offered| offered[script[k % 6].0 % offered.len()]);
                drill.day(&decisions).0
            };
            let (da, db) = (day_of(&a), day_of(&b));
            let confidences: Vec<Confidence> = conf.iter().map(|&c| Confidence::ALL[c]).collect();
            let m = |d: &RunRecord| outage_sim::metrics::Metric::TimeToMitigate.value(d).unwrap();
            let (sa, sb) = (score(&LEARN_REFERENCE, &da, &confidences), score(&LEARN_REFERENCE, &db, &confidences));
            if m(&da) <= m(&db) && da.events.lost <= db.events.lost {
                prop_assert!(sa.value >= sb.value, "{sa:?} {sb:?}");
            }
            if m(&db) <= m(&da) && db.events.lost <= da.events.lost {
                prop_assert!(sb.value >= sa.value, "{sa:?} {sb:?}");
            }
        }

        /// The same with any two outcomes, not only played ones.
        #[test]
        fn any_better_outcome_never_scores_lower(t in 0i64..30_000_000, dt in 0i64..10_000_000, lost in 0u64..20_000, dl in 0u64..5_000, conf in prop::collection::vec(0usize..3, 1..8)) {
            let (s, e) = setup();
            let record = Drill::new(&s, &e).record();
            let with = |t: i64, lost: u64| {
                let mut r = record;
                r.restored_at = Some(r.gone_at.unwrap() + t);
                r.events.lost = lost;
                r
            };
            let confidences: Vec<Confidence> = conf.iter().map(|&c| Confidence::ALL[c]).collect();
            let better = score(&LEARN_REFERENCE, &with(t, lost), &confidences);
            let worse = score(&LEARN_REFERENCE, &with(t + dt, lost + dl), &confidences);
            prop_assert!(better.value >= worse.value);
        }
    }
}
