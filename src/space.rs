//! The spaces optimizers work in: the plane ([`P2`], a surface's two coordinates) and ℝⁿ
//! ([`PN`], a network's flat parameter vector). Every update rule in [`crate::optim`] is
//! written once, generic over [`Vector`], and monomorphized for each: the plane keeps its
//! stack-allocated 2-vectors (the many-runs engine inlines them into its loop), ℝⁿ uses
//! nalgebra's heap vectors.
//!
//! A vector's elementwise arithmetic goes through its slice; what is not elementwise — dot
//! products, norms, and the few matrix operations of Newton and BFGS — is nalgebra's, the
//! same expression for both spaces where the cost allows (see [`Vector::bfgs_update`]).

use std::fmt::Debug;

use nalgebra::{DMatrix, DVector};

use crate::{M2, P2};

/// A point or vector of ℝⁿ: a network's parameters, gradients and optimizer buffers.
pub type PN = DVector<f64>;

/// A parameter vector: the plane's [`P2`] or ℝⁿ's [`PN`].
pub trait Vector: Clone + PartialEq + Debug + Send + Sync + 'static {
    /// Square matrices of the space: Hessians and inverse-Hessian estimates.
    type Matrix: Clone + PartialEq + Debug + Send + Sync;

    /// The zero vector of `dim` coordinates (the plane's is always 2).
    fn zeros(dim: usize) -> Self;
    fn dim(&self) -> usize {
        self.as_slice().len()
    }
    fn as_slice(&self) -> &[f64];
    fn as_mut_slice(&mut self) -> &mut [f64];
    fn dot(&self, other: &Self) -> f64;
    /// ‖v‖₂.
    fn norm(&self) -> f64;
    /// ‖v‖₁.
    fn norm1(&self) -> f64;

    /// The identity matrix scaled by `scale`.
    fn identity(dim: usize, scale: f64) -> Self::Matrix;
    /// m·v.
    fn times(m: &Self::Matrix, v: &Self) -> Self;
    /// m + λI.
    fn add_diagonal(m: &Self::Matrix, lambda: f64) -> Self::Matrix;
    /// The solution d of m·d = g, or `None` when m is numerically singular or d not finite.
    fn solve(m: &Self::Matrix, g: &Self) -> Option<Self>;
    /// BFGS's inverse-Hessian update with a curvature pair (s, y), ρ = 1/yᵀs:
    /// `H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ` (Nocedal & Wright eq. 6.17). The plane forms the
    /// products as written (as SciPy does); ℝⁿ expands them to the same matrix in O(n²),
    /// `H − ρ(s(Hy)ᵀ + (Hy)sᵀ) + (ρ²·yᵀHy + ρ)ssᵀ`, instead of O(n³).
    fn bfgs_update(h: &mut Self::Matrix, s: &Self, y: &Self, rho: f64);

    /// Whether every coordinate is 0.
    #[inline]
    fn is_zero(&self) -> bool {
        self.as_slice().iter().all(|&v| v == 0.0)
    }
    /// Whether every coordinate is finite.
    #[inline]
    fn is_finite(&self) -> bool {
        self.as_slice().iter().all(|v| v.is_finite())
    }
    /// `f` of each coordinate.
    #[inline]
    fn map(&self, f: impl Fn(f64) -> f64) -> Self {
        let mut out = self.clone();
        out.as_mut_slice().iter_mut().for_each(|v| *v = f(*v));
        out
    }
    /// `f` of each pair of coordinates of `self` and `other`.
    #[inline]
    fn zip_map(&self, other: &Self, f: impl Fn(f64, f64) -> f64) -> Self {
        let mut out = self.clone();
        out.zip_apply(other, |a, b| *a = f(*a, b));
        out
    }
    /// `f(&mut aᵢ, bᵢ)` for each coordinate aᵢ of `self` and bᵢ of `other`.
    #[inline]
    fn zip_apply(&mut self, other: &Self, f: impl Fn(&mut f64, f64)) {
        for (a, &b) in self.as_mut_slice().iter_mut().zip(other.as_slice()) {
            f(a, b);
        }
    }
    /// `f(&mut sᵢ, aᵢ, bᵢ)` for each coordinate of `self`, `a` and `b`.
    #[inline]
    fn zip2_apply(&mut self, a: &Self, b: &Self, f: impl Fn(&mut f64, f64, f64)) {
        let (a, b) = (a.as_slice(), b.as_slice());
        for (i, s) in self.as_mut_slice().iter_mut().enumerate() {
            f(s, a[i], b[i]);
        }
    }
    /// `self` with `dim` coordinates: kept when it has them (the plane's always does), else
    /// replaced by `dim` copies of `fill` (an ℝⁿ buffer made before the first step).
    #[inline]
    fn sized(&mut self, dim: usize, fill: f64) {
        if self.dim() != dim {
            *self = Self::zeros(dim).map(|_| fill);
        }
    }
    /// `self + a·d`, each coordinate as `xᵢ + dᵢ·a`.
    #[inline]
    fn plus_scaled(&self, a: f64, d: &Self) -> Self {
        self.zip_map(d, |x, d| x + d * a)
    }
    /// `self − other`.
    #[inline]
    fn minus(&self, other: &Self) -> Self {
        self.zip_map(other, |a, b| a - b)
    }
    /// `a·self`, each coordinate as `vᵢ·a`.
    #[inline]
    fn scaled(&self, a: f64) -> Self {
        self.map(|v| v * a)
    }
}

