//! Stepping cost: the core's race against a hand-written loop of the same arithmetic.
//!
//! `cargo bench --bench steps` — medians go in the README.

use descent::race::{RaceSpec, Record};
use divan::black_box;

fn main() {
    divan::main();
}

const STEPS: u64 = 10_000;

fn race(optimizer: &str) -> RaceSpec {
    RaceSpec {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        optimizers: vec![optimizer.into()],
        steps: STEPS,
        ..RaceSpec::default()
    }
}

/// Adam on Rosenbrock through the core: specs parsed, every record produced.
#[divan::bench]
fn core_adam_rosenbrock() -> Option<Record> {
    let race = race(black_box("adam:lr=0.01")).build().unwrap();
    race.records().last()
}

/// The same arithmetic by hand: Rosenbrock's analytic value and gradient, the gradient norm a
/// record reports, and torch's Adam update (lerp, addcmul, bias correction).
#[divan::bench]
fn hand_adam_rosenbrock() -> (f64, f64, f64) {
    hand_adam(|x, y| {
        let (a, e) = (1.0 - x, y - x * x);
        (a * a + 100.0 * e * e, [-2.0 * a - 400.0 * x * e, 200.0 * e])
    })
}

/// The hand loop with its gradient from the crate's surface (a `dyn Surface` evaluated with
/// forward-mode jets): splits the core's overhead into the surface's share and the race's.
#[divan::bench]
fn hand_adam_rosenbrock_via_surface() -> (f64, f64, f64) {
    let land = descent::landscape::Landscape::parse("rosenbrock").unwrap();
    let surface = land.surface.as_ref();
    hand_adam(|x, y| {
        let (f, g) = surface.value_gradient(descent::P2::new(x, y));
        (f, [g.x, g.y])
    })
}

/// Adam from (−1.5, 2) with lr 0.01 for `STEPS` steps, given the loss and gradient.
#[inline(always)]
fn hand_adam(loss_gradient: impl Fn(f64, f64) -> (f64, [f64; 2])) -> (f64, f64, f64) {
    let (lr, beta1, beta2, eps) = black_box((0.01f64, 0.9f64, 0.999f64, 1e-8f64));
    let (mut x, mut y) = black_box((-1.5f64, 2.0f64));
    let (mut m, mut v) = ([0.0f64; 2], [0.0f64; 2]);
    let mut out = (0.0, 0.0, 0.0);
    // 1 − βᵗ, skipping the power once it is exactly 1.0 (as the core does)
    let (mut bc1, mut bc2) = (0.0f64, 0.0f64);
    for t in 1..=STEPS {
        let (loss, g) = loss_gradient(x, y);
        let grad_norm = (g[0] * g[0] + g[1] * g[1]).sqrt();
        out = black_box((loss, grad_norm, x));
        if bc1 != 1.0 {
            bc1 = 1.0 - beta1.powf(t as f64);
        }
        if bc2 != 1.0 {
            bc2 = 1.0 - beta2.powf(t as f64);
        }
        let step_size = lr / bc1;
        let bc2_sqrt = bc2.sqrt();
        for i in 0..2 {
            m[i] += (1.0 - beta1) * (g[i] - m[i]);
            v[i] = v[i] * beta2 + (1.0 - beta2) * g[i] * g[i];
        }
        x += -step_size * m[0] / (v[0].sqrt() / bc2_sqrt + eps);
        y += -step_size * m[1] / (v[1].sqrt() / bc2_sqrt + eps);
    }
    out
}

/// Other methods through the core, for the cost of a step of each family.
#[divan::bench(args = ["gd:lr=0.001", "momentum:lr=0.001", "rmsprop", "newton", "bfgs", "lbfgs", "nelder-mead"])]
fn core_rosenbrock(optimizer: &str) -> Option<Record> {
    race(optimizer).build().unwrap().records().last()
}

/// Eight optimizers in one race, as the app computes it on every slider change.
#[divan::bench]
fn core_eight_optimizer_race() -> usize {
    let spec = RaceSpec {
        optimizers: [
            "gd:lr=0.001",
            "momentum:lr=0.001",
            "nesterov:lr=0.001",
            "adagrad:lr=0.1",
            "rmsprop:lr=0.001",
            "adam:lr=0.01",
            "newton",
            "bfgs",
        ]
        .map(String::from)
        .to_vec(),
        steps: 1000,
        ..race("gd")
    };
    spec.build()
        .unwrap()
        .trajectories()
        .iter()
        .map(Vec::len)
        .sum()
}
