//! The facilitator's table of a team's results (`team-results`): learners' result links or
//! short codes pasted one per line (`team-results-input`, `team-results-add`), read once and
//! replayed (`learn::team`), shown as `team-results-table`: each learner's choice at each stop,
//! their score and prediction, how aligned the team was at each stop and the spread of the
//! predictions. A line that is not a usable result is listed with its reason under the table.

use yew::prelude::*;

use crate::learn::team::{alignment, rows, spread, Entry};
use crate::state::learn::DrillData;
use crate::state::{use_dispatch, Action, LearnAction};

#[derive(Properties, PartialEq)]
pub struct TeamResultsProps {
    pub data: Option<DrillData>,
    pub entries: Vec<Entry>,
    pub input: AttrValue,
}

#[component]
pub fn TeamResults(props: &TeamResultsProps) -> Html {
    let dispatch = use_dispatch();
    let on_input = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let text = e
                .target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value();
            dispatch.dispatch(Action::Learn(LearnAction::TeamInput(text)))
        })
    };
    let add = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Learn(LearnAction::TeamAdd)))
    };
    let clear = Callback::from(move |_: MouseEvent| {
        dispatch.dispatch(Action::Learn(LearnAction::TeamClear))
    });
    let Some(data) = props.data.clone() else {
        return html! {};
    };
    let drill = data.drill();
    let learners = rows(&props.entries);
    let aligned = alignment(&learners);
    let spread = spread(&learners);
    let refused: Vec<(&String, &String)> = props
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Refused { text, reason } => Some((text, reason)),
            Entry::Learner(_) => None,
        })
        .collect();
    let stops: Vec<usize> = aligned.iter().map(|a| a.inject).collect();
    html! {
        <section class="panel team-results" data-testid="team-results" aria-labelledby="team-results-title">
            <h2 id="team-results-title">{ "Learners' results" }</h2>
            <p class="muted">{ "Paste the result links or short codes your learners sent, one per line." }</p>
            <textarea rows="4" value={props.input.clone()} oninput={on_input} data-testid="team-results-input"
                      aria-label="Result links or codes, one per line" placeholder="https://…#mode=result&… or OD1-…" />
            <p class="row">
                <button type="button" class="primary" onclick={add} data-testid="team-results-add">{ "Add" }</button>
                if !props.entries.is_empty() {
                    <button type="button" class="ghost-button" onclick={clear} data-testid="team-results-clear">{ "Clear the table" }</button>
                }
            </p>
            if !learners.is_empty() {
                <div class="table-scroll">
                    <table class="team-table" data-testid="team-results-table">
                        <thead>
                            <tr>
                                <th scope="col">{ "Learner" }</th>
                                { for stops.iter().map(|&k| html! {
                                    <th scope="col" title={format!("At {} in the record", drill.scenario.clock.hhmm_local(drill.exercise.injects[k].at))}>
                                        { format!("{}. {}", k + 1, drill.exercise.injects[k].title) }
                                    </th>
                                }) }
                                <th scope="col">{ "Score" }</th>
                                <th scope="col">{ "Prediction" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for learners.iter().enumerate().map(|(i, row)| {
                                let v = &row.result;
                                html! {
                                    <tr data-testid="team-results-row">
                                        <th scope="row">{ if v.name.is_empty() { format!("Learner {}", i + 1) } else { v.name.clone() } }</th>
                                        { for stops.iter().map(|&k| {
                                            let d = v.decisions.iter().find(|d| d.inject == k);
                                            html! { <td>{ d.map(|d| format!("{} ({})", d.choice.label(), d.confidence.id())).unwrap_or_else(|| "—".into()) }</td> }
                                        }) }
                                        <td data-testid="team-results-score">{ row.score }</td>
                                        <td>{ format!("{} min · {}", v.prediction.detect_minutes, v.prediction.first_catch.label()) }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                        <tfoot>
                            <tr data-testid="team-results-alignment">
                                <th scope="row">{ "Aligned on" }</th>
                                { for aligned.iter().map(|a| html! {
                                    <td>{ format!("{:.0} %: {} ({} of {})", 100.0 * a.share, a.most_common.label(), a.count, a.answered) }</td>
                                }) }
                                <td colspan="2">
                                    if let Some(s) = spread {
                                        <span data-testid="team-results-spread">
                                            { format!("Predictions: {}–{} min, median {} min ({} learners)", s.min, s.max, s.median, s.count) }
                                        </span>
                                    }
                                </td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
            }
            if !refused.is_empty() {
                <div class="team-refused" data-testid="team-results-refused">
                    <h3>{ "Not added" }</h3>
                    <ul>
                        { for refused.iter().map(|(text, reason)| html! {
                            <li data-testid="team-results-bad"><code>{ (*text).clone() }</code>{ format!(": {reason}") }</li>
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}
