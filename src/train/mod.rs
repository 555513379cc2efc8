//! Training a network: several optimizers from the same initialization, over the same
//! minibatches and the same gradient noise, each stepped through the race's one rule
//! ([`crate::race::step::step`]) in ℝⁿ — the rule the 2-D races and the engine use.
//!
//! Like a data race: the record of step t holds the loss, accuracy and gradient norm over
//! **all** training points at the parameters of step t (the minibatch only drives the step);
//! step 0 is the initialization. What is costly and only wanted on printed rows — accuracy,
//! the test split's loss and accuracy, the sharpness — is measured by [`Training::measure`]
//! for the rows a caller keeps.

mod ground;
pub mod live;
pub mod output;
mod record;
pub mod slice;
pub mod slice_output;
pub mod summary;

use std::sync::Arc;

use crate::data::Table;
use crate::data::batch::{BatchPlan, Batcher};
use crate::net::{Init, Network};
use crate::optim::{Optimizer, OptimizerSpec};
use crate::race::step::{self, Plan, Walk};
use crate::race::{Interleaved, Status, check_noise, check_racer_count};
use crate::schedule::Schedule;
use crate::space::PN;
use crate::spec::{SpecError, spec_err};

use ground::{NetMinibatches, Whole};
pub use record::{Measured, NetRecord};
use summary::StepSummary;

/// What `descent train` (or a scene) asks for, as text; [`TrainSpec::build`] checks it all.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSpec {
    /// `mlp:hidden=16x16,activation=tanh`.
    pub model: String,
    /// A dataset spec (see [`Table::parse`]).
    pub data: String,
    /// `cross-entropy` or `mse`; `None`: the data's default.
    pub loss: Option<String>,
    /// `torch`, `xavier`, `he`, `zeros` (with `:scale=s`) or a JSON file.
    pub init: String,
    /// Each optimizer's own initialization (a scene's racers may start apart, to compare
    /// inits): empty, or one per optimizer, `None` following `init`.
    pub inits: Vec<Option<String>>,
    /// Seeds the initialization, the epoch permutations, the split and the noise.
    pub seed: u64,
    pub optimizers: Vec<String>,
    pub steps: u64,
    /// Points per minibatch for racers without `batch=B` (`None`: full batch).
    pub batch: Option<u64>,
    pub shuffle: bool,
    pub schedule: String,
    pub noise: f64,
    /// The fraction of points held out as a test set.
    pub test: Option<f64>,
}

impl Default for TrainSpec {
    fn default() -> Self {
        Self {
            model: "mlp:hidden=16".into(),
            data: "moons".into(),
            loss: None,
            init: "torch".into(),
            inits: Vec::new(),
            seed: 0,
            optimizers: vec!["adam:lr=0.01".into()],
            steps: 100,
            batch: None,
            shuffle: true,
            schedule: "constant".into(),
            noise: 0.0,
            test: None,
        }
    }
}

/// A training ready to run: the network over its training points, the held-out points,
/// the initial parameters and each racer's optimizer and minibatches.
pub struct Training {
    network: Arc<Network>,
    /// The same model and loss over the test split.
    test: Option<Network>,
    /// Each racer's initial parameters, in torch's `model.parameters()` order.
    starts: Vec<PN>,
    /// Each checked, when built, to take this many parameters.
    optimizers: Vec<OptimizerSpec>,
    schedule: Schedule,
    batches: Vec<BatchPlan>,
    noise: f64,
    seed: u64,
    steps: u64,
}

impl TrainSpec {
    /// Parse and check every part; the first mistake is reported in one line, before any
    /// step is taken.
    pub fn build(&self) -> Result<Training, SpecError> {
        check_racer_count(self.optimizers.len())?;
        check_noise(self.noise)?;
        if self.steps == 0 {
            return Err(spec_err!("steps must be a whole number ≥ 1, got 0"));
        }
        Schedule::parse(&self.schedule)?;
        self.build_on(Table::parse(&self.data)?)
    }

