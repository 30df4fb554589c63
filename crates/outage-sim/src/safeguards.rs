//! The safeguards: their stable ids, what each models, their parameters (units, ranges,
//! defaults and where each default comes from), and a `Config` saying which are on with which
//! values.
//!
//! Everything about a safeguard is written once, in the `catalog!` table below. From it come
//! the id enum, the catalog the command line and the app list (`ParamSpec`), the string-keyed
//! accessors they use (`Config::value`, `Config::set`, `--with ID:key=value`), and one typed
//! parameter struct per safeguard (`params::UptimeCheck { interval_s, retries, … }`) that the
//! plan reads, so no code looks a parameter up by its name.

use serde::Serialize;
use strum::{EnumCount, EnumString, IntoStaticStr, VariantArray, VariantNames};

use crate::provenance::Provenance;
use crate::scenario::{AssumptionId, StepId};

/// Which part of the incident a safeguard acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, EnumCount, VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Prevent,
    Contain,
    Detect,
    Respond,
    Recover,
    Communicate,
}

impl Stage {
    pub const ALL: [Stage; Stage::COUNT] = crate::all_variants!(Stage);

    pub fn label(self) -> &'static str {
        match self {
            Stage::Prevent => "Prevent",
            Stage::Contain => "Contain",
            Stage::Detect => "Detect",
            Stage::Respond => "Respond",
            Stage::Recover => "Recover",
            Stage::Communicate => "Communicate",
        }
    }
}

/// The kind of a parameter value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A duration in seconds.
    Seconds,
    /// A whole number.
    Count,
    /// A probability in [0, 1].
    Probability,
    /// A ratio such as an SLO target or a share of sites.
    Ratio,
    /// One of named choices; the value is the index into `choices`.
    Choice,
}

/// The kind of a default's provenance (static form of `Provenance`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The modelled tool's documented default, for the situation the safeguard models.
    Cited,
    /// A stated guess; `ParamSpec::based_on` names what it rests on, when anything.
    Assumption,
}

/// A parameter that cannot apply with the configuration's other values (see `Config::notes`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamNote {
    pub safeguard: SafeguardId,
    pub key: &'static str,
    pub why: String,
}

impl std::fmt::Display for ParamNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} {}", self.safeguard.id(), self.key, self.why)
    }
}

/// A parameter of a safeguard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: ParamKind,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// Names of the choices of a `Choice` parameter.
    pub choices: &'static [&'static str],
    pub source: Source,
    pub source_note: &'static str,
    /// What an assumed default is based on (a tool's default elsewhere, a book's example);
    /// empty when nothing more specific.
    pub based_on: &'static str,
    pub help: &'static str,
}

/// Where an SLO burn-rate alert measures its indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumCount, VariantArray, VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum MeasuredAt {
    /// At the load balancer: requests to a missing service count as errors.
    Edge,
    /// At the service itself: its metrics disappear with it.
    Service,
}

/// A typed parameter value, stored in a `Config` as an `f64`.
pub trait ParamValue: Copy {
    /// The names of the choices, for a choice type.
    const CHOICES: &'static [&'static str] = &[];
    fn from_value(value: f64) -> Self;
    fn to_value(self) -> f64;
}

impl ParamValue for f64 {
    fn from_value(value: f64) -> f64 {
        value
    }
    fn to_value(self) -> f64 {
        self
    }
}

impl ParamValue for u32 {
    fn from_value(value: f64) -> u32 {
        // Checked whole and in range when set; `as` saturates, never wraps.
        value as u32
    }
    fn to_value(self) -> f64 {
        f64::from(self)
    }
}

impl ParamValue for MeasuredAt {
    const CHOICES: &'static [&'static str] = <MeasuredAt as VariantNames>::VARIANTS;
    fn from_value(value: f64) -> MeasuredAt {
        let all = <MeasuredAt as VariantArray>::VARIANTS;
        all[(value as usize).min(all.len() - 1)]
    }
    fn to_value(self) -> f64 {
        self as usize as f64
    }
}

const fn max_len(lengths: &[usize]) -> usize {
    let mut max = 0;
    let mut i = 0;
    while i < lengths.len() {
        if lengths[i] > max {
            max = lengths[i];
        }
        i += 1;
    }
    max
}

