//! Networks against independent arithmetic: a per-point reference forward pass written
//! from the definitions, finite differences of the loss and of the gradient, the dense
//! eigensolver.

use std::sync::Arc;

use nalgebra::{DVector, SymmetricEigen};
use proptest::prelude::*;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use super::init::{Scheme, init};
use super::*;
use crate::data::{Table, Targets};

fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// n random points of d features; `classes` = 0 for regression targets.
pub(super) fn table(n: usize, d: usize, classes: usize, seed: u64) -> Arc<Table> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let features = (0..n * d).map(|_| 2.0 * uniform(&mut rng)).collect();
    let targets = if classes == 0 {
        Targets::Values((0..n).map(|_| uniform(&mut rng)).collect())
    } else {
        // every class present when n ≥ classes
        Targets::Classes {
            labels: (0..n).map(|i| i % classes).collect(),
            classes,
        }
    };
    Arc::new(Table {
        spec: "test".into(),
        dims: d,
        features,
        targets,
    })
}

pub(super) fn network(model: &str, loss: Option<&str>, table: Arc<Table>) -> Network {
    Network::from_specs(model, loss, table).unwrap()
}

/// The loss over `rows` from the definitions, point by point, and the smallest |z| of a
/// hidden pre-activation (how close a ReLU is to its kink).
fn reference(net: &Network, p: &[f64], rows: &[usize]) -> (f64, f64) {
    let (mlp, t) = (net.mlp(), net.table());
    let sizes = mlp.sizes();
    let (mut total, mut closest) = (0.0, f64::INFINITY);
    for &i in rows {
        let mut a = t.row(i).to_vec();
        let mut offset = 0;
        for l in 1..sizes.len() {
            let (ni, no) = (sizes[l - 1], sizes[l]);
            let z: Vec<f64> = (0..no)
                .map(|j| {
                    let w = &p[offset + j * ni..offset + (j + 1) * ni];
                    w.iter().zip(&a).map(|(w, a)| w * a).sum::<f64>() + p[offset + no * ni + j]
                })
                .collect();
            offset += no * ni + no;
            let hidden = l + 1 < sizes.len();
            if hidden {
                closest = z.iter().fold(closest, |c, z| c.min(z.abs()));
            }
            a = if hidden {
                z.iter().map(|&z| mlp.activation().value(z)).collect()
            } else {
                z
            };
        }
        total += match (&t.targets, net.loss()) {
            (Targets::Classes { labels, .. }, NetLoss::CrossEntropy) => {
                a.iter().map(|z| z.exp()).sum::<f64>().ln() - a[labels[i]]
            }
            (Targets::Classes { labels, .. }, NetLoss::Mse) => (0..a.len())
                .map(|k| (a[k] - f64::from(u8::from(k == labels[i]))).powi(2))
                .sum(),
            (Targets::Values(v), _) => (a[0] - v[i]).powi(2),
        };
    }
    let den = match net.loss() {
        NetLoss::CrossEntropy => rows.len(),
        NetLoss::Mse => rows.len() * mlp.outputs(),
    };
    (total / den as f64, closest)
}

/// A random small case: the network, its parameters, a row selection (possibly with
/// repeats) and whether its ReLUs are safely away from their kinks.
fn case(
    d: usize,
    hidden: &[usize],
    activation: usize,
    mse: bool,
    regression: bool,
    n: usize,
    seed: u64,
) -> (Network, Vec<f64>, Vec<usize>) {
    let classes = if regression {
        0
    } else {
        2 + (seed % 2) as usize
    };
    let widths: Vec<String> = hidden.iter().map(usize::to_string).collect();
    let hidden = if widths.is_empty() {
        "0".into()
    } else {
        widths.join("x")
    };
    let act = Activation::ALL[activation].name();
    let loss = if mse || regression {
        "mse"
    } else {
        "cross-entropy"
    };
    let net = network(
        &format!("mlp:hidden={hidden},activation={act}"),
        Some(loss),
        table(n, d, classes, seed),
    );
    let params = init(Scheme::Torch, 1.5, net.mlp(), seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xabc);
    let rows = (0..1 + n / 2)
        .map(|_| (rng.next_u64() % n as u64) as usize)
        .collect();
    (net, params, rows)
}

