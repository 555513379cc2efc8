//! A race: several optimizers started from one point on one surface, stepped side by side.
//!
//! Each [`Run`] is an iterator of per-step [`Record`]s (step 0 is the start point), so a
//! headless run streams: memory stays flat however many steps are asked for. Runs are
//! independent but share the seed, so every optimizer sees the same noise ε_t at step t
//! (common random numbers) and the race is fair.

pub mod step;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::P2;
use crate::data::DataSurface;
use crate::data::batch::{BatchPlan, Batcher};
use crate::landscape::Landscape;
use crate::noise::Sampler;
use crate::optim::{Evals, Optimizer, OptimizerSpec, Oracle, State, StepError};
use crate::schedule::Schedule;
use crate::spec::{SpecError, spec_err};
use crate::surface::Surface;
use step::{Anchor, Ground, Plan, Walk};

/// Most optimizers one race runs side by side: the app draws eight comfortably, a picture's
/// legend fits a few dozen, and every racer is a path, a legend row and a metrics row.
pub const MAX_RACERS: usize = 64;
/// A point where the true gradient norm is below this has converged.
pub const CONVERGED_GRADIENT: f64 = 1e-8;

/// The state of a run at a recorded step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Still moving: the true gradient norm is at least 1e-8.
    Running,
    /// The true gradient norm is below 1e-8 (the run goes on, usually standing still).
    Converged,
    /// The point or the loss became NaN or infinite, or the point left |x|, |y| ≤ 1e12.
    /// The run ends here.
    Diverged,
    /// Newton's system was singular here, so no step can be taken. The run ends here.
    Singular,
}

impl Status {
    /// Whether the run ends with this record.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Diverged | Status::Singular)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Running => "running",
            Status::Converged => "converged",
            Status::Diverged => "diverged",
            Status::Singular => "singular",
        })
    }
}

/// One optimizer at one step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Record {
    /// Index of the run in the race.
    #[serde(skip)]
    pub run: usize,
    pub step: u64,
    pub x: f64,
    pub y: f64,
    /// The true (noise-free) loss f(x, y).
    pub loss: f64,
    /// The true (noise-free) gradient norm ‖∇f(x, y)‖.
    pub grad_norm: f64,
    /// The learning rate applied by the update that leaves this point (the schedule at this step).
    pub lr: f64,
    /// Evaluations spent to reach this point (values + gradients + Hessians).
    pub evals: u64,
    pub status: Status,
    /// On a data surface: the epochs and samples drawn before this point (written after the
    /// other columns; absent elsewhere).
    #[serde(flatten)]
    pub data: Option<DataProgress>,
}

/// How far through the data a run is at a record.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DataProgress {
    /// Samples drawn / n: whole at the end of each epoch.
    pub epoch: f64,
    /// Points drawn by the steps before this record (a full-batch step draws all n).
    pub samples: u64,
}

impl Record {
    pub fn point(&self) -> P2 {
        P2::new(self.x, self.y)
    }
}

/// What happened during the step that leaves a record's point: the forces the teaching
/// overlays draw. A run's last record has no step: its gradient is the true one, its step
/// zero, and its state what the last update left.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepDetail {
    /// The gradient the optimizer was given at the point: ∇f + σεₜ.
    pub gradient: P2,
    /// The step taken: the next point minus this one.
    pub step: P2,
    /// The optimizer's internals after the step.
    pub state: State,
    /// Points the step evaluated besides this one (line-search trials, simplex vertices).
    pub trials: Vec<P2>,
}

impl StepDetail {
    /// Half-sides of the effective-step box of an adaptive method: ηᵢ·|gᵢ|, how far each
    /// coordinate would move for this gradient. For Adam at step 1 both equal lr, a square:
    /// why its first step is diagonal whatever the gradient's direction.
    pub fn effective_box(&self) -> Option<P2> {
        let eta = self.state.effective_lr?;
        let half = eta.component_mul(&self.gradient.abs());
        half.iter().all(|v| v.is_finite()).then_some(half)
    }
}

