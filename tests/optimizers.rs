//! Update rules worked by hand, convergence, divergence, and the race's guarantees
//! (determinism, common random numbers, evaluation counts).

use descent::P2;
use descent::race::{RaceSpec, Record, Status};

fn race(surface: &str, start: [f64; 2], optimizers: &[&str], steps: u64) -> RaceSpec {
    RaceSpec {
        surface: surface.into(),
        start: Some(start),
        optimizers: optimizers.iter().map(|s| s.to_string()).collect(),
        steps,
        ..RaceSpec::default()
    }
}

fn path(surface: &str, start: [f64; 2], optimizer: &str, steps: u64) -> Vec<Record> {
    race(surface, start, &[optimizer], steps)
        .build()
        .unwrap()
        .trajectories()
        .remove(0)
}

fn close(a: P2, b: P2, tol: f64) -> bool {
    (a - b).norm() <= tol
}

/// On ½(x² + 4y²) from (1, 1) the gradient is (1, 4): every first step below is computed
/// from the update rule's formula by hand.
#[test]
fn first_steps_follow_the_formulas() {
    let q = "quadratic:kappa=4";
    let second = |optimizer: &str| path(q, [1.0, 1.0], optimizer, 1)[1].point();
    let third = |optimizer: &str| path(q, [1.0, 1.0], optimizer, 2)[2].point();

    // p − lr·g
    assert_eq!(second("gd:lr=0.1"), P2::new(0.9, 0.6));
    // b₁ = g₁ = (1, 4); at (0.9, 0.6) g₂ = (0.9, 2.4), b₂ = 0.9·b₁ + g₂ = (1.8, 6), p₂ = p₁ − 0.1·b₂
    assert!(close(third("momentum:lr=0.1"), P2::new(0.72, 0.0), 1e-15));
    // Nesterov (torch form): d = g + μ·b = (1.9, 7.6)
    assert!(close(second("nesterov:lr=0.1"), P2::new(0.81, 0.24), 1e-15));
    // AdaGrad: s = g², step lr·g/(|g| + 1e-10): every coordinate moves by lr
    assert!(close(second("adagrad:lr=0.1"), P2::new(0.9, 0.9), 1e-10));
    // RMSProp: v = (1 − α)g², step lr·g/√v = lr/√(1 − α) per coordinate = 0.1
    assert!(close(second("rmsprop:lr=0.01"), P2::new(0.9, 0.9), 1e-7));
    // Adadelta: Δ = √eps/√((1−ρ)g² + eps)·g ≈ 1e-3·√10 per coordinate
    let step = |g: f64| 1e-3 / (0.1 * g * g + 1e-6f64).sqrt() * g;
    assert!(close(
        second("adadelta"),
        P2::new(1.0 - step(1.0), 1.0 - step(4.0)),
        1e-15
    ));
    // Adam: m̂ = g, v̂ = g², step lr·g/(|g| + eps)
    assert!(close(second("adam:lr=0.1"), P2::new(0.9, 0.9), 1e-8));
    // "Adam (almost)": m = 0.1g, v = 0.001g², step lr·0.1g/(√0.001·|g|) = lr·√10 — the
    // overshooting first steps that bias correction exists to prevent.
    let almost = 1.0 - 0.1 * 0.1 / 0.001f64.sqrt();
    assert!(close(
        second("adam:lr=0.1,bias_correction=false"),
        P2::new(almost, almost),
        1e-6
    ));
    // AdamW: p·(1 − lr·wd) first, then the Adam step
    assert!(close(
        second("adamw:lr=0.1,weight_decay=0.5"),
        P2::new(0.85, 0.85),
        1e-8
    ));
    // NAdam: lr·[(1 − μ₁)/(1 − μ₁) + μ₂·0.1/(1 − μ₁μ₂)] per coordinate
    let mu = |t: f64| 0.9 * (1.0 - 0.5 * 0.96f64.powf(t * 0.004));
    let nadam = 1.0 - 0.1 * (1.0 + mu(2.0) * 0.1 / (1.0 - mu(1.0) * mu(2.0)));
    assert!(close(second("nadam:lr=0.1"), P2::new(nadam, nadam), 1e-8));
    // Newton lands on a quadratic's minimum in one step; damped: (H + I)⁻¹g = (1/2, 4/5)
    assert_eq!(second("newton"), P2::zeros());
    assert!(close(second("newton:damping=1"), P2::new(0.5, 0.2), 1e-15));
    // Armijo: α = 1 gives (0, −3), f = 18 > 2.5; α = ½ gives (0.5, −1), f = 2.125: accepted
    assert_eq!(second("linesearch"), P2::new(0.5, -1.0));
    // Nelder–Mead: simplex (1,1) f 2.5, (1.25,1) f 2.78, (1,1.25) f 3.63; the reflection (1.25, 0.75)
    // beats the best, and so does the expansion (1.375, 0.5) with f 1.445
    assert_eq!(second("nelder-mead"), P2::new(1.375, 0.5));
}

