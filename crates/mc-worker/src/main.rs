//! The Monte Carlo Web Worker: the input and output around the protocol's `Runner`. It takes
//! messages from the page, runs its parts in steps of about `STEP_MS`, and yields to its event
//! loop between steps (through a `MessageChannel`, which unlike a zero timeout is never
//! throttled), so a `Cancel` is read within one step. Built by Trunk as `mc-worker.js` and
//! `mc-worker_bg.wasm` and started by `mc-worker-boot.js` (a module worker).

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::Uint8Array;
    use outage_drill_worker::{decode, encode, FromWorker, Runner, ToWorker};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

    /// How long one step may run before the worker yields to read its messages (and so how
    /// late a cancel can be): well under the 50 ms a cancel must take.
    const STEP_MS: f64 = 10.0;

    struct State {
        scope: DedicatedWorkerGlobalScope,
        runner: Runner,
        /// Run indices per `Runner::step`, tuned so one takes about a millisecond.
        chunk: u64,
        /// A step is already scheduled.
        scheduled: bool,
        channel: MessageChannel,
    }

    impl State {
        fn now(&self) -> f64 {
            self.scope.performance().map(|p| p.now()).unwrap_or(0.0)
        }

        fn send(&self, message: &FromWorker) {
            let bytes = Uint8Array::from(encode(message).as_slice());
            let transfer = js_sys::Array::of1(&bytes.buffer());
            let _ = self.scope.post_message_with_transfer(&bytes, &transfer);
        }

        fn schedule(&mut self) {
            if !self.scheduled && !self.runner.is_idle() {
                self.scheduled = true;
                let _ = self.channel.port2().post_message(&JsValue::NULL);
            }
        }

        /// Runs the current part for up to `STEP_MS`; reports progress or the result.
        fn step(&mut self) {
            self.scheduled = false;
            let started = self.now();
            let mut last = None;
            while !self.runner.is_idle() && self.now() - started < STEP_MS {
                let t = self.now();
                let reply = self.runner.step(self.chunk);
                let took = self.now() - t;
                if took < 0.5 {
                    self.chunk = (self.chunk * 2).min(1 << 16);
                } else if took > 2.0 {
                    self.chunk = (self.chunk / 2).max(1);
                }
                match reply {
                    Some(done @ FromWorker::Done { .. }) => {
                        self.send(&done);
                        last = None;
                    }
                    other => last = other,
                }
            }
            if let Some(progress) = last {
                self.send(&progress);
            }
            if let Some(performance) = self.scope.performance() {
                outage_drill_worker::publish_simulated(&performance, &self.runner);
            }
            self.schedule();
        }
    }

    pub fn start() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let channel = MessageChannel::new().expect("a worker can make a MessageChannel");
        let state = Rc::new(RefCell::new(State {
            scope: scope.clone(),
            runner: Runner::new(outage_drill_worker::Builtins::FROM_JSON),
            chunk: 16,
            scheduled: false,
            channel,
        }));
        let on_step = {
            let state = state.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
                state.borrow_mut().step();
            })
        };
        state
            .borrow()
            .channel
            .port1()
            .set_onmessage(Some(on_step.as_ref().unchecked_ref()));
        on_step.forget();
        let on_message = {
            let state = state.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let mut state = state.borrow_mut();
                let bytes = Uint8Array::new(&event.data()).to_vec();
                match decode::<ToWorker>(&bytes) {
                    Ok(message) => {
                        for reply in state.runner.handle(message) {
                            state.send(&reply);
                        }
                        state.schedule();
                    }
                    Err(message) => state.send(&FromWorker::Failed { ticket: 0, message }),
                }
            })
        };
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        state.borrow().send(&FromWorker::Ready);
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
