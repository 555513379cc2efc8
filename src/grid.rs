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

/// The isoline f = `level`: polylines in surface coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Isoline {
    pub level: f64,
    pub paths: Vec<Vec<[f64; 2]>>,
}

impl Isoline {
    pub fn point_count(&self) -> usize {
        self.paths.iter().map(Vec::len).sum()
    }
}

/// Marching squares over `grid` for each of `levels` (any order), chained into polylines.
/// Cells with a non-finite corner are skipped.
pub fn isolines(grid: &Grid, levels: &[f64], threads: usize) -> Vec<Isoline> {
    let (order, sorted) = sort_levels(levels);
    let bands = map_strips(&grid.values, threads, |values| {
        values.iter().map(|&v| band(v, &sorted, 0)).collect()
    });
    trace(grid, &order, &sorted, &bands, threads)
}

fn sort_levels(levels: &[f64]) -> (Vec<usize>, Vec<f64>) {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    order.sort_by(|&a, &b| levels[a].total_cmp(&levels[b]));
    let sorted = order.iter().map(|&k| levels[k]).collect();
    (order, sorted)
}

/// The band of a value that is not finite: no isoline crosses a cell with such a corner.
const NOT_FINITE_BAND: u16 = u16::MAX;

/// How many of the `sorted` levels lie strictly below `v` (so level k is below a corner
/// exactly when k < its band), searched from `guess`; [`NOT_FINITE_BAND`] for NaN or ±∞.
fn band(v: f64, sorted: &[f64], guess: usize) -> u16 {
    if !v.is_finite() {
        return NOT_FINITE_BAND;
    }
    let mut k = guess.min(sorted.len());
    while k > 0 && sorted[k - 1] >= v {
        k -= 1;
    }
    while k < sorted.len() && sorted[k] < v {
        k += 1;
    }
    k.min(usize::from(NOT_FINITE_BAND) - 1) as u16
}

