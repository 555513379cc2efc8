//! What the app keeps, in three parts that change for different reasons (egui_demo_lib and
//! rerun keep them apart): [`Saved`] between launches — the scene and the preferences;
//! [`UiState`], the interface's own — the clock, tabs, selections, typed text, what the last
//! action said; and [`LastFrame`], what the last frame laid out — rectangles, transforms,
//! counts — which the next frame and the tests read. Everything derived from the scene is in
//! [`super::caches`].

use serde::{Deserialize, Serialize};

use egui::{Pos2, Rect};

use crate::lecture::Lecture;
use crate::metrics::Column;
use crate::scene::{Overlays, Scene};
use crate::surface::Bounds;

/// The timeline: a fractional step (so slow speeds advance smoothly) and whether it plays.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    step: f64,
    playing: bool,
}

impl Default for Clock {
    /// A race plays from step 0 as soon as it opens.
    fn default() -> Self {
        Self {
            step: 0.0,
            playing: true,
        }
    }
}

impl Clock {
    /// The step the timeline shows.
    pub fn step(&self) -> u64 {
        self.step as u64
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Play or pause; playing at the end starts over.
    pub fn toggle(&mut self, last: u64) {
        if !self.playing && self.step() >= last {
            self.step = 0.0;
        }
        self.playing = !self.playing;
    }

    /// Pause and take one step.
    pub fn single_step(&mut self, last: u64) {
        self.playing = false;
        self.step = (self.step.floor() + 1.0).min(last as f64);
    }

    /// Pause at step 0.
    pub fn reset(&mut self) {
        *self = Self {
            step: 0.0,
            playing: false,
        };
    }

    /// Pause at `step` (the timeline was dragged).
    pub fn scrub(&mut self, step: u64) {
        *self = Self {
            step: step as f64,
            playing: false,
        };
    }

    /// Keep the step within a race of `last` steps.
    pub fn clamp(&mut self, last: u64) {
        self.step = self.step.min(last as f64);
    }

    /// Move `dt` seconds forward at `speed` steps per second, stopping at `last`.
    pub fn advance(&mut self, dt: f64, speed: f64, last: u64) {
        if !self.playing {
            return;
        }
        self.step += speed * dt;
        if self.step >= last as f64 {
            self.step = last as f64;
            self.playing = false;
        }
    }
}

/// What the app keeps: saved, interface, last frame.
pub struct AppState {
    pub saved: Saved,
    pub ui: UiState,
    pub last: LastFrame,
}

/// Saved between launches.
pub struct Saved {
    pub scene: Scene,
    pub prefs: Preferences,
}

/// The user's choices that are not part of a scene.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// The size of exported pictures (File menu).
    pub picture_size: PictureSize,
    /// What the plots' x axis counts.
    pub x_axis: XAxis,
}

/// The interface's own state, not saved.
pub struct UiState {
    pub clock: Clock,
    /// Show this box, fitted to the map's shape, on the next frame (a new scene or surface,
    /// a reset, a resize).
    pub reset_view: Option<Bounds>,
    /// Why the last edit was refused (the scene kept its previous state).
    pub error: Option<String>,
    /// The last file operation's outcome.
    pub status: Option<String>,
    /// Presentation mode: full screen, controls hidden, large type.
    pub presentation: bool,
    /// The controls panel is open (one click collapses it).
    pub controls_open: bool,
    /// The dock's tabs and each tool's selection.
    pub dock: Dock,
    /// Text being typed in the controls that is not (yet) part of the scene.
    pub drafts: Drafts,
    /// Where the teacher is among the presets or a lecture's scenes, and the window title.
    pub stepping: Stepping,
}

/// What PageDown / PageUp step through.
#[derive(Clone, Debug, PartialEq)]
pub enum Sequence {
    /// The built-in presets ([`crate::presets::PRESETS`]), in lesson order.
    Presets,
    /// An open lecture's scene files.
    Lecture(Lecture),
}

impl Sequence {
    /// How many scenes it holds.
    pub fn len(&self) -> usize {
        match self {
            Self::Presets => crate::presets::PRESETS.len(),
            Self::Lecture(lecture) => lecture.len(),
        }
    }

