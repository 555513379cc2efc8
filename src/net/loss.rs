//! The losses of a network's outputs, with torch.nn's definitions and reductions.
//!
//! - `cross-entropy` (`torch.nn.CrossEntropyLoss`, reduction `mean`): on the logits z of a
//!   point with class y, ℓ = log Σₖ e^(z_k) − z_y, computed as m + log Σₖ e^(z_k − m) with
//!   m = maxₖ z_k (log-sum-exp, no overflow); the loss is the mean of ℓ over the batch's B
//!   points. ∂ℓ/∂z = p − e_y with p = softmax(z); ∇²_z ℓ = diag(p) − p pᵀ.
//! - `mse` (`torch.nn.MSELoss`, reduction `mean`): the mean of (z_k − t_k)² over ALL
//!   elements of the output: B·K of them for K outputs. Class data are compared with one-hot
//!   targets t = e_y over the K outputs (torch needs targets of the input's shape), regression
//!   data with their value over the single output (B·1 elements).

use crate::data::{Table, Targets};
use crate::spec::{SpecError, spec_err};

/// A network's loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetLoss {
    CrossEntropy,
    Mse,
}

/// The target of one point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Target {
    Class(usize),
    Value(f64),
}

impl Target {
    /// Point `i`'s target in `targets`.
    #[inline]
    pub(crate) fn of(targets: &Targets, i: usize) -> Target {
        match targets {
            Targets::Classes { labels, .. } => Target::Class(labels[i]),
            Targets::Values(v) => Target::Value(v[i]),
        }
    }

    /// t_k: one-hot for a class, the value for regression.
    #[inline]
    fn component(self, k: usize) -> f64 {
        match self {
            Target::Class(y) => f64::from(u8::from(k == y)),
            Target::Value(v) => v,
        }
    }
}

impl NetLoss {
    pub const NAMES: &[&str] = &["cross-entropy", "mse"];

    pub fn name(self) -> &'static str {
        match self {
            NetLoss::CrossEntropy => "cross-entropy",
            NetLoss::Mse => "mse",
        }
    }

    /// `cross-entropy` or `mse`.
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        match text.trim() {
            "cross-entropy" => Ok(NetLoss::CrossEntropy),
            "mse" => Ok(NetLoss::Mse),
            other => Err(spec_err!(
                "network loss must be cross-entropy or mse, got '{other}'"
            )),
        }
    }

    /// Cross-entropy for class data, mse for regression data.
    pub fn default_for(targets: &Targets) -> Self {
        match targets {
            Targets::Classes { .. } => NetLoss::CrossEntropy,
            Targets::Values(_) => NetLoss::Mse,
        }
    }

    /// Whether the loss fits the table's targets: cross-entropy needs classes.
    pub fn check(self, table: &Table) -> Result<(), SpecError> {
        match (self, &table.targets) {
            (NetLoss::CrossEntropy, Targets::Values(_)) => Err(spec_err!(
                "cross-entropy needs class labels, but {} holds real targets (use mse)",
                table.spec
            )),
            _ => Ok(()),
        }
    }

    /// The number the summed per-point losses are divided by: B (cross-entropy, a mean over
    /// points) or B·K (mse, a mean over all B·K output elements).
    pub(crate) fn denominator(self, points: usize, outputs: usize) -> f64 {
        match self {
            NetLoss::CrossEntropy => points as f64,
            NetLoss::Mse => (points * outputs) as f64,
        }
    }

    /// One point's unreduced loss ℓ(z, t) (cross-entropy: log Σ e^(z_k) − z_y; mse:
    /// Σₖ (z_k − t_k)²); writes `scale`·∂ℓ/∂z into `grad` (p − e_y; 2(z − t)).
    #[inline]
    pub(crate) fn point(self, z: &[f64], t: Target, scale: f64, grad: &mut [f64]) -> f64 {
        match (self, t) {
            (NetLoss::CrossEntropy, Target::Class(y)) => {
                let (m, sum) = softmax_into(z, grad);
                for (k, g) in grad.iter_mut().enumerate() {
                    *g = scale * (*g - f64::from(u8::from(k == y)));
                }
                m + sum.ln() - z[y]
            }
            _ => {
                let mut loss = 0.0;
                for (k, (g, &zk)) in grad.iter_mut().zip(z).enumerate() {
                    let r = zk - t.component(k);
                    loss += r * r;
                    *g = scale * 2.0 * r;
                }
                loss
            }
        }
    }

    /// Writes `scale`·∇²_z ℓ · r into `out`: (diag(p) − p pᵀ) r = p ⊙ (r − pᵀr) for
    /// cross-entropy, 2r for mse.
    #[inline]
    pub(crate) fn point_hvp(self, z: &[f64], r: &[f64], scale: f64, out: &mut [f64]) {
        match self {
            NetLoss::CrossEntropy => {
                softmax_into(z, out);
                let pr: f64 = out.iter().zip(r).map(|(p, r)| p * r).sum();
                for (o, &rk) in out.iter_mut().zip(r) {
                    *o = scale * *o * (rk - pr);
                }
            }
            NetLoss::Mse => {
                for (o, &rk) in out.iter_mut().zip(r) {
                    *o = scale * 2.0 * rk;
                }
            }
        }
    }
}

