//! Per-sample losses, with torch.nn's conventions, as functions of one number: the residual
//! r = ŷ − y for regression, the margin m = y·s for classification.
//!
//! | loss | ℓ | torch.nn |
//! |---|---|---|
//! | `mse` | r² | MSELoss |
//! | `mae` | \|r\| | L1Loss |
//! | `huber` | ½r² for \|r\| < δ, δ(\|r\| − ½δ) otherwise | HuberLoss(delta=δ) |
//! | `logistic` | ln(1 + e^(−m)) | SoftMarginLoss |
//! | `hinge` | max(0, 1 − m) | (MultiMarginLoss for two classes) |
//! | `squared-hinge` | max(0, 1 − m)² | (MultiMarginLoss with p=2) |
//!
//! Kinks take the zero subgradient, as torch's autograd does for `abs` at 0 and `relu` at 0
//! (L1Loss's gradient at r = 0 is 0; the hinge's at m = 1 is 0).

use serde::Serialize;

use super::DataKind;
use crate::real::Real;

/// A per-sample loss.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Loss {
    Mse,
    Mae,
    Huber { delta: f64 },
    Logistic,
    Hinge,
    SquaredHinge,
}

impl Loss {
    /// The names a spec accepts for each kind of data.
    pub const REGRESSION: &[&str] = &["mse", "mae", "huber"];
    pub const CLASSIFICATION: &[&str] = &["logistic", "hinge", "squared-hinge"];

