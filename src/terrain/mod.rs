//! The 3D view's geometry: the surface as a height field over the view box, an orbit camera
//! that projects it (and the trajectories lying on it) orthographically onto the screen,
//! the axes with their ticks, and a back-to-front draw list so the surface hides what lies
//! behind it.
//!
//! Heights are linear in f by default ([`Heights::Linear`]): z = (f − f_lo)/(f_hi − f_lo),
//! clamped to [0, 1], with f_lo the lowest sample and f_hi the 95th percentile of the view's
//! samples, so a smooth well stays a smooth well and one tall corner does not flatten the
//! rest; what lies above f_hi is cut flat at the top ([`Terrain::clip`]).
//! [`Heights::Log`] uses the map's colour scale ([`Scale::unit`]) instead, which shows
//! decades above the minimum but turns wells into needles.

use crate::grid::{Grid, Scale};
use crate::surface::{Bounds, Surface};

/// How f becomes height.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Heights {
    /// z = clamp((f − f_lo)/(f_hi − f_lo), 0, 1), f_hi the [`Terrain::CLIP_QUANTILE`] of the samples.
    #[default]
    Linear,
    /// The map's colour scale, [`Scale::fit_grid`]: log in f − f_min on basins and canyons.
    Log,
}

/// A surface sampled on an n×n lattice, heights in [0, 1].
#[derive(Clone, Debug)]
pub struct Terrain {
    pub bounds: Bounds,
    pub n: usize,
    /// `values[j * n + i]`: f at [`Terrain::node`]`(i, j)`.
    pub values: Vec<f64>,
    /// `heights[j * n + i]`, in [0, 1]; NaN where f is not finite.
    pub heights: Vec<f64>,
    pub mode: Heights,
    /// f ↦ height: `Linear { lo: f_lo, hi: f_hi }`, or the map's scale for [`Heights::Log`].
    pub scale: Scale,
    /// The f above which heights are cut flat at 1, if some sample lies above it.
    pub clip: Option<f64>,
}

impl Terrain {
    /// The quantile of the view's finite samples that [`Heights::Linear`] puts at height 1.
    pub const CLIP_QUANTILE: f64 = 0.95;

    /// Sample `surface` at the n×n cell centres of `bounds` (n ≥ 2).
    pub fn sample(surface: &dyn Surface, bounds: Bounds, n: usize, mode: Heights) -> Self {
        let grid = Grid::sample(surface, bounds, n, n, 1);
        let scale = match mode {
            Heights::Linear => linear_scale(&grid.values),
            Heights::Log => Scale::fit_grid(&grid),
        };
        let heights = grid.values.iter().map(|&f| scale.unit(f)).collect();
        let clip = match scale {
            Scale::Linear { hi, .. } if grid.values.iter().any(|&f| f.is_finite() && f > hi) => {
                Some(hi)
            }
            _ => None,
        };
        Self {
            bounds,
            n: grid.nx,
            values: grid.values,
            heights,
            mode,
            scale,
            clip,
        }
    }

    /// Whether node (i, j) stands above [`Terrain::clip`] (drawn flat at height 1).
    pub fn is_clipped(&self, i: usize, j: usize) -> bool {
        let f = self.values[j * self.n + i];
        self.clip.is_some_and(|c| f.is_finite() && f > c)
    }

    /// Half the longer side of the view box and its centre: the cube's unit and origin.
    fn frame(&self) -> (f64, [f64; 2]) {
        let b = self.bounds;
        let half = 0.5 * (b.x[1] - b.x[0]).max(b.y[1] - b.y[0]);
        (half, [0.5 * (b.x[0] + b.x[1]), 0.5 * (b.y[0] + b.y[1])])
    }

    /// A surface point (x, y) at value f, in the cube [−1, 1]² × [0, 1] the camera sees;
    /// the height is the terrain's own (a non-finite f stands at the top).
    pub fn cube(&self, x: f64, y: f64, f: f64) -> [f64; 3] {
        let (half, c) = self.frame();
        let z = if f.is_finite() {
            self.scale.unit(f)
        } else {
            1.0
        };
        [(x - c[0]) / half, (y - c[1]) / half, z]
    }

    /// The lattice node (i, j) in the cube.
    pub fn node(&self, i: usize, j: usize) -> [f64; 3] {
        let b = self.bounds;
        let t = |k: usize| (k as f64 + 0.5) / self.n as f64;
        let x = b.x[0] + t(i) * (b.x[1] - b.x[0]);
        let y = b.y[0] + t(j) * (b.y[1] - b.y[0]);
        let mut p = self.floor(x, y);
        p[2] = self.heights[j * self.n + i];
        p
    }

    /// The point (x, y) on the floor of the cube (height 0).
    fn floor(&self, x: f64, y: f64) -> [f64; 3] {
        let (half, c) = self.frame();
        [(x - c[0]) / half, (y - c[1]) / half, 0.0]
    }
}

/// The [`Heights::Linear`] scale of a set of samples: from the lowest finite sample to
/// their [`Terrain::CLIP_QUANTILE`] (or the highest, if that quantile is the lowest).
fn linear_scale(values: &[f64]) -> Scale {
    let mut finite: Vec<f64> = values.iter().copied().filter(|f| f.is_finite()).collect();
    finite.sort_by(f64::total_cmp);
    let (Some(&lo), Some(&max)) = (finite.first(), finite.last()) else {
        return Scale::Linear { lo: 0.0, hi: 1.0 };
    };
    let q = finite[((finite.len() - 1) as f64 * Terrain::CLIP_QUANTILE).round() as usize];
    let hi = if q > lo { q } else { max };
    Scale::Linear {
        lo,
        hi: if hi > lo { hi } else { lo + 1.0 },
    }
}

/// An orbit camera: `yaw` turns the terrain about the vertical axis, `pitch` is the angle
/// of the line of sight above the horizon (π/2 looks straight down, like the contour map).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Orbit {
    pub yaw: f64,
    pub pitch: f64,
    /// How tall height 1 stands, relative to the half-width of the base.
    pub relief: f64,
}

impl Default for Orbit {
    fn default() -> Self {
        Self {
            yaw: -0.6,
            pitch: 0.6,
            relief: 0.8,
        }
    }
}

