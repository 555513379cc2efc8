//! Line searches along a descent direction d from x: φ(α) = f̃(x + αd).

use super::Oracle;
use crate::space::Vector;

/// Where a line search starts: the point x, f̃(x), ∇f̃(x) and a direction d.
#[derive(Clone, Debug, PartialEq)]
pub struct Ray<V> {
    pub x: V,
    pub f: f64,
    pub g: V,
    pub d: V,
}

/// The accepted point of a line search, or α = 0 (stay at x) if none was found.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSearchResult<V> {
    pub alpha: f64,
    pub x: V,
    pub f: f64,
    /// ∇f̃ at the accepted point, where the search computed it.
    pub g: Option<V>,
    /// Whether the Wolfe (or Armijo) conditions hold at the accepted point.
    pub ok: bool,
}

/// Evaluations one line search may spend.
const MAX_EVALS: usize = 30;

#[derive(Clone)]
struct Probe<V> {
    alpha: f64,
    f: f64,
    /// φ'(α) = ∇f̃(x + αd)·d
    slope: f64,
    g: V,
}

/// A line search satisfying the strong Wolfe conditions
/// `φ(α) ≤ φ(0) + c1·α·φ'(0)` and `|φ'(α)| ≤ c2·|φ'(0)|`,
/// by bracketing and zooming with safeguarded cubic interpolation
/// (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithms 3.5 and 3.6).
///
/// `ray.d` must be a descent direction (∇f̃(x)·d < 0).
/// If the conditions cannot be met within the budget, the best point with sufficient
/// decrease is returned with `ok = false`, or x itself (α = 0) when there is none.
pub fn strong_wolfe<V: Vector>(
    oracle: &mut Oracle<V>,
    ray: &Ray<V>,
    alpha0: f64,
    c1: f64,
    c2: f64,
) -> LineSearchResult<V> {
    let Ray { x, f: f0, g: g0, d } = ray;
    let f0 = *f0;
    let slope0 = g0.dot(d);
    let origin = Probe {
        alpha: 0.0,
        f: f0,
        slope: slope0,
        g: g0.clone(),
    };
    let done = |p: &Probe<V>, ok: bool| LineSearchResult {
        alpha: p.alpha,
        x: x.plus_scaled(p.alpha, d),
        f: p.f,
        g: Some(p.g.clone()),
        ok,
    };
    let descending = slope0 < 0.0;
    if !descending || alpha0.is_nan() || alpha0 <= 0.0 {
        return done(&origin, false);
    }
    let mut probe = |alpha: f64| {
        let (f, g) = oracle.value_gradient(&x.plus_scaled(alpha, d));
        Probe {
            alpha,
            f,
            slope: g.dot(d),
            g,
        }
    };
    let armijo = |p: &Probe<V>| p.f <= f0 + c1 * p.alpha * slope0;
    let curvature = |p: &Probe<V>| p.slope.abs() <= -c2 * slope0;

    let mut evals = 0;
    let mut prev = origin;
    let mut alpha = alpha0;
    // Bracketing phase: grow α until an interval [lo, hi] must contain a Wolfe point.
    let (mut lo, mut hi) = loop {
        let p = probe(alpha);
        evals += 1;
        if !p.f.is_finite() || !armijo(&p) || (evals > 1 && p.f >= prev.f) {
            break (prev, p);
        }
        if curvature(&p) {
            return done(&p, true);
        }
        if p.slope >= 0.0 {
            break (p, prev);
        }
        if evals >= MAX_EVALS {
            return done(&p, false);
        }
        alpha = 2.0 * p.alpha;
        prev = p;
    };
    // Zoom phase: lo always has sufficient decrease and the lowest value seen so far.
    while evals < MAX_EVALS {
        let alpha = interpolate(&lo, &hi);
        let p = probe(alpha);
        evals += 1;
        if !p.f.is_finite() || !armijo(&p) || p.f >= lo.f {
            hi = p;
        } else {
            if curvature(&p) {
                return done(&p, true);
            }
            if p.slope * (hi.alpha - lo.alpha) >= 0.0 {
                hi = lo.clone();
            }
            lo = p;
        }
        if (hi.alpha - lo.alpha).abs() <= 1e-14 * lo.alpha.abs().max(1e-300) {
            break;
        }
    }
    let ok = lo.alpha > 0.0;
    done(&lo, ok && curvature(&lo))
}

/// The minimizer of the cubic through both ends' values and slopes, kept inside the middle
/// 80% of the interval; bisection when the cubic has no usable minimizer or hi is not finite.
fn interpolate<V>(lo: &Probe<V>, hi: &Probe<V>) -> f64 {
    let (a, b) = (lo.alpha, hi.alpha);
    let bisect = 0.5 * (a + b);
    if !hi.f.is_finite() || !hi.slope.is_finite() {
        return bisect;
    }
    let d1 = lo.slope + hi.slope - 3.0 * (lo.f - hi.f) / (a - b);
    let disc = d1 * d1 - lo.slope * hi.slope;
    if disc.is_nan() || disc < 0.0 {
        return bisect;
    }
    let d2 = (b - a).signum() * disc.sqrt();
    let t = b - (b - a) * (hi.slope + d2 - d1) / (hi.slope - lo.slope + 2.0 * d2);
    let (min, max) = (a.min(b), a.max(b));
    let margin = 0.1 * (max - min);
    if t.is_finite() && t >= min + margin && t <= max - margin {
        t
    } else {
        bisect
    }
}

/// Backtracking from α = `alpha0` by factor `shrink` until the Armijo condition
/// `f̃(x + αd) ≤ f̃(x) + c1·α·∇f̃·d` holds (Armijo 1966; Nocedal & Wright, Algorithm 3.1).
pub fn armijo_backtracking<V: Vector>(
    oracle: &mut Oracle<V>,
    ray: &Ray<V>,
    alpha0: f64,
    c1: f64,
    shrink: f64,
) -> LineSearchResult<V> {
    let Ray { x, f: f0, g: g0, d } = ray;
    let f0 = *f0;
    let slope0 = g0.dot(d);
    let mut alpha = alpha0;
    if slope0 < 0.0 {
        for _ in 0..60 {
            let p = x.plus_scaled(alpha, d);
            let f = oracle.value(&p);
            if f <= f0 + c1 * alpha * slope0 {
                return LineSearchResult {
                    alpha,
                    x: p,
                    f,
                    g: None,
                    ok: true,
                };
            }
            alpha *= shrink;
        }
    }
    LineSearchResult {
        alpha: 0.0,
        x: x.clone(),
        f: f0,
        g: Some(g0.clone()),
        ok: false,
    }
}
