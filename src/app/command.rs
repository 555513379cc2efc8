//! What the panels ask of the app. A panel draws from what it is given and returns
//! [`Command`]s; the app carries them out in one place ([`super::DescentApp::apply`]), every
//! scene edit through the same validation ([`super::DescentApp::adopt`]) — rerun's "copy,
//! edit, compare, write back". No panel writes to the scene itself.

use crate::engine::MapSettings;
use crate::engine::phase::Axis;
use crate::scene::Scene;
use crate::surface::Bounds;

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
    /// Keep this view box (the map was panned or zoomed).
    SetView(Bounds),
    /// Start every run here (the map was clicked, or the start ring dragged).
    MoveStart([f64; 2]),
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

/// The commands panels returned, in order.
#[derive(Default)]
pub struct Commands(pub Vec<Command>);

impl Commands {
    pub fn push(&mut self, command: Command) {
        self.0.push(command);
    }

    /// Let `panel` edit a copy of `scene`; an edit that changed it becomes an
    /// [`Command::Edit`] before the panel's own commands (which may replace the scene, as a
    /// preset does, and must not be undone by the copy).
    pub fn edit<R>(&mut self, scene: &Scene, panel: impl FnOnce(&mut Scene, &mut Self) -> R) -> R {
        let mut copy = scene.clone();
        let mut own = Self::default();
        let result = panel(&mut copy, &mut own);
        if copy != *scene {
            self.push(Command::Edit(Box::new(copy)));
        }
        self.0.append(&mut own.0);
        result
    }
}

/// What the chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Open,
    /// A CSV file as the dataset of a model surface.
    OpenData,
    Save,
    Export(Export),
}

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// Trajectories, the columns of `descent run`.
    Csv,
    Json,
    /// The current view at the current step.
    Png,
    /// The race growing step by step.
    Gif,
}

impl Purpose {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Open | Self::Save => "ron",
            Self::OpenData => "csv",
            Self::Export(Export::Csv) => "csv",
            Self::Export(Export::Json) => "json",
            Self::Export(Export::Png) => "png",
            Self::Export(Export::Gif) => "gif",
        }
    }

    /// Whether the chooser picks an existing file (rather than naming one to write).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Open | Self::OpenData)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Open => "Open a scene or a lecture",
            Self::OpenData => "Open a dataset (CSV: x,y or x1,x2,label)",
            Self::Save => "Save the scene as",
            Self::Export(Export::Csv) => "Export trajectories as CSV",
            Self::Export(Export::Json) => "Export trajectories as JSON",
            Self::Export(Export::Png) => "Export the view as PNG",
            Self::Export(Export::Gif) => "Export the race as GIF",
        }
    }
}

/// A cell the user clicked: the racer (index among the enabled ones) is to take its values.
#[derive(Clone, Debug, PartialEq)]
pub struct PhasePick {
    pub run: usize,
    pub x: Axis,
    pub y: Axis,
    /// The values to set, rounded to the fewest digits that stay inside the cell.
    pub values: [f64; 2],
}
