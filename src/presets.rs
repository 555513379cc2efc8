//! The classroom presets (the files in `presets/`), built into the program so the app's
//! Presets menu works wherever it is installed.

use crate::scene::Scene;
use crate::spec::SpecError;

/// (file name, RON text) of every preset, in lesson order.
pub static PRESETS: &[(&str, &str)] = &[
    (
        "01-learning-rate.ron",
        include_str!("../presets/01-learning-rate.ron"),
    ),
    (
        "02-canyon-momentum.ron",
        include_str!("../presets/02-canyon-momentum.ron"),
    ),
    (
        "03-nesterov.ron",
        include_str!("../presets/03-nesterov.ron"),
    ),
    (
        "04-saddle-noise.ron",
        include_str!("../presets/04-saddle-noise.ron"),
    ),
    (
        "05-saddle-momentum.ron",
        include_str!("../presets/05-saddle-momentum.ron"),
    ),
    (
        "06-two-wells.ron",
        include_str!("../presets/06-two-wells.ron"),
    ),
    (
        "07-himmelblau.ron",
        include_str!("../presets/07-himmelblau.ron"),
    ),
    (
        "08-rosenbrock-first-order.ron",
        include_str!("../presets/08-rosenbrock-first-order.ron"),
    ),
    (
        "09-adagrad-shrinks.ron",
        include_str!("../presets/09-adagrad-shrinks.ron"),
    ),
    (
        "10-adam-bias-correction.ron",
        include_str!("../presets/10-adam-bias-correction.ron"),
    ),
    (
        "11-schedule-step.ron",
        include_str!("../presets/11-schedule-step.ron"),
    ),
    (
        "12-schedule-cosine.ron",
        include_str!("../presets/12-schedule-cosine.ron"),
    ),
    (
        "13-schedule-warmup.ron",
        include_str!("../presets/13-schedule-warmup.ron"),
    ),
    (
        "14-second-order.ron",
        include_str!("../presets/14-second-order.ron"),
    ),
    (
        "15-newton-saddle.ron",
        include_str!("../presets/15-newton-saddle.ron"),
    ),
    (
        "16-l2-regularization.ron",
        include_str!("../presets/16-l2-regularization.ron"),
    ),
    (
        "17-batch-size.ron",
        include_str!("../presets/17-batch-size.ron"),
    ),
    (
        "18-outliers-huber.ron",
        include_str!("../presets/18-outliers-huber.ron"),
    ),
    (
        "19-newton-regression.ron",
        include_str!("../presets/19-newton-regression.ron"),
    ),
    (
        "20-hinge-logistic.ron",
        include_str!("../presets/20-hinge-logistic.ron"),
    ),
    (
        "21-separable-logistic.ron",
        include_str!("../presets/21-separable-logistic.ron"),
    ),
    (
        "22-l1-sparsity.ron",
        include_str!("../presets/22-l1-sparsity.ron"),
    ),
    ("23-shuffle.ron", include_str!("../presets/23-shuffle.ron")),
    (
        "24-lbfgs-minibatch.ron",
        include_str!("../presets/24-lbfgs-minibatch.ron"),
    ),
    (
        "25-newton-basins.ron",
        include_str!("../presets/25-newton-basins.ron"),
    ),
    (
        "26-two-well-basins.ron",
        include_str!("../presets/26-two-well-basins.ron"),
    ),
    (
        "27-heavy-ball-phase.ron",
        include_str!("../presets/27-heavy-ball-phase.ron"),
    ),
    (
        "28-sgd-cloud-schedule.ron",
        include_str!("../presets/28-sgd-cloud-schedule.ron"),
    ),
    (
        "29-spirals-optimizers.ron",
        include_str!("../presets/29-spirals-optimizers.ron"),
    ),
    (
        "30-edge-of-stability.ron",
        include_str!("../presets/30-edge-of-stability.ron"),
    ),
    (
        "31-initialization.ron",
        include_str!("../presets/31-initialization.ron"),
    ),
    (
        "32-random-slice.ron",
        include_str!("../presets/32-random-slice.ron"),
    ),
    (
        "33-batch-size-network.ron",
        include_str!("../presets/33-batch-size-network.ron"),
    ),
    (
        "34-linear-interpolation.ron",
        include_str!("../presets/34-linear-interpolation.ron"),
    ),
    (
        "35-circles-hidden-layer.ron",
        include_str!("../presets/35-circles-hidden-layer.ron"),
    ),
    (
        "36-softmax-regression.ron",
        include_str!("../presets/36-softmax-regression.ron"),
    ),
];

/// Parse the preset called `file`.
pub fn load(file: &str) -> Result<Scene, SpecError> {
    let (name, text) = PRESETS
        .iter()
        .find(|(name, _)| *name == file)
        .ok_or_else(|| SpecError(format!("no preset named {file}")))?;
    Scene::from_ron(text, &format!("presets/{name}"))
}

/// Every preset, parsed.
pub fn all() -> Vec<(&'static str, Result<Scene, SpecError>)> {
    PRESETS
        .iter()
        .map(|(name, _)| (*name, load(name)))
        .collect()
}
