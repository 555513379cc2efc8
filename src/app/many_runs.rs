//! The maps over many runs beside the race — the phase diagram's tab and the noise cloud —
//! kept up to date each frame, and what their panels ask of the scene: a clicked cell of the
//! phase diagram becomes the racer's setting (through the same checks as any edit), another
//! axis or racer becomes the scene's map settings.

use super::DescentApp;
use super::panels::phase::{PhasePick, axis_text};
use crate::optim::OptimizerSpec;
use crate::scene::Scene;
use crate::spec::Value;

impl DescentApp {
    /// Start, keep or drop the phase diagram's and the cloud's jobs for the scene, and take
    /// their newest passes.
    pub(super) fn update_many_runs(&mut self, ctx: &egui::Context) {
        let race = (&self.race.spec, self.race.race());
        let settings = self.state.scene.map.as_ref();
        self.phase.update(ctx, race, settings);
        self.cloud.update(ctx, race, settings);
        // The Phase tab says again where it drew, if it is drawn this frame.
        self.dock.phase.frame = Default::default();
    }

    /// Carry out what the phase tab asked for last frame.
    pub(super) fn phase_requests(&mut self) {
        if let Some(settings) = self.dock.phase.take_edit() {
            self.state.scene.map = Some(settings);
        }
        if let Some(pick) = self.dock.phase.take_pick() {
            let mut candidate = self.state.scene.clone();
            match apply_pick(&mut candidate, &self.race, &pick) {
                Ok(()) => self.adopt(candidate),
                Err(e) => self.state.error = Some(e),
            }
        }
    }

    /// The phase diagram shown in the Phase tab, once computed.
    pub fn phase_diagram(&self) -> Option<&crate::engine::phase::PhaseDiagram> {
        self.phase.shown().map(|(d, _)| d)
    }

    /// Where the Phase tab drew the diagram and the racer's ring last frame.
    pub fn phase_frame(&self) -> super::panels::phase::PhaseFrame {
        self.dock.phase.frame
    }

    /// The noise cloud drawn on the map, once computed.
    pub fn cloud(&self) -> Option<&crate::engine::cloud::Cloud> {
        self.cloud.cloud()
    }

    /// Cloud bands (median and 10–90%) the loss plot drew last frame.
    pub fn loss_bands_drawn(&self) -> usize {
        self.dock.bands
    }

    /// What the plots' x axis counts.
    pub fn plots_x_axis(&self) -> super::panels::plots::XAxis {
        self.dock.x_axis
    }
}

/// Give the racer of `pick` the clicked cell's values (an lr through the scene's global
/// multiplier), and pin the diagram's axes in the scene so they stay where they were (the
/// default axes follow the racer's lr).
fn apply_pick(scene: &mut Scene, race: &super::RaceView, pick: &PhasePick) -> Result<(), String> {
    let run = race
        .runs
        .get(pick.run)
        .ok_or_else(|| format!("racer {} is not running", pick.run))?;
    let lr_scale = scene.lr_scale;
    let racer = scene
        .racers
        .get_mut(run.racer)
        .ok_or_else(|| format!("racer {} is gone", run.racer))?;
    let mut spec = OptimizerSpec::parse(&racer.optimizer).map_err(|e| e.0)?;
    for (axis, value) in [(pick.x, pick.values[0]), (pick.y, pick.values[1])] {
        let value = if axis.name == "lr" {
            if lr_scale <= 0.0 {
                return Err("the lr multiplier is 0: raise it to set an lr".into());
            }
            value / lr_scale
        } else {
            value
        };
        spec.args.set(axis.name, Value::Real(value));
    }
    racer.optimizer = spec.spec_text();
    if let Some(map) = &mut scene.map {
        map.x = Some(axis_text(&pick.x));
        map.y = Some(axis_text(&pick.y));
    }
    Ok(())
}