/// Writes the safeguard catalog from one table. Per safeguard: its variant, its id (also the
/// field name in `Typed`), name, stage, one-line summary, the scenario steps and assumptions
/// it brings into play, and its parameters, each with a Rust type, a kind with (default, min,
/// max), and its words.
macro_rules! catalog {
    ($(
        $variant:ident {
            id: $field:ident,
            name: $name:literal,
            stage: $stage:ident,
            summary: $summary:literal,
            uses: [$($step:ident),*] [$($assumption:ident),*],
            params: {$(
                $key:ident: $ty:ty = $kind:ident($default:expr, $min:expr, $max:expr) {
                    label: $label:literal,
                    source: $source:ident,
                    note: $note:literal,
                    based_on: $based:literal,
                    help: $help:literal $(,)?
                }
            ),* $(,)?} $(,)?
        }
    ),* $(,)?) => {
        /// The stable id of a safeguard (used in URLs, on the command line and in JSON).
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize,
            EnumCount, EnumString, IntoStaticStr, VariantArray,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum SafeguardId {
            $($variant),*
        }

        impl SafeguardId {
            /// A short name for people.
            pub fn name(self) -> &'static str {
                match self { $(SafeguardId::$variant => $name),* }
            }

            /// One line: what it models and what it changes.
            pub fn summary(self) -> &'static str {
                match self { $(SafeguardId::$variant => $summary),* }
            }

            pub fn stage(self) -> Stage {
                match self { $(SafeguardId::$variant => Stage::$stage),* }
            }

            /// The scenario's own delays this safeguard brings into play (an alert waiting in a
            /// chat channel, a diagnosis that starts from the change): shown with it, because
            /// they are assumptions of the scenario, not parameters of the safeguard.
            pub fn scenario_steps(self) -> &'static [StepId] {
                match self { $(SafeguardId::$variant => &[$(StepId::$step),*]),* }
            }

            /// The scenario's assumptions this safeguard brings into play.
            pub fn scenario_assumptions(self) -> &'static [AssumptionId] {
                match self { $(SafeguardId::$variant => &[$(AssumptionId::$assumption),*]),* }
            }

            pub fn params(self) -> &'static [ParamSpec] {
                match self {
                    $(SafeguardId::$variant => {
                        const PARAMS: &[ParamSpec] = &[$(ParamSpec {
                            key: stringify!($key),
                            label: $label,
                            kind: ParamKind::$kind,
                            default: $default,
                            min: $min,
                            max: $max,
                            choices: <$ty as ParamValue>::CHOICES,
                            source: Source::$source,
                            source_note: $note,
                            based_on: $based,
                            help: $help,
                        }),*];
                        PARAMS
                    })*
                }
            }
        }

        /// The most parameters any safeguard has.
        pub const MAX_PARAMS: usize = max_len(&[$([$(stringify!($key)),*].len()),*]);

        /// One typed parameter struct per safeguard, in the units of the catalog (seconds,
        /// counts, probabilities), as `Config::typed` reads them.
        pub mod params {
            #[allow(unused_imports)]
            use super::{MeasuredAt, ParamValue, Params};
            $(
                #[doc = concat!("The parameters of `", stringify!($field), "`.")]
                #[derive(Clone, Copy, Debug, PartialEq)]
                pub struct $variant {
                    $(#[doc = $label] pub $key: $ty,)*
                }

                impl $variant {
                    /// Reads the values stored in catalog order.
                    pub fn from_params(params: &Params) -> $variant {
                        #[allow(unused_mut, unused_variables)]
                        let mut values = params.0.iter().copied();
                        $variant {
                            $($key: <$ty as ParamValue>::from_value(values.next().unwrap_or(0.0)),)*
                        }
                    }
                }
            )*
        }

        /// Every safeguard's typed parameters, `None` when it is off.
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        pub struct Typed {
            $(pub $field: Option<params::$variant>,)*
        }

        impl Config {
            /// The configuration as typed parameter structs.
            pub fn typed(&self) -> Typed {
                Typed {
                    $($field: self.params(SafeguardId::$variant).map(params::$variant::from_params),)*
                }
            }
        }

        #[cfg(test)]
        const FIELD_IDS: &[(SafeguardId, &str)] = &[$((SafeguardId::$variant, stringify!($field))),*];
    };
}

