//! The landscape of a training, seen honestly (issue 19): every racer's path through
//! parameter space projected onto one plane (or line) shared by all of them, each point with
//! its distance off the plane, and the loss *on* the plane over a grid that spans the paths.
//! The planes themselves, the grid and the projection are [`crate::slice`]'s.

use crate::net::Rows;
use crate::race::Status;
use crate::slice::{
    LINE_SPAN, MAX_GRID, Plane, PlaneKind, Projected, check_pca_size, default_span, grid_axis,
    slice_grid,
};
use crate::space::PN;
use crate::spec::{SpecError, spec_err};

use super::Training;

/// What slice to take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliceSpec {
    pub plane: PlaneKind,
    /// The racer whose final point is the random plane's origin, or whose init and final
    /// points make the line.
    pub racer: usize,
    /// Grid values per side (per a for a line).
    pub grid: usize,
    /// The half-width of the plane's square, a, b ∈ [−S, S] around its origin; for a line,
    /// a ∈ [−S, 1 + S]. `None`: the paths with a margin (a line: [−0.5, 1.5]).
    pub span: Option<f64>,
    /// Seeds the random plane's directions.
    pub seed: u64,
    /// Widen the default ranges to this width/height ratio (a picture's), so that the plane's
    /// units are the same along both axes.
    pub aspect: Option<f64>,
}

/// One racer's path on the slice: per step (a, b, off_plane, loss), b = 0 for a line.
#[derive(Clone, Debug, PartialEq)]
pub struct SlicePath {
    pub optimizer: String,
    pub points: Vec<[f64; 4]>,
}

/// The slice: its plane, the grid's axes and the loss over them, and the paths.
#[derive(Clone, Debug)]
pub struct Slice {
    pub plane: Plane,
    pub a: Vec<f64>,
    /// Empty for a line.
    pub b: Vec<f64>,
    /// Rows over b of values over a (a line: one row).
    pub loss: Vec<f64>,
    pub paths: Vec<SlicePath>,
}

/// A racer's point at one step: its parameters, full-batch loss and status.
#[derive(Clone, Copy, Debug)]
pub struct PathPoint<'a> {
    pub parameters: &'a PN,
    pub loss: f64,
    pub status: Status,
}

type Point<'a> = PathPoint<'a>;

/// Whether a racer's points may shape the picture (the PCA plane, the default span): not
/// when it diverged — its way out to the divergence box would be all the variance there is,
/// and every other racer a dot. Its path is still projected and drawn, out of view.
fn shapes(path: &[Point]) -> bool {
    path.last().is_some_and(|end| {
        end.status != Status::Diverged && end.parameters.iter().all(|v| v.is_finite())
    })
}

/// Every racer's points at every step, refused before training when they would hold more
/// than [`crate::slice::MAX_PATH_NUMBERS`] numbers.
fn paths(training: &Training) -> Result<Vec<Vec<super::NetRecord>>, SpecError> {
    let racers = training.optimizers.len();
    let points = racers.saturating_mul(training.steps.saturating_add(1) as usize);
    check_pca_size(points, training.start().len())?;
    let mut paths: Vec<Vec<super::NetRecord>> = (0..racers).map(|_| Vec::new()).collect();
    for record in training.records() {
        paths[record.run].push(record);
    }
    Ok(paths)
}

impl SliceSpec {
    /// The plane these settings choose for these paths.
    fn plane(&self, training: &Training, paths: &[Vec<Point>]) -> Result<Plane, SpecError> {
        let path = &paths[self.racer];
        let Some(last) = path.last().map(|p| p.parameters) else {
            return Err(spec_err!("racer {} has no path yet", self.racer));
        };
        if self.plane != PlaneKind::Pca && !shapes(path) {
            return Err(spec_err!(
                "racer {} diverged: its final point cannot anchor a {} slice (choose another \
                 --racer or a smaller lr)",
                self.racer,
                self.plane.name()
            ));
        }
        match self.plane {
            PlaneKind::Pca => {
                let points: Vec<Vec<PN>> = paths
                    .iter()
                    .filter(|p| shapes(p))
                    .map(|p| p.iter().map(|q| q.parameters.clone()).collect())
                    .collect();
                if points.is_empty() {
                    return Err(spec_err!(
                        "every racer diverged: no path to take a plane from (try smaller lrs)"
                    ));
                }
                Plane::pca(&points)
            }
            PlaneKind::Random => Ok(Plane::random(last, training.network.mlp(), self.seed)),
            PlaneKind::Line => Ok(Plane::line(path[0].parameters, last)),
        }
    }

