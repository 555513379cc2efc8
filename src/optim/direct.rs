//! Derivative-free methods: they ask only for values.

use super::OptimizerEntry;
use super::params::{lr, no_check};
use super::typed::Typed;
use super::{Optimizer, Oracle, StepError};
use crate::space::Vector;
use crate::spec::Args;
use crate::spec::{Param, Range};

pub(super) const NELDER_MEAD_RULE: &str = "a simplex of n + 1 points (3 in the plane), worst replaced each step by its \
    reflection (×1) through the others' centroid, an expansion (×2), a contraction (×½) or a shrink \
    (×½) towards the best; p = the best vertex; lr = edge of the initial simplex \
    (Nelder & Mead 1965; Lagarias et al. 1998)";
pub(super) const RANDOM_SEARCH_RULE: &str = "q = p + lr·ε, ε ~ N(0, I); p ← q if f(q) < f(p) \
    (the \"very bad idea\" baseline of CS231n; Rastrigin 1963)";

pub(super) const NELDER_MEAD: OptimizerEntry = OptimizerEntry {
    name: "nelder-mead",
    rule: NELDER_MEAD_RULE,
    params: &[
        Param::real("lr", 0.25, Range::POSITIVE, "edge of the initial simplex")
            .log(1e-5, 10.0, 1e-5),
    ],
    validate: no_check,
    build: build_nelder_mead::<crate::P2>,
    build_n: build_nelder_mead::<crate::space::PN>,
    // n + 1 vertices of n numbers: n² doubles, as the dense methods.
    max_parameters: Some(super::MAX_DENSE_PARAMETERS),
    typed: Typed::Boxed,
};

pub(super) const RANDOM_SEARCH: OptimizerEntry = OptimizerEntry {
    name: "random-search",
    rule: RANDOM_SEARCH_RULE,
    params: &[lr(0.1)],
    validate: no_check,
    build: build_random_search::<crate::P2>,
    build_n: build_random_search::<crate::space::PN>,
    max_parameters: None,
    typed: Typed::Boxed,
};

/// Nelder–Mead with the standard coefficients: reflection 1, expansion 2, contraction ½,
/// shrink ½, on a simplex of n + 1 vertices (3 in the plane). One step is one iteration; the
/// reported point is the best vertex. In ℝⁿ its first step alone costs n + 1 evaluations and
/// it needs many iterations per dimension: slow by nature, which is the lesson.
struct NelderMead<V> {
    /// Vertices and their values, best first (empty before the first step).
    simplex: Vec<(V, f64)>,
}

pub(super) fn build_nelder_mead<V: Vector>(_: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(NelderMead::<V> {
        simplex: Vec::new(),
    })
}

/// The first simplex: `x` and x + lr·eᵢ for each coordinate i.
fn initial_simplex<V: Vector>(oracle: &mut Oracle<V>, x: &V, lr: f64) -> Vec<(V, f64)> {
    let mut vertices = vec![x.clone()];
    for i in 0..x.dim() {
        let mut v = x.clone();
        for (j, c) in v.as_mut_slice().iter_mut().enumerate() {
            *c += if j == i { lr } else { 0.0 };
        }
        vertices.push(v);
    }
    let mut simplex: Vec<_> = vertices
        .into_iter()
        .map(|v| {
            let f = oracle.value(&v);
            (v, f)
        })
        .collect();
    sort(&mut simplex);
    simplex
}

/// The centroid of every vertex but the worst.
fn centroid<V: Vector>(simplex: &[(V, f64)]) -> V {
    let n = simplex.len() - 1;
    let mut sum = simplex[0].0.clone();
    for (v, _) in &simplex[1..n] {
        sum.zip_apply(v, |s, v| *s += v);
    }
    sum.scaled(1.0 / n as f64)
}

impl<V: Vector> Optimizer<V> for NelderMead<V> {
    fn step(&mut self, oracle: &mut Oracle<V>, x: V, lr: f64) -> Result<V, StepError> {
        if self.simplex.is_empty() {
            self.simplex = initial_simplex(oracle, &x, lr);
        }
        let s = &mut self.simplex;
        let n = s.len() - 1;
        let (f_best, f_second_worst, f_worst) = (s[0].1, s[n - 1].1, s[n].1);
        let centroid = centroid(s);
        let worst = &s[n].0;
        let at = |t: f64| centroid.zip_map(worst, |c, w| c + (c - w) * t);
        let reflected = at(1.0);
        let f_r = oracle.value(&reflected);
        let replacement = if f_r < f_best {
            let expanded = at(2.0);
            let f_e = oracle.value(&expanded);
            Some(if f_e < f_r {
                (expanded, f_e)
            } else {
                (reflected, f_r)
            })
        } else if f_r < f_second_worst {
            Some((reflected, f_r))
        } else if f_r < f_worst {
            let outside = at(0.5);
            let f_c = oracle.value(&outside);
            (f_c <= f_r).then_some((outside, f_c))
        } else {
            let inside = at(-0.5);
            let f_c = oracle.value(&inside);
            (f_c < f_worst).then_some((inside, f_c))
        };
        match replacement {
            Some(vertex) => s[n] = vertex,
            None => shrink(oracle, s),
        }
        sort(s);
        Ok(s[0].0.clone())
    }
}

/// Every vertex but the best halfway towards the best.
fn shrink<V: Vector>(oracle: &mut Oracle<V>, simplex: &mut [(V, f64)]) {
    let best = simplex[0].0.clone();
    for v in &mut simplex[1..] {
        let p = best.zip_map(&v.0, |b, v| b + (v - b) * 0.5);
        let f = oracle.value(&p);
        *v = (p, f);
    }
}

fn sort<V>(simplex: &mut [(V, f64)]) {
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
}

/// Random search: try a Gaussian perturbation of the best point, keep it if it is lower.
struct RandomSearch {
    best: Option<f64>,
}

pub(super) fn build_random_search<V: Vector>(_: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(RandomSearch { best: None })
}

impl<V: Vector> Optimizer<V> for RandomSearch {
    fn step(&mut self, oracle: &mut Oracle<V>, x: V, lr: f64) -> Result<V, StepError> {
        let best = match self.best {
            Some(f) => f,
            None => oracle.value(&x),
        };
        let candidate = x.plus_scaled(lr, &oracle.normal_like(&x));
        let f = oracle.value(&candidate);
        if f < best {
            self.best = Some(f);
            Ok(candidate)
        } else {
            self.best = Some(best);
            Ok(x)
        }
    }
}