catalog! {
    Review {
        id: review,
        name: "Required review",
        stage: Prevent,
        summary: "Production changes need a second pair of eyes, who may catch the deletion before it merges.",
        uses: [] [],
        params: {
            catch_probability: f64 = Probability(0.5, 0.0, 1.0) {
                label: "Reviewer spots the deletion",
                source: Assumption,
                note: "A reviewer reading a GitOps diff notices that it deletes a production service about half the time; large generated diffs hide deletions. The other half is the chance review is bypassed in effect.",
                based_on: "",
                help: "Chance that review stops the pull request before it merges.",
            },
        },
    },
    DeletionGuard {
        id: deletion_guard,
        name: "Deletion guard",
        stage: Prevent,
        summary: "A policy check refuses to delete a production service without explicit approval; an approved override still gets through.",
        uses: [] [],
        params: {
            block_probability: f64 = Probability(0.95, 0.0, 1.0) {
                label: "Policy blocks the merge",
                source: Assumption,
                note: "A policy check on deleted production resources blocks unless someone approves an override; 5 % of the time the override is approved or the rule does not match.",
                based_on: "a policy-as-code rule in CI, such as an OPA/Conftest check",
                help: "Chance that the check blocks the merge (the rest is the chance it is bypassed).",
            },
        },
    },
    PruneProtection {
        id: prune_protection,
        name: "Prune protection",
        stage: Prevent,
        summary: "GitOps does not delete live resources; it reports the drift and the service stays up, unless someone syncs with prune by hand or deletes the application.",
        uses: [] [],
        params: {
            bypass_probability: f64 = Probability(0.05, 0.0, 1.0) {
                label: "Deletion gets through anyway",
                source: Assumption,
                note: "Someone who sees the drift may run a manual sync with prune, or delete and recreate the application (which deletes its resources): one time in twenty is a guess.",
                based_on: "Argo CD's automated sync, which by default does not delete resources removed from Git, while a manual sync with pruning does",
                help: "Chance that the service is deleted despite the protection.",
            },
        },
    },
    Canary {
        id: canary,
        name: "Staged rollout",
        stage: Contain,
        summary: "The change reaches sites in waves; automated analysis of each wave can halt the rollout and roll the hit wave back. A deletion by prune takes the service from a whole wave at once: it is a staged rollout by sites, not a traffic-weighted canary.",
        uses: [ChatNotice] [],
        params: {
            first_wave_share: f64 = Ratio(0.1, 0.01, 1.0) {
                label: "Sites in the first wave",
                source: Assumption,
                note: "A first wave of about a tenth of the sites; the remaining waves split the rest evenly.",
                based_on: "progressive sync across clusters, which starts with a small group",
                help: "Share of sites the change reaches first.",
            },
            waves: u32 = Count(3.0, 1.0, 10.0) {
                label: "Waves",
                source: Assumption,
                note: "Three waves: a first small one, then two halves of the rest.",
                based_on: "",
                help: "Number of waves the sites are split into (1 = all at once).",
            },
            wave_interval_s: f64 = Seconds(600.0, 60.0, 86_400.0) {
                label: "Time before the next wave",
                source: Assumption,
                note: "Each wave runs ten minutes before the next is synced.",
                based_on: "",
                help: "How long a wave runs, under analysis, before the next wave gets the change.",
            },
            interval_s: f64 = Seconds(60.0, 10.0, 3_600.0) {
                label: "Analysis interval",
                source: Assumption,
                note: "The analysis checks the wave's error rate every minute.",
                based_on: "Flagger's default canary analysis interval (60 s)",
                help: "Time between two measurements of the analysis.",
            },
            failure_threshold: u32 = Count(5.0, 1.0, 20.0) {
                label: "Failed checks before abort",
                source: Assumption,
                note: "The rollout is aborted at the fifth failed measurement, so the analysis takes at least interval × failed checks.",
                based_on: "the failed-check threshold of 5 in Flagger's documented examples",
                help: "Failed measurements that abort the rollout; the abort comes at the earliest interval × this after the wave is hit, later when checks pass by chance.",
            },
            check_failure_probability: f64 = Probability(0.8, 0.0, 1.0) {
                label: "A check fails while the wave is broken",
                source: Assumption,
                note: "The wave's error rate is a noisy signal (few calendar syncs per minute on a tenth of the sites): a check during the breakage fails four times in five. The first check falls anywhere in its interval.",
                based_on: "",
                help: "Chance that one measurement of the broken wave fails; with the threshold and the interval it spreads the time to abort.",
            },
            detect_probability: f64 = Probability(0.9, 0.0, 1.0) {
                label: "Analysis covers the calendar sync",
                source: Assumption,
                note: "The analysis compares the wave's errors with the sites not yet updated; a missing service fails every request sent to it, but the analysis may not watch the calendar sync at all.",
                based_on: "",
                help: "Chance that the analysis measures what the deletion breaks.",
            },
        },
    },
    UptimeCheck {
        id: uptime_check,
        name: "Uptime check",
        stage: Detect,
        summary: "An external synthetic check calls the service every interval; a failed check with no retries left marks it down. The fix the postmortem reports.",
        uses: [ChatNotice, ReinstateKnownCause] [ChangeCueHalfLifeS],
        params: {
            interval_s: f64 = Seconds(60.0, 10.0, 3_600.0) {
                label: "Check interval",
                source: Cited,
                note: "Uptime Kuma's default heartbeat interval is 60 s.",
                based_on: "",
                help: "Time between two checks while the service is up.",
            },
            retries: u32 = Count(0.0, 0.0, 10.0) {
                label: "Retries before down",
                source: Cited,
                note: "Uptime Kuma's default: 0 retries (the first failed check marks the monitor down).",
                based_on: "",
                help: "Failed checks that only mark the monitor pending before one marks it down.",
            },
            retry_interval_s: f64 = Seconds(60.0, 10.0, 3_600.0) {
                label: "Retry interval",
                source: Cited,
                note: "Uptime Kuma's default heartbeat retry interval is 60 s.",
                based_on: "",
                help: "Time to the next check after a failed check that had retries left.",
            },
        },
    },
    SloBurnAlert {
        id: slo_burn_alert,
        name: "SLO burn-rate alert",
        stage: Detect,
        summary: "Multiwindow, multi-burn-rate alert on the scenario's availability SLO (its slo_target assumption). At the edge it fires one to two minutes into the outage (at the scenario's SLO target, 99.9 % by default, the hour window's error ratio passes 14.4 times the budget's rate after about 52 s, then the next rule evaluation); at the service its metrics vanish with it and it never fires.",
        uses: [ChatNotice, ReinstateKnownCause] [SloTarget, ChangeCueHalfLifeS],
        params: {
            measured_at: MeasuredAt = Choice(0.0, 0.0, 1.0) {
                label: "Measured at",
                source: Assumption,
                note: "Where the SLI is measured is a design choice: at the edge (load balancer) requests to a missing service count as errors; at the service, its metrics vanish with it.",
                based_on: "",
                help: "edge: the load balancer sees failed requests. service: the service's own metrics, which disappear with it.",
            },
            eval_interval_s: f64 = Seconds(60.0, 0.0, 600.0) {
                label: "Rule evaluation interval",
                source: Cited,
                note: "Prometheus's default evaluation_interval is 1 minute; 0 evaluates continuously.",
                based_on: "",
                help: "How often the alert rules are evaluated (0 = continuously).",
            },
        },
    },
    AbsentAlert {
        id: absent_alert,
        name: "Absent-metrics alert",
        stage: Detect,
        summary: "Alerts when the service's metrics disappear, after its `for` window.",
        uses: [ChatNotice, ReinstateKnownCause] [ChangeCueHalfLifeS],
        params: {
            scrape_interval_s: f64 = Seconds(60.0, 1.0, 600.0) {
                label: "Scrape interval",
                source: Cited,
                note: "Prometheus's default scrape_interval is 1 minute.",
                based_on: "",
                help: "The first scrape after the service is gone finds no target and marks its series stale.",
            },
            eval_interval_s: f64 = Seconds(60.0, 1.0, 600.0) {
                label: "Rule evaluation interval",
                source: Cited,
                note: "Prometheus's default evaluation_interval is 1 minute.",
                based_on: "",
                help: "How often absent() is evaluated.",
            },
            for_s: f64 = Seconds(300.0, 0.0, 3_600.0) {
                label: "Pending for",
                source: Assumption,
                note: "A `for: 5m` clause is common on absent() alerts, to ride out restarts.",
                based_on: "",
                help: "How long absent() must hold before the alert fires.",
            },
        },
    },
    DeployNotice {
        id: deploy_notice,
        name: "Deploy notice",
        stage: Detect,
        summary: "The deploy bot posts 'resource deleted in production' to the team channel; someone may read it, and then the cue names the change.",
        uses: [ReinstateKnownCause] [],
        params: {
            read_probability: f64 = Probability(0.3, 0.0, 1.0) {
                label: "Someone reads it and acts",
                source: Assumption,
                note: "A bot message among many in a busy channel; most are skimmed past.",
                based_on: "",
                help: "Chance that someone reads the bot's post and realises the deletion was a mistake.",
            },
            read_delay_s: f64 = Seconds(900.0, 10.0, 86_400.0) {
                label: "Time to read (median)",
                source: Assumption,
                note: "Fifteen minutes for a channel message to be read in a working afternoon (the same guess as for alerts in a channel).",
                based_on: "",
                help: "Median time from the post to someone acting on it.",
            },
        },
    },
    AutoPage {
        id: auto_page,
        name: "Automatic paging",
        stage: Respond,
        summary: "Alerts page on-call through an escalation policy instead of waiting in a channel. Escalation adds people: a level already paged can still acknowledge after the page moves on.",
        uses: [ChatNotice] [],
        params: {
            levels: u32 = Count(2.0, 1.0, 5.0) {
                label: "Escalation levels",
                source: Assumption,
                note: "Primary then secondary on-call.",
                based_on: "",
                help: "Levels of the escalation policy, each paged in turn.",
            },
            timeout_s: f64 = Seconds(1_800.0, 60.0, 7_200.0) {
                label: "Escalation timeout",
                source: Cited,
                note: "PagerDuty escalation policies escalate after 30 minutes unless set otherwise.",
                based_on: "",
                help: "Time a level has before the next level is also paged; a level that never answers costs all of it.",
            },
            answer_probability: f64 = Probability(0.9, 0.0, 1.0) {
                label: "Each level answers",
                source: Assumption,
                note: "An on-call person answers nine pages out of ten.",
                based_on: "",
                help: "Chance that a paged level acknowledges at all (before or after the page escalates).",
            },
            ack_delay_s: f64 = Seconds(240.0, 10.0, 3_600.0) {
                label: "Time to acknowledge (median)",
                source: Assumption,
                note: "A few minutes to see the page and acknowledge it.",
                based_on: "",
                help: "Median delay of an acknowledgement by a level that answers.",
            },
        },
    },
    RollbackRunbook {
        id: rollback_runbook,
        name: "Rollback runbook",
        stage: Respond,
        summary: "A one-step revert of the last merge: minutes instead of an hour of diagnosis and redeploy.",
        uses: [] [],
        params: {
            revert_s: f64 = Seconds(600.0, 60.0, 7_200.0) {
                label: "Diagnose and revert (median)",
                source: Assumption,
                note: "A written one-step revert of the last merge takes minutes, not the recorded 75 minutes of diagnosis and manual reinstatement.",
                based_on: "",
                help: "Median time from gathered responders to the service restored.",
            },
        },
    },
    AutoRollback {
        id: auto_rollback,
        name: "Automatic rollback",
        stage: Respond,
        summary: "A monitor alert soon after a deploy reverts it automatically: mitigation without people.",
        uses: [] [],
        params: {
            window_s: f64 = Seconds(3_600.0, 60.0, 86_400.0) {
                label: "Window after a deploy",
                source: Assumption,
                note: "An alert within an hour of a deploy is blamed on it.",
                based_on: "",
                help: "A monitor alert this soon after the deploy reverts it automatically.",
            },
            revert_s: f64 = Seconds(180.0, 10.0, 3_600.0) {
                label: "Revert applied within",
                source: Assumption,
                note: "The revert commit is applied at the next poll of the GitOps controller; Eptura's tooling and its poll interval are not in the record.",
                based_on: "Argo CD's default reconciliation interval (timeout.reconciliation: 180s)",
                help: "The revert lands uniformly within this time after the alert.",
            },
        },
    },
    AutoReplay {
        id: auto_replay,
        name: "Automatic replay",
        stage: Recover,
        summary: "On restore, missed events are backfilled automatically and idempotently: no request, no duplicates. It re-reads the gap when it starts, so its duration changes when data is back, not what is lost.",
        uses: [] [ReplayHorizonS],
        params: {
            duration_s: f64 = Seconds(300.0, 10.0, 7_200.0) {
                label: "Backfill duration",
                source: Assumption,
                note: "An automated, idempotent backfill of the gap from Exchange takes a few minutes at the scenario's reference volume (its sites × events per site); it scales with the sites affected and the events per site.",
                based_on: "",
                help: "Time from restore to missed events recovered, at the reference volume.",
            },
        },
    },
    StatusAutomation {
        id: status_automation,
        name: "Status automation",
        stage: Communicate,
        summary: "The status page posts when the page fires: the first customer message comes earlier.",
        uses: [] [],
        params: {
            delay_s: f64 = Seconds(60.0, 0.0, 1_800.0) {
                label: "Post delay",
                source: Assumption,
                note: "A status-page integration posts a templated incident about a minute after the page.",
                based_on: "",
                help: "Time from the page to the first status-page post.",
            },
        },
    },
}

