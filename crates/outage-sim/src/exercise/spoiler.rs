//! The spoiler check: whether a text the room would read at a simulated moment gives away
//! something the room cannot know yet. A text leaks when it names one of the exercise's
//! withheld terms before the moment that term may be read (the cause, later steps, the
//! outcome), or a clock time later than the moment (a time can only be named once it has been).
//!
//! A withheld term is read from its record moment on; in a room's own day it may come sooner:
//! once the room's day has reached the same point (the room rolled back and its service is up
//! before the record's 17:01), the terms of that point are the room's own knowledge
//! (`Withholding::with_room_day`). Texts are compared case-insensitively.
//!
//! The same check serves the exercise's validator (every inject's text at its moment, every
//! curveball card at the first inject), the projector (every text at the moment it would
//! show), the console (what a curveball card would give away before it is fired), and a
//! self-paced learner later: `Withholding` holds nothing but the terms and their moments.

use std::fmt;

use crate::metrics::RunRecord;
use crate::scenario::Scenario;
use crate::time::SimTime;

use super::{CurveballCard, Exercise, Withheld};

/// Something a text gives away at a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leak {
    /// A withheld term, before the moment it may be read.
    Term {
        term: String,
        /// The record event from which it may be read.
        until: String,
        /// When it may be read (in the room's day, if that came sooner).
        from: SimTime,
    },
    /// A clock time later than the moment (`17:01` read at 15:46), as written.
    LaterTime { named: String },
}

impl fmt::Display for Leak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Leak::Term { term, until, .. } => write!(f, "names '{term}', withheld until '{until}'"),
            Leak::LaterTime { named } => write!(f, "names a later time ({named})"),
        }
    }
}

/// The exercise's withheld terms with the moment each may be read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Withholding {
    /// (lower-cased term, the term as written, until, from).
    terms: Vec<(String, Withheld)>,
    clock: crate::time::Clock,
}

/// The moment a record event's point was reached in a run, for the events a room's day can
/// reach sooner than the record: the service back, the missed events replayed, resolution.
/// `None` for an event the run does not model or has not reached.
pub fn reached_in(run: &RunRecord, record_id: &str) -> Option<SimTime> {
    match record_id {
        "discovered" => run.detected_at,
        "ops_notified" => run.acknowledged_at,
        "paged" => run.mobilized_at,
        "reinstated" => run.restored_at,
        "confirmed" => run.confirmed_at,
        "recovery_requested" => run.recovery_started_at,
        "looper_run" => run.recovered_at,
        "resolved" => run.resolved_at,
        _ => None,
    }
}

impl Withholding {
    /// The exercise's terms at their record moments.
    pub fn new(exercise: &Exercise, scenario: &Scenario) -> Withholding {
        Withholding::of(&exercise.withheld, scenario)
    }

    /// These terms at their record moments.
    pub fn of(withheld: &[Withheld], scenario: &Scenario) -> Withholding {
        Withholding {
            terms: withheld
                .iter()
                .map(|w| (w.term.to_lowercase(), w.clone()))
                .collect(),
            clock: scenario.clock.clone(),
        }
    }

    /// In a room's day: a term may be read from the record's moment or from the moment the
    /// room's day reached the same point, whichever is sooner.
    pub fn with_room_day(mut self, room: &RunRecord) -> Withholding {
        for (_, w) in &mut self.terms {
            if let Some(at) = reached_in(room, &w.until) {
                w.at = w.at.min(at);
            }
        }
        self
    }

    /// When a withheld term may be read.
    pub fn from(&self, term: &str) -> Option<SimTime> {
        let lower = term.to_lowercase();
        self.terms
            .iter()
            .filter(|(t, _)| *t == lower)
            .map(|(_, w)| w.at)
            .min()
    }

    /// Everything `text` gives away if the room reads it at `at`.
    pub fn leaks(&self, text: &str, at: SimTime) -> Vec<Leak> {
        let lower = text.to_lowercase();
        let mut out: Vec<Leak> = self
            .terms
            .iter()
            .filter(|(term, w)| at < w.at && lower.contains(term.as_str()))
            .map(|(_, w)| Leak::Term {
                term: w.term.clone(),
                until: w.until.clone(),
                from: w.at,
            })
            .collect();
        let now = minutes_of(&self.clock.hhmm_local(at));
        out.extend(
            clock_times(text)
                .into_iter()
                .filter(|&m| m > now)
                .map(|m| Leak::LaterTime {
                    named: format!("{:02}:{:02}", m / 60, m % 60),
                }),
        );
        out
    }

