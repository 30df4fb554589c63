//! The safeguards: their stable ids, what each models, their parameters (units, ranges,
//! defaults and where each default comes from), and a `Config` saying which are on with which
//! values. The catalog is the single description the engine, the command line and the app use.

use serde::Serialize;

use crate::provenance::Provenance;

/// The stable id of a safeguard (used in URLs, on the command line and in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SafeguardId {
    Review,
    DeletionGuard,
    PruneProtection,
    Canary,
    UptimeCheck,
    SloBurnAlert,
    AbsentAlert,
    DeployNotice,
    AutoPage,
    RollbackRunbook,
    AutoRollback,
    AutoReplay,
    StatusAutomation,
}

/// Which part of the incident a safeguard acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
    /// A ratio such as an SLO target.
    Ratio,
    /// One of named choices; the value is the index into `choices`.
    Choice,
}

/// The kind of a default's provenance (static form of `Provenance`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Cited,
    Assumption,
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
    pub help: &'static str,
}

impl ParamSpec {
    pub fn provenance(&self) -> Provenance {
        match self.source {
            Source::Cited => Provenance::Cited {
                note: self.source_note.to_string(),
            },
            Source::Assumption => Provenance::Assumption {
                note: self.source_note.to_string(),
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
                value: self.format(value),
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
}

// Positional so the catalog below reads as a table, one parameter per call.
#[allow(clippy::too_many_arguments)]
const fn param(
    key: &'static str,
    label: &'static str,
    kind: ParamKind,
    default: f64,
    min: f64,
    max: f64,
    source: Source,
    source_note: &'static str,
    help: &'static str,
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        kind,
        default,
        min,
        max,
        choices: &[],
        source,
        source_note,
        help,
    }
}

use ParamKind::*;
use Source::*;

static REVIEW: [ParamSpec; 1] = [param(
    "catch_probability",
    "Reviewer spots the deletion",
    Probability,
    0.5,
    0.0,
    1.0,
    Assumption,
    "A reviewer reading a GitOps diff notices that it deletes a production service about half the time; large generated diffs hide deletions.",
    "Chance that review stops the pull request before it merges.",
)];

static DELETION_GUARD: [ParamSpec; 1] = [param(
    "block_probability",
    "Policy blocks the merge",
    Probability,
    0.95,
    0.0,
    1.0,
    Assumption,
    "A policy check on deleted production resources (e.g. an OPA/Conftest rule in CI) blocks unless someone approves an override; 5 % overridden or misconfigured.",
    "Chance that the check blocks the merge.",
)];

static CANARY: [ParamSpec; 3] = [
    param("share", "Share of sites in the canary", Ratio, 0.1, 0.01, 1.0, Assumption,
        "A first step of 10 % of traffic is a common canary weight.",
        "Share of sites that get the new release during the analysis window."),
    param("analysis_window_s", "Analysis window", Seconds, 600.0, 60.0, 86_400.0, Assumption,
        "Ten minutes of automated analysis before promotion.",
        "How long the canary runs before it is promoted to every site."),
    param("detect_probability", "Analysis catches the failure", Probability, 0.9, 0.0, 1.0, Assumption,
        "Automated analysis compares the canary's errors with the stable release; a missing service fails every request sent to it, but the analysis may not cover the calendar sync.",
        "Chance that the analysis aborts the rollout within the window."),
];

static UPTIME: [ParamSpec; 3] = [
    param(
        "interval_s",
        "Check interval",
        Seconds,
        60.0,
        10.0,
        3_600.0,
        Cited,
        "Uptime Kuma's default heartbeat interval is 60 s.",
        "Time between two checks while the service is up.",
    ),
    param(
        "retries",
        "Retries before down",
        Count,
        0.0,
        0.0,
        10.0,
        Cited,
        "Uptime Kuma's default: 0 retries (the first failed check marks the monitor down).",
        "Failed checks that only mark the monitor pending before one marks it down.",
    ),
    param(
        "retry_interval_s",
        "Retry interval",
        Seconds,
        60.0,
        10.0,
        3_600.0,
        Cited,
        "Uptime Kuma's default heartbeat retry interval is 60 s.",
        "Time to the next check after a failed check that had retries left.",
    ),
];

static SLO: [ParamSpec; 3] = [
    param("slo", "SLO target", Ratio, 0.999, 0.9, 0.99999, Cited,
        "99.9 % over 30 days, the worked example of Google's SRE Workbook, 'Alerting on SLOs'.",
        "Availability objective; burn rate = error ratio / (1 − SLO)."),
    ParamSpec {
        key: "measured_at",
        label: "Measured at",
        kind: Choice,
        default: 0.0,
        min: 0.0,
        max: 1.0,
        choices: &["edge", "service"],
        source: Assumption,
        source_note: "Where the SLI is measured is a design choice: at the edge (load balancer) requests to a missing service count as errors; at the service, its metrics vanish with it.",
        help: "edge: the load balancer sees failed requests. service: the service's own metrics, which disappear with it.",
    },
    param("eval_interval_s", "Rule evaluation interval", Seconds, 60.0, 0.0, 600.0, Cited,
        "Prometheus's default evaluation_interval is 1 minute; 0 evaluates continuously.",
        "How often the alert rules are evaluated (0 = continuously)."),
];

static ABSENT: [ParamSpec; 3] = [
    param(
        "scrape_interval_s",
        "Scrape interval",
        Seconds,
        60.0,
        1.0,
        600.0,
        Cited,
        "Prometheus's default scrape_interval is 1 minute.",
        "The first scrape after the service is gone finds no target and marks its series stale.",
    ),
    param(
        "eval_interval_s",
        "Rule evaluation interval",
        Seconds,
        60.0,
        1.0,
        600.0,
        Cited,
        "Prometheus's default evaluation_interval is 1 minute.",
        "How often absent() is evaluated.",
    ),
    param(
        "for_s",
        "Pending for",
        Seconds,
        300.0,
        0.0,
        3_600.0,
        Assumption,
        "A `for: 5m` clause is common on absent() alerts, to ride out restarts.",
        "How long absent() must hold before the alert fires.",
    ),
];

static NOTICE: [ParamSpec; 2] = [
    param(
        "read_probability",
        "Someone reads it and acts",
        Probability,
        0.3,
        0.0,
        1.0,
        Assumption,
        "A bot message among many in a busy channel; most are skimmed past.",
        "Chance that someone reads the bot's post and realises the deletion was a mistake.",
    ),
    param(
        "read_delay_s",
        "Time to read (median)",
        Seconds,
        900.0,
        10.0,
        86_400.0,
        Assumption,
        "Fifteen minutes for a channel message to be read in a working afternoon.",
        "Median time from the post to someone acting on it.",
    ),
];

static PAGE: [ParamSpec; 4] = [
    param("levels", "Escalation levels", Count, 2.0, 1.0, 5.0, Assumption,
        "Primary then secondary on-call.",
        "Levels of the escalation policy, each paged in turn."),
    param("timeout_s", "Escalation timeout", Seconds, 1_800.0, 60.0, 7_200.0, Cited,
        "PagerDuty escalation policies escalate after 30 minutes unless set otherwise.",
        "Time a level has to acknowledge before the next level is paged; a level that never answers costs all of it."),
    param("answer_probability", "Each level answers", Probability, 0.9, 0.0, 1.0, Assumption,
        "An on-call person answers nine pages out of ten within the timeout.",
        "Chance that a paged level acknowledges before its timeout."),
    param("ack_delay_s", "Time to acknowledge (median)", Seconds, 240.0, 10.0, 3_600.0, Assumption,
        "A few minutes to see the page and acknowledge it.",
        "Median delay of an acknowledgement by a level that answers."),
];

static RUNBOOK: [ParamSpec; 1] = [param(
    "revert_s",
    "Diagnose and revert (median)",
    Seconds,
    600.0,
    60.0,
    7_200.0,
    Assumption,
    "A written one-step revert of the last merge takes minutes, not the recorded 75 minutes of diagnosis and manual reinstatement.",
    "Median time from gathered responders to the service restored.",
)];

static AUTO_ROLLBACK: [ParamSpec; 2] = [
    param(
        "window_s",
        "Window after a deploy",
        Seconds,
        3_600.0,
        60.0,
        86_400.0,
        Assumption,
        "An alert within an hour of a deploy is blamed on it.",
        "A monitor alert this soon after the deploy reverts it automatically.",
    ),
    param(
        "revert_s",
        "Revert applied within",
        Seconds,
        180.0,
        10.0,
        3_600.0,
        Cited,
        "Argo CD polls Git every 3 minutes by default; the revert is applied at the next poll.",
        "The revert lands uniformly within this time after the alert.",
    ),
];

static AUTO_REPLAY: [ParamSpec; 1] = [param(
    "duration_s",
    "Backfill duration",
    Seconds,
    300.0,
    10.0,
    7_200.0,
    Assumption,
    "An automated, idempotent backfill of the gap from Exchange takes a few minutes.",
    "Time from restore to missed events recovered.",
)];

static STATUS: [ParamSpec; 1] = [param(
    "delay_s",
    "Post delay",
    Seconds,
    60.0,
    0.0,
    1_800.0,
    Assumption,
    "A status-page integration posts a templated incident about a minute after the page.",
    "Time from the page to the first status-page post.",
)];

impl SafeguardId {
    pub const ALL: [SafeguardId; 13] = [
        SafeguardId::Review,
        SafeguardId::DeletionGuard,
        SafeguardId::PruneProtection,
        SafeguardId::Canary,
        SafeguardId::UptimeCheck,
        SafeguardId::SloBurnAlert,
        SafeguardId::AbsentAlert,
        SafeguardId::DeployNotice,
        SafeguardId::AutoPage,
        SafeguardId::RollbackRunbook,
        SafeguardId::AutoRollback,
        SafeguardId::AutoReplay,
        SafeguardId::StatusAutomation,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn id(self) -> &'static str {
        match self {
            SafeguardId::Review => "review",
            SafeguardId::DeletionGuard => "deletion_guard",
            SafeguardId::PruneProtection => "prune_protection",
            SafeguardId::Canary => "canary",
            SafeguardId::UptimeCheck => "uptime_check",
            SafeguardId::SloBurnAlert => "slo_burn_alert",
            SafeguardId::AbsentAlert => "absent_alert",
            SafeguardId::DeployNotice => "deploy_notice",
            SafeguardId::AutoPage => "auto_page",
            SafeguardId::RollbackRunbook => "rollback_runbook",
            SafeguardId::AutoRollback => "auto_rollback",
            SafeguardId::AutoReplay => "auto_replay",
            SafeguardId::StatusAutomation => "status_automation",
        }
    }

    pub fn from_id(id: &str) -> Option<SafeguardId> {
        SafeguardId::ALL.into_iter().find(|s| s.id() == id)
    }

    /// A short name for people.
    pub fn name(self) -> &'static str {
        match self {
            SafeguardId::Review => "Required review",
            SafeguardId::DeletionGuard => "Deletion guard",
            SafeguardId::PruneProtection => "Prune protection",
            SafeguardId::Canary => "Canary rollout",
            SafeguardId::UptimeCheck => "Uptime check",
            SafeguardId::SloBurnAlert => "SLO burn-rate alert",
            SafeguardId::AbsentAlert => "Absent-metrics alert",
            SafeguardId::DeployNotice => "Deploy notice",
            SafeguardId::AutoPage => "Automatic paging",
            SafeguardId::RollbackRunbook => "Rollback runbook",
            SafeguardId::AutoRollback => "Automatic rollback",
            SafeguardId::AutoReplay => "Automatic replay",
            SafeguardId::StatusAutomation => "Status automation",
        }
    }

    /// One line: what it models and what it changes.
    pub fn summary(self) -> &'static str {
        match self {
            SafeguardId::Review => "Production changes need a second pair of eyes, who may catch the deletion before it merges.",
            SafeguardId::DeletionGuard => "A policy check refuses to delete a production service without explicit approval.",
            SafeguardId::PruneProtection => "GitOps never deletes live resources; it reports the drift and the service stays up.",
            SafeguardId::Canary => "Progressive delivery: a share of sites gets the change first, and automated analysis can abort it.",
            SafeguardId::UptimeCheck => "An external synthetic check calls the service every interval; a failed check with no retries left marks it down. The postmortem's own fix.",
            SafeguardId::SloBurnAlert => "Multiwindow, multi-burn-rate alert on a 99.9 % SLO. At the edge it fires within about a minute; at the service its metrics vanish with it and it never fires.",
            SafeguardId::AbsentAlert => "Alerts when the service's metrics disappear, after its `for` window.",
            SafeguardId::DeployNotice => "The deploy bot posts 'resource deleted in production' to the team channel; someone may read it.",
            SafeguardId::AutoPage => "Alerts page on-call through an escalation policy instead of waiting in a channel.",
            SafeguardId::RollbackRunbook => "A one-step revert of the last merge: minutes instead of an hour of diagnosis and redeploy.",
            SafeguardId::AutoRollback => "A monitor alert soon after a deploy reverts it automatically: mitigation without people.",
            SafeguardId::AutoReplay => "On restore, missed events are backfilled automatically and idempotently: no request, no duplicates.",
            SafeguardId::StatusAutomation => "The status page posts when the page fires: the first customer message comes earlier.",
        }
    }

