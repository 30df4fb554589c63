//! Train mode (`mode-learn`) and a learner's result opened read-only: the one entry point
//! `LearnView` (its props live in `state::learn`, so the page can load this module when it is
//! first used) and the views behind it: the brief and the prediction, a stop with its choices
//! and confidence, the consequence of a committed decision (with its range over Monte Carlo
//! runs, which run in the worker pool), and the debrief (the learner's day against the record,
//! each decision with its consequence, the score, the prediction's error, three take-aways,
//! the result link and code).
//!
//! Every text shown before the debrief comes from `learn::Drill`, which passes it through the
//! exercise's spoiler check; the debrief is where the record's outcome is shown.

use gloo::timers::callback::Interval;
use outage_sim::metrics::Metric;
use outage_sim::montecarlo::{ranking_from, Ranking};
use outage_sim::safeguards::{Config, SafeguardId};
use outage_sim::stats::DifferenceStats;
use outage_sim::time::{SimTime, MINUTE};
use outage_sim::RunRecord;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use super::glossary::Term;
use crate::learn::score::{explain, score, Reference, Score};
use crate::learn::{
    detector_label, Choice, Confidence, Decision, Drill, Effect, Prediction, Stop, DETECTORS,
};
use crate::state::learn::{DrillData, LearnViewProps, Page, PredictionDraft, PACES};
use crate::state::{use_dispatch, Action, Job, LearnAction, Mode};

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn hhmm(drill: &Drill, t: SimTime) -> String {
    drill.scenario.clock.hhmm_local(t)
}

/// Train mode, or a learner's result read-only.
#[component]
pub fn LearnView(props: &LearnViewProps) -> Html {
    let dispatch = use_dispatch();
    let l = &props.learn;
    let Some(data) = l.data.clone() else {
        return html! { <main class="learn" data-testid="mode-learn"><p class="problem">{ "This build has no exercise to train with." }</p></main> };
    };
    let to_start = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Learn(LearnAction::Open(Page::Start)))
        })
    };
    let glossary = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Learn(LearnAction::Glossary(Some(String::new()))))
        })
    };
    if l.page == Page::Result {
        return html! {
            <main class="learn learn-result" data-testid="learn-result">
                <nav class="learn-bar">
                    <button type="button" class="ghost-button" onclick={to_start}>{ "← Start" }</button>
                    <span class="learn-title">{ "A learner's result (read-only)" }</span>
                    <button type="button" class="ghost-button" onclick={glossary}>{ "Glossary" }</button>
                </nav>
                if let Some(v) = l.viewed.clone() {
                    <Debrief data={data} name={AttrValue::from(v.name.clone())} seed={v.seed} prediction={v.prediction}
                             decisions={v.decisions.clone()} read_only={true}
                             stop_job={props.stop_job.clone()} ranking_job={props.ranking_job.clone()}
                             on_range={props.on_consequence_range.clone()} on_ranking={props.on_ranking.clone()} />
                } else {
                    <section class="panel" data-testid="learn-result-problems">
                        <h2>{ "This result cannot be opened" }</h2>
                        <ul>{ for l.viewed_problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                        <p>{ "Ask the learner to send their result link again, whole, or its short code." }</p>
                    </section>
                }
            </main>
        };
    }
    let drill = data.drill();
    let on_pace = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            dispatch.dispatch(Action::Learn(LearnAction::SetPace(value.parse().ok())))
        })
    };
    let body = if l.prediction.is_none() {
        html! { <Predict data={data.clone()} draft={l.draft_prediction.clone()} /> }
    } else if l.finished() {
        html! {
            <Debrief data={data.clone()} name={AttrValue::from(l.name.clone())} seed={l.seed} prediction={l.prediction.expect("committed")}
                     decisions={l.decisions.clone()} read_only={false}
                     stop_job={props.stop_job.clone()} ranking_job={props.ranking_job.clone()}
                     on_range={props.on_consequence_range.clone()} on_ranking={props.on_ranking.clone()} />
        }
    } else if l.revealed {
        let last = *l.decisions.last().expect("a decision was committed");
        html! {
            <ConsequenceCard data={data.clone()} before={l.decisions[..l.decisions.len() - 1].to_vec()} decision={last}
                             seed={l.seed} job={props.stop_job.clone()} on_range={props.on_consequence_range.clone()} />
        }
    } else if let Some(stop) = drill.next_stop(&l.decisions) {
        html! {
            <StopView data={data.clone()} decisions={l.decisions.clone()} stop={StopKey(stop)}
                      choice={l.draft_choice} confidence={l.draft_confidence}
                      pace={l.pace} since={l.stop_since} />
        }
    } else {
        html! {}
    };
    html! {
        <main class="learn" data-testid="mode-learn">
            <nav class="learn-bar">
                <button type="button" class="ghost-button" onclick={to_start} data-testid="learn-to-start">{ "← Start" }</button>
                <span class="learn-title">{ "Train: one afternoon at Eptura Workplace" }</span>
                <label class="learn-pace">
                    { "Pace " }
                    <select data-testid="learn-pace" onchange={on_pace} aria-label="A timer for each moment">
                        <option value="" selected={l.pace.is_none()}>{ "no timer" }</option>
                        { for PACES.iter().map(|&p| html! {
                            <option value={p.to_string()} selected={l.pace == Some(p)}>{ format!("{} min a moment", p / 60) }</option>
                        }) }
                    </select>
                </label>
                <button type="button" class="ghost-button" onclick={glossary} data-testid="learn-glossary">{ "Glossary" }</button>
            </nav>
            if l.prediction.is_some() {
                <SoFar data={data.clone()} decisions={l.decisions.clone()} />
            }
            { body }
        </main>
    }
}