/// The methods both spaces take from nalgebra as they are (the same code in both impls).
macro_rules! nalgebra_vector {
    () => {
        #[inline]
        fn as_slice(&self) -> &[f64] {
            self.as_slice()
        }
        #[inline]
        fn as_mut_slice(&mut self) -> &mut [f64] {
            self.as_mut_slice()
        }
        #[inline]
        fn dot(&self, other: &Self) -> f64 {
            nalgebra::Matrix::dot(self, other)
        }
        #[inline]
        fn norm(&self) -> f64 {
            nalgebra::Matrix::norm(self)
        }
        #[inline]
        fn norm1(&self) -> f64 {
            self.lp_norm(1)
        }
    };
}

impl Vector for P2 {
    type Matrix = M2;

    #[inline]
    fn zeros(_: usize) -> Self {
        P2::zeros()
    }
    #[inline]
    fn dim(&self) -> usize {
        2
    }
    nalgebra_vector!();
    #[inline]
    fn is_zero(&self) -> bool {
        *self == P2::zeros()
    }
    #[inline]
    fn map(&self, f: impl Fn(f64) -> f64) -> Self {
        P2::new(f(self.x), f(self.y))
    }
    #[inline]
    fn zip_map(&self, other: &Self, f: impl Fn(f64, f64) -> f64) -> Self {
        P2::new(f(self.x, other.x), f(self.y, other.y))
    }
    fn identity(_: usize, scale: f64) -> M2 {
        M2::identity() * scale
    }
    fn times(m: &M2, v: &Self) -> Self {
        m * v
    }
    fn add_diagonal(m: &M2, lambda: f64) -> M2 {
        m + M2::identity() * lambda
    }
    /// Cramer's rule; `None` when |det| ≤ ε·‖m‖².
    fn solve(m: &M2, g: &Self) -> Option<Self> {
        let det = m.determinant();
        let scale = m.norm_squared();
        if !det.is_finite() || det.abs() <= f64::EPSILON * scale {
            return None;
        }
        let d = P2::new(
            (m[(1, 1)] * g.x - m[(0, 1)] * g.y) / det,
            (m[(0, 0)] * g.y - m[(1, 0)] * g.x) / det,
        );
        d.iter().all(|v| v.is_finite()).then_some(d)
    }
    fn bfgs_update(h: &mut M2, s: &Self, y: &Self, rho: f64) {
        let v = M2::identity() - s * y.transpose() * rho;
        *h = v * *h * v.transpose() + s * s.transpose() * rho;
    }
}

impl Vector for PN {
    type Matrix = DMatrix<f64>;

