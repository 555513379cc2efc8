//! Newton's method with optional Levenberg damping.

use super::OptimizerEntry;
use super::params::{lr, no_check};
use super::typed::Typed;
use super::{Optimizer, Oracle, State, StepError};
use crate::spec::Args;
use crate::spec::{Param, Range};
use crate::{M2, P2};

pub(super) const RULE: &str = "p ← p − lr·(H + λI)⁻¹∇f (Newton; damping λ after Levenberg 1944). \
    Undamped, it heads for the nearest stationary point — saddles included";

pub(super) const NEWTON: OptimizerEntry = OptimizerEntry {
    name: "newton",
    rule: RULE,
    params: &[
        lr(1.0),
        Param::real(
            "damping",
            0.0,
            Range::NON_NEGATIVE,
            "λ added to the Hessian's diagonal",
        ),
    ],
    validate: no_check,
    build,
    typed: Typed::Newton,
};

/// Newton's method: `p ← p − lr·(H + λI)⁻¹∇f`.
///
/// Nothing protects it from indefinite Hessians: near a saddle it converges to the saddle,
/// which is the lesson. A singular system ends the run with [`StepError::Singular`].
pub(super) struct Newton {
    damping: f64,
    /// The last step's model step −(H + λI)⁻¹∇f.
    model_step: Option<P2>,
}

pub(super) fn build(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new(a))
}

/// A fresh [`Newton`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new(a: &Args) -> Newton {
    Newton {
        damping: a.real("damping"),
        model_step: None,
    }
}

/// Solve `a·d = g` for 2×2 `a` by Cramer's rule; `None` when `a` is numerically singular.
pub(crate) fn solve(a: M2, g: P2) -> Option<P2> {
    let det = a.determinant();
    let scale = a.norm_squared();
    if !det.is_finite() || det.abs() <= f64::EPSILON * scale {
        return None;
    }
    let d = P2::new(
        (a[(1, 1)] * g.x - a[(0, 1)] * g.y) / det,
        (a[(0, 0)] * g.y - a[(1, 0)] * g.x) / det,
    );
    d.iter().all(|v| v.is_finite()).then_some(d)
}

impl Optimizer for Newton {
    #[inline]
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        let g = oracle.gradient(x);
        if g == P2::zeros() {
            self.model_step = Some(P2::zeros());
            return Ok(x);
        }
        let h = oracle.hessian(x) + M2::identity() * self.damping;
        self.model_step = None;
        let d = solve(h, g).ok_or(StepError::Singular)?;
        self.model_step = Some(-d);
        Ok(x - d * lr)
    }

    fn state(&self) -> State {
        State {
            model_step: self.model_step,
            ..State::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_refuses_singular_systems() {
        let a = M2::new(2.0, 1.0, 1.0, 3.0);
        let d = solve(a, P2::new(3.0, 5.0)).unwrap();
        assert!((a * d - P2::new(3.0, 5.0)).norm() < 1e-15);
        assert_eq!(solve(M2::new(1.0, 2.0, 2.0, 4.0), P2::new(1.0, 1.0)), None);
        assert_eq!(solve(M2::zeros(), P2::new(1.0, 1.0)), None);
    }
}
