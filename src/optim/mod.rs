//! Optimizers: state machines in PyTorch's sense, each owning its buffers and step count.
//!
//! torch.optim is the reference for names, defaults and update forms; methods torch lacks
//! cite their paper. An optimizer sees the surface only through an [`Oracle`], which adds
//! the step's gradient noise and counts every evaluation, so races compare cost as well
//! as steps.

mod adaptive;
mod direct;
mod line_search;
mod newton;
mod params;
mod quasi_newton;
mod sgd;
mod typed;

use std::fmt;

use crate::P2;
use crate::noise::Sampler;
use crate::space::{Objective, PN, Vector};
use crate::spec::{Args, Param, SpecError, lookup, split_spec};

pub use line_search::{LineSearchResult, Ray, armijo_backtracking, strong_wolfe};
pub use quasi_newton::MAX_LBFGS_HISTORY;
use typed::Typed;
pub use typed::{Boxed, OptimizerVisitor};

/// How many times the surface was asked for a value, a gradient and a Hessian.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evals {
    pub value: u64,
    pub gradient: u64,
    pub hessian: u64,
}

impl Evals {
    /// All evaluations: a combined value-and-gradient call counts as two.
    pub fn total(&self) -> u64 {
        self.value + self.gradient + self.hessian
    }
}

/// What an optimizer may ask of the objective during one step: a surface in the plane
/// ([`P2`]), a network's loss in ℝⁿ ([`PN`]).
///
/// Gradient noise ("batch noise") is modelled as a random linear tilt drawn once per step,
/// the mini-batch of that step: the oracle answers for
/// `f̃(p) = f(p) + σεₜ·(p − xₜ)` with gradient `∇f(p) + σεₜ`,
/// where xₜ is the point the step starts from. The value at xₜ is the true loss, and a line
/// search sees values consistent with the gradients it is given.
pub struct Oracle<'a, V: Vector = P2> {
    objective: &'a dyn Objective<V>,
    anchor: V,
    /// f and ∇f at the anchor, already computed by the race for its record.
    anchor_eval: (f64, V),
    noise: V,
    sampler: &'a mut Sampler,
    evals: Evals,
    /// Every point asked about other than the anchor, when tracing (line-search trials).
    trace: Option<Vec<V>>,
    /// The objective is this step's minibatch: the next step's will differ.
    minibatch: bool,
}

impl<'a, V: Vector> Oracle<'a, V> {
    /// An oracle for the step leaving `anchor`, where f and ∇f are `anchor_eval`,
    /// under the step's noise σεₜ.
    #[inline]
    pub fn new(
        objective: &'a dyn Objective<V>,
        anchor: V,
        anchor_eval: (f64, V),
        noise: V,
        sampler: &'a mut Sampler,
    ) -> Self {
        Self {
            objective,
            anchor,
            anchor_eval,
            noise,
            sampler,
            evals: Evals::default(),
            trace: None,
            minibatch: false,
        }
    }

    /// Mark the objective as this step's minibatch loss (see [`crate::data::batch`]): like
    /// noise, it differs from step to step, so nothing from an earlier step may be reused.
    pub fn minibatch(mut self) -> Self {
        self.minibatch = true;
        self
    }

    /// Record every point asked about other than the anchor (see [`Oracle::trials`]).
    pub fn traced(mut self) -> Self {
        self.trace = Some(Vec::new());
        self
    }

    /// The points the step evaluated besides the anchor, in order, when traced: the trial
    /// points of a line search, the vertices of a simplex, a random search's candidate.
    pub fn trials(&mut self) -> Vec<V> {
        self.trace.take().unwrap_or_default()
    }

    #[inline]
    fn note(&mut self, p: &V) {
        if let Some(trace) = &mut self.trace
            && *p != self.anchor
            && trace.last() != Some(p)
        {
            trace.push(p.clone());
        }
    }

    #[inline]
    fn true_value(&self, p: &V) -> f64 {
        if *p == self.anchor {
            self.anchor_eval.0
        } else {
            self.objective.objective_value(p)
        }
    }

    #[inline]
    fn true_value_gradient(&self, p: &V) -> (f64, V) {
        if *p == self.anchor {
            self.anchor_eval.clone()
        } else {
            self.objective.objective_gradient(p)
        }
    }

    #[inline]
    fn tilt(&self, p: &V) -> f64 {
        if self.noise.is_zero() {
            0.0
        } else {
            self.noise.dot(&p.minus(&self.anchor))
        }
    }

    #[inline]
    fn noisy(&self, mut g: V) -> V {
        g.zip_apply(&self.noise, |g, e| *g += e);
        g
    }

    #[inline]
    pub fn value(&mut self, p: &V) -> f64 {
        self.evals.value += 1;
        self.note(p);
        self.true_value(p) + self.tilt(p)
    }

