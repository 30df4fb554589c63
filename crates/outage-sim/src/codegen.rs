//! Writes a validated scenario as a Rust expression that rebuilds it. The browser app's build
//! script uses it to embed the built-in scenario already validated, so the app does not need the
//! JSON parser and validator just to read its own data (the start's size and budget are in
//! docs/architecture.md, "Budgets and how they are measured").
//! The app's tests check that the embedded scenario equals the one parsed from JSON.
//!
//! A validated exercise is written the same way (`exercise_to_rust`), so the facilitator's
//! console embeds its injects and curveballs without the exercise reader either.

use std::fmt::Write;

use crate::exercise::*;
use crate::intervention::{ActionId, CurveballId};
use crate::provenance::Provenance;
use crate::scenario::*;

/// A value that can write itself as a Rust expression (paths relative to `outage_sim`).
pub trait ToRust {
    fn to_rust(&self, out: &mut String);
}

fn string(out: &mut String, s: &str) {
    let _ = write!(out, "String::from({s:?})");
}

impl ToRust for String {
    fn to_rust(&self, out: &mut String) {
        string(out, self);
    }
}

impl ToRust for u32 {
    fn to_rust(&self, out: &mut String) {
        let _ = write!(out, "{self}u32");
    }
}

impl ToRust for i64 {
    fn to_rust(&self, out: &mut String) {
        let _ = write!(out, "{self}i64");
    }
}

impl ToRust for f64 {
    fn to_rust(&self, out: &mut String) {
        assert!(self.is_finite(), "validated scenarios hold finite numbers");
        let _ = write!(out, "{self:?}f64");
    }
}