/// `f` over `items` split into `threads` contiguous strips, run in parallel, concatenated.
fn map_strips<T: Sync, U: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&[T]) -> Vec<U> + Sync,
) -> Vec<U> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return f(items);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|chunk| scope.spawn(move || f(chunk)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Marching squares with each node's band known: a cell whose four corners share a band is
/// crossed by no level (most cells), and otherwise exactly by levels min band … max band − 1.
/// Rows of cells are split over `threads` threads, then each level's segments are chained.
fn trace(
    grid: &Grid,
    order: &[usize],
    sorted: &[f64],
    bands: &[u16],
    threads: usize,
) -> Vec<Isoline> {
    let rows: Vec<usize> = (0..grid.ny - 1).collect();
    let strips = map_strips(&rows, threads, |rows| {
        let mut segments: Vec<Vec<Segment>> = vec![Vec::new(); sorted.len()];
        for &j in rows {
            for i in 0..grid.nx - 1 {
                let at = |i: usize, j: usize| j * grid.nx + i;
                let b = [
                    bands[at(i, j)],
                    bands[at(i + 1, j)],
                    bands[at(i + 1, j + 1)],
                    bands[at(i, j + 1)],
                ];
                let (lo, hi) = (b.iter().min(), b.iter().max());
                let (Some(&lo), Some(&hi)) = (lo, hi) else {
                    continue;
                };
                if lo == hi || hi == NOT_FINITE_BAND {
                    continue;
                }
                let corners = [
                    grid.values[at(i, j)],
                    grid.values[at(i + 1, j)],
                    grid.values[at(i + 1, j + 1)],
                    grid.values[at(i, j + 1)],
                ];
                for k in usize::from(lo)..usize::from(hi) {
                    cell_segments(grid, i, j, corners, sorted[k], &mut segments[k]);
                }
            }
        }
        vec![segments]
    });
    let per_level: Vec<Vec<Segment>> = (0..sorted.len())
        .map(|k| strips.iter().flat_map(|s| s[k].iter().copied()).collect())
        .collect();
    let edges = 2 * grid.nx * grid.ny;
    let chained = map_strips(&per_level, threads, |levels| {
        let mut at_edge = EdgeIndex::new(edges);
        levels
            .iter()
            .map(|segments| chain(segments, &mut at_edge))
            .collect()
    });
    let mut by_level: Vec<Option<Isoline>> = vec![None; sorted.len()];
    for (k, paths) in chained.into_iter().enumerate() {
        by_level[order[k]] = Some(Isoline {
            level: sorted[k],
            paths,
        });
    }
    by_level.into_iter().flatten().collect()
}

/// A cell edge crossed by an isoline: its id (shared by the two cells beside it) and the
/// crossing point.
#[derive(Clone, Copy, Debug)]
struct Crossing {
    edge: u64,
    point: [f64; 2],
}

type Segment = [Crossing; 2];

/// Cell edges, counter-clockwise from the bottom.
#[derive(Clone, Copy)]
enum Edge {
    Bottom,
    Right,
    Top,
    Left,
}

fn cell_segments(
    grid: &Grid,
    i: usize,
    j: usize,
    [v00, v10, v11, v01]: [f64; 4],
    level: f64,
    out: &mut Vec<Segment>,
) {
    use Edge::{Bottom, Left, Right, Top};
    let case = (v00 > level) as u8
        | ((v10 > level) as u8) << 1
        | ((v11 > level) as u8) << 2
        | ((v01 > level) as u8) << 3;
    let crossing = |edge: Edge| {
        // (corner a, corner b) as grid indices, and the edge's id.
        let ((ia, ja, va), (ib, jb, vb), id) = match edge {
            Bottom => ((i, j, v00), (i + 1, j, v10), 2 * (j * grid.nx + i)),
            Top => (
                (i, j + 1, v01),
                (i + 1, j + 1, v11),
                2 * ((j + 1) * grid.nx + i),
            ),
            Left => ((i, j, v00), (i, j + 1, v01), 2 * (j * grid.nx + i) + 1),
            Right => (
                (i + 1, j, v10),
                (i + 1, j + 1, v11),
                2 * (j * grid.nx + i + 1) + 1,
            ),
        };
        let t = (level - va) / (vb - va);
        let point = grid.node(
            ia as f64 + t * (ib as f64 - ia as f64),
            ja as f64 + t * (jb as f64 - ja as f64),
        );
        Crossing {
            edge: id as u64,
            point,
        }
    };
    let mut push = |a: Edge, b: Edge| out.push([crossing(a), crossing(b)]);
    let centre_above = (v00 + v10 + v11 + v01) / 4.0 > level;
    match case {
        1 | 14 => push(Left, Bottom),
        2 | 13 => push(Bottom, Right),
        3 | 12 => push(Left, Right),
        4 | 11 => push(Right, Top),
        6 | 9 => push(Bottom, Top),
        7 | 8 => push(Left, Top),
        // Saddle cells: the centre value decides which diagonal is connected.
        5 if centre_above => {
            push(Bottom, Right);
            push(Left, Top);
        }
        10 if !centre_above => {
            push(Bottom, Right);
            push(Left, Top);
        }
        5 | 10 => {
            push(Left, Bottom);
            push(Right, Top);
        }
        _ => {}
    }
}

/// For each cell edge, the (at most two) segments that end on it, stored as index + 1 with
/// 0 for none: a dense table over all edges, allocated once per thread and cleaned after
/// each level by touching only the edges that level used.
struct EdgeIndex(Vec<[u32; 2]>);

impl EdgeIndex {
    fn new(edges: usize) -> Self {
        Self(vec![[0, 0]; edges])
    }

    fn insert(&mut self, edge: u64, segment: usize) {
        let slot = &mut self.0[edge as usize];
        let id = segment as u32 + 1;
        if slot[0] == 0 {
            slot[0] = id;
        } else {
            slot[1] = id;
        }
    }

    /// The other segment on `edge` than `segment`.
    fn other(&self, edge: u64, segment: usize) -> Option<usize> {
        let [a, b] = self.0[edge as usize];
        let next = if a as usize == segment + 1 { b } else { a };
        (next != 0).then(|| next as usize - 1)
    }

    fn clear(&mut self, edge: u64) {
        self.0[edge as usize] = [0, 0];
    }
}

/// Join segments sharing an edge into polylines (each edge borders at most two cells, so
/// each crossing is shared by at most two segments).
fn chain(segments: &[Segment], at_edge: &mut EdgeIndex) -> Vec<Vec<[f64; 2]>> {
    for (s, seg) in segments.iter().enumerate() {
        for c in seg {
            at_edge.insert(c.edge, s);
        }
    }
    let mut used = vec![false; segments.len()];
    let mut paths = Vec::new();
    for start in 0..segments.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        // Walk forward from the segment's second end, then backward from its first.
        let mut forward = vec![segments[start][0].point, segments[start][1].point];
        let mut backward = Vec::new();
        for (end, path) in [(1, &mut forward), (0, &mut backward)] {
            let (mut s, mut edge) = (start, segments[start][end].edge);
            while let Some(next) = at_edge.other(edge, s) {
                if used[next] {
                    break;
                }
                used[next] = true;
                let [a, b] = segments[next];
                let far = if a.edge == edge { b } else { a };
                path.push(far.point);
                (s, edge) = (next, far.edge);
            }
        }
        backward.reverse();
        backward.extend(forward);
        paths.push(backward);
    }
    for c in segments.iter().flatten() {
        at_edge.clear(c.edge);
    }
    paths
}

