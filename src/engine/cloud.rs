//! Noise clouds: K seeded copies of every racer of a race, copy k of every racer under the
//! same noise seed (common random numbers), traced every `stride` steps: the cloud of
//! current points and the loss's median with its 10–90% band.
//!
//! On a quadratic with eigenvalue λ along an axis, SGD's stationary variance along it is
//! σ²·lr/(λ(2 − lr·λ)) (from x⁺ = (1 − lr·λ)x − lr·σε; Mandt, Hoffman & Blei, "Stochastic
//! gradient descent as approximate Bayesian inference", JMLR 2017), which tests/maps.rs checks.

use serde::Serialize;

use super::{Batch, Outcome, Progress, RunSetup, TracePoint, run_batch_traced};
use crate::P2;
use crate::race::{Race, Status};

/// Most copies a cloud may have.
pub const MAX_COPIES: usize = 4096;
/// A cloud keeps at most this many frames per racer (the stride grows with the steps).
pub const MAX_FRAMES: u64 = 1000;

/// The seed of copy `k` of a race seeded `seed`: shared by every racer's copy k.
pub fn copy_seed(seed: u64, k: usize) -> u64 {
    seed.wrapping_add(k as u64)
}

/// The 10%, 50% and 90% quantiles of the loss over the copies at one step (nearest rank on
/// the sorted losses; a diverged copy counts as +∞ from its end on).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Band {
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
}

/// One racer's cloud.
#[derive(Clone, Debug, PartialEq)]
pub struct RacerCloud {
    /// Frame f is step f·stride; frame f holds copy k's point at index f·copies + k (NaN
    /// once the copy has ended early: diverged or singular).
    pub points: Vec<P2>,
    /// The loss band of every frame.
    pub bands: Vec<Band>,
    /// Every copy's outcome.
    pub outcomes: Vec<Outcome>,
}

impl RacerCloud {
    /// The copies' points at frame `f`.
    pub fn frame(&self, f: usize, copies: usize) -> &[P2] {
        &self.points[f * copies..(f + 1) * copies]
    }
}

/// The clouds of every racer of a race.
#[derive(Clone, Debug, PartialEq)]
pub struct Cloud {
    pub copies: usize,
    /// Steps between frames.
    pub stride: u64,
    /// Frames per racer: steps 0, stride, …, up to the race's steps.
    pub frames: usize,
    pub racers: Vec<RacerCloud>,
}

impl Cloud {
    /// The stride that keeps a race of `steps` steps within [`MAX_FRAMES`] frames.
    pub fn stride_for(steps: u64) -> u64 {
        (steps + 1).div_ceil(MAX_FRAMES).max(1)
    }

    /// Run `copies` copies of every racer of `race` (tolerance `tol` for their outcomes).
    /// `None` when cancelled.
    pub fn compute(
        race: &Race,
        copies: usize,
        tol: f64,
        threads: usize,
        progress: &Progress,
    ) -> Option<Self> {
        let stride = Self::stride_for(race.steps);
        let frames = (race.steps / stride + 1) as usize;
        let mut racers = Vec::with_capacity(race.optimizers.len());
        for index in 0..race.optimizers.len() {
            let batch = Batch::of_race(race, index, tol);
            let setup = |k: usize| RunSetup {
                start: race.start,
                seed: copy_seed(race.seed, k),
                overrides: Vec::new(),
            };
            let runs = run_batch_traced(&batch, copies, &setup, stride, threads, progress)?;
            racers.push(racer_cloud(&runs, frames));
        }
        Some(Self {
            copies,
            stride,
            frames,
            racers,
        })
    }

    /// The step of frame `f`.
    pub fn step_of(&self, f: usize) -> u64 {
        f as u64 * self.stride
    }

    /// The frame showing step `step` (the last at or before it).
    pub fn frame_of(&self, step: u64) -> usize {
        ((step / self.stride) as usize).min(self.frames.saturating_sub(1))
    }
}

fn racer_cloud(runs: &[(Outcome, Vec<TracePoint>)], frames: usize) -> RacerCloud {
    let copies = runs.len();
    if copies == 0 {
        return RacerCloud {
            points: Vec::new(),
            bands: Vec::new(),
            outcomes: Vec::new(),
        };
    }
    let mut points = vec![P2::new(f64::NAN, f64::NAN); frames * copies];
    let mut bands = Vec::with_capacity(frames);
    let mut losses = vec![0.0; copies];
    for f in 0..frames {
        for (k, (outcome, trace)) in runs.iter().enumerate() {
            losses[k] = match trace.get(f) {
                Some(p) => {
                    points[f * copies + k] = P2::new(p.x, p.y);
                    p.loss
                }
                None if outcome.last.status == Status::Diverged => f64::INFINITY,
                None => outcome.last.loss,
            };
            if losses[k].is_nan() {
                losses[k] = f64::INFINITY;
            }
        }
        losses.sort_by(f64::total_cmp);
        let q = |p: f64| losses[((copies - 1) as f64 * p).round() as usize];
        bands.push(Band {
            p10: q(0.1),
            median: q(0.5),
            p90: q(0.9),
        });
    }
    RacerCloud {
        points,
        bands,
        outcomes: runs.iter().map(|r| r.0).collect(),
    }
}
