//! Stochastic gradient descent with momentum and Nesterov momentum, as torch.optim.SGD.
//!
//! The seeds' other form of heavy-ball momentum, `v ← ρv − α∇f; x ← x + v`, gives the same
//! path as torch's `b ← μb + g; x ← x − lr·b` only while lr is constant (then v = −lr·b);
//! under a schedule they differ, and Descent follows torch.

use super::OptimizerEntry;
use super::params::{WEIGHT_DECAY, lr, momentum};
use super::typed::Typed;
use super::{Optimizer, Oracle, State, StepError};
use crate::space::Vector;
use crate::spec::{Args, SpecError};
use crate::spec::{Param, Range};

pub(super) const RULE: &str = "g ← ∇f + wd·p; b ← g at t=1, else μ·b + (1−dampening)·g; \
    d ← g + μ·b if nesterov, b if μ > 0, else g; p ← p − lr·d \
    (torch.optim.SGD; Polyak 1964; Sutskever et al. 2013)";

/// torch.optim.SGD's parameters; `gd`, `momentum` and `nesterov` differ only in defaults.
const fn sgd_params(momentum_default: f64, nesterov: bool) -> [Param; 5] {
    [
        lr(1e-3),
        momentum(momentum_default),
        Param::real(
            "dampening",
            0.0,
            Range::UNIT,
            "dampening of the new gradient in the buffer",
        )
        .linear(0.0, 0.9999),
        WEIGHT_DECAY,
        Param::flag(
            "nesterov",
            nesterov,
            "Nesterov momentum (needs momentum > 0, dampening 0)",
        ),
    ]
}

pub(super) const GD: OptimizerEntry = OptimizerEntry {
    name: "gd",
    rule: RULE,
    params: &sgd_params(0.0, false),
    validate,
    build: build::<crate::P2>,
    build_n: build::<crate::space::PN>,
    max_parameters: None,
    typed: Typed::Sgd,
};

pub(super) const MOMENTUM: OptimizerEntry = OptimizerEntry {
    name: "momentum",
    rule: RULE,
    params: &sgd_params(0.9, false),
    validate,
    build: build::<crate::P2>,
    build_n: build::<crate::space::PN>,
    max_parameters: None,
    typed: Typed::Sgd,
};

pub(super) const NESTEROV: OptimizerEntry = OptimizerEntry {
    name: "nesterov",
    rule: RULE,
    params: &sgd_params(0.9, true),
    validate,
    build: build::<crate::P2>,
    build_n: build::<crate::space::PN>,
    max_parameters: None,
    typed: Typed::Sgd,
};

/// torch.optim.SGD (`_single_tensor_sgd`).
pub(super) struct Sgd<V> {
    momentum: f64,
    dampening: f64,
    weight_decay: f64,
    nesterov: bool,
    buffer: Option<V>,
    /// The lr of the last step (for the velocity −lr·b).
    last_lr: f64,
}

pub(super) fn validate(a: &Args) -> Result<(), SpecError> {
    if a.flag("nesterov") && (a.real("momentum") <= 0.0 || a.real("dampening") != 0.0) {
        return Err(a.error("nesterov=true needs momentum > 0 and dampening = 0 (as in torch)"));
    }
    Ok(())
}

pub(super) fn build<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new::<V>(a))
}

/// A fresh [`Sgd`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new<V: Vector>(a: &Args) -> Sgd<V> {
    Sgd {
        momentum: a.real("momentum"),
        dampening: a.real("dampening"),
        weight_decay: a.real("weight_decay"),
        nesterov: a.flag("nesterov"),
        buffer: None,
        last_lr: 0.0,
    }
}

impl<V: Vector> Optimizer<V> for Sgd<V> {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle<V>, mut x: V, lr: f64) -> Result<V, StepError> {
        let mut g = oracle.gradient(&x);
        if self.weight_decay != 0.0 {
            let wd = self.weight_decay;
            g.zip_apply(&x, |g, x| *g += x * wd);
        }
        if self.momentum != 0.0 {
            let (mu, damp) = (self.momentum, 1.0 - self.dampening);
            let b = match &mut self.buffer {
                Some(b) => {
                    b.zip_apply(&g, |b, g| *b = *b * mu + g * damp);
                    b
                }
                None => self.buffer.insert(g.clone()),
            };
            if self.nesterov {
                g.zip_apply(b, |g, b| *g += b * mu);
            } else {
                g.clone_from(b);
            }
        }
        self.last_lr = lr;
        x.zip_apply(&g, |x, g| *x += g * -lr);
        Ok(x)
    }

    fn state(&self) -> State<V> {
        let Some(b) = &self.buffer else {
            return State::default();
        };
        State {
            buffers: vec![("b", b.clone())],
            velocity: Some(b.scaled(-self.last_lr)),
            ..State::default()
        }
    }
}
