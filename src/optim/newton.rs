//! Newton's method with optional Levenberg damping.

use super::OptimizerEntry;
use super::params::{lr, no_check};
use super::typed::Typed;
use super::{Optimizer, Oracle, State, StepError};
use crate::space::Vector;
use crate::spec::Args;
use crate::spec::{Param, Range};

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
    build: build::<crate::P2>,
    build_n: build::<crate::space::PN>,
    max_parameters: Some(super::MAX_DENSE_PARAMETERS),
    typed: Typed::Newton,
};

/// Newton's method: `p ← p − lr·(H + λI)⁻¹∇f`.
///
/// Nothing protects it from indefinite Hessians: near a saddle it converges to the saddle,
/// which is the lesson. A singular system ends the run with [`StepError::Singular`]. In ℝⁿ
/// the Hessian is dense and solved by LU: at most [`super::MAX_DENSE_PARAMETERS`].
pub(super) struct Newton<V> {
    damping: f64,
    /// The last step's model step −(H + λI)⁻¹∇f.
    model_step: Option<V>,
}

pub(super) fn build<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new::<V>(a))
}

/// A fresh [`Newton`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new<V: Vector>(a: &Args) -> Newton<V> {
    Newton {
        damping: a.real("damping"),
        model_step: None,
    }
}

impl<V: Vector> Optimizer<V> for Newton<V> {
    #[inline]
    fn step(&mut self, oracle: &mut Oracle<V>, mut x: V, lr: f64) -> Result<V, StepError> {
        let g = oracle.gradient(&x);
        if g.is_zero() {
            self.model_step = Some(V::zeros(x.dim()));
            return Ok(x);
        }
        let h = V::add_diagonal(&oracle.hessian(&x), self.damping);
        self.model_step = None;
        let d = V::solve(&h, &g).ok_or(StepError::Singular)?;
        x.zip_apply(&d, |x, d| *x -= d * lr);
        self.model_step = Some(d.map(|d| -d));
        Ok(x)
    }

    fn state(&self) -> State<V> {
        State {
            model_step: self.model_step.clone(),
            ..State::default()
        }
    }
}
