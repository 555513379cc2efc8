//! The PCA plane: the first two principal directions of every racer's points together.
//!
//! With the m points stacked as the rows of X (m × n, every racer's parameters at every
//! step) and centred on their mean μ, X_c = X − 1μᵀ = UΣVᵀ (thin SVD), the principal
//! directions are V's first columns and the explained-variance ratios σᵢ²/Σⱼσⱼ², where
//! Σⱼσⱼ² = ‖X_c‖²_F — scikit-learn's `PCA(n_components=2)`: `explained_variance_ratio_`,
//! `components_` with `svd_flip`'s signs (each direction's largest-|·| coordinate positive).
//!
//! Only the top two pairs are wanted, of a matrix too large for a dense SVD (4 racers ×
//! 2,000 steps × 1,200 parameters: 9.6·10⁶ numbers; nalgebra's bidiagonalization takes
//! ~4mn² flops). They come from block subspace iteration with a Rayleigh–Ritz step
//! (Halko, Martinsson & Tropp 2011, "Finding structure with randomness", Alg. 4.4 — what
//! scikit-learn's `svd_solver="randomized"` runs for such shapes): V ← orth(X_cᵀX_c·V)
//! on a block of [`BLOCK`] columns, started from orth(X_cᵀΩ) with Ω Gaussian (ChaCha8 on
//! [`START_STREAM`], seed 0: the same paths give the same plane), the Ritz pairs of VᵀX_cᵀX_cV
//! after each product, until both directions move less than [`TOLERANCE`] in an iteration.
//! When the block covers min(m, n) it spans the whole row space and the answer is exact
//! after one step (small inputs, and the hand-computed tests).

use nalgebra::{DMatrix, SymmetricEigen};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::{Plane, PlaneKind};
use crate::noise::normal_pair;
use crate::space::PN;
use crate::spec::{SpecError, spec_err};

/// The fraction of its variance a random walk puts on its first principal component, 6/π²
/// ≈ 0.608 (Antognini & Sohl-Dickstein, NeurIPS 2018, "PCA of high dimensional random
/// walks with comparison to neural network training"): in the limit of many steps in many
/// more dimensions, component k explains 6/(π²k²) — the Karhunen–Loève eigenvalues
/// 1/(π²k²) of demeaned Brownian motion over their sum 1/6. A path with ~61% on PC1 looks
/// no more directed than noise would.
pub const RANDOM_WALK_PC1: f64 = 6.0 / (std::f64::consts::PI * std::f64::consts::PI);

/// The second component's share for the same random walk, 6/(4π²) ≈ 0.152 (k = 2 of
/// 6/(π²k²), see [`RANDOM_WALK_PC1`]).
pub const RANDOM_WALK_PC2: f64 = RANDOM_WALK_PC1 / 4.0;

/// Most numbers a set of paths may hold for PCA (racers × points × parameters): 2.5·10⁷,
/// 200 MB of f64 for the centred copy. Checked before anything is allocated.
pub const MAX_PATH_NUMBERS: usize = 25_000_000;

/// Columns of the subspace iteration's block: two wanted, the rest speed convergence (the
/// error shrinks by λ_{BLOCK+1}/λ₂ per iteration).
pub const BLOCK: usize = 10;
/// Most subspace iterations; reached only when λ₂ ≈ λ₃ (the second direction is then not
/// unique, and any converged span is as good).
pub const MAX_ITERATIONS: usize = 60;
/// The largest change of either unit direction (2-norm) in the last iteration at which the
/// iteration stops.
pub const TOLERANCE: f64 = 1e-10;
/// The ChaCha stream of the starting block (11: the random plane).
pub const START_STREAM: u64 = 12;

/// Refuses `points` × `parameters` numbers beyond [`MAX_PATH_NUMBERS`], in one line that
/// suggests keeping fewer steps.
pub fn check_pca_size(points: usize, parameters: usize) -> Result<(), SpecError> {
    match points.checked_mul(parameters) {
        Some(count) if count <= MAX_PATH_NUMBERS => Ok(()),
        count => {
            let count = count.map_or("too many".into(), |c| c.to_string());
            Err(spec_err!(
                "pca: {points} points × {parameters} parameters = {count} numbers, more than the {MAX_PATH_NUMBERS} (200 MB) a PCA holds; keep every k-th step (--every k)"
            ))
        }
    }
}

