//! The scenario section: where the scenario comes from (built in, or a file), import (a file
//! input, or a file dropped anywhere on the page), export as a scenario file, the problems of a
//! refused file with their JSON paths, and a form for the user's own numbers (assumptions and
//! every delay, each with its range, unit and provenance), which make the scenario a variant.
//!
//! A file over the size limit is refused before it is read. Everything a file says (its title,
//! notes, the problems' paths) is shown as text, never as markup: Yew writes text nodes.

use gloo::events::{EventListener, EventListenerOptions};
use outage_sim::limits::MAX_FILE_BYTES;
use outage_sim::provenance::Provenance;
use outage_sim::scenario::{scenario_json, AssumptionId, Scenario, StepId};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

use crate::scenario_file::{read_scenario_file, UNAVAILABLE};
use crate::state::variant::{
    changes, export_name, field_label, field_range, field_text, for_export, input_text, is_stated,
    marker, parse_field, too_large, Field, Origin,
};
use crate::state::{use_dispatch, Action, Dispatch, Shared, VariantAction, VariantState};

#[derive(Properties, PartialEq)]
pub struct ScenarioProps {
    /// The scenario in use (the loaded one with the user's numbers).
    pub scenario: Shared<Scenario>,
    pub variant: VariantState,
}

/// Reads a chosen or dropped file's bytes and hands the reducer what the one reader says of them
/// (`scenario_file`, as on the command line); a file over the limit is refused without being
/// read.
fn load_file(file: File, dispatch: Dispatch) {
    let name = file.name();
    let size = file.size() as usize;
    if size > MAX_FILE_BYTES {
        dispatch.dispatch(Action::Variant(VariantAction::Refuse {
            name,
            why: too_large(size).message,
        }));
        return;
    }
    spawn_local(async move {
        let action = match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                match read_scenario_file(&bytes).await {
                    Ok(verdict) => VariantAction::Import { name, verdict },
                    Err(_) => VariantAction::Refuse {
                        name,
                        why: UNAVAILABLE.into(),
                    },
                }
            }
            Err(_) => VariantAction::Refuse {
                name,
                why: "could not be read".into(),
            },
        };
        dispatch.dispatch(Action::Variant(action));
    });
}

/// Files dropped anywhere on the page are loaded; while a file is dragged over the page, the
/// root element says so (a class the styles show as a drop zone). The page's root uses it, not
/// this section: the section is a lazy view (src/views.rs), and a file dropped before it is drawn
/// must not be opened by the browser in place of the app.
#[hook]
pub fn use_file_drop(dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let document = gloo::utils::document();
        let root = document.document_element();
        let mark = move |on: bool| {
            if let Some(root) = &root {
                let list = root.class_list();
                let _ = if on {
                    list.add_1("dropping")
                } else {
                    list.remove_1("dropping")
                };
            }
        };
        let carries_files = |e: &DragEvent| {
            e.data_transfer()
                .map(|d| d.types().includes(&"Files".into(), 0))
                .unwrap_or(false)
        };
        let options = EventListenerOptions::enable_prevent_default();
        let over = {
            let mark = mark.clone();
            EventListener::new_with_options(&document, "dragover", options, move |e| {
                let e: &DragEvent = e.unchecked_ref();
                if carries_files(e) {
                    // Without this the browser would open the file instead of dropping it here.
                    e.prevent_default();
                    if let Some(d) = e.data_transfer() {
                        d.set_drop_effect("copy");
                    }
                    mark(true);
                }
            })
        };
        let leave = {
            let mark = mark.clone();
            EventListener::new(&document, "dragleave", move |e| {
                let e: &DragEvent = e.unchecked_ref();
                // Leaving the window, not just one element for another.
                if e.related_target().is_none() {
                    mark(false);
                }
            })
        };
        let drop = EventListener::new_with_options(&document, "drop", options, move |e| {
            let e: &DragEvent = e.unchecked_ref();
            mark(false);
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                e.prevent_default();
                load_file(file, dispatch.clone());
            }
        });
        move || drop_all((over, leave, drop))
    });
}

