//! Phase diagrams: one run per cell of a grid over two hyperparameters of one racer, each
//! marked with how it ended and the steps it took to reach the tolerance, beside the
//! theory's stability limit where one exists (see [`crate::curvature::lr_limit`]).

use serde::Serialize;

use super::{Batch, Ending, Progress, RunSetup, run_batch};
use crate::P2;
use crate::curvature::{Curvature, lr_limit};
use crate::optim::{OptimizerEntry, OptimizerSpec};
use crate::spec::{Kind, SpecError, Value, spec_err};

/// The cells a phase diagram asks for: every run starts at `start` under noise seed `seed`,
/// with the two hyperparameters at a cell's centre on an `n × n` grid over the axes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhaseGrid {
    pub seed: u64,
    pub start: P2,
    pub x: Axis,
    pub y: Axis,
    /// Cells per side.
    pub n: usize,
}

/// One axis of a phase diagram: a real hyperparameter over [min, max], linear or logarithmic.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Axis {
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
    pub log: bool,
}

impl Axis {
    /// Parse `NAME:MIN:MAX[:log]` for an optimizer: NAME one of its real hyperparameters,
    /// MIN < MAX both accepted by it, MIN > 0 on a log axis.
    pub fn parse(text: &str, entry: &OptimizerEntry) -> Result<Self, SpecError> {
        let parts: Vec<&str> = text.trim().split(':').map(str::trim).collect();
        let form = "NAME:MIN:MAX or NAME:MIN:MAX:log, e.g. lr:1e-3:1:log";
        let (name, min, max, log) = match parts[..] {
            [n, a, b] => (n, a, b, false),
            [n, a, b, "log"] => (n, a, b, true),
            _ => return Err(spec_err!("axis '{text}': expected {form}")),
        };
        let num = |s: &str| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| spec_err!("axis '{text}': '{s}' is not a finite number ({form})"))
        };
        let (min, max) = (num(min)?, num(max)?);
        Self::new(name, min, max, log, entry).map_err(|e| spec_err!("axis '{text}': {}", e.0))
    }

    /// An axis over `name` of `entry`, checked as [`Axis::parse`] checks it.
    pub fn new(
        name: &str,
        min: f64,
        max: f64,
        log: bool,
        entry: &OptimizerEntry,
    ) -> Result<Self, SpecError> {
        let reals = || {
            entry
                .params
                .iter()
                .filter(|p| matches!(p.kind, Kind::Real { .. }))
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(param) = entry.params.iter().find(|p| p.name == name) else {
            return Err(spec_err!(
                "{} has no hyperparameter '{name}' (numeric ones: {})",
                entry.name,
                reals()
            ));
        };
        let Kind::Real { range, .. } = param.kind else {
            return Err(spec_err!(
                "'{name}' of {} is not a real number (numeric ones: {})",
                entry.name,
                reals()
            ));
        };
        if min.partial_cmp(&max) != Some(std::cmp::Ordering::Less) {
            return Err(spec_err!("the range needs MIN < MAX, got {min} ≥ {max}"));
        }
        if log && min <= 0.0 {
            return Err(spec_err!("a log axis needs MIN > 0, got {min}"));
        }
        for v in [min, max] {
            if !range.contains(v) {
                return Err(spec_err!("{name} = {v} is outside {name}'s range {range}"));
            }
        }
        Ok(Self {
            name: param.name,
            min,
            max,
            log,
        })
    }

    /// The value at position `f` ∈ [0, 1] along the axis.
    pub fn at(&self, f: f64) -> f64 {
        if self.log {
            (self.min.ln() + f * (self.max.ln() - self.min.ln())).exp()
        } else {
            self.min + f * (self.max - self.min)
        }
    }

    /// The position of value `v` along the axis (0 at min, 1 at max; outside for values outside).
    pub fn position(&self, v: f64) -> f64 {
        if self.log {
            (v.ln() - self.min.ln()) / (self.max.ln() - self.min.ln())
        } else {
            (v - self.min) / (self.max - self.min)
        }
    }

    /// The centre of cell `i` of `n`.
    pub fn centre(&self, i: usize, n: usize) -> f64 {
        self.at((i as f64 + 0.5) / n as f64)
    }

    /// The default axes of an optimizer: lr on a log axis around its current value × its
    /// momentum (SGD family, RMSprop) or β₁ (Adam-like); lr × its first other real
    /// hyperparameter otherwise; `None` when it has only lr.
    pub fn defaults(spec: &OptimizerSpec) -> Option<(Self, Self)> {
        let entry = spec.entry;
        let lr = spec.lr().max(1e-5);
        let x = Self::new("lr", lr / 100.0, (lr * 100.0).min(10.0), true, entry).ok()?;
        let y = ["momentum", "beta1"]
            .iter()
            .find_map(|n| Self::new(n, 0.0, 0.99, false, entry).ok())
            .or_else(|| {
                entry.params.iter().find_map(|p| match p.kind {
                    Kind::Real { range, .. } if p.name != "lr" => {
                        let d = spec.args.real(p.name);
                        let (lo, hi) = if d > 0.0 {
                            (d / 10.0, d * 10.0)
                        } else {
                            (0.0, 1.0)
                        };
                        let lo = if range.contains(lo) { lo } else { d };
                        let hi = if range.contains(hi) { hi } else { d };
                        Self::new(p.name, lo, hi, d > 0.0, entry).ok()
                    }
                    _ => None,
                })
            })?;
        Some((x, y))
    }
}

