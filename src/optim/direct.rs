//! Derivative-free methods: they ask only for values.

use super::OptimizerEntry;
use super::params::{lr, no_check};
use super::typed::Typed;
use super::{Optimizer, Oracle, StepError};
use crate::P2;
use crate::spec::Args;
use crate::spec::{Param, Range};

pub(super) const NELDER_MEAD_RULE: &str = "a simplex of 3 points, worst replaced each step by its \
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
    build: build_nelder_mead,
    typed: Typed::Boxed,
};

pub(super) const RANDOM_SEARCH: OptimizerEntry = OptimizerEntry {
    name: "random-search",
    rule: RANDOM_SEARCH_RULE,
    params: &[lr(0.1)],
    validate: no_check,
    build: build_random_search,
    typed: Typed::Boxed,
};

/// Nelder–Mead with the standard coefficients: reflection 1, expansion 2, contraction ½,
/// shrink ½. One step is one iteration; the reported point is the best vertex.
struct NelderMead {
    /// Vertices and their values, best first (empty before the first step).
    simplex: Vec<(P2, f64)>,
}

pub(super) fn build_nelder_mead(_: &Args) -> Box<dyn Optimizer> {
    Box::new(NelderMead {
        simplex: Vec::new(),
    })
}

impl Optimizer for NelderMead {
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        let s = &mut self.simplex;
        if s.is_empty() {
            for v in [x, x + P2::new(lr, 0.0), x + P2::new(0.0, lr)] {
                s.push((v, oracle.value(v)));
            }
            sort(s);
        }
        let (best, good, (worst, f_worst)) = (s[0], s[1], s[2]);
        let centroid = (best.0 + good.0) * 0.5;
        let at = |t: f64| centroid + (centroid - worst) * t;
        let reflected = at(1.0);
        let f_r = oracle.value(reflected);
        let replacement = if f_r < best.1 {
            let expanded = at(2.0);
            let f_e = oracle.value(expanded);
            Some(if f_e < f_r {
                (expanded, f_e)
            } else {
                (reflected, f_r)
            })
        } else if f_r < good.1 {
            Some((reflected, f_r))
        } else if f_r < f_worst {
            let outside = at(0.5);
            let f_c = oracle.value(outside);
            (f_c <= f_r).then_some((outside, f_c))
        } else {
            let inside = at(-0.5);
            let f_c = oracle.value(inside);
            (f_c < f_worst).then_some((inside, f_c))
        };
        match replacement {
            Some(vertex) => s[2] = vertex,
            None => {
                for v in &mut s[1..] {
                    let p = best.0 + (v.0 - best.0) * 0.5;
                    *v = (p, oracle.value(p));
                }
            }
        }
        sort(s);
        Ok(s[0].0)
    }
}

fn sort(simplex: &mut [(P2, f64)]) {
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
}

/// Random search: try a Gaussian perturbation of the best point, keep it if it is lower.
struct RandomSearch {
    best: Option<f64>,
}

pub(super) fn build_random_search(_: &Args) -> Box<dyn Optimizer> {
    Box::new(RandomSearch { best: None })
}

impl Optimizer for RandomSearch {
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        let best = match self.best {
            Some(f) => f,
            None => oracle.value(x),
        };
        let candidate = x + oracle.normal_pair() * lr;
        let f = oracle.value(candidate);
        if f < best {
            self.best = Some(f);
            Ok(candidate)
        } else {
            self.best = Some(best);
            Ok(x)
        }
    }
}
