//! Data surfaces against torch (tests/golden/torch_data.json, made once by
//! tools/torch_data_golden.py with PyTorch in float64; torch is not needed here): the points
//! of each generator, torch.nn's mean losses and their autograd gradients, torch.optim.SGD's
//! full-batch path, and DataLoader(shuffle=False)'s index slices.

use descent::P2;
use descent::data::Dataset;
use descent::data::batch::BatchPlan;
use descent::landscape::Landscape;
use descent::race::RaceSpec;
use serde::Deserialize;

#[derive(Deserialize)]
struct Golden {
    cases: Vec<Case>,
    loaders: Vec<Loader>,
}

#[derive(Deserialize)]
struct Case {
    surface: String,
    data: String,
    points: Vec<serde_json::Map<String, serde_json::Value>>,
    evals: Vec<Eval>,
    optimizer: String,
    start: [f64; 2],
    path: Vec<[f64; 2]>,
}

#[derive(Deserialize)]
struct Eval {
    theta: [f64; 2],
    value: f64,
    gradient: [f64; 2],
}

#[derive(Deserialize)]
struct Loader {
    n: usize,
    batch: usize,
    batches: Vec<Vec<usize>>,
}

fn golden() -> Golden {
    serde_json::from_str(include_str!("golden/torch_data.json")).expect("torch_data.json parses")
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn generators_still_draw_the_points_torch_was_given() {
    for case in golden().cases {
        let data = Dataset::parse(&case.data).unwrap();
        assert_eq!(data.len(), case.points.len());
        for (p, q) in data.points.iter().zip(&case.points) {
            let num = |k: &str| q.get(k).and_then(serde_json::Value::as_f64);
            let (x, y) = match num("x") {
                Some(x) => (x, num("y").unwrap()),
                None => (num("x1").unwrap(), num("x2").unwrap()),
            };
            assert!(
                close(p.x, x, 1e-15) && close(p.y, y, 1e-15),
                "{}",
                case.data
            );
        }
    }
}

#[test]
fn mean_losses_and_gradients_match_torch_nn() {
    for case in golden().cases {
        let land = Landscape::parse_with_data(&case.surface, Some(&case.data)).unwrap();
        for e in &case.evals {
            let (f, g) = land.surface.value_gradient(P2::new(e.theta[0], e.theta[1]));
            assert!(
                close(f, e.value, 1e-13),
                "{}: {f} vs torch {}",
                case.surface,
                e.value
            );
            for j in 0..2 {
                assert!(
                    close(g[j], e.gradient[j], 1e-13),
                    "{} ∂{j}: {} vs torch {}",
                    case.surface,
                    g[j],
                    e.gradient[j]
                );
            }
        }
    }
}

#[test]
fn gradient_descent_follows_torch_sgd() {
    for case in golden().cases {
        let race = RaceSpec {
            surface: case.surface.clone(),
            data: Some(case.data.clone()),
            start: Some(case.start),
            optimizers: vec![case.optimizer.clone()],
            steps: case.path.len() as u64 - 1,
            ..RaceSpec::default()
        }
        .build()
        .unwrap();
        let records = race.trajectories().remove(0);
        assert_eq!(records.len(), case.path.len());
        for (r, [x, y]) in records.iter().zip(&case.path) {
            assert!(
                close(r.x, *x, 1e-11) && close(r.y, *y, 1e-11),
                "{} step {}: ({}, {}) vs torch ({x}, {y})",
                case.surface,
                r.step,
                r.x,
                r.y
            );
        }
    }
}

#[test]
fn sequential_batches_are_dataloader_slices() {
    for l in golden().loaders {
        let plan = BatchPlan {
            n: l.n,
            batch: l.batch,
            shuffle: false,
            seed: 0,
        };
        for (step, batch) in l.batches.iter().enumerate() {
            assert_eq!(
                &plan.batch(step as u64),
                batch,
                "n={} B={} step {step}",
                l.n,
                l.batch
            );
        }
    }
}
