//! Where a data surface's minimum is.
//!
//! - mse without L1: the normal equations XᵀXθ = Xᵀy (plus λ on w's diagonal for L2), in
//!   closed form from the centred statistics: w = Cxy/(Cxx + λ/2), b = ȳ − w·x̄ (L2 is
//!   (λ/2)w², and the mean squared error carries no ½).
//! - Smooth losses (mse with L1, huber, logistic, squared-hinge): Newton's method with
//!   backtracking, once per sign pattern of the L1-penalized weights (each −, 0 or +); a
//!   pattern's solution counts when its signs agree and, at a weight held at 0, the
//!   subgradient condition |∂f/∂θⱼ| ≤ λ₁ holds (the minimum of a convex function is where 0
//!   is a subgradient). The lowest such point is the minimum.
//! - Piecewise-linear losses (mae, hinge) without L2: the minimum of a convex
//!   piecewise-linear function lies at a vertex, where two kink lines cross (uᵢ = 0 or 1,
//!   or θⱼ = 0 under L1): every crossing is evaluated (n ≤ 300 points).
//! - No minimum: a classifier without regularization on data that some w separates (a
//!   direction along which every margin grows): the logistic loss falls toward 0 as ‖w‖
//!   grows for ever; hinge losses reach 0 on an unbounded region (no unique minimum).

use std::sync::Arc;

use super::Dataset;
use super::model::{DataSurface, Minimum, ModelKind, ModelSpec};
use crate::P2;
use crate::spec::SpecError;
use crate::surface::{Regularization, Surface};

/// Construction lives here, above `model.rs`, because it ends by locating the minimum: the
/// model file knows how to evaluate the loss, this one where its minimum is.
impl DataSurface {
    /// The model on the data, checked to fit each other; the minimum is located here.
    pub fn new(
        model: ModelSpec,
        data: Arc<Dataset>,
        term: Option<Regularization>,
    ) -> Result<Self, SpecError> {
        let mut surface = Self::unlocated(model, data, term)?;
        surface.minimum = locate(&surface);
        Ok(surface)
    }

    /// The same model and data without the regularization term.
    pub fn unregularized(&self) -> Result<Self, SpecError> {
        Self::new(self.model, Arc::clone(&self.data), None)
    }
}

/// Most points for the vertex search of a piecewise-linear loss (its cost grows as n³).
pub const MAX_VERTEX_POINTS: usize = 300;

fn locate(s: &DataSurface) -> Minimum {
    let (l1, l2, penalized) = s.penalty_weights();
    let loss = s.model.loss;
    if let ModelKind::LinearClassifier { .. } = s.model.kind
        && l1 == 0.0
        && l2 == 0.0
        && separating_direction(s.rows()).is_some()
    {
        return Minimum::None(if loss.is_piecewise_linear() || loss.has_margin() {
            "the data are separable: the loss is 0 on an unbounded region, no unique minimum \
             (add +l2=λ to get one)"
                .into()
        } else {
            "the data are separable: the loss falls toward 0 as ‖w‖ grows for ever, no minimum \
             (add +l2=λ to get one)"
                .into()
        });
    }
    if let Some(stats) = s.stats()
        && stats.cxx + l2 == 0.0
    {
        return Minimum::None("all x are equal: w is not determined (add +l2=λ)".into());
    }
    if loss.is_piecewise_linear() {
        if l2 > 0.0 {
            return Minimum::None(format!(
                "not located: {} with an L2 term has no vertex minimum",
                loss.name()
            ));
        }
        if s.len() > MAX_VERTEX_POINTS {
            return Minimum::None(format!(
                "not located: a piecewise-linear loss is searched for n ≤ {MAX_VERTEX_POINTS} \
                 points, this dataset has {}",
                s.len()
            ));
        }
        return vertex_minimum(s);
    }
    if let Some(st) = s.stats()
        && l1 == 0.0
    {
        let w = st.cxy / (st.cxx + 0.5 * l2);
        return Minimum::Exact(P2::new(w, st.mean_y - w * st.mean_x));
    }
    smooth_minimum(s, l1, penalized)
}

/// A direction u with yᵢ·u·xᵢ ≥ 0 for every point and > 0 for one: along it every margin
/// grows or stays, so the loss never stops falling. In 2D the vectors vᵢ = yᵢxᵢ admit one
/// exactly when they fit in a half-plane: when sorted by angle, some gap is at least π.
fn separating_direction(rows: &[[f64; 3]]) -> Option<P2> {
    let mut angles: Vec<f64> = rows
        .iter()
        .filter(|r| r[0] != 0.0 || r[1] != 0.0)
        .map(|r| r[1].atan2(r[0]))
        .collect();
    if angles.is_empty() {
        return None;
    }
    angles.sort_by(f64::total_cmp);
    let tau = std::f64::consts::TAU;
    let (mut best_gap, mut after) = (angles[0] + tau - angles[angles.len() - 1], angles[0]);
    for w in angles.windows(2) {
        if w[1] - w[0] > best_gap {
            (best_gap, after) = (w[1] - w[0], w[1]);
        }
    }
    // Strictly more than π: all vᵢ lie in an open half-plane, u is its middle direction.
    (best_gap > std::f64::consts::PI).then(|| {
        let middle = after + (tau - best_gap) / 2.0;
        P2::new(middle.cos(), middle.sin())
    })
}