    fn zeros(dim: usize) -> Self {
        PN::zeros(dim)
    }
    nalgebra_vector!();
    fn identity(dim: usize, scale: f64) -> DMatrix<f64> {
        DMatrix::identity(dim, dim) * scale
    }
    fn times(m: &DMatrix<f64>, v: &Self) -> Self {
        m * v
    }
    fn add_diagonal(m: &DMatrix<f64>, lambda: f64) -> DMatrix<f64> {
        let mut out = m.clone();
        for i in 0..out.nrows().min(out.ncols()) {
            out[(i, i)] += lambda;
        }
        out
    }
    /// LU with partial pivoting (the matrix may be indefinite: Newton at a saddle); `None`
    /// when a pivot is below ε·n·max|mᵢⱼ| or the solution is not finite.
    fn solve(m: &DMatrix<f64>, g: &Self) -> Option<Self> {
        let scale = m.amax();
        if !scale.is_finite() || m.nrows() != g.len() {
            return None;
        }
        let lu = m.clone().lu();
        let tiny = f64::EPSILON * m.nrows() as f64 * scale;
        let u = lu.u();
        if (0..u.nrows()).any(|i| u[(i, i)].abs() <= tiny) {
            return None;
        }
        lu.solve(g).filter(Vector::is_finite)
    }
    fn bfgs_update(h: &mut DMatrix<f64>, s: &Self, y: &Self, rho: f64) {
        let hy = &*h * y;
        let yhy = y.dot(&hy);
        h.ger(-rho, s, &hy, 1.0);
        h.ger(-rho, &hy, s, 1.0);
        h.ger(rho * rho * yhy + rho, s, s, 1.0);
    }
}

/// f: V → ℝ with exact derivatives: what an optimizer's oracle asks. Every
/// [`crate::surface::Surface`] is one over the plane; a network's loss is one over ℝⁿ.
pub trait Objective<V: Vector>: Send + Sync {
    fn objective_value(&self, p: &V) -> f64;
    /// Value and gradient in one evaluation.
    fn objective_gradient(&self, p: &V) -> (f64, V);
    /// The Hessian ∇²f(p) (symmetric).
    fn objective_hessian(&self, p: &V) -> V::Matrix;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_bfgs_updates_give_the_same_matrix() {
        let (s, y, rho) = (P2::new(0.3, -1.2), P2::new(0.8, -0.5), 1.0 / 0.84);
        let mut h2 = M2::new(2.0, 0.5, 0.5, 1.0);
        let mut hn = DMatrix::from_column_slice(2, 2, h2.as_slice());
        P2::bfgs_update(&mut h2, &s, &y, rho);
        let (sn, yn) = (
            PN::from_column_slice(s.as_slice()),
            PN::from_column_slice(y.as_slice()),
        );
        PN::bfgs_update(&mut hn, &sn, &yn, rho);
        for (a, b) in h2.iter().zip(hn.iter()) {
            assert!((a - b).abs() < 1e-14, "{h2} vs {hn}");
        }
    }

    #[test]
    fn solves_and_refuses_singular_systems_in_both_spaces() {
        let a = M2::new(2.0, 1.0, 1.0, 3.0);
        let d = P2::solve(&a, &P2::new(3.0, 5.0)).unwrap();
        assert!((a * d - P2::new(3.0, 5.0)).norm() < 1e-15);
        assert_eq!(
            P2::solve(&M2::new(1.0, 2.0, 2.0, 4.0), &P2::new(1.0, 1.0)),
            None
        );
        assert_eq!(P2::solve(&M2::zeros(), &P2::new(1.0, 1.0)), None);
        let an = DMatrix::from_row_slice(3, 3, &[2.0, 1.0, 0.0, 1.0, -3.0, 1.0, 0.0, 1.0, 1.0]);
        let g = PN::from_vec(vec![1.0, 2.0, 3.0]);
        let dn = PN::solve(&an, &g).unwrap();
        assert!((&an * &dn - &g).norm() < 1e-14);
        let singular = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 4.0]);
        assert_eq!(PN::solve(&singular, &PN::from_vec(vec![1.0, 1.0])), None);
    }
}
