//! A confirmation in the page (never the browser's `window.confirm`, which a projector window
//! beside it could show and which blocks the page): a modal dialog that says what will happen,
//! with its confirming button `confirm-<what>` and its cancel button `cancel-<what>`. It takes
//! the focus on its cancel button, so an Enter pressed by habit does not confirm; Esc cancels.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// Names the buttons: `confirm-<what>`, `cancel-<what>`.
    pub what: AttrValue,
    pub title: AttrValue,
    pub confirm_label: AttrValue,
    #[prop_or_default]
    pub children: Html,
    pub on_answer: Callback<bool>,
}

#[component]
pub fn Confirm(props: &ConfirmProps) -> Html {
    let cancel = use_node_ref();
    {
        let cancel = cancel.clone();
        use_effect_with((), move |_| {
            if let Some(b) = cancel.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    let answer = |yes: bool| props.on_answer.reform(move |_: MouseEvent| yes);
    let on_key = {
        let on_answer = props.on_answer.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_answer.emit(false);
            }
        })
    };
    html! {
        <div class="confirm-backdrop">
            <div class="confirm" role="dialog" aria-modal="true" aria-labelledby="confirm-title"
                 data-testid={format!("confirm-{}-dialog", props.what)} onkeydown={on_key}>
                <h2 id="confirm-title">{ props.title.clone() }</h2>
                { props.children.clone() }
                <div class="confirm-buttons">
                    <button type="button" class="primary" data-testid={format!("confirm-{}", props.what)}
                            onclick={answer(true)}>{ props.confirm_label.clone() }</button>
                    <button type="button" ref={cancel} data-testid={format!("cancel-{}", props.what)}
                            onclick={answer(false)}>{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}
