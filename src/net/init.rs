//! Initial parameters: torch's schemes, seeded, or a JSON file.
//!
//! - `torch`: nn.Linear's default (`reset_parameters`: kaiming_uniform_ with a = √5 for the
//!   weight, then the bias): W and b ~ U(−1/√fan_in, 1/√fan_in);
//! - `xavier`: Glorot & Bengio 2010 (`nn.init.xavier_uniform_`), W ~ U(±√(6/(fan_in +
//!   fan_out))), b = 0;
//! - `he`: He et al. 2015 (`nn.init.kaiming_normal_`, mode fan_in, ReLU gain √2),
//!   W ~ N(0, 2/fan_in), b = 0;
//! - `zeros`: every parameter 0;
//!
//! each optionally `:scale=s`, which multiplies every parameter. Or a path ending in `.json`
//! holding `{"parameters": [[…], […], …]}`: one flat list per tensor in torch's
//! `model.parameters()` order (a weight row-major, as `W.flatten().tolist()` gives it).
//!
//! Draws come from ChaCha8 seeded with the seed, on stream [`STREAM`]: uniforms from 53
//! random bits, normals by the crate's Box–Muller transform ([`crate::noise`]), tensor after
//! tensor, weight before bias — the same seed gives the same parameters bit for bit.

use std::io::Read;
use std::path::{Path, PathBuf};

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use serde::Deserialize;

use super::model::Mlp;
use crate::noise::normal_pair;
use crate::spec::{Args, Param, Range, SpecError, lookup, spec_err, split_spec};

/// The ChaCha stream of initializations (1: the sampler, 3: datasets, 2³² + epoch: batches).
pub const STREAM: u64 = 5;
/// Largest parameter file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// Largest |v| accepted in a parameter file.
pub const MAX_FILE_VALUE: f64 = 1e6;

/// A seeded scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Torch,
    Xavier,
    He,
    Zeros,
}

/// The seeded schemes by name, in the order `descent list inits` shows them.
pub const SCHEMES: &[(&str, Scheme)] = &[
    ("torch", Scheme::Torch),
    ("xavier", Scheme::Xavier),
    ("he", Scheme::He),
    ("zeros", Scheme::Zeros),
];

impl Scheme {
    /// What the scheme draws, in words, for `descent list inits` and the app.
    pub fn doc(self) -> &'static str {
        match self {
            Scheme::Torch => {
                "nn.Linear's default (kaiming_uniform_ with a = √5, then the bias): W and b ~ \
                 U(−1/√fan_in, 1/√fan_in)"
            }
            Scheme::Xavier => {
                "Glorot uniform (nn.init.xavier_uniform_): W ~ U(±√(6/(fan_in + fan_out))), b = 0"
            }
            Scheme::He => {
                "Kaiming normal (nn.init.kaiming_normal_, fan_in, ReLU gain √2): W ~ N(0, \
                 2/fan_in), b = 0"
            }
            Scheme::Zeros => {
                "every parameter 0: the units of a hidden layer start equal, get equal \
                 gradients and stay equal (the symmetry is never broken)"
            }
        }
    }
}

/// The parameters every seeded scheme takes.
pub const PARAMS: &[Param] = &[Param::real(
    "scale",
    1.0,
    Range::new(0.0, true, MAX_FILE_VALUE, true),
    "multiplies every parameter",
)];

/// How a network's parameters start.
#[derive(Clone, Debug, PartialEq)]
pub enum Init {
    Seeded { scheme: Scheme, scale: f64 },
    File(PathBuf),
}

impl Init {
    /// `torch`, `xavier:scale=0.5`, `he`, `zeros`, or `path/to/params.json`.
    pub fn parse(text: &str) -> Result<Self, SpecError> {
        let text = text.trim();
        if text.ends_with(".json") {
            return Ok(Init::File(PathBuf::from(text)));
        }
        let (name, pairs) = split_spec(text)?;
        let &(_, scheme) = lookup(
            "initialization (or a path ending in .json)",
            name,
            SCHEMES,
            |s| s.0,
        )?;
        let args = Args::parse(name, PARAMS, &pairs)?;
        Ok(Init::Seeded {
            scheme,
            scale: args.real("scale"),
        })
    }

    /// The parameters of `mlp`: drawn with `seed`, or read from the file.
    pub fn parameters(&self, mlp: &Mlp, seed: u64) -> Result<Vec<f64>, SpecError> {
        match self {
            Init::Seeded { scheme, scale } => Ok(init(*scheme, *scale, mlp, seed)),
            Init::File(path) => read(path, mlp),
        }
    }
}

