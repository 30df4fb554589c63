//! Reads a scenario file's JSON tree (from `input::parse`) into the raw `ScenarioSpec` with the
//! project's one reader (`input::Reader`), collecting every shape problem with its JSON path: a
//! missing or unknown field, a wrong type, a text too long or holding a control character.

use serde_json::Value;

use super::spec::*;
use super::{AssumptionId, StepId};
use crate::input::{Obj, Reader};
use crate::provenance::Provenance;

fn provenance(r: &mut Reader, o: &mut Obj) -> Provenance {
    let path = o.child("kind");
    let kind = r.string(o, "kind");
    let note = r.string(o, "note");
    let basis_path = o.child("based_on");
    let based_on = r.opt_string(o, "based_on", false);
    if based_on.is_some() && kind != "assumption" {
        r.fail(basis_path, "only an assumption says what it is based on");
    }
    match kind.as_str() {
        "postmortem" => Provenance::Postmortem { note },
        "cited" => Provenance::Cited { note },
        "assumption" => Provenance::Assumption { note, based_on },
        other => {
            r.fail(
                path,
                format!("'{other}' is not a provenance kind (postmortem, cited or assumption)"),
            );
            Provenance::Assumption { note, based_on }
        }
    }
}

fn quote(r: &mut Reader, o: &mut Obj) -> QuoteSpec {
    QuoteSpec {
        section: r.string(o, "section"),
        quote: r.string(o, "quote"),
    }
}

fn number_assumption(r: &mut Reader, o: &mut Obj) -> NumberAssumptionSpec {
    NumberAssumptionSpec {
        label: r.string(o, "label"),
        value: r.number(o, "value"),
        reference: r.opt_number(o, "reference", false),
        min: r.number(o, "min"),
        max: r.number(o, "max"),
        unit: r.string(o, "unit"),
        provenance: r
            .nested(o, "provenance", true, provenance)
            .unwrap_or_default(),
    }
}

fn step(r: &mut Reader, o: &mut Obj) -> StepSpec {
    StepSpec {
        label: r.string(o, "label"),
        median_s: r.opt_number(o, "median_s", false),
        sigma: r.number(o, "sigma"),
        provenance: r.nested(o, "provenance", false, provenance),
        spread_provenance: r.nested(o, "spread_provenance", false, provenance),
    }
}

fn record(r: &mut Reader, e: &mut Obj) -> RecordSpec {
    RecordSpec {
        id: r.string(e, "id"),
        at: r.nullable_string(e, "at"),
        lane: r.string(e, "lane"),
        title: r.string(e, "title"),
        note: r.opt_string(e, "note", false),
        epilogue: r.boolean(e, "epilogue"),
        sources: r.objects(e, "sources", quote),
    }
}

fn assumptions(r: &mut Reader, o: &mut Obj) -> AssumptionsSpec {
    let number = |r: &mut Reader, o: &mut Obj, key| {
        r.nested(o, key, true, number_assumption)
            .unwrap_or_default()
    };
    AssumptionsSpec {
        impact_start: r
            .nested(o, "impact_start", true, |r, o| TimeAssumptionSpec {
                label: r.string(o, "label"),
                at: r.string(o, "at"),
                min: r.string(o, "min"),
                max: r.string(o, "max"),
                provenance: r
                    .nested(o, "provenance", true, provenance)
                    .unwrap_or_default(),
            })
            .unwrap_or_default(),
        numbers: AssumptionId::ALL.map(|id| number(r, o, id.key())),
    }
}

fn steps(r: &mut Reader, o: &mut Obj) -> StepsSpec {
    let s = |r: &mut Reader, o: &mut Obj, key| r.nested(o, key, true, step).unwrap_or_default();
    StepsSpec {
        gitops_sync: r
            .nested(o, "gitops_sync", true, |r, o| UniformStepSpec {
                label: r.string(o, "label"),
                uniform_max_s: r.number(o, "uniform_max_s"),
                provenance: r
                    .nested(o, "provenance", true, provenance)
                    .unwrap_or_default(),
            })
            .unwrap_or_default(),
        by_id: StepId::ALL.map(|id| s(r, o, id.key())),
    }
}

fn calibration(r: &mut Reader, o: &mut Obj) -> CalibrationSpec {
    CalibrationSpec {
        note: r.string(o, "note"),
        steps: r
            .nested(o, "steps", true, |r, o| {
                StepId::ALL.map(|id| {
                    r.nested(o, id.key(), false, |r, o| CalibrationStepSpec {
                        factor: r.number(o, "factor"),
                        sigma: r.number(o, "sigma"),
                    })
                })
            })
            .unwrap_or_default(),
    }
}

/// Reads the whole file. `None` only if the top level is not an object; otherwise a spec with
/// blanks where fields were missing or wrong, and the problems recorded in `r`.
pub(super) fn read_spec(r: &mut Reader, value: &Value) -> Option<ScenarioSpec> {
    let mut o = r.object(value, "")?;
    let spec = ScenarioSpec {
        schema: r
            .whole(&mut o, "schema", 0..=i64::from(u32::MAX))
            .map_or(0, |v| v as u32),
        id: r.string(&mut o, "id"),
        title: r.string(&mut o, "title"),
        summary: r.string(&mut o, "summary"),
        source: r
            .nested(&mut o, "source", true, |r, o| SourceSpec {
                title: r.string(o, "title"),
                publisher: r.string(o, "publisher"),
                published: r.string(o, "published"),
            })
            .unwrap_or_default(),
        time_zone: r
            .nested(&mut o, "time_zone", true, |r, o| TimeZoneSpec {
                label: r.string(o, "label"),
                utc_offset: r.string(o, "utc_offset"),
                note: r.opt_string(o, "note", false).unwrap_or_default(),
            })
            .unwrap_or_default(),
        origin: r.string(&mut o, "origin"),
        record: r.objects(&mut o, "record", record),
        reported_duration: r
            .nested(&mut o, "reported_duration", true, |r, o| {
                ReportedDurationSpec {
                    value_s: r.whole(o, "value_s", i64::MIN..=i64::MAX).unwrap_or(0),
                    from: r.string(o, "from"),
                    to: r.string(o, "to"),
                    source: r.nested(o, "source", true, quote).unwrap_or_default(),
                }
            })
            .unwrap_or_default(),
        assumptions: r
            .nested(&mut o, "assumptions", true, assumptions)
            .unwrap_or_default(),
        steps: r.nested(&mut o, "steps", true, steps).unwrap_or_default(),
        calibration: r.nested(&mut o, "calibration", false, calibration),
    };
    r.finish(o);
    Some(spec)
}
