//! Offline once opened: registers the site's service worker (`sw.js`, next to the page, so its
//! scope is the site's folder whatever the sub-path), which keeps every file of this build in a
//! cache of its own. A new deployment installs beside the running one and waits; the page says
//! "a new version is ready" and reloads into it when asked, so old and new files never mix.
//!
//! On the first visit the service worker is registered ten seconds after the app has started:
//! the offline copy (every file of the build, the Monte Carlo worker included) then downloads in
//! the background and never competes with the page's own start on a slow network. Once
//! installed, it is registered at once on later visits (which only checks for a new version).
//!
//! The service worker itself is `src/sw.js`; the build (`scripts/sw-manifest.py`, a Trunk hook)
//! writes into it the build's id and its list of files.

use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};
use yew::prelude::*;

use crate::state::{Action, Dispatch, Notice, NoticeAction};

/// The service worker's script, relative to the page.
const SCRIPT: &str = "sw.js";
/// How long after the start the offline copy is made.
const REGISTER_AFTER_MS: u32 = 10_000;

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Absent where service workers are not offered (an insecure origin, some private modes).
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .ok()
        .filter(|&has| has)?;
    Some(navigator.service_worker())
}

fn update_notice() -> Notice {
    Notice {
        text: "A new version of Outage Drill is ready. Reload to use it; until then this page keeps the version it started with.".into(),
        error: false,
        action: Some(NoticeAction::ReloadForUpdate),
    }
}

fn has_controller() -> bool {
    container().and_then(|c| c.controller()).is_some()
}

/// Says "a new version is ready" once `worker` has installed, unless it is the first install
/// of all (no version controls the page yet).
fn notify_when_installed(worker: ServiceWorker, dispatch: Dispatch) {
    let watched = worker.clone();
    let on_state = Closure::<dyn FnMut()>::new(move || {
        if watched.state() == ServiceWorkerState::Installed && has_controller() {
            dispatch.dispatch(Action::Notify(update_notice()));
        }
    });
    worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
    on_state.forget();
}

/// Tells the user once a new version has installed while this page runs an older one. The
/// browser looks for a new version when the page loads, possibly before the app is listening:
/// a version already waiting or installing counts too.
fn watch_for_updates(registration: &ServiceWorkerRegistration, dispatch: Dispatch) {
    if registration.waiting().is_some() && has_controller() {
        dispatch.dispatch(Action::Notify(update_notice()));
    } else if let Some(installing) = registration.installing() {
        notify_when_installed(installing, dispatch.clone());
    }
    let reg = registration.clone();
    let on_update = Closure::<dyn FnMut()>::new(move || {
        if let Some(installing) = reg.installing() {
            notify_when_installed(installing, dispatch.clone());
        }
    });
    registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
    on_update.forget();
}

fn register(dispatch: Dispatch) {
    if let Some(container) = container() {
        spawn_local(async move {
            let registered = JsFuture::from(container.register(SCRIPT)).await;
            match registered {
                Ok(registration) => watch_for_updates(&registration.unchecked_into(), dispatch),
                // Not fatal: the app works, it only will not open without a network.
                Err(e) => web_sys::console::warn_2(
                    &"Outage Drill: offline use is unavailable (the service worker did not register):".into(),
                    &e,
                ),
            }
        });
    }
}

/// Registers the service worker: at once when an earlier visit installed it (nothing to
/// download but a check for a new version), else a while after the start (see the module's doc).
#[hook]
pub fn use_offline(dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let delay = if has_controller() {
            0
        } else {
            REGISTER_AFTER_MS
        };
        let timer = Timeout::new(delay, move || register(dispatch));
        move || drop(timer)
    });
}

/// Moves to the waiting new version: it takes over, then the page reloads from it.
pub fn reload_into_update() {
    let Some(container) = container() else {
        reload();
        return;
    };
    spawn_local(async move {
        let registration = JsFuture::from(container.get_registration()).await.ok();
        let waiting = registration
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
            .and_then(|r| r.waiting());
        match waiting {
            Some(worker) => {
                let on_change = Closure::<dyn FnMut()>::new(reload);
                container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
                on_change.forget();
                let _ = worker.post_message(&"skip-waiting".into());
            }
            None => reload(),
        }
    });
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
