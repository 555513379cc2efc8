//! The contour map of the current view as a texture and isolines, with the gradient field's
//! lattice: recomputed only when the surface, the view, the resolution, the level count or
//! the colormap changes — never per frame. A surface too slow to map within a frame (a loss
//! over many data points) is mapped on another thread: a coarse map first, then the full one,
//! while the last map stays on screen.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{TextureHandle, TextureOptions};

use crate::P2;
use crate::engine::job::Job;
use crate::grid::{Colormap, ContourMap, gradient_field};
use crate::landscape::Landscape;
use crate::surface::{Bounds, Surface};

/// The key of a computed map.
#[derive(Clone, Debug, PartialEq)]
struct MapKey {
    surface: String,
    bounds: Bounds,
    resolution: [usize; 2],
    levels: usize,
    colormap: Colormap,
}

/// The map is sampled at most this finely (per side).
pub const MAX_RESOLUTION: usize = 512;

/// Arrows per side of the gradient field.
const FIELD_ARROWS: usize = 21;

/// A map estimated to take longer than this is computed off the UI thread.
const FRAME_BUDGET: Duration = Duration::from_millis(12);

/// A map computed for a key, with the field's lattice; `full` once at the key's resolution.
#[derive(Clone)]
struct Computed {
    map: ContourMap,
    field: (Vec<(P2, P2)>, f64),
    full: bool,
}

/// The contour map of the current view, as a texture and isolines.
pub struct MapCache {
    /// The key of the full map on screen.
    key: Option<MapKey>,
    /// The map being computed off the UI thread, if any.
    /// With its key and the passes of it already shown.
    job: Option<(MapKey, Job<Computed>, usize)>,
    /// Maps estimated to take longer than this are computed off the UI thread.
    budget: Duration,
    map: Option<ContourMap>,
    texture: Option<TextureHandle>,
    /// How many times the map was computed (a test can check nothing recomputes per frame).
    pub computed: u64,
    /// How long the last recompute took (shown in the Keys tab).
    pub last_compute: Duration,
    /// −∇f on a coarse lattice of the view, and the lattice's cell size.
    pub field: (Vec<(P2, P2)>, f64),
}

impl Default for MapCache {
    fn default() -> Self {
        Self::with_budget(FRAME_BUDGET)
    }
}

impl MapCache {
    /// A cache that computes maps estimated above `budget` off the UI thread.
    pub fn with_budget(budget: Duration) -> Self {
        Self {
            key: None,
            job: None,
            budget,
            map: None,
            texture: None,
            computed: 0,
            last_compute: Duration::ZERO,
            field: (Vec::new(), 1.0),
        }
    }

    /// Make the map match (surface, bounds, resolution, levels, colormap); a no-op when
    /// nothing changed. A slow surface's map is started on another thread and shown when
    /// ready, coarse first; until then the last map stays.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        landscape: &Arc<Landscape>,
        bounds: Bounds,
        resolution: [usize; 2],
        levels: usize,
        colormap: Colormap,
    ) {
        let key = MapKey {
            surface: landscape.identity(),
            bounds,
            resolution: resolution.map(|r| r.clamp(16, MAX_RESOLUTION)),
            levels,
            colormap,
        };
        // At most one job. One for another key is asked to stop after its current stage and
        // its results are not shown; its end wakes the frame that starts the new one (so a
        // pan over a slow surface does not pile jobs up).
        if let Some((job_key, job, shown)) = &mut self.job {
            let current = *job_key == key;
            if !current {
                job.cancel();
            }
            let finished = job.is_finished();
            let passes = job.passes_done();
            if current
                && passes > *shown
                && let Some(computed) = job.latest()
            {
                *shown = passes;
                let computed = Arc::unwrap_or_clone(computed);
                self.adopt(ctx, &key, computed);
            }
            if finished {
                self.job = None;
            }
        }
        if self.key.as_ref() != Some(&key) && self.job.is_none() {
            self.start(ctx, landscape, key);
        }
    }

    /// Compute the map for `key` now if it is quick, else start it on another thread.
    fn start(&mut self, ctx: &egui::Context, landscape: &Arc<Landscape>, key: MapKey) {
        let started = Instant::now();
        let estimate = estimated_cost(landscape.surface.as_ref(), key.bounds, key.resolution);
        if estimate <= self.budget {
            self.job = None;
            let computed = compute(landscape.surface.as_ref(), &key, threads());
            self.adopt(ctx, &key, computed);
            self.last_compute = started.elapsed();
            return;
        }
        let surface = Arc::clone(landscape);
        let job_key = key.clone();
        // One core is left to the UI.
        let threads = threads().saturating_sub(1).max(1);
        let repaint = ctx.clone();
        // Two passes, the engine's jobs' way: a 4× coarser map, then the full one; a
        // cancelled job stops between them.
        let job = Job::spawn(
            2,
            0,
            move |pass, progress| {
                if progress.is_cancelled() {
                    return None;
                }
                let full = pass == 1;
                let pass_key = MapKey {
                    resolution: job_key
                        .resolution
                        .map(|r| if full { r } else { (r / 4).max(16) }),
                    ..job_key.clone()
                };
                let mut computed = compute(surface.surface.as_ref(), &pass_key, threads);
                computed.full = full;
                Some(computed)
            },
            move || repaint.request_repaint(),
        );
        self.job = Some((key, job, 0));
    }

    /// Show `computed`, the map for `key` (or a coarse one for it).
    fn adopt(&mut self, ctx: &egui::Context, key: &MapKey, computed: Computed) {
        let Computed { map, field, full } = computed;
        let rgba = map.rgba(&key.colormap.table());
        let image = egui::ColorImage::from_rgba_unmultiplied([map.grid.nx, map.grid.ny], &rgba);
        match &mut self.texture {
            Some(texture) => texture.set(image, TextureOptions::LINEAR),
            None => {
                self.texture = Some(ctx.load_texture("surface-map", image, TextureOptions::LINEAR))
            }
        }
        self.map = Some(map);
        self.field = field;
        if full {
            self.key = Some(key.clone());
        }
        self.computed += 1;
    }

    /// A map is being computed off the UI thread (the one shown is older or coarse).
    pub fn is_refining(&self) -> bool {
        self.job.is_some()
    }

    pub fn map(&self) -> Option<&ContourMap> {
        self.map.as_ref()
    }

    /// The texture and the map it shows, once computed.
    pub fn layers(&self) -> Option<(&TextureHandle, &ContourMap)> {
        Some((self.texture.as_ref()?, self.map.as_ref()?))
    }
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// The map and field lattice for `key`.
fn compute(surface: &dyn Surface, key: &MapKey, threads: usize) -> Computed {
    let bounds = key.bounds;
    let map = ContourMap::compute(surface, bounds, key.resolution, key.levels, threads);
    let cell = (bounds.x[1] - bounds.x[0]).max(bounds.y[1] - bounds.y[0]) / FIELD_ARROWS as f64;
    let lattice = bounds.fit_aspect(1.0);
    Computed {
        map,
        field: (gradient_field(surface, lattice, FIELD_ARROWS), cell),
        full: true,
    }
}

