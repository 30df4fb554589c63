//! Streaming statistics: memory does not grow with the number of runs. Each metric keeps a
//! summary (count, sum, min, max, how often it never happened) and a log-linear histogram with
//! 256 sub-buckets per power of two, so quantiles are within 0.2 % of the exact value and
//! histograms for charts can be re-binned from it.
//!
//! Merging is exact: every part of an `Aggregate` (counts, an integer fixed-point sum, min, max,
//! histogram counts) combines associatively and commutatively, so a batch split into any number
//! of parts (one per Web Worker) and merged in any order gives the same aggregate, bit for bit,
//! as the batch run in one piece. Aggregates serialize compactly (sparse histograms) for the
//! trip from a worker to the page.
//!
//! Every figure can carry a 95 % interval (`Estimate`). Means and shares get theirs across
//! independent batches of runs: run `i` belongs to batch `i mod 10`, and each batch is ten
//! seeds' worth of runs of its own, so the spread of the ten batch means is the spread across
//! seeds (Student's t with nine degrees of freedom). Differences between two configurations run
//! on the same runs are taken batch by batch, so a leave-one-out loss gets the paired interval.
//! Percentiles get a distribution-free interval from the order statistics around their rank,
//! and a share of runs Wilson's score interval.
//!
//! A paired batch (the same runs with two sets of interventions) also keeps `Differences`: each
//! metric's run-by-run difference between the two, so a range says how much a decision changed
//! the same simulated days, not how two separate spreads compare.

use serde::{Deserialize, Serialize};
use strum::EnumCount;

use crate::metrics::RunRecord;
use crate::metrics::{Metric, Unit};
use crate::safeguards::SafeguardId;
use crate::trace::{Detector, Outcome};

const SUB_BITS: u32 = 8;
const SUB: u64 = 1 << SUB_BITS;

/// A histogram of non-negative integers with bounded relative error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LogHistogram {
    counts: Vec<u32>,
    total: u64,
}

impl LogHistogram {
    fn index(v: u64) -> usize {
        if v < 2 * SUB {
            return v as usize;
        }
        let shift = 63 - v.leading_zeros() - SUB_BITS;
        (shift as u64 * SUB + (v >> shift)) as usize
    }

    /// The smallest value and the width of bucket `i`.
    fn bucket(i: usize) -> (u64, u64) {
        let i = i as u64;
        if i < 2 * SUB {
            return (i, 1);
        }
        let shift = i / SUB - 1;
        let sub = i - shift * SUB;
        (sub << shift, 1 << shift)
    }

    /// The representative value of bucket `i` (its midpoint).
    fn representative(i: usize) -> f64 {
        let (lo, width) = Self::bucket(i);
        lo as f64 + (width - 1) as f64 / 2.0
    }

    pub fn record(&mut self, v: u64) {
        let i = Self::index(v);
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.total += 1;
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn merge(&mut self, other: &LogHistogram) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }

    /// The nearest-rank `q`-quantile (0 < q ≤ 1), as the midpoint of its bucket.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        self.at_rank(rank)
    }

    /// The value of the `rank`-th smallest (1-based), as the midpoint of its bucket.
    fn at_rank(&self, rank: u64) -> Option<f64> {
        let rank = rank.clamp(1, self.total.max(1));
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c as u64;
            if seen >= rank {
                return Some(Self::representative(i));
            }
        }
        None
    }

    /// Counts between consecutive `edges` (ascending); values below the first edge count in the
    /// first bin and values at or above the last in the last bin.
    pub fn counts_between(&self, edges: &[f64]) -> Vec<u64> {
        let n = edges.len().saturating_sub(1).max(1);
        let mut bins = vec![0u64; n];
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let x = Self::representative(i);
            let b = edges
                .partition_point(|&e| e <= x)
                .saturating_sub(1)
                .min(n - 1);
            bins[b] += c as u64;
        }
        bins
    }
}

