//! The rendered size of an element, kept current whenever the element's box changes (a window
//! resize, or a layout that gives it another column, such as the facilitator's console), so
//! charts can lay out in real pixels: text stays readable instead of being scaled down with a
//! fixed viewBox, and nothing is drawn past the element's edge.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The width in CSS pixels of the element behind `node`, or `fallback` before it is mounted.
#[hook]
pub fn use_width(node: NodeRef, fallback: f64) -> f64 {
    use_size(node, (fallback, 0.0)).0
}

/// The width and height in CSS pixels of the element behind `node` (its client box), or
/// `fallback` before it is mounted.
#[hook]
pub fn use_size(node: NodeRef, fallback: (f64, f64)) -> (f64, f64) {
    let size = use_state_eq(|| fallback);
    {
        let size = size.clone();
        use_effect_with(node, move |node| {
            let element = node.cast::<web_sys::Element>();
            let measure = {
                let element = element.clone();
                move || {
                    if let Some(el) = &element {
                        let (w, h) = (el.client_width() as f64, el.client_height() as f64);
                        if w > 0.0 {
                            size.set((w, h));
                        }
                    }
                }
            };
            measure();
            // A ResizeObserver sees every change of the element's box, not only the window's;
            // it calls back once per frame at most, after layout, so measuring there is cheap.
            let callback = Closure::<dyn FnMut()>::new(measure);
            let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
            if let (Some(observer), Some(el)) = (&observer, &element) {
                observer.observe(el);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(callback);
            }
        });
    }
    *size
}