impl Orbit {
    /// Screen coordinates (right, up) and depth (larger is nearer the viewer) of a cube
    /// point, orthographically: rotate by yaw about z, then tilt by pitch about the x axis.
    pub fn project(&self, p: [f64; 3]) -> [f64; 3] {
        let (sy, cy) = self.yaw.sin_cos();
        let (sp, cp) = self.pitch.sin_cos();
        let x = cy * p[0] - sy * p[1];
        let y = sy * p[0] + cy * p[1];
        let z = (p[2] - 0.5) * self.relief;
        // Looking down at `pitch`: screen-up mixes the far direction (y) and height (z).
        [x, sp * y + cp * z, -cp * y + sp * z]
    }

    /// Turn by a drag of (dx, dy) in units of the view's half-width; pitch stays within
    /// 5° … 90° so the terrain never flips over.
    pub fn drag(&mut self, dx: f64, dy: f64) {
        self.yaw -= dx * 1.5;
        self.pitch = (self.pitch + dy * 1.5).clamp(5f64.to_radians(), std::f64::consts::FRAC_PI_2);
    }
}

impl Terrain {
    /// The base of the cube: `[[x_min, x_max], [y_min, y_max]]` of the view box.
    fn base(&self) -> [[f64; 2]; 2] {
        let b = self.bounds;
        let (lo, hi) = (self.floor(b.x[0], b.y[0]), self.floor(b.x[1], b.y[1]));
        [[lo[0], hi[0]], [lo[1], hi[1]]]
    }

    /// The axes for the camera `orbit`: x and y along the base edges nearer the viewer, f
    /// standing at the base corner furthest left on screen; 3–6 ticks each at 1, 2 or
    /// 5 × 10^k (log-spaced on a log scale), their labels just outside the box.
    pub fn axes(&self, orbit: &Orbit) -> Axes {
        const OUT: f64 = 0.12;
        let b = self.bounds;
        let [bx, by] = self.base();
        let (sy, cy) = orbit.yaw.sin_cos();
        // Nearer the viewer is smaller y' = sin(yaw)·x + cos(yaw)·y.
        let (x_edge, x_out) = if sy > 0.0 { (0, -OUT) } else { (1, OUT) };
        let (y_edge, y_out) = if cy >= 0.0 { (0, -OUT) } else { (1, OUT) };
        let x = axis(
            [[bx[0], by[y_edge], 0.0], [bx[1], by[y_edge], 0.0]],
            linear_ticks(b.x[0], b.x[1]),
            |v| self.floor(v, b.y[y_edge]),
            [0.0, y_out, 0.0],
        );
        let y = axis(
            [[bx[x_edge], by[0], 0.0], [bx[x_edge], by[1], 0.0]],
            linear_ticks(b.y[0], b.y[1]),
            |v| self.floor(b.x[x_edge], v),
            [x_out, 0.0, 0.0],
        );
        // Leftmost on screen is smallest x'' = cos(yaw)·x − sin(yaw)·y; ties go to the nearer.
        let corners = [0, 1].map(|i| [0, 1].map(|j| [bx[i], by[j]]));
        let left = |p: &[f64; 2]| cy * p[0] - sy * p[1];
        let near = |p: &[f64; 2]| sy * p[0] + cy * p[1];
        let corner = corners
            .into_iter()
            .flatten()
            .min_by(|p, q| {
                let d = left(p) - left(q);
                if d.abs() > 1e-9 {
                    d.total_cmp(&0.0)
                } else {
                    near(p).total_cmp(&near(q))
                }
            })
            .unwrap_or([bx[0], by[0]]);
        let norm = corner[0].hypot(corner[1]).max(f64::MIN_POSITIVE);
        let f_ticks = match self.scale {
            Scale::Linear { lo, hi } => linear_ticks(lo, hi),
            Scale::Log { floor, lo, hi } => log_ticks(floor, lo, hi),
        };
        let f = axis(
            [[corner[0], corner[1], 0.0], [corner[0], corner[1], 1.0]],
            f_ticks,
            |v| [corner[0], corner[1], self.scale.unit(v)],
            [OUT * corner[0] / norm, OUT * corner[1] / norm, 0.0],
        );
        Axes { x, y, f }
    }
}

/// [`Terrain::axes`]: x and y along the base, f standing at a corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Axes {
    pub x: Axis,
    pub y: Axis,
    pub f: Axis,
}

/// An axis of the 3D view, in cube coordinates (project with [`Orbit::project`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The axis line.
    pub ends: [[f64; 3]; 2],
    /// Increasing in value and along the line.
    pub ticks: Vec<Tick>,
}

/// A tick on an [`Axis`].
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub value: f64,
    /// On the axis line.
    pub at: [f64; 3],
    /// Where the label goes: outside the box, level with `at`.
    pub label_at: [f64; 3],
    /// Short: "−2", "0.5", "1.5e3".
    pub label: String,
}

/// An axis through `ends` with `ticks` = (values, step for the labels) placed by `at`.
fn axis(
    ends: [[f64; 3]; 2],
    (values, step): (Vec<f64>, f64),
    at: impl Fn(f64) -> [f64; 3],
    out: [f64; 3],
) -> Axis {
    let ticks = values
        .into_iter()
        .map(|value| {
            let p = at(value);
            Tick {
                value,
                at: p,
                label_at: [p[0] + out[0], p[1] + out[1], p[2] + out[2]],
                label: label(value, step),
            }
        })
        .collect();
    Axis { ends, ticks }
}

/// 1, 2 or 5 × 10^e for e = ⌊log10 |v|⌋, chosen by `pick` from the mantissas 1, 2, 5, 10
/// of |v|'s decade and given v's sign; 0 for 0.
fn nice(v: f64, pick: impl Fn(f64, &[f64; 4]) -> f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let e = v.abs().log10().floor() as i32;
    let unit = if e >= 0 {
        10f64.powi(e)
    } else {
        1.0 / 10f64.powi(-e)
    };
    v.signum() * pick(v.abs() / unit, &[1.0, 2.0, 5.0, 10.0]) * unit
}

/// The 1-2-5 number nearest v in ratio.
fn nice_nearest(v: f64) -> f64 {
    nice(v, |m, c| {
        c.iter()
            .copied()
            .min_by(|a, b| (m / a).ln().abs().total_cmp(&(m / b).ln().abs()))
            .unwrap_or(1.0)
    })
}

