//! `outage-sim`: a deterministic discrete-event simulation of the 10 July 2024 Eptura Workplace
//! calendar outage, with the safeguards that could have changed it, honest metrics and Monte Carlo.
//!
//! The crate is pure: no clocks, no global random state, no web dependencies. A run is a function
//! of (scenario, configuration, seed); time and randomness are inputs.

pub mod provenance;
pub mod scenario;
pub mod time;

pub use provenance::Provenance;
pub use scenario::{builtin, Lane, Scenario};
pub use time::{human_duration, Clock, Millis, SimTime};