    /// The loss called `name`, for `kind` (`delta` is Huber's δ).
    pub fn parse(name: &str, delta: f64) -> Option<Self> {
        Some(match name {
            "mse" => Self::Mse,
            "mae" => Self::Mae,
            "huber" => Self::Huber { delta },
            "logistic" => Self::Logistic,
            "hinge" => Self::Hinge,
            "squared-hinge" => Self::SquaredHinge,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Mse => "mse",
            Self::Mae => "mae",
            Self::Huber { .. } => "huber",
            Self::Logistic => "logistic",
            Self::Hinge => "hinge",
            Self::SquaredHinge => "squared-hinge",
        }
    }

    /// The data a loss applies to.
    pub fn kind(self) -> DataKind {
        match self {
            Self::Mse | Self::Mae | Self::Huber { .. } => DataKind::Regression,
            _ => DataKind::Classification,
        }
    }

    /// Whether the loss has a margin (hinge losses: the app draws the lines s = ±1).
    pub fn has_margin(self) -> bool {
        matches!(self, Self::Hinge | Self::SquaredHinge)
    }

    /// Whether ℓ is piecewise linear (its minimum lies where kinks cross, not where ∇ = 0).
    pub fn is_piecewise_linear(self) -> bool {
        matches!(self, Self::Mae | Self::Hinge)
    }

    /// ℓ(u), ℓ'(u), ℓ''(u) at the residual or margin u.
    #[inline]
    pub fn eval(self, u: f64) -> (f64, f64, f64) {
        match self {
            Self::Mse => (u * u, 2.0 * u, 2.0),
            Self::Mae => (u.abs(), sign(u), 0.0),
            Self::Huber { delta } => {
                if u.abs() < delta {
                    (0.5 * u * u, u, 1.0)
                } else {
                    (delta * (u.abs() - 0.5 * delta), delta * sign(u), 0.0)
                }
            }
            // ln(1 + e^(−m)) = max(−m, 0) + ln(1 + e^(−|m|)), stable for any m; σ(−m) and
            // σ(m)·σ(−m) from the same e.
            Self::Logistic => super::logistic::parts(u, (-u.abs()).exp()),
            Self::Hinge => {
                if u < 1.0 {
                    (1.0 - u, -1.0, 0.0)
                } else {
                    (0.0, 0.0, 0.0)
                }
            }
            Self::SquaredHinge => {
                if u < 1.0 {
                    let h = 1.0 - u;
                    (h * h, -2.0 * h, 2.0)
                } else {
                    (0.0, 0.0, 0.0)
                }
            }
        }
    }

    /// ℓ(u) alone.
    #[inline]
    pub fn value(self, u: f64) -> f64 {
        self.eval(u).0
    }

    /// ℓ written generically: the same formula evaluated with the jets of [`crate::real`], the
    /// independent check of [`Loss::eval`]'s hand-written derivatives.
    pub fn formula<T: Real>(self, u: T) -> T {
        let r = u.re();
        match self {
            Self::Mse => u * u,
            Self::Mae => u.abs(),
            Self::Huber { delta } if r.abs() < delta => u * u * 0.5,
            Self::Huber { delta } => (u.abs() - 0.5 * delta) * delta,
            Self::Logistic if r >= 0.0 => ((-u).exp() + 1.0).ln(),
            Self::Logistic => (u.exp() + 1.0).ln() - u,
            Self::Hinge if r < 1.0 => -u + 1.0,
            Self::SquaredHinge if r < 1.0 => (-u + 1.0) * (-u + 1.0),
            Self::Hinge | Self::SquaredHinge => T::cst(0.0),
        }
    }
}

#[inline]
fn sign(u: f64) -> f64 {
    if u > 0.0 {
        1.0
    } else if u < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The 0-1 loss of a margin: 1 when misclassified (m ≤ 0), for the Teach plot beside the
/// surrogates.
pub fn zero_one(margin: f64) -> f64 {
    if margin <= 0.0 { 1.0 } else { 0.0 }
}

/// `samples` points (u, ℓ(u)) of a loss for u in [lo, hi]: a curve for the Teach panel.
pub fn curve(loss: Loss, lo: f64, hi: f64, samples: usize) -> Vec<[f64; 2]> {
    let last = samples.max(2) - 1;
    (0..=last)
        .map(|i| {
            let u = lo + (hi - lo) * i as f64 / last as f64;
            [u, loss.value(u)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::real::Jet2;

    const ALL: [Loss; 6] = [
        Loss::Mse,
        Loss::Mae,
        Loss::Huber { delta: 1.5 },
        Loss::Logistic,
        Loss::Hinge,
        Loss::SquaredHinge,
    ];

    #[test]
    fn hand_values() {
        assert_eq!(Loss::Mse.eval(-3.0), (9.0, -6.0, 2.0));
        assert_eq!(Loss::Mae.eval(-3.0), (3.0, -1.0, 0.0));
        assert_eq!(Loss::Mae.eval(0.0).1, 0.0, "L1Loss's gradient at 0");
        assert_eq!(Loss::Huber { delta: 1.5 }.eval(1.0), (0.5, 1.0, 1.0));
        assert_eq!(
            Loss::Huber { delta: 1.5 }.eval(-3.0),
            (1.5 * 2.25, -1.5, 0.0)
        );
        let (v, d, h) = Loss::Logistic.eval(0.0);
        assert_eq!((v, d, h), (2f64.ln(), -0.5, 0.25));
        assert!(
            (Loss::Logistic.value(-800.0) - 800.0).abs() < 1e-12,
            "no overflow"
        );
        assert_eq!(Loss::Hinge.eval(0.25), (0.75, -1.0, 0.0));
        assert_eq!(
            Loss::Hinge.eval(1.0),
            (0.0, 0.0, 0.0),
            "zero subgradient at the kink"
        );
        assert_eq!(Loss::SquaredHinge.eval(-1.0), (4.0, -4.0, 2.0));
        assert_eq!(zero_one(0.0), 1.0);
    }

    #[test]
    fn hand_derivatives_match_the_jets() {
        for loss in ALL {
            for u in [-7.3, -1.2, -0.4, 0.3, 0.9, 1.1, 2.5, 40.0] {
                let (v, d, h) = loss.eval(u);
                let (x, _) = Jet2::variables(u, 0.0);
                let jet = loss.formula(x);
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * (1.0 + a.abs());
                assert!(close(v, jet.v), "{loss:?} ℓ({u}) {v} vs {}", jet.v);
                assert!(close(d, jet.g[0]), "{loss:?} ℓ'({u}) {d} vs {}", jet.g[0]);
                assert!(close(h, jet.h[0]), "{loss:?} ℓ''({u}) {h} vs {}", jet.h[0]);
            }
        }
    }
}
