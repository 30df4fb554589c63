//! Properties of the one reader (`outage_sim::input`): any bytes give a tree or a reason and
//! never a panic; any JSON tree written out reads back as itself; a key written twice is always
//! caught; text shown through `visible` never carries a hostile character; scenario files read
//! back as the scenario they were written from.

use outage_sim::input::{self, is_hostile, visible, InputError, Kind};
use outage_sim::scenario::{builtin, parse_scenario_bytes, scenario_json};
use proptest::prelude::*;
use serde_json::{Map, Value};

const KIND: Kind = Kind {
    what: "a test file",
    max_bytes: 1 << 20,
};

/// Any JSON tree, a few levels deep, with every kind of text (control characters included, as
/// escapes), whole numbers and decimals.
fn tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Decimals as files write them (serde_json's fast float parser is not exact for every
        // double, such as subnormals, which no file of this project holds).
        (any::<i32>(), 0u32..12)
            .prop_map(|(m, k)| Value::from(f64::from(m) / 10f64.powi(k as i32))),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #[test]
    fn any_bytes_give_a_tree_or_a_reason(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        match input::parse(&bytes, KIND) {
            Ok(_) => {
                let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                prop_assert!(std::str::from_utf8(body).is_ok());
            }
            Err(e) => prop_assert!(!e.problems().is_empty()),
        }
    }

    #[test]
    fn almost_json_gives_a_tree_or_a_reason(text in "[\\[\\]{}\",:0-9eE.+\\-a-z \\\\u]{0,200}") {
        let _ = input::parse(text.as_bytes(), KIND);
    }

    #[test]
    fn any_tree_written_out_reads_back_as_itself(v in tree()) {
        for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
            prop_assert_eq!(input::parse(text.as_bytes(), KIND), Ok(v.clone()));
            // With a UTF-8 byte-order mark in front, the same tree.
            let mut bom = b"\xEF\xBB\xBF".to_vec();
            bom.extend_from_slice(text.as_bytes());
            prop_assert_eq!(input::parse(&bom, KIND), Ok(v.clone()));
        }
    }

    #[test]
    fn a_key_written_twice_is_always_caught(
        v in tree(),
        key in "[a-z]{1,8}",
        first in tree(),
        second in tree(),
    ) {
        let text = format!(
            "{{\"wrap\": {}, \"{key}\": {}, \"{key}\": {}}}",
            serde_json::to_string(&v).unwrap(),
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&second).unwrap(),
        );
        let e = input::parse(text.as_bytes(), KIND).unwrap_err();
        let InputError::Invalid(problems) = e else {
            panic!("not a duplicate: {e}");
        };
        prop_assert!(problems.iter().any(|p| p.path == key), "{:?}", problems);
    }

    #[test]
    fn visible_text_never_carries_a_hostile_character(text in any::<String>()) {
        let shown = visible(&text);
        prop_assert!(!shown.chars().any(is_hostile));
        if !text.chars().any(is_hostile) {
            prop_assert_eq!(shown.as_ref(), text.as_str());
        }
        prop_assert_eq!(input::control_character(&text).is_some(), text.chars().any(is_hostile));
    }

    #[test]
    fn a_scenario_reads_back_from_its_file_with_its_numbers(sites in 1u32..100_000, sigma in 0u32..300) {
        let mut s = builtin("eptura-2024-07-10").unwrap();
        s.set_assumption("sites", f64::from(sites)).unwrap();
        s.set_step(outage_sim::StepId::Mobilize, None, Some(f64::from(sigma) / 100.0)).unwrap();
        let back = parse_scenario_bytes(scenario_json(&s).as_bytes()).unwrap();
        prop_assert_eq!(back, s);
    }
}
