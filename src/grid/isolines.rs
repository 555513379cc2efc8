//! Isolines by marching squares (Lorensen & Cline 1987, in 2D) with saddle cells resolved by
//! the centre value, and segments chained into polylines.

use super::sampling::Grid;

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

pub(super) fn sort_levels(levels: &[f64]) -> (Vec<usize>, Vec<f64>) {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    order.sort_by(|&a, &b| levels[a].total_cmp(&levels[b]));
    let sorted = order.iter().map(|&k| levels[k]).collect();
    (order, sorted)
}

/// The band of a value that is not finite: no isoline crosses a cell with such a corner.
const NOT_FINITE_BAND: u16 = u16::MAX;

/// How many of the `sorted` levels lie strictly below `v` (so level k is below a corner
/// exactly when k < its band), searched from `guess`; [`NOT_FINITE_BAND`] for NaN or ±∞.
pub(super) fn band(v: f64, sorted: &[f64], guess: usize) -> u16 {
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
pub(super) fn map_strips<T: Sync, U: Send>(
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
pub(super) fn trace(
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
