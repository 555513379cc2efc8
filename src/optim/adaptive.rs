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
use crate::space::Vector;
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
    build: build_adagrad::<crate::P2>,
    build_n: build_adagrad::<crate::space::PN>,
    max_parameters: None,
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
    build: build_rmsprop::<crate::P2>,
    build_n: build_rmsprop::<crate::space::PN>,
    max_parameters: None,
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
    build: build_adadelta::<crate::P2>,
    build_n: build_adadelta::<crate::space::PN>,
    max_parameters: None,
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
    build: build_adam::<crate::P2>,
    build_n: build_adam::<crate::space::PN>,
    max_parameters: None,
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
    build: build_adamw::<crate::P2>,
    build_n: build_adamw::<crate::space::PN>,
    max_parameters: None,
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
    build: build_nadam::<crate::P2>,
    build_n: build_nadam::<crate::space::PN>,
    max_parameters: None,
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

/// The gradient with torch's coupled weight decay: g + wd·p.
#[inline]
fn decay<V: Vector>(g: &mut V, x: &V, weight_decay: f64) {
    if weight_decay != 0.0 {
        g.zip_apply(x, |g, x| *g += x * weight_decay);
    }
}

/// `v·β + (1−β)·g²`, as torch's `v.mul_(β).addcmul_(g, g, value=1−β)`.
#[inline]
fn second_moment<V: Vector>(v: &mut V, g: &V, beta: f64) {
    v.zip_apply(g, |v, g| *v = *v * beta + (1.0 - beta) * g * g);
}

/// Buffers that start at zero: the plane's are made at once, ℝⁿ's at the first step.
fn zero<V: Vector>() -> V {
    V::zeros(0)
}

pub(super) struct Adagrad<V> {
    lr_decay: f64,
    weight_decay: f64,
    eps: f64,
    init: f64,
    sum: V,
    t: u64,
    /// The last step's decayed lr, lr/(1 + (t−1)·lr_decay).
    last_clr: f64,
}

pub(super) fn build_adagrad<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new_adagrad::<V>(a))
}

/// A fresh [`Adagrad`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_adagrad<V: Vector>(a: &Args) -> Adagrad<V> {
    let init = a.real("initial_accumulator_value");
    Adagrad {
        lr_decay: a.real("lr_decay"),
        weight_decay: a.real("weight_decay"),
        eps: a.real("eps"),
        init,
        sum: zero::<V>().map(|_| init),
        t: 0,
        last_clr: 0.0,
    }
}

impl<V: Vector> Optimizer<V> for Adagrad<V> {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle<V>, mut x: V, lr: f64) -> Result<V, StepError> {
        self.t += 1;
        let mut g = oracle.gradient(&x);
        decay(&mut g, &x, self.weight_decay);
        let clr = lr / (1.0 + (self.t - 1) as f64 * self.lr_decay);
        self.sum.sized(x.dim(), self.init);
        self.sum.zip_apply(&g, |s, g| *s += g * g);
        self.last_clr = clr;
        let eps = self.eps;
        x.zip2_apply(&g, &self.sum, |x, g, s| {
            *x += ratio(-clr * g, s.sqrt() + eps)
        });
        Ok(x)
    }

    fn state(&self) -> State<V> {
        if self.t == 0 {
            return State::default();
        }
        State {
            buffers: vec![("s", self.sum.clone())],
            scalars: vec![("t", self.t as f64)],
            effective_lr: Some(self.sum.map(|s| self.last_clr / (s.sqrt() + self.eps))),
            ..State::default()
        }
    }
}

pub(super) struct RmsProp<V> {
    alpha: f64,
    eps: f64,
    weight_decay: f64,
    momentum: f64,
    centered: bool,
    square_avg: V,
    grad_avg: V,
    buffer: V,
    /// The last step's lr (`None` before the first step).
    last_lr: Option<f64>,
}

pub(super) fn build_rmsprop<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new_rmsprop::<V>(a))
}

