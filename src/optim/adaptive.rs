//! Adaptive methods: per-coordinate step sizes from running gradient statistics.
//!
//! Each follows torch.optim's single-tensor implementation operation by operation
//! (`_single_tensor_adagrad`, `_single_tensor_rmsprop`, …), so paths agree with PyTorch in
//! float64 to the last digits. Where torch would divide 0 by 0 (a zero gradient with eps = 0)
//! the step is 0 instead (see [`super::ratio`]).

use super::OptimizerEntry;
use super::params::{BETA1, BETA2, EPS8, WEIGHT_DECAY, lr, momentum, no_check};
use super::typed::Typed;
use super::{Optimizer, Oracle, State, StepError, ratio};
use crate::P2;
use crate::spec::Args;
use crate::spec::{Param, Range};

pub(super) const ADAGRAD_RULE: &str = "g ← ∇f + wd·p; s ← s + g²; \
    p ← p − lr/(1 + (t−1)·lr_decay) · g/(√s + eps) (torch.optim.Adagrad; Duchi, Hazan & Singer 2011)";
pub(super) const RMSPROP_RULE: &str = "g ← ∇f + wd·p; v ← αv + (1−α)g²; \
    [centered: ḡ ← αḡ + (1−α)g, v̄ = v − ḡ²]; d = g/(√v̄ + eps); \
    b ← μb + d, p ← p − lr·b (μ > 0) or p ← p − lr·d (torch.optim.RMSprop; Hinton, Lecture 6e 2012)";
pub(super) const ADADELTA_RULE: &str = "g ← ∇f + wd·p; v ← ρv + (1−ρ)g²; \
    Δ = √(u + eps)/√(v + eps) · g; u ← ρu + (1−ρ)Δ²; p ← p − lr·Δ (torch.optim.Adadelta; Zeiler 2012)";
pub(super) const ADAM_RULE: &str = "g ← ∇f + wd·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; \
    [amsgrad: v ← max(v_max, v)]; p ← p − lr/(1−β₁ᵗ) · m/(√v/√(1−β₂ᵗ) + eps); \
    without bias correction: p ← p − lr·m/(√v + eps) (torch.optim.Adam; Kingma & Ba 2015)";
pub(super) const ADAMW_RULE: &str = "p ← p·(1 − lr·wd), then Adam without weight decay \
    (torch.optim.AdamW; Loshchilov & Hutter 2019)";
pub(super) const NADAM_RULE: &str = "g ← ∇f + wd·p; μₜ = β₁(1 − ½·0.96^(tψ)); m ← β₁m + (1−β₁)g; \
    v ← β₂v + (1−β₂)g²; d = √(v/(1−β₂ᵗ)) + eps; \
    p ← p − lr(1−μₜ)/(1−Πμ)·g/d − lr·μₜ₊₁/(1−Πμ·μₜ₊₁)·m/d (torch.optim.NAdam; Dozat 2016)";

pub(super) const ADAGRAD: OptimizerEntry = OptimizerEntry {
    name: "adagrad",
    rule: ADAGRAD_RULE,
    params: &[
        lr(1e-2),
        Param::real(
            "lr_decay",
            0.0,
            Range::NON_NEGATIVE,
            "lr/(1 + (t−1)·lr_decay)",
        )
        .log(0.0, 10.0, 1e-4),
        WEIGHT_DECAY,
        Param::real(
            "initial_accumulator_value",
            0.0,
            Range::NON_NEGATIVE,
            "starting sum of squares",
        ),
        Param::real(
            "eps",
            1e-10,
            Range::NON_NEGATIVE,
            "term added to the denominator",
        )
        .log(0.0, 1.0, 1e-12),
    ],
    validate: no_check,
    build: build_adagrad,
    typed: Typed::Adagrad,
};

