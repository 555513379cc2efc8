//! The 3D view's geometry: the surface as a height field over the view box, an orbit camera
//! that projects it (and the trajectories lying on it) orthographically onto the screen,
//! and the axes with their ticks.
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
}
