//! A slice as `descent landscape` writes it: JSON (the contract other tools read) or CSV (the
//! grid's cells); its picture is [`crate::render::slice`]'s.

use std::io::{self, Write};

use serde::Serialize;

use super::Training;
use super::slice::Slice;
use crate::slice::{PlaneKind, RANDOM_WALK_PC1};

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