    /// [`TrainSpec::build`] on a table already made (`data` then only names it).
    pub fn build_on(&self, table: Table) -> Result<Training, SpecError> {
        check_racer_count(self.optimizers.len())?;
        let schedule = Schedule::parse(&self.schedule)?;
        let (train, test) = match self.test {
            Some(fraction) => {
                let (train, test) = table.split(fraction, self.seed)?;
                (train, Some(test))
            }
            None => (table, None),
        };
        let network = Network::from_specs(&self.model, self.loss.as_deref(), Arc::new(train))?;
        let test = test
            .map(|t| Network::new(network.mlp().clone(), network.loss(), Arc::new(t)))
            .transpose()?;
        let starts = self.starts(network.mlp())?;
        let n = network.parameter_count();
        let optimizers = self
            .optimizers
            .iter()
            .map(|s| {
                let spec = OptimizerSpec::parse(s)?;
                spec.build_n(n)?;
                Ok(spec)
            })
            .collect::<Result<Vec<_>, SpecError>>()?;
        let points = network.table().len();
        let batches = optimizers
            .iter()
            .map(|o| self.batch_plan(o, points))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Training {
            network: Arc::new(network),
            test,
            starts,
            optimizers,
            schedule,
            batches,
            noise: self.noise,
            seed: self.seed,
            steps: self.steps,
        })
    }

    /// Each optimizer's initial parameters: its own init, else the training's (each scheme
    /// drawn once with the seed, so racers with the same init start at the same point).
    fn starts(&self, mlp: &crate::net::Mlp) -> Result<Vec<PN>, SpecError> {
        if !self.inits.is_empty() && self.inits.len() != self.optimizers.len() {
            return Err(spec_err!(
                "{} inits for {} optimizers: give one per optimizer, or none",
                self.inits.len(),
                self.optimizers.len()
            ));
        }
        let mut drawn: Vec<(&str, PN)> = Vec::new();
        (0..self.optimizers.len().max(1))
            .map(|i| {
                let spec = self
                    .inits
                    .get(i)
                    .and_then(Option::as_deref)
                    .unwrap_or(&self.init);
                if let Some((_, start)) = drawn.iter().find(|(s, _)| *s == spec) {
                    return Ok(start.clone());
                }
                let start = PN::from_vec(Init::parse(spec)?.parameters(mlp, self.seed)?);
                drawn.push((spec, start.clone()));
                Ok(start)
            })
            .collect()
    }

    /// One racer's minibatches: its `batch=B`, else the training's, else full batch.
    fn batch_plan(&self, optimizer: &OptimizerSpec, n: usize) -> Result<BatchPlan, SpecError> {
        BatchPlan::checked(
            n,
            optimizer.batch.or(self.batch),
            self.shuffle,
            self.seed,
            &optimizer.label,
            &format!("training points of {}", self.data),
        )
    }
}

impl Training {
    /// The network over the training points.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The same model and loss over the test split, if one was held out.
    pub fn test(&self) -> Option<&Network> {
        self.test.as_ref()
    }

    /// Racer 0's initial parameters, in torch's `model.parameters()` order (every racer's,
    /// unless they have inits of their own).
    pub fn start(&self) -> &PN {
        &self.starts[0]
    }

    /// Racer `run`'s initial parameters.
    pub fn start_of(&self, run: usize) -> &PN {
        &self.starts[run]
    }

    /// The racers' optimizers, in order.
    pub fn optimizers(&self) -> &[OptimizerSpec] {
        &self.optimizers
    }

    /// Updates per run; records are steps 0 ..= steps.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// One run per optimizer, each from the initialization with fresh state.
    pub fn runs(&self) -> Vec<NetRun> {
        (0..self.optimizers.len()).map(|i| self.run(i)).collect()
    }

    /// The run of optimizer `index`.
    pub fn run(&self, index: usize) -> NetRun {
        let spec = &self.optimizers[index];
        NetRun {
            index,
            network: Arc::clone(&self.network),
            // `TrainSpec::build` checked that every optimizer takes this many parameters,
            // and the fields cannot change after it.
            optimizer: match spec.build_n(self.starts[index].len()) {
                Ok(o) => o,
                Err(e) => unreachable!("checked when built: {e}"),
            },
            schedule: self.schedule.clone(),
            base_lr: spec.lr(),
            walk: Walk::new(self.starts[index].clone(), self.seed, self.noise),
            steps: self.steps,
            finished: false,
            batcher: Batcher::new(self.batches[index].clone()),
            batch: Vec::new(),
            samples: 0,
            given: None,
        }
    }

    /// Every racer's records, step-major (all step 0s, then all step 1s, …), as they come.
    pub fn records(&self) -> Interleaved<NetRun> {
        Interleaved::new(self.runs())
    }

