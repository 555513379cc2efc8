//! Two-parameter models on a dataset: the mean per-sample loss as a surface over (θ₀, θ₁).
//!
//! - `linear-regression:loss=mse|mae|huber,delta=1`: ŷ = w·x + b, θ = (w, b), per-sample
//!   ℓ(ŷ − y).
//! - `linear-classifier:loss=logistic|hinge|squared-hinge,bias=0`: s = w₁x₁ + w₂x₂ + bias,
//!   θ = (w₁, w₂), per-sample ℓ(y·s).
//!
//! Both are linear in θ: the per-sample argument is u = θ₀·a + θ₁·b + c (regression:
//! (a, b, c) = (x, 1, −y); classification: y·(x₁, x₂, bias)), so with ℓ, ℓ', ℓ'' of
//! [`Loss::eval`] the mean loss L(θ) = (1/n)Σℓ(uᵢ) has the exact gradient (1/n)Σℓ'(uᵢ)·(a, b)
//! and Hessian (1/n)Σℓ''(uᵢ)·(a, b)(a, b)ᵀ (the chain rule of [`crate::real`], by hand).
//!
//! Regularization (`+l2=λ`, `+l1=λ`, `+elastic=λ,ratio=r`) is added to the *weights* only:
//! both θ of the classifier, but only w of the regression — its bias b is not penalized, as
//! in scikit-learn's Ridge and Lasso.
//!
//! Mean squared error is computed from centred sufficient statistics in O(1) per point θ:
//! L = w²·Cxx − 2w·Cxy + Cyy + (w·x̄ + b − ȳ)², with C the (co)variances over n.

use std::sync::Arc;

use super::logistic::{self, Columns};
use super::loss::Loss;
use super::{DataKind, Dataset};
use crate::spec::{Param, Range, SpecError, spec_err, split_spec};
use crate::surface::{Regularization, Surface};
use crate::{M2, P2};

/// Which model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ModelKind {
    /// ŷ = w·x + b.
    LinearRegression,
    /// s = w₁x₁ + w₂x₂ + bias.
    LinearClassifier { bias: f64 },
}

/// The model names a surface spec accepts, with their formula and parameters.
pub const MODELS: &[(&str, &str, &[Param])] = &[
    (
        "linear-regression",
        "ŷ = w·x + b; mean of mse (ŷ−y)², mae |ŷ−y| or huber (HuberLoss δ) over the points",
        &[Param::real(
            "delta",
            1.0,
            Range::POSITIVE,
            "Huber's δ (loss=huber)",
        )],
    ),
    (
        "linear-classifier",
        "s = w₁x₁ + w₂x₂ + bias; mean of logistic ln(1+e^(−y·s)), hinge max(0, 1−y·s) or \
         squared-hinge max(0, 1−y·s)² over the points",
        &[Param::real(
            "bias",
            0.0,
            Range::ANY,
            "the fixed bias of the score",
        )],
    ),
];

/// A parsed model spec: the model and its loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelSpec {
    pub kind: ModelKind,
    pub loss: Loss,
}

impl ModelSpec {
    /// The model a surface spec names, or `None` when it names no model.
    pub fn parse(spec: &str) -> Result<Option<Self>, SpecError> {
        let name = spec.split(':').next().unwrap_or_default().trim();
        if !MODELS.iter().any(|m| m.0 == name) {
            return Ok(None);
        }
        let (name, pairs) = split_spec(spec)?;
        let Some(&(_, _, params)) = MODELS.iter().find(|m| m.0 == name) else {
            return Ok(None);
        };
        let regression = name == "linear-regression";
        let accepted = if regression {
            Loss::REGRESSION
        } else {
            Loss::CLASSIFICATION
        };
        let mut loss_name = accepted[0];
        let mut rest = Vec::new();
        for &(k, v) in &pairs {
            if k == "loss" {
                if !accepted.contains(&v) {
                    return Err(spec_err!(
                        "{name}: loss must be one of {}, got '{v}'",
                        accepted.join(", ")
                    ));
                }
                loss_name = v;
            } else {
                rest.push((k, v));
            }
        }
        let args = crate::spec::Args::parse(name, params, &rest)
            .map_err(|e| SpecError(e.0.replace("(accepted: ", "(accepted: loss, ")))?;
        let delta = if regression { args.real("delta") } else { 1.0 };
        let kind = if regression {
            ModelKind::LinearRegression
        } else {
            ModelKind::LinearClassifier {
                bias: args.real("bias"),
            }
        };
        let loss = Loss::parse(loss_name, delta).ok_or_else(|| spec_err!("{name}: bad loss"))?;
        Ok(Some(Self { kind, loss }))
    }

