//! Curvature at a point: the Hessian's eigenpairs, its condition number, and the learning
//! rates beyond which gradient descent and momentum stop converging.
//!
//! On a quadratic with Hessian eigenvalues λᵢ, gradient descent multiplies the error along
//! eigenvector i by (1 − lr·λᵢ) each step, so it converges iff 0 < lr < 2/λmax (Nocedal &
//! Wright §3.3; Goh, "Why Momentum Really Works", Distill 2017). Near a minimum every smooth
//! surface is such a quadratic, which makes 2/λmax at the minimum the learning rate where a
//! run that gets there stops settling.

use crate::optim::OptimizerSpec;
use crate::surface::Surface;
use crate::{M2, P2};

/// The eigen-decomposition of a (symmetrised) 2×2 Hessian.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curvature {
    /// Eigenvalues, the larger first.
    pub eigenvalues: [f64; 2],
    /// Unit eigenvectors, in the order of the eigenvalues.
    pub eigenvectors: [P2; 2],
}

impl Curvature {
    /// The eigenpairs of the symmetric part of `h`, in closed form:
    /// λ = m ± r with m = (a + d)/2, r = √(((a − d)/2)² + b²), and the larger eigenvalue's
    /// eigenvector at angle ½·atan2(2b, a − d).
    pub fn of(h: M2) -> Self {
        let (a, d) = (h[(0, 0)], h[(1, 1)]);
        let b = 0.5 * (h[(0, 1)] + h[(1, 0)]);
        let mean = 0.5 * (a + d);
        let radius = (0.5 * (a - d)).hypot(b);
        let angle = 0.5 * b.atan2(0.5 * (a - d));
        let (sin, cos) = angle.sin_cos();
        Self {
            eigenvalues: [mean + radius, mean - radius],
            eigenvectors: [P2::new(cos, sin), P2::new(-sin, cos)],
        }
    }

    /// The curvature of `surface` at `p`, from its exact Hessian.
    pub fn at(surface: &dyn Surface, p: P2) -> Self {
        Self::of(surface.hessian(p))
    }

    /// The largest eigenvalue λmax.
    pub fn lambda_max(&self) -> f64 {
        self.eigenvalues[0]
    }

    /// κ = |λ|max / |λ|min: how much more one direction curves than the other (∞ when one
    /// eigenvalue is 0). Below 1e-300 the smaller magnitude counts as 0.
    pub fn condition_number(&self) -> f64 {
        let [a, b] = self.eigenvalues.map(f64::abs);
        let (big, small) = if a >= b { (a, b) } else { (b, a) };
        if small < 1e-300 {
            f64::INFINITY
        } else {
            big / small
        }
    }

    /// What the point is: a minimum, a maximum or a saddle of the local quadratic model.
    pub fn shape(&self) -> &'static str {
        match self.eigenvalues {
            [a, b] if a > 0.0 && b > 0.0 => "bowl (both eigenvalues > 0)",
            [a, b] if a < 0.0 && b < 0.0 => "cap (both eigenvalues < 0)",
            [a, b] if a > 0.0 && b < 0.0 => "saddle (eigenvalues of both signs)",
            _ => "flat along one axis (an eigenvalue is 0)",
        }
    }
}

/// The largest constant learning rate at which torch's SGD converges on a quadratic whose
/// largest Hessian eigenvalue is `lambda_max`: 2/λ for plain gradient descent; with heavy-ball
/// momentum μ (b ← μb + (1 − dampening)g, p ← p − lr·b) the iteration
/// x⁺ = x − lr(1−d)λx + μ(x − x⁻) is stable iff lr(1−d)λ < 2(1 + μ) (Polyak 1964; Goh 2017);
/// with Nesterov's form (d = g + μb) the characteristic polynomial
/// z² − (1+μ)(1−h)z + μ(1−h), h = lr·λ, has its roots inside the unit circle iff
/// h < 2(1 + μ)/(1 + 2μ). Coupled weight decay wd adds wd to every eigenvalue.
/// `None` when λmax + wd ≤ 0: no learning rate makes the iteration contract.
pub fn sgd_stability_limit(
    lambda_max: f64,
    momentum: f64,
    dampening: f64,
    nesterov: bool,
    weight_decay: f64,
) -> Option<f64> {
    let lambda = lambda_max + weight_decay;
    if !(lambda > 0.0 && lambda.is_finite()) {
        return None;
    }
    let limit = if momentum == 0.0 {
        2.0 / lambda
    } else if nesterov {
        2.0 * (1.0 + momentum) / ((1.0 + 2.0 * momentum) * lambda)
    } else {
        2.0 * (1.0 + momentum) / ((1.0 - dampening) * lambda)
    };
    limit.is_finite().then_some(limit)
}

/// The stability limit of an optimizer spec on curvature `lambda_max`, for the SGD family
/// (`gd`, `momentum`, `nesterov`) with its own momentum, dampening, Nesterov flag and weight
/// decay (see [`sgd_stability_limit`]); `None` for other methods, whose limits have no such
/// closed form.
pub fn lr_limit(spec: &OptimizerSpec, lambda_max: f64) -> Option<f64> {
    if !matches!(spec.entry.name, "gd" | "momentum" | "nesterov") {
        return None;
    }
    let a = &spec.args;
    sgd_stability_limit(
        lambda_max,
        a.real("momentum"),
        a.real("dampening"),
        a.flag("nesterov"),
        a.real("weight_decay"),
    )
}