    /// Its name in the window title.
    pub fn title(&self) -> &str {
        match self {
            Self::Presets => "presets",
            Self::Lecture(lecture) => &lecture.title,
        }
    }
}

/// A scene's place in a sequence (0-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub sequence: Sequence,
    pub index: usize,
}

/// The lecture flow: where the teacher is, and the window title last sent (sent again only
/// when it changes).
#[derive(Clone, Debug)]
pub struct Stepping {
    /// `None`: the scene is in no sequence (not a built-in preset, not from a lecture).
    pub place: Option<Place>,
    pub title: String,
}

impl Stepping {
    /// The place to show: (k, n, the sequence's name), k 1-based.
    pub fn shown(&self) -> Option<(usize, usize, &str)> {
        let Place { sequence, index } = self.place.as_ref()?;
        Some((index + 1, sequence.len(), sequence.title()))
    }
}

impl Default for Stepping {
    /// In no sequence, under the window's first title.
    fn default() -> Self {
        Self {
            place: None,
            title: "Descent".into(),
        }
    }
}

/// What the last frame laid out and drew.
#[derive(Default)]
pub struct LastFrame {
    /// The first map's screen rectangle and the box it showed.
    pub map: Option<(egui::Rect, Bounds)>,
    /// The map's size in physical pixels (the grid's resolution).
    pub pixels: [usize; 2],
    /// Every map's rectangle (one, or one per racer side by side).
    pub maps: Vec<egui::Rect>,
    /// The teaching layers drawn on the maps.
    pub drawn: Vec<&'static str>,
    /// The legend strip.
    pub legend: Option<egui::Rect>,
    /// The data view's or the phase diagram's rectangle, when one stands beside the map.
    pub beside: Option<egui::Rect>,
    /// Where the data view's plot was drawn (where a point is on screen).
    pub data_view: Option<egui_plot::PlotTransform>,
    /// Where the phase diagram and the racer's ring were drawn.
    pub phase: PhaseFrame,
    /// Cloud bands the loss plot drew.
    pub bands: usize,
}

/// A docked tool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    #[default]
    Plots,
    Data,
    Metrics,
    Rule,
    Losses,
    GradCheck,
    Phase,
    Keys,
}

impl Tool {
    pub fn title(self) -> &'static str {
        match self {
            Self::Plots => "Plots",
            Self::Data => "Data",
            Self::Metrics => "Metrics",
            Self::Rule => "Update rule",
            Self::Losses => "Losses",
            Self::GradCheck => "Grad check",
            Self::Phase => "Phase",
            Self::Keys => "Keys",
        }
    }
}

/// Which tool the dock shows and the tools' own selections (interface state only).
#[derive(Default)]
pub struct Dock {
    pub tool: Tool,
    /// A tool shown in its own window instead.
    pub popped: Option<Tool>,
    /// The metrics table's order.
    pub sort: Sort,
    /// The run the update-rule card shows.
    pub card_run: usize,
    /// The run whose minibatch the data view rings.
    pub data_run: usize,
    /// The run the loss-function and gradient-check tabs follow.
    pub teach_run: usize,
    /// The tabs on offer last frame: one newly on offer comes to the front.
    pub(super) seen: Offered,
}

/// What the scene offers: the Teach menu's tabs, the data view, the phase diagram.
#[derive(Clone, Copy, Default)]
pub struct Offered {
    pub overlays: Overlays,
    pub data: bool,
    pub phase: bool,
    /// A network scene: its plots, the update-rule card, the gradient check and the keys.
    pub network: bool,
}

/// Sort state of the metrics table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            column: Column::StepsToGradTol,
            descending: false,
        }
    }
}

/// Text the user is typing in the controls that is not (yet) part of the scene.
#[derive(Default)]
pub struct Drafts {
    /// The custom expression as typed.
    pub expr: String,
    /// Why the typed expression was refused.
    pub expr_error: Option<String>,
    /// The optimizer the "Add" button adds.
    pub add: usize,
    /// A network's hidden widths as typed (`16x16`), until Enter.
    pub hidden: Option<String>,
}

pub use crate::scene::XAxis;

/// Where the diagram was drawn last frame (for tests and the screenshot check).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PhaseFrame {
    /// The cells' square on screen.
    pub plot: Option<Rect>,
    /// The ring at the racer's own setting, when inside the diagram.
    pub current: Option<Pos2>,
    /// Whether the theory's line was drawn.
    pub boundary: bool,
}

