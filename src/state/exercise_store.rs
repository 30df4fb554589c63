//! The exercise as it is kept in local storage, and how several tabs keep it together.
//!
//! `Stored` is the record (a versioned envelope, see `storage`): decisions and curveballs in
//! the command line's words (read back into typed values by `ExerciseState::restore`, the one
//! place they come in from storage), the notes, the ticks, the reveals, the timers (as start
//! times, so a reload or a crash does not reset them), the playhead, and the report's ranges.
//!
//! Several tabs may have the console open. Each keeps the record it last read or wrote (its
//! base); to save, it reads the record, merges by record with `merge(base, local, stored)`,
//! and writes the result; when another tab writes, it merges the same way and follows. The
//! merge is three-way: a part this tab changed since its base is this tab's, else the stored
//! one; decisions, curveballs, observations, plan rows, ratings and ticks merge one by one by
//! their identity, so two tabs adding decisions at once keep both, a deletion on one side
//! removes it on the other, and an edit wins over a deletion (nothing typed is lost). A new
//! exercise (another `session`) replaces the record as a whole: the one that ended was archived
//! first.

use outage_sim::exercise::visibility::Reveals;
use outage_sim::metrics::Metric;
use outage_sim::safeguards::Config;
use outage_sim::scenario::Scenario;
use outage_sim::time::SimTime;
use serde::{Deserialize, Serialize};

use super::countdown::Countdown;
use super::exercise::{
    Decision, Draft, ExerciseState, Fired, Notes, Observation, PlanItem, Rating, Undo,
};
use super::McOutcome;
use crate::storage::Record;

/// The stored record of the exercise (a long exercise's log is a few tens of kB; the limit is
/// the fullest log the table of limits allows, see `outage_sim::limits::EXERCISE_LOG_BYTES`).
pub const EXERCISE_RECORD: Record = Record {
    key: "outage-drill:exercise",
    schema: 2,
    max_bytes: outage_sim::limits::EXERCISE_LOG_BYTES,
    what: "the exercise's decision log",
};

/// Which exercise this is: a new exercise gets a new id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: u64,
    /// When it started (ms since the Unix epoch; 0 for the first, never started explicitly).
    pub started_ms: f64,
}

/// A decision as kept: its action in the command line's words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub id: u64,
    pub at: SimTime,
    pub wall_ms: f64,
    pub role: String,
    pub text: String,
    pub rationale: String,
    pub inject: Option<String>,
    /// `15:40=roll_back`.
    pub action: Option<String>,
}

/// A curveball as kept: `15:46=image_missing`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiredRecord {
    pub id: u64,
    pub curveball: String,
    pub wall_ms: f64,
}

/// A listen-for point the facilitator ticked: the inject's id and the point's place in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Heard {
    pub inject: String,
    pub point: usize,
}

/// Where the room is and what it has been shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoomPosition {
    /// The console's playhead.
    pub now: Option<SimTime>,
    pub reveals: Reveals,
    pub undo: Option<Undo>,
    pub blank: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timers {
    pub inject: Countdown,
    pub exercise: Countdown,
    /// The inject the inject timer was set for.
    pub inject_for: Option<usize>,
}

impl Default for Timers {
    fn default() -> Timers {
        Timers {
            inject: Countdown::new(0),
            exercise: Countdown::new(0),
            inject_for: None,
        }
    }
}

/// A metric's median and 90th percentile over many runs, in the metric's own units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RangeCell {
    pub p50: Option<f64>,
    pub p90: Option<f64>,
}

/// A metric's key with its ranges: the record, the what-if safeguards, the room's day.
pub type RangeRow = (
    String,
    Option<RangeCell>,
    Option<RangeCell>,
    Option<RangeCell>,
);

/// Monte Carlo ranges for the report, kept with the exercise so a reload keeps them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptRanges {
    /// What they were computed for (see `ranges_inputs`): ranges for other inputs are not shown.
    pub inputs: u64,
    pub runs: u64,
    /// Per metric key: the record, the what-if safeguards, the room's day.
    pub rows: Vec<RangeRow>,
}