/// The largest sharpness (λmax of the loss's Hessian) at which an SGD-family spec's own lr
/// is stable: 2/η for gradient descent, 2(1 + μ)/η with heavy-ball momentum, less the weight
/// decay (the lr limit of [`sgd_stability_limit`], solved for λ). Cohen et al. (ICLR 2021,
/// "Gradient descent on neural networks typically occurs at the edge of stability") find
/// full-batch training drives the sharpness up to this line and holds it there. `None` for
/// other methods and for lr 0.
pub fn sharpness_limit(spec: &OptimizerSpec) -> Option<f64> {
    let at_one = lr_limit(spec, 1.0 - spec.args.real("weight_decay"))?;
    let lr = spec.lr();
    (lr > 0.0).then(|| at_one / lr - spec.args.real("weight_decay"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenpairs_of_a_rotated_ellipse() {
        // R(30°)·diag(50, 1)·R(30°)ᵀ
        let (s, c) = 30f64.to_radians().sin_cos();
        let r = M2::new(c, -s, s, c);
        let h = r * M2::new(50.0, 0.0, 0.0, 1.0) * r.transpose();
        let k = Curvature::of(h);
        assert!((k.eigenvalues[0] - 50.0).abs() < 1e-12);
        assert!((k.eigenvalues[1] - 1.0).abs() < 1e-12);
        assert!((k.eigenvectors[0] - P2::new(c, s)).norm() < 1e-12);
        assert!((k.eigenvectors[1] - P2::new(-s, c)).norm() < 1e-12);
        assert!((k.condition_number() - 50.0).abs() < 1e-10);
        for i in 0..2 {
            let v = k.eigenvectors[i];
            assert!((h * v - v * k.eigenvalues[i]).norm() < 1e-12);
        }
    }

    #[test]
    fn saddles_flat_directions_and_diagonal_matrices() {
        let saddle = Curvature::of(M2::new(2.0, 0.0, 0.0, -2.0));
        assert_eq!(saddle.eigenvalues, [2.0, -2.0]);
        assert_eq!(saddle.eigenvectors[0], P2::new(1.0, 0.0));
        assert_eq!(saddle.condition_number(), 1.0);
        assert!(saddle.shape().starts_with("saddle"));
        // Larger eigenvalue on the y axis.
        let tall = Curvature::of(M2::new(1.0, 0.0, 0.0, 4.0));
        assert_eq!(tall.eigenvalues, [4.0, 1.0]);
        assert!(
            (tall.eigenvectors[0].x).abs() < 1e-15
                && (tall.eigenvectors[0].y.abs() - 1.0).abs() < 1e-15
        );
        let flat = Curvature::of(M2::new(3.0, 0.0, 0.0, 0.0));
        assert_eq!(flat.condition_number(), f64::INFINITY);
    }

    #[test]
    fn sharpness_limits_solve_the_lr_limit_for_lambda() {
        let limit = |s: &str| sharpness_limit(&OptimizerSpec::parse(s).unwrap());
        assert_eq!(limit("gd:lr=0.5"), Some(4.0));
        assert!((limit("momentum:lr=0.1,momentum=0.9").unwrap() - 38.0).abs() < 1e-12);
        let wd = limit("gd:lr=0.5,weight_decay=0.25").unwrap();
        let spec = OptimizerSpec::parse("gd:lr=0.5,weight_decay=0.25").unwrap();
        assert!((lr_limit(&spec, wd).unwrap() - 0.5).abs() < 1e-12, "{wd}");
        assert_eq!(limit("adam:lr=0.01"), None);
        assert_eq!(limit("gd:lr=0"), None);
    }

    #[test]
    fn stability_limits_by_hand() {
        assert_eq!(sgd_stability_limit(4.0, 0.0, 0.0, false, 0.0), Some(0.5));
        // 2(1 + 0.9)/4 = 0.95
        assert!((sgd_stability_limit(4.0, 0.9, 0.0, false, 0.0).unwrap() - 0.95).abs() < 1e-15);
        // Nesterov: 2·1.5/(2·4) = 0.375
        assert!((sgd_stability_limit(4.0, 0.5, 0.0, true, 0.0).unwrap() - 0.375).abs() < 1e-15);
        // Dampening ½ halves the force: the limit doubles.
        assert!((sgd_stability_limit(4.0, 0.5, 0.5, false, 0.0).unwrap() - 1.5).abs() < 1e-15);
        // Weight decay 1 makes λ = 5.
        assert_eq!(sgd_stability_limit(4.0, 0.0, 0.0, false, 1.0), Some(0.4));
        assert_eq!(sgd_stability_limit(-1.0, 0.0, 0.0, false, 0.0), None);
    }

    #[test]
    fn limits_of_specs() {
        let limit = |s: &str| lr_limit(&OptimizerSpec::parse(s).unwrap(), 4.0);
        assert_eq!(limit("gd"), Some(0.5));
        assert!((limit("momentum").unwrap() - 0.95).abs() < 1e-15);
        assert!((limit("nesterov:momentum=0.5").unwrap() - 0.375).abs() < 1e-15);
        assert_eq!(limit("gd:weight_decay=1"), Some(0.4));
        assert_eq!(limit("adam"), None);
    }
}
