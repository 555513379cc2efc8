//! Line-search methods: BFGS, L-BFGS, nonlinear conjugate gradient, and gradient descent
//! with Armijo backtracking. One step is one outer iteration; its line-search trials are
//! counted as evaluations.
//!
//! lr scales the first trial step α₀ of each line search (as torch.optim.LBFGS's lr does);
//! on a method's first step α₀ = lr·min(1, 1/‖∇f‖₁), torch's guard against a huge first
//! step before any curvature is known.

use std::collections::VecDeque;

use super::OptimizerEntry;
use super::line_search::{Ray, armijo_backtracking, strong_wolfe};
use super::params::{lr, no_check};
use super::typed::Typed;
use super::{Optimizer, Oracle, State, StepError};
use crate::space::Vector;
use crate::spec::Args;
use crate::spec::{Param, Range};

pub(super) const BFGS_RULE: &str = "d = −H∇f; p ← p + αd, α by a strong-Wolfe line search (c₁ = 1e-4, c₂ = 0.9); \
    s = Δp, y = Δ∇f, ρ = 1/yᵀs; H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, H₀ = (yᵀs/yᵀy)I \
    (Broyden, Fletcher, Goldfarb, Shanno 1970; Nocedal & Wright Algorithm 6.1)";
pub(super) const LBFGS_RULE: &str = "d = −H∇f by the two-loop recursion over the last m pairs (s, y), \
    H₀ = (sᵀy/yᵀy)I; strong-Wolfe line search (Liu & Nocedal 1989; Nocedal & Wright Algorithm 7.4)";
pub(super) const CG_RULE: &str = "d ← −∇f + βd, β = max(0, ∇fᵀ(∇f − ∇f₋)/‖∇f₋‖²) (Polak–Ribière+), \
    restarted along −∇f every `restart` steps or when d is not a descent direction; \
    strong-Wolfe line search with c₂ = 0.1 (Nocedal & Wright §5.2)";
pub(super) const LINESEARCH_RULE: &str = "p ← p − α∇f, α = lr·shrinkᵏ for the first k with \
    f(p − α∇f) ≤ f(p) − c₁α‖∇f‖² (Armijo 1966; Nocedal & Wright Algorithm 3.1)";

/// Most curvature pairs L-BFGS may keep: the two-loop recursion costs O(m) a step, and in
/// 2D the inverse Hessian it approximates has only three entries, so a few dozen pairs
/// already carry all the curvature there is (torch's default is 100).
pub const MAX_LBFGS_HISTORY: u64 = 100;

pub(super) const BFGS: OptimizerEntry = OptimizerEntry {
    name: "bfgs",
    rule: BFGS_RULE,
    params: &[lr(1.0)],
    validate: no_check,
    build: build_bfgs::<crate::P2>,
    build_n: build_bfgs::<crate::space::PN>,
    max_parameters: Some(super::MAX_DENSE_PARAMETERS),
    typed: Typed::Boxed,
};

pub(super) const LBFGS: OptimizerEntry = OptimizerEntry {
    name: "lbfgs",
    rule: LBFGS_RULE,
    params: &[
        lr(1.0),
        Param::count(
            "history_size",
            10,
            1,
            "memory m: curvature pairs kept (at most 100: in the plane the inverse Hessian \
             has three entries, so pairs beyond a few dozen add nothing but O(m) work a step)",
        )
        .at_most(MAX_LBFGS_HISTORY),
    ],
    validate: no_check,
    build: build_lbfgs::<crate::P2>,
    build_n: build_lbfgs::<crate::space::PN>,
    max_parameters: None,
    typed: Typed::Boxed,
};

pub(super) const LINESEARCH: OptimizerEntry = OptimizerEntry {
    name: "linesearch",
    rule: LINESEARCH_RULE,
    params: &[
        lr(1.0),
        Param::real(
            "c1",
            1e-4,
            Range::new(0.0, false, 1.0, false),
            "sufficient-decrease constant",
        ),
        Param::real(
            "shrink",
            0.5,
            Range::new(0.0, false, 1.0, false),
            "backtracking factor",
        ),
    ],
    validate: no_check,
    build: build_linesearch::<crate::P2>,
    build_n: build_linesearch::<crate::space::PN>,
    max_parameters: None,
    typed: Typed::Boxed,
};