fn drop_all<T>(_: T) {}

/// A provenance as a tag and its note.
fn provenance(p: &Provenance) -> Html {
    let (class, label) = match p {
        Provenance::Postmortem { .. } => ("tag tag-postmortem", "postmortem"),
        Provenance::Cited { .. } => ("tag tag-cited", "cited"),
        Provenance::Assumption { .. } => ("tag tag-assumption", "assumption"),
    };
    html! {
        <>
            <span class={class}>{ label }</span>
            { format!(" {}", p.note()) }
            if let Some(basis) = p.based_on() {
                { format!(" Based on {basis}.") }
            }
        </>
    }
}

/// Where a field's number comes from.
fn field_provenance(s: &Scenario, field: Field) -> Provenance {
    match field {
        Field::ImpactStart => s.assumptions.impact_start.provenance.clone(),
        Field::Number(id) => s.assumptions[id].provenance.clone(),
        Field::GitopsMax => s.steps.gitops_sync.provenance.clone(),
        Field::StepMedian(id) => s.steps[id].provenance.clone(),
        Field::StepSigma(id) => s.steps[id].spread_provenance.clone(),
    }
}

/// The form's unit of a field.
fn unit(s: &Scenario, field: Field) -> String {
    match field {
        Field::ImpactStart => s.zone_label.clone(),
        Field::Number(id) => s.assumptions[id].unit.clone(),
        Field::GitopsMax | Field::StepMedian(_) => "min".into(),
        Field::StepSigma(_) => "σ".into(),
    }
}

/// A field's id for tests and labels: `sites`, `mobilize-median`…
fn field_key(field: Field) -> String {
    match field {
        Field::ImpactStart => "impact_start".into(),
        Field::Number(id) => id.key().into(),
        Field::GitopsMax => "gitops_sync-max".into(),
        Field::StepMedian(id) => format!("{}-median", id.key()),
        Field::StepSigma(id) => format!("{}-sigma", id.key()),
    }
}

