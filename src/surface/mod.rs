//! Loss surfaces f: ℝ² → ℝ with exact value, gradient and Hessian — the bottom layer of the
//! plane, importing no module above it.
//!
//! A catalogue entry (`rosenbrock:a=1,b=100`, `quadratic:kappa=50,angle=30`) or an expression
//! (`expr:(1-x)^2+100*(y-x^2)^2`) builds an [`Analytic`] surface: the [`Surface`] itself plus
//! the default view box, a default start point and the known critical points (minima,
//! saddles, maxima); [`Analytic::regularized`] adds a term such as `+l2=0.1`. What a scene
//! names — one of these or a model over data — is a [`crate::landscape::Landscape`].

mod catalog;
pub mod expr;
mod regularize;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use catalog::{CATALOG, SurfaceEntry};
pub use regularize::{Regularization, split_suffix};

use crate::real::{Dual2, Jet2, Real};
use crate::space::Objective;
use crate::spec::{Args, SpecError, lookup, spec_err, split_spec};
use crate::{M2, P2};

/// A differentiable loss surface. Derivatives are exact (automatic differentiation or
/// closed form), never finite differences.
pub trait Surface: Objective<P2> + Send + Sync {
    fn value(&self, p: P2) -> f64;
    /// Value and gradient in one evaluation.
    fn value_gradient(&self, p: P2) -> (f64, P2);
    fn gradient(&self, p: P2) -> P2 {
        self.value_gradient(p).1
    }
    /// The Hessian ∇²f(p) (symmetric).
    fn hessian(&self, p: P2) -> M2;
    /// f at `p` for drawing only — the map's colours and isolines, the 3D view's heights —
    /// never fed to an optimizer: [`Surface::value`] unless the surface has a faster
    /// evaluation whose documented error is far below what a picture can show.
    fn map_value(&self, p: P2) -> f64 {
        self.value(p)
    }
}

/// Every surface is an objective over the plane, for the optimizers' oracle.
impl<S: Surface + ?Sized> Objective<P2> for S {
    #[inline]
    fn objective_value(&self, p: &P2) -> f64 {
        self.value(*p)
    }
    #[inline]
    fn objective_gradient(&self, p: &P2) -> (f64, P2) {
        self.value_gradient(*p)
    }
    fn objective_hessian(&self, p: &P2) -> M2 {
        self.hessian(*p)
    }
}

/// A surface written once as a generic formula; [`Surface`] follows by automatic
/// differentiation (see [`crate::real`]).
pub trait Formula: Send + Sync {
    fn eval<T: Real>(&self, x: T, y: T) -> T;
}

impl<F: Formula> Surface for F {
    #[inline]
    fn value(&self, p: P2) -> f64 {
        self.eval(p.x, p.y)
    }
    #[inline]
    fn value_gradient(&self, p: P2) -> (f64, P2) {
        let (x, y) = Dual2::variables(p.x, p.y);
        let f = self.eval(x, y);
        (f.v, P2::new(f.g[0], f.g[1]))
    }
    fn hessian(&self, p: P2) -> M2 {
        let (x, y) = Jet2::variables(p.x, p.y);
        let [hxx, hxy, hyy] = self.eval(x, y).h;
        M2::new(hxx, hxy, hxy, hyy)
    }
}

/// Something generic over a surface type (the engine), called with the surface.
pub trait SurfaceVisitor {
    type Output;
    fn visit<S: Surface + ?Sized>(self, surface: &S) -> Self::Output;
}