pub(super) const RMSPROP: OptimizerEntry = OptimizerEntry {
    name: "rmsprop",
    rule: RMSPROP_RULE,
    params: &[
        lr(1e-2),
        Param::real("alpha", 0.99, Range::UNIT, "smoothing constant α").linear(0.0, 0.9999),
        EPS8,
        WEIGHT_DECAY,
        momentum(0.0),
        Param::flag("centered", false, "normalize by the estimated variance"),
    ],
    validate: no_check,
    build: build_rmsprop,
    typed: Typed::RmsProp,
};

pub(super) const ADADELTA: OptimizerEntry = OptimizerEntry {
    name: "adadelta",
    rule: ADADELTA_RULE,
    params: &[
        lr(1.0),
        Param::real("rho", 0.9, Range::UNIT, "decay ρ of the running averages").linear(0.0, 0.9999),
        Param::real(
            "eps",
            1e-6,
            Range::NON_NEGATIVE,
            "term added inside the square roots",
        )
        .log(0.0, 1.0, 1e-12),
        WEIGHT_DECAY,
    ],
    validate: no_check,
    build: build_adadelta,
    typed: Typed::Adadelta,
};

pub(super) const ADAM: OptimizerEntry = OptimizerEntry {
    name: "adam",
    rule: ADAM_RULE,
    params: &[
        lr(1e-3),
        BETA1,
        BETA2,
        EPS8,
        WEIGHT_DECAY,
        Param::flag(
            "amsgrad",
            false,
            "use the running maximum of v̂ (Reddi et al. 2018)",
        ),
        Param::flag(
            "bias_correction",
            true,
            "divide m and v by 1 − βᵗ (false: \"Adam (almost)\")",
        ),
    ],
    validate: no_check,
    build: build_adam,
    typed: Typed::Adam,
};

pub(super) const ADAMW: OptimizerEntry = OptimizerEntry {
    name: "adamw",
    rule: ADAMW_RULE,
    params: &[
        lr(1e-3),
        BETA1,
        BETA2,
        EPS8,
        Param::real(
            "weight_decay",
            1e-2,
            Range::NON_NEGATIVE,
            "decoupled decay: p ← p·(1 − lr·wd)",
        )
        .log(0.0, 10.0, 1e-4),
        Param::flag(
            "amsgrad",
            false,
            "use the running maximum of v̂ (Reddi et al. 2018)",
        ),
    ],
    validate: no_check,
    build: build_adamw,
    typed: Typed::AdamW,
};

pub(super) const NADAM: OptimizerEntry = OptimizerEntry {
    name: "nadam",
    rule: NADAM_RULE,
    params: &[
        lr(2e-3),
        BETA1,
        BETA2,
        EPS8,
        WEIGHT_DECAY,
        Param::real(
            "momentum_decay",
            4e-3,
            Range::NON_NEGATIVE,
            "ψ in μₜ = β₁(1 − ½·0.96^(tψ))",
        )
        .linear(0.0, 0.9999),
    ],
    validate: no_check,
    build: build_nadam,
    typed: Typed::NAdam,
};

/// torch's `lerp(start, end, w)`: `start + w(end − start)` for w < ½, else `end − (end − start)(1 − w)`.
#[inline]
fn lerp(start: f64, end: f64, w: f64) -> f64 {
    if w < 0.5 {
        start + w * (end - start)
    } else {
        end - (end - start) * (1.0 - w)
    }
}

/// `1 − βᵗ` as torch computes it (`1 - beta ** step`), remembering when it has become exactly
/// 1.0: βᵗ only shrinks, so from then on the power (slow once it underflows) is skipped with
/// bit-identical results.
#[derive(Clone, Copy, Debug, Default)]
struct BiasCorrection {
    saturated: bool,
}

impl BiasCorrection {
    #[inline]
    fn at(&mut self, beta: f64, t: f64) -> f64 {
        if self.saturated {
            return 1.0;
        }
        let c = 1.0 - beta.powf(t);
        self.saturated = c == 1.0;
        c
    }
}

/// Apply `f` to each coordinate pair of the given vectors.
#[inline]
fn each(a: P2, b: P2, f: impl Fn(f64, f64) -> f64) -> P2 {
    P2::new(f(a.x, b.x), f(a.y, b.y))
}