    /// The kind of data the model needs.
    pub fn data_kind(&self) -> DataKind {
        match self.kind {
            ModelKind::LinearRegression => DataKind::Regression,
            ModelKind::LinearClassifier { .. } => DataKind::Classification,
        }
    }

    /// The parameters' names, for the map's axes.
    pub fn axes(&self) -> [&'static str; 2] {
        match self.kind {
            ModelKind::LinearRegression => ["w", "b"],
            ModelKind::LinearClassifier { .. } => ["w₁", "w₂"],
        }
    }
}

/// A model at one θ, as the data view draws it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ModelShape {
    /// The regression line y = slope·x + intercept.
    Line { slope: f64, intercept: f64 },
    /// The decision boundary w₁x₁ + w₂x₂ + bias = 0; with `margins`, the lines where the
    /// score is ±1 matter too (hinge losses).
    Boundary {
        w1: f64,
        w2: f64,
        bias: f64,
        margins: bool,
    },
}

/// Where a data surface's minimum is, if it has one.
#[derive(Clone, Debug, PartialEq)]
pub enum Minimum {
    /// In closed form (mse: the normal equations).
    Exact(P2),
    /// Located numerically (Newton's method, or the best vertex of a piecewise-linear loss).
    Located(P2),
    /// None, with the reason in words (a lesson, not an error).
    None(String),
}

impl Minimum {
    pub fn point(&self) -> Option<P2> {
        match self {
            Minimum::Exact(p) | Minimum::Located(p) => Some(*p),
            Minimum::None(_) => None,
        }
    }
}

/// Centred sufficient statistics of the regression points, over n.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct MseStats {
    pub mean_x: f64,
    pub mean_y: f64,
    pub cxx: f64,
    pub cxy: f64,
    pub cyy: f64,
}

impl MseStats {
    fn of(data: &Dataset) -> Self {
        let n = data.len() as f64;
        let mean_x = data.points.iter().map(|p| p.x).sum::<f64>() / n;
        let mean_y = data.points.iter().map(|p| p.y).sum::<f64>() / n;
        let (mut cxx, mut cxy, mut cyy) = (0.0, 0.0, 0.0);
        for p in &data.points {
            let (dx, dy) = (p.x - mean_x, p.y - mean_y);
            cxx += dx * dx;
            cxy += dx * dy;
            cyy += dy * dy;
        }
        Self {
            mean_x,
            mean_y,
            cxx: cxx / n,
            cxy: cxy / n,
            cyy: cyy / n,
        }
    }
}

/// The loss of a model over a dataset, plus a regularization of the weights.
#[derive(Clone, Debug)]
pub struct DataSurface {
    pub model: ModelSpec,
    pub data: Arc<Dataset>,
    /// The regularization term, if any (on the weights only).
    pub term: Option<Regularization>,
    /// The known minimum (or why there is none).
    pub minimum: Minimum,
    /// (a, b, c) per point: the argument of ℓ is θ₀a + θ₁b + c.
    rows: Vec<[f64; 3]>,
    /// The rows as columns, for the logistic map (empty for other losses).
    columns: Columns,
    stats: Option<MseStats>,
    l1: f64,
    l2: f64,
    /// Which coordinates the term penalizes.
    penalized: [bool; 2],
}

