//! Loss surfaces f: ℝ² → ℝ with exact value, gradient and Hessian.
//!
//! A [`Landscape`] is what a scene names with a spec such as `rosenbrock:a=1,b=100`,
//! `quadratic:kappa=50,angle=30`, `expr:(1-x)^2+100*(y-x^2)^2` or `rosenbrock+l2=0.1`:
//! the [`Surface`] itself plus the default view box, a default start point and the
//! known critical points (minima, saddles, maxima).

mod catalog;
pub mod expr;
mod regularize;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use catalog::{CATALOG, SurfaceEntry};
pub use regularize::{Regularization, split_suffix};

use crate::real::{Dual2, Jet2, Real};
use crate::spec::{Args, SpecError, lookup, spec_err, split_spec};
use crate::{M2, P2};

/// A differentiable loss surface. Derivatives are exact (automatic differentiation or
/// closed form), never finite differences.
pub trait Surface: Send + Sync {
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

impl Landscape {
    /// What makes this surface itself, for keying caches: its spec, and on a data surface
    /// its dataset's spec too (the same model over other points is another surface).
    pub fn identity(&self) -> String {
        match &self.data {
            Some(data) => format!("{} on {}", self.spec, data.data.spec),
            None => self.spec.clone(),
        }
    }

    /// Call `visitor` with this landscape's surface as its concrete type when it is a
    /// catalogue surface without a regularization term, else as `dyn Surface`: the same
    /// function either way, so the result is identical; only the speed differs.
    pub fn visit_typed<V: SurfaceVisitor>(&self, visitor: V) -> V::Output {
        let typed = (!self.spec.starts_with("expr:") && split_suffix(&self.spec).is_none())
            .then(|| split_spec(&self.spec).ok())
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
        visitor.visit(self.surface.as_ref())
    }
}

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

/// A surface with its default view, start point and known critical points.
pub struct Landscape {
    /// The spec it was built from, e.g. `rosenbrock+l2=0.1`.
    pub spec: String,
    pub surface: Box<dyn Surface>,
    pub view: Bounds,
    pub start: P2,
    pub critical: Vec<Critical>,
    /// With a regularization term: the minima the surface had without it, so a picture can
    /// show where the penalty moved them from. Empty otherwise.
    pub unregularized_minima: Vec<Critical>,
    /// The parameters' names, for the map's axes: x and y, or a model's (w, b), (w₁, w₂).
    pub axes: [&'static str; 2],
    /// The model and dataset behind a data surface (`None` for an analytic one): its points,
    /// per-sample losses, minibatch surfaces and known minimum.
    pub data: Option<std::sync::Arc<crate::data::DataSurface>>,
}

/// The axes of an analytic surface.
pub const XY: [&str; 2] = ["x", "y"];

impl fmt::Debug for Landscape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Landscape")
            .field("spec", &self.spec)
            .field("view", &self.view)
            .field("start", &self.start)
            .field("critical", &self.critical)
            .finish_non_exhaustive()
    }
}

impl Landscape {
    /// Build the surface a spec names: a catalogue name with parameters, or `expr:…`,
    /// optionally followed by a regularization term `+l2=λ`, `+l1=λ` or `+elastic=λ,ratio=r`.
    pub fn parse(spec: &str) -> Result<Self, SpecError> {
        Self::parse_with_data(spec, None)
    }

    /// [`Landscape::parse`], with the dataset a model (`linear-regression`,
    /// `linear-classifier`) is fitted to: a dataset spec (see [`crate::data`]). A model without
    /// one gets its default data (`line` or `blobs`); an analytic surface refuses one.
    pub fn parse_with_data(spec: &str, data: Option<&str>) -> Result<Self, SpecError> {
        let spec = spec.trim();
        let (base, term) = match regularize::split_suffix(spec) {
            Some((base, term)) => (base, Some(Regularization::parse(term)?)),
            None => (spec, None),
        };
        if let Some(model) = crate::data::model::ModelSpec::parse(base)? {
            let mut landscape = crate::data::landscape::build(model, data, term)?;
            landscape.spec = spec.to_string();
            return Ok(landscape);
        }
        if let Some(data) = data {
            return Err(spec_err!(
                "data '{data}' needs a model surface (linear-regression or linear-classifier), \
                 got '{base}'"
            ));
        }
        let mut landscape = if let Some(text) = base.strip_prefix("expr:") {
            let expr = expr::Expr::parse(text).map_err(|e| spec_err!("expr: {e}"))?;
            Self {
                spec: String::new(),
                surface: Box::new(expr),
                view: Bounds::square(3.0),
                start: P2::new(-2.0, 2.0),
                critical: Vec::new(),
                unregularized_minima: Vec::new(),
                axes: XY,
                data: None,
            }
        } else {
            let (name, pairs) = split_spec(base)?;
            let entry = lookup("surface", name, CATALOG, |e| e.name)?;
            let args = Args::parse(name, entry.params, &pairs)?;
            (entry.build)(&args)?
        };
        check_scale(&landscape, spec)?;
        if let Some(term) = term {
            landscape = landscape.regularized(term);
        }
        landscape.spec = spec.to_string();
        Ok(landscape)
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

/// Refuse parameters that put a surface's default view or start beyond ±1e12, where every
/// run counts as diverged at once and the map cannot be drawn (`plateau:width=1e308`).
fn check_scale(landscape: &Landscape, spec: &str) -> Result<(), SpecError> {
    let limit = crate::race::DIVERGENCE_BOX;
    let v = landscape.view;
    let inside = |c: f64| c.abs() <= limit;
    let ok = v.x.iter().chain(&v.y).all(|&c| inside(c))
        && landscape.start.iter().all(|&c| inside(c))
        && v.x[0] < v.x[1]
        && v.y[0] < v.y[1];
    if ok {
        Ok(())
    } else {
        Err(spec_err!(
            "surface '{spec}': these parameters put its view (x {:?}, y {:?}) or start beyond \
             ±1e12, where runs count as diverged; choose a smaller scale",
            v.x,
            v.y
        ))
    }
}

/// Strengths at which [`Landscape::regularized`] re-locates the critical points.
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