/// The gradient with torch's coupled weight decay: g + wd·p.
#[inline]
fn decayed(g: P2, x: P2, weight_decay: f64) -> P2 {
    if weight_decay == 0.0 {
        g
    } else {
        g + x * weight_decay
    }
}

/// `v·β + (1−β)·g²`, as torch's `v.mul_(β).addcmul_(g, g, value=1−β)`.
#[inline]
fn second_moment(v: P2, g: P2, beta: f64) -> P2 {
    each(v, g, |v, g| v * beta + (1.0 - beta) * g * g)
}

pub(super) struct Adagrad {
    lr_decay: f64,
    weight_decay: f64,
    eps: f64,
    sum: P2,
    t: u64,
    /// The last step's decayed lr, lr/(1 + (t−1)·lr_decay).
    last_clr: f64,
}

pub(super) fn build_adagrad(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new_adagrad(a))
}

/// A fresh [`Adagrad`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_adagrad(a: &Args) -> Adagrad {
    let init = a.real("initial_accumulator_value");
    Adagrad {
        lr_decay: a.real("lr_decay"),
        weight_decay: a.real("weight_decay"),
        eps: a.real("eps"),
        sum: P2::new(init, init),
        t: 0,
        last_clr: 0.0,
    }
}

impl Optimizer for Adagrad {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        self.t += 1;
        let g = decayed(oracle.gradient(x), x, self.weight_decay);
        let clr = lr / (1.0 + (self.t - 1) as f64 * self.lr_decay);
        self.sum = each(self.sum, g, |s, g| s + g * g);
        self.last_clr = clr;
        let eps = self.eps;
        Ok(x + each(g, self.sum, |g, s| ratio(-clr * g, s.sqrt() + eps)))
    }

    fn state(&self) -> State {
        if self.t == 0 {
            return State::default();
        }
        State {
            buffers: vec![("s", self.sum)],
            scalars: vec![("t", self.t as f64)],
            effective_lr: Some(self.sum.map(|s| self.last_clr / (s.sqrt() + self.eps))),
            ..State::default()
        }
    }
}

pub(super) struct RmsProp {
    alpha: f64,
    eps: f64,
    weight_decay: f64,
    momentum: f64,
    centered: bool,
    square_avg: P2,
    grad_avg: P2,
    buffer: P2,
    /// The last step's lr (`None` before the first step).
    last_lr: Option<f64>,
}

pub(super) fn build_rmsprop(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new_rmsprop(a))
}

/// A fresh [`RmsProp`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_rmsprop(a: &Args) -> RmsProp {
    RmsProp {
        alpha: a.real("alpha"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        momentum: a.real("momentum"),
        centered: a.flag("centered"),
        square_avg: P2::zeros(),
        grad_avg: P2::zeros(),
        buffer: P2::zeros(),
        last_lr: None,
    }
}

impl Optimizer for RmsProp {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        let g = decayed(oracle.gradient(x), x, self.weight_decay);
        let alpha = self.alpha;
        self.square_avg = second_moment(self.square_avg, g, alpha);
        let var = if self.centered {
            self.grad_avg = each(self.grad_avg, g, |m, g| lerp(m, g, 1.0 - alpha));
            // v − ḡ² ≥ 0 in exact arithmetic; clamp the rounding.
            each(self.square_avg, self.grad_avg, |v, m| (v - m * m).max(0.0))
        } else {
            self.square_avg
        };
        let eps = self.eps;
        let d = each(g, var, |g, v| ratio(g, v.sqrt() + eps));
        self.last_lr = Some(lr);
        if self.momentum > 0.0 {
            self.buffer = self.buffer * self.momentum + d;
            Ok(x + self.buffer * -lr)
        } else {
            Ok(x + d * -lr)
        }
    }

    fn state(&self) -> State {
        let Some(lr) = self.last_lr else {
            return State::default();
        };
        let mut state = State {
            buffers: vec![("v", self.square_avg)],
            ..State::default()
        };
        let var = if self.centered {
            state.buffers.push(("ḡ", self.grad_avg));
            each(self.square_avg, self.grad_avg, |v, m| (v - m * m).max(0.0))
        } else {
            self.square_avg
        };
        state.effective_lr = Some(var.map(|v| lr / (v.sqrt() + self.eps)));
        if self.momentum > 0.0 {
            state.buffers.push(("b", self.buffer));
            state.velocity = Some(self.buffer * -lr);
        }
        state
    }
}

