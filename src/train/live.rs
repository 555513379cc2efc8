//! A training watched as it runs (the app trains off its UI thread): every racer advanced
//! together in stretches, each record measured (accuracy, the test split) as it comes, and
//! the sharpness at a few checkpoints once the paths are complete. What is published after
//! each stretch is a [`Trajectories`] snapshot; the parameters are shared, not copied, so a
//! snapshot costs a few pointers per step.

use std::sync::Arc;

use super::slice::PathPoint;
use super::summary::StepSummary;
use super::{NetRecord, NetRun, Training};
use crate::race::{Interleaved, Status};
use crate::space::PN;

/// One racer's record at one step, measured.
#[derive(Clone, Debug)]
pub struct LivePoint {
    pub step: u64,
    /// The full-batch training loss.
    pub loss: f64,
    pub grad_norm: f64,
    pub lr: f64,
    pub epoch: f64,
    pub samples: u64,
    pub status: Status,
    /// Over the training points; `None` for regression or non-finite parameters.
    pub accuracy: Option<f64>,
    pub test_loss: Option<f64>,
    pub test_accuracy: Option<f64>,
    pub parameters: Arc<PN>,
    /// What the step leaving this point did (`None` at a run's last point).
    pub summary: Option<Arc<StepSummary>>,
}

/// The point a timeline at `step` shows: the last one at or before it (points are in step
/// order; `None` before the first).
pub fn shown_at(points: &[LivePoint], step: u64) -> Option<&LivePoint> {
    points[..points.partition_point(|p| p.step <= step)].last()
}

/// Every racer's points so far, and the sharpness measured at checkpoints.
#[derive(Clone, Debug, Default)]
pub struct Trajectories {
    /// Per racer (the training's order), its points from step 0.
    pub runs: Vec<Vec<LivePoint>>,
    /// Per racer, (step, λmax of the full-batch Hessian) at checkpoints.
    pub sharpness: Vec<Vec<(u64, f64)>>,
    /// Every racer has reached its last step (or ended early).
    pub complete: bool,
}

impl Trajectories {
    /// The paths as the slice takes them.
    pub fn path_points(&self) -> Vec<Vec<PathPoint<'_>>> {
        self.runs
            .iter()
            .map(|run| {
                run.iter()
                    .map(|p| PathPoint {
                        parameters: &p.parameters,
                        loss: p.loss,
                        status: p.status,
                    })
                    .collect()
            })
            .collect()
    }

    /// The most steps any racer has so far.
    pub fn steps_done(&self) -> u64 {
        self.runs
            .iter()
            .filter_map(|r| r.last().map(|p| p.step))
            .max()
            .unwrap_or(0)
    }
}

/// A training under way: its records still to come and the points so far.
pub struct LiveTraining {
    training: Arc<Training>,
    records: std::iter::Peekable<Interleaved<NetRun>>,
    so_far: Trajectories,
}

impl LiveTraining {
    pub fn new(training: Arc<Training>) -> Self {
        let racers = training.optimizers().len();
        let records = training.records_summarized().peekable();
        Self {
            training,
            records,
            so_far: Trajectories {
                runs: vec![Vec::new(); racers],
                sharpness: vec![Vec::new(); racers],
                complete: false,
            },
        }
    }

    /// Take and measure every record up to step `until` (inclusive); returns whether more
    /// steps remain.
    pub fn advance(&mut self, until: u64) -> bool {
        while let Some(record) = self.records.next_if(|r| r.step <= until) {
            let point = self.measured(record);
            self.so_far.runs[point.0].push(point.1);
        }
        let more = self.records.peek().is_some();
        self.so_far.complete = !more;
        more
    }

    fn measured(&self, record: NetRecord) -> (usize, LivePoint) {
        let m = self.training.measure(&record, false);
        let point = LivePoint {
            step: record.step,
            loss: record.loss,
            grad_norm: record.grad_norm,
            lr: record.lr,
            epoch: record.epoch,
            samples: record.samples,
            status: record.status,
            accuracy: m.accuracy,
            test_loss: m.test_loss,
            test_accuracy: m.test_accuracy,
            parameters: Arc::new(record.parameters),
            summary: record.summary,
        };
        (record.run, point)
    }

    /// Measure the sharpness (Lanczos on exact Hessian-vector products, to a plot's
    /// precision) of every racer at about `checkpoints` evenly spaced steps; stops early when
    /// `cancelled` says so.
    pub fn measure_sharpness(&mut self, checkpoints: usize, cancelled: impl Fn() -> bool) {
        for (run, points) in self.so_far.runs.iter().enumerate() {
            let stride = points.len().div_ceil(checkpoints.max(1)).max(1);
            let mut marks = Vec::new();
            for point in points.iter().step_by(stride) {
                if cancelled() {
                    return;
                }
                if point.status == Status::Diverged {
                    break;
                }
                if let Some(max) = self.training.sharpness(&point.parameters) {
                    marks.push((point.step, max));
                }
            }
            self.so_far.sharpness[run] = marks;
        }
    }

    /// The points so far (the parameters shared, not copied).
    pub fn snapshot(&self) -> Trajectories {
        self.so_far.clone()
    }

    pub fn training(&self) -> &Arc<Training> {
        &self.training
    }
}

/// The steps after which a live training publishes its points: 10 first (a path on screen
/// at once), then stretches growing ×2.5 up to `steps`.
pub fn stretches(steps: u64) -> Vec<u64> {
    let mut ends = Vec::new();
    let mut end = 10u64;
    while end < steps {
        ends.push(end);
        end = (end as f64 * 2.5).ceil() as u64;
    }
    ends.push(steps);
    ends
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::TrainSpec;

    #[test]
    fn a_live_training_publishes_the_records_the_training_yields() {
        let spec = TrainSpec {
            model: "mlp:hidden=4".into(),
            data: "moons:n=40".into(),
            optimizers: vec!["gd:lr=0.5".into(), "adam:lr=0.05".into()],
            steps: 30,
            test: Some(0.25),
            ..TrainSpec::default()
        };
        let training = Arc::new(spec.build().unwrap());
        let mut live = LiveTraining::new(Arc::clone(&training));
        assert_eq!(stretches(30), [10, 25, 30]);
        assert!(live.advance(10));
        let early = live.snapshot();
        assert_eq!(early.runs[1].len(), 11);
        assert!(!early.complete);
        assert!(!live.advance(30));
        live.measure_sharpness(4, || false);
        let done = live.snapshot();
        assert!(done.complete && done.steps_done() == 30);
        assert_eq!(done.sharpness[0].len(), 4, "{:?}", done.sharpness);
        let records: Vec<NetRecord> = training.records().filter(|r| r.run == 1).collect();
        let exact = training.measure(&records[8], true).sharpness.unwrap().0;
        let plotted = done.sharpness[1].iter().find(|(s, _)| *s == 8).unwrap().1;
        assert!(
            (plotted - exact).abs() <= 1e-5 * exact,
            "{plotted} vs {exact}"
        );
        for (point, record) in done.runs[1].iter().zip(&records) {
            assert_eq!(point.loss.to_bits(), record.loss.to_bits());
            assert_eq!(*point.parameters, record.parameters);
        }
        assert!(done.runs[0][30].test_loss.is_some());
        assert_eq!(shown_at(&done.runs[0], 12).map(|p| p.step), Some(12));
        assert_eq!(shown_at(&done.runs[0], 99).map(|p| p.step), Some(30));
        assert!(shown_at(&[], 3).is_none());
        // The early snapshot still holds its own points.
        assert_eq!(early.runs[0].len(), 11);
    }
}