/// p = softmax(z) into `p`; returns (m, Σ e^(z_k − m)) with m = max z, so that
/// log Σ e^(z_k) = m + ln Σ.
#[inline]
fn softmax_into(z: &[f64], p: &mut [f64]) -> (f64, f64) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for (pk, &zk) in p.iter_mut().zip(z) {
        *pk = (zk - m).exp();
        sum += *pk;
    }
    for pk in p.iter_mut() {
        *pk /= sum;
    }
    (m, sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_mistakes_are_explained() {
        for loss in [NetLoss::CrossEntropy, NetLoss::Mse] {
            assert_eq!(NetLoss::parse(loss.name()), Ok(loss));
        }
        let err = NetLoss::parse("hinge").unwrap_err().0;
        assert_eq!(
            err,
            "network loss must be cross-entropy or mse, got 'hinge'"
        );
        let table = Table {
            spec: "line".into(),
            dims: 1,
            features: vec![0.0],
            targets: Targets::Values(vec![1.0]),
        };
        assert_eq!(NetLoss::default_for(&table.targets), NetLoss::Mse);
        let err = NetLoss::CrossEntropy.check(&table).unwrap_err().0;
        assert_eq!(
            err,
            "cross-entropy needs class labels, but line holds real targets (use mse)"
        );
        assert!(NetLoss::Mse.check(&table).is_ok());
    }

    #[test]
    fn cross_entropy_matches_a_hand_computation_and_survives_huge_logits() {
        // z = (1, 2, 3), y = 0: log(e + e² + e³) − 1 = 2.40760596444438.
        let mut g = [0.0; 3];
        let l = NetLoss::CrossEntropy.point(&[1.0, 2.0, 3.0], Target::Class(0), 1.0, &mut g);
        assert!((l - 2.407_605_964_444_38).abs() < 1e-12, "{l}");
        assert!((g.iter().sum::<f64>()).abs() < 1e-15);
        let l = NetLoss::CrossEntropy.point(&[1000.0, 0.0], Target::Class(1), 1.0, &mut g[..2]);
        assert_eq!(l, 1000.0);
        assert_eq!(g[..2], [1.0, -1.0]);
    }

    #[test]
    fn mse_compares_one_hot_targets_and_values() {
        let mut g = [0.0; 3];
        let l = NetLoss::Mse.point(&[0.5, 1.0, 0.0], Target::Class(1), 0.5, &mut g);
        assert_eq!(l, 0.25);
        assert_eq!(g, [0.5, 0.0, 0.0]);
        let l = NetLoss::Mse.point(&[2.0], Target::Value(-1.0), 1.0, &mut g[..1]);
        assert_eq!((l, g[0]), (9.0, 6.0));
        assert_eq!(NetLoss::Mse.denominator(10, 3), 30.0);
        assert_eq!(NetLoss::CrossEntropy.denominator(10, 3), 10.0);
    }

    #[test]
    fn the_logit_hessian_is_the_derivative_of_the_logit_gradient() {
        let (z, r) = ([0.3, -1.2, 0.8], [1.0, 0.5, -2.0]);
        for loss in [NetLoss::CrossEntropy, NetLoss::Mse] {
            let mut hr = [0.0; 3];
            loss.point_hvp(&z, &r, 1.0, &mut hr);
            let h = 1e-6;
            let grad_at = |s: f64| {
                let zs: Vec<f64> = z.iter().zip(&r).map(|(z, r)| z + s * r).collect();
                let mut g = [0.0; 3];
                loss.point(&zs, Target::Class(2), 1.0, &mut g);
                g
            };
            let (gp, gm) = (grad_at(h), grad_at(-h));
            for k in 0..3 {
                let fd = (gp[k] - gm[k]) / (2.0 * h);
                assert!((fd - hr[k]).abs() < 1e-8, "{loss:?} {k}: {fd} vs {}", hr[k]);
            }
        }
    }
}
