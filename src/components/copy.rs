//! A button that puts text on the clipboard in one action and says so: the link to the view,
//! the compare's and the ranking's summary lines. The text is made when the button is pressed
//! (from what is on screen then); when the browser refuses the clipboard, the text is shown,
//! selected, to copy by hand.

use gloo::timers::callback::Timeout;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

/// How a copy went.
#[derive(Clone, PartialEq)]
enum Copied {
    Idle,
    Done,
    /// The clipboard refused: the text is shown to copy by hand.
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct CopyTextProps {
    /// The button's test id; its confirmation is `<testid>-done`, the hand-copy field
    /// `<testid>-text`.
    pub testid: AttrValue,
    /// What the button says.
    pub label: AttrValue,
    /// The button's longer description.
    pub title: AttrValue,
    /// Said once the text is on the clipboard.
    pub done: AttrValue,
    /// Makes the text, when the button is pressed.
    pub text: Callback<(), String>,
    #[prop_or_default]
    pub class: Classes,
}

/// Copies `text` to the clipboard on a press, and says it did.
#[component]
pub fn CopyText(props: &CopyTextProps) -> Html {
    let copied = use_state_eq(|| Copied::Idle);
    let timer = use_mut_ref(|| None::<Timeout>);
    let click = {
        let (copied, make) = (copied.clone(), props.text.clone());
        Callback::from(move |_: MouseEvent| {
            let text = make.emit(());
            let clipboard = gloo::utils::window().navigator().clipboard();
            let (copied, timer) = (copied.clone(), timer.clone());
            spawn_local(async move {
                match JsFuture::from(clipboard.write_text(&text)).await {
                    Ok(_) => {
                        copied.set(Copied::Done);
                        let reset = copied.clone();
                        *timer.borrow_mut() =
                            Some(Timeout::new(4_000, move || reset.set(Copied::Idle)));
                    }
                    Err(_) => copied.set(Copied::Failed(text)),
                }
            });
        })
    };
    let testid = &props.testid;
    html! {
        <div class={classes!("copy-text", props.class.clone())}>
            <button type="button" class="ghost-button" data-testid={testid.clone()} onclick={click}
                    title={props.title.clone()}>{ props.label.clone() }</button>
            <span class="copy-status" role="status">
                { match &*copied {
                    Copied::Idle => html! {},
                    Copied::Done => html! { <span data-testid={format!("{testid}-done")}>{ props.done.clone() }</span> },
                    Copied::Failed(text) if text.contains('\n') => html! {
                        <label>{ "The browser refused the clipboard; copy this text: " }
                            <textarea readonly=true rows="6" value={text.clone()} data-testid={format!("{testid}-text")} />
                        </label>
                    },
                    Copied::Failed(text) => html! {
                        <label>{ "Copy this: " }<input type="text" readonly=true value={text.clone()} data-testid={format!("{testid}-text")} /></label>
                    },
                } }
            </span>
        </div>
    }
}
