//! A validated `Scenario` written back as the raw `ScenarioSpec` a file holds, and as JSON, so
//! that a scenario the app exports (the built-in one, an imported file, a variant with its own
//! numbers) is a file `outage-sim validate` accepts and that parses back into the same scenario.
//!
//! What validation derives is left out again: a recorded step's median (and its provenance)
//! comes from its two record lines unless the scenario replaced it, and a spread's provenance
//! that is the median's is not repeated.

use super::*;

/// An instant as RFC 3339 with the scenario's offset, with milliseconds only when it has them.
fn instant(clock: &Clock, t: SimTime) -> String {
    let whole = clock.rfc3339(t.div_euclid(1000) * 1000);
    match t.rem_euclid(1000) {
        0 => whole,
        ms => {
            // `2024-07-10T15:34:00-05:00`: the fraction goes before the offset.
            let (date_time, offset) = whole.split_at(whole.len() - 6);
            format!("{date_time}.{ms:03}{offset}")
        }
    }
}

fn quote(q: &Quote) -> QuoteSpec {
    QuoteSpec {
        section: q.section.clone(),
        quote: q.quote.clone(),
    }
}

fn seconds(ms: Millis) -> f64 {
    ms as f64 / 1000.0
}

impl Scenario {
    /// The scenario as a file states it.
    pub fn to_spec(&self) -> ScenarioSpec {
        let clock = &self.clock;
        let a = &self.assumptions;
        ScenarioSpec {
            schema: SCHEMA,
            id: self.id.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            source: SourceSpec {
                title: self.source.title.clone(),
                publisher: self.source.publisher.clone(),
                published: self.source.published.clone(),
            },
            time_zone: TimeZoneSpec {
                label: self.zone_label.clone(),
                utc_offset: clock.offset_label(),
                note: self.zone_note.clone(),
            },
            origin: instant(clock, 0),
            record: self
                .record
                .iter()
                .map(|e| RecordSpec {
                    id: e.id.clone(),
                    at: e.at.map(|t| instant(clock, t)),
                    lane: e.lane.id().to_string(),
                    title: e.title.clone(),
                    note: e.note.clone(),
                    epilogue: e.epilogue,
                    sources: e.sources.iter().map(quote).collect(),
                })
                .collect(),
            reported_duration: ReportedDurationSpec {
                value_s: self.reported_duration.value / 1000,
                from: self.reported_duration.from.clone(),
                to: self.reported_duration.to.clone(),
                source: quote(&self.reported_duration.source),
            },
            assumptions: AssumptionsSpec {
                impact_start: TimeAssumptionSpec {
                    label: a.impact_start.label.clone(),
                    at: instant(clock, a.impact_start.at),
                    min: instant(clock, a.impact_start.min),
                    max: instant(clock, a.impact_start.max),
                    provenance: a.impact_start.provenance.clone(),
                },
                numbers: AssumptionId::ALL.map(|id| {
                    let n = &a[id];
                    NumberAssumptionSpec {
                        label: n.label.clone(),
                        value: n.value,
                        reference: (n.reference != n.value).then_some(n.reference),
                        min: n.min,
                        max: n.max,
                        unit: n.unit.clone(),
                        provenance: n.provenance.clone(),
                    }
                }),
            },
            steps: StepsSpec {
                gitops_sync: UniformStepSpec {
                    label: self.steps.gitops_sync.label.clone(),
                    uniform_max_s: seconds(self.steps.gitops_sync.max),
                    provenance: self.steps.gitops_sync.provenance.clone(),
                },
                by_id: StepId::ALL.map(|id| {
                    let step = &self.steps[id];
                    let stated = match step.median {
                        Median::Fixed { ms } => Some(seconds(ms)),
                        Median::Between { .. } => None,
                    };
                    StepSpec {
                        label: step.label.clone(),
                        median_s: stated,
                        sigma: step.sigma,
                        provenance: stated.map(|_| step.provenance.clone()),
                        spread_provenance: (step.spread_provenance != step.provenance)
                            .then(|| step.spread_provenance.clone()),
                    }
                }),
            },
            calibration: Some(CalibrationSpec {
                note: self.calibration_note.clone(),
                steps: StepId::ALL.map(|id| {
                    let c = &self.calibration;
                    (c.factor(id) != 1.0).then(|| CalibrationStepSpec {
                        factor: c.factor(id),
                        sigma: c.sigma(id),
                    })
                }),
            }),
        }
    }
}