impl KeptRanges {
    /// The ranges of a metric: record, safeguards, room's day.
    pub fn of(&self, m: Metric) -> (Option<RangeCell>, Option<RangeCell>, Option<RangeCell>) {
        self.rows
            .iter()
            .find(|r| r.0 == m.key())
            .map(|r| (r.1, r.2, r.3))
            .unwrap_or_default()
    }
}

/// A fingerprint of what a range depends on: the scenario with its numbers, the safeguards,
/// the seed and the room's interventions (FNV-1a of their text, stable across builds).
pub fn ranges_inputs(scenario: &Scenario, config: &Config, seed: u64, room: &[String]) -> u64 {
    let text = format!(
        "{}|{:?}|{:?}|{}|{:?}|{seed}|{}",
        scenario.id,
        scenario.assumptions,
        scenario.steps,
        scenario.impact_start(),
        config.to_specs(),
        room.join(";")
    );
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The ranges to keep from the finished jobs: the record's and the safeguards' from the
/// ranges job, the room's day's from the room's job, each only if it was computed for `inputs`.
pub fn ranges_from(
    inputs: u64,
    ranges: Option<(&McOutcome, u64)>,
    room: Option<(&McOutcome, u64)>,
) -> Option<KeptRanges> {
    let ranges = ranges.filter(|(_, k)| *k == inputs).map(|(o, _)| o);
    let room = room.filter(|(_, k)| *k == inputs).map(|(o, _)| o);
    let runs = ranges.or(room)?.runs;
    let cell = |o: Option<&McOutcome>, k: usize, m: Metric| {
        let s = o?.aggregates.get(k)?.stats(m);
        Some(RangeCell {
            p50: s.p50,
            p90: s.p90,
        })
    };
    Some(KeptRanges {
        inputs,
        runs,
        rows: Metric::ALL
            .iter()
            .map(|&m| {
                (
                    m.key().to_string(),
                    cell(ranges, 0, m),
                    cell(ranges.filter(|o| o.configs.len() > 1), 1, m),
                    cell(room, 0, m),
                )
            })
            .collect(),
    })
}

/// What is kept in local storage: everything the room and the facilitator produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stored {
    pub session: Session,
    pub decisions: Vec<DecisionRecord>,
    pub fired: Vec<FiredRecord>,
    pub draft: Draft,
    pub notes: Notes,
    pub heard: Vec<Heard>,
    pub room: RoomPosition,
    pub timers: Timers,
    pub ranges: Option<KeptRanges>,
}

impl ExerciseState {
    /// What is kept of it, with the playhead `now`.
    pub fn stored(&self, scenario: &Scenario, now: SimTime) -> Stored {
        let text = |i| {
            self.exercise
                .as_deref()
                .map(|e| e.intervention_text(scenario, i))
        };
        let mut fired: Vec<FiredRecord> = self
            .fired
            .iter()
            .filter_map(|f| {
                Some(FiredRecord {
                    id: f.id,
                    curveball: text(&f.curveball)?,
                    wall_ms: f.wall_ms,
                })
            })
            .collect();
        fired.extend(self.unread_fired.iter().cloned());
        let mut heard = self.heard.clone();
        heard.sort();
        Stored {
            session: self.session,
            decisions: self
                .decisions
                .iter()
                .map(|d| DecisionRecord {
                    id: d.id,
                    at: d.at,
                    wall_ms: d.wall_ms,
                    role: d.role.clone(),
                    text: d.text.clone(),
                    rationale: d.rationale.clone(),
                    inject: d.inject.clone(),
                    action: d
                        .action
                        .as_ref()
                        .and_then(text)
                        .or_else(|| d.unread_action.clone()),
                })
                .collect(),
            fired,
            draft: self.draft.clone(),
            notes: self.notes.clone(),
            heard,
            room: RoomPosition {
                now: Some(now),
                reveals: self.reveals,
                undo: self.undo,
                blank: self.blank,
            },
            timers: Timers {
                inject: self.inject_timer,
                exercise: self.exercise_timer,
                inject_for: self.timer_inject,
            },
            ranges: self.ranges.clone(),
        }
    }