pub(super) const CG: OptimizerEntry = OptimizerEntry {
    name: "cg",
    rule: CG_RULE,
    params: &[
        lr(1.0),
        Param::count("restart", 2, 1, "restart along −∇f every this many steps"),
    ],
    validate: no_check,
    build: build_cg::<crate::P2>,
    build_n: build_cg::<crate::space::PN>,
    max_parameters: None,
    typed: Typed::Boxed,
};

const C1: f64 = 1e-4;

/// The value and gradient at the start of a step: those of the last accepted point when
/// nothing changed since (no noise), otherwise a fresh evaluation.
struct Memo<V>(Option<(V, f64, V)>);

impl<V: Vector> Memo<V> {
    fn start(&self, oracle: &mut Oracle<V>, x: &V) -> (f64, V) {
        match &self.0 {
            Some((at, f, g)) if at == x && !oracle.is_noisy() => (*f, g.clone()),
            _ => oracle.value_gradient(x),
        }
    }

    fn remember(&mut self, oracle: &Oracle<V>, x: &V, f: f64, g: &V) {
        self.0 = (!oracle.is_noisy()).then(|| (x.clone(), f, g.clone()));
    }
}

/// Where a line search along −∇f found no acceptable point. Without noise the function is the
/// same at the next step, so the same search from the same point would fail the same way: the
/// run stands still there at no cost instead of spending dozens of evaluations per step
/// (typically once converged to within rounding, where no trial point decreases f).
struct Stall<V>(Option<V>);

impl<V: Vector> Stall<V> {
    fn holds(&self, oracle: &Oracle<V>, x: &V) -> bool {
        self.0.as_ref() == Some(x) && !oracle.is_noisy()
    }
    fn mark(&mut self, x: &V) {
        self.0 = Some(x.clone());
    }
}

/// α₀ for the line search of a method's `first` step or a later one.
fn first_trial<V: Vector>(lr: f64, g: &V, first: bool) -> f64 {
    if first {
        lr * (1.0 / g.norm1()).min(1.0)
    } else {
        lr
    }
}

/// The pair (s, y) of a line search from x with gradient g to `x_new` with `g_new`,
/// if it carries positive curvature yᵀs > 1e-10 (torch LBFGS's test).
fn curvature_pair<V: Vector>(x: &V, g: &V, x_new: &V, g_new: &V) -> Option<(V, V, f64)> {
    let (s, y) = (x_new.minus(x), g_new.minus(g));
    let sy = s.dot(&y);
    (sy > 1e-10).then_some((s, y, sy))
}

/// What distinguishes BFGS from L-BFGS: how the curvature pairs are stored and turned into
/// a search direction.
trait CurvatureMemory<V: Vector>: Send {
    /// The quasi-Newton direction −H∇f.
    fn direction(&mut self, g: &V) -> V;
    /// Forget all curvature (H ← I).
    fn reset(&mut self);
    /// Take in a pair with positive curvature yᵀs = `sy`.
    fn update(&mut self, s: V, y: V, sy: f64);
    /// Add what the memory holds to an optimizer's [`State`].
    fn describe(&self, state: &mut State<V>);
}

/// A quasi-Newton method: direction from the memory, strong-Wolfe line search, memory update.
struct QuasiNewton<V, M> {
    memory: M,
    steps: u64,
    memo: Memo<V>,
    stall: Stall<V>,
    /// The last step's direction −H∇f and accepted step length α.
    last: Option<(V, f64)>,
}

impl<V: Vector, M: CurvatureMemory<V>> QuasiNewton<V, M> {
    fn new(memory: M) -> Self {
        Self {
            memory,
            steps: 0,
            memo: Memo(None),
            stall: Stall(None),
            last: None,
        }
    }

    /// The quasi-Newton direction, or −∇f (forgetting the curvature) when it does not descend.
    fn direction(&mut self, g: &V) -> V {
        let d = self.memory.direction(g);
        if g.dot(&d) >= 0.0 {
            self.memory.reset();
            return g.map(|g| -g);
        }
        d
    }
}

