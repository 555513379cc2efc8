//! The isolines of the minibatch the focused run's next step draws: the loss of those points
//! alone, sampled over the view, at the full map's own levels so the two sets of contours
//! compare directly (the batch's bowl sits elsewhere, and jumps as the batches change).
//! Recomputed when the batch, the race or the view changes — during playback, once per step.

use crate::grid::{Grid, Isoline, Scale, isolines};
use crate::race::RaceSpec;
use crate::surface::Bounds;

/// Samples per side of the batch's grid: its contours are smooth, faint guides.
const SIDE: usize = 64;
/// How many of the full map's levels the batch is drawn at.
const LEVELS: usize = 6;

/// What one batch's isolines depend on.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    race: RaceSpec,
    run: usize,
    batch: Vec<usize>,
    bounds: Bounds,
    scale: Option<Scale>,
}

/// The focused run's current batch as isolines.
#[derive(Default)]
pub struct MinibatchCache {
    key: Option<Key>,
    isolines: Vec<Isoline>,
    /// How many times isolines were computed (tests: not once per frame).
    pub computed: u64,
}

impl MinibatchCache {
    /// Follow the focused run's batch; `None` (no minibatch run, no next step, the overlay
    /// off) clears the isolines.
    pub fn update(
        &mut self,
        (spec, surface): (&RaceSpec, Option<&crate::data::DataSurface>),
        batch: Option<(usize, Vec<usize>)>,
        bounds: Bounds,
        scale: Option<Scale>,
    ) {
        profiling::function_scope!();
        let (Some(surface), Some((run, batch))) = (surface, batch) else {
            self.key = None;
            self.isolines.clear();
            return;
        };
        let key = Key {
            race: spec.clone(),
            run,
            batch,
            bounds,
            scale,
        };
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let batch_surface = surface.batch(&key.batch);
        let grid = Grid::sample(&batch_surface, bounds, SIDE, SIDE, 1);
        let scale = scale.unwrap_or_else(|| Scale::fit_grid(&grid));
        self.isolines = isolines(&grid, &scale.levels(LEVELS), 1);
        self.computed += 1;
        self.key = Some(key);
    }

    /// The isolines of the current batch (empty when there is none).
    pub fn isolines(&self) -> &[Isoline] {
        &self.isolines
    }
}
