//! The 3D view's draw list: the lattice cells back to front (painter's algorithm), the path
//! pieces the surface hides before them and the rest after.

use super::{Orbit, Terrain};

impl Terrain {
    /// How far path points are lifted above the surface, in height units.
    pub const LIFT: f64 = 0.01;
    /// How far under the lattice a path piece away from its segment's ends counts as hidden.
    pub const BELOW: f64 = 0.05;

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
    use crate::landscape::Landscape;
    use crate::surface::Bounds;
    use crate::terrain::Heights;
    use crate::terrain::tests::{TOP, line, on_surface};

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
