//! Every optimizer is one implementation for the plane and for ℝⁿ (`space::Vector`): the same
//! rule stepped on a surface as a 2-vector and as a 2-element heap vector takes the same path,
//! and in ℝ⁵⁰ every method makes progress on a badly conditioned quadratic.

use descent::landscape::Landscape;
use descent::noise::Sampler;
use descent::optim::{OPTIMIZERS, OptimizerSpec, Oracle};
use descent::space::{Objective, PN, Vector};
use descent::surface::Surface;
use descent::{M2, P2};
use nalgebra::DMatrix;

/// A surface of the plane seen as a function on ℝ² stored in a heap vector.
struct Lifted(Box<dyn Surface>);

fn plane(p: &PN) -> P2 {
    P2::new(p[0], p[1])
}

fn heap(p: P2) -> PN {
    PN::from_column_slice(p.as_slice())
}

impl Objective<PN> for Lifted {
    fn objective_value(&self, p: &PN) -> f64 {
        self.0.value(plane(p))
    }
    fn objective_gradient(&self, p: &PN) -> (f64, PN) {
        let (f, g) = self.0.value_gradient(plane(p));
        (f, heap(g))
    }
    fn objective_hessian(&self, p: &PN) -> DMatrix<f64> {
        let h: M2 = self.0.hessian(plane(p));
        DMatrix::from_column_slice(2, 2, h.as_slice())
    }
}

/// `steps` noise-free steps of `spec` from `start` in space `V` on `objective`.
fn path<V: Vector>(
    objective: &dyn Objective<V>,
    mut optimizer: Box<dyn descent::optim::Optimizer<V>>,
    start: V,
    lr: f64,
    steps: usize,
) -> Vec<V> {
    let mut sampler = Sampler::new(7);
    let mut x = start;
    let mut out = vec![x.clone()];
    for _ in 0..steps {
        let eval = objective.objective_gradient(&x);
        let zero = V::zeros(x.dim());
        let mut oracle = Oracle::new(objective, x.clone(), eval, zero, &mut sampler);
        match optimizer.step(&mut oracle, x.clone(), lr) {
            Ok(next) => x = next,
            Err(_) => break,
        }
        out.push(x.clone());
    }
    out
}

#[test]
fn the_plane_and_r2_take_the_same_path_for_every_optimizer() {
    let surface = Landscape::parse("rosenbrock").unwrap().surface;
    let lifted = Lifted(Landscape::parse("rosenbrock").unwrap().surface);
    let start = P2::new(-1.2, 1.0);
    for entry in OPTIMIZERS {
        let spec = OptimizerSpec::parse(&format!("{}:lr=0.001", entry.name))
            .or_else(|_| OptimizerSpec::parse(entry.name))
            .unwrap();
        let lr = spec.lr();
        let in_plane = path(surface.as_ref(), spec.build(), start, lr, 60);
        let in_rn = path(&lifted, spec.build_n(2).unwrap(), heap(start), lr, 60);
        assert_eq!(in_plane.len(), in_rn.len(), "{}: path lengths", entry.name);
        for (t, (a, b)) in in_plane.iter().zip(&in_rn).enumerate() {
            let close = |u: f64, v: f64| (u - v).abs() <= 1e-10 * u.abs().max(1.0);
            // BFGS expands its update in ℝⁿ (O(n²) instead of O(n³)): the same matrix up to
            // rounding (4e-13 apart after 44 steps on Rosenbrock); every other rule is the same
            // arithmetic, bit for bit.
            let same = if entry.name == "bfgs" {
                close(a.x, b[0]) && close(a.y, b[1])
            } else {
                a.x.to_bits() == b[0].to_bits() && a.y.to_bits() == b[1].to_bits()
            };
            assert!(same, "{} step {t}: plane {a:?} vs ℝ² {b:?}", entry.name);
        }
    }
}

/// f(p) = ½ Σ κᵢ pᵢ², κᵢ from 1 to 10 over 50 coordinates.
struct Bowl;

impl Bowl {
    fn kappa(i: usize) -> f64 {
        1.0 + 9.0 * i as f64 / 49.0
    }
}

impl Objective<PN> for Bowl {
    fn objective_value(&self, p: &PN) -> f64 {
        p.iter()
            .enumerate()
            .map(|(i, v)| 0.5 * Self::kappa(i) * v * v)
            .sum()
    }
    fn objective_gradient(&self, p: &PN) -> (f64, PN) {
        let g = PN::from_iterator(
            p.len(),
            p.iter().enumerate().map(|(i, v)| Self::kappa(i) * v),
        );
        (self.objective_value(p), g)
    }
    fn objective_hessian(&self, p: &PN) -> DMatrix<f64> {
        DMatrix::from_diagonal(&PN::from_iterator(p.len(), (0..p.len()).map(Self::kappa)))
    }
}

#[test]
fn in_r50_every_method_descends_a_conditioned_bowl() {
    let start = PN::from_element(50, 1.0);
    let f0 = Bowl.objective_value(&start);
    let cases = [
        ("gd:lr=0.1", 1e-6),
        ("momentum:lr=0.05", 1e-6),
        ("nesterov:lr=0.05", 1e-6),
        ("adagrad:lr=0.5", 1e-3),
        ("rmsprop:lr=0.01", 1e-3),
        ("adadelta:lr=1", 0.9),
        ("adam:lr=0.05", 1e-3),
        ("adamw:lr=0.05,weight_decay=0", 1e-3),
        ("nadam:lr=0.05", 1e-3),
        ("newton", 1e-20),
        ("bfgs", 1e-12),
        ("lbfgs", 1e-12),
        ("cg", 1e-12),
        ("linesearch", 1e-6),
        ("nelder-mead:lr=0.5", 0.9),
        ("random-search:lr=0.05", 0.95),
    ];
    assert_eq!(cases.len(), OPTIMIZERS.len(), "every optimizer is tried");
    for (spec, ratio) in cases {
        let spec = OptimizerSpec::parse(spec).unwrap();
        let last = path(
            &Bowl,
            spec.build_n(50).unwrap(),
            start.clone(),
            spec.lr(),
            200,
        );
        let f = Bowl.objective_value(last.last().unwrap());
        assert!(f <= ratio * f0, "{}: f {f} from {f0}", spec.label);
    }
}

#[test]
fn dense_methods_refuse_more_parameters_than_they_can_hold() {
    for name in ["bfgs", "newton", "nelder-mead"] {
        let spec = OptimizerSpec::parse(name).unwrap();
        assert!(spec.build_n(2_000).is_ok());
        let message = spec.build_n(2_001).err().unwrap().0;
        assert!(
            message.contains("2001 parameters") && message.contains("lbfgs"),
            "{message}"
        );
    }
    assert!(
        OptimizerSpec::parse("adam")
            .unwrap()
            .build_n(1_000_000)
            .is_ok()
    );
}
