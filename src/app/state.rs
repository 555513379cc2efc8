//! What the app keeps and edits: the scene (saved between launches), the clock, the map's
//! view, and what the last action said. Everything derived from these lives in
//! [`super::caches`].

use crate::scene::Scene;
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

/// The map's view as the screen shows it. The view the user chose is the scene's `view`
/// (or the surface's own box): a map of another shape shows all of it.
#[derive(Clone, Copy, Debug, Default)]
pub struct MapView {
    /// Show this box, fitted to the map's shape, on the next frame (a new scene or surface,
    /// a reset, a resize).
    pub reset_to: Option<Bounds>,
    /// The first map's screen rectangle and the box it showed last frame.
    pub shown: Option<(egui::Rect, Bounds)>,
    /// The map's size in physical pixels last frame (the grid's resolution).
    pub pixels: [usize; 2],
}

impl MapView {
    /// A view that will show `bounds` on the next frame.
    pub fn showing(bounds: Bounds) -> Self {
        Self {
            reset_to: Some(bounds),
            ..Self::default()
        }
    }
}

/// The scene and everything the user set that is not derived from it.
pub struct AppState {
    pub scene: Scene,
    pub clock: Clock,
    pub view: MapView,
    /// Why the last edit was refused (the scene kept its previous state).
    pub error: Option<String>,
    /// The last file operation's outcome.
    pub status: Option<String>,
    /// Presentation mode: full screen, controls hidden, large type.
    pub presentation: bool,
    /// The controls panel is open (one click collapses it).
    pub controls_open: bool,
    /// The size of exported pictures (File menu).
    pub picture_size: PictureSize,
}

/// The pixel size of exported pictures: the map as seen, or a slide's size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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
    pub fn new(scene: Scene, view: Bounds) -> Self {
        Self {
            scene,
            clock: Clock::default(),
            view: MapView::showing(view),
            error: None,
            status: None,
            presentation: false,
            controls_open: true,
            picture_size: PictureSize::Map,
        }
    }

    /// The view box the user chose, else the surface's own.
    pub fn chosen_view(&self, surface_view: Bounds) -> Bounds {
        self.scene.view.unwrap_or(surface_view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
