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
use crate::spec::Args;
use crate::spec::{Param, Range};
use crate::{M2, P2};

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
    build: build_bfgs,
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
    build: build_lbfgs,
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
    build: build_linesearch,
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
    build: build_cg,
    typed: Typed::Boxed,
};

const C1: f64 = 1e-4;

/// The value and gradient at the start of a step: those of the last accepted point when
/// nothing changed since (no noise), otherwise a fresh evaluation.
#[derive(Default)]
struct Memo(Option<(P2, f64, P2)>);

impl Memo {
    fn start(&self, oracle: &mut Oracle, x: P2) -> (f64, P2) {
        match self.0 {
            Some((at, f, g)) if at == x && !oracle.is_noisy() => (f, g),
            _ => oracle.value_gradient(x),
        }
    }

    fn remember(&mut self, oracle: &Oracle, x: P2, f: f64, g: P2) {
        self.0 = (!oracle.is_noisy()).then_some((x, f, g));
    }
}

/// Where a line search along −∇f found no acceptable point. Without noise the function is the
/// same at the next step, so the same search from the same point would fail the same way: the
/// run stands still there at no cost instead of spending dozens of evaluations per step
/// (typically once converged to within rounding, where no trial point decreases f).
#[derive(Default)]
struct Stall(Option<P2>);

impl Stall {
    fn holds(&self, oracle: &Oracle, x: P2) -> bool {
        self.0 == Some(x) && !oracle.is_noisy()
    }
    fn mark(&mut self, x: P2) {
        self.0 = Some(x);
    }
}

/// α₀ for the line search of a method's `first` step or a later one.
fn first_trial(lr: f64, g: P2, first: bool) -> f64 {
    if first {
        lr * (1.0 / g.lp_norm(1)).min(1.0)
    } else {
        lr
    }
}

/// The pair (s, y) of a line search from x with gradient g to `x_new` with `g_new`,
/// if it carries positive curvature yᵀs > 1e-10 (torch LBFGS's test).
fn curvature_pair(x: P2, g: P2, x_new: P2, g_new: P2) -> Option<(P2, P2, f64)> {
    let (s, y) = (x_new - x, g_new - g);
    let sy = s.dot(&y);
    (sy > 1e-10).then_some((s, y, sy))
}

/// What distinguishes BFGS from L-BFGS: how the curvature pairs are stored and turned into
/// a search direction.
trait CurvatureMemory: Send {
    /// The quasi-Newton direction −H∇f.
    fn direction(&self, g: P2) -> P2;
    /// Forget all curvature (H ← I).
    fn reset(&mut self);
    /// Take in a pair with positive curvature yᵀs = `sy`.
    fn update(&mut self, s: P2, y: P2, sy: f64);
    /// Add what the memory holds to an optimizer's [`State`].
    fn describe(&self, state: &mut State);
}

/// A quasi-Newton method: direction from the memory, strong-Wolfe line search, memory update.
struct QuasiNewton<M> {
    memory: M,
    steps: u64,
    memo: Memo,
    stall: Stall,
    /// The last step's direction −H∇f and accepted step length α.
    last: Option<(P2, f64)>,
}

impl<M: CurvatureMemory> Optimizer for QuasiNewton<M> {
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        self.last = None;
        if self.stall.holds(oracle, x) {
            return Ok(x);
        }
        let (f, g) = self.memo.start(oracle, x);
        let first = self.steps == 0;
        self.steps += 1;
        if g == P2::zeros() {
            return Ok(x);
        }
        let mut d = self.memory.direction(g);
        if g.dot(&d) >= 0.0 {
            self.memory.reset();
            d = -g;
        }
        let steepest = d == -g;
        let ray = Ray { x, f, g, d };
        let ls = strong_wolfe(oracle, &ray, first_trial(lr, g, first), C1, 0.9);
        self.last = Some((d, ls.alpha));
        let Some(g_new) = ls.g.filter(|_| ls.alpha > 0.0) else {
            // No acceptable point: forget the curvature and stay (for good if even −∇f failed).
            self.memory.reset();
            self.memo.remember(oracle, x, f, g);
            if steepest {
                self.stall.mark(x);
            }
            return Ok(x);
        };
        if let Some((s, y, sy)) = curvature_pair(x, g, ls.x, g_new) {
            self.memory.update(s, y, sy);
        }
        self.memo.remember(oracle, ls.x, ls.f, g_new);
        Ok(ls.x)
    }

    fn state(&self) -> State {
        let mut state = State::default();
        if let Some((d, alpha)) = self.last {
            state.model_step = Some(d);
            state.scalars.push(("α", alpha));
        }
        self.memory.describe(&mut state);
        state
    }
}

/// The dense inverse-Hessian estimate H of BFGS.
struct InverseHessian {
    h: M2,
    /// Whether H₀ has been scaled by the first curvature pair.
    scaled: bool,
}

impl CurvatureMemory for InverseHessian {
    fn direction(&self, g: P2) -> P2 {
        -(self.h * g)
    }
    fn reset(&mut self) {
        self.h = M2::identity();
    }
    fn update(&mut self, s: P2, y: P2, sy: f64) {
        if !self.scaled {
            self.h = M2::identity() * (sy / y.dot(&y));
            self.scaled = true;
        }
        let rho = 1.0 / sy;
        let v = M2::identity() - s * y.transpose() * rho;
        self.h = v * self.h * v.transpose() + s * s.transpose() * rho;
    }
    fn describe(&self, state: &mut State) {
        state.inverse_hessian = Some(self.h);
    }
}