/// Call `visitor` with the surface `spec` names as its concrete type when it is a catalogue
/// surface without a regularization term, else with `surface` (what `spec` built) as
/// `dyn Surface`: the same function either way, so the result is identical; only the speed
/// differs.
pub fn visit_typed<V: SurfaceVisitor>(spec: &str, surface: &dyn Surface, visitor: V) -> V::Output {
    let typed = (!spec.starts_with("expr:") && split_suffix(spec).is_none())
        .then(|| split_spec(spec).ok())
        .flatten()
        .and_then(|(name, pairs)| {
            let entry = CATALOG.iter().find(|e| e.name == name)?;
            Some((name, Args::parse(name, entry.params, &pairs).ok()?))
        });
    let visitor = match typed {
        Some((name, args)) => match catalog::visit_typed(name, &args, visitor) {
            Ok(out) => return out,
            Err(visitor) => visitor,
        },
        None => visitor,
    };
    visitor.visit(surface)
}

/// A run whose point leaves this box (|x| or |y| beyond it) has diverged, and a view or a
/// start beyond it is refused: out here the plane's numbers mean nothing.
pub const DIVERGENCE_BOX: f64 = 1e12;

/// An axis-aligned box `x ∈ [x0, x1], y ∈ [y0, y1]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

impl Bounds {
    pub const fn new(x0: f64, x1: f64, y0: f64, y1: f64) -> Self {
        Self {
            x: [x0, x1],
            y: [y0, y1],
        }
    }
    /// The square `[-r, r]²`.
    pub const fn square(r: f64) -> Self {
        Self::new(-r, r, -r, r)
    }
    pub fn contains(&self, p: P2) -> bool {
        (self.x[0]..=self.x[1]).contains(&p.x) && (self.y[0]..=self.y[1]).contains(&p.y)
    }

    /// The smallest box with width/height ratio `aspect` (equal scales on both axes of a
    /// picture of that shape) that contains this one, centred on it.
    pub fn fit_aspect(self, aspect: f64) -> Self {
        let (w, h) = (self.x[1] - self.x[0], self.y[1] - self.y[0]);
        if !(aspect.is_finite() && aspect > 0.0 && w > 0.0 && h > 0.0) {
            return self;
        }
        let (cx, cy) = ((self.x[0] + self.x[1]) / 2.0, (self.y[0] + self.y[1]) / 2.0);
        let (w, h) = if w / h < aspect {
            (h * aspect, h)
        } else {
            (w, w / aspect)
        };
        Self::new(cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0)
    }
}

/// What kind of stationary point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CriticalKind {
    GlobalMinimum,
    LocalMinimum,
    Saddle,
    Maximum,
}

impl fmt::Display for CriticalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::GlobalMinimum => "global minimum",
            Self::LocalMinimum => "local minimum",
            Self::Saddle => "saddle",
            Self::Maximum => "maximum",
        })
    }
}

/// A known stationary point, located to full precision.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Critical {
    pub x: f64,
    pub y: f64,
    /// f at the point.
    pub f: f64,
    pub kind: CriticalKind,
}

impl Critical {
    pub fn point(&self) -> P2 {
        P2::new(self.x, self.y)
    }
    pub fn is_minimum(&self) -> bool {
        matches!(
            self.kind,
            CriticalKind::GlobalMinimum | CriticalKind::LocalMinimum
        )
    }
}

/// An analytic surface with its default view, start point and known critical points: what a
/// catalogue entry or an `expr:` builds.
pub struct Analytic {
    pub surface: Box<dyn Surface>,
    pub view: Bounds,
    pub start: P2,
    pub critical: Vec<Critical>,
    /// With a regularization term: the minima the surface had without it, so a picture can
    /// show where the penalty moved them from. Empty otherwise.
    pub unregularized_minima: Vec<Critical>,
}

/// The axes of an analytic surface.
pub const XY: [&str; 2] = ["x", "y"];

impl Analytic {
    /// The surface of an expression (`expr:` without its prefix): the square view ±3, start
    /// (−2, 2), no known critical points.
    pub fn expr(text: &str) -> Result<Self, SpecError> {
        let expr = expr::Expr::parse(text).map_err(|e| spec_err!("expr: {e}"))?;
        Ok(Self {
            surface: Box::new(expr),
            view: Bounds::square(3.0),
            start: P2::new(-2.0, 2.0),
            critical: Vec::new(),
            unregularized_minima: Vec::new(),
        })
    }

