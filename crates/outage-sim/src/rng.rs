//! Seeded random streams. Every random subsystem of a run (deploy, each detector, each human
//! step, paging…) draws from its own stream derived from (seed, run, stream), so switching a
//! safeguard on never reshuffles the draws of the others: configurations compared on the same
//! seed see common random numbers.
//!
//! Floating-point transforms use `libm`, which is the same Rust code natively and on wasm32, so
//! a run is bit-for-bit identical in the browser and on the command line. (rand_distr's float
//! math follows num-traits' `std` feature, which feature unification can switch on natively and
//! not on wasm.)

use rand::{Rng as _, RngExt};
use rand_pcg::Pcg32;

use crate::time::{Millis, MAX_DELAY};

/// The random subsystems of a run other than the response steps (whose streams are in the
/// step table, `scenario::StepId::row`). The numbers are fixed and never reused: adding a
/// stream never reshuffles the draws of the existing ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumCount, strum::VariantArray)]
#[repr(u64)]
pub enum Stream {
    Deploy = 1,
    Review = 2,
    DeletionGuard = 3,
    Canary = 4,
    Uptime = 5,
    Slo = 6,
    Absent = 7,
    DeployNotice = 8,
    Paging = 9,
    Runbook = 10,
    AutoRollback = 11,
    // 12–23: the response steps (see the step table).
    PruneProtection = 24,
    // The delays of the room's decisions and of curveballs (drawn in Monte Carlo only).
    RoomPage = 25,
    RoomRollBack = 26,
    GatherWithoutPager = 27,
    ImageRebuild = 28,
    /// Whether an alert's cue still points the responders at the change (it fades with the
    /// time since the change).
    ChangeCue = 29,
}

impl Stream {
    pub const ALL: [Stream; <Stream as strum::EnumCount>::COUNT] = crate::all_variants!(Stream);
}

/// The id of a random stream: a subsystem's or a response step's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamId(pub u64);

impl From<Stream> for StreamId {
    #[inline]
    fn from(stream: Stream) -> StreamId {
        StreamId(stream as u64)
    }
}

/// SplitMix64: a bijective 64-bit mixer, used to derive well-spread seeds.
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The seed of run number `run` of a Monte Carlo batch seeded with `seed`. Run 0 of seed S is
/// the same run whatever the batch size, and every configuration sees the same run seeds.
pub fn run_seed(seed: u64, run: u64) -> u64 {
    splitmix64(seed ^ splitmix64(run.wrapping_add(0x5EED)))
}

/// One random stream of one run.
#[derive(Clone, Debug)]
pub struct Rng(Pcg32);