pub(super) fn build_bfgs(_: &Args) -> Box<dyn Optimizer> {
    Box::new(QuasiNewton {
        memory: InverseHessian {
            h: M2::identity(),
            scaled: false,
        },
        steps: 0,
        memo: Memo::default(),
        stall: Stall::default(),
        last: None,
    })
}

/// The last m pairs of L-BFGS.
struct History {
    history_size: usize,
    /// (s, y, 1/yᵀs), oldest first.
    pairs: VecDeque<(P2, P2, f64)>,
}

impl CurvatureMemory for History {
    /// −H∇f by the two-loop recursion (Nocedal & Wright Algorithm 7.4), H₀ = (sᵀy/yᵀy)I.
    fn direction(&self, g: P2) -> P2 {
        let mut q = g;
        let mut alphas = Vec::with_capacity(self.pairs.len());
        for &(s, y, rho) in self.pairs.iter().rev() {
            let a = rho * s.dot(&q);
            q -= y * a;
            alphas.push(a);
        }
        let gamma = self
            .pairs
            .back()
            .map_or(1.0, |&(_, y, rho)| 1.0 / (rho * y.dot(&y)));
        let mut r = q * gamma;
        for (&(s, y, rho), a) in self.pairs.iter().zip(alphas.into_iter().rev()) {
            let b = rho * y.dot(&r);
            r += s * (a - b);
        }
        -r
    }
    fn reset(&mut self) {
        self.pairs.clear();
    }
    fn update(&mut self, s: P2, y: P2, sy: f64) {
        if self.pairs.len() == self.history_size {
            self.pairs.pop_front();
        }
        self.pairs.push_back((s, y, 1.0 / sy));
    }
    fn describe(&self, state: &mut State) {
        state.scalars.push(("pairs", self.pairs.len() as f64));
    }
}

pub(super) fn build_lbfgs(a: &Args) -> Box<dyn Optimizer> {
    let history_size = usize::try_from(a.count("history_size")).unwrap_or(usize::MAX);
    Box::new(QuasiNewton {
        memory: History {
            history_size,
            pairs: VecDeque::new(),
        },
        steps: 0,
        memo: Memo::default(),
        stall: Stall::default(),
        last: None,
    })
}

struct ConjugateGradient {
    restart: u64,
    /// The previous step's gradient, direction and accepted α.
    prev: Option<(P2, P2, f64)>,
    since_restart: u64,
    memo: Memo,
    stall: Stall,
}

pub(super) fn build_cg(a: &Args) -> Box<dyn Optimizer> {
    Box::new(ConjugateGradient {
        restart: a.count("restart"),
        prev: None,
        since_restart: 0,
        memo: Memo::default(),
        stall: Stall::default(),
    })
}

impl Optimizer for ConjugateGradient {
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        if self.stall.holds(oracle, x) {
            return Ok(x);
        }
        let (f, g) = self.memo.start(oracle, x);
        if g == P2::zeros() {
            return Ok(x);
        }
        let continued = self
            .prev
            .filter(|_| !self.since_restart.is_multiple_of(self.restart))
            .and_then(|(gp, dp, alpha_prev)| {
                let beta = (g.dot(&(g - gp)) / gp.dot(&gp)).max(0.0);
                let d = -g + dp * beta;
                // α₀ from the previous step's first-order change (Nocedal & Wright eq. 3.59).
                let alpha0 = alpha_prev * gp.dot(&dp) / g.dot(&d);
                (g.dot(&d) < 0.0 && alpha0.is_finite() && alpha0 > 0.0).then_some((d, alpha0))
            });
        let (d, alpha0) = match continued {
            Some(found) => found,
            None => {
                self.since_restart = 0;
                (-g, first_trial(lr, g, true))
            }
        };
        let ray = Ray { x, f, g, d };
        let ls = strong_wolfe(oracle, &ray, alpha0, C1, 0.1);
        let Some(g_new) = ls.g.filter(|_| ls.alpha > 0.0) else {
            if continued.is_none() {
                self.stall.mark(x);
            }
            self.prev = None;
            self.since_restart = 0;
            self.memo.remember(oracle, x, f, g);
            return Ok(x);
        };
        self.prev = Some((g, d, ls.alpha));
        self.since_restart += 1;
        self.memo.remember(oracle, ls.x, ls.f, g_new);
        Ok(ls.x)
    }

    fn state(&self) -> State {
        let Some((_, d, alpha)) = self.prev else {
            return State::default();
        };
        State {
            buffers: vec![("d", d)],
            scalars: vec![("α", alpha)],
            ..State::default()
        }
    }
}

struct ArmijoDescent {
    c1: f64,
    shrink: f64,
}

pub(super) fn build_linesearch(a: &Args) -> Box<dyn Optimizer> {
    Box::new(ArmijoDescent {
        c1: a.real("c1"),
        shrink: a.real("shrink"),
    })
}

impl Optimizer for ArmijoDescent {
    fn step(&mut self, oracle: &mut Oracle, x: P2, lr: f64) -> Result<P2, StepError> {
        let (f, g) = oracle.value_gradient(x);
        let ray = Ray { x, f, g, d: -g };
        Ok(armijo_backtracking(oracle, &ray, lr, self.c1, self.shrink).x)
    }
}
