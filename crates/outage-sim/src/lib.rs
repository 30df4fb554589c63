//! `outage-sim`: a deterministic discrete-event simulation of the 10 July 2024 Eptura Workplace
//! calendar outage, with the safeguards that could have changed it, honest metrics and Monte Carlo.
//!
//! The crate is pure: no clocks, no global random state, no web dependencies. A run is a function
//! of (scenario, configuration, seed); time and randomness are inputs.

/// Every variant of a fieldless enum as a fixed-size array, in declaration order, from strum's
/// `VariantArray` and `EnumCount` derives (so no list of variants is written by hand).
macro_rules! all_variants {
    ($t:ty) => {{
        const VARIANTS: &[$t] = <$t as ::strum::VariantArray>::VARIANTS;
        const N: usize = <$t as ::strum::EnumCount>::COUNT;
        let mut out = [VARIANTS[0]; N];
        let mut i = 0;
        while i < N {
            out[i] = VARIANTS[i];
            i += 1;
        }
        out
    }};
}
pub(crate) use all_variants;

pub mod bench;
pub mod calibration;
pub mod codegen;
pub mod engine;
pub mod exercise;
pub mod intervention;
pub mod metrics;
pub mod montecarlo;
pub mod numfmt;
pub mod plan;
pub mod provenance;
pub mod queue;
pub mod replay;
pub mod rng;
pub mod safeguards;
pub mod scenario;
pub mod stats;
pub mod time;
pub mod trace;

pub use calibration::Calibration;
pub use engine::{Engine, Mode, RunRecord};
pub use exercise::{builtin_exercise, Exercise};
pub use intervention::{Intervention, Interventions};
pub use metrics::{Metric, Moment, Over};
pub use montecarlo::{counterfactual, room_day, simulate, simulate_with, Batch};
pub use plan::Plan;
pub use provenance::Provenance;
pub use safeguards::{Config, Preset, SafeguardId};
pub use scenario::{builtin, AssumptionId, Lane, Scenario, StepId};
pub use stats::{Aggregate, MetricStats};
pub use time::{human_duration, Clock, Millis, SimTime};
pub use trace::{Detector, Outcome, TraceEvent, TraceInfo, TraceKind};
