//! The after-action report as a page: the same sections and content as the Markdown, drawn from
//! a `report::Report`. For printing it is hidden on screen and is all that prints (see the
//! print stylesheet in `styles/main.css`: compact A4 or Letter, no controls, dates that never
//! wrap, tables that do not split a row); an archived exercise's report is shown with it on
//! screen, read-only.

use outage_sim::input::visible;
use yew::prelude::*;

use crate::report::{range_text, Report, RATING_KEY};
use crate::state::Shared;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub report: Shared<Report>,
    /// Shown on screen (an archive's report) rather than only in print.
    #[prop_or_default]
    pub on_screen: bool,
}

/// Text kept as typed, with any control character shown as a visible escape; a dash if empty.
fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".into()
    } else {
        visible(text).into_owned()
    }
}

/// Text kept as typed, shown safely.
fn typed(text: &str) -> String {
    visible(text).into_owned()
}

#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let r = &*props.report;
    let o = &r.overview;
    let a = &r.appendix;
    let with_safeguards = r.moments.iter().any(|m| m.safeguards.is_some());
    let class = if props.on_screen {
        "report-page archive-report"
    } else {
        "report-page print-report"
    };
    html! {
        <article class={class} data-testid={if props.on_screen { "archive-report" } else { "print-report" }}
                 aria-hidden={(!props.on_screen).to_string()}>
            <h1>{ format!("After-action report and improvement plan: {}", typed(&o.name)) }</h1>
            <section>
                <h2>{ "1. Exercise overview" }</h2>
                <dl class="report-facts">
                    <dt>{ "Exercise date" }</dt><dd class="nowrap">{ or_dash(&o.date) }</dd>
                    <dt>{ "Exercise" }</dt><dd>{ o.exercise_title.clone() }</dd>
                    <dt>{ "Scope" }</dt><dd>{ o.scope.clone() }</dd>
                    <dt>{ "Mission areas" }</dt><dd>{ o.mission_areas.join(", ") }</dd>
                    <dt>{ "Capabilities" }</dt><dd>{ o.capabilities.join("; ") }</dd>
                    <dt>{ "Scenario" }</dt><dd>{ format!("{} ({}), from {}", o.scenario_title, o.scenario_id, o.scenario_source) }</dd>
                    if let Some(variant) = &o.scenario_variant {
                        <dt>{ "Variant" }</dt><dd data-testid="report-variant">{ variant.clone() }</dd>
                    }
                    <dt>{ "Facilitator" }</dt><dd>{ or_dash(&o.facilitator) }</dd>
                    <dt>{ "Participants and roles" }</dt>
                    <dd>{ if o.participants.is_empty() { "none recorded".to_string() } else {
                        o.participants.iter().map(|p| if p.role.is_empty() { typed(&p.name) } else { format!("{} ({})", typed(&p.name), typed(&p.role)) }).collect::<Vec<_>>().join(", ")
                    } }</dd>
                    <dt>{ "Logistics" }</dt><dd>{ or_dash(&o.logistics) }</dd>
                </dl>
                <p class="report-brief">{ o.brief.clone() }</p>
            </section>
            <section>
                <h2>{ "2. Objectives, capabilities and ratings" }</h2>
                <table>
                    <thead><tr><th scope="col">{ "Objective" }</th><th scope="col">{ "Capability" }</th><th scope="col">{ "Rating" }</th></tr></thead>
                    <tbody>
                        { for r.objectives.iter().map(|ob| html! {
                            <tr>
                                <td><strong>{ ob.title.clone() }</strong>{ format!(": {}", ob.description) }</td>
                                <td>{ ob.capability.clone() }</td>
                                <td>{ match (&ob.rating, &ob.rating_name) { (Some(l), Some(n)) => format!("{l} ({n})"), _ => "not rated".into() } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <p class="report-key">{ format!("Ratings: {}.", RATING_KEY.iter().map(|g| format!("{} {}", g.letter(), g.name())).collect::<Vec<_>>().join("; ")) }</p>
            </section>
            <section>
                <h2>{ "3. Observations" }</h2>
                if r.observations.is_empty() { <p>{ "None recorded." }</p> }
                <ul class="report-observations">
                    { for r.observations.iter().map(|ob| html! {
                        <li>
                            <strong>{ format!("{}{}: ", if ob.kind == "strength" { "Strength" } else { "Area for improvement" },
                                if ob.objective.is_empty() { String::new() } else { format!(" ({})", ob.objective) }) }</strong>                            { typed(&ob.observation) }
                            { " " }<em>{ "Analysis: " }</em>{ or_dash(&ob.analysis) }
                            { " " }<em>{ "Recommendation: " }</em>{ or_dash(&ob.recommendation) }
                        </li>
                    }) }
                </ul>
                if !r.heard.is_empty() {
                    <p class="report-key">{ "Heard in the discussion (the facilitator's listen-for points):" }</p>
                    <ul class="report-heard">{ for r.heard.iter().map(|h| html! { <li>{ format!("{}: {}", h.inject, h.point) }</li> }) }</ul>
                }
            </section>
            <section>
                <h2>{ "4. Decisions against the record" }</h2>
                if r.decisions.is_empty() { <p>{ "No decision was logged." }</p> } else {
                    <table class="report-decisions">
                        <thead><tr><th scope="col">{ "Time" }</th><th scope="col">{ "Decision" }</th><th scope="col">{ "In the model" }</th>
                            <th scope="col">{ "On the day" }</th><th scope="col">{ "Simulated difference" }</th><th scope="col">{ "Range" }</th></tr></thead>
                        <tbody>
                            { for r.decisions.iter().map(|d| html! {
                                <tr>
                                    <td class="nowrap">{ d.at.clone() }</td><td>{ typed(&Report::decision_text(d)) }</td><td>{ d.action.clone() }</td>
                                    <td>{ d.record.clone() }</td><td>{ d.difference.clone() }</td><td>{ d.range.clone().unwrap_or_else(|| "—".into()) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
                if !r.curveballs.is_empty() {
                    <p class="report-key">{ "Curveballs (not part of the record):" }</p>
                    <ul>{ for r.curveballs.iter().map(|c| html! { <li>{ format!("{} {}: {} {}", c.at, c.title, c.effect, c.difference) }</li> }) }</ul>
                }
            </section>
            <section>
                <h2>{ "5. The room's day against the record" }</h2>
                <div class="report-columns">
                    <table class="report-moments">
                        <thead><tr><th scope="col">{ "Moment" }</th><th scope="col">{ "Record" }</th><th scope="col">{ "Room's day" }</th>
                            if with_safeguards { <th scope="col">{ "Safeguards" }</th> }</tr></thead>
                        <tbody>
                            { for r.moments.iter().map(|m| html! {
                                <tr><td>{ m.moment.clone() }</td><td class="nowrap">{ m.record.clone() }</td><td class="nowrap">{ m.room.clone() }</td>
                                    if let Some(s) = &m.safeguards { <td class="nowrap">{ s.clone() }</td> }</tr>
                            }) }
                        </tbody>
                    </table>
                    <table class="report-metrics">
                        <thead><tr>
                            <th scope="col">{ "Metric" }</th><th scope="col">{ "Record" }</th><th scope="col">{ "Room's day" }</th><th scope="col">{ "Safeguards" }</th>
                            <th scope="col">{ "Record range" }</th><th scope="col">{ "Room range" }</th><th scope="col">{ "Safeguards range" }</th>
                        </tr></thead>
                        <tbody>
                            { for r.metrics.iter().map(|m| html! {
                                <tr>
                                    <th scope="row">{ m.label.clone() }</th>
                                    <td class="nowrap">{ m.record.text.clone() }</td><td class="nowrap">{ m.room.text.clone() }</td>
                                    <td class="nowrap">{ m.safeguards.as_ref().map(|f| f.text.clone()).unwrap_or_else(|| "—".into()) }</td>
                                    <td>{ range_text(&m.record_range) }</td><td>{ range_text(&m.room_range) }</td><td>{ range_text(&m.safeguards_range) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="report-key">{ "Single runs, and Monte Carlo medians · 90th percentiles where computed for these inputs." }</p>
                <dl class="report-definitions">
                    { for r.metrics.iter().map(|m| html! {
                        <>
                            <dt>{ m.label.clone() }</dt>
                            <dd>{ m.definition.clone() }{ m.caveat.as_ref().map(|c| format!(" {c}")).unwrap_or_default() }</dd>
                        </>
                    }) }
                </dl>
            </section>
            <section>
                <h2>{ "6. Assumptions behind the room's figures" }</h2>
                <table class="report-assumptions">
                    <thead><tr><th scope="col">{ "Number" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "Basis" }</th></tr></thead>
                    <tbody>
                        { for r.assumptions.iter().map(|x| html! { <tr><td>{ x.what.clone() }</td><td class="nowrap">{ x.value.clone() }</td><td>{ x.basis.clone() }</td></tr> }) }
                    </tbody>
                </table>
            </section>
            <section>
                <h2>{ "7. Hot wash" }</h2>
                if r.hot_wash.is_empty() { <p>{ "None recorded." }</p> }
                <ul>{ for r.hot_wash.iter().map(|s| html! { <li>{ typed(s) }</li> }) }</ul>
            </section>
            <section>
                <h2>{ "8. Improvement plan" }</h2>
                <table class="report-plan">
                    <thead><tr><th scope="col">{ "Issue" }</th><th scope="col">{ "Recommendation" }</th><th scope="col">{ "Corrective action" }</th>
                        <th scope="col">{ "Capability" }</th><th scope="col">{ "Primary responsible party" }</th><th scope="col">{ "Start date" }</th>
                        <th scope="col">{ "Completion date" }</th><th scope="col">{ "Status" }</th></tr></thead>
                    <tbody>
                        { for r.plan.iter().map(|p| html! {
                            <tr><td>{ typed(&p.issue) }</td><td>{ typed(&p.recommendation) }</td><td>{ typed(&p.corrective_action) }</td>
                                <td>{ typed(&p.capability) }</td><td>{ typed(&p.responsible) }</td><td class="nowrap">{ typed(&p.start) }</td>
                                <td class="nowrap">{ typed(&p.completion) }</td><td class="nowrap">{ p.status.clone() }</td></tr>
                        }) }
                        if r.plan.is_empty() { <tr><td colspan="8">{ "No improvement yet." }</td></tr> }
                    </tbody>
                </table>
            </section>
            <section>
                <h2>{ "Appendix: to reproduce the room's day" }</h2>
                <dl class="report-facts">
                    <dt>{ "Scenario" }</dt><dd>{ format!("{}, impact start assumed at {}, seed {}", a.scenario_id, a.impact_start, a.seed) }</dd>
                    <dt>{ "The room's decisions" }</dt><dd>{ if a.room.is_empty() { "none".to_string() } else { a.room.join(", ") } }</dd>
                    <dt>{ "Curveballs" }</dt><dd>{ if a.curveballs.is_empty() { "none".to_string() } else { a.curveballs.join(", ") } }</dd>
                    <dt>{ "Link" }</dt><dd class="report-link">{ a.link.clone() }</dd>
                    <dt>{ "Command line" }</dt><dd><code>{ a.command.clone() }</code></dd>
                    if let Some(c) = &a.safeguards_command {
                        <dt>{ "The what-if safeguards' day" }</dt><dd><code>{ c.clone() }</code></dd>
                    }
                </dl>
            </section>
        </article>
    }
}
