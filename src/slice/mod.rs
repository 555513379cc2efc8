//! Slices of a network's loss (issue 19 §1, §4): a plane through parameter space — an origin
//! θ₀ and one or two directions, flat vectors in torch's `model.parameters()` order — and the
//! loss L(θ₀ + a·d₁ + b·d₂) on a grid of it, with every path point projected to (a, b) and
//! its distance off the plane.
//!
//! - [`Plane::pca`]: the first two principal directions of every racer's points together
//!   (scikit-learn's PCA), read beside [`RANDOM_WALK_PC1`] (`pca.rs`, by block Krylov
//!   iteration in `krylov.rs`);
//! - [`Plane::random`]: two filter-normalized Gaussian directions (Li et al. 2018,
//!   `random.rs`);
//! - [`Plane::line`]: the segment from a racer's init to its final point, extended
//!   (Goodfellow, Vinyals & Saxe 2015);
//! - [`slice_grid`], [`default_span`], [`grid_axis`]: the loss on the plane (`grid.rs`).
//!
//! The map is the loss *on* the plane; a path point off it carries [`Projected::off_plane`]
//! so a picture can say how far to trust it.

mod grid;
mod krylov;
mod pca;
mod random;
#[cfg(test)]
mod tests;

pub use grid::{MAX_GRID, MIN_SPAN, SPAN_MARGIN, default_span, grid_axis, slice_grid};
pub use krylov::{BLOCK, CHUNK, MAX_ITERATIONS, MAX_KRYLOV, PARTS, START_STREAM, TOLERANCE};
pub use pca::{MAX_PATH_NUMBERS, RANDOM_WALK_PC1, RANDOM_WALK_PC2, check_pca_size};
pub use random::STREAM;

use crate::space::PN;

/// The line's default range of a: θ(−0.5) to θ(1.5), half the segment beyond each end.
pub const LINE_SPAN: [f64; 2] = [-0.5, 1.5];

/// How a plane was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaneKind {
    /// The first two principal directions of the paths ([`Plane::pca`]).
    Pca,
    /// Two filter-normalized Gaussian directions ([`Plane::random`]).
    Random,
    /// One direction, from a racer's init to its final point ([`Plane::line`]).
    Line,
}

impl PlaneKind {
    pub const ALL: [PlaneKind; 3] = [Self::Pca, Self::Random, Self::Line];

    /// `pca`, `random` or `line`; anything else is refused in one line that lists them.
    pub fn parse(text: &str) -> Result<Self, crate::spec::SpecError> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.name() == text)
            .ok_or_else(|| {
                crate::spec::spec_err!("plane must be pca, random or line, got '{text}'")
            })
    }

    /// Whether this is a line (one direction) rather than a plane.
    pub fn is_line(self) -> bool {
        self == Self::Line
    }

    /// `pca`, `random`, `line`.
    pub fn name(self) -> &'static str {
        match self {
            PlaneKind::Pca => "pca",
            PlaneKind::Random => "random",
            PlaneKind::Line => "line",
        }
    }
}

/// A plane (or a line) through parameter space: θ(a, b) = θ₀ + a·d₁ + b·d₂.
#[derive(Clone, Debug, PartialEq)]
pub struct Plane {
    pub kind: PlaneKind,
    /// θ₀: the paths' mean (pca), a racer's final point (random), its init (line).
    pub origin: PN,
    /// d₁, d₂ (one for a line): unit and orthogonal for pca, filter-normalized for random,
    /// θ_final − θ_init for a line.
    pub directions: Vec<PN>,
    /// The explained-variance ratios σ₁²/Σσ², σ₂²/Σσ² (pca only).
    pub explained: Option<[f64; 2]>,
    /// The line's θ_final, so that θ(1) is it bit for bit (see [`Plane::at`]); `None` for
    /// planes.
    pub end: Option<PN>,
}

/// A point seen from a plane: its least-squares coordinates and its distance to the plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projected {
    pub a: f64,
    /// 0 for a line.
    pub b: f64,
    /// ‖p − θ(a, b)‖: the residual of the least-squares projection.
    pub off_plane: f64,
}

