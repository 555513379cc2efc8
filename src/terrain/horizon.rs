//! What hides a path from the viewer: a horizon map over the lattice, one sweep per camera,
//! and the bilinear interpolation of the lattice it (and the draw list) samples with.

use super::{Orbit, Terrain};

impl Terrain {
    /// Continuous lattice coordinates (node i at i) of the cube point (x, y).
    pub(super) fn lattice(&self, x: f64, y: f64) -> [f64; 2] {
        let b = self.bounds;
        let (half, c) = self.frame();
        let n = self.n as f64;
        [
            (c[0] + x * half - b.x[0]) / (b.x[1] - b.x[0]) * n - 0.5,
            (c[1] + y * half - b.y[0]) / (b.y[1] - b.y[0]) * n - 0.5,
        ]
    }

    /// The bilinear height of the lattice at lattice coordinates `l` (clamped to it).
    pub(super) fn height_at(&self, l: [f64; 2]) -> f64 {
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
    pub(super) fn horizon(&self, orbit: &Orbit) -> Horizon {
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
    pub(super) fn hidden(&self, horizon: &Horizon, p: [f64; 3], l: [f64; 2]) -> bool {
        let q = [l[0] + horizon.step[0], l[1] + horizon.step[1]];
        bilinear(&horizon.m, self.n, q).is_some_and(|v| v - horizon.drop > p[2])
    }
}

/// [`Terrain::horizon`]: M = max(h, O) at the nodes, the lattice step toward the viewer,
/// and the line of sight's rise over that step.
pub(super) struct Horizon {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terrain::tests::{line, on_surface, terrain};
    use crate::terrain::{Heights, Item};

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
}
