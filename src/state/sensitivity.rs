//! The ranking's sensitivity, run in the page's worker pool: every factor of
//! `outage_sim::sensitivity` (an assumption or a guessed safeguard chance) at its plausible low
//! and high, plus the defaults, each a Monte Carlo job of every safeguard alone on the same seed.
//! The jobs run one after another (`pending` says which is next; the app starts it); each
//! finished one records what every safeguard saves, and the last assembles the tornado and its
//! break-evens (read between the runs, and said so).

use outage_sim::safeguards::{Config, SafeguardId};
use outage_sim::scenario::Scenario;
use outage_sim::sensitivity::{
    alone_configs, assemble, factors, Factor, FactorRow, Knob, Sensitivity,
};
use outage_sim::stats::Aggregate;

use super::Shared;

/// One job of the plan: the defaults, or a factor at its low or high.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Level {
    Defaults,
    Low(usize),
    High(usize),
}

/// A job to start: its scenario, configurations, seed and runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub scenario: Shared<Scenario>,
    pub configs: Vec<Config>,
    pub seed: u64,
    pub runs: u64,
}

/// A sensitivity analysis under way or done.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivityRun {
    pub scenario: Shared<Scenario>,
    /// The set the ranking is of.
    pub set: Config,
    pub seed: u64,
    pub runs: u64,
    pub factors: Vec<Factor>,
    pub levels: Vec<Level>,
    /// What every safeguard saves alone, per finished level, in `levels` order.
    pub savings: Vec<Vec<(SafeguardId, f64)>>,
    /// The job of the level under way, once the pool took it.
    pub job: Option<u64>,
    pub failed: Option<String>,
    pub result: Option<Shared<Sensitivity>>,
}

/// Runs per configuration of each job: a tenth of the runs, within 300–2 000 (the analysis
/// runs some forty jobs of fourteen configurations).
pub fn sensitivity_runs(runs: u32) -> u64 {
    (runs / 10).clamp(300, 2_000) as u64
}

impl SensitivityRun {
    pub fn new(scenario: Shared<Scenario>, set: Config, seed: u64, runs: u64) -> SensitivityRun {
        let factors = factors(&scenario, &set);
        let mut levels = vec![Level::Defaults];
        for i in 0..factors.len() {
            levels.push(Level::Low(i));
            levels.push(Level::High(i));
        }
        SensitivityRun {
            scenario,
            set,
            seed,
            runs,
            factors,
            levels,
            savings: Vec::new(),
            job: None,
            failed: None,
            result: None,
        }
    }