    /// The grid's ranges of a and b.
    fn ranges(&self, plane: &Plane, projected: &[Projected]) -> ([f64; 2], [f64; 2]) {
        match (self.span, plane.is_line()) {
            (Some(s), true) => ([-s, 1.0 + s], [0.0, 0.0]),
            (None, true) => (LINE_SPAN, [0.0, 0.0]),
            (Some(s), false) => ([-s, s], [-s, s]),
            (None, false) => {
                let (a, b) = default_span(projected);
                match self.aspect {
                    Some(aspect) => {
                        let fit =
                            crate::surface::Bounds::new(a[0], a[1], b[0], b[1]).fit_aspect(aspect);
                        (fit.x, fit.y)
                    }
                    None => (a, b),
                }
            }
        }
    }
}

/// Largest `--span`: far beyond any network's scale, and small enough that the grid's
/// spacing stays finite.
pub const MAX_SPAN: f64 = 1e150;

impl SliceSpec {
    /// The settings' own mistakes, found before any training.
    pub fn check(&self, racers: usize) -> Result<(), SpecError> {
        if !(2..=MAX_GRID).contains(&self.grid) {
            return Err(spec_err!(
                "--grid must be a whole number in 2 ..= {MAX_GRID}, got {}",
                self.grid
            ));
        }
        if let Some(s) = self
            .span
            .filter(|s| !(s.is_finite() && *s > 0.0 && *s <= MAX_SPAN))
        {
            return Err(spec_err!(
                "--span must be a number in (0, {MAX_SPAN:e}], got {s}"
            ));
        }
        if self.racer >= racers {
            return Err(spec_err!(
                "--racer {} does not exist: the racers are 0 ..= {}",
                self.racer,
                racers.saturating_sub(1)
            ));
        }
        Ok(())
    }
}

/// Each racer's records as the slice takes them (their parameters borrowed).
pub fn points_of(records: &[Vec<super::NetRecord>]) -> Vec<Vec<PathPoint<'_>>> {
    records
        .iter()
        .map(|path| {
            path.iter()
                .map(|r| PathPoint {
                    parameters: &r.parameters,
                    loss: r.loss,
                    status: r.status,
                })
                .collect()
        })
        .collect()
}

/// The slice of `training`'s landscape that `spec` asks for, the grid computed on `threads`.
pub fn slice(training: &Training, spec: &SliceSpec, threads: usize) -> Result<Slice, SpecError> {
    spec.check(training.optimizers.len())?;
    let records = paths(training)?;
    let paths = points_of(&records);
    slice_of_paths(training, spec, &paths, threads)
}

/// [`slice`] of paths already trained (each racer's points, step by step, from step 0).
pub fn slice_of_paths(
    training: &Training,
    spec: &SliceSpec,
    paths: &[Vec<PathPoint<'_>>],
    threads: usize,
) -> Result<Slice, SpecError> {
    spec.check(paths.len())?;
    let plane = spec.plane(training, paths)?;
    let projected: Vec<Vec<Projected>> = paths
        .iter()
        .map(|p| p.iter().map(|q| plane.project(q.parameters)).collect())
        .collect();
    let all: Vec<Projected> = paths
        .iter()
        .zip(&projected)
        .filter(|(path, _)| shapes(path))
        .flat_map(|(_, p)| p.iter().copied())
        .collect();
    let (range_a, range_b) = spec.ranges(&plane, &all);
    let a = grid_axis(range_a, spec.grid);
    let b = if plane.is_line() {
        Vec::new()
    } else {
        grid_axis(range_b, spec.grid)
    };
    let loss = slice_grid(&training.network, &plane, &a, &b, threads)?;
    let paths = training
        .optimizers
        .iter()
        .zip(paths.iter().zip(&projected))
        .map(|(o, (path, proj))| SlicePath {
            optimizer: o.label.clone(),
            points: path
                .iter()
                .zip(proj)
                .map(|(q, p)| [p.a, p.b, p.off_plane, q.loss])
                .collect(),
        })
        .collect();
    Ok(Slice {
        plane,
        a,
        b,
        loss,
        paths,
    })
}

impl Slice {
    /// The loss of the grid's cell (i over a, j over b) — a check of [`slice`]'s layout.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.loss[j * self.a.len() + i]
    }

    /// The full-batch loss at θ(a, b), computed afresh.
    pub fn loss_at(&self, training: &Training, a: f64, b: f64) -> f64 {
        let p = self.plane.at(a, b);
        training.network.value(p.as_slice(), Rows::All)
    }
}