/// A `Stop` as a prop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StopKey(pub Stop);

#[derive(Properties, PartialEq)]
struct PredictProps {
    data: DrillData,
    draft: PredictionDraft,
}

/// The brief and the prediction, before the day starts.
#[component]
fn Predict(props: &PredictProps) -> Html {
    let dispatch = use_dispatch();
    let drill = props.data.drill();
    let draft = props.draft.clone();
    let on_minutes = {
        let (dispatch, draft) = (dispatch.clone(), draft.clone());
        Callback::from(move |e: InputEvent| {
            let minutes = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            dispatch.dispatch(Action::Learn(LearnAction::DraftPrediction(
                PredictionDraft {
                    minutes,
                    ..draft.clone()
                },
            )))
        })
    };
    let pick = |d| {
        let (dispatch, draft) = (dispatch.clone(), draft.clone());
        Callback::from(move |_: Event| {
            dispatch.dispatch(Action::Learn(LearnAction::DraftPrediction(
                PredictionDraft {
                    first_catch: Some(d),
                    ..draft.clone()
                },
            )))
        })
    };
    let commit = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatch.dispatch(Action::Learn(LearnAction::Commit(now_ms())))
        })
    };
    html! {
        <section class="panel learn-predict" data-testid="learn-predict">
            <h2>{ format!("Wednesday 10 July 2024, {} (Central time)", hhmm(&drill, drill.start())) }</h2>
            <p>{ "You work with the teams behind Eptura Workplace, a workplace app whose new calendar service keeps room bookings in step with customers' Outlook calendars. This afternoon something will go wrong with it. You will live through the afternoon as the people there did: at each moment you see only what they could know then, and you decide what to do. Your decisions change the simulated day." }</p>
            <p>{ "Before the day starts, commit a prediction. You will see how it compares at the end." }</p>
            <form onsubmit={commit}>
                <label class="field">
                    <span>
                        { "When the service stops working, how many minutes until someone notices? " }
                        // The term's parentheses stay with it when the line breaks.
                        <span class="nowrap">{ "(" }<Term id="ttd">{ "time to detect" }</Term>{ ")" }</span>
                    </span>
                    <input type="number" inputmode="numeric" min="1" max="1440" step="1" value={draft.minutes.clone()}
                           oninput={on_minutes} data-testid="learn-predict-minutes" required=true />
                </label>
                <fieldset class="field">
                    <legend>
                        { "Which " }<Term id="safeguard">{ "safeguard" }</Term>{ " would have caught it first, had it been in place?" }
                    </legend>
                    { for DETECTORS.iter().map(|&d| html! {
                        <label class="choice-row">
                            <input type="radio" name="first-catch" value={d.id()} checked={draft.first_catch == Some(d)}
                                   onchange={pick(d)} data-testid={format!("learn-predict-{}", d.id())} />
                            <span>{ detector_label(d) }</span>
                        </label>
                    }) }
                </fieldset>
                <button type="submit" class="primary big" data-testid="learn-commit">{ "Commit my prediction" }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SoFarProps {
    data: DrillData,
    decisions: Vec<Decision>,
}

/// What the learner has been through so far: each stop passed, with their decision.
#[component]
fn SoFar(props: &SoFarProps) -> Html {
    let drill = props.data.drill();
    if props.decisions.is_empty() {
        return html! {};
    }
    let (day, _) = drill.day(&props.decisions);
    let check = drill.withholding(&day);
    html! {
        <details class="panel learn-so-far" data-testid="learn-so-far">
            <summary>{ format!("Your day so far: {} moment(s)", props.decisions.len()) }</summary>
            <ol>
                { for props.decisions.iter().map(|d| {
                    let stop = Stop { inject: d.inject, at: d.at, own: false };
                    let (before, _) = drill.day(&props.decisions[..props.decisions.iter().position(|x| x == d).unwrap_or(0)]);
                    let card = drill.card(&Stop { own: d.at != drill.exercise.injects[d.inject].at, ..stop }, &before);
                    let title = if check.is_safe(&card.title, d.at) { card.title } else { String::new() };
                    html! {
                        <li>
                            <span class="time">{ hhmm(&drill, d.at) }</span>{ " " }{ title }{ ": " }
                            <strong>{ d.choice.label() }</strong>{ format!(" ({})", d.confidence.label().to_lowercase()) }
                        </li>
                    }
                }) }
            </ol>
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct StopProps {
    data: DrillData,
    decisions: Vec<Decision>,
    stop: StopKey,
    choice: Option<Choice>,
    confidence: Option<Confidence>,
    pace: Option<u32>,
    since: Option<f64>,
}

/// A stop: what the learner is told, the choices, the confidence, commit.
#[component]
fn StopView(props: &StopProps) -> Html {
    let dispatch = use_dispatch();
    let drill = props.data.drill();
    let stop = props.stop.0;
    let (day, _) = drill.day(&props.decisions);
    let card = drill.card(&stop, &day);
    let offered = drill.offers(&stop, &props.decisions);
    let choose = |c: Choice| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Learn(LearnAction::Choose(c)))
        })
    };
    let sure = |c: Confidence| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Learn(LearnAction::SetConfidence(c)))
        })
    };
    let commit = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Learn(LearnAction::Commit(now_ms())))
        })
    };
    let number = props.decisions.len() + 1;
    html! {
        <section class="panel learn-stop" data-testid="learn-stop" data-at={hhmm(&drill, stop.at)}>
            <p class="learn-clock" data-testid="learn-clock">
                <span class="time">{ hhmm(&drill, stop.at) }</span>{ format!(" · moment {number}") }
                if let (Some(pace), Some(since)) = (props.pace, props.since) {
                    <PaceTimer seconds={pace} since={since} />
                }
            </p>
            <h2>{ card.title.clone() }</h2>
            { for card.passages.iter().map(|p| html! { <p>{ p.clone() }</p> }) }
            if let Some(q) = &card.record {
                <blockquote class="record-line">
                    <span class="muted">{ format!("The record at this point ({}): ", q.section) }</span>{ format!("“{}”", q.quote) }
                </blockquote>
            }
            if !card.questions.is_empty() {
                <details class="learn-questions">
                    <summary>{ "Questions to think about" }</summary>
                    <ul>{ for card.questions.iter().map(|q| html! { <li>{ q.clone() }</li> }) }</ul>
                </details>
            }
            <fieldset class="learn-choices">
                <legend>{ "What do you do now?" }</legend>
                { for offered.iter().map(|o| { let c = o.choice; html! {
                    <button type="button" class={classes!("choice", (props.choice == Some(c)).then_some("chosen"))}
                            aria-pressed={(props.choice == Some(c)).to_string()} onclick={choose(c)}
                            data-testid={format!("learn-choice-{}", c.id())}>
                        <span class="choice-name">{ c.label() }</span>
                        <span class="choice-help">{ c.help() }</span>
                        { for o.assumes.iter().map(|a| html! { <span class="choice-assumes">{ format!("Assumes: {a}") }</span> }) }
                    </button>
                } }) }
            </fieldset>
            <fieldset class="learn-confidence">
                <legend>{ "How sure are you?" }</legend>
                { for Confidence::ALL.iter().map(|&c| html! {
                    <button type="button" class={classes!("confidence", (props.confidence == Some(c)).then_some("chosen"))}
                            aria-pressed={(props.confidence == Some(c)).to_string()} onclick={sure(c)}
                            data-testid={format!("learn-confidence-{}", c.id())}>{ c.label() }</button>
                }) }
            </fieldset>
            <button type="button" class="primary big" data-testid="learn-commit" onclick={commit}
                    disabled={props.choice.is_none() || props.confidence.is_none()}>{ "Commit" }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PaceProps {
    seconds: u32,
    since: f64,
}

/// The per-stop timer: counts down, says when time is up (it decides nothing for the learner).
#[component]
fn PaceTimer(props: &PaceProps) -> Html {
    let now = use_state(now_ms);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1_000, move || now.set(now_ms()));
            move || drop(tick)
        });
    }
    let left = f64::from(props.seconds) - (*now - props.since) / 1000.0;
    let text = if left > 0.0 {
        let s = left.ceil() as i64;
        format!("{}:{:02} left", s / 60, s % 60)
    } else {
        "time's up: decide now".to_string()
    };
    html! { <span class={classes!("pace-timer", (left <= 0.0).then_some("up"))} data-testid="learn-timer" role="timer">{ format!(" · {text}") }</span> }
}

