//! Drawing a long path: one `descent render` frame of a 100,000-step run that wanders over
//! Rosenbrock (Adadelta at lr 10 zigzags across the valley, 300 px a step), and the clipping
//! behind it through the crate against the same arithmetic written as one loop.
//!
//! `cargo bench --no-default-features --bench render` — medians go in the README.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use descent::landscape::Landscape;
use descent::polyline::{Rect, clip};
use descent::race::RaceSpec;
use descent::render::Renderer;
use descent::scene::Scene;
use descent::surface::Bounds;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

const STEPS: u64 = 100_000;
const SIZE: [u32; 2] = [800, 600];
const OPTIMIZER: &str = "adadelta:lr=10";

/// The run's points, and the view `descent render` shows them in.
fn path() -> (Vec<[f64; 2]>, Bounds) {
    let race = RaceSpec {
        surface: "rosenbrock".into(),
        optimizers: vec![OPTIMIZER.into()],
        steps: STEPS,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    let view = Landscape::parse("rosenbrock")
        .unwrap()
        .view
        .fit_aspect(f64::from(SIZE[0]) / f64::from(SIZE[1]));
    let points = race.trajectories()[0].iter().map(|r| [r.x, r.y]).collect();
    (points, view)
}

/// The finished race drawn at 800×600: map, isolines, the path, markers and legend.
#[divan::bench(sample_count = 20)]
fn frame_adadelta_100k(bencher: Bencher) {
    let scene = Scene::from_ron(
        &format!(
            "Scene(surface: \"rosenbrock\", racers: [Racer(optimizer: \"{OPTIMIZER}\")], \
             steps: {STEPS})"
        ),
        "bench",
    )
    .unwrap();
    let renderer = Renderer::new(&scene, SIZE, None).unwrap();
    bencher.bench(|| renderer.frame(black_box(STEPS)));
}

/// Pixels from surface coordinates, clipped and thinned by [`descent::polyline::clip`].
#[divan::bench]
fn clip_100k(bencher: Bencher) {
    let (points, view) = path();
    let [w, h] = SIZE.map(f64::from);
    let rect = Rect::around(w, h, 3.0);
    bencher.bench(|| {
        let c = clip(
            black_box(&points)
                .iter()
                .map(|&[x, y]| pixel(&view, w, h, x, y)),
            rect,
            0.5,
        );
        c.point_count()
    });
}

/// The same by hand: map, Liang–Barsky against the four edges, merge points closer than
/// half a pixel, skip segments whose ends fall in half-pixel cells already drawn (cells packed
/// in one u64, multiply-rotate hash), in one loop over plain arrays.
#[divan::bench]
fn hand_clip_100k(bencher: Bencher) {
    let (points, view) = path();
    let [w, h] = SIZE.map(f64::from);
    let (x0, x1, y0, y1) = (-3.0, w + 3.0, -3.0, h + 3.0);
    let cell = |p: [f64; 2]| (((p[0] - x0) * 2.0) as u64) << 16 | ((p[1] - y0) * 2.0) as u64;
    bencher.bench(|| {
        let mut pieces: Vec<Vec<[f32; 2]>> = Vec::new();
        let mut piece: Vec<[f32; 2]> = Vec::new();
        let mut seen: HashSet<u64, BuildHasherDefault<Fx>> = HashSet::default();
        let mut exits: HashSet<u64, BuildHasherDefault<Fx>> = HashSet::default();
        let mut kept: Option<[f64; 2]> = None;
        let mut prev: Option<[f64; 2]> = None;
        for &[x, y] in black_box(&points) {
            let b = pixel(&view, w, h, x, y);
            let Some(a) = prev.replace(b) else {
                if (x0..=x1).contains(&b[0]) && (y0..=y1).contains(&b[1]) {
                    kept = Some(b);
                }
                continue;
            };
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let (mut t0, mut t1) = (0.0f64, 1.0f64);
            let mut inside = true;
            for (p, q) in [
                (-dx, a[0] - x0),
                (dx, x1 - a[0]),
                (-dy, a[1] - y0),
                (dy, y1 - a[1]),
            ] {
                if p == 0.0 {
                    inside &= q >= 0.0;
                } else if p < 0.0 {
                    t0 = t0.max(q / p);
                } else {
                    t1 = t1.min(q / p);
                }
            }
            if !inside || t0 >= t1 {
                continue;
            }
            let q = kept.unwrap_or([a[0] + t0 * dx, a[1] + t0 * dy]);
            let (p, leaves) = if t1 < 1.0 {
                ([a[0] + t1 * dx, a[1] + t1 * dy], true)
            } else {
                (b, false)
            };
            if leaves || (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) >= 0.25 {
                let (ca, cb) = (cell(q), cell(p));
                if seen.insert(ca.min(cb) << 32 | ca.max(cb)) {
                    if piece.is_empty() {
                        piece.push([q[0] as f32, q[1] as f32]);
                    }
                    piece.push([p[0] as f32, p[1] as f32]);
                } else if piece.len() > 1 {
                    pieces.push(std::mem::take(&mut piece));
                } else {
                    piece.clear();
                }
                kept = Some(p);
            }
            if leaves {
                exits.insert(cell(p));
                if piece.len() > 1 {
                    pieces.push(std::mem::take(&mut piece));
                }
                piece.clear();
                kept = None;
            }
        }
        if piece.len() > 1 {
            pieces.push(piece);
        }
        (pieces.len(), exits.len())
    });
}

/// rustc's FxHash step, as `descent::polyline` hashes its cells.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_u64(u64::from(b)));
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn pixel(view: &Bounds, w: f64, h: f64, x: f64, y: f64) -> [f64; 2] {
    [
        (x - view.x[0]) / (view.x[1] - view.x[0]) * w,
        (view.y[1] - y) / (view.y[1] - view.y[0]) * h,
    ]
}
