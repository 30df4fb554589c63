//! The analysis slice: how many Monte Carlo runs, which metric the charts show, the compare
//! slots, and the three Monte Carlo jobs (ranges, compare, ranking) with their progress and
//! results. The jobs themselves run in the worker pool (`crate::monte_carlo`); it reports here
//! through actions that carry the job's id, so a report from a replaced job is ignored.

use outage_sim::limits::{MAX_SLOTS, MAX_SLOT_NAME_CHARS, RUNS};
use outage_sim::metrics::Metric;
use outage_sim::montecarlo::ranking_configs;
use outage_sim::safeguards::{Config, Preset};
use outage_sim::scenario::Scenario;
use outage_sim::stats::{Aggregate, Differences};

use super::sensitivity::SensitivityRun;
use super::Shared;

/// Monte Carlo runs per configuration by default (the range is `limits::RUNS`).
pub const DEFAULT_RUNS: u32 = 10_000;

/// A configuration in the compare view.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    Preset(Preset),
    /// A copy of the what-if safeguards taken when the slot was chosen.
    Custom(Box<Config>),
}

impl Slot {
    pub fn config(&self) -> Config {
        match self {
            Slot::Preset(p) => p.config(),
            Slot::Custom(c) => **c,
        }
    }

    /// What the configuration is, for the slot's description.
    pub fn description(&self) -> String {
        match self {
            Slot::Preset(p) => p.description().to_string(),
            Slot::Custom(_) => self.label(),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Slot::Preset(p) => p.label().to_string(),
            Slot::Custom(c) if c.is_empty() => "Custom: no safeguard".to_string(),
            Slot::Custom(c) => format!(
                "Custom: {}",
                c.enabled()
                    .map(|id| id.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The Monte Carlo jobs the page runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// The record and the what-if safeguards, for the ranges section.
    Ranges,
    /// The compare slots.
    Compare,
    /// The ranking of every safeguard.
    Ranking,
    /// The room's day of an exercise (the record with the room's interventions), for the report.
    Room,
    /// One level of the ranking's sensitivity (see `state::sensitivity`).
    Sensitivity,
    /// Train mode: a decision's consequence (a paired job, the decision against waiting).
    LearnStop,
    /// Train mode's debrief: every safeguard alone against the record, for the take-aways.
    LearnRanking,
}

impl JobKind {
    pub const ALL: [JobKind; 7] = [
        JobKind::Ranges,
        JobKind::Compare,
        JobKind::Ranking,
        JobKind::Room,
        JobKind::Sensitivity,
        JobKind::LearnStop,
        JobKind::LearnRanking,
    ];
}

/// What a finished job measured.
#[derive(Debug, PartialEq)]
pub struct McOutcome {
    pub scenario: Shared<Scenario>,
    pub configs: Vec<Config>,
    /// One per configuration, in the same order.
    pub aggregates: Vec<Aggregate>,
    pub runs: u64,
    pub seed: u64,
    /// The room's interventions every run took (an exercise's; see `JobKind::Room`).
    pub room: Vec<String>,
    /// A paired job's other arm, and each configuration's run-by-run differences from the
    /// base arm (see `McHandle::run_paired`); `None` and empty otherwise.
    pub versus: Option<Vec<String>>,
    pub differences: Vec<Differences>,
    /// Wall time from the click to the merged result, in milliseconds.
    pub elapsed_ms: f64,
    /// Web Workers that ran it (0: the page itself, when workers could not start).
    pub workers: usize,
}

impl McOutcome {
    /// True when the result was computed for other inputs than these.
    pub fn is_stale(&self, scenario: &Scenario, configs: &[Config], seed: u64) -> bool {
        self.configs != configs || self.seed != seed || *self.scenario != *scenario
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum JobStatus {
    Idle,
    Running { done: u64, total: u64 },
    Done(Shared<McOutcome>),
    Cancelled { done: u64, total: u64 },
    Failed(String),
}

/// A job slot: the id of the latest job of its kind, and how it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: u64,
    pub status: JobStatus,
}

impl Job {
    fn idle() -> Job {
        Job {
            id: 0,
            status: JobStatus::Idle,
        }
    }

    pub fn outcome(&self) -> Option<&Shared<McOutcome>> {
        match &self.status {
            JobStatus::Done(o) => Some(o),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisState {
    pub runs: u32,
    pub metric: Metric,
    pub slots: Vec<Slot>,
    /// The name the user gave each slot ("" for none), aligned with `slots`.
    pub slot_names: Vec<String>,
    pub ranges: Job,
    pub compare: Job,
    pub ranking: Job,
    pub room: Job,
    /// The job of the sensitivity's level under way.
    pub sensitivity_job: Job,
    /// The ranking's sensitivity, under way or done.
    pub sensitivity: Option<SensitivityRun>,
    pub learn_stop: Job,
    pub learn_ranking: Job,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AnalysisAction {
    /// Starts the ranking's sensitivity for a scenario and set (its jobs follow one by one).
    StartSensitivity {
        scenario: Shared<Scenario>,
        set: Box<Config>,
        seed: u64,
        runs: u64,
    },
    SetRuns(u32),
    SetMetric(Metric),
    SetSlot(usize, Slot),
    AddSlot(Slot),
    RemoveSlot(usize),
    /// Names a slot (an empty name goes back to the configuration's own label).
    NameSlot(usize, String),
    /// A job was handed to the pool.
    JobStarted {
        kind: JobKind,
        id: u64,
        total: u64,
    },
    JobProgress {
        kind: JobKind,
        id: u64,
        done: u64,
    },
    JobDone {
        kind: JobKind,
        id: u64,
        outcome: Shared<McOutcome>,
    },
    JobCancelled {
        kind: JobKind,
        id: u64,
    },
    JobFailed {
        kind: JobKind,
        id: u64,
        message: String,
    },
}

impl AnalysisState {
    pub fn new() -> AnalysisState {
        AnalysisState {
            runs: DEFAULT_RUNS,
            metric: Metric::TimeToDetect,
            slots: Preset::ALL.iter().map(|&p| Slot::Preset(p)).collect(),
            slot_names: vec![String::new(); Preset::ALL.len()],
            ranges: Job::idle(),
            compare: Job::idle(),
            ranking: Job::idle(),
            room: Job::idle(),
            sensitivity_job: Job::idle(),
            sensitivity: None,
            learn_stop: Job::idle(),
            learn_ranking: Job::idle(),
        }
    }

    pub fn job(&self, kind: JobKind) -> &Job {
        match kind {
            JobKind::Ranges => &self.ranges,
            JobKind::Compare => &self.compare,
            JobKind::Ranking => &self.ranking,
            JobKind::Room => &self.room,
            JobKind::Sensitivity => &self.sensitivity_job,
            JobKind::LearnStop => &self.learn_stop,
            JobKind::LearnRanking => &self.learn_ranking,
        }
    }

    fn job_mut(&mut self, kind: JobKind) -> &mut Job {
        match kind {
            JobKind::Ranges => &mut self.ranges,
            JobKind::Compare => &mut self.compare,
            JobKind::Ranking => &mut self.ranking,
            JobKind::Room => &mut self.room,
            JobKind::Sensitivity => &mut self.sensitivity_job,
            JobKind::LearnStop => &mut self.learn_stop,
            JobKind::LearnRanking => &mut self.learn_ranking,
        }
    }

    /// The current job of `kind` if it is `id` (a report from a replaced job is dropped).
    fn current(&mut self, kind: JobKind, id: u64) -> Option<&mut Job> {
        Some(self.job_mut(kind)).filter(|j| j.id == id)
    }

    /// Applies `action`; an error is a message for the user, and nothing changed.
    pub fn reduce(&mut self, action: AnalysisAction) -> Result<(), String> {
        match action {
            AnalysisAction::SetRuns(runs) => {
                if !RUNS.contains(&runs) {
                    return Err(format!(
                        "Runs must be between {} and {}; kept {}.",
                        RUNS.start(),
                        RUNS.end(),
                        self.runs
                    ));
                }
                self.runs = runs;
            }
            AnalysisAction::SetMetric(m) => self.metric = m,
            AnalysisAction::SetSlot(i, slot) => {
                if let Some(existing) = self.slots.get_mut(i) {
                    if *existing != slot {
                        // A name given to one configuration does not describe another.
                        self.slot_names[i].clear();
                    }
                    *existing = slot;
                }
            }
            AnalysisAction::NameSlot(i, name) => {
                let name = slot_name(&name)?;
                if let Some(existing) = self.slot_names.get_mut(i) {
                    *existing = name;
                }
            }
            AnalysisAction::AddSlot(slot) => {
                if self.slots.len() >= MAX_SLOTS {
                    return Err(format!(
                        "Compare holds at most {MAX_SLOTS} configurations; remove one first (kept the {MAX_SLOTS} there are)."
                    ));
                }
                self.slots.push(slot);
                self.slot_names.push(String::new());
            }
            AnalysisAction::RemoveSlot(i) => {
                if self.slots.len() > 1 && i < self.slots.len() {
                    self.slots.remove(i);
                    self.slot_names.remove(i);
                }
            }
            AnalysisAction::StartSensitivity {
                scenario,
                set,
                seed,
                runs,
            } => {
                self.sensitivity = Some(SensitivityRun::new(scenario, *set, seed, runs));
            }
            AnalysisAction::JobStarted { kind, id, total } => {
                if let (JobKind::Sensitivity, Some(run)) = (kind, self.sensitivity.as_mut()) {
                    run.started(id);
                }
                *self.job_mut(kind) = Job {
                    id,
                    status: JobStatus::Running { done: 0, total },
                };
            }
            AnalysisAction::JobProgress { kind, id, done } => {
                if let Some(job) = self.current(kind, id) {
                    if let JobStatus::Running { total, .. } = job.status {
                        job.status = JobStatus::Running {
                            done: done.min(total),
                            total,
                        };
                    }
                }
            }
            AnalysisAction::JobDone { kind, id, outcome } => {
                if let (JobKind::Sensitivity, Some(run)) = (kind, self.sensitivity.as_mut()) {
                    run.finished(id, &outcome.aggregates);
                }
                if let Some(job) = self.current(kind, id) {
                    job.status = JobStatus::Done(outcome);
                }
            }
            AnalysisAction::JobCancelled { kind, id } => {
                if let (JobKind::Sensitivity, Some(run)) = (kind, self.sensitivity.as_mut()) {
                    run.stopped(id, "Stopped before it finished.".into());
                }
                if let Some(job) = self.current(kind, id) {
                    if let JobStatus::Running { done, total } = job.status {
                        job.status = JobStatus::Cancelled { done, total };
                    }
                }
            }
            AnalysisAction::JobFailed { kind, id, message } => {
                if let (JobKind::Sensitivity, Some(run)) = (kind, self.sensitivity.as_mut()) {
                    run.stopped(id, message.clone());
                }
                if let Some(job) = self.current(kind, id) {
                    job.status = JobStatus::Failed(message);
                }
            }
        }
        Ok(())
    }
}

impl AnalysisState {
    /// The name a slot goes by: the user's, else its configuration's label.
    pub fn slot_label(&self, i: usize) -> String {
        match self.slot_names.get(i).filter(|n| !n.is_empty()) {
            Some(name) => name.clone(),
            None => self.slots.get(i).map(Slot::label).unwrap_or_default(),
        }
    }

    /// Every slot's name, in order.
    pub fn slot_labels(&self) -> Vec<String> {
        (0..self.slots.len()).map(|i| self.slot_label(i)).collect()
    }
}

/// A slot name as typed, tidied (trimmed, on one line, without control characters or
/// bidirectional overrides); refused when longer than the input allows (the same limit).
pub fn slot_name(text: &str) -> Result<String, String> {
    let name: String = text
        .trim()
        .chars()
        .filter(|&c| !c.is_control() && !outage_sim::input::is_hostile(c))
        .collect();
    if name.chars().count() > MAX_SLOT_NAME_CHARS {
        return Err(format!(
            "A configuration's name may have at most {MAX_SLOT_NAME_CHARS} characters; kept the one it had."
        ));
    }
    Ok(name)
}

impl Default for AnalysisState {
    fn default() -> Self {
        Self::new()
    }
}

/// The configurations the ranges section runs: as it happened, and the what-if safeguards.
pub fn ranges_configs(config: &Config) -> Vec<Config> {
    if config.is_empty() {
        vec![Config::none()]
    } else {
        vec![Config::none(), *config]
    }
}

/// The set the ranking takes each safeguard out of: the what-if safeguards, or all of them.
pub fn ranking_set(config: &Config) -> Config {
    if config.is_empty() {
        Config::all()
    } else {
        *config
    }
}

/// The configurations of the ranking (see `outage_sim::montecarlo::ranking_configs`).
pub fn ranking_job_configs(config: &Config) -> Vec<Config> {
    ranking_configs(&ranking_set(config))
}

/// Runs per configuration of the ranking: a fifth of the runs, within 500–5 000 (it runs up to
/// 28 configurations).
pub fn ranking_runs(runs: u32) -> u64 {
    (runs / 5).clamp(500, 5_000) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_slots_stay_in_bounds() {
        let mut s = AnalysisState::new();
        assert!(s.reduce(AnalysisAction::SetRuns(5)).is_err());
        assert_eq!(s.runs, DEFAULT_RUNS);
        assert!(s
            .reduce(AnalysisAction::AddSlot(Slot::Preset(Preset::PostmortemFix)))
            .is_err());
        assert_eq!(s.slots.len(), MAX_SLOTS, "four presets fill the view");
        for _ in 0..6 {
            s.reduce(AnalysisAction::RemoveSlot(0)).unwrap();
        }
        assert_eq!(s.slots.len(), 1, "one configuration always stays");
    }

    #[test]
    fn slots_keep_their_names_until_they_change() {
        let mut s = AnalysisState::new();
        s.reduce(AnalysisAction::NameSlot(1, "  Our fix\u{7} ".into()))
            .unwrap();
        assert_eq!(s.slot_label(1), "Our fix");
        assert_eq!(s.slot_label(0), "As it happened");
        assert!(s
            .reduce(AnalysisAction::NameSlot(1, "x".repeat(61)))
            .is_err());
        assert_eq!(s.slot_label(1), "Our fix");
        s.reduce(AnalysisAction::RemoveSlot(0)).unwrap();
        assert_eq!(s.slot_label(0), "Our fix", "names follow their slots");
        s.reduce(AnalysisAction::SetSlot(
            0,
            Slot::Preset(Preset::AsItHappened),
        ))
        .unwrap();
        assert_eq!(s.slot_label(0), "As it happened");
        assert_eq!(s.slot_names.len(), s.slots.len());
    }

    #[test]
    fn reports_from_a_replaced_job_are_ignored() {
        let mut s = AnalysisState::new();
        let kind = JobKind::Ranges;
        s.reduce(AnalysisAction::JobStarted {
            kind,
            id: 1,
            total: 100,
        })
        .unwrap();
        s.reduce(AnalysisAction::JobProgress {
            kind,
            id: 1,
            done: 40,
        })
        .unwrap();
        assert_eq!(
            s.ranges.status,
            JobStatus::Running {
                done: 40,
                total: 100
            }
        );
        s.reduce(AnalysisAction::JobStarted {
            kind,
            id: 2,
            total: 50,
        })
        .unwrap();
        s.reduce(AnalysisAction::JobProgress {
            kind,
            id: 1,
            done: 90,
        })
        .unwrap();
        s.reduce(AnalysisAction::JobCancelled { kind, id: 1 })
            .unwrap();
        assert_eq!(s.ranges.status, JobStatus::Running { done: 0, total: 50 });
        s.reduce(AnalysisAction::JobCancelled { kind, id: 2 })
            .unwrap();
        assert_eq!(s.ranges.status, JobStatus::Cancelled { done: 0, total: 50 });
        assert_eq!(s.compare.status, JobStatus::Idle, "other jobs untouched");
    }
}