impl<V: Vector, M: CurvatureMemory<V>> Optimizer<V> for QuasiNewton<V, M> {
    fn step(&mut self, oracle: &mut Oracle<V>, x: V, lr: f64) -> Result<V, StepError> {
        self.last = None;
        if self.stall.holds(oracle, &x) {
            return Ok(x);
        }
        let (f, g) = self.memo.start(oracle, &x);
        let first = self.steps == 0;
        self.steps += 1;
        if g.is_zero() {
            return Ok(x);
        }
        let d = self.direction(&g);
        let steepest = d == g.map(|g| -g);
        let alpha0 = first_trial(lr, &g, first);
        let ray = Ray { x, f, g, d };
        let ls = strong_wolfe(oracle, &ray, alpha0, C1, 0.9);
        let Ray { x, g, d, .. } = ray;
        self.last = Some((d, ls.alpha));
        let Some(g_new) = ls.g.filter(|_| ls.alpha > 0.0) else {
            // No acceptable point: forget the curvature and stay (for good if even −∇f failed).
            self.memory.reset();
            self.memo.remember(oracle, &x, f, &g);
            if steepest {
                self.stall.mark(&x);
            }
            return Ok(x);
        };
        if let Some((s, y, sy)) = curvature_pair(&x, &g, &ls.x, &g_new) {
            self.memory.update(s, y, sy);
        }
        self.memo.remember(oracle, &ls.x, ls.f, &g_new);
        Ok(ls.x)
    }

    fn state(&self) -> State<V> {
        let mut state = State::default();
        if let Some((d, alpha)) = &self.last {
            state.model_step = Some(d.clone());
            state.scalars.push(("α", *alpha));
        }
        self.memory.describe(&mut state);
        state
    }
}

/// The dense inverse-Hessian estimate H of BFGS (n × n: at most
/// [`super::MAX_DENSE_PARAMETERS`] in ℝⁿ).
struct InverseHessian<V: Vector> {
    h: V::Matrix,
    /// Coordinates of the space (the plane's 2; ℝⁿ's known at the first step).
    dim: usize,
    /// Whether H₀ has been scaled by the first curvature pair.
    scaled: bool,
}

impl<V: Vector> CurvatureMemory<V> for InverseHessian<V> {
    fn direction(&mut self, g: &V) -> V {
        if self.dim != g.dim() {
            self.dim = g.dim();
            self.reset();
        }
        V::times(&self.h, g).map(|v| -v)
    }
    fn reset(&mut self) {
        self.h = V::identity(self.dim, 1.0);
    }
    fn update(&mut self, s: V, y: V, sy: f64) {
        if !self.scaled {
            self.h = V::identity(self.dim, sy / y.dot(&y));
            self.scaled = true;
        }
        V::bfgs_update(&mut self.h, &s, &y, 1.0 / sy);
    }
    fn describe(&self, state: &mut State<V>) {
        state.inverse_hessian = Some(self.h.clone());
    }
}

pub(super) fn build_bfgs<V: Vector>(_: &Args) -> Box<dyn Optimizer<V>> {
    let dim = V::zeros(0).dim();
    Box::new(QuasiNewton::new(InverseHessian::<V> {
        h: V::identity(dim, 1.0),
        dim,
        scaled: false,
    }))
}

/// The last m pairs of L-BFGS.
struct History<V> {
    history_size: usize,
    /// (s, y, 1/yᵀs), oldest first.
    pairs: VecDeque<(V, V, f64)>,
}

impl<V: Vector> CurvatureMemory<V> for History<V> {
    /// −H∇f by the two-loop recursion (Nocedal & Wright Algorithm 7.4), H₀ = (sᵀy/yᵀy)I.
    fn direction(&mut self, g: &V) -> V {
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(self.pairs.len());
        for (s, y, rho) in self.pairs.iter().rev() {
            let a = rho * s.dot(&q);
            q.zip_apply(y, |q, y| *q -= y * a);
            alphas.push(a);
        }
        let gamma = self
            .pairs
            .back()
            .map_or(1.0, |(_, y, rho)| 1.0 / (rho * y.dot(y)));
        let mut r = q.scaled(gamma);
        for ((s, y, rho), a) in self.pairs.iter().zip(alphas.into_iter().rev()) {
            let b = rho * y.dot(&r);
            r.zip_apply(s, |r, s| *r += s * (a - b));
        }
        r.map(|r| -r)
    }
    fn reset(&mut self) {
        self.pairs.clear();
    }
    fn update(&mut self, s: V, y: V, sy: f64) {
        if self.pairs.len() == self.history_size {
            self.pairs.pop_front();
        }
        self.pairs.push_back((s, y, 1.0 / sy));
    }
    fn describe(&self, state: &mut State<V>) {
        state.scalars.push(("pairs", self.pairs.len() as f64));
    }
}