impl ParamSpec {
    pub fn provenance(&self) -> Provenance {
        match self.source {
            Source::Cited => Provenance::Cited {
                note: self.source_note.to_string(),
            },
            Source::Assumption => Provenance::Assumption {
                note: self.source_note.to_string(),
                based_on: (!self.based_on.is_empty()).then(|| self.based_on.to_string()),
            },
        }
    }

    /// A value as text: `edge`, `60`, `0.9`.
    pub fn format(&self, value: f64) -> String {
        match self.kind {
            ParamKind::Choice => self
                .choices
                .get(value as usize)
                .copied()
                .unwrap_or("?")
                .to_string(),
            ParamKind::Count => format!("{}", value as i64),
            _ => crate::numfmt::trimmed(value, 6),
        }
    }

    /// A value exactly, as `--with` and links write it: a choice's name, a whole count, or the
    /// shortest decimal that reads back as the same number (`0.999999999999999`, not `1`).
    pub fn exact(&self, value: f64) -> String {
        match self.kind {
            ParamKind::Choice | ParamKind::Count => self.format(value),
            _ => format!("{value}"),
        }
    }

    /// The unit shown after a value.
    pub fn unit(&self) -> &'static str {
        match self.kind {
            ParamKind::Seconds => "s",
            ParamKind::Count | ParamKind::Choice | ParamKind::Ratio => "",
            ParamKind::Probability => "probability",
        }
    }

    /// Parses and checks a value given as text.
    pub fn parse(&self, safeguard: SafeguardId, text: &str) -> Result<f64, ConfigError> {
        let text = text.trim();
        let value = if self.kind == ParamKind::Choice {
            match self.choices.iter().position(|c| *c == text) {
                Some(i) => i as f64,
                None => {
                    return Err(ConfigError::BadChoice {
                        safeguard: safeguard.id(),
                        key: self.key,
                        value: text.to_string(),
                        choices: self.choices.join(", "),
                    })
                }
            }
        } else {
            crate::numfmt::parse_decimal(text).ok_or_else(|| ConfigError::NotANumber {
                safeguard: safeguard.id(),
                key: self.key,
                value: text.to_string(),
            })?
        };
        self.check(safeguard, value)?;
        Ok(value)
    }

    /// Checks a value against the parameter's kind and range.
    pub fn check(&self, safeguard: SafeguardId, value: f64) -> Result<(), ConfigError> {
        if !value.is_finite() {
            return Err(ConfigError::NotANumber {
                safeguard: safeguard.id(),
                key: self.key,
                value: crate::numfmt::trimmed(value, 6),
            });
        }
        if matches!(self.kind, ParamKind::Count | ParamKind::Choice) && value.fract() != 0.0 {
            return Err(ConfigError::NotWhole {
                safeguard: safeguard.id(),
                key: self.key,
                value: crate::numfmt::trimmed(value, 6),
            });
        }
        if value < self.min || value > self.max {
            return Err(ConfigError::OutOfRange {
                safeguard: safeguard.id(),
                key: self.key,
                // Exactly as given: 1.0000000000001 is not "1".
                value: self.exact(value),
                min: self.format(self.min),
                max: self.format(self.max),
                unit: self.unit(),
            });
        }
        Ok(())
    }
}