/// Everything that defines a race, as specs (what a scene file and the command line hold).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceSpec {
    /// A surface spec, e.g. `quadratic:kappa=50,angle=30`.
    pub surface: String,
    /// The start point; `None` for the surface's default.
    pub start: Option<[f64; 2]>,
    /// Optimizer specs, e.g. `adam:lr=0.01`.
    pub optimizers: Vec<String>,
    /// A schedule spec, e.g. `cosine:t_max=200`.
    pub schedule: String,
    /// Schedules of single optimizers, by index: `Some(spec)` replaces `schedule` for that
    /// one (a constant-lr baseline beside a decay); missing entries follow `schedule`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<Option<String>>,
    /// σ of the gradient noise.
    pub noise: f64,
    pub seed: u64,
    /// Updates per run; records are steps 0 ..= steps.
    pub steps: u64,
    /// The dataset of a model surface (see [`crate::data`]); `None` for its default.
    #[serde(default)]
    pub data: Option<String>,
    /// Minibatch size of the racers whose spec has no `batch=B`; `None` for full batch.
    #[serde(default)]
    pub batch: Option<u64>,
    /// Each epoch a seeded permutation of the points (`false`: file order).
    #[serde(default = "shuffle_default")]
    pub shuffle: bool,
}

fn shuffle_default() -> bool {
    true
}

impl Default for RaceSpec {
    fn default() -> Self {
        Self {
            surface: "rosenbrock".into(),
            start: None,
            optimizers: Vec::new(),
            schedule: "constant".into(),
            schedules: Vec::new(),
            noise: 0.0,
            seed: 0,
            steps: 100,
            data: None,
            batch: None,
            shuffle: true,
        }
    }
}

/// A race ready to run: the parsed surface, schedule and optimizers.
pub struct Race {
    pub landscape: Arc<Landscape>,
    /// Each optimizer's schedule (the race's, or its own).
    pub schedules: Vec<Schedule>,
    /// The spec of each optimizer's own schedule, `None` where it follows the race's.
    pub own_schedules: Vec<Option<String>>,
    pub optimizers: Vec<OptimizerSpec>,
    pub start: P2,
    pub noise: f64,
    pub seed: u64,
    pub steps: u64,
    /// Each run's minibatch plan on a data surface (`None` elsewhere).
    pub batches: Vec<Option<BatchPlan>>,
}

