//! The many-runs engine against the single-run core: every outcome bit for bit, on random
//! configurations; batches in any order and on any number of threads; cancellation.

use descent::P2;
use descent::engine::{self, Batch, Outcome, Progress, RunSetup};
use descent::race::{Race, RaceSpec};
use proptest::prelude::*;

const SURFACES: &[&str] = &[
    "quadratic:kappa=25,angle=30",
    "rosenbrock",
    "himmelblau",
    "two-well",
    "beale",
    "six-hump-camel",
    "rastrigin",
    "saddle-escape",
    "plateau",
    "monkey-saddle",
    "rosenbrock+l2=0.1",
    "expr:(1-x)^2+10*(y-x^2)^2",
];

const OPTIMIZERS: &[&str] = &[
    "gd:lr=0.01",
    "gd:lr=0.3,weight_decay=0.1",
    "momentum:lr=0.01,momentum=0.9",
    "momentum:lr=0.002,dampening=0.5",
    "nesterov:lr=0.01",
    "adagrad:lr=0.3,lr_decay=0.01",
    "rmsprop:lr=0.01,centered=true,momentum=0.5",
    "rmsprop:lr=0.01",
    "adadelta",
    "adam:lr=0.05",
    "adam:lr=0.1,amsgrad=true,weight_decay=0.01",
    "adam:lr=0.05,bias_correction=false",
    "adamw:lr=0.05",
    "nadam:lr=0.05",
    "newton",
    "newton:lr=0.5,damping=0.1",
    "bfgs",
    "lbfgs:history_size=3",
    "linesearch",
    "cg",
    "nelder-mead",
    "random-search:lr=0.3",
];

const SCHEDULES: &[&str] = &[
    "constant",
    "cosine:t_max=50",
    "step:step_size=20,gamma=0.5",
    "warmup:steps=10+exp:gamma=0.99",
];

/// The single-run core's answer: the last record, all evaluations, and the first record
/// with ‖∇f‖ < tol.
fn core_outcome(race: &Race, tol: f64) -> Outcome {
    let mut run = race.run(0);
    let mut last = None;
    let mut first = None;
    for r in run.by_ref() {
        if first.is_none() && r.grad_norm < tol {
            first = Some((r.step, r.evals));
        }
        last = Some(r);
    }
    Outcome {
        last: last.expect("a run has at least its start"),
        evals: run.evals(),
        steps_to_tol: first.map(|f| f.0),
        evals_to_tol: first.map(|f| f.1),
    }
}

/// Compare every field bit for bit (NaN included).
fn same(a: &Outcome, b: &Outcome) -> bool {
    let (r, s) = (&a.last, &b.last);
    let bits = |v: f64| v.to_bits();
    r.run == s.run
        && r.step == s.step
        && bits(r.x) == bits(s.x)
        && bits(r.y) == bits(s.y)
        && bits(r.loss) == bits(s.loss)
        && bits(r.grad_norm) == bits(s.grad_norm)
        && bits(r.lr) == bits(s.lr)
        && r.evals == s.evals
        && r.status == s.status
        && a.evals == b.evals
        && a.steps_to_tol == b.steps_to_tol
        && a.evals_to_tol == b.evals_to_tol
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn engine_matches_the_single_run_core(
        surface in 0..SURFACES.len(),
        optimizer in 0..OPTIMIZERS.len(),
        schedule in 0..SCHEDULES.len(),
        start in (-3.0..3.0f64, -3.0..3.0f64),
        noisy in any::<bool>(),
        noise in 0.01..2.0f64,
        seed in any::<u64>(),
        steps in 1..200u64,
        tol_exp in -9.0..0.0f64,
    ) {
        let spec = RaceSpec {
            surface: SURFACES[surface].into(),
            start: Some([start.0, start.1]),
            optimizers: vec![OPTIMIZERS[optimizer].into()],
            schedule: SCHEDULES[schedule].into(),
            schedules: Vec::new(),
            noise: if noisy { noise } else { 0.0 },
            seed,
            steps,
            ..RaceSpec::default()
        };
        let race = spec.build().unwrap();
        let tol = 10f64.powf(tol_exp);
        let core = core_outcome(&race, tol);
        let engine = engine::run_single(&race, 0, tol);
        prop_assert!(same(&core, &engine), "core {core:?}\nengine {engine:?}");
    }
}

