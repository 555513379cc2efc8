//! The gradient check of a network: backpropagation against finite differences, as
//! [`crate::data::gradcheck`] does for surfaces.
//!
//! For each step h = 10⁻¹ … 10⁻¹² and each parameter j, the forward difference
//! (L(p + h·eⱼ) − L(p)) / h (truncation error O(h)) and the central difference
//! (L(p + h·eⱼ) − L(p − h·eⱼ)) / 2h (O(h²)), in f64. Errors are relative,
//! |a − b| / (|a| + |b|) (0 when both are 0, CS231n's "gradient checks"): over the whole
//! vector and over each tensor (Euclidean norms), and per coordinate, of which the worst is
//! reported. Rounding adds about ε·|L|/h, so the error is V-shaped in h with its bottom near
//! √ε (forward) and ∛ε (central). A check costs 3·n·12 loss evaluations for n parameters.

use serde::Serialize;

use super::model::Tensor;
use super::objective::{Network, Rows};
pub use crate::data::gradcheck::{Scheme, steps};

/// The coordinate of a row with the largest relative error.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Worst {
    /// Index in the flat parameters.
    pub index: usize,
    /// The tensor it belongs to (`2.weight`).
    pub tensor: String,
    pub exact: f64,
    pub numeric: f64,
    pub relative_error: f64,
}

/// The relative error over one tensor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TensorError {
    pub tensor: String,
    pub relative_error: f64,
}

/// One (scheme, h).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub h: f64,
    pub scheme: Scheme,
    /// Over the whole gradient.
    pub relative_error: f64,
    pub worst: Worst,
    /// Per tensor, in torch's order.
    pub tensors: Vec<TensorError>,
}

/// The whole check at one parameter vector.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetGradCheck {
    pub value: f64,
    pub parameters: usize,
    /// Forward then central, each for h from 10⁻¹ down to 10⁻¹².
    pub rows: Vec<Row>,
}

impl NetGradCheck {
    /// The row with the smallest whole-vector error for a scheme: the bottom of the V.
    pub fn best(&self, scheme: Scheme) -> Option<&Row> {
        self.rows
            .iter()
            .filter(|r| r.scheme == scheme && r.relative_error.is_finite())
            .min_by(|a, b| a.relative_error.total_cmp(&b.relative_error))
    }
}

/// |a − b| / (|a| + |b|) over two vectors (Euclidean norms), 0 when both are 0.
pub fn relative_error(numeric: &[f64], exact: &[f64]) -> f64 {
    let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|x| x * x).sum::<f64>().sqrt();
    let den = norm(&mut numeric.iter().copied()) + norm(&mut exact.iter().copied());
    if den == 0.0 {
        0.0
    } else {
        norm(&mut numeric.iter().zip(exact).map(|(a, b)| a - b)) / den
    }
}

/// The check of `net` at `params` over `rows`.
pub fn check(net: &Network, params: &[f64], rows: Rows<'_>) -> NetGradCheck {
    let schemes = [Scheme::Forward, Scheme::Central];
    match check_schemes(net, params, rows, &schemes, &|| false) {
        Some(check) => check,
        None => unreachable!("never cancelled"),
    }
}

/// [`check`] for `schemes` only (forward costs n loss evaluations per h, central 2n), or
/// `None` once `cancelled` says so (it is asked before each h): the app checks off its UI
/// thread, forward first.
pub fn check_schemes(
    net: &Network,
    params: &[f64],
    rows: Rows<'_>,
    schemes: &[Scheme],
    cancelled: &dyn Fn() -> bool,
) -> Option<NetGradCheck> {
    let mut exact = vec![0.0; params.len()];
    let value = net.value_gradient(params, rows, &mut exact);
    let tensors = net.mlp().tensors();
    let f = |p: &[f64]| net.value(p, rows);
    let mut all = Vec::new();
    for &scheme in schemes {
        all.extend(scheme_rows(
            f, params, value, &exact, &tensors, scheme, cancelled,
        )?);
    }
    Some(NetGradCheck {
        value,
        parameters: params.len(),
        rows: all,
    })
}

/// The rows of the check of a function `f` with value `value` and claimed gradient `exact`
/// at `params`, whose coordinates form `tensors` (the test of a deliberately wrong gradient).
#[cfg(test)]
pub(crate) fn check_with(
    f: impl Fn(&[f64]) -> f64,
    params: &[f64],
    value: f64,
    exact: &[f64],
    tensors: &[Tensor],
) -> Vec<Row> {
    [Scheme::Forward, Scheme::Central]
        .into_iter()
        .flat_map(|scheme| {
            scheme_rows(&f, params, value, exact, tensors, scheme, &|| false).unwrap_or_default()
        })
        .collect()
}

