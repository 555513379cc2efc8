//! Tuning: the learning rate that reaches the tolerance in the fewest steps, by a log-grid
//! search on the engine and one refinement around the best point.

use serde::Serialize;

use super::{Batch, Ending, Outcome, Progress, RunSetup, run_batch};
use crate::P2;
use crate::spec::Value;

/// Learning rates tried per pass.
pub const TUNE_POINTS: usize = 41;
/// The span searched by default (the lr sliders' span).
pub const TUNE_RANGE: [f64; 2] = [1e-5, 10.0];

/// The best learning rate found, with what it achieved.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tuned {
    pub lr: f64,
    pub steps: u64,
    /// Evaluations spent before reaching the tolerance.
    pub evals: u64,
    /// The coarse grid's ratio between neighbouring learning rates.
    pub grid_ratio: f64,
}

/// Search `[lo, hi]` on a log grid of [`TUNE_POINTS`] learning rates from `start` (noise seed
/// `seed`), then a second grid between the best point's neighbours; the best is the fewest
/// steps to ‖∇f‖ < tol among runs that end converged, ties to the lower final loss.
/// `Ok(None)` when no lr converged; `Err(())` when cancelled.
#[allow(clippy::result_unit_err)]
pub fn tune_lr(
    batch: &Batch,
    start: P2,
    seed: u64,
    [lo, hi]: [f64; 2],
    threads: usize,
    progress: &Progress,
) -> Result<Option<Tuned>, ()> {
    let n = TUNE_POINTS;
    let ratio = (hi / lo).powf(1.0 / (n - 1) as f64);
    let coarse: Vec<f64> = (0..n).map(|i| lo * ratio.powi(i as i32)).collect();
    progress.announce(2 * n);
    let Some((best, _)) = best_of(batch, start, seed, &coarse, threads, progress)? else {
        return Ok(None);
    };
    let (a, b) = (coarse[best] / ratio, coarse[best] * ratio);
    let fine: Vec<f64> = (0..n)
        .map(|i| a * (b / a).powf(i as f64 / (n - 1) as f64))
        .filter(|lr| (lo..=hi).contains(lr))
        .chain([coarse[best]])
        .collect();
    let Some((i, o)) = best_of(batch, start, seed, &fine, threads, progress)? else {
        return Ok(None);
    };
    Ok(Some(Tuned {
        lr: fine[i],
        steps: o.steps_to_tol.unwrap_or(batch.steps),
        evals: o.evals_to_tol.unwrap_or(0),
        grid_ratio: ratio,
    }))
}

fn best_of(
    batch: &Batch,
    start: P2,
    seed: u64,
    lrs: &[f64],
    threads: usize,
    progress: &Progress,
) -> Result<Option<(usize, Outcome)>, ()> {
    let setup = |i: usize| RunSetup {
        start,
        seed,
        overrides: vec![("lr", Value::Real(lrs[i]))],
    };
    let outcomes = run_batch(batch, lrs.len(), &setup, threads, progress).ok_or(())?;
    Ok(outcomes
        .into_iter()
        .enumerate()
        .filter(|(_, o)| Ending::classify(o, &batch.landscape, batch.tol).converged())
        .min_by(|(_, a), (_, b)| {
            a.steps_to_tol
                .cmp(&b.steps_to_tol)
                .then(a.last.loss.total_cmp(&b.last.loss))
        }))
}