/// A sum of `f64` values that does not depend on the order of the additions: each value is
/// converted to fixed point (units of 2⁻³², truncated toward zero) and summed as an integer.
/// Floating-point addition is not associative, so an `f64` running sum of a batch split across
/// workers would differ in its last bits from the sum of the same batch in one piece.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactSum(i128);

const FIXED_ONE: f64 = 4_294_967_296.0; // 2^32

impl ExactSum {
    pub fn add(&mut self, value: f64) {
        // Exact scaling (a power of two), then truncation: the same on every target.
        self.0 += (value * FIXED_ONE) as i128;
    }

    pub fn merge(&mut self, other: ExactSum) {
        self.0 += other.0;
    }

    pub fn value(self) -> f64 {
        self.0 as f64 / FIXED_ONE
    }
}

/// How a metric is scaled into the histogram's integers.
fn scale(metric: Metric) -> f64 {
    match metric.unit() {
        Unit::Duration | Unit::Count => 1.0,
        Unit::Percent => 1000.0,
    }
}

/// The streaming summary of one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricAggregate {
    metric: Metric,
    count: u64,
    never: u64,
    sum: ExactSum,
    min: f64,
    max: f64,
    hist: LogHistogram,
}

/// A metric's statistics, in its raw unit (milliseconds for durations).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MetricStats {
    /// Runs in which the metric had a value.
    pub count: u64,
    /// Runs in which its start event happened but its stop event never did.
    pub never: u64,
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p99: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl MetricAggregate {
    fn new(metric: Metric) -> Self {
        MetricAggregate {
            metric,
            count: 0,
            never: 0,
            sum: ExactSum::default(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            hist: LogHistogram::default(),
        }
    }

    fn add(&mut self, value: Option<f64>) {
        match value {
            Some(v) => {
                self.count += 1;
                self.sum.add(v);
                self.min = self.min.min(v);
                self.max = self.max.max(v);
                // Half-up by truncation (f64::round is a libm call on baseline x86-64).
                self.hist
                    .record((v.max(0.0) * scale(self.metric) + 0.5) as u64);
            }
            None => self.never += 1,
        }
    }

    fn merge(&mut self, other: &MetricAggregate) {
        self.count += other.count;
        self.never += other.never;
        self.sum.merge(other.sum);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.hist.merge(&other.hist);
    }

    pub fn stats(&self) -> MetricStats {
        let s = scale(self.metric);
        let has = self.count > 0;
        // Bucket midpoints are clamped into [min, max] so that, e.g., p50 of a constant is exact.
        let q = |q: f64| {
            self.hist
                .quantile(q)
                .map(|v| (v / s).clamp(self.min, self.max))
        };
        MetricStats {
            count: self.count,
            never: self.never,
            mean: has.then(|| self.sum.value() / self.count as f64),
            p50: q(0.5),
            p90: q(0.9),
            p99: q(0.99),
            min: has.then_some(self.min),
            max: has.then_some(self.max),
        }
    }

    /// The `q`-quantile with a distribution-free 95 % interval: the order statistics at the
    /// ranks n·q ∓ 1.96·√(n·q·(1 − q)) (the normal approximation of the binomial count of
    /// values below the quantile). `None` without values.
    pub fn quantile_estimate(&self, q: f64) -> Option<Estimate> {
        let n = self.hist.total;
        let s = scale(self.metric);
        let value = |rank: u64| {
            self.hist
                .at_rank(rank)
                .map(|v| (v / s).clamp(self.min, self.max))
        };
        let nq = n as f64 * q;
        let half = 1.96 * (nq * (1.0 - q)).max(0.0).sqrt();
        let rank = |x: f64| x.clamp(1.0, n as f64) as u64;
        Some(Estimate {
            value: self
                .hist
                .quantile(q)
                .map(|v| (v / s).clamp(self.min, self.max))?,
            low: value(rank((nq - half).floor()))?,
            high: value(rank((nq + half).ceil() + 1.0))?,
        })
    }

    /// Counts between consecutive `edges`, given in the metric's raw unit.
    pub fn counts_between(&self, edges: &[f64]) -> Vec<u64> {
        let s = scale(self.metric);
        let scaled: Vec<f64> = edges.iter().map(|e| e * s).collect();
        self.hist.counts_between(&scaled)
    }

    pub fn metric(&self) -> Metric {
        self.metric
    }
}

/// Everything a batch of runs measured, in constant memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "wire::Aggregate", try_from = "wire::Aggregate")]
pub struct Aggregate {
    pub runs: u64,
    pub prevented: u64,
    pub prevented_by: [u64; SafeguardId::COUNT],
    pub contained: u64,
    pub outages: u64,
    pub detected_by: [u64; Detector::COUNT],
    /// Runs in which the service went away and nothing ever detected it.
    pub undetected: u64,
    pub engine_events: u64,
    metrics: Vec<MetricAggregate>,
    /// Sums by batch of runs (run index mod `BATCHES`), for the intervals of means.
    batches: [BatchSums; BATCHES],
}

/// How the intervals are taken, in one sentence for a reader.
pub const INTERVALS: &str = "95 % intervals: means (error budget, expected loss) across ten batches of runs (run i in batch i mod 10, each batch its own seeds' runs, Student's t), differences between configurations paired batch by batch; percentiles from the order statistics around their rank; shares of runs by Wilson's score interval.";

/// The number of batches of runs means get their intervals across.
pub const BATCHES: usize = 10;

/// The metrics whose means are kept by batch: what the ranking and its expected losses use.
pub const BATCHED: [Metric; 4] = [
    Metric::ErrorBudgetUsed,
    Metric::TimeToMitigate,
    Metric::LostEvents,
    Metric::TimeToDetect,
];

/// One batch's counts and exact sums of the batched metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct BatchSums {
    runs: u64,
    prevented: u64,
    count: [u64; BATCHED.len()],
    sum: [ExactSum; BATCHED.len()],
}