#[test]
fn newton_goes_to_the_saddle_and_reports_a_singular_hessian() {
    // At a saddle the Newton step is the exact step to the stationary point: no escape.
    let p = path("saddle", [-1.8, 0.3], "newton", 3);
    assert_eq!(p[1].point(), P2::zeros());
    assert_eq!(p[1].status, Status::Converged);
    // f = x + y² has H = diag(0, 2): the run ends at once, marked singular.
    let p = path("expr:x + y^2", [1.0, 1.0], "newton", 10);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].status, Status::Singular);
    // Damping makes the same system solvable.
    assert_eq!(
        path("expr:x + y^2", [1.0, 1.0], "newton:damping=1", 10).len(),
        11
    );
}

#[test]
fn a_zero_gradient_is_a_zero_step_even_without_eps() {
    for optimizer in [
        "gd",
        "momentum",
        "adagrad:eps=0",
        "rmsprop:eps=0",
        "rmsprop:eps=0,centered=true",
        "adadelta:eps=0",
        "adam:eps=0",
        "adam:eps=0,bias_correction=false",
        "nadam:eps=0",
        "newton",
        "bfgs",
        "lbfgs",
        "cg",
        "linesearch",
    ] {
        // The monkey saddle's origin: gradient and Hessian both exactly zero.
        let p = path("monkey-saddle", [0.0, 0.0], optimizer, 5);
        assert_eq!(p.len(), 6, "{optimizer}");
        for r in &p {
            assert_eq!(r.point(), P2::zeros(), "{optimizer} moved: {r:?}");
            assert_eq!(r.status, Status::Converged);
        }
    }
}

/// Optimizer × surface: distance to the minimum after `steps`, with margin over measured values.
#[test]
fn convergence_table() {
    let quad = ("quadratic", [-2.5, 2.0], [0.0, 0.0]);
    let canyon = ("quadratic:kappa=10,angle=30", [-2.5, 2.0], [0.0, 0.0]);
    let rosen = ("rosenbrock", [-1.2, 1.0], [1.0, 1.0]);
    #[rustfmt::skip]
    let table: &[(&str, u64, [f64; 3])] = &[
        // optimizer                    steps   max distance on quad, canyon, rosenbrock
        ("gd:lr=0.001",                 20000, [1e-6, 1e-6, 1e-3]),
        ("momentum:lr=0.001",            5000, [1e-6, 1e-6, 1e-6]),
        ("nesterov:lr=0.001",            5000, [1e-6, 1e-6, 1e-6]),
        ("adagrad:lr=0.5",              20000, [1e-6, 1e-6, 1e-6]),
        ("rmsprop:lr=0.001",            20000, [2e-3, 2e-3, 2e-3]),
        ("adadelta",                    20000, [1e-6, 0.2, 1.0]),
        ("adam:lr=0.02",                20000, [1e-5, 1e-5, 1e-5]),
        ("nadam:lr=0.02",               20000, [1e-6, 1e-6, 1e-2]),
        ("newton",                         20, [1e-12, 1e-12, 1e-12]),
        ("bfgs",                          100, [1e-12, 1e-12, 1e-12]),
        ("lbfgs:history_size=3",          100, [1e-12, 1e-12, 1e-12]),
        ("cg",                            200, [1e-12, 1e-12, 1e-12]),
        ("linesearch",                  20000, [1e-12, 1e-12, 1e-6]),
        ("nelder-mead",                   300, [1e-8, 1e-8, 1e-8]),
        ("random-search:lr=0.05",       20000, [2e-3, 2e-3, 1e-2]),
    ];
    for &(optimizer, steps, tols) in table {
        for ((surface, start, min), tol) in [quad, canyon, rosen].into_iter().zip(tols) {
            let last = *path(surface, start, optimizer, steps).last().unwrap();
            let d = (last.point() - P2::from(min)).norm();
            assert!(
                d <= tol,
                "{optimizer} on {surface}: distance {d:e} after {steps} steps"
            );
            assert_eq!(last.step, steps);
        }
    }
}

