//! Points with any number d ≥ 1 of features and a target each: what a network learns from.
//!
//! A [`Table`] is the N-dimensional counterpart of [`super::Dataset`] (whose points have two
//! coordinates): features row-major in one flat buffer, and either class labels 0 … K−1 or
//! one real target per point.

use super::{DataKind, Dataset};

/// Most features a table's points may have: a CSV file's columns less its target, a
/// generator's `dims`.
pub const MAX_FEATURES: usize = 1000;

/// Most numbers a table may hold, points × features (32 MB of `f64`): [`super::MAX_POINTS`]
/// points and [`MAX_FEATURES`] features alone would allow 10⁸.
pub const MAX_VALUES: usize = 4_000_000;

/// Most classes a table's labels may name (the logits a network of it outputs).
pub const MAX_CLASSES: usize = 1000;

/// What a table's points are labelled with.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// A class 0 … `classes`−1 per point (every class present).
    Classes { labels: Vec<usize>, classes: usize },
    /// One real target per point (regression).
    Values(Vec<f64>),
}

/// n points of `dims` features each, with their targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The spec as written, e.g. `spirals:n=300` or `data/points.csv`.
    pub spec: String,
    /// Features per point, d ≥ 1.
    pub dims: usize,
    /// n × d features, row-major: point i is `features[i*d .. (i+1)*d]`.
    pub features: Vec<f64>,
    pub targets: Targets,
}

impl Table {
    /// Number of points.
    pub fn len(&self) -> usize {
        match &self.targets {
            Targets::Classes { labels, .. } => labels.len(),
            Targets::Values(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The features of point `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.features[i * self.dims..(i + 1) * self.dims]
    }

    /// Outputs a model of this table needs: K logits for K classes, 1 for regression.
    pub fn outputs(&self) -> usize {
        match &self.targets {
            Targets::Classes { classes, .. } => *classes,
            Targets::Values(_) => 1,
        }
    }
}

impl From<&Dataset> for Table {
    /// A two-parameter model's dataset as a table: regression pairs (x, y) become one
    /// feature x with target y; classification points (x₁, x₂) keep both features, and
    /// their labels −1/1 become classes 0/1.
    fn from(data: &Dataset) -> Self {
        let spec = data.spec.clone();
        match data.kind {
            DataKind::Regression => Table {
                spec,
                dims: 1,
                features: data.points.iter().map(|p| p.x).collect(),
                targets: Targets::Values(data.points.iter().map(|p| p.y).collect()),
            },
            DataKind::Classification => Table {
                spec,
                dims: 2,
                features: data.points.iter().flat_map(|p| [p.x, p.y]).collect(),
                targets: Targets::Classes {
                    labels: data
                        .points
                        .iter()
                        .map(|p| usize::from(p.label > 0.0))
                        .collect(),
                    classes: 2,
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plane_dataset_becomes_a_table() {
        let c = Dataset::parse("points:1,2,1;-1,0,-1").unwrap();
        let t = Table::from(&c);
        assert_eq!((t.len(), t.dims, t.outputs()), (2, 2, 2));
        assert_eq!(t.row(1), &[-1.0, 0.0]);
        assert_eq!(
            t.targets,
            Targets::Classes {
                labels: vec![1, 0],
                classes: 2
            }
        );
        let r = Table::from(&Dataset::parse("points:0,1;2,5").unwrap());
        assert_eq!((r.dims, r.outputs(), r.row(1)), (1, 1, &[2.0][..]));
    }
}
