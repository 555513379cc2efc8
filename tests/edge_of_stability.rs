//! The edge of stability (Cohen, Kaur, Li, Kolter & Talwalkar, ICLR 2021, "Gradient Descent on
//! Neural Networks Typically Occurs at the Edge of Stability"): full-batch gradient descent on
//! a network drives the sharpness — the largest eigenvalue of the loss's Hessian — up until it
//! reaches 2/η, then hovers there while the loss keeps falling. It is the 2/λmax limit that
//! preset 01 shows on a bowl, now in a 1,218-parameter (2-32-32-2) tanh MLP trained with MSE.

use descent::train::{NetRecord, TrainSpec};

const STEPS: u64 = 1000;

/// (step, loss, sharpness) at steps 100, 700, 800, 900 and 1000 of each racer.
fn sharpness_along(lrs: &[f64]) -> Vec<Vec<(u64, f64, f64)>> {
    let training = TrainSpec {
        model: "mlp:hidden=32x32,activation=tanh".into(),
        data: "moons:n=64".into(),
        loss: Some("mse".into()),
        optimizers: lrs.iter().map(|lr| format!("gd:lr={lr}")).collect(),
        steps: STEPS,
        ..TrainSpec::default()
    }
    .build()
    .unwrap();
    let mut seen = vec![Vec::new(); lrs.len()];
    let kept = |r: &NetRecord| r.step == 100 || r.step >= 700 && r.step.is_multiple_of(100);
    for record in training.records().filter(kept) {
        let (max, _) = training.measure(&record, true).sharpness.unwrap();
        seen[record.run].push((record.step, record.loss, max));
    }
    seen
}

#[test]
fn gradient_descent_hovers_at_two_over_eta_and_a_small_lr_stays_below() {
    let lrs = [0.5, 0.2, 0.02];
    let seen = sharpness_along(&lrs);
    for (lr, path) in lrs.iter().zip(&seen) {
        let limit = 2.0 / lr;
        let tail: Vec<f64> = path[1..].iter().map(|&(_, _, s)| s).collect();
        let mean = tail.iter().sum::<f64>() / tail.len() as f64;
        if *lr >= 0.2 {
            assert!(
                (mean / limit - 1.0).abs() < 0.05,
                "lr {lr}: sharpness {tail:?} should hover at 2/η = {limit}"
            );
            let (first, last) = (path[0].1, path[path.len() - 1].1);
            assert!(
                last < 0.7 * first,
                "lr {lr}: the loss keeps falling ({first} → {last})"
            );
        } else {
            assert!(
                mean < 0.2 * limit,
                "lr {lr}: sharpness {tail:?} far below 2/η = {limit}"
            );
        }
    }
}