/// The 1-2-5 number nearest v on the side of `up` (≥ v if up, else ≤ v).
fn nice_toward(v: f64, up: bool) -> f64 {
    // For negative v, rounding up is rounding |v| down.
    let bigger = up == (v > 0.0);
    nice(v, |m, c| {
        let eps = 1e-9;
        if bigger {
            c.iter().copied().find(|&c| c >= m - eps).unwrap_or(10.0)
        } else {
            c.iter()
                .copied()
                .rev()
                .find(|&c| c <= m + eps)
                .unwrap_or(1.0)
        }
    })
}

/// Ticks over [a, b]: the multiples of a step 1, 2 or 5 × 10^k giving 3–6 ticks, closest
/// to 5 (the larger step on a tie); with the step, for the labels.
fn linear_ticks(a: f64, b: f64) -> (Vec<f64>, f64) {
    let span = b - a;
    if !(span > 0.0 && span.is_finite()) {
        return (Vec::new(), 0.0);
    }
    let e = span.log10().floor() as i32;
    let range = |step: f64| {
        let eps = 1e-9;
        (
            (a / step - eps).ceil() as i64,
            (b / step + eps).floor() as i64,
        )
    };
    let mut best: Option<((bool, u64), f64)> = None;
    for e in (e - 2..=e + 1).rev() {
        for m in [5.0, 2.0, 1.0] {
            let step = if e >= 0 {
                m * 10f64.powi(e)
            } else {
                m / 10f64.powi(-e)
            };
            let (first, last) = range(step);
            let count = (last - first + 1).max(0) as u64;
            let score = (!(3..=6).contains(&count), count.abs_diff(5));
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, step));
            }
        }
    }
    let Some((_, step)) = best else {
        return (Vec::new(), 0.0);
    };
    let (first, last) = range(step);
    ((first..=last).map(|k| k as f64 * step).collect(), step)
}

/// Ticks for a [`Scale::Log`]: 1-2-5 values of f near floor + lo·(hi/lo)^u for
/// u = 0, ¼, ½, ¾, 1 (the ends rounded inward), kept where the scale maps them into [0, 1].
fn log_ticks(floor: f64, lo: f64, hi: f64) -> (Vec<f64>, f64) {
    if !(lo > 0.0 && hi > lo && floor.is_finite() && hi.is_finite()) {
        return (Vec::new(), 0.0);
    }
    let target = |u: f64| floor + lo * (hi / lo).powf(u);
    let mut values: Vec<f64> = (0..=4)
        .map(|k| match k {
            0 => nice_toward(target(0.0), true),
            4 => nice_toward(target(1.0), false),
            _ => nice_nearest(target(k as f64 / 4.0)),
        })
        .filter(|v| {
            let d = v - floor;
            d >= lo * (1.0 - 1e-9) && d <= hi * (1.0 + 1e-9)
        })
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    (values, 0.0)
}

/// A short label for v, a multiple of `step` (of itself if `step` is 0): "−2", "0.5",
/// "1.5e3" (exponent form from 10³ and below 10⁻³), with as many digits as the step needs.
fn label(v: f64, step: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 || v.abs() < step * 1e-6 {
        return "0".into();
    }
    let step = if step > 0.0 { step } else { v.abs() };
    let step_exp = step.log10().floor() as i32;
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let sign = if v < 0.0 { "\u{2212}" } else { "" };
    let a = v.abs();
    let e = a.log10().floor() as i32;
    let text = if !(-3..3).contains(&e) {
        let decimals = (e - step_exp).max(0) as usize;
        let m = trim(format!("{:.*}", decimals, a / 10f64.powi(e)));
        let minus = if e < 0 { "\u{2212}" } else { "" };
        format!("{m}e{minus}{}", e.abs())
    } else {
        trim(format!("{:.*}", (-step_exp).max(0) as usize, a))
    };
    format!("{sign}{text}")
}

impl Terrain {
    /// How far path points are lifted above the surface, in height units.
    pub const LIFT: f64 = 0.01;
    /// How far under the lattice a path piece away from its segment's ends counts as hidden.
    pub const BELOW: f64 = 0.05;
    /// Continuous lattice coordinates (node i at i) of the cube point (x, y).
    fn lattice(&self, x: f64, y: f64) -> [f64; 2] {
        let b = self.bounds;
        let (half, c) = self.frame();
        let n = self.n as f64;
        [
            (c[0] + x * half - b.x[0]) / (b.x[1] - b.x[0]) * n - 0.5,
            (c[1] + y * half - b.y[0]) / (b.y[1] - b.y[0]) * n - 0.5,
        ]
    }

    /// The bilinear height of the lattice at lattice coordinates `l` (clamped to it).
    fn height_at(&self, l: [f64; 2]) -> f64 {
        bilinear(&self.heights, self.n, l).unwrap_or(f64::NAN)
    }

    /// What hides a point from `orbit`: at each node, the highest the surface rises above
    /// the line of sight toward the viewer, counted from one lattice step away.
    ///
    /// With d the unit horizontal direction toward the viewer, −(sin yaw, cos yaw), and
    /// k = tan(pitch)/relief the line of sight's rise in height per unit of the cube's base,
    /// the occluder O(p) = max_{s ≥ λ} h(p + s·d) − s·k obeys O(p) = M(p + λd) − λk with
    /// M = max(h, O), λ the distance to the next lattice row (or column) toward the viewer:
    /// one sweep away from the viewer, M linearly interpolated along that row. A point at
    /// height z is hidden when O > z. Starting a step away ignores the lattice's own
    /// sampling error (a path in a sharp minimum lies below its cell's corners).
    fn horizon(&self, orbit: &Orbit) -> Horizon {
        let n = self.n;
        let (half, _) = self.frame();
        let b = self.bounds;
        let h = [b.x[1] - b.x[0], b.y[1] - b.y[0]].map(|w| w / (n as f64 * half));
        let (sy, cy) = orbit.yaw.sin_cos();
        // Toward the viewer in lattice steps, the larger component ±1.
        let d = [-sy / h[0], -cy / h[1]];
        let scale = d[0].abs().max(d[1].abs());
        let step = d.map(|v| v / scale);
        let drop = orbit.pitch.tan() / orbit.relief / scale;
        let mut m = vec![f64::NEG_INFINITY; n * n];
        // Sweep rows (or columns) starting from the one nearest the viewer.
        let along_x = step[0].abs() == 1.0;
        let order = |k: usize, toward: f64| if toward < 0.0 { k } else { n - 1 - k };
        for outer in 0..n {
            for inner in 0..n {
                let (i, j) = if along_x {
                    (order(outer, step[0]), inner)
                } else {
                    (inner, order(outer, step[1]))
                };
                let q = [i as f64 + step[0], j as f64 + step[1]];
                let o = bilinear(&m, n, q).map_or(f64::NEG_INFINITY, |v| v - drop);
                m[j * n + i] = o.max(self.heights[j * n + i]);
            }
        }
        Horizon { m, step, drop }
    }

