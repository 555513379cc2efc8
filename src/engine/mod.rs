//! Many runs at once: one racer stepped from many starts, with many hyperparameters or
//! under many noise seeds, keeping only each run's [`Outcome`].
//!
//! The inner loop ([`kernel`]) is generic over the surface and the optimizer, dispatched
//! once per batch ([`crate::landscape::Landscape::visit_typed`],
//! [`crate::optim::OptimizerEntry::visit_typed`]), so no virtual call or record is made per
//! step; it repeats the single-run core's rule (`race::Run`) exactly, so every outcome is
//! bit for bit that run's last record. Runs are split in chunks over the machine's cores
//! (`std::thread::scope`); a [`Progress`] shared with the caller counts finished runs and
//! carries the cancel flag, checked between chunks.
//!
//! Built on it: [`basins`] (where each start ends), [`phase`] (a grid over two
//! hyperparameters with the theory's stability limit), [`cloud`] (K seeded copies under
//! noise), [`tune`] (the lr that reaches the tolerance soonest) and [`job`] (progressive
//! computation off the UI thread).

pub mod basins;
pub mod cloud;
mod ending;
pub mod job;
mod kernel;
pub mod phase;
mod settings;
pub mod tune;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::P2;
use crate::landscape::Landscape;
use crate::optim::{Evals, Optimizer, OptimizerSpec, OptimizerVisitor};
use crate::race::{Race, Record};
use crate::schedule::Schedule;
use crate::spec::{Args, Value};
use crate::surface::{Surface, SurfaceVisitor};
pub use ending::{CRITICAL_RADIUS, Ending};
pub use settings::{MAX_GRID, MAX_MAP_STEPS, MapKind, MapResult, MapSettings};

/// What every run of a batch shares: the surface, the schedule, the optimizer (its entry and
/// base arguments), the noise σ, the step budget and the tolerance of "steps to tolerance".
#[derive(Clone, Debug)]
pub struct Batch {
    pub landscape: Arc<Landscape>,
    pub schedule: Schedule,
    pub optimizer: OptimizerSpec,
    pub noise: f64,
    pub steps: u64,
    /// A run has reached the tolerance at the first step where ‖∇f‖ < tol.
    pub tol: f64,
}

impl Batch {
    /// The batch of racer `index` of a race, with this tolerance.
    pub fn of_race(race: &Race, index: usize, tol: f64) -> Self {
        Self {
            landscape: Arc::clone(&race.landscape),
            schedule: race.schedules[index].clone(),
            optimizer: race.optimizers[index].clone(),
            noise: race.noise,
            steps: race.steps,
            tol,
        }
    }
}

/// What one run of a batch has of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSetup {
    pub start: P2,
    /// The seed of its gradient noise and sampler (the race's seed in a single run).
    pub seed: u64,
    /// Hyperparameters that differ from the batch's optimizer (a phase diagram's cell);
    /// names as declared by the optimizer's parameter table, values already checked.
    pub overrides: Vec<(&'static str, Value)>,
}

/// How one run ended: its last record (exactly the single-run core's), every evaluation it
/// made, and when it first reached the tolerance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// The run's last record (`run` is the run's index in the batch).
    pub last: Record,
    /// All evaluations, including those of a final step that failed (singular).
    pub evals: Evals,
    /// The first step at which ‖∇f‖ < tol.
    pub steps_to_tol: Option<u64>,
    /// The evaluations spent before that step's point (the record's `evals` there).
    pub evals_to_tol: Option<u64>,
}

/// A traced run's point and true loss at one recorded step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TracePoint {
    pub x: f64,
    pub y: f64,
    pub loss: f64,
}

/// Shared between a running batch and whoever waits for it: finished runs, and the flag that
/// stops it. Cheap to clone (an `Arc`); cancelling one clone cancels all.
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<ProgressInner>);

#[derive(Debug, Default)]
struct ProgressInner {
    cancel: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }
    /// Ask every batch using this progress to stop after its current chunk.
    pub fn cancel(&self) {
        self.0.cancel.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.cancel.load(Ordering::Relaxed)
    }
    /// Runs finished and runs asked for, over all batches reported here.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.0.done.load(Ordering::Relaxed),
            self.0.total.load(Ordering::Relaxed),
        )
    }
    /// The finished share in [0, 1].
    pub fn fraction(&self) -> f64 {
        let (done, total) = self.counts();
        if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        }
    }
    /// Count `runs` more runs as finished (work outside a batch, such as a training's steps).
    pub fn advance(&self, runs: usize) {
        self.0.done.fetch_add(runs, Ordering::Relaxed);
    }

    /// Announce `runs` more runs to come (a progressive job announces all its passes first).
    pub fn announce(&self, runs: usize) {
        self.0.total.fetch_add(runs, Ordering::Relaxed);
    }
}

/// The work queue of one batch, seen by every worker.
pub(crate) struct Shared<'a> {
    progress: &'a Progress,
    next: AtomicUsize,
    done: AtomicUsize,
    runs: usize,
    chunk: usize,
    /// Trace every `stride`-th step; 0: no trace.
    stride: u64,
}