    /// Takes back what was kept, reading decisions and curveballs into typed values; returns
    /// what could not be read (kept as it was, and said to the user).
    pub fn restore(&mut self, stored: Stored, scenario: &Scenario) -> Vec<String> {
        let mut unreadable = Vec::new();
        let exercise = self.exercise.clone();
        let read = |text: &str, curveball: bool| {
            exercise
                .as_deref()
                .ok_or_else(|| "this scenario has no exercise".to_string())?
                .parse_intervention(scenario, text, curveball)
                .map_err(|e| e.to_string())
        };
        let mut decisions: Vec<Decision> = stored
            .decisions
            .into_iter()
            .map(|d| {
                let (action, unread_action) = match d.action {
                    None => (None, None),
                    Some(text) => match read(&text, false) {
                        Ok(i) => (Some(i), None),
                        Err(e) => {
                            unreadable.push(format!("the action '{text}' ({e})"));
                            (None, Some(text))
                        }
                    },
                };
                Decision {
                    id: d.id,
                    at: d.at,
                    wall_ms: d.wall_ms,
                    role: d.role,
                    text: d.text,
                    rationale: d.rationale,
                    inject: d.inject,
                    action,
                    unread_action,
                }
            })
            .collect();
        decisions.sort_by(|a, b| {
            (a.at, a.wall_ms)
                .partial_cmp(&(b.at, b.wall_ms))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        self.decisions = decisions;
        self.fired.clear();
        self.unread_fired.clear();
        for f in stored.fired {
            match read(&f.curveball, true) {
                Ok(curveball) => self.fired.push(Fired {
                    id: f.id,
                    curveball,
                    wall_ms: f.wall_ms,
                }),
                Err(e) => {
                    unreadable.push(format!("the curveball '{}' ({e})", f.curveball));
                    self.unread_fired.push(f);
                }
            }
        }
        self.fired.sort_by_key(|f| f.curveball.at);
        let injects = self.exercise.as_ref().map_or(0, |e| e.injects.len());
        self.session = stored.session;
        self.draft = stored.draft;
        self.notes = stored.notes;
        self.heard = stored.heard;
        self.reveals = stored.room.reveals;
        self.undo = stored
            .room
            .undo
            .filter(|u| u.inject.is_none_or(|k| k < injects));
        self.blank = stored.room.blank;
        // A record that never had timers (all zero) keeps the fresh ones.
        if stored.timers.exercise.set_to_ms > 0 {
            self.inject_timer = stored.timers.inject;
            self.exercise_timer = stored.timers.exercise;
            self.timer_inject = stored.timers.inject_for.filter(|&k| k < injects);
        }
        self.ranges = stored.ranges;
        unreadable
    }
}

/// A part merged three ways: this tab's if it changed it since the base, else the stored one.
fn merge_part<T: PartialEq + Clone>(base: &T, local: &T, remote: &T) -> T {
    if local != base {
        local.clone()
    } else {
        remote.clone()
    }
}

/// Lists merged one record at a time by identity (see the module's doc). The stored order is
/// kept, with this tab's new records after it.
fn merge_by<T: PartialEq + Clone, K: PartialEq>(
    base: &[T],
    local: &[T],
    remote: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let find = |list: &[T], k: &K| list.iter().find(|x| key(x) == *k).cloned();
    let mut out = Vec::new();
    for r in remote {
        let k = key(r);
        match (find(base, &k), find(local, &k)) {
            // Both have it: this tab's edit, else the stored one.
            (Some(b), Some(l)) => out.push(if l != b { l } else { r.clone() }),
            (None, Some(l)) => out.push(if &l != r { l } else { r.clone() }),
            // Deleted here: gone, unless edited in the store since (an edit beats a delete).
            (Some(b), None) => {
                if *r != b {
                    out.push(r.clone());
                }
            }
            // Added elsewhere.
            (None, None) => out.push(r.clone()),
        }
    }
    for l in local {
        let k = key(l);
        if remote.iter().any(|r| key(r) == k) {
            continue;
        }
        match find(base, &k) {
            // Added here.
            None => out.push(l.clone()),
            // Deleted elsewhere: gone, unless edited here since.
            Some(b) => {
                if *l != b {
                    out.push(l.clone());
                }
            }
        }
    }
    out
}

/// The record this tab should write (and follow), from its base, its own state and the stored
/// record.
pub fn merge(base: &Stored, local: &Stored, remote: &Stored) -> Stored {
    // A new exercise replaces the record as a whole; if both started one, the later wins.
    let local_new = local.session != base.session;
    let remote_new = remote.session != base.session;
    match (local_new, remote_new) {
        (true, true) if local.session.started_ms >= remote.session.started_ms => {
            return local.clone()
        }
        (true, false) => return local.clone(),
        (_, true) => return remote.clone(),
        (false, false) => {}
    }
    let (b, l, r) = (&base.notes, &local.notes, &remote.notes);
    let notes = Notes {
        name: merge_part(&b.name, &l.name, &r.name),
        date: merge_part(&b.date, &l.date, &r.date),
        facilitator: merge_part(&b.facilitator, &l.facilitator, &r.facilitator),
        participants: merge_part(&b.participants, &l.participants, &r.participants),
        logistics: merge_part(&b.logistics, &l.logistics, &r.logistics),
        ratings: merge_by(&b.ratings, &l.ratings, &r.ratings, |x: &Rating| {
            x.objective.clone()
        }),
        observations: merge_by(
            &b.observations,
            &l.observations,
            &r.observations,
            |x: &Observation| x.id,
        ),
        hot_wash: merge_part(&b.hot_wash, &l.hot_wash, &r.hot_wash),
        plan: merge_by(&b.plan, &l.plan, &r.plan, |x: &PlanItem| x.id),
    };
    let mut decisions = merge_by(&base.decisions, &local.decisions, &remote.decisions, |d| {
        d.id
    });
    decisions.sort_by(|a, b| {
        (a.at, a.wall_ms)
            .partial_cmp(&(b.at, b.wall_ms))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut heard = merge_by(&base.heard, &local.heard, &remote.heard, Heard::clone);
    heard.sort();
    Stored {
        session: remote.session,
        decisions,
        fired: merge_by(&base.fired, &local.fired, &remote.fired, |f| f.id),
        draft: merge_part(&base.draft, &local.draft, &remote.draft),
        notes,
        heard,
        room: RoomPosition {
            now: merge_part(&base.room.now, &local.room.now, &remote.room.now),
            reveals: merge_part(
                &base.room.reveals,
                &local.room.reveals,
                &remote.room.reveals,
            ),
            undo: merge_part(&base.room.undo, &local.room.undo, &remote.room.undo),
            blank: merge_part(&base.room.blank, &local.room.blank, &remote.room.blank),
        },
        timers: Timers {
            inject: merge_part(
                &base.timers.inject,
                &local.timers.inject,
                &remote.timers.inject,
            ),
            exercise: merge_part(
                &base.timers.exercise,
                &local.timers.exercise,
                &remote.timers.exercise,
            ),
            inject_for: merge_part(
                &base.timers.inject_for,
                &local.timers.inject_for,
                &remote.timers.inject_for,
            ),
        },
        ranges: merge_part(&base.ranges, &local.ranges, &remote.ranges),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::exercise::{Ask, Draft, ExerciseAction, Grade};
    use outage_sim::scenario::builtin;
    use proptest::prelude::*;

    fn decision(id: u64, text: &str) -> DecisionRecord {
        DecisionRecord {
            id,
            at: 1_000 * id as i64,
            wall_ms: id as f64,
            role: String::new(),
            text: text.into(),
            rationale: String::new(),
            inject: None,
            action: None,
        }
    }

    fn with(decisions: &[(u64, &str)]) -> Stored {
        Stored {
            decisions: decisions.iter().map(|(id, t)| decision(*id, t)).collect(),
            ..Stored::default()
        }
    }

    fn texts(s: &Stored) -> Vec<&str> {
        s.decisions.iter().map(|d| d.text.as_str()).collect()
    }

    #[test]
    fn two_tabs_adding_at_once_keep_both() {
        let base = with(&[(1, "a")]);
        let local = with(&[(1, "a"), (2, "mine")]);
        let remote = with(&[(1, "a"), (3, "theirs")]);
        assert_eq!(
            texts(&merge(&base, &local, &remote)),
            ["a", "mine", "theirs"]
        );
    }

    #[test]
    fn a_deletion_carries_over_and_an_edit_beats_it() {
        let base = with(&[(1, "a"), (2, "b")]);
        // Deleted here, untouched there: gone.
        assert_eq!(texts(&merge(&base, &with(&[(2, "b")]), &base)), ["b"]);
        // Deleted there, untouched here: gone.
        assert_eq!(texts(&merge(&base, &base, &with(&[(1, "a")]))), ["a"]);
        // Deleted there, edited here: kept with the edit.
        let edited = with(&[(1, "a"), (2, "b, edited")]);
        assert_eq!(
            texts(&merge(&base, &edited, &with(&[(1, "a")]))),
            ["a", "b, edited"]
        );
        // Edited on both sides: this tab's edit.
        let theirs = with(&[(1, "a"), (2, "b, theirs")]);
        assert_eq!(texts(&merge(&base, &edited, &theirs)), ["a", "b, edited"]);
    }

    #[test]
    fn notes_merge_field_by_field_and_a_new_exercise_replaces_everything() {
        let base = Stored::default();
        let mut local = base.clone();
        local.notes.name = "Drill".into();
        local.notes.ratings.push(Rating {
            objective: "detection".into(),
            grade: Grade::S,
        });
        let mut remote = base.clone();
        remote.notes.hot_wash = "More runbooks".into();
        let merged = merge(&base, &local, &remote);
        assert_eq!(merged.notes.name, "Drill");
        assert_eq!(merged.notes.hot_wash, "More runbooks");
        assert_eq!(merged.notes.ratings.len(), 1);
        // Another tab started a new exercise: its record wins as a whole.
        let fresh = Stored {
            session: Session {
                id: 9,
                started_ms: 5.0,
            },
            ..Stored::default()
        };
        assert_eq!(merge(&base, &local, &fresh), fresh);
        // This tab started one: its record wins.
        assert_eq!(merge(&base, &fresh, &remote), fresh);
    }

    /// The case: two console tabs add five decisions each, alternately, each saving
    /// through the merge and following the other's saves; after a reload all ten are there.
    #[test]
    fn two_console_tabs_adding_five_decisions_each_keep_all_ten() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let mut storage: Option<Stored> = None;
        struct Tab {
            state: ExerciseState,
            base: Stored,
        }
        let now = s.clock.on_origin_day(15, 46);
        let new_tab = || {
            let state = ExerciseState::new(&s);
            let base = state.stored(&s, now);
            Tab { state, base }
        };
        let mut tabs = [new_tab(), new_tab()];
        // What the persistence hook does after a change: read, merge, write, follow.
        let sync = |tab: &mut Tab, storage: &mut Option<Stored>| {
            let local = tab.state.stored(&s, now);
            let remote = storage.clone().unwrap_or_else(|| tab.base.clone());
            let merged = merge(&tab.base, &local, &remote);
            *storage = Some(merged.clone());
            if merged != local {
                tab.state
                    .reduce(ExerciseAction::Merge(Box::new(merged.clone())), now, &s)
                    .unwrap();
            }
            tab.base = merged;
        };
        for k in 0..10u64 {
            let tab = &mut tabs[(k % 2) as usize];
            tab.state
                .reduce(
                    ExerciseAction::EditDraft(Draft {
                        text: format!("decision {k}"),
                        action: if k == 3 {
                            "roll_back".into()
                        } else {
                            String::new()
                        },
                        ..Draft::default()
                    }),
                    now,
                    &s,
                )
                .unwrap();
            tab.state
                .reduce(
                    ExerciseAction::LogDecision {
                        wall_ms: k as f64,
                        id: 1_000 + k,
                    },
                    now,
                    &s,
                )
                .unwrap();
            sync(tab, &mut storage);
        }
        // The other tab saves something of its own last, without having followed the last save.
        let other = &mut tabs[0];
        other
            .state
            .reduce(ExerciseAction::Ask(Ask::RevealOutcome), now, &s)
            .unwrap();
        sync(other, &mut storage);
        // A reload: a fresh tab reads the store.
        let mut reloaded = ExerciseState::new(&s);
        let unread = reloaded.restore(storage.unwrap(), &s);
        assert!(unread.is_empty());
        let logged: Vec<&str> = reloaded.decisions.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(logged.len(), 10, "{logged:?}");
        for k in 0..10 {
            assert!(logged.contains(&format!("decision {k}").as_str()), "{k}");
        }
        assert_eq!(
            reloaded.interventions().len(),
            1,
            "the rollback is typed again"
        );
    }

    #[test]
    fn the_stored_record_reads_back_into_the_same_state() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let now = s.clock.on_origin_day(15, 38);
        let mut e = ExerciseState::new(&s);
        e.reduce(
            ExerciseAction::EditDraft(Draft {
                text: "Page on-call".into(),
                action: "page_on_call:ack_delay_s=120".into(),
                ..Draft::default()
            }),
            now,
            &s,
        )
        .unwrap();
        e.reduce(
            ExerciseAction::LogDecision {
                wall_ms: 5.0,
                id: 42,
            },
            now,
            &s,
        )
        .unwrap();
        e.reduce(
            ExerciseAction::Ask(Ask::Curveball(
                outage_sim::intervention::CurveballId::PagerDown,
            )),
            now,
            &s,
        )
        .unwrap();
        e.reduce(
            ExerciseAction::Answer {
                confirmed: true,
                wall_ms: 6.0,
                id: 43,
            },
            now,
            &s,
        )
        .unwrap();
        let raw = crate::storage::write_envelope(EXERCISE_RECORD, &e.stored(&s, now));
        assert!(raw.contains("15:38=page_on_call:ack_delay_s=120"), "{raw}");
        assert!(raw.contains("15:38=pager_down"), "{raw}");
        let back: Stored = crate::storage::read_envelope(EXERCISE_RECORD, &raw).unwrap();
        let mut again = ExerciseState::new(&s);
        assert!(again.restore(back, &s).is_empty());
        assert_eq!(again.decisions, e.decisions);
        assert_eq!(again.fired, e.fired);
        assert_eq!(again.undo, e.undo);
        assert_eq!(again.stored(&s, now), e.stored(&s, now));
    }

    #[test]
    fn a_stored_action_that_no_longer_reads_is_kept_and_named() {
        let s = builtin("eptura-2024-07-10").unwrap();
        let mut stored = with(&[(1, "x")]);
        stored.decisions[0].action = Some("15:40=teleport".into());
        stored.fired.push(FiredRecord {
            id: 2,
            curveball: "15:40=meteor".into(),
            wall_ms: 0.0,
        });
        let mut e = ExerciseState::new(&s);
        let unread = e.restore(stored.clone(), &s);
        assert_eq!(unread.len(), 2, "{unread:?}");
        assert!(unread[0].contains("teleport"));
        // Written back as it was: nothing lost.
        let again = e.stored(&s, 0);
        assert_eq!(again.decisions[0].action.as_deref(), Some("15:40=teleport"));
        assert_eq!(again.fired, stored.fired);
    }

    fn any_list() -> impl Strategy<Value = Vec<(u64, u8)>> {
        prop::collection::vec((0u64..12, 0u8..3), 0..8).prop_map(|mut v| {
            v.sort();
            v.dedup_by_key(|x| x.0);
            v
        })
    }

    fn stored_of(list: &[(u64, u8)]) -> Stored {
        Stored {
            decisions: list
                .iter()
                .map(|(id, v)| decision(*id, &format!("{id}.{v}")))
                .collect(),
            ..Stored::default()
        }
    }

    proptest! {
        #[test]
        fn merging_keeps_every_change_of_one_side(base in any_list(), local in any_list()) {
            let (base, local) = (stored_of(&base), stored_of(&local));
            // Nothing changed in the store: this tab's state is written as it is.
            let written = merge(&base, &local, &base);
            prop_assert_eq!(texts(&written), texts(&local));
            // Nothing changed here: the store is followed as it is.
            let followed = merge(&base, &base, &local);
            prop_assert_eq!(texts(&followed), texts(&local));
        }

        #[test]
        fn nothing_added_on_either_side_is_lost(base in any_list(), a in any_list(), b in any_list()) {
            let (base_s, local, remote) = (stored_of(&base), stored_of(&a), stored_of(&b));
            let merged = merge(&base_s, &local, &remote);
            for side in [&a, &b] {
                for (id, _) in side.iter().filter(|(id, _)| !base.iter().any(|(b, _)| b == id)) {
                    prop_assert!(merged.decisions.iter().any(|d| d.id == *id), "{} lost", id);
                }
            }
            // Merging again with the result as the base changes nothing.
            prop_assert_eq!(merge(&merged, &merged, &merged), merged.clone());
        }
    }
}
