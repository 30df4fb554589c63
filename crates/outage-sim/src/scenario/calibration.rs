//! Monte Carlo calibration, fixed to the record: the recorded day is a typical day.
//!
//! Each step of the response is a log-normal delay (with a small share of much longer ones: the
//! one who knows is away). A sum of such delays has a median above the sum of their medians, so
//! if every step kept its recorded delay as its median, the median Monte Carlo day would be
//! several per cent longer than the recorded one, and a replay and a median would give two
//! different figures for "as it happened".
//!
//! So the median a step is drawn around is its recorded delay times a factor. The factors are
//! the smallest change, measured in each step's own spread (Σ (ln fᵢ / σᵢ)²), that makes the
//! median of every composite duration of the record (`COMPOSITES`: first status post, time to
//! mitigate, recover data, resolve, reported duration) equal its recorded value. A duration of
//! a single step keeps that step's median only if the step is not calibrated (the step table
//! says which): time to acknowledge stays the record's 4 minutes; time to detect does not,
//! because reported duration and time to resolve differ by exactly the undetected window, and
//! with that window as spread as it is their medians differ by more than its median, so its
//! median has to give. A replay keeps every recorded delay; only Monte Carlo uses the factors.
//!
//! The factors are solved **once**, from the scenario as its file states it (its record, its
//! spreads, its own assumptions), and kept with the scenario (`Scenario::calibration`) and in
//! every file it is exported to. A variant, a room decision or a safeguard never solves them
//! again, so an assumption changes only what it drives: more sites lengthen the looper, not the
//! mobilisation. Where a variant makes a fixed factor meaningless (it sets a step's median, so
//! Monte Carlo draws around the variant's own number; or it changes a spread the factor was
//! solved for), `Scenario::calibration_notes` says so, as it says which factor sits at its
//! limit.
//!
//! The medians are computed on a fixed Latin-hypercube sample (4 096 points per step, each
//! step's points in its own fixed order, the same share of them "away" as the tail
//! assumption), so calibration is deterministic and the same natively and in the browser. It
//! is a few Gauss–Newton steps of a minimum-norm problem and takes about a millisecond.

use strum::EnumCount;

use super::{AssumptionId, Median, Scenario, StepId, StepKind, COMPOSITES};
use crate::rng::{median_preserving_scale, normal_quantile, Rng, StreamId};
use crate::time::Millis;

/// Points per step of the sample the medians are computed on.
const SAMPLES: usize = 4096;
/// Gauss–Newton steps at most; three or four reach the tolerance.
const MAX_ITERATIONS: usize = 16;
/// Stop when every composite median, on the fixed sample, is within this (relative, as a
/// logarithm) of its target: 0.05 %. The sample itself is the larger error: Monte Carlo's own
/// medians land within about 0.5 % of the replay; `tests/replay_golden.rs` holds them to 2 %
/// for seeds 1 to 5.
const TOLERANCE: f64 = 5e-4;
/// No step's median moves by more than this factor either way.
pub const MAX_FACTOR: f64 = 4.0;
/// The seed of the fixed sample (any constant: it only orders each step's points).
const SAMPLE_SEED: u64 = 0xCA1B_0A7E;
/// A second, independent order of each step's points picks its "away" points.
const AWAY_SEED: u64 = 0xA3A7_0FF1;

/// The factor each step's median is multiplied by for Monte Carlo, indexed by `StepId`, and
/// the spreads they were solved for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    factors: [f64; StepId::COUNT],
    sigma: [f64; StepId::COUNT],
}

impl Default for Calibration {
    fn default() -> Self {
        Calibration::none()
    }
}

/// What a calibration is solved from: every step's delay as a replay keeps it, its spread, and
/// the tail (the share of draws in which the one who knows is away, and how much longer those
/// take).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CalibrationInputs {
    pub recorded: [Millis; StepId::COUNT],
    pub sigma: [f64; StepId::COUNT],
    pub away_share: f64,
    pub away_factor: f64,
}

impl Calibration {
    /// No calibration: every median is the recorded delay.
    pub fn none() -> Calibration {
        Calibration {
            factors: [1.0; StepId::COUNT],
            sigma: [0.0; StepId::COUNT],
        }
    }

    /// A calibration as stored: its factors and the spreads it was solved for.
    pub fn from_parts(factors: [f64; StepId::COUNT], sigma: [f64; StepId::COUNT]) -> Calibration {
        Calibration { factors, sigma }
    }