    /// The catalogue surface `base` names (`name` or `name:key=value,…`).
    pub fn catalogue(base: &str) -> Result<Self, SpecError> {
        let (name, pairs) = split_spec(base)?;
        let entry = lookup("surface", name, CATALOG, |e| e.name)?;
        let args = Args::parse(name, entry.params, &pairs)?;
        (entry.build)(&args)
    }

    /// Add a regularization term; the known critical points move with it. Each is followed
    /// as the term is switched on in [`HOMOTOPY_STEPS`] steps (a homotopy: Newton's method
    /// from where it was at the previous strength), so a minimum the term drags far — L2
    /// pulls Rosenbrock's from (1, 1) to (0.55, 0.31) at λ = 1 — is tracked, not lost; points
    /// that cease to exist along the way are dropped.
    pub fn regularized(self, term: Regularization) -> Self {
        let mut points: Vec<(P2, CriticalKind)> =
            self.critical.iter().map(|c| (c.point(), c.kind)).collect();
        for k in 1..=HOMOTOPY_STEPS {
            let partial = regularize::Regularized {
                base: self.surface.as_ref(),
                term: term.scaled(k as f64 / HOMOTOPY_STEPS as f64),
            };
            points.retain_mut(|(p, _)| match newton_polish(&partial, *p) {
                Some(q) => {
                    *p = q;
                    true
                }
                None => false,
            });
        }
        let surface: Box<dyn Surface> = Box::new(regularize::Regularized {
            base: self.surface,
            term,
        });
        let critical = locate_critical(surface.as_ref(), &points);
        let unregularized_minima = self
            .critical
            .iter()
            .filter(|c| c.is_minimum())
            .copied()
            .collect();
        Self {
            surface,
            critical,
            unregularized_minima,
            ..self
        }
    }
}

/// Strengths at which [`Analytic::regularized`] re-locates the critical points.
pub const HOMOTOPY_STEPS: usize = 16;

/// Refine approximate stationary points by Newton's method on the exact gradient and
/// Hessian; drop those that do not converge nearby, and mark the lowest minima global.
pub fn locate_critical(surface: &dyn Surface, approx: &[(P2, CriticalKind)]) -> Vec<Critical> {
    let mut found: Vec<Critical> = approx
        .iter()
        .filter_map(|&(p0, kind)| {
            let p = newton_polish(surface, p0)?;
            let kind = match kind {
                CriticalKind::GlobalMinimum | CriticalKind::LocalMinimum => {
                    CriticalKind::LocalMinimum
                }
                other => other,
            };
            Some(Critical {
                x: p.x,
                y: p.y,
                f: surface.value(p),
                kind,
            })
        })
        .collect();
    let best = found
        .iter()
        .filter(|c| c.is_minimum())
        .map(|c| c.f)
        .min_by(f64::total_cmp);
    if let Some(best) = best {
        for c in found.iter_mut().filter(|c| c.is_minimum()) {
            if c.f - best <= 1e-9 * (1.0 + best.abs()) {
                c.kind = CriticalKind::GlobalMinimum;
            }
        }
    }
    found
}

fn newton_polish(surface: &dyn Surface, start: P2) -> Option<P2> {
    let mut p = start;
    for _ in 0..60 {
        let g = surface.gradient(p);
        let scale = 1.0 + surface.value(p).abs();
        if g.norm() <= 1e-13 * scale {
            break;
        }
        let step = surface.hessian(p).lu().solve(&g)?;
        if !step.iter().all(|s| s.is_finite()) {
            return None;
        }
        p -= step;
        if step.norm() <= 1e-15 * (1.0 + p.norm()) {
            break;
        }
    }
    let converged = surface.gradient(p).norm() <= 1e-8 * (1.0 + surface.value(p).abs());
    (converged && (p - start).norm() <= 0.5).then_some(p)
}