/// How long sampling `surface` on a `resolution` grid would take on this machine, from the
/// time of a few evaluations across `bounds` (the isolines cost about as much again).
fn estimated_cost(surface: &dyn Surface, bounds: Bounds, resolution: [usize; 2]) -> Duration {
    const PROBES: usize = 8;
    let started = Instant::now();
    let mut sink = 0.0;
    for i in 0..PROBES {
        for j in 0..PROBES {
            let t =
                |k: usize, [lo, hi]: [f64; 2]| lo + (hi - lo) * (k as f64 + 0.5) / PROBES as f64;
            sink += surface.value(P2::new(t(i, bounds.x), t(j, bounds.y)));
        }
    }
    std::hint::black_box(sink);
    let per_value = started.elapsed().as_secs_f64() / (PROBES * PROBES) as f64;
    let cells = (resolution[0] * resolution[1]) as f64;
    Duration::from_secs_f64(2.0 * per_value * cells / threads() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait_for_full(cache: &mut MapCache, ctx: &egui::Context, args: &Args) -> Vec<usize> {
        let mut widths = Vec::new();
        let start = Instant::now();
        loop {
            let before = cache.computed;
            cache.update(ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
            if cache.computed > before {
                widths.push(cache.map().unwrap().grid.nx);
            }
            if !cache.is_refining() {
                return widths;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    type Args = (Arc<Landscape>, Bounds, [usize; 2]);

    #[test]
    fn a_slow_map_comes_coarse_first_then_full_off_the_ui_thread() {
        let ctx = egui::Context::default();
        let landscape = Arc::new(Landscape::parse("himmelblau").unwrap());
        let args = (Arc::clone(&landscape), landscape.view, [256, 192]);
        // A zero budget sends every map to the job, as a slow surface's would be.
        let mut cache = MapCache::with_budget(Duration::ZERO);
        cache.update(&ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
        assert!(cache.is_refining(), "the frame did not wait for the map");
        let widths = wait_for_full(&mut cache, &ctx, &args);
        assert_eq!(widths.last(), Some(&256), "ends at full resolution");
        assert!(widths.iter().all(|&w| w == 64 || w == 256), "{widths:?}");
        // Moved and back while the job for the move runs: that job is stopped and its maps
        // are never shown; the full map on screen already fits.
        let moved = (
            Arc::clone(&landscape),
            landscape.view.fit_aspect(2.0),
            [200, 100],
        );
        cache.update(&ctx, &moved.0, moved.1, moved.2, 10, Colormap::Viridis);
        assert!(cache.is_refining());
        assert!(wait_for_full(&mut cache, &ctx, &args).is_empty());
        assert_eq!(cache.map().unwrap().grid.nx, 256);
        // Moved for good: after the coarse map, the full one.
        // (A coarse map may be overtaken by the full one before a frame takes it.)
        let widths = wait_for_full(&mut cache, &ctx, &moved);
        assert!(widths.ends_with(&[200]) && widths.len() <= 2, "{widths:?}");
        assert!(widths.iter().all(|&w| w == 50 || w == 200), "{widths:?}");
        let widths = wait_for_full(&mut cache, &ctx, &args);
        assert!(widths.ends_with(&[256]), "{widths:?}");
        // Then nothing more is computed for the same key.
        let done = cache.computed;
        cache.update(&ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
        assert_eq!((cache.computed, cache.is_refining()), (done, false));
        // The same map as computed on the UI thread.
        let mut direct = MapCache::default();
        direct.update(&ctx, &args.0, args.1, args.2, 10, Colormap::Viridis);
        assert!(
            !direct.is_refining(),
            "himmelblau is fast: mapped in the frame"
        );
        assert_eq!(
            direct.map().unwrap().grid.values,
            cache.map().unwrap().grid.values
        );
    }
}
