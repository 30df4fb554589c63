//! The messages for the user: what went wrong or what happened, in words, each dismissible.
//! Errors are announced to screen readers at once (`role="alert"`, test id `error`), other
//! messages politely (`role="status"`, test id `notice`). A notice may offer an action (reload
//! for a new version).

use yew::prelude::*;

use crate::state::{Notice, NoticeAction};

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notices: Vec<Notice>,
    pub on_dismiss: Callback<usize>,
    pub on_action: Callback<NoticeAction>,
}

#[component]
pub fn NoticeBanner(props: &NoticeProps) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    html! {
        <div class="notices">
            { for props.notices.iter().enumerate().map(|(i, notice)| {
                let dismiss = props.on_dismiss.reform(move |_: MouseEvent| i);
                let action = notice.action.map(|a| {
                    let click = props.on_action.reform(move |_: MouseEvent| a);
                    let label = match a {
                        NoticeAction::ReloadForUpdate => "Reload now",
                        NoticeAction::DownloadHeld(_) => "Download it",
                    };
                    html! { <button type="button" class="primary" data-testid="notice-action" onclick={click}>{ label }</button> }
                });
                html! {
                    <div class={classes!("notice", notice.error.then_some("notice-error"))}
                         role={if notice.error { "alert" } else { "status" }}
                         data-testid={if notice.error { "error" } else { "notice" }}>
                        <p>{ notice.text.clone() }</p>
                        { for action }
                        <button type="button" class="ghost-button" onclick={dismiss} aria-label="Dismiss this message">{ "Dismiss" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
