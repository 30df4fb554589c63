//! A trainer's table of a group's results: each pasted link or code read and replayed once
//! (`result::read`), scored, and the figures that open a facilitated debrief: how aligned the
//! group was at each stop (the share choosing the most common option among those who reached
//! it) and how spread its predictions were. A text that is not a usable result stays in the
//! table as a line with its reason; it never breaks the rest.

use std::collections::BTreeMap;

use super::result::{self, Verified};
use super::score::{score, Reference};
use super::{Choice, Drill};

/// The most results a table holds.
pub const MAX_ENTRIES: usize = 200;

/// One pasted line.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Learner(Box<Row>),
    /// A line that is not a usable result, as pasted (shortened), with why.
    Refused {
        text: String,
        reason: String,
    },
}

/// A learner's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub result: Verified,
    pub score: u32,
}

/// How aligned the group was at one stop.
#[derive(Clone, Debug, PartialEq)]
pub struct StopAlignment {
    /// The stop's inject.
    pub inject: usize,
    /// Learners who decided there.
    pub answered: usize,
    /// The most common choice (the first in the list of choices on a tie) and how many took it.
    pub most_common: Choice,
    pub count: usize,
    /// `count / answered`.
    pub share: f64,
}

/// The spread of the group's predicted minutes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub min: u32,
    pub median: f64,
    pub max: u32,
    pub count: usize,
}

/// Reads pasted text: one result per non-empty line. Lines beyond `MAX_ENTRIES` (with what is
/// already there) are refused with that reason.
pub fn read_lines(drill: &Drill, reference: &Reference, text: &str, already: usize) -> Vec<Entry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(k, line)| {
            if already + k >= MAX_ENTRIES {
                return Entry::Refused {
                    text: shorten(line),
                    reason: format!("the table holds at most {MAX_ENTRIES} results"),
                };
            }
            match result::read(drill, line) {
                Ok(result) => {
                    let (day, _) = drill.day(&result.decisions);
                    let confidences: Vec<_> =
                        result.decisions.iter().map(|d| d.confidence).collect();
                    Entry::Learner(Box::new(Row {
                        score: score(reference, &day, &confidences).value,
                        result,
                    }))
                }
                Err(problems) => Entry::Refused {
                    text: shorten(line),
                    reason: problems
                        .iter()
                        .map(|p| p.0.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                },
            }
        })
        .collect()
}

fn shorten(line: &str) -> String {
    if line.chars().count() <= 60 {
        line.to_string()
    } else {
        format!("{}…", line.chars().take(60).collect::<String>())
    }
}

/// The rows among the entries.
pub fn rows(entries: &[Entry]) -> Vec<&Row> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Learner(r) => Some(r.as_ref()),
            Entry::Refused { .. } => None,
        })
        .collect()
}

/// How aligned the group was at each stop that anyone reached, in the exercise's order.
pub fn alignment(rows: &[&Row]) -> Vec<StopAlignment> {
    let mut by_stop: BTreeMap<usize, BTreeMap<Choice, usize>> = BTreeMap::new();
    for row in rows {
        for d in &row.result.decisions {
            *by_stop
                .entry(d.inject)
                .or_default()
                .entry(d.choice)
                .or_default() += 1;
        }
    }
    by_stop
        .into_iter()
        .map(|(inject, counts)| {
            let answered: usize = counts.values().sum();
            // Ties go to the first choice in the list's order (BTreeMap order is Choice's).
            let (most_common, count) =
                counts.iter().fold(
                    (Choice::Wait, 0),
                    |best, (&c, &n)| if n > best.1 { (c, n) } else { best },
                );
            StopAlignment {
                inject,
                answered,
                most_common,
                count,
                share: count as f64 / answered as f64,
            }
        })
        .collect()
}