pub(super) struct Adadelta {
    rho: f64,
    eps: f64,
    weight_decay: f64,
    square_avg: P2,
    acc_delta: P2,
    /// The last step's per-coordinate lr·√(u + eps)/√(v + eps) (`None` before the first step).
    last_eta: Option<P2>,
}

pub(super) fn build_adadelta(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new_adadelta(a))
}

/// A fresh [`Adadelta`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_adadelta(a: &Args) -> Adadelta {
    Adadelta {
        rho: a.real("rho"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        square_avg: P2::zeros(),
        acc_delta: P2::zeros(),
        last_eta: None,
    }
}

impl Optimizer for Adadelta {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        let g = decayed(oracle.gradient(x), x, self.weight_decay);
        let (rho, eps) = (self.rho, self.eps);
        self.square_avg = second_moment(self.square_avg, g, rho);
        let std = self.square_avg.map(|v| (v + eps).sqrt());
        let scale = each(self.acc_delta, std, |u, s| (u + eps).sqrt() / s);
        self.last_eta = Some(scale * lr);
        let delta = scale.component_mul(&g);
        let delta = each(delta, g, |d, g| if g == 0.0 { 0.0 } else { d });
        self.acc_delta = second_moment(self.acc_delta, delta, rho);
        Ok(x + delta * -lr)
    }

    fn state(&self) -> State {
        let Some(eta) = self.last_eta else {
            return State::default();
        };
        State {
            buffers: vec![("v", self.square_avg), ("u", self.acc_delta)],
            effective_lr: Some(eta),
            ..State::default()
        }
    }
}

/// Adam, AdamW and "Adam (almost)" (no bias correction).
pub(super) struct Adam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    /// AdamW: decay the parameters, not the gradient.
    decoupled: bool,
    amsgrad: bool,
    bias_correction: bool,
    m: P2,
    v: P2,
    v_max: P2,
    t: u64,
    bc1: BiasCorrection,
    bc2: BiasCorrection,
    /// The last step's lr.
    last_lr: f64,
}

fn adam(a: &Args, decoupled: bool, bias_correction: bool) -> Adam {
    Adam {
        beta1: a.real("beta1"),
        beta2: a.real("beta2"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        decoupled,
        amsgrad: a.flag("amsgrad"),
        bias_correction,
        m: P2::zeros(),
        v: P2::zeros(),
        v_max: P2::zeros(),
        t: 0,
        bc1: BiasCorrection::default(),
        bc2: BiasCorrection::default(),
        last_lr: 0.0,
    }
}

pub(super) fn build_adam(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new_adam(a))
}

pub(super) fn build_adamw(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new_adamw(a))
}

/// A fresh Adam as its concrete type (the engine monomorphizes over it).
pub(super) fn new_adam(a: &Args) -> Adam {
    adam(a, false, a.flag("bias_correction"))
}

/// A fresh AdamW as its concrete type.
pub(super) fn new_adamw(a: &Args) -> Adam {
    adam(a, true, true)
}