/// One cell of a phase diagram.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PhaseCell {
    /// The two hyperparameters' values (the cell's centre).
    pub values: [f64; 2],
    pub outcome: Ending,
    /// The first step with ‖∇f‖ < tol.
    pub steps: Option<u64>,
    /// Evaluations spent before that step.
    pub evals: Option<u64>,
    pub loss: f64,
}

/// A phase diagram: `n × n` cells, row-major from the bottom row (y = min) up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseDiagram {
    pub x: Axis,
    pub y: Axis,
    pub n: usize,
    /// The step budget of every run.
    pub steps: u64,
    pub tol: f64,
    pub cells: Vec<PhaseCell>,
    /// The theory's stability limit as a curve of (x, y) values, where one is known: for the
    /// SGD family on its curvature λmax at the known minimum nearest the start, lr < limit
    /// (2/λ for GD, 2(1+μ)/λ for heavy ball, the Nesterov form). Empty otherwise.
    pub boundary: Vec<[f64; 2]>,
    /// The racer's own setting on the two axes.
    pub current: [f64; 2],
}

impl PhaseDiagram {
    /// Whether the optimizer accepts the settings of an `n × n` grid over these axes (e.g.
    /// Nesterov needs momentum > 0 and dampening 0): its constraints are bounds, so the
    /// corner cells decide.
    pub fn check(spec: &OptimizerSpec, x: Axis, y: Axis, n: usize) -> Result<(), SpecError> {
        if n == 0 {
            return Err(spec_err!("the grid needs at least 1 cell per side, got 0"));
        }
        let mut args = spec.args.clone();
        for (i, j) in [(0, 0), (0, n - 1), (n - 1, 0), (n - 1, n - 1)] {
            args.set(x.name, Value::Real(x.centre(i, n)));
            args.set(y.name, Value::Real(y.centre(j, n)));
            spec.entry.check(&args)?;
        }
        Ok(())
    }

    /// Run the batch's racer from the grid's start (noise seed `seed`) at the centre of every
    /// cell; the axes should have passed [`PhaseDiagram::check`]. `None` when cancelled.
    pub fn compute(
        batch: &Batch,
        grid: PhaseGrid,
        threads: usize,
        progress: &Progress,
    ) -> Option<Self> {
        let PhaseGrid {
            seed,
            start,
            x,
            y,
            n,
        } = grid;
        let values = |k: usize| [x.centre(k % n, n), y.centre(k / n, n)];
        let setup = |k: usize| {
            let [a, b] = values(k);
            RunSetup {
                start,
                seed,
                overrides: vec![(x.name, Value::Real(a)), (y.name, Value::Real(b))],
            }
        };
        let outcomes = run_batch(batch, n * n, &setup, threads, progress)?;
        let cells = outcomes
            .iter()
            .enumerate()
            .map(|(k, o)| PhaseCell {
                values: values(k),
                outcome: Ending::classify(o, &batch.landscape, batch.tol),
                steps: o.steps_to_tol,
                evals: o.evals_to_tol,
                loss: o.last.loss,
            })
            .collect();
        let args = &batch.optimizer.args;
        Some(Self {
            x,
            y,
            n,
            steps: batch.steps,
            tol: batch.tol,
            cells,
            boundary: boundary(batch, start, x, y),
            current: [args.real(x.name), args.real(y.name)],
        })
    }

    /// The cell containing the values `[x, y]`, if inside.
    pub fn cell_at(&self, v: [f64; 2]) -> Option<&PhaseCell> {
        let (fx, fy) = (self.x.position(v[0]), self.y.position(v[1]));
        if !((0.0..1.0).contains(&fx) && (0.0..1.0).contains(&fy)) {
            return None;
        }
        let n = self.n as f64;
        self.cells
            .get((fy * n) as usize * self.n + (fx * n) as usize)
    }
}

/// Samples along the boundary curve.
const BOUNDARY_SAMPLES: usize = 129;

/// The theory's limit lr < L(other hyperparameter) drawn over an (lr, h) or (h, lr) diagram,
/// on the curvature at the known minimum nearest `start`. A point is kept only where the
/// optimizer accepts the setting and the limit lies on the lr axis's span.
fn boundary(batch: &Batch, start: P2, x: Axis, y: Axis) -> Vec<[f64; 2]> {
    let lr_is_x = match (x.name, y.name) {
        ("lr", _) => true,
        (_, "lr") => false,
        _ => return Vec::new(),
    };
    let (lr_axis, other) = if lr_is_x { (x, y) } else { (y, x) };
    let land = &batch.landscape;
    let Some(minimum) = land
        .critical
        .iter()
        .filter(|c| c.is_minimum())
        .min_by(|a, b| {
            (a.point() - start)
                .norm()
                .total_cmp(&(b.point() - start).norm())
        })
    else {
        return Vec::new();
    };
    let lambda = Curvature::at(land.surface.as_ref(), minimum.point()).lambda_max();
    let mut spec = batch.optimizer.clone();
    (0..BOUNDARY_SAMPLES)
        .filter_map(|k| {
            let h = other.at(k as f64 / (BOUNDARY_SAMPLES - 1) as f64);
            spec.args.set(other.name, Value::Real(h));
            spec.entry.check(&spec.args).ok()?;
            let limit = lr_limit(&spec, lambda)?;
            let f = lr_axis.position(limit);
            (0.0..=1.0)
                .contains(&f)
                .then_some(if lr_is_x { [limit, h] } else { [h, limit] })
        })
        .collect()
}
