//! Descent's optimizers and schedules against torch.optim in float64.
//!
//! tests/golden/torch.json was made by tools/torch_golden.py (PyTorch 2.15) and is read here;
//! these tests do not need PyTorch.

use descent::race::RaceSpec;
use descent::schedule::Schedule;
use serde::Deserialize;

#[derive(Deserialize)]
struct Golden {
    paths: Vec<GoldenPath>,
    schedules: Vec<GoldenSchedule>,
}

#[derive(Deserialize)]
struct GoldenPath {
    optimizer: String,
    surface: String,
    start: [f64; 2],
    schedule: String,
    points: Vec<[f64; 2]>,
}

#[derive(Deserialize)]
struct GoldenSchedule {
    schedule: String,
    base_lr: f64,
    lr: Vec<f64>,
}

fn golden() -> Golden {
    let text = include_str!("golden/torch.json");
    serde_json::from_str(text).expect("tests/golden/torch.json parses")
}

/// |a − b| relative to the size of the numbers (absolute near 0).
fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

#[test]
fn every_optimizer_follows_torch_to_the_last_digits() {
    let mut worst_overall: f64 = 0.0;
    for case in golden().paths {
        let race = RaceSpec {
            surface: case.surface.clone(),
            start: Some(case.start),
            optimizers: vec![case.optimizer.clone()],
            schedule: case.schedule.clone(),
            schedules: Vec::new(),
            noise: 0.0,
            seed: 0,
            steps: case.points.len() as u64 - 1,
        }
        .build()
        .unwrap();
        let records = race.trajectories().remove(0);
        assert_eq!(records.len(), case.points.len(), "{}", case.optimizer);
        let mut worst: f64 = 0.0;
        for (r, [x, y]) in records.iter().zip(&case.points) {
            worst = worst
                .max(relative_error(r.x, *x))
                .max(relative_error(r.y, *y));
        }
        println!(
            "{:<75} on {:<28} {:>3} steps: worst relative error {worst:.1e}",
            case.optimizer,
            case.surface,
            case.points.len() - 1
        );
        assert!(
            worst < 1e-13,
            "{} drifts from torch by {worst:e}",
            case.optimizer
        );
        worst_overall = worst_overall.max(worst);
    }
    println!("worst over all cases: {worst_overall:.1e}");
}

#[test]
fn the_issue_example_matches_torch_adam_exactly() {
    // descent run --surface rosenbrock --optimizer adam:lr=0.01 --start -1.5,2 --steps 200
    let g = golden();
    let case = g
        .paths
        .iter()
        .find(|p| p.optimizer == "adam:lr=0.01")
        .unwrap();
    let race = RaceSpec {
        surface: "rosenbrock".into(),
        start: Some([-1.5, 2.0]),
        optimizers: vec!["adam:lr=0.01".into()],
        steps: 200,
        ..RaceSpec::default()
    }
    .build()
    .unwrap();
    let last = race.trajectories().remove(0).pop().unwrap();
    let [x, y] = case.points[200];
    assert!(relative_error(last.x, x) < 1e-15 && relative_error(last.y, y) < 1e-15);
}

#[test]
fn every_schedule_matches_its_torch_scheduler() {
    for case in golden().schedules {
        let schedule = Schedule::parse(&case.schedule).unwrap();
        for (t, &expected) in case.lr.iter().enumerate() {
            let lr = schedule.lr(case.base_lr, t as u64);
            assert!(
                relative_error(lr, expected) < 1e-13,
                "{} at t = {t}: {lr} vs torch {expected}",
                case.schedule
            );
        }
    }
}