/// Text of a difference's P10–P90 range, in the effect's words.
fn range_text(effect: Effect, d: &DifferenceStats, runs: u64) -> Option<String> {
    let (lo, hi) = (d.p10?, d.p90?);
    let part = |v: f64| {
        if effect.is_count() {
            crate::learn::group_count(v.abs())
        } else {
            crate::learn::minutes_text(v.abs())
        }
    };
    let (less, more) = if effect.is_count() {
        ("fewer", "more")
    } else {
        ("earlier", "later")
    };
    let span = if hi <= 0.0 {
        format!("{}–{} {less}", part(hi), part(lo))
    } else if lo >= 0.0 {
        format!("{}–{} {more}", part(lo), part(hi))
    } else {
        format!("{} {less} to {} {more}", part(lo), part(hi))
    };
    Some(format!(
        "P10–P90 over {} simulated days: {span}",
        crate::learn::group_count(runs as f64)
    ))
}

/// The ranges of a paired job's outcome, if it is the one for (base, versus).
fn ranges_of<'j>(
    job: &'j Job,
    base: &[String],
    versus: &[String],
) -> Option<&'j outage_sim::stats::Differences> {
    let o = job.outcome()?;
    (o.room == base && o.versus.as_deref() == Some(versus))
        .then(|| o.differences.first())
        .flatten()
}

