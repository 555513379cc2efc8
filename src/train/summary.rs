//! What one step of a network's training did, in numbers a card can show for hundreds of
//! weights: the norms of the gradient the optimizer was given and of the step it took, the
//! cosines of both with −∇f, the norms of the optimizer's buffers (‖b‖, ‖m‖, ‖v‖, …), its
//! scalars (t, α), and the spread of its per-weight learning rates ηᵢ.
//!
//! A 2-D card shows these vectors themselves ([`crate::race::StepDetail`]); in ℝⁿ a vector
//! is read by its length and its angle with the steepest descent direction.

use crate::optim::State;
use crate::space::{PN, Vector};

/// Low, middle and high of a per-weight quantity: its minimum, median and maximum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (`None` if empty or any is not finite). The median of an even
    /// count is the upper middle value.
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() || !values.iter().all(|v| v.is_finite()) {
            return None;
        }
        let mut sorted = values.to_vec();
        let middle = sorted.len() / 2;
        let (low, median, high) = sorted.select_nth_unstable_by(middle, f64::total_cmp);
        let min = low.iter().copied().fold(*median, f64::min);
        let max = high.iter().copied().fold(*median, f64::max);
        Some(Self {
            min,
            median: *median,
            max,
        })
    }
}

/// One step θₜ → θₜ₊₁ of one racer, summarized (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct StepSummary {
    /// ‖g‖ of the gradient the optimizer was given at θₜ: the minibatch's mean gradient
    /// (the full ∇f for a full batch) plus the noise σεₜ.
    pub given_norm: f64,
    /// cos∠(g, ∇f): 1 for a full batch without noise; near 0 when the minibatch's
    /// direction says little about the full loss's.
    pub given_cosine: f64,
    /// ‖θₜ₊₁ − θₜ‖.
    pub step_norm: f64,
    /// cos∠(θₜ₊₁ − θₜ, −∇f): 1 for full-batch gradient descent.
    pub step_cosine: f64,
    /// Each buffer's Euclidean norm after the step, named as the rule names it (b, m, v, s…).
    pub buffers: Vec<(&'static str, f64)>,
    /// The rule's scalars after the step (t, α, pairs).
    pub scalars: Vec<(&'static str, f64)>,
    /// Adaptive methods: the spread of the per-weight learning rates ηᵢ of the step.
    pub effective_lr: Option<Spread>,
    /// Quasi-Newton methods and Newton: ‖−H⁻¹∇f‖, the model's step before lr or α.
    pub model_step_norm: Option<f64>,
}

/// cos∠(a, b), 0 when either is zero or the angle is not finite.
fn cosine(a: &PN, b: &PN) -> f64 {
    let c = a.dot(b) / (a.norm() * b.norm());
    if c.is_finite() { c } else { 0.0 }
}

impl StepSummary {
    /// The summary of the step from `from` to `to`, where the full gradient is `grad`, the
    /// optimizer was given `given`, and its state afterwards is `state`.
    pub fn new(from: &PN, to: &PN, grad: &PN, given: &PN, state: &State<PN>) -> Self {
        let step = to - from;
        Self {
            given_norm: given.norm(),
            given_cosine: cosine(given, grad),
            step_norm: step.norm(),
            step_cosine: -cosine(&step, grad),
            buffers: state.buffers.iter().map(|(n, v)| (*n, v.norm())).collect(),
            scalars: state.scalars.clone(),
            effective_lr: state
                .effective_lr
                .as_ref()
                .and_then(|eta| Spread::of(eta.as_slice())),
            model_step_norm: state.model_step.as_ref().map(Vector::norm),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spread_is_the_minimum_median_and_maximum() {
        let s = Spread::of(&[3.0, -1.0, 7.0, 2.0, 5.0]).unwrap();
        assert_eq!((s.min, s.median, s.max), (-1.0, 3.0, 7.0));
        let even = Spread::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!((even.min, even.median, even.max), (1.0, 3.0, 4.0));
        assert_eq!(Spread::of(&[1.0, f64::NAN]), None);
        assert_eq!(Spread::of(&[]), None);
    }

    #[test]
    fn a_summary_measures_lengths_and_angles_with_steepest_descent() {
        let from = PN::from_vec(vec![1.0, 1.0]);
        let grad = PN::from_vec(vec![2.0, 0.0]);
        // A step straight down the gradient, and a given gradient at 90° to the true one.
        let to = PN::from_vec(vec![0.0, 1.0]);
        let given = PN::from_vec(vec![0.0, 3.0]);
        let state = State {
            buffers: vec![("m", PN::from_vec(vec![3.0, 4.0]))],
            scalars: vec![("t", 1.0)],
            ..State::default()
        };
        let s = StepSummary::new(&from, &to, &grad, &given, &state);
        assert_eq!((s.step_norm, s.step_cosine), (1.0, 1.0));
        assert_eq!((s.given_norm, s.given_cosine), (3.0, 0.0));
        assert_eq!(s.buffers, [("m", 5.0)]);
        assert_eq!(s.scalars, [("t", 1.0)]);
        assert_eq!(s.effective_lr, None);
        // A zero gradient has no angle.
        let zero = PN::zeros(2);
        assert_eq!(
            StepSummary::new(&from, &to, &zero, &zero, &state).step_cosine,
            0.0
        );
    }

    #[test]
    fn a_summarized_training_is_the_plain_one_with_each_step_summarized() {
        use crate::train::{NetRecord, TrainSpec};
        let spec = TrainSpec {
            model: "mlp:hidden=4".into(),
            data: "moons:n=40".into(),
            optimizers: vec![
                "adam:lr=0.05".into(),
                "momentum:lr=0.1,momentum=0.9,batch=8".into(),
            ],
            steps: 6,
            ..TrainSpec::default()
        };
        let training = spec.build().unwrap();
        let plain: Vec<NetRecord> = training.records().collect();
        let summarized: Vec<NetRecord> = training.records_summarized().collect();
        assert_eq!(plain.len(), summarized.len());
        for (p, s) in plain.iter().zip(&summarized) {
            let without = NetRecord {
                summary: None,
                ..s.clone()
            };
            assert_eq!(*p, without, "a summary changes nothing else");
            assert_eq!(s.summary.is_some(), !s.last, "step {} of {}", s.step, s.run);
        }
        let run = |r: usize| summarized.iter().filter(move |s| s.run == r);
        let adam: Vec<&NetRecord> = run(0).collect();
        let n = adam[0].parameters.len() as f64;
        for pair in adam.windows(2) {
            let s = pair[0].summary.as_deref().unwrap();
            let moved = (&pair[1].parameters - &pair[0].parameters).norm();
            assert!((s.step_norm - moved).abs() <= 1e-15 * moved.max(1.0));
            // Full batch, no noise: the optimizer was given ∇f itself.
            assert!((s.given_norm - pair[0].grad_norm).abs() <= 1e-12 * s.given_norm);
            assert!((s.given_cosine - 1.0).abs() < 1e-12, "{}", s.given_cosine);
            assert_eq!(
                s.buffers.iter().map(|b| b.0).collect::<Vec<_>>(),
                ["m", "v"]
            );
            assert!(
                s.effective_lr
                    .is_some_and(|e| e.min <= e.median && e.median <= e.max)
            );
        }
        // Adam's first step moves every weight by lr (m̂/√v̂ = sign g): ‖Δθ‖ = lr·√n.
        let first = adam[0].summary.as_deref().unwrap();
        assert!(
            (first.step_norm - 0.05 * n.sqrt()).abs() < 1e-6,
            "{}",
            first.step_norm
        );
        // Minibatches of 8 out of 40: the given gradient is not the full one.
        let cosines: Vec<f64> = run(1)
            .filter_map(|r| r.summary.as_deref().map(|s| s.given_cosine))
            .collect();
        assert!(
            cosines.iter().all(|c| *c < 1.0 - 1e-6 && *c > -1.0),
            "{cosines:?}"
        );
        assert!(
            run(1)
                .filter_map(|r| r.summary.as_deref())
                .all(|s| s.buffers[0].0 == "b")
        );
    }
}
