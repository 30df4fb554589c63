//! The banner for messages to the user: what went wrong in words, dismissible. Errors are
//! announced to screen readers at once (`role="alert"`), information politely.

use yew::prelude::*;

use crate::state::Notice;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notice: Option<Notice>,
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn NoticeBanner(props: &NoticeProps) -> Html {
    let Some(notice) = &props.notice else {
        return html! {};
    };
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class={classes!("notice", notice.error.then_some("notice-error"))}
             role={if notice.error { "alert" } else { "status" }}
             data-testid={notice.error.then_some("error")}>
            <p>{ notice.text.clone() }</p>
            <button type="button" class="ghost-button" onclick={dismiss} aria-label="Dismiss this message">{ "Dismiss" }</button>
        </div>
    }
}
