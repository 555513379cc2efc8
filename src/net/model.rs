//! The multilayer perceptron: `mlp:hidden=16x16,activation=tanh`, its activations and the
//! layout of its parameters.
//!
//! The model is torch's `nn.Sequential(Linear(d, h₁), act, Linear(h₁, h₂), act, …,
//! Linear(h_k, out))`: a linear layer z = W·a + b (`torch.nn.Linear`, W of shape out × in)
//! between every two sizes, the activation after every layer but the last, whose outputs are
//! the logits (classes) or the prediction (regression).

use std::fmt;

pub use super::activation::Activation;
use crate::spec::{SpecError, lookup, spec_err, split_spec};

/// Most parameters a network may have: bounds the memory of every buffer (a parameter vector,
/// its gradient, an HVP) and the time of one evaluation.
pub const MAX_PARAMETERS: usize = 100_000;

/// The models known to [`ModelSpec::parse`].
pub const MODELS: &[&str] = &["mlp"];

/// Whether `spec` names a network model (`mlp`, `mlp:…`) rather than a surface: its name,
/// before any `:`, is one of [`MODELS`].
pub fn names_a_model(spec: &str) -> bool {
    let name = spec.trim().split(':').next().unwrap_or_default().trim();
    MODELS.contains(&name)
}

/// A parsed model spec: the hidden widths and the activation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSpec {
    /// Widths of the hidden layers (empty: a linear / softmax regression).
    pub hidden: Vec<usize>,
    pub activation: Activation,
}

impl ModelSpec {
    /// Parse `mlp`, `mlp:hidden=16x16`, `mlp:hidden=0,activation=relu`.
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        let (name, pairs) = split_spec(text)?;
        lookup("network model", name, MODELS, |m| m)?;
        let mut spec = ModelSpec {
            hidden: Vec::new(),
            activation: Activation::Tanh,
        };
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in pairs {
            if seen.contains(&key) {
                return Err(spec_err!("mlp: parameter '{key}' given twice"));
            }
            seen.push(key);
            match key {
                "hidden" => spec.hidden = parse_hidden(value)?,
                "activation" => spec.activation = Activation::parse(value)?,
                _ => {
                    return Err(spec_err!(
                        "mlp: unknown parameter '{key}' (accepted: hidden, activation)"
                    ));
                }
            }
        }
        Ok(spec)
    }
}

/// `0` (no hidden layer) or widths ≥ 1 joined by `x`.
fn parse_hidden(text: &str) -> Result<Vec<usize>, SpecError> {
    if text == "0" {
        return Ok(Vec::new());
    }
    let bad = || {
        spec_err!(
            "mlp: hidden must be 0 (no hidden layer) or widths ≥ 1 joined by x (e.g. 16x16), got '{text}'"
        )
    };
    text.split('x')
        .map(|w| match w.parse::<usize>() {
            Ok(n) if n >= 1 && w.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(bad()),
        })
        .collect()
}

impl fmt::Display for ModelSpec {
    /// The canonical spec, e.g. `mlp:hidden=16x16,activation=tanh`; parses back to itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden: Vec<String> = self.hidden.iter().map(usize::to_string).collect();
        let hidden = if hidden.is_empty() {
            "0".to_string()
        } else {
            hidden.join("x")
        };
        write!(
            f,
            "mlp:hidden={hidden},activation={}",
            self.activation.name()
        )
    }
}

/// One tensor of `model.parameters()`: a weight (rows = out, cols = in) or a bias (rows =
/// out, cols = 1), at `offset` in the flat parameter vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tensor {
    /// The name nn.Sequential gives it: `0.weight`, `0.bias`, `2.weight`, …
    pub name: String,
    pub rows: usize,
    pub cols: usize,
    pub offset: usize,
}

impl Tensor {
    /// Numbers in the tensor.
    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shape as torch prints it: `16×2` or `16`.
    pub fn shape(&self) -> String {
        if self.cols == 1 && self.name.ends_with("bias") {
            self.rows.to_string()
        } else {
            format!("{}×{}", self.rows, self.cols)
        }
    }
}

