//! A surface sampled on a grid, its contour levels, isolines and colours.
//!
//! This is what the app's map and the headless renderer draw. Everything here depends only
//! on (surface, view box, resolution), so it is computed when one of those changes, never
//! per frame.
//!
//! - [`Grid::sample`] evaluates f at pixel centres.
//! - [`Scale`] maps f to [0, 1], linearly or (when the values span decades above the
//!   minimum, as on Rosenbrock) logarithmically in f − f_min, so both a canyon's floor and
//!   its walls show structure. Colours and isolines share it.
//! - [`isolines`] is marching squares (Lorensen & Cline 1987, in 2D) with saddle cells resolved
//!   by the centre value, and segments chained into polylines.

//! - [`colorize`] colours a grid through a [`Colormap`]; [`ContourMap`] is all of it for one
//!   view, computed together.

mod colour;
mod isolines;
mod sampling;

pub use colour::{Colormap, NOT_FINITE_RGB, colorize, colorize_units};
pub use isolines::{Isoline, isolines};
pub use sampling::{Grid, Scale, gradient_field};

use crate::surface::{Bounds, Surface};
use isolines::{band, map_strips, sort_levels, trace};

/// A map ready to draw: samples, scale, positions on the scale, and isolines for one view.
#[derive(Clone, Debug)]
pub struct ContourMap {
    pub grid: Grid,
    pub scale: Scale,
    /// Each sample's position on the scale in [0, 1] (NaN where f is not finite), for colours.
    pub units: Vec<f32>,
    pub isolines: Vec<Isoline>,
}

impl ContourMap {
    /// Sample, fit the scale, and trace `levels` isolines, splitting the work over `threads`.
    /// The scale position of each sample is computed once and serves both the colours and,
    /// as a first guess of its band, the isolines.
    pub fn compute(
        surface: &dyn Surface,
        bounds: Bounds,
        resolution: [usize; 2],
        levels: usize,
        threads: usize,
    ) -> Self {
        let grid = Grid::sample(surface, bounds, resolution[0], resolution[1], threads);
        Self::from_grid(grid, levels, threads)
    }

    /// The map of values already sampled (a slice of a network's loss, computed elsewhere):
    /// fit the scale and trace `levels` isolines, as [`ContourMap::compute`] does.
    pub fn from_grid(grid: Grid, levels: usize, threads: usize) -> Self {
        let scale = Scale::fit_grid(&grid);
        let (order, sorted) = sort_levels(&scale.levels(levels));
        let n = sorted.len() as f32;
        let unit = scale.unit_f32();
        let units_bands: Vec<(f32, u16)> = map_strips(&grid.values, threads, |values| {
            values
                .iter()
                .map(|&f| {
                    let u = unit(f);
                    // Levels sit at u = (k − ½)/n, so about u·n + ½ of them lie below.
                    let guess = if u.is_nan() {
                        0
                    } else {
                        (u * n + 0.5) as usize
                    };
                    (u, band(f, &sorted, guess))
                })
                .collect()
        });
        let (units, bands): (Vec<f32>, Vec<u16>) = units_bands.into_iter().unzip();
        let isolines = trace(&grid, &order, &sorted, &bands, threads);
        Self {
            grid,
            scale,
            units,
            isolines,
        }
    }