    /// True when `text` gives nothing away at `at`.
    pub fn is_safe(&self, text: &str, at: SimTime) -> bool {
        self.leaks(text, at).is_empty()
    }

    /// The leaks of several texts at once (a card's title and passages).
    pub fn leaks_in<'t>(&self, texts: impl IntoIterator<Item = &'t str>, at: SimTime) -> Vec<Leak> {
        let mut out: Vec<Leak> = Vec::new();
        for text in texts {
            for leak in self.leaks(text, at) {
                if !out.contains(&leak) {
                    out.push(leak);
                }
            }
        }
        out
    }
}

/// A curveball card as the room reads it when it is fired at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct RoomCard {
    pub title: String,
    pub text: Vec<String>,
    /// What the full card would have given away at that moment (for the facilitator): the
    /// room is shown the spoiler-free card instead. Empty when the full card is safe.
    pub withheld: Vec<Leak>,
}

impl CurveballCard {
    /// The full card's title and passages, as the room would read them.
    pub fn room_text(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.title.as_str())
            .chain(self.participant_text.iter().map(|p| p.text.as_str()))
    }

    /// The card the room is shown if it is fired at `at`: the full card when it gives nothing
    /// away then, else its spoiler-free card, else (a card with neither, which the validator
    /// refuses) a line that says only that something changed.
    pub fn for_room(&self, check: &Withholding, at: SimTime) -> RoomCard {
        let withheld = check.leaks_in(self.room_text(), at);
        if withheld.is_empty() {
            return RoomCard {
                title: self.title.clone(),
                text: self
                    .participant_text
                    .iter()
                    .map(|p| p.text.clone())
                    .collect(),
                withheld,
            };
        }
        match &self.spoiler_free {
            Some(safe)
                if check
                    .leaks_in(
                        std::iter::once(safe.title.as_str())
                            .chain(safe.participant_text.iter().map(|p| p.text.as_str())),
                        at,
                    )
                    .is_empty() =>
            {
                RoomCard {
                    title: safe.title.clone(),
                    text: safe
                        .participant_text
                        .iter()
                        .map(|p| p.text.clone())
                        .collect(),
                    withheld,
                }
            }
            _ => RoomCard {
                title: "Something has changed".into(),
                text: vec!["The facilitator will tell you what.".into()],
                withheld,
            },
        }
    }
}

fn minutes_of(hhmm: &str) -> u32 {
    let (h, m) = hhmm.split_once(':').unwrap_or(("0", "0"));
    h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
}

