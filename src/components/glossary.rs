//! The glossary: every term the app uses, in plain words (`TERMS`), shown as a panel
//! (`glossary`) that opens at a term. `Term` is the link placed where a term first appears in a
//! view: a button (the address's fragment is the app's own link, so it is not an anchor) that
//! opens the glossary there.
//!
//! In train mode, before the debrief, entries that would give the day away (`after_debrief`)
//! stay hidden: the glossary says they come with the debrief.

use yew::prelude::*;

use crate::state::{use_dispatch, Action, LearnAction};

/// One entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// Its id (`ttd`), for `Term` and the test ids.
    pub id: &'static str,
    pub term: &'static str,
    pub definition: &'static str,
    /// Names what a learner finds out in the debrief.
    pub after_debrief: bool,
}

const fn entry(id: &'static str, term: &'static str, definition: &'static str) -> Entry {
    Entry {
        id,
        term,
        definition,
        after_debrief: false,
    }
}

/// Every term, in reading order.
pub const TERMS: [Entry; 24] = [
    entry("postmortem", "Postmortem", "The report a company publishes after an incident: what happened, when, why, and what it changes. Outage Drill quotes Eptura's line by line and marks everything it assumes beyond it."),
    entry("incident", "Incident, outage", "An outage is a time when a service does not work for its users; an incident is the whole event around it, from the first sign to the moment it is closed."),
    entry("ttd", "Time to detect (TTD)", "From the moment the service stopped working to the moment someone (or an alert) noticed. The postmortem does not say when the service stopped, so the app assumes a moment you can move."),
    entry("tta", "Time to acknowledge (TTA)", "From the first detection to the moment the owning team has the incident: notified, took the alert, or acknowledged a page."),
    entry("ttm", "Time to mitigate (TTM)", "From the moment the service stopped to the moment it worked again for customers. The outage itself, as customers felt it."),
    entry("ttr", "Time to recover data, time to resolve", "Until the missed calendar changes were replayed, and until the incident was closed on the status page."),
    entry("missed-events", "Missed and lost events", "Calendar changes (bookings, moves, cancellations) that arrived while the service was gone. Missed events can be replayed later; those too old to be read back by then are lost for good."),
    entry("slo", "SLO (service level objective)", "A promise about reliability, such as 'working 99.9 % of the time over 30 days'. The time it allows to fail is the error budget."),
    entry("error-budget", "Error budget", "How much failure an SLO allows in its window (43 minutes in 30 days at 99.9 %). An outage uses some of it; more than 100 % means the promise was broken."),
    entry("burn-rate", "Burn rate", "How fast the error budget is being used, against the pace that would use exactly all of it by the end of the window. A burn-rate alert fires when it is used too fast."),
    entry("safeguard", "Safeguard", "Anything that would have prevented, shortened or softened the outage: a check on changes, an alert, a runbook, an automatic recovery. The app can switch thirteen of them on."),
    entry("uptime-check", "Uptime check", "A probe that calls the service every few minutes from outside and alerts when it stops answering."),
    entry("absent-alert", "Absent-metrics alert", "An alert that fires when a service's own measurements stop arriving, which is what happens when the service is not there at all."),
    entry("canary", "Staged rollout, canary", "Releasing a change to a small share of users first and checking them before going further; a bad change is stopped while it hurts few."),
    entry("deploy-notice", "Deploy notice", "Every change to production announced where the team sees it, so a problem that follows can be linked to it."),
    entry("on-call", "On-call, paging", "The engineer whose turn it is to respond out of hours; paging is sending them an alert (here through PagerDuty) that they must acknowledge."),
    entry("status-page", "Status page", "The public page where a company tells customers about an incident, from the first 'investigating' post until it is closed."),
    entry("rollback", "Rollback, runbook", "Going back to the release that worked; a runbook is the written, practised procedure for doing such a thing quickly."),
    entry("gitops", "GitOps sync", "A way of running production where a tool keeps the servers equal to what a Git repository describes: a change to that repository reaches production by itself a few minutes later, whatever it does."),
    entry("looper", "Event sync looper", "Eptura's tool that re-reads calendar changes from Exchange and replays them for the sites that missed them.")
        .after(),
    entry("monte-carlo", "Monte Carlo, seed", "Running the same day thousands of times with every delay drawn from its range, to see the spread of what could have happened. The seed fixes the random draws, so the same seed always gives the same runs."),
    entry("percentiles", "P10, P50, P90, P99", "Of many simulated runs, the value below which 10 %, 50 % (the median), 90 % or 99 % of them fall. 'P10–P90' is the range that holds the middle 80 %."),
    entry("inject", "Inject, curveball", "In a tabletop exercise, an inject is a piece of news given to the room at a moment of the day; a curveball is a complication the facilitator adds."),
    entry("tabletop", "Tabletop exercise", "A team talks through an incident together, deciding at each moment what it would do, led by a facilitator. No system is touched."),
];

