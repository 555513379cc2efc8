//! What `descent list models` and `descent list inits` print, as text or JSON, from the
//! code's own names, defaults and formulas; the app can show the same text.

use std::fmt::Write as _;

use serde::Serialize;

use super::init::{self, PARAMS, SCHEMES};
use super::loss::NetLoss;
use super::model::{Activation, MAX_PARAMETERS, MODELS, Mlp, ModelSpec};
use crate::data::Targets;
use crate::data::output::{ParamInfo, params_info, params_text};

/// What `hidden` accepts.
const HIDDEN_ACCEPTED: &str = "0 (no hidden layer) or widths ≥ 1 joined by x, e.g. 16x16";

/// The example whose tensors `descent list models` shows: hidden widths, features, classes.
const EXAMPLE: ([usize; 1], usize, usize) = ([16], 2, 3);

/// The layers of a model, in torch's words.
fn model_doc(name: &str) -> &'static str {
    match name {
        "mlp" => {
            "torch's nn.Sequential(Linear(d, h₁), act, …, Linear(h_k, out)): d = the data's \
             features, out = its classes K (logits) or 1 (regression)"
        }
        _ => "",
    }
}

/// σ(z), as torch.nn defines it.
fn activation_doc(a: Activation) -> &'static str {
    match a {
        Activation::Tanh => "σ(z) = tanh z (torch.nn.Tanh)",
        Activation::Relu => "σ(z) = max(0, z) (torch.nn.ReLU)",
        Activation::Sigmoid => "σ(z) = 1 / (1 + e^(−z)) (torch.nn.Sigmoid)",
        Activation::Identity => "σ(z) = z (torch.nn.Identity)",
    }
}

/// The loss, as torch.nn defines it.
fn loss_doc(loss: NetLoss) -> &'static str {
    match loss {
        NetLoss::CrossEntropy => {
            "torch.nn.CrossEntropyLoss (reduction mean): the mean over the batch of \
             log Σₖ e^(z_k) − z_y on the logits z of a point of class y"
        }
        NetLoss::Mse => {
            "torch.nn.MSELoss (reduction mean): the mean of (z_k − t_k)² over all B·K outputs; \
             class data compared with one-hot targets, regression data with their value"
        }
    }
}

/// The kinds of data `loss` is the default for (`class`, `regression`).
fn default_for(loss: NetLoss) -> Vec<&'static str> {
    let classes = Targets::Classes {
        labels: Vec::new(),
        classes: 2,
    };
    [
        (classes, "class"),
        (Targets::Values(Vec::new()), "regression"),
    ]
    .into_iter()
    .filter(|(t, _)| NetLoss::default_for(t) == loss)
    .map(|(_, kind)| kind)
    .collect()
}

/// The losses a network accepts, in [`NetLoss::NAMES`] order.
fn losses() -> Vec<NetLoss> {
    NetLoss::NAMES
        .iter()
        .filter_map(|name| NetLoss::parse(name).ok())
        .collect()
}

fn hidden_text(hidden: &[usize]) -> String {
    if hidden.is_empty() {
        return "0".into();
    }
    let widths: Vec<String> = hidden.iter().map(usize::to_string).collect();
    widths.join("x")
}

#[derive(Serialize)]
struct ModelParam {
    name: &'static str,
    default: String,
    accepted: String,
    doc: &'static str,
}

#[derive(Serialize)]
struct TensorInfo {
    name: String,
    shape: String,
    len: usize,
}

#[derive(Serialize)]
struct Example {
    spec: String,
    features: usize,
    classes: usize,
    tensors: Vec<TensorInfo>,
    parameters: usize,
}

#[derive(Serialize)]
struct ModelInfo {
    name: &'static str,
    doc: &'static str,
    /// The canonical spec of the defaults.
    default: String,
    params: Vec<ModelParam>,
    activations: Vec<NamedDoc>,
    parameter_order: &'static str,
    example: Option<Example>,
    max_parameters: usize,
}

#[derive(Serialize)]
struct NamedDoc {
    name: &'static str,
    doc: &'static str,
}

#[derive(Serialize)]
struct LossInfo {
    name: &'static str,
    doc: &'static str,
    /// The data it is the default loss of: `class`, `regression`.
    default_for: Vec<&'static str>,
}

#[derive(Serialize)]
struct Models {
    models: Vec<ModelInfo>,
    losses: Vec<LossInfo>,
}

const PARAMETER_ORDER: &str = "torch's model.parameters() order: each layer's weight (out × \
                               in, row-major), then its bias";

fn model_info(name: &'static str) -> Option<ModelInfo> {
    let spec = ModelSpec::parse(name).ok()?;
    let params = vec![
        ModelParam {
            name: "hidden",
            default: hidden_text(&spec.hidden),
            accepted: HIDDEN_ACCEPTED.into(),
            doc: "widths of the hidden layers",
        },
        ModelParam {
            name: "activation",
            default: spec.activation.name().into(),
            accepted: Activation::ALL.map(Activation::name).join("|"),
            doc: "the nonlinearity after every layer but the last",
        },
    ];
    let (hidden, features, classes) = EXAMPLE;
    let example_spec = ModelSpec {
        hidden: hidden.to_vec(),
        ..spec.clone()
    };
    let example = Mlp::new(&example_spec, features, classes)
        .ok()
        .map(|mlp| Example {
            spec: example_spec.to_string(),
            features,
            classes,
            tensors: mlp
                .tensors()
                .iter()
                .map(|t| TensorInfo {
                    name: t.name.clone(),
                    shape: t.shape(),
                    len: t.len(),
                })
                .collect(),
            parameters: mlp.parameter_count(),
        });
    Some(ModelInfo {
        name,
        doc: model_doc(name),
        default: spec.to_string(),
        params,
        activations: Activation::ALL
            .iter()
            .map(|&a| NamedDoc {
                name: a.name(),
                doc: activation_doc(a),
            })
            .collect(),
        parameter_order: PARAMETER_ORDER,
        example,
        max_parameters: MAX_PARAMETERS,
    })
}

