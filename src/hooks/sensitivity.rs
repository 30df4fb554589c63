//! Runs the ranking's sensitivity in the worker pool: whenever the analysis under way has a
//! level to run next and no job for it yet, this starts it (`state::sensitivity` says which; the
//! pool reports back as actions, which record it and make the next one pending).

use yew::prelude::*;

use crate::monte_carlo::McHandle;
use crate::state::sensitivity::SensitivityRun;
use crate::state::JobKind;

#[hook]
pub fn use_sensitivity_runner(run: &Option<SensitivityRun>, mc: McHandle) {
    // What decides whether a job is due: how far the analysis is, and whether one is under way.
    let due = run
        .as_ref()
        .map(|r| (r.progress().0, r.job, r.is_running()));
    let run = run.clone();
    use_effect_with(due, move |_| {
        if let Some(step) = run.as_ref().and_then(SensitivityRun::pending) {
            mc.run(
                JobKind::Sensitivity,
                step.scenario,
                step.configs,
                step.seed,
                step.runs,
            );
        }
    });
}