/// One linear layer's place in the flat parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layer {
    pub inputs: usize,
    pub outputs: usize,
    /// Offset of W (outputs × inputs, row-major); b follows at `weight + outputs·inputs`.
    pub weight: usize,
}

impl Layer {
    pub fn bias(&self) -> usize {
        self.weight + self.outputs * self.inputs
    }
    pub fn end(&self) -> usize {
        self.bias() + self.outputs
    }
}

/// A multilayer perceptron of sizes d, h₁, …, out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mlp {
    sizes: Vec<usize>,
    activation: Activation,
    layers: Vec<Layer>,
}

impl Mlp {
    /// The network of `spec` from `inputs` features to `outputs` outputs; refused (before
    /// anything is allocated) when it would have more than [`MAX_PARAMETERS`] parameters.
    pub fn new(spec: &ModelSpec, inputs: usize, outputs: usize) -> Result<Mlp, SpecError> {
        if inputs == 0 || outputs == 0 {
            return Err(spec_err!(
                "mlp: needs at least one input and one output, got {inputs} and {outputs}"
            ));
        }
        let sizes_text = || {
            let mut s = vec![inputs.to_string()];
            s.extend(spec.hidden.iter().map(usize::to_string));
            s.push(outputs.to_string());
            s.join("-")
        };
        let count = std::iter::once(inputs)
            .chain(spec.hidden.iter().copied())
            .zip(spec.hidden.iter().copied().chain(std::iter::once(outputs)))
            .try_fold(0usize, |sum, (i, o)| {
                o.checked_mul(i)?.checked_add(o)?.checked_add(sum)
            });
        match count {
            Some(c) if c <= MAX_PARAMETERS => {}
            _ => {
                let c = count.map_or("too many".to_string(), |c| c.to_string());
                return Err(spec_err!(
                    "mlp: {} has {c} parameters, more than the {MAX_PARAMETERS} accepted",
                    sizes_text()
                ));
            }
        }
        let mut sizes = vec![inputs];
        sizes.extend(&spec.hidden);
        sizes.push(outputs);
        let mut layers = Vec::with_capacity(sizes.len() - 1);
        let mut offset = 0;
        for w in sizes.windows(2) {
            let layer = Layer {
                inputs: w[0],
                outputs: w[1],
                weight: offset,
            };
            offset = layer.end();
            layers.push(layer);
        }
        Ok(Mlp {
            sizes,
            activation: spec.activation,
            layers,
        })
    }