impl Rng {
    pub fn new(run_seed: u64, stream: impl Into<StreamId>) -> Self {
        let id = stream.into().0;
        Rng(Pcg32::new(
            splitmix64(run_seed ^ id.wrapping_mul(0xD6E8_FEB8_6659_FD93)),
            id,
        ))
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in [0, max) milliseconds (0 when `max` is 0).
    pub fn below(&mut self, max: Millis) -> Millis {
        (self.unit() * max as f64) as Millis
    }

    /// Uniform in (0, 1): never exactly 0, so quantile functions stay finite.
    pub fn open_unit(&mut self) -> f64 {
        // 53 random bits, offset by half a step: (k + 0.5) / 2^53 for k in 0..2^53.
        ((self.0.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal deviate by inverse transform: one uniform, one quantile.
    pub fn normal(&mut self) -> f64 {
        normal_quantile(self.open_unit())
    }

    /// A log-normal delay with the given median and log-spread, in whole milliseconds (≥ 1,
    /// at most `MAX_DELAY`).
    ///
    /// Drawn by inverse transform, so the same uniform maps to the same quantile whatever the
    /// median and spread: configurations compared on common random numbers move together.
    pub fn lognormal(&mut self, median: Millis, sigma: f64) -> Millis {
        if sigma == 0.0 {
            return median.clamp(1, MAX_DELAY);
        }
        let z = self.normal();
        // exp(σz) as 2^(σz·log2 e): libm's table-driven exp2 is the faster of the two here.
        let value = median as f64 * libm::exp2(sigma * z * core::f64::consts::LOG2_E);
        // Round half up by truncation: `f64::round` is a libm call on baseline x86-64.
        ((value.min(MAX_DELAY as f64) + 0.5) as Millis).max(1)
    }
}

/// The scale that keeps a step's median where it is once its tail is added: a log-normal of
/// spread `sigma` scaled by it, taking `away_factor` times as long in a share `away_share` of
/// draws, has median 1. The tail lengthens the step's mean and high quantiles, not its median
/// (so a stated or recorded median stays the median). Bisection on the mixture's distribution
/// function; 1 without a tail.
pub fn median_preserving_scale(sigma: f64, away_share: f64, away_factor: f64) -> f64 {
    if away_share <= 0.0 || away_factor <= 1.0 {
        return 1.0;
    }
    if sigma <= 0.0 {
        // A point mass: the median is the common value while most draws are not away.
        return if away_share < 0.5 {
            1.0
        } else {
            1.0 / away_factor
        };
    }
    let cdf = |x: f64| 0.5 * libm::erfc(-x / core::f64::consts::SQRT_2);
    // P(scaled mixture ≤ 1) as a function of the log-scale s (decreasing in s).
    let below_one = |s: f64| {
        (1.0 - away_share) * cdf(-s / sigma)
            + away_share * cdf((-s - libm::log(away_factor)) / sigma)
    };
    let (mut lo, mut hi) = (-libm::log(away_factor), 0.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if below_one(mid) > 0.5 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    libm::exp(0.5 * (lo + hi))
}

impl Rng {
    /// A step of the response: a log-normal delay, taking `away_factor` times as long in a
    /// share `away_share` of draws (the one who knows is away). The second uniform comes after
    /// the log-normal's, so a step's delay without the tail is the same draw. The caller
    /// scales `median` by `median_preserving_scale` so the tail keeps the step's median.
    pub fn step_delay(
        &mut self,
        median: Millis,
        sigma: f64,
        away_share: f64,
        away_factor: f64,
    ) -> Millis {
        let d = self.lognormal(median, sigma);
        if away_share > 0.0 && self.chance(away_share) {
            crate::time::scale_ms(d, away_factor)
        } else {
            d
        }
    }
}

/// The standard normal quantile function Φ⁻¹(p) for p in (0, 1).
///
/// Peter J. Acklam's rational approximation (relative error below 1.15e-9 over the whole
/// range): rational polynomials in the centre, `sqrt(-2 ln p)` in the tails. Only arithmetic and
/// `libm`, so it is bit-for-bit the same natively and on wasm32, and fast: no transcendental
/// function at all for 95 % of draws.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    if p < LOW {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let a: Vec<f64> = (0..5)
            .map({
                let mut r = Rng::new(42, Stream::Uptime);
                move |_| r.unit()
            })
            .collect();
        let b: Vec<f64> = (0..5)
            .map({
                let mut r = Rng::new(42, Stream::Uptime);
                move |_| r.unit()
            })
            .collect();
        let c: Vec<f64> = (0..5)
            .map({
                let mut r = Rng::new(42, Stream::Slo);
                move |_| r.unit()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn normal_quantile_matches_known_values() {
        // Φ⁻¹ at a few probabilities, from standard tables.
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.841_344_746_068_542_9, 1.0),
            (0.001, -3.090_232_306_167_813),
            (1e-9, -5.997_807_015_007_686),
        ] {
            let got = normal_quantile(p);
            assert!(
                (got - z).abs() < 1e-8 * z.abs().max(1.0),
                "p {p}: {got} vs {z}"
            );
        }
        let mut r = Rng::new(3, StreamId(17));
        let n = 200_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            sum += z;
            sq += z * z;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.015,
            "mean {mean} var {var}"
        );
    }

    #[test]
    fn lognormal_median_is_the_median() {
        let mut r = Rng::new(7, StreamId(12));
        let mut v: Vec<Millis> = (0..20_001).map(|_| r.lognormal(240_000, 0.5)).collect();
        v.sort_unstable();
        let median = v[v.len() / 2] as f64;
        assert!((median / 240_000.0 - 1.0).abs() < 0.03, "median {median}");
    }

    #[test]
    fn uniform_below_stays_in_range_with_the_right_mean() {
        let mut r = Rng::new(1, Stream::Deploy);
        let n = 100_000;
        let mut sum = 0i64;
        for _ in 0..n {
            let x = r.below(60_000);
            assert!((0..60_000).contains(&x));
            sum += x;
        }
        let mean = sum as f64 / n as f64;
        assert!((mean - 30_000.0).abs() < 300.0, "mean {mean}");
    }
}