impl RaceSpec {
    /// Parse and check every part; the first mistake is reported in one line.
    pub fn build(&self) -> Result<Race, SpecError> {
        let landscape = Landscape::parse_with_data(&self.surface, self.data.as_deref())?;
        let schedule = Schedule::parse(&self.schedule)?;
        check_racer_count(self.optimizers.len())?;
        let optimizers = self
            .optimizers
            .iter()
            .map(|s| OptimizerSpec::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
        if self.schedules.len() > optimizers.len() {
            return Err(spec_err!(
                "{} schedules given for {} optimizers; give at most one per optimizer",
                self.schedules.len(),
                optimizers.len()
            ));
        }
        let own_schedules: Vec<Option<String>> = (0..optimizers.len())
            .map(|i| {
                let own = self.schedules.get(i).cloned().flatten();
                own.map(|s| s.trim().to_string())
            })
            .collect();
        let schedules = own_schedules
            .iter()
            .map(|own| match own {
                Some(spec) => Schedule::parse(spec),
                None => Ok(schedule.clone()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        check_noise(self.noise)?;
        if self.steps == 0 {
            return Err(spec_err!("steps must be a whole number ≥ 1, got 0"));
        }
        let start = check_start(self.start)?.unwrap_or(landscape.start);
        let batches = optimizers
            .iter()
            .map(|o| self.batch_plan(&landscape, o))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Race {
            batches,
            landscape: Arc::new(landscape),
            schedules,
            own_schedules,
            optimizers,
            start,
            noise: self.noise,
            seed: self.seed,
            steps: self.steps,
        })
    }
}

/// The rules a race's fields follow, shared with [`crate::scene::Scene::check`] (which names
/// the field in error): one rule, one wording, wherever the race comes from.
///
/// At least one and at most [`MAX_RACERS`] optimizers.
pub fn check_racer_count(n: usize) -> Result<(), SpecError> {
    if n == 0 {
        return Err(spec_err!(
            "no optimizer given (e.g. --optimizer adam:lr=0.01; see 'descent list optimizers')"
        ));
    }
    if n > MAX_RACERS {
        return Err(spec_err!(
            "a race runs at most {MAX_RACERS} optimizers side by side, got {n}"
        ));
    }
    Ok(())
}

/// The gradient noise σ: finite and ≥ 0 (see [`check_racer_count`]).
pub fn check_noise(noise: f64) -> Result<(), SpecError> {
    if noise.is_finite() && noise >= 0.0 {
        Ok(())
    } else {
        Err(spec_err!(
            "noise σ must be a finite number ≥ 0, got {noise}"
        ))
    }
}

/// The start point, finite when given (see [`check_racer_count`]).
pub fn check_start(start: Option<[f64; 2]>) -> Result<Option<P2>, SpecError> {
    match start {
        Some([x, y]) if x.is_finite() && y.is_finite() => Ok(Some(P2::new(x, y))),
        Some([x, y]) => Err(spec_err!("start must be finite, got {x},{y}")),
        None => Ok(None),
    }
}

impl RaceSpec {
    /// The minibatch plan of one racer: its `batch=B`, else the race's, else full batch.
    fn batch_plan(
        &self,
        landscape: &Landscape,
        optimizer: &OptimizerSpec,
    ) -> Result<Option<BatchPlan>, SpecError> {
        let batch = optimizer.batch.or(self.batch);
        let Some(data) = &landscape.data else {
            return match batch {
                Some(b) => Err(spec_err!(
                    "batch {b} needs a data surface (e.g. --surface linear-regression --data \
                     line); '{}' has no points",
                    self.surface
                )),
                None => Ok(None),
            };
        };
        let points = format!("points of {}", data.data.spec);
        let plan = BatchPlan::checked(
            data.len(),
            batch,
            self.shuffle,
            self.seed,
            &optimizer.label,
            &points,
        )?;
        Ok(Some(plan))
    }
}

impl Race {
    /// One run per optimizer, each from the start with fresh state.
    pub fn runs(&self) -> Vec<Run> {
        (0..self.optimizers.len()).map(|i| self.run(i)).collect()
    }

    /// The run of optimizer `index`.
    pub fn run(&self, index: usize) -> Run {
        let spec = &self.optimizers[index];
        Run {
            index,
            landscape: Arc::clone(&self.landscape),
            schedule: self.schedules[index].clone(),
            optimizer: spec.build(),
            base_lr: spec.lr(),
            walk: Walk::new(self.start, self.seed, self.noise),
            steps: self.steps,
            finished: false,
            data: self.landscape.data.clone(),
            batcher: self.batches[index].clone().map(Batcher::new),
            batch: Vec::new(),
            samples: 0,
        }
    }

    /// Run `index`'s legend label: its optimizer, and its own schedule if it has one.
    pub fn label(&self, index: usize) -> String {
        let optimizer = self.optimizers[index].display_label();
        match &self.own_schedules[index] {
            Some(schedule) => format!("{optimizer} · {schedule}"),
            None => optimizer,
        }
    }

    /// All records, step by step: every live run's step 0, then step 1, and so on.
    pub fn records(&self) -> Interleaved {
        Interleaved::new(self.runs())
    }

    /// The minibatch plan of run `index` on a data surface: which points its step t uses
    /// ([`BatchPlan::batch`]), its epochs and samples seen.
    pub fn batch_plan(&self, index: usize) -> Option<&BatchPlan> {
        self.batches.get(index)?.as_ref()
    }

    /// Every run's full trajectory (for the app, which shows `records[..=step]`).
    pub fn trajectories(&self) -> Vec<Vec<Record>> {
        self.runs().into_iter().map(Iterator::collect).collect()
    }

    /// Run `index` again with the details of every step, one per record.
    pub fn details(&self, index: usize) -> Vec<StepDetail> {
        let mut run = self.run(index);
        let mut details = Vec::new();
        while run.advance::<true>(&mut details).is_some() {}
        details
    }
}

/// One optimizer's path: yields the record of step 0 (the start), 1, …, `steps`, or fewer
/// if it diverges or meets a singular system.
pub struct Run {
    index: usize,
    landscape: Arc<Landscape>,
    schedule: Schedule,
    optimizer: Box<dyn Optimizer>,
    base_lr: f64,
    /// Its point, step, evaluations, noise and sampler.
    walk: Walk,
    steps: u64,
    finished: bool,
    /// A data surface's model and points, for the minibatches.
    data: Option<Arc<DataSurface>>,
    batcher: Option<Batcher>,
    /// The indices of the current step's batch (a buffer reused from step to step).
    batch: Vec<usize>,
    /// Points drawn so far.
    samples: u64,
}

impl Run {
    /// All evaluations so far, by kind.
    pub fn evals(&self) -> Evals {
        self.walk.evals
    }

    /// The next record; with `DETAIL`, what its step did is pushed onto `sink` (the plain
    /// iterator compiles without any of it: the stepping loop is the hot path). The rule
    /// itself is [`step::step`], shared with the engine.
    fn advance<const DETAIL: bool>(&mut self, sink: &mut Vec<StepDetail>) -> Option<Record> {
        if self.finished {
            return None;
        }
        let data = self.data.as_ref().map(|d| DataProgress {
            epoch: self.samples as f64 / d.len() as f64,
            samples: self.samples,
        });
        let surface = self.landscape.surface.as_ref();
        let mut ground = Minibatches::<DETAIL> {
            surface,
            data: self.data.as_deref(),
            batcher: &mut self.batcher,
            batch: &mut self.batch,
            samples: &mut self.samples,
            given: P2::zeros(),
            trials: Vec::new(),
        };
        let plan = Plan {
            schedule: &self.schedule,
            base_lr: self.base_lr,
            steps: self.steps,
        };
        let seen = step::step(
            &mut self.walk,
            surface,
            &mut ground,
            self.optimizer.as_mut(),
            plan,
        );
        self.finished = seen.last;
        if DETAIL {
            let detail = match seen.noise {
                None => StepDetail {
                    gradient: seen.grad,
                    state: self.optimizer.state(),
                    ..StepDetail::default()
                },
                Some(eps) => StepDetail {
                    gradient: ground.given + eps,
                    step: self.walk.x - seen.x,
                    state: self.optimizer.state(),
                    trials: std::mem::take(&mut ground.trials),
                },
            };
            sink.push(detail);
        }
        Some(seen.record(self.index, data))
    }
}

/// The ground of a single run's step: on a data surface with a minibatch plan, the batch's
/// mean loss (every value and gradient of the step); a batch of all n points is the full
/// data, evaluated as such (bit for bit full-batch GD). With `DETAIL`, the oracle is traced
/// and the gradient it was given (before noise) and its trials are kept for the detail.
struct Minibatches<'a, const DETAIL: bool> {
    surface: &'a dyn Surface,
    data: Option<&'a DataSurface>,
    batcher: &'a mut Option<Batcher>,
    batch: &'a mut Vec<usize>,
    samples: &'a mut u64,
    given: P2,
    trials: Vec<P2>,
}

impl<const DETAIL: bool> Ground for Minibatches<'_, DETAIL> {
    fn update<O: Optimizer + ?Sized>(
        &mut self,
        optimizer: &mut O,
        at: Anchor,
        sampler: &mut Sampler,
    ) -> (Result<P2, StepError>, Evals) {
        self.batch.clear();
        if let Some(batcher) = self.batcher {
            if batcher.plan().is_full() {
                *self.samples += batcher.plan().n as u64;
            } else {
                let indices = batcher.indices(at.t);
                *self.samples += indices.len() as u64;
                self.batch.extend_from_slice(indices);
            }
        }
        let batch_surface = match self.data {
            Some(data) if !self.batch.is_empty() => Some(data.batch(self.batch)),
            _ => None,
        };
        let (step_surface, anchor_eval): (&dyn Surface, _) = match &batch_surface {
            Some(b) => (b, b.value_gradient(at.x)),
            None => (self.surface, at.eval),
        };
        let mut oracle = Oracle::new(step_surface, at.x, anchor_eval, at.eps, sampler);
        if batch_surface.is_some() {
            oracle = oracle.minibatch();
        }
        if DETAIL {
            oracle = oracle.traced();
        }
        let result = optimizer.step(&mut oracle, at.x, at.lr);
        if DETAIL {
            self.given = anchor_eval.1;
            self.trials = oracle.trials();
        }
        (result, oracle.evals())
    }
}

impl Iterator for Run {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.advance::<false>(&mut Vec::new())
    }
}

/// The records of several runs, step-major (see [`Race::records`]): each live run's next
/// record in turn, until every run has ended. A network's training interleaves its runs the
/// same way.
pub struct Interleaved<R = Run> {
    runs: Vec<R>,
    live: Vec<bool>,
    cursor: usize,
}

impl<R: Iterator> Interleaved<R> {
    pub fn new(runs: Vec<R>) -> Self {
        Self {
            live: vec![true; runs.len()],
            runs,
            cursor: 0,
        }
    }
}

impl<R: Iterator> Iterator for Interleaved<R> {
    type Item = R::Item;

    fn next(&mut self) -> Option<R::Item> {
        for _ in 0..self.runs.len() {
            let i = self.cursor;
            self.cursor = if i + 1 == self.runs.len() { 0 } else { i + 1 };
            if self.live[i] {
                match self.runs[i].next() {
                    Some(record) => return Some(record),
                    None => self.live[i] = false,
                }
            }
        }
        None
    }
}