    /// Layer sizes d, h₁, …, out.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    pub fn inputs(&self) -> usize {
        self.sizes[0]
    }

    pub fn outputs(&self) -> usize {
        self.sizes[self.sizes.len() - 1]
    }

    pub fn activation(&self) -> Activation {
        self.activation
    }

    pub(crate) fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Σ over layers of out·in + out.
    pub fn parameter_count(&self) -> usize {
        self.layers.last().map_or(0, Layer::end)
    }

    /// The tensors in torch's `model.parameters()` order: each layer's weight, then its bias.
    pub fn tensors(&self) -> Vec<Tensor> {
        let mut tensors = Vec::with_capacity(2 * self.layers.len());
        for (i, l) in self.layers.iter().enumerate() {
            tensors.push(Tensor {
                name: format!("{}.weight", 2 * i),
                rows: l.outputs,
                cols: l.inputs,
                offset: l.weight,
            });
            tensors.push(Tensor {
                name: format!("{}.bias", 2 * i),
                rows: l.outputs,
                cols: 1,
                offset: l.bias(),
            });
        }
        tensors
    }

    /// Numbers in each tensor, in [`Mlp::tensors`] order.
    pub fn tensor_lengths(&self) -> Vec<usize> {
        self.tensors().iter().map(Tensor::len).collect()
    }

    /// A flat parameter vector cut into its tensors, in [`Mlp::tensors`] order (a short
    /// vector gives short or empty tensors at the end, never a panic).
    pub fn split<'a>(&self, params: &'a [f64]) -> Vec<&'a [f64]> {
        let mut rest = params;
        self.tensor_lengths()
            .into_iter()
            .map(|len| {
                let (tensor, tail) = rest.split_at(len.min(rest.len()));
                rest = tail;
                tensor
            })
            .collect()
    }

    /// `2-16-16-3`
    pub fn sizes_text(&self) -> String {
        let s: Vec<String> = self.sizes.iter().map(usize::to_string).collect();
        s.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_with_defaults_and_print_back() {
        let s = ModelSpec::parse("mlp").unwrap();
        assert_eq!((s.hidden.clone(), s.activation), (vec![], Activation::Tanh));
        let s = ModelSpec::parse("mlp:hidden=16x8,activation=relu").unwrap();
        assert_eq!(
            (s.hidden.clone(), s.activation),
            (vec![16, 8], Activation::Relu)
        );
        assert_eq!(s.to_string(), "mlp:hidden=16x8,activation=relu");
        assert_eq!(ModelSpec::parse(&s.to_string()).unwrap(), s);
        assert!(ModelSpec::parse("mlp:hidden=0").unwrap().hidden.is_empty());
    }

    #[test]
    fn every_bad_spec_is_one_line_naming_what_is_accepted() {
        let hidden = "hidden must be 0 (no hidden layer) or widths ≥ 1 joined by x (e.g. 16x16)";
        let cases = [
            ("mlp:hidden=abc", hidden),
            ("mlp:hidden=16x0", hidden),
            ("mlp:hidden=16x", hidden),
            ("mlp:hidden=", hidden),
            ("mlp:hidden=+4", hidden),
            ("mlp:hidden=99999999999999999999999", hidden),
            (
                "mlp:activation=gelu",
                "activation must be tanh, relu, sigmoid or identity, got 'gelu'",
            ),
            (
                "mlp:depth=3",
                "unknown parameter 'depth' (accepted: hidden, activation)",
            ),
            ("mlp:hidden=2,hidden=3", "parameter 'hidden' given twice"),
            ("cnn:hidden=2", "unknown network model 'cnn' (known: mlp)"),
            ("mlp:hidden", "'hidden' in 'mlp:hidden' is not key=value"),
        ];
        for (text, expected) in cases {
            let err = ModelSpec::parse(text).unwrap_err().0;
            assert!(err.contains(expected), "{text}: {err}");
            assert!(!err.contains('\n'), "{text}: {err}");
        }
    }

    #[test]
    fn layout_follows_torch_parameters_order() {
        let spec = ModelSpec::parse("mlp:hidden=4x3").unwrap();
        let m = Mlp::new(&spec, 2, 5).unwrap();
        assert_eq!(m.sizes(), &[2, 4, 3, 5]);
        assert_eq!(m.parameter_count(), 4 * 2 + 4 + 3 * 4 + 3 + 5 * 3 + 5);
        assert_eq!(m.tensor_lengths(), vec![8, 4, 12, 3, 15, 5]);
        let t = m.tensors();
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"
            ]
        );
        assert_eq!(
            (t[2].rows, t[2].cols, t[2].offset, t[2].shape()),
            (3, 4, 12, "3×4".into())
        );
        assert_eq!((t[3].offset, t[3].shape()), (24, "3".into()));
        let linear = Mlp::new(&ModelSpec::parse("mlp:hidden=0").unwrap(), 3, 2).unwrap();
        assert_eq!(
            (linear.parameter_count(), linear.sizes_text()),
            (8, "3-2".into())
        );
    }

    #[test]
    fn the_parameter_cap_is_checked_before_allocating_and_never_overflows() {
        let big = ModelSpec::parse("mlp:hidden=300x300").unwrap();
        assert_eq!(Mlp::new(&big, 2, 3).unwrap().parameter_count(), 92103);
        let huge = ModelSpec::parse("mlp:hidden=400x400").unwrap();
        let err = Mlp::new(&huge, 2, 3).unwrap_err().0;
        assert_eq!(
            err,
            "mlp: 2-400-400-3 has 162803 parameters, more than the 100000 accepted"
        );
        let overflow = ModelSpec {
            hidden: vec![usize::MAX / 2, usize::MAX / 2],
            activation: Activation::Tanh,
        };
        let err = Mlp::new(&overflow, 2, 3).unwrap_err().0;
        assert!(err.contains("has too many parameters"), "{err}");
        assert!(Mlp::new(&big, 0, 3).is_err());
    }
}
