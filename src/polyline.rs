//! Paths on screen: clipped to a rectangle and thinned to what pixels can show.
//!
//! A diverging run's last points can be 10³⁰⁰ pixels away, and a run of 100,000 steps draws
//! most of its segments on top of each other, whether it settles down or keeps zigzagging
//! across a valley. [`clip`] keeps what a picture can show: the pieces of the path inside a
//! rectangle, cut exactly at its edge (Liang–Barsky per segment), with consecutive points
//! closer than a spacing merged and segments already drawn skipped, and the points where the
//! path left the rectangle. One pass, O(1) expected work per point; the output grows with
//! the pixels the path covers, not with its steps.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// An axis-aligned rectangle in pixels: `x[0] ≤ x ≤ x[1]`, `y[0] ≤ y ≤ y[1]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

impl Rect {
    /// The picture `[0, width] × [0, height]` grown by `margin` pixels on every side.
    pub fn around(width: f64, height: f64, margin: f64) -> Self {
        Self {
            x: [-margin, width + margin],
            y: [-margin, height + margin],
        }
    }

    /// Whether `p` is inside or on the edge.
    pub fn contains(&self, [x, y]: [f64; 2]) -> bool {
        (self.x[0]..=self.x[1]).contains(&x) && (self.y[0]..=self.y[1]).contains(&y)
    }
}

/// Where a path left the rectangle: the point on its edge and the unit direction of travel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exit {
    pub at: [f32; 2],
    pub direction: [f32; 2],
}

/// The visible part of a path (see [`clip`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clipped {
    /// Polylines of at least two points, in path order.
    pub pieces: Vec<Vec<[f32; 2]>>,
    /// Where the path left the rectangle, in path order, each place once.
    pub exits: Vec<Exit>,
    /// The path's last visible point (its last point if that is inside, else where it last
    /// left), exactly.
    pub last: Option<[f32; 2]>,
    /// Where the path left for good: its last exit, when its last finite point is outside.
    pub gone: Option<Exit>,
}

impl Clipped {
    /// Points in every piece.
    pub fn point_count(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }
}

/// Clip the polyline through `points` (pixels; any may be huge or non-finite) to `rect`.
///
/// Each segment `a + t·(b − a)`, `t ∈ [0, 1]`, is cut to the `t` range inside the rectangle
/// (Liang–Barsky): the path's visible part starts where it enters and ends where it leaves,
/// on the edge exactly, and each leaving is an [`Exit`]. A point closer than `spacing` to the
/// last one kept is dropped (the last visible point is kept anyway). With `spacing > 0`, a
/// segment whose two ends fall in the same `spacing`-sized cells as a segment already kept is
/// skipped: the pen lifts and the piece ends, so a path that retraces itself costs what its
/// pixels cost; an exit in a cell that has one is skipped too. A non-finite point ends the
/// piece it interrupts, without an exit.
pub fn clip(points: impl IntoIterator<Item = [f64; 2]>, rect: Rect, spacing: f64) -> Clipped {
    let mut clipper = Clipper {
        rect,
        spacing,
        out: Clipped::default(),
        kept: None,
        tail: None,
        piece: Vec::new(),
        segments: CellSet::default(),
        exits: CellSet::default(),
    };
    let mut previous: Option<[f64; 2]> = None;
    for p in points {
        if !(p[0].is_finite() && p[1].is_finite()) {
            clipper.close();
            previous = None;
            continue;
        }
        match previous {
            None if rect.contains(p) => clipper.push(p),
            None => {}
            Some(a) => clipper.segment(a, p),
        }
        previous = Some(p);
    }
    clipper.close();
    clipper.out
}

struct Clipper {
    rect: Rect,
    spacing: f64,
    out: Clipped,
    /// The last point kept while the path is inside; `None` while it is outside.
    kept: Option<[f64; 2]>,
    /// The newest point when it is too close to `kept` to keep.
    tail: Option<[f64; 2]>,
    /// The polyline being drawn: empty, or ending at `kept` (empty after the pen lifts).
    piece: Vec<[f64; 2]>,
    /// The cells of the ends of every segment kept, and of every exit.
    segments: CellSet<(Cell, Cell)>,
    exits: CellSet<Cell>,
}

