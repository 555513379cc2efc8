//! The phase diagram a scene asks for (`map: Some((kind: phase, …))`): one run of the chosen
//! racer per cell of a grid over two of its hyperparameters, computed by the core's engine
//! off the UI thread (a coarse grid first), kept as a texture for the Phase tab. Restarted
//! when the race or the settings change.

use egui::{TextureHandle, TextureOptions};

use super::super::jobs::KeyedJob;
use crate::engine::job::Job;
use crate::engine::phase::{PhaseDiagram, PhaseGrid};
use crate::engine::{Batch, MapKind, MapSettings};
use crate::race::{Race, RaceSpec};
use crate::style::phase_rgba;

/// What a phase diagram depends on.
#[derive(Clone, Debug, PartialEq)]
struct PhaseKey {
    race: RaceSpec,
    settings: MapSettings,
}

/// The scene's phase diagram and its texture.
pub struct PhaseCache {
    job: KeyedJob<PhaseKey, PhaseDiagram>,
    texture: Option<TextureHandle>,
}

impl PhaseCache {
    /// A cache that shows passes as they come (`background`), or waits for each diagram.
    pub fn new(background: bool) -> Self {
        Self {
            job: KeyedJob::new(background),
            texture: None,
        }
    }

    /// Follow the scene: start, keep or drop the job, and take its newest pass.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        (spec, race): (&RaceSpec, &Race),
        settings: Option<&MapSettings>,
    ) {
        profiling::function_scope!();
        let Some(settings) = settings.filter(|s| s.kind == MapKind::Phase) else {
            self.job.clear();
            self.texture = None;
            return;
        };
        let key = PhaseKey {
            race: spec.clone(),
            settings: settings.clone(),
        };
        let fresh = self.job.follow(key, || {
            settings.check(race).map_err(|e| e.0)?;
            let (x, y) = settings.axes(race).map_err(|e| e.0)?;
            let batch = Batch::of_race(race, settings.racer, settings.tol);
            let repaint = ctx.clone();
            let grid = PhaseGrid {
                seed: race.seed,
                start: race.start,
                x,
                y,
                n: settings.grid,
            };
            Ok(Job::phase(batch, grid, move || repaint.request_repaint()).into())
        });
        if self.job.error().is_some() {
            self.texture = None;
        }
        if fresh && let Some(d) = self.job.latest() {
            let image = egui::ColorImage::from_rgba_unmultiplied([d.n, d.n], &phase_rgba(d));
            // Nearest: each cell is one run, drawn as a square.
            match &mut self.texture {
                Some(texture) => texture.set(image, TextureOptions::NEAREST),
                None => {
                    self.texture = Some(ctx.load_texture("phase", image, TextureOptions::NEAREST));
                }
            }
        }
    }

    /// The newest diagram and its texture, once a pass has arrived.
    pub fn shown(&self) -> Option<(&PhaseDiagram, &TextureHandle)> {
        Some((self.job.latest()?, self.texture.as_ref()?))
    }

    /// Why the scene's diagram cannot be computed.
    pub fn error(&self) -> Option<&str> {
        self.job.error()
    }

    /// Whether a finer pass is still coming.
    pub fn is_refining(&self) -> bool {
        self.job.is_refining()
    }
}