fn arch() -> impl Strategy<Value = (usize, Vec<usize>, usize, bool, bool, usize, u64)> {
    (
        1usize..=3,
        prop::collection::vec(1usize..=4, 0..=2),
        0usize..4,
        any::<bool>(),
        any::<bool>(),
        1usize..=6,
        any::<u64>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn backprop_matches_the_definition_and_central_differences(
        (d, hidden, act, mse, regression, n, seed) in arch(), batch in any::<bool>()
    ) {
        let (net, p, subset) = case(d, &hidden, act, mse, regression, n, seed);
        let all: Vec<usize> = (0..n).collect();
        let (rows, idx) = if batch { (Rows::Only(&subset), &subset) } else { (Rows::All, &all) };
        let (want, closest) = reference(&net, &p, idx);
        prop_assume!(closest > 1e-3 || Activation::ALL[act] != Activation::Relu);
        let mut g = vec![0.0; p.len()];
        let value = net.value_gradient(&p, rows, &mut g);
        prop_assert!((value - want).abs() <= 1e-12 * (1.0 + want.abs()), "{value} vs {want}");
        prop_assert_eq!(value, net.value(&p, rows));
        let h = 1e-5;
        let mut q = p.clone();
        for j in 0..p.len() {
            q[j] = p[j] + h;
            let plus = net.value(&q, rows);
            q[j] = p[j] - h;
            let fd = (plus - net.value(&q, rows)) / (2.0 * h);
            q[j] = p[j];
            prop_assert!((fd - g[j]).abs() <= 1e-7 * (1.0 + g[j].abs()), "∂{j}: {fd} vs {}", g[j]);
        }
    }

    #[test]
    fn hvp_matches_central_differences_of_the_gradient(
        (d, hidden, act, mse, regression, n, seed) in arch(), batch in any::<bool>()
    ) {
        let (net, p, subset) = case(d, &hidden, act, mse, regression, n, seed);
        let rows = if batch { Rows::Only(&subset) } else { Rows::All };
        let all: Vec<usize> = (0..n).collect();
        let (_, closest) = reference(&net, &p, &all);
        prop_assume!(closest > 1e-3 || Activation::ALL[act] != Activation::Relu);
        let v = init(Scheme::Torch, 1.0, net.mlp(), seed.wrapping_add(1));
        let mut hv = vec![0.0; p.len()];
        net.hvp(&p, rows, &v, &mut hv);
        let h = 1e-5;
        let grad_at = |s: f64| {
            let q: Vec<f64> = p.iter().zip(&v).map(|(p, v)| p + s * v).collect();
            let mut g = vec![0.0; p.len()];
            net.value_gradient(&q, rows, &mut g);
            g
        };
        let (gp, gm) = (grad_at(h), grad_at(-h));
        let size = hv.iter().fold(1.0f64, |m, x| m.max(x.abs()));
        for j in 0..p.len() {
            let fd = (gp[j] - gm[j]) / (2.0 * h);
            prop_assert!((fd - hv[j]).abs() <= 1e-6 * size, "(Hv){j}: {fd} vs {}", hv[j]);
        }
    }
}

#[test]
fn the_hessian_is_symmetric_and_its_columns_are_hvps() {
    for act in ["tanh", "sigmoid", "relu"] {
        let net = network(
            &format!("mlp:hidden=5x4,activation={act}"),
            None,
            table(9, 2, 3, 4),
        );
        let p = init(Scheme::Torch, 1.0, net.mlp(), 4);
        let h = net.hessian(&p, Rows::All).unwrap();
        let asym = (&h - h.transpose()).abs().max();
        assert!(
            asym <= 1e-14 * h.abs().max().max(1.0),
            "{act}: asymmetry {asym}"
        );
        let v = init(Scheme::He, 1.0, net.mlp(), 5);
        let mut hv = vec![0.0; v.len()];
        net.hvp(&p, Rows::All, &v, &mut hv);
        let dense = &h * DVector::from_column_slice(&v);
        assert!((dense - DVector::from_column_slice(&hv)).abs().max() < 1e-12);
    }
    let big = network("mlp:hidden=64x64", None, table(3, 2, 3, 1));
    let err = big
        .hessian(&vec![0.0; big.parameter_count()], Rows::All)
        .unwrap_err()
        .0;
    assert_eq!(
        err,
        "mlp 2-64-64-3 has 4547 parameters; a dense Hessian is built for at most 4096"
    );
}

#[test]
fn many_products_at_one_point_are_the_single_products_bit_for_bit() {
    // 20 points fit one chunk (the passes are shared); 700 through a 300-wide layer do not.
    for (model, n) in [("mlp:hidden=5x4", 20), ("mlp:hidden=300", 700)] {
        let net = network(model, None, table(n, 2, 3, 6));
        let p = init(Scheme::Torch, 1.0, net.mlp(), 6);
        let rows: Vec<usize> = (0..n).step_by(3).collect();
        for rows in [Rows::All, Rows::Only(&rows)] {
            let vs: Vec<Vec<f64>> = (0..3)
                .map(|s| init(Scheme::He, 1.0, net.mlp(), 10 + s))
                .collect();
            let shared: Vec<Vec<f64>> = net.with_hvp(&p, rows, |hvp| {
                vs.iter()
                    .map(|v| {
                        let mut out = vec![f64::NAN; v.len()];
                        hvp(v, &mut out);
                        out
                    })
                    .collect()
            });
            for (v, got) in vs.iter().zip(&shared) {
                let mut want = vec![0.0; v.len()];
                net.hvp(&p, rows, v, &mut want);
                let same = got
                    .iter()
                    .zip(&want)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "{model}, {rows:?}: shared passes changed H·v");
            }
        }
    }
}

