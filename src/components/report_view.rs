//! The after-action report as a printable page: the same sections as the Markdown, drawn from a
//! `report::Report`. It is hidden on screen and is all that prints (see the print stylesheet in
//! `styles/main.css`: A4 or Letter, no controls, no sticky header, a page break before each
//! section, tables that do not split a row).

use outage_sim::input::visible;
use yew::prelude::*;

use crate::report::{Line, Range, Report};
use crate::state::Shared;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub report: Shared<Report>,
}

fn timeline(title: &str, lines: &[Line]) -> Html {
    html! {
        <>
            <h3>{ title.to_string() }</h3>
            if lines.is_empty() {
                <p>{ "Nothing: no decision or curveball changed the day, or no safeguard was on." }</p>
            } else {
                <table>
                    <thead><tr><th scope="col">{ "CDT" }</th><th scope="col">{ "UTC" }</th><th scope="col">{ "What happened" }</th><th scope="col">{ "From" }</th></tr></thead>
                    <tbody>
                        { for lines.iter().map(|l| html! {
                            <tr><td>{ l.local.clone() }</td><td>{ l.utc.clone() }</td><td>{ l.what.clone() }</td><td>{ l.origin.clone() }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
        </>
    }
}

fn range(r: &Option<Range>) -> String {
    r.as_ref()
        .map(|r| format!("{} · {}", r.p50.text, r.p90.text))
        .unwrap_or_else(|| "—".into())
}

#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let r = &*props.report;
    let o = &r.overview;
    let a = &r.appendix;
    html! {
        <article class="print-report" data-testid="print-report" aria-hidden="true">
            <h1>{ format!("After-action report: {}", visible(&o.name)) }</h1>
            <section>
                <h2>{ "1. Exercise overview" }</h2>
                <dl class="report-facts">
                    <dt>{ "Exercise" }</dt><dd>{ o.exercise_title.clone() }</dd>
                    <dt>{ "Date" }</dt><dd>{ if o.date.is_empty() { "—".to_string() } else { o.date.clone() } }</dd>
                    <dt>{ "Facilitator" }</dt><dd>{ if o.facilitator.is_empty() { "—".to_string() } else { o.facilitator.clone() } }</dd>
                    <dt>{ "Scenario" }</dt><dd>{ format!("{} ({})", o.scenario_title, o.scenario_id) }</dd>
                    if let Some(variant) = &o.scenario_variant {
                        <dt>{ "Variant" }</dt><dd data-testid="report-variant">{ variant.clone() }</dd>
                    }
                    <dt>{ "Source" }</dt><dd>{ o.scenario_source.clone() }</dd>
                </dl>
                <p>{ o.brief.clone() }</p>
                <h3>{ "Participants" }</h3>
                if o.participants.is_empty() { <p>{ "None recorded." }</p> } else {
                    <table>
                        <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Role" }</th></tr></thead>
                        <tbody>{ for o.participants.iter().map(|p| html! { <tr><td>{ visible(&p.name).into_owned() }</td><td>{ visible(&p.role).into_owned() }</td></tr> }) }</tbody>
                    </table>
                }
                <h3>{ "Objectives" }</h3>
                <ul>{ for o.objectives.iter().map(|(t, d)| html! { <li><strong>{ t.clone() }</strong>{ format!(" — {d}") }</li> }) }</ul>
            </section>
            <section>
                <h2>{ "2. Timeline" }</h2>
                { timeline("As it happened (the record)", &r.record_timeline) }
                { timeline("The room's day", &r.room_timeline) }
                { timeline("With the safeguards of the what-if (one run)", &r.safeguards_timeline) }
            </section>
            <section>
                <h2>{ "3. Metrics" }</h2>
                <p>{ "Single runs: the record, the room's day, the what-if safeguards. Ranges (median · 90th percentile) from Monte Carlo, where computed for these inputs." }</p>
                <table>
                    <thead><tr>
                        <th scope="col">{ "Metric" }</th><th scope="col">{ "Record" }</th><th scope="col">{ "Room's day" }</th><th scope="col">{ "Safeguards" }</th>
                        <th scope="col">{ "Record range" }</th><th scope="col">{ "Room range" }</th><th scope="col">{ "Safeguards range" }</th>
                    </tr></thead>
                    <tbody>
                        { for r.metrics.iter().map(|m| html! {
                            <tr>
                                <th scope="row">{ m.label.clone() }</th>
                                <td>{ m.record.text.clone() }</td><td>{ m.room.text.clone() }</td>
                                <td>{ m.safeguards.as_ref().map(|f| f.text.clone()).unwrap_or_else(|| "—".into()) }</td>
                                <td>{ range(&m.record_range) }</td><td>{ range(&m.room_range) }</td><td>{ range(&m.safeguards_range) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
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
                <h2>{ "4. Decision log" }</h2>
                if r.decisions.is_empty() { <p>{ "No decision was logged." }</p> } else {
                    <table>
                        <thead><tr><th scope="col">{ "Sim time" }</th><th scope="col">{ "Who" }</th><th scope="col">{ "Decision" }</th><th scope="col">{ "Rationale" }</th><th scope="col">{ "Inject" }</th><th scope="col">{ "In the model" }</th></tr></thead>
                        <tbody>
                            { for r.decisions.iter().map(|d| html! {
                                <tr><td>{ d.at.clone() }</td><td>{ visible(&d.role).into_owned() }</td><td>{ visible(&d.decision).into_owned() }</td><td>{ visible(&d.rationale).into_owned() }</td><td>{ d.inject.clone() }</td><td>{ d.action.clone() }</td></tr>
                            }) }
                        </tbody>
                    </table>
                }
                if !r.curveballs.is_empty() {
                    <h3>{ "Curveballs" }</h3>
                    <ul>{ for r.curveballs.iter().map(|c| html! { <li>{ format!("{} CDT: {}", c.local, c.what) }</li> }) }</ul>
                }
            </section>
            <section>
                <h2>{ "5. Strengths" }</h2>
                if r.strengths.is_empty() { <p>{ "None recorded." }</p> }
                <ul>{ for r.strengths.iter().map(|s| html! { <li>{ visible(s).into_owned() }</li> }) }</ul>
                <h2>{ "6. Areas for improvement" }</h2>
                if r.improvements.is_empty() { <p>{ "None recorded." }</p> }
                <ul>{ for r.improvements.iter().map(|s| html! { <li>{ visible(s).into_owned() }</li> }) }</ul>
            </section>
            <section>
                <h2>{ "7. Improvement plan" }</h2>
                <table>
                    <thead><tr><th scope="col">{ "Action" }</th><th scope="col">{ "Owner" }</th><th scope="col">{ "Due" }</th><th scope="col">{ "Safeguard" }</th></tr></thead>
                    <tbody>
                        { for r.plan.iter().map(|p| html! { <tr><td>{ p.action.clone() }</td><td>{ p.owner.clone() }</td><td>{ p.due.clone() }</td><td>{ p.safeguard.clone() }</td></tr> }) }
                        if r.plan.is_empty() { <tr><td colspan="4">{ "No action yet." }</td></tr> }
                    </tbody>
                </table>
            </section>
            <section>
                <h2>{ "Appendix: to reproduce this day" }</h2>
                <dl class="report-facts">
                    <dt>{ "Scenario" }</dt><dd>{ format!("{}, impact start assumed at {}", a.scenario_id, a.impact_start) }</dd>
                    <dt>{ "Seed" }</dt><dd>{ a.seed.to_string() }</dd>
                    <dt>{ "Safeguards" }</dt><dd>{ if a.safeguards.is_empty() { "none".to_string() } else { a.safeguards.join(", ") } }</dd>
                    <dt>{ "Decisions and curveballs" }</dt><dd>{ if a.interventions.is_empty() { "none".to_string() } else { a.interventions.join(", ") } }</dd>
                    <dt>{ "Link" }</dt><dd class="report-link">{ a.link.clone() }</dd>
                    <dt>{ "Command line" }</dt><dd><code>{ a.command.clone() }</code></dd>
                </dl>
            </section>
        </article>
    }
}