    /// Whether the cube point p (lattice coordinates `l`) is hidden from the viewer.
    fn hidden(&self, horizon: &Horizon, p: [f64; 3], l: [f64; 2]) -> bool {
        let q = [l[0] + horizon.step[0], l[1] + horizon.step[1]];
        bilinear(&horizon.m, self.n, q).is_some_and(|v| v - horizon.drop > p[2])
    }

    /// Everything the 3D view paints, back to front, as seen by `orbit` (pitch in (0, π/2]): the path pieces
    /// the surface hides, then each lattice cell with finite corners by its centroid's
    /// depth (painter's algorithm), then the visible pieces and heads by their depth.
    ///
    /// `paths[r]` is run r's trajectory in the cube ([`Terrain::cube`]), lifted by
    /// [`Terrain::LIFT`]; a non-finite point breaks it, and it is clipped to the base. Its
    /// segments are cut into pieces at most half a cell long, each hidden if the surface
    /// rises above its line of sight (a horizon map, O(n²) per camera) or if, away
    /// from the segment's ends, it runs more than [`Terrain::BELOW`] under the lattice (a
    /// long chord through a hill). Sorting the pieces among the cells by depth instead
    /// misorders a stroke on a wall facing away from the viewer and one in a well sampled
    /// shallower than it is. O(n² + N log N) for N primitives, one allocation besides the sort's.
    pub fn draw_list(&self, orbit: &Orbit, paths: &[Vec<[f64; 3]>]) -> Vec<Paint> {
        let n = self.n;
        let cells = n.saturating_sub(1).pow(2);
        let points: usize = paths.iter().map(Vec::len).sum();
        let mut list = Vec::with_capacity(cells + 2 * points + paths.len());
        let screen = |q: [f64; 3]| [q[0], q[1]];
        for j in 0..n.saturating_sub(1) {
            for i in 0..n - 1 {
                let corners =
                    [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)].map(|(i, j)| self.node(i, j));
                if corners.iter().any(|c| !c[2].is_finite()) {
                    continue;
                }
                let q = corners.map(|c| orbit.project(c));
                list.push(Paint {
                    depth: q.iter().map(|q| q[2]).sum::<f64>() / 4.0,
                    item: Item::Cell {
                        cell: [i, j],
                        corners: q.map(screen),
                        height: corners.iter().map(|c| c[2]).sum::<f64>() / 4.0,
                    },
                });
            }
        }
        let horizon = self.horizon(orbit);
        let (half, _) = self.frame();
        let b = self.bounds;
        let cell = (b.x[1] - b.x[0]).min(b.y[1] - b.y[0]) / (n as f64 * half);
        let piece = 0.5 * cell;
        let [bx, by] = self.base();
        let lift = |p: [f64; 3]| [p[0], p[1], p[2] + Self::LIFT];
        // Hidden: behind the horizon, or (`on`: away from the segment's sampled ends)
        // under the lattice.
        let hidden = |p: [f64; 3], on: bool| {
            let l = self.lattice(p[0], p[1]);
            self.hidden(&horizon, p, l) || (!on && p[2] < self.height_at(l) - Self::BELOW)
        };
        for (run, path) in paths.iter().enumerate() {
            for (step, w) in path.windows(2).enumerate() {
                let Some([a, c]) = clip_to_base([w[0], w[1]], bx, by) else {
                    continue;
                };
                let (a, c) = (lift(a), lift(c));
                let len = (c[0] - a[0]).hypot(c[1] - a[1]);
                let pieces = ((len / piece).ceil() as usize).clamp(1, 4 * n);
                let at = |t: f64| [0, 1, 2].map(|k| a[k] + t * (c[k] - a[k]));
                let near_end = |p: [f64; 3]| {
                    let d = |e: [f64; 3]| (p[0] - e[0]).hypot(p[1] - e[1]);
                    d(w[0]).min(d(w[1])) <= cell
                };
                for k in 0..pieces {
                    let t = |k: usize| k as f64 / pieces as f64;
                    let mid = at((k as f64 + 0.5) / pieces as f64);
                    list.push(Paint {
                        depth: orbit.project(mid)[2],
                        item: Item::Segment {
                            run,
                            step,
                            ends: [at(t(k)), at(t(k + 1))].map(|p| screen(orbit.project(p))),
                            hidden: hidden(mid, near_end(mid)),
                        },
                    });
                }
            }
            if let Some(&p) = path.last()
                && p.iter().all(|v| v.is_finite())
                && (bx[0]..=bx[1]).contains(&p[0])
                && (by[0]..=by[1]).contains(&p[1])
            {
                let q = orbit.project(lift(p));
                list.push(Paint {
                    depth: q[2],
                    item: Item::Head {
                        run,
                        at: screen(q),
                        hidden: hidden(lift(p), true),
                    },
                });
            }
        }
        list.sort_by(|a, b| a.layer().cmp(&b.layer()).then(a.depth.total_cmp(&b.depth)));
        list
    }
}

/// One thing [`Terrain::draw_list`] paints, with its depth ([`Orbit::project`]'s third
/// component, larger is nearer; a cell's is its corners' mean).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    pub depth: f64,
    pub item: Item,
}

impl Paint {
    /// Hidden path pieces first, then the surface, then what is seen on it.
    fn layer(&self) -> u8 {
        match self.item {
            Item::Segment { hidden: true, .. } | Item::Head { hidden: true, .. } => 0,
            Item::Cell { .. } => 1,
            _ => 2,
        }
    }
}

