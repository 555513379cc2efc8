//! The two background jobs of a network scene: the training (stretches of steps, then the
//! sharpness at checkpoints) and the slice (a coarse grid, then the fine one).

use std::sync::{Arc, Mutex, PoisonError};

use crate::engine::job::Job;
use crate::grid::ContourMap;
use crate::net::Rows;
use crate::render::slice::slice_map;
use crate::slice::Plane;
use crate::surface::Bounds;
use crate::train::TrainSpec;
use crate::train::Training;
use crate::train::live::{LiveTraining, Trajectories, stretches};
use crate::train::slice::{Slice, SliceSpec, slice_of_paths};

/// Steps taken between two looks at the cancel flag.
const CANCEL_STRIDE: u64 = 25;

/// Checkpoints per racer where the sharpness is measured.
const SHARPNESS_CHECKPOINTS: usize = 40;

/// Grid values per side of the slice's first, coarse pass.
const COARSE_GRID: usize = 17;

/// Points along each racer's init → end line.
const LINE_POINTS: usize = 61;

/// How far the line runs past its ends: α ∈ [−0.25, 1.25].
pub const LINE_RANGE: [f64; 2] = [-0.25, 1.25];

/// Train on another thread: every racer through each stretch of steps in turn (publishing
/// the trajectories after each), then the sharpness at checkpoints.
pub fn training_job(
    training: Arc<Training>,
    notify: impl Fn() + Send + 'static,
) -> Job<Trajectories> {
    let ends = stretches(training.steps());
    let racers = training.optimizers().len();
    let units = racers * training.steps() as usize + racers * SHARPNESS_CHECKPOINTS;
    let live = Mutex::new(LiveTraining::new(training));
    let passes = ends.len() + 1;
    Job::spawn(
        passes,
        units,
        move |k, progress| {
            let mut live = live.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(&end) = ends.get(k) else {
                live.measure_sharpness(SHARPNESS_CHECKPOINTS, || progress.is_cancelled());
                progress.advance(racers * SHARPNESS_CHECKPOINTS);
                return (!progress.is_cancelled()).then(|| live.snapshot());
            };
            let start = k.checked_sub(1).map_or(0, |i| ends[i]);
            let mut at = start;
            while at < end {
                if progress.is_cancelled() {
                    return None;
                }
                at = (at + CANCEL_STRIDE).min(end);
                live.advance(at);
            }
            progress.advance(racers * (end - start) as usize);
            Some(live.snapshot())
        },
        notify,
    )
}

/// What a slice job's key holds: the training, the slice asked for, and the isolines.
#[derive(Clone, Debug, PartialEq)]
pub struct SliceKey {
    pub training: TrainSpec,
    pub slice: SliceSpec,
    pub levels: usize,
}

/// A slice ready to draw: the loss on its plane as a contour map over `bounds`, and each
/// racer's loss along its own init → end line.
pub struct SliceShown {
    pub slice: Slice,
    /// The loss on the plane as a contour map, and the box it covers (`None` for a line).
    pub map: Option<(ContourMap, Bounds)>,
    /// Per racer, (α, loss at θ₀ + α·(θ_T − θ₀)) over [`LINE_RANGE`].
    pub lines: Vec<Vec<[f64; 2]>>,
}

/// Slice the landscape of a complete training on another thread: a coarse grid first, then
/// the scene's.
pub fn slice_job(
    training: Arc<Training>,
    trajectories: Trajectories,
    spec: SliceSpec,
    levels: usize,
    notify: impl Fn() + Send + 'static,
) -> Job<Result<SliceShown, String>> {
    let grids = [COARSE_GRID.min(spec.grid), spec.grid];
    Job::spawn(
        2,
        2,
        move |k, progress| {
            if progress.is_cancelled() {
                return None;
            }
            let threads = crate::engine::default_threads();
            let spec = SliceSpec {
                grid: grids[k],
                ..spec
            };
            let paths = trajectories.path_points();
            let shown = slice_of_paths(&training, &spec, &paths, threads).and_then(|slice| {
                let map = match slice.plane.is_line() {
                    true => None,
                    false => Some(slice_map(&slice, levels)?),
                };
                let lines = lines(&training, &trajectories);
                Ok(SliceShown { slice, map, lines })
            });
            progress.advance(1);
            Some(shown.map_err(|e| e.0))
        },
        notify,
    )
}

/// Each racer's full-batch loss along the straight line from its init to its last point.
fn lines(training: &Training, trajectories: &Trajectories) -> Vec<Vec<[f64; 2]>> {
    let network = training.network();
    trajectories
        .runs
        .iter()
        .map(|run| {
            let (Some(first), Some(last)) = (run.first(), run.last()) else {
                return Vec::new();
            };
            let line = Plane::line(&first.parameters, &last.parameters);
            (0..LINE_POINTS)
                .map(|i| {
                    let [lo, hi] = LINE_RANGE;
                    let alpha = lo + (hi - lo) * i as f64 / (LINE_POINTS - 1) as f64;
                    let p = line.at(alpha, 0.0);
                    [alpha, network.value(p.as_slice(), Rows::All)]
                })
                .collect()
        })
        .collect()
}