impl BatchSums {
    fn merge(&mut self, other: &BatchSums) {
        self.runs += other.runs;
        self.prevented += other.prevented;
        for i in 0..BATCHED.len() {
            self.count[i] += other.count[i];
            self.sum[i].merge(other.sum[i]);
        }
    }
}

/// Which runs a mean is taken over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeanOver {
    /// Every run (a run in which the metric has no value counts 0: a prevented outage costs no
    /// minutes and loses no event): a figure per incident.
    AllRuns,
    /// The runs in which the metric has a value: a figure per outage.
    RunsWithValue,
}

/// A figure with its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// The same estimate in another unit (`× k`).
    pub fn scaled(self, k: f64) -> Estimate {
        Estimate {
            value: self.value * k,
            low: self.low * k,
            high: self.high * k,
        }
    }
}

/// Student's t at 97.5 % for 1 to 9 degrees of freedom.
const T975: [f64; 9] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
];

/// A mean (the value given) with the interval from the spread of per-batch values.
fn across_batches(value: f64, per_batch: &[f64]) -> Estimate {
    let k = per_batch.len();
    if k < 2 {
        return Estimate {
            value,
            low: value,
            high: value,
        };
    }
    let m = per_batch.iter().sum::<f64>() / k as f64;
    let var = per_batch.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (k - 1) as f64;
    let half = T975[(k - 2).min(T975.len() - 1)] * (var / k as f64).sqrt();
    Estimate {
        value,
        low: value - half,
        high: value + half,
    }
}

impl Default for Aggregate {
    fn default() -> Self {
        Self::new()
    }
}

impl Aggregate {
    pub fn new() -> Aggregate {
        Aggregate {
            runs: 0,
            prevented: 0,
            prevented_by: [0; SafeguardId::COUNT],
            contained: 0,
            outages: 0,
            detected_by: [0; Detector::COUNT],
            undetected: 0,
            engine_events: 0,
            metrics: Metric::ALL
                .iter()
                .map(|&m| MetricAggregate::new(m))
                .collect(),
            batches: [BatchSums::default(); BATCHES],
        }
    }