    #[inline]
    pub fn gradient(&mut self, p: &V) -> V {
        self.evals.gradient += 1;
        self.note(p);
        let g = self.true_value_gradient(p).1;
        self.noisy(g)
    }

    /// Value and gradient at once (counted as one of each).
    #[inline]
    pub fn value_gradient(&mut self, p: &V) -> (f64, V) {
        self.evals.value += 1;
        self.evals.gradient += 1;
        self.note(p);
        let (f, g) = self.true_value_gradient(p);
        (f + self.tilt(p), self.noisy(g))
    }

    /// The exact Hessian (noise-free: the tilt is linear).
    pub fn hessian(&mut self, p: &V) -> V::Matrix {
        self.evals.hessian += 1;
        self.objective.objective_hessian(p)
    }

    /// Whether this step's answers carry noise (then nothing from an earlier step may be reused).
    pub fn is_noisy(&self) -> bool {
        !self.noise.is_zero() || self.minibatch
    }

    /// A vector like `like` of independent standard normal deviates, for methods that
    /// explore at random (drawn in pairs: the plane's is one pair).
    pub fn normal_like(&mut self, like: &V) -> V {
        let mut out = like.clone();
        self.sampler.fill_normal(out.as_mut_slice());
        out
    }

    /// The evaluations made so far in this step.
    #[inline]
    pub fn evals(&self) -> Evals {
        self.evals
    }
}

/// Why a step could not be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepError {
    /// The Newton system (H + λI)·d = ∇f is singular at this point.
    Singular,
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::Singular => f.write_str("the Hessian system is singular"),
        }
    }
}

/// One optimizer's update rule and state, in the plane (`V` = [`P2`], the default) or in
/// ℝⁿ ([`PN`]): each rule is written once, generic over the space.
pub trait Optimizer<V: Vector = P2>: Send {
    /// The point after one update from `x`, with `lr` the scheduled learning rate of this step.
    fn step(&mut self, oracle: &mut Oracle<V>, x: V, lr: f64) -> Result<V, StepError>;

    /// What the last step used and left behind, for the teaching overlays and the update-rule
    /// card; empty before the first step and for methods with nothing to show.
    fn state(&self) -> State<V> {
        State::default()
    }
}

/// An optimizer's internals after a step, named as its update rule names them.
#[derive(Clone, Debug, PartialEq)]
pub struct State<V: Vector = P2> {
    /// Per-coordinate buffers (b, m, v, s, u, …) after the step.
    pub buffers: Vec<(&'static str, V)>,
    /// Scalars: the step count t, the accepted step length α, the number of curvature pairs.
    pub scalars: Vec<(&'static str, f64)>,
    /// BFGS's inverse-Hessian estimate H after the step.
    pub inverse_hessian: Option<V::Matrix>,
    /// Momentum methods: the velocity as the displacement the buffer alone gives, −lr·b.
    pub velocity: Option<V>,
    /// Adaptive methods: the per-coordinate learning rate ηᵢ = lr/(√vᵢ + eps) of the step,
    /// with v the method's running square (AdaGrad's sum s; Adam's bias-corrected
    /// v̂ = v/(1−β₂ᵗ), which multiplies m̂ = m/(1−β₁ᵗ); Adadelta's lr·√(u + eps)/√(v + eps)).
    pub effective_lr: Option<V>,
    /// Newton and the quasi-Newton methods: the quadratic model's step −H⁻¹∇f (Newton's H
    /// damped, BFGS's and L-BFGS's estimated), before lr or the line search scales it.
    pub model_step: Option<V>,
}

impl<V: Vector> Default for State<V> {
    fn default() -> Self {
        Self {
            buffers: Vec::new(),
            scalars: Vec::new(),
            inverse_hessian: None,
            velocity: None,
            effective_lr: None,
            model_step: None,
        }
    }
}

/// Most parameters of the methods that hold n² numbers (BFGS's inverse-Hessian estimate,
/// Newton's Hessian, built from n Hessian-vector products and solved by LU, Nelder–Mead's
/// n + 1 vertices): 2,000² doubles are 32 MB, and an O(n³) solve per step is already seconds
/// beyond it.
pub const MAX_DENSE_PARAMETERS: usize = 2_000;

/// `num / den`, but exactly 0 when `num` is 0: a zero gradient is a zero step, even where
/// the denominator is also 0 (e.g. eps = 0 at the first step of an adaptive method).
#[inline]
pub(crate) fn ratio(num: f64, den: f64) -> f64 {
    if num == 0.0 { 0.0 } else { num / den }
}

/// A named optimizer: its parameters with torch's defaults, and how to build it.
pub struct OptimizerEntry {
    pub name: &'static str,
    /// The update rule in Unicode, with its reference.
    pub rule: &'static str,
    pub params: &'static [Param],
    /// Checks across parameters (e.g. Nesterov needs momentum); ranges are checked by [`Args`].
    validate: fn(&Args) -> Result<(), SpecError>,
    build: fn(&Args) -> Box<dyn Optimizer>,
    /// The same rule in ℝⁿ.
    build_n: fn(&Args) -> Box<dyn Optimizer<PN>>,
    /// Most parameters it may step in ℝⁿ ([`MAX_DENSE_PARAMETERS`] for the methods that keep
    /// or solve with an n × n matrix); `None`: any number.
    pub max_parameters: Option<usize>,
    /// The concrete type the engine monomorphizes over ([`OptimizerEntry::visit_typed`]).
    typed: Typed,
}

/// An optimizer configuration parsed from a spec such as `adam:lr=0.01,beta1=0.8`.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizerSpec {
    /// The spec as written, used as the run's label.
    pub label: String,
    pub entry: &'static OptimizerEntry,
    pub args: Args,
    /// `batch=B`: this racer's minibatch size on a data surface (`None`: the race's default).
    pub batch: Option<u64>,
}

impl fmt::Debug for OptimizerEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for OptimizerEntry {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl OptimizerSpec {
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        let (name, mut pairs) = split_spec(text)?;
        let entry = lookup("optimizer", name, OPTIMIZERS, |e| e.name)?;
        let batch = take_batch(name, &mut pairs)?;
        let args = Args::parse(name, entry.params, &pairs)?;
        (entry.validate)(&args)?;
        Ok(Self {
            label: text.trim().to_string(),
            entry,
            args,
            batch,
        })
    }

