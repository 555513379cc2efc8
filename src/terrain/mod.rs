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

mod axes;
mod draw;
mod horizon;

pub use axes::{Axes, Axis, Tick};
pub use draw::{Item, Paint};

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
        Self::of_grid(Grid::sample(surface, bounds, n, n, 1), mode)
    }

    /// The terrain of values already sampled at the cell centres of a square grid (a
    /// network's slice); `None` unless the grid is square with at least 2 × 2 values.
    pub fn from_grid(grid: Grid, mode: Heights) -> Option<Self> {
        (grid.nx == grid.ny && grid.nx >= 2 && grid.values.len() == grid.nx * grid.ny)
            .then(|| Self::of_grid(grid, mode))
    }

    fn of_grid(grid: Grid, mode: Heights) -> Self {
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
            bounds: grid.bounds,
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

    /// The base of the cube: `[[x_min, x_max], [y_min, y_max]]` of the view box.
    fn base(&self) -> [[f64; 2]; 2] {
        let b = self.bounds;
        let (lo, hi) = (self.floor(b.x[0], b.y[0]), self.floor(b.x[1], b.y[1]));
        [[lo[0], hi[0]], [lo[1], hi[1]]]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::Landscape;

    fn close(a: [f64; 3], b: [f64; 3]) -> bool {
        a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-12)
    }

    #[test]
    fn a_grid_already_sampled_makes_the_same_terrain() {
        let l = crate::landscape::Landscape::parse("rosenbrock").unwrap();
        let grid = Grid::sample(l.surface.as_ref(), l.view, 9, 9, 1);
        for mode in [Heights::Linear, Heights::Log] {
            let sampled = Terrain::sample(l.surface.as_ref(), l.view, 9, mode);
            let given = Terrain::from_grid(grid.clone(), mode).unwrap();
            assert_eq!(given.heights, sampled.heights);
            assert_eq!((given.n, given.clip), (sampled.n, sampled.clip));
        }
        let flat = Grid {
            nx: 3,
            ny: 2,
            values: vec![0.0; 6],
            ..grid
        };
        assert!(
            Terrain::from_grid(flat, Heights::Linear).is_none(),
            "not square"
        );
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

    pub(super) const SURFACES: [&str; 5] = [
        "quadratic:kappa=25",
        "rosenbrock",
        "saddle-escape",
        "himmelblau",
        "rastrigin",
    ];

    pub(super) fn terrain(spec: &str, mode: Heights) -> (Landscape, Terrain) {
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

    // Shared with the tests in axes, horizon and draw.

    pub(super) const TOP: Orbit = Orbit {
        yaw: 0.3,
        pitch: std::f64::consts::FRAC_PI_2,
        relief: 0.8,
    };

    /// A path through `xs` on the true surface, in the cube.
    pub(super) fn on_surface(l: &Landscape, t: &Terrain, xs: &[[f64; 2]]) -> Vec<[f64; 3]> {
        xs.iter()
            .map(|&[x, y]| t.cube(x, y, l.surface.value(crate::P2::new(x, y))))
            .collect()
    }

    /// A straight path from a to b in `k` steps.
    pub(super) fn line(a: [f64; 2], b: [f64; 2], k: usize) -> Vec<[f64; 2]> {
        (0..=k)
            .map(|s| {
                let t = s as f64 / k as f64;
                [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
            })
            .collect()
    }
}
