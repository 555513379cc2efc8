//! The maps over many runs beside the race — the phase diagram's tab and the noise cloud —
//! kept up to date each frame, and a clicked cell of the phase diagram becoming the racer's
//! setting (through the same checks as any edit).

use super::DescentApp;
use super::command::PhasePick;
use super::panels::phase::axis_text;
use crate::optim::OptimizerSpec;
use crate::scene::Scene;
use crate::spec::Value;

impl DescentApp {
    /// Start, keep or drop the phase diagram's and the cloud's jobs for the scene, and take
    /// their newest passes.
    pub(super) fn update_many_runs(&mut self, ctx: &egui::Context) {
        profiling::function_scope!();
        let race = (&self.race.spec, self.race.race());
        let settings = self.state.saved.scene.map.as_ref();
        self.phase.update(ctx, race, settings);
        self.cloud.update(ctx, race, settings);
        // The phase diagram says again where it drew, if it is drawn this frame.
        self.state.last.phase = Default::default();
    }

    /// A clicked cell of the phase diagram: its racer takes the cell's values, through the
    /// same checks as any edit.
    pub(super) fn apply_pick(&mut self, pick: &PhasePick) {
        let mut candidate = self.state.saved.scene.clone();
        match apply_pick(&mut candidate, &self.race, pick) {
            Ok(()) => self.adopt(candidate),
            Err(e) => self.state.ui.error = Some(e),
        }
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
