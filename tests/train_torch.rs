//! Networks trained by Descent against torch (tests/golden/torch_net.json, made once by
//! tools/torch_net_golden.py with PyTorch in float64; torch is not needed here): the
//! full-batch loss and accuracy of every step and the final parameters of 24 small MLPs —
//! every first-order optimizer and L-BFGS, four activations, cross-entropy and MSE, full
//! batches and sequential minibatches with a short last batch, and one run that blows up —
//! and the loss, gradient, a Hessian-vector product and the extreme Hessian eigenvalues of
//! three nets at their initialization.

use std::sync::Arc;

use descent::data::{Table, Targets};
use descent::net::{Network, Rows, lanczos};
use descent::race::Status;
use descent::train::TrainSpec;
use serde::Deserialize;

#[derive(Deserialize)]
struct Golden {
    cases: Vec<Case>,
    hessians: Vec<HessianCase>,
}

#[derive(Deserialize)]
struct Data {
    model: String,
    loss: String,
    features: Vec<Vec<f64>>,
    labels: Option<Vec<usize>>,
    classes: Option<usize>,
    targets: Option<Vec<f64>>,
    init: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(flatten)]
    data: Data,
    optimizer: String,
    batch: Option<u64>,
    steps: u64,
    losses: Vec<Option<f64>>,
    accuracy: Option<Vec<Option<f64>>>,
    #[serde(rename = "final")]
    last: Vec<Vec<Option<f64>>>,
}

#[derive(Deserialize)]
struct HessianCase {
    name: String,
    #[serde(flatten)]
    data: Data,
    value: f64,
    gradient: Vec<f64>,
    vector: Vec<f64>,
    hvp: Vec<f64>,
    lambda_max: f64,
    lambda_min: f64,
}

fn golden() -> Golden {
    let text = include_str!("golden/torch_net.json");
    serde_json::from_str(text).expect("golden file parses")
}

fn table(name: &str, d: &Data) -> Table {
    let targets = match (&d.labels, d.classes, &d.targets) {
        (Some(labels), Some(classes), _) => Targets::Classes {
            labels: labels.clone(),
            classes,
        },
        (_, _, Some(values)) => Targets::Values(values.clone()),
        _ => panic!("{name}: neither labels nor targets"),
    };
    Table {
        spec: name.to_string(),
        dims: d.features[0].len(),
        features: d.features.concat(),
        targets,
    }
}

/// `|a − b| ≤ tol·max(1, |b|)`.
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

/// The case's initialization as an init file, in a fresh temporary directory.
fn init_file(case: &str, init: &[Vec<f64>]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("descent-train-torch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{case}.json"));
    let json = serde_json::json!({ "parameters": init });
    std::fs::write(&path, json.to_string()).unwrap();
    path
}

#[test]
fn every_step_and_the_final_parameters_match_torch() {
    for case in golden().cases {
        let path = init_file(&case.name, &case.data.init);
        let spec = TrainSpec {
            model: case.data.model.clone(),
            data: case.name.clone(),
            loss: Some(case.data.loss.clone()),
            init: path.display().to_string(),
            optimizers: vec![case.optimizer.clone()],
            steps: case.steps,
            batch: case.batch,
            shuffle: false,
            ..TrainSpec::default()
        };
        let training = spec
            .build_on(table(&case.name, &case.data))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let records: Vec<_> = training.records().collect();
        let finite_steps = case.losses.iter().take_while(|l| l.is_some()).count();
        // A run stops as diverged once its parameters leave the divergence box (1e12),
        // which can be before torch's loss overflows.
        for (t, want) in case
            .losses
            .iter()
            .enumerate()
            .take(finite_steps.min(records.len()))
        {
            let want = want.unwrap();
            let got = &records[t];
            assert!(
                close(got.loss, want, 1e-9),
                "{} step {t}: loss {} vs torch {want}",
                case.name,
                got.loss
            );
            if let Some(acc) = case.accuracy.as_ref().and_then(|a| a[t]) {
                let measured = training.measure(got, false);
                let got = measured.accuracy.unwrap();
                assert!(
                    close(got, acc, 1e-12),
                    "{} step {t}: accuracy {got} vs {acc}",
                    case.name
                );
            }
        }
        let last = records.last().unwrap();
        if finite_steps < case.losses.len() {
            assert_eq!(
                last.status,
                Status::Diverged,
                "{}: torch blew up",
                case.name
            );
            assert!(
                last.step as usize <= finite_steps,
                "{}: diverged late",
                case.name
            );
            continue;
        }
        assert_eq!(last.step, case.steps, "{}: ran every step", case.name);
        let want: Vec<f64> = case.last.concat().into_iter().map(Option::unwrap).collect();
        for (i, (&got, &want)) in last.parameters.iter().zip(&want).enumerate() {
            assert!(
                close(got, want, 1e-9),
                "{}: final parameter {i}: {got} vs torch {want}",
                case.name
            );
        }
    }
}

#[test]
fn loss_gradient_hvp_and_extreme_eigenvalues_match_torch_at_init() {
    for case in golden().hessians {
        let table = Arc::new(table(&case.name, &case.data));
        let net = Network::from_specs(&case.data.model, Some(&case.data.loss), table).unwrap();
        let p = case.data.init.concat();
        let mut g = vec![0.0; p.len()];
        let value = net.value_gradient(&p, Rows::All, &mut g);
        assert!(close(value, case.value, 1e-12), "{}: value", case.name);
        for (a, b) in g.iter().zip(&case.gradient) {
            assert!(close(*a, *b, 1e-12), "{}: gradient {a} vs {b}", case.name);
        }
        let mut hv = vec![0.0; p.len()];
        net.hvp(&p, Rows::All, &case.vector, &mut hv);
        for (a, b) in hv.iter().zip(&case.hvp) {
            assert!(close(*a, *b, 1e-11), "{}: hvp {a} vs {b}", case.name);
        }
        let found = lanczos::extremes(p.len(), 0, |v, out| net.hvp(&p, Rows::All, v, out));
        assert!(
            close(found.max, case.lambda_max, 1e-9),
            "{}: λmax {} vs {}",
            case.name,
            found.max,
            case.lambda_max
        );
        assert!(
            close(found.min, case.lambda_min, 1e-9),
            "{}: λmin {} vs {}",
            case.name,
            found.min,
            case.lambda_min
        );
    }
}
