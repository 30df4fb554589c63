//! The exercises compiled into the binary, one per built-in scenario, keyed by the scenario's
//! id. Their JSON is embedded, parsed and validated against the scenario on use, so a broken
//! built-in file fails the test suite rather than a user.

use super::{parse_exercise, Exercise};

/// The exercise of the 10 July 2024 Eptura Workplace calendar outage, as JSON.
pub const BUILTIN_EPTURA_EXERCISE: &str =
    include_str!("../../scenarios/eptura-2024-07-10.exercise.json");

const BUILTINS: [(&str, &str); 1] = [("eptura-2024-07-10", BUILTIN_EPTURA_EXERCISE)];

/// The scenario ids that have a built-in exercise.
pub fn builtin_exercise_ids() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(id, _)| *id)
}

/// The built-in exercise of a built-in scenario, validated against it.
pub fn builtin_exercise(scenario_id: &str) -> Option<Exercise> {
    let (_, json) = BUILTINS.iter().find(|(id, _)| *id == scenario_id)?;
    let scenario = crate::scenario::builtin(scenario_id)?;
    Some(
        parse_exercise(json, &scenario)
            .expect("built-in exercises are validated by the test suite"),
    )
}

/// The suffix the app gives the id of a built-in scenario exported with numbers of its own.
pub const VARIANT_SUFFIX: &str = "-variant";

/// The exercise a scenario is run with: a built-in scenario's own, or, for a variant of a
/// built-in exported as a file (its id is the built-in's with [`VARIANT_SUFFIX`] and its record
/// is the built-in's, line for line), the built-in's exercise, which then names the variant.
/// The injects stand at the record's moments, which such a variant keeps; its own numbers only
/// move what happens between them. A file whose record differs in anything has no exercise:
/// the injects would tell the room about a day that is not the one simulated.
///
/// The look-ups are parameters so that the app can pass its copies generated at build time
/// (without the JSON parser) and the worker and the command line this crate's own.
pub fn exercise_for(
    scenario: &crate::Scenario,
    scenario_by_id: fn(&str) -> Option<crate::Scenario>,
    exercise_by_id: fn(&str) -> Option<Exercise>,
) -> Option<Exercise> {
    if let Some(exercise) = exercise_by_id(&scenario.id) {
        return Some(exercise);
    }
    let base = scenario.id.strip_suffix(VARIANT_SUFFIX)?;
    if scenario_by_id(base)?.record != scenario.record {
        return None;
    }
    let mut exercise = exercise_by_id(base)?;
    exercise.scenario = scenario.id.clone();
    Some(exercise)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_of_a_builtin_keeps_its_exercise_and_a_changed_record_loses_it() {
        let builtin = crate::scenario::builtin("eptura-2024-07-10").unwrap();
        let mut variant = builtin.clone();
        variant.id = format!("{}{VARIANT_SUFFIX}", builtin.id);
        let exercise = exercise_for(&variant, crate::scenario::builtin, builtin_exercise)
            .expect("the variant keeps the exercise");
        assert_eq!(exercise.scenario, variant.id);
        assert_eq!(
            exercise.injects,
            builtin_exercise(&builtin.id).unwrap().injects
        );

        variant.record[3].title.push_str(" (edited)");
        assert_eq!(
            exercise_for(&variant, crate::scenario::builtin, builtin_exercise),
            None
        );
        let mut other = builtin.clone();
        other.id = "our-own-incident".into();
        assert_eq!(
            exercise_for(&other, crate::scenario::builtin, builtin_exercise),
            None
        );
    }
}