fn models() -> Models {
    Models {
        models: MODELS.iter().filter_map(|&m| model_info(m)).collect(),
        losses: losses()
            .into_iter()
            .map(|l| LossInfo {
                name: l.name(),
                doc: loss_doc(l),
                default_for: default_for(l),
            })
            .collect(),
    }
}

/// `    name = default             doc [accepted]`, as [`params_text`] writes a parameter.
fn param_line(name: &str, default: &str, doc: &str, accepted: &str) -> String {
    format!(
        "    {:<26} {doc} [{accepted}]\n",
        format!("{name} = {default}")
    )
}

/// `descent list models`: each model with its parameters, the parameter order and the cap,
/// then the losses.
pub fn models_text() -> String {
    let all = models();
    let mut s = String::new();
    for m in &all.models {
        let _ = writeln!(s, "{}: {}", m.name, m.doc);
        for p in &m.params {
            s += &param_line(p.name, &p.default, p.doc, &p.accepted);
        }
        for a in &m.activations {
            let _ = writeln!(s, "      activation={}: {}", a.name, a.doc);
        }
        let _ = write!(s, "    parameters in {}", m.parameter_order);
        if let Some(e) = &m.example {
            let tensors: Vec<String> = e
                .tensors
                .iter()
                .map(|t| format!("{} {}", t.name, t.shape))
                .collect();
            let _ = write!(
                s,
                "; e.g. {} on {} features and {} classes: {} ({} numbers)",
                e.spec,
                e.features,
                e.classes,
                tensors.join(", "),
                e.parameters
            );
        }
        let _ = writeln!(s, "\n    at most {} parameters", m.max_parameters);
    }
    s += "Losses (--loss; the default follows the data):\n";
    for l in &all.losses {
        let _ = writeln!(
            s,
            "{}: {} (default for {} data)",
            l.name,
            l.doc,
            l.default_for.join(" and ")
        );
    }
    s
}

/// `descent list models --format json`: `{"models": […], "losses": […]}`.
pub fn models_json() -> String {
    json(&models())
}

pub(super) fn json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

const FILE_FORM: &str = "{\"parameters\": [[…], …]}";
const FILE_DOC: &str = "one flat list per tensor in torch's model.parameters() order (a \
                        weight row-major, as W.flatten().tolist() gives it), each number \
                        finite with |v| ≤ 1e6; one optimizer's object of what descent train \
                        --weights-out writes";

#[derive(Serialize)]
struct SchemeInfo {
    name: &'static str,
    doc: &'static str,
    params: Vec<ParamInfo>,
}

#[derive(Serialize)]
struct FileInfo {
    name: &'static str,
    form: &'static str,
    doc: &'static str,
    max_value: f64,
    max_bytes: u64,
}

#[derive(Serialize)]
struct Inits {
    schemes: Vec<SchemeInfo>,
    file: FileInfo,
}

/// `descent list inits`: the seeded schemes with their parameter, then the file form.
pub fn inits_text() -> String {
    let mut s = String::new();
    for &(name, scheme) in SCHEMES {
        let _ = write!(s, "{name}: {}\n{}", scheme.doc(), params_text(PARAMS));
    }
    s += "Seeded by --seed (ChaCha8), tensor after tensor, weight before bias: the same seed \
          gives the same parameters bit for bit.\n";
    let _ = writeln!(s, "FILE.json: {FILE_FORM}: {FILE_DOC}");
    s
}

/// `descent list inits --format json`: `{"schemes": […], "file": {…}}`.
pub fn inits_json() -> String {
    json(&Inits {
        schemes: SCHEMES
            .iter()
            .map(|&(name, scheme)| SchemeInfo {
                name,
                doc: scheme.doc(),
                params: params_info(PARAMS),
            })
            .collect(),
        file: FileInfo {
            name: "FILE.json",
            form: FILE_FORM,
            doc: FILE_DOC,
            max_value: init::MAX_FILE_VALUE,
            max_bytes: init::MAX_FILE_BYTES,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_come_from_the_code() {
        let text = models_text();
        assert!(text.starts_with("mlp: "), "{text}");
        assert!(text.contains("hidden = 0"), "{text}");
        assert!(text.contains("activation = tanh"), "{text}");
        assert!(text.contains("[tanh|relu|sigmoid|identity]"), "{text}");
        assert!(
            text.contains("0.weight 16×2, 0.bias 16, 2.weight 3×16, 2.bias 3 (99 numbers)"),
            "{text}"
        );
        assert!(text.contains("at most 100000 parameters"), "{text}");
        assert!(text.contains("cross-entropy: torch.nn.CrossEntropyLoss"));
        assert!(text.contains("(default for class data)"));
        assert!(text.contains("(default for regression data)"));
        let inits = inits_text();
        for (name, _) in SCHEMES {
            assert!(inits.contains(&format!("{name}: ")), "{inits}");
        }
        assert!(inits.contains("scale = 1.0"), "{inits}");
        let json: serde_json::Value = serde_json::from_str(&inits_json()).unwrap();
        assert_eq!(json["schemes"].as_array().unwrap().len(), SCHEMES.len());
    }
}