#[test]
fn a_diverging_run_stops_marked_while_the_others_go_on() {
    let spec = race(
        "rosenbrock",
        [-1.2, 1.0],
        &["gd:lr=0.01", "adam:lr=0.01"],
        300,
    );
    let t = spec.build().unwrap().trajectories();
    let (gd, adam) = (&t[0], &t[1]);
    let last = gd.last().unwrap();
    assert_eq!(last.status, Status::Diverged);
    assert!(gd.len() < 30, "gd diverged at step {}", last.step);
    assert!(
        !last
            .point()
            .iter()
            .all(|v| v.is_finite() && v.abs() <= 1e12)
            || !last.loss.is_finite()
    );
    assert!(
        gd[..gd.len() - 1]
            .iter()
            .all(|r| r.status == Status::Running)
    );
    assert_eq!(adam.len(), 301);
    // Extremes: nothing panics, everything ends diverged or finite.
    for optimizer in [
        "gd:lr=10",
        "momentum:lr=10",
        "adam:lr=10",
        "newton:lr=10",
        "adagrad:lr=10",
    ] {
        for surface in [
            "rosenbrock",
            "quadratic:kappa=10000",
            "goldstein-price",
            "monkey-saddle",
        ] {
            let p = path(surface, [-1.5, 1.5], optimizer, 500);
            let last = p.last().unwrap();
            assert!(
                last.status == Status::Diverged || last.loss.is_finite(),
                "{optimizer} {surface}"
            );
        }
    }
}

#[test]
fn same_scene_same_seed_same_bits() {
    let mut spec = race(
        "saddle-escape",
        [1.8, 0.0],
        &["gd:lr=0.1", "adam:lr=0.05", "bfgs", "random-search"],
        200,
    );
    spec.noise = 0.3;
    spec.seed = 42;
    let a = spec.build().unwrap().trajectories();
    let b = spec.build().unwrap().trajectories();
    assert_eq!(a, b);
    spec.seed = 43;
    assert_ne!(a, spec.build().unwrap().trajectories());
}

#[test]
fn every_optimizer_sees_the_same_noise() {
    // Common random numbers: two identical configurations in one noisy race take identical paths,
    // and records report the true, noise-free loss.
    let mut spec = race(
        "rosenbrock",
        [-1.2, 1.0],
        &["momentum:lr=0.001", "momentum:lr=0.001"],
        100,
    );
    spec.noise = 5.0;
    let race = spec.build().unwrap();
    let t = race.trajectories();
    assert_eq!(
        t[0],
        t[1].iter()
            .map(|r| Record { run: 0, ..*r })
            .collect::<Vec<_>>()
    );
    let surface = race.landscape.surface.as_ref();
    for r in &t[0] {
        assert_eq!(r.loss, surface.value(r.point()));
        assert_eq!(r.grad_norm, surface.gradient(r.point()).norm());
    }
    // and the noise did act: the noisy path differs from the clean one
    spec.noise = 0.0;
    assert_ne!(t[0], spec.build().unwrap().trajectories()[0]);
}

#[test]
fn noise_lets_gradient_descent_escape_the_saddle() {
    // Started on the saddle's stable line y = 0, plain GD converges to the saddle at the origin;
    // with batch noise it falls into one of the minima at (0, ±1).
    let clean = path("saddle-escape", [1.8, 0.0], "gd:lr=0.1", 400);
    assert!(clean.last().unwrap().point().norm() < 1e-8);
    let mut spec = race("saddle-escape", [1.8, 0.0], &["gd:lr=0.1"], 400);
    spec.noise = 0.05;
    let noisy = spec.build().unwrap().trajectories().remove(0);
    let end = noisy.last().unwrap().point();
    assert!(
        (end.y.abs() - 1.0).abs() < 0.1 && end.x.abs() < 0.1,
        "ended at {end}"
    );
}

#[test]
fn evaluations_count_what_each_method_costs() {
    let evals = |optimizer: &str, noise: f64| {
        let mut spec = race("rosenbrock", [-1.2, 1.0], &[optimizer], 20);
        spec.noise = noise;
        spec.build().unwrap().trajectories()[0]
            .iter()
            .map(|r| r.evals)
            .collect::<Vec<_>>()
    };
    // One gradient per step for first-order methods; gradient + Hessian for Newton, until it
    // stands on the minimum (step 7 here), where a zero gradient needs no Hessian.
    assert_eq!(evals("adam", 0.0), (0..=20).collect::<Vec<_>>());
    let newton = evals("newton", 0.0);
    assert_eq!(newton[..8], [0, 2, 4, 6, 8, 10, 12, 14]);
    assert!(newton.windows(2).skip(7).all(|w| w[1] - w[0] == 1));
    // A line search reuses its accepted point's value and gradient when nothing is noisy.
    let clean = *evals("bfgs", 0.0).last().unwrap();
    let noisy = *evals("bfgs", 1e-9).last().unwrap();
    assert!(
        clean < noisy,
        "bfgs: {clean} evaluations clean, {noisy} noisy"
    );
}

