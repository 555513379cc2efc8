//! A network training's rows: what each step recorded, and what a kept row measures.

use std::sync::Arc;

use super::summary::StepSummary;
use crate::race::Status;
use crate::space::PN;

/// One racer at one step: the loss and gradient norm over all training points at the
/// parameters of that step (step 0: the initialization).
#[derive(Clone, Debug, PartialEq)]
pub struct NetRecord {
    /// The racer (its index among the optimizers).
    pub run: usize,
    pub step: u64,
    pub loss: f64,
    pub grad_norm: f64,
    /// The scheduled learning rate of the step leaving this record.
    pub lr: f64,
    /// Evaluations spent before this point (a value and a gradient count one each).
    pub evals: u64,
    pub status: Status,
    /// Epochs completed: points drawn so far over the training points.
    pub epoch: f64,
    /// Points drawn so far.
    pub samples: u64,
    /// The run ends with this record.
    pub last: bool,
    /// The parameters, in torch's `model.parameters()` order.
    pub parameters: PN,
    /// What the step leaving this record did, when the records were asked for summarized
    /// ([`super::Training::records_summarized`]); `None` on a run's last record.
    pub summary: Option<Arc<StepSummary>>,
}

/// What a kept row measures at its parameters (see [`super::Training::measure`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measured {
    /// Over the training points; `None` for regression data or diverged parameters.
    pub accuracy: Option<f64>,
    pub test_loss: Option<f64>,
    pub test_accuracy: Option<f64>,
    /// (λmax, λmin) of the full-batch training loss's Hessian.
    pub sharpness: Option<(f64, f64)>,
}