/// Worker threads to use: the machine's cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Run `runs` runs of `batch`, run `i` set up by `setups(i)`, on `threads` threads; each
/// finished chunk is counted in `progress` (announce the total with [`Progress::announce`]).
/// `None` when `progress` was cancelled before every run finished.
pub fn run_batch(
    batch: &Batch,
    runs: usize,
    setups: &(dyn Fn(usize) -> RunSetup + Sync),
    threads: usize,
    progress: &Progress,
) -> Option<Vec<Outcome>> {
    let runs = run_pieces(batch, runs, setups, 0, threads, progress)?;
    Some(runs.into_iter().map(|(outcome, _)| outcome).collect())
}

/// [`run_batch`], also keeping every run's point and loss at steps 0, `stride`, 2·`stride`, …
/// (`stride` ≥ 1) until it ends.
pub fn run_batch_traced(
    batch: &Batch,
    runs: usize,
    setups: &(dyn Fn(usize) -> RunSetup + Sync),
    stride: u64,
    threads: usize,
    progress: &Progress,
) -> Option<Vec<(Outcome, Vec<TracePoint>)>> {
    run_pieces(batch, runs, setups, stride.max(1), threads, progress)
}

fn run_pieces(
    batch: &Batch,
    runs: usize,
    setups: &(dyn Fn(usize) -> RunSetup + Sync),
    stride: u64,
    threads: usize,
    progress: &Progress,
) -> Option<Vec<(Outcome, Vec<TracePoint>)>> {
    let threads = threads.clamp(1, runs.max(1));
    // Chunks small enough to balance the threads and check the cancel flag often (a chunk
    // of 500-step runs takes well under a millisecond), large enough to amortize the queue.
    let chunk = (runs / (threads * 16)).clamp(1, 64);
    let shared = Shared {
        progress,
        next: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        runs,
        chunk,
        stride,
    };
    let mut pieces = batch.optimizer.entry.visit_typed(ByOptimizer {
        batch,
        setups,
        shared: &shared,
        threads,
    });
    if progress.is_cancelled() || shared.done.load(Ordering::Relaxed) < runs {
        return None;
    }
    pieces.sort_by_key(|(first, _)| *first);
    let outcomes: Vec<_> = pieces.into_iter().flat_map(|(_, chunk)| chunk).collect();
    (outcomes.len() == runs).then_some(outcomes)
}

/// A single run through the engine: the same outcome `race.run(index)` ends with.
pub fn run_single(race: &Race, index: usize, tol: f64) -> Outcome {
    if race.batch_plan(index).is_some_and(|plan| !plan.is_full()) {
        return minibatch_single(race, index, tol);
    }
    let batch = Batch::of_race(race, index, tol);
    let setup = RunSetup {
        start: race.start,
        seed: race.seed,
        overrides: Vec::new(),
    };
    let mut out = run_batch(&batch, 1, &|_| setup.clone(), 1, &Progress::new())
        .expect("an uncancelled batch finishes");
    let mut outcome = out.remove(0);
    outcome.last.run = index;
    outcome
}

/// A minibatch run's outcome through the single-run core, which draws its batches (the
/// engine's loop steps full batches only).
fn minibatch_single(race: &Race, index: usize, tol: f64) -> Outcome {
    let mut run = race.run(index);
    let mut to_tol = None;
    let mut last = None;
    for record in run.by_ref() {
        if to_tol.is_none() && record.grad_norm < tol {
            to_tol = Some((record.step, record.evals));
        }
        last = Some(record);
    }
    Outcome {
        last: last.expect("a run yields its start"),
        evals: run.evals(),
        steps_to_tol: to_tol.map(|(s, _)| s),
        evals_to_tol: to_tol.map(|(_, e)| e),
    }
}

/// First dispatch: the optimizer's concrete type.
struct ByOptimizer<'a> {
    batch: &'a Batch,
    setups: &'a (dyn Fn(usize) -> RunSetup + Sync),
    shared: &'a Shared<'a>,
    threads: usize,
}

impl OptimizerVisitor for ByOptimizer<'_> {
    type Output = Vec<kernel::Piece>;
    fn visit<O: Optimizer, F: Fn(&Args) -> O + Copy + Send + Sync>(self, make: F) -> Self::Output {
        let landscape = Arc::clone(&self.batch.landscape);
        landscape.visit_typed(BySurface { outer: self, make })
    }
}

/// Second dispatch: the surface's concrete type; then the threads.
struct BySurface<'a, F> {
    outer: ByOptimizer<'a>,
    make: F,
}

impl<O: Optimizer, F: Fn(&Args) -> O + Copy + Send + Sync> SurfaceVisitor for BySurface<'_, F> {
    type Output = Vec<kernel::Piece>;
    fn visit<S: Surface + ?Sized>(self, surface: &S) -> Self::Output {
        let ByOptimizer {
            batch,
            setups,
            shared,
            threads,
        } = self.outer;
        let make = self.make;
        let oracle_surface = batch.landscape.surface.as_ref();
        let args = &batch.optimizer.args;
        let work = move || {
            if shared.stride == 0 {
                kernel::work::<S, O, false>(
                    surface,
                    oracle_surface,
                    make,
                    batch,
                    args,
                    setups,
                    shared,
                )
            } else {
                kernel::work::<S, O, true>(
                    surface,
                    oracle_surface,
                    make,
                    batch,
                    args,
                    setups,
                    shared,
                )
            }
        };
        std::thread::scope(|scope| {
            let workers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut pieces = work();
            for worker in workers {
                match worker.join() {
                    Ok(more) => pieces.extend(more),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            pieces
        })
    }
}
