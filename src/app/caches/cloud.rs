//! The noise cloud a scene asks for (`map: Some((kind: cloud, copies: K, …))`): K seeded
//! copies of every racer (copy k of every racer under the same noise seed), computed by the
//! core's engine off the UI thread (a few copies first, then all), for the map's dots and
//! the loss plot's median and 10–90% band. Restarted when the race or the settings change.

use super::super::jobs::KeyedJob;
use crate::engine::cloud::Cloud;
use crate::engine::job::Job;
use crate::engine::{MapKind, MapSettings};
use crate::race::{Race, RaceSpec};

/// What a cloud depends on.
#[derive(Clone, Debug, PartialEq)]
struct CloudKey {
    race: RaceSpec,
    settings: MapSettings,
}

/// The scene's noise cloud.
pub struct CloudCache {
    job: KeyedJob<CloudKey, Cloud>,
}

impl CloudCache {
    /// A cache that shows passes as they come (`background`), or waits for each cloud.
    pub fn new(background: bool) -> Self {
        Self {
            job: KeyedJob::new(background),
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
        let Some(settings) = settings.filter(|s| s.kind == MapKind::Cloud) else {
            self.job.clear();
            return;
        };
        let key = CloudKey {
            race: spec.clone(),
            settings: settings.clone(),
        };
        self.job.follow(key, || {
            settings.check(race).map_err(|e| e.0)?;
            let repaint = ctx.clone();
            Ok(
                Job::cloud(spec.clone(), settings.copies, settings.tol, move || {
                    repaint.request_repaint()
                })
                .into(),
            )
        });
    }

    /// The newest cloud, once a pass has arrived.
    pub fn cloud(&self) -> Option<&Cloud> {
        self.job.latest()
    }

    /// Why the scene's cloud cannot be computed.
    pub fn error(&self) -> Option<&str> {
        self.job.error()
    }

    /// While more copies are still coming: the share of the job's runs done, 0 … 1.
    pub fn progress(&self) -> Option<f64> {
        self.job.fraction()
    }
}