impl DataSurface {
    /// The model on the data, checked to fit each other, its minimum not yet located
    /// (`Minimum::None("")`): [`DataSurface::new`] (in `minimum.rs`) locates it.
    pub(super) fn unlocated(
        model: ModelSpec,
        data: Arc<Dataset>,
        term: Option<Regularization>,
    ) -> Result<Self, SpecError> {
        if data.kind != model.data_kind() {
            let accepted = match data.kind {
                DataKind::Regression => "linear-regression with loss mse, mae or huber",
                DataKind::Classification => {
                    "linear-classifier with loss logistic, hinge or squared-hinge"
                }
            };
            return Err(spec_err!(
                "the {} loss needs {:?} data, but {} is {:?} data (accepted: {accepted})",
                model.loss.name(),
                model.data_kind(),
                data.spec,
                data.kind,
            )
            .lowercase_kinds());
        }
        let rows = data
            .points
            .iter()
            .map(|p| match model.kind {
                ModelKind::LinearRegression => [p.x, 1.0, -p.y],
                ModelKind::LinearClassifier { bias } => {
                    [p.label * p.x, p.label * p.y, p.label * bias]
                }
            })
            .collect::<Vec<_>>();
        let columns = match model.loss {
            Loss::Logistic => Columns::of(&rows),
            _ => Columns::default(),
        };
        let stats = (model.loss == Loss::Mse).then(|| MseStats::of(&data));
        let (l1, l2) = term.map_or((0.0, 0.0), Regularization::weights);
        let penalized = match model.kind {
            ModelKind::LinearRegression => [true, false],
            ModelKind::LinearClassifier { .. } => [true, true],
        };
        Ok(Self {
            model,
            data,
            term,
            minimum: Minimum::None(String::new()),
            rows,
            columns,
            stats,
            l1,
            l2,
            penalized,
        })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The argument of ℓ for point `i` at θ: the residual ŷ − y, or the margin y·s.
    #[inline]
    pub fn argument(&self, i: usize, theta: P2) -> f64 {
        let [a, b, c] = self.rows[i];
        theta.x * a + theta.y * b + c
    }

    /// The per-sample loss of point `i` at θ (no regularization).
    pub fn sample_loss(&self, i: usize, theta: P2) -> f64 {
        self.model.loss.value(self.argument(i, theta))
    }

    /// The model at θ, as the data view draws it.
    pub fn shape(&self, theta: P2) -> ModelShape {
        match self.model.kind {
            ModelKind::LinearRegression => ModelShape::Line {
                slope: theta.x,
                intercept: theta.y,
            },
            ModelKind::LinearClassifier { bias } => ModelShape::Boundary {
                w1: theta.x,
                w2: theta.y,
                bias,
                margins: self.model.loss.has_margin(),
            },
        }
    }

    /// The surface of the points `indices` alone (a minibatch): their mean loss plus the
    /// same regularization term.
    pub fn batch<'a>(&'a self, indices: &'a [usize]) -> BatchSurface<'a> {
        BatchSurface {
            surface: self,
            indices,
        }
    }

    /// Mean of (ℓ, ℓ'·∇u, ℓ''·∇u∇uᵀ) over `rows`, with or without the Hessian.
    #[inline]
    fn mean_over<const HESSIAN: bool>(
        &self,
        rows: impl Iterator<Item = [f64; 3]>,
        count: usize,
        theta: P2,
    ) -> (f64, P2, M2) {
        let loss = self.model.loss;
        let (mut f, mut gx, mut gy, mut hxx, mut hxy, mut hyy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for [a, b, c] in rows {
            let (l, d, dd) = loss.eval(theta.x * a + theta.y * b + c);
            f += l;
            gx += d * a;
            gy += d * b;
            if HESSIAN {
                hxx += dd * a * a;
                hxy += dd * a * b;
                hyy += dd * b * b;
            }
        }
        let n = count as f64;
        (
            f / n,
            P2::new(gx / n, gy / n),
            M2::new(hxx / n, hxy / n, hxy / n, hyy / n),
        )
    }

    /// The data term over all points: from the statistics for mse, by summation otherwise.
    fn full<const HESSIAN: bool>(&self, theta: P2) -> (f64, P2, M2) {
        match self.stats {
            Some(s) => {
                let (w, b) = (theta.x, theta.y);
                let c = w * s.mean_x + b - s.mean_y;
                let f = w * w * s.cxx - 2.0 * w * s.cxy + s.cyy + c * c;
                let g = P2::new(2.0 * (w * s.cxx - s.cxy) + 2.0 * c * s.mean_x, 2.0 * c);
                let h = M2::new(
                    2.0 * (s.cxx + s.mean_x * s.mean_x),
                    2.0 * s.mean_x,
                    2.0 * s.mean_x,
                    2.0,
                );
                (f, g, h)
            }
            // The same bits as `mean_over`, in a faster loop.
            None if !HESSIAN && self.model.loss == Loss::Logistic => {
                let (f, gx, gy) = logistic::sums::<true>(&self.rows, theta);
                let n = self.rows.len() as f64;
                (f / n, P2::new(gx / n, gy / n), M2::zeros())
            }
            None => self.mean_over::<HESSIAN>(self.rows.iter().copied(), self.rows.len(), theta),
        }
    }

    /// The regularization term: value, (sub)gradient (zero at a kink) and Hessian.
    #[inline]
    fn penalty(&self, theta: P2) -> (f64, P2, M2) {
        let (mut f, mut g, mut h) = (0.0, P2::zeros(), M2::zeros());
        if self.l1 == 0.0 && self.l2 == 0.0 {
            return (f, g, h);
        }
        for j in 0..2 {
            if self.penalized[j] {
                let t = theta[j];
                f += self.l1 * t.abs() + 0.5 * self.l2 * t * t;
                g[j] = self.l1 * sign(t) + self.l2 * t;
                h[(j, j)] = self.l2;
            }
        }
        (f, g, h)
    }

    /// (l1, l2, penalized coordinates) of the term, for locating the minimum.
    pub(super) fn penalty_weights(&self) -> (f64, f64, [bool; 2]) {
        (self.l1, self.l2, self.penalized)
    }

    /// The data term plus the L2 part only (the smooth part when the loss is smooth).
    pub(super) fn smooth(&self, theta: P2) -> (f64, P2, M2) {
        let (f, g, h) = self.full::<true>(theta);
        let mut out = (f, g, h);
        for j in 0..2 {
            if self.penalized[j] {
                out.0 += 0.5 * self.l2 * theta[j] * theta[j];
                out.1[j] += self.l2 * theta[j];
                out.2[(j, j)] += self.l2;
            }
        }
        out
    }

    pub(super) fn stats(&self) -> Option<MseStats> {
        self.stats
    }

    pub(super) fn rows(&self) -> &[[f64; 3]] {
        &self.rows
    }
}

#[inline]
fn sign(t: f64) -> f64 {
    if t > 0.0 {
        1.0
    } else if t < 0.0 {
        -1.0
    } else {
        0.0
    }
}

trait LowercaseKinds {
    fn lowercase_kinds(self) -> Self;
}

impl LowercaseKinds for SpecError {
    fn lowercase_kinds(self) -> Self {
        SpecError(
            self.0
                .replace("Regression data", "regression data")
                .replace("Classification data", "classification data"),
        )
    }
}

impl Surface for DataSurface {
    fn value(&self, p: P2) -> f64 {
        let f = match self.stats {
            Some(_) => self.full::<false>(p).0,
            None if self.model.loss == Loss::Logistic => {
                logistic::sums::<false>(&self.rows, p).0 / self.rows.len() as f64
            }
            None => {
                let loss = self.model.loss;
                let sum: f64 = self
                    .rows
                    .iter()
                    .map(|&[a, b, c]| loss.value(p.x * a + p.y * b + c))
                    .sum();
                sum / self.rows.len() as f64
            }
        };
        f + self.penalty(p).0
    }
    fn value_gradient(&self, p: P2) -> (f64, P2) {
        let (f, g, _) = self.full::<false>(p);
        let (rf, rg, _) = self.penalty(p);
        (f + rf, g + rg)
    }
    fn hessian(&self, p: P2) -> M2 {
        self.full::<true>(p).2 + self.penalty(p).2
    }
    /// The logistic loss by [`logistic::map_sum`] (within 10⁻¹²·(1 + f) of
    /// [`Surface::value`]), the others exactly.
    fn map_value(&self, p: P2) -> f64 {
        if self.model.loss != Loss::Logistic {
            return self.value(p);
        }
        logistic::map_sum(&self.columns, p) / self.rows.len() as f64 + self.penalty(p).0
    }
}

/// The loss of a minibatch: the mean over its points of the per-sample loss, plus the
/// regularization term (see [`DataSurface::batch`]).
pub struct BatchSurface<'a> {
    surface: &'a DataSurface,
    indices: &'a [usize],
}

impl BatchSurface<'_> {
    fn eval<const HESSIAN: bool>(&self, p: P2) -> (f64, P2, M2) {
        let s = self.surface;
        let (f, g, h) = s.mean_over::<HESSIAN>(
            self.indices.iter().map(|&i| s.rows[i]),
            self.indices.len(),
            p,
        );
        let (rf, rg, rh) = s.penalty(p);
        (f + rf, g + rg, h + rh)
    }
}

impl Surface for BatchSurface<'_> {
    fn value(&self, p: P2) -> f64 {
        self.eval::<false>(p).0
    }
    fn value_gradient(&self, p: P2) -> (f64, P2) {
        let (f, g, _) = self.eval::<false>(p);
        (f, g)
    }
    fn hessian(&self, p: P2) -> M2 {
        self.eval::<true>(p).2
    }
}

/// A data surface shared between the landscape (which owns a `Box<dyn Surface>`) and those
/// who need its data (the race's minibatches, the app's data view).
pub(crate) struct Shared(pub Arc<DataSurface>);

impl Surface for Shared {
    fn value(&self, p: P2) -> f64 {
        self.0.value(p)
    }
    fn value_gradient(&self, p: P2) -> (f64, P2) {
        self.0.value_gradient(p)
    }
    fn hessian(&self, p: P2) -> M2 {
        self.0.hessian(p)
    }
    fn map_value(&self, p: P2) -> f64 {
        self.0.map_value(p)
    }
}