pub(super) fn build_lbfgs<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    let history_size = usize::try_from(a.count("history_size")).unwrap_or(usize::MAX);
    Box::new(QuasiNewton::new(History::<V> {
        history_size,
        pairs: VecDeque::new(),
    }))
}

struct ConjugateGradient<V> {
    restart: u64,
    /// The previous step's gradient, direction and accepted α.
    prev: Option<(V, V, f64)>,
    since_restart: u64,
    memo: Memo<V>,
    stall: Stall<V>,
}

pub(super) fn build_cg<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(ConjugateGradient::<V> {
        restart: a.count("restart"),
        prev: None,
        since_restart: 0,
        memo: Memo(None),
        stall: Stall(None),
    })
}

impl<V: Vector> ConjugateGradient<V> {
    /// The Polak–Ribière+ direction from the previous step and its first trial α₀, unless a
    /// restart is due or it would not descend.
    fn continued(&self, g: &V) -> Option<(V, f64)> {
        let (gp, dp, alpha_prev) = self.prev.as_ref()?;
        if self.since_restart.is_multiple_of(self.restart) {
            return None;
        }
        let beta = (g.dot(&g.minus(gp)) / gp.dot(gp)).max(0.0);
        let d = g.zip_map(dp, |g, dp| -g + dp * beta);
        // α₀ from the previous step's first-order change (Nocedal & Wright eq. 3.59).
        let alpha0 = alpha_prev * gp.dot(dp) / g.dot(&d);
        (g.dot(&d) < 0.0 && alpha0.is_finite() && alpha0 > 0.0).then_some((d, alpha0))
    }
}

impl<V: Vector> Optimizer<V> for ConjugateGradient<V> {
    fn step(&mut self, oracle: &mut Oracle<V>, x: V, lr: f64) -> Result<V, StepError> {
        if self.stall.holds(oracle, &x) {
            return Ok(x);
        }
        let (f, g) = self.memo.start(oracle, &x);
        if g.is_zero() {
            return Ok(x);
        }
        let continued = self.continued(&g);
        let restarted = continued.is_none();
        let (d, alpha0) = continued.unwrap_or_else(|| {
            self.since_restart = 0;
            (g.map(|g| -g), first_trial(lr, &g, true))
        });
        let ray = Ray { x, f, g, d };
        let ls = strong_wolfe(oracle, &ray, alpha0, C1, 0.1);
        let Ray { x, g, d, .. } = ray;
        let Some(g_new) = ls.g.filter(|_| ls.alpha > 0.0) else {
            if restarted {
                self.stall.mark(&x);
            }
            self.prev = None;
            self.since_restart = 0;
            self.memo.remember(oracle, &x, f, &g);
            return Ok(x);
        };
        self.prev = Some((g, d, ls.alpha));
        self.since_restart += 1;
        self.memo.remember(oracle, &ls.x, ls.f, &g_new);
        Ok(ls.x)
    }

    fn state(&self) -> State<V> {
        let Some((_, d, alpha)) = &self.prev else {
            return State::default();
        };
        State {
            buffers: vec![("d", d.clone())],
            scalars: vec![("α", *alpha)],
            ..State::default()
        }
    }
}

struct ArmijoDescent {
    c1: f64,
    shrink: f64,
}

pub(super) fn build_linesearch<V: Vector>(a: &Args) -> Box<dyn Optimizer<V>> {
    Box::new(ArmijoDescent {
        c1: a.real("c1"),
        shrink: a.real("shrink"),
    })
}

impl<V: Vector> Optimizer<V> for ArmijoDescent {
    fn step(&mut self, oracle: &mut Oracle<V>, x: V, lr: f64) -> Result<V, StepError> {
        let (f, g) = oracle.value_gradient(&x);
        let d = g.map(|g| -g);
        let ray = Ray { x, f, g, d };
        Ok(armijo_backtracking(oracle, &ray, lr, self.c1, self.shrink).x)
    }
}