    /// Adds a run, in the batch of the run count so far (see `add_run`).
    pub fn add(&mut self, r: &RunRecord) {
        self.add_run(self.runs, r);
    }

    /// Adds run number `run` of its batch of runs: it counts in batch `run mod BATCHES`, so the
    /// parts of a batch split by run index merge into the same batches.
    pub fn add_run(&mut self, run: u64, r: &RunRecord) {
        let b = &mut self.batches[(run % BATCHES as u64) as usize];
        b.runs += 1;
        if matches!(r.outcome, Outcome::Prevented(_)) {
            b.prevented += 1;
        }
        for (i, m) in BATCHED.iter().enumerate() {
            if m.applies(r) {
                if let Some(v) = m.value(r) {
                    b.count[i] += 1;
                    b.sum[i].add(v);
                }
            }
        }
        self.runs += 1;
        self.engine_events += r.engine_events;
        match r.outcome {
            Outcome::Prevented(by) => {
                self.prevented += 1;
                self.prevented_by[by.index()] += 1;
            }
            Outcome::Contained => self.contained += 1,
            Outcome::Outage => self.outages += 1,
        }
        if r.gone_at.is_some() {
            match r.detected_by {
                Some(d) => self.detected_by[d.index()] += 1,
                None => self.undetected += 1,
            }
        }
        for agg in &mut self.metrics {
            if agg.metric.applies(r) {
                agg.add(agg.metric.value(r));
            }
        }
    }

    pub fn merge(&mut self, other: &Aggregate) {
        self.runs += other.runs;
        self.prevented += other.prevented;
        self.contained += other.contained;
        self.outages += other.outages;
        self.undetected += other.undetected;
        self.engine_events += other.engine_events;
        for (a, b) in self.prevented_by.iter_mut().zip(other.prevented_by) {
            *a += b;
        }
        for (a, b) in self.detected_by.iter_mut().zip(other.detected_by) {
            *a += b;
        }
        for (a, b) in self.metrics.iter_mut().zip(&other.metrics) {
            a.merge(b);
        }
        for (a, b) in self.batches.iter_mut().zip(&other.batches) {
            a.merge(b);
        }
    }

    /// The mean of a batched metric over the runs named, with its interval across batches
    /// (`None` for a metric not in `BATCHED`, or with no run to take it over).
    pub fn mean_estimate(&self, metric: Metric, over: MeanOver) -> Option<Estimate> {
        let i = BATCHED.iter().position(|&m| m == metric)?;
        let m = self.metric(metric);
        let denominator = |runs: u64, count: u64| match over {
            MeanOver::AllRuns => runs,
            MeanOver::RunsWithValue => count,
        };
        let total = denominator(self.runs, m.count);
        if total == 0 {
            return None;
        }
        let per_batch: Vec<f64> = self
            .batches
            .iter()
            .filter(|b| denominator(b.runs, b.count[i]) > 0)
            .map(|b| b.sum[i].value() / denominator(b.runs, b.count[i]) as f64)
            .collect();
        Some(across_batches(m.sum.value() / total as f64, &per_batch))
    }

    /// `self` minus `other` for a batched metric's mean, when both ran the same runs (the same
    /// seed and run indices): the interval is the paired one, across batches.
    pub fn mean_difference(
        &self,
        other: &Aggregate,
        metric: Metric,
        over: MeanOver,
    ) -> Option<Estimate> {
        let i = BATCHED.iter().position(|&m| m == metric)?;
        let value =
            self.mean_estimate(metric, over)?.value - other.mean_estimate(metric, over)?.value;
        let denominator = |b: &BatchSums| match over {
            MeanOver::AllRuns => b.runs,
            MeanOver::RunsWithValue => b.count[i],
        };
        let per_batch: Vec<f64> = self
            .batches
            .iter()
            .zip(&other.batches)
            .filter(|(a, b)| denominator(a) > 0 && denominator(b) > 0)
            .map(|(a, b)| {
                a.sum[i].value() / denominator(a) as f64 - b.sum[i].value() / denominator(b) as f64
            })
            .collect();
        Some(across_batches(value, &per_batch))
    }

