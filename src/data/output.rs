//! What `descent data`, `descent list datasets` and `descent gradcheck` print.

use std::fmt::Write as _;

use serde::Serialize;

use super::gradcheck::{GradCheck, Precision, Scheme};
use super::model::MODELS;
use super::{DATASETS, DataKind, Dataset, TABLES};
use crate::spec::Param;

/// The points as CSV, in the format [`Dataset::parse`] reads back (floats in shortest
/// round-trip form: they read back exactly).
pub fn points_csv(data: &Dataset) -> String {
    let mut s = format!("{}\n", data.kind.header());
    for p in &data.points {
        let _ = match data.kind {
            DataKind::Regression => writeln!(s, "{:?},{:?}", p.x, p.y),
            DataKind::Classification => writeln!(s, "{:?},{:?},{}", p.x, p.y, p.label),
        };
    }
    s
}

/// The points as JSON: `{"spec", "kind", "points": [{"x", "y"} | {"x1", "x2", "label"}]}`.
pub fn points_json(data: &Dataset) -> String {
    let points: Vec<serde_json::Value> = data
        .points
        .iter()
        .map(|p| match data.kind {
            DataKind::Regression => serde_json::json!({ "x": p.x, "y": p.y }),
            DataKind::Classification => {
                serde_json::json!({ "x1": p.x, "x2": p.y, "label": p.label })
            }
        })
        .collect();
    let doc = serde_json::json!({ "spec": data.spec, "kind": data.kind, "points": points });
    format!("{doc:#}\n")
}

/// A parameter per line, `    name = default   doc [accepted]`, as every `descent list` shows it.
pub(crate) fn params_text(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            format!(
                "    {:<26} {} [{}]\n",
                format!("{} = {}", p.name, p.default_text()),
                p.doc,
                p.accepted_text()
            )
        })
        .collect()
}

/// `descent list datasets` as text: the generators, the other sources, and the models.
pub fn list_text() -> String {
    let mut s = String::new();
    for e in DATASETS {
        let _ = write!(
            s,
            "{} ({:?}): {}\n{}",
            e.name,
            e.kind,
            e.doc,
            params_text(e.params)
        );
    }
    s += "FILE.csv: a header row, then x,y (regression) or x1,x2,label (classification, labels \
          -1/1 or 0/1)\n";
    s += "points:X,Y;X,Y;… or points:X1,X2,LABEL;…: points written inline\n";
    s += "Models (--surface, with --data SPEC):\n";
    for (name, formula, params) in MODELS {
        let _ = write!(s, "{name}: {formula}\n{}", params_text(params));
    }
    s += &tables_text();
    s
}

/// The datasets of networks (`descent train`, `descent gradcheck --model`): the generators
/// of [`TABLES`] and the CSV forms a network reads.
fn tables_text() -> String {
    let mut s = String::from(
        "Network datasets (descent train, descent gradcheck --model; with --data SPEC; the \
         datasets above work too):\n",
    );
    for e in TABLES {
        let _ = write!(
            s,
            "{} (Classification): {}\n{}",
            e.name,
            e.doc,
            params_text(e.params)
        );
    }
    s += "FILE.csv for a network: a header row, then x1,…,xd,label (d ≥ 1 features; labels \
          0 … K−1 with every class present, or −1/1 read as 0/1) or x,y (regression on one \
          feature); blank lines and lines starting with # are skipped\n";
    s
}

#[derive(Serialize)]
struct Entry {
    name: &'static str,
    kind: DataKind,
    doc: &'static str,
    params: Vec<ParamInfo>,
    /// What may learn it: `surface` (a two-parameter model's --data), `network`.
    #[serde(rename = "for")]
    used_by: &'static [&'static str],
}

/// A parameter as every `descent list --format json` shows it.
#[derive(Serialize)]
pub(crate) struct ParamInfo {
    name: &'static str,
    default: String,
    accepted: String,
    doc: &'static str,
}

/// Each parameter's name, default, accepted values and doc.
pub(crate) fn params_info(params: &[Param]) -> Vec<ParamInfo> {
    params
        .iter()
        .map(|p| ParamInfo {
            name: p.name,
            default: p.default_text(),
            accepted: p.accepted_text(),
            doc: p.doc,
        })
        .collect()
}

/// `descent list datasets --format json`: the generators, the plane's (which networks
/// learn too) then the networks' [`TABLES`].
pub fn list_json() -> String {
    let plane = DATASETS.iter().map(|e| Entry {
        name: e.name,
        kind: e.kind,
        doc: e.doc,
        params: params_info(e.params),
        used_by: &["surface", "network"],
    });
    let tables = TABLES.iter().map(|e| Entry {
        name: e.name,
        kind: DataKind::Classification,
        doc: e.doc,
        params: params_info(e.params),
        used_by: &["network"],
    });
    let entries: Vec<Entry> = plane.chain(tables).collect();
    let mut text = serde_json::to_string_pretty(&entries).unwrap_or_default();
    text.push('\n');
    text
}

/// The gradient check as a table: one row per h, the relative error of each scheme and
/// precision, then the best h of each.
pub fn gradcheck_text(check: &GradCheck) -> String {
    let mut s = format!(
        "f({:?}, {:?}) = {:?}\nexact ∇f = ({:?}, {:?})\nrelative error |g_num − g| / (|g_num| + |g|):\n",
        check.at[0], check.at[1], check.value, check.gradient[0], check.gradient[1]
    );
    let series = [
        (Precision::F64, Scheme::Forward),
        (Precision::F64, Scheme::Central),
        (Precision::F32, Scheme::Forward),
        (Precision::F32, Scheme::Central),
    ];
    s += "       h   f64 forward   f64 central   f32 forward   f32 central\n";
    for h in super::gradcheck::steps() {
        let _ = write!(s, "{h:>8.0e}");
        for (p, sc) in series {
            let e = check
                .rows
                .iter()
                .find(|r| r.h == h && r.precision == p && r.scheme == sc)
                .map_or(f64::NAN, |r| r.relative_error);
            let _ = write!(s, "  {e:>12.3e}");
        }
        s.push('\n');
    }
    for (p, sc) in series {
        if let Some(best) = check.best(p, sc) {
            let _ = writeln!(
                s,
                "best {:?} {:?}: h = {:.0e}, error {:.3e}",
                p, sc, best.h, best.relative_error
            );
        }
    }
    s.replace("F64", "f64")
        .replace("F32", "f32")
        .replace("Forward", "forward")
        .replace("Central", "central")
}

/// The gradient check as CSV rows.
pub fn gradcheck_csv(check: &GradCheck) -> String {
    let mut s =
        String::from("precision,scheme,h,numeric_x,numeric_y,exact_x,exact_y,relative_error\n");
    for r in &check.rows {
        let _ = writeln!(
            s,
            "{},{},{:?},{:?},{:?},{:?},{:?},{:?}",
            serde_json::to_value(r.precision)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            serde_json::to_value(r.scheme)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            r.h,
            r.numeric[0],
            r.numeric[1],
            check.gradient[0],
            check.gradient[1],
            r.relative_error
        );
    }
    s
}

/// The gradient check as JSON.
pub fn gradcheck_json(check: &GradCheck) -> String {
    let mut text = serde_json::to_string_pretty(check).unwrap_or_default();
    text.push('\n');
    text
}
