//! The wall clock for what counts down on screen (the facilitator's timers, the projector's):
//! the current time, refreshed twice a second while something runs, so only the component that
//! shows it re-renders.

use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Milliseconds since the Unix epoch, refreshed every 500 ms while `running`.
#[hook]
pub fn use_wall_clock(running: bool) -> f64 {
    let now = use_state(js_sys::Date::now);
    {
        let now = now.clone();
        use_effect_with(running, move |&running| {
            now.set(js_sys::Date::now());
            let interval =
                running.then(|| Interval::new(500, move || now.set(js_sys::Date::now())));
            move || drop(interval)
        });
    }
    if running {
        *now
    } else {
        js_sys::Date::now()
    }
}
