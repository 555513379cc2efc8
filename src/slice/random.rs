//! The random plane: two Gaussian directions, filter-normalized (Li, Xu, Taylor, Studer &
//! Goldstein, NeurIPS 2018, "Visualizing the Loss Landscape of Neural Nets", §4).
//!
//! A direction d is drawn from N(0, I) and then, for every layer's weight W (out × in,
//! row-major in torch's order), each neuron's incoming-weight row is rescaled to the norm of
//! the same row of the origin's weights: d_{l,i} ← d_{l,i}·‖θ_{l,i}‖/‖d_{l,i}‖ (their
//! "filter" of a fully-connected layer is a neuron); bias entries are 0 (their code's
//! `ignore='biasbn'`). So a step of 1 along d changes every neuron by as much as its own
//! weights, whatever the layer's scale — and the picture does not depend on the
//! network's scale invariances. As in Li et al., the two directions are not
//! orthogonalized (in many dimensions they nearly are); [`Plane::project`] solves the
//! Gram system for them.

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::{Plane, PlaneKind};
use crate::net::Mlp;
use crate::noise::fill_pairs;
use crate::space::PN;

/// The ChaCha stream of the random plane's directions (1: the sampler, 3: datasets,
/// 5: inits, 6: Lanczos, 7: shapes, 9: splits, 2³² + epoch: batches, 12: PCA's start).
pub const STREAM: u64 = 11;

impl Plane {
    /// Two filter-normalized Gaussian directions through `origin` (a racer's final point),
    /// drawn from ChaCha8(`seed`) on [`STREAM`]: the same seed gives the same plane, bit for
    /// bit. Normals come in Box–Muller pairs over the whole vector, d₁'s then d₂'s (the bias
    /// entries are drawn, then zeroed). A weight row whose origin row is zero stays zero.
    ///
    /// # Panics
    /// When `origin` is not `mlp`'s parameter count long.
    pub fn random(origin: &PN, mlp: &Mlp, seed: u64) -> Plane {
        assert_eq!(
            origin.len(),
            mlp.parameter_count(),
            "random plane: origin length"
        );
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(STREAM);
        let directions = (0..2)
            .map(|_| filter_normalized(&mut rng, origin, mlp))
            .collect();
        Plane {
            kind: PlaneKind::Random,
            origin: origin.clone(),
            directions,
            explained: None,
            end: None,
        }
    }
}

/// One Gaussian direction with each weight row rescaled to the origin's row norm and the
/// biases zeroed.
fn filter_normalized(rng: &mut ChaCha8Rng, origin: &PN, mlp: &Mlp) -> PN {
    let mut d = PN::zeros(origin.len());
    fill_pairs(rng, d.as_mut_slice(), 1.0);
    for layer in mlp.layers() {
        for row in 0..layer.outputs {
            let start = layer.weight + row * layer.inputs;
            let range = start..start + layer.inputs;
            let target = norm(&origin.as_slice()[range.clone()]);
            let slice = &mut d.as_mut_slice()[range];
            let own = norm(slice);
            let scale = if own > 0.0 { target / own } else { 0.0 };
            slice.iter_mut().for_each(|v| *v *= scale);
        }
        d.as_mut_slice()[layer.bias()..layer.end()].fill(0.0);
    }
    d
}

/// ‖x‖₂.
pub(crate) fn norm(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum::<f64>().sqrt()
}
