//! The numbers behind the teaching overlays, against values worked out by hand: forces and
//! states of each step, curvature, the stability limits on the lr slider.

use descent::curvature::{Curvature, sgd_stability_limit};
use descent::landscape::Landscape;
use descent::race::{Race, RaceSpec, Status};
use descent::{M2, P2};

fn race(surface: &str, start: [f64; 2], optimizers: &[&str], steps: u64) -> Race {
    RaceSpec {
        surface: surface.into(),
        start: Some(start),
        optimizers: optimizers.iter().map(|s| s.to_string()).collect(),
        steps,
        ..RaceSpec::default()
    }
    .build()
    .unwrap()
}

fn close(a: P2, b: P2, tol: f64) -> bool {
    (a - b).norm() <= tol * (1.0 + b.norm())
}

/// Rosenbrock's gradient and Hessian by hand: f = (1 − x)² + 100(y − x²)².
fn rosenbrock_derivatives(p: P2) -> (P2, M2) {
    let (x, y) = (p.x, p.y);
    let g = P2::new(
        -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
        200.0 * (y - x * x),
    );
    let h = M2::new(
        1200.0 * x * x - 400.0 * y + 2.0,
        -400.0 * x,
        -400.0 * x,
        200.0,
    );
    (g, h)
}

#[test]
fn gradient_descent_forces_are_the_gradient_and_the_step() {
    let r = race("rosenbrock", [-1.5, 2.0], &["gd:lr=0.001"], 3);
    let details = r.details(0);
    let path = r.trajectories().remove(0);
    assert_eq!(details.len(), path.len());
    let (g, _) = rosenbrock_derivatives(P2::new(-1.5, 2.0));
    assert!(close(details[0].gradient, g, 1e-14));
    assert!(close(details[0].step, g * -0.001, 1e-14));
    assert_eq!(details[0].state.velocity, None);
    assert!(details[0].trials.is_empty());
    // The last record has no step.
    assert_eq!(details[3].step, P2::zeros());
    assert!(close(
        details[0].step,
        path[1].point() - path[0].point(),
        0.0
    ));
}

#[test]
fn momentum_velocity_is_minus_lr_times_the_buffer() {
    let (lr, mu) = (0.001, 0.9);
    let r = race(
        "rosenbrock",
        [-1.5, 2.0],
        &["momentum:lr=0.001,momentum=0.9"],
        2,
    );
    let details = r.details(0);
    let path = r.trajectories().remove(0);
    let (g0, _) = rosenbrock_derivatives(path[0].point());
    let (g1, _) = rosenbrock_derivatives(path[1].point());
    // b₁ = g₀; b₂ = μ·g₀ + g₁.
    let b2 = g0 * mu + g1;
    let state = &details[1].state;
    assert!(close(state.buffers[0].1, b2, 1e-14));
    assert!(close(state.velocity.unwrap(), b2 * -lr, 1e-14));
    // Heavy ball's step is its velocity; the gradient's own share is only −lr·g₁.
    assert!(close(details[1].step, b2 * -lr, 1e-14));
}

#[test]
fn adam_first_step_box_is_a_square_of_side_lr() {
    // Whatever the gradient's direction, m̂₁/√v̂₁ = g/|g| per coordinate.
    let r = race(
        "quadratic:kappa=50,angle=30",
        [2.0, 1.0],
        &["adam:lr=0.1"],
        1,
    );
    let d = &r.details(0)[0];
    let half = d.effective_box().unwrap();
    assert!(close(half, P2::new(0.1, 0.1), 1e-7), "{half:?}");
    assert!(close(d.step.abs(), P2::new(0.1, 0.1), 1e-7));
    assert_eq!(d.state.buffers[0].0, "m");
}

#[test]
fn adagrad_effective_lr_shrinks_with_the_sum_of_squares() {
    let r = race(
        "quadratic:kappa=4,angle=0",
        [1.0, 1.0],
        &["adagrad:lr=0.1"],
        3,
    );
    let details = r.details(0);
    let path = r.trajectories().remove(0);
    // ∇f = (x, 4y) on ½(x² + 4y²); s accumulates g².
    let mut s = P2::zeros();
    for t in 0..3 {
        let p = path[t].point();
        let g = P2::new(p.x, 4.0 * p.y);
        s += g.component_mul(&g);
        let eta = s.map(|s| 0.1 / (s.sqrt() + 1e-10));
        assert!(
            close(details[t].state.effective_lr.unwrap(), eta, 1e-14),
            "step {t}"
        );
        assert_eq!(
            details[t].state.buffers[0],
            ("s", details[t].state.buffers[0].1)
        );
        assert!(close(details[t].state.buffers[0].1, s, 1e-14));
    }
    // Every step's box is smaller than the last: AdaGrad slows down.
    let area = |t: usize| details[t].effective_box().unwrap().product();
    assert!(area(1) < area(0) && area(2) < area(1));
}