    /// The share of runs prevented, with Wilson's 95 % score interval.
    pub fn prevented_estimate(&self) -> Estimate {
        wilson(self.prevented, self.runs)
    }

    /// A metric's `q`-quantile with its interval (see `MetricAggregate::quantile_estimate`).
    pub fn quantile_estimate(&self, metric: Metric, q: f64) -> Option<Estimate> {
        self.metric(metric).quantile_estimate(q)
    }

    pub fn metric(&self, metric: Metric) -> &MetricAggregate {
        &self.metrics[metric.index()]
    }

    pub fn stats(&self, metric: Metric) -> MetricStats {
        self.metric(metric).stats()
    }

    /// Share of runs (0–1) in which the service never went away.
    pub fn prevented_share(&self) -> f64 {
        ratio(self.prevented, self.runs)
    }

    /// Share of runs with an outage (full or contained) first detected by `detector`.
    pub fn detected_share(&self, detector: Detector) -> f64 {
        ratio(
            self.detected_by[detector.index()],
            self.outages + self.contained,
        )
    }

    pub fn prevented_by(&self, id: SafeguardId) -> u64 {
        self.prevented_by[id.index()]
    }
}

/// The serialized form of an `Aggregate`: plain fields, metrics in `Metric::ALL` order, and each
/// histogram as its non-empty buckets only (gaps between their indices, and counts).
mod wire {
    use serde::{Deserialize, Serialize};

    use super::{ExactSum, LogHistogram, MetricAggregate};
    use crate::metrics::Metric;
    use crate::safeguards::SafeguardId;
    use crate::trace::Detector;

    #[derive(Serialize, Deserialize)]
    pub struct Aggregate {
        runs: u64,
        prevented: u64,
        prevented_by: Vec<u64>,
        contained: u64,
        outages: u64,
        detected_by: Vec<u64>,
        undetected: u64,
        engine_events: u64,
        metrics: Vec<MetricPart>,
        batches: Vec<BatchPart>,
    }

    /// A batch's sums: runs, prevented, then (count, fixed-point sum) per batched metric.
    #[derive(Serialize, Deserialize)]
    pub struct BatchPart {
        runs: u64,
        prevented: u64,
        sums: Vec<(u64, i128)>,
    }

    #[derive(Serialize, Deserialize)]
    pub struct MetricPart {
        count: u64,
        never: u64,
        sum: i128,
        min: f64,
        max: f64,
        /// (buckets skipped since the previous non-empty one, count).
        buckets: Vec<(u32, u32)>,
    }

    impl From<super::Aggregate> for Aggregate {
        fn from(a: super::Aggregate) -> Self {
            Aggregate {
                runs: a.runs,
                prevented: a.prevented,
                prevented_by: a.prevented_by.to_vec(),
                contained: a.contained,
                outages: a.outages,
                detected_by: a.detected_by.to_vec(),
                undetected: a.undetected,
                engine_events: a.engine_events,
                metrics: a.metrics.iter().map(MetricPart::from).collect(),
                batches: a
                    .batches
                    .iter()
                    .map(|b| BatchPart {
                        runs: b.runs,
                        prevented: b.prevented,
                        sums: b.count.iter().zip(&b.sum).map(|(&c, s)| (c, s.0)).collect(),
                    })
                    .collect(),
            }
        }
    }

    impl From<&MetricAggregate> for MetricPart {
        fn from(m: &MetricAggregate) -> Self {
            let mut buckets = Vec::new();
            let mut next = 0usize;
            for (i, &c) in m.hist.counts.iter().enumerate() {
                if c > 0 {
                    buckets.push(((i - next) as u32, c));
                    next = i + 1;
                }
            }
            MetricPart {
                count: m.count,
                never: m.never,
                sum: m.sum.0,
                min: m.min,
                max: m.max,
                buckets,
            }
        }
    }