    /// [`Training::records`], each with the [`StepSummary`] of the step leaving it (the
    /// update-rule card's numbers; they cost a copy of the optimizer's state per step).
    pub fn records_summarized(&self) -> Interleaved<NetRun> {
        let runs = self.runs().into_iter().map(NetRun::summarized).collect();
        Interleaved::new(runs)
    }
}

/// One optimizer's training: yields the record of step 0 (the initialization), 1, …,
/// `steps`, or fewer if it diverges.
pub struct NetRun {
    index: usize,
    network: Arc<Network>,
    optimizer: Box<dyn Optimizer<PN>>,
    schedule: Schedule,
    base_lr: f64,
    walk: Walk<PN>,
    steps: u64,
    finished: bool,
    batcher: Batcher,
    /// The indices of the current step's batch (reused from step to step).
    batch: Vec<usize>,
    /// Points drawn so far.
    samples: u64,
    /// With summaries: the gradient the optimizer was given at the current step.
    given: Option<PN>,
}

impl NetRun {
    /// The same run, its records carrying [`StepSummary`]s.
    pub fn summarized(mut self) -> Self {
        self.given = Some(PN::zeros(0));
        self
    }
}

impl Iterator for NetRun {
    type Item = NetRecord;

    fn next(&mut self) -> Option<NetRecord> {
        if self.finished {
            return None;
        }
        let n = self.network.table().len();
        let (epoch, samples) = (self.samples as f64 / n as f64, self.samples);
        let whole = Whole(&self.network);
        let mut ground = NetMinibatches {
            network: &self.network,
            batcher: &mut self.batcher,
            batch: &mut self.batch,
            samples: &mut self.samples,
            given: self.given.as_mut(),
        };
        let plan = Plan {
            schedule: &self.schedule,
            base_lr: self.base_lr,
            steps: self.steps,
        };
        let seen = step::step(
            &mut self.walk,
            &whole,
            &mut ground,
            self.optimizer.as_mut(),
            plan,
        );
        self.finished = seen.last;
        let summary = match (&self.given, &seen.noise) {
            (Some(given), Some(_)) => Some(Arc::new(StepSummary::new(
                &seen.x,
                &self.walk.x,
                &seen.grad,
                given,
                &self.optimizer.state(),
            ))),
            _ => None,
        };
        Some(NetRecord {
            run: self.index,
            step: seen.step,
            loss: seen.loss,
            grad_norm: seen.grad_norm,
            lr: seen.lr,
            evals: seen.evals,
            status: seen.status,
            epoch,
            samples,
            last: seen.last,
            parameters: seen.x,
            summary,
        })
    }
}

impl Training {
    /// λ_max of the full-batch training loss's Hessian at `parameters`, to a plot's precision
    /// ([`crate::net::lanczos::largest`]); `None` at non-finite parameters.
    pub fn sharpness(&self, parameters: &PN) -> Option<f64> {
        let p = parameters.as_slice();
        if !p.iter().all(|v| v.is_finite()) {
            return None;
        }
        let largest = self.network.with_hvp(p, crate::net::Rows::All, |hvp| {
            crate::net::lanczos::largest(p.len(), self.seed, hvp)
        });
        Some(largest.max).filter(|v| v.is_finite())
    }

    /// What a kept row shows beyond its step: the accuracy over the training points, the
    /// test split's loss and accuracy, and with `sharpness` the extreme eigenvalues of the
    /// full-batch training loss's Hessian (Lanczos on exact Hessian-vector products).
    pub fn measure(&self, record: &NetRecord, sharpness: bool) -> Measured {
        let p = record.parameters.as_slice();
        let finite =
            record.status != Status::Diverged && record.parameters.iter().all(|v| v.is_finite());
        let test = self.test.as_ref().filter(|_| finite);
        let extremes = (sharpness && finite).then(|| {
            let net = &self.network;
            net.with_hvp(p, crate::net::Rows::All, |hvp| {
                crate::net::lanczos::extremes(p.len(), self.seed, hvp)
            })
        });
        Measured {
            accuracy: if finite {
                self.network.accuracy(p)
            } else {
                None
            },
            test_loss: test.map(|t| t.value(p, crate::net::Rows::All)),
            test_accuracy: test.and_then(|t| t.accuracy(p)),
            sharpness: extremes.map(|e| (e.max, e.min)),
        }
    }
}