/// A uniform number in [0, 1) from the top 53 bits of a draw.
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The parameters of `mlp` by `scheme` times `scale`, drawn from ChaCha8(`seed`) on
/// [`STREAM`]: U(−b, b) as b·(2u − 1); normals two at a time by Box–Muller (a tensor of odd
/// length drops the last deviate of its last pair).
pub fn init(scheme: Scheme, scale: f64, mlp: &Mlp, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(STREAM);
    let mut p = vec![0.0; mlp.parameter_count()];
    for layer in mlp.layers() {
        let (fan_in, fan_out) = (layer.inputs as f64, layer.outputs as f64);
        let (w, b) = p[layer.weight..layer.end()].split_at_mut(layer.inputs * layer.outputs);
        match scheme {
            Scheme::Torch => {
                let bound = 1.0 / fan_in.sqrt();
                for x in w.iter_mut().chain(b.iter_mut()) {
                    *x = scale * bound * (2.0 * unit(&mut rng) - 1.0);
                }
            }
            Scheme::Xavier => {
                let bound = (6.0 / (fan_in + fan_out)).sqrt();
                for x in w.iter_mut() {
                    *x = scale * bound * (2.0 * unit(&mut rng) - 1.0);
                }
            }
            Scheme::He => {
                let std = (2.0 / fan_in).sqrt();
                for pair in w.chunks_mut(2) {
                    let e = normal_pair(&mut rng);
                    for (x, e) in pair.iter_mut().zip([e.x, e.y]) {
                        *x = scale * std * e;
                    }
                }
            }
            Scheme::Zeros => {}
        }
    }
    p
}

#[derive(Deserialize)]
struct ParameterFile {
    parameters: Vec<Vec<f64>>,
}

/// The parameters in a JSON file, checked against `mlp`'s tensors.
fn read(path: &Path, mlp: &Mlp) -> Result<Vec<f64>, SpecError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| spec_err!("cannot read {name}: {e}"))?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| spec_err!("cannot read {name}: {e}"))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(spec_err!(
            "{name}: larger than {} MiB, the most a parameter file may be",
            MAX_FILE_BYTES >> 20
        ));
    }
    parse_file(&text, &name, mlp)
}