    pub fn stage(self) -> Stage {
        match self {
            SafeguardId::Review | SafeguardId::DeletionGuard | SafeguardId::PruneProtection => {
                Stage::Prevent
            }
            SafeguardId::Canary => Stage::Contain,
            SafeguardId::UptimeCheck
            | SafeguardId::SloBurnAlert
            | SafeguardId::AbsentAlert
            | SafeguardId::DeployNotice => Stage::Detect,
            SafeguardId::AutoPage | SafeguardId::RollbackRunbook | SafeguardId::AutoRollback => {
                Stage::Respond
            }
            SafeguardId::AutoReplay => Stage::Recover,
            SafeguardId::StatusAutomation => Stage::Communicate,
        }
    }

    /// True for the safeguards that add a detector (used by the monotonicity property).
    pub fn is_detector(self) -> bool {
        self.stage() == Stage::Detect
    }

    pub fn params(self) -> &'static [ParamSpec] {
        match self {
            SafeguardId::Review => &REVIEW,
            SafeguardId::DeletionGuard => &DELETION_GUARD,
            SafeguardId::PruneProtection => &[],
            SafeguardId::Canary => &CANARY,
            SafeguardId::UptimeCheck => &UPTIME,
            SafeguardId::SloBurnAlert => &SLO,
            SafeguardId::AbsentAlert => &ABSENT,
            SafeguardId::DeployNotice => &NOTICE,
            SafeguardId::AutoPage => &PAGE,
            SafeguardId::RollbackRunbook => &RUNBOOK,
            SafeguardId::AutoRollback => &AUTO_ROLLBACK,
            SafeguardId::AutoReplay => &AUTO_REPLAY,
            SafeguardId::StatusAutomation => &STATUS,
        }
    }

    pub fn param(self, key: &str) -> Option<(usize, &'static ParamSpec)> {
        self.params().iter().enumerate().find(|(_, p)| p.key == key)
    }
}