    fn array<const N: usize>(v: Vec<u64>, what: &str) -> Result<[u64; N], String> {
        v.try_into()
            .map_err(|v: Vec<u64>| format!("{what}: {} entries, expected {N}", v.len()))
    }

    /// A metric's summary back from its wire form (buckets checked to be in range).
    fn metric_from_part(metric: Metric, m: MetricPart) -> Result<MetricAggregate, String> {
        let mut hist = LogHistogram::default();
        let mut index = 0usize;
        for (gap, count) in m.buckets {
            index = index
                .checked_add(gap as usize)
                .filter(|&i| i < 64 * 256)
                .ok_or("a histogram bucket out of range")?;
            if hist.counts.len() <= index {
                hist.counts.resize(index + 1, 0);
            }
            hist.counts[index] = count;
            hist.total += count as u64;
            index += 1;
        }
        Ok(MetricAggregate {
            metric,
            count: m.count,
            never: m.never,
            sum: ExactSum(m.sum),
            min: m.min,
            max: m.max,
            hist,
        })
    }

    #[derive(Serialize, Deserialize)]
    pub struct Differences {
        runs: u64,
        /// Per metric in `Metric::ALL` order: (lower, higher, same, unpaired).
        metrics: Vec<(MetricPart, MetricPart, u64, u64)>,
    }

    impl From<super::Differences> for Differences {
        fn from(d: super::Differences) -> Self {
            Differences {
                runs: d.runs,
                metrics: d
                    .metrics
                    .iter()
                    .map(|m| {
                        (
                            MetricPart::from(&m.lower),
                            MetricPart::from(&m.higher),
                            m.same,
                            m.unpaired,
                        )
                    })
                    .collect(),
            }
        }
    }

    impl TryFrom<Differences> for super::Differences {
        type Error = String;

