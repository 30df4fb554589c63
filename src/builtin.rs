//! The scenarios built into the app, generated at build time from the simulation crate's JSON
//! (see `build.rs`), already validated.

#![allow(clippy::all)]

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The scenario the app opens with.
pub const DEFAULT_SCENARIO: &str = "eptura-2024-07-10";

/// Whether the scenario the app opens with has an exercise (Train and Facilitate need one): the
/// start screen says so before the app's state, which reads the exercise, is loaded.
pub const DEFAULT_HAS_EXERCISE: bool = true;

/// A built-in scenario by id.
pub fn builtin(id: &str) -> Option<outage_sim::Scenario> {
    match id {
        "eptura-2024-07-10" => Some(scenario_eptura_2024_07_10()),
        _ => None,
    }
}

/// The exercise of a built-in scenario, by the scenario's id.
pub fn builtin_exercise(id: &str) -> Option<outage_sim::Exercise> {
    match id {
        "eptura-2024-07-10" => Some(exercise_eptura_2024_07_10()),
        _ => None,
    }
}

/// The exercise a scenario is run with: a built-in scenario's own, or the built-in's for a
/// variant of it exported as a file (see `outage_sim::exercise::exercise_for`).
pub fn exercise_for(scenario: &outage_sim::Scenario) -> Option<outage_sim::Exercise> {
    outage_sim::exercise::exercise_for(scenario, builtin, builtin_exercise)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_scenario_equals_the_one_parsed_from_json() {
        for id in outage_sim::scenario::builtin_ids() {
            assert_eq!(
                super::builtin(id),
                outage_sim::scenario::builtin(id),
                "{id}"
            );
        }
    }

    #[test]
    fn the_start_screen_knows_whether_the_default_scenario_has_an_exercise() {
        assert_eq!(
            super::DEFAULT_HAS_EXERCISE,
            super::builtin_exercise(super::DEFAULT_SCENARIO).is_some()
        );
    }

    #[test]
    fn the_embedded_exercise_equals_the_one_parsed_from_json() {
        for id in outage_sim::exercise::builtin_exercise_ids() {
            assert_eq!(
                super::builtin_exercise(id),
                outage_sim::exercise::builtin_exercise(id),
                "{id}"
            );
        }
    }
}
