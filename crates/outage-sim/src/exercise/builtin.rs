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
