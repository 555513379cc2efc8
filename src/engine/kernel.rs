//! The inner loop: one run from its start to its outcome, generic over the surface and the
//! optimizer so both inline into it. It repeats `race::Run`'s stepping rule operation by
//! operation (tests/engine.rs checks every field bit for bit) but keeps no record.

use std::sync::atomic::Ordering;

use super::{Batch, Outcome, RunSetup, Shared, TracePoint};
use crate::noise::{GradientNoise, Sampler};
use crate::optim::{Evals, Optimizer, Oracle, StepError};
use crate::race::{CONVERGED_GRADIENT, DataProgress, Record, Status};
use crate::spec::Args;
use crate::surface::{DIVERGENCE_BOX, Surface};

/// Step one run to its end. `surface` is the landscape's surface as its concrete type (the
/// step's own evaluation); `oracle_surface` the same surface as `dyn`, for the evaluations an
/// optimizer asks of the oracle beyond the anchor (line searches, Hessians).
/// With `TRACE`, the point and loss of every `stride`-th step (0, stride, 2·stride, …) are
/// pushed onto `trace`; without, none of it is compiled.
#[inline]
#[allow(clippy::too_many_arguments)]
pub(super) fn run_one<S: Surface + ?Sized, O: Optimizer, const TRACE: bool>(
    surface: &S,
    oracle_surface: &dyn Surface,
    mut optimizer: O,
    batch: &Batch,
    base_lr: f64,
    setup: &RunSetup,
    index: usize,
    trace: &mut Vec<TracePoint>,
    stride: u64,
) -> Outcome {
    let mut noise = GradientNoise::new(setup.seed, batch.noise);
    let mut sampler = Sampler::new(setup.seed);
    let mut x = setup.start;
    let mut t = 0u64;
    let mut evals = Evals::default();
    let mut to_tol: Option<(u64, u64)> = None;
    loop {
        let (loss, grad) = surface.value_gradient(x);
        let grad_norm = grad.norm();
        if to_tol.is_none() && grad_norm < batch.tol {
            to_tol = Some((t, evals.total()));
        }
        if TRACE && t.is_multiple_of(stride) {
            trace.push(TracePoint {
                x: x.x,
                y: x.y,
                loss,
            });
        }
        let diverged =
            !loss.is_finite() || !x.iter().all(|v| v.is_finite() && v.abs() <= DIVERGENCE_BOX);
        let last = diverged || t == batch.steps;
        let mut status = if diverged {
            Status::Diverged
        } else if grad_norm < CONVERGED_GRADIENT {
            Status::Converged
        } else {
            Status::Running
        };
        let lr = batch.schedule.lr(base_lr, t);
        let mut next = None;
        let mut spent = Evals::default();
        if !last {
            let eps = noise.next_step();
            let mut oracle = Oracle::new(oracle_surface, x, (loss, grad), eps, &mut sampler);
            let result = optimizer.step(&mut oracle, x, lr);
            spent = oracle.evals();
            match result {
                Ok(p) => next = Some(p),
                Err(StepError::Singular) => status = Status::Singular,
            }
        }
        let record_evals = evals.total();
        evals.value += spent.value;
        evals.gradient += spent.gradient;
        evals.hessian += spent.hessian;
        match next {
            Some(p) => {
                x = p;
                t += 1;
            }
            None => {
                return Outcome {
                    last: Record {
                        run: index,
                        step: t,
                        x: x.x,
                        y: x.y,
                        loss,
                        grad_norm,
                        lr,
                        evals: record_evals,
                        status,
                        // Full batches only (minibatch racers take the single-run core):
                        // n points drawn per step, as `race::Run` counts them.
                        data: batch.landscape.data.as_ref().map(|d| {
                            let samples = t * d.len() as u64;
                            DataProgress {
                                epoch: samples as f64 / d.len() as f64,
                                samples,
                            }
                        }),
                    },
                    evals,
                    steps_to_tol: to_tol.map(|(s, _)| s),
                    evals_to_tol: to_tol.map(|(_, e)| e),
                };
            }
        }
    }
}

/// One finished chunk: its first run's index, and per run its outcome and trace.
pub(super) type Piece = (usize, Vec<(Outcome, Vec<TracePoint>)>);

/// Work through `shared`'s runs in chunks with this surface and optimizer type, until none
/// are left or the job is cancelled.
pub(super) fn work<S: Surface + ?Sized, O: Optimizer, const TRACE: bool>(
    surface: &S,
    oracle_surface: &dyn Surface,
    make: impl Fn(&Args) -> O,
    batch: &Batch,
    base_args: &Args,
    setups: &(dyn Fn(usize) -> RunSetup + Sync),
    shared: &Shared,
) -> Vec<Piece> {
    let mut done = Vec::new();
    let mut args = base_args.clone();
    loop {
        if shared.progress.is_cancelled() {
            return done;
        }
        let first = shared.next.fetch_add(shared.chunk, Ordering::Relaxed);
        if first >= shared.runs {
            return done;
        }
        let end = (first + shared.chunk).min(shared.runs);
        let mut outcomes = Vec::with_capacity(end - first);
        for index in first..end {
            let setup = setups(index);
            let optimizer = if setup.overrides.is_empty() {
                make(base_args)
            } else {
                args.clone_from(base_args);
                for &(name, value) in &setup.overrides {
                    args.set(name, value);
                }
                make(&args)
            };
            let base_lr = if setup.overrides.is_empty() {
                base_args.real("lr")
            } else {
                args.real("lr")
            };
            let mut trace = Vec::new();
            let outcome = run_one::<S, O, TRACE>(
                surface,
                oracle_surface,
                optimizer,
                batch,
                base_lr,
                &setup,
                index,
                &mut trace,
                shared.stride,
            );
            outcomes.push((outcome, trace));
        }
        shared.done.fetch_add(end - first, Ordering::Relaxed);
        shared
            .progress
            .0
            .done
            .fetch_add(end - first, Ordering::Relaxed);
        done.push((first, outcomes));
    }
}
