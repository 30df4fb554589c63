//! How the work of an outage grows with its size: the steps that go through every site (and
//! every site's calendar events) take longer with more of them, read from the scenario file's
//! own values (`Workload`). And every step's delay as a replay keeps it with the current
//! assumptions (`Scenario::recorded_steps`), which the plan and the calibration both start from.

use strum::EnumCount;

use super::{AssumptionId, Scaling, Scenario, StepId};
use crate::time::{scale_ms, Millis};

/// How the steps that grow with the work scale, from the scenario's reference assumptions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Workload {
    /// Sites at which the record's delays are read (the scenario file's value).
    pub reference_sites: f64,
    /// Sites × events per site per hour at the reference.
    pub reference_volume: f64,
    pub events_per_site_hour: f64,
    /// Share of a scaled step's recorded time that grows with the work.
    pub per_site_share: f64,
}

impl Workload {
    /// The ratio of the work with `sites` sites affected to the reference work.
    pub fn ratio(&self, scaling: Scaling, sites: f64) -> f64 {
        let site_ratio = sites / self.reference_sites.max(1.0);
        match scaling {
            Scaling::Fixed => 1.0,
            Scaling::Sites => site_ratio,
            Scaling::SiteEvents if self.reference_volume > 0.0 => {
                sites * self.events_per_site_hour / self.reference_volume
            }
            Scaling::SiteEvents => site_ratio,
        }
    }

    /// How much longer than in the record a step takes with `sites` sites affected: a fixed
    /// part, and a per-site part that grows with the work.
    pub fn factor(&self, scaling: Scaling, sites: f64) -> f64 {
        if scaling == Scaling::Fixed {
            return 1.0;
        }
        // Written as 1 + p·(ratio − 1) so that the reference work gives exactly 1.
        1.0 + self.per_site_share * (self.ratio(scaling, sites) - 1.0)
    }
}

impl Scenario {
    /// The scenario's workload assumptions.
    pub fn workload(&self) -> Workload {
        let a = &self.assumptions;
        let sites = &a[AssumptionId::Sites];
        let rate = &a[AssumptionId::EventsPerSiteHour];
        Workload {
            reference_sites: sites.reference,
            reference_volume: sites.reference * rate.reference,
            events_per_site_hour: rate.value,
            per_site_share: a.value(AssumptionId::PerSiteShare),
        }
    }

    /// Every step's delay as a replay keeps it, with the current assumptions: the record's (or
    /// the stated median), scaled for the sites and events a full outage goes through.
    pub fn recorded_steps(&self) -> [Millis; StepId::COUNT] {
        let workload = self.workload();
        let sites = self.assumptions.value(AssumptionId::Sites);
        StepId::ALL.map(|id| {
            let median = self.median(&self.steps[id]);
            scale_ms(median, workload.factor(id.row().scaling, sites))
        })
    }
}