/// A perceptually uniform colormap (the matplotlib maps of van der Walt & Smith, and
/// cividis for colour-vision deficiency), as a 256-entry table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Colormap {
    #[default]
    Viridis,
    Cividis,
    Magma,
    Inferno,
    Plasma,
}

impl Colormap {
    pub const ALL: [Colormap; 5] = [
        Self::Viridis,
        Self::Cividis,
        Self::Magma,
        Self::Inferno,
        Self::Plasma,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Viridis => "viridis",
            Self::Cividis => "cividis",
            Self::Magma => "magma",
            Self::Inferno => "inferno",
            Self::Plasma => "plasma",
        }
    }

    /// The colour at `u ∈ [0, 1]`.
    pub fn rgb(self, u: f64) -> [u8; 3] {
        let gradient = match self {
            Self::Viridis => colorous::VIRIDIS,
            Self::Cividis => colorous::CIVIDIS,
            Self::Magma => colorous::MAGMA,
            Self::Inferno => colorous::INFERNO,
            Self::Plasma => colorous::PLASMA,
        };
        let c = gradient.eval_continuous(u.clamp(0.0, 1.0));
        [c.r, c.g, c.b]
    }

    /// 256 evenly spaced colours.
    pub fn table(self) -> [[u8; 3]; 256] {
        std::array::from_fn(|k| self.rgb(k as f64 / 255.0))
    }
}

/// Where f is not finite (an overflowing formula), the map shows this grey.
pub const NOT_FINITE_RGB: [u8; 3] = [60, 60, 60];

/// The grid as an RGBA image, top row first (image order), coloured by `scale` through
/// `table` (see [`Colormap::table`]).
pub fn colorize(grid: &Grid, scale: &Scale, table: &[[u8; 3]; 256]) -> Vec<u8> {
    let unit = scale.unit_f32();
    let units: Vec<f32> = grid.values.iter().map(|&f| unit(f)).collect();
    colorize_units(&units, grid.nx, table)
}

/// RGBA, top row first, from positions on the scale (row 0 = bottom, as in [`Grid`]).
pub fn colorize_units(units: &[f32], nx: usize, table: &[[u8; 3]; 256]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(units.len() * 4);
    for row in units.chunks(nx.max(1)).rev() {
        for &u in row {
            let [r, g, b] = if u.is_nan() {
                NOT_FINITE_RGB
            } else {
                table[(u * 255.0).round() as usize]
            };
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
    }
    rgba
}

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
