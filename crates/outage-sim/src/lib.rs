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

/// A fieldless enum whose variants are named by their snake_case names in scenario files, on
/// the command line, in links and in JSON, with every variant in order (`ALL`), its name
/// (`$name_fn`), the variant of a name (`$from_fn`) and its position (`index`, for the arrays
/// indexed by it). One definition of how such an enum is spelled, so they cannot drift apart.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $name_fn:ident, $from_fn:ident {
            $($(#[$variant_meta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone,
            Copy,
            Debug,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            ::serde::Serialize,
            ::strum::EnumCount,
            ::strum::EnumString,
            ::strum::IntoStaticStr,
            ::strum::VariantArray,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            pub const ALL: [$name; <$name as ::strum::EnumCount>::COUNT] =
                $crate::all_variants!($name);

            /// Its name in files, on the command line, in links and in JSON.
            pub fn $name_fn(self) -> &'static str {
                self.into()
            }

            /// The variant of that name, if any.
            pub fn $from_fn(name: &str) -> Option<$name> {
                name.parse().ok()
            }

            /// Its position in `ALL`, for the arrays indexed by it.
            pub fn index(self) -> usize {
                self as usize
            }
        }
    };
}
pub(crate) use named_enum;

pub mod bench;
pub mod branches;
pub mod codegen;
pub mod delivery;
pub mod engine;
pub mod exercise;
pub mod input;
pub mod intervention;
pub mod limits;
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
pub mod sensitivity;
pub mod stats;
pub mod time;
pub mod trace;

pub use engine::{Engine, Mode};
pub use exercise::{builtin_exercise, Exercise};
pub use intervention::{Intervention, Interventions};
pub use metrics::{EventCounts, Metric, Moment, Over, RunRecord};
pub use montecarlo::{counterfactual, room_day, simulate, simulate_with, Batch};
pub use plan::Plan;
pub use provenance::Provenance;
pub use safeguards::{Config, Preset, SafeguardId};
pub use scenario::Calibration;
pub use scenario::{builtin, AssumptionId, Lane, Scenario, StepId};
pub use stats::{Aggregate, MetricStats};
pub use time::{human_duration, Clock, Millis, SimTime};
pub use trace::{Detector, Outcome, TraceEvent, TraceInfo, TraceKind};
