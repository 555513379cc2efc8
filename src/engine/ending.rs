//! Where a run ended, in the words of a map: at which known critical point, or how it failed.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Outcome;
use crate::landscape::Landscape;
use crate::race::Status;

/// How a run of a map ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ending {
    /// At the end ‖∇f‖ < tol, nearest to the landscape's known critical point with this
    /// index (in `Landscape::critical`'s order, as `descent list surfaces` lists them):
    /// usually a minimum; Newton's method also stops at saddles and maxima.
    Critical(usize),
    /// ‖∇f‖ < tol at the end, but at no known critical point (e.g. one of Rastrigin's many
    /// local minima).
    Stationary,
    /// Not at the tolerance when the steps ran out.
    Running,
    /// The point or the loss left the finite box (see [`crate::surface::DIVERGENCE_BOX`]).
    Diverged,
    /// Newton's system was singular: the run stopped where no step could be taken.
    Singular,
}

/// A point counts as at a known critical point within this share of the view's diagonal.
pub const CRITICAL_RADIUS: f64 = 0.01;

impl Ending {
    /// Classify an outcome reached with tolerance `tol` on `landscape`.
    pub fn classify(outcome: &Outcome, landscape: &Landscape, tol: f64) -> Self {
        let last = &outcome.last;
        match last.status {
            Status::Diverged => return Self::Diverged,
            Status::Singular => return Self::Singular,
            Status::Running | Status::Converged => {}
        }
        if last.grad_norm.is_nan() || last.grad_norm >= tol {
            return Self::Running;
        }
        let v = landscape.view;
        let radius = CRITICAL_RADIUS * (v.x[1] - v.x[0]).hypot(v.y[1] - v.y[0]);
        let p = last.point();
        landscape
            .critical
            .iter()
            .enumerate()
            .map(|(i, c)| (i, (c.point() - p).norm()))
            .filter(|&(_, d)| d <= radius)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(Self::Stationary, |(i, _)| Self::Critical(i))
    }

    /// Whether the run reached the tolerance and stayed there.
    pub fn converged(self) -> bool {
        matches!(self, Self::Critical(_) | Self::Stationary)
    }
}

/// As the CSV and JSON write it: the critical point's index, or `other`, `running`,
/// `diverged`, `singular`.
impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Critical(i) => write!(f, "{i}"),
            Self::Stationary => f.write_str("other"),
            Self::Running => f.write_str("running"),
            Self::Diverged => f.write_str("diverged"),
            Self::Singular => f.write_str("singular"),
        }
    }
}

impl Serialize for Ending {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Critical(i) => s.serialize_u64(*i as u64),
            other => s.collect_str(other),
        }
    }
}