#[test]
fn lanczos_matches_the_dense_eigensolver_on_network_hessians() {
    for (model, loss, classes) in [
        ("mlp:hidden=6x5", None, 3),
        ("mlp:hidden=4,activation=sigmoid", Some("mse"), 2),
        ("mlp:hidden=3", None, 0),
    ] {
        let net = network(model, loss, table(12, 2, classes, 8));
        let p = init(Scheme::Torch, 1.0, net.mlp(), 8);
        let dense = SymmetricEigen::new(net.hessian(&p, Rows::All).unwrap()).eigenvalues;
        let found = lanczos::extremes(p.len(), 3, |v, out| net.hvp(&p, Rows::All, v, out));
        let scale = dense.max().abs().max(dense.min().abs());
        assert!(found.converged, "{model}: {found:?}");
        assert!(
            (found.max - dense.max()).abs() <= 1e-9 * scale,
            "{model}: {found:?} vs {}",
            dense.max()
        );
        assert!(
            (found.min - dense.min()).abs() <= 1e-9 * scale,
            "{model}: {found:?} vs {}",
            dense.min()
        );
    }
}

#[test]
fn chunks_add_up_to_the_whole_table_and_batches_to_their_points() {
    // 700 points through a 300-wide layer: chunks of 65536 / 304 = 215 points.
    let net = network("mlp:hidden=300", None, table(700, 1, 3, 2));
    let p = init(Scheme::Torch, 1.0, net.mlp(), 2);
    let mut g = vec![0.0; p.len()];
    let all = net.value_gradient(&p, Rows::All, &mut g);
    let all_rows: Vec<usize> = (0..700).collect();
    assert!((all - reference(&net, &p, &all_rows).0).abs() < 1e-12);
    let (first, second): (Vec<usize>, Vec<usize>) = (0..700).partition(|i| i % 3 == 0);
    let (mut g1, mut g2) = (vec![0.0; p.len()], vec![0.0; p.len()]);
    let l1 = net.value_gradient(&p, Rows::Only(&first), &mut g1);
    let l2 = net.value_gradient(&p, Rows::Only(&second), &mut g2);
    let (w1, w2) = (first.len() as f64 / 700.0, second.len() as f64 / 700.0);
    assert!((w1 * l1 + w2 * l2 - all).abs() < 1e-13);
    for j in 0..p.len() {
        assert!((w1 * g1[j] + w2 * g2[j] - g[j]).abs() < 1e-13, "{j}");
    }
    assert!(net.value(&p, Rows::Only(&[])).is_nan());
    net.value_gradient(&p, Rows::Only(&[]), &mut g);
    assert!(g.iter().all(|x| x.is_nan()));
}

