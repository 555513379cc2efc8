//! f sampled on a raster ([`Grid`]), the gradient-field overlay, and the [`Scale`] mapping f
//! to [0, 1] that colours and isolines share.

use crate::P2;
use crate::surface::{Bounds, Surface};

/// f sampled at the centres of an `nx × ny` raster over `bounds`; row 0 is the bottom
/// (smallest y), as in plot coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub bounds: Bounds,
    pub nx: usize,
    pub ny: usize,
    /// `values[j * nx + i]` is f at [`Grid::node`]`(i, j)`; non-finite where f overflows.
    pub values: Vec<f64>,
}

/// Points on an `n`×`n` lattice of cell centres over `bounds`, each with −∇f there: the
/// gradient-field overlay. Non-finite gradients are left out.
pub fn gradient_field(surface: &dyn Surface, bounds: Bounds, n: usize) -> Vec<(P2, P2)> {
    let n = n.max(1);
    let dx = (bounds.x[1] - bounds.x[0]) / n as f64;
    let dy = (bounds.y[1] - bounds.y[0]) / n as f64;
    (0..n * n)
        .map(|k| {
            let p = P2::new(
                bounds.x[0] + (k % n) as f64 * dx + dx / 2.0,
                bounds.y[0] + (k / n) as f64 * dy + dy / 2.0,
            );
            (p, -surface.gradient(p))
        })
        .filter(|(_, g)| g.iter().all(|v| v.is_finite()))
        .collect()
}

impl Grid {
    /// Evaluate `surface` at every pixel centre ([`Surface::map_value`]: a picture), splitting
    /// the rows over `threads` threads (each value is a pure function of its point, so the
    /// result never depends on it).
    pub fn sample(
        surface: &dyn Surface,
        bounds: Bounds,
        nx: usize,
        ny: usize,
        threads: usize,
    ) -> Self {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let mut values = vec![0.0; nx * ny];
        let dx = (bounds.x[1] - bounds.x[0]) / nx as f64;
        let dy = (bounds.y[1] - bounds.y[0]) / ny as f64;
        let fill_rows = |first_row: usize, rows: &mut [f64]| {
            for (r, row) in rows.chunks_mut(nx).enumerate() {
                let y = bounds.y[0] + ((first_row + r) as f64 + 0.5) * dy;
                for (i, v) in row.iter_mut().enumerate() {
                    let x = bounds.x[0] + (i as f64 + 0.5) * dx;
                    *v = surface.map_value(P2::new(x, y));
                }
            }
        };
        let threads = threads.clamp(1, ny);
        if threads == 1 {
            fill_rows(0, &mut values);
        } else {
            let rows_each = ny.div_ceil(threads);
            std::thread::scope(|scope| {
                for (k, chunk) in values.chunks_mut(rows_each * nx).enumerate() {
                    let fill_rows = &fill_rows;
                    scope.spawn(move || fill_rows(k * rows_each, chunk));
                }
            });
        }
        Self {
            bounds,
            nx,
            ny,
            values,
        }
    }

    /// The point of sample `(i, j)`.
    pub fn node(&self, i: f64, j: f64) -> [f64; 2] {
        let b = &self.bounds;
        [
            b.x[0] + (i + 0.5) * (b.x[1] - b.x[0]) / self.nx as f64,
            b.y[0] + (j + 0.5) * (b.y[1] - b.y[0]) / self.ny as f64,
        ]
    }
}

/// The lowest and highest finite values and the index of the lowest (∞, −∞, 0 if none).
fn range(values: &[f64]) -> (f64, f64, usize) {
    let (mut lo, mut hi, mut lowest) = (f64::INFINITY, f64::NEG_INFINITY, 0);
    for (k, &v) in values.iter().enumerate() {
        if v < lo && v.is_finite() {
            (lo, lowest) = (v, k);
        }
        if v > hi && v.is_finite() {
            hi = v;
        }
    }
    (lo, hi, lowest)
}

/// How f maps to [0, 1] for colours and contour levels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// u = (f − lo)/(hi − lo).
    Linear { lo: f64, hi: f64 },
    /// u = ln((f − floor)/lo) / ln(hi/lo), clamped: decades above the lowest sample `floor`.
    Log { floor: f64, lo: f64, hi: f64 },
}

