//! What the panels ask of the app. A panel draws from what it is given and returns
//! [`Command`]s; the app carries them out in one place ([`super::DescentApp::apply`]), every
//! scene edit through the same validation ([`super::DescentApp::adopt`]) — rerun's "copy,
//! edit, compare, write back". No panel writes to the scene itself.

use super::panels::files::Purpose;
use super::panels::phase::PhasePick;
use crate::engine::MapSettings;
use crate::scene::Scene;

/// An intent from a panel.
pub enum Command {
    /// Adopt this edited copy of the scene if its race builds; otherwise keep the scene and
    /// say why.
    Edit(Box<Scene>),
    /// Like [`Command::Edit`], with another surface: a new scene, so its view and start are
    /// the surface's own and the preset's title no longer describes it.
    ChangeSurface(Box<Scene>),
    /// Show the surface's own view box again.
    ResetView,
    /// Give a racer the values of a clicked phase-diagram cell.
    Pick(PhasePick),
    /// Store these settings of the map over many runs (another racer or axis).
    SetMap(MapSettings),
    /// Open the file chooser for this purpose.
    Choose(Purpose),
    /// Load this built-in scene.
    Preset(String, Box<Scene>),
    TogglePresentation,
    ToggleKeys,
    ToggleControls,
}

/// The commands a panel returned, and an edited copy of the scene it was drawn with.
#[derive(Default)]
pub struct Commands(pub Vec<Command>);

impl Commands {
    pub fn push(&mut self, command: Command) {
        self.0.push(command);
    }

    /// Let `panel` edit a copy of `scene`; an edit that changed it becomes an
    /// [`Command::Edit`] after the panel's own commands.
    pub fn edit<R>(&mut self, scene: &Scene, panel: impl FnOnce(&mut Scene, &mut Self) -> R) -> R {
        let mut copy = scene.clone();
        let result = panel(&mut copy, self);
        if copy != *scene {
            self.push(Command::Edit(Box::new(copy)));
        }
        result
    }
}
