//! A network's training steps through the core, beside torch doing the same work
//! (`python3 tools/torch_net_bench.py`: float64, one thread, the same nets and point counts).
//!
//! `cargo bench --bench train` — medians go in the README.
//!
//! - `adam_steps_2_16_16_3` / `adam_steps_2_64_64_3`: 100 full-batch Adam steps of a tanh
//!   MLP on 150 points of `spirals:classes=3` through `descent train`'s path (each step: the
//!   loss and gradient over all points by backpropagation, Adam's update, the record);
//! - `sharpness_1251_parameters`: λmax and λmin of a 2-32-32-3 net's Hessian on 200 points by
//!   Lanczos on exact Hessian-vector products, as every `--sharpness` row computes them.

use descent::train::{NetRecord, TrainSpec, Training};
use divan::black_box;

fn main() {
    divan::main();
}

const STEPS: u64 = 100;

fn training(hidden: &str, points: usize, steps: u64) -> Training {
    TrainSpec {
        model: format!("mlp:hidden={hidden},activation=tanh"),
        data: format!("spirals:n={points},classes=3"),
        optimizers: vec!["adam:lr=0.01".into()],
        steps,
        ..TrainSpec::default()
    }
    .build()
    .unwrap()
}

#[divan::bench]
fn adam_steps_2_16_16_3(bencher: divan::Bencher) {
    let training = training("16x16", 150, STEPS);
    bencher
        .counter(divan::counter::ItemsCount::new(STEPS))
        .bench(|| -> Option<NetRecord> { black_box(&training).run(0).last() });
}

#[divan::bench]
fn adam_steps_2_64_64_3(bencher: divan::Bencher) {
    let training = training("64x64", 150, STEPS);
    bencher
        .counter(divan::counter::ItemsCount::new(STEPS))
        .bench(|| -> Option<NetRecord> { black_box(&training).run(0).last() });
}

#[divan::bench]
fn sharpness_1251_parameters(bencher: divan::Bencher) {
    let training = training("32x32", 200, 1);
    let start = training.run(0).next().unwrap();
    assert_eq!(start.parameters.len(), 1251);
    bencher.bench(|| {
        black_box(&training)
            .measure(black_box(&start), true)
            .sharpness
    });
}