    /// Jobs done, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.savings.len(), self.levels.len())
    }

    pub fn is_running(&self) -> bool {
        self.result.is_none() && self.failed.is_none()
    }

    /// The job to start next, when none is under way.
    pub fn pending(&self) -> Option<Step> {
        if self.job.is_some() || !self.is_running() {
            return None;
        }
        let level = *self.levels.get(self.savings.len())?;
        Some(self.step(level))
    }

    fn step(&self, level: Level) -> Step {
        let (factor, value) = match level {
            Level::Defaults => {
                return Step {
                    scenario: self.scenario.clone(),
                    configs: alone_configs(&self.set, None),
                    seed: self.seed,
                    runs: self.runs,
                }
            }
            Level::Low(i) => (&self.factors[i], self.factors[i].low),
            Level::High(i) => (&self.factors[i], self.factors[i].high),
        };
        let (scenario, set) = factor.apply(&self.scenario, &self.set, value);
        let over = match factor.knob {
            Knob::Chance { safeguard, key } => safeguard
                .param(key)
                .map(|(_, spec)| (safeguard, key, value.clamp(spec.min, spec.max))),
            _ => None,
        };
        Step {
            scenario: Shared::new(scenario),
            configs: alone_configs(&set, over),
            seed: self.seed,
            runs: self.runs,
        }
    }

    /// The pool took the next job.
    pub fn started(&mut self, id: u64) {
        if self.is_running() && self.job.is_none() {
            self.job = Some(id);
        }
    }

    /// A job finished: its savings are recorded if it is the one under way, and the last one
    /// assembles the result.
    pub fn finished(&mut self, id: u64, aggregates: &[Aggregate]) {
        if self.job != Some(id) {
            return;
        }
        self.job = None;
        if aggregates.len() != 1 + SafeguardId::ALL.len() {
            self.failed = Some("a sensitivity job came back with the wrong configurations".into());
            return;
        }
        let base = aggregates[0]
            .stats(outage_sim::metrics::Metric::ErrorBudgetUsed)
            .mean
            .unwrap_or(0.0);
        let saves = outage_sim::sensitivity::values_from(aggregates)
            .into_iter()
            .map(|(sg, v)| (sg, base - v))
            .collect();
        self.savings.push(saves);
        if self.savings.len() == self.levels.len() {
            self.result = Some(Shared::new(self.assemble()));
        }
    }

    /// A job failed or was cancelled: the analysis stops, saying why.
    pub fn stopped(&mut self, id: u64, why: String) {
        if self.job == Some(id) {
            self.job = None;
            self.failed = Some(why);
        }
    }

    fn assemble(&self) -> Sensitivity {
        let at = |level: Level| {
            let i = self.levels.iter().position(|l| *l == level).unwrap_or(0);
            self.savings[i].clone()
        };
        let rows = self
            .factors
            .iter()
            .enumerate()
            .map(|(i, f)| FactorRow::new(f.clone(), at(Level::Low(i)), at(Level::High(i))))
            .collect();
        assemble(at(Level::Defaults), rows, self.seed, self.runs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outage_sim::montecarlo::Batch;
    use outage_sim::scenario::builtin;

    fn run_step(step: &Step) -> Vec<Aggregate> {
        let mut b = Batch::new(&step.scenario, &step.configs, step.seed, step.runs);
        b.advance(step.runs);
        b.into_aggregates()
    }

    #[test]
    fn the_plan_runs_every_level_once_and_assembles_the_command_lines_analysis() {
        let s = Shared::new(builtin("eptura-2024-07-10").unwrap());
        let mut run = SensitivityRun::new(s.clone(), Config::all(), 3, 120);
        let (_, total) = run.progress();
        assert_eq!(total, 1 + 2 * run.factors.len());
        let mut id = 10;
        while let Some(step) = run.pending() {
            run.started(id);
            assert!(run.pending().is_none(), "one job at a time");
            let aggs = run_step(&step);
            run.finished(id + 1, &aggs);
            assert_eq!(run.job, Some(id), "a report from another job is ignored");
            run.finished(id, &aggs);
            id += 2;
        }
        let result = run.result.clone().expect("assembled");
        assert_eq!(result.rows.len(), run.factors.len());
        // The same levels on the same seed, assembled natively, give the same tornado.
        let native_base = {
            let step = run.step(Level::Defaults);
            run_step(&step)
        };
        let base = native_base[0]
            .stats(outage_sim::metrics::Metric::ErrorBudgetUsed)
            .mean
            .unwrap();
        let top = outage_sim::sensitivity::values_from(&native_base)
            .into_iter()
            .max_by(|a, b| (base - b.1).total_cmp(&(base - a.1)))
            .unwrap();
        assert!(result.base.iter().any(|(id, _)| *id == top.0));
    }

    #[test]
    fn a_failed_job_stops_the_analysis_with_its_reason() {
        let s = Shared::new(builtin("eptura-2024-07-10").unwrap());
        let mut run = SensitivityRun::new(s, Config::all(), 3, 100);
        run.started(4);
        run.stopped(4, "cancelled".into());
        assert_eq!(run.failed.as_deref(), Some("cancelled"));
        assert!(run.pending().is_none());
        assert!(!run.is_running());
    }
}