/// A batch of many starts on two threads gives, run by run, what each start's own race gives.
#[test]
fn a_batch_is_its_runs_in_order_on_any_thread_count() {
    let spec = |start: P2, seed: u64| RaceSpec {
        surface: "himmelblau".into(),
        start: Some([start.x, start.y]),
        optimizers: vec!["momentum:lr=0.01".into()],
        noise: 0.5,
        seed,
        steps: 150,
        ..RaceSpec::default()
    };
    let base = spec(P2::zeros(), 0).build().unwrap();
    let batch = Batch::of_race(&base, 0, 1e-4);
    let setup = |i: usize| RunSetup {
        start: P2::new(-4.5 + 0.09 * i as f64, 4.0 - 0.07 * i as f64),
        seed: 1000 + i as u64,
        overrides: Vec::new(),
    };
    let runs = 101;
    let two = engine::run_batch(&batch, runs, &setup, 2, &Progress::new()).unwrap();
    let one = engine::run_batch(&batch, runs, &setup, 1, &Progress::new()).unwrap();
    assert_eq!(two, one);
    for (i, outcome) in two.iter().enumerate() {
        let s = setup(i);
        let race = spec(s.start, s.seed).build().unwrap();
        let mut core = core_outcome(&race, 1e-4);
        core.last.run = i;
        assert!(same(&core, outcome), "run {i}: {core:?} vs {outcome:?}");
    }
}

/// Overridden hyperparameters give the outcome of the spec written with them.
#[test]
fn overrides_are_the_spec_with_those_values() {
    use descent::spec::Value;
    let race = |opt: &str| {
        RaceSpec {
            surface: "quadratic:kappa=10".into(),
            start: Some([2.0, 1.0]),
            optimizers: vec![opt.into()],
            steps: 80,
            ..RaceSpec::default()
        }
        .build()
        .unwrap()
    };
    let batch = Batch::of_race(&race("momentum"), 0, 1e-6);
    let lrs = [0.01, 0.05, 0.1, 0.19];
    let out = engine::run_batch(
        &batch,
        lrs.len(),
        &|i| RunSetup {
            start: P2::new(2.0, 1.0),
            seed: 0,
            overrides: vec![("lr", Value::Real(lrs[i])), ("momentum", Value::Real(0.5))],
        },
        2,
        &Progress::new(),
    )
    .unwrap();
    for (i, lr) in lrs.iter().enumerate() {
        let mut core = core_outcome(&race(&format!("momentum:lr={lr},momentum=0.5")), 1e-6);
        core.last.run = i;
        assert!(same(&core, &out[i]), "lr {lr}");
    }
}

/// A cancelled batch returns promptly with nothing, and a batch cancelled before it starts
/// does no work.
#[test]
fn cancellation_stops_work_promptly() {
    let race = RaceSpec {
        surface: "rosenbrock".into(),
        optimizers: vec!["adam:lr=0.01".into()],
        steps: 20_000,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    let batch = Batch::of_race(&race, 0, 1e-6);
    let runs = 100_000; // ~2·10⁹ steps: minutes of work if cancellation failed
    let setup = |i: usize| RunSetup {
        start: P2::new(-2.0 + 4.0 * (i % 300) as f64 / 300.0, 2.0),
        seed: 0,
        overrides: Vec::new(),
    };
    let progress = Progress::new();
    progress.announce(runs);
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(|| engine::run_batch(&batch, runs, &setup, 2, &progress));
        while progress.counts().0 == 0 {
            std::thread::yield_now();
        }
        progress.cancel();
        worker.join().unwrap()
    });
    assert!(result.is_none());
    let (done, total) = progress.counts();
    assert!(
        done < total / 10,
        "{done} of {total} runs done after cancelling"
    );

    let cancelled = Progress::new();
    cancelled.cancel();
    assert!(engine::run_batch(&batch, runs, &setup, 2, &cancelled).is_none());
    assert_eq!(cancelled.counts().0, 0);
}

#[test]
fn data_surfaces_full_batch_and_minibatch_match_the_single_run_core() {
    for (surface, data, optimizer) in [
        ("linear-regression", "line:n=40", "gd:lr=0.1"),
        ("linear-regression:loss=huber", "outliers", "adam:lr=0.1"),
        ("linear-classifier+l2=0.01", "blobs:n=60", "lbfgs"),
        ("linear-regression", "line:n=40", "gd:lr=0.1,batch=7"),
        (
            "linear-classifier+l2=0.01",
            "blobs:n=60",
            "momentum:lr=0.1,batch=10",
        ),
    ] {
        let race = RaceSpec {
            surface: surface.into(),
            data: Some(data.into()),
            optimizers: vec![optimizer.into()],
            noise: 0.01,
            seed: 3,
            steps: 120,
            ..RaceSpec::default()
        }
        .build()
        .unwrap();
        let core = core_outcome(&race, 1e-3);
        let engine = engine::run_single(&race, 0, 1e-3);
        assert!(
            same(&core, &engine),
            "{optimizer}: core {core:?}\nengine {engine:?}"
        );
        assert!(
            engine.last.data.is_some(),
            "{optimizer}: epochs and samples"
        );
    }
}
