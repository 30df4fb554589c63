//! The views the page loads on first use (see `lazy`): each names its component, whose code goes
//! into the chunk in parentheses. The page draws them with `VIEW.html(props)`; their props types
//! are in their component modules, and nothing the page always loads names the components.
//!
//! The sections below the first screen (the what-if metrics, ranges, compare, the scenario, the
//! record) are
//! drawn with `VIEW.after_start(props, id)`: loaded once the page is interactive.
//!
//! The console's own views (exercise bar, injects, decision log, curveballs, report panel) and
//! the projector are drawn directly for now: the room's console changed their props since they
//! were made lazy, and making them lazy again is the console's to do.
//!
//! To make another view lazy: declare it here with its chunk, draw it with `.html(…)` where the
//! component was drawn, and check with `scripts/size.py` that the page's start got smaller.

use crate::components::compare::CompareSection;
use crate::components::learn::LearnView;
use crate::components::metrics_table::MetricsSection;
use crate::components::ranges::RangesSection;
use crate::components::record::Record;
use crate::components::report_view::ReportView;
use crate::components::scenario::ScenarioSection;
use crate::components::team_results::TeamResults;
use crate::lazy_view;

lazy_view! {
    /// The after-action report drawn for printing.
    pub static REPORT_VIEW(report) = ReportView;
}
lazy_view! {
    /// Ranges: the Monte Carlo histogram and its table (below the first screen).
    pub static RANGES(ranges) = RangesSection;
}
lazy_view! {
    /// Compare and rank configurations, with the answers and their downloads.
    pub static COMPARE(compare) = CompareSection;
}
lazy_view! {
    /// The scenario: its numbers, variants, import and export.
    pub static SCENARIO(scenario) = ScenarioSection;
}
lazy_view! {
    /// The record as the postmortem tells it.
    pub static RECORD(record) = Record;
}
lazy_view! {
    /// The what-if metrics under the replay (below the first screen).
    pub static METRICS(metrics) = MetricsSection;
}
lazy_view! {
    /// Train mode and a learner's result read-only: the drill's one entry point.
    pub static LEARN_VIEW(learn) = LearnView;
}
lazy_view! {
    /// The facilitator's table of learners' results.
    pub static TEAM_RESULTS(team) = TeamResults;
}
