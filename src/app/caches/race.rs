//! The race of the current scene, computed by the core and laid out for drawing: every run's
//! records and the same points in the plots' types, built once per change to the race.

use std::sync::{Arc, OnceLock};

use egui::Color32;
use egui_plot::PlotPoint;

use crate::curvature::Curvature;
use crate::data::{DataKind, Dataset};
use crate::landscape::Landscape;
use crate::metrics::{DEFAULT_TOLERANCE, Metrics, Targets, summarize};
use crate::optim::OptimizerSpec;
use crate::race::{Race, RaceSpec, Record, Status, StepDetail};
use crate::scene::Scene;
use crate::spec::SpecError;
use crate::style;
use crate::surface::CriticalKind;

use super::super::theme;

/// The race of the current scene, ready to draw.
pub struct RaceView {
    pub landscape: Arc<Landscape>,
    pub runs: Vec<RunView>,
    /// The lowest known minimum, if the surface has known minima.
    pub f_star: Option<f64>,
    /// What the loss plot's gap is measured from: f*, else the lowest loss any run reached.
    pub reference: f64,
    pub start: [f64; 2],
    /// λmax of the Hessian at the global (else the first) known minimum: the curvature the
    /// lr sliders' stability marks are computed for.
    pub lambda_max: Option<f64>,
    /// The race as specs (what the maps over many runs are keyed by).
    pub spec: RaceSpec,
    race: Race,
    /// Every run's step details, computed the first time an overlay needs them.
    details: OnceLock<Vec<Vec<StepDetail>>>,
    /// The metrics table, computed the first time it is shown.
    metrics: OnceLock<Vec<Metrics>>,
    /// A data surface's points in the plots' types, built the first time they are drawn.
    data_points: OnceLock<Option<DataPoints>>,
}

/// A dataset's points ready for the data view: built once per race, drawn every frame.
pub struct DataPoints {
    /// Classification data (two classes) rather than regression pairs.
    pub classification: bool,
    /// Every point, in the dataset's order (hovering, batch rings).
    pub all: Vec<PlotPoint>,
    /// The points labelled +1 (all of them for regression).
    pub positive: Vec<PlotPoint>,
    /// The points labelled −1.
    pub negative: Vec<PlotPoint>,
    /// The box the view shows: the points' extent with a margin of 8% a side.
    pub bounds: [[f64; 2]; 2],
}

impl DataPoints {
    fn of(data: &Dataset) -> Option<Self> {
        let all: Vec<PlotPoint> = data
            .points
            .iter()
            .map(|p| PlotPoint::new(p.x, p.y))
            .collect();
        let classification = data.kind == DataKind::Classification;
        let (positive, negative) = if classification {
            let class = |label: f64| {
                data.points
                    .iter()
                    .filter(move |p| p.label == label)
                    .map(|p| PlotPoint::new(p.x, p.y))
                    .collect()
            };
            (class(1.0), class(-1.0))
        } else {
            (all.clone(), Vec::new())
        };
        let extent = |coordinate: fn(&PlotPoint) -> f64| {
            let (lo, hi) = all
                .iter()
                .map(coordinate)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                });
            let margin = ((hi - lo) * 0.08).max(1e-9 * hi.abs().max(1.0));
            [lo - margin, hi + margin]
        };
        let bounds = [extent(|p| p.x), extent(|p| p.y)];
        bounds
            .iter()
            .flatten()
            .all(|v| v.is_finite())
            .then_some(Self {
                classification,
                all,
                positive,
                negative,
                bounds,
            })
    }
}

impl RaceView {
    /// Whether this is `scene`'s race already: the same race spec, and every run the same
    /// racer in the same colour (an edit of the overlays, the view or the layout keeps it).
    pub fn serves(&self, scene: &Scene) -> bool {
        let Ok((spec, indices)) = scene.race_spec() else {
            return false;
        };
        spec == self.spec
            && indices.len() == self.runs.len()
            && indices.iter().zip(&self.runs).all(|(&racer, run)| {
                run.racer == racer
                    && scene
                        .racers
                        .get(racer)
                        .is_some_and(|r| theme::rgb(r.color_at(racer)) == run.color)
            })
    }

    /// Run the scene's race in the core.
    pub fn compute(scene: &Scene) -> Result<Self, SpecError> {
        profiling::function_scope!();
        let (spec, indices) = scene.race_spec()?;
        let race = spec.build()?;
        let f_star = race
            .landscape
            .critical
            .iter()
            .filter(|c| c.is_minimum())
            .map(|c| c.f)
            .reduce(f64::min);
        let paths = race.trajectories();
        let reference = f_star.unwrap_or_else(|| {
            paths
                .iter()
                .flatten()
                .map(|r| r.loss)
                .filter(|f| f.is_finite())
                .fold(f64::INFINITY, f64::min)
        });
        let targets = Targets::of(&race.landscape);
        let runs = paths
            .into_iter()
            .zip(&indices)
            .enumerate()
            .map(|(run, (records, &racer))| {
                let color = theme::rgb(scene.racers[racer].color_at(racer));
                let label = race.label(run);
                RunView::new((racer, run), label, color, records, reference, &targets)
            })
            .collect();
        let critical = &race.landscape.critical;
        let lambda_max = critical
            .iter()
            .find(|c| c.kind == CriticalKind::GlobalMinimum)
            .or_else(|| critical.iter().find(|c| c.is_minimum()))
            .map(|c| Curvature::at(race.landscape.surface.as_ref(), c.point()).lambda_max())
            .filter(|l| l.is_finite() && *l > 0.0);
        Ok(Self {
            start: [race.start.x, race.start.y],
            landscape: Arc::clone(&race.landscape),
            runs,
            f_star,
            reference,
            lambda_max,
            spec,
            race,
            details: OnceLock::new(),
            metrics: OnceLock::new(),
            data_points: OnceLock::new(),
        })
    }

