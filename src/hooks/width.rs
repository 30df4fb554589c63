//! The rendered width of an element, kept current on window resize, so charts can lay out in
//! real pixels (text stays readable instead of being scaled down with a fixed viewBox).

use gloo::events::EventListener;
use yew::prelude::*;

/// The width in CSS pixels of the element behind `node`, or `fallback` before it is mounted.
#[hook]
pub fn use_width(node: NodeRef, fallback: f64) -> f64 {
    let width = use_state_eq(|| fallback);
    {
        let width = width.clone();
        use_effect_with(node, move |node| {
            let measure = {
                let node = node.clone();
                move || {
                    if let Some(el) = node.cast::<web_sys::Element>() {
                        let w = el.client_width() as f64;
                        if w > 0.0 {
                            width.set(w);
                        }
                    }
                }
            };
            measure();
            let listener =
                web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    *width
}