    /// Solves the calibration of a scenario as it stands (its record, spreads and
    /// assumptions). Validation does this once, from the file; nothing else needs to.
    pub fn solve_for(scenario: &Scenario) -> Calibration {
        let inputs = CalibrationInputs {
            recorded: scenario.recorded_steps(),
            sigma: StepId::ALL.map(|id| scenario.steps[id].sigma),
            away_share: scenario.assumptions.value(AssumptionId::AwayShare),
            away_factor: scenario.assumptions.value(AssumptionId::AwayFactor),
        };
        let factors = solve(&inputs);
        Calibration {
            // The spread a factor was solved for matters only where it moved the median.
            sigma: std::array::from_fn(|i| {
                if factors[i] == 1.0 {
                    0.0
                } else {
                    inputs.sigma[i]
                }
            }),
            factors,
        }
    }

    pub fn factor(&self, step: StepId) -> f64 {
        self.factors[step.index()]
    }

    /// The spread the step's factor was solved for.
    pub fn sigma(&self, step: StepId) -> f64 {
        self.sigma[step.index()]
    }

    /// The steps whose median calibration moved, with their factors.
    pub fn moved(&self) -> impl Iterator<Item = (StepId, f64)> + '_ {
        StepId::ALL
            .into_iter()
            .map(|id| (id, self.factor(id)))
            .filter(|(_, f)| *f != 1.0)
    }

    /// The steps whose factor sits at its limit (×4 either way): calibration could not move
    /// them as far as the record asks, so the composite medians it could not reach are off.
    pub fn at_limit(&self) -> impl Iterator<Item = StepId> + '_ {
        let limit = MAX_FACTOR.ln();
        StepId::ALL
            .into_iter()
            .filter(move |id| (self.factor(*id).ln().abs() - limit).abs() < 1e-9)
    }
}

impl Scenario {
    /// The factor Monte Carlo draws a step's median with: the fixed calibration's, except for a
    /// recorded step whose median a variant set, which is drawn around that median as given.
    pub fn monte_carlo_factor(&self, step: StepId) -> f64 {
        let own_median = matches!(self.steps[step].median, Median::Fixed { .. })
            && matches!(step.row().kind, StepKind::Recorded { .. });
        if own_median {
            1.0
        } else {
            self.calibration.factor(step)
        }
    }

    /// What to know about the fixed calibration of this scenario as it stands: a factor at its
    /// limit, and a factor a variant made meaningless (a median set, a spread changed). Empty
    /// for the scenario as its file states it, unless a factor is at its limit.
    pub fn calibration_notes(&self) -> Vec<String> {
        let c = &self.calibration;
        let mut notes: Vec<String> = c
            .at_limit()
            .map(|id| {
                format!(
                    "{}: its calibration factor is at its limit (× {}): the Monte Carlo medians of the record's durations through it stay off the record",
                    id.key(),
                    crate::numfmt::trimmed(c.factor(id), 2)
                )
            })
            .collect();
        for (id, f) in c.moved() {
            let step = &self.steps[id];
            if matches!(step.median, Median::Fixed { .. }) && id.is_recorded() {
                notes.push(format!(
                    "{}: its median is set for this variant, so the record's calibration factor × {} no longer applies: Monte Carlo draws around the variant's own median",
                    id.key(),
                    crate::numfmt::trimmed(f, 2)
                ));
            } else if step.sigma != c.sigma(id) {
                notes.push(format!(
                    "{}: its spread is {} for this variant; the calibration factor × {} was solved for {}, so the median Monte Carlo day no longer matches the record's durations",
                    id.key(),
                    crate::numfmt::trimmed(step.sigma, 3),
                    crate::numfmt::trimmed(f, 2),
                    crate::numfmt::trimmed(c.sigma(id), 3)
                ));
            }
        }
        notes
    }
}

/// A composite duration: the steps it spans and the sum of their recorded delays.
struct Composite {
    steps: Vec<usize>,
    target: f64,
}

fn composites(recorded: &[Millis; StepId::COUNT]) -> Vec<Composite> {
    COMPOSITES
        .iter()
        .filter_map(|&(from, to)| StepId::path(from, to))
        .filter(|path| path.len() >= 2)
        .map(|path| Composite {
            target: path.iter().map(|s| recorded[s.index()] as f64).sum(),
            steps: path.iter().map(|s| s.index()).collect(),
        })
        .filter(|c| c.target > 0.0)
        .collect()
}