    /// Every run's step details (the forces the overlays draw), computed once per race.
    pub fn details(&self) -> &[Vec<StepDetail>] {
        self.details
            .get_or_init(|| (0..self.runs.len()).map(|i| self.race.details(i)).collect())
    }

    /// The metrics table at the default tolerance, computed once per race.
    pub fn metrics(&self) -> &[Metrics] {
        self.metrics
            .get_or_init(|| summarize(&self.race, DEFAULT_TOLERANCE))
    }

    /// A data surface's points ready to draw (`None` on an analytic surface).
    pub fn data_points(&self) -> Option<&DataPoints> {
        self.data_points
            .get_or_init(|| DataPoints::of(&self.landscape.data.as_ref()?.data))
            .as_ref()
    }

    /// The race itself.
    pub fn race(&self) -> &Race {
        &self.race
    }

    /// The optimizer spec of run `run`.
    pub fn optimizer(&self, run: usize) -> &OptimizerSpec {
        &self.race.optimizers[run]
    }
}

/// One run ready to draw: its records and the same points in the plots' types.
pub struct RunView {
    /// Index of the racer in the scene.
    pub racer: usize,
    /// Index of the run in the race (and in its step details).
    pub run: usize,
    pub label: String,
    pub color: Color32,
    pub records: Vec<Record>,
    pub path: Vec<PlotPoint>,
    /// (step, log₁₀(f − f*)) for the loss plot.
    pub gap: Vec<PlotPoint>,
    /// (step, lr) for the schedule plot.
    pub lr: Vec<PlotPoint>,
    /// (step, log₁₀‖∇f‖) for the gradient-norm plot.
    pub grad: Vec<PlotPoint>,
    /// (step, log₁₀ distance to the nearest known minimum), empty when none is known.
    pub distance: Vec<PlotPoint>,
}

impl RunView {
    pub fn new(
        (racer, run): (usize, usize),
        label: String,
        color: Color32,
        records: Vec<Record>,
        f_star: f64,
        targets: &Targets,
    ) -> Self {
        let log = |v: f64| v.clamp(1e-16, 1e300).log10();
        let grad = records
            .iter()
            .filter(|r| r.grad_norm.is_finite())
            .map(|r| PlotPoint::new(r.step as f64, log(r.grad_norm)))
            .collect();
        let distance = records
            .iter()
            .filter_map(|r| {
                Some(PlotPoint::new(
                    r.step as f64,
                    log(targets.distance(r.point())?),
                ))
            })
            .filter(|p| p.y.is_finite())
            .collect();
        let path = records.iter().map(|r| PlotPoint::new(r.x, r.y)).collect();
        let gap = records
            .iter()
            .map(|r| PlotPoint::new(r.step as f64, log_gap(r.loss, f_star)))
            .collect();
        let lr = records
            .iter()
            .map(|r| PlotPoint::new(r.step as f64, r.lr))
            .collect();
        Self {
            racer,
            run,
            label,
            color,
            records,
            path,
            gap,
            lr,
            grad,
            distance,
        }
    }

    /// How many records are visible at timeline step `step` (runs that ended earlier show
    /// all of theirs).
    pub fn shown(&self, step: u64) -> usize {
        usize::try_from(step.saturating_add(1))
            .map_or(self.records.len(), |n| n.min(self.records.len()))
    }

    /// The record the timeline shows at `step`.
    pub fn current(&self, step: u64) -> &Record {
        &self.records[self.shown(step) - 1]
    }

    /// Where the run ended early, if it did: the status and the step.
    pub fn ending(&self) -> Option<(Status, u64)> {
        style::ending(&self.records)
    }

    /// The ending the timeline has reached at `step`, if any.
    pub fn ended_by(&self, step: u64) -> Option<(Status, u64)> {
        self.ending()
            .filter(|_| self.shown(step) == self.records.len())
    }

    /// The legend label: the spec, and how the run ended if it ended early.
    pub fn legend(&self) -> String {
        style::legend_label(&self.label, self.ending())
    }
}

/// log₁₀ of the optimality gap f − f*, floored at 10⁻¹⁶ (and at 10³⁰⁰ for overflow), so a
/// log axis can show it.
pub fn log_gap(loss: f64, f_star: f64) -> f64 {
    let gap = loss - f_star;
    if gap.is_nan() {
        300.0
    } else {
        gap.clamp(1e-16, 1e300).log10()
    }
}