impl Scale {
    /// When the range above the minimum exceeds this many times its median, use log spacing.
    const LOG_WHEN_RANGE_OVER_MEDIAN: f64 = 20.0;

    /// Pick the scale for a grid's values: log in f − f_min when the lowest sample lies
    /// inside the grid (a basin: its nested contours then sit at geometrically growing
    /// distances, so the region around the minimum shows structure) or when the values span
    /// more than [`Self::LOG_WHEN_RANGE_OVER_MEDIAN`]× their median above the minimum (steep
    /// walls around a flat floor, as on Rosenbrock); linear otherwise (a saddle or a slope,
    /// whose lowest values are on the border).
    pub fn fit_grid(grid: &Grid) -> Self {
        let (lo, hi, lowest) = range(&grid.values);
        let (i, j) = (lowest % grid.nx, lowest / grid.nx);
        let interior = i > 0 && j > 0 && i + 1 < grid.nx && j + 1 < grid.ny;
        Self::fit_range(&grid.values, lo, hi, interior)
    }

    /// [`Self::fit_grid`] for bare values; `basin` says the minimum is inside the region.
    pub fn fit(values: &[f64], basin: bool) -> Self {
        let (lo, hi, _) = range(values);
        Self::fit_range(values, lo, hi, basin)
    }

    fn fit_range(values: &[f64], lo: f64, hi: f64, basin: bool) -> Self {
        // A strided sample is plenty for quantiles and keeps this O(n/stride · log).
        let stride = (values.len() / 4096).max(1);
        let mut sample: Vec<f64> = values
            .iter()
            .step_by(stride)
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        if sample.is_empty() || hi <= lo {
            let centre = if lo.is_finite() { lo } else { 0.0 };
            return Self::Linear {
                lo: centre - 1.0,
                hi: centre + 1.0,
            };
        }
        sample.sort_by(f64::total_cmp);
        let quantile = |q: f64| sample[((sample.len() - 1) as f64 * q) as usize] - lo;
        let (median, range) = (quantile(0.5), hi - lo);
        if median > 0.0 && (basin || range > Self::LOG_WHEN_RANGE_OVER_MEDIAN * median) {
            let lowest = quantile(0.005).max(range * 1e-9);
            Self::Log {
                floor: lo,
                lo: lowest,
                hi: range,
            }
        } else {
            Self::Linear { lo, hi }
        }
    }

    /// Position of f on the scale, in [0, 1]; NaN for a non-finite f.
    pub fn unit(&self, f: f64) -> f64 {
        if !f.is_finite() {
            return f64::NAN;
        }
        let u = match *self {
            Self::Linear { lo, hi } => (f - lo) / (hi - lo),
            Self::Log { floor, lo, hi } => ((f - floor).max(lo) / lo).ln() / (hi / lo).ln(),
        };
        u.clamp(0.0, 1.0)
    }

    /// [`Self::unit`] in single precision with the constant part precomputed: enough for 256
    /// colours and for a first guess of a sample's band, and several times faster on the log
    /// scale (it is evaluated for every sample of every map).
    pub fn unit_f32(&self) -> impl Fn(f64) -> f32 + Sync + use<> {
        let (offset, divisor, log, inv) = match *self {
            Self::Linear { lo, hi } => (lo, hi - lo, false, 1.0),
            Self::Log { floor, lo, hi } => (floor, lo, true, (1.0 / (hi / lo).ln()) as f32),
        };
        move |f: f64| {
            if !f.is_finite() {
                return f32::NAN;
            }
            let x = (f - offset) / divisor;
            let u = if log {
                (x.max(1.0) as f32).ln() * inv
            } else {
                x as f32
            };
            u.clamp(0.0, 1.0)
        }
    }

    /// The f at position `u` (inverse of [`Self::unit`] inside the range).
    pub fn value(&self, u: f64) -> f64 {
        match *self {
            Self::Linear { lo, hi } => lo + u * (hi - lo),
            Self::Log { floor, lo, hi } => floor + lo * (hi / lo).powf(u),
        }
    }

    /// `n` contour levels evenly spaced on the scale, at u = (k − ½)/n, k = 1 … n.
    pub fn levels(&self, n: usize) -> Vec<f64> {
        (1..=n)
            .map(|k| self.value((k as f64 - 0.5) / n as f64))
            .collect()
    }
}
