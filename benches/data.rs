//! Data surfaces: the map (every cell a full-data loss) and one full-batch value and
//! gradient, each beside a hand-written loop of the same arithmetic.
//!
//! `cargo bench --no-default-features --bench data` — medians go in the README.

use descent::P2;
use descent::grid::Grid;
use descent::landscape::Landscape;
use divan::black_box;

fn main() {
    divan::main();
}

const SIDE: usize = 256;
const COARSE: usize = 64;

fn landscape(loss: &str, n: usize) -> Landscape {
    let (model, data) = if loss == "logistic" {
        ("linear-classifier", format!("blobs:n={n},separation=2"))
    } else {
        ("linear-regression", format!("line:n={n}"))
    };
    Landscape::parse_with_data(&format!("{model}:loss={loss}"), Some(&data)).unwrap()
}

/// The full 256² map of a data surface on 2 threads (mse from its sufficient statistics).
#[divan::bench(args = ["mse", "huber", "logistic"], consts = [1000, 10000], sample_count = 5, sample_size = 1)]
fn map_256<const N: usize>(bencher: divan::Bencher, loss: &str) {
    let l = landscape(loss, N);
    bencher.bench(|| Grid::sample(l.surface.as_ref(), l.view, SIDE, SIDE, 2));
}

/// The coarse 64² map the app shows first.
#[divan::bench(args = ["huber", "logistic"], consts = [10000], sample_count = 5, sample_size = 1)]
fn map_64<const N: usize>(bencher: divan::Bencher, loss: &str) {
    let l = landscape(loss, N);
    bencher.bench(|| Grid::sample(l.surface.as_ref(), l.view, COARSE, COARSE, 2));
}

/// The logistic map by hand on one thread: Σ ln(1 + e^(−m)) over the points at every cell.
#[divan::bench(consts = [1000], sample_count = 5, sample_size = 1)]
fn hand_map_logistic_256_one_thread<const N: usize>(bencher: divan::Bencher) {
    let l = landscape("logistic", N);
    let rows = rows(&l);
    let v = l.view;
    bencher.bench(|| {
        let mut out = vec![0.0; SIDE * SIDE];
        for (k, cell) in out.iter_mut().enumerate() {
            let w1 = v.x[0] + (k % SIDE) as f64 * (v.x[1] - v.x[0]) / SIDE as f64;
            let w2 = v.y[0] + (k / SIDE) as f64 * (v.y[1] - v.y[0]) / SIDE as f64;
            let mut f = 0.0;
            for &[a, b] in &rows {
                let m = w1 * a + w2 * b;
                f += (-m).max(0.0) + (-m.abs()).exp().ln_1p();
            }
            *cell = f / rows.len() as f64;
        }
        out
    });
}

/// The same map through the core on one thread.
#[divan::bench(consts = [1000], sample_count = 5, sample_size = 1)]
fn map_logistic_256_one_thread<const N: usize>(bencher: divan::Bencher) {
    let l = landscape("logistic", N);
    bencher.bench(|| Grid::sample(l.surface.as_ref(), l.view, SIDE, SIDE, 1));
}

/// y·(x₁, x₂) per point (bias 0).
fn rows(l: &Landscape) -> Vec<[f64; 2]> {
    let d = l.data.as_ref().unwrap();
    d.data
        .points
        .iter()
        .map(|p| [p.label * p.x, p.label * p.y])
        .collect()
}

/// One full-batch value and gradient of the logistic loss at n = 10000 through the core.
#[divan::bench]
fn value_gradient_logistic_10000(bencher: divan::Bencher) {
    let l = landscape("logistic", 10_000);
    bencher.bench(|| l.surface.value_gradient(black_box(P2::new(0.3, -0.2))));
}

/// The same by hand: ℓ = ln(1 + e^(−m)), ∇ = −σ(−m)·y·x averaged.
#[divan::bench]
fn hand_value_gradient_logistic_10000(bencher: divan::Bencher) {
    let l = landscape("logistic", 10_000);
    let rows = rows(&l);
    bencher.bench(|| {
        let (w1, w2) = black_box((0.3, -0.2));
        let (mut f, mut g1, mut g2) = (0.0, 0.0, 0.0);
        for &[a, b] in &rows {
            let m = w1 * a + w2 * b;
            let e = (-m.abs()).exp();
            f += (-m).max(0.0) + e.ln_1p();
            let s = if m >= 0.0 {
                e / (1.0 + e)
            } else {
                1.0 / (1.0 + e)
            };
            g1 -= s * a;
            g2 -= s * b;
        }
        let n = rows.len() as f64;
        (f / n, g1 / n, g2 / n)
    });
}

/// mse at n = 10000: O(1) from the sufficient statistics.
#[divan::bench]
fn value_gradient_mse_10000(bencher: divan::Bencher) {
    let l = landscape("mse", 10_000);
    bencher.bench(|| l.surface.value_gradient(black_box(P2::new(0.3, -0.2))));
}