/// A fresh [`RmsProp`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_rmsprop<V: Vector>(a: &Args) -> RmsProp<V> {
    RmsProp {
        alpha: a.real("alpha"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        momentum: a.real("momentum"),
        centered: a.flag("centered"),
        square_avg: zero(),
        grad_avg: zero(),
        buffer: zero(),
        last_lr: None,
    }
}

impl<V: Vector> RmsProp<V> {
    /// The variance estimate: v, or v − ḡ² when centered (≥ 0 in exact arithmetic; the
    /// rounding is clamped).
    #[inline]
    fn variance(&self) -> V {
        if self.centered {
            self.square_avg
                .zip_map(&self.grad_avg, |v, m| (v - m * m).max(0.0))
        } else {
            self.square_avg.clone()
        }
    }
}

impl<V: Vector> Optimizer<V> for RmsProp<V> {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle<V>, mut x: V, lr: f64) -> Result<V, StepError> {
        let mut g = oracle.gradient(&x);
        decay(&mut g, &x, self.weight_decay);
        let (alpha, eps, n) = (self.alpha, self.eps, x.dim());
        self.square_avg.sized(n, 0.0);
        second_moment(&mut self.square_avg, &g, alpha);
        if self.centered {
            self.grad_avg.sized(n, 0.0);
            self.grad_avg
                .zip_apply(&g, |m, g| *m = lerp(*m, g, 1.0 - alpha));
        }
        let mut d = self.variance();
        d.zip_apply(&g, |v, g| *v = ratio(g, v.sqrt() + eps));
        self.last_lr = Some(lr);
        if self.momentum > 0.0 {
            let mu = self.momentum;
            self.buffer.sized(n, 0.0);
            self.buffer.zip_apply(&d, |b, d| *b = *b * mu + d);
            x.zip_apply(&self.buffer, |x, b| *x += b * -lr);
        } else {
            x.zip_apply(&d, |x, d| *x += d * -lr);
        }
        Ok(x)
    }

    fn state(&self) -> State<V> {
        let Some(lr) = self.last_lr else {
            return State::default();
        };
        let mut state = State {
            buffers: vec![("v", self.square_avg.clone())],
            ..State::default()
        };
        if self.centered {
            state.buffers.push(("ḡ", self.grad_avg.clone()));
        }
        state.effective_lr = Some(self.variance().map(|v| lr / (v.sqrt() + self.eps)));
        if self.momentum > 0.0 {
            state.buffers.push(("b", self.buffer.clone()));
            state.velocity = Some(self.buffer.scaled(-lr));
        }
        state
    }
}

pub(super) struct Adadelta<V> {
    rho: f64,
    eps: f64,
    weight_decay: f64,
    square_avg: V,
    acc_delta: V,
    /// The last step's per-coordinate lr·√(u + eps)/√(v + eps) (`None` before the first step).
    last_eta: Option<V>,
}

pub(super) fn build_adadelta<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new_adadelta::<V>(a))
}

/// A fresh [`Adadelta`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_adadelta<V: Vector>(a: &Args) -> Adadelta<V> {
    Adadelta {
        rho: a.real("rho"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        square_avg: zero(),
        acc_delta: zero(),
        last_eta: None,
    }
}

impl<V: Vector> Optimizer<V> for Adadelta<V> {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle<V>, mut x: V, lr: f64) -> Result<V, StepError> {
        let mut g = oracle.gradient(&x);
        decay(&mut g, &x, self.weight_decay);
        let (rho, eps, n) = (self.rho, self.eps, x.dim());
        self.square_avg.sized(n, 0.0);
        self.acc_delta.sized(n, 0.0);
        second_moment(&mut self.square_avg, &g, rho);
        // scale = √(u + eps)/√(v + eps), then Δ = scale·g (0 where g is 0).
        let mut delta = self.acc_delta.clone();
        delta.zip_apply(&self.square_avg, |u, v| {
            *u = (*u + eps).sqrt() / (v + eps).sqrt()
        });
        self.last_eta = Some(delta.scaled(lr));
        delta.zip_apply(&g, |d, g| *d = if g == 0.0 { 0.0 } else { *d * g });
        second_moment(&mut self.acc_delta, &delta, rho);
        x.zip_apply(&delta, |x, d| *x += d * -lr);
        Ok(x)
    }

    fn state(&self) -> State<V> {
        let Some(eta) = &self.last_eta else {
            return State::default();
        };
        State {
            buffers: vec![
                ("v", self.square_avg.clone()),
                ("u", self.acc_delta.clone()),
            ],
            effective_lr: Some(eta.clone()),
            ..State::default()
        }
    }
}