/// Screen points are (right, up), [`Orbit::project`]'s first two components.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Item {
    /// The lattice cell between nodes (i, j) and (i + 1, j + 1): its corners (i, j),
    /// (i + 1, j), (i + 1, j + 1), (i, j + 1) on screen, and its mean height in [0, 1].
    Cell {
        cell: [usize; 2],
        corners: [[f64; 2]; 4],
        height: f64,
    },
    /// A piece of the segment from point `step` to point `step + 1` of path `run`;
    /// `hidden` if the surface is in front of it (then it comes before every cell).
    Segment {
        run: usize,
        step: usize,
        ends: [[f64; 2]; 2],
        hidden: bool,
    },
    /// Path `run`'s last point.
    Head {
        run: usize,
        at: [f64; 2],
        hidden: bool,
    },
}

/// [`Terrain::horizon`]: M = max(h, O) at the nodes, the lattice step toward the viewer,
/// and the line of sight's rise over that step.
struct Horizon {
    m: Vec<f64>,
    step: [f64; 2],
    drop: f64,
}

/// Bilinear interpolation of the n×n node values `v` at lattice coordinates `l`, None
/// outside the lattice; the highest finite corner of those weighted if one is not finite,
/// None if none is.
fn bilinear(v: &[f64], n: usize, l: [f64; 2]) -> Option<f64> {
    let last = n.checked_sub(1)? as f64;
    if !l.iter().all(|&c| (-1e-9..=last + 1e-9).contains(&c)) {
        return None;
    }
    let [x, y] = l.map(|c| c.clamp(0.0, last));
    let (i, j) = (
        (x.floor()).min(last - 1.0).max(0.0),
        (y.floor()).min(last - 1.0).max(0.0),
    );
    let (u, w) = (x - i, y - j);
    let (i, j) = (i as usize, j as usize);
    let corners = [
        (0, 0, (1.0 - u) * (1.0 - w)),
        (1, 0, u * (1.0 - w)),
        (0, 1, (1.0 - u) * w),
        (1, 1, u * w),
    ];
    let mut sum = 0.0;
    let mut highest = f64::NEG_INFINITY;
    let mut all = true;
    for (a, b, weight) in corners {
        if weight > 0.0 {
            let value = v[(j + b) * n + i + a];
            if value.is_finite() {
                sum += weight * value;
                highest = highest.max(value);
            } else {
                all = false;
            }
        }
    }
    if all {
        Some(sum)
    } else {
        highest.is_finite().then_some(highest)
    }
}