#[derive(Properties, PartialEq)]
struct ConsequenceProps {
    data: DrillData,
    before: Vec<Decision>,
    decision: Decision,
    seed: u64,
    job: Job,
    on_range: Callback<(Vec<String>, Vec<String>)>,
}

/// After a committed decision: what it changed in the simulated day, with ranges, and what the
/// record did at that point.
#[component]
fn ConsequenceCard(props: &ConsequenceProps) -> Html {
    let dispatch = use_dispatch();
    let drill = props.data.drill();
    let d = props.decision;
    let consequence = drill.consequence(&props.before, &d);
    let base = drill.intervention_texts(&props.before);
    let mut all = props.before.clone();
    all.push(d);
    let versus = drill.intervention_texts(&all);
    let acts = versus != base;
    let ranges = ranges_of(&props.job, &base, &versus);
    {
        // The range of this decision, once (a job already done for it is kept).
        let have = ranges.is_some();
        let (on_range, base, versus) = (props.on_range.clone(), base.clone(), versus.clone());
        use_effect_with((base, versus), move |(base, versus)| {
            if base != versus && !have {
                on_range.emit((base.clone(), versus.clone()));
            }
        });
    }
    let next = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Learn(LearnAction::Next(now_ms())))
        })
    };
    let card = drill.card(
        &Stop {
            inject: d.inject,
            at: d.at,
            own: d.at != drill.exercise.injects[d.inject].at,
        },
        &drill.day(&props.before).0,
    );
    let last = drill.next_stop(&all).is_none();
    html! {
        <section class="panel learn-consequence" data-testid="learn-consequence">
            <p class="learn-clock"><span class="time">{ hhmm(&drill, d.at) }</span>{ format!(" · you chose: {} ({})", d.choice.label(), d.confidence.label().to_lowercase()) }</p>
            <h2>{ "What your choice changed" }</h2>
            if consequence.changes.is_empty() {
                <p data-testid="learn-no-change">{ consequence.why_nothing.clone().unwrap_or_default() }</p>
            } else {
                <ul class="changes">
                    { for consequence.changes.iter().map(|c| {
                        let range = c.effect.metric().and_then(|m| {
                            let r = ranges?;
                            range_text(c.effect, &r.stats(m), r.runs)
                        });
                        html! {
                            <li data-testid="learn-change">
                                <strong>{ format!("{} {}", c.effect.label(), c.effect.describe(c.delta)) }</strong>
                                { " in your simulated day" }
                                if let Some(range) = range {
                                    <span class="range" data-testid="learn-range">{ format!(" ({range})") }</span>
                                } else if acts && c.effect.metric().is_some() {
                                    <span class="range muted">{ " (computing its range…)" }</span>
                                }
                            </li>
                        }
                    }) }
                </ul>
                <p class="muted small">
                    { "Against waiting at the same moment, all else equal: one day with the record's delays, and its range over " }
                    <Term id="monte-carlo">{ "simulated days" }</Term>
                    { format!(" (seed {}) in which every delay is drawn from its range.", props.seed) }
                </p>
            }
            if let Some(q) = &card.record {
                <blockquote class="record-line" data-testid="learn-record-line">
                    <span class="muted">{ "What the record did at that point: " }</span>{ format!("“{}”", q.quote) }
                </blockquote>
            }
            <button type="button" class="primary big" data-testid="learn-next" onclick={next}>
                { if last { "See your debrief" } else { "Next" } }
            </button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DebriefProps {
    data: DrillData,
    name: AttrValue,
    seed: u64,
    prediction: Prediction,
    decisions: Vec<Decision>,
    read_only: bool,
    stop_job: Job,
    ranking_job: Job,
    on_range: Callback<(Vec<String>, Vec<String>)>,
    on_ranking: Callback<()>,
}

/// A moment of the debrief's timeline.
struct Moment {
    label: &'static str,
    yours: Option<SimTime>,
    record: Option<SimTime>,
}

fn moments(day: &RunRecord, record: &RunRecord) -> Vec<Moment> {
    let m = |label, f: fn(&RunRecord) -> Option<SimTime>| Moment {
        label,
        yours: f(day),
        record: f(record),
    };
    vec![
        m("The service stops (assumed)", |r| r.gone_at),
        m("Someone notices", |r| r.detected_at),
        m("The owning team has it", |r| r.acknowledged_at),
        m("Responders gathered", |r| r.mobilized_at),
        m("Customers told", |r| r.first_post_at),
        m("Service back", |r| r.restored_at),
        m("Missed events replayed", |r| r.recovered_at),
        m("Resolved", |r| r.resolved_at),
    ]
}

/// The debrief: the learner's day against the record, each decision with its consequence, the
/// score, the prediction, take-aways, and the result to send.
#[component]
fn Debrief(props: &DebriefProps) -> Html {
    let dispatch = use_dispatch();
    let drill = props.data.drill();
    let (day, _) = drill.day(&props.decisions);
    let record = drill.record();
    let reference: Reference = crate::builtin::LEARN_REFERENCE;
    let confidences: Vec<Confidence> = props.decisions.iter().map(|d| d.confidence).collect();
    let s: Score = score(&reference, &day, &confidences);
    let versus = drill.intervention_texts(&props.decisions);
    {
        let (on_range, on_ranking, versus) = (
            props.on_range.clone(),
            props.on_ranking.clone(),
            versus.clone(),
        );
        use_effect_with(versus, move |versus| {
            if !versus.is_empty() {
                on_range.emit((Vec::new(), versus.clone()));
            }
            on_ranking.emit(());
        });
    }
    let ranges = ranges_of(&props.stop_job, &[], &versus);
    let ranking: Option<Ranking> = props.ranking_job.outcome().and_then(|o| {
        (o.configs == outage_sim::montecarlo::ranking_configs(&Config::none()))
            .then(|| ranking_from(&Config::none(), &o.aggregates))
    });
    let resolved = drill.exercise.injects.last();
    let ttd_record = Metric::TimeToDetect.value(&record).unwrap_or(0.0);
    let predicted = f64::from(props.prediction.detect_minutes) * MINUTE as f64;
    let error = predicted - ttd_record;
    let (p10, p90) = (
        Reference::quantile(reference.detect_ms, 0.1),
        Reference::quantile(reference.detect_ms, 0.9),
    );
    let catcher = reference.first_catcher();
    let open_with = |id: SafeguardId| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::SetMode(Mode::Explore));
            dispatch.dispatch(Action::Reset);
            dispatch.dispatch(Action::SetSafeguard(id, true));
            dispatch.dispatch(Action::Learn(LearnAction::Open(Page::App)));
        })
    };
    let restart = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let sure = gloo::utils::window()
                .confirm_with_message("Start the day again? Your debrief stays available through its result link only.")
                .unwrap_or(false);
            if sure {
                dispatch.dispatch(Action::Learn(LearnAction::Restart));
            }
        })
    };
    let whole_range = ranges.and_then(|r| {
        range_text(
            Effect::ServiceBack,
            &r.stats(Metric::TimeToMitigate),
            r.runs,
        )
    });
    html! {
        <section class="panel learn-debrief" data-testid="learn-debrief">
            <h2>{ if props.name.is_empty() { "Debrief".to_string() } else { format!("Debrief: {}", props.name) } }</h2>
            <div class="score-box">
                <p class="score" data-testid="learn-score" data-score={s.value.to_string()}>
                    <span class="score-value">{ s.value }</span><span class="score-of">{ " / 100" }</span>
                </p>
                <p class="score-why" data-testid="learn-score-why">{ explain(&reference, &s) }</p>
            </div>
            <h3>{ "Your day against the record" }</h3>
            <DayChartView chart={crate::learn::day_chart(drill.scenario, &day, &record)} />
            <div class="table-scroll">
            <table class="learn-timeline" data-testid="learn-timeline">
                <thead><tr><th>{ "Moment" }</th><th>{ "Your day" }</th><th>{ "The record" }</th><th>{ "Difference" }</th></tr></thead>
                <tbody>
                    { for moments(&day, &record).into_iter().map(|m| {
                        let cell = |t: Option<SimTime>| t.map(|t| hhmm(&drill, t)).unwrap_or_else(|| "—".into());
                        let diff = match (m.yours, m.record) {
                            (Some(a), Some(b)) if a != b => Effect::ServiceBack.describe((a - b) as f64),
                            (Some(_), Some(_)) => "same".into(),
                            _ => String::new(),
                        };
                        html! { <tr><th scope="row">{ m.label }</th><td>{ cell(m.yours) }</td><td>{ cell(m.record) }</td><td>{ diff }</td></tr> }
                    }) }
                </tbody>
            </table>
            </div>
            <p>
                { format!("Calendar events missed: {} in your day, {} in the record; lost for good: {} and {}. ",
                    crate::learn::group_count(day.events.missed as f64), crate::learn::group_count(record.events.missed as f64),
                    crate::learn::group_count(day.events.lost as f64), crate::learn::group_count(record.events.lost as f64)) }
                if let Some(range) = whole_range {
                    <span data-testid="learn-debrief-range">{ format!("Service back against the record's day: {range}.") }</span>
                } else if !versus.is_empty() {
                    <span class="muted">{ "Computing the range over simulated days…" }</span>
                }
            </p>
            if let Some(resolved) = resolved {
                <details class="record-says" open=true>
                    <summary>{ "What the record says" }</summary>
                    { for resolved.participant_text.iter().map(|p| html! { <p>{ p.text.clone() }</p> }) }
                </details>
            }
            <h3>{ "Your decisions" }</h3>
            <ol class="learn-decisions" data-testid="learn-decisions">
                { for props.decisions.iter().enumerate().map(|(k, d)| {
                    let c = drill.consequence(&props.decisions[..k], d);
                    let what = if c.changes.is_empty() {
                        c.why_nothing.clone().unwrap_or_default()
                    } else {
                        c.changes.iter().map(|c| format!("{} {}", c.effect.label().to_lowercase(), c.effect.describe(c.delta))).collect::<Vec<_>>().join("; ")
                    };
                    html! {
                        <li>
                            <span class="time">{ hhmm(&drill, d.at) }</span>{ " " }
                            <strong>{ d.choice.label() }</strong>{ format!(" ({}): {what}", d.confidence.label().to_lowercase()) }
                        </li>
                    }
                }) }
            </ol>
            <h3>{ "Your prediction" }</h3>
            <p data-testid="learn-prediction">
                { format!(
                    "You said someone would notice after {} min. In the simulated record it took {} min ({} {}): the record gives no time for when the service stopped, so this rests on the app's assumed start; over {} simulated record days the middle 80 % ran from {} to {} min.",
                    props.prediction.detect_minutes,
                    (ttd_record / MINUTE as f64).round(),
                    crate::learn::minutes_text(error.abs()),
                    if error < 0.0 { "short" } else { "over" },
                    crate::learn::group_count(reference.runs as f64),
                    (p10 / MINUTE as f64).round(),
                    (p90 / MINUTE as f64).round(),
                ) }
            </p>
            if let Some((d, share)) = catcher {
                <p>
                    { format!(
                        "You named {} as the first to catch it. With all five in place, the first to catch it was {} in {:.0} % of {} simulated days; yours caught it first in {:.0} %.",
                        detector_label(props.prediction.first_catch).to_lowercase(),
                        detector_label(d).to_lowercase(),
                        100.0 * share,
                        crate::learn::group_count(reference.first_catch_runs as f64),
                        100.0 * reference.share_of(props.prediction.first_catch),
                    ) }
                </p>
            }
            <h3>{ "Three take-aways" }</h3>
            if let Some(r) = ranking {
                <ol class="takeaways" data-testid="learn-takeaways">
                    { for r.values.iter().filter(|v| v.alone.error_budget_used_pct < r.baseline.error_budget_used_pct).take(3).map(|v| html! {
                        <li>
                            <strong>{ v.id.name() }</strong>{ format!(": {} ", v.id.summary()) }
                            { format!("Alone, it would have cut the error budget this outage used from {:.0} % to {:.0} % (mean over {} simulated days). ",
                                r.baseline.error_budget_used_pct, v.alone.error_budget_used_pct, crate::learn::group_count(crate::state::learn::RANKING_RUNS as f64)) }
                            <button type="button" class="link-button" onclick={open_with(v.id)} data-testid={format!("learn-takeaway-{}", v.id.id())}>
                                { "Open Explore with it on" }
                            </button>
                        </li>
                    }) }
                </ol>
            } else {
                <p class="muted">{ "Ranking the safeguards over simulated days…" }</p>
            }
            <ResultBox data={props.data.clone()} name={props.name.clone()} seed={props.seed} prediction={props.prediction}
                       decisions={props.decisions.clone()} read_only={props.read_only} />
            if !props.read_only {
                <button type="button" class="ghost-button" onclick={restart} data-testid="learn-restart">{ "Start the day again" }</button>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ResultBoxProps {
    data: DrillData,
    name: AttrValue,
    seed: u64,
    prediction: Prediction,
    decisions: Vec<Decision>,
    read_only: bool,
}

/// The result to send: a name, the link and the short code.
#[component]
fn ResultBox(props: &ResultBoxProps) -> Html {
    let dispatch = use_dispatch();
    let drill = props.data.drill();
    let link = crate::learn::result::encode_link(
        &drill,
        &props.name,
        props.seed,
        &props.prediction,
        &props.decisions,
    );
    let code = crate::learn::result::encode_code(
        &props.name,
        props.seed,
        &props.prediction,
        &props.decisions,
    );
    let location = gloo::utils::window().location();
    let href = format!(
        "{}{}#{link}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let copied = use_state_eq(|| false);
    let copy = {
        let (href, copied) = (href.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let clipboard = gloo::utils::window().navigator().clipboard();
            let (href, copied) = (href.clone(), copied.clone());
            spawn_local(async move {
                copied.set(JsFuture::from(clipboard.write_text(&href)).await.is_ok());
            });
        })
    };
    let on_name = Callback::from(move |e: InputEvent| {
        let name = e
            .target_unchecked_into::<web_sys::HtmlInputElement>()
            .value();
        dispatch.dispatch(Action::Learn(LearnAction::SetName(name)))
    });
    html! {
        <div class="result-box">
            <h3>{ if props.read_only { "This result" } else { "Send your result" } }</h3>
            if !props.read_only {
                <label class="field">
                    <span>{ "Your name, as your trainer will see it (optional)" }</span>
                    <input type="text" maxlength="40" value={props.name.clone()} oninput={on_name} data-testid="learn-name" />
                </label>
            }
            <label class="field">
                <span>{ "Result link: opens this debrief, read-only, exactly" }</span>
                <input type="text" readonly=true value={href.clone()} data-testid="learn-result-link" />
            </label>
            <p>
                <button type="button" class="ghost-button" onclick={copy} data-testid="learn-copy-result">{ "Copy the link" }</button>
                if *copied { <span role="status">{ " Copied." }</span> }
            </p>
            <p>{ "Or the short code: " }<code data-testid="learn-result-code">{ code }</code></p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DayChartProps {
    chart: crate::learn::DayChart,
}

/// The learner's day and the record on one time axis: the service down, the missed events
/// waiting to be replayed, when someone noticed, and the end.
#[component]
fn DayChartView(props: &DayChartProps) -> Html {
    const W: f64 = 1000.0;
    const LEFT: f64 = 110.0;
    let x = |f: f64| LEFT + f * (W - LEFT - 10.0);
    let lane_y = [46.0, 96.0];
    html! {
        <figure class="day-chart" data-testid="learn-day-chart">
            <svg viewBox="0 0 1000 140" role="img" aria-label="Your day and the record on one time axis: when the service was down, when missed events waited to be replayed, when someone noticed and when it was over">
                { for props.chart.ticks.iter().map(|(f, label)| html! {
                    <g class="tick">
                        <line x1={x(*f).to_string()} x2={x(*f).to_string()} y1="22" y2="122" />
                        <text x={x(*f).to_string()} y="15" text-anchor="middle">{ label.clone() }</text>
                    </g>
                }) }
                { for props.chart.lanes.iter().zip(lane_y).enumerate().map(|(k, (lane, y))| html! {
                    <g class={classes!("lane", if k == 0 { "yours" } else { "record" })}>
                        <text class="lane-label" x="0" y={(y + 5.0).to_string()}>{ lane.label }</text>
                        <line class="lane-line" x1={LEFT.to_string()} x2={(W - 10.0).to_string()} y1={y.to_string()} y2={y.to_string()} />
                        if let Some((a, b)) = lane.down {
                            <rect class="down" x={x(a).to_string()} y={(y - 9.0).to_string()} width={(x(b) - x(a)).max(1.0).to_string()} height="18" rx="3">
                                <title>{ "The service down" }</title>
                            </rect>
                        }
                        if let Some((a, b)) = lane.replay {
                            <rect class="replay" x={x(a).to_string()} y={(y - 5.0).to_string()} width={(x(b) - x(a)).max(1.0).to_string()} height="10" rx="3">
                                <title>{ "Missed events waiting to be replayed" }</title>
                            </rect>
                        }
                        if let Some(n) = lane.noticed {
                            <path class="noticed" d={format!("M {} {} l 7 7 l -7 7 l -7 -7 z", x(n), y - 7.0)}><title>{ "Someone notices" }</title></path>
                        }
                        if let Some(r) = lane.resolved {
                            <line class="resolved" x1={x(r).to_string()} x2={x(r).to_string()} y1={(y - 13.0).to_string()} y2={(y + 13.0).to_string()}><title>{ "Resolved" }</title></line>
                        }
                    </g>
                }) }
            </svg>
            <figcaption class="chart-key">
                <span class="key down">{ "service down" }</span>
                <span class="key replay">{ "missed events waiting to be replayed" }</span>
                <span class="key noticed">{ "someone notices" }</span>
                <span class="key resolved">{ "resolved" }</span>
            </figcaption>
        </figure>
    }
}