impl Optimizer for Adam {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        self.t += 1;
        let (beta1, beta2, eps) = (self.beta1, self.beta2, self.eps);
        // First, while nothing else is live: the powers are calls (and a function of t alone).
        let (step_size, bc2_sqrt) = if self.bias_correction {
            let t = self.t as f64;
            (lr / self.bc1.at(beta1, t), self.bc2.at(beta2, t).sqrt())
        } else {
            (lr, 1.0)
        };
        let mut x = x;
        let mut g = oracle.gradient(x);
        if self.decoupled {
            x *= 1.0 - lr * self.weight_decay;
        } else {
            g = decayed(g, x, self.weight_decay);
        }
        self.m = each(self.m, g, |m, g| lerp(m, g, 1.0 - beta1));
        self.v = second_moment(self.v, g, beta2);
        let v = if self.amsgrad {
            self.v_max = each(self.v_max, self.v, f64::max);
            self.v_max
        } else {
            self.v
        };
        let denom = v.map(|v| v.sqrt() / bc2_sqrt + eps);
        self.last_lr = lr;
        Ok(x + each(self.m, denom, |m, d| ratio(-step_size * m, d)))
    }

    fn state(&self) -> State {
        if self.t == 0 {
            return State::default();
        }
        let mut buffers = vec![("m", self.m), ("v", self.v)];
        let v = if self.amsgrad {
            buffers.push(("v_max", self.v_max));
            self.v_max
        } else {
            self.v
        };
        let t = self.t as f64;
        let bc2_sqrt = if self.bias_correction {
            (1.0 - self.beta2.powf(t)).sqrt()
        } else {
            1.0
        };
        State {
            buffers,
            scalars: vec![("t", t)],
            effective_lr: Some(v.map(|v| self.last_lr / (v.sqrt() / bc2_sqrt + self.eps))),
            ..State::default()
        }
    }
}

pub(super) struct NAdam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    momentum_decay: f64,
    mu_product: f64,
    m: P2,
    v: P2,
    t: u64,
    bc2: BiasCorrection,
    /// The last step's lr.
    last_lr: f64,
}

pub(super) fn build_nadam(a: &Args) -> Box<dyn Optimizer> {
    Box::new(new_nadam(a))
}

/// A fresh [`NAdam`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_nadam(a: &Args) -> NAdam {
    NAdam {
        beta1: a.real("beta1"),
        beta2: a.real("beta2"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        momentum_decay: a.real("momentum_decay"),
        mu_product: 1.0,
        m: P2::zeros(),
        v: P2::zeros(),
        t: 0,
        bc2: BiasCorrection::default(),
        last_lr: 0.0,
    }
}

impl Optimizer for NAdam {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        self.t += 1;
        let t = self.t as f64;
        let (beta1, beta2, eps) = (self.beta1, self.beta2, self.eps);
        let g = decayed(oracle.gradient(x), x, self.weight_decay);
        let bias_correction2 = self.bc2.at(beta2, t);
        let mu = beta1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay));
        let mu_next = beta1 * (1.0 - 0.5 * 0.96f64.powf((t + 1.0) * self.momentum_decay));
        self.mu_product *= mu;
        self.m = each(self.m, g, |m, g| lerp(m, g, 1.0 - beta1));
        self.v = second_moment(self.v, g, beta2);
        let denom = self.v.map(|v| (v / bias_correction2).sqrt() + eps);
        let grad_coef = -lr * (1.0 - mu) / (1.0 - self.mu_product);
        let m_coef = (-lr * mu_next) / (1.0 - self.mu_product * mu_next);
        let x = x + each(g, denom, |g, d| ratio(grad_coef * g, d));
        self.last_lr = lr;
        Ok(x + each(self.m, denom, |m, d| ratio(m_coef * m, d)))
    }

    /// The effective lr shown is lr/(√(v/(1−β₂ᵗ)) + eps), the denominator both NAdam terms share.
    fn state(&self) -> State {
        if self.t == 0 {
            return State::default();
        }
        let t = self.t as f64;
        let bc2 = 1.0 - self.beta2.powf(t);
        State {
            buffers: vec![("m", self.m), ("v", self.v)],
            scalars: vec![("t", t), ("Πμ", self.mu_product)],
            effective_lr: Some(self.v.map(|v| self.last_lr / ((v / bc2).sqrt() + self.eps))),
            ..State::default()
        }
    }
}