    /// The label as a legend shows it: `adam  lr=0.01, beta1=0.8`.
    pub fn display_label(&self) -> String {
        self.label.replacen(':', "  ", 1).replace(',', ", ")
    }

    /// The spec as text from its (possibly edited) arguments, `batch=B` carried over (it is
    /// not one of the optimizer's own parameters).
    pub fn spec_text(&self) -> String {
        let text = self.args.spec_text(self.entry.name, self.entry.params);
        match self.batch {
            Some(b) if text.contains(':') => format!("{text},batch={b}"),
            Some(b) => format!("{text}:batch={b}"),
            None => text,
        }
    }

    /// The base learning rate (what schedules scale).
    pub fn lr(&self) -> f64 {
        self.args.real("lr")
    }

    /// A fresh optimizer with empty state.
    pub fn build(&self) -> Box<dyn Optimizer> {
        (self.entry.build)(&self.args)
    }

    /// A fresh optimizer for `n` parameters in ℝⁿ, or why this method cannot take that many.
    pub fn build_n(&self, n: usize) -> Result<Box<dyn Optimizer<PN>>, SpecError> {
        match self.entry.max_parameters {
            Some(max) if n > max => Err(SpecError(format!(
                "{}: {n} parameters, more than the {max} it handles (it keeps n² numbers: \
                 an n × n matrix or n + 1 vertices); use lbfgs, cg or a first-order method",
                self.entry.name
            ))),
            _ => Ok((self.entry.build_n)(&self.args)),
        }
    }
}

/// Remove `batch=B` (accepted by every optimizer: its minibatch size) from a spec's pairs.
fn take_batch(name: &str, pairs: &mut crate::spec::Pairs) -> Result<Option<u64>, SpecError> {
    let mut batch = None;
    let mut error = None;
    pairs.retain(|&(k, v)| {
        if k != "batch" {
            return true;
        }
        match v.parse::<u64>() {
            Ok(b) if b >= 1 && batch.is_none() => batch = Some(b),
            Ok(b) if b >= 1 => error = Some(format!("{name}: parameter 'batch' given twice")),
            _ => {
                error = Some(format!(
                    "{name}: batch must be a whole number ≥ 1 (points per minibatch), got '{v}'"
                ))
            }
        }
        false
    });
    match error {
        Some(e) => Err(SpecError(e)),
        None => Ok(batch),
    }
}

/// All optimizers, in the order `descent list optimizers` shows them; each entry sits beside
/// its update rule in its family's file.
pub static OPTIMIZERS: &[OptimizerEntry] = &[
    sgd::GD,
    sgd::MOMENTUM,
    sgd::NESTEROV,
    adaptive::ADAGRAD,
    adaptive::RMSPROP,
    adaptive::ADADELTA,
    adaptive::ADAM,
    adaptive::ADAMW,
    adaptive::NADAM,
    newton::NEWTON,
    quasi_newton::BFGS,
    quasi_newton::LBFGS,
    quasi_newton::LINESEARCH,
    quasi_newton::CG,
    direct::NELDER_MEAD,
    direct::RANDOM_SEARCH,
];