#[test]
fn a_line_search_that_cannot_improve_stops_spending_evaluations() {
    // Converged to within rounding on Himmelblau, no trial point lowers f any more: BFGS
    // and CG used to retry the same failing search at every step (about 50 evaluations
    // each); now a run stands still at no cost once even −∇f has failed from its point.
    for optimizer in ["bfgs", "lbfgs", "cg"] {
        let spec = race("himmelblau", [-0.3, -0.5], &[optimizer], 200);
        let path = &spec.build().unwrap().trajectories()[0];
        let last = path.last().unwrap();
        assert!(last.grad_norm < 1e-6, "{optimizer} converged: {last:?}");
        let at_100 = path[100].evals;
        assert_eq!(
            last.evals, at_100,
            "{optimizer} stopped spending after step 100"
        );
        assert!(last.evals < 400, "{optimizer}: {} evaluations", last.evals);
    }
}

#[test]
fn adamw_without_decay_is_adam_and_schedules_scale_every_lr() {
    let a = path("rosenbrock", [-1.2, 1.0], "adam:lr=0.01", 50);
    let b = path(
        "rosenbrock",
        [-1.2, 1.0],
        "adamw:lr=0.01,weight_decay=0",
        50,
    );
    assert_eq!(a, b);
    let mut spec = race("quadratic", [1.0, 1.0], &["gd:lr=0.1", "adam:lr=0.02"], 10);
    spec.schedule = "step:step_size=4,gamma=0.5".into();
    let t = spec.build().unwrap().trajectories();
    let lrs = |run: &Vec<Record>| run.iter().map(|r| r.lr).collect::<Vec<_>>();
    assert_eq!(
        lrs(&t[0])[..9],
        [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025]
    );
    assert_eq!(lrs(&t[1])[..5], [0.02, 0.02, 0.02, 0.02, 0.01]);

    // A racer's own schedule replaces the race's for that racer only.
    spec.schedules = vec![None, Some("constant".into())];
    let race = spec.build().unwrap();
    let own = race.trajectories();
    assert_eq!(own[0], t[0]);
    assert_eq!(lrs(&own[1])[..9], [0.02; 9]);
    assert_eq!(race.label(0), "gd  lr=0.1");
    assert_eq!(race.label(1), "adam  lr=0.02 · constant");
    spec.schedules = vec![None, Some("cosine:t_max=0".into())];
    assert!(spec.build().is_err());
    spec.schedules = vec![None, None, None];
    let err = spec.build().err().unwrap().to_string();
    assert_eq!(
        err,
        "3 schedules given for 2 optimizers; give at most one per optimizer"
    );
}

#[test]
fn bad_optimizer_specs_explain_themselves() {
    let cases = [
        (
            "sgdd",
            "unknown optimizer 'sgdd' (known: gd, momentum, nesterov,",
        ),
        ("adam:lr=-0.1", "adam: lr must be ≥ 0, got '-0.1'"),
        ("adam:beta1=1", "adam: beta1 must be in [0, 1), got '1'"),
        ("adam:beta2=1.5", "adam: beta2 must be in [0, 1), got '1.5'"),
        ("adam:lr=1e", "adam: lr must be ≥ 0, got '1e'"),
        (
            "adam:betas=0.9",
            "adam: unknown parameter 'betas' (accepted: lr, beta1, beta2, eps,",
        ),
        (
            "gd:nesterov=true",
            "nesterov=true needs momentum > 0 and dampening = 0",
        ),
        (
            "lbfgs:history_size=0",
            "history_size must be a whole number in 1 ..= 100, got '0'",
        ),
    ];
    for (spec, expected) in cases {
        let err = race("quadratic", [1.0, 1.0], &[spec], 1)
            .build()
            .err()
            .unwrap()
            .0;
        assert!(err.contains(expected), "{spec}: {err}");
    }
    let mut spec = race("quadratic", [1.0, 1.0], &["gd"], 0);
    assert!(
        spec.build()
            .err()
            .unwrap()
            .0
            .contains("steps must be a whole number ≥ 1")
    );
    spec.steps = 1;
    spec.noise = -1.0;
    assert!(
        spec.build()
            .err()
            .unwrap()
            .0
            .contains("noise σ must be a finite number ≥ 0")
    );
    spec.optimizers.clear();
    spec.noise = 0.0;
    assert!(spec.build().err().unwrap().0.contains("no optimizer given"));
}