/// A problem with a safeguard configuration, naming the safeguard, the parameter and the rule.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown safeguard '{0}' (known: {known})", known = SafeguardId::ALL.map(|s| s.id()).join(", "))]
    UnknownSafeguard(String),
    #[error("safeguard '{safeguard}' has no parameter '{key}' (it has: {known})")]
    UnknownParam {
        safeguard: &'static str,
        key: String,
        known: String,
    },
    #[error("{safeguard}.{key}: '{value}' is not a number")]
    NotANumber {
        safeguard: &'static str,
        key: &'static str,
        value: String,
    },
    #[error("{safeguard}.{key}: {value} must be a whole number")]
    NotWhole {
        safeguard: &'static str,
        key: &'static str,
        value: String,
    },
    #[error("{safeguard}.{key}: {value} is out of range (allowed {min} to {max}{sep}{unit})", sep = if unit.is_empty() { "" } else { " " })]
    OutOfRange {
        safeguard: &'static str,
        key: &'static str,
        value: String,
        min: String,
        max: String,
        unit: &'static str,
    },
    #[error("{safeguard}.{key}: '{value}' is not one of: {choices}")]
    BadChoice {
        safeguard: &'static str,
        key: &'static str,
        value: String,
        choices: String,
    },
    #[error("'{0}' is not of the form ID or ID:key=value,key=value")]
    Syntax(String),
    #[error("safeguard '{0}' is given twice")]
    Duplicate(&'static str),
    #[error("{0}")]
    Repeated(Repeated),
}

