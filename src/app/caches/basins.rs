//! The basin map a scene asks for (`map: Some((kind: basins, …))`), computed by the core's
//! engine off the UI thread — a coarse grid first, then the full one — and kept as a texture
//! the map draws under its isolines and paths. Restarted when the race, the view or the
//! settings change; the last map stays on screen until the new one's first pass arrives.

use egui::{TextureHandle, TextureOptions};

use super::super::jobs::KeyedJob;
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
pub struct BasinCache {
    job: KeyedJob<BasinKey, BasinMap>,
    texture: Option<(TextureHandle, Bounds)>,
}

impl BasinCache {
    /// A cache that shows passes as they come (`background`), or waits for each map in the
    /// frame that asks for it (tests and screenshots: the same picture every time).
    pub fn new(background: bool) -> Self {
        Self {
            job: KeyedJob::new(background),
            texture: None,
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
        profiling::function_scope!();
        let Some(settings) = settings.filter(|s| s.kind == MapKind::Basins) else {
            self.job.clear();
            self.texture = None;
            return;
        };
        let key = BasinKey {
            race: spec.clone(),
            settings: settings.clone(),
            bounds,
        };
        let fresh = self.job.follow(key, || {
            settings.check(race).map_err(|e| e.0)?;
            let batch = Batch::of_race(race, settings.racer, settings.tol);
            let repaint = ctx.clone();
            let notify = move || repaint.request_repaint();
            Ok(Job::basins(batch, race.seed, bounds, settings.grid, notify).into())
        });
        if self.job.error().is_some() {
            self.texture = None;
        }
        if fresh && let Some(map) = self.job.latest() {
            let image =
                egui::ColorImage::from_rgba_unmultiplied([map.nx, map.ny], &basin_rgba(map));
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

    /// Why the scene's basin map cannot be computed.
    pub fn error(&self) -> Option<&str> {
        self.job.error()
    }

    /// While a pass is still coming: the share of the job's runs done, 0 … 1.
    pub fn progress(&self) -> Option<f64> {
        self.job.fraction()
    }
}