/// A fixed random order of `0..SAMPLES` for one step.
fn shuffled(seed: u64, step: StepId) -> Vec<usize> {
    let mut order: Vec<usize> = (0..SAMPLES).collect();
    let mut rng = Rng::new(seed, StreamId::from(step));
    for k in (1..SAMPLES).rev() {
        let j = ((rng.unit() * (k + 1) as f64) as usize).min(k);
        order.swap(k, j);
    }
    order
}

/// The calibration factors for steps with these inputs.
pub fn solve(inputs: &CalibrationInputs) -> [f64; StepId::COUNT] {
    const N: usize = StepId::COUNT;
    let (recorded, sigma) = (&inputs.recorded, &inputs.sigma);
    let composites = composites(recorded);
    let mut used = [false; N];
    for c in &composites {
        for &i in &c.steps {
            used[i] = true;
        }
    }
    // Weight of a step's log-factor in the norm: its variance, so a very uncertain step moves
    // more readily than a tight one; zero for steps calibration must not move.
    let weight: [f64; N] = std::array::from_fn(|i| {
        let free = used[i] && StepId::ALL[i].row().calibrated && sigma[i] > 0.0;
        if free {
            sigma[i] * sigma[i]
        } else {
            0.0
        }
    });
    if composites.is_empty() || weight.iter().all(|&w| w == 0.0) {
        return [1.0; N];
    }

    // The sample: point k of step i is the recorded delay times exp(σᵢ zₖ) for the standard
    // normal quantiles zₖ at (k + ½)/n, each step visiting them in its own fixed order; the
    // first `away_share` of a second fixed order are the draws in which the one who knows is
    // away, which take `away_factor` times as long (as `Rng::step_delay` draws them), all
    // scaled so the tail keeps each step's own median (as the plan scales them).
    let z: Vec<f64> = (0..SAMPLES)
        .map(|k| normal_quantile((k as f64 + 0.5) / SAMPLES as f64))
        .collect();
    let away_points = (inputs.away_share.clamp(0.0, 1.0) * SAMPLES as f64).round() as usize;
    let sample: Vec<Vec<f64>> = (0..N)
        .map(|i| {
            if !used[i] {
                return Vec::new();
            }
            let order = shuffled(SAMPLE_SEED, StepId::ALL[i]);
            let keep_median =
                median_preserving_scale(sigma[i], inputs.away_share, inputs.away_factor);
            let mut away = vec![false; SAMPLES];
            for &k in shuffled(AWAY_SEED, StepId::ALL[i]).iter().take(away_points) {
                away[k] = true;
            }
            order
                .iter()
                .zip(&away)
                .map(|(&k, &is_away)| {
                    let v = recorded[i] as f64 * keep_median * exp(sigma[i] * z[k]);
                    if is_away {
                        v * inputs.away_factor
                    } else {
                        v
                    }
                })
                .collect()
        })
        .collect();

    let limit = ln(MAX_FACTOR);
    let m = composites.len();
    let mut x = [0.0f64; N];
    let mut sums = vec![0.0f64; SAMPLES];
    let mut scratch = vec![0.0f64; SAMPLES];
    for _ in 0..MAX_ITERATIONS {
        let f: [f64; N] = std::array::from_fn(|i| exp(x[i]));
        let mut residual = vec![0.0f64; m];
        let mut jacobian = vec![[0.0f64; N]; m];
        for (j, c) in composites.iter().enumerate() {
            sums.iter_mut().for_each(|s| *s = 0.0);
            for &i in &c.steps {
                for (s, v) in sums.iter_mut().zip(&sample[i]) {
                    *s += f[i] * v;
                }
            }
            scratch.copy_from_slice(&sums);
            let median = median_of(&mut scratch);
            residual[j] = ln(median / c.target);
            // d ln(median) / d ln(fᵢ) = E[Xᵢ | sum = median] / median, estimated with a
            // triangular kernel over the points whose sum is within 5 % of the median.
            let h = 0.05 * median;
            let mut total = 0.0;
            let mut share = [0.0f64; N];
            for (k, &s) in sums.iter().enumerate() {
                let w = 1.0 - (s - median).abs() / h;
                if w <= 0.0 {
                    continue;
                }
                total += w;
                for &i in &c.steps {
                    share[i] += w * f[i] * sample[i][k];
                }
            }
            for &i in &c.steps {
                if weight[i] > 0.0 && total > 0.0 {
                    jacobian[j][i] = share[i] / (total * median);
                }
            }
        }
        if residual.iter().all(|r| r.abs() < TOLERANCE) {
            break;
        }
        // Minimum of Σ xᵢ²/wᵢ subject to the linearised constraints J·x' = J·x − r:
        // x' = W·Jᵀ·λ with (J·W·Jᵀ)·λ = J·x − r.
        let mut a = vec![vec![0.0f64; m]; m];
        let mut b = vec![0.0f64; m];
        for p in 0..m {
            b[p] = (0..N).map(|i| jacobian[p][i] * x[i]).sum::<f64>() - residual[p];
            for q in 0..m {
                a[p][q] = (0..N)
                    .map(|i| jacobian[p][i] * weight[i] * jacobian[q][i])
                    .sum();
            }
        }
        let lambda = solve_linear(a, b);
        for i in 0..N {
            let step: f64 = (0..m).map(|p| jacobian[p][i] * lambda[p]).sum();
            x[i] = (weight[i] * step).clamp(-limit, limit);
        }
    }
    // To twelve decimals: a factor then reads back from a file's JSON as the same number.
    std::array::from_fn(|i| {
        if x[i] == 0.0 {
            1.0
        } else {
            libm::round(exp(x[i]) * 1e12) / 1e12
        }
    })
}

