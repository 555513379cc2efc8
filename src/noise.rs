//! Seeded randomness: gradient ("batch") noise and the samples of random search.
//!
//! ChaCha8 from `rand_chacha` is specified bit for bit, and the normal deviates are made
//! here by the Box–Muller transform (Box & Muller, 1958) rather than by a distribution crate
//! whose algorithm may change between releases: the same seed gives the same numbers forever.
//!
//! Common random numbers: every run of a race owns a [`GradientNoise`] built from the same
//! seed and draws exactly one ε per step, so all optimizers see the same ε_t at step t.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use crate::P2;

/// A pair of independent standard normal deviates from two uniform draws.
pub(crate) fn normal_pair(rng: &mut ChaCha8Rng) -> P2 {
    // 53-bit uniforms: u1 ∈ (0, 1] so that ln(u1) is finite, u2 ∈ [0, 1).
    let unit = |bits: u64| (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    let u1 = 1.0 - unit(rng.next_u64());
    let u2 = unit(rng.next_u64());
    let r = (-2.0 * u1.ln()).sqrt();
    let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
    P2::new(r * c, r * s)
}

/// The gradient noise σ·ε_t, ε_t ~ N(0, I), one draw per step.
#[derive(Clone, Debug)]
pub struct GradientNoise {
    rng: ChaCha8Rng,
    sigma: f64,
}

impl GradientNoise {
    pub fn new(seed: u64, sigma: f64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            sigma,
        }
    }

    /// σ·ε for the next step (zero, without drawing, when σ = 0).
    pub fn next_step(&mut self) -> P2 {
        if self.sigma == 0.0 {
            P2::zeros()
        } else {
            normal_pair(&mut self.rng) * self.sigma
        }
    }

    /// σ·ε for the next step in ℝⁿ, into `out` (zeros, without drawing, when σ = 0); two
    /// coordinates draw exactly what [`GradientNoise::next_step`] draws.
    pub fn next_step_into(&mut self, out: &mut [f64]) {
        if self.sigma == 0.0 {
            out.fill(0.0);
        } else {
            fill_pairs(&mut self.rng, out, self.sigma);
        }
    }
}

/// `out` ← σ·ε, ε ~ N(0, I), from pairs of [`normal_pair`] (an odd length drops the last
/// pair's second deviate).
pub(crate) fn fill_pairs(rng: &mut ChaCha8Rng, out: &mut [f64], sigma: f64) {
    for chunk in out.chunks_mut(2) {
        let pair = normal_pair(rng) * sigma;
        chunk.copy_from_slice(&pair.as_slice()[..chunk.len()]);
    }
}

/// Standard normal samples for derivative-free methods that explore at random; a ChaCha
/// stream separate from the gradient noise, so exploring never shifts the noise sequence.
#[derive(Clone, Debug)]
pub struct Sampler {
    rng: ChaCha8Rng,
}

impl Sampler {
    pub fn new(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1);
        Self { rng }
    }

    pub fn normal_pair(&mut self) -> P2 {
        normal_pair(&mut self.rng)
    }

    /// Fill `out` with standard normal deviates, drawn in pairs (an odd length drops the
    /// last pair's second deviate): two coordinates take exactly one [`Sampler::normal_pair`].
    pub fn fill_normal(&mut self, out: &mut [f64]) {
        fill_pairs(&mut self.rng, out, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_noise_other_seed_other_noise() {
        let draw = |seed| {
            let mut n = GradientNoise::new(seed, 1.0);
            (0..5).map(|_| n.next_step()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn deviates_have_unit_variance() {
        let mut n = GradientNoise::new(1, 1.0);
        let k = 20_000;
        let (mut sum, mut sq) = (P2::zeros(), P2::zeros());
        for _ in 0..k {
            let e = n.next_step();
            sum += e;
            sq += e.component_mul(&e);
        }
        let mean = sum / k as f64;
        let var = sq / k as f64 - mean.component_mul(&mean);
        // Standard errors: 1/√k ≈ 0.007 for the mean, √(2/k) ≈ 0.01 for the variance.
        assert!(mean.abs().max() < 0.03, "{mean}");
        assert!((var.add_scalar(-1.0)).abs().max() < 0.05, "{var}");
    }

    #[test]
    fn sampler_stream_is_independent_of_the_noise() {
        let mut noise = GradientNoise::new(3, 1.0);
        let mut sampler = Sampler::new(3);
        assert_ne!(noise.next_step(), sampler.normal_pair());
    }
}