/// The most parameters any safeguard has.
pub const MAX_PARAMS: usize = 4;

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
    slots: [Option<Params>; 13],
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

    /// Applies one `ID` or `ID:key=value,key=value` item, as given to `--with`.
    pub fn apply_spec(&mut self, item: &str) -> Result<SafeguardId, ConfigError> {
        let item = item.trim();
        let (id_text, rest) = match item.split_once(':') {
            Some((id, rest)) => (id.trim(), Some(rest)),
            None => (item, None),
        };
        let id = SafeguardId::from_id(id_text)
            .ok_or_else(|| ConfigError::UnknownSafeguard(id_text.to_string()))?;
        self.enable(id);
        if let Some(rest) = rest {
            for pair in rest.split(',').filter(|p| !p.trim().is_empty()) {
                let (key, value) = pair
                    .split_once('=')
                    .ok_or_else(|| ConfigError::Syntax(item.to_string()))?;
                let key = key.trim();
                let (_, spec) = id.param(key).ok_or_else(|| unknown_param(id, key))?;
                let value = spec.parse(id, value)?;
                self.set(id, key, value)?;
            }
        }
        Ok(id)
    }

    /// Builds a configuration from `--with` items; a safeguard named twice is refused.
    pub fn from_specs<S: AsRef<str>>(items: &[S]) -> Result<Config, ConfigError> {
        let mut config = Config::none();
        for item in items {
            let before = config;
            let id = config.apply_spec(item.as_ref())?;
            if before.is_enabled(id) {
                return Err(ConfigError::Duplicate(id.id()));
            }
        }
        Ok(config)
    }

    /// The canonical `--with` items of this configuration, non-default values only.
    pub fn to_specs(&self) -> Vec<String> {
        self.enabled()
            .map(|id| {
                let params = self.params(id).expect("enabled");
                let changed: Vec<String> = id
                    .params()
                    .iter()
                    .zip(params.0)
                    .filter(|(spec, v)| *v != spec.default)
                    .map(|(spec, v)| format!("{}={}", spec.key, spec.format(v)))
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    AsItHappened,
    PostmortemFix,
    UptimePaging,
    DefenceInDepth,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::AsItHappened,
        Preset::PostmortemFix,
        Preset::UptimePaging,
        Preset::DefenceInDepth,
    ];

    /// The slug used in test ids and URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Preset::AsItHappened => "as-it-happened",
            Preset::PostmortemFix => "postmortem-fix",
            Preset::UptimePaging => "uptime-paging",
            Preset::DefenceInDepth => "defence-in-depth",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::AsItHappened => "As it happened",
            Preset::PostmortemFix => "Postmortem fix: uptime alerts",
            Preset::UptimePaging => "Uptime + paging",
            Preset::DefenceInDepth => "Defence in depth",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Preset::AsItHappened => "No safeguard: the record as it is.",
            Preset::PostmortemFix => "What Eptura implemented: uptime alerts on the calendar service. Alerts land in a channel; nobody is paged.",
            Preset::UptimePaging => "Uptime alerts that page on-call, with status automation.",
            Preset::DefenceInDepth => "A deletion guard, three detectors at the edge, paging, a rollback runbook, automatic replay and status automation.",
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
}