    /// The map's colours as RGBA, top row first.
    pub fn rgba(&self, table: &[[u8; 3]; 256]) -> Vec<u8> {
        colorize_units(&self.units, self.grid.nx, table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::P2;
    use crate::landscape::Landscape;

    fn surface(spec: &str) -> Landscape {
        Landscape::parse(spec).unwrap()
    }

    #[test]
    fn gradient_field_points_downhill_at_cell_centres() {
        // f = ½(x² + 4y²) on [−1, 1]²: 2×2 cells centred at (±½, ±½), −∇f = (−x, −4y).
        let bowl = surface("quadratic:kappa=4,angle=0");
        let field = gradient_field(bowl.surface.as_ref(), Bounds::square(1.0), 2);
        assert_eq!(field.len(), 4);
        for (p, d) in field {
            assert_eq!(p.abs(), P2::new(0.5, 0.5));
            assert!((d - P2::new(-p.x, -4.0 * p.y)).norm() < 1e-15);
        }
    }

    #[test]
    fn circles_of_a_bowl_close_on_themselves_at_the_right_radius() {
        // f = ½(x² + y²): the level ½r² is the circle of radius r.
        let bowl = surface("quadratic");
        let grid = Grid::sample(bowl.surface.as_ref(), Bounds::square(2.0), 200, 200, 1);
        let lines = isolines(&grid, &[0.5, 0.125], 1);
        for (line, r) in lines.iter().zip([1.0, 0.5]) {
            assert_eq!(
                line.paths.len(),
                1,
                "one closed curve at level {}",
                line.level
            );
            let path = &line.paths[0];
            assert_eq!(path.first(), path.last(), "closed");
            for p in path {
                let radius = (p[0] * p[0] + p[1] * p[1]).sqrt();
                assert!((radius - r).abs() < 2e-3, "radius {radius} for {r}");
            }
        }
    }

    #[test]
    fn a_saddle_splits_into_two_branches_each_side() {
        // f = x² − y² at level 1: two hyperbola branches, each leaving the box twice.
        let saddle = surface("expr:x^2 - y^2");
        let grid = Grid::sample(saddle.surface.as_ref(), Bounds::square(2.0), 101, 101, 1);
        let line = &isolines(&grid, &[1.0], 1)[0];
        assert_eq!(line.paths.len(), 2);
        for path in &line.paths {
            assert_ne!(path.first(), path.last(), "open branch");
            for p in path {
                assert!((p[0] * p[0] - p[1] * p[1] - 1.0).abs() < 0.01);
            }
        }
    }

    #[test]
    fn levels_are_returned_in_the_order_asked_and_skip_non_finite_cells() {
        let grid = Grid {
            bounds: Bounds::square(1.0),
            nx: 3,
            ny: 2,
            values: vec![0.0, 1.0, f64::NAN, 0.0, 1.0, 2.0],
        };
        let lines = isolines(&grid, &[0.75, 0.25], 1);
        assert_eq!([lines[0].level, lines[1].level], [0.75, 0.25]);
        // Only the left cell is finite: one vertical segment per level.
        for line in &lines {
            assert_eq!(line.paths.len(), 1);
            assert_eq!(line.point_count(), 2);
        }
    }

    #[test]
    fn the_map_matches_the_plain_functions_whatever_the_threads() {
        let rosenbrock = surface("rosenbrock");
        let bounds = Bounds::new(-2.0, 2.0, -1.0, 3.0);
        let reference = ContourMap::compute(rosenbrock.surface.as_ref(), bounds, [97, 83], 20, 1);
        let grid = &reference.grid;
        let levels = reference.scale.levels(20);
        assert_eq!(reference.isolines, isolines(grid, &levels, 1));
        let table = Colormap::Viridis.table();
        assert_eq!(
            reference.rgba(&table),
            colorize(grid, &reference.scale, &table)
        );
        for threads in [2, 3, 7] {
            let map =
                ContourMap::compute(rosenbrock.surface.as_ref(), bounds, [97, 83], 20, threads);
            assert_eq!(map.isolines, reference.isolines, "{threads} threads");
            assert_eq!(map.units, reference.units);
        }
    }

    #[test]
    fn threads_do_not_change_the_samples() {
        let rosenbrock = surface("rosenbrock");
        let bounds = Bounds::new(-2.0, 2.0, -1.0, 3.0);
        let one = Grid::sample(rosenbrock.surface.as_ref(), bounds, 64, 37, 1);
        let three = Grid::sample(rosenbrock.surface.as_ref(), bounds, 64, 37, 3);
        assert_eq!(one, three);
    }

    #[test]
    fn basins_and_canyons_get_log_levels_slopes_and_saddles_linear_ones() {
        let fit = |spec: &str, bounds| {
            let l = surface(spec);
            Scale::fit_grid(&Grid::sample(l.surface.as_ref(), bounds, 128, 128, 1))
        };
        let rosenbrock = fit("rosenbrock", Bounds::new(-2.0, 2.0, -1.0, 3.0));
        assert!(matches!(rosenbrock, Scale::Log { .. }), "{rosenbrock:?}");
        let bowl = fit("quadratic", Bounds::square(2.0));
        assert!(matches!(bowl, Scale::Log { .. }), "{bowl:?}");
        let saddle = fit("saddle", Bounds::square(2.0));
        assert!(matches!(saddle, Scale::Linear { .. }), "{saddle:?}");
        let off_centre = fit("quadratic", Bounds::new(1.0, 3.0, 1.0, 3.0));
        assert!(matches!(off_centre, Scale::Linear { .. }), "{off_centre:?}");
        // Log levels: successive levels above the floor have a constant ratio.
        let Scale::Log { floor, .. } = rosenbrock else {
            unreachable!()
        };
        let levels = rosenbrock.levels(10);
        let ratios: Vec<f64> = levels
            .windows(2)
            .map(|w| (w[1] - floor) / (w[0] - floor))
            .collect();
        for r in &ratios {
            assert!((r / ratios[0] - 1.0).abs() < 1e-9);
        }
        let unit_f32 = rosenbrock.unit_f32();
        for u in [0.0, 0.3, 1.0] {
            assert!((rosenbrock.unit(rosenbrock.value(u)) - u).abs() < 1e-12);
            assert!((unit_f32(rosenbrock.value(u)) - u as f32).abs() < 1e-6);
        }
    }

    #[test]
    fn a_flat_or_broken_grid_still_has_a_usable_scale() {
        for values in [vec![3.0; 16], vec![f64::NAN; 16], vec![f64::INFINITY; 16]] {
            let scale = Scale::fit(&values, true);
            let levels = scale.levels(5);
            assert!(levels.iter().all(|l| l.is_finite()), "{scale:?}");
        }
    }

    #[test]
    fn colours_follow_the_scale_and_grey_out_non_finite_values() {
        let grid = Grid {
            bounds: Bounds::square(1.0),
            nx: 2,
            ny: 2,
            values: vec![0.0, 1.0, f64::INFINITY, 0.5],
        };
        let scale = Scale::Linear { lo: 0.0, hi: 1.0 };
        let table = Colormap::Viridis.table();
        let rgba = colorize(&grid, &scale, &table);
        // Top row first: (inf, 0.5), then the bottom row (0, 1).
        assert_eq!(&rgba[0..3], &NOT_FINITE_RGB);
        assert_eq!(&rgba[4..7], &table[128]);
        assert_eq!(&rgba[8..11], &Colormap::Viridis.rgb(0.0));
        assert_eq!(&rgba[12..15], &Colormap::Viridis.rgb(1.0));
        assert!(rgba.chunks(4).all(|px| px[3] == 255));
    }
}
