//! The stepping rule, written once: what one step of a run evaluates, records and does.
//!
//! At its point xₜ a step evaluates the true f and ∇f (the record's loss and ‖∇f‖), reads
//! the schedule's lrₜ, and stops when the run has diverged (a non-finite loss, or a point
//! outside [`DIVERGENCE_BOX`]) or reached its last step. Otherwise it draws the step's noise
//! σεₜ and lets the optimizer step through an [`Oracle`] anchored at xₜ; a singular Newton
//! system ends the run where it stands.
//!
//! [`step`] is generic over the surface, the optimizer and the [`Ground`] the oracle stands
//! on, so the single-run core ([`super::Run`], boxed optimizer, minibatches, step details)
//! and the many-runs engine (`engine::kernel`, concrete types inlined into its loop) step
//! through the same function and agree bit for bit by construction. It is generic over the
//! space too: a network's training ([`crate::train`]) steps its parameters in ℝⁿ through it.

use crate::P2;
use crate::noise::{GradientNoise, Sampler};
use crate::optim::{Evals, Optimizer, Oracle, StepError};
use crate::schedule::Schedule;
use crate::space::{Objective, Vector};
use crate::surface::DIVERGENCE_BOX;

use super::{CONVERGED_GRADIENT, DataProgress, Record, Status};

/// Where a run stands between steps: its point, its step count, the evaluations spent so
/// far, and its noise and sampler streams.
pub struct Walk<V: Vector = P2> {
    pub x: V,
    pub t: u64,
    pub evals: Evals,
    pub noise: GradientNoise,
    pub sampler: Sampler,
}

impl<V: Vector> Walk<V> {
    /// A run at `start` before its first step, its noise σ and sampler seeded by `seed`.
    #[inline]
    pub fn new(start: V, seed: u64, sigma: f64) -> Self {
        Self {
            x: start,
            t: 0,
            evals: Evals::default(),
            noise: GradientNoise::new(seed, sigma),
            sampler: Sampler::new(seed),
        }
    }
}

/// What is the same for every step of a run: the schedule with its base lr, and the last
/// step.
#[derive(Clone, Copy)]
pub struct Plan<'a> {
    pub schedule: &'a Schedule,
    pub base_lr: f64,
    /// Updates in the run; records are steps 0 ..= steps.
    pub steps: u64,
}

/// What one step saw at the point it left (a record's fields), and whether the run ends.
#[derive(Clone, Copy, Debug)]
pub struct Seen<V: Vector = P2> {
    pub x: V,
    pub step: u64,
    /// The true (noise-free) f and ∇f at `x`.
    pub loss: f64,
    pub grad: V,
    pub grad_norm: f64,
    pub lr: f64,
    /// Evaluations spent before this point.
    pub evals: u64,
    pub status: Status,
    /// The noise σεₜ of the update taken from here; `None` when the run ended before
    /// stepping (diverged, or its last step).
    pub noise: Option<V>,
    /// The run ends with this record.
    pub last: bool,
}

impl Seen {
    /// The record of run `run` at this point.
    #[inline(always)]
    pub fn record(&self, run: usize, data: Option<DataProgress>) -> Record {
        Record {
            run,
            step: self.step,
            x: self.x.x,
            y: self.x.y,
            loss: self.loss,
            grad_norm: self.grad_norm,
            lr: self.lr,
            evals: self.evals,
            status: self.status,
            data,
        }
    }
}

/// The point an update leaves: xₜ, its step t, the scheduled lrₜ, the true f and ∇f there
/// (already computed for the record) and the step's noise σεₜ.
#[derive(Clone, Debug)]
pub struct Anchor<V: Vector = P2> {
    pub x: V,
    pub t: u64,
    pub lr: f64,
    pub eval: (f64, V),
    pub eps: V,
}

/// What the oracle of a step stands on: makes the optimizer's update from the anchor, and
/// returns it with the evaluations it spent.
pub trait Ground<V: Vector = P2> {
    fn update<O: Optimizer<V> + ?Sized>(
        &mut self,
        optimizer: &mut O,
        at: Anchor<V>,
        sampler: &mut Sampler,
    ) -> (Result<V, StepError>, Evals);
}

/// The full objective (as `dyn`, for the evaluations an optimizer asks beyond the anchor).
pub struct Full<'a, V: Vector = P2>(pub &'a dyn Objective<V>);

impl<V: Vector> Ground<V> for Full<'_, V> {
    #[inline(always)]
    fn update<O: Optimizer<V> + ?Sized>(
        &mut self,
        optimizer: &mut O,
        at: Anchor<V>,
        sampler: &mut Sampler,
    ) -> (Result<V, StepError>, Evals) {
        let x = at.x.clone();
        let mut oracle = Oracle::new(self.0, at.x, at.eval, at.eps, sampler);
        let result = optimizer.step(&mut oracle, x, at.lr);
        (result, oracle.evals())
    }
}

/// One step of the rule from where `walk` stands (see the module docs): `surface` gives the
/// record's true f and ∇f, `ground` the oracle the optimizer steps on.
#[inline(always)]
pub fn step<V, S, O, G>(
    walk: &mut Walk<V>,
    surface: &S,
    ground: &mut G,
    optimizer: &mut O,
    plan: Plan,
) -> Seen<V>
where
    V: Vector,
    S: Objective<V> + ?Sized,
    O: Optimizer<V> + ?Sized,
    G: Ground<V>,
{
    let x = walk.x.clone();
    let (loss, grad) = surface.objective_gradient(&x);
    let grad_norm = grad.norm();
    let lr = plan.schedule.lr(plan.base_lr, walk.t);
    let mut seen = Seen {
        x,
        step: walk.t,
        loss,
        grad,
        grad_norm,
        lr,
        evals: walk.evals.total(),
        status: if grad_norm < CONVERGED_GRADIENT {
            Status::Converged
        } else {
            Status::Running
        },
        noise: None,
        last: false,
    };
    let diverged = !loss.is_finite()
        || !seen
            .x
            .as_slice()
            .iter()
            .all(|v| v.is_finite() && v.abs() <= DIVERGENCE_BOX);
    if diverged || walk.t == plan.steps {
        if diverged {
            seen.status = Status::Diverged;
        }
        seen.last = true;
        return seen;
    }
    let mut eps = V::zeros(seen.x.dim());
    walk.noise.next_step_into(eps.as_mut_slice());
    seen.noise = Some(eps.clone());
    let at = Anchor {
        x: seen.x.clone(),
        t: walk.t,
        lr,
        eval: (loss, seen.grad.clone()),
        eps,
    };
    let (result, spent) = ground.update(optimizer, at, &mut walk.sampler);
    walk.evals.value += spent.value;
    walk.evals.gradient += spent.gradient;
    walk.evals.hessian += spent.hessian;
    match result {
        Ok(next) => {
            walk.x = next;
            walk.t += 1;
        }
        Err(StepError::Singular) => {
            seen.status = Status::Singular;
            seen.last = true;
        }
    }
    seen
}
