//! The archive of exercises that ended: each listed with its date, name and number of
//! decisions; each opens read-only (its after-action report as it was when it ended) and
//! downloads its report as Markdown or JSON.

use yew::prelude::*;

use super::report_view::ReportView;
use crate::archive::Archived;
use crate::state::Shared;

#[derive(Properties, PartialEq)]
pub struct ArchivePanelProps {
    pub archives: Vec<Archived>,
    pub on_close: Callback<()>,
    /// An archive's id, and Markdown (true) or JSON (false).
    pub on_download: Callback<(u64, bool)>,
}

#[component]
pub fn ArchivePanel(props: &ArchivePanelProps) -> Html {
    let open = use_state_eq(|| None::<u64>);
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with((), move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let shown = (*open).and_then(|id| props.archives.iter().find(|a| a.id == id));
    html! {
        <section class="card archive-panel" data-testid="archive-panel" aria-labelledby="archive-title">
            <div class="card-head">
                <h2 id="archive-title" tabindex="-1" ref={heading}>{ "Archived exercises" }</h2>
                <button type="button" class="ghost-button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            if props.archives.is_empty() {
                <p class="hint">{ "None yet: starting a new exercise archives the one that ends." }</p>
            } else {
                <table class="archive-list" data-testid="archive-list">
                    <thead><tr><th scope="col">{ "Date" }</th><th scope="col">{ "Exercise" }</th><th scope="col">{ "Decisions" }</th><th scope="col"><span class="visually-hidden">{ "Reports" }</span></th></tr></thead>
                    <tbody>
                        { for props.archives.iter().map(|a| {
                            let id = a.id;
                            let toggle = {
                                let open = open.clone();
                                Callback::from(move |_: MouseEvent| open.set(if *open == Some(id) { None } else { Some(id) }))
                            };
                            html! {
                                <tr data-testid="archive-entry">
                                    <td class="nowrap">{ a.listed_date() }</td>
                                    <td>{ a.name.clone() }</td>
                                    <td>{ a.decisions.to_string() }</td>
                                    <td class="archive-buttons">
                                        <button type="button" class="ghost-button" data-testid="archive-open" onclick={toggle}
                                                aria-expanded={(*open == Some(id)).to_string()}>{ if *open == Some(id) { "Close" } else { "Open" } }</button>
                                        <button type="button" class="ghost-button" data-testid="archive-markdown"
                                                onclick={props.on_download.reform(move |_: MouseEvent| (id, true))}>{ "Markdown" }</button>
                                        <button type="button" class="ghost-button" data-testid="archive-json"
                                                onclick={props.on_download.reform(move |_: MouseEvent| (id, false))}>{ "JSON" }</button>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            if let Some(a) = shown {
                <div class="archive-reading" aria-label="The archived report, read-only">
                    <ReportView report={Shared::new(a.report.clone())} on_screen={true} />
                </div>
            }
        </section>
    }
}
