//! The start screen (`start-here`): what happened in two sentences, and three ways in: Train
//! (self-paced, answers hidden), Explore (the analyst's view) and Facilitate (the console for a
//! tabletop exercise). It is part of the page's first screen, so it is small: text, three
//! buttons and the glossary's entry point. It names neither the cause nor the outcome, which a
//! learner who chooses Train finds out for themselves.
//!
//! It draws only its props: a first visit sees it drawn by the page itself, before the app's
//! state exists (`shell`), and a visitor who comes back to it from the app sees it drawn by the
//! app; each says what a way in does (`on_way`), and provides the glossary (`OpenGlossary`).

use yew::prelude::*;

use super::glossary::{OpenGlossary, Term};

/// Where a way in leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WayIn {
    Train,
    Explore,
    Facilitate,
}

#[derive(Properties, PartialEq)]
pub struct StartProps {
    /// The built-in scenario has an exercise (Train and Facilitate need it).
    pub has_exercise: bool,
    /// A way in was chosen.
    pub on_way: Callback<WayIn>,
}

#[component]
pub fn StartScreen(props: &StartProps) -> Html {
    let go = |way: WayIn| props.on_way.reform(move |_: MouseEvent| way);
    let glossary = {
        let open = use_context::<OpenGlossary>();
        Callback::from(move |_: MouseEvent| {
            if let Some(OpenGlossary(open)) = &open {
                open.emit(String::new());
            }
        })
    };
    html! {
        <main class="start" data-testid="start-here">
            <h1>{ "Outage Drill" }</h1>
            <p class="start-lede">
                { "On 10 July 2024, Eptura Workplace's new calendar service stopped working in production and no alert fired: customers' room bookings stopped syncing with Outlook until people noticed, brought the service back and replayed what had been missed. " }
                { "Outage Drill replays that afternoon from the company's public " }
                <Term id="postmortem">{ "postmortem" }</Term>
                { " and simulates it again with your decisions and " }
                <Term id="safeguard">{ "safeguards" }</Term>
                { ", alone or with a team in a " }
                <Term id="tabletop">{ "tabletop exercise" }</Term>
                { "." }
            </p>
            <ul class="ways-in">
                <li>
                    <button type="button" class="way primary" data-testid="start-train" onclick={go(WayIn::Train)} disabled={!props.has_exercise}>
                        <span class="way-name">{ "Train" }</span>
                        <span class="way-what">{ "Live through the day on your own, from 14:15. Predict, decide at each moment, see what your choices change. Answers stay hidden until your debrief." }</span>
                    </button>
                </li>
                <li>
                    <button type="button" class="way" data-testid="start-explore" onclick={go(WayIn::Explore)}>
                        <span class="way-name">{ "Explore" }</span>
                        <span class="way-what">{ "The analyst's view: the whole record on a timeline, safeguards to switch on, thousands of simulated days, comparisons. Everything is shown." }</span>
                    </button>
                </li>
                <li>
                    <button type="button" class="way" data-testid="start-facilitate" onclick={go(WayIn::Facilitate)} disabled={!props.has_exercise}>
                        <span class="way-name">{ "Facilitate" }</span>
                        <span class="way-what">{ "Run a tabletop exercise with a room: injects at the record's moments, timers, a projector view, the room's decisions, a report, and a table of learners' results." }</span>
                    </button>
                </li>
            </ul>
            <p class="start-foot">
                <button type="button" class="link-button" data-testid="open-glossary" onclick={glossary}>{ "Glossary of the terms used" }</button>
                { " · Runs in your browser; after one visit it works offline." }
            </p>
        </main>
    }
}
