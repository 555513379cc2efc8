//! Every surface's exact gradient and Hessian against central differences over its view box,
//! and its known critical points against the published values.

use descent::landscape::Landscape;
use descent::surface::{CATALOG, CriticalKind};
use descent::{M2, P2};
use proptest::prelude::*;

/// Specs covering every catalogue entry, non-default parameters, expressions and regularizers.
fn specs() -> Vec<String> {
    let mut specs: Vec<String> = CATALOG.iter().map(|e| e.name.to_string()).collect();
    specs.extend(
        [
            "quadratic:kappa=50,angle=30",
            "rosenbrock:a=-0.5,b=20",
            "ackley:a=10,b=0.5,c=3",
            "two-well:tilt=-0.5",
            "plateau:width=2",
            "expr:(1-x)^2+100*(y-x^2)^2",
            "expr:sin(x)*cos(y) + exp(-x^2/4) - log(2 + tanh(y)) + sqrt(x^2 + y^2 + 1) + tan(x/4)",
            "expr:abs(x)^1.5 + 2^y + x/(1+y^2)",
            "rosenbrock+l2=0.5",
            "himmelblau+l1=2",
            "quadratic:kappa=10+elastic=1,ratio=0.3",
        ]
        .map(String::from),
    );
    specs
}

/// Central differences of the value (for ∇f) and of the exact gradient (for ∇²f).
fn finite_differences(land: &Landscape, p: P2) -> (P2, M2) {
    let s = land.surface.as_ref();
    let h = 1e-5 * (1.0 + p.norm());
    let (ex, ey) = (P2::new(h, 0.0), P2::new(0.0, h));
    let g = P2::new(
        (s.value(p + ex) - s.value(p - ex)) / (2.0 * h),
        (s.value(p + ey) - s.value(p - ey)) / (2.0 * h),
    );
    let cx = (s.gradient(p + ex) - s.gradient(p - ex)) / (2.0 * h);
    let cy = (s.gradient(p + ey) - s.gradient(p - ey)) / (2.0 * h);
    (g, M2::from_columns(&[cx, cy]))
}