/// Parse a parameter file's text; `name` starts every message.
pub fn parse_file(text: &str, name: &str, mlp: &Mlp) -> Result<Vec<f64>, SpecError> {
    let file: ParameterFile = serde_json::from_str(text).map_err(|e| {
        spec_err!("{name}: not JSON of the form {{\"parameters\": [[…], …]}} ({e})")
    })?;
    let tensors = mlp.tensors();
    if file.parameters.len() != tensors.len() {
        let shapes: Vec<String> = tensors
            .iter()
            .map(|t| format!("{} {}", t.name, t.shape()))
            .collect();
        return Err(spec_err!(
            "{name}: {} tensors, expected {} for mlp {} ({})",
            file.parameters.len(),
            tensors.len(),
            mlp.sizes_text(),
            shapes.join(", ")
        ));
    }
    let mut p = Vec::with_capacity(mlp.parameter_count());
    for (i, (values, t)) in file.parameters.iter().zip(&tensors).enumerate() {
        if values.len() != t.len() {
            return Err(spec_err!(
                "{name}: tensor {i} ({}) has {} numbers, expected {} ({})",
                t.name,
                values.len(),
                t.len(),
                t.shape()
            ));
        }
        if let Some(k) = values
            .iter()
            .position(|v| !v.is_finite() || v.abs() > MAX_FILE_VALUE)
        {
            return Err(spec_err!(
                "{name}: tensor {i} ({}) number {k} is {}, expected a finite number with |v| ≤ 1e6",
                t.name,
                values[k]
            ));
        }
        p.extend_from_slice(values);
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::model::ModelSpec;

    fn mlp(spec: &str, inputs: usize, outputs: usize) -> Mlp {
        Mlp::new(&ModelSpec::parse(spec).unwrap(), inputs, outputs).unwrap()
    }

    fn seeded(text: &str, m: &Mlp, seed: u64) -> Vec<f64> {
        Init::parse(text).unwrap().parameters(m, seed).unwrap()
    }

    /// (mean, variance) of the first layer's weight.
    fn moments(p: &[f64], len: usize) -> (f64, f64) {
        let w = &p[..len];
        let mean = w.iter().sum::<f64>() / len as f64;
        let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / len as f64;
        (mean, var)
    }

    #[test]
    fn moments_match_each_scheme_on_a_wide_layer() {
        // 200 → 200: 40 000 weights. Tolerances are 5 standard errors: the mean's is
        // σ/200, the variance's σ²·√(0.8/40000) (uniform) or σ²·√(2/40000) (normal).
        let m = mlp("mlp:hidden=200", 200, 1);
        let n = 40_000;
        let cases: [(&str, f64, f64); 3] = [
            ("torch", 1.0 / 200.0 / 3.0, 0.0045),
            ("xavier", 6.0 / 400.0 / 3.0, 0.0045),
            ("he", 2.0 / 200.0, 0.0071),
        ];
        for (name, var, rel_se) in cases {
            let p = seeded(name, &m, 11);
            let (mu, v) = moments(&p, n);
            assert!(mu.abs() < 5.0 * var.sqrt() / 200.0, "{name}: mean {mu}");
            assert!(
                (v / var - 1.0).abs() < 5.0 * rel_se,
                "{name}: variance {v} vs {var}"
            );
        }
        let bound = 1.0 / 200f64.sqrt();
        let torch = seeded("torch", &m, 11);
        assert!(torch.iter().all(|x| x.abs() <= bound));
        assert!(
            torch[n..n + 200].iter().any(|&b| b != 0.0),
            "torch draws biases"
        );
        for name in ["xavier", "he"] {
            assert!(
                seeded(name, &m, 11)[n..n + 200].iter().all(|&b| b == 0.0),
                "{name}"
            );
        }
        assert!(seeded("zeros", &m, 11).iter().all(|&x| x == 0.0));
    }

    #[test]
    fn the_same_seed_gives_the_same_bits_and_scale_multiplies() {
        let m = mlp("mlp:hidden=5x3", 2, 3);
        for name in ["torch", "xavier", "he"] {
            let a = seeded(name, &m, 7);
            assert_eq!(a, seeded(name, &m, 7));
            assert_ne!(a, seeded(name, &m, 8));
            let twice = seeded(&format!("{name}:scale=2"), &m, 7);
            assert!(a.iter().zip(&twice).all(|(a, b)| 2.0 * a == *b), "{name}");
        }
        // the first draw of stream 5, not of the default stream 0
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let first = (2.0 * unit(&mut rng) - 1.0) / 2f64.sqrt();
        assert_ne!(seeded("torch", &m, 7)[0], first);
    }

    #[test]
    fn bad_specs_are_explained() {
        let cases = [
            (
                "glorot",
                "unknown initialization (or a path ending in .json) 'glorot' (known: torch, xavier, he, zeros)",
            ),
            (
                "torch:scale=-1",
                "torch: scale must be in [0, 1000000], got '-1'",
            ),
            (
                "he:gain=2",
                "he: unknown parameter 'gain' (accepted: scale)",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(Init::parse(text).unwrap_err().0, expected, "{text}");
        }
        assert_eq!(Init::parse("w.json").unwrap(), Init::File("w.json".into()));
    }

    #[test]
    fn parameter_files_are_read_in_torch_order_or_explained() {
        let m = mlp("mlp:hidden=2", 1, 1);
        let good = r#"{"parameters": [[0.5, -1], [0, 2], [3, 4], [5]]}"#;
        assert_eq!(
            parse_file(good, "p.json", &m).unwrap(),
            [0.5, -1.0, 0.0, 2.0, 3.0, 4.0, 5.0]
        );
        let cases = [
            (
                "[1, 2]",
                "p.json: not JSON of the form {\"parameters\": [[…], …]} (",
            ),
            (
                r#"{"parameters": [[1, 2]]}"#,
                "p.json: 1 tensors, expected 4 for mlp 1-2-1 (0.weight 2×1, 0.bias 2, 2.weight 1×2, 2.bias 1)",
            ),
            (
                r#"{"parameters": [[1, 2], [0], [3, 4], [5]]}"#,
                "p.json: tensor 1 (0.bias) has 1 numbers, expected 2 (2)",
            ),
            (
                r#"{"parameters": [[1, 2], [0, 2e6], [3, 4], [5]]}"#,
                "p.json: tensor 1 (0.bias) number 1 is 2000000, expected a finite number with |v| ≤ 1e6",
            ),
            (
                r#"{"parameters": [[1, 1e999], [0, 2], [3, 4], [5]]}"#,
                "p.json: ",
            ),
        ];
        for (text, expected) in cases {
            let err = parse_file(text, "p.json", &m).unwrap_err().0;
            assert!(err.starts_with(expected), "{text}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
        let path =
            std::env::temp_dir().join(format!("descent-net-init-{}.json", std::process::id()));
        std::fs::write(&path, good).unwrap();
        let init = Init::parse(&path.display().to_string()).unwrap();
        assert_eq!(init.parameters(&m, 0).unwrap().len(), 7);
        std::fs::remove_file(&path).unwrap();
        let err = init.parameters(&m, 0).unwrap_err().0;
        assert!(err.starts_with("cannot read "), "{err}");
    }
}
