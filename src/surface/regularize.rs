//! Regularization terms added to any surface: `+l2=λ`, `+l1=λ`, `+elastic=λ,ratio=r`.

use serde::{Deserialize, Serialize};

use super::{Formula, Surface};
use crate::real::Real;
use crate::spec::{Args, Param, Range, SpecError, split_spec};
use crate::{M2, P2};

/// A penalty on the distance of the point from the origin.
///
/// - `L2(λ)`: (λ/2)·‖p‖², gradient λp — the same force as torch's `weight_decay=λ`.
/// - `L1(λ)`: λ·‖p‖₁. Not differentiable where a coordinate is 0: the subgradient
///   λ·sign(p) with sign(0) = 0 is used there, and the Hessian of the term is 0.
/// - `Elastic { lambda, ratio }`: λ·(r·‖p‖₁ + (1 − r)/2·‖p‖²), the elastic net of
///   Zou & Hastie (2005) in the parametrization of glmnet and scikit-learn (alpha, l1_ratio).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regularization {
    L2(f64),
    L1(f64),
    Elastic { lambda: f64, ratio: f64 },
}

const LAMBDA: Range = Range::NON_NEGATIVE;
const L2_PARAMS: &[Param] = &[Param::required("l2", LAMBDA, "strength λ")];
const L1_PARAMS: &[Param] = &[Param::required("l1", LAMBDA, "strength λ")];
const ELASTIC_PARAMS: &[Param] = &[
    Param::required("elastic", LAMBDA, "strength λ"),
    Param::real("ratio", 0.5, Range::UNIT, "share r of the L1 part").linear(0.0, 0.9999),
];

impl Regularization {
    /// Parse a term such as `l2=0.1` or `elastic=0.1,ratio=0.3`.
    pub fn parse(term: &str) -> Result<Self, SpecError> {
        // The first key names the kind: rewrite `elastic=0.1,ratio=r` as a spec `elastic:elastic=0.1,ratio=r`.
        let kind = term.split('=').next().unwrap_or_default().trim();
        let spec = format!("{kind}:{term}");
        let (_, pairs) = split_spec(&spec)?;
        let params = match kind {
            "l2" => L2_PARAMS,
            "l1" => L1_PARAMS,
            "elastic" => ELASTIC_PARAMS,
            other => {
                return Err(SpecError(format!(
                    "unknown regularization '{other}' (known: l2=λ, l1=λ, elastic=λ,ratio=r)"
                )));
            }
        };
        let args = Args::parse(kind, params, &pairs)?;
        Ok(match kind {
            "l2" => Self::L2(args.real("l2")),
            "l1" => Self::L1(args.real("l1")),
            _ => Self::Elastic {
                lambda: args.real("elastic"),
                ratio: args.real("ratio"),
            },
        })
    }

    /// The term as a spec writes it after `+`, e.g. `l2=0.1`.
    pub fn spec_text(self) -> String {
        match self {
            Self::L2(l) => format!("l2={l:?}"),
            Self::L1(l) => format!("l1={l:?}"),
            Self::Elastic { lambda, ratio } => format!("elastic={lambda:?},ratio={ratio:?}"),
        }
    }

    /// The same term with its strength λ multiplied by `t`.
    pub fn scaled(self, t: f64) -> Self {
        match self {
            Self::L2(l) => Self::L2(l * t),
            Self::L1(l) => Self::L1(l * t),
            Self::Elastic { lambda, ratio } => Self::Elastic {
                lambda: lambda * t,
                ratio,
            },
        }
    }

    /// The (l1, l2) weights: term = l1·‖p‖₁ + l2/2·‖p‖².
    pub fn weights(self) -> (f64, f64) {
        match self {
            Self::L2(l) => (0.0, l),
            Self::L1(l) => (l, 0.0),
            Self::Elastic { lambda, ratio } => (lambda * ratio, lambda * (1.0 - ratio)),
        }
    }
}