#[test]
fn newton_and_bfgs_model_steps() {
    let start = P2::new(-1.2, 1.0);
    let r = race("rosenbrock", [start.x, start.y], &["newton", "bfgs"], 2);
    let (g, h) = rosenbrock_derivatives(start);
    let newton_step = -(h.try_inverse().unwrap() * g);
    let newton = &r.details(0)[0];
    assert!(close(newton.state.model_step.unwrap(), newton_step, 1e-12));
    assert!(close(newton.step, newton_step, 1e-12));
    // BFGS's first direction is −∇f (H₀ = I); its line search's trials lie on that ray and
    // the last one is where it stepped.
    let bfgs = &r.details(1)[0];
    let d = bfgs.state.model_step.unwrap();
    assert!(close(d, -g, 1e-14));
    assert!(!bfgs.trials.is_empty());
    for p in &bfgs.trials {
        let along = p - start;
        assert!(
            along.perp(&d).abs() <= 1e-9 * along.norm() * d.norm(),
            "{p:?} off the ray"
        );
    }
    assert!(close(
        *bfgs.trials.last().unwrap(),
        start + bfgs.step,
        1e-15
    ));
    let alpha = bfgs
        .state
        .scalars
        .iter()
        .find(|(n, _)| *n == "α")
        .unwrap()
        .1;
    assert!(close(bfgs.step, d * alpha, 1e-14));
    // After a step, H has taken in a curvature pair: symmetric, positive definite.
    let hinv = bfgs.state.inverse_hessian.unwrap();
    assert!((hinv - hinv.transpose()).norm() < 1e-12);
    assert!(Curvature::of(hinv).eigenvalues[1] > 0.0);
}

#[test]
fn rosenbrock_curvature_at_the_minimum_by_hand() {
    // H(1, 1) = [[802, −400], [−400, 200]]: λ = 501 ± √(301² + 400²) = 501 ± √250601.
    let land = Landscape::parse("rosenbrock").unwrap();
    let k = Curvature::at(land.surface.as_ref(), P2::new(1.0, 1.0));
    let r = 250_601f64.sqrt();
    assert!((k.eigenvalues[0] - (501.0 + r)).abs() < 1e-9);
    assert!((k.eigenvalues[1] - (501.0 - r)).abs() < 1e-9);
    assert!((k.condition_number() - (501.0 + r) / (501.0 - r)).abs() < 1e-6);
    // The stiff direction is about (2, −1)/√5: the canyon's wall.
    let v = k.eigenvectors[0];
    assert!((v.x / v.y + 2.0).abs() < 0.01, "{v:?}");
}

/// The drawn limit is the real one: just under it the run settles, just over it diverges.
#[test]
fn stability_limits_separate_convergence_from_divergence() {
    let surface = "quadratic:kappa=10,angle=30";
    let land = Landscape::parse(surface).unwrap();
    let lambda = Curvature::at(land.surface.as_ref(), P2::zeros()).lambda_max();
    assert!((lambda - 10.0).abs() < 1e-12);
    for (name, mu, nesterov) in [
        ("gd", 0.0, false),
        ("momentum", 0.9, false),
        ("nesterov", 0.9, true),
        ("momentum", 0.5, false),
    ] {
        let limit = sgd_stability_limit(lambda, mu, 0.0, nesterov, 0.0).unwrap();
        let ending = |factor: f64| {
            let spec = format!("{name}:lr={},momentum={mu}", limit * factor);
            let spec = if name == "gd" {
                format!("gd:lr={}", limit * factor)
            } else {
                spec
            };
            let path = race(surface, [1.0, 1.0], &[&spec], 4000)
                .trajectories()
                .remove(0);
            *path.last().unwrap()
        };
        let under = ending(0.98);
        assert!(
            under.loss < 1e-12,
            "{name} μ={mu} under the limit: {under:?}"
        );
        let over = ending(1.02);
        assert_eq!(
            over.status,
            Status::Diverged,
            "{name} μ={mu} over the limit"
        );
    }
}
