//! Stochastic gradient descent with momentum and Nesterov momentum, as torch.optim.SGD.
//!
//! The seeds' other form of heavy-ball momentum, `v ← ρv − α∇f; x ← x + v`, gives the same
//! path as torch's `b ← μb + g; x ← x − lr·b` only while lr is constant (then v = −lr·b);
//! under a schedule they differ, and Descent follows torch.

use super::OptimizerEntry;
use super::params::{WEIGHT_DECAY, lr, momentum};
use super::typed::Typed;
use super::{Optimizer, Oracle, State, StepError};
use crate::P2;
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
    build,
    typed: Typed::Sgd,
};

pub(super) const MOMENTUM: OptimizerEntry = OptimizerEntry {
    name: "momentum",
    rule: RULE,
    params: &sgd_params(0.9, false),
    validate,
    build,
    typed: Typed::Sgd,
};

pub(super) const NESTEROV: OptimizerEntry = OptimizerEntry {
    name: "nesterov",
    rule: RULE,
    params: &sgd_params(0.9, true),
    validate,
    build,
    typed: Typed::Sgd,
};

/// torch.optim.SGD (`_single_tensor_sgd`).
pub(super) struct Sgd {
    momentum: f64,
    dampening: f64,
    weight_decay: f64,
    nesterov: bool,
    buffer: Option<P2>,
    /// The lr of the last step (for the velocity −lr·b).
    last_lr: f64,
}

pub(super) fn validate(a: &Args) -> Result<(), SpecError> {
    if a.flag("nesterov") && (a.real("momentum") <= 0.0 || a.real("dampening") != 0.0) {
        return Err(a.error("nesterov=true needs momentum > 0 and dampening = 0 (as in torch)"));
    }
    Ok(())
}

pub(super) fn build(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new(a))
}

/// A fresh [`Sgd`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new(a: &Args) -> Sgd {
    Sgd {
        momentum: a.real("momentum"),
        dampening: a.real("dampening"),
        weight_decay: a.real("weight_decay"),
        nesterov: a.flag("nesterov"),
        buffer: None,
        last_lr: 0.0,
    }
}

impl Optimizer for Sgd {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        let mut g = oracle.gradient(x);
        if self.weight_decay != 0.0 {
            g += x * self.weight_decay;
        }
        if self.momentum != 0.0 {
            let b = match self.buffer {
                None => g,
                Some(b) => b * self.momentum + g * (1.0 - self.dampening),
            };
            self.buffer = Some(b);
            g = if self.nesterov {
                g + b * self.momentum
            } else {
                b
            };
        }
        self.last_lr = lr;
        Ok(x + g * -lr)
    }

    fn state(&self) -> State {
        let Some(b) = self.buffer else {
            return State::default();
        };
        State {
            buffers: vec![("b", b)],
            velocity: Some(b * -self.last_lr),
            ..State::default()
        }
    }
}