impl Plane {
    /// The line through a racer's init and final point (Goodfellow, Vinyals & Saxe, ICLR
    /// 2015, "Qualitatively characterizing neural network optimization problems"):
    /// θ(a) = θ_init + a·(θ_final − θ_init), shown for a ∈ [`LINE_SPAN`] by default — is the
    /// straight path from init to solution monotone?
    ///
    /// # Panics
    /// When the two points differ in length.
    pub fn line(init: &PN, last: &PN) -> Plane {
        assert_eq!(init.len(), last.len(), "line: point lengths");
        Plane {
            kind: PlaneKind::Line,
            origin: init.clone(),
            directions: vec![last - init],
            explained: None,
            end: Some(last.clone()),
        }
    }

    /// The parameters' count.
    pub fn dim(&self) -> usize {
        self.origin.len()
    }

    /// Whether this is a line (one direction).
    pub fn is_line(&self) -> bool {
        self.directions.len() == 1
    }

    /// θ(a, b) = θ₀ + a·d₁ + b·d₂ (a line ignores b).
    pub fn at(&self, a: f64, b: f64) -> PN {
        let mut out = PN::zeros(self.dim());
        self.at_into(a, b, out.as_mut_slice());
        out
    }

    /// [`Plane::at`] into `out`, allocating nothing. A line evaluates
    /// θ(a) = (1 − a)·θ_init + a·θ_final — the same point in exact arithmetic — so that
    /// a = 0 and a = 1 give the init and final points bit for bit.
    pub fn at_into(&self, a: f64, b: f64, out: &mut [f64]) {
        let o = self.origin.as_slice();
        match (&self.end, self.directions.as_slice()) {
            (Some(end), _) => {
                for ((x, &i), &f) in out.iter_mut().zip(o).zip(end.as_slice()) {
                    *x = (1.0 - a) * i + a * f;
                }
            }
            (None, [d1, d2]) => {
                for ((x, &o), (&u, &v)) in out.iter_mut().zip(o).zip(d1.iter().zip(d2.iter())) {
                    *x = o + a * u + b * v;
                }
            }
            (None, ds) => {
                out.copy_from_slice(o);
                for (d, s) in ds.iter().zip([a, b]) {
                    out.iter_mut().zip(d.iter()).for_each(|(x, &d)| *x += s * d);
                }
            }
        }
    }

    /// The least-squares coordinates of `p` and its distance to the plane: with v = p − θ₀
    /// and G = [dᵢ·dⱼ] the directions' Gram matrix, (a, b) solves G·(a, b)ᵀ = (d₁·v, d₂·v)ᵀ
    /// (the normal equations; for PCA's orthonormal directions simply a = d₁·v, b = d₂·v),
    /// and off_plane = ‖v − a·d₁ − b·d₂‖. A line: a = d·v/‖d‖², off = ‖v − a·d‖. A zero
    /// direction contributes 0; two parallel ones, only the first.
    ///
    /// # Panics
    /// When `p` is not [`Plane::dim`] long.
    pub fn project(&self, p: &PN) -> Projected {
        assert_eq!(p.len(), self.dim(), "project: point length");
        let v = p - &self.origin;
        let (a, b) = match self.directions.as_slice() {
            [d] => (ratio(d.dot(&v), d.dot(d)), 0.0),
            [d1, d2] => solve_gram(d1, d2, &v),
            _ => (0.0, 0.0),
        };
        let mut residual = v;
        for (d, s) in self.directions.iter().zip([a, b]) {
            residual.axpy(-s, d, 1.0);
        }
        Projected {
            a,
            b,
            off_plane: residual.norm(),
        }
    }
}

/// x/y, or 0 when y is 0 (a zero direction).
fn ratio(x: f64, y: f64) -> f64 {
    if y > 0.0 { x / y } else { 0.0 }
}

/// The 2×2 normal equations [g11 g12; g12 g22]·(a, b) = (r1, r2) by Cramer's rule; when
/// the determinant vanishes relative to g11·g22 (parallel or zero directions), the
/// projection on d₁ alone (or d₂ when d₁ is zero).
fn solve_gram(d1: &PN, d2: &PN, v: &PN) -> (f64, f64) {
    let (g11, g12, g22) = (d1.dot(d1), d1.dot(d2), d2.dot(d2));
    let (r1, r2) = (d1.dot(v), d2.dot(v));
    let det = g11 * g22 - g12 * g12;
    if det > 1e-12 * g11 * g22 {
        ((g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det)
    } else if g11 > 0.0 {
        (r1 / g11, 0.0)
    } else {
        (0.0, ratio(r2, g22))
    }
}
