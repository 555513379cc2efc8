//! The inner loop: one run from its start to its outcome, generic over the surface and the
//! optimizer so both inline into it. It steps through `race::Run`'s own rule
//! ([`crate::race::step::step`]), so the two agree by construction (tests/engine.rs still
//! checks every field bit for bit), but keeps no record but the last.

use std::sync::atomic::Ordering;

use super::{Batch, Outcome, RunSetup, Shared, TracePoint};
use crate::optim::Optimizer;
use crate::race::DataProgress;
use crate::race::step::{self, Full, Plan, Walk};
use crate::spec::Args;
use crate::surface::Surface;

/// What every run of one chunk of work shares: `surface` is the landscape's surface as its
/// concrete type (the step's own evaluation); `oracle_surface` the same surface as `dyn`, for
/// the evaluations an optimizer asks of the oracle beyond the anchor (line searches,
/// Hessians); with `TRACE`, every `stride`-th step is traced.
pub(super) struct Kernel<'a, S: ?Sized> {
    pub surface: &'a S,
    pub oracle_surface: &'a dyn Surface,
    pub batch: &'a Batch,
    pub stride: u64,
}

/// Step one run to its end through the single-run core's rule ([`step::step`]), keeping no
/// record but its last. With `TRACE`, the point and loss of every `stride`-th step (0,
/// stride, 2·stride, …) are pushed onto `trace`; without, none of it is compiled.
#[inline]
pub(super) fn run_one<S: Surface + ?Sized, O: Optimizer, const TRACE: bool>(
    kernel: &Kernel<S>,
    mut optimizer: O,
    base_lr: f64,
    setup: &RunSetup,
    index: usize,
    trace: &mut Vec<TracePoint>,
) -> Outcome {
    let batch = kernel.batch;
    let mut walk = Walk::new(setup.start, setup.seed, batch.noise);
    let mut ground = Full(kernel.oracle_surface);
    let plan = Plan {
        schedule: &batch.schedule,
        base_lr,
        steps: batch.steps,
    };
    let mut to_tol: Option<(u64, u64)> = None;
    loop {
        let seen = step::step(&mut walk, kernel.surface, &mut ground, &mut optimizer, plan);
        if to_tol.is_none() && seen.grad_norm < batch.tol {
            to_tol = Some((seen.step, seen.evals));
        }
        if TRACE && seen.step.is_multiple_of(kernel.stride) {
            trace.push(TracePoint {
                x: seen.x.x,
                y: seen.x.y,
                loss: seen.loss,
            });
        }
        if seen.last {
            // Full batches only (minibatch racers take the single-run core): n points drawn
            // per step, as `race::Run` counts them.
            let data = batch.landscape.data.as_ref().map(|d| {
                let samples = seen.step * d.len() as u64;
                DataProgress {
                    epoch: samples as f64 / d.len() as f64,
                    samples,
                }
            });
            return Outcome {
                last: seen.record(index, data),
                evals: walk.evals,
                steps_to_tol: to_tol.map(|(s, _)| s),
                evals_to_tol: to_tol.map(|(_, e)| e),
            };
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
    let kernel = Kernel {
        surface,
        oracle_surface,
        batch,
        stride: shared.stride,
    };
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
            let outcome =
                run_one::<S, O, TRACE>(&kernel, optimizer, base_lr, &setup, index, &mut trace);
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
