//! The PCA plane: the first two principal directions of every racer's points together.
//!
//! With the m points stacked as the rows of X (m × n, every racer's parameters at every
//! step) and centred on their mean μ, X_c = X − 1μᵀ = UΣVᵀ (thin SVD), the principal
//! directions are V's first columns and the explained-variance ratios σᵢ²/Σⱼσⱼ², where
//! Σⱼσⱼ² = ‖X_c‖²_F — scikit-learn's `PCA(n_components=2)`: `explained_variance_ratio_`,
//! `components_` with `svd_flip`'s signs (each direction's largest-|·| coordinate positive).
//!
//! Only the top two pairs are wanted, of a matrix too large for a dense decomposition (4
//! racers × 2,000 steps × 1,200 parameters: 9.6·10⁶ numbers; the n × n covariance X_cᵀX_c
//! and its symmetric eigendecomposition take ~11 s here, nalgebra's thin SVD ~4mn² flops).
//! They come from randomized block Krylov iteration (`krylov.rs`), exact when the basis
//! spans the space (small inputs, the hand-computed tests) and otherwise stopped when the
//! directions are within [`TOLERANCE`]: the same paths give the same plane, bit for bit.

use nalgebra::DMatrix;

#[cfg(doc)]
use super::krylov::TOLERANCE;
use super::krylov::{self, PARTS, Points};
use super::{Plane, PlaneKind};
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

/// Refuses `points` × `parameters` numbers beyond [`MAX_PATH_NUMBERS`], in one line that
/// suggests keeping fewer steps.
pub fn check_pca_size(points: usize, parameters: usize) -> Result<(), SpecError> {
    match points.checked_mul(parameters) {
        Some(count) if count <= MAX_PATH_NUMBERS => Ok(()),
        count => {
            let count = count.map_or("too many".into(), |c| c.to_string());
            Err(spec_err!(
                "the paths hold {points} points × {parameters} parameters = {count} numbers, more than the {MAX_PATH_NUMBERS} (200 MB) a slice keeps; take fewer --steps or optimizers"
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
        let (finite, mean) = finite_points(paths)?;
        let (points, total) = centre(&finite, &mean);
        if total.is_nan() || total <= 0.0 {
            return Err(spec_err!(
                "pca: every point is the same; the paths have no direction to show (try --plane random)"
            ));
        }
        let (values, directions) = krylov::top_two(&points);
        Ok(Plane {
            kind: PlaneKind::Pca,
            origin: mean,
            directions: directions.into(),
            explained: Some(values.map(|v| v.max(0.0) / total)),
            end: None,
        })
    }
}

/// The finite points (checked for size before anything is allocated) and their mean, in
/// one pass over the points.
fn finite_points(paths: &[Vec<PN>]) -> Result<(Vec<&PN>, PN), SpecError> {
    let n = paths.iter().flatten().next().map_or(0, |p| p.len());
    if let Some(p) = paths.iter().flatten().find(|p| p.len() != n) {
        return Err(spec_err!(
            "pca: points of {n} and {} parameters mixed",
            p.len()
        ));
    }
    let count = paths.iter().flatten().count();
    check_pca_size(count, n)?;
    let mut finite = Vec::with_capacity(count);
    let mut sum = PN::zeros(n);
    for p in paths.iter().flatten() {
        if p.iter().all(|v| v.is_finite()) {
            sum += p;
            finite.push(p);
        }
    }
    if finite.len() < 2 || n < 2 {
        return Err(spec_err!(
            "pca: needs at least two finite points of at least two parameters, got {} of {n}",
            finite.len()
        ));
    }
    let mean = sum / finite.len() as f64;
    Ok((finite, mean))
}

/// Xᵀ_c in [`PARTS`] column blocks (one centred point per column, written contiguously, each
/// block by its own thread) and ‖X_c‖²_F, summed over the blocks in order.
fn centre(finite: &[&PN], mean: &PN) -> (Points, f64) {
    let n = mean.len();
    let run = finite.len().div_ceil(PARTS);
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = finite
            .chunks(run)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut data = Vec::with_capacity(n * chunk.len());
                    let mut total = 0.0;
                    for p in chunk {
                        data.extend(p.iter().zip(mean.iter()).map(|(x, m)| x - m));
                        total += data[data.len() - n..].iter().map(|c| c * c).sum::<f64>();
                    }
                    (DMatrix::from_vec(n, chunk.len(), data), total)
                })
            })
            .collect();
        let joined = handles.into_iter().map(|h| h.join());
        joined
            .map(|r| r.unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect::<Vec<_>>()
    });
    let total = parts.iter().map(|(_, t)| t).sum();
    (Points(parts.into_iter().map(|(a, _)| a).collect()), total)
}