#[component]
pub fn ScenarioSection(props: &ScenarioProps) -> Html {
    let dispatch = use_dispatch();
    let s = &props.scenario;
    let v = &props.variant;
    let base = &v.base;
    let changed = changes(base, s);
    let on_file = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                load_file(file, dispatch.clone());
            }
            // The same file can be chosen again (after fixing it).
            input.set_value("");
        })
    };
    let on_export = {
        let (base, s) = (base.clone(), s.clone());
        Callback::from(move |_: MouseEvent| {
            let out = for_export(&base, &s);
            let _ = crate::download::download_text(
                &export_name(&out),
                "application/json;charset=utf-8",
                &scenario_json(&out),
            );
        })
    };
    let act = |make: fn(()) -> VariantAction| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Variant(make(()))))
    };
    let on_reset_all = act(|_| VariantAction::ResetAll);
    let on_dismiss = act(|_| VariantAction::DismissRefused);
    let on_set = {
        let dispatch = dispatch.clone();
        Callback::from(move |(field, value): (Field, f64)| {
            dispatch.dispatch(if field == Field::ImpactStart {
                Action::SetImpactStart(value as i64)
            } else {
                Action::Variant(VariantAction::Set(field, value))
            })
        })
    };
    let on_reset = {
        let dispatch = dispatch.clone();
        Callback::from(move |field: Field| {
            dispatch.dispatch(Action::Variant(VariantAction::ResetField(field)))
        })
    };
    let origin = match &v.origin {
        Origin::Builtin => "Built into the app".to_string(),
        Origin::File { name } => format!("From the file {name}"),
    };
    let field = |f: Field| {
        html! {
            <ScenarioField key={field_key(f)} scenario={s.clone()} base={base.clone()} field={f}
                           on_set={on_set.clone()} on_reset={on_reset.clone()} />
        }
    };
    let short_field = |f: Field, short: &'static str| {
        html! {
            <ScenarioField key={field_key(f)} scenario={s.clone()} base={base.clone()} field={f} short={short}
                           on_set={on_set.clone()} on_reset={on_reset.clone()} />
        }
    };
    html! {
        <section id="scenario" class="card" data-testid="scenario" aria-labelledby="scenario-heading">
            <div class="card-head">
                <h2 id="scenario-heading">{ "Scenario — your numbers" }</h2>
            </div>
            <p class="scenario-now">
                <strong data-testid="scenario-name">{ s.title.clone() }</strong>
                <span class="hint">{ format!(" · {origin}") }</span>
            </p>
            if let Some(mark) = marker(v, s) {
                <p class="variant-note" data-testid="variant-summary">{ mark }</p>
            }
            // The calibration is fixed to the record: say where a variant makes a factor
            // meaningless, and any factor at its limit.
            { for s.calibration_notes().into_iter().map(|note| html! {
                <p class="hint calibration-note" data-testid="calibration-note">{ format!("Calibration: {note}.") }</p>
            }) }
            <div class="controls-row">
                <label class="file-button ghost-button">
                    { "Import a scenario file…" }
                    <input type="file" accept=".json,application/json" data-testid="scenario-import" onchange={on_file} />
                </label>
                <button type="button" class="ghost-button" data-testid="scenario-export" onclick={on_export}>
                    { if changed.is_empty() { "Export this scenario (JSON)" } else { "Export this variant (JSON)" } }
                </button>
                if !changed.is_empty() {
                    <button type="button" class="ghost-button" data-testid="variant-reset" onclick={on_reset_all}>
                        { "Back to the loaded numbers" }
                    </button>
                }
            </div>
            <p class="hint">
                { format!("Or drop a scenario file anywhere on the page. A file of at most {} kB is checked by the same rules as the command line's outage-sim validate; the scenario in use stays until a valid file is loaded.", MAX_FILE_BYTES / 1024) }
            </p>
            if let Some(refused) = &v.refused {
                <div class="problems" role="alert" data-testid="scenario-problems">
                    <p>
                        { format!("Not loaded: {} — {} problem{}. Still using “{}”.", refused.file, refused.problems.len(),
                                  if refused.problems.len() == 1 { "" } else { "s" }, s.title) }
                    </p>
                    <ul>
                        { for refused.problems.iter().map(|p| html! {
                            <li><code class="problem-path">{ p.path.clone() }</code>{ format!(": {}", p.message) }</li>
                        }) }
                    </ul>
                    <button type="button" class="ghost-button" onclick={on_dismiss}>{ "Dismiss" }</button>
                </div>
            }
            if matches!(v.origin, Origin::File { .. }) {
                <p class="hint" data-testid="share-as-file">
                    { "A link names this scenario but cannot carry it (it came from a file): to share it, export it and send the file with the link." }
                </p>
            }
            <details class="variant-form" open={!changed.is_empty()}>
                <summary>{ "Edit the assumptions and delays" }</summary>
                <p class="hint">
                    { "Each number with its range, unit and where it comes from. A number of your own makes the scenario a variant: marked in the header, in compare, in links and in the exported file. Delays are medians in minutes; the spread σ is that of the delay's logarithm (0: always the median). A recorded step's median is measured in the record; a number of your own replaces it." }
                </p>
                <fieldset class="variant-group">
                    <legend>{ "Assumptions" }</legend>
                    { field(Field::ImpactStart) }
                    { for AssumptionId::ALL.iter().map(|&id| field(Field::Number(id))) }
                </fieldset>
                <fieldset class="variant-group">
                    <legend>{ "Delays" }</legend>
                    { field(Field::GitopsMax) }
                    { for StepId::ALL.iter().map(|&id| html! {
                        <div class={classes!("step-pair", is_stated(s, id).then_some("stated"))}>
                            <p class="step-name">{ s.steps[id].label.clone() }</p>
                            { short_field(Field::StepMedian(id), "Median") }
                            { short_field(Field::StepSigma(id), "Spread") }
                        </div>
                    }) }
                </fieldset>
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FieldProps {
    scenario: Shared<Scenario>,
    base: Shared<Scenario>,
    field: Field,
    /// A short visible label (the rest read by screen readers), under a heading naming it.
    #[prop_or_default]
    short: Option<&'static str>,
    on_set: Callback<(Field, f64)>,
    on_reset: Callback<Field>,
}

/// One number of the form: refused next to itself (with the rule and the range) when it does
/// not fit, the number in force kept.
#[component]
fn ScenarioField(props: &FieldProps) -> Html {
    let (s, f) = (&props.scenario, props.field);
    let rejected = use_state(|| None::<(String, String)>);
    let key = field_key(f);
    let id = format!("variant-{key}");
    let help = format!("{id}-help");
    let change = {
        let (s, rejected, on_set) = (s.clone(), rejected.clone(), props.on_set.clone());
        Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            match parse_field(&s, f, &text) {
                Ok(value) => {
                    rejected.set(None);
                    on_set.emit((f, value));
                }
                Err(why) => rejected.set(Some((text, why))),
            }
        })
    };
    let differs = changes(&props.base, s).iter().any(|c| c.field == f);
    {
        // A number changed elsewhere (reset, a link) replaces what was refused here.
        let rejected = rejected.clone();
        use_effect_with(input_text(s, f), move |_| rejected.set(None));
    }
    let shown = rejected
        .as_ref()
        .map(|r| r.0.clone())
        .unwrap_or_else(|| input_text(s, f));
    let (kind, step, min, max) = match f {
        Field::ImpactStart => ("time", "60".to_string(), None, None),
        Field::Number(id) => (
            "number",
            "any".to_string(),
            Some(s.assumptions[id].min),
            Some(s.assumptions[id].max),
        ),
        Field::StepSigma(_) => ("number", "0.05".to_string(), Some(0.0), Some(3.0)),
        Field::GitopsMax | Field::StepMedian(_) => ("number", "any".to_string(), Some(0.001), None),
    };
    let reset = props.on_reset.reform(move |_: MouseEvent| f);
    html! {
        <div class={classes!("variant-field", differs.then_some("changed"))}>
            <label for={id.clone()}>
                if let Some(short) = props.short {
                    { short }<span class="visually-hidden">{ format!(": {}", field_label(s, f)) }</span>
                } else {
                    { field_label(s, f) }
                }
            </label>
            <div class="param-control">
                <input id={id} type={kind} inputmode={if kind == "number" { "decimal" } else { "text" }} step={step}
                       min={min.map(|v| outage_sim::numfmt::trimmed(v, 6))} max={max.map(|v| outage_sim::numfmt::trimmed(v, 6))}
                       value={shown} onchange={change} aria-describedby={help.clone()} aria-invalid={rejected.is_some().to_string()}
                       data-testid={format!("variant-{key}")} />
                <span class="unit">{ unit(s, f) }</span>
                if differs {
                    <button type="button" class="ghost-button small" onclick={reset}
                            aria-label={format!("Back to {} for {}", field_text(&props.base, f), field_label(s, f))}>
                        { format!("Back to {}", field_text(&props.base, f)) }
                    </button>
                }
            </div>
            <p class="param-help" id={help}>
                { format!("Range {}. ", field_range(s, f)) }
                { provenance(&field_provenance(s, f)) }
            </p>
            if let Some((_, why)) = &*rejected {
                <p class="field-error" role="alert" data-testid="error">{ format!("Not applied: {why}") }</p>
            }
        </div>
    }
}
