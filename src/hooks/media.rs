//! Whether a CSS media query matches, kept current: components that lay out differently on a
//! phone (the header's menu) follow the same breakpoint as the stylesheet.

use gloo::events::EventListener;
use yew::prelude::*;

/// The stylesheet's narrow-screen breakpoint (a phone held upright).
pub const PHONE: &str = "(max-width: 40rem)";

fn media_list(query: &str) -> Option<web_sys::MediaQueryList> {
    web_sys::window()?.match_media(query).ok().flatten()
}

/// Whether `query` matches now; re-renders when that changes (a rotation, a resized window).
#[hook]
pub fn use_media_query(query: &'static str) -> bool {
    let matches = use_state_eq(|| media_list(query).is_some_and(|l| l.matches()));
    {
        let matches = matches.clone();
        use_effect_with(query, move |query| {
            let listener = media_list(query).map(|list| {
                let seen = list.clone();
                EventListener::new(&list, "change", move |_| matches.set(seen.matches()))
            });
            move || drop(listener)
        });
    }
    *matches
}