impl Plane {
    /// The first two principal directions of all racers' points (`paths[r][t]`: racer r's
    /// parameters at step t), centred on their mean; origin = the mean, unit orthogonal
    /// directions, `explained` = their variance ratios (see the module's notes). Points with
    /// a non-finite coordinate (a diverged racer's last steps) are left out.
    ///
    /// One line when the points differ in length, are fewer than two, have fewer than two
    /// parameters, are all the same point, or exceed [`MAX_PATH_NUMBERS`].
    pub fn pca(paths: &[Vec<PN>]) -> Result<Plane, SpecError> {
        let n = paths.iter().flatten().next().map_or(0, |p| p.len());
        let finite: Vec<&PN> = paths
            .iter()
            .flatten()
            .filter(|p| p.iter().all(|v| v.is_finite()))
            .collect();
        if let Some(p) = paths.iter().flatten().find(|p| p.len() != n) {
            return Err(spec_err!(
                "pca: points of {n} and {} parameters mixed",
                p.len()
            ));
        }
        if finite.len() < 2 || n < 2 {
            return Err(spec_err!(
                "pca: needs at least two finite points of at least two parameters, got {} of {n}",
                finite.len()
            ));
        }
        check_pca_size(finite.len(), n)?;
        let mut mean = PN::zeros(n);
        finite.iter().for_each(|p| mean += *p);
        mean /= finite.len() as f64;
        // Xᵀ_c: one centred point per column, written contiguously.
        let centred = DMatrix::from_iterator(
            n,
            finite.len(),
            finite
                .iter()
                .flat_map(|p| p.iter().zip(mean.iter()).map(|(x, m)| x - m)),
        );
        let total = centred.norm_squared();
        if total.is_nan() || total <= 0.0 {
            return Err(spec_err!(
                "pca: every point is the same; the paths have no direction to show (try --plane random)"
            ));
        }
        let (values, directions) = top_two(&centred);
        Ok(Plane {
            kind: PlaneKind::Pca,
            origin: mean,
            directions: directions.into(),
            explained: Some(values.map(|v| v.max(0.0) / total)),
            end: None,
        })
    }
}

/// λ₁ ≥ λ₂ of A·Aᵀ (A = X_cᵀ, n × m) and their unit eigenvectors with [`flip_sign`]'s signs.
fn top_two(a: &DMatrix<f64>) -> ([f64; 2], [PN; 2]) {
    let (n, m) = a.shape();
    let block = BLOCK.min(n).min(m);
    let exact = block == n.min(m);
    let mut v = orthonormal(a * gaussian(m, block));
    let mut last: Option<[PN; 2]> = None;
    let mut iteration = 0;
    loop {
        iteration += 1;
        // Yᵀ = VᵀA (block × m); the Ritz pairs of VᵀAAᵀV = YᵀY.
        let yt = v.transpose() * a;
        let ritz = SymmetricEigen::new(&yt * yt.transpose());
        let mut order: Vec<usize> = (0..block).collect();
        order.sort_by(|&i, &j| ritz.eigenvalues[j].total_cmp(&ritz.eigenvalues[i]));
        let values = [order[0], order[1]].map(|i| ritz.eigenvalues[i]);
        let dirs = [order[0], order[1]].map(|i| flip_sign(&v * ritz.eigenvectors.column(i)));
        // A (numerically) rank-one path: d₂ is any unit vector ⊥ d₁; only d₁ must settle.
        let wanted = if values[1] > 1e-20 * values[0] { 2 } else { 1 };
        let moved = last.as_ref().map_or(f64::INFINITY, |l| {
            (0..wanted)
                .map(|k| (&dirs[k] - &l[k]).norm())
                .fold(0.0, f64::max)
        });
        if exact || moved <= TOLERANCE || iteration >= MAX_ITERATIONS {
            return (values, dirs);
        }
        last = Some(dirs);
        v = orthonormal(a * yt.transpose());
    }
}

/// An m × k block of standard normal deviates from ChaCha8(0) on [`START_STREAM`].
fn gaussian(m: usize, k: usize) -> DMatrix<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    rng.set_stream(START_STREAM);
    let mut omega = DMatrix::zeros(m, k);
    for pair in omega.as_mut_slice().chunks_mut(2) {
        let e = normal_pair(&mut rng);
        pair.copy_from_slice(&e.as_slice()[..pair.len()]);
    }
    omega
}

/// The thin Q of a Householder QR: orthonormal columns, even when `m` is rank-deficient.
fn orthonormal(m: DMatrix<f64>) -> DMatrix<f64> {
    m.qr().q()
}

/// `d` with its largest-|·| coordinate (the first of equals) positive, as scikit-learn's
/// `svd_flip(u_based_decision=False)` fixes the signs of `components_`.
pub(crate) fn flip_sign(d: PN) -> PN {
    let mut at = 0;
    for (i, v) in d.iter().enumerate() {
        if v.abs() > d[at].abs() {
            at = i;
        }
    }
    if d.get(at).is_some_and(|&v| v < 0.0) {
        -d
    } else {
        d
    }
}
