//! The loss on a plane: L(θ₀ + a·d₁ + b·d₂) over all training points at each cell of a grid,
//! computed by several threads, each with its own copy of the network's buffers.

use super::{Plane, Projected};
use crate::net::{Network, Rows};
use crate::spec::{SpecError, spec_err};

/// Most grid values per side: 257² = 66,049 full-batch losses (about 16 times the 65² a
/// picture needs). Refused beyond, in one line.
pub const MAX_GRID: usize = 257;
/// The margin [`default_span`] adds on each side, as a fraction of the paths' extent.
pub const SPAN_MARGIN: f64 = 0.25;
/// The narrowest extent [`default_span`] gives an axis (before the margin), in the plane's
/// units, so that a path standing still gets a visible square around it.
pub const MIN_SPAN: f64 = 0.1;

/// `n` evenly spaced values from `range[0]` to `range[1]`, each t = i/(n − 1) as
/// (1 − t)·lo + t·hi so that both ends are exact (and, on [−0.5, 1.5] with n ≡ 1 mod 4,
/// 0 and 1 too); one value: the middle.
pub fn grid_axis(range: [f64; 2], n: usize) -> Vec<f64> {
    let [lo, hi] = range;
    match n {
        0 => Vec::new(),
        1 => vec![0.5 * (lo + hi)],
        _ => (0..n)
            .map(|i| {
                let t = i as f64 / (n - 1) as f64;
                (1.0 - t) * lo + t * hi
            })
            .collect(),
    }
}

/// The ranges of a and b that show every finite projected point: their extent, widened to at
/// least a quarter of the other axis's and to [`MIN_SPAN`], then [`SPAN_MARGIN`] of it added
/// on each side. No finite point: [−MIN_SPAN, MIN_SPAN] on both.
pub fn default_span(points: &[Projected]) -> ([f64; 2], [f64; 2]) {
    let finite = points.iter().filter(|p| p.a.is_finite() && p.b.is_finite());
    let extent = |coord: fn(&Projected) -> f64| {
        finite
            .clone()
            .map(coord)
            .fold(None, |acc: Option<[f64; 2]>, v| {
                Some(acc.map_or([v, v], |[lo, hi]| [lo.min(v), hi.max(v)]))
            })
    };
    let (Some(a), Some(b)) = (extent(|p| p.a), extent(|p| p.b)) else {
        return ([-MIN_SPAN, MIN_SPAN], [-MIN_SPAN, MIN_SPAN]);
    };
    let widest = (a[1] - a[0]).max(b[1] - b[0]);
    let widen = |[lo, hi]: [f64; 2]| {
        let width = (hi - lo).max(0.25 * widest).max(MIN_SPAN);
        let middle = 0.5 * (lo + hi);
        let half = 0.5 * width * (1.0 + 2.0 * SPAN_MARGIN);
        [middle - half, middle + half]
    };
    (widen(a), widen(b))
}

/// The full-batch loss at each cell: rows over `b`, values over `a` — `values[j·a.len() + i]`
/// = L(θ₀ + a_i·d₁ + b_j·d₂) — or, for a line, one row over `a` (`b` ignored).
///
/// The cells are split into `threads` contiguous runs (0 counts as 1), each computed by a
/// clone of `net` (its own buffers) under `std::thread::scope`; every cell is the same
/// [`Network::value`] of the same parameters whatever the thread, so the numbers do not
/// depend on the thread count. One line when an axis is empty, longer than [`MAX_GRID`] or
/// not finite, or the plane's dimension is not the network's.
pub fn slice_grid(
    net: &Network,
    plane: &Plane,
    a: &[f64],
    b: &[f64],
    threads: usize,
) -> Result<Vec<f64>, SpecError> {
    let b: &[f64] = if plane.is_line() { &[0.0] } else { b };
    for (name, axis) in [("a", a), ("b", b)] {
        if axis.is_empty() || axis.len() > MAX_GRID {
            return Err(spec_err!(
                "slice: the grid has {} values of {name}; it takes 1 to {MAX_GRID} per side",
                axis.len()
            ));
        }
        if axis.iter().any(|v| !v.is_finite()) {
            return Err(spec_err!("slice: the grid's {name} values must be finite"));
        }
    }
    if plane.dim() != net.parameter_count() {
        return Err(spec_err!(
            "slice: the plane has {} parameters, but mlp {} has {}",
            plane.dim(),
            net.mlp().sizes_text(),
            net.parameter_count()
        ));
    }
    let mut values = vec![0.0; a.len() * b.len()];
    let threads = threads.clamp(1, values.len());
    let run = values.len().div_ceil(threads);
    if threads == 1 {
        fill(net, plane, a, b, 0, &mut values);
        return Ok(values);
    }
    std::thread::scope(|scope| {
        for (k, chunk) in values.chunks_mut(run).enumerate() {
            let net = net.clone();
            scope.spawn(move || fill(&net, plane, a, b, k * run, chunk));
        }
    });
    Ok(values)
}

/// The cells `first..first + out.len()` (row-major over b, then a) into `out`.
fn fill(net: &Network, plane: &Plane, a: &[f64], b: &[f64], first: usize, out: &mut [f64]) {
    let mut theta = vec![0.0; plane.dim()];
    for (k, value) in out.iter_mut().enumerate() {
        let cell = first + k;
        plane.at_into(a[cell % a.len()], b[cell / a.len()], &mut theta);
        *value = net.value(&theta, Rows::All);
    }
}