impl Formula for Regularization {
    fn eval<T: Real>(&self, x: T, y: T) -> T {
        let (l1, l2) = self.weights();
        (x.abs() + y.abs()) * l1 + (x * x + y * y) * (0.5 * l2)
    }
}

/// Where a surface spec's regularization suffix starts: the first `+NAME=` (so `+l3=1`
/// is named as an unknown term). After an `expr:` formula only `+l1=`, `+l2=` and
/// `+elastic=` count, so a formula with a stray '=' (`expr:x+y=3`) is explained by the
/// formula's parser rather than as an unknown term 'y'.
pub fn split_suffix(spec: &str) -> Option<(&str, &str)> {
    let formula = spec.trim_start().starts_with("expr:");
    spec.match_indices('+').find_map(|(i, _)| {
        let rest = &spec[i + 1..];
        let key = rest.split('=').next()?;
        let is_name = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let is_term =
            rest.contains('=') && is_name && (!formula || matches!(key, "l1" | "l2" | "elastic"));
        is_term.then(|| (spec[..i].trim(), rest.trim()))
    })
}

/// A surface plus a regularization term (`B` owns or borrows the surface).
pub(super) struct Regularized<B> {
    pub base: B,
    pub term: Regularization,
}

impl<B: std::ops::Deref<Target = dyn Surface> + Send + Sync> Surface for Regularized<B> {
    fn value(&self, p: P2) -> f64 {
        self.base.value(p) + self.term.value(p)
    }
    fn value_gradient(&self, p: P2) -> (f64, P2) {
        let (f, g) = self.base.value_gradient(p);
        let (rf, rg) = self.term.value_gradient(p);
        (f + rf, g + rg)
    }
    fn hessian(&self, p: P2) -> M2 {
        self.base.hessian(p) + self.term.hessian(p)
    }
    fn map_value(&self, p: P2) -> f64 {
        self.base.map_value(p) + self.term.value(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_found_after_any_formula() {
        assert_eq!(
            split_suffix("rosenbrock+l2=0.1"),
            Some(("rosenbrock", "l2=0.1"))
        );
        assert_eq!(
            split_suffix("expr:(1-x)^2+100*(y-x^2)^2+l1=0.5"),
            Some(("expr:(1-x)^2+100*(y-x^2)^2", "l1=0.5"))
        );
        assert_eq!(split_suffix("expr:x^2+y^2"), None);
        assert_eq!(split_suffix("expr:x+2=3"), None);
        assert_eq!(split_suffix("expr:x+y=3"), None);
        assert_eq!(
            split_suffix("rosenbrock+l3=1"),
            Some(("rosenbrock", "l3=1"))
        );
    }

    #[test]
    fn terms_parse_and_explain() {
        assert_eq!(Regularization::parse("l2=0.1"), Ok(Regularization::L2(0.1)));
        assert_eq!(
            Regularization::parse("elastic=0.2,ratio=0.25"),
            Ok(Regularization::Elastic {
                lambda: 0.2,
                ratio: 0.25
            })
        );
        assert!(
            Regularization::parse("l3=1")
                .unwrap_err()
                .0
                .contains("unknown regularization 'l3'")
        );
        assert!(
            Regularization::parse("l2=-1")
                .unwrap_err()
                .0
                .contains("l2 must be ≥ 0")
        );
    }

    #[test]
    fn l1_uses_the_zero_subgradient_at_the_kink() {
        let t = Regularization::L1(2.0);
        assert_eq!(t.gradient(P2::new(0.0, -3.0)), P2::new(0.0, -2.0));
        let e = Regularization::Elastic {
            lambda: 1.0,
            ratio: 0.5,
        };
        // 0.5·sign(x) + 0.5·x
        assert_eq!(e.gradient(P2::new(2.0, 0.0)), P2::new(1.5, 0.0));
    }
}
