//! Learning from data: datasets, the loss of a two-parameter model over them as a
//! [`Surface`](crate::surface::Surface), minibatches and the gradient check.
//!
//! A dataset is named by a spec like a surface's: a seeded generator (`line:n=50,noise=0.5`,
//! `outliers`, `blobs:separation=3`, `sorted-line`), a CSV file (any path ending in `.csv`), or
//! points written inline (`points:0,1;1,3;2,5` for regression, `points:1,2,1;-1,0,-1` with a
//! label for classification). The same spec and seed give the same points, bit for bit.
//!
//! - [`Dataset`]: the points and their kind;
//! - [`Table`]: points with any number of features, for networks: [`Table::parse`] reads the
//!   specs above and more (the generators of [`TABLES`] — spirals, moons, circles, xor, gauss —
//!   and CSV files of d ≥ 1 features), [`Table::split`] draws a seeded train/test split;
//! - [`model`]: `linear-regression` and `linear-classifier` with their losses, as surfaces;
//! - [`batch`]: the epoch permutations every racer shares (torch's DataLoader);
//! - [`gradcheck`]: numerical against exact gradients for any surface.

pub mod batch;
mod csv;
mod generate;
pub mod gradcheck;
mod logistic;
pub mod loss;
mod minimum;
pub mod model;
pub mod output;
mod table;
mod tables;

use std::path::Path;

use serde::Serialize;

use crate::spec::{Args, SpecError, lookup, spec_err, split_spec};

pub use batch::BatchPlan;
pub use generate::{DATASETS, DatasetEntry};
pub use loss::Loss;
pub use model::{DataSurface, Minimum, ModelKind};
pub use table::{MAX_CLASSES, MAX_FEATURES, MAX_VALUES, Table, Targets};
pub use tables::{TABLES, TableEntry};

/// Most points a dataset may hold (generated, read or written inline): bounds memory and the
/// time of every full-data evaluation.
pub const MAX_POINTS: usize = 100_000;

/// What a dataset's points are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DataKind {
    /// Pairs (x, y): an input and a target.
    Regression,
    /// Points (x₁, x₂) with a label −1 or 1.
    Classification,
}

impl DataKind {
    /// The columns of a CSV file of this kind.
    pub fn header(self) -> &'static str {
        match self {
            DataKind::Regression => "x,y",
            DataKind::Classification => "x1,x2,label",
        }
    }
}

/// One data point. Regression: the input `x` and the target `y` (`label` is 0).
/// Classification: the features (x₁, x₂) = (`x`, `y`) and the class `label` ∈ {−1, 1}.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub label: f64,
}

/// A list of points of one kind, with the spec it was made from.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// The spec as written, e.g. `line:n=50` or `data/points.csv`.
    pub spec: String,
    pub kind: DataKind,
    pub points: Vec<Point>,
}

impl Dataset {
    /// Generate, read or take inline the points a spec names; one line on any mistake.
    pub fn parse(spec: &str) -> Result<Self, SpecError> {
        let spec = spec.trim();
        let (kind, points) = if let Some(text) = spec.strip_prefix("points:") {
            parse_inline(text)?
        } else if spec.to_ascii_lowercase().ends_with(".csv") {
            csv::read(Path::new(spec))?
        } else {
            let (name, pairs) = split_spec(spec)?;
            let entry = lookup("dataset", name, DATASETS, |e| e.name)?;
            let args = Args::parse(name, entry.params, &pairs)?;
            (entry.kind, (entry.generate)(&args)?)
        };
        let data = Self {
            spec: spec.to_string(),
            kind,
            points,
        };
        data.check()?;
        Ok(data)
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Whatever its source: at least one point, at most [`MAX_POINTS`], all finite, labels
    /// ±1 with both classes present for classification.
    fn check(&self) -> Result<(), SpecError> {
        let what = &self.spec;
        if self.points.is_empty() {
            return Err(spec_err!("{what}: the dataset has no points"));
        }
        if self.points.len() > MAX_POINTS {
            return Err(spec_err!(
                "{what}: {} points, more than the {MAX_POINTS} accepted",
                self.points.len()
            ));
        }
        if let Some(i) = self
            .points
            .iter()
            .position(|p| !(p.x.is_finite() && p.y.is_finite()))
        {
            return Err(spec_err!("{what}: point {} is not finite", i + 1));
        }
        if self.kind == DataKind::Classification {
            let positives = self.points.iter().filter(|p| p.label == 1.0).count();
            if self
                .points
                .iter()
                .any(|p| p.label != 1.0 && p.label != -1.0)
            {
                return Err(spec_err!("{what}: labels must be -1 or 1 (or 0 or 1)"));
            }
            if positives == 0 || positives == self.points.len() {
                return Err(spec_err!(
                    "{what}: all {} points are in one class; a classifier needs both \
                     labels (-1 and 1, or 0 and 1)",
                    self.points.len()
                ));
            }
        }
        Ok(())
    }
}

/// `points:x,y;x,y;…` (regression) or `points:x1,x2,label;…` (classification).
fn parse_inline(text: &str) -> Result<(DataKind, Vec<Point>), SpecError> {
    let rows: Vec<&str> = text
        .split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .collect();
    let mut kind = None;
    let mut points = Vec::with_capacity(rows.len());
    let mut zero_one = csv::LabelStyle::default();
    for (i, row) in rows.iter().enumerate() {
        let at = format!("points: point {}", i + 1);
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        let this = match fields.len() {
            2 => DataKind::Regression,
            3 => DataKind::Classification,
            n => {
                return Err(spec_err!(
                    "{at}: '{row}' has {n} numbers; expected x,y (regression) or x1,x2,label \
                     (classification)"
                ));
            }
        };
        if *kind.get_or_insert(this) != this {
            return Err(spec_err!(
                "{at}: '{row}' has {} numbers but the first point has {}",
                fields.len(),
                if this == DataKind::Regression { 3 } else { 2 }
            ));
        }
        points.push(
            csv::parse_row(&fields, this, &mut zero_one).map_err(|e| spec_err!("{at}: {e}"))?,
        );
    }
    zero_one.finish(&mut points);
    Ok((kind.unwrap_or(DataKind::Regression), points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_points_of_both_kinds() {
        let d = Dataset::parse("points: 0,1; 1,3; 2,5").unwrap();
        assert_eq!(d.kind, DataKind::Regression);
        assert_eq!(
            d.points[2],
            Point {
                x: 2.0,
                y: 5.0,
                label: 0.0
            }
        );
        let c = Dataset::parse("points:1,2,1;-1,0,0").unwrap();
        assert_eq!(c.kind, DataKind::Classification);
        assert_eq!(c.points[1].label, -1.0, "0/1 labels map 0 to -1");
    }

    #[test]
    fn inline_mistakes_are_named() {
        let e = |s| Dataset::parse(s).unwrap_err().0;
        assert!(
            e("points:1,2;3").contains("point 2: '3' has 1 numbers"),
            "{}",
            e("points:1,2;3")
        );
        assert!(
            e("points:1,x").contains("'x' is not a number"),
            "{}",
            e("points:1,x")
        );
        assert!(e("points:").contains("no points"));
        assert!(e("points:1,2,1;3,4,1").contains("one class"));
        assert!(
            e("points:1,2,5;3,4,1").contains("label"),
            "{}",
            e("points:1,2,5;3,4,1")
        );
        assert!(
            e("points:1,inf").contains("finite"),
            "{}",
            e("points:1,inf")
        );
        assert!(e("spiral").contains("unknown dataset 'spiral'"));
    }
}