/// The best crossing of two kink lines (a vertex of the piecewise-linear surface).
fn vertex_minimum(s: &DataSurface) -> Minimum {
    let (l1, _, penalized) = s.penalty_weights();
    let kink = if s.model.loss.name() == "hinge" {
        1.0
    } else {
        0.0
    };
    // Lines a·θ₀ + b·θ₁ = k.
    let mut lines: Vec<[f64; 3]> = s.rows().iter().map(|&[a, b, c]| [a, b, kink - c]).collect();
    if l1 > 0.0 {
        for (j, _) in penalized.iter().enumerate().filter(|(_, p)| **p) {
            lines.push(if j == 0 {
                [1.0, 0.0, 0.0]
            } else {
                [0.0, 1.0, 0.0]
            });
        }
    }
    let mut best: Option<(f64, P2)> = None;
    for (i, p) in lines.iter().enumerate() {
        for q in &lines[i + 1..] {
            let det = p[0] * q[1] - p[1] * q[0];
            if det.abs() <= 1e-12 * (p[0].hypot(p[1]) * q[0].hypot(q[1])) {
                continue;
            }
            let theta = P2::new(
                (p[2] * q[1] - p[1] * q[2]) / det,
                (p[0] * q[2] - p[2] * q[0]) / det,
            );
            let f = s.value(theta);
            if best.is_none_or(|(bf, _)| f < bf) {
                best = Some((f, theta));
            }
        }
    }
    match best {
        Some((_, theta)) => Minimum::Located(theta),
        None => Minimum::None("not located: the kink lines are all parallel".into()),
    }
}

/// Newton's method per sign pattern of the L1-penalized weights (see the module doc).
fn smooth_minimum(s: &DataSurface, l1: f64, penalized: [bool; 2]) -> Minimum {
    let start = s.stats().map_or(P2::zeros(), |st| {
        let w = st.cxy / st.cxx.max(f64::MIN_POSITIVE);
        P2::new(w, st.mean_y - w * st.mean_x)
    });
    let choices = |j: usize| -> &'static [f64] {
        if l1 > 0.0 && penalized[j] {
            &[-1.0, 0.0, 1.0]
        } else {
            &[f64::NAN]
        }
    };
    let mut best: Option<(f64, P2)> = None;
    for &s0 in choices(0) {
        for &s1 in choices(1) {
            let pattern = [s0, s1];
            let Some(theta) = newton(s, l1, pattern, start) else {
                continue;
            };
            let (_, g, _) = s.smooth(theta);
            let consistent = (0..2).all(|j| {
                let sj = pattern[j];
                if sj.is_nan() {
                    true
                } else if sj == 0.0 {
                    g[j].abs() <= l1 * (1.0 + 1e-9)
                } else {
                    theta[j] * sj > 0.0
                }
            });
            let f = s.value(theta);
            if consistent && best.is_none_or(|(bf, _)| f < bf) {
                best = Some((f, theta));
            }
        }
    }
    match best {
        Some((_, theta)) => Minimum::Located(theta),
        None => Minimum::None("not located: Newton's method did not converge".into()),
    }
}

/// Minimize smooth(θ) + l1·Σ σⱼθⱼ over the coordinates not held at 0 (σⱼ = 0 holds θⱼ at 0;
/// NaN leaves it free without an L1 term), by Newton's method with backtracking.
fn newton(s: &DataSurface, l1: f64, pattern: [f64; 2], start: P2) -> Option<P2> {
    let free = [pattern[0] != 0.0, pattern[1] != 0.0];
    let linear = P2::new(
        if pattern[0].is_nan() {
            0.0
        } else {
            l1 * pattern[0]
        },
        if pattern[1].is_nan() {
            0.0
        } else {
            l1 * pattern[1]
        },
    );
    let objective = |t: P2| {
        let (f, g, h) = s.smooth(t);
        (f + linear.dot(&t), g + linear, h)
    };
    let mut theta = P2::new(
        if free[0] { start.x } else { 0.0 },
        if free[1] { start.y } else { 0.0 },
    );
    for _ in 0..200 {
        let (f, mut g, mut h) = objective(theta);
        for j in 0..2 {
            if !free[j] {
                g[j] = 0.0;
                h[(j, 0)] = 0.0;
                h[(0, j)] = 0.0;
                h[(j, 1)] = 0.0;
                h[(1, j)] = 0.0;
                h[(j, j)] = 1.0;
            }
        }
        if g.norm() <= 1e-13 * (1.0 + f.abs()) {
            return Some(theta);
        }
        // Levenberg–Marquardt damping where the Hessian is singular (flat hinge regions).
        let mut damping = 0.0;
        let step = loop {
            let shifted = h + crate::M2::identity() * damping;
            match shifted.cholesky() {
                Some(c) => break c.solve(&g),
                None if damping < 1e12 => damping = (damping * 10.0).max(1e-10 * h.norm().max(1.0)),
                None => return None,
            }
        };
        let mut alpha = 1.0;
        loop {
            let next = theta - step * alpha;
            if objective(next).0 <= f - 1e-4 * alpha * g.dot(&step) {
                theta = next;
                break;
            }
            alpha *= 0.5;
            if alpha < 1e-20 {
                return (g.norm() <= 1e-8 * (1.0 + f.abs())).then_some(theta);
            }
        }
        if !theta.iter().all(|v| v.is_finite() && v.abs() < 1e12) {
            return None;
        }
    }
    let (f, g, _) = objective(theta);
    let g = P2::new(
        if free[0] { g.x } else { 0.0 },
        if free[1] { g.y } else { 0.0 },
    );
    (g.norm() <= 1e-8 * (1.0 + f.abs())).then_some(theta)
}
