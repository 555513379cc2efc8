//! Data surfaces: exact derivatives of every model × loss against finite differences, the
//! mse minimum against the normal equations, minibatches against torch's DataLoader, and
//! batch = n against full-batch gradient descent bit for bit.

use std::sync::Arc;

use descent::P2;
use descent::data::batch::BatchPlan;
use descent::data::{Dataset, Minimum};
use descent::landscape::Landscape;
use descent::race::RaceSpec;
use descent::surface::Surface;
use proptest::prelude::*;

const SPECS: &[(&str, &str)] = &[
    ("linear-regression:loss=mse", "line:n=40,noise=1"),
    ("linear-regression:loss=mae", "outliers"),
    ("linear-regression:loss=huber,delta=0.7", "outliers"),
    ("linear-regression:loss=mse+l1=0.3", "line:n=40"),
    (
        "linear-regression:loss=huber+elastic=0.2,ratio=0.5",
        "line:n=40",
    ),
    ("linear-classifier:loss=logistic", "blobs:n=60,separation=1"),
    (
        "linear-classifier:loss=hinge,bias=0.5",
        "blobs:n=60,separation=1",
    ),
    (
        "linear-classifier:loss=squared-hinge+l2=0.1",
        "blobs:n=60,separation=1",
    ),
    ("linear-classifier:loss=logistic+l1=0.05", "blobs:n=60"),
];

fn land(surface: &str, data: &str) -> Landscape {
    Landscape::parse_with_data(surface, Some(data)).unwrap()
}

/// Distance from θ to the nearest kink of the surface: a per-sample kink (residual 0 for
/// mae, |r| = δ for huber, margin 1 for hinges) or a penalized coordinate 0 under L1.
fn kink_distance(l: &Landscape, theta: P2) -> f64 {
    let d = l.data.as_ref().unwrap();
    let loss = d.model.loss.name();
    let mut nearest = f64::INFINITY;
    for i in 0..d.len() {
        let u = d.argument(i, theta);
        let kinks: &[f64] = match loss {
            "mae" => &[0.0],
            "huber" => &[-0.7, 0.7, -1.0, 1.0],
            "hinge" | "squared-hinge" => &[1.0],
            _ => &[],
        };
        for k in kinks {
            nearest = nearest.min((u - k).abs() / 10.0);
        }
    }
    if l.spec.contains("+l1") || l.spec.contains("+elastic") {
        nearest = nearest.min(theta.x.abs()).min(theta.y.abs());
    }
    nearest
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn gradients_and_hessians_match_central_differences(
        which in 0..SPECS.len(), x in -3.0..3.0f64, y in -3.0..3.0f64,
    ) {
        let (spec, data) = SPECS[which];
        let l = land(spec, data);
        let s = l.surface.as_ref();
        let p = P2::new(x, y);
        let h = 1e-5;
        prop_assume!(kink_distance(&l, p) > 1e-3);
        let (f, g) = s.value_gradient(p);
        prop_assert_eq!(f, s.value(p));
        let hess = s.hessian(p);
        for j in 0..2 {
            let mut e = P2::zeros();
            e[j] = h;
            let numeric = (s.value(p + e) - s.value(p - e)) / (2.0 * h);
            prop_assert!((numeric - g[j]).abs() <= 1e-6 * (1.0 + g[j].abs()),
                "{spec} ∂{j} at {p:?}: {numeric} vs {}", g[j]);
            let dg = (s.gradient(p + e) - s.gradient(p - e)) / (2.0 * h);
            for i in 0..2 {
                prop_assert!((dg[i] - hess[(i, j)]).abs() <= 1e-5 * (1.0 + hess[(i, j)].abs()),
                    "{spec} H[{i},{j}] at {p:?}: {} vs {}", dg[i], hess[(i, j)]);
            }
        }
    }

    #[test]
    fn a_batch_of_every_point_is_the_full_loss(which in 0..SPECS.len(), x in -3.0..3.0f64, y in -3.0..3.0f64) {
        let (spec, data) = SPECS[which];
        let l = land(spec, data);
        let d = l.data.as_ref().unwrap();
        let all: Vec<usize> = (0..d.len()).collect();
        let p = P2::new(x, y);
        let (f, g) = d.batch(&all).value_gradient(p);
        let (ff, fg) = l.surface.value_gradient(p);
        prop_assert!((f - ff).abs() <= 1e-12 * (1.0 + ff.abs()));
        prop_assert!((g - fg).norm() <= 1e-12 * (1.0 + fg.norm()));
    }
}