/// One scheme's rows, h = 10⁻¹ … 10⁻¹²; `None` if cancelled before an h.
fn scheme_rows(
    f: impl Fn(&[f64]) -> f64,
    params: &[f64],
    value: f64,
    exact: &[f64],
    tensors: &[Tensor],
    scheme: Scheme,
    cancelled: &dyn Fn() -> bool,
) -> Option<Vec<Row>> {
    let mut p = params.to_vec();
    let mut rows = Vec::new();
    for h in steps() {
        if cancelled() {
            return None;
        }
        let mut numeric = vec![0.0; p.len()];
        for (j, g) in numeric.iter_mut().enumerate() {
            p[j] = params[j] + h;
            let plus = f(&p);
            *g = match scheme {
                Scheme::Forward => (plus - value) / h,
                Scheme::Central => {
                    p[j] = params[j] - h;
                    (plus - f(&p)) / (2.0 * h)
                }
            };
            p[j] = params[j];
        }
        rows.push(row(h, scheme, &numeric, exact, tensors));
    }
    Some(rows)
}

fn row(h: f64, scheme: Scheme, numeric: &[f64], exact: &[f64], tensors: &[Tensor]) -> Row {
    let tensor_of = |j: usize| {
        tensors
            .iter()
            .find(|t| (t.offset..t.offset + t.len()).contains(&j))
            .map_or(String::new(), |t| t.name.clone())
    };
    let mut worst = (0, f64::NEG_INFINITY);
    for j in 0..exact.len() {
        let e = relative_error(&numeric[j..=j], &exact[j..=j]);
        // NaN (a vanished step) counts as the worst
        if e.is_nan() || e > worst.1 {
            worst = (j, e);
            if e.is_nan() {
                break;
            }
        }
    }
    let (index, relative_error_j) = worst;
    Row {
        h,
        scheme,
        relative_error: relative_error(numeric, exact),
        worst: Worst {
            index,
            tensor: tensor_of(index),
            exact: exact.get(index).copied().unwrap_or(f64::NAN),
            numeric: numeric.get(index).copied().unwrap_or(f64::NAN),
            relative_error: relative_error_j,
        },
        tensors: tensors
            .iter()
            .map(|t| TensorError {
                tensor: t.name.clone(),
                relative_error: relative_error(
                    &numeric[t.offset..t.offset + t.len()],
                    &exact[t.offset..t.offset + t.len()],
                ),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::init::{Scheme as Init, init};
    use crate::net::tests::{network, table};

    #[test]
    fn the_gradient_check_is_v_shaped_and_finds_a_wrong_coordinate() {
        let net = network("mlp:hidden=4x3", None, table(10, 2, 3, 3));
        let p = init(Init::Torch, 1.0, net.mlp(), 3);
        let report = check(&net, &p, Rows::All);
        assert_eq!(report.rows.len(), 24);
        let central = report.best(Scheme::Central).unwrap();
        let forward = report.best(Scheme::Forward).unwrap();
        assert!(
            (1e-7..=1e-3).contains(&central.h) && central.relative_error < 1e-8,
            "{central:?}"
        );
        assert!(
            (1e-10..=1e-6).contains(&forward.h) && forward.relative_error < 1e-5,
            "{forward:?}"
        );
        assert_eq!(central.tensors.len(), 6);
        let tiny = &report.rows[23];
        assert!(
            tiny.relative_error > 1e-6,
            "rounding dominates at h = 1e-12"
        );
        // a gradient wrong in one bias coordinate is caught there
        let mut g = vec![0.0; p.len()];
        let value = net.value_gradient(&p, Rows::All, &mut g);
        let bias = &net.mlp().tensors()[3];
        g[bias.offset + 1] += 0.1;
        let rows = check_with(
            |q| net.value(q, Rows::All),
            &p,
            value,
            &g,
            &net.mlp().tensors(),
        );
        let row = rows
            .iter()
            .find(|r| r.h == 1e-5 && r.scheme == Scheme::Central)
            .unwrap();
        assert_eq!(
            (row.worst.index, row.worst.tensor.as_str()),
            (bias.offset + 1, "2.bias")
        );
        let errors: Vec<bool> = row
            .tensors
            .iter()
            .map(|t| t.relative_error > 1e-3)
            .collect();
        assert_eq!(errors, [false, false, false, true, false, false]);
    }

    #[test]
    fn a_check_of_one_scheme_is_that_part_of_the_whole_and_can_be_cancelled() {
        let net = network("mlp:hidden=3", None, table(8, 2, 2, 5));
        let p = init(Init::Torch, 1.0, net.mlp(), 5);
        let whole = check(&net, &p, Rows::All);
        let forward = check_schemes(&net, &p, Rows::All, &[Scheme::Forward], &|| false).unwrap();
        assert_eq!(forward.rows[..], whole.rows[..12]);
        assert_eq!(forward.value.to_bits(), whole.value.to_bits());
        let asked = std::cell::Cell::new(0);
        let cancel_at_third = || {
            asked.set(asked.get() + 1);
            asked.get() > 2
        };
        let stopped = check_schemes(&net, &p, Rows::All, &[Scheme::Central], &cancel_at_third);
        assert_eq!((stopped, asked.get()), (None, 3));
    }
}
