//! Drives playback: while `playing`, one `Action::Tick` per animation frame with the real time
//! elapsed since the previous frame. The frame loop stops when playback stops or the component
//! goes away.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

use crate::state::{Action, Dispatch, ReplayAction};

fn schedule(slot: Rc<RefCell<Option<AnimationFrame>>>, dispatch: Dispatch, last: f64) {
    let next = slot.clone();
    let frame = request_animation_frame(move |now| {
        dispatch.dispatch(Action::Replay(ReplayAction::Tick(now - last)));
        schedule(next, dispatch, now);
    });
    *slot.borrow_mut() = Some(frame);
}

/// Runs the frame loop while `playing` is true.
#[hook]
pub fn use_playback(playing: bool, dispatch: Dispatch) {
    use_effect_with(playing, move |&playing| {
        let slot: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
        if playing {
            schedule(slot.clone(), dispatch, super::now_ms());
        }
        // Dropping the pending frame cancels it.
        move || drop(slot.borrow_mut().take())
    });
}