type Cell = (i64, i64);

/// A set of cells hashed by multiply-rotate (as rustc's FxHash): our own keys need no
/// protection from collisions chosen by an adversary, and SipHash made up most of the cost
/// of [`clip`].
type CellSet<T> = HashSet<T, BuildHasherDefault<CellHasher>>;

#[derive(Default)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Clipper {
    fn segment(&mut self, a: [f64; 2], b: [f64; 2]) {
        // Measured from the end nearer the rectangle, a far end (10³⁰⁰) costs no precision.
        let flip = self.distance(b) < self.distance(a);
        let (o, e) = if flip { (b, a) } else { (a, b) };
        let d = [e[0] - o[0], e[1] - o[1]];
        if !(d[0].is_finite() && d[1].is_finite()) {
            // Ends 10³⁰⁸ apart on either side: the picture is below f64's resolution of
            // that line, and `a` is outside.
            return;
        }
        let Some((lo, hi)) = liang_barsky(&self.rect, o, d) else {
            // Wholly outside (the path is inside only if `a` is, so it is not).
            self.close();
            return;
        };
        // Where the visible part starts and ends, going from a to b.
        let (from, to) = if flip { (hi, lo) } else { (lo, hi) };
        if self.kept.is_none() {
            if hi.0 <= lo.0 {
                return; // touches a corner or an edge at one point
            }
            self.push(self.at(o, d, from));
        }
        if to.1.is_some() {
            let exit = self.at(o, d, to);
            self.push(exit);
            self.close();
            let norm = d[0].hypot(d[1]) * if flip { -1.0 } else { 1.0 };
            let exit = Exit {
                at: exit.map(|v| v as f32),
                direction: [(d[0] / norm) as f32, (d[1] / norm) as f32],
            };
            self.out.gone = Some(exit);
            if self.spacing <= 0.0 || self.exits.insert(self.cell(exit.at.map(f64::from))) {
                self.out.exits.push(exit);
            }
        } else {
            self.push(b);
        }
    }

    /// How far `p` is from the rectangle's centre (the larger of |Δx| and |Δy|).
    fn distance(&self, p: [f64; 2]) -> f64 {
        let r = &self.rect;
        let c = [(r.x[0] + r.x[1]) / 2.0, (r.y[0] + r.y[1]) / 2.0];
        (p[0] - c[0]).abs().max((p[1] - c[1]).abs())
    }

    /// The point at `t` on the segment `a + t·d`, exactly on `edge` when it is one.
    fn at(&self, a: [f64; 2], d: [f64; 2], (t, edge): (f64, Option<Edge>)) -> [f64; 2] {
        let r = &self.rect;
        let mut p = [
            (a[0] + t * d[0]).clamp(r.x[0], r.x[1]),
            (a[1] + t * d[1]).clamp(r.y[0], r.y[1]),
        ];
        match edge {
            Some(Edge::Left) => p[0] = r.x[0],
            Some(Edge::Right) => p[0] = r.x[1],
            Some(Edge::Top) => p[1] = r.y[0],
            Some(Edge::Bottom) => p[1] = r.y[1],
            None => {}
        }
        p
    }

    /// The path goes on to `p`, inside.
    fn push(&mut self, p: [f64; 2]) {
        match self.kept {
            None => {
                self.kept = Some(p);
                self.piece.push(p);
                self.out.gone = None;
            }
            Some(q)
                if p == q
                    || (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) < self.spacing.powi(2) =>
            {
                self.tail = Some(p);
            }
            Some(q) => self.keep(q, p),
        }
    }

    /// Keep the segment from `q` (kept) to `p`, unless one in the same cells is kept already.
    fn keep(&mut self, q: [f64; 2], p: [f64; 2]) {
        self.tail = None;
        self.kept = Some(p);
        if self.spacing > 0.0 {
            let (a, b) = (self.cell(q), self.cell(p));
            if !self.segments.insert((a.min(b), a.max(b))) {
                self.lift();
                return;
            }
        }
        if self.piece.is_empty() {
            self.piece.push(q);
        }
        self.piece.push(p);
    }

    /// The path leaves or ends: its last point is kept, whatever its distance.
    fn close(&mut self) {
        if let (Some(q), Some(p)) = (self.kept, self.tail.take())
            && p != q
        {
            self.keep(q, p);
        }
        self.lift();
        if let Some(p) = self.kept.take() {
            self.out.last = Some(p.map(|v| v as f32));
        }
    }

    /// End the polyline being drawn.
    fn lift(&mut self) {
        if self.piece.len() >= 2 {
            let piece = self.piece.iter().map(|p| p.map(|v| v as f32)).collect();
            self.out.pieces.push(piece);
        }
        self.piece.clear();
    }

    fn cell(&self, p: [f64; 2]) -> Cell {
        let at = |v: f64, v0: f64| ((v - v0) / self.spacing).floor() as i64;
        (at(p[0], self.rect.x[0]), at(p[1], self.rect.y[0]))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edge {
    Left,
    Right,
    Top,
    Bottom,
}

/// One end of a visible range: `t`, and the edge that set it (`None`: the segment's own end).
type Bound = (f64, Option<Edge>);

/// The range `[t0, t1] ⊆ [0, 1]` of `a + t·d` inside `rect`, or `None` when no part is.
///
/// Liang & Barsky (1984): the line is inside where `pₖ·t ≤ qₖ` for the four edges, with
/// `p = (−dx, dx, −dy, dy)` and `q = (ax − x0, x1 − ax, ay − y0, y1 − ay)`.
fn liang_barsky(rect: &Rect, a: [f64; 2], d: [f64; 2]) -> Option<(Bound, Bound)> {
    let (mut t0, mut t1) = ((0.0, None), (1.0, None));
    for (p, q, edge) in [
        (-d[0], a[0] - rect.x[0], Edge::Left),
        (d[0], rect.x[1] - a[0], Edge::Right),
        (-d[1], a[1] - rect.y[0], Edge::Top),
        (d[1], rect.y[1] - a[1], Edge::Bottom),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None; // parallel to this edge and outside it
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t0.0 {
                    t0 = (r, Some(edge));
                }
            } else if r < t1.0 {
                t1 = (r, Some(edge));
            }
        }
    }
    (t0.0 <= t1.0).then_some((t0, t1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Rect = Rect {
        x: [0.0, 800.0],
        y: [0.0, 600.0],
    };

    #[test]
    fn a_segment_crossing_the_edge_is_cut_exactly_there() {
        // From (400, 300) to (1200, 500): x = 800 at t = 1/2, y = 400.
        let c = clip([[400.0, 300.0], [1200.0, 500.0]], FRAME, 0.5);
        assert_eq!(c.pieces, vec![vec![[400.0, 300.0], [800.0, 400.0]]]);
        let exit = c.exits[0];
        assert_eq!(exit.at, [800.0, 400.0]);
        assert_eq!(c.gone, Some(exit));
        let (dx, dy) = (800.0f32 / 824.6211, 200.0f32 / 824.6211);
        assert!((exit.direction[0] - dx).abs() < 1e-6 && (exit.direction[1] - dy).abs() < 1e-6);
        // Entering through the top edge, y = 0 at t = 1/4: x = 100 + 0.25·400.
        let c = clip([[100.0, -100.0], [500.0, 300.0]], FRAME, 0.5);
        assert_eq!(c.pieces, vec![vec![[200.0, 0.0], [500.0, 300.0]]]);
        assert!(c.exits.is_empty());
        // Through and out: both ends cut, one exit, on the left edge.
        let c = clip([[900.0, 300.0], [-100.0, 300.0]], FRAME, 0.5);
        assert_eq!(c.pieces, vec![vec![[800.0, 300.0], [0.0, 300.0]]]);
        assert_eq!(c.exits[0].at, [0.0, 300.0]);
        assert_eq!(c.exits[0].direction, [-1.0, 0.0]);
        // Wholly outside, or touching a corner only: nothing.
        assert_eq!(
            clip([[-10.0, -10.0], [-10.0, 700.0]], FRAME, 0.5),
            Clipped::default()
        );
        assert_eq!(
            clip([[-10.0, 10.0], [10.0, -10.0]], FRAME, 0.5),
            Clipped::default()
        );
    }

    #[test]
    fn a_path_inside_keeps_its_points_except_merged_ones() {
        let path = [
            [10.0, 10.0],
            [10.2, 10.1], // 0.22 from (10, 10): merged
            [10.4, 10.0], // 0.4: merged
            [11.0, 10.0], // 1.0: kept
            [300.0, 200.0],
            [300.3, 200.0], // the last point: kept, though 0.3 from the one before
        ];
        let c = clip(path, FRAME, 0.5);
        assert_eq!(
            c.pieces,
            vec![vec![
                [10.0, 10.0],
                [11.0, 10.0],
                [300.0, 200.0],
                [300.3, 200.0]
            ]]
        );
        assert!(c.exits.is_empty());
        assert_eq!(c.last, Some([300.3, 200.0]));
        // Without merging, the path is unchanged.
        let c = clip(path, FRAME, 0.0);
        let as_f32: Vec<[f32; 2]> = path.iter().map(|p| p.map(|v| v as f32)).collect();
        assert_eq!(c.pieces, vec![as_f32]);
        // A path that stands still has no line, only its last point.
        let c = clip([[5.0, 5.0]; 10], FRAME, 0.5);
        assert!(c.pieces.is_empty());
        assert_eq!(c.last, Some([5.0, 5.0]));
    }

    #[test]
    fn leaving_and_coming_back_gives_two_pieces_and_one_exit() {
        let c = clip(
            [
                [100.0, 100.0],
                [100.0, -100.0],
                [300.0, -100.0],
                [300.0, 100.0],
            ],
            FRAME,
            0.5,
        );
        assert_eq!(
            c.pieces,
            vec![
                vec![[100.0, 100.0], [100.0, 0.0]],
                vec![[300.0, 0.0], [300.0, 100.0]]
            ]
        );
        assert_eq!(
            c.exits,
            vec![Exit {
                at: [100.0, 0.0],
                direction: [0.0, -1.0]
            }]
        );
        assert_eq!(c.gone, None, "it came back");
        assert_eq!(c.last, Some([300.0, 100.0]));
    }

    #[test]
    fn a_run_to_1e300_ends_on_the_edge_with_an_exit() {
        let c = clip(
            [
                [400.0, 300.0],
                [500.0, 300.0],
                [1e300, 1e300],
                [f64::NAN, f64::NAN],
            ],
            FRAME,
            0.5,
        );
        // The line from (500, 300) to (1e300, 1e300) is the diagonal y = x − 200 (to f64
        // precision): it leaves through the bottom edge y = 600 at x = 800.
        assert_eq!(c.pieces.len(), 1);
        let piece = &c.pieces[0];
        assert_eq!(piece[..2], [[400.0, 300.0], [500.0, 300.0]]);
        assert_eq!(piece[2][1], 600.0);
        assert!((piece[2][0] - 800.0).abs() < 1e-3, "{piece:?}");
        assert_eq!(c.exits.len(), 1);
        assert_eq!(c.exits[0].at, piece[2]);
        assert_eq!(c.gone, Some(c.exits[0]));
        assert_eq!(c.last, Some(piece[2]));
        let s = std::f32::consts::FRAC_1_SQRT_2;
        assert!(c.exits[0].direction.iter().all(|v| (v - s).abs() < 1e-6));
        // Gradient descent oscillating out of bounds: each step crosses the picture through
        // its centre, from ∓10¹³ px on the diagonal; each crossing is on that diagonal.
        let far = |k: i32| 1e13 * (-1.1f64).powi(k);
        let c = clip((0..4).map(|k| [400.0 + far(k), 300.0 + far(k)]), FRAME, 0.5);
        // Crossings drawn already are skipped: at most three, at least one.
        assert!((1..=3).contains(&c.pieces.len()), "{c:?}");
        assert!((1..=3).contains(&c.exits.len()), "{c:?}");
        for piece in &c.pieces {
            assert_eq!(piece.len(), 2);
            for p in piece {
                assert!((p[0] - p[1] - 100.0).abs() < 1e-2, "{piece:?}");
            }
        }
        // From 10³⁰⁸ back in: the entry point is as exact.
        let c = clip([[1e308, 300.0], [400.0, 300.0]], FRAME, 0.5);
        assert_eq!(c.pieces, vec![vec![[800.0, 300.0], [400.0, 300.0]]]);
        // Ends whose difference overflows: nothing, and nothing non-finite.
        let c = clip([[-1e308, 300.0], [1e308, 300.0]], FRAME, 0.5);
        assert_eq!(c, Clipped::default());
    }

    #[test]
    fn a_non_finite_point_ends_a_piece_without_an_exit() {
        let c = clip(
            [
                [10.0, 10.0],
                [20.0, 10.0],
                [f64::INFINITY, 10.0],
                [30.0, 10.0],
                [40.0, 10.0],
            ],
            FRAME,
            0.5,
        );
        assert_eq!(
            c.pieces,
            vec![
                vec![[10.0, 10.0], [20.0, 10.0]],
                vec![[30.0, 10.0], [40.0, 10.0]]
            ]
        );
        assert!(c.exits.is_empty());
    }

    #[test]
    fn a_long_wandering_path_simplifies_to_what_pixels_show() {
        // 100,000 steps of a random walk (0.2 px at most per step) inside 800×600.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut uniform = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut p = [400.0, 300.0];
        let path: Vec<[f64; 2]> = (0..100_000)
            .map(|_| {
                p = [
                    (p[0] + 0.4 * uniform()).clamp(1.0, 799.0),
                    (p[1] + 0.4 * uniform()).clamp(1.0, 599.0),
                ];
                p
            })
            .collect();
        let c = clip(path.iter().copied(), FRAME, 0.5);
        assert!(c.point_count() < 100_000 / 4, "{} points", c.point_count());
        assert_eq!(c.pieces[0][0], path[0].map(|v| v as f32));
        assert_eq!(c.last, Some(path[99_999].map(|v| v as f32)));
        // Every kept point is at least the spacing from the one before (the last one excepted).
        for piece in &c.pieces {
            for w in piece[..piece.len() - 1].windows(2) {
                assert!((w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]) >= 0.5 - 1e-4);
            }
        }
    }

    #[test]
    fn a_path_that_retraces_itself_is_drawn_once() {
        // Gradient descent at its stability limit: a 2-cycle, 10,000 times over.
        let (a, b) = ([100.2, 100.2], [300.2, 200.2]);
        let cycle = (0..10_000).map(|k| if k % 2 == 0 { a } else { b });
        let c = clip(cycle.chain([[310.0, 210.0]]), FRAME, 0.5);
        assert_eq!(
            c.pieces,
            vec![
                vec![[100.2, 100.2], [300.2, 200.2]],
                vec![[300.2, 200.2], [310.0, 210.0]]
            ]
        );
        assert_eq!(c.last, Some([310.0, 210.0]));
        // Leaving through the same place again and again: one exit.
        let out_and_in = (0..1000).map(|k| {
            if k % 2 == 0 {
                [400.0, 300.0]
            } else {
                [900.0, 300.0]
            }
        });
        let c = clip(out_and_in, FRAME, 0.5);
        assert_eq!(c.exits.len(), 1);
        assert_eq!(c.pieces, vec![vec![[400.0, 300.0], [800.0, 300.0]]]);
        // Without a spacing, nothing is merged or skipped.
        let c = clip((0..10).map(|k| if k % 2 == 0 { a } else { b }), FRAME, 0.0);
        assert_eq!(c.point_count(), 10);
    }
}