        fn try_from(d: Differences) -> Result<Self, String> {
            if d.metrics.len() != Metric::ALL.len() {
                return Err(format!(
                    "{} metric differences, expected {}",
                    d.metrics.len(),
                    Metric::ALL.len()
                ));
            }
            let metrics = Metric::ALL
                .iter()
                .zip(d.metrics)
                .map(|(&metric, (lower, higher, same, unpaired))| {
                    Ok(super::MetricDifference {
                        metric,
                        lower: metric_from_part(metric, lower)?,
                        higher: metric_from_part(metric, higher)?,
                        same,
                        unpaired,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(super::Differences {
                runs: d.runs,
                metrics,
            })
        }
    }

    impl TryFrom<Aggregate> for super::Aggregate {
        type Error = String;

        fn try_from(a: Aggregate) -> Result<Self, String> {
            if a.metrics.len() != Metric::ALL.len() {
                return Err(format!(
                    "{} metrics, expected {}",
                    a.metrics.len(),
                    Metric::ALL.len()
                ));
            }
            let metrics = Metric::ALL
                .iter()
                .zip(a.metrics)
                .map(|(&metric, m)| metric_from_part(metric, m))
                .collect::<Result<Vec<_>, String>>()?;
            if a.batches.len() != super::BATCHES {
                return Err(format!(
                    "{} batches, expected {}",
                    a.batches.len(),
                    super::BATCHES
                ));
            }
            let mut batches = [super::BatchSums::default(); super::BATCHES];
            for (slot, b) in batches.iter_mut().zip(a.batches) {
                if b.sums.len() != super::BATCHED.len() {
                    return Err(format!(
                        "{} batched sums, expected {}",
                        b.sums.len(),
                        super::BATCHED.len()
                    ));
                }
                slot.runs = b.runs;
                slot.prevented = b.prevented;
                for (i, (count, sum)) in b.sums.into_iter().enumerate() {
                    slot.count[i] = count;
                    slot.sum[i] = ExactSum(sum);
                }
            }
            Ok(super::Aggregate {
                runs: a.runs,
                prevented: a.prevented,
                prevented_by: array::<{ SafeguardId::ALL.len() }>(a.prevented_by, "prevented_by")?,
                contained: a.contained,
                outages: a.outages,
                detected_by: array::<{ Detector::ALL.len() }>(a.detected_by, "detected_by")?,
                undetected: a.undetected,
                engine_events: a.engine_events,
                metrics,
                batches,
            })
        }
    }
}

/// Wilson's score interval at 95 % for `k` of `n`.
fn wilson(k: u64, n: u64) -> Estimate {
    if n == 0 {
        return Estimate {
            value: 0.0,
            low: 0.0,
            high: 1.0,
        };
    }
    let (n_f, p) = (n as f64, k as f64 / n as f64);
    let z2 = 1.96f64 * 1.96;
    let centre = (p + z2 / (2.0 * n_f)) / (1.0 + z2 / n_f);
    let half = 1.96 * ((p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt()) / (1.0 + z2 / n_f);
    Estimate {
        value: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// One metric's per-run differences between the two arms of a paired batch (the other arm's
/// value minus the base arm's, run by run on the same random numbers): how much earlier or
/// later, more or fewer. Kept as two streaming summaries of magnitudes (one per sign) and a
/// count of equal runs, so it merges exactly like a `MetricAggregate`.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricDifference {
    metric: Metric,
    /// Magnitudes of the runs where the other arm's value is lower.
    lower: MetricAggregate,
    /// Magnitudes of the runs where it is higher.
    higher: MetricAggregate,
    /// Runs where both arms have the same value.
    same: u64,
    /// Runs where one arm has the metric and the other does not (a prevented outage has no
    /// time to mitigate): not comparable run by run.
    unpaired: u64,
}

/// A metric's paired difference in figures, in its raw unit (milliseconds for durations):
/// negative when the other arm's value is lower.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DifferenceStats {
    /// Runs in which both arms had the metric.
    pub count: u64,
    pub unpaired: u64,
    pub mean: Option<f64>,
    pub p10: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
}

impl MetricDifference {
    fn new(metric: Metric) -> MetricDifference {
        MetricDifference {
            metric,
            lower: MetricAggregate::new(metric),
            higher: MetricAggregate::new(metric),
            same: 0,
            unpaired: 0,
        }
    }

    fn add(&mut self, base: Option<f64>, other: Option<f64>) {
        match (base, other) {
            (Some(b), Some(o)) if o < b => self.lower.add(Some(b - o)),
            (Some(b), Some(o)) if o > b => self.higher.add(Some(o - b)),
            (Some(_), Some(_)) => self.same += 1,
            (None, None) => {}
            _ => self.unpaired += 1,
        }
    }

    fn merge(&mut self, other: &MetricDifference) {
        self.lower.merge(&other.lower);
        self.higher.merge(&other.higher);
        self.same += other.same;
        self.unpaired += other.unpaired;
    }

    /// Runs in which both arms had the metric.
    pub fn count(&self) -> u64 {
        self.lower.count + self.same + self.higher.count
    }

    /// The nearest-rank `q`-quantile of the signed difference.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let (below, same) = (self.lower.count, self.same);
        // The k-th smallest of a summary, asked as a rank that `quantile` rounds up to k.
        let kth = |m: &MetricAggregate, k: u64| {
            let s = scale(self.metric);
            m.hist
                .quantile((k as f64 - 0.5) / m.count as f64)
                .map(|v| (v / s).clamp(m.min, m.max))
        };
        if rank <= below {
            // The most negative differences are the largest magnitudes of `lower`.
            kth(&self.lower, below - rank + 1).map(|v| -v)
        } else if rank <= below + same {
            Some(0.0)
        } else {
            kth(&self.higher, rank - below - same)
        }
    }

    pub fn stats(&self) -> DifferenceStats {
        let n = self.count();
        DifferenceStats {
            count: n,
            unpaired: self.unpaired,
            mean: (n > 0).then(|| (self.higher.sum.value() - self.lower.sum.value()) / n as f64),
            p10: self.quantile(0.1),
            p50: self.quantile(0.5),
            p90: self.quantile(0.9),
        }
    }

    pub fn metric(&self) -> Metric {
        self.metric
    }
}

/// Every metric's paired difference over the runs of a paired batch (see
/// `montecarlo::Batch::paired`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "wire::Differences", try_from = "wire::Differences")]
pub struct Differences {
    pub runs: u64,
    metrics: Vec<MetricDifference>,
}

impl Default for Differences {
    fn default() -> Self {
        Self::new()
    }
}

impl Differences {
    pub fn new() -> Differences {
        Differences {
            runs: 0,
            metrics: Metric::ALL
                .iter()
                .map(|&m| MetricDifference::new(m))
                .collect(),
        }
    }

    /// Adds one run of both arms (same run seed).
    pub fn add(&mut self, base: &RunRecord, other: &RunRecord) {
        self.runs += 1;
        for d in &mut self.metrics {
            let value = |r: &RunRecord| d.metric.applies(r).then(|| d.metric.value(r)).flatten();
            let (b, o) = (value(base), value(other));
            d.add(b, o);
        }
    }

    pub fn merge(&mut self, other: &Differences) {
        self.runs += other.runs;
        for (a, b) in self.metrics.iter_mut().zip(&other.metrics) {
            a.merge(b);
        }
    }

    pub fn metric(&self, metric: Metric) -> &MetricDifference {
        &self.metrics[metric.index()]
    }

    pub fn stats(&self, metric: Metric) -> DifferenceStats {
        self.metric(metric).stats()
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_tile_the_integers() {
        let mut expected_lo = 0u64;
        for i in 0..(40 * SUB as usize) {
            let (lo, width) = LogHistogram::bucket(i);
            assert_eq!(lo, expected_lo, "bucket {i}");
            assert_eq!(LogHistogram::index(lo), i);
            assert_eq!(LogHistogram::index(lo + width - 1), i);
            expected_lo = lo + width;
        }
    }

    #[test]
    fn quantiles_are_within_bucket_precision() {
        let mut h = LogHistogram::default();
        for v in 1..=100_000u64 {
            h.record(v * 37);
        }
        for (q, exact) in [
            (0.5, 50_000.0 * 37.0),
            (0.9, 90_000.0 * 37.0),
            (0.99, 99_000.0 * 37.0),
        ] {
            let got = h.quantile(q).unwrap();
            assert!((got / exact - 1.0).abs() < 0.002, "q{q}: {got} vs {exact}");
        }
        assert_eq!(h.quantile(0.5), {
            let mut m = h.clone();
            m.merge(&LogHistogram::default());
            m.quantile(0.5)
        });
    }

    #[test]
    fn counts_between_edges_conserve_counts() {
        let mut h = LogHistogram::default();
        for v in 0..1000u64 {
            h.record(v * 10);
        }
        let bins = h.counts_between(&[0.0, 100.0, 1000.0, 5000.0, 10_000.0]);
        assert_eq!(bins.iter().sum::<u64>(), 1000);
        // Exact below 512; within one bucket (0.4 %) of the edge above.
        assert_eq!(&bins[..2], &[10, 90]);
        assert!(
            bins[2].abs_diff(400) <= 1 && bins[3].abs_diff(500) <= 1,
            "{bins:?}"
        );
    }

    #[test]
    fn equal_bins_conserve_counts() {
        let mut h = LogHistogram::default();
        for v in 0..10_000u64 {
            h.record(v);
        }
        let edges: Vec<f64> = (0..=10).map(|k| k as f64 * 1000.0).collect();
        let bins = h.counts_between(&edges);
        assert_eq!(bins.iter().sum::<u64>(), 10_000);
        assert!(bins.iter().all(|&b| (990..=1010).contains(&b)), "{bins:?}");
    }
}