#[test]
fn the_mse_minimum_solves_the_normal_equations() {
    let l = land(
        "linear-regression",
        "line:n=200,slope=-1.5,intercept=0.7,noise=0.8,seed=5",
    );
    let d = l.data.as_ref().unwrap();
    let Minimum::Exact(theta) = d.minimum else {
        panic!("{:?}", d.minimum)
    };
    // θ = (XᵀX)⁻¹Xᵀy with the design matrix X = [x 1].
    let n = d.data.points.len();
    let x = nalgebra::DMatrix::from_fn(n, 2, |i, j| if j == 0 { d.data.points[i].x } else { 1.0 });
    let y = nalgebra::DVector::from_fn(n, |i, _| d.data.points[i].y);
    let xtx = x.transpose() * &x;
    let normal = xtx.lu().solve(&(x.transpose() * y)).unwrap();
    assert!((theta.x - normal[0]).abs() < 1e-12 && (theta.y - normal[1]).abs() < 1e-12);
    assert!(l.surface.gradient(theta).norm() < 1e-12);
    assert_eq!(l.critical.len(), 1);
    assert_eq!(l.axes, ["w", "b"]);
}

#[test]
fn ridge_leaves_the_bias_alone() {
    // With L2 on w only: w = Cxy/(Cxx + λ), and ∂/∂b is the plain data gradient.
    let l = land("linear-regression+l2=0.5", "line");
    let d = l.data.as_ref().unwrap();
    let p = d.minimum.point().unwrap();
    assert!(l.surface.gradient(p).norm() < 1e-12);
    let plain = land("linear-regression", "line");
    let b = P2::new(0.0, 3.0);
    assert_eq!(
        l.surface.gradient(b).y,
        plain.surface.gradient(b).y,
        "bias unpenalized"
    );
    assert!(
        (l.surface.value(b) - plain.surface.value(b)).abs() < 1e-15,
        "w = 0: no penalty"
    );
}

#[test]
fn minima_of_every_smooth_loss_are_stationary_and_piecewise_ones_are_lowest() {
    for &(spec, data) in SPECS {
        let l = land(spec, data);
        let d = l.data.as_ref().unwrap();
        let Some(p) = d.minimum.point() else {
            panic!("{spec} on {data}: {:?}", d.minimum)
        };
        let f = l.surface.value(p);
        // No point nearby is lower (the minimum of a convex function; kinks included).
        for k in 0..64 {
            let a = k as f64 * std::f64::consts::TAU / 64.0;
            for r in [1e-3, 1e-2, 0.1] {
                let q = p + P2::new(a.cos(), a.sin()) * r;
                assert!(
                    l.surface.value(q) >= f - 1e-12,
                    "{spec}: {q:?} is lower than {p:?}"
                );
            }
        }
    }
}

