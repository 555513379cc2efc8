//! Basins of attraction: one run from every cell of a grid over the view, each cell marked
//! with where its run ended ([`Ending`]) and how many steps it took to reach the tolerance.
//! Its colours are [`crate::style::basin_rgba`]'s.

use serde::Serialize;

use super::{Batch, Ending, Progress, RunSetup, run_batch};
use crate::P2;
use crate::surface::Bounds;

/// One start of a basin map and what became of it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BasinCell {
    /// The start: the cell's centre.
    pub x: f64,
    pub y: f64,
    pub outcome: Ending,
    /// The first step with ‖∇f‖ < tol.
    pub steps: Option<u64>,
    /// Evaluations spent before that step.
    pub evals: Option<u64>,
    /// The true loss at the run's last point.
    pub loss: f64,
}

/// A basin map: `nx × ny` cells over `bounds`, row-major from the bottom row (y = y0) up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BasinMap {
    pub bounds: Bounds,
    pub nx: usize,
    pub ny: usize,
    /// The step budget of every run (the scene's steps).
    pub steps: u64,
    pub tol: f64,
    pub cells: Vec<BasinCell>,
}

/// The centre of cell (i, j) of an `nx × ny` grid over `bounds` (row j from the bottom).
pub fn cell_centre(bounds: Bounds, nx: usize, ny: usize, i: usize, j: usize) -> P2 {
    let fx = (i as f64 + 0.5) / nx as f64;
    let fy = (j as f64 + 0.5) / ny as f64;
    P2::new(
        bounds.x[0] + fx * (bounds.x[1] - bounds.x[0]),
        bounds.y[0] + fy * (bounds.y[1] - bounds.y[0]),
    )
}

impl BasinMap {
    /// Run the batch's racer from the centre of every cell, all with noise seed `seed`.
    /// `None` when cancelled.
    pub fn compute(
        batch: &Batch,
        seed: u64,
        bounds: Bounds,
        [nx, ny]: [usize; 2],
        threads: usize,
        progress: &Progress,
    ) -> Option<Self> {
        let setup = |k: usize| RunSetup {
            start: cell_centre(bounds, nx, ny, k % nx, k / nx),
            seed,
            overrides: Vec::new(),
        };
        let outcomes = run_batch(batch, nx * ny, &setup, threads, progress)?;
        let cells = outcomes
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let p = setup(k).start;
                BasinCell {
                    x: p.x,
                    y: p.y,
                    outcome: Ending::classify(o, &batch.landscape, batch.tol),
                    steps: o.steps_to_tol,
                    evals: o.evals_to_tol,
                    loss: o.last.loss,
                }
            })
            .collect();
        Some(Self {
            bounds,
            nx,
            ny,
            steps: batch.steps,
            tol: batch.tol,
            cells,
        })
    }

    /// The cell whose square contains `p`, if any.
    pub fn cell_at(&self, p: P2) -> Option<&BasinCell> {
        let b = self.bounds;
        let fx = (p.x - b.x[0]) / (b.x[1] - b.x[0]);
        let fy = (p.y - b.y[0]) / (b.y[1] - b.y[0]);
        if !((0.0..1.0).contains(&fx) && (0.0..1.0).contains(&fy)) {
            return None;
        }
        let (i, j) = (
            (fx * self.nx as f64) as usize,
            (fy * self.ny as f64) as usize,
        );
        self.cells.get(j * self.nx + i)
    }

    /// How many cells ended each way, most frequent first.
    pub fn tally(&self) -> Vec<(Ending, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for c in &self.cells {
            *counts.entry(c.outcome).or_insert(0usize) += 1;
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}