/// The scenario as a scenario file: pretty JSON that `parse_scenario` (and so `outage-sim
/// validate`) reads back into the same scenario.
pub fn scenario_json(scenario: &Scenario) -> String {
    let mut text = serde_json::to_string_pretty(&scenario.to_spec()).expect("a spec serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn eptura() -> Scenario {
        builtin("eptura-2024-07-10").unwrap()
    }

    /// Numbers compared as numbers (`120` and `120.0` are the same figure).
    fn numbers_as_f64(value: &mut Value) {
        match value {
            Value::Number(n) => *value = Value::from(n.as_f64().unwrap()),
            Value::Array(items) => items.iter_mut().for_each(numbers_as_f64),
            Value::Object(map) => map.values_mut().for_each(numbers_as_f64),
            _ => {}
        }
    }

    #[test]
    fn the_built_in_exports_as_its_own_file() {
        let mut exported: Value = serde_json::from_str(&scenario_json(&eptura())).unwrap();
        let mut file: Value = serde_json::from_str(BUILTIN_EPTURA).unwrap();
        numbers_as_f64(&mut exported);
        numbers_as_f64(&mut file);
        assert_eq!(exported, file);
        assert!(scenario_json(&eptura()).contains("\"value\": 120,"));
    }

    #[test]
    fn an_export_parses_back_into_the_same_scenario() {
        assert_eq!(parse_scenario(&scenario_json(&eptura())).unwrap(), eptura());
        let mut variant = eptura();
        variant.set_assumption("sites", 400.0).unwrap();
        variant
            .set_assumption("events_per_site_hour", 12.345_678_901)
            .unwrap();
        variant
            .set_impact_start(variant.clock.on_origin_day(13, 5) + 1_250)
            .unwrap();
        variant
            .set_step(StepId::Mobilize, Some(180_000), Some(0.25))
            .unwrap();
        variant
            .set_step(StepId::ChatNotice, Some(120_500), None)
            .unwrap();
        variant.set_gitops_sync_max(300_000).unwrap();
        let json = scenario_json(&variant);
        assert!(
            json.contains("\"reference\": 120"),
            "the record's sites stay"
        );
        let back = parse_scenario(&json).unwrap();
        assert_eq!(back, variant);
        assert_eq!(
            crate::montecarlo::fingerprint(&back),
            crate::montecarlo::fingerprint(&variant)
        );
    }

    #[test]
    fn a_recorded_step_given_its_own_median_says_so() {
        let mut s = eptura();
        let before = s.median(&s.steps[StepId::Mobilize]);
        s.set_step(StepId::Mobilize, Some(before), None).unwrap();
        assert_eq!(s, eptura(), "the record's own median changes nothing");
        s.set_step(StepId::Mobilize, Some(60_000), None).unwrap();
        let step = &s.steps[StepId::Mobilize];
        assert_eq!(step.median, Median::Fixed { ms: 60_000 });
        assert_eq!(step.provenance.kind(), "assumption");
        assert!(step
            .provenance
            .note()
            .starts_with("Set for this variant; the record measures 8 min"));
        let note = step.provenance.note().to_string();
        s.set_step(StepId::Mobilize, Some(90_000), None).unwrap();
        assert_eq!(s.steps[StepId::Mobilize].provenance.note(), note);
        assert!(s.set_step(StepId::Mobilize, Some(0), None).is_err());
        assert!(s.set_step(StepId::Mobilize, None, Some(3.5)).is_err());
    }

    #[test]
    fn steps_read_from_text_as_links_write_them() {
        let mut s = eptura();
        s.set_step_text("mobilize", "median_s=180,sigma=0.3")
            .unwrap();
        assert_eq!(s.median(&s.steps[StepId::Mobilize]), 180_000);
        assert_eq!(s.steps[StepId::Mobilize].sigma, 0.3);
        s.set_step_text("gitops_sync", "uniform_max_s=60").unwrap();
        assert_eq!(s.steps.gitops_sync.max, 60_000);
        for (key, text, expected) in [
            ("nope", "sigma=1", "unknown step"),
            ("mobilize", "sigma=x", "is not a number like"),
            ("mobilize", "median_s=0", "at least 0.001 s"),
            ("mobilize", "sigma=4", "between 0 and 3"),
            ("mobilize", "uniform_max_s=3", "expected median_s, sigma"),
            ("mobilize", "sigma=1,sigma=2", "given more than once"),
            ("mobilize", "", "expected median_s=N"),
            ("gitops_sync", "sigma=1", "expected uniform_max_s"),
        ] {
            let err = s.set_step_text(key, text).unwrap_err().to_string();
            assert!(err.contains(expected), "{key} {text}: {err}");
        }
    }

    #[test]
    fn a_recorded_median_in_a_file_needs_its_source() {
        let mut v: Value = serde_json::from_str(BUILTIN_EPTURA).unwrap();
        v["steps"]["mobilize"]["median_s"] = 120.into();
        let err = parse_scenario(&v.to_string()).unwrap_err().problems();
        assert_eq!(err[0].path, "steps.mobilize.median_s");
        assert!(err[0].message.contains("give a provenance"));
        v["steps"]["mobilize"]["provenance"] =
            serde_json::json!({"kind": "assumption", "note": "Our on-call gathers in 2 minutes."});
        let s = parse_scenario(&v.to_string()).unwrap();
        assert_eq!(s.median(&s.steps[StepId::Mobilize]), 120_000);
        v["assumptions"]["sites"]["reference"] = 0.5.into();
        let err = parse_scenario(&v.to_string()).unwrap_err().problems();
        assert!(err.iter().any(|p| p.path == "assumptions.sites.reference"));
    }
}