#[test]
fn outputs_and_accuracy_follow_the_logits() {
    // A linear 2-class model: logit₁ − logit₀ = x₁, so points with x₁ > 0 are class 1.
    let t = Arc::new(Table {
        spec: "four".into(),
        dims: 2,
        features: vec![1.0, 0.0, -1.0, 0.0, 2.0, 5.0, -3.0, 1.0],
        targets: Targets::Classes {
            labels: vec![1, 0, 0, 0],
            classes: 2,
        },
    });
    let net = network("mlp:hidden=0", None, t);
    let p = [0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
    let mut z = [0.0; 2];
    net.outputs_at(&p, &[2.5, 7.0], &mut z);
    assert_eq!(z, [0.0, 2.5]);
    assert_eq!(net.accuracy(&p), Some(0.75), "(2, 5) is on the wrong side");
    let regression = network("mlp", None, table(4, 1, 0, 1));
    assert_eq!(
        regression.accuracy(&vec![0.0; regression.parameter_count()]),
        None
    );
}

#[test]
fn threads_sharing_a_network_get_the_same_numbers() {
    let net = network("mlp:hidden=8", None, table(40, 2, 3, 6));
    let p = init(Scheme::Torch, 1.0, net.mlp(), 6);
    let want = net.value(&p, Rows::All);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..200).for_each(|_| assert_eq!(net.value(&p, Rows::All), want)));
        }
    });
    assert_eq!(net.clone().value(&p, Rows::All), want);
}

#[test]
fn networks_that_do_not_fit_their_data_are_refused_in_one_line() {
    let classes = table(5, 2, 3, 1);
    let mut bad_label = (*classes).clone();
    bad_label.targets = Targets::Classes {
        labels: vec![0, 1, 2, 3, 0],
        classes: 3,
    };
    let mut nan = (*classes).clone();
    nan.features[3] = f64::NAN;
    let empty = Table {
        spec: "none".into(),
        dims: 2,
        features: vec![],
        targets: Targets::Values(vec![]),
    };
    let mlp = |d, k| Mlp::new(&ModelSpec::parse("mlp:hidden=4").unwrap(), d, k).unwrap();
    let cases = [
        (
            Network::new(mlp(3, 3), NetLoss::CrossEntropy, classes.clone()),
            "mlp 3-4-3 takes 3 inputs, but test has 2 features per point",
        ),
        (
            Network::new(mlp(2, 2), NetLoss::CrossEntropy, classes.clone()),
            "mlp 2-4-2 has 2 outputs, but test needs 3",
        ),
        (
            Network::new(mlp(2, 1), NetLoss::CrossEntropy, table(5, 2, 0, 1)),
            "cross-entropy needs class labels, but test holds real targets (use mse)",
        ),
        (
            Network::new(mlp(2, 3), NetLoss::Mse, Arc::new(bad_label)),
            "test: point 3 has label 3, but there are 3 classes",
        ),
        (
            Network::new(mlp(2, 3), NetLoss::Mse, Arc::new(nan)),
            "test: point 1 has a non-finite feature",
        ),
        (
            Network::new(mlp(2, 1), NetLoss::Mse, Arc::new(empty)),
            "none: a network needs at least one point with at least one feature",
        ),
        (
            Network::from_specs("mlp", Some("l1"), classes.clone()),
            "network loss must be cross-entropy or mse, got 'l1'",
        ),
        (
            Network::from_specs("mlp:hidden=x", None, classes),
            "mlp: hidden must be 0",
        ),
    ];
    for (result, expected) in cases {
        let err = result.unwrap_err().0;
        assert!(err.starts_with(expected), "{err}");
    }
}
