//! The components. Sections own a part of the page and turn the app's dispatcher into `on_*`
//! callbacks for the leaf components they draw; leaves only draw their props.

pub mod archive_panel;
pub mod compare;
pub mod confirm;
pub mod controls;
pub mod copy;
pub mod event_panel;
pub mod facilitate;
pub mod glossary;
pub mod header;
pub mod histogram;
pub mod learn;
pub mod metrics_table;
pub mod notice;
pub mod projector;
pub mod ranges;
pub mod record;
pub mod replay;
pub mod report_view;
pub mod safeguards;
pub mod scenario;
pub mod sensitivity;
pub mod shortcut_help;
pub mod start;
pub mod team_results;
pub mod timeline;
pub mod transport;

/// `15:34 CDT · 20:34 UTC`.
pub fn both_clocks(scenario: &outage_sim::Scenario, t: outage_sim::SimTime) -> String {
    format!(
        "{} {} · {} UTC",
        scenario.clock.hhmm_local(t),
        scenario.zone_label,
        scenario.clock.hhmm_utc(t)
    )
}

/// An `input` handler for a range slider whose value is a whole number (simulated
/// milliseconds): emits the number, ignores anything else.
pub fn on_whole_number(cb: &yew::Callback<i64>) -> yew::Callback<yew::InputEvent> {
    use yew::TargetCast;
    let cb = cb.clone();
    yew::Callback::from(move |e: yew::InputEvent| {
        if let Ok(v) = e
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .value()
            .parse::<i64>()
        {
            cb.emit(v);
        }
    })
}