/// Adam, AdamW and "Adam (almost)" (no bias correction).
pub(super) struct Adam<V> {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    /// AdamW: decay the parameters, not the gradient.
    decoupled: bool,
    amsgrad: bool,
    bias_correction: bool,
    m: V,
    v: V,
    v_max: V,
    t: u64,
    bc1: BiasCorrection,
    bc2: BiasCorrection,
    /// The last step's lr.
    last_lr: f64,
}

fn adam<V: Vector>(a: &Args, decoupled: bool, bias_correction: bool) -> Adam<V> {
    Adam {
        beta1: a.real("beta1"),
        beta2: a.real("beta2"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        decoupled,
        amsgrad: a.flag("amsgrad"),
        bias_correction,
        m: zero(),
        v: zero(),
        v_max: zero(),
        t: 0,
        bc1: BiasCorrection::default(),
        bc2: BiasCorrection::default(),
        last_lr: 0.0,
    }
}

pub(super) fn build_adam<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new_adam::<V>(a))
}

pub(super) fn build_adamw<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new_adamw::<V>(a))
}

/// A fresh Adam as its concrete type (the engine monomorphizes over it).
pub(super) fn new_adam<V: Vector>(a: &Args) -> Adam<V> {
    adam(a, false, a.flag("bias_correction"))
}

/// A fresh AdamW as its concrete type.
pub(super) fn new_adamw<V: Vector>(a: &Args) -> Adam<V> {
    adam(a, true, true)
}

impl<V: Vector> Adam<V> {
    /// The second moment the step divides by: v, or its running maximum with amsgrad.
    fn denominator_moment(&self) -> &V {
        if self.amsgrad { &self.v_max } else { &self.v }
    }
}

impl<V: Vector> Optimizer<V> for Adam<V> {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle<V>, mut x: V, lr: f64) -> Result<V, StepError> {
        self.t += 1;
        let (beta1, beta2, eps, n) = (self.beta1, self.beta2, self.eps, x.dim());
        // First, while nothing else is live: the powers are calls (and a function of t alone).
        let (step_size, bc2_sqrt) = if self.bias_correction {
            let t = self.t as f64;
            (lr / self.bc1.at(beta1, t), self.bc2.at(beta2, t).sqrt())
        } else {
            (lr, 1.0)
        };
        let mut g = oracle.gradient(&x);
        if self.decoupled {
            let keep = 1.0 - lr * self.weight_decay;
            x.as_mut_slice().iter_mut().for_each(|x| *x *= keep);
        } else {
            decay(&mut g, &x, self.weight_decay);
        }
        self.m.sized(n, 0.0);
        self.v.sized(n, 0.0);
        self.m.zip_apply(&g, |m, g| *m = lerp(*m, g, 1.0 - beta1));
        second_moment(&mut self.v, &g, beta2);
        if self.amsgrad {
            self.v_max.sized(n, 0.0);
            self.v_max.zip_apply(&self.v, |a, v| *a = a.max(v));
        }
        let v = if self.amsgrad { &self.v_max } else { &self.v };
        x.zip2_apply(&self.m, v, |x, m, v| {
            *x += ratio(-step_size * m, v.sqrt() / bc2_sqrt + eps);
        });
        self.last_lr = lr;
        Ok(x)
    }

    fn state(&self) -> State<V> {
        if self.t == 0 {
            return State::default();
        }
        let mut buffers = vec![("m", self.m.clone()), ("v", self.v.clone())];
        if self.amsgrad {
            buffers.push(("v_max", self.v_max.clone()));
        }
        let t = self.t as f64;
        let bc2_sqrt = if self.bias_correction {
            (1.0 - self.beta2.powf(t)).sqrt()
        } else {
            1.0
        };
        let (lr, eps) = (self.last_lr, self.eps);
        State {
            buffers,
            scalars: vec![("t", t)],
            effective_lr: Some(
                self.denominator_moment()
                    .map(|v| lr / (v.sqrt() / bc2_sqrt + eps)),
            ),
            ..State::default()
        }
    }
}

