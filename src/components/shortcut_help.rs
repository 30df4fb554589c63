//! The list of keyboard shortcuts, shown with `?` and closed with `?`, Esc or its button.

use yew::prelude::*;

use crate::hooks::shortcuts::{shortcut_list, Keys};

#[derive(Properties, PartialEq)]
pub struct ShortcutHelpProps {
    pub keys: Keys,
    pub on_close: Callback<()>,
}

#[component]
pub fn ShortcutHelp(props: &ShortcutHelpProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    let button = use_node_ref();
    {
        // The list takes the focus, so a screen reader reads it and Esc/Tab work from there.
        let button = button.clone();
        use_effect_with((), move |_| {
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    html! {
        <div class="shortcut-help" role="dialog" aria-modal="false" aria-labelledby="shortcut-help-title" data-testid="shortcut-help">
            <h2 id="shortcut-help-title">{ "Keyboard shortcuts" }</h2>
            <dl>
                { for shortcut_list(props.keys).iter().map(|(keys, what)| html! {
                    <>
                        <dt>{ for keys.split(' ').map(|k| html! { <kbd>{ k }</kbd> }) }</dt>
                        <dd>{ *what }</dd>
                    </>
                }) }
            </dl>
            <p class="hint">{ "They work anywhere on the page, except while you type in a field." }</p>
            <button type="button" class="ghost-button" ref={button} onclick={close}>{ "Close" }</button>
        </div>
    }
}
