//! Networks: one full-batch value and gradient, one Hessian-vector product, and the
//! extreme Hessian eigenvalues by Lanczos, on small tanh MLPs over a fixed table.
//!
//! `cargo bench --no-default-features --bench net` — medians go in the report.

use std::sync::Arc;

use descent::data::{Table, Targets};
use descent::net::{Init, Network, Rows, lanczos};
use divan::black_box;

fn main() {
    divan::main();
}

/// n points on three interleaved spirals (deterministic, no generator), class = arm.
fn spirals(n: usize) -> Arc<Table> {
    let mut features = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let arm = i % 3;
        let r = 0.1 + (i / 3) as f64 / (n / 3) as f64;
        let angle =
            4.0 * r + arm as f64 * std::f64::consts::TAU / 3.0 + (i as f64 * 0.7).sin() * 0.2;
        features.extend([r * angle.cos(), r * angle.sin()]);
        labels.push(arm);
    }
    Arc::new(Table {
        spec: format!("spirals:n={n}"),
        dims: 2,
        features,
        targets: Targets::Classes { labels, classes: 3 },
    })
}

fn setup(hidden: &str, n: usize) -> (Network, Vec<f64>) {
    let model = format!("mlp:hidden={hidden},activation=tanh");
    let net = Network::from_specs(&model, None, spirals(n)).unwrap();
    let params = Init::parse("torch")
        .unwrap()
        .parameters(net.mlp(), 0)
        .unwrap();
    (net, params)
}

/// Loss and gradient over all 150 points (2-16-16-3: 387 parameters, 2-64-64-3: 4,547).
#[divan::bench(args = ["16x16", "64x64"])]
fn value_gradient_150(bencher: divan::Bencher, hidden: &str) {
    let (net, p) = setup(hidden, 150);
    let mut g = vec![0.0; p.len()];
    bencher.bench_local(|| net.value_gradient(black_box(&p), Rows::All, &mut g));
}

/// One exact Hessian-vector product over all 150 points.
#[divan::bench(args = ["16x16", "64x64"])]
fn hvp_150(bencher: divan::Bencher, hidden: &str) {
    let (net, p) = setup(hidden, 150);
    let v: Vec<f64> = (0..p.len()).map(|i| (i as f64 * 0.37).sin()).collect();
    let mut out = vec![0.0; p.len()];
    bencher.bench_local(|| net.hvp(black_box(&p), Rows::All, &v, &mut out));
}

/// λ_max and λ_min of the Hessian of a 2-32-32-3 net (1,251 parameters) on 200 points.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn lanczos_extremes_1251_params_200_points(bencher: divan::Bencher) {
    let (net, p) = setup("32x32", 200);
    let found = lanczos::extremes(p.len(), 1, |v, out| net.hvp(&p, Rows::All, v, out));
    eprintln!("lanczos 2-32-32-3 on 200 points: {found:?}");
    bencher.bench_local(|| {
        lanczos::extremes(p.len(), 1, |v, out| {
            net.hvp(black_box(&p), Rows::All, v, out)
        })
    });
}