/// A parameter given more than once in one `--with` item (`interval_s=60,interval_s=30`): the
/// first value is the one used.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeated {
    pub safeguard: &'static str,
    pub key: String,
    pub kept: String,
    pub ignored: String,
}

impl std::fmt::Display for Repeated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{} is given more than once: the first value ({}) is used, not {}",
            self.safeguard, self.key, self.kept, self.ignored
        )
    }
}

impl SafeguardId {
    pub const ALL: [SafeguardId; SafeguardId::COUNT] = crate::all_variants!(SafeguardId);

    pub fn index(self) -> usize {
        self as usize
    }

    /// The id used in URLs, on the command line and in JSON (`uptime_check`).
    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn from_id(id: &str) -> Option<SafeguardId> {
        id.parse().ok()
    }

    /// True for the safeguards that add a detector (used by the monotonicity property).
    pub fn is_detector(self) -> bool {
        self.stage() == Stage::Detect
    }

    /// True for the safeguards that can stop the outage from happening at all.
    pub fn is_preventer(self) -> bool {
        self.stage() == Stage::Prevent
    }

    pub fn param(self, key: &str) -> Option<(usize, &'static ParamSpec)> {
        self.params().iter().enumerate().find(|(_, p)| p.key == key)
    }
}

/// The parameter values of one enabled safeguard, indexed like `SafeguardId::params()`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params(pub [f64; MAX_PARAMS]);

impl Params {
    pub fn defaults(id: SafeguardId) -> Params {
        let mut values = [0.0; MAX_PARAMS];
        for (slot, spec) in values.iter_mut().zip(id.params()) {
            *slot = spec.default;
        }
        Params(values)
    }
}

/// Which safeguards are on, with their parameter values. `Config::default()` is the incident
/// as it happened: nothing on.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Config {
    slots: [Option<Params>; SafeguardId::COUNT],
}

impl Config {
    /// No safeguard: the incident as it happened.
    pub fn none() -> Config {
        Config::default()
    }

    /// The given safeguards with their defaults.
    pub fn with_defaults(ids: &[SafeguardId]) -> Config {
        let mut c = Config::none();
        for &id in ids {
            c.enable(id);
        }
        c
    }

    /// Every safeguard with its defaults.
    pub fn all() -> Config {
        Config::with_defaults(&SafeguardId::ALL)
    }

    /// One safeguard alone, with the parameters it has in `full` (its defaults if `full` does
    /// not have it): what a ranking and the sensitivity run to give a safeguard's value alone.
    pub fn alone_from(full: &Config, id: SafeguardId) -> Config {
        let mut alone = Config::none();
        alone.slots[id.index()] =
            Some(full.slots[id.index()].unwrap_or_else(|| Params::defaults(id)));
        alone
    }

    /// Switches a safeguard on with its defaults (keeps its values if already on).
    pub fn enable(&mut self, id: SafeguardId) {
        if self.slots[id.index()].is_none() {
            self.slots[id.index()] = Some(Params::defaults(id));
        }
    }

    pub fn disable(&mut self, id: SafeguardId) {
        self.slots[id.index()] = None;
    }

    pub fn set_enabled(&mut self, id: SafeguardId, on: bool) {
        if on {
            self.enable(id)
        } else {
            self.disable(id)
        }
    }

    pub fn is_enabled(&self, id: SafeguardId) -> bool {
        self.slots[id.index()].is_some()
    }

    pub fn params(&self, id: SafeguardId) -> Option<&Params> {
        self.slots[id.index()].as_ref()
    }

