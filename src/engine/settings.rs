//! Which map over many runs a scene shows, and with what settings: the scene's optional
//! `map` field, and what `descent map` reads from its flags.

use serde::{Deserialize, Serialize};

use super::basins::BasinMap;
use super::cloud::{Cloud, MAX_COPIES};
use super::phase::{Axis, PhaseDiagram, PhaseGrid};
use super::{Batch, Progress};
use crate::race::Race;
use crate::spec::{SpecError, spec_err};

/// The three maps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MapKind {
    /// Where each start on a grid over the view ends.
    #[default]
    Basins,
    /// Steps to tolerance over a grid of two hyperparameters.
    Phase,
    /// K seeded copies of every racer under gradient noise.
    Cloud,
}

/// Most cells per side of a basin map or phase diagram.
pub const MAX_GRID: usize = 1024;
/// Most steps all runs of one map may take together (cells × steps): minutes of work.
pub const MAX_MAP_STEPS: u64 = 1 << 34;

/// A map's settings, as a scene's `map: Some((kind: phase, x: Some("lr:1e-3:1:log")))`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapSettings {
    pub kind: MapKind,
    /// The racer mapped (basins, phase), as an index among the enabled racers.
    pub racer: usize,
    /// Cells per side (basins, phase).
    pub grid: usize,
    /// The phase diagram's axes, `NAME:MIN:MAX[:log]`; `None` for the racer's defaults
    /// (lr on a log axis × momentum or β₁).
    pub x: Option<String>,
    pub y: Option<String>,
    /// The cloud's copies K.
    pub copies: usize,
    /// The tolerance of "steps to ‖∇f‖ < tol".
    pub tol: f64,
}

impl Default for MapSettings {
    fn default() -> Self {
        Self {
            kind: MapKind::Basins,
            racer: 0,
            grid: 128,
            x: None,
            y: None,
            copies: 64,
            tol: 1e-4,
        }
    }
}

/// A computed map.
#[derive(Clone, Debug, PartialEq)]
pub enum MapResult {
    Basins(BasinMap),
    Phase(PhaseDiagram),
    Cloud(Cloud),
}

impl MapSettings {
    /// Check the settings against the race they map; the error says what is accepted.
    pub fn check(&self, race: &Race) -> Result<(), SpecError> {
        // The engine steps full batches; a minibatch racer's path depends on its batches.
        let mapped = match self.kind {
            MapKind::Cloud => 0..race.optimizers.len(),
            _ => self.racer..self.racer + 1,
        };
        for i in mapped {
            if let Some(plan) = race.batch_plan(i)
                && !plan.is_full()
            {
                return Err(spec_err!(
                    "racer {i} ({}) takes minibatches; maps over many runs step full batches \
                     (remove its batch=, or map another racer)",
                    race.optimizers[i].label
                ));
            }
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(spec_err!(
                "tol must be a finite number > 0, got {}",
                self.tol
            ));
        }
        match self.kind {
            MapKind::Basins | MapKind::Phase => {
                if !(1..=MAX_GRID).contains(&self.grid) {
                    return Err(spec_err!(
                        "grid must be a whole number in 1 ..= {MAX_GRID} (cells per side), got {}",
                        self.grid
                    ));
                }
                let n = race.optimizers.len();
                if self.racer >= n {
                    return Err(spec_err!(
                        "racer must be an index of an enabled racer, 0 ..= {}, got {}",
                        n.saturating_sub(1),
                        self.racer
                    ));
                }
                let work = (self.grid * self.grid) as u64 * race.steps;
                if work > MAX_MAP_STEPS {
                    return Err(spec_err!(
                        "grid {}² × {} steps is {work} steps, more than a map may take \
                         ({MAX_MAP_STEPS}): lower the grid or the steps",
                        self.grid,
                        race.steps
                    ));
                }
                if self.kind == MapKind::Phase {
                    let (x, y) = self.axes(race)?;
                    if x.name == y.name {
                        return Err(spec_err!("the two axes must differ, both are '{}'", x.name));
                    }
                    PhaseDiagram::check(&race.optimizers[self.racer], x, y, self.grid)?;
                }
            }
            MapKind::Cloud => {
                if !(1..=MAX_COPIES).contains(&self.copies) {
                    return Err(spec_err!(
                        "copies must be a whole number in 1 ..= {MAX_COPIES}, got {}",
                        self.copies
                    ));
                }
                let work = self.copies as u64 * race.steps * race.optimizers.len() as u64;
                if work > MAX_MAP_STEPS {
                    return Err(spec_err!(
                        "{} copies × {} steps × {} racers is more than a map may take \
                         ({MAX_MAP_STEPS} steps)",
                        self.copies,
                        race.steps,
                        race.optimizers.len()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The phase diagram's axes: those given, else the racer's defaults.
    pub fn axes(&self, race: &Race) -> Result<(Axis, Axis), SpecError> {
        let spec = race
            .optimizers
            .get(self.racer)
            .ok_or_else(|| spec_err!("racer {} does not exist", self.racer))?;
        let defaults = Axis::defaults(spec);
        let pick = |given: &Option<String>, default: Option<Axis>, which: &str| match given {
            Some(text) => Axis::parse(text, spec.entry),
            None => default.ok_or_else(|| {
                spec_err!(
                    "{} has no default {which} axis: give one as NAME:MIN:MAX[:log]",
                    spec.entry.name
                )
            }),
        };
        Ok((
            pick(&self.x, defaults.map(|d| d.0), "x")?,
            pick(&self.y, defaults.map(|d| d.1), "y")?,
        ))
    }

    /// Compute the map for `race` (checked with [`MapSettings::check`]) over `view` (the
    /// basins' grid); `None` when cancelled.
    pub fn compute(
        &self,
        race: &Race,
        view: crate::surface::Bounds,
        threads: usize,
        progress: &Progress,
    ) -> Result<Option<MapResult>, SpecError> {
        self.check(race)?;
        Ok(match self.kind {
            MapKind::Basins => {
                let batch = Batch::of_race(race, self.racer, self.tol);
                let n = [self.grid, self.grid];
                progress.announce(self.grid * self.grid);
                BasinMap::compute(&batch, race.seed, view, n, threads, progress)
                    .map(MapResult::Basins)
            }
            MapKind::Phase => {
                let batch = Batch::of_race(race, self.racer, self.tol);
                let (x, y) = self.axes(race)?;
                progress.announce(self.grid * self.grid);
                let grid = PhaseGrid {
                    seed: race.seed,
                    start: race.start,
                    x,
                    y,
                    n: self.grid,
                };
                PhaseDiagram::compute(&batch, grid, threads, progress).map(MapResult::Phase)
            }
            MapKind::Cloud => {
                progress.announce(self.copies * race.optimizers.len());
                Cloud::compute(race, self.copies, self.tol, threads, progress).map(MapResult::Cloud)
            }
        })
    }
}