/// Clock times written in a text (`17:01`, `5:01pm`, `5:01 p.m.`), as minutes after midnight.
pub fn clock_times(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for i in 1..bytes.len() {
        if bytes[i] != b':' {
            continue;
        }
        let mut start = i;
        while start > 0 && bytes[start - 1].is_ascii_digit() && i - start < 2 {
            start -= 1;
        }
        let minutes = text
            .get(i + 1..i + 3)
            .filter(|m| m.bytes().all(|b| b.is_ascii_digit()));
        let preceded = start > 0 && bytes[start - 1].is_ascii_digit();
        let (false, true, Some(minutes)) = (preceded, start < i, minutes) else {
            continue;
        };
        let hour: u32 = text[start..i].parse().unwrap_or(99);
        let minute: u32 = minutes.parse().unwrap_or(99);
        let rest = text[i + 3..].trim_start().to_ascii_lowercase();
        let pm = rest.starts_with("pm") || rest.starts_with("p.m");
        let am = rest.starts_with("am") || rest.starts_with("a.m");
        let hour = match (am, pm) {
            (_, true) if hour < 12 => hour + 12,
            (true, _) if hour == 12 => 0,
            _ => hour,
        };
        if hour < 24 && minute < 60 {
            out.push(hour * 60 + minute);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::builtin_exercise;
    use crate::montecarlo::{counterfactual, room_day};
    use crate::scenario::builtin;
    use crate::{Config, Intervention, Interventions};

    fn setup() -> (Scenario, Exercise) {
        let s = builtin("eptura-2024-07-10").unwrap();
        let e = builtin_exercise(&s.id).unwrap();
        (s, e)
    }

    #[test]
    fn clock_times_are_found_in_either_shape() {
        assert_eq!(
            clock_times("at 17:01 and 5:40pm, 6:05 p.m."),
            [1021, 1060, 1085]
        );
        assert_eq!(clock_times("12:30 am, 3:34"), [30, 214]);
        assert_eq!(clock_times("ratio 1:2, 123:45, no time"), Vec::<u32>::new());
        assert_eq!(clock_times(":30 and 9:"), Vec::<u32>::new());
    }

    #[test]
    fn a_term_leaks_before_its_moment_and_not_from_it() {
        let (s, e) = setup();
        let check = Withholding::new(&e, &s);
        let reinstated = s.event_time("reinstated").unwrap();
        let text = "The release from the week prior has been Reinstated.";
        let leaks = check.leaks(text, reinstated - 1);
        assert!(leaks.iter().any(
            |l| matches!(l, Leak::Term { term, until, .. } if term == "week prior" && until == "reinstated")
        ));
        assert!(leaks
            .iter()
            .any(|l| matches!(l, Leak::Term { term, .. } if term == "reinstat")));
        assert!(check.is_safe(text, reinstated));
        assert_eq!(
            leaks[0].to_string(),
            format!(
                "names '{}', withheld until 'reinstated'",
                match &leaks[0] {
                    Leak::Term { term, .. } => term.clone(),
                    _ => unreachable!(),
                }
            )
        );
    }

    #[test]
    fn a_later_clock_time_leaks_until_it_has_been() {
        let (s, e) = setup();
        let check = Withholding::new(&e, &s);
        let t = s.clock.on_origin_day(15, 46);
        assert_eq!(
            check.leaks("back by 5:01 pm", t),
            vec![Leak::LaterTime {
                named: "17:01".into()
            }]
        );
        assert!(check.is_safe("since 3:34 pm", t));
        assert!(check.is_safe("back by 5:01 pm", s.clock.on_origin_day(17, 1)));
    }

    #[test]
    fn the_rooms_own_day_lifts_a_term_once_it_got_there_first() {
        let (s, e) = setup();
        let at = s.clock.on_origin_day(15, 40);
        let exercise = builtin_exercise(&s.id).unwrap();
        let roll_back = exercise
            .parse_intervention(&s, "15:40=roll_back", false)
            .unwrap();
        let room = Interventions::new(vec![roll_back]).unwrap();
        let (day, _) = room_day(&s, &Config::none(), &room, 1);
        let restored = day.restored_at.unwrap();
        assert!(restored < s.event_time("reinstated").unwrap());
        let record = Withholding::new(&e, &s);
        let room_check = Withholding::new(&e, &s).with_room_day(&day);
        assert!(!record.is_safe("reinstated", restored));
        assert!(room_check.is_safe("reinstated", restored));
        assert!(!room_check.is_safe("reinstated", at), "not before it");
        // The record's own day lifts nothing sooner than the record.
        let (record_run, _) = counterfactual(&s, &Config::none(), 1);
        assert_eq!(Withholding::new(&e, &s).with_room_day(&record_run), record);
        let _ = Intervention::room;
    }

    #[test]
    fn every_inject_reads_safely_at_its_moment() {
        let (s, e) = setup();
        let check = Withholding::new(&e, &s);
        for inject in &e.injects {
            for text in inject.room_text() {
                assert_eq!(
                    check.leaks(text, inject.at),
                    vec![],
                    "{}: {text}",
                    inject.id
                );
            }
        }
    }

    #[test]
    fn every_curveball_fired_at_every_inject_shows_the_room_nothing_withheld() {
        let (s, e) = setup();
        let check = Withholding::new(&e, &s);
        let mut spoiler_free_used = 0;
        for card in &e.curveballs {
            for inject in &e.injects {
                // At the inject's moment and just before the next one (the curveball's card
                // stays on the projector in between).
                for at in [inject.at, inject.at + 60_000] {
                    let shown = card.for_room(&check, at);
                    let texts = std::iter::once(shown.title.as_str())
                        .chain(shown.text.iter().map(String::as_str));
                    assert_eq!(
                        check.leaks_in(texts, at),
                        vec![],
                        "{} at {}",
                        card.id.id(),
                        s.clock.hhmm_local(at)
                    );
                    assert_ne!(shown.title, "Something has changed", "{}", card.id.id());
                    spoiler_free_used += usize::from(!shown.withheld.is_empty());
                }
            }
        }
        assert!(
            spoiler_free_used > 0,
            "some cards would give something away early, and the room got their spoiler-free card"
        );
        // The case: the missing image at 15:46 would name last week's release.
        let image = e
            .curveball_card(crate::intervention::CurveballId::ImageMissing)
            .unwrap();
        let shown = image.for_room(&check, s.clock.on_origin_day(15, 46));
        assert!(shown
            .withheld
            .iter()
            .any(|l| matches!(l, Leak::Term { term, .. } if term == "last week's release")));
        assert!(!shown.title.to_lowercase().contains("last week"));
    }
}
