//! Slices of a network's loss (issue 19 §4): the grid of full-batch losses on a plane and the
//! PCA plane of several racers' paths.
//!
//! `cargo bench --bench slice` — medians go in the README.
//!
//! - `grid_65_2_32_32_2` / `grid_17_2_32_32_2`: L(θ₀ + a·d₁ + b·d₂) on a 65² and a 17² grid
//!   of a random filter-normalized plane of a 2-32-32-2 tanh net (1,218 parameters) on 500
//!   points of `moons`, on 2 threads (goals: ≤ 1 s and ≤ 100 ms);
//! - `pca_4x2000x1218`: the PCA plane of 4 racers × 2,000 steps of 1,218 parameters (seeded
//!   random walks from one start, whose slowly decaying spectrum is a hard case for the
//!   subspace iteration; goal ≤ 200 ms);
//! - `pca_dense_gram_reference`: what the iteration replaces — the n × n covariance X_cᵀX_c
//!   and its full symmetric eigendecomposition (three samples only; ~11–13 s here, and
//!   nalgebra's thin SVD of the 8,000 × 1,218 matrix, V only, took 19.7 s once).

use std::sync::Arc;

use descent::data::Table;
use descent::net::{Init, Network};
use descent::slice::{Plane, grid_axis, slice_grid};
use descent::space::PN;
use divan::black_box;
use nalgebra::{DMatrix, SymmetricEigen};

fn main() {
    divan::main();
}

fn net() -> (Network, PN) {
    let table = Table::parse("moons:n=500").unwrap();
    let net = Network::from_specs("mlp:hidden=32x32", None, Arc::new(table)).unwrap();
    let p = Init::parse("torch")
        .unwrap()
        .parameters(net.mlp(), 0)
        .unwrap();
    (net, PN::from_vec(p))
}

fn grid(bencher: divan::Bencher, n: usize) {
    let (net, origin) = net();
    assert_eq!(origin.len(), 1218);
    let plane = Plane::random(&origin, net.mlp(), 0);
    let axis = grid_axis([-1.0, 1.0], n);
    bencher
        .counter(divan::counter::ItemsCount::new(n * n))
        .bench(|| slice_grid(black_box(&net), &plane, &axis, &axis, 2).unwrap());
}

#[divan::bench(sample_count = 10)]
fn grid_65_2_32_32_2(bencher: divan::Bencher) {
    grid(bencher, 65);
}

#[divan::bench(sample_count = 30)]
fn grid_17_2_32_32_2(bencher: divan::Bencher) {
    grid(bencher, 17);
}

/// 4 seeded random walks of 2,000 steps in ℝ¹²¹⁸ from one start (steps N(0, 10⁻⁴ I) by a
/// small LCG + Box–Muller, enough for a benchmark's data).
fn walks() -> Vec<Vec<PN>> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut normal = move || {
        let (u, v) = (uniform(), uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    (0..4)
        .map(|_| {
            let mut at = PN::zeros(1218);
            (0..2000)
                .map(|_| {
                    at.iter_mut().for_each(|x| *x += 0.01 * normal());
                    at.clone()
                })
                .collect()
        })
        .collect()
}

#[divan::bench(sample_count = 10)]
fn pca_4x2000x1218(bencher: divan::Bencher) {
    let paths = walks();
    bencher.bench(|| Plane::pca(black_box(&paths)).unwrap().explained);
}

#[divan::bench(sample_count = 3)]
fn pca_dense_gram_reference(bencher: divan::Bencher) {
    let paths = walks();
    let points: Vec<&PN> = paths.iter().flatten().collect();
    let mean = points.iter().fold(PN::zeros(1218), |s, p| s + *p) / points.len() as f64;
    let x = DMatrix::from_fn(points.len(), 1218, |i, j| points[i][j] - mean[j]);
    bencher.bench(|| {
        SymmetricEigen::new(black_box(&x).tr_mul(&x))
            .eigenvalues
            .max()
    });
}