/// The pixel size of exported pictures: the map as seen, or a slide's size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PictureSize {
    /// The map's size on screen; a GIF at most 800 pixels wide (a small file).
    #[default]
    Map,
    /// A 720p slide.
    Slide720,
    /// A 1080p slide.
    Slide1080,
}

impl PictureSize {
    pub const ALL: [Self; 3] = [Self::Map, Self::Slide720, Self::Slide1080];

    /// The size for a picture (or, with `gif`, an animation) when the map shows `map` pixels.
    pub fn pixels(self, map: [u32; 2], gif: bool) -> [u32; 2] {
        match self {
            Self::Map => {
                let [w, h] = map.map(|p| p.clamp(64, 4096));
                if gif && w > 800 {
                    [800, (h * 800 / w).max(64)]
                } else {
                    [w, h]
                }
            }
            Self::Slide720 => [1280, 720],
            Self::Slide1080 => [1920, 1080],
        }
    }

    /// The menu's words for this size when the map shows `map` pixels.
    pub fn label(self, map: [u32; 2]) -> String {
        match self {
            Self::Map => format!("as on screen ({}×{})", map[0], map[1]),
            Self::Slide720 => "1280×720 (slide)".into(),
            Self::Slide1080 => "1920×1080 (slide)".into(),
        }
    }
}

impl AppState {
    /// The app on `scene`, showing `view` on the first frame, at step 0, playing.
    /// The state of a scene just opened; the scene's x axis, if it names one, replaces the
    /// viewer's last choice.
    pub fn new(scene: Scene, mut prefs: Preferences, view: Bounds) -> Self {
        if let Some(axis) = scene.x_axis {
            prefs.x_axis = axis;
        }
        Self {
            saved: Saved { scene, prefs },
            ui: UiState {
                clock: Clock::default(),
                reset_view: Some(view),
                error: None,
                status: None,
                presentation: false,
                controls_open: true,
                dock: Dock::default(),
                drafts: Drafts::default(),
                stepping: Stepping::default(),
            },
            last: LastFrame::default(),
        }
    }

    /// The view box the user chose, else the surface's own.
    pub fn chosen_view(&self, surface_view: Bounds) -> Bounds {
        self.saved.scene.view.unwrap_or(surface_view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scene_that_names_its_x_axis_opens_with_it() {
        let view = Bounds::new(-1.0, 1.0, -1.0, 1.0);
        let prefs = Preferences {
            x_axis: XAxis::Evaluations,
            ..Preferences::default()
        };
        let kept = AppState::new(Scene::default(), prefs, view);
        assert_eq!(kept.saved.prefs.x_axis, XAxis::Evaluations);
        let scene = Scene {
            x_axis: Some(XAxis::Samples),
            ..Scene::default()
        };
        assert_eq!(
            AppState::new(scene, prefs, view).saved.prefs.x_axis,
            XAxis::Samples
        );
    }

    #[test]
    fn pictures_are_the_maps_size_or_a_slides() {
        assert_eq!(PictureSize::Map.pixels([764, 470], false), [764, 470]);
        assert_eq!(PictureSize::Map.pixels([1600, 900], true), [800, 450]);
        assert_eq!(PictureSize::Map.pixels([10, 9000], false), [64, 4096]);
        assert_eq!(
            PictureSize::Slide1080.pixels([764, 470], true),
            [1920, 1080]
        );
    }

    #[test]
    fn the_clock_plays_to_the_end_and_starts_over() {
        let mut clock = Clock::default();
        clock.advance(0.5, 30.0, 100);
        assert_eq!(clock.step(), 15);
        clock.advance(10.0, 30.0, 100);
        assert_eq!((clock.step(), clock.is_playing()), (100, false));
        clock.toggle(100);
        assert_eq!((clock.step(), clock.is_playing()), (0, true));
        clock.single_step(100);
        assert_eq!((clock.step(), clock.is_playing()), (1, false));
        clock.scrub(40);
        clock.clamp(30);
        assert_eq!(clock.step(), 30);
        clock.reset();
        assert_eq!((clock.step(), clock.is_playing()), (0, false));
    }
}