impl Entry {
    /// Marks an entry kept for after the debrief in train mode.
    const fn after(self) -> Entry {
        Entry {
            after_debrief: true,
            ..self
        }
    }
}

/// The entry with this id.
pub fn entry_of(id: &str) -> Option<&'static Entry> {
    TERMS.iter().find(|e| e.id == id)
}

#[derive(Properties, PartialEq)]
pub struct TermProps {
    /// The glossary entry's id.
    pub id: AttrValue,
    /// The words shown (the term as the sentence writes it).
    pub children: Html,
}

/// Opens the glossary at an entry (`""`: the top). Provided by whatever draws the terms: the
/// app's state (`LearnAction::Glossary`), or the page's first screen, which opens the app with
/// the glossary (see `shell`); so a term needs neither.
#[derive(Clone, PartialEq)]
pub struct OpenGlossary(pub Callback<String>);

/// A term where it first appears: opens the glossary at its entry.
#[component]
pub fn Term(props: &TermProps) -> Html {
    let open = use_context::<OpenGlossary>();
    let id = props.id.to_string();
    let title = entry_of(&id).map(|e| e.definition).unwrap_or_default();
    let onclick = Callback::from(move |_: MouseEvent| {
        if let Some(OpenGlossary(open)) = &open {
            open.emit(id.clone());
        }
    });
    html! {
        <button type="button" class="term" {onclick} title={title} data-testid={format!("term-{}", props.id)}>
            { props.children.clone() }
        </button>
    }
}

#[derive(Properties, PartialEq)]
pub struct GlossaryProps {
    /// The entry to show first (`""`: the top).
    pub open_at: AttrValue,
    /// Train mode before the debrief: entries that would give the day away are held back.
    pub hide_spoilers: bool,
}

/// The glossary panel.
#[component]
pub fn Glossary(props: &GlossaryProps) -> Html {
    let dispatch = use_dispatch();
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Learn(LearnAction::Glossary(None)))
        })
    };
    let panel = use_node_ref();
    {
        let (panel, at) = (panel.clone(), props.open_at.to_string());
        use_effect_with(at, move |at| {
            let Some(root) = panel.cast::<web_sys::Element>() else {
                return;
            };
            let target = if at.is_empty() {
                None
            } else {
                root.query_selector(&format!("[data-term='{at}']"))
                    .ok()
                    .flatten()
            };
            if let Some(el) = target {
                el.scroll_into_view();
            }
            if let Some(close) = root.query_selector("button.close").ok().flatten() {
                if let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(close) {
                    let _ = button.focus();
                }
            }
        });
    }
    let held = TERMS
        .iter()
        .filter(|e| props.hide_spoilers && e.after_debrief)
        .count();
    html! {
        <div class="glossary-backdrop">
            <section class="glossary" data-testid="glossary" role="dialog" aria-modal="true" aria-labelledby="glossary-title" ref={panel}>
                <header>
                    <h2 id="glossary-title">{ "Glossary" }</h2>
                    <button type="button" class="close ghost-button" onclick={close} data-testid="glossary-close">{ "Close" }</button>
                </header>
                <dl>
                    { for TERMS.iter().filter(|e| !(props.hide_spoilers && e.after_debrief)).map(|e| html! {
                        <div class={classes!("glossary-entry", (*props.open_at == *e.id).then_some("current"))}
                             data-term={e.id} data-testid={format!("glossary-{}", e.id)}>
                            <dt>{ e.term }</dt>
                            <dd>{ e.definition }</dd>
                        </div>
                    }) }
                </dl>
                if held > 0 {
                    <p class="muted">{ format!("{held} more term(s) come with your debrief: they would give the day away.") }</p>
                }
            </section>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::learn::before_debrief;

    #[test]
    fn every_term_once_and_what_a_learner_reads_gives_nothing_away() {
        let scenario = outage_sim::scenario::builtin("eptura-2024-07-10").unwrap();
        let exercise = outage_sim::exercise::builtin_exercise(&scenario.id).unwrap();
        let check = outage_sim::exercise::spoiler::Withholding::new(&exercise, &scenario);
        let first = exercise.injects[0].at;
        for (i, e) in TERMS.iter().enumerate() {
            assert!(TERMS[..i].iter().all(|o| o.id != e.id), "{} twice", e.id);
            let text = format!("{} {}", e.term, e.definition);
            if !e.after_debrief {
                assert!(
                    check.is_safe(&text, first) && before_debrief(&text),
                    "{}",
                    e.id
                );
            }
        }
        // The terms the issue names are all there.
        for id in [
            "ttd",
            "tta",
            "ttm",
            "burn-rate",
            "gitops",
            "looper",
            "percentiles",
        ] {
            assert!(entry_of(id).is_some(), "{id}");
        }
    }
}
