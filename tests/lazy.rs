//! Browser tests of lazy views (`outage_drill::lazy`): a view declared with `lazy_view!` draws a
//! loading line, then itself once its code is loaded, then follows its props like any
//! component; once loaded, it draws at once wherever it is mounted. (In these tests the view's
//! code is in the test's wasm, as in every build without the `split` feature; the release build's
//! chunk loading is tested end to end, in e2e/tests/start.spec.js.)
#![cfg(target_arch = "wasm32")]

use outage_drill::lazy_view;
use wasm_bindgen_test::*;
use yew::prelude::*;

mod support;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct GreetingProps {
    name: AttrValue,
}

#[component]
fn Greeting(props: &GreetingProps) -> Html {
    html! { <p class="greeting">{ format!("Hello, {}", props.name) }</p> }
}

lazy_view! {
    /// A view for the test.
    static GREETING(greeting) = Greeting;
}

#[derive(Properties, PartialEq)]
struct HostProps {
    name: AttrValue,
}

/// Draws the lazy view with a name it can change.
#[component]
fn Host(props: &HostProps) -> Html {
    let name = use_state(|| props.name.clone());
    let rename = {
        let name = name.clone();
        Callback::from(move |_: MouseEvent| name.set("the whole room".into()))
    };
    html! {
        <>
            <button class="rename" onclick={rename}>{ "rename" }</button>
            { GREETING.html(GreetingProps { name: (*name).clone() }) }
        </>
    }
}

#[wasm_bindgen_test]
async fn a_lazy_view_draws_once_loaded_then_follows_its_props_and_draws_at_once_after() {
    assert!(
        GREETING.ready().is_none(),
        "nothing is loaded before first use"
    );
    assert_eq!(GREETING.chunk, "greeting");
    let root = mount_point();
    yew::Renderer::<Host>::with_root_and_props(
        root.clone(),
        HostProps {
            name: "facilitator".into(),
        },
    )
    .render();
    let greeting = wait_for(&root, ".greeting", 5).await;
    assert_eq!(greeting.text_content().unwrap(), "Hello, facilitator");
    assert_eq!(count(&root, ".lazy-loading"), 0);
    assert!(GREETING.ready().is_some());

    click(&root, ".rename");
    assert!(until(|| text_if_any(&root, ".greeting") == "Hello, the whole room").await);

    // Mounted again, it is drawn at once: no loading line, ever.
    let again = mount_point();
    let saw_loading = std::rc::Rc::new(std::cell::Cell::new(false));
    let observer_seen = saw_loading.clone();
    yew::Renderer::<Host>::with_root_and_props(
        again.clone(),
        HostProps {
            name: "projector".into(),
        },
    )
    .render();
    assert!(
        until(|| {
            observer_seen.set(observer_seen.get() || count(&again, ".lazy-loading") > 0);
            text_if_any(&again, ".greeting") == "Hello, projector"
        })
        .await
    );
    assert!(!saw_loading.get(), "a loaded view showed its loading line");
}