    /// The enabled safeguards in catalog order.
    pub fn enabled(&self) -> impl Iterator<Item = SafeguardId> + '_ {
        SafeguardId::ALL
            .into_iter()
            .filter(|id| self.is_enabled(*id))
    }

    pub fn is_empty(&self) -> bool {
        self.enabled().next().is_none()
    }

    /// A parameter's value: the configured one if the safeguard is on, else its default.
    pub fn value(&self, id: SafeguardId, key: &str) -> Option<f64> {
        let (i, spec) = id.param(key)?;
        Some(self.params(id).map(|p| p.0[i]).unwrap_or(spec.default))
    }

    /// Sets a parameter (switching the safeguard on), checking it against its range.
    pub fn set(&mut self, id: SafeguardId, key: &str, value: f64) -> Result<(), ConfigError> {
        let (i, spec) = id.param(key).ok_or_else(|| unknown_param(id, key))?;
        spec.check(id, value)?;
        self.enable(id);
        if let Some(p) = self.slots[id.index()].as_mut() {
            p.0[i] = value;
        }
        Ok(())
    }

    /// Applies one `ID` or `ID:key=value,key=value` item, as given to `--with`. A parameter
    /// given more than once keeps its first value; the repeats are returned, so that the caller
    /// says so (a link names them in its notice, the command line refuses them). Nothing is
    /// applied when the item has an error.
    pub fn apply_spec(&mut self, item: &str) -> Result<(SafeguardId, Vec<Repeated>), ConfigError> {
        let item = item.trim();
        let (id_text, rest) = match item.split_once(':') {
            Some((id, rest)) => (id.trim(), Some(rest)),
            None => (item, None),
        };
        let id = SafeguardId::from_id(id_text)
            .ok_or_else(|| ConfigError::UnknownSafeguard(id_text.to_string()))?;
        let mut next = *self;
        next.enable(id);
        let mut given: Vec<(&str, &str)> = Vec::new();
        let mut repeated = Vec::new();
        for pair in rest
            .unwrap_or("")
            .split(',')
            .filter(|p| !p.trim().is_empty())
        {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| ConfigError::Syntax(item.to_string()))?;
            let (key, value) = (key.trim(), value.trim());
            let (_, spec) = id.param(key).ok_or_else(|| unknown_param(id, key))?;
            let parsed = spec.parse(id, value)?;
            match given.iter().find(|(k, _)| *k == key) {
                Some((_, kept)) => repeated.push(Repeated {
                    safeguard: id.id(),
                    key: key.to_string(),
                    kept: kept.to_string(),
                    ignored: value.to_string(),
                }),
                None => {
                    given.push((key, value));
                    next.set(id, key, parsed)?;
                }
            }
        }
        *self = next;
        Ok((id, repeated))
    }

    /// Builds a configuration from `--with` items, strictly: a safeguard named twice, or a
    /// parameter given twice in one item, is refused.
    pub fn from_specs<S: AsRef<str>>(items: &[S]) -> Result<Config, ConfigError> {
        let mut config = Config::none();
        for item in items {
            let before = config;
            let (id, repeated) = config.apply_spec(item.as_ref())?;
            if before.is_enabled(id) {
                return Err(ConfigError::Duplicate(id.id()));
            }
            if let Some(r) = repeated.into_iter().next() {
                return Err(ConfigError::Repeated(r));
            }
        }
        Ok(config)
    }

    /// The parameters that cannot apply with the others' values, each with why: said beside
    /// the configuration rather than silently ignored.
    pub fn notes(&self) -> Vec<ParamNote> {
        let mut out = Vec::new();
        let mut note = |safeguard, key, why: String| {
            out.push(ParamNote {
                safeguard,
                key,
                why,
            })
        };
        let value = |id, key| self.value(id, key).unwrap_or(0.0);
        if self.is_enabled(SafeguardId::Canary) && value(SafeguardId::Canary, "waves") <= 1.0 {
            note(
                SafeguardId::Canary,
                "first_wave_share",
                "has no effect with one wave: the one wave is every site, all at once".into(),
            );
        }
        if self.is_enabled(SafeguardId::UptimeCheck)
            && value(SafeguardId::UptimeCheck, "retries") == 0.0
        {
            note(
                SafeguardId::UptimeCheck,
                "retry_interval_s",
                "has no effect with no retries: the first failed check marks the service down"
                    .into(),
            );
        }
        if self.is_enabled(SafeguardId::AutoPage) && value(SafeguardId::AutoPage, "levels") <= 1.0 {
            note(
                SafeguardId::AutoPage,
                "timeout_s",
                "with one level only ends the escalation policy: nobody else is paged".into(),
            );
        }
        out
    }

    /// The canonical `--with` items of this configuration, non-default values only, each
    /// written exactly (`ParamSpec::exact`): the command line, links and reports write them
    /// this one way.
    pub fn to_specs(&self) -> Vec<String> {
        SafeguardId::ALL
            .into_iter()
            .filter_map(|id| Some((id, self.params(id)?)))
            .map(|(id, params)| {
                let changed: Vec<String> = id
                    .params()
                    .iter()
                    .zip(params.0)
                    .filter(|(spec, v)| *v != spec.default)
                    .map(|(spec, v)| format!("{}={}", spec.key, spec.exact(v)))
                    .collect();
                if changed.is_empty() {
                    id.id().to_string()
                } else {
                    format!("{}:{}", id.id(), changed.join(","))
                }
            })
            .collect()
    }
}

fn unknown_param(id: SafeguardId, key: &str) -> ConfigError {
    let known: Vec<&str> = id.params().iter().map(|p| p.key).collect();
    ConfigError::UnknownParam {
        safeguard: id.id(),
        key: key.to_string(),
        known: if known.is_empty() {
            "no parameters".into()
        } else {
            known.join(", ")
        },
    }
}

/// The named configurations offered as presets.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, EnumCount, EnumString, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Preset {
    AsItHappened,
    PostmortemFix,
    UptimePaging,
    DefenceInDepth,
}

impl Preset {
    pub const ALL: [Preset; Preset::COUNT] = crate::all_variants!(Preset);

