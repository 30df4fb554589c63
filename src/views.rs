//! The views the page loads on first use (see `lazy`): each names its component, whose code goes
//! into the chunk in parentheses. The page draws them with `VIEW.html(props)`; their props types
//! are in their component modules, and nothing the page always loads names the components.
//!
//! The sections below the first screen (the what-if metrics, ranges, compare, the scenario, the
//! record) are
//! drawn with `VIEW.after_start(props, id)`: loaded once the page is interactive.
//!
//! To make another view lazy: declare it here with its chunk, draw it with `.html(…)` where the
//! component was drawn, and check with `scripts/size.py` that the page's start got smaller.

use crate::app::Workspace;
pub use crate::app::WorkspaceProps;
use crate::components::archive_panel::ArchivePanel;
use crate::components::compare::CompareSection;
use crate::components::facilitate::{
    Curveballs, DecisionLog, ExerciseBar, InjectList, InjectPanel, ReportPanel,
};
use crate::components::learn::LearnView;
use crate::components::metrics_table::MetricsSection;
use crate::components::projector::Projector;
use crate::components::ranges::RangesSection;
use crate::components::record::Record;
use crate::components::report_view::ReportView;
use crate::components::scenario::ScenarioSection;
use crate::components::shortcut_help::ShortcutHelp;
use crate::components::team_results::TeamResults;
use crate::lazy_view;

lazy_view! {
    /// The app behind the start screen: its state and every section (the page's root, `shell`,
    /// draws the start screen of a first visit without it).
    pub static WORKSPACE(workspace) = Workspace;
}
lazy_view! {
    /// The facilitator's exercise bar: the clock, where the room is, the timers, the reveals.
    pub static EXERCISE_BAR(console) = ExerciseBar;
}
lazy_view! {
    /// The current inject as the facilitator runs it.
    pub static INJECT_PANEL(console) = InjectPanel;
}
lazy_view! {
    /// Every inject, to go to one, with the record's line it comes from.
    pub static INJECT_LIST(console) = InjectList;
}
lazy_view! {
    /// The archive of exercises that ended.
    pub static ARCHIVE_PANEL(console) = ArchivePanel;
}
lazy_view! {
    /// The room's decision log.
    pub static DECISION_LOG(console) = DecisionLog;
}
lazy_view! {
    /// The facilitator's curveballs.
    pub static CURVEBALLS(console) = Curveballs;
}
lazy_view! {
    /// The after-action report's notes and downloads.
    pub static REPORT_PANEL(console) = ReportPanel;
}
lazy_view! {
    /// The room's projector, which follows the console.
    pub static PROJECTOR(projector) = Projector;
}
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
    /// The list of keyboard shortcuts (`?`).
    pub static SHORTCUT_HELP(help) = ShortcutHelp;
}
lazy_view! {
    /// Train mode and a learner's result read-only: the drill's one entry point.
    pub static LEARN_VIEW(learn) = LearnView;
}
lazy_view! {
    /// The facilitator's table of learners' results.
    pub static TEAM_RESULTS(team) = TeamResults;
}