#[test]
fn separable_logistic_has_no_minimum_until_l2_gives_it_one() {
    let separable = "blobs:separation=6,spread=0.5";
    let l = land("linear-classifier:loss=logistic", separable);
    match &l.data.as_ref().unwrap().minimum {
        Minimum::None(why) => assert!(why.contains("separable"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(l.critical.is_empty());
    let reg = land("linear-classifier:loss=logistic+l2=0.01", separable);
    assert_eq!(reg.critical.len(), 1);
    assert_eq!(reg.axes, ["w₁", "w₂"]);
}

#[test]
fn l1_puts_a_weight_exactly_at_zero() {
    // blobs along the x₁ axis: x₂ carries no information, and L1 zeroes its weight.
    let data = "blobs:separation=2,angle=0,n=200";
    let l = land("linear-classifier:loss=logistic+l1=0.02", data);
    let p = l.data.as_ref().unwrap().minimum.point().unwrap();
    assert_eq!(p.y, 0.0, "{p:?}");
    assert!(p.x > 0.5, "{p:?}");
    let plain = land("linear-classifier:loss=logistic+l2=0.0001", data);
    assert!(plain.data.as_ref().unwrap().minimum.point().unwrap().y != 0.0);
}

#[test]
fn models_refuse_the_wrong_kind_of_data_and_data_refuses_analytic_surfaces() {
    let e = |s: &str, d: &str| Landscape::parse_with_data(s, Some(d)).unwrap_err().0;
    assert_eq!(
        e("linear-regression", "blobs"),
        "the mse loss needs regression data, but blobs is classification data (accepted: \
         linear-classifier with loss logistic, hinge or squared-hinge)"
    );
    assert!(e("linear-classifier:loss=mse", "blobs").contains("loss must be one of logistic"));
    assert!(e("rosenbrock", "line").contains("needs a model surface"));
    assert!(e("linear-regression:lr=1", "line").contains("accepted: loss, delta"));
}

#[test]
fn batches_are_the_dataloader_slices_and_shared_by_every_racer() {
    let race = RaceSpec {
        surface: "linear-regression".into(),
        data: Some("line:n=10".into()),
        optimizers: vec!["gd:lr=0.1,batch=4".into(), "adam:lr=0.1,batch=4".into()],
        steps: 7,
        seed: 9,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    assert_eq!(race.batch_plan(0), race.batch_plan(1));
    let plan = race.batch_plan(0).unwrap();
    assert_eq!(
        plan.batch(2).len(),
        2,
        "drop_last=False: the last batch holds the rest"
    );
    let records = race.trajectories();
    let samples: Vec<u64> = records[0].iter().map(|r| r.data.unwrap().samples).collect();
    assert_eq!(samples, [0, 4, 8, 10, 14, 18, 20, 24]);
    assert_eq!(records[0][3].data.unwrap().epoch, 1.0);
}

#[test]
fn batch_n_is_full_batch_gradient_descent_bit_for_bit() {
    let run = |optimizer: &str, batch: Option<u64>| {
        RaceSpec {
            surface: "linear-classifier:loss=logistic+l2=0.01".into(),
            data: Some("blobs:n=50".into()),
            optimizers: vec![optimizer.into()],
            batch,
            steps: 50,
            ..RaceSpec::default()
        }
        .build()
        .unwrap()
        .trajectories()
        .remove(0)
    };
    for optimizer in ["gd:lr=0.5", "lbfgs", "adam:lr=0.05"] {
        assert_eq!(
            run(optimizer, Some(50)),
            run(optimizer, None),
            "{optimizer}"
        );
        assert_ne!(
            run(optimizer, Some(10)),
            run(optimizer, None),
            "{optimizer}"
        );
    }
}

#[test]
fn a_minibatch_step_follows_the_batch_gradient() {
    let race = RaceSpec {
        surface: "linear-regression".into(),
        data: Some("line:n=20".into()),
        optimizers: vec!["gd:lr=0.1,batch=5".into()],
        start: Some([0.5, -0.5]),
        steps: 3,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    let path = race.trajectories().remove(0);
    let d = race.landscape.data.as_ref().unwrap();
    let plan = race.batch_plan(0).unwrap();
    for t in 0..3 {
        let (p, next) = (path[t].point(), path[t + 1].point());
        let idx = plan.batch(t as u64);
        // mean over the batch of 2r·(x, 1)
        let mut g = P2::zeros();
        for &i in &idx {
            let pt = d.data.points[i];
            let r = p.x * pt.x + p.y - pt.y;
            g += P2::new(2.0 * r * pt.x, 2.0 * r) / idx.len() as f64;
        }
        assert!((next - (p - g * 0.1)).norm() < 1e-14, "step {t}");
    }
}

#[test]
fn batch_outside_one_to_n_or_without_data_is_refused() {
    let build = |surface: &str, optimizer: &str, batch| {
        RaceSpec {
            surface: surface.into(),
            data: None,
            optimizers: vec![optimizer.into()],
            batch,
            ..RaceSpec::default()
        }
        .build()
        .map(drop)
        .unwrap_err()
        .0
    };
    assert_eq!(
        build("linear-regression", "gd:batch=51", None),
        "gd:batch=51: batch 51 is not in 1 ..= 50, the number of points of line"
    );
    assert!(
        build("linear-regression", "gd:batch=0", None).contains("batch must be a whole number ≥ 1")
    );
    assert!(build("linear-regression", "gd", Some(0)).contains("batch 0 is not in 1 ..= 50"));
    assert!(build("rosenbrock", "gd:batch=4", None).contains("needs a data surface"));
}

#[test]
fn plans_of_shuffled_epochs_differ_from_file_order() {
    let plan = BatchPlan {
        n: 30,
        batch: 30,
        shuffle: true,
        seed: 0,
    };
    assert_ne!(plan.permutation(0), (0..30).collect::<Vec<_>>());
    let data = Arc::new(Dataset::parse("line").unwrap());
    assert_eq!(data.len(), 50);
}
