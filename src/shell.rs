//! The page's root (`App`): what the page draws before the app's state exists. A first visit
//! (no link in the address, no session kept in this browser) lands on the start screen, which
//! the page draws on its own; the app itself (its state, reducer, sections and simulation, the
//! `workspace` chunk, see `lazy`) is fetched as soon as the start screen is on screen, and drawn
//! when a way in is chosen. Any other visit (a link, a session to resume) draws the app at once.
//!
//! So what a newcomer downloads before the page answers is the start screen and the framework
//! under it, and what the app needs follows while they read it. The time a way in waits for the
//! app's chunk is measured by `scripts/budgets.sh` (`start → app`).

use std::cell::Cell;

use yew::prelude::*;

use crate::builtin::DEFAULT_HAS_EXERCISE;
use crate::components::glossary::OpenGlossary;
use crate::components::start::{StartScreen, WayIn};
use crate::views::{WorkspaceProps, WORKSPACE};

/// How the app is opened: where it resumes, or what the visitor chose on the start screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FirstStep {
    /// Where the link or the kept session says (the app reads them itself).
    Resume,
    /// A way in, chosen on the start screen.
    Way(WayIn),
    /// The glossary, at an entry (`""`: the top), over the start screen.
    Glossary(String),
}

/// Whether this visit opens on the start screen: nothing in the address, and no session kept
/// (a session that cannot be read is the app's to explain, so it counts as kept).
pub fn is_first_visit() -> bool {
    let fragment = crate::hooks::persist::current_fragment();
    fragment.trim().is_empty() && !crate::storage::is_kept(crate::session::SESSION)
}

thread_local! {
    static INTERACTIVE: Cell<bool> = const { Cell::new(false) };
}

/// Marks the moment the page became interactive (once: the start screen, or else the app),
/// as the performance mark `app-interactive` that `scripts/budgets.sh` reads.
pub fn mark_interactive() {
    if INTERACTIVE.with(|done| done.replace(true)) {
        return;
    }
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("app-interactive");
    }
}

/// The whole page: the start screen on a first visit, else the app.
#[component]
pub fn App() -> Html {
    let first = use_state(|| (!is_first_visit()).then_some(FirstStep::Resume));
    // A way in chosen while the app's chunk is still on its way: the start screen stays, its
    // buttons say so, and the app is drawn once the chunk is here (or says it could not be).
    let opening = use_state(|| false);
    let starting = first.is_none();
    use_effect_with((), move |_| {
        if starting {
            mark_interactive();
            // Fetched now, so a way in finds it loaded.
            wasm_bindgen_futures::spawn_local(async {
                let _ = WORKSPACE.load().await;
            });
        }
    });
    let open = {
        let (first, opening) = (first.clone(), opening.clone());
        Callback::from(move |step: FirstStep| {
            if WORKSPACE.ready().is_some() {
                first.set(Some(step));
                return;
            }
            opening.set(true);
            let first = first.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // Loaded or not: the lazy view then draws the app, or says why it cannot.
                let _ = WORKSPACE.load().await;
                first.set(Some(step));
            });
        })
    };
    match &*first {
        Some(step) => WORKSPACE.html(WorkspaceProps {
            first: step.clone(),
        }),
        None => {
            let on_way = open.reform(FirstStep::Way);
            let glossary = OpenGlossary(open.reform(FirstStep::Glossary));
            html! {
                <ContextProvider<OpenGlossary> context={glossary}>
                    <div class="app learn-app" data-ready="true" aria-busy={opening.then_some("true")}>
                        <StartScreen has_exercise={DEFAULT_HAS_EXERCISE} {on_way} />
                    </div>
                </ContextProvider<OpenGlossary>>
            }
        }
    }
}
