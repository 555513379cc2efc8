//! The many-runs engine against hand-written loops of the same arithmetic.
//!
//! `cargo bench --no-default-features --bench engine` — medians go in the README.
//! - `engine_adam_rosenbrock_1_thread` vs `hand_adam_rosenbrock`: per trajectory-step cost
//!   (goal: within 1.25×), 64 runs × 500 steps from different starts on one thread.
//! - `basin_map_256_adam_rosenbrock_500`: the 256² basin map of the issue (goal ≤ 1.0 s on two
//!   cores), beside `hand_basin_map_256` on the same threads.
//! - `single_run_final_1m` vs `hand_single_run_1m`: `descent run --final`'s path, one Adam run
//!   of 10⁶ steps (goal: within 1.5×).

use descent::P2;
use descent::engine::basins::BasinMap;
use descent::engine::{self, Batch, Progress, RunSetup};
use descent::race::RaceSpec;
use descent::surface::DIVERGENCE_BOX;
use descent::surface::{Surface, SurfaceVisitor};
use divan::black_box;

fn main() {
    divan::main();
}

const RUNS: usize = 64;
const STEPS: u64 = 500;

fn batch(steps: u64) -> Batch {
    let race = RaceSpec {
        surface: "rosenbrock".into(),
        optimizers: vec!["adam:lr=0.01".into()],
        steps,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    Batch::of_race(&race, 0, 1e-4)
}

fn start(i: usize, n: usize) -> P2 {
    P2::new(
        -2.0 + 4.0 * (i % n) as f64 / n as f64,
        -1.0 + 4.0 * (i / n) as f64 / n as f64,
    )
}

/// Adam on Rosenbrock as the engine steps it: per step the loss and gradient, ‖∇f‖ against
/// the tolerance, the divergence check, the lr, torch's Adam with bias correction.
#[inline(always)]
fn hand_adam(x0: P2, steps: u64, tol: f64) -> (f64, f64, f64, Option<u64>) {
    hand_adam_on(x0, steps, tol, |x, y| {
        let (a, e) = (1.0 - x, y - x * x);
        (a * a + 100.0 * e * e, [-2.0 * a - 400.0 * x * e, 200.0 * e])
    })
}

/// [`hand_adam`] with the loss and gradient from `eval`.
#[inline(always)]
fn hand_adam_on(
    x0: P2,
    steps: u64,
    tol: f64,
    eval: impl Fn(f64, f64) -> (f64, [f64; 2]),
) -> (f64, f64, f64, Option<u64>) {
    let (lr, beta1, beta2, eps) = black_box((0.01f64, 0.9f64, 0.999f64, 1e-8f64));
    let (mut x, mut y) = (x0.x, x0.y);
    let (mut m, mut v) = ([0.0f64; 2], [0.0f64; 2]);
    let (mut bc1, mut bc2) = (0.0f64, 0.0f64);
    let mut reached = None;
    let mut t = 0u64;
    loop {
        let (loss, g) = eval(x, y);
        let grad_norm = (g[0] * g[0] + g[1] * g[1]).sqrt();
        if reached.is_none() && grad_norm < tol {
            reached = Some(t);
        }
        let diverged =
            !(loss.is_finite() && x.abs() <= DIVERGENCE_BOX && y.abs() <= DIVERGENCE_BOX);
        if diverged || t == steps {
            return (x, y, loss, reached);
        }
        t += 1;
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
}

#[divan::bench]
fn engine_adam_rosenbrock_1_thread(bencher: divan::Bencher) {
    let batch = batch(STEPS);
    let setup = |i: usize| RunSetup {
        start: start(i, 8),
        seed: 0,
        overrides: Vec::new(),
    };
    bencher
        .counter(divan::counter::ItemsCount::new(RUNS * STEPS as usize))
        .bench(|| engine::run_batch(&batch, black_box(RUNS), &setup, 1, &Progress::new()));
}

#[divan::bench]
fn hand_adam_rosenbrock(bencher: divan::Bencher) {
    bencher
        .counter(divan::counter::ItemsCount::new(RUNS * STEPS as usize))
        .bench(|| {
            (0..black_box(RUNS))
                .map(|i| hand_adam(start(i, 8), STEPS, 1e-4))
                .collect::<Vec<_>>()
        });
}

/// The hand loop with the gradient from the crate's Rosenbrock (forward-mode jets, as the
/// engine evaluates it): what the surface costs, apart from the engine's bookkeeping.
#[divan::bench]
fn hand_adam_rosenbrock_via_surface(bencher: divan::Bencher) {
    struct Hand;
    impl SurfaceVisitor for Hand {
        type Output = Vec<(f64, f64, f64, Option<u64>)>;
        fn visit<S: Surface + ?Sized>(self, surface: &S) -> Self::Output {
            (0..black_box(RUNS))
                .map(|i| {
                    hand_adam_on(start(i, 8), STEPS, 1e-4, |x, y| {
                        let (f, g) = surface.value_gradient(P2::new(x, y));
                        (f, [g.x, g.y])
                    })
                })
                .collect()
        }
    }
    let landscape = batch(STEPS).landscape;
    bencher
        .counter(divan::counter::ItemsCount::new(RUNS * STEPS as usize))
        .bench(|| landscape.visit_typed(Hand));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn basin_map_256_adam_rosenbrock_500() -> Option<BasinMap> {
    let batch = batch(500);
    let bounds = batch.landscape.view;
    BasinMap::compute(
        &batch,
        0,
        bounds,
        [256, 256],
        engine::default_threads(),
        &Progress::new(),
    )
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn hand_basin_map_256() -> usize {
    let n = 256;
    let threads = engine::default_threads();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|w| {
                s.spawn(move || {
                    (w..n * n)
                        .step_by(threads)
                        .filter(|&i| hand_adam(start(i, n), 500, 1e-4).3.is_some())
                        .count()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    })
}

const LONG: u64 = 1_000_000;

#[divan::bench(sample_count = 10, sample_size = 1)]
fn single_run_final_1m() -> engine::Outcome {
    let race = RaceSpec {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        optimizers: vec!["adam:lr=0.01".into()],
        steps: LONG,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    engine::run_single(&race, 0, 0.0)
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn core_run_last_record_1m() -> Option<descent::race::Record> {
    let race = RaceSpec {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        optimizers: vec!["adam:lr=0.01".into()],
        steps: LONG,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    race.run(0).last()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn hand_single_run_1m() -> (f64, f64, f64, Option<u64>) {
    hand_adam(black_box(P2::new(-1.5, 2.0)), LONG, 0.0)
}
