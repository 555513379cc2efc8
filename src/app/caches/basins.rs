//! The basin map a scene asks for (`map: Some((kind: basins, …))`), computed by the core's
//! engine off the UI thread — a coarse grid first, then the full one — and kept as a texture
//! the map draws under its isolines and paths. Restarted when the race, the view or the
//! settings change; the last map stays on screen until the new one's first pass arrives.

use egui::{TextureHandle, TextureOptions};

use crate::engine::basins::BasinMap;
use crate::engine::job::Job;
use crate::engine::{Batch, MapKind, MapSettings};
use crate::race::{Race, RaceSpec};
use crate::style::basin_rgba;
use crate::surface::Bounds;

/// What a basin map depends on.
#[derive(Clone, Debug, PartialEq)]
struct BasinKey {
    race: RaceSpec,
    settings: MapSettings,
    bounds: Bounds,
}

/// The scene's basin map, as a texture over its bounds.
#[derive(Default)]
pub struct BasinCache {
    key: Option<BasinKey>,
    job: Option<Job<BasinMap>>,
    /// Passes of the job already shown.
    shown: usize,
    texture: Option<(TextureHandle, Bounds)>,
    /// Why the scene's map cannot be drawn (shown instead of it).
    pub error: Option<String>,
    /// Wait for each map in the frame that asks for it (tests and screenshots: the same
    /// picture every time) instead of showing passes as they come.
    wait: bool,
}

impl BasinCache {
    /// A cache that shows passes as they come (`background`), or waits for each map in the
    /// frame that asks for it.
    pub fn new(background: bool) -> Self {
        Self {
            wait: !background,
            ..Self::default()
        }
    }

    /// Follow the scene: start, keep or drop the job, and show its newest pass.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        (spec, race): (&RaceSpec, &Race),
        settings: Option<&MapSettings>,
        bounds: Bounds,
    ) {
        let Some(settings) = settings.filter(|s| s.kind == MapKind::Basins) else {
            *self = Self {
                wait: self.wait,
                ..Self::default()
            };
            return;
        };
        let key = BasinKey {
            race: spec.clone(),
            settings: settings.clone(),
            bounds,
        };
        if self.key.as_ref() != Some(&key) {
            self.key = Some(key);
            self.job = None;
            self.shown = 0;
            self.error = settings.check(race).err().map(|e| e.0);
            if self.error.is_none() {
                let batch = Batch::of_race(race, settings.racer, settings.tol);
                let repaint = ctx.clone();
                self.job = Some(Job::basins(
                    batch,
                    race.seed,
                    bounds,
                    settings.grid,
                    move || repaint.request_repaint(),
                ));
            }
        }
        let Some(job) = &self.job else {
            return;
        };
        while self.wait && !job.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let passes = job.passes_done();
        if passes > self.shown
            && let Some(map) = job.latest()
        {
            self.shown = passes;
            let image =
                egui::ColorImage::from_rgba_unmultiplied([map.nx, map.ny], &basin_rgba(&map));
            // Nearest: each cell is one start, drawn as a square.
            match &mut self.texture {
                Some((texture, b)) => {
                    texture.set(image, TextureOptions::NEAREST);
                    *b = map.bounds;
                }
                None => {
                    let texture = ctx.load_texture("basins", image, TextureOptions::NEAREST);
                    self.texture = Some((texture, map.bounds));
                }
            }
        }
    }

    /// The texture and the bounds it covers, once a pass has arrived.
    pub fn layer(&self) -> Option<(&TextureHandle, Bounds)> {
        self.texture.as_ref().map(|(t, b)| (t, *b))
    }

    /// Whether a finer pass is still coming.
    pub fn is_refining(&self) -> bool {
        self.job.as_ref().is_some_and(|job| !job.is_finished())
    }
}
