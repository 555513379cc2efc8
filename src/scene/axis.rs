//! What a scene's plots count along their x axis.

use serde::{Deserialize, Serialize};

use crate::race::Record;

/// What the plots' x axis counts: a scene may name it (`x_axis: Some(Samples)`), and the app's
/// plots offer the choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum XAxis {
    /// Optimizer steps.
    #[default]
    Steps,
    /// Evaluations spent (values + gradients + Hessians): equal budgets for methods whose
    /// steps cost differently (line searches, Newton).
    Evaluations,
    /// Passes over the data (samples drawn / n): data scenes only.
    Epochs,
    /// Samples drawn: data scenes only.
    Samples,
}

impl XAxis {
    pub const ALL: [Self; 4] = [Self::Steps, Self::Evaluations, Self::Epochs, Self::Samples];

    /// The axis label (and the choice's name).
    pub fn label(self) -> &'static str {
        match self {
            Self::Steps => "step",
            Self::Evaluations => "evaluations",
            Self::Epochs => "epoch",
            Self::Samples => "samples seen",
        }
    }

    /// Whether the records must carry the data progress (a model surface).
    pub fn needs_data(self) -> bool {
        matches!(self, Self::Epochs | Self::Samples)
    }

    /// The x value of a record (0 where a record lacks what the axis needs).
    pub fn of(self, r: &Record) -> f64 {
        match self {
            Self::Steps => r.step as f64,
            Self::Evaluations => r.evals as f64,
            Self::Epochs => r.data.map_or(0.0, |d| d.epoch),
            Self::Samples => r.data.map_or(0.0, |d| d.samples as f64),
        }
    }
}
