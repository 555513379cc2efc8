//! A network's landscape slice as a picture: the loss on the plane as a contour map, with
//! every racer's projected path (`descent landscape --out FILE.png`, `descent render` of a
//! network scene).

use super::{MapPicture, Renderer};
use crate::grid::{Colormap, ContourMap, Grid};
use crate::race::{Record, Status};
use crate::scene::{PALETTE, SLICE_GRID, Scene};
use crate::slice::{PlaneKind, RANDOM_WALK_PC1};
use crate::spec::SpecError;
use crate::surface::Bounds;
use crate::train::slice::{Slice, slice};

/// The picture's title: the plane, and for PCA what its axes explain beside a random walk's.
pub fn slice_title(slice: &Slice) -> String {
    match slice.plane.explained {
        Some([r1, r2]) => format!(
            "PCA plane of all paths: PC1 {:.1}%, PC2 {:.1}% of the variance (a random walk: {:.0}% on PC1)",
            100.0 * r1,
            100.0 * r2,
            100.0 * RANDOM_WALK_PC1
        ),
        None => match slice.plane.kind {
            PlaneKind::Random => "random filter-normalized plane through the final point".into(),
            _ => "line from init to final point".into(),
        },
    }
}

/// A network scene (checked) as a picture: its training sliced on the scene's plane — the
/// loss on the plane with every racer's projected path, `size` pixels. A line has no map:
/// a line scene is drawn on the PCA plane of its paths, which the picture's title names.
pub fn network_picture(scene: &Scene, size: [u32; 2]) -> Result<Renderer, SpecError> {
    let aspect = f64::from(size[0]) / f64::from(size[1].max(1));
    let mut spec = scene.slice_spec(SLICE_GRID, Some(aspect))?;
    if spec.plane.is_line() {
        spec.plane = PlaneKind::Pca;
    }
    let training = scene.train_spec()?.0.build()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let slice = slice(&training, &spec, threads)?;
    slice_picture(&slice, size, scene.levels)
}

/// The loss on a slice's plane as a contour map with `levels` isolines, and the box it
/// covers (each grid value at the centre of its cell).
pub fn slice_map(slice: &Slice, levels: usize) -> Result<(ContourMap, Bounds), SpecError> {
    let (nx, ny) = (slice.a.len(), slice.b.len());
    let spans = [&slice.a, &slice.b].map(|axis| axis[axis.len().max(1) - 1] - axis[0]);
    if nx < 2 || ny < 2 || !spans.iter().all(|s| s.is_finite() && *s > 0.0) {
        return Err(SpecError(format!(
            "a slice picture needs at least 2 × 2 grid values over a finite span, got {nx} × {ny}"
        )));
    }
    let half = |axis: &[f64]| (axis[axis.len() - 1] - axis[0]) / (2.0 * (axis.len() - 1) as f64);
    let (ha, hb) = (half(&slice.a), half(&slice.b));
    let bounds = Bounds::new(
        slice.a[0] - ha,
        slice.a[nx - 1] + ha,
        slice.b[0] - hb,
        slice.b[ny - 1] + hb,
    );
    let grid = Grid {
        bounds,
        nx,
        ny,
        values: slice.loss.clone(),
    };
    Ok((ContourMap::from_grid(grid, levels, 2), bounds))
}

/// The slice as a contour map with the projected paths, `size` pixels.
pub fn slice_picture(slice: &Slice, size: [u32; 2], levels: usize) -> Result<Renderer, SpecError> {
    if slice.plane.is_line() {
        return Err(SpecError(
            "a line slice has no map to draw; write it with --out FILE.json or FILE.csv".into(),
        ));
    }
    let (map, bounds) = slice_map(slice, levels)?;
    let paths = slice
        .paths
        .iter()
        .enumerate()
        .map(|(run, p)| {
            let worst = p.points.iter().map(|q| q[2]).fold(0.0, f64::max);
            let label = format!("{}  (off the plane ≤ {worst:.2})", p.optimizer);
            (label, PALETTE[run % PALETTE.len()], records(run, &p.points))
        })
        .collect();
    let start = slice.paths.first().and_then(|p| p.points.first());
    Renderer::of_map(MapPicture {
        size,
        map: &map,
        view: bounds,
        colormap: Colormap::Viridis,
        title: slice_title(slice),
        paths,
        start: start.map_or([0.0, 0.0], |q| [q[0], q[1]]),
        steps: slice
            .paths
            .iter()
            .map(|p| p.points.len() as u64)
            .max()
            .unwrap_or(1)
            - 1,
    })
}

/// A path's points as records on the slice's (a, b) plane; it ends as diverged at its first
/// non-finite point.
fn records(run: usize, points: &[[f64; 4]]) -> Vec<Record> {
    let finite = points
        .iter()
        .take_while(|q| q.iter().all(|v| v.is_finite()));
    let mut records: Vec<Record> = finite
        .enumerate()
        .map(|(step, q)| Record {
            run,
            step: step as u64,
            x: q[0],
            y: q[1],
            loss: q[3],
            grad_norm: f64::NAN,
            lr: f64::NAN,
            evals: 0,
            status: Status::Running,
            data: None,
        })
        .collect();
    if records.len() < points.len()
        && let Some(last) = records.last_mut()
    {
        last.status = Status::Diverged;
    }
    records
}
