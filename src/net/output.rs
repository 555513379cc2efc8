//! What `descent gradcheck --model` prints, as text, CSV or JSON; the app can show the same
//! text without the command line.

use std::fmt::Write as _;

use super::gradcheck::{NetGradCheck, Row, Scheme};
use super::listing::json;
use super::objective::Network;

fn scheme_name(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Forward => "forward",
        Scheme::Central => "central",
    }
}

const SCHEMES_CHECKED: [Scheme; 2] = [Scheme::Forward, Scheme::Central];

/// The gradient check of `net` as a table: the loss and the parameters, each h's
/// whole-vector error by scheme, the best h of each, its worst coordinate and the error of
/// each tensor there.
pub fn gradcheck_text(check: &NetGradCheck, net: &Network) -> String {
    let mlp = net.mlp();
    let tensors: Vec<String> = mlp
        .tensors()
        .iter()
        .map(|t| format!("{} {}", t.name, t.shape()))
        .collect();
    let mut s = format!(
        "mlp {} ({}) with {} over {}\nloss L = {:?}\nparameters: {} ({})\n",
        mlp.sizes_text(),
        mlp.activation().name(),
        net.loss().name(),
        net.table().spec,
        check.value,
        check.parameters,
        tensors.join(", ")
    );
    s += "relative error |g_num − g| / (|g_num| + |g|) over the whole gradient:\n";
    s += "       h       forward       central\n";
    for h in super::gradcheck::steps() {
        let _ = write!(s, "{h:>8.0e}");
        for scheme in SCHEMES_CHECKED {
            let e = check
                .rows
                .iter()
                .find(|r| r.h == h && r.scheme == scheme)
                .map_or(f64::NAN, |r| r.relative_error);
            let _ = write!(s, "  {e:>12.3e}");
        }
        s.push('\n');
    }
    let best: Vec<(Scheme, &Row)> = SCHEMES_CHECKED
        .iter()
        .filter_map(|&sc| check.best(sc).map(|r| (sc, r)))
        .collect();
    for (scheme, r) in &best {
        let w = &r.worst;
        let _ = writeln!(
            s,
            "best {}: h = {:.0e}, error {:.3e}; worst coordinate #{} ({}): exact {:?}, \
             numeric {:?}, error {:.3e}",
            scheme_name(*scheme),
            r.h,
            r.relative_error,
            w.index,
            w.tensor,
            w.exact,
            w.numeric,
            w.relative_error
        );
    }
    s + &tensor_table(&best)
}

/// The error of each tensor at each scheme's best h.
fn tensor_table(best: &[(Scheme, &Row)]) -> String {
    let Some((_, first)) = best.first() else {
        return String::new();
    };
    let mut s = String::from("per tensor at the best h:\n  tensor    ");
    for (scheme, _) in best {
        let _ = write!(s, "  {:>12}", scheme_name(*scheme));
    }
    s.push('\n');
    for (k, t) in first.tensors.iter().enumerate() {
        let _ = write!(s, "  {:<10}", t.tensor);
        for (_, r) in best {
            let e = r.tensors.get(k).map_or(f64::NAN, |t| t.relative_error);
            let _ = write!(s, "  {e:>12.3e}");
        }
        s.push('\n');
    }
    s
}

/// The gradient check as CSV: one row per (scheme, h) with the whole-vector error, the
/// worst coordinate, then one column per tensor (named as torch names it: `0.weight`, …)
/// holding that tensor's relative error.
pub fn gradcheck_csv(check: &NetGradCheck, net: &Network) -> String {
    let names: Vec<String> = net.mlp().tensors().into_iter().map(|t| t.name).collect();
    let mut s = format!(
        "scheme,h,relative_error,worst_index,worst_tensor,worst_exact,worst_numeric,{}\n",
        names.join(",")
    );
    for r in &check.rows {
        let w = &r.worst;
        let _ = write!(
            s,
            "{},{:?},{:?},{},{},{:?},{:?}",
            scheme_name(r.scheme),
            r.h,
            r.relative_error,
            w.index,
            w.tensor,
            w.exact,
            w.numeric
        );
        for t in &r.tensors {
            let _ = write!(s, ",{:?}", t.relative_error);
        }
        s.push('\n');
    }
    s
}

/// The gradient check as JSON ([`NetGradCheck`]; non-finite numbers are `null`).
pub fn gradcheck_json(check: &NetGradCheck) -> String {
    json(check)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::data::Table;
    use crate::net::{Init, Rows};

    #[test]
    fn a_check_prints_in_three_formats() {
        let table = Arc::new(Table::parse("moons:n=10").unwrap());
        let net = Network::from_specs("mlp:hidden=3", None, table).unwrap();
        let p = Init::parse("torch")
            .unwrap()
            .parameters(net.mlp(), 1)
            .unwrap();
        let check = super::super::gradcheck::check(&net, &p, Rows::All);
        let text = gradcheck_text(&check, &net);
        assert!(text.contains("parameters: 17 (0.weight 3×2"), "{text}");
        assert!(text.contains("best central: h = "), "{text}");
        assert!(text.contains("per tensor at the best h:"), "{text}");
        let csv = gradcheck_csv(&check, &net);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "scheme,h,relative_error,worst_index,worst_tensor,worst_exact,worst_numeric,\
                 0.weight,0.bias,2.weight,2.bias"
            )
        );
        assert_eq!(lines.count(), 24);
        assert!(csv.lines().all(|l| l.split(',').count() == 11));
    }
}