pub(super) struct NAdam<V> {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    momentum_decay: f64,
    mu_product: f64,
    m: V,
    v: V,
    t: u64,
    bc2: BiasCorrection,
    /// The last step's lr.
    last_lr: f64,
}

pub(super) fn build_nadam<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(new_nadam::<V>(a))
}

/// A fresh [`NAdam`] as its concrete type (the engine monomorphizes over it).
pub(super) fn new_nadam<V: Vector>(a: &Args) -> NAdam<V> {
    NAdam {
        beta1: a.real("beta1"),
        beta2: a.real("beta2"),
        eps: a.real("eps"),
        weight_decay: a.real("weight_decay"),
        momentum_decay: a.real("momentum_decay"),
        mu_product: 1.0,
        m: zero(),
        v: zero(),
        t: 0,
        bc2: BiasCorrection::default(),
        last_lr: 0.0,
    }
}

impl<V: Vector> Optimizer<V> for NAdam<V> {
    // Always inlined into the engine's monomorphized loop (the race calls it through a vtable).
    #[inline(always)]
    fn step(&mut self, oracle: &mut Oracle<V>, mut x: V, lr: f64) -> Result<V, StepError> {
        self.t += 1;
        let t = self.t as f64;
        let (beta1, beta2, eps, n) = (self.beta1, self.beta2, self.eps, x.dim());
        let mut g = oracle.gradient(&x);
        decay(&mut g, &x, self.weight_decay);
        let bias_correction2 = self.bc2.at(beta2, t);
        let mu = beta1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay));
        let mu_next = beta1 * (1.0 - 0.5 * 0.96f64.powf((t + 1.0) * self.momentum_decay));
        self.mu_product *= mu;
        self.m.sized(n, 0.0);
        self.v.sized(n, 0.0);
        self.m.zip_apply(&g, |m, g| *m = lerp(*m, g, 1.0 - beta1));
        second_moment(&mut self.v, &g, beta2);
        let grad_coef = -lr * (1.0 - mu) / (1.0 - self.mu_product);
        let m_coef = (-lr * mu_next) / (1.0 - self.mu_product * mu_next);
        let denom = |v: f64| (v / bias_correction2).sqrt() + eps;
        x.zip2_apply(&g, &self.v, |x, g, v| *x += ratio(grad_coef * g, denom(v)));
        x.zip2_apply(&self.m, &self.v, |x, m, v| {
            *x += ratio(m_coef * m, denom(v))
        });
        self.last_lr = lr;
        Ok(x)
    }

    /// The effective lr shown is lr/(√(v/(1−β₂ᵗ)) + eps), the denominator both NAdam terms share.
    fn state(&self) -> State<V> {
        if self.t == 0 {
            return State::default();
        }
        let t = self.t as f64;
        let bc2 = 1.0 - self.beta2.powf(t);
        State {
            buffers: vec![("m", self.m.clone()), ("v", self.v.clone())],
            scalars: vec![("t", t), ("Πμ", self.mu_product)],
            effective_lr: Some(self.v.map(|v| self.last_lr / ((v / bc2).sqrt() + self.eps))),
            ..State::default()
        }
    }
}