    /// The slug used in test ids and URLs (`postmortem-fix`).
    pub fn slug(self) -> &'static str {
        self.into()
    }

    pub fn from_slug(slug: &str) -> Option<Preset> {
        slug.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::AsItHappened => "As it happened",
            Preset::PostmortemFix => "Postmortem fix: uptime alerts",
            Preset::UptimePaging => "Uptime + paging",
            Preset::DefenceInDepth => "Defence in depth",
        }
    }

    /// What the preset is, separating what the record says from what is assumed.
    pub fn description(self) -> &'static str {
        match self {
            Preset::AsItHappened => "No safeguard: the record as it is.",
            Preset::PostmortemFix => "The record says Eptura \"implemented and successfully tested uptime alerts\" for the new calendar service. How they are routed is not in the record: our assumption is that they post to a team channel and page nobody.",
            Preset::UptimePaging => "Uptime alerts that page on-call, with status automation.",
            Preset::DefenceInDepth => "A deletion guard, three detectors (an uptime check and an SLO burn-rate alert at the edge, an alert on the service's own metrics going absent), paging, a rollback runbook, automatic replay and status automation.",
        }
    }

    /// The assumption a preset rests on beyond the record, if any (for a mark next to it).
    pub fn assumption(self) -> Option<&'static str> {
        match self {
            Preset::AsItHappened => None,
            Preset::PostmortemFix => Some("Alerts post to a team channel and nobody is paged: the record says uptime alerts were implemented, not how they are routed."),
            Preset::UptimePaging | Preset::DefenceInDepth => Some("Not what Eptura did: a configuration to compare with."),
        }
    }

    pub fn safeguards(self) -> &'static [SafeguardId] {
        use SafeguardId::*;
        match self {
            Preset::AsItHappened => &[],
            Preset::PostmortemFix => &[UptimeCheck],
            Preset::UptimePaging => &[UptimeCheck, AutoPage, StatusAutomation],
            Preset::DefenceInDepth => &[
                DeletionGuard,
                UptimeCheck,
                SloBurnAlert,
                AbsentAlert,
                AutoPage,
                RollbackRunbook,
                AutoReplay,
                StatusAutomation,
            ],
        }
    }

    pub fn config(self) -> Config {
        Config::with_defaults(self.safeguards())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_field_names_are_the_ids() {
        for (id, field) in FIELD_IDS {
            assert_eq!(id.id(), *field);
        }
        let typed = Config::from_specs(&[
            "uptime_check:interval_s=30,retries=2",
            "slo_burn_alert:measured_at=service",
        ])
        .unwrap()
        .typed();
        let uptime = typed.uptime_check.unwrap();
        assert_eq!((uptime.interval_s, uptime.retries), (30.0, 2));
        assert_eq!(
            typed.slo_burn_alert.unwrap().measured_at,
            MeasuredAt::Service
        );
        assert!(typed.review.is_none());
    }

    #[test]
    fn every_default_is_in_range_and_sourced() {
        for id in SafeguardId::ALL {
            assert_eq!(SafeguardId::from_id(id.id()), Some(id));
            assert!(id.params().len() <= MAX_PARAMS);
            for p in id.params() {
                p.check(id, p.default).unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    !p.source_note.is_empty(),
                    "{}.{} has a source",
                    id.id(),
                    p.key
                );
            }
        }
    }

    #[test]
    fn specs_parse_and_round_trip() {
        let c = Config::from_specs(&[
            "uptime_check:interval_s=30,retries=2",
            "auto_page",
            "slo_burn_alert:measured_at=service",
        ])
        .unwrap();
        assert_eq!(c.value(SafeguardId::UptimeCheck, "interval_s"), Some(30.0));
        assert_eq!(c.value(SafeguardId::UptimeCheck, "retries"), Some(2.0));
        assert_eq!(c.value(SafeguardId::SloBurnAlert, "measured_at"), Some(1.0));
        assert!(c.is_enabled(SafeguardId::AutoPage));
        let again = Config::from_specs(&c.to_specs()).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn bad_specs_name_what_is_wrong() {
        let e = Config::from_specs(&["uptime"]).unwrap_err().to_string();
        assert!(e.contains("unknown safeguard 'uptime'"), "{e}");
        let e = Config::from_specs(&["uptime_check:interval=30"])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no parameter 'interval'") && e.contains("interval_s"),
            "{e}"
        );
        let e = Config::from_specs(&["uptime_check:interval_s=1"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("out of range"), "{e}");
        let e = Config::from_specs(&["uptime_check:retries=1.5"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("whole number"), "{e}");
        let e = Config::from_specs(&["slo_burn_alert:measured_at=pod"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("edge, service"), "{e}");
        let e = Config::from_specs(&["auto_page", "auto_page"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("twice"), "{e}");
        let e = Config::from_specs(&["auto_page:levels"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("of the form"), "{e}");
        let e = Config::from_specs(&["review:catch_probability=x"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a number"), "{e}");
    }

    #[test]
    fn a_parameter_given_twice_keeps_its_first_value_and_says_so() {
        let mut c = Config::none();
        let (id, repeated) = c
            .apply_spec("uptime_check:interval_s=60,interval_s=30")
            .unwrap();
        assert_eq!(id, SafeguardId::UptimeCheck);
        assert_eq!(c.value(id, "interval_s"), Some(60.0));
        assert_eq!(
            repeated[0].to_string(),
            "uptime_check.interval_s is given more than once: the first value (60) is used, not 30"
        );
        // The command line is strict: it refuses the item, naming both values.
        let e = Config::from_specs(&["uptime_check:interval_s=60,interval_s=30"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("(60) is used, not 30"), "{e}");
        // An item with an error changes nothing.
        let mut c = Config::none();
        assert!(c
            .apply_spec("uptime_check:interval_s=30,retries=x")
            .is_err());
        assert_eq!(c, Config::none());
    }
}