impl ToRust for bool {
    fn to_rust(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl<T: ToRust> ToRust for Option<T> {
    fn to_rust(&self, out: &mut String) {
        match self {
            None => out.push_str("None"),
            Some(v) => {
                out.push_str("Some(");
                v.to_rust(out);
                out.push(')');
            }
        }
    }
}

impl<T: ToRust, const N: usize> ToRust for [T; N] {
    fn to_rust(&self, out: &mut String) {
        out.push('[');
        for v in self {
            v.to_rust(out);
            out.push_str(", ");
        }
        out.push(']');
    }
}

impl<T: ToRust> ToRust for Vec<T> {
    fn to_rust(&self, out: &mut String) {
        out.push_str("vec![");
        for v in self {
            v.to_rust(out);
            out.push_str(", ");
        }
        out.push(']');
    }
}

/// Writes `Path { field: value, … }` (in `outage_sim::scenario` unless a module is given).
macro_rules! structure {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        structure!("outage_sim::scenario::", $ty { $($field),* });
    };
    ($module:literal, $ty:ident { $($field:ident),* $(,)? }) => {
        impl ToRust for $ty {
            fn to_rust(&self, out: &mut String) {
                out.push_str(concat!($module, stringify!($ty), " { "));
                $(
                    out.push_str(concat!(stringify!($field), ": "));
                    self.$field.to_rust(out);
                    out.push_str(", ");
                )*
                out.push('}');
            }
        }
    };
}

impl ToRust for Lane {
    fn to_rust(&self, out: &mut String) {
        let _ = write!(out, "outage_sim::scenario::Lane::{self:?}");
    }
}

impl ToRust for Provenance {
    fn to_rust(&self, out: &mut String) {
        let (kind, based_on) = match self {
            Provenance::Postmortem { .. } => ("Postmortem", None),
            Provenance::Cited { .. } => ("Cited", None),
            Provenance::Assumption { based_on, .. } => ("Assumption", Some(based_on)),
        };
        let _ = write!(out, "outage_sim::Provenance::{kind} {{ note: ");
        string(out, self.note());
        if let Some(based_on) = based_on {
            out.push_str(", based_on: ");
            based_on.to_rust(out);
        }
        out.push_str(" }");
    }
}

impl ToRust for Anchor {
    fn to_rust(&self, out: &mut String) {
        match self {
            Anchor::ImpactStart => out.push_str("outage_sim::scenario::Anchor::ImpactStart"),
            Anchor::Record { id, at } => {
                out.push_str("outage_sim::scenario::Anchor::Record { id: ");
                id.to_rust(out);
                out.push_str(", at: ");
                at.to_rust(out);
                out.push_str(" }");
            }
        }
    }
}

impl ToRust for Median {
    fn to_rust(&self, out: &mut String) {
        match self {
            Median::Fixed { ms } => {
                out.push_str("outage_sim::scenario::Median::Fixed { ms: ");
                ms.to_rust(out);
                out.push_str(" }");
            }
            Median::Between { from, to } => {
                out.push_str("outage_sim::scenario::Median::Between { from: ");
                from.to_rust(out);
                out.push_str(", to: ");
                to.to_rust(out);
                out.push_str(" }");
            }
        }
    }
}

impl ToRust for crate::time::Clock {
    fn to_rust(&self, out: &mut String) {
        let o = self.origin();
        let _ = write!(
            out,
            "outage_sim::Clock::new(outage_sim::time::stamp({}i64, {}i32), {:?})",
            o.timestamp_millis(),
            o.offset().local_minus_utc(),
            self.zone_label()
        );
    }
}

structure!(Quote { section, quote });
structure!(RecordEvent {
    id,
    at,
    lane,
    title,
    note,
    epilogue,
    sources
});
structure!(SourceInfo {
    title,
    publisher,
    published
});
structure!(ReportedDuration {
    value,
    from,
    to,
    source
});
structure!(TimeAssumption {
    label,
    at,
    min,
    max,
    provenance
});
structure!(NumberAssumption {
    label,
    value,
    reference,
    min,
    max,
    unit,
    provenance
});
structure!(Assumptions {
    impact_start,
    numbers
});
structure!(Step {
    label,
    median,
    sigma,
    provenance,
    spread_provenance
});
structure!(UniformStep {
    label,
    max,
    provenance
});
structure!(Steps { gitops_sync, by_id });
impl ToRust for Calibration {
    fn to_rust(&self, out: &mut String) {
        out.push_str("outage_sim::scenario::Calibration::from_parts(");
        StepId::ALL.map(|id| self.factor(id)).to_rust(out);
        out.push_str(", ");
        StepId::ALL.map(|id| self.sigma(id)).to_rust(out);
        out.push(')');
    }
}

structure!(Scenario {
    id,
    title,
    summary,
    source,
    zone_label,
    zone_note,
    clock,
    record,
    reported_duration,
    assumptions,
    steps,
    calibration,
    calibration_note
});

impl ToRust for ActionId {
    fn to_rust(&self, out: &mut String) {
        let _ = write!(out, "outage_sim::intervention::ActionId::{self:?}");
    }
}

impl ToRust for CurveballId {
    fn to_rust(&self, out: &mut String) {
        let _ = write!(out, "outage_sim::intervention::CurveballId::{self:?}");
    }
}

impl ToRust for NumberUnit {
    fn to_rust(&self, out: &mut String) {
        let _ = write!(out, "outage_sim::exercise::NumberUnit::{self:?}");
    }
}

structure!(
    "outage_sim::exercise::",
    Objective {
        id,
        title,
        description,
        capability
    }
);
structure!(
    "outage_sim::exercise::",
    Phase {
        id,
        title,
        summary,
        starts_at
    }
);
structure!("outage_sim::exercise::", Passage { text, illustrative });
structure!(
    "outage_sim::exercise::",
    CardText {
        title,
        participant_text
    }
);
structure!(
    "outage_sim::exercise::",
    Inject {
        id,
        record_id,
        at,
        phase,
        title,
        participant_text,
        questions,
        listen_for,
        discuss_minutes,
        facilitator_note,
        source
    }
);
structure!(
    "outage_sim::exercise::",
    ExerciseNumber {
        key,
        label,
        value,
        unit,
        provenance,
        illustrative
    }
);
structure!(
    "outage_sim::exercise::",
    CurveballCard {
        id,
        title,
        participant_text,
        spoiler_free,
        effect,
        numbers,
        provenance
    }
);
structure!(
    "outage_sim::exercise::",
    ActionCard {
        id,
        label,
        help,
        numbers
    }
);
structure!("outage_sim::exercise::", Withheld { term, until, at });
structure!(
    "outage_sim::exercise::",
    Exercise {
        id,
        scenario,
        title,
        brief,
        scope,
        mission_areas,
        objectives,
        duration_minutes,
        phases,
        injects,
        curveballs,
        actions,
        withheld
    }
);

/// A validated exercise as one Rust expression.
pub fn exercise_to_rust(exercise: &Exercise) -> String {
    let mut out = String::with_capacity(32 * 1024);
    exercise.to_rust(&mut out);
    out
}

/// The scenario as one Rust expression.
pub fn to_rust(scenario: &Scenario) -> String {
    let mut out = String::with_capacity(32 * 1024);
    scenario.to_rust(&mut out);
    out
}