/// The spread of predicted minutes (`None` with no row).
pub fn spread(rows: &[&Row]) -> Option<Spread> {
    let mut m: Vec<u32> = rows
        .iter()
        .map(|r| r.result.prediction.detect_minutes)
        .collect();
    if m.is_empty() {
        return None;
    }
    m.sort_unstable();
    let n = m.len();
    let median = if n % 2 == 1 {
        f64::from(m[n / 2])
    } else {
        (f64::from(m[n / 2 - 1]) + f64::from(m[n / 2])) / 2.0
    };
    Some(Spread {
        min: m[0],
        median,
        max: m[n - 1],
        count: n,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::builtin::LEARN_REFERENCE;
    use crate::learn::result::{encode_code, encode_link};
    use crate::learn::tests::{play, setup};
    use crate::learn::{Confidence, Prediction};
    use outage_sim::intervention::ActionId;
    use outage_sim::trace::Detector;

    fn prediction(minutes: u32) -> Prediction {
        Prediction {
            detect_minutes: minutes,
            first_catch: Detector::UptimeCheck,
        }
    }

    #[test]
    fn alignment_is_the_share_of_the_most_common_choice_at_each_stop() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        // Rolling back at 15:46 (once the responders are gathered), or paging at 15:34.
        let roll_first = play(&drill, |k, _| {
            if k == 2 {
                Choice::Act(ActionId::RollBack)
            } else {
                Choice::Wait
            }
        });
        assert_eq!(roll_first[2].choice, Choice::Act(ActionId::RollBack));
        let page_first = play(&drill, |k, _| {
            if k == 0 {
                Choice::Act(ActionId::PageOnCall)
            } else {
                Choice::Wait
            }
        });
        assert_eq!(page_first[0].choice, Choice::Act(ActionId::PageOnCall));
        let wait = play(&drill, |_, _| Choice::Wait);
        let pasted = [
            encode_link(&drill, "A", 1, &prediction(10), &roll_first),
            encode_code("B", 1, &prediction(30), &roll_first),
            encode_link(&drill, "C", 1, &prediction(90), &page_first),
            "not a result at all".to_string(),
            encode_link(&drill, "D", 1, &prediction(45), &wait)
                .replace("stop=15:34=wait", "stop=15:34=post_status"),
        ]
        .join("\n\n");
        let entries = read_lines(&drill, &LEARN_REFERENCE, &pasted, 0);
        assert_eq!(entries.len(), 5, "blank lines are skipped");
        let refused: Vec<&str> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Refused { reason, .. } => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(refused.len(), 2);
        assert!(refused[1].contains("check does not match"), "{refused:?}");
        let rows = rows(&entries);
        assert_eq!(rows.len(), 3);
        let a = alignment(&rows);
        // The first stop: two of three waited; the third (15:46): two of three rolled back.
        assert_eq!(a[0].inject, 0);
        assert_eq!(
            (a[0].most_common, a[0].count, a[0].answered),
            (Choice::Wait, 2, 3)
        );
        assert_eq!(a[2].inject, 2);
        assert_eq!(
            (a[2].most_common, a[2].count, a[2].answered),
            (Choice::Act(ActionId::RollBack), 2, 3)
        );
        assert!((a[2].share - 2.0 / 3.0).abs() < 1e-12);
        // The second stop: everyone waited.
        assert_eq!((a[1].most_common, a[1].share), (Choice::Wait, 1.0));
        let s = spread(&rows).unwrap();
        assert_eq!((s.min, s.median, s.max, s.count), (10, 30.0, 90, 3));
        // A rollback at 15:46 gives a better day than paging at 15:34, so a better score for equal confidence.
        assert!(
            rows[0].score > rows[2].score,
            "{} {}",
            rows[0].score,
            rows[2].score
        );
        assert_eq!(
            rows[0].score, rows[1].score,
            "the same day by link or by code"
        );
        let _ = Confidence::Low;
    }

    #[test]
    fn ties_go_to_the_first_choice_and_a_full_table_refuses_more() {
        let (s, e) = setup();
        let drill = Drill::new(&s, &e);
        let wait = play(&drill, |_, _| Choice::Wait);
        let page = play(&drill, |k, _| {
            if k == 0 {
                Choice::Act(ActionId::PageOnCall)
            } else {
                Choice::Wait
            }
        });
        let text = [
            encode_code("A", 1, &prediction(5), &page),
            encode_code("B", 1, &prediction(6), &wait),
        ]
        .join("\n");
        let entries = read_lines(&drill, &LEARN_REFERENCE, &text, 0);
        let a = alignment(&rows(&entries));
        assert_eq!((a[0].most_common, a[0].share), (Choice::Wait, 0.5));
        assert_eq!(spread(&rows(&entries)).unwrap().median, 5.5);
        let full = read_lines(&drill, &LEARN_REFERENCE, &text, MAX_ENTRIES - 1);
        assert!(matches!(&full[1], Entry::Refused { reason, .. } if reason.contains("at most")));
        assert!(spread(&[]).is_none());
    }
}
