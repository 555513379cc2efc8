//! What a network predicts over its input plane, for the data view: per cell of a grid over
//! two input features, the class it picks (the largest output, as [`Network::accuracy`]
//! counts) and how sure it is — the softmax probability of that class rescaled so that a
//! uniform guess (1/K) is 0 and certainty is 1; for regression, the fitted curve.

use super::Network;
use crate::data::Targets;

/// Most cells a regions grid may have per side.
pub const MAX_REGION_CELLS: usize = 256;

/// The predicted class and confidence of every cell, rows over y of cells over x.
#[derive(Clone, Debug, PartialEq)]
pub struct Regions {
    pub nx: usize,
    pub ny: usize,
    pub classes: Vec<u16>,
    /// In [0, 1]: 0 for a uniform guess over the K classes, 1 for certainty.
    pub confidence: Vec<f32>,
}

/// The decision regions of `network` at `params` over the box `x` × `y`, `nx` × `ny` cell
/// centres (each at most [`MAX_REGION_CELLS`]); `None` unless the network classifies
/// points of exactly two features.
pub fn regions(
    network: &Network,
    params: &[f64],
    [x, y]: [[f64; 2]; 2],
    [nx, ny]: [usize; 2],
) -> Option<Regions> {
    let classifies = matches!(network.table().targets, Targets::Classes { .. });
    if !classifies || network.mlp().inputs() != 2 {
        return None;
    }
    let (nx, ny) = (nx.clamp(1, MAX_REGION_CELLS), ny.clamp(1, MAX_REGION_CELLS));
    let centre =
        |[lo, hi]: [f64; 2], i: usize, n: usize| lo + (hi - lo) * (i as f64 + 0.5) / n as f64;
    let points: Vec<f64> = (0..ny)
        .flat_map(|j| (0..nx).flat_map(move |i| [centre(x, i, nx), centre(y, j, ny)]))
        .collect();
    let k = network.mlp().outputs();
    let mut outputs = vec![0.0; nx * ny * k];
    network.outputs(params, &points, &mut outputs);
    let (mut classes, mut confidence) = (Vec::with_capacity(nx * ny), Vec::with_capacity(nx * ny));
    for z in outputs.chunks_exact(k) {
        let (class, p) = most_likely(z);
        classes.push(class as u16);
        let uniform = 1.0 / k as f64;
        let sure = if k > 1 {
            (p - uniform) / (1.0 - uniform)
        } else {
            1.0
        };
        confidence.push(sure.clamp(0.0, 1.0) as f32);
    }
    Some(Regions {
        nx,
        ny,
        classes,
        confidence,
    })
}

/// The largest output's index (the first on ties) and its softmax probability; a cell of
/// non-finite outputs is class 0 with probability 0.
fn most_likely(z: &[f64]) -> (usize, f64) {
    let (mut best, mut top) = (0, f64::NEG_INFINITY);
    for (i, &v) in z.iter().enumerate() {
        if v > top {
            (best, top) = (i, v);
        }
    }
    if !top.is_finite() {
        return (0, 0.0);
    }
    let sum: f64 = z.iter().map(|&v| (v - top).exp()).sum();
    (best, 1.0 / sum)
}

/// A regression network's prediction along its one input: (x, ŷ) at `n` evenly spaced x
/// in `range`; `None` unless it regresses on one feature.
pub fn curve(
    network: &Network,
    params: &[f64],
    range: [f64; 2],
    n: usize,
) -> Option<Vec<[f64; 2]>> {
    let regresses = matches!(network.table().targets, Targets::Values(_));
    if !regresses || network.mlp().inputs() != 1 || network.mlp().outputs() != 1 || n < 2 {
        return None;
    }
    let n = n.min(4 * MAX_REGION_CELLS);
    let xs: Vec<f64> = (0..n)
        .map(|i| range[0] + (range[1] - range[0]) * i as f64 / (n - 1) as f64)
        .collect();
    let mut ys = vec![0.0; n];
    network.outputs(params, &xs, &mut ys);
    Some(xs.into_iter().zip(ys).map(|(x, y)| [x, y]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{Init, Network};
    use std::sync::Arc;

    #[test]
    fn regions_agree_with_the_network_point_by_point() {
        let table = crate::data::Table::parse("gauss:classes=3,n=60").unwrap();
        let net = Network::from_specs("mlp:hidden=5", None, Arc::new(table)).unwrap();
        let p = Init::parse("torch")
            .unwrap()
            .parameters(net.mlp(), 3)
            .unwrap();
        let r = regions(&net, &p, [[-2.0, 2.0], [-1.0, 3.0]], [8, 4]).unwrap();
        assert_eq!((r.nx, r.ny, r.classes.len()), (8, 4, 32));
        // Cell (i = 5, j = 2): centre x = −2 + 4·5.5/8, y = −1 + 4·2.5/4.
        let mut z = [0.0; 3];
        net.outputs_at(&p, &[-2.0 + 4.0 * 5.5 / 8.0, 1.5], &mut z);
        let (class, prob) = most_likely(&z);
        assert_eq!(r.classes[2 * 8 + 5] as usize, class);
        let expect = (prob - 1.0 / 3.0) / (2.0 / 3.0);
        assert!((f64::from(r.confidence[2 * 8 + 5]) - expect).abs() < 1e-6);
        assert!(r.confidence.iter().all(|c| (0.0..=1.0).contains(c)));
        assert!(curve(&net, &p, [0.0, 1.0], 5).is_none(), "not a regression");
    }

    #[test]
    fn a_regression_curve_is_the_networks_prediction() {
        let table = crate::data::Table::parse("points:0,1;1,3;2,2").unwrap();
        let net = Network::from_specs("mlp:hidden=3", None, Arc::new(table)).unwrap();
        let p = Init::parse("torch")
            .unwrap()
            .parameters(net.mlp(), 0)
            .unwrap();
        let c = curve(&net, &p, [0.0, 2.0], 3).unwrap();
        let mut y = [0.0];
        net.outputs_at(&p, &[1.0], &mut y);
        assert_eq!(c[1], [1.0, y[0]]);
        assert!(regions(&net, &p, [[0.0, 1.0], [0.0, 1.0]], [2, 2]).is_none());
    }
}
