//! The 3D view's geometry: the surface as a height field over the view box, and an orbit
//! camera that projects it (and the trajectories lying on it) orthographically onto the screen.
//!
//! Heights use the map's own colour scale ([`Scale::unit`]: log-spaced above the minimum for
//! basins), so the 3D view shows the same structure the contour map does: Rosenbrock's
//! valley floor is visible rather than dwarfed by its walls.

use crate::grid::{Grid, Scale};
use crate::surface::{Bounds, Surface};

/// A surface sampled on an n×n lattice, heights in [0, 1].
#[derive(Clone, Debug)]
pub struct Terrain {
    pub bounds: Bounds,
    pub n: usize,
    /// `heights[j * n + i]`, in [0, 1]; NaN where f is not finite.
    pub heights: Vec<f64>,
    pub scale: Scale,
}

impl Terrain {
    pub fn sample(surface: &dyn Surface, bounds: Bounds, n: usize) -> Self {
        let grid = Grid::sample(surface, bounds, n, n, 1);
        let scale = Scale::fit_grid(&grid);
        let heights = grid
            .values
            .iter()
            .map(|&f| {
                if f.is_finite() {
                    scale.unit(f)
                } else {
                    f64::NAN
                }
            })
            .collect();
        Self {
            bounds,
            n: grid.nx,
            heights,
            scale,
        }
    }

    /// A surface point (x, y) at value f, in the cube [−1, 1]² × [0, 1] the camera sees.
    pub fn cube(&self, x: f64, y: f64, f: f64) -> [f64; 3] {
        let b = self.bounds;
        let half = 0.5 * (b.x[1] - b.x[0]).max(b.y[1] - b.y[0]);
        let (cx, cy) = (0.5 * (b.x[0] + b.x[1]), 0.5 * (b.y[0] + b.y[1]));
        let z = if f.is_finite() {
            self.scale.unit(f)
        } else {
            1.0
        };
        [(x - cx) / half, (y - cy) / half, z]
    }

    /// The lattice node (i, j) in the cube.
    pub fn node(&self, i: usize, j: usize) -> [f64; 3] {
        let b = self.bounds;
        let t = |k: usize| (k as f64 + 0.5) / self.n as f64;
        let x = b.x[0] + t(i) * (b.x[1] - b.x[0]);
        let y = b.y[0] + t(j) * (b.y[1] - b.y[0]);
        let mut p = self.cube(x, y, 0.0);
        p[2] = self.heights[j * self.n + i];
        p
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
        let t = Terrain::sample(bowl.surface.as_ref(), Bounds::square(2.0), 20);
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
}
