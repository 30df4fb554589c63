//! Chart math: pure functions from data to geometry (positions, paths, ticks), tested natively.
//! The SVG components in `components` only draw what these compute.

pub mod frame;
pub mod histogram;
pub mod labels;
pub mod outcome_layout;
pub mod scale;
pub mod timeline_layout;
pub mod tornado;

/// An SVG coordinate with one decimal, formatted without float-to-decimal machinery.
pub fn px(v: f64) -> String {
    outage_sim::numfmt::fixed(v, 1)
}