/// Points this far from a kink (an axis for L1 and abs, the origin for cones) are smooth
/// within the difference stencil.
fn near_kink(spec: &str, p: P2) -> bool {
    let kinked_axes = spec.contains("l1") || spec.contains("elastic") || spec.contains("abs");
    let cone = spec.starts_with("ackley");
    (kinked_axes && p.x.abs().min(p.y.abs()) < 1e-3) || (cone && p.norm() < 1e-3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn gradients_and_hessians_match_central_differences(
        which in 0usize..1000, u in 0.0..1.0f64, v in 0.0..1.0f64,
    ) {
        let specs = specs();
        let spec = &specs[which % specs.len()];
        let land = Landscape::parse(spec).unwrap();
        let b = land.view;
        let p = P2::new(b.x[0] + u * (b.x[1] - b.x[0]), b.y[0] + v * (b.y[1] - b.y[0]));
        prop_assume!(!near_kink(spec, p));
        let s = land.surface.as_ref();
        let (f, g) = s.value_gradient(p);
        prop_assume!(f.is_finite());
        prop_assert_eq!(f, s.value(p));
        let h = s.hessian(p);
        let (g_fd, h_fd) = finite_differences(&land, p);
        let g_tol = 1e-6 * (1.0 + g.norm() + f.abs());
        let h_tol = 1e-5 * (1.0 + h.norm() + g.norm());
        prop_assert!((g - g_fd).norm() <= g_tol, "{spec} at {p}: ∇f {g} vs {g_fd}");
        prop_assert!((h - h_fd).norm() <= h_tol, "{spec} at {p}: H {h} vs {h_fd}");
        prop_assert_eq!(h[(0, 1)], h[(1, 0)], "{} Hessian not symmetric", spec);
    }
}

#[test]
fn every_catalogue_surface_gets_differenced_on_a_grid_too() {
    // A deterministic sweep beside the random one, so no surface is ever skipped by chance.
    for spec in specs() {
        let land = Landscape::parse(&spec).unwrap();
        let b = land.view;
        for i in 0..7 {
            for j in 0..7 {
                let p = P2::new(
                    b.x[0] + (i as f64 + 0.37) / 7.0 * (b.x[1] - b.x[0]),
                    b.y[0] + (j as f64 + 0.61) / 7.0 * (b.y[1] - b.y[0]),
                );
                if near_kink(&spec, p) {
                    continue;
                }
                let s = land.surface.as_ref();
                let (f, g) = s.value_gradient(p);
                if !f.is_finite() {
                    continue;
                }
                let (g_fd, h_fd) = finite_differences(&land, p);
                let h = s.hessian(p);
                assert!(
                    (g - g_fd).norm() <= 1e-6 * (1.0 + g.norm() + f.abs()),
                    "{spec} at {p}"
                );
                assert!(
                    (h - h_fd).norm() <= 1e-5 * (1.0 + h.norm() + g.norm()),
                    "{spec} at {p}"
                );
            }
        }
    }
}

/// (x, y, f) of a critical point as published.
type Published = (f64, f64, f64);

/// Published minima (and other critical values) of the standard test functions.
#[test]
fn critical_points_have_their_published_values() {
    let published: &[(&str, &[Published])] = &[
        ("quadratic", &[(0.0, 0.0, 0.0)]),
        ("rosenbrock", &[(1.0, 1.0, 0.0)]),
        ("rosenbrock:a=2", &[(2.0, 4.0, 0.0)]),
        ("beale", &[(3.0, 0.5, 0.0)]),
        ("booth", &[(1.0, 3.0, 0.0)]),
        ("matyas", &[(0.0, 0.0, 0.0)]),
        (
            "himmelblau",
            &[
                (3.0, 2.0, 0.0),
                (-2.805118, 3.131312, 0.0),
                (-3.779310, -3.283186, 0.0),
                (3.584428, -1.848126, 0.0),
                (-0.270845, -0.923039, 181.617),
            ],
        ),
        ("mccormick", &[(-0.54719, -1.54719, -1.9133)]),
        (
            "goldstein-price",
            &[
                (0.0, -1.0, 3.0),
                (-0.6, -0.4, 30.0),
                (1.8, 0.2, 84.0),
                (1.2, 0.8, 840.0),
            ],
        ),
        (
            "six-hump-camel",
            &[(0.0898, -0.7126, -1.0316), (-0.0898, 0.7126, -1.0316)],
        ),
        ("styblinski-tang", &[(-2.903534, -2.903534, -78.33234)]),
        ("rastrigin", &[(0.0, 0.0, 0.0)]),
        ("ackley", &[(0.0, 0.0, 0.0)]),
        ("saddle", &[(0.0, 0.0, 0.0)]),
        ("monkey-saddle", &[(0.0, 0.0, 0.0)]),
        (
            "saddle-escape",
            &[(0.0, 0.0, 0.0), (0.0, 1.0, -0.25), (0.0, -1.0, -0.25)],
        ),
        ("plateau", &[(0.0, 0.0, 0.0)]),
    ];
    for (spec, points) in published {
        let land = Landscape::parse(spec).unwrap();
        for &(x, y, f) in points.iter() {
            let c = land
                .critical
                .iter()
                .find(|c| (c.x - x).abs() < 1e-4 && (c.y - y).abs() < 1e-4)
                .unwrap_or_else(|| panic!("{spec}: no critical point near ({x}, {y})"));
            // Published to 4–6 significant digits.
            assert!(
                (c.f - f).abs() <= 1e-4 * (1.0 + f.abs()),
                "{spec}: f = {} vs {f}",
                c.f
            );
        }
    }
}

#[test]
fn critical_points_are_stationary_and_of_their_kind() {
    for entry in CATALOG {
        let land = Landscape::parse(entry.name).unwrap();
        assert!(
            !land.critical.is_empty(),
            "{} lists no critical point",
            entry.name
        );
        assert!(
            land.critical
                .iter()
                .any(|c| c.kind == CriticalKind::GlobalMinimum)
                || entry.name.contains("saddle") && !entry.name.contains("escape"),
            "{} has no global minimum",
            entry.name
        );
        for c in &land.critical {
            let p = c.point();
            let g = land.surface.gradient(p);
            assert!(g.norm() < 1e-8, "{}: ∇f = {g} at {c:?}", entry.name);
            assert!(
                land.view.contains(p),
                "{}: {c:?} outside the view",
                entry.name
            );
            let eig = land.surface.hessian(p).symmetric_eigenvalues();
            let (lo, hi) = (eig.min(), eig.max());
            let expected = match c.kind {
                CriticalKind::GlobalMinimum | CriticalKind::LocalMinimum => lo >= 0.0,
                CriticalKind::Maximum => hi < 0.0,
                // The monkey saddle is degenerate: its Hessian vanishes.
                CriticalKind::Saddle => lo < 0.0 && hi > 0.0 || entry.name == "monkey-saddle",
            };
            assert!(expected, "{}: eigenvalues {lo}, {hi} at {c:?}", entry.name);
        }
        assert!(
            land.view.contains(land.start),
            "{}: start outside the view",
            entry.name
        );
    }
}

#[test]
fn regularization_moves_the_minimum_where_theory_puts_it() {
    // ½(x² + y²) + (λ/2)(x² + y²) keeps its minimum at 0; on a shifted bowl the L2 term pulls
    // the minimum towards the origin: argmin ½(x−a)² + λ/2·x² = a/(1+λ).
    let land = Landscape::parse("expr:0.5*(x-2)^2 + 0.5*(y+1)^2").unwrap();
    assert!(land.critical.is_empty());
    let reg = Landscape::parse("rosenbrock+l2=0.1").unwrap();
    let min = reg.critical[0];
    assert!(
        min.x < 1.0 && min.y < 1.0,
        "L2 pulls the minimum towards the origin: {min:?}"
    );
    assert!(reg.surface.gradient(min.point()).norm() < 1e-10);
    // Where the penalty moved it from stays known, for the map's hollow ◇.
    let former: Vec<P2> = reg.unregularized_minima.iter().map(|c| c.point()).collect();
    assert_eq!(former, vec![P2::new(1.0, 1.0)]);
    assert!(
        Landscape::parse("rosenbrock")
            .unwrap()
            .unregularized_minima
            .is_empty()
    );
    // L1 on a bowl centred at (2, 0): soft thresholding, x* = 2 − λ.
    let l1 = Landscape::parse("quadratic+l1=0.5").unwrap();
    assert_eq!(l1.critical[0].point(), P2::zeros());
    let plain = Landscape::parse("expr:0.5*(x-2)^2 + 0.5*y^2+l1=0.5").unwrap();
    assert!((plain.surface.gradient(P2::new(1.5, 0.0))).norm() < 1e-15);
}

#[test]
fn expression_equals_the_catalogue_surface_it_spells() {
    let expr = Landscape::parse("expr:(1-x)^2+100*(y-x^2)^2").unwrap();
    let rosen = Landscape::parse("rosenbrock").unwrap();
    for p in [P2::new(-1.5, 2.0), P2::new(0.3, -0.7), P2::new(1.0, 1.0)] {
        assert_eq!(expr.surface.value(p), rosen.surface.value(p));
        assert_eq!(expr.surface.gradient(p), rosen.surface.gradient(p));
        assert_eq!(expr.surface.hessian(p), rosen.surface.hessian(p));
    }
}

#[test]
fn bad_surface_specs_explain_themselves() {
    let cases = [
        (
            "banana",
            "unknown surface 'banana' (known: quadratic, rosenbrock,",
        ),
        (
            "rosenbrock:c=1",
            "rosenbrock: unknown parameter 'c' (accepted: a, b)",
        ),
        (
            "quadratic:kappa=0.5",
            "quadratic: kappa must be in [1, 100000000], got '0.5'",
        ),
        (
            "quadratic:kappa=abc",
            "kappa must be in [1, 100000000], got 'abc'",
        ),
        (
            "expr:(1-x",
            "expr: expected ')' to close the '(' at position 1 at position 5",
        ),
        ("expr:x+q", "expr: unknown name 'q'"),
        ("rosenbrock+l2=-1", "l2: l2 must be ≥ 0, got '-1'"),
        ("rosenbrock+l3=1", "unknown regularization 'l3'"),
    ];
    for (spec, expected) in cases {
        let err = Landscape::parse(spec).unwrap_err().0;
        assert!(err.contains(expected), "{spec}: {err}");
    }
}
