//! What a network's step stands on: its full training loss as an [`Objective`] over ℝⁿ,
//! and the minibatch of each step (torch's DataLoader order, [`Batcher`]).

use crate::data::batch::Batcher;
use crate::net::{Network, Rows};
use crate::noise::Sampler;
use crate::optim::{Evals, Optimizer, Oracle, StepError};
use crate::race::step::{Anchor, Ground};
use crate::space::{Objective, PN};

/// A network's loss over the rows `rows` selects, as an objective over its parameters.
pub(super) struct Loss<'a> {
    pub network: &'a Network,
    pub rows: Rows<'a>,
}

/// The loss over every training point.
pub(super) struct Whole<'a>(pub &'a Network);

impl Objective<PN> for Loss<'_> {
    fn objective_value(&self, p: &PN) -> f64 {
        self.network.value(p.as_slice(), self.rows)
    }
    fn objective_gradient(&self, p: &PN) -> (f64, PN) {
        let mut g = PN::zeros(p.len());
        let f = self
            .network
            .value_gradient(p.as_slice(), self.rows, g.as_mut_slice());
        (f, g)
    }
    /// The dense Hessian from n Hessian-vector products (Newton only, whose parameter cap
    /// [`crate::optim::MAX_DENSE_PARAMETERS`] is below
    /// [`crate::net::objective::MAX_HESSIAN_PARAMETERS`], so the NaN fallback is never met).
    fn objective_hessian(&self, p: &PN) -> nalgebra::DMatrix<f64> {
        self.network
            .hessian(p.as_slice(), self.rows)
            .unwrap_or_else(|_| nalgebra::DMatrix::from_element(p.len(), p.len(), f64::NAN))
    }
}

impl Objective<PN> for Whole<'_> {
    fn objective_value(&self, p: &PN) -> f64 {
        self.loss().objective_value(p)
    }
    fn objective_gradient(&self, p: &PN) -> (f64, PN) {
        self.loss().objective_gradient(p)
    }
    fn objective_hessian(&self, p: &PN) -> nalgebra::DMatrix<f64> {
        self.loss().objective_hessian(p)
    }
}

impl<'a> Whole<'a> {
    fn loss(&self) -> Loss<'a> {
        Loss {
            network: self.0,
            rows: Rows::All,
        }
    }
}

/// The ground of a network's step: the batch's mean loss (every value and gradient of the
/// step), or the whole training set when a batch holds every point (bit for bit full-batch).
pub(super) struct NetMinibatches<'a> {
    pub network: &'a Network,
    pub batcher: &'a mut Batcher,
    pub batch: &'a mut Vec<usize>,
    pub samples: &'a mut u64,
    /// When asked for: filled with the gradient the optimizer is given at the anchor, the
    /// batch's plus the noise (for [`super::summary::StepSummary`]).
    pub given: Option<&'a mut PN>,
}

impl Ground<PN> for NetMinibatches<'_> {
    fn update<O: Optimizer<PN> + ?Sized>(
        &mut self,
        optimizer: &mut O,
        at: Anchor<PN>,
        sampler: &mut Sampler,
    ) -> (Result<PN, StepError>, Evals) {
        let full = self.batcher.plan().is_full();
        self.batch.clear();
        if full {
            *self.samples += self.batcher.plan().n as u64;
        } else {
            let indices = self.batcher.indices(at.t);
            *self.samples += indices.len() as u64;
            self.batch.extend_from_slice(indices);
        }
        let loss = Loss {
            network: self.network,
            rows: if full {
                Rows::All
            } else {
                Rows::Only(self.batch)
            },
        };
        let anchor_eval = if full {
            at.eval
        } else {
            loss.objective_gradient(&at.x)
        };
        if let Some(given) = self.given.as_deref_mut() {
            given.clone_from(&anchor_eval.1);
            *given += &at.eps;
        }
        let x = at.x.clone();
        let mut oracle = Oracle::new(&loss, at.x, anchor_eval, at.eps, sampler);
        if !full {
            oracle = oracle.minibatch();
        }
        let result = optimizer.step(&mut oracle, x, at.lr);
        (result, oracle.evals())
    }
}