/// The part of segment `s` over the base [bx] × [by] (Liang–Barsky in x and y), if any;
/// None too if an end is not finite.
fn clip_to_base(s: [[f64; 3]; 2], bx: [f64; 2], by: [f64; 2]) -> Option<[[f64; 3]; 2]> {
    if s.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    let (a, c) = (s[0], s[1]);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (k, [lo, hi]) in [(0, bx), (1, by)] {
        let d = c[k] - a[k];
        for (p, q) in [(-d, a[k] - lo), (d, hi - a[k])] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else if p < 0.0 {
                t0 = t0.max(q / p);
            } else {
                t1 = t1.min(q / p);
            }
        }
    }
    let at = |t: f64| [0, 1, 2].map(|k| a[k] + t * (c[k] - a[k]));
    let s = [at(t0), at(t1)];
    (t0 <= t1 && s.iter().flatten().all(|v| v.is_finite())).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surface::Landscape;

    fn close(a: [f64; 3], b: [f64; 3]) -> bool {
        a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-12)
    }

    #[test]
    fn looking_straight_down_is_the_contour_map() {
        let top = Orbit {
            yaw: 0.0,
            pitch: std::f64::consts::FRAC_PI_2,
            relief: 1.0,
        };
        // x right, y up, height toward the viewer.
        assert!(close(top.project([0.3, -0.7, 0.9]), [0.3, -0.7, 0.4]));
    }

    #[test]
    fn from_the_side_height_is_up_and_yaw_turns_the_base() {
        let side = Orbit {
            yaw: 0.0,
            pitch: 0.0,
            relief: 1.0,
        };
        // Height 1 stands 0.5 above the middle; the far direction (y) is depth.
        assert!(close(side.project([0.2, 0.4, 1.0]), [0.2, 0.5, -0.4]));
        let turned = Orbit {
            yaw: std::f64::consts::FRAC_PI_2,
            ..side
        };
        // A quarter turn brings +y to the screen's left.
        assert!(close(turned.project([0.0, 1.0, 0.5]), [-1.0, 0.0, 0.0]));
        let mut o = Orbit::default();
        o.drag(0.0, 10.0);
        assert_eq!(o.pitch, std::f64::consts::FRAC_PI_2);
        o.drag(0.0, -10.0);
        assert!((o.pitch - 5f64.to_radians()).abs() < 1e-15);
    }

    #[test]
    fn terrain_heights_follow_the_map_scale() {
        let bowl = Landscape::parse("quadratic").unwrap();
        let t = Terrain::sample(bowl.surface.as_ref(), Bounds::square(2.0), 20, Heights::Log);
        assert_eq!(t.heights.len(), 400);
        assert!(t.heights.iter().all(|h| (0.0..=1.0).contains(h)));
        // The middle is the lowest, a corner the highest.
        let low = t.node(10, 10)[2];
        assert!(low < t.node(0, 0)[2] && low < t.node(19, 10)[2]);
        assert!(close(
            t.cube(2.0, -2.0, 0.5 * 8.0),
            [1.0, -1.0, t.scale.unit(4.0)]
        ));
    }

    const SURFACES: [&str; 5] = [
        "quadratic:kappa=25",
        "rosenbrock",
        "saddle-escape",
        "himmelblau",
        "rastrigin",
    ];

    fn terrain(spec: &str, mode: Heights) -> (Landscape, Terrain) {
        let l = Landscape::parse(spec).unwrap();
        let t = Terrain::sample(l.surface.as_ref(), l.view, 48, mode);
        (l, t)
    }

    /// The largest height step between neighbouring nodes: a needle shows as a big one.
    fn steepest(t: &Terrain) -> f64 {
        let n = t.n;
        let z = |i: usize, j: usize| t.heights[j * n + i];
        (0..n - 1)
            .flat_map(|j| (0..n - 1).map(move |i| (i, j)))
            .map(|(i, j)| {
                (z(i + 1, j) - z(i, j))
                    .abs()
                    .max((z(i, j + 1) - z(i, j)).abs())
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn log_heights_are_the_maps_colour_scale() {
        for spec in SURFACES {
            let (l, t) = terrain(spec, Heights::Log);
            let grid = Grid::sample(l.surface.as_ref(), l.view, 48, 48, 1);
            let scale = Scale::fit_grid(&grid);
            assert_eq!(t.scale, scale);
            assert!(t.clip.is_none());
            for (h, f) in t.heights.iter().zip(&grid.values) {
                assert_eq!(h.to_bits(), scale.unit(*f).to_bits());
            }
        }
    }

    #[test]
    fn linear_heights_rise_with_f_and_are_cut_flat_above_the_95th_percentile() {
        for spec in SURFACES {
            let (l, t) = terrain(spec, Heights::Linear);
            let mut nodes: Vec<(f64, f64)> = t
                .values
                .iter()
                .copied()
                .zip(t.heights.iter().copied())
                .collect();
            nodes.sort_by(|a, b| a.0.total_cmp(&b.0));
            assert_eq!(nodes[0].1, 0.0, "{spec}");
            assert!(nodes.windows(2).all(|w| w[0].1 <= w[1].1 && w[1].1 <= 1.0));
            let clip = t.clip.unwrap();
            assert_eq!(
                t.scale,
                Scale::Linear {
                    lo: nodes[0].0,
                    hi: clip
                }
            );
            let clipped = (0..t.n * t.n)
                .filter(|k| t.is_clipped(k % t.n, k / t.n))
                .inspect(|&k| assert_eq!(t.heights[k], 1.0))
                .count();
            // The top 5 %, less any ties at the quantile.
            assert!((100..=116).contains(&clipped), "{spec}: {clipped}");
            // A path point takes the height of the node it sits on.
            let [x, y] = Grid::sample(l.surface.as_ref(), l.view, 48, 48, 1).node(7.0, 30.0);
            assert_eq!(
                t.cube(x, y, t.values[30 * 48 + 7])[2],
                t.heights[30 * 48 + 7]
            );
        }
    }

    #[test]
    fn linear_heights_keep_wells_smooth_and_rosenbrocks_valley_low() {
        for spec in SURFACES {
            let (linear, log) = (
                terrain(spec, Heights::Linear).1,
                terrain(spec, Heights::Log).1,
            );
            assert!(steepest(&linear) < steepest(&log), "{spec}");
        }
        // Along the valley floor y = x² (the node nearest it in each column), Rosenbrock
        // lies flat at the bottom; on the log scale its floor rises to 0.4 in a comb.
        let floor = |t: &Terrain| -> Vec<f64> {
            (0..48)
                .filter_map(|i| {
                    let x = -2.0 + (i as f64 + 0.5) / 12.0;
                    let j = ((x * x + 1.0) * 12.0 - 0.5).round();
                    (j < 48.0).then(|| t.heights[j as usize * 48 + i])
                })
                .collect()
        };
        let linear = floor(&terrain("rosenbrock", Heights::Linear).1);
        assert!(linear.len() > 40);
        assert!(linear.iter().all(|&z| z < 0.01), "{linear:?}");
        let log = floor(&terrain("rosenbrock", Heights::Log).1);
        assert!(log.iter().filter(|&&z| z < 0.1).count() < log.len() / 2);
    }

    const TOP: Orbit = Orbit {
        yaw: 0.3,
        pitch: std::f64::consts::FRAC_PI_2,
        relief: 0.8,
    };

    #[test]
    fn ticks_are_nice_numbers_inside_the_view_in_order() {
        let nice = |v: f64| {
            let m = v.abs() / 10f64.powf(v.abs().log10().floor());
            v == 0.0 || [1.0, 2.0, 5.0].iter().any(|c| (m - c).abs() < 1e-9)
        };
        let orbits = [
            Orbit::default(),
            TOP,
            Orbit {
                yaw: 2.5,
                pitch: 0.3,
                relief: 1.0,
            },
        ];
        for spec in SURFACES {
            for mode in [Heights::Linear, Heights::Log] {
                let (l, t) = terrain(spec, mode);
                for orbit in &orbits {
                    let axes = t.axes(orbit);
                    let f_range = match t.scale {
                        Scale::Linear { lo, hi } => [lo, hi],
                        Scale::Log { floor, lo, hi } => [floor + lo, floor + hi],
                    };
                    for (axis, [lo, hi], log) in [
                        (&axes.x, l.view.x, false),
                        (&axes.y, l.view.y, false),
                        (&axes.f, f_range, matches!(t.scale, Scale::Log { .. })),
                    ] {
                        let values: Vec<f64> = axis.ticks.iter().map(|t| t.value).collect();
                        assert!((3..=6).contains(&values.len()), "{spec} {values:?}");
                        assert!(
                            values.iter().all(|v| (lo..=hi).contains(v)),
                            "{spec} {values:?}"
                        );
                        assert!(values.windows(2).all(|w| w[0] < w[1]));
                        if log {
                            assert!(values.iter().all(|&v| nice(v)), "{spec} {values:?}");
                        } else {
                            // Multiples of a 1-2-5 step.
                            let step = values[1] - values[0];
                            assert!(nice(step), "{spec} {values:?}");
                            assert!(
                                values
                                    .iter()
                                    .all(|v| (v / step - (v / step).round()).abs() < 1e-9)
                            );
                        }
                        // On the axis line, in order along it, labels outside the base.
                        let [a, b] = axis.ends;
                        let along = |p: [f64; 3]| {
                            let d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
                            let t = ((p[0] - a[0]) * d[0]
                                + (p[1] - a[1]) * d[1]
                                + (p[2] - a[2]) * d[2])
                                / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                            let off = [0, 1, 2].map(|k| p[k] - a[k] - t * d[k]);
                            assert!(off.iter().all(|o| o.abs() < 1e-12));
                            t
                        };
                        let ts: Vec<f64> = axis.ticks.iter().map(|t| along(t.at)).collect();
                        assert!(
                            ts.windows(2).all(|w| w[0] < w[1])
                                && ts[0] >= -1e-12
                                && ts[ts.len() - 1] <= 1.0 + 1e-12
                        );
                        assert!(
                            axis.ticks
                                .iter()
                                .all(|t| t.label_at[0].abs().max(t.label_at[1].abs()) > 1.0)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn axes_run_along_the_base_edges_facing_the_viewer() {
        let (_, t) = terrain("rosenbrock", Heights::Linear);
        for yaw in [-2.5, -0.6, 0.4, 1.8, 3.0] {
            let orbit = Orbit {
                yaw,
                ..Orbit::default()
            };
            let axes = t.axes(&orbit);
            let depth = |e: [[f64; 3]; 2]| orbit.project(e[0])[2] + orbit.project(e[1])[2];
            let mirror = |e: [[f64; 3]; 2], k: usize| {
                e.map(|mut p| {
                    p[k] = -p[k];
                    p
                })
            };
            // Rosenbrock's view is square: each edge's opposite is its mirror image.
            assert!(depth(axes.x.ends) >= depth(mirror(axes.x.ends, 1)));
            assert!(depth(axes.y.ends) >= depth(mirror(axes.y.ends, 0)));
            // f stands at the corner furthest left on screen.
            let [foot, top] = axes.f.ends;
            assert_eq!((foot[2], top[2]), (0.0, 1.0));
            let left = orbit.project(foot)[0];
            for c in [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]] {
                assert!(left <= orbit.project([c[0], c[1], 0.0])[0] + 1e-12);
            }
        }
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(label(-2.0, 1.0), "\u{2212}2");
        assert_eq!(label(0.5, 0.5), "0.5");
        assert_eq!(label(1.0, 0.5), "1");
        assert_eq!(label(0.30000000000000004, 0.1), "0.3");
        assert_eq!(label(1000.0, 500.0), "1e3");
        assert_eq!(label(1500.0, 500.0), "1.5e3");
        assert_eq!(label(-2e-4, 2e-4), "\u{2212}2e\u{2212}4");
        assert_eq!(label(1e-12, 0.5), "0");
        assert_eq!(label(200.0, 0.0), "200");
    }

    /// A path through `xs` on the true surface, in the cube.
    fn on_surface(l: &Landscape, t: &Terrain, xs: &[[f64; 2]]) -> Vec<[f64; 3]> {
        xs.iter()
            .map(|&[x, y]| t.cube(x, y, l.surface.value(crate::P2::new(x, y))))
            .collect()
    }

    /// A straight path from a to b in `k` steps.
    fn line(a: [f64; 2], b: [f64; 2], k: usize) -> Vec<[f64; 2]> {
        (0..=k)
            .map(|s| {
                let t = s as f64 / k as f64;
                [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
            })
            .collect()
    }

    /// Where cell (i, j) is in the draw list.
    fn cell_positions(list: &[Paint], n: usize) -> Vec<usize> {
        let mut at = vec![usize::MAX; n * n];
        for (k, p) in list.iter().enumerate() {
            if let Item::Cell { cell: [i, j], .. } = p.item {
                at[j * n + i] = k;
            }
        }
        at
    }

    /// The depth of cell (i, j) as filled (two triangles) at screen point s, if it covers s.
    fn depth_at(t: &Terrain, orbit: &Orbit, [i, j]: [usize; 2], s: [f64; 2]) -> Option<f64> {
        let q = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            .map(|(i, j)| orbit.project(t.node(i, j)));
        [[0, 1, 2], [0, 2, 3]].into_iter().find_map(|[a, b, c]| {
            let (a, b, c) = (q[a], q[b], q[c]);
            let det = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
            let u = ((s[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (s[1] - a[1])) / det;
            let v = ((b[0] - a[0]) * (s[1] - a[1]) - (s[0] - a[0]) * (b[1] - a[1])) / det;
            (u >= 0.0 && v >= 0.0 && u + v <= 1.0)
                .then(|| a[2] + u * (b[2] - a[2]) + v * (c[2] - a[2]))
        })
    }

    #[test]
    fn from_above_the_bowl_is_painted_bottom_first_and_a_path_on_it_last() {
        let bowl = Landscape::parse("quadratic").unwrap();
        let t = Terrain::sample(
            bowl.surface.as_ref(),
            Bounds::square(2.0),
            20,
            Heights::Linear,
        );
        let path = on_surface(&bowl, &t, &[[-0.08, 0.03], [0.06, -0.02]]);
        let list = t.draw_list(&TOP, &[path]);
        // Straight down, depth is height: cells come lowest first, the bottom before the rim.
        let heights: Vec<f64> = list
            .iter()
            .filter_map(|p| match p.item {
                Item::Cell { height, .. } => Some(height),
                _ => None,
            })
            .collect();
        assert_eq!(heights.len(), 19 * 19);
        assert!(heights.windows(2).all(|w| w[0] <= w[1] + 1e-12));
        let at = cell_positions(&list, t.n);
        let (bottom, rim) = (at[9 * 20 + 9], at[0]);
        assert!(bottom < rim && bottom < at[18 * 20 + 9] && bottom < at[9 * 20 + 18]);
        // The segment (one piece or more) and the head come after every cell, the one
        // they lie on included.
        let first_path = list
            .iter()
            .position(|p| !matches!(p.item, Item::Cell { .. }));
        assert_eq!(first_path, Some(heights.len()));
        assert!(list[heights.len()..].iter().all(|p| match p.item {
            Item::Segment {
                run, step, hidden, ..
            } => (run, step, hidden) == (0, 0, false),
            Item::Head { run, hidden, .. } => (run, hidden) == (0, false),
            Item::Cell { .. } => false,
        }));
        assert!(matches!(
            list.last().map(|p| p.item),
            Some(Item::Head { .. })
        ));
    }

    #[test]
    fn a_path_behind_a_hill_is_painted_before_the_hill() {
        let hill = Landscape::parse("expr:exp(-2*(x^2 + y^2))").unwrap();
        let t = Terrain::sample(
            hill.surface.as_ref(),
            Bounds::square(2.0),
            32,
            Heights::Linear,
        );
        // Low, from the −y side: the hill stands between the viewer and y = 1.2.
        let side = Orbit {
            yaw: 0.0,
            pitch: 0.15,
            relief: 0.8,
        };
        let behind = on_surface(&hill, &t, &line([-0.3, 1.2], [0.3, 1.2], 6));
        let before = on_surface(&hill, &t, &line([-0.3, -1.2], [0.3, -1.2], 6));
        let list = t.draw_list(&side, &[behind, before]);
        let at = cell_positions(&list, t.n);
        // The hill's front: its upper half, on the viewer's side of the top.
        let front: Vec<usize> = (0..31 * 31)
            .map(|k| (k % 31, k / 31))
            .filter(|&(i, j)| j < 15 && t.node(i, j)[2] > 0.5)
            .map(|(i, j)| at[j * 32 + i])
            .collect();
        assert!(!front.is_empty());
        for (k, p) in list.iter().enumerate() {
            if let Item::Segment { run, hidden, .. } = p.item {
                // Behind the hill: hidden, before its front; in front of it: seen, after.
                assert_eq!(hidden, run == 0);
                assert!(front.iter().all(|&c| (c > k) == (run == 0)));
            }
        }
    }

    #[test]
    fn what_the_draw_list_shows_is_what_the_surface_does_not_hide() {
        // Against the surface as filled: at each piece's middle on screen, the cells more
        // than a cell and a half away that cover it must not be nearer if the piece is
        // shown; something must be in front of (or level with) it if it is hidden.
        let cases = [
            ("quadratic:kappa=25", Orbit::default()),
            (
                "quadratic:kappa=25",
                Orbit {
                    yaw: 2.2,
                    pitch: 0.35,
                    relief: 0.8,
                },
            ),
            (
                "saddle-escape",
                Orbit {
                    yaw: -2.8,
                    pitch: 1.0,
                    relief: 1.2,
                },
            ),
            ("himmelblau", Orbit::default()),
        ];
        for (spec, orbit) in cases {
            let (l, t) = terrain(spec, Heights::Linear);
            let b = l.view;
            let w = |u: f64, v: f64| {
                [
                    b.x[0] + u * (b.x[1] - b.x[0]),
                    b.y[0] + v * (b.y[1] - b.y[0]),
                ]
            };
            let paths: Vec<Vec<[f64; 3]>> = [
                line(w(0.05, 0.1), w(0.95, 0.9), 400),
                line(w(0.1, 0.8), w(0.9, 0.2), 60),
                line(w(0.5, 0.02), w(0.5, 0.98), 7),
            ]
            .iter()
            .map(|xs| on_surface(&l, &t, xs))
            .collect();
            let list = t.draw_list(&orbit, &paths);
            let cells: Vec<([usize; 2], [f64; 4])> = list
                .iter()
                .filter_map(|p| match p.item {
                    Item::Cell { cell, corners, .. } => {
                        let (x, y) = (corners.map(|c| c[0]), corners.map(|c| c[1]));
                        let lo = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
                        let hi = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
                        Some((cell, [lo(x), hi(x), lo(y), hi(y)]))
                    }
                    _ => None,
                })
                .collect();
            let width = 2.0 / t.n as f64;
            let (mut pieces, mut shown_behind, mut hidden_in_front) = (0, 0, 0);
            for p in &list {
                let Item::Segment { ends, hidden, .. } = p.item else {
                    continue;
                };
                pieces += 1;
                let s = [
                    0.5 * (ends[0][0] + ends[1][0]),
                    0.5 * (ends[0][1] + ends[1][1]),
                ];
                // The piece's middle in the cube, from its screen position and depth.
                let (sy, cy) = orbit.yaw.sin_cos();
                let (sp, cp) = orbit.pitch.sin_cos();
                let far = sp * s[1] - cp * p.depth;
                let xy = [cy * s[0] + sy * far, -sy * s[0] + cy * far];
                let (mut front, mut front_far) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
                for &(cell, [x0, x1, y0, y1]) in &cells {
                    if s[0] < x0 || s[0] > x1 || s[1] < y0 || s[1] > y1 {
                        continue;
                    }
                    let Some(d) = depth_at(&t, &orbit, cell, s) else {
                        continue;
                    };
                    front = front.max(d);
                    let centre = t.node(cell[0], cell[1]);
                    let gap =
                        (centre[0] + width / 2.0 - xy[0]).hypot(centre[1] + width / 2.0 - xy[1]);
                    if gap > 1.5 * width {
                        front_far = front_far.max(d);
                    }
                }
                shown_behind += usize::from(!hidden && front_far > p.depth + 0.02);
                hidden_in_front += usize::from(hidden && front < p.depth - 0.02);
            }
            assert!(pieces > 600, "{spec}: {pieces}");
            assert!(
                shown_behind + hidden_in_front <= pieces / 100,
                "{spec} {orbit:?}: {shown_behind} shown though behind, {hidden_in_front} hidden though in front, of {pieces}"
            );
        }
    }

    #[test]
    fn paths_are_clipped_to_the_base_and_broken_where_not_finite() {
        let bowl = Landscape::parse("quadratic").unwrap();
        let t = Terrain::sample(
            bowl.surface.as_ref(),
            Bounds::square(2.0),
            16,
            Heights::Linear,
        );
        let (x, nan) = (t.cube(0.0, 0.0, 0.0), [f64::NAN; 3]);
        // From the middle to far outside, then a break, then a point past the edge.
        let path = vec![x, [40.0, 0.0, 0.3], nan, [0.5, 0.5, 0.2], [3.0, 0.5, 0.2]];
        let top = Orbit { yaw: 0.0, ..TOP };
        let list = t.draw_list(&top, &[path]);
        let mut steps = Vec::new();
        for p in &list {
            match p.item {
                Item::Segment { step, ends, .. } => {
                    steps.push(step);
                    // Straight down with yaw 0 the screen is the base.
                    assert!(ends.iter().flatten().all(|v| v.abs() <= 1.0 + 1e-12));
                }
                // The last point lies outside: no head.
                Item::Head { .. } => panic!("head outside the base"),
                Item::Cell { .. } => {}
            }
        }
        steps.sort_unstable();
        steps.dedup();
        assert_eq!(steps, [0, 3]);
        let reach = list
            .iter()
            .filter_map(|p| match p.item {
                Item::Segment { step: 0, ends, .. } => Some(ends[0][0].max(ends[1][0])),
                _ => None,
            })
            .fold(0.0, f64::max);
        assert!((reach - 1.0).abs() < 1e-12);
    }
}
