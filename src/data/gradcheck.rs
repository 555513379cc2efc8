//! The gradient check: finite differences against the exact gradient, for any surface.
//!
//! For each step h = 10⁻¹ … 10⁻¹² and each coordinate j:
//! - forward: (f(p + h·eⱼ) − f(p)) / h, truncation error O(h);
//! - central: (f(p + h·eⱼ) − f(p − h·eⱼ)) / 2h, truncation error O(h²);
//!
//! and the relative error |g_num − g| / (|g_num| + |g|) (Euclidean norms; 0 when both are 0),
//! as in CS231n's "gradient checks". Rounding adds an error of about ε·|f|/h, so the total is
//! V-shaped in h with its bottom near √ε (forward) and ∛ε (central).
//!
//! In f64 everything is computed in f64. In f32 the arithmetic a single-precision program
//! would do is imitated: the points p ± h·eⱼ are rounded to f32, so is each value of f
//! (evaluated exactly, then rounded), and the difference and the division by the step
//! actually taken are done in f32 — the rounding that dominates a single-precision check.
//! Where h is below f32's resolution at p (p + h rounds to p) the quotient is 0/0: the row's
//! numbers are NaN, shown as such — the step vanished.

use serde::Serialize;

use crate::P2;
use crate::surface::Surface;

/// One precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    F64,
    F32,
}

/// One difference scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Forward,
    Central,
}

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Row {
    pub h: f64,
    pub precision: Precision,
    pub scheme: Scheme,
    /// The numerical gradient.
    pub numeric: [f64; 2],
    /// |g_num − g| / (|g_num| + |g|).
    pub relative_error: f64,
}

/// The whole check at one point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradCheck {
    pub at: [f64; 2],
    pub value: f64,
    /// The exact gradient.
    pub gradient: [f64; 2],
    /// Every (precision, scheme, h), h from 10⁻¹ down to 10⁻¹².
    pub rows: Vec<Row>,
}

/// The steps tried: 10⁻¹, 10⁻², …, 10⁻¹².
pub fn steps() -> impl Iterator<Item = f64> {
    (1..=12).map(|k| 10f64.powi(-k))
}

/// |a − b| / (|a| + |b|), 0 when both are 0.
pub fn relative_error(numeric: P2, exact: P2) -> f64 {
    let den = numeric.norm() + exact.norm();
    if den == 0.0 {
        0.0
    } else {
        (numeric - exact).norm() / den
    }
}

/// The numerical gradient at `p` with step `h`.
pub fn numeric_gradient(
    surface: &dyn Surface,
    p: P2,
    h: f64,
    precision: Precision,
    scheme: Scheme,
) -> P2 {
    let mut g = P2::zeros();
    for j in 0..2 {
        let mut e = P2::zeros();
        e[j] = 1.0;
        g[j] = match precision {
            Precision::F64 => {
                let plus = surface.value(p + e * h);
                match scheme {
                    Scheme::Forward => (plus - surface.value(p)) / h,
                    Scheme::Central => (plus - surface.value(p - e * h)) / (2.0 * h),
                }
            }
            Precision::F32 => {
                let at = |q: P2| [q.x as f32, q.y as f32];
                let f = |q: [f32; 2]| surface.value(P2::new(q[0].into(), q[1].into())) as f32;
                let (base, plus) = (at(p), at(p + e * h));
                match scheme {
                    Scheme::Forward => {
                        let step = plus[j] - base[j];
                        f64::from((f(plus) - f(base)) / step)
                    }
                    Scheme::Central => {
                        let minus = at(p - e * h);
                        let step = plus[j] - minus[j];
                        f64::from((f(plus) - f(minus)) / step)
                    }
                }
            }
        };
    }
    g
}

/// The table at `p`.
pub fn check(surface: &dyn Surface, p: P2) -> GradCheck {
    let (value, exact) = surface.value_gradient(p);
    let mut rows = Vec::new();
    for precision in [Precision::F64, Precision::F32] {
        for scheme in [Scheme::Forward, Scheme::Central] {
            for h in steps() {
                let g = numeric_gradient(surface, p, h, precision, scheme);
                rows.push(Row {
                    h,
                    precision,
                    scheme,
                    numeric: [g.x, g.y],
                    relative_error: relative_error(g, exact),
                });
            }
        }
    }
    GradCheck {
        at: [p.x, p.y],
        value,
        gradient: [exact.x, exact.y],
        rows,
    }
}

impl GradCheck {
    /// The row with the smallest error for a precision and scheme: the bottom of the V.
    pub fn best(&self, precision: Precision, scheme: Scheme) -> Option<&Row> {
        self.rows
            .iter()
            .filter(|r| r.precision == precision && r.scheme == scheme)
            .filter(|r| r.relative_error.is_finite())
            .min_by(|a, b| a.relative_error.total_cmp(&b.relative_error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::Landscape;

    #[test]
    fn hand_calculation_on_a_cubic() {
        // f = x³ at x = 1: forward (1.1³ − 1)/0.1 = 3.31, central (1.1³ − 0.9³)/0.2 = 3.01.
        let land = Landscape::parse("expr:x^3").unwrap();
        let s = land.surface.as_ref();
        let p = P2::new(1.0, 0.0);
        let fwd = numeric_gradient(s, p, 0.1, Precision::F64, Scheme::Forward);
        let cen = numeric_gradient(s, p, 0.1, Precision::F64, Scheme::Central);
        assert!((fwd.x - 3.31).abs() < 1e-12, "{fwd}");
        assert!((cen.x - 3.01).abs() < 1e-12, "{cen}");
        assert_eq!(fwd.y, 0.0);
        // relative error of the forward difference: 0.31/6.31
        let table = check(s, p);
        let first = &table.rows[0];
        assert_eq!((first.h, first.scheme), (0.1, Scheme::Forward));
        assert!((first.relative_error - 0.31 / 6.31).abs() < 1e-12);
    }

    #[test]
    fn the_error_is_v_shaped_with_its_bottom_near_sqrt_and_cbrt_eps() {
        let land = Landscape::parse("rosenbrock").unwrap();
        let table = check(land.surface.as_ref(), P2::new(-1.2, 1.0));
        assert_eq!(table.rows.len(), 48);
        let best = |p, s| table.best(p, s).unwrap().h;
        let fwd = best(Precision::F64, Scheme::Forward);
        let cen = best(Precision::F64, Scheme::Central);
        assert!((1e-9..=1e-7).contains(&fwd), "√ε ≈ 1.5e-8, best {fwd}");
        assert!((1e-7..=1e-4).contains(&cen), "∛ε ≈ 6e-6, best {cen}");
        let f32_fwd = best(Precision::F32, Scheme::Forward);
        assert!(
            (1e-5..=1e-2).contains(&f32_fwd),
            "√ε₃₂ ≈ 3e-4, best {f32_fwd}"
        );
        let err = |p, s| table.best(p, s).unwrap().relative_error;
        assert!(err(Precision::F64, Scheme::Central) < 1e-9);
        assert!(
            err(Precision::F32, Scheme::Central) > 1e-8,
            "f32 cannot do as well"
        );
        let worst_small_h = table
            .rows
            .iter()
            .filter(|r| r.h == 1e-12 && r.precision == Precision::F64)
            .map(|r| r.relative_error)
            .fold(0.0, f64::max);
        assert!(worst_small_h > 1e-6, "rounding dominates at h = 1e-12");
    }
}