// Calibration's exponential and logarithm go through libm functions the random draws do not
// use (expm1, log2): a second caller of the draws' exp2, log or scalbn stops the optimiser
// inlining them into the hot loop at the release profile's size optimisation.

fn exp(x: f64) -> f64 {
    libm::expm1(x) + 1.0
}

fn ln(x: f64) -> f64 {
    libm::log2(x) * core::f64::consts::LN_2
}

/// The median of `values` (the mean of the two middle ones), reordering them.
fn median_of(values: &mut [f64]) -> f64 {
    let n = values.len();
    let (_, upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        return upper;
    }
    let lower = values[..n / 2]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    (lower + upper) / 2.0
}

/// Solves a small dense system by Gaussian elimination with partial pivoting. A tiny ridge
/// keeps it solvable when a constraint has no step left to move (its row is zero).
fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    let scale = (0..n)
        .map(|i| a[i][i].abs())
        .fold(0.0, f64::max)
        .max(1e-300);
    for (i, row) in a.iter_mut().enumerate() {
        row[i] += 1e-12 * scale;
    }
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d == 0.0 {
            continue;
        }
        for row in 0..n {
            if row == col {
                continue;
            }
            let k = a[row][col] / d;
            if k == 0.0 {
                continue;
            }
            let pivot_row = a[col].clone();
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= k * p;
            }
            b[row] -= k * b[col];
        }
    }
    (0..n)
        .map(|i| if a[i][i] == 0.0 { 0.0 } else { b[i] / a[i][i] })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_spread_nothing_moves() {
        let inputs = CalibrationInputs {
            recorded: [60_000; StepId::COUNT],
            sigma: [0.0; StepId::COUNT],
            away_share: 0.0,
            away_factor: 1.0,
        };
        assert_eq!(solve(&inputs), [1.0; StepId::COUNT]);
    }

    #[test]
    fn the_builtin_scenario_keeps_time_to_acknowledge_and_moves_the_rest_modestly() {
        let s = crate::scenario::builtin("eptura-2024-07-10").unwrap();
        let c = s.calibration;
        assert_eq!(c.factor(StepId::NotifyOwner), 1.0);
        assert_eq!(c.factor(StepId::StatusMonitoring), 1.0, "in no composite");
        assert_eq!(c.factor(StepId::ChatNotice), 1.0, "not a recorded step");
        for (id, f) in c.moved() {
            assert!((0.5..2.0).contains(&f), "{id:?} × {f}");
        }
        assert_eq!(
            Calibration::solve_for(&s),
            c,
            "the stored one is the record's"
        );
        assert!(
            s.calibration_notes().is_empty(),
            "{:?}",
            s.calibration_notes()
        );
    }
}
