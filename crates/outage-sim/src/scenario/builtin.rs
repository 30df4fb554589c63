//! The scenarios compiled into the binary. Their JSON is embedded, parsed and validated on use,
//! so a broken built-in file fails the test suite rather than a user.

use super::{parse_scenario, Scenario};

/// The 10 July 2024 Eptura Workplace calendar outage, as JSON.
pub const BUILTIN_EPTURA: &str = include_str!("../../scenarios/eptura-2024-07-10.json");

const BUILTINS: [(&str, &str); 1] = [("eptura-2024-07-10", BUILTIN_EPTURA)];

/// The ids of the built-in scenarios.
pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(id, _)| *id)
}

/// A built-in scenario by id, validated.
pub fn builtin(id: &str) -> Option<Scenario> {
    BUILTINS
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, json)| {
            parse_scenario(json).expect("built-in scenarios are validated by the test suite")
        })
}
