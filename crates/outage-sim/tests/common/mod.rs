//! What the integration tests share: running the command line, and random configurations and
//! modes for the property tests.

// Each test file is its own crate and uses part of this.
#![allow(dead_code)]

use std::process::{Command, Output};

use outage_sim::engine::Mode;
use outage_sim::safeguards::{ParamKind, SafeguardId, MAX_PARAMS};
use outage_sim::Config;
use proptest::prelude::*;
use serde_json::Value;

/// Runs the `outage-sim` binary built for these tests.
pub fn outage_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outage-sim"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs it and reads its one JSON document (it must succeed).
pub fn json(args: &[&str]) -> Value {
    let out = outage_sim(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

/// Runs it expecting a failure, and returns what it said on stderr (never nothing).
pub fn fails(args: &[&str]) -> String {
    let out = outage_sim(args);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!err.trim().is_empty());
    err
}

/// A random configuration: each safeguard on or off, each parameter anywhere in its range.
pub fn any_config() -> impl Strategy<Value = Config> {
    (
        prop::collection::vec(any::<bool>(), SafeguardId::ALL.len()),
        prop::collection::vec(0.0..=1.0f64, SafeguardId::ALL.len() * MAX_PARAMS),
    )
        .prop_map(|(on, u)| {
            let mut c = Config::none();
            for (i, id) in SafeguardId::ALL.into_iter().enumerate() {
                if !on[i] {
                    continue;
                }
                c.enable(id);
                for (j, p) in id.params().iter().enumerate() {
                    let mut v = p.min + u[i * MAX_PARAMS + j] * (p.max - p.min);
                    if matches!(p.kind, ParamKind::Count | ParamKind::Choice) {
                        v = v.round();
                    }
                    c.set(id, p.key, v).expect("in range");
                }
            }
            c
        })
}

/// A replay with the recorded delays, or a Monte Carlo draw.
pub fn any_mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Sampled), Just(Mode::Recorded)]
}
