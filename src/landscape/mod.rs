//! What a scene optimizes: a surface or a model over data, named by one spec such as
//! `rosenbrock:a=1,b=100`, `quadratic:kappa=50,angle=30`, `expr:(1-x)^2+100*(y-x^2)^2`,
//! `rosenbrock+l2=0.1` or `linear-regression:loss=mse` (with `--data`).
//!
//! A [`Landscape`] is the [`Surface`] itself plus the default view box, a default start point,
//! the known critical points (minima, saddles, maxima) and, for a model, its dataset. It sits
//! above both [`crate::surface`] and [`crate::data`], which know nothing of it.

pub mod data;

use std::fmt;
use std::sync::Arc;

use crate::P2;
use crate::data::DataSurface;
use crate::data::model::ModelSpec;
use crate::spec::{SpecError, spec_err};
use crate::surface::{
    Analytic, Bounds, Critical, DIVERGENCE_BOX, Regularization, Surface, SurfaceVisitor, XY,
    split_suffix,
};

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
    pub data: Option<Arc<DataSurface>>,
}

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
        let (base, term) = match split_suffix(spec) {
            Some((base, term)) => (base, Some(Regularization::parse(term)?)),
            None => (spec, None),
        };
        if let Some(model) = ModelSpec::parse(base)? {
            let mut landscape = data::build(model, data, term)?;
            landscape.spec = spec.to_string();
            return Ok(landscape);
        }
        if let Some(data) = data {
            return Err(spec_err!(
                "data '{data}' needs a model surface (linear-regression or linear-classifier), \
                 got '{base}'"
            ));
        }
        let mut analytic = match base.strip_prefix("expr:") {
            Some(text) => Analytic::expr(text)?,
            None => Analytic::catalogue(base)?,
        };
        check_scale(&analytic, spec)?;
        if let Some(term) = term {
            analytic = analytic.regularized(term);
        }
        let Analytic {
            surface,
            view,
            start,
            critical,
            unregularized_minima,
        } = analytic;
        Ok(Self {
            spec: spec.to_string(),
            surface,
            view,
            start,
            critical,
            unregularized_minima,
            axes: XY,
            data: None,
        })
    }

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
        crate::surface::visit_typed(&self.spec, self.surface.as_ref(), visitor)
    }
}

/// Refuse parameters that put a surface's default view or start beyond ±1e12
/// ([`DIVERGENCE_BOX`]), where every run counts as diverged at once and the map cannot be
/// drawn (`plateau:width=1e308`).
fn check_scale(analytic: &Analytic, spec: &str) -> Result<(), SpecError> {
    let v = analytic.view;
    let inside = |c: f64| c.abs() <= DIVERGENCE_BOX;
    let ok = v.x.iter().chain(&v.y).all(|&c| inside(c))
        && analytic.start.iter().all(|&c| inside(c))
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
