//! A slice as `descent landscape` writes it: JSON (the contract other tools read), CSV (the
//! grid's cells) or a PNG (the slice as a contour map with every racer's projected path).

use std::io::{self, Write};

use serde::Serialize;

use super::Training;
use super::slice::Slice;
use crate::grid::{Colormap, ContourMap, Grid};
use crate::race::{Record, Status};
use crate::render::{MapPicture, Renderer};
use crate::scene::PALETTE;
use crate::slice::{PlaneKind, RANDOM_WALK_PC1};
use crate::spec::SpecError;
use crate::surface::Bounds;

#[derive(Serialize)]
struct SliceJson<'a> {
    plane: &'static str,
    origin: Vec<&'a [f64]>,
    directions: Vec<Vec<&'a [f64]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explained: Option<[f64; 2]>,
    /// PC1's share for a random walk in high dimension, to read `explained` against.
    #[serde(skip_serializing_if = "Option::is_none")]
    random_walk_pc1: Option<f64>,
    a: &'a [f64],
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<&'a [f64]>,
    loss: serde_json::Value,
    paths: Vec<PathJson<'a>>,
}

#[derive(Serialize)]
struct PathJson<'a> {
    optimizer: &'a str,
    points: &'a [[f64; 4]],
}

/// The slice as JSON: `{"plane", "origin", "directions", "explained" (pca), "a", "b" (not
/// for a line), "loss" (rows over b of values over a; a line: values over a), "paths"}`,
/// vectors in the parameters' tensor layout, non-finite numbers as `null`.
pub fn write_slice_json(training: &Training, slice: &Slice, out: &mut dyn Write) -> io::Result<()> {
    let mlp = training.network.mlp();
    let line = slice.plane.is_line();
    let rows: Vec<&[f64]> = slice.loss.chunks(slice.a.len()).collect();
    let loss = if line {
        serde_json::to_value(slice.loss.as_slice())
    } else {
        serde_json::to_value(rows)
    }?;
    let json = SliceJson {
        plane: slice.plane.kind.name(),
        origin: mlp.split(slice.plane.origin.as_slice()),
        directions: slice
            .plane
            .directions
            .iter()
            .map(|d| mlp.split(d.as_slice()))
            .collect(),
        explained: slice.plane.explained,
        random_walk_pc1: (slice.plane.kind == PlaneKind::Pca).then_some(RANDOM_WALK_PC1),
        a: &slice.a,
        b: (!line).then_some(slice.b.as_slice()),
        loss,
        paths: slice
            .paths
            .iter()
            .map(|p| PathJson {
                optimizer: &p.optimizer,
                points: &p.points,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// The grid's cells as CSV: `a,b,loss` (a line: `a,loss`), floats in shortest round-trip form.
pub fn write_slice_csv(slice: &Slice, out: &mut dyn Write) -> io::Result<()> {
    if slice.plane.is_line() {
        writeln!(out, "a,loss")?;
        for (a, loss) in slice.a.iter().zip(&slice.loss) {
            writeln!(out, "{a:?},{loss:?}")?;
        }
        return Ok(());
    }
    writeln!(out, "a,b,loss")?;
    for (j, b) in slice.b.iter().enumerate() {
        for (i, a) in slice.a.iter().enumerate() {
            writeln!(out, "{a:?},{b:?},{:?}", slice.at(i, j))?;
        }
    }
    Ok(())
}

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

/// The slice as a contour map with the projected paths, `size` pixels.
pub fn slice_picture(slice: &Slice, size: [u32; 2], levels: usize) -> Result<Renderer, SpecError> {
    if slice.plane.is_line() {
        return Err(SpecError(
            "a line slice has no map to draw; write it with --out FILE.json or FILE.csv".into(),
        ));
    }
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
    let map = ContourMap::from_grid(grid, levels, 2);
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
